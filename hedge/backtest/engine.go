package backtest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/internal/fixed"
)

// MinBand stands for a band of 0: hedge.Policy refuses 0, and any drift the
// planner's 8-decimal sizes can express is larger than this.
var MinBand = decimal.New(1, -18)

// Hold is a starting spot holding: Amount units, or Amount USD at the first
// step's spot price when USD.
type Hold struct {
	Asset  string
	Amount decimal.Decimal
	USD    bool
}

// Config is one backtest run.
type Config struct {
	Series   []*Series
	Hold     []Hold
	Flows    []Flow
	From, To time.Time // zero = the data's own range; times of closes
	// Policy is the user's, as `hedge` and `watch` would take it.
	Policy hedge.Policies
	Costs  CostModel
	// Collateral is the margin account's cash at the start; nil means the
	// user tops it up whenever the planner asks (money brought in is not PnL).
	Collateral *decimal.Decimal
	// Strategies to run; nil runs DefaultStrategies.
	Strategies []Strategy
	// Progress, when set, is called as steps complete (from one goroutine
	// at a time).
	Progress func(done, total int)
	// Workers caps the goroutines; 0 uses GOMAXPROCS.
	Workers int
}

// Strategy is a policy and a schedule for running the planner.
type Strategy struct {
	Name string
	// Policies is the complete policy the planner gets.
	Policies hedge.Policies
	// Every: 0 runs the planner at every step (the band decides); otherwise
	// only once this much time has passed since it last ran.
	Every time.Duration
	// NoHedge never plans: the spot alone.
	NoHedge bool
	// NoMarket lists assets whose own perp is left out, so that their
	// policy's hedge_with carries them on another market (cross-asset).
	NoMarket []string
	Note     string
}

// DefaultStrategies is the side-by-side set for a user's policy: no hedge;
// the policy itself; a band grid; daily and weekly schedules; a static
// hedge; funding-aware variants; partial ratios; higher leverage without the
// liquidation floor; and, when ETH data is loaded, every other held asset
// hedged with the ETH perp.
func DefaultStrategies(user hedge.Policies, held []string, dataAssets []string) []Strategy {
	// A held asset whose policy says hedge_with is hedged on that market in
	// every strategy, as `hedge` would do where the asset has no market of its own.
	var userCross []string
	for _, a := range held {
		if w := user.For(a).HedgeWith; w != "" && w != a && slices.Contains(dataAssets, w) {
			userCross = append(userCross, a)
		}
	}
	with := func(name string, set ...string) Strategy {
		p := clonePolicies(user)
		for k := 0; k+1 < len(set); k += 2 {
			mustSet(&p, set[k], set[k+1])
		}
		return Strategy{Name: name, Policies: p, NoMarket: slices.Clone(userCross)}
	}
	out := []Strategy{{Name: "no hedge", NoHedge: true, Policies: user}, with("policy")}
	for _, b := range []string{"0.01", "0.025", "0.05", "0.10", "0.20"} {
		out = append(out, with("band "+pct(b), "band", b))
	}
	daily := with("daily", "band", MinBand.String())
	daily.Every, daily.Note = 24*time.Hour, "rebalance to target once a day, whatever the drift"
	weekly := with("weekly", "band", MinBand.String())
	weekly.Every, weekly.Note = 7*24*time.Hour, "rebalance to target once a week, nothing in between"
	static := with("static", "cooldown", "876000h")
	static.Note = "hedge once, then only margin top-ups (cooldown never ends)"
	out = append(out, daily, weekly, static,
		with("funding reduce", "funding_action", "reduce"),
		with("funding close", "funding_action", "close"),
		with("funding reduce 10%", "funding_action", "reduce", "funding_budget_apr", "0.10"))
	for _, r := range []string{"0.25", "0.5", "0.75", "0.9"} {
		out = append(out, with("ratio "+pct(r), "hedge_ratio", r))
	}
	l5 := with("5x", "max_leverage", "5")
	l5.Note = "leverage 5 with the liquidation floor kept: less margin, more top-ups"
	l3 := with("3x no floor", "max_leverage", "3", "liq_floor", "0")
	l10 := with("10x no floor", "max_leverage", "10", "liq_floor", "0")
	out = append(out, l5, l3, l10)
	if slices.Contains(dataAssets, "ETH") {
		for _, a := range held {
			if a == "ETH" || slices.Contains(userCross, a) {
				continue
			}
			s := with(a + " via ETH perp")
			p := s.Policies.For(a)
			mustAssetSet(&p, "hedge_with", "ETH")
			if p.Beta.IsZero() && !p.BetaAuto {
				mustAssetSet(&p, "beta", "auto")
			}
			s.Policies.Assets[a] = p
			s.NoMarket = append(s.NoMarket, a)
			s.Note = fmt.Sprintf("%s's own perp left out; hedged on the ETH short with beta %s", a, betaText(p))
			out = append(out, s)
		}
	}
	return out
}

func betaText(p hedge.AssetPolicy) string {
	if p.BetaAuto {
		return "auto (OLS over " + p.BetaWindow.String() + ")"
	}
	return p.Beta.String()
}

func pct(frac string) string {
	return decimal.RequireFromString(frac).Shift(2).String() + "%"
}

func clonePolicies(p hedge.Policies) hedge.Policies {
	out := hedge.Policies{Default: p.Default, Assets: map[string]hedge.AssetPolicy{}}
	for a, v := range p.Assets {
		out.Assets[a] = v
	}
	return out
}

// mustSet sets key on the default and every asset override; the keys and
// values are this file's own, so a failure is a bug here.
func mustSet(p *hedge.Policies, key, value string) {
	mustAssetSet(&p.Default, key, value)
	for a, v := range p.Assets {
		mustAssetSet(&v, key, value)
		p.Assets[a] = v
	}
}

func mustAssetSet(p *hedge.AssetPolicy, key, value string) {
	if err := p.Set(key, value); err != nil {
		panic(fmt.Sprintf("backtest: policy %s = %s: %v", key, value, err))
	}
}

// assetData is one asset's aligned history with what every strategy shares.
type assetData struct {
	asset  string
	rows   []Row
	perDay []decimal.Decimal // funding rate per day, venue convention
	index  []decimal.Decimal // cumulative funding per unit of short, USD
	borrow []decimal.Decimal // borrowing per period, fraction of notional
	// borrowPerDay is borrow as a rate per day, as the venue's market shows it.
	borrowPerDay []decimal.Decimal
}

// sim is one strategy's run.
type sim struct {
	strat   Strategy
	pol     hedge.Policies
	data    map[string]*assetData
	times   []time.Time
	step    time.Duration
	costs   CostModel
	markets []string // assets with a market in this strategy, sorted
	held    []string // assets with spot (ever), sorted
	cross   []string // held assets without a market here
	betas   map[string]*betaSeries
	spot    map[string]decimal.Decimal
	acct    *account
	margin  hedge.LinearMargin
	// The snapshot's models and market keys, made at the first snapshot:
	// boxing the cost model into the interface every cycle allocates.
	costModel   hedge.CostModel
	marginModel hedge.MarginModel
	keys        []string // marketKey of markets[k]
	snaps       [2]hedge.Snapshot
	eng         *engine.Engine
	target      map[string]decimal.Decimal
	// path holds the daily path's values, which all live as long as the
	// run's result.
	path fixed.Slab
	// The venue's side: the step being run, whether it traded, and how
	// many steps it accepted.
	i         int
	traded    bool
	submitted int
	// shortSteps counts plans that could not reach their target.
	shortSteps int
	plans      int // planner calls
	lastPlan   time.Time
	day        func(int) string
}

// Result is a run's outcome.
type Result struct {
	Assets     []string
	Markets    []string // every asset with data (perp markets)
	Start, End string   // first and last step
	Steps      int
	Step       time.Duration
	Costs      string
	Spot, Perp string // the columns used
	Notes      []string
	Strategies []StrategyResult
	// PlannerCalls counts the EvaluateRisk + ApplyRisk rounds the run made
	// (a strategy identical to another is run once).
	PlannerCalls int
}

// StrategyResult is one strategy's metrics and daily path.
type StrategyResult struct {
	Name, Note string
	Markets    []string // its markets, in the order of Point.Shorts
	Metrics
	Path []Point
}

// Point is one step of a strategy's path. Values are USD.
type Point struct {
	Time          time.Time
	Day           string
	SpotValue     decimal.Decimal // spot holdings alone
	Value         decimal.Decimal // spot + margin account (cash and equity)
	PnL, Unhedged decimal.Decimal // this step's change, flows taken out
	Funding, Fees decimal.Decimal // cumulative, + received / costs
	Cash, Margin  decimal.Decimal // margin account: cash, and equity in positions
	Shorts        []decimal.Decimal
	Targets       []decimal.Decimal
	Traded        bool
	Liquidated    bool // a position was liquidated on this close
}

// Run backtests every strategy of cfg over its data.
func Run(cfg Config) (*Result, error) {
	series, err := align(cfg.Series, cfg.From, cfg.To)
	if err != nil {
		return nil, err
	}
	res := &Result{Costs: cfg.Costs.Name, Step: series[0].Step, Steps: len(series[0].Rows)}
	if cfg.Costs.MaxLeverage.IsZero() {
		return nil, errors.New("no cost model")
	}
	data := map[string]*assetData{}
	var spotCols, perpCols []string
	for _, s := range series {
		data[s.Asset] = prepare(s, cfg.Costs)
		res.Markets = append(res.Markets, s.Asset)
		if orig := cfg.Series[slices.Index(series, s)]; s.Note != "" && (cfg.To.IsZero() || cfg.To.After(orig.Rows[len(orig.Rows)-1].Time)) {
			res.Notes = append(res.Notes, s.Asset+": "+s.Note)
		}
		spotCols, perpCols = appendNew(spotCols, s.SpotColumn), appendNew(perpCols, s.PerpColumn)
	}
	res.Spot, res.Perp = strings.Join(spotCols, "; "), strings.Join(perpCols, "; ")
	slices.Sort(res.Markets)
	times := make([]time.Time, res.Steps)
	for i, r := range series[0].Rows {
		times[i] = r.Time
	}
	// Every strategy's path names the same steps: format them once.
	days := make([]string, len(times))
	for i, t := range times {
		days[i] = fmtTime(t, res.Step)
	}
	day := func(i int) string { return days[i] }
	res.Start, res.End = day(0), day(res.Steps-1)

	start := map[string]decimal.Decimal{}
	for _, h := range cfg.Hold {
		d, ok := data[h.Asset]
		if !ok {
			return nil, fmt.Errorf("--hold %s: no data file for %s", h.Asset, h.Asset)
		}
		amt := h.Amount
		if h.USD {
			amt = h.Amount.DivRound(d.rows[0].Spot, 18).Truncate(hedge.SizeDecimals)
		}
		if amt.IsNegative() {
			return nil, fmt.Errorf("--hold %s: negative amount", h.Asset)
		}
		start[h.Asset] = start[h.Asset].Add(amt)
	}
	flows := map[int][]Flow{}
	for _, f := range cfg.Flows {
		if _, ok := data[f.Asset]; !ok && f.Asset != "USD" {
			return nil, fmt.Errorf("flow of %s: no data file for it (assets: %s, or USD for the margin account)", f.Asset, strings.Join(res.Markets, ", "))
		}
		k, ok := slices.BinarySearchFunc(times, f.Time, func(t, x time.Time) int { return t.Compare(x) })
		switch {
		case k == 0 && !ok:
			res.Notes = append(res.Notes, fmt.Sprintf("flow of %s %s before the start left out", f.Amount, f.Asset))
			continue
		case k >= len(times):
			res.Notes = append(res.Notes, fmt.Sprintf("flow of %s %s after the end left out", f.Amount, f.Asset))
			continue
		}
		flows[k] = append(flows[k], f)
		if _, ok := start[f.Asset]; !ok && f.Asset != "USD" {
			start[f.Asset] = decimal.Zero
		}
	}
	var held []string
	for a := range start {
		held = append(held, a)
	}
	slices.Sort(held)
	if len(held) == 0 {
		return nil, errors.New("nothing held: give --hold ASSET=AMOUNT (or ASSET=AMOUNTusd)")
	}
	res.Assets = held

	strats := cfg.Strategies
	if strats == nil {
		strats = DefaultStrategies(cfg.Policy, held, res.Markets)
	}
	// Beta estimates are shared by every strategy that needs them, and made
	// by the first worker that does, while the others run other strategies.
	betas := map[string]func() *betaSeries{}
	for _, st := range strats {
		if err := st.Policies.Validate(); err != nil {
			return nil, fmt.Errorf("strategy %q: %w", st.Name, err)
		}
		for _, x := range st.NoMarket {
			p := st.Policies.For(x)
			key := x + "/" + p.HedgeWith + "/" + p.BetaWindow.String()
			if _, ok := betas[key]; ok || !p.BetaAuto || data[p.HedgeWith] == nil || data[x] == nil {
				continue
			}
			xd, with, window := data[x], data[p.HedgeWith], p.BetaWindow
			betas[key] = sync.OnceValue(func() *betaSeries { return estimateBetas(xd, with, times, window, res.Step) })
		}
	}

	res.Strategies = make([]StrategyResult, len(strats))
	errs := make([]error, len(strats))
	calls := make([]int, len(strats))
	total := len(strats) * res.Steps
	var mu sync.Mutex
	done := 0
	report := func(n int) {
		if cfg.Progress == nil {
			return
		}
		mu.Lock()
		done += n
		cfg.Progress(done, total)
		mu.Unlock()
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(strats)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				st := strats[k]
				m := &sim{strat: st, pol: st.Policies, data: data, times: times, step: res.Step, costs: cfg.Costs,
					held: held, spot: map[string]decimal.Decimal{}, target: map[string]decimal.Decimal{}, day: day,
					betas: map[string]*betaSeries{}}
				for a, v := range start {
					m.spot[a] = v
				}
				// A market is planned when something it hedges is held: a
				// perp of an asset nobody holds has nothing to do.
				for _, a := range res.Markets {
					_, own := start[a]
					if !slices.Contains(st.NoMarket, a) && (own || hedgedOn(st, a)) {
						m.markets = append(m.markets, a)
					}
				}
				for _, x := range st.NoMarket {
					if _, ok := start[x]; ok {
						m.cross = append(m.cross, x)
						p := st.Policies.For(x)
						if est := betas[x+"/"+p.HedgeWith+"/"+p.BetaWindow.String()]; est != nil {
							m.betas[x] = est()
						}
					}
				}
				unlimited := cfg.Collateral == nil
				cash := decimal.Zero
				if !unlimited {
					cash = *cfg.Collateral
				}
				m.acct = newAccount(cash, unlimited, cfg.Costs)
				m.margin = hedge.LinearMargin{Maintenance: cfg.Costs.MaintenanceMargin, Leverage: cfg.Costs.MaxLeverage}
				// The engine `hedge` and `watch` run, on this paper venue; a
				// plan short of collateral hedges what it can (counted in
				// ShortfallSteps) rather than stopping the run.
				m.eng = &engine.Engine{Venue: m, Policies: st.Policies, AllowPartial: true, NoStatus: true}
				res.Strategies[k], errs[k] = m.run(flows, report)
				calls[k] = m.plans
			}
		}()
	}
	// A strategy identical to an earlier one (e.g. "band 5%" under a 5%
	// policy) is run once and its result copied under its own name.
	same := make([]int, len(strats))
	var run []int
	for k := range strats {
		same[k] = k
		for j := range k {
			if same[j] == j && sameStrategy(strats[j], strats[k]) {
				same[k] = j
				break
			}
		}
		if same[k] == k {
			run = append(run, k)
		} else {
			report(res.Steps)
		}
	}
	// Strategies that plan every step first, the cheap ones (no hedge,
	// weekly) last, so that no worker is left with a long one at the end
	// while the others have nothing to do. Results keep their places.
	slices.SortStableFunc(run, func(a, b int) int { return cmp.Compare(planCost(strats[b], res.Step), planCost(strats[a], res.Step)) })
	for _, k := range run {
		jobs <- k
	}
	close(jobs)
	wg.Wait()
	for k, j := range same {
		res.PlannerCalls += calls[k]
		if j != k {
			r := res.Strategies[j]
			r.Name, r.Note, errs[k] = strats[k].Name, strats[k].Note, errs[j]
			res.Strategies[k] = r
		}
	}
	for k, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("strategy %q: %w", strats[k].Name, err)
		}
	}
	return res, nil
}

// planCost ranks a strategy by how often it plans: no hedge never, a
// schedule longer than a step once per period, any other every step.
func planCost(st Strategy, step time.Duration) int {
	switch {
	case st.NoHedge:
		return 0
	case st.Every > step:
		return 1
	}
	return 2
}

func sameStrategy(a, b Strategy) bool {
	return a.Every == b.Every && a.NoHedge == b.NoHedge && slices.Equal(a.NoMarket, b.NoMarket) &&
		reflect.DeepEqual(a.Policies, b.Policies)
}

// hedgedOn says whether st carries a cross-asset holding on a's market.
func hedgedOn(st Strategy, a string) bool {
	for _, x := range st.NoMarket {
		if st.Policies.For(x).HedgeWith == a {
			return true
		}
	}
	return false
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

func prepare(s *Series, costs CostModel) *assetData {
	n := len(s.Rows)
	d := &assetData{asset: s.Asset, rows: s.Rows, perDay: make([]decimal.Decimal, n), index: make([]decimal.Decimal, n),
		borrow: make([]decimal.Decimal, n), borrowPerDay: make([]decimal.Decimal, n)}
	// Normalized: a daily step's factor is 1, not 1.000000000000000000,
	// so the rates it scales keep their own few decimals. Only the
	// exponent changes, never a value, and every figure downstream is a
	// function of values alone; short coefficients keep the planner's
	// arithmetic in 128-bit integers (hedge/internal/fixed).
	perDay := decimal.NewFromInt(int64(24*time.Hour)).DivRound(decimal.NewFromInt(int64(s.Step)), 18).Normalize()
	stepBorrow := costs.BorrowPerDay.DivRound(perDay, 18)
	idx := decimal.Zero
	for i, r := range s.Rows {
		d.perDay[i] = r.Funding.Mul(perDay)
		if i > 0 {
			// What one unit of short received over the period ending here.
			idx = idx.Add(r.Funding.Mul(r.Perp))
		}
		d.index[i] = idx
		d.borrow[i] = stepBorrow
		if r.HasBorrow {
			d.borrow[i] = r.Borrow
		}
		d.borrowPerDay[i] = d.borrow[i].Mul(perDay)
	}
	return d
}

// run steps one strategy through history: at each close, settle the
// period's funding and borrowing, apply flows, liquidate on the close if
// equity is below maintenance, then (when due) plan and fill, and record.
func (m *sim) run(flows map[int][]Flow, report func(int)) (StrategyResult, error) {
	n := len(m.times)
	out := StrategyResult{Name: m.strat.Name, Note: m.strat.Note, Markets: m.markets, Path: make([]Point, n)}
	marks := map[string]decimal.Decimal{}
	cash0 := m.acct.cash
	var prevValue, prevSpot decimal.Decimal
	pending := 0
	shorts, targets := make([]decimal.Decimal, n*len(m.markets)), make([]decimal.Decimal, n*len(m.markets))
	for i := range n {
		for _, a := range m.markets {
			r := m.data[a].rows[i]
			marks[a] = r.Perp
			if i > 0 {
				m.acct.accrue(a, r.Funding, m.data[a].borrow[i], r.Perp)
			}
		}
		flowUSD := decimal.Zero
		for _, f := range flows[i] {
			if f.Asset == "USD" {
				m.acct.cash = m.acct.cash.Add(f.Amount)
				cash0 = cash0.Add(f.Amount)
				flowUSD = flowUSD.Add(f.Amount)
				continue
			}
			next := m.spot[f.Asset].Add(f.Amount)
			if next.IsNegative() {
				return out, fmt.Errorf("flow on %s takes %s %s but only %s is held", m.day(i), f.Amount.Neg(), f.Asset, m.spot[f.Asset])
			}
			m.spot[f.Asset] = next
			flowUSD = flowUSD.Add(f.Amount.Mul(m.data[f.Asset].rows[i].Spot))
		}
		pt := Point{Time: m.times[i], Day: m.day(i)}
		for _, a := range m.markets {
			pt.Liquidated = m.acct.liquidate(a, marks[a]) || pt.Liquidated
		}
		if !m.strat.NoHedge && (m.strat.Every == 0 || m.lastPlan.IsZero() || m.times[i].Sub(m.lastPlan) >= m.strat.Every) {
			m.lastPlan = m.times[i]
			var err error
			if pt.Traded, err = m.cycle(context.Background(), i); err != nil {
				return out, fmt.Errorf("%s: %w", m.day(i), err)
			}
		}
		acctValue := m.acct.value(marks)
		if !m.values(&pt, i, acctValue, prevValue, prevSpot, flowUSD, flows[i]) {
			spotValue := decimal.Zero
			for _, a := range m.held {
				spotValue = spotValue.Add(m.spot[a].Mul(m.data[a].rows[i].Spot))
			}
			pt.SpotValue = spotValue
			pt.Value = spotValue.Add(acctValue)
			pt.Cash, pt.Margin = m.acct.cash, acctValue.Sub(m.acct.cash)
			if i > 0 {
				pt.PnL = pt.Value.Sub(prevValue).Sub(flowUSD)
				pt.Unhedged = spotValue.Sub(prevSpot).Sub(flowUSD.Sub(flowCash(flows[i])))
			}
			pt.Fees = m.acct.fees.Add(m.acct.borrow)
		}
		spotValue := pt.SpotValue
		pt.Funding = m.acct.funding
		// Every step's shorts and targets share two arrays of the run
		// (capacity capped, so no append can reach the next step's).
		nm := len(m.markets)
		pt.Shorts, pt.Targets = shorts[i*nm:(i+1)*nm:(i+1)*nm], targets[i*nm:(i+1)*nm:(i+1)*nm]
		for k, a := range m.markets {
			if p := m.acct.pos[a]; p != nil {
				pt.Shorts[k] = m.negDec(p.size)
			}
			pt.Targets[k] = m.target[a]
		}
		out.Path[i] = pt
		prevValue, prevSpot = pt.Value, spotValue
		if pending++; pending == 64 || i == n-1 {
			report(pending)
			pending = 0
		}
	}
	out.Metrics = m.metrics(out.Path, cash0)
	return out, nil
}

// values fills pt's values as run's decimal lines do, in exact 128-bit
// integers (hedge/internal/fixed): each value made once rather than through
// two or three intermediate Decimals. False, with pt untouched, when a value
// does not fit.
func (m *sim) values(pt *Point, i int, acctValue, prevValue, prevSpot, flowUSD decimal.Decimal, flows []Flow) bool {
	c := fixed.NewCalc()
	var spotValue fixed.N
	for _, a := range m.held {
		spotValue = c.Add(spotValue, c.Mul(c.Of(m.spot[a]), c.Of(m.data[a].rows[i].Spot)))
	}
	acct, cash := c.Of(acctValue), c.Of(m.acct.cash)
	value := c.Add(spotValue, acct)
	margin := c.Sub(acct, cash)
	var pnl, unhedged fixed.N
	if i > 0 {
		flow := c.Of(flowUSD)
		pnl = c.Sub(c.Sub(value, c.Of(prevValue)), flow)
		unhedged = c.Sub(c.Sub(spotValue, c.Of(prevSpot)), c.Sub(flow, c.Of(flowCash(flows))))
	}
	fees := c.Add(c.Of(m.acct.fees), c.Of(m.acct.borrow))
	if !c.OK {
		return false
	}
	pt.SpotValue, pt.Value = m.path.Dec(spotValue), m.path.Dec(value)
	pt.Cash, pt.Margin = m.acct.cash, m.path.Dec(margin)
	if i > 0 {
		pt.PnL, pt.Unhedged = m.path.Dec(pnl), m.path.Dec(unhedged)
	}
	pt.Fees = m.path.Dec(fees)
	return true
}

// negDec is d.Neg(), for the path.
func (m *sim) negDec(d decimal.Decimal) decimal.Decimal {
	if x, ok := fixed.Of(d); ok {
		return m.path.Dec(x.Neg())
	}
	return d.Neg()
}

func flowCash(fs []Flow) decimal.Decimal {
	s := decimal.Zero
	for _, f := range fs {
		if f.Asset == "USD" {
			s = s.Add(f.Amount)
		}
	}
	return s
}
