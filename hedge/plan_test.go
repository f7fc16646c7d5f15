package hedge

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// market is an ETH-like market at price px with no basis.
func market(asset, px string) Market {
	return Market{Asset: asset, IndexPrice: d(px), MarkPrice: d(px), MaxLeverage: d("20"),
		MaintenanceMargin: d("0.01"), TakerFee: d("0.0005")}
}

// snap builds a snapshot with USDC collateral and the given markets.
func snap(collateral string, ms ...Market) *Snapshot {
	s := &Snapshot{Block: 7, Markets: map[string]Market{},
		Collateral: d(collateral), CollateralSymbol: "USDC", CollateralDecimals: 6}
	for _, m := range ms {
		s.Markets[m.Asset] = m
	}
	return s
}

func hold(s *Snapshot, asset, amount string) *Snapshot {
	s.Holdings = append(s.Holdings, Holding{Wallet: "0xabc", Asset: asset, Token: "native", Amount: d(amount)})
	return s
}

// short opens an existing short of size at entry with margin; upnl follows mark.
func short(s *Snapshot, asset, size, entry, margin string) *Snapshot {
	sz := d(size).Neg()
	setPos(s, asset, Position{Size: sz, EntryPrice: d(entry), Margin: d(margin),
		UnrealizedPnL: sz.Mul(s.Markets[asset].MarkPrice.Sub(d(entry)))})
	return s
}

// tplan is a plan with the steps an isolated-margin venue compiles from it
// (approve, deposit, trade, withdraw), against the snapshot's allowance,
// which these tests keep in Snapshot.Adapter.
type tplan struct {
	*Plan
	Actions []Step
}

func compiled(p *Plan, s *Snapshot) *tplan {
	if p == nil {
		return nil
	}
	return &tplan{Plan: p, Actions: IsolatedSteps(p.Orders, allowanceOf(s), "USDC")}
}

func allowanceOf(s *Snapshot) decimal.Decimal {
	if s == nil {
		return decimal.Zero
	}
	a, _ := s.Adapter.(decimal.Decimal)
	return a
}

// setPos replaces (or adds) the one position of asset.
func setPos(s *Snapshot, asset string, p Position) {
	p.Asset, p.Market, p.Key = asset, asset, asset
	for i := range s.Positions {
		if s.Positions[i].Asset == asset {
			s.Positions[i] = p
			return
		}
	}
	s.Positions = append(s.Positions, p)
}

func tBuildPlan(s *Snapshot, p Policy) (*tplan, error) {
	out, err := BuildPlan(s, p)
	return compiled(out, s), err
}

func tClosePlan(s *Snapshot, p Policy, assets []string) (*tplan, error) {
	out, err := ClosePlan(s, p, assets)
	return compiled(out, s), err
}

func tApplyRisk(s *Snapshot, pol Policies, dec RiskDecision) (*tplan, []Alert, error) {
	out, alerts, err := ApplyRisk(s, pol, dec)
	return compiled(out, s), alerts, err
}

func tBuildRiskPlan(s, prev *Snapshot, pol Policies, st RiskState) (*tplan, []Alert, error) {
	out, alerts, err := BuildRiskPlan(s, prev, pol, st)
	return compiled(out, s), alerts, err
}

func tbuildPlan(s *Snapshot, policyFor func(string) Policy, rules map[string]assetRule) (*tplan, error) {
	out, err := buildPlan(s, policyFor, rules)
	return compiled(out, s), err
}

func kinds(p *tplan) string {
	var ks []string
	for _, a := range p.Actions {
		ks = append(ks, string(a.Kind)+":"+a.Asset)
	}
	return strings.Join(ks, " ")
}

func assetPlan(t *testing.T, p *tplan, asset string) AssetPlan {
	t.Helper()
	for _, a := range p.Assets {
		if a.Asset == asset {
			return a
		}
	}
	t.Fatalf("no asset plan for %s", asset)
	return AssetPlan{}
}

func eq(t *testing.T, what string, got, want decimal.Decimal) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func TestBuildPlan(t *testing.T) {
	pol := DefaultPolicy()
	withRatio := func(r string) Policy { p := pol; p.HedgeRatio = d(r); return p }
	cases := []struct {
		name  string
		s     *Snapshot
		p     Policy
		kinds string
		check func(t *testing.T, p *tplan, after *Snapshot)
	}{
		{name: "zero balances", s: snap("0", market("ETH", "2000")), p: pol, kinds: "",
			check: func(t *testing.T, p *tplan, _ *Snapshot) {
				if a := assetPlan(t, p, "ETH"); !a.WithinBand || !a.Drift.IsZero() {
					t.Errorf("want within band with zero drift, got %+v", a)
				}
			}},
		{name: "drift inside band", s: short(hold(snap("0", market("ETH", "2000")), "ETH", "10"), "ETH", "9.7", "2000", "19400"),
			p: pol, kinds: "",
			check: func(t *testing.T, p *tplan, _ *Snapshot) {
				a := assetPlan(t, p, "ETH")
				eq(t, "drift", a.Drift, d("-0.03"))
				if !a.WithinBand {
					t.Error("want within band")
				}
			}},
		{name: "ratio 1 opens the hedge", s: hold(snap("10000", market("ETH", "2000")), "ETH", "2.5"), p: pol,
			kinds: "approve: deposit:ETH trade:ETH",
			check: func(t *testing.T, p *tplan, after *Snapshot) {
				// 2.5 × 2000 / 2 × 1.1 + fee 2.5 × 2000 × 0.0005
				eq(t, "approve", p.Actions[0].Amount, d("2752.5"))
				eq(t, "deposit", p.Actions[1].Amount, d("2752.5"))
				tr := p.Actions[2]
				eq(t, "size delta", tr.SizeDelta, d("-2.5"))
				eq(t, "acceptable", tr.AcceptablePrice, d("1990"))
				if tr.Reason != "open short 2.5 ETH (target 2.5, drift −100.0%)" {
					t.Errorf("reason %q", tr.Reason)
				}
				eq(t, "short after", after.PositionOf("ETH").Size, d("-2.5"))
			}},
		{name: "ratio 0 closes an open short", s: short(hold(snap("0", market("ETH", "2000")), "ETH", "3"), "ETH", "3", "2000", "3000"),
			p: withRatio("0"), kinds: "trade:ETH",
			check: func(t *testing.T, p *tplan, after *Snapshot) {
				eq(t, "size delta", p.Actions[0].SizeDelta, d("3"))
				eq(t, "acceptable", p.Actions[0].AcceptablePrice, d("2010"))
				eq(t, "short after", after.PositionOf("ETH").Size, decimal.Zero)
			}},
		{name: "half ratio", s: hold(snap("10000", market("ETH", "2000")), "ETH", "3"), p: withRatio("0.5"),
			kinds: "approve: deposit:ETH trade:ETH",
			check: func(t *testing.T, p *tplan, _ *Snapshot) { eq(t, "size delta", p.Actions[2].SizeDelta, d("-1.5")) }},
		{name: "leverage cap binds", s: func() *Snapshot {
			s := hold(snap("5000", market("ETH", "2000")), "ETH", "10")
			m := s.Markets["ETH"]
			m.TakerFee = decimal.Zero
			s.Markets["ETH"] = m
			s.Adapter = d("1000000")
			return s
		}(), p: pol, kinds: "deposit:ETH trade:ETH",
			check: func(t *testing.T, p *tplan, after *Snapshot) {
				// 5000 USDC carries 5000 / (2000 / 2 × 1.1) ETH
				eq(t, "deposit", p.Actions[0].Amount, d("5000"))
				eq(t, "size delta", p.Actions[1].SizeDelta, d("-4.54545454"))
				want := "leverage cap binds: short limited to 4.54545454 (need 6000 more USDC)"
				if n := assetPlan(t, p, "ETH").Note; n != want {
					t.Errorf("note %q, want %q", n, want)
				}
				eq(t, "shortfall", assetPlan(t, p, "ETH").Shortfall, d("6000"))
				if l := leverage(after, "ETH"); l.GreaterThan(d("2")) {
					t.Errorf("leverage after %s above cap", l)
				}
			}},
		{name: "venue cap below policy cap", s: func() *Snapshot {
			s := hold(snap("1000", market("ETH", "2000")), "ETH", "10")
			m := s.Markets["ETH"]
			m.MaxLeverage = d("1")
			s.Markets["ETH"] = m
			return s
		}(), p: func() Policy { p := pol; p.MaxLeverage = d("5"); return p }(), kinds: "approve: deposit:ETH trade:ETH",
			check: func(t *testing.T, p *tplan, after *Snapshot) {
				if l := leverage(after, "ETH"); l.GreaterThan(d("1")) {
					t.Errorf("leverage after %s above venue cap 1", l)
				}
			}},
		{name: "price fall with no basis keeps the size", s: short(hold(snap("0", market("ETH", "1400")), "ETH", "10"), "ETH", "10", "2000", "10000"),
			p: pol, kinds: ""},
		{name: "mark at a discount raises the target", s: func() *Snapshot {
			s := short(hold(snap("100000", market("ETH", "2000")), "ETH", "10"), "ETH", "10", "2000", "20000")
			m := s.Markets["ETH"]
			m.MarkPrice = d("1800")
			s.Markets["ETH"] = m
			return short(s, "ETH", "10", "2000", "20000")
		}(), p: pol, kinds: "trade:ETH",
			check: func(t *testing.T, p *tplan, _ *Snapshot) {
				// target 10 × 2000 / 1800 = 11.11111111; equity 22000 covers it
				eq(t, "size delta", p.Actions[0].SizeDelta, d("-1.11111111"))
			}},
		{name: "spot sold: short too big is reduced", s: short(hold(snap("0", market("ETH", "2000")), "ETH", "6"), "ETH", "10", "2000", "10000"),
			p: pol, kinds: "trade:ETH",
			check: func(t *testing.T, p *tplan, after *Snapshot) {
				eq(t, "size delta", p.Actions[0].SizeDelta, d("4"))
				if !strings.HasPrefix(p.Actions[0].Reason, "reduce short 4 ETH") {
					t.Errorf("reason %q", p.Actions[0].Reason)
				}
				if !after.Collateral.IsZero() {
					t.Error("reduce must not withdraw")
				}
			}},
		{name: "existing over-hedge is reduced", s: short(hold(snap("500", market("ETH", "2000")), "ETH", "10"), "ETH", "12", "2000", "24000"),
			p: pol, kinds: "trade:ETH",
			check: func(t *testing.T, p *tplan, _ *Snapshot) { eq(t, "size delta", p.Actions[0].SizeDelta, d("2")) }},
		{name: "spot bought: short too small is increased", s: short(hold(snap("20000", market("ETH", "2000")), "ETH", "15"), "ETH", "10", "2000", "10000"),
			p: pol, kinds: "approve: deposit:ETH trade:ETH",
			check: func(t *testing.T, p *tplan, _ *Snapshot) {
				// 15 × 1100 + 5 × 2000 × 0.0005 − 10000
				eq(t, "deposit", p.Actions[1].Amount, d("6505"))
				if !strings.HasPrefix(p.Actions[2].Reason, "increase short 5 ETH") {
					t.Errorf("reason %q", p.Actions[2].Reason)
				}
			}},
		{name: "rally above cap tops up margin", s: short(hold(snap("20000", market("ETH", "3000")), "ETH", "10"), "ETH", "10", "2000", "10000"),
			p: pol, kinds: "approve: deposit:ETH",
			check: func(t *testing.T, p *tplan, after *Snapshot) {
				// equity 10000 − 10000 = 0; need 10 × 3000 / 2 × 1.1
				eq(t, "deposit", p.Actions[1].Amount, d("16500"))
				if !strings.Contains(assetPlan(t, p, "ETH").Note, "margin top-up") {
					t.Errorf("note %q", assetPlan(t, p, "ETH").Note)
				}
				if l := leverage(after, "ETH"); l.GreaterThan(d("2")) {
					t.Errorf("leverage after %s", l)
				}
			}},
		{name: "rally above cap without collateral reduces", s: short(hold(snap("0", market("ETH", "3000")), "ETH", "10"), "ETH", "10", "2500", "15000"),
			p: pol, kinds: "trade:ETH",
			check: func(t *testing.T, p *tplan, after *Snapshot) {
				if !p.Actions[0].SizeDelta.IsPositive() {
					t.Errorf("want a buy, got %s", p.Actions[0].SizeDelta)
				}
				if l := leverage(after, "ETH"); l.GreaterThan(d("2")) {
					t.Errorf("leverage after %s", l)
				}
			}},
		{name: "paused market", s: func() *Snapshot {
			s := hold(snap("10000", market("ETH", "2000")), "ETH", "10")
			m := s.Markets["ETH"]
			m.Paused = true
			s.Markets["ETH"] = m
			return s
		}(), p: pol, kinds: "",
			check: func(t *testing.T, p *tplan, _ *Snapshot) {
				if n := assetPlan(t, p, "ETH").Note; n != "market paused; not trading" {
					t.Errorf("note %q", n)
				}
			}},
		{name: "approval is the total and comes first", s: func() *Snapshot {
			s := hold(hold(snap("100000", market("ETH", "2000"), market("BTC", "50000")), "ETH", "1"), "BTC", "0.1")
			s.Adapter = d("1000")
			return s
		}(), p: pol, kinds: "approve: deposit:BTC trade:BTC deposit:ETH trade:ETH",
			check: func(t *testing.T, p *tplan, _ *Snapshot) {
				total := p.Actions[1].Amount.Add(p.Actions[3].Amount)
				eq(t, "approve", p.Actions[0].Amount, total)
			}},
		{name: "allowance already enough", s: func() *Snapshot {
			s := hold(snap("100000", market("ETH", "2000")), "ETH", "1")
			s.Adapter = d("5000")
			return s
		}(), p: pol, kinds: "deposit:ETH trade:ETH"},
		{name: "long position is flipped", s: func() *Snapshot {
			s := hold(snap("10000", market("ETH", "2000")), "ETH", "3")
			setPos(s, "ETH", Position{Size: d("2"), EntryPrice: d("2000"), Margin: d("2000")})
			return s
		}(), p: pol, kinds: "approve: deposit:ETH trade:ETH",
			check: func(t *testing.T, p *tplan, after *Snapshot) {
				// 3 × 1100 + 5 × 2000 × 0.0005 − 2000
				eq(t, "deposit", p.Actions[1].Amount, d("1305"))
				eq(t, "size delta", p.Actions[2].SizeDelta, d("-5"))
				if !strings.HasPrefix(p.Actions[2].Reason, "close long 2 ETH and open short 3 ETH") {
					t.Errorf("reason %q", p.Actions[2].Reason)
				}
				eq(t, "size after", after.PositionOf("ETH").Size, d("-3"))
			}},
		{name: "held asset without a market", s: hold(snap("1000", market("ETH", "2000")), "BTC", "1"), p: pol, kinds: "",
			check: func(t *testing.T, p *tplan, _ *Snapshot) {
				a := assetPlan(t, p, "BTC")
				if a.Note != "no market for BTC; not hedged" || !a.SpotAmount.Equal(d("1")) {
					t.Errorf("got %+v", a)
				}
			}},
		{name: "target below size precision is dust", s: hold(snap("1000", market("ETH", "2000")), "ETH", "0.000000001"), p: pol, kinds: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := tBuildPlan(c.s, c.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := kinds(p); got != c.kinds {
				t.Fatalf("actions %q, want %q\n%s", got, c.kinds, dump(p))
			}
			after := apply(t, c.s, p)
			if c.check != nil {
				c.check(t, p, after)
			}
			again, err := tBuildPlan(after, c.p)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Actions) != 0 {
				t.Errorf("second plan not empty:\n%s", dump(again))
			}
		})
	}
}

func TestBuildPlanErrors(t *testing.T) {
	bad := DefaultPolicy()
	bad.HedgeRatio = d("1.5")
	zeroMark := snap("0", market("ETH", "2000"))
	m := zeroMark.Markets["ETH"]
	m.MarkPrice = decimal.Zero
	zeroMark.Markets["ETH"] = m
	cases := []struct {
		name string
		s    *Snapshot
		p    Policy
		want string
	}{
		{"nil snapshot", nil, DefaultPolicy(), "no snapshot"},
		{"bad policy", snap("0"), bad, "hedge ratio 1.5 is outside 0..1"},
		{"zero mark", zeroMark, DefaultPolicy(), "market ETH: non-positive price"},
		{"negative holding", hold(snap("0"), "ETH", "-1"), DefaultPolicy(), "negative amount"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range []func() error{
				func() error { _, err := tBuildPlan(c.s, c.p); return err },
				func() error { _, err := tClosePlan(c.s, c.p, nil); return err },
				func() error { _, err := Assess(c.s, c.p); return err },
			} {
				if err := f(); err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("err %v, want %q", err, c.want)
				}
			}
		})
	}
}

func TestClosePlan(t *testing.T) {
	base := func() *Snapshot {
		s := snap("0", market("ETH", "2000"), market("BTC", "50000"), market("SOL", "100"))
		short(s, "ETH", "2", "2000", "4000")
		setPos(s, "BTC", Position{Size: d("0.1"), EntryPrice: d("50000"), Margin: d("2500")})
		setPos(s, "SOL", Position{Margin: d("5")}) // margin left after an earlier close
		return s
	}
	t.Run("all", func(t *testing.T) {
		s := base()
		p, err := tClosePlan(s, DefaultPolicy(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := kinds(p), "trade:BTC trade:ETH withdraw:BTC withdraw:ETH withdraw:SOL"; got != want {
			t.Fatalf("actions %q, want %q", got, want)
		}
		eq(t, "BTC delta", p.Actions[0].SizeDelta, d("-0.1"))
		eq(t, "BTC price", p.Actions[0].AcceptablePrice, d("49750"))
		eq(t, "ETH delta", p.Actions[1].SizeDelta, d("2"))
		eq(t, "ETH price", p.Actions[1].AcceptablePrice, d("2010"))
		for _, a := range p.Actions[2:] {
			if !a.All {
				t.Errorf("withdraw %s without All", a.Asset)
			}
		}
		after := apply(t, s, p)
		for _, pos := range after.Positions {
			a := pos.Asset
			if !pos.Size.IsZero() || !pos.Margin.IsZero() {
				t.Errorf("%s left open: %+v", a, pos)
			}
		}
		// 4000 + 2500 + 5 minus fees of 2 and 2.5
		eq(t, "collateral", after.Collateral, d("6500.5"))
	})
	t.Run("selected", func(t *testing.T) {
		p, err := tClosePlan(base(), DefaultPolicy(), []string{"ETH"})
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(p); got != "trade:ETH withdraw:ETH" {
			t.Errorf("actions %q", got)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		_, err := tClosePlan(base(), DefaultPolicy(), []string{"DOGE"})
		if err == nil || err.Error() != `unknown market "DOGE"` {
			t.Errorf("err %v", err)
		}
	})
	t.Run("paused", func(t *testing.T) {
		s := base()
		m := s.Markets["ETH"]
		m.Paused = true
		s.Markets["ETH"] = m
		_, err := tClosePlan(s, DefaultPolicy(), []string{"ETH"})
		if err == nil || err.Error() != "market ETH is paused; cannot close" {
			t.Errorf("err %v", err)
		}
	})
}

// TestPlanIdempotent applies each plan on a paper venue and plans again: the
// second plan must be empty, and the state must respect the policy.
func TestPlanIdempotent(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	dec := func(max int64, places int32) decimal.Decimal {
		return decimal.New(rng.Int63n(max+1), -places)
	}
	pick := func(xs ...string) decimal.Decimal { return d(xs[rng.Intn(len(xs))]) }
	prices := map[string]string{"ETH": "3000", "BTC": "60000", "SOL": "150", "DOGE": "0.12"}
	for i := 0; i < 3000; i++ {
		p := Policy{HedgeRatio: pick("0", "0.5", "1", "0.73"), Band: pick("0.01", "0.05", "0.2"),
			MaxLeverage: pick("1", "2", "5", "20"), MaxSlippage: d("0.005"), MarginBuffer: pick("0", "0.1", "0.5")}
		s := snap("0")
		s.CollateralDecimals = int32(rng.Intn(7))
		for asset, px := range prices {
			if rng.Intn(4) == 0 {
				continue
			}
			index := d(px).Mul(decimal.NewFromInt(50 + rng.Int63n(100))).Div(decimal.NewFromInt(100))
			mark := index.Mul(decimal.NewFromInt(9900 + rng.Int63n(201))).Div(decimal.NewFromInt(10000))
			m := Market{Asset: asset, IndexPrice: index, MarkPrice: mark, MaxLeverage: pick("0", "1", "3", "50"),
				MaintenanceMargin: d("0.01"), TakerFee: pick("0", "0.0005", "0.001"), Paused: rng.Intn(10) == 0}
			s.Markets[asset] = m
			units := decimal.NewFromInt(100000).DivRound(d(px), 8) // about $100k of spot at most
			spot := units.Mul(dec(1000, 3)).Truncate(9)
			if rng.Intn(5) > 0 {
				hold(s, asset, spot.String())
			}
			if rng.Intn(2) == 0 {
				size := spot.Mul(dec(2000, 3)).Truncate(9).Neg() // up to 2× spot short
				if rng.Intn(5) == 0 {
					size = size.Neg() // long
				}
				entry := mark.Mul(decimal.NewFromInt(70 + rng.Int63n(61))).Div(decimal.NewFromInt(100))
				margin := size.Abs().Mul(entry).Mul(dec(1500, 3))
				setPos(s, asset, Position{Size: size, EntryPrice: entry, Margin: margin,
					AccruedFunding: dec(2000, 2).Sub(d("10")), UnrealizedPnL: size.Mul(mark.Sub(entry))})
			}
		}
		if rng.Intn(4) > 0 {
			s.Collateral = dec(200000_00000000, 8)
		}
		if rng.Intn(3) == 0 {
			s.Adapter = dec(100000, 0)
		}
		if rng.Intn(10) == 0 {
			hold(s, "XYZ", "5")
		}

		plan, err := tBuildPlan(s, p)
		if err != nil {
			t.Fatalf("scenario %d: %v", i, err)
		}
		checkPlanInvariants(t, fmt.Sprintf("scenario %d", i), s, p, plan)
	}
}

// checkPlanInvariants applies plan to s on the paper venue and checks what
// must hold after any plan: deposits within collateral, no short above
// h·E/mark·(1+band), no leverage above the cap, and an empty second plan.
func checkPlanInvariants(t *testing.T, name string, s *Snapshot, p Policy, plan *tplan) {
	t.Helper()
	after := apply(t, s, plan)
	deposits := decimal.Zero
	for _, a := range plan.Actions {
		if a.Amount.IsNegative() {
			t.Fatalf("%s: negative amount in %+v", name, a)
		}
		if a.Kind == StepDeposit {
			deposits = deposits.Add(a.Amount)
		}
	}
	if deposits.GreaterThan(s.Collateral) {
		t.Fatalf("%s: deposits %s exceed collateral %s", name, deposits, s.Collateral)
	}
	for asset, m := range after.Markets {
		if m.Paused {
			continue
		}
		ap := assetPlan(t, plan, asset)
		q := after.PositionOf(asset).Size.Neg()
		ceiling := p.HedgeRatio.Mul(ap.Exposure).DivRound(m.MarkPrice, 18).Mul(one.Add(p.Band)).Add(sizeUnit)
		if q.GreaterThan(ceiling) {
			t.Fatalf("%s %s: short %s above %s\n%s", name, asset, q, ceiling, dump(plan))
		}
		if q.GreaterThan(sizeUnit) {
			capL := p.MaxLeverage
			if m.MaxLeverage.IsPositive() && m.MaxLeverage.LessThan(capL) {
				capL = m.MaxLeverage
			}
			// one size unit of slack: a one-unit trade is skipped as rounding noise
			excess := q.Sub(sizeUnit).Mul(m.MarkPrice).Sub(capL.Mul(after.PositionOf(asset).Equity()))
			if excess.IsPositive() {
				t.Fatalf("%s %s: leverage %s above cap %s\nbefore %+v\n%s", name, asset,
					leverage(after, asset), capL, s.PositionOf(asset), dump(plan))
			}
		}
	}
	again, err := tBuildPlan(after, p)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(again.Actions) != 0 {
		t.Fatalf("%s: second plan not empty\nfirst:\n%s\nsecond:\n%s", name, dump(plan), dump(again))
	}
}

func leverage(s *Snapshot, asset string) decimal.Decimal {
	pos := s.PositionOf(asset)
	if !pos.Equity().IsPositive() {
		return d("999999")
	}
	return pos.Size.Abs().Mul(s.Markets[asset].MarkPrice).DivRound(pos.Equity(), 18)
}

func dump(p *tplan) string {
	var b strings.Builder
	for _, a := range p.Assets {
		fmt.Fprintf(&b, "  %s cur=%s tgt=%s drift=%s band=%v note=%q\n", a.Asset, a.CurrentSize, a.TargetSize, a.Drift, a.WithinBand, a.Note)
	}
	for _, a := range p.Actions {
		fmt.Fprintf(&b, "  %s %s amt=%s delta=%s px=%s %s\n", a.Kind, a.Asset, a.Amount, a.SizeDelta, a.AcceptablePrice, a.Reason)
	}
	return b.String()
}

// apply runs a plan on a paper venue: fills at mark, takes the taker fee from
// margin, realizes PnL on reductions and moves collateral. It returns a copy.
func apply(t *testing.T, s *Snapshot, p *tplan) *Snapshot {
	t.Helper()
	out := *s
	out.Markets = map[string]Market{}
	for k, v := range s.Markets {
		out.Markets[k] = v
	}
	out.Positions = append([]Position(nil), s.Positions...)
	for _, a := range p.Actions {
		pos, m := out.PositionOf(a.Asset), out.Markets[a.Asset]
		switch a.Kind {
		case StepApprove:
			out.Adapter = a.Amount
		case StepDeposit:
			if a.Amount.GreaterThan(out.Collateral) || a.Amount.GreaterThan(allowanceOf(&out)) {
				t.Fatalf("deposit %s with collateral %s allowance %s", a.Amount, out.Collateral, allowanceOf(&out))
			}
			if !a.Amount.Equal(a.Amount.RoundFloor(out.CollateralDecimals)) {
				t.Fatalf("deposit %s has more than %d decimals", a.Amount, out.CollateralDecimals)
			}
			out.Collateral = out.Collateral.Sub(a.Amount)
			out.Adapter = allowanceOf(&out).Sub(a.Amount)
			pos.Margin = pos.Margin.Add(a.Amount)
		case StepWithdraw:
			if !pos.Size.IsZero() {
				t.Fatalf("withdraw all from open %s position", a.Asset)
			}
			out.Collateral = out.Collateral.Add(pos.Equity())
			pos = Position{}
		case StepTrade:
			px := m.MarkPrice
			if m.Paused {
				t.Fatalf("trade on paused %s", a.Asset)
			}
			if (a.SizeDelta.IsNegative() && px.LessThan(a.AcceptablePrice)) || (a.SizeDelta.IsPositive() && px.GreaterThan(a.AcceptablePrice)) {
				t.Fatalf("mark %s outside acceptable %s", px, a.AcceptablePrice)
			}
			if !a.SizeDelta.Equal(a.SizeDelta.Truncate(SizeDecimals)) && !pos.Size.Add(a.SizeDelta).IsZero() {
				t.Fatalf("size delta %s has more than %d decimals", a.SizeDelta, SizeDecimals)
			}
			pos.Margin = pos.Margin.Sub(a.SizeDelta.Abs().Mul(px).Mul(m.TakerFee))
			old, next := pos.Size, pos.Size.Add(a.SizeDelta)
			switch {
			case old.IsZero() || old.Sign() == a.SizeDelta.Sign():
				pos.EntryPrice = old.Abs().Mul(pos.EntryPrice).Add(a.SizeDelta.Abs().Mul(px)).DivRound(next.Abs(), 30)
			default:
				closed := decimal.Min(old.Abs(), a.SizeDelta.Abs())
				pnl := closed.Mul(px.Sub(pos.EntryPrice))
				if old.IsNegative() {
					pnl = pnl.Neg()
				}
				pos.Margin = pos.Margin.Add(pnl)
				if next.IsZero() {
					pos.EntryPrice = decimal.Zero
				} else if next.Sign() != old.Sign() {
					pos.EntryPrice = px
				}
			}
			pos.Size = next
			pos.UnrealizedPnL = next.Mul(px.Sub(pos.EntryPrice))
			if next.IsZero() {
				pos.Margin = pos.Margin.Add(pos.AccruedFunding) // closing settles funding
				pos.AccruedFunding = decimal.Zero
			}
		}
		if a.Asset != "" {
			setPos(&out, a.Asset, pos)
		}
	}
	return &out
}

func crossPolicies(t *testing.T, text string) func(string) Policy {
	t.Helper()
	ps, err := ParsePolicies(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return func(a string) Policy { return ps.For(a).Policy() }
}

// TestCrossAssetPlan: LDO has no market; hedged with ETH and a beta, its
// exposure × beta / mark adds to the ETH short's target.
func TestCrossAssetPlan(t *testing.T) {
	base := func() *Snapshot {
		s := hold(hold(snap("100000", market("ETH", "2000")), "ETH", "2"), "LDO", "1000")
		s.Prices = map[string]FeedPrice{"LDO": {Price: d("1.5")}}
		return s
	}
	given := crossPolicies(t, "[LDO]\nhedge_with = eth\nbeta = 1.2\n")
	plan, err := tbuildPlan(base(), given, nil)
	if err != nil {
		t.Fatal(err)
	}
	eth, ldo := assetPlan(t, plan, "ETH"), assetPlan(t, plan, "LDO")
	// (2 × 2000 + 1.2 × 1000 × 1.5) / 2000 = 2.9
	eq(t, "ETH target", eth.TargetSize, d("2.9"))
	if eth.CrossTargetSize == nil || !eth.CrossTargetSize.Equal(d("0.9")) {
		t.Fatalf("ETH cross target %v, want 0.9", eth.CrossTargetSize)
	}
	eq(t, "LDO exposure", ldo.Exposure, d("1500"))
	if ldo.HedgedVia != "ETH" || ldo.Beta == nil || !ldo.Beta.Equal(d("1.2")) || ldo.Warning != CrossHedgeWarning ||
		!strings.Contains(ldo.Note, "hedged on the ETH short with beta 1.2000") {
		t.Fatalf("LDO plan %+v", ldo)
	}
	if kinds(plan) != "approve: deposit:ETH trade:ETH" || !plan.Actions[2].SizeDelta.Equal(d("-2.9")) {
		t.Fatalf("actions %s %+v", kinds(plan), plan.Actions)
	}

	// beta = auto without an estimate: LDO is not hedged, ETH alone is.
	auto := crossPolicies(t, "[LDO]\nhedge_with = ETH\nbeta = auto\n")
	plan, err = tbuildPlan(base(), auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "ETH target without estimate", assetPlan(t, plan, "ETH").TargetSize, d("2"))
	if n := assetPlan(t, plan, "LDO").Note; !strings.Contains(n, "no estimate") {
		t.Fatalf("LDO note %q", n)
	}
	// ... and the ETH market holds rather than trade without LDO's part.
	if n := assetPlan(t, plan, "ETH").Note; len(plan.Actions) != 0 || !strings.Contains(n, "not trading ETH") {
		t.Fatalf("ETH without LDO's beta: note %q, actions %s", n, kinds(plan))
	}
	// With an estimate in the snapshot it is used, and its window and
	// residual volatility are reported.
	s := base()
	s.Betas = map[string]BetaEstimate{"LDO": {Beta: d("0.8"), ResidualVol: d("0.4"), Samples: 30}}
	plan, err = tbuildPlan(s, auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "ETH target with auto beta", assetPlan(t, plan, "ETH").TargetSize, d("2.6"))
	if l := assetPlan(t, plan, "LDO"); l.ResidualVol == nil || !l.ResidualVol.Equal(d("0.4")) || l.BetaWindow == "" {
		t.Fatalf("LDO plan %+v", l)
	}

	// An estimate out of 0..10 is unusable like a missing one: ETH holds.
	wild := base()
	wild.Betas = map[string]BetaEstimate{"LDO": {Beta: d("12"), Samples: 30}}
	plan, err = tbuildPlan(wild, auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := assetPlan(t, plan, "ETH").Note; len(plan.Actions) != 0 || !strings.Contains(n, "not trading ETH") {
		t.Fatalf("ETH with LDO's beta 12: note %q, actions %s", n, kinds(plan))
	}

	// A funding close on ETH (ratio 0) closes the cross part too.
	closing := func(a string) Policy {
		p := given(a)
		if a == "ETH" {
			p.HedgeRatio = decimal.Zero
		}
		return p
	}
	plan, err = tbuildPlan(short(base(), "ETH", "2.9", "2000", "3200"), closing, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "ETH target at ratio 0", assetPlan(t, plan, "ETH").TargetSize, decimal.Zero)

	// A hedge market that does not exist, a missing price, and a zero LDO
	// balance (not listed at all).
	plan, err = tbuildPlan(base(), crossPolicies(t, "[LDO]\nhedge_with = SOL\nbeta = 1\n"), nil)
	if err != nil || !strings.Contains(assetPlan(t, plan, "LDO").Note, "no such market") {
		t.Fatalf("hedge_with SOL: %v", err)
	}
	noPrice := base()
	noPrice.Prices = nil
	if _, err := tbuildPlan(noPrice, given, nil); err == nil || !strings.Contains(err.Error(), "LDO") {
		t.Fatalf("no LDO price: %v", err)
	}
	zero := hold(snap("100000", market("ETH", "2000")), "LDO", "0")
	plan, err = tbuildPlan(zero, given, nil)
	if err != nil || len(plan.Assets) != 1 {
		t.Fatalf("zero LDO: %v %+v", err, plan)
	}
	// The single-policy planner (no hedge_with) ignores LDO as before.
	plan, err = tBuildPlan(base(), DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "ETH target, no cross policy", assetPlan(t, plan, "ETH").TargetSize, d("2"))
}
