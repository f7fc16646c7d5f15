package hedge

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// rsnap is snap with a fresh oracle and a clock, as the adapter fills them.
func rsnap(collateral string, ms ...Market) *Snapshot {
	s := snap(collateral, ms...)
	s.Time = t0
	s.Adapter = d("1000000")
	for a, m := range s.Markets {
		m.OracleUpdatedAt = t0.Add(-30 * time.Second)
		s.Markets[a] = m
	}
	return s
}

func edit(s *Snapshot, asset string, f func(*Market)) *Snapshot {
	m := s.Markets[asset]
	f(&m)
	s.Markets[asset] = m
	return s
}

// aprPerDay turns a yearly funding rate into the venue's daily rate.
func aprPerDay(apr string) decimal.Decimal { return d(apr).DivRound(d("365"), 30) }

func pols(f func(*AssetPolicy)) Policies {
	p := DefaultAssetPolicy()
	p.Cooldown = 0
	if f != nil {
		f(&p)
	}
	return Policies{Default: p}
}

func alertKinds(as []Alert) string {
	var ks []string
	for _, a := range as {
		ks = append(ks, string(a.Kind))
	}
	return strings.Join(ks, " ")
}

func riskOf(t *testing.T, dec RiskDecision, asset string) AssetRisk {
	t.Helper()
	for _, r := range dec.Assets {
		if r.Asset == asset {
			return r
		}
	}
	t.Fatalf("no risk for %s", asset)
	return AssetRisk{}
}

// hedged is 10 ETH of spot fully hedged at 2× with funding at apr.
func hedged(apr string) *Snapshot {
	s := short(hold(rsnap("0", market("ETH", "2000")), "ETH", "10"), "ETH", "10", "2000", "10000")
	return edit(s, "ETH", func(m *Market) { m.FundingRatePerDay = aprPerDay(apr) })
}

func TestFundingBudget(t *testing.T) {
	cases := []struct {
		action, apr string
		kinds       string
		delta       string // trade size delta, "" = no trade
		ratio       string
		reduced     bool
	}{
		{FundingAlert, "-0.30", "funding", "", "1", false},
		{FundingReduce, "-0.30", "funding", "5", "0.5", true},
		{FundingClose, "-0.30", "funding", "10", "0", true},
		// Within budget, and positive funding (the short earns): nothing.
		{FundingReduce, "-0.19", "", "", "1", false},
		{FundingClose, "0.30", "", "", "1", false},
	}
	for _, c := range cases {
		t.Run(c.action+c.apr, func(t *testing.T) {
			pol := pols(func(p *AssetPolicy) { p.FundingAction = c.action })
			s := hedged(c.apr)
			dec, err := EvaluateRisk(s, nil, pol, RiskState{})
			if err != nil {
				t.Fatal(err)
			}
			r := riskOf(t, dec, "ETH")
			eq(t, "ratio", r.HedgeRatio, d(c.ratio))
			if r.ReducedForFunding != c.reduced || dec.Next.Assets["ETH"].ReducedForFunding != c.reduced {
				t.Errorf("reduced %v / next %v, want %v", r.ReducedForFunding, dec.Next.Assets["ETH"].ReducedForFunding, c.reduced)
			}
			// Shown from the user's side: −30% APR on a 20000 short is −6000 a year.
			eq(t, "funding APR", r.FundingAPR.Round(10), d(c.apr))
			eq(t, "per year", r.FundingPerYearUSD.Round(6), d(c.apr).Mul(d("20000")))
			p, alerts, err := tApplyRisk(s, pol, dec)
			if err != nil {
				t.Fatal(err)
			}
			if got := alertKinds(alerts); got != c.kinds {
				t.Errorf("alerts %q, want %q", got, c.kinds)
			}
			if c.kinds != "" && !strings.Contains(alerts[0].Message, "costs the short 30.0% a year") {
				t.Errorf("message %q", alerts[0].Message)
			}
			switch {
			case c.delta == "" && len(p.Actions) != 0:
				t.Fatalf("want no actions:\n%s", dump(p))
			case c.delta != "":
				if kinds(p) != "trade:ETH" {
					t.Fatalf("actions %q:\n%s", kinds(p), dump(p))
				}
				eq(t, "delta", p.Actions[0].SizeDelta, d(c.delta))
			}
		})
	}
}

// TestFundingHysteresis walks a rate through budget, hover and resume
// zones, carrying state and position from cycle to cycle.
func TestFundingHysteresis(t *testing.T) {
	pol := pols(func(p *AssetPolicy) { p.FundingAction = FundingReduce }) // budget 20%, resume 5%
	s := hedged("0.10")
	s.Collateral = d("100000") // enough to re-hedge on resume
	st := RiskState{}
	steps := []struct {
		apr      string
		restart  bool // lose the state first
		wantSize string
	}{
		{"0.10", false, "-10"},
		{"-0.15", false, "-10"}, // costly but within budget: keep
		{"-0.25", false, "-5"},  // past budget: reduce
		{"-0.10", false, "-5"},  // hovering: stay reduced
		{"-0.06", true, "-5"},   // restart while hovering: derived from the position, no flap
		{"-0.19", false, "-5"},
		{"-0.04", false, "-10"}, // above −5%: resume
		{"-0.10", false, "-10"}, // hovering again: stay at the full hedge
		{"-0.10", true, "-10"},
	}
	for i, c := range steps {
		s = edit(s, "ETH", func(m *Market) { m.FundingRatePerDay = aprPerDay(c.apr) })
		if c.restart {
			st = RiskState{}
		}
		before := maps.Clone(st.Assets)
		dec, err := EvaluateRisk(s, nil, pol, st)
		if err != nil {
			t.Fatal(err)
		}
		// Next may share st's map, but never by writing st's.
		if !maps.Equal(before, st.Assets) {
			t.Fatalf("step %d: EvaluateRisk changed its input state %v to %v", i, before, st.Assets)
		}
		p, _, err := tApplyRisk(s, pol, dec)
		if err != nil {
			t.Fatal(err)
		}
		s = apply(t, s, p)
		st = dec.Next.Recorded(p.Plan, s.Time)
		if got := s.PositionOf("ETH").Size; !got.Equal(d(c.wantSize)) {
			t.Fatalf("step %d (apr %s): size %s, want %s\n%s", i, c.apr, got, c.wantSize, dump(p))
		}
	}
}

func TestBasisGate(t *testing.T) {
	discount := func(s *Snapshot) *Snapshot {
		return edit(s, "ETH", func(m *Market) { m.MarkPrice = d("1980") }) // −100 bps, limit 50
	}
	pol := pols(nil)
	t.Run("blocks open", func(t *testing.T) {
		s := discount(hold(rsnap("100000", market("ETH", "2000")), "ETH", "10"))
		p, alerts, err := tBuildRiskPlan(s, nil, pol, RiskState{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Actions) != 0 || alertKinds(alerts) != "basis" {
			t.Fatalf("alerts %q actions:\n%s", alertKinds(alerts), dump(p))
		}
		if n := assetPlan(t, p, "ETH").Note; !strings.Contains(n, "not opening or increasing") {
			t.Errorf("note %q", n)
		}
	})
	t.Run("blocks increase", func(t *testing.T) {
		s := discount(short(hold(rsnap("100000", market("ETH", "2000")), "ETH", "10"), "ETH", "8", "2000", "10000"))
		p, _, err := tBuildRiskPlan(s, nil, pol, RiskState{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Actions) != 0 {
			t.Fatalf("want nothing:\n%s", dump(p))
		}
	})
	t.Run("allows reduce", func(t *testing.T) {
		s := discount(short(hold(rsnap("0", market("ETH", "2000")), "ETH", "10"), "ETH", "12", "2000", "20000"))
		p, _, err := tBuildRiskPlan(s, nil, pol, RiskState{})
		if err != nil {
			t.Fatal(err)
		}
		if kinds(p) != "trade:ETH" || !p.Actions[0].SizeDelta.IsPositive() {
			t.Fatalf("want a buy:\n%s", dump(p))
		}
		// target 10 × 2000 / 1980
		eq(t, "delta", p.Actions[0].SizeDelta, d("1.8989899"))
	})
	t.Run("no gate at a premium", func(t *testing.T) {
		s := edit(hold(rsnap("100000", market("ETH", "2000")), "ETH", "10"), "ETH", func(m *Market) { m.MarkPrice = d("2020") })
		p, _, err := tBuildRiskPlan(s, nil, pol, RiskState{})
		if err != nil {
			t.Fatal(err)
		}
		if kinds(p) != "deposit:ETH trade:ETH" {
			t.Fatalf("want an open:\n%s", dump(p))
		}
	})
}

func TestLiquidationFloor(t *testing.T) {
	// A 5× short: liquidation (4000 + 20000)/(10 × 1.01) = 2376.2, 18.8% above
	// mark; the 25% floor needs equity 10 × 2000 × (1.01 × 1.25 − 1) = 5250.
	pol := pols(func(p *AssetPolicy) { p.MaxLeverage = d("5") })
	at5x := func(collateral string) *Snapshot {
		return short(hold(rsnap(collateral, market("ETH", "2000")), "ETH", "10"), "ETH", "10", "2000", "4000")
	}
	cases := []struct {
		name       string
		collateral string
		kinds      string
		deposit    string
		size       string // after
	}{
		{"top-up from collateral", "10000", "deposit:ETH", "1250", "-10"},
		// Equity E after buying back to x pays (10 − x) × 1 fee and must
		// carry x × 525: x = (E − 10)/524.
		{"not enough collateral: reduce", "500", "deposit:ETH trade:ETH", "500", "-8.56870229"},
		{"no collateral: reduce", "0", "trade:ETH", "", "-7.61450381"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := at5x(c.collateral)
			dec, err := EvaluateRisk(s, nil, pol, RiskState{})
			if err != nil {
				t.Fatal(err)
			}
			r := riskOf(t, dec, "ETH")
			eq(t, "top-up need", r.TopUp, d("1250"))
			if alertKinds(dec.Alerts()) != "liquidation" {
				t.Errorf("alerts %q", alertKinds(dec.Alerts()))
			}
			p, _, err := tApplyRisk(s, pol, dec)
			if err != nil {
				t.Fatal(err)
			}
			if kinds(p) != c.kinds {
				t.Fatalf("actions %q, want %q\n%s", kinds(p), c.kinds, dump(p))
			}
			if c.deposit != "" {
				eq(t, "deposit", p.Actions[0].Amount, d(c.deposit))
				if !strings.Contains(p.Actions[0].Reason, "liquidation within 25.0%") {
					t.Errorf("reason %q", p.Actions[0].Reason)
				}
			}
			after := apply(t, s, p)
			eq(t, "size after", after.PositionOf("ETH").Size, d(c.size))
			if lb, la := leverage(s, "ETH"), leverage(after, "ETH"); la.GreaterThan(lb) {
				t.Errorf("leverage raised from %s to %s", lb, la)
			}
			st := status(t, after, "ETH")
			if st.LiquidationDistance.LessThan(d("0.25")) {
				t.Errorf("liquidation distance after %s below floor", st.LiquidationDistance)
			}
			again, _, err := tBuildRiskPlan(after, nil, pol, RiskState{})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Actions) != 0 {
				t.Errorf("second plan not empty:\n%s", dump(again))
			}
		})
	}
	t.Run("increase respects the floor", func(t *testing.T) {
		// Spot doubled; the leverage cap alone would deposit for 5×, the floor asks more.
		s := short(hold(rsnap("100000", market("ETH", "2000")), "ETH", "20"), "ETH", "10", "2000", "6000")
		p, _, err := tBuildRiskPlan(s, nil, pol, RiskState{})
		if err != nil {
			t.Fatal(err)
		}
		after := apply(t, s, p)
		eq(t, "size after", after.PositionOf("ETH").Size, d("-20"))
		if st := status(t, after, "ETH"); st.LiquidationDistance.LessThan(d("0.25")) {
			t.Errorf("liquidation distance after %s below floor\n%s", st.LiquidationDistance, dump(p))
		}
	})
	t.Run("floor off", func(t *testing.T) {
		off := pols(func(p *AssetPolicy) { p.MaxLeverage = d("5"); p.LiqFloor = decimal.Zero })
		p, alerts, err := tBuildRiskPlan(at5x("10000"), nil, off, RiskState{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Actions) != 0 || len(alerts) != 0 {
			t.Errorf("want nothing, got %q\n%s", alertKinds(alerts), dump(p))
		}
	})
}

func TestHealthGates(t *testing.T) {
	base := func() *Snapshot {
		s := rsnap("100000", market("ETH", "2000"), market("BTC", "50000"))
		s = hold(hold(s, "ETH", "10"), "BTC", "1")
		s = edit(s, "ETH", func(m *Market) { m.FundingRatePerDay = d("0.0001"); m.FundingIndex = d("5") })
		return s
	}
	prevOf := func(s *Snapshot) *Snapshot {
		p := *s
		p.Time, p.Block = s.Time.Add(-time.Minute), s.Block-5
		return &p
	}
	cases := []struct {
		name  string
		edit  func(*Snapshot) *Snapshot
		prev  func(*Snapshot) *Snapshot
		kinds string // ETH alerts; "" means ETH must trade
		note  string
	}{
		{name: "healthy", edit: func(s *Snapshot) *Snapshot { return s }},
		{name: "stale oracle", edit: func(s *Snapshot) *Snapshot {
			return edit(s, "ETH", func(m *Market) { m.OracleUpdatedAt = t0.Add(-61 * time.Minute) })
		}, kinds: "oracle", note: "oracle stale: updated 1h1m0s ago, limit 1h0m0s; not trading"},
		{name: "oracle time unknown", edit: func(s *Snapshot) *Snapshot {
			return edit(s, "ETH", func(m *Market) { m.OracleUpdatedAt = time.Time{} })
		}, kinds: "oracle", note: "oracle update time unknown; not trading"},
		{name: "zero index", edit: func(s *Snapshot) *Snapshot {
			return edit(s, "ETH", func(m *Market) { m.IndexPrice = decimal.Zero })
		}, kinds: "price", note: "non-positive price (index 0, mark 2000); not trading"},
		{name: "negative mark", edit: func(s *Snapshot) *Snapshot {
			return edit(s, "ETH", func(m *Market) { m.MarkPrice = d("-1") })
		}, kinds: "price", note: "non-positive price (index 2000, mark -1); not trading"},
		{name: "deviation", edit: func(s *Snapshot) *Snapshot {
			return edit(s, "ETH", func(m *Market) { m.MarkPrice = d("2060") })
		}, kinds: "deviation", note: "mark deviates 300.0 bps from index, limit 200; not trading"},
		{name: "paused", edit: func(s *Snapshot) *Snapshot {
			return edit(s, "ETH", func(m *Market) { m.Paused = true })
		}, kinds: "paused", note: "market paused; not trading"},
		{name: "funding suspended", edit: func(s *Snapshot) *Snapshot {
			return edit(s, "ETH", func(m *Market) { m.FundingSuspended = true })
		}, kinds: "funding-suspended", note: "funding suspended; not trading"},
		{name: "funding index stuck", edit: func(s *Snapshot) *Snapshot { return s }, prev: prevOf,
			kinds: "funding-index", note: "funding index has not moved since block 2 at a non-zero rate; not trading"},
		{name: "funding index moves", edit: func(s *Snapshot) *Snapshot { return s }, prev: func(s *Snapshot) *Snapshot {
			p := prevOf(s)
			p.Markets = map[string]Market{"ETH": s.Markets["ETH"], "BTC": s.Markets["BTC"]}
			return edit(p, "ETH", func(m *Market) { m.FundingIndex = d("4.9") })
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.edit(base())
			var prev *Snapshot
			if c.prev != nil {
				prev = c.prev(s)
			}
			p, alerts, err := tBuildRiskPlan(s, prev, pols(nil), RiskState{})
			if err != nil {
				t.Fatal(err)
			}
			if got := alertKinds(alerts); got != c.kinds {
				t.Errorf("alerts %q, want %q", got, c.kinds)
			}
			var ethActs, btcActs int
			for _, a := range p.Actions {
				switch a.Asset {
				case "ETH":
					ethActs++
				case "BTC":
					btcActs++
				}
			}
			if btcActs == 0 {
				t.Errorf("a problem on ETH must not stop BTC:\n%s", dump(p))
			}
			if c.kinds == "" {
				if ethActs == 0 {
					t.Errorf("healthy ETH should trade:\n%s", dump(p))
				}
				return
			}
			if ethActs != 0 {
				t.Errorf("gated ETH acts:\n%s", dump(p))
			}
			if n := assetPlan(t, p, "ETH").Note; n != c.note {
				t.Errorf("note %q, want %q", n, c.note)
			}
		})
	}
}

func TestMinTradeAndCooldown(t *testing.T) {
	under := func(size string) *Snapshot { // 10 ETH spot, short below band
		return short(hold(rsnap("100000", market("ETH", "2000")), "ETH", "10"), "ETH", size, "2000", "12000")
	}
	cases := []struct {
		name  string
		s     *Snapshot
		pol   func(*AssetPolicy)
		state RiskState
		kinds string
		note  string
	}{
		{"above minimum", under("9"), func(p *AssetPolicy) { p.MinTradeSize = d("0.5") }, RiskState{}, "trade:ETH", ""},
		{"below minimum", under("9"), func(p *AssetPolicy) { p.MinTradeSize = d("2") }, RiskState{}, "",
			"trade of 1 ETH below minimum 2; skipped"},
		{"close below minimum still closes", short(hold(rsnap("0", market("ETH", "2000")), "ETH", "0"), "ETH", "1", "2000", "2000"),
			func(p *AssetPolicy) { p.MinTradeSize = d("2") }, RiskState{}, "trade:ETH", ""},
		{"in cooldown", under("9"), func(p *AssetPolicy) { p.Cooldown = 10 * time.Minute },
			RiskState{Assets: map[string]AssetRiskState{"ETH": {LastActionAt: t0.Add(-5 * time.Minute)}}}, "",
			"cooldown: last action 5m0s ago, wait 10m0s"},
		{"cooldown over", under("9"), func(p *AssetPolicy) { p.Cooldown = 10 * time.Minute },
			RiskState{Assets: map[string]AssetRiskState{"ETH": {LastActionAt: t0.Add(-11 * time.Minute)}}}, "trade:ETH", ""},
		{"cooldown does not block a floor top-up", short(hold(rsnap("100000", market("ETH", "2000")), "ETH", "10"), "ETH", "10", "2000", "4000"),
			func(p *AssetPolicy) { p.Cooldown = 10 * time.Minute; p.MaxLeverage = d("5") },
			RiskState{Assets: map[string]AssetRiskState{"ETH": {LastActionAt: t0.Add(-time.Minute)}}}, "deposit:ETH", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, _, err := tBuildRiskPlan(c.s, nil, pols(c.pol), c.state)
			if err != nil {
				t.Fatal(err)
			}
			if kinds(p) != c.kinds {
				t.Fatalf("actions %q, want %q\n%s", kinds(p), c.kinds, dump(p))
			}
			if n := assetPlan(t, p, "ETH").Note; c.note != "" && n != c.note {
				t.Errorf("note %q, want %q", n, c.note)
			}
		})
	}
	t.Run("recorded", func(t *testing.T) {
		p := &Plan{Orders: []Order{{Asset: "ETH", SizeDelta: d("-1")}}}
		st := RiskState{}.Recorded(p, t0)
		if len(st.Assets) != 1 || !st.Assets["ETH"].LastActionAt.Equal(t0) {
			t.Errorf("state %+v", st)
		}
	})
	t.Run("recorded leaves its input alone", func(t *testing.T) {
		in := RiskState{Assets: map[string]AssetRiskState{"BTC": {ReducedForFunding: true}}}
		p := &Plan{Orders: []Order{{Asset: "ETH", SizeDelta: d("-1")}}}
		out := in.Recorded(p, t0)
		if len(in.Assets) != 1 || len(out.Assets) != 2 || !out.Assets["BTC"].ReducedForFunding {
			t.Errorf("in %+v, out %+v", in, out)
		}
		if same := in.Recorded(&Plan{}, t0); len(same.Assets) != 1 {
			t.Errorf("nothing acted: %+v", same)
		}
	})
}

func TestParsePolicies(t *testing.T) {
	good := `# hedger policy
funding_budget_apr = 0.30   # before any section: default
[ETH]
funding_action = Reduce
reduced_ratio = 0.4
cooldown = 15m
[default]
band = 0.1
[BTC]
max_oracle_age = 90s
liq_floor = 0.5
`
	ps, err := ParsePolicies(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "default budget", ps.Default.FundingBudgetAPR, d("0.30"))
	eq(t, "default band", ps.Default.Band, d("0.1"))
	eth, btc, sol := ps.For("ETH"), ps.For("BTC"), ps.For("SOL")
	if eth.FundingAction != FundingReduce || eth.Cooldown != 15*time.Minute || btc.FundingAction != FundingAlert {
		t.Errorf("eth %+v btc %+v", eth, btc)
	}
	eq(t, "eth ratio", eth.ReducedRatio, d("0.4"))
	eq(t, "eth band from a later [default]", eth.Band, d("0.1"))
	eq(t, "btc floor", btc.LiqFloor, d("0.5"))
	if btc.MaxOracleAge != 90*time.Second || sol.MaxOracleAge != time.Hour {
		t.Errorf("oracle ages %s %s", btc.MaxOracleAge, sol.MaxOracleAge)
	}

	bad := []struct{ text, want string }{
		{"band = 0.05\nbnad = 0.1", "line 2: bnad: unknown key"},
		{"[ETH]\nhedge_ratio", `line 2: want KEY = VALUE, got "hedge_ratio"`},
		{"hedge_ratio =", "line 1: hedge_ratio has no value"},
		{"\n\nhedge_ratio = lots", `line 3: hedge_ratio: "lots" is not a decimal number`},
		{"cooldown = 5", `line 1: cooldown: "5" is not a duration like 90s or 1h`},
		{"[ETH]\nfunding_action = panic", `line 2: funding_action: "panic" is not alert, reduce or close`},
		{"[ETH\nband = 0.1", `line 1: bad section header "[ETH"`},
		{"[ETH]\n[BTC]\n[ETH]", "line 3: section [ETH] already started on line 1"},
		{"band = 0.1\nband = 0.2", "line 2: band already set on line 1"},
		{"[ETH]\nhedge_ratio = 1.5", "line 1: [ETH]: hedge ratio 1.5 is outside 0..1"},
		{"[default]\nresume_apr = -0.5", "line 1: [default]: resume APR -0.5 is negative (give it as a positive APR)"},
		{"[SOL]\nreduced_ratio = 1.8\nhedge_ratio = 0.5", "line 1: [SOL]: reduced ratio 1.8 is outside 0..1"},
		{"funding_budget_apr = -0.2", "line 0: [default]: funding budget -0.2 is negative (give the cost as a positive APR)"},
	}
	for _, c := range bad {
		_, err := ParsePolicies(strings.NewReader(c.text))
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: err %v, want %q", c.text, err, c.want)
		}
	}
}

func TestRiskErrors(t *testing.T) {
	if _, err := EvaluateRisk(nil, nil, DefaultPolicies(), RiskState{}); err == nil {
		t.Error("nil snapshot accepted")
	}
	bad := DefaultPolicies()
	bad.Default.FundingAction = "sell everything"
	if _, _, err := tBuildRiskPlan(rsnap("0"), nil, bad, RiskState{}); err == nil || !strings.Contains(err.Error(), "funding action") {
		t.Errorf("err %v", err)
	}
}

// withWindow sets the funding index now and at the window's start (a day
// earlier): per-unit receipt idxNow − idxThen, shorts' side.
func withWindow(s *Snapshot, idxThen, idxNow string, ago time.Duration) *Snapshot {
	return edit(s, "ETH", func(m *Market) {
		m.FundingIndex = d(idxNow)
		m.FundingBefore = FundingMark{Block: 1, Time: s.Time.Add(-ago), Index: d(idxThen)}
	})
}

// TestFundingWindow: the budget also sees what the rolling window cost, so a
// rate that just turned positive does not undo a day of payments, and a
// window that recovered lets the hedge resume.
func TestFundingWindow(t *testing.T) {
	pol := pols(func(p *AssetPolicy) { p.FundingAction = FundingReduce }) // budget 20%, resume 5%
	// Mark 2000: a day at −30% APR paid 2000 × 0.30 / 365 = 1.643835… per unit.
	paid := d("2000").Mul(d("0.30")).DivRound(d("365"), 18)
	cases := []struct {
		name, apr    string
		idxThen      string
		ago          time.Duration
		window       time.Duration
		reduced      bool
		kinds        string
		windowAPR    string // rounded to 4 places
		windowUSD    string // on the 10 short, rounded to 2
		wantDeltaBuy string // "" = no trade
	}{
		{"rate fine, window costly: reduce", "0.10", "100", 24 * time.Hour, 24 * time.Hour, true, "funding", "-0.3", "-16.44", "5"},
		{"rate and window fine", "0.10", "100", 24 * time.Hour, 24 * time.Hour, false, "", "-0.3", "-16.44", ""},
		{"window off", "0.10", "100", 24 * time.Hour, 0, false, "", "0", "0", ""},
		// Clamped at the deploy block 6h ago: annualised over 6h, 4× the rate.
		{"short history", "0.10", "100", 6 * time.Hour, 24 * time.Hour, true, "funding", "-1.2", "-16.44", "5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := pol
			p.Default.FundingWindow = c.window
			now := d("100").Sub(paid)
			if c.name == "rate and window fine" {
				now = d("100").Add(paid) // the window received instead
				c.windowAPR, c.windowUSD = "0.3", "16.44"
			}
			s := withWindow(hedged(c.apr), c.idxThen, now.String(), c.ago)
			dec, err := EvaluateRisk(s, nil, p, RiskState{})
			if err != nil {
				t.Fatal(err)
			}
			r := riskOf(t, dec, "ETH")
			eq(t, "window APR", r.WindowFundingAPR.Round(4), d(c.windowAPR))
			if c.window > 0 {
				eq(t, "window USD", r.WindowFundingUSD.Round(2), d(c.windowUSD))
			}
			if r.ReducedForFunding != c.reduced {
				t.Errorf("reduced %v, want %v (cost %s)", r.ReducedForFunding, c.reduced, r.CostAPR)
			}
			plan, alerts, err := tApplyRisk(s, p, dec)
			if err != nil {
				t.Fatal(err)
			}
			if got := alertKinds(alerts); got != c.kinds {
				t.Errorf("alerts %q, want %q", got, c.kinds)
			}
			if c.kinds == "funding" && !strings.Contains(alerts[0].Message, "over the last") {
				t.Errorf("alert does not name the window: %q", alerts[0].Message)
			}
			if c.wantDeltaBuy == "" {
				if len(plan.Actions) != 0 {
					t.Fatalf("want no action:\n%s", dump(plan))
				}
				return
			}
			if kinds(plan) != "trade:ETH" {
				t.Fatalf("actions %q\n%s", kinds(plan), dump(plan))
			}
			eq(t, "delta", plan.Actions[0].SizeDelta, d(c.wantDeltaBuy))
			if plan.Actions[0].Intent != IntentFundingReduce {
				t.Errorf("intent %q, want %q", plan.Actions[0].Intent, IntentFundingReduce)
			}
		})
	}

	// Hysteresis over the window: reduced while the rate is good but the
	// window still shows the cost; resumed once the window recovered.
	t.Run("resume waits for the window", func(t *testing.T) {
		s := withWindow(hedged("0.30"), "100", d("100").Sub(paid).String(), 24*time.Hour)
		s.Collateral = d("100000")
		s = short(s, "ETH", "5", "2000", "10000")
		st := RiskState{Assets: map[string]AssetRiskState{"ETH": {ReducedForFunding: true}}}
		dec, err := EvaluateRisk(s, nil, pol, st)
		if err != nil {
			t.Fatal(err)
		}
		if !riskOf(t, dec, "ETH").ReducedForFunding {
			t.Fatalf("resumed while the window still cost 30%%")
		}
		s = withWindow(s, "100", d("100").Add(paid).String(), 24*time.Hour)
		dec, err = EvaluateRisk(s, nil, pol, dec.Next)
		if err != nil {
			t.Fatal(err)
		}
		if riskOf(t, dec, "ETH").ReducedForFunding || alertKinds(dec.Alerts()) != "funding-resume" {
			t.Fatalf("not resumed (alerts %q)", alertKinds(dec.Alerts()))
		}
		plan, _, err := tApplyRisk(s, pol, dec)
		if err != nil {
			t.Fatal(err)
		}
		n := len(plan.Actions) - 1
		if !strings.HasSuffix(kinds(plan), "trade:ETH") || !plan.Actions[n].SizeDelta.Equal(d("-5")) || plan.Actions[n].Intent != IntentRebalance {
			t.Fatalf("resume plan:\n%s", dump(plan))
		}
	})
}

// TestTopUpIntent: margin added for the liquidation floor is a top-up even
// when a trade follows it.
func TestTopUpIntent(t *testing.T) {
	pol := pols(func(p *AssetPolicy) { p.MaxLeverage = d("5") })
	s := short(hold(rsnap("500", market("ETH", "2000")), "ETH", "10"), "ETH", "10", "2000", "4000")
	p, _, err := tBuildRiskPlan(s, nil, pol, RiskState{})
	if err != nil {
		t.Fatal(err)
	}
	if kinds(p) != "deposit:ETH trade:ETH" {
		t.Fatalf("actions %q\n%s", kinds(p), dump(p))
	}
	if p.Actions[0].Intent != IntentTopUp {
		t.Errorf("deposit intent %q, want %q", p.Actions[0].Intent, IntentTopUp)
	}
}

func TestAssetPolicySet(t *testing.T) {
	p := DefaultAssetPolicy()
	for _, kv := range [][2]string{{"funding_action", "Reduce"}, {"funding_window", "12h"}, {"liq_floor", "0.3"}} {
		if err := p.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if p.FundingAction != FundingReduce || p.FundingWindow != 12*time.Hour || !p.LiqFloor.Equal(d("0.3")) {
		t.Errorf("Set: %+v", p)
	}
	if err := p.Set("bnad", "1"); err == nil || err.Error() != "unknown key" {
		t.Errorf("unknown key: %v", err)
	}
	for _, k := range PolicyKeys {
		q := DefaultAssetPolicy()
		if err := q.Set(k, "x y"); err != nil && err.Error() == "unknown key" {
			t.Errorf("PolicyKeys lists %q but Set does not know it", k)
		}
	}
}

// crossHeld adds 20000 LDO at price, updated at updated, hedged on ETH with beta 1.2.
func crossHeld(s *Snapshot, price string, updated time.Time) (*Snapshot, Policies) {
	s.Holdings = append(s.Holdings, Holding{Wallet: "w", Asset: "LDO", Token: "LDO", Amount: d("20000")})
	s.Prices = map[string]FeedPrice{"LDO": {Price: d(price), UpdatedAt: updated}}
	pol := pols(nil)
	ldo := pol.Default
	ldo.HedgeWith, ldo.Beta = "ETH", d("1.2")
	pol.Assets = map[string]AssetPolicy{"LDO": ldo}
	return s, pol
}

func TestCrossAssetFeedGatesHedgeMarket(t *testing.T) {
	for _, tc := range []struct {
		name, price string
		age         time.Duration
		kind        string
	}{
		{"fresh", "1.5", time.Minute, ""},
		{"stale", "1.5", 2 * time.Hour, "oracle"},
		{"no price", "0", time.Minute, "price"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, pol := crossHeld(hedged("0.05"), tc.price, t0.Add(-tc.age))
			dec, err := EvaluateRisk(s, nil, pol, RiskState{})
			if err != nil {
				t.Fatal(err)
			}
			r := riskOf(t, dec, "ETH")
			if got := alertKinds(r.Alerts); got != tc.kind {
				t.Fatalf("alerts %q, want %q (%v)", got, tc.kind, r.Alerts)
			}
			if (r.Gate != "") != (tc.kind != "") || (r.Gate != "" && !strings.Contains(r.Gate, "LDO")) {
				t.Fatalf("gate %q for %s", r.Gate, tc.name)
			}
		})
	}
}

// After a restart (no state), a short reduced for funding is recognised
// against the full target including the cross asset's part, not spot alone.
func TestFundingRestartCountsCrossPart(t *testing.T) {
	// 10 ETH spot + 20000 LDO × 1.5 × 1.2 = 36000 USD = 18 ETH at 2000: the
	// full short is 28. At ratio 0.5 it is 14, which is above 10 ETH of spot
	// alone: without the cross part, the reduction is not recognised.
	s := short(hold(rsnap("0", market("ETH", "2000")), "ETH", "10"), "ETH", "14", "2000", "20000")
	s = edit(s, "ETH", func(m *Market) { m.FundingRatePerDay = aprPerDay("-0.10") }) // costly, within budget, not resumed
	s, pol := crossHeld(s, "1.5", t0.Add(-time.Minute))
	d0 := pol.Default
	d0.FundingAction = FundingReduce
	pol.Default = d0
	ldo := pol.Assets["LDO"]
	ldo.FundingAction = FundingReduce
	pol.Assets["LDO"] = ldo
	dec, err := EvaluateRisk(s, nil, pol, RiskState{})
	if err != nil {
		t.Fatal(err)
	}
	if r := riskOf(t, dec, "ETH"); !r.ReducedForFunding || !r.HedgeRatio.Equal(d("0.5")) {
		t.Fatalf("reduced %v ratio %s, want the reduced state recovered at 0.5", r.ReducedForFunding, r.HedgeRatio)
	}
}

// A budget of 0 turns the funding check off, as every other threshold; a
// hedge ratio below the default reduced ratio, or a budget below the default
// resume level, is accepted and clamped where used, not refused.
func TestFundingBudgetZeroAndClamps(t *testing.T) {
	off := pols(func(p *AssetPolicy) {
		p.FundingBudgetAPR, p.ResumeAPR, p.FundingAction = decimal.Zero, decimal.Zero, FundingClose
	})
	dec, err := EvaluateRisk(hedged("-0.90"), nil, off, RiskState{})
	if err != nil {
		t.Fatal(err)
	}
	if r := riskOf(t, dec, "ETH"); r.ReducedForFunding || !r.HedgeRatio.Equal(d("1")) || alertKinds(r.Alerts) != "" {
		t.Fatalf("budget 0: reduced %v ratio %s alerts %q; want the check off", r.ReducedForFunding, r.HedgeRatio, alertKinds(r.Alerts))
	}

	low := pols(func(p *AssetPolicy) { p.HedgeRatio, p.FundingAction = d("0.3"), FundingReduce })
	if err := low.Validate(); err != nil {
		t.Fatalf("hedge ratio 0.3 with the default reduced ratio: %v", err)
	}
	dec, err = EvaluateRisk(hedged("-0.30"), nil, low, RiskState{})
	if err != nil {
		t.Fatal(err)
	}
	if r := riskOf(t, dec, "ETH"); !r.ReducedForFunding || !r.HedgeRatio.Equal(d("0.3")) {
		t.Fatalf("reduced %v ratio %s, want reduced at min(0.5, 0.3)", r.ReducedForFunding, r.HedgeRatio)
	}

	// Budget 3% under the default 5% resume level: resume at 1.5%.
	tight := pols(func(p *AssetPolicy) { p.FundingBudgetAPR, p.FundingAction = d("0.03"), FundingReduce })
	if err := tight.Validate(); err != nil {
		t.Fatalf("budget below the default resume level: %v", err)
	}
	st := RiskState{Assets: map[string]AssetRiskState{"ETH": {ReducedForFunding: true}}}
	for _, c := range []struct {
		apr     string
		reduced bool
	}{{"-0.02", true}, {"-0.01", false}} {
		dec, err = EvaluateRisk(hedged(c.apr), nil, tight, st)
		if err != nil {
			t.Fatal(err)
		}
		if r := riskOf(t, dec, "ETH"); r.ReducedForFunding != c.reduced {
			t.Errorf("funding %s while reduced: reduced %v, want %v (resume at 1.5%%)", c.apr, r.ReducedForFunding, c.reduced)
		}
	}
}

// Section names are asset symbols in any case: [eth] configures ETH.
func TestPolicySectionCase(t *testing.T) {
	ps, err := ParsePolicies(strings.NewReader("[eth]\nmax_leverage = 1\n[Default]\nband = 0.1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ps.For("ETH").MaxLeverage; !got.Equal(d("1")) {
		t.Errorf("[eth] max_leverage: ETH gets %s", got)
	}
	if _, err := ParsePolicies(strings.NewReader("[ETH]\nband = 0.1\n[eth]\nband = 0.2\n")); err == nil || !strings.Contains(err.Error(), "already started") {
		t.Errorf("[ETH] and [eth] both accepted: %v", err)
	}
}
