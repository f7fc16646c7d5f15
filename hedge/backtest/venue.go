package backtest

// The paper venue behind the hedge.Venue seam, and the only file that
// touches the planner's API. Each strategy's sim is a venue: Snapshot reads
// the paper account and step i's close, Compile turns the planner's orders
// into isolated-margin steps (approve, deposit, trade, withdraw) as the
// PerpVenue adapter and hedge/paper do, and Submit fills them on the paper
// account with the backtest's cost model. The markets carry that cost model
// (hedge.CostModel) and a linear margin model (hedge.MarginModel), so the
// planner sizes margin and gates entries with what this venue charges. A
// step of history runs through hedge/engine (Read → Plan → Check → Submit),
// the cycle `hedge` and `watch` run.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
)

// collateralDecimals is USDC's: deposits round up to whole micro-dollars.
const collateralDecimals = 6

// unlimitedCollateral is what the snapshot shows as the margin account's
// balance when the user tops it up on demand: more than any plan asks.
var unlimitedCollateral = decimal.New(1, 15)

// unlimitedAdapter is unlimitedCollateral as Snapshot.Adapter, boxed once.
var unlimitedAdapter any = unlimitedCollateral

var (
	_ hedge.Venue         = (*sim)(nil)
	_ hedge.CarryHistory  = (*sim)(nil)
	_ hedge.BetaEstimator = (*sim)(nil)
	_ hedge.CostModel     = CostModel{}
)

// TradeCost is what the paper venue charges for a trade of size (venue
// sign) at mark price: the taker fee on the fill, the price impact and the
// execution fee, exactly as Submit will charge it.
func (c CostModel) TradeCost(size, price decimal.Decimal) decimal.Decimal {
	if size.IsZero() {
		return decimal.Zero
	}
	if v, ok := c.tradeCostFixed(size, price); ok {
		return v
	}
	f := c.quote(size, price)
	return f.fee.Add(f.impact)
}

// marketKey is how the paper venue names a market.
func marketKey(asset string) string { return "paper-" + asset }

// Snapshot is what a watch cycle reads at the current step's close.
func (m *sim) Snapshot(context.Context) (*hedge.Snapshot, error) {
	i := m.i
	t := m.times[i]
	// Two snapshots are refilled in turn when the sim runs its own engine:
	// that engine keeps the previous cycle's (Engine.Prev, to see a frozen
	// funding index) and nothing older, so the buffer it does not hold is
	// free. Reusing its map and slices saves the largest allocation of a
	// cycle. Driven by anyone else's engine, every snapshot is new.
	var s *hedge.Snapshot
	switch {
	case m.eng == nil:
		s = &hedge.Snapshot{}
	case &m.snaps[0] == m.eng.Prev:
		s = &m.snaps[1]
	default:
		s = &m.snaps[0]
	}
	if m.keys == nil {
		m.costModel, m.marginModel = m.costs, m.margin
		for _, a := range m.markets {
			m.keys = append(m.keys, marketKey(a))
		}
	}
	markets, prices := s.Markets, s.Prices
	holdings, positions := s.Holdings[:0], s.Positions[:0]
	// The same markets every step: assigning over them reuses each entry
	// (a Market is stored out of line, and a cleared map would allocate
	// it anew).
	if markets == nil {
		markets = make(map[string]hedge.Market, len(m.markets))
	}
	if prices != nil {
		clear(prices)
	}
	*s = hedge.Snapshot{
		Block: uint64(i + 1), Time: t, Account: "paper",
		Markets:          markets,
		CollateralSymbol: "USD", CollateralDecimals: collateralDecimals,
	}
	if m.acct.unlimited {
		s.Collateral, s.Adapter = unlimitedCollateral, unlimitedAdapter
	} else {
		s.Collateral = decimal.Max(decimal.Zero, m.acct.cash).RoundFloor(collateralDecimals)
		// The allowance Compile sees: approvals cost nothing on paper, so the
		// venue allows whatever the account holds.
		s.Adapter = s.Collateral
	}
	for _, a := range m.held {
		if amt := m.spot[a]; amt.IsPositive() {
			holdings = append(holdings, hedge.Holding{Wallet: "paper", Asset: a, Token: "native", Amount: amt, TokenAmount: amt})
		}
	}
	s.Holdings = holdings
	for k, a := range m.markets {
		d := m.data[a]
		r := d.rows[i]
		key := m.keys[k]
		s.Markets[a] = hedge.Market{
			Key: key, Asset: a, IndexPrice: r.Spot, MarkPrice: r.Perp,
			// The rate known at this close is the one just paid.
			FundingRatePerDay: d.perDay[i],
			BorrowRatePerDay:  d.borrowPerDay[i],
			MaxLeverage:       m.costs.MaxLeverage, MaintenanceMargin: m.costs.MaintenanceMargin, TakerFee: m.costs.TakerFee,
			Margin:          m.marginModel,
			Cost:            m.costModel,
			OracleUpdatedAt: t, FundingIndex: d.index[i],
		}
		if p := m.acct.pos[a]; p != nil && !(p.size.IsZero() && p.margin.IsZero()) {
			positions = append(positions, hedge.Position{Key: key, Market: key, Asset: a,
				Size: p.size, EntryPrice: p.entry, Margin: p.margin, UnrealizedPnL: p.upnl(r.Perp)})
		}
	}
	s.Positions = positions
	if len(markets) > len(m.markets) {
		// Someone added a market to an earlier snapshot: not this step's.
		maps.DeleteFunc(markets, func(a string, _ hedge.Market) bool { return !slices.Contains(m.markets, a) })
	}
	for _, x := range m.cross {
		if prices == nil {
			prices = map[string]hedge.FeedPrice{}
		}
		prices[x] = hedge.FeedPrice{Price: m.data[x].rows[i].Spot, UpdatedAt: t}
	}
	if len(m.cross) > 0 {
		s.Prices = prices
	}
	return s, nil
}

// FillCarryWindow sets each market's FundingBefore: the window starts at
// the last step at least window(asset) before this one.
func (m *sim) FillCarryWindow(_ context.Context, s *hedge.Snapshot, window func(asset string) time.Duration) error {
	i := int(s.Block) - 1
	for a, mk := range s.Markets {
		w := window(a)
		if w <= 0 {
			continue
		}
		if k := i - int((w+m.step-1)/m.step); k >= 0 {
			mk.FundingBefore = hedge.FundingMark{Block: uint64(k + 1), Time: m.times[k], Index: m.data[a].index[k]}
			s.Markets[a] = mk
		}
	}
	return nil
}

// EstimateBetas gives the cross-asset holdings the OLS estimate from the
// returns up to this step (precomputed per series: no look-ahead).
func (m *sim) EstimateBetas(_ context.Context, s *hedge.Snapshot, _ hedge.Policies) error {
	for _, x := range m.cross {
		if est, ok := m.betas[x].at(m.i); ok {
			if s.Betas == nil {
				s.Betas = map[string]hedge.BetaEstimate{}
			}
			s.Betas[x] = est
		}
	}
	return nil
}

// Compile: the isolated-margin steps, as PerpVenue's adapter compiles them.
func (m *sim) Compile(s *hedge.Snapshot, orders []hedge.Order) ([]hedge.Step, error) {
	for _, o := range orders {
		if _, ok := s.Markets[o.Asset]; !ok {
			return nil, fmt.Errorf("paper: unknown market %q", o.Asset)
		}
	}
	allowance, _ := s.Adapter.(decimal.Decimal)
	return hedge.IsolatedSteps(orders, allowance, s.CollateralSymbol), nil
}

// errSlippage is a trade whose fill is worse than its acceptable price: the
// venue refuses it, as PerpVenue reverts it.
var errSlippage = errors.New("paper: acceptable price not met")

// Submit fills one step on the paper account at the current step's marks.
func (m *sim) Submit(_ context.Context, st hedge.Step) (hedge.Submission, error) {
	i := m.i
	switch st.Kind {
	case hedge.StepApprove:
	case hedge.StepDeposit:
		if err := m.acct.deposit(st.Asset, st.Amount); err != nil {
			return hedge.Submission{}, fmt.Errorf("deposit %s for %s: %w", st.Amount, st.Asset, err)
		}
		if st.Intent == hedge.IntentTopUp {
			m.acct.topUps++
			m.acct.topUpUSD = m.acct.topUpUSD.Add(st.Amount)
		}
	case hedge.StepWithdraw:
		m.acct.withdraw(st.Asset, st.Amount, st.All, m.data[st.Asset].rows[i].Perp)
	case hedge.StepTrade:
		f := m.costs.quote(st.SizeDelta, m.data[st.Asset].rows[i].Perp)
		if (st.SizeDelta.IsNegative() && f.price.LessThan(st.AcceptablePrice)) ||
			(st.SizeDelta.IsPositive() && f.price.GreaterThan(st.AcceptablePrice)) {
			m.acct.refused++
			return hedge.Submission{}, errSlippage
		}
		m.acct.trade(st.Asset, st.SizeDelta, f)
		m.traded = true
	default:
		return hedge.Submission{}, fmt.Errorf("paper: unknown step %q", st.Kind)
	}
	m.submitted++
	ref := fmt.Sprintf("paper-%d", m.submitted)
	return hedge.Submission{Ref: ref, Tx: ref}, nil
}

// cycle is one watch cycle at step i through the engine: read, risk and
// plan, check, submit. A trade refused for slippage stops the rest of the
// plan, as a reverted transaction does; the next step replans.
func (m *sim) cycle(ctx context.Context, i int) (traded bool, err error) {
	m.i, m.traded = i, false
	m.plans++
	c, err := m.eng.Read(ctx, nil)
	if err != nil {
		return false, err
	}
	if err := m.eng.Plan(ctx, c); err != nil {
		return false, err
	}
	short := false
	for _, a := range c.Plan.Assets {
		if _, ok := c.Snap.Markets[a.Asset]; ok {
			m.target[a.Asset] = a.TargetSize
			short = short || a.Shortfall.IsPositive()
		}
	}
	if short {
		m.shortSteps++
	}
	if err := m.eng.Check(c); err != nil {
		return false, err
	}
	if _, err := m.eng.Submit(ctx, c, engine.Hooks{}); err != nil && !errors.Is(err, errSlippage) {
		return m.traded, err // the caller names the step
	}
	return m.traded, nil
}

// betaSeries is an OLS beta estimate per step from the returns before it,
// by the project's own estimator (hedge.OLSBeta), for cross-asset hedges
// whose policy says beta = auto.
type betaSeries struct {
	est []hedge.BetaEstimate
	ok  []bool
}

func (b *betaSeries) at(i int) (hedge.BetaEstimate, bool) {
	if b == nil || i >= len(b.ok) || !b.ok[i] {
		return hedge.BetaEstimate{}, false
	}
	return b.est[i], true
}

// estimateBetas regresses x's log returns on m's over a rolling window of
// whole steps ending at each step (no look-ahead). Log returns are computed
// once per series: decimal logarithms dominate the estimator's cost.
func estimateBetas(x, mk *assetData, times []time.Time, window, step time.Duration) *betaSeries {
	n := len(times)
	rx, rm := make([]decimal.Decimal, n), make([]decimal.Decimal, n)
	for i := 1; i < n; i++ {
		rx[i] = logRatio(x.rows[i].Spot, x.rows[i-1].Spot)
		rm[i] = logRatio(mk.rows[i].Spot, mk.rows[i-1].Spot)
	}
	w := int(window / step)
	if window <= 0 {
		w = n
	}
	out := &betaSeries{est: make([]hedge.BetaEstimate, n), ok: make([]bool, n)}
	// The window slides: OLSWindow's estimate is OLSBeta's of rx[lo:i+1],
	// rm[lo:i+1] without a pass over the window at every step.
	var win hedge.OLSWindow
	for i := 1; i < n; i++ {
		lo := max(1, i-w+1)
		win.Push(rx[i], rm[i])
		for win.Len() > i-lo+1 {
			win.Pop()
		}
		if i-lo+1 < hedge.MinBetaSamples {
			continue
		}
		e, err := win.Estimate()
		if err != nil {
			continue
		}
		e.Asset, e.HedgeWith = x.asset, mk.asset
		e.From, e.To, e.Interval, e.Source = times[lo-1], times[i], step, "backtest"
		out.est[i], out.ok[i] = e, true
	}
	return out
}

func logRatio(p1, p0 decimal.Decimal) decimal.Decimal {
	r, err := p1.DivRound(p0, 18).Ln(16)
	if err != nil {
		return decimal.Zero
	}
	return r
}
