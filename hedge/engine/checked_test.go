package engine_test

import (
	"context"
	"testing"

	"github.com/hedger/hedger/hedge/engine"
)

// The engine validates its policy once, and again whenever it changes: a
// policy made invalid between cycles is refused, and a valid one after it
// plans with its own settings.
func TestPolicyRevalidatedWhenChanged(t *testing.T) {
	v := venue(false)
	v.SetSpot("ETH", d("2"))
	e := &engine.Engine{Venue: v, Policies: policies(t, "")}
	ctx := context.Background()
	plan := func() error {
		c, err := e.Read(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return e.Plan(ctx, c)
	}
	if err := plan(); err != nil {
		t.Fatal(err)
	}
	bad := policies(t, "")
	bad.Default.Band = d("0")
	e.Policies = bad
	if err := plan(); err == nil {
		t.Fatal("band 0 planned")
	}
	half := policies(t, "hedge_ratio = 0.5\n")
	e.Policies = half
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Plan(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got := c.Plan.Assets[0].TargetSize; !got.Equal(d("1")) {
		t.Fatalf("target at ratio 0.5 of 2 ETH: %s", got)
	}
}
