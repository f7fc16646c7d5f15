package backtest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func load(t testing.TB, file string, spot SpotSource) *Series {
	t.Helper()
	s, err := LoadFile(filepath.Join("testdata", file), "", spot)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pick is the named strategies of the default set for pol.
func pick(t testing.TB, pol hedge.Policies, held, data []string, names ...string) []Strategy {
	t.Helper()
	var out []Strategy
	all := DefaultStrategies(pol, held, data)
	for _, n := range names {
		k := slices.IndexFunc(all, func(s Strategy) bool { return s.Name == n })
		if k < 0 {
			t.Fatalf("no strategy %q", n)
		}
		out = append(out, all[k])
	}
	return out
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t.Add(24 * time.Hour)
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// readShared reads the shared daily file with its own CSV code, for the
// independent computations: date → column values.
func readShared(t *testing.T, file string) (dates []string, rows map[string]map[string]string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = map[string]map[string]string{}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for k, h := range recs[0] {
			m[h] = r[k]
		}
		dates = append(dates, r[0])
		rows[r[0]] = m
	}
	return dates, rows
}

// A static coin-for-coin hedge with zero costs earns, to the cent, spot
// change − perp change + funding, computed here from the CSV on its own.
// Spot is Coinbase and the perp Binance (rescaled so both start equal, which
// makes the planner's target exactly the 10 coins held), so basis moves.
func TestStaticCoinForCoinToTheCent(t *testing.T) {
	dates, rows := readShared(t, "eth_daily.csv")
	var plain strings.Builder
	plain.WriteString("time,spot,perp,funding\n")
	var spots, perps, funds []decimal.Decimal
	var scale decimal.Decimal
	for _, dt := range dates {
		if dt < "2021-03-01" || dt > "2022-12-31" {
			continue
		}
		r := rows[dt]
		cb, bn := d(r["spot_close_usd_coinbase"]), d(r["spot_close_usdt_binance"])
		if scale.IsZero() {
			scale = cb.DivRound(bn, 18)
		}
		perp := bn.Mul(scale).Round(8)
		if len(perps) == 0 {
			perp = cb
		}
		f := d(r["funding_rate_c2c"])
		spots, perps, funds = append(spots, cb), append(perps, perp), append(funds, f)
		fmt.Fprintf(&plain, "%s,%s,%s,%s\n", dt, cb, perp, f)
	}
	s, err := Load(strings.NewReader(plain.String()), "ETH", SpotCoinbase)
	if err != nil {
		t.Fatal(err)
	}
	pol := hedge.DefaultPolicies()
	res, err := Run(Config{Series: []*Series{s}, Hold: []Hold{{Asset: "ETH", Amount: d("10")}}, Policy: pol, Costs: CostsZero,
		Strategies: pick(t, pol, []string{"ETH"}, []string{"ETH"}, "static")})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Strategies[0]
	q := d("10")
	want := decimal.Zero
	for i := 1; i < len(spots); i++ {
		want = want.Add(q.Mul(spots[i].Sub(spots[i-1]))).Sub(q.Mul(perps[i].Sub(perps[i-1]))).Add(q.Mul(perps[i]).Mul(funds[i]))
	}
	if st.Trades != 1 || !st.Path[len(st.Path)-1].Shorts[0].Equal(q) {
		t.Fatalf("static hedge: %d trades, short %s; want 1 trade and 10 ETH short", st.Trades, st.Path[len(st.Path)-1].Shorts[0])
	}
	if diff := st.HedgedPnL.Sub(want).Abs(); diff.GreaterThan(d("0.005")) {
		t.Errorf("hedged PnL %s, independent computation %s (off by %s)", st.HedgedPnL, want.StringFixed(6), diff)
	}
	if st.Liquidations != 0 || st.TopUps == 0 {
		t.Errorf("liquidations %d, top-ups %d: the policy must top up margin through the 2021 rally instead", st.Liquidations, st.TopUps)
	}
}

// With no basis, a hedge at ratio h leaves (1 − h) of the price risk:
// effectiveness ≈ 1 − (1 − h)² (funding adds a little noise).
func TestPartialRatioEffectiveness(t *testing.T) {
	s := load(t, "eth_daily.csv", SpotBinance)
	pol := hedge.DefaultPolicies()
	res, err := Run(Config{Series: []*Series{s}, Hold: []Hold{{Asset: "ETH", Amount: d("10")}}, Policy: pol, Costs: CostsZero,
		Strategies: pick(t, pol, []string{"ETH"}, []string{"ETH"}, "ratio 25%", "ratio 50%", "ratio 75%", "policy")})
	if err != nil {
		t.Fatal(err)
	}
	for k, h := range []float64{0.25, 0.5, 0.75, 1} {
		got, want := res.Strategies[k].Effectiveness, 1-(1-h)*(1-h)
		if math.Abs(got-want) > 0.005 {
			t.Errorf("ratio %.2f: effectiveness %.4f, want ≈ %.4f", h, got, want)
		}
	}
}

// A band of 0 (the smallest the policy accepts) run at every step is the
// daily schedule, and both hold the short at the planner's target every day
// once holdings change (weekly purchases).
func TestBandZeroEqualsDaily(t *testing.T) {
	s := load(t, "eth_daily.csv", SpotCoinbase)
	pol := hedge.DefaultPolicies()
	band0 := pick(t, pol, []string{"ETH"}, []string{"ETH"}, "band 1%")[0]
	band0.Name = "band 0"
	mustSet(&band0.Policies, "band", "0.000000000000000001")
	strats := append([]Strategy{band0}, pick(t, pol, []string{"ETH"}, []string{"ETH"}, "daily", "band 10%")...)
	var flows []Flow
	for t0 := day("2023-01-07"); t0.Before(day("2023-06-30")); t0 = t0.Add(7 * 24 * time.Hour) {
		flows = append(flows, Flow{Time: t0, Asset: "ETH", Amount: d("0.25")})
	}
	res, err := Run(Config{Series: []*Series{s}, From: day("2023-01-01"), To: day("2023-06-30"), Flows: flows,
		Hold: []Hold{{Asset: "ETH", Amount: d("10")}}, Policy: pol, Costs: CostsGMX, Strategies: strats})
	if err != nil {
		t.Fatal(err)
	}
	a, b, wide := res.Strategies[0], res.Strategies[1], res.Strategies[2]
	for i := range a.Path {
		pa, pb := a.Path[i], b.Path[i]
		if !pa.Value.Equal(pb.Value) || !pa.Shorts[0].Equal(pb.Shorts[0]) || pa.Traded != pb.Traded {
			t.Fatalf("%s: band 0 value %s short %s, daily value %s short %s", pa.Day, pa.Value, pa.Shorts[0], pb.Value, pb.Shorts[0])
		}
		// The risk policy refuses to increase a short while the perp trades
		// more than 50 bps below spot (the USDC de-peg of 2023-03-11..13).
		r := s.Rows[slices.IndexFunc(s.Rows, func(r Row) bool { return r.Time.Equal(pa.Time) })]
		discount := r.Perp.Sub(r.Spot).DivRound(r.Spot, 18).LessThan(d("-0.005"))
		if !pa.Shorts[0].Equal(pa.Targets[0]) && !discount {
			t.Errorf("%s: band 0 short %s, target %s", pa.Day, pa.Shorts[0], pa.Targets[0])
		}
	}
	if a.Trades != b.Trades || a.Trades < 100 || wide.Trades >= a.Trades/10 {
		t.Errorf("trades: band 0 %d, daily %d, band 10%% %d", a.Trades, b.Trades, wide.Trades)
	}
}

// SOL on 2022-11-10 had funding of −15.4% over the close-to-close day: the
// short pays rate × size × mark, and the funding total shows it negative.
func TestFundingSignSOL(t *testing.T) {
	s := load(t, "sol_daily.csv", SpotBinance)
	pol := hedge.DefaultPolicies()
	res, err := Run(Config{Series: []*Series{s}, From: day("2022-11-08"), To: day("2022-11-10"),
		Hold: []Hold{{Asset: "SOL", Amount: d("100")}}, Policy: pol, Costs: CostsZero,
		Strategies: pick(t, pol, []string{"SOL"}, []string{"SOL"}, "policy")})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Strategies[0].Path
	if p[2].Day != "2022-11-10" {
		t.Fatalf("last step is %s", p[2].Day)
	}
	// Held from the 11-09 close: the short is 100 SOL from day one.
	paid := p[2].Funding.Sub(p[1].Funding)
	want := d("100").Mul(d("17.66")).Mul(d("-0.15429134"))
	if !paid.IsNegative() || !paid.Equal(want.RoundFloor(moneyDecimals)) {
		t.Errorf("funding on 2022-11-10: %s, want %s (negative: the short pays)", paid, want)
	}
	m := res.Strategies[0].Metrics
	if !m.FundingPaid.IsNegative() || !m.FundingReceived.IsZero() || !m.Funding.Equal(m.FundingPaid) {
		t.Errorf("funding received %s paid %s net %s", m.FundingReceived, m.FundingPaid, m.Funding)
	}
}

// One small run's whole JSON, every strategy, GMX costs.
func TestGoldenJSON(t *testing.T) {
	s := load(t, "eth_daily.csv", SpotCoinbase)
	res, err := Run(Config{Series: []*Series{s}, From: day("2022-05-01"), To: day("2022-06-30"),
		Hold: []Hold{{Asset: "ETH", Amount: d("10")}}, Policy: hedge.DefaultPolicies(), Costs: CostsGMX})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(res.JSON(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden_eth_2022-05.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("JSON differs from %s (go test ./hedge/backtest -run Golden -update rewrites it):\n%s", path, got)
	}
}

func TestBadFiles(t *testing.T) {
	const sharedHead = "date,spot_close_usdt_binance,spot_close_usd_coinbase,funding_rate_day,funding_rate_c2c,n_settlements\n"
	for _, c := range []struct{ name, body, want string }{
		{"gap", sharedHead + "2022-01-01,1,1,0,0,3\n2022-01-02,1,1,0,0,3\n2022-01-04,1,1,0,0,3\n", "line 4: gap: 2022-01-04 after 2022-01-02, the file's step is 24h0m0s"},
		{"unsorted", sharedHead + "2022-01-02,1,1,0,0,3\n2022-01-03,1,1,0,0,3\n2022-01-01,1,1,0,0,3\n", "line 4: time 2022-01-01 is not after the previous row's 2022-01-03"},
		{"repeated", "time,spot,perp,funding\n2022-01-01,1,1,0\n2022-01-01,1,1,0\n", "line 3: time 2022-01-01 is not after"},
		{"missing column", "time,spot,funding\n2022-01-01,1,0\n", `line 1: missing column "perp"`},
		{"no time column", "when,spot,perp,funding\n", `line 1: no "date" or "time" column`},
		{"non-numeric", "time,spot,perp,funding\n2022-01-01,1,1,0\n2022-01-02,1,abc,0\n", `line 3: perp "abc" is not a number`},
		{"blank funding mid-file", sharedHead + "2022-01-01,1,1,0,,3\n2022-01-02,1,1,0,0,3\n", "line 2: funding_rate_c2c is blank"},
		{"non-positive price", "time,spot,perp,funding\n2022-01-01,0,1,0\n", "line 2: spot 0 is not a positive price"},
		{"short row", "time,spot,perp,funding\n2022-01-01,1,1\n", "line 2: 3 cells, the header has 4"},
		{"bad date", sharedHead + "01/02/2022,1,1,0,0,3\n", `line 2: date "01/02/2022" is not YYYY-MM-DD`},
		{"negative borrow", "time,spot,perp,funding,borrow\n2022-01-01,1,1,0,-0.1\n", "line 2: borrow -0.1 is negative"},
		{"one row", "time,spot,perp,funding\n2022-01-01,1,1,0\n", "1 rows with data, need at least 2"},
	} {
		_, err := Load(strings.NewReader(c.body), "ETH", SpotCoinbase)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line containing %q", c.name, err, c.want)
		}
	}
	// The shared files' blank last funding cell is dropped, and said so.
	s := load(t, "eth_daily.csv", SpotCoinbase)
	if len(s.Rows) != 2189 || !strings.Contains(s.Note, "line 2191") || s.Day(len(s.Rows)-1) != "2025-12-28" {
		t.Errorf("eth_daily.csv: %d rows, last %s, note %q", len(s.Rows), s.Day(len(s.Rows)-1), s.Note)
	}
	// The plain format with a borrowing column and 8-hour steps.
	p, err := Load(strings.NewReader("time,spot,perp,funding,borrow\n2022-01-01T00:00:00Z,10,10.1,0.0001,0.00002\n2022-01-01T08:00:00Z,11,11.1,-0.0002,\n"), "X", SpotCoinbase)
	if err != nil || p.Step != 8*time.Hour || !p.Rows[0].HasBorrow || p.Rows[1].HasBorrow || !p.Rows[1].Funding.Equal(d("-0.0002")) {
		t.Errorf("plain 8h: %+v, %v", p, err)
	}
	_, err = LoadFlows(strings.NewReader("date,asset,amount\n2022-01-01,ETH,x\n"))
	if err == nil || !strings.Contains(err.Error(), `line 2: amount "x" is not a number`) {
		t.Errorf("flows: %v", err)
	}
}

// SOL hedged with the ETH perp: its own market is left out, the ETH short
// carries beta × SOL exposure once 10 returns give an estimate.
func TestCrossAssetSOLWithETH(t *testing.T) {
	sol, eth := load(t, "sol_daily.csv", SpotCoinbase), load(t, "eth_daily.csv", SpotCoinbase)
	pol := hedge.DefaultPolicies()
	res, err := Run(Config{Series: []*Series{sol, eth}, From: day("2022-01-01"), To: day("2022-12-31"),
		Hold: []Hold{{Asset: "SOL", Amount: d("1000")}}, Policy: pol, Costs: CostsGMX,
		Strategies: pick(t, pol, []string{"SOL"}, []string{"ETH", "SOL"}, "no hedge", "policy", "SOL via ETH perp")})
	if err != nil {
		t.Fatal(err)
	}
	cross := res.Strategy("SOL via ETH perp")
	if !slices.Equal(cross.Markets, []string{"ETH"}) || cross.Trades == 0 {
		t.Fatalf("cross: markets %v, %d trades", cross.Markets, cross.Trades)
	}
	if p := cross.Path[5]; !p.Shorts[0].IsZero() {
		t.Errorf("%s: short %s before beta has 10 returns", p.Day, p.Shorts[0])
	}
	own := res.Strategy("policy")
	if cross.Effectiveness <= 0.5 || cross.Effectiveness >= own.Effectiveness {
		t.Errorf("effectiveness: cross %.3f, own perp %.3f; want 0.5 < cross < own", cross.Effectiveness, own.Effectiveness)
	}
}

func TestOutputs(t *testing.T) {
	s := load(t, "eth_daily.csv", SpotCoinbase)
	res, err := Run(Config{Series: []*Series{s}, From: day("2022-05-01"), To: day("2022-05-20"),
		Hold: []Hold{{Asset: "ETH", Amount: d("25000"), USD: true}}, Policy: hedge.DefaultPolicies(), Costs: CostsPerpVenue})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Strategy("no hedge").Path[0].SpotValue; got.Sub(d("25000")).Abs().GreaterThan(d("0.01")) {
		t.Errorf("25000usd at the first close is worth %s", got)
	}
	var tbl, csvOut, png, svg bytes.Buffer
	if err := res.WriteTable(&tbl); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"band 2.5%", "funding close", "intraday moves are not in daily data", "2022-05-01 → 2022-05-20"} {
		if !strings.Contains(tbl.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tbl.String())
		}
	}
	if err := res.WriteCSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil || len(recs) != 1+20*len(res.Strategies) || recs[0][len(recs[0])-1] != "target_ETH" {
		t.Errorf("csv: %d records (want %d), header %v, %v", len(recs), 1+20*len(res.Strategies), recs[0], err)
	}
	if err := res.WritePlot(&png, "png", "policy"); err != nil || !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")) {
		t.Errorf("png: %v, %d bytes", err, png.Len())
	}
	if err := res.WritePlot(&svg, "svg", "band 10%"); err != nil || !strings.Contains(svg.String(), "<svg") {
		t.Errorf("svg: %v", err)
	}
	if err := res.WritePlot(&svg, "svg", "nonesuch"); err == nil {
		t.Error("a plot of an unknown strategy must be refused")
	}
}

// A policy that says hedge_with for a held asset is honoured in every
// strategy: the asset's own perp is left out, as where it has no market.
func TestUserHedgeWith(t *testing.T) {
	pol, err := hedge.ParsePolicies(strings.NewReader("[SOL]\nhedge_with = ETH\nbeta = 1.2\n"))
	if err != nil {
		t.Fatal(err)
	}
	strats := DefaultStrategies(pol, []string{"SOL"}, []string{"ETH", "SOL"})
	for _, s := range strats {
		if s.Name == "SOL via ETH perp" {
			t.Error("the extra cross strategy duplicates the user's own")
		}
		if !s.NoHedge && !slices.Equal(s.NoMarket, []string{"SOL"}) {
			t.Errorf("%s: NoMarket %v", s.Name, s.NoMarket)
		}
	}
	sol, eth := load(t, "sol_daily.csv", SpotCoinbase), load(t, "eth_daily.csv", SpotCoinbase)
	res, err := Run(Config{Series: []*Series{sol, eth}, From: day("2022-01-01"), To: day("2022-03-31"),
		Hold: []Hold{{Asset: "SOL", Amount: d("100")}}, Policy: pol, Costs: CostsGMX, Strategies: strats[:2]})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Strategy("policy")
	// Beta 1.2 on the SOL exposure, in ETH at the first close.
	r0s, r0e := sol.Rows[slices.IndexFunc(sol.Rows, func(r Row) bool { return r.Time.Equal(day("2022-01-01")) })],
		eth.Rows[slices.IndexFunc(eth.Rows, func(r Row) bool { return r.Time.Equal(day("2022-01-01")) })]
	want := d("100").Mul(r0s.Spot).Mul(d("1.2")).DivRound(r0e.Perp, 18).Truncate(8)
	if !slices.Equal(p.Markets, []string{"ETH"}) || !p.Path[0].Targets[0].Equal(want) {
		t.Errorf("policy: markets %v, first ETH target %s, want %s", p.Markets, p.Path[0].Targets[0], want)
	}
}

// With a finite margin account the planner's own leverage cap and
// liquidation floor bind in a rally: the short shrinks below target, the
// shortfall is counted, cash never goes below zero, and a USD flow refills it.
func TestLimitedCollateral(t *testing.T) {
	s := load(t, "eth_daily.csv", SpotCoinbase)
	pol := hedge.DefaultPolicies()
	cash := d("1000") // against 10 ETH at ~730 USD: 1,000 USD carries less than 2x by the first rally
	strats := pick(t, pol, []string{"ETH"}, []string{"ETH"}, "policy")
	run := func(flows []Flow) StrategyResult {
		res, err := Run(Config{Series: []*Series{s}, From: day("2020-12-31"), To: day("2021-02-28"), Flows: flows,
			Hold: []Hold{{Asset: "ETH", Amount: d("10")}}, Policy: pol, Costs: CostsGMX, Collateral: &cash, Strategies: strats})
		if err != nil {
			t.Fatal(err)
		}
		return res.Strategies[0]
	}
	st := run(nil)
	last := st.Path[len(st.Path)-1]
	if st.ShortfallSteps == 0 || !last.Shorts[0].LessThan(last.Targets[0]) {
		t.Errorf("shortfall steps %d, last short %s vs target %s: 1,000 USD cannot carry 10 ETH through Jan 2021",
			st.ShortfallSteps, last.Shorts[0], last.Targets[0])
	}
	for _, p := range st.Path {
		if p.Cash.IsNegative() {
			t.Fatalf("%s: cash %s below zero with limited collateral", p.Day, p.Cash)
		}
	}
	refilled := run([]Flow{{Time: day("2021-01-10"), Asset: "USD", Amount: d("50000")}})
	if refilled.ShortfallSteps >= st.ShortfallSteps || refilled.Effectiveness <= st.Effectiveness {
		t.Errorf("50,000 USD in on 2021-01-10: shortfall steps %d (was %d), effectiveness %.4f (was %.4f)",
			refilled.ShortfallSteps, st.ShortfallSteps, refilled.Effectiveness, st.Effectiveness)
	}
	if !refilled.HedgedPnL.Sub(refilled.UnhedgedPnL).Abs().LessThan(st.UnhedgedPnL.Abs()) {
		t.Errorf("the 50,000 USD flow leaked into PnL: hedged %s, unhedged %s", refilled.HedgedPnL, refilled.UnhedgedPnL)
	}
}
