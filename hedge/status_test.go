package hedge

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func status(t *testing.T, s *Snapshot, asset string) AssetStatus {
	t.Helper()
	sts, err := Assess(s, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if st.Asset == asset {
			return st
		}
	}
	t.Fatalf("no status for %s", asset)
	return AssetStatus{}
}

func between(t *testing.T, what string, x decimal.Decimal, lo, hi string) {
	t.Helper()
	if x.LessThan(d(lo)) || x.GreaterThan(d(hi)) {
		t.Errorf("%s = %s, want in [%s, %s]", what, x, lo, hi)
	}
}

func TestAssessLiquidation(t *testing.T) {
	withMM := func(mm string, pos Position) *Snapshot {
		m := market("ETH", "2000")
		m.MaintenanceMargin = d(mm)
		s := hold(snap("0", m), "ETH", "1")
		setPos(s, "ETH", pos)
		return s
	}
	cases := []struct {
		name           string
		s              *Snapshot
		liqLo, liqHi   string
		distLo, distHi string
		levLo, levHi   string
		wantLiqExactly string
	}{
		{name: "1x short liquidates near 2x entry", s: withMM("0.005", Position{Size: d("-1"), EntryPrice: d("2000"), Margin: d("2000")}),
			liqLo: "3900", liqHi: "4000", distLo: "0.95", distHi: "1", levLo: "1", levHi: "1",
			wantLiqExactly: "3980.099502487562189055"}, // 4000 / 1.005
		{name: "5x short liquidates after about 19%", s: withMM("0.01", Position{Size: d("-1"), EntryPrice: d("2000"), Margin: d("400")}),
			liqLo: "2370", liqHi: "2380", distLo: "0.18", distHi: "0.20", levLo: "5", levHi: "5"},
		{name: "accrued funding moves it", s: withMM("0.01", Position{Size: d("-1"), EntryPrice: d("2000"), Margin: d("400"), AccruedFunding: d("-202")}),
			wantLiqExactly: "2176.237623762376237624", // (198 + 2000) / 1.01
			liqLo:          "0", liqHi: "1e9", distLo: "-1", distHi: "1", levLo: "0", levHi: "100"},
		{name: "5x long", s: withMM("0.01", Position{Size: d("1"), EntryPrice: d("2000"), Margin: d("400")}),
			wantLiqExactly: "1616.161616161616161616", // 1600 / 0.99
			liqLo:          "0", liqHi: "1e9", distLo: "-0.20", distHi: "-0.18", levLo: "5", levHi: "5"},
		{name: "no position", s: withMM("0.01", Position{}), wantLiqExactly: "0",
			liqLo: "0", liqHi: "0", distLo: "0", distHi: "0", levLo: "0", levHi: "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := status(t, c.s, "ETH")
			between(t, "liquidation price", st.LiquidationPrice, c.liqLo, c.liqHi)
			between(t, "liquidation distance", st.LiquidationDistance, c.distLo, c.distHi)
			between(t, "leverage", st.Leverage, c.levLo, c.levHi)
			if c.wantLiqExactly != "" {
				eq(t, "liquidation price", st.LiquidationPrice, d(c.wantLiqExactly))
			}
		})
	}
}

func TestAssessFunding(t *testing.T) {
	cases := []struct {
		name       string
		ratePerDay string
		size       string
		perHour    string
		apr        string
	}{
		{"positive rate pays a short", "0.0024", "-1", "0.0001", "0.876"},
		{"negative rate costs a short", "-0.0024", "-1", "-0.0001", "-0.876"},
		{"no position is shown as a short would see it", "0.0024", "0", "0.0001", "0.876"},
		{"positive rate costs a long", "0.0024", "1", "-0.0001", "-0.876"},
		{"negative rate pays a long", "-0.0024", "1", "0.0001", "0.876"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := snap("0", market("ETH", "2000"))
			m := s.Markets["ETH"]
			m.FundingRatePerDay = d(c.ratePerDay)
			s.Markets["ETH"] = m
			setPos(s, "ETH", Position{Size: d(c.size), EntryPrice: d("2000"), Margin: d("2000")})
			st := status(t, s, "ETH")
			eq(t, "per hour", st.FundingRatePerHour, d(c.perHour))
			eq(t, "apr", st.FundingAPR, d(c.apr))
		})
	}
}

func TestAssessFigures(t *testing.T) {
	m := market("ETH", "2000")
	m.MarkPrice = d("2002")
	m.FundingSuspended = true
	s := hold(hold(snap("0", m), "ETH", "4"), "BTC", "0.5")
	setPos(s, "ETH", Position{Size: d("-2"), EntryPrice: d("2002"), Margin: d("1001"), UnrealizedPnL: d("0")})
	st := status(t, s, "ETH")
	eq(t, "basis bps", st.BasisBps, d("10"))
	eq(t, "spot value", st.SpotValueUSD, d("8000"))
	eq(t, "short notional", st.ShortNotionalUSD, d("4004"))
	eq(t, "hedge ratio", st.HedgeRatio, d("0.5005"))
	eq(t, "leverage", st.Leverage, d("4"))
	eq(t, "target", st.TargetSize, d("3.99600399")) // 4 × 2000 / 2002, rounded down
	if !st.FundingSuspended || st.WithinBand {
		t.Errorf("flags: %+v", st)
	}
	if btc := status(t, s, "BTC"); btc.Note != "no market for BTC; not hedged" || !btc.SpotAmount.Equal(d("0.5")) {
		t.Errorf("BTC: %+v", btc)
	}
	discount := snap("0", market("ETH", "2000"))
	dm := discount.Markets["ETH"]
	dm.MarkPrice = d("1990")
	discount.Markets["ETH"] = dm
	eq(t, "discount bps", status(t, discount, "ETH").BasisBps, d("-50"))

	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"funding_apr":"`, `"basis_bps":"10"`, `"liquidation_distance":`, `"short_notional_usd":"4004"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("json lacks %s: %s", key, b)
		}
	}
}

// TestAssessCarryAndCross: 2 wstETH at 1.15 plus 1 ETH, staking APR 3% on the
// staked 2.3 ETH next to a short's funding; LDO hedged on ETH with beta.
func TestAssessCarryAndCross(t *testing.T) {
	m := market("ETH", "2000")
	m.FundingRatePerDay = d("0.0003") // longs pay shorts: 10.95%/yr to the short
	s := hold(snap("0", m), "ETH", "1")
	rate := d("1.15")
	s.Holdings = append(s.Holdings, Holding{Wallet: "0xabc", Asset: "ETH", Token: "wstETH", Amount: d("2.3"), TokenAmount: d("2"), Rate: &rate})
	s = hold(s, "LDO", "1000")
	s.Prices = map[string]FeedPrice{"LDO": {Price: d("1.5")}}
	s = short(s, "ETH", "4.2", "2000", "5000")
	s.Betas = map[string]BetaEstimate{"LDO": {Beta: d("0.6"), Correlation: d("0.7"), ResidualVol: d("0.5"), Samples: 40, Source: "feeds"}}
	ps, err := ParsePolicies(strings.NewReader("[ETH]\nstaking_apr = 0.03\n[LDO]\nhedge_with = ETH\nbeta = auto\n"))
	if err != nil {
		t.Fatal(err)
	}
	sts, err := AssessPolicies(s, ps)
	if err != nil {
		t.Fatal(err)
	}
	get := func(a string) AssetStatus {
		for _, st := range sts {
			if st.Asset == a {
				return st
			}
		}
		t.Fatalf("no %s", a)
		return AssetStatus{}
	}
	eth, ldo := get("ETH"), get("LDO")
	eq(t, "spot", eth.SpotAmount, d("3.3"))
	eq(t, "staked", eth.StakedAmount, d("2.3"))
	eq(t, "staking/yr", eth.StakingPerYearUSD, d("138"))       // 0.03 × 2.3 × 2000
	eq(t, "funding/yr", eth.FundingPerYearUSD, d("919.8"))     // 4.2 × 2000 × 0.1095
	eq(t, "net carry/yr", eth.NetCarryPerYearUSD, d("1057.8")) // received + earned
	eq(t, "net carry APR", eth.NetCarryAPR, d("1057.8").DivRound(d("6600"), 18))
	// Target: (3.3 × 2000 + 0.6 × 1500) / 2000 = 3.75, of which 0.45 for LDO.
	eq(t, "ETH target", eth.TargetSize, d("3.75"))
	eq(t, "ETH achieved ratio", eth.HedgeRatio, d("1.12")) // 4.2 × 2000 / (6600 + 0.6 × 1500)
	if eth.CrossTargetSize == nil || !eth.CrossTargetSize.Equal(d("0.45")) {
		t.Fatalf("cross target %v", eth.CrossTargetSize)
	}
	if ldo.HedgedVia != "ETH" || ldo.Beta == nil || !ldo.Beta.Equal(d("0.6")) || ldo.BetaSource != "feeds" ||
		ldo.Correlation == nil || ldo.ResidualVol == nil || ldo.ResidualVolUSD == nil || !ldo.ResidualVolUSD.Equal(d("750")) ||
		ldo.Warning == "" || !ldo.TargetSize.Equal(d("0.45")) || !ldo.SpotValueUSD.Equal(d("1500")) {
		t.Fatalf("LDO status %+v", ldo)
	}
	// A long pays positive funding: carry turns negative.
	setPos(s, "ETH", Position{Size: d("1"), EntryPrice: d("2000"), Margin: d("1000")})
	sts, _ = AssessPolicies(s, ps)
	for _, st := range sts {
		if st.Asset == "ETH" && !st.FundingPerYearUSD.Equal(d("-219")) {
			t.Fatalf("long funding/yr %s, want −219", st.FundingPerYearUSD)
		}
	}
}

// Funding and borrowing are separate figures from the user's side, both in
// equity and in the net carry; claimables count in the account's equity.
func TestAssessBorrowingAndClaimables(t *testing.T) {
	m := market("ETH", "2000")
	m.FundingRatePerDay, m.BorrowRatePerDay = d("0.0024"), d("0.00048")
	s := hold(snap("1000", m), "ETH", "1")
	setPos(s, "ETH", Position{Size: d("-1"), EntryPrice: d("2000"), Margin: d("500"),
		AccruedFunding: d("7"), AccruedBorrowing: d("-3"), UnrealizedPnL: d("-10")})
	st := status(t, s, "ETH")
	if !st.FundingRatePerHour.Equal(d("0.0001")) || !st.BorrowingRatePerHour.Equal(d("-0.00002")) {
		t.Errorf("rates per hour: funding %s borrowing %s, want 0.0001 and -0.00002", st.FundingRatePerHour, st.BorrowingRatePerHour)
	}
	if !st.AccruedFunding.Equal(d("10")) || !st.AccruedBorrowing.Equal(d("-3")) || !st.Equity.Equal(d("497")) {
		t.Errorf("accrued funding %s borrowing %s equity %s, want 10, -3, 497", st.AccruedFunding, st.AccruedBorrowing, st.Equity)
	}
	// 2000 USD short × 365 × (0.0024 − 0.00048).
	if !st.BorrowingPerYearUSD.Equal(d("-350.4")) || !st.NetCarryPerYearUSD.Equal(d("1401.6")) {
		t.Errorf("borrowing/yr %s net carry/yr %s, want -350.4 and 1401.6", st.BorrowingPerYearUSD, st.NetCarryPerYearUSD)
	}
	s.CollateralSymbol = "USDC"
	s.Claimables = []Claimable{{Market: "m", Token: "USDC", Asset: "USD", Amount: d("25.92")},
		{Market: "m", Token: "WETH", Asset: "ETH", Amount: d("0.01")}, {Market: "x", Token: "DOGE", Asset: "DOGE", Amount: d("5")}}
	a := AssessAccount(s)
	if !a.ClaimablesUSD.Equal(d("45.92")) || !a.PositionsEquity.Equal(d("497")) || !a.Equity.Equal(d("1542.92")) || !a.Unpriced {
		t.Errorf("account %+v, want claimables 45.92, positions 497, equity 1542.92, one unpriced", a)
	}
	if c := a.Claimables[1]; !c.Price.Equal(d("2000")) || !c.ValueUSD.Equal(d("20")) {
		t.Errorf("WETH claimable %+v, want 20 USD at 2000", c)
	}
}
