package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/paper"
)

// gasPaper is the paper venue with gas: every step costs 100000 gas at
// usdPerGas, as a chain venue's Estimator and GasCoster would say.
type gasPaper struct {
	*paper.Venue
	usdPerGas decimal.Decimal
}

func (g gasPaper) Estimate(_ context.Context, steps []hedge.Step) ([]hedge.Estimate, error) {
	out := make([]hedge.Estimate, len(steps))
	for i := range out {
		out[i].Gas = 100_000
	}
	return out, nil
}

func (g gasPaper) GasCostUSD(_ context.Context, _ *hedge.Snapshot, gas uint64) (decimal.Decimal, error) {
	return g.usdPerGas.Mul(decimal.NewFromInt(int64(gas))), nil
}

func spotETH(s *hedge.Snapshot) decimal.Decimal {
	x := decimal.Zero
	for _, h := range s.Holdings {
		if h.Asset == "ETH" {
			x = x.Add(h.Amount)
		}
	}
	return x
}

// Claims happen when the claimables are worth N × the gas (10 by default)
// and the minimum, once: a claim sent is not repeated from a snapshot that
// still lists what it claimed.
func TestAutoClaimThreshold(t *testing.T) {
	v := venue(false)
	v.SetSpot("ETH", d("1"))
	gv := gasPaper{Venue: v, usdPerGas: d("0.000005")} // 100k gas = 0.50 USD
	e := &engine.Engine{Venue: gv, Policies: policies(t, ""), Claim: engine.ClaimPolicy{MinUSD: d("1")}}
	ctx := context.Background()
	read := func() *engine.Cycle {
		t.Helper()
		c, err := e.Read(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	// 0.002 ETH = 4 USD: below 10 × 0.50 USD.
	v.SetClaimable("ETH", d("0.002"))
	c := read()
	dec, err := e.PlanAutoClaim(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if dec.Claim || len(c.Steps) != 0 || !dec.GasUSD.Equal(d("0.5")) || !strings.Contains(dec.Reason, "below 10 × the claim's gas cost") {
		t.Fatalf("4 USD against 0.50 USD of gas: %+v, %d steps", dec, len(c.Steps))
	}

	// Gas free but below the absolute minimum.
	e.Claim.MinUSD = d("5")
	gv.usdPerGas = decimal.Zero
	e.Venue = gv
	if dec, _ := e.PlanAutoClaim(ctx, read()); dec.Claim || !strings.Contains(dec.Reason, "below the minimum") {
		t.Fatalf("4 USD, minimum 5: %+v", dec)
	}

	// 0.01 ETH = 20 USD ≥ 10 × 0.50: claimed once.
	gv.usdPerGas = d("0.000005")
	e.Venue = gv
	v.SetClaimable("ETH", d("0.01"))
	c = read()
	before := spotETH(c.Snap)
	dec, err = e.PlanAutoClaim(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if !dec.Claim || len(c.Steps) != 1 || c.Steps[0].Kind != hedge.StepClaim || !dec.ValueUSD.Equal(d("20")) {
		t.Fatalf("20 USD against 0.50 USD of gas: %+v, steps %+v", dec, c.Steps)
	}
	if _, err := e.Submit(ctx, c, engine.Hooks{}); err != nil {
		t.Fatal(err)
	}
	// The stale snapshot still lists the claimable: not claimed again.
	stale := &engine.Cycle{Snap: c.Snap}
	if dec, _ := e.PlanAutoClaim(ctx, stale); dec.Claim || !strings.Contains(dec.Reason, "has not landed") {
		t.Fatalf("claim repeated from the stale snapshot: %+v", dec)
	}
	c = read()
	if len(c.Snap.Claimables) != 0 && !engine.ClaimablesUSD(c.Snap).IsZero() {
		t.Fatalf("claimables after the claim: %+v", c.Snap.Claimables)
	}
	if got := spotETH(c.Snap).Sub(before); !got.Equal(d("0.01")) {
		t.Fatalf("spot rose by %s ETH, want 0.01", got)
	}
	if dec, _ := e.PlanAutoClaim(ctx, c); dec.Claim {
		t.Fatalf("claimed nothing again: %+v", dec)
	}
	if n := v.Submitted(); n != 1 {
		t.Fatalf("%d steps submitted, want the one claim", n)
	}

	// Off: never.
	v.SetClaimable("ETH", d("1"))
	e.Claim.Off = true
	if dec, _ := e.PlanAutoClaim(ctx, read()); dec.Claim {
		t.Fatalf("claimed with automatic claims off: %+v", dec)
	}
}
