package hedge

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// An order in flight holds its asset: planning from the position alone
// would send the same trade again (GMX's "zombie" orders).
func TestPendingOrderHoldsTheAsset(t *testing.T) {
	s := hold(hold(snap("100000", market("ETH", "2000"), market("BTC", "50000")), "ETH", "2"), "BTC", "0.1")
	s.Pending = []PendingOrder{{Ref: "0xabc", Market: "ETH", Asset: "ETH", SizeDelta: d("-2")}}
	p, err := tBuildPlan(s, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	eth := assetPlan(t, p, "ETH")
	if eth.Pending != 1 || !strings.Contains(eth.Note, "order 0xabc in flight") || eth.WithinBand {
		t.Errorf("ETH plan %+v", eth)
	}
	if got := kinds(p); got != "approve: deposit:BTC trade:BTC" {
		t.Errorf("steps %q: only BTC may trade", got)
	}
	if _, err := ClosePlan(s, DefaultPolicy(), []string{"ETH"}); err == nil || !strings.Contains(err.Error(), "in flight") {
		t.Errorf("close with an order in flight: %v", err)
	}
}

// A holding no market can carry is reported as unhedgeable and is not
// drift: the plan is "nothing to do", not "nothing can be done".
func TestUnhedgeableHoldingIsNotDrift(t *testing.T) {
	s := short(hold(hold(snap("0", market("ETH", "2000")), "ETH", "1"), "LDO", "100"), "ETH", "1", "2000", "2000")
	p, err := tBuildPlan(s, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	ldo := assetPlan(t, p, "LDO")
	if !ldo.Unhedgeable || !ldo.WithinBand || ldo.Note != "no market for LDO; not hedged" {
		t.Errorf("LDO plan %+v", ldo)
	}
	for _, a := range p.Assets {
		if !a.WithinBand {
			t.Errorf("%s out of band: %+v", a.Asset, a)
		}
	}
	// hedge_with a market that does not exist is unhedgeable too.
	pf := func(a string) Policy {
		pp := DefaultPolicy()
		if a == "LDO" {
			pp.HedgeWith, pp.Beta = "SOL", d("1")
		}
		return pp
	}
	s.Prices = map[string]FeedPrice{"LDO": {Price: d("1.5")}}
	p2, err := tbuildPlan(s, pf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l := assetPlan(t, p2, "LDO"); !l.Unhedgeable || !l.WithinBand {
		t.Errorf("LDO hedged with a missing market: %+v", l)
	}
}

// The bisection used for non-linear models finds what the closed form
// does, on the size grid.
func TestMaxAffordableMatchesClosedForm(t *testing.T) {
	for _, c := range []struct{ q, M, per, fee string }{
		{"0", "5000", "1100", "1"}, {"3", "2000", "1100", "1"}, {"10", "100", "1650", "1.5"},
		{"2", "0.5", "1000", "1"}, {"0", "0", "1000", "1"},
	} {
		q, M, per, fee := d(c.q), d(c.M), d(c.per), d(c.fee)
		want, wok := maxSupported(q, M, per, fee)
		got, gok := maxAffordable(q, M, decimal.Zero, func(x decimal.Decimal) decimal.Decimal {
			return x.Mul(per).Add(x.Sub(q).Abs().Mul(fee))
		})
		if wok != gok || (wok && !got.Equal(want.Truncate(SizeDecimals))) {
			t.Errorf("%+v: bisection %s %v, closed form %s %v", c, got, gok, want.Truncate(SizeDecimals), wok)
		}
	}
}

// A fixed fee per trade (GMX's execution fee in USD) is not linear: the
// planner sizes with the bisection and still never exceeds the cap.
func TestPlanWithFixedFeeModel(t *testing.T) {
	m := market("ETH", "2000")
	m.Cost = LinearCost{TakerFee: d("0.0005"), Fixed: d("5")}
	s := hold(snap("1000", m), "ETH", "10")
	p, err := tBuildPlan(s, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Orders) != 1 {
		t.Fatalf("orders %+v", p.Orders)
	}
	o := p.Orders[0]
	// 1000 USDC carries x with x·1100 + x·1 + 5 ≤ 1000: x = 0.90372388.
	eq(t, "size", o.SizeDelta, d("-0.90372388"))
	eq(t, "collateral", o.CollateralDelta, d("1000"))
}

func TestPositionOfNets(t *testing.T) {
	s := &Snapshot{Positions: []Position{
		{Key: "a", Asset: "ETH", Size: d("-1"), EntryPrice: d("2000"), Margin: d("100")},
		{Key: "b", Asset: "ETH", Size: d("-3"), EntryPrice: d("3000"), Margin: d("200")},
		{Key: "c", Asset: "BTC", Size: d("-1"), EntryPrice: d("50000")},
	}}
	p := s.PositionOf("ETH")
	eq(t, "size", p.Size, d("-4"))
	eq(t, "margin", p.Margin, d("300"))
	eq(t, "entry", p.EntryPrice, d("2750"))
	if !s.PositionOf("SOL").Size.IsZero() {
		t.Error("no SOL position")
	}
}

// Claimable funding in an asset is exposure: the short covers it. A
// claimable in the collateral is money, not exposure.
func TestClaimablesCountAsSpot(t *testing.T) {
	s := hold(snap("100000", market("ETH", "2000")), "ETH", "2")
	s.Claimables = []Claimable{{Market: "ETH", Token: "WETH", Asset: "ETH", Amount: d("0.5")},
		{Market: "ETH", Token: "USDC", Asset: "USD", Amount: d("100")}}
	p, err := tBuildPlan(s, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "ETH target", assetPlan(t, p, "ETH").TargetSize, d("2.5"))
}

// A market's minimum collateral is deposited even when leverage would
// need less.
func TestMinCollateral(t *testing.T) {
	m := market("ETH", "2000")
	m.Rules.MinCollateral = d("500")
	s := hold(snap("100000", m), "ETH", "0.1") // 0.1 × 1100 + fee needs ~110
	p, err := tBuildPlan(s, DefaultPolicy())
	if err != nil || len(p.Orders) != 1 {
		t.Fatal(p, err)
	}
	eq(t, "collateral", p.Orders[0].CollateralDelta, d("500"))
}

// Sizes land on a market's size step, and trades below its minimum size
// are skipped.
func TestSizeStepAndMinSize(t *testing.T) {
	m := market("ETH", "2000")
	m.Rules.SizeStep, m.Rules.MinSize = d("0.01"), d("0.05")
	p, err := tBuildPlan(hold(snap("100000", m), "ETH", "2.5678"), DefaultPolicy())
	if err != nil || len(p.Orders) != 1 {
		t.Fatal(p, err)
	}
	eq(t, "size", p.Orders[0].SizeDelta, d("-2.56"))
	// 0.04 to add (2.6 wanted, band 0.1%) is below the minimum: nothing.
	pol := DefaultPolicy()
	pol.Band = d("0.001")
	s := short(hold(snap("100000", m), "ETH", "2.6"), "ETH", "2.56", "2000", "3000")
	p, err = tBuildPlan(s, pol)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Orders) != 0 || !strings.Contains(assetPlan(t, p, "ETH").Note, "below minimum 0.05") {
		t.Fatalf("orders %+v note %q (%v)", p.Orders, assetPlan(t, p, "ETH").Note, err)
	}
}

// The entry-cost gate prices the missing short with the venue's cost model:
// a fixed fee that is small on a large trade passes, the same fee on a
// small one does not. Reducing stays allowed.
func TestEntryCostGate(t *testing.T) {
	withFixed := func(spot string) *Snapshot {
		s := hold(rsnap("100000", market("ETH", "2000")), "ETH", spot)
		return edit(s, "ETH", func(m *Market) { m.Cost = LinearCost{TakerFee: d("0.0005"), Fixed: d("5")} })
	}
	pol := pols(func(p *AssetPolicy) { p.MaxEntryCostBps = d("20") })
	// 10 ETH = 20000 USD: 5 bps fee + 2.5 bps fixed = 7.5 bps.
	p, alerts, err := tBuildRiskPlan(withFixed("10"), nil, pol, RiskState{})
	if err != nil || len(p.Orders) != 1 || len(alerts) != 0 {
		t.Fatalf("large open: %+v %q %v", p.Orders, alertKinds(alerts), err)
	}
	dec, err := EvaluateRisk(withFixed("10"), nil, pol, RiskState{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "entry cost", dec.Assets[0].EntryCostBps, d("7.5"))
	// 0.1 ETH = 200 USD: 5 bps + 250 bps fixed.
	p, alerts, err = tBuildRiskPlan(withFixed("0.1"), nil, pol, RiskState{})
	if err != nil || len(p.Orders) != 0 || alertKinds(alerts) != "entry-cost" {
		t.Fatalf("small open: %+v %q %v", p.Orders, alertKinds(alerts), err)
	}
	// Off by default.
	if p, _, err := tBuildRiskPlan(withFixed("0.1"), nil, pols(nil), RiskState{}); err != nil || len(p.Orders) != 1 {
		t.Fatalf("gate off: %+v %v", p, err)
	}
}
