// Package venuetest is the conformance suite every adapter behind the
// hedge.Venue seam must pass, run through the engine exactly as `hedger
// hedge` and `hedger watch` run it:
//
//   - open: spot and no short → orders that bring the short to its target;
//   - rerun: a second cycle sends nothing;
//   - pending: a cycle while an order is in flight sends nothing (on a
//     synchronous venue: nothing is ever left pending, and the rerun right
//     after the submission sends nothing);
//   - rebalance: more spot → the short grows to its new target;
//   - reduce: less spot → the short shrinks;
//   - close: the close plan leaves no position and returns the margin;
//   - cancelled: an order whose acceptable price the market passes before
//     it executes (a keeper's cancel, a synchronous venue's revert) is
//     replanned exactly once;
//   - restart: a new engine and a new venue instance (another process)
//     started mid-order sends nothing.
//
// An adapter's test supplies a Harness (see hedge/paper's and
// hedge/perpvenue's conformance tests) and calls Run.
package venuetest

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
)

// Harness drives one venue instance for the suite. Asset is a market with a
// spot holding the harness controls; prices are USD.
type Harness struct {
	Venue hedge.Venue
	Asset string
	// SetSpot sets the spot the watch-only wallets hold of Asset. The suite
	// uses whole units from 1 to 4.
	SetSpot func(units int) error
	// SetPrice moves Asset's index and mark to price.
	SetPrice func(price decimal.Decimal) error
	// Price is Asset's price when the harness starts.
	Price decimal.Decimal
	// Keep executes every pending order (a keeper step); nil on a
	// synchronous venue.
	Keep func() error
	// Restart is a new venue instance over the same exchange and account,
	// as a new hedger process would build it.
	Restart func() hedge.Venue
}

// Async says whether the harness's venue holds orders for a keeper.
func (h *Harness) Async() bool { return h.Keep != nil }

// Policies is what the suite plans with: the defaults, without the cooldown
// (cycles follow each other at once) and the oracle age (the harness's
// clock is its own).
func Policies() hedge.Policies {
	p := hedge.DefaultAssetPolicy()
	p.Cooldown, p.MaxOracleAge, p.FundingWindow = 0, 0, 0
	return hedge.Policies{Default: p}
}

// Run runs every case, each on a fresh harness from newHarness.
func Run(t *testing.T, newHarness func(t *testing.T) *Harness) {
	cases := []struct {
		name string
		run  func(t *testing.T, h *Harness)
	}{
		{"open", testOpen},
		{"rerun sends nothing", testRerun},
		{"rerun while pending sends nothing", testPending},
		{"rebalance", testRebalance},
		{"reduce", testReduce},
		{"close", testClose},
		{"cancelled order replanned once", testCancelled},
		{"restart mid-order", testRestart},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newHarness(t)) })
	}
}

// cycle is one engine cycle on v with a new engine (no state carried): it
// returns the steps it sent.
func cycle(t *testing.T, v hedge.Venue) (*engine.Cycle, engine.Result) {
	t.Helper()
	ctx := context.Background()
	e := &engine.Engine{Venue: v, Policies: Policies()}
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := e.Plan(ctx, c); err != nil {
		t.Fatalf("plan: %v", err)
	}
	if err := e.Check(c); err != nil {
		t.Fatalf("check: %v", err)
	}
	res, err := e.Submit(ctx, c, engine.Hooks{})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return c, res
}

// settle runs the keeper on an async venue.
func settle(t *testing.T, h *Harness) {
	t.Helper()
	if h.Async() {
		if err := h.Keep(); err != nil {
			t.Fatalf("keeper: %v", err)
		}
	}
}

func snap(t *testing.T, v hedge.Venue) *hedge.Snapshot {
	t.Helper()
	s, err := v.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// short is the short size on asset (short sign).
func short(t *testing.T, h *Harness) decimal.Decimal {
	return snap(t, h.Venue).PositionOf(h.Asset).Size.Neg()
}

// inBand checks the asset is within its band after the keeper ran.
func inBand(t *testing.T, h *Harness, what string) {
	t.Helper()
	s := snap(t, h.Venue)
	plan, err := hedge.BuildPlan(s, Policies().Default.Policy())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range plan.Assets {
		if a.Asset == h.Asset && !a.WithinBand {
			t.Fatalf("%s: %s short %s, target %s: out of band", what, a.Asset, a.CurrentSize, a.TargetSize)
		}
	}
}

func sentNothing(t *testing.T, what string, c *engine.Cycle, res engine.Result) {
	t.Helper()
	if len(c.Steps) != 0 || len(res.Submissions) != 0 {
		t.Fatalf("%s: sent %d step(s) %+v", what, len(res.Submissions), c.Steps)
	}
}

func open(t *testing.T, h *Harness, units int) {
	t.Helper()
	if err := h.SetSpot(units); err != nil {
		t.Fatal(err)
	}
	c, res := cycle(t, h.Venue)
	if len(res.Submissions) == 0 || len(c.Plan.Orders) != 1 || !c.Plan.Orders[0].SizeDelta.IsNegative() {
		t.Fatalf("open: orders %+v, %d submissions", c.Plan.Orders, len(res.Submissions))
	}
	for _, sub := range res.Submissions {
		if sub.Pending != h.Async() && sub.Pending {
			t.Fatalf("a synchronous venue left %s pending", sub.Ref)
		}
	}
	settle(t, h)
}

func testOpen(t *testing.T, h *Harness) {
	open(t, h, 2)
	if q := short(t, h); !q.IsPositive() {
		t.Fatalf("short %s after open", q)
	}
	inBand(t, h, "after open")
}

func testRerun(t *testing.T, h *Harness) {
	open(t, h, 2)
	c, res := cycle(t, h.Venue)
	sentNothing(t, "rerun", c, res)
}

func testPending(t *testing.T, h *Harness) {
	if err := h.SetSpot(2); err != nil {
		t.Fatal(err)
	}
	_, res := cycle(t, h.Venue)
	if len(res.Submissions) == 0 {
		t.Fatal("nothing sent to open")
	}
	s := snap(t, h.Venue)
	if h.Async() {
		if len(s.PendingOf(h.Asset)) == 0 {
			t.Fatal("the order is not listed as pending before the keeper ran")
		}
	} else if len(s.Pending) != 0 || !s.PositionOf(h.Asset).Size.IsNegative() {
		t.Fatalf("synchronous venue: pending %+v, position %+v", s.Pending, s.PositionOf(h.Asset))
	}
	for i := 0; i < 2; i++ {
		c, res := cycle(t, h.Venue)
		sentNothing(t, "rerun with the order in flight", c, res)
	}
	settle(t, h)
	inBand(t, h, "after the keeper")
	c, res := cycle(t, h.Venue)
	sentNothing(t, "rerun after the keeper", c, res)
}

func testRebalance(t *testing.T, h *Harness) {
	open(t, h, 2)
	before := short(t, h)
	if err := h.SetSpot(4); err != nil {
		t.Fatal(err)
	}
	c, res := cycle(t, h.Venue)
	if len(res.Submissions) == 0 || len(c.Plan.Orders) != 1 || !c.Plan.Orders[0].SizeDelta.IsNegative() {
		t.Fatalf("rebalance: orders %+v", c.Plan.Orders)
	}
	settle(t, h)
	if after := short(t, h); !after.GreaterThan(before) {
		t.Fatalf("short %s → %s after spot doubled", before, after)
	}
	inBand(t, h, "after rebalance")
}

func testReduce(t *testing.T, h *Harness) {
	open(t, h, 3)
	before := short(t, h)
	if err := h.SetSpot(1); err != nil {
		t.Fatal(err)
	}
	c, res := cycle(t, h.Venue)
	if len(res.Submissions) == 0 || len(c.Plan.Orders) != 1 || !c.Plan.Orders[0].SizeDelta.IsPositive() {
		t.Fatalf("reduce: orders %+v", c.Plan.Orders)
	}
	settle(t, h)
	if after := short(t, h); !after.LessThan(before) || !after.IsPositive() {
		t.Fatalf("short %s → %s after spot fell to a third", before, after)
	}
	inBand(t, h, "after reduce")
}

func testClose(t *testing.T, h *Harness) {
	open(t, h, 2)
	ctx := context.Background()
	e := &engine.Engine{Venue: h.Venue, Policies: Policies()}
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.PlanClose(ctx, c, Policies().Default.Policy(), []string{h.Asset}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Submit(ctx, c, engine.Hooks{}); err != nil {
		t.Fatal(err)
	}
	settle(t, h)
	p := snap(t, h.Venue).PositionOf(h.Asset)
	if !p.Size.IsZero() || !p.Margin.IsZero() {
		t.Fatalf("after close: %+v", p)
	}
}

// testCancelled: the market rallies 5% (past the 0.5% slippage) between
// the plan and the fill of a new short. A keeper cancels the order; a
// synchronous venue reverts the trade. Either way the next cycle plans the
// short again once, from the new price, and the one after sends nothing.
func testCancelled(t *testing.T, h *Harness) {
	if err := h.SetSpot(2); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e := &engine.Engine{Venue: h.Venue, Policies: Policies()}
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Plan(ctx, c); err != nil {
		t.Fatal(err)
	}
	// A sell's acceptable price is its floor: the market falls through it.
	if err := h.SetPrice(h.Price.Mul(decimal.RequireFromString("0.95"))); err != nil {
		t.Fatal(err)
	}
	_, serr := e.Submit(ctx, c, engine.Hooks{})
	switch {
	case h.Async():
		if serr != nil {
			t.Fatalf("async submit: %v", serr)
		}
		settle(t, h) // the keeper cancels: acceptable price not met
	case serr == nil:
		t.Fatal("a synchronous venue filled a sell below its acceptable price")
	}
	if q := short(t, h); !q.IsZero() {
		t.Fatalf("short %s after the cancelled open", q)
	}
	c2, res := cycle(t, h.Venue)
	if len(c2.Plan.Orders) != 1 || len(res.Submissions) == 0 {
		t.Fatalf("replan after the cancel: orders %+v", c2.Plan.Orders)
	}
	c3, res3 := cycle(t, h.Venue)
	sentNothing(t, "second cycle after the replan", c3, res3)
	settle(t, h)
	inBand(t, h, "after the replanned order")
	c4, res4 := cycle(t, h.Venue)
	sentNothing(t, "after the replanned order filled", c4, res4)
}

// testRestart: a new process (new engine, new venue instance) starting
// while the first one's order is in flight sends nothing.
func testRestart(t *testing.T, h *Harness) {
	if err := h.SetSpot(2); err != nil {
		t.Fatal(err)
	}
	if _, res := cycle(t, h.Venue); len(res.Submissions) == 0 {
		t.Fatal("nothing sent to open")
	}
	v2 := h.Restart()
	c, res := cycle(t, v2)
	sentNothing(t, "restarted process, order in flight", c, res)
	settle(t, h)
	c, res = cycle(t, v2)
	sentNothing(t, "restarted process, order filled", c, res)
	if q := snap(t, v2).PositionOf(h.Asset).Size.Neg(); !q.IsPositive() {
		t.Fatalf("restarted process sees short %s", q)
	}
}
