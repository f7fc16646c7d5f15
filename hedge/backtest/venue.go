package backtest

// The paper venue's side of the planner's seam, and the only file that
// touches its API: a hedge.Snapshot built from one step of history and the
// paper account, the planner and risk policy run on it exactly as `hedge` and
// `watch` run them, and the plan's actions turned into paper fills.
//
// Porting to a new venue seam means changing this file only: snapshot fills
// whatever the Snapshot carries (a cost or margin model from m.costs,
// pending orders: none on paper, fills are immediate), and execute maps
// each order onto the paper account (acct.quote/trade for a size change,
// acct.deposit/withdraw for margin).

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

// collateralDecimals is USDC's: deposits round up to whole micro-dollars.
const collateralDecimals = 6

// unlimitedCollateral is what the snapshot shows as the margin account's
// balance when the user tops it up on demand: more than any plan asks.
var unlimitedCollateral = decimal.New(1, 15)

// snapshot is what a watch cycle would read at step i's close.
func (m *sim) snapshot(i int) *hedge.Snapshot {
	t := m.times[i]
	s := &hedge.Snapshot{
		Block: uint64(i + 1), Time: t, Account: "paper",
		Markets: map[string]hedge.Market{}, Position: map[string]hedge.Position{},
		CollateralSymbol: "USD", CollateralDecimals: collateralDecimals,
	}
	s.Collateral = decimal.Max(decimal.Zero, m.acct.cash).RoundFloor(collateralDecimals)
	if m.acct.unlimited {
		s.Collateral = unlimitedCollateral
	}
	s.CollateralAllowance = s.Collateral // approvals cost nothing on paper
	for _, a := range m.held {
		if amt := m.spot[a]; amt.IsPositive() {
			s.Holdings = append(s.Holdings, hedge.Holding{Wallet: "paper", Asset: a, Token: "native", Amount: amt, TokenAmount: amt})
		}
	}
	for _, a := range m.markets {
		d := m.data[a]
		r := d.rows[i]
		mk := hedge.Market{
			Asset: a, IndexPrice: r.Spot, MarkPrice: r.Perp,
			// The rate known at this close is the one just paid.
			FundingRatePerDay: d.perDay[i],
			MaxLeverage:       m.costs.MaxLeverage, MaintenanceMargin: m.costs.MaintenanceMargin, TakerFee: m.costs.TakerFee,
			OracleUpdatedAt: t, FundingIndex: d.index[i],
		}
		if w := m.pol.For(a).FundingWindow; w > 0 {
			// The window starts at the last step at least w before this one.
			if k := i - int((w+m.step-1)/m.step); k >= 0 {
				mk.FundingBefore = hedge.FundingMark{Block: uint64(k + 1), Time: m.times[k], Index: d.index[k]}
			}
		}
		s.Markets[a] = mk
		if p := m.acct.pos[a]; p != nil && !(p.size.IsZero() && p.margin.IsZero()) {
			s.Position[a] = hedge.Position{Size: p.size, EntryPrice: p.entry, Margin: p.margin, UnrealizedPnL: p.upnl(r.Perp)}
		}
	}
	for _, x := range m.cross {
		if s.Prices == nil {
			s.Prices, s.Betas = map[string]hedge.FeedPrice{}, map[string]hedge.BetaEstimate{}
		}
		s.Prices[x] = hedge.FeedPrice{Price: m.data[x].rows[i].Spot, UpdatedAt: t}
		if est, ok := m.betas[x].at(i); ok {
			s.Betas[x] = est
		}
	}
	return s
}

// plan runs the risk policy and the planner on s, as a watch cycle does.
func (m *sim) plan(s *hedge.Snapshot) (*hedge.Plan, error) {
	m.plans++
	dec, err := hedge.EvaluateRisk(s, m.prev, m.pol, m.state)
	if err != nil {
		return nil, err
	}
	plan, _, err := hedge.ApplyRisk(s, m.pol, dec)
	if err != nil {
		return nil, err
	}
	m.state, m.prev = dec.Next, s
	short := false
	for _, a := range plan.Assets {
		if _, ok := s.Markets[a.Asset]; ok {
			m.target[a.Asset] = a.TargetSize
			short = short || a.Shortfall.IsPositive()
		}
	}
	if short {
		m.shortSteps++
	}
	return plan, nil
}

// execute fills plan on the paper account at step i's marks. A trade whose
// fill is worse than its acceptable price is refused, as the venue would
// revert it; the cooldown restarts from what was done.
func (m *sim) execute(i int, plan *hedge.Plan) (traded bool, err error) {
	var done []hedge.Action
	for _, act := range plan.Actions {
		switch act.Kind {
		case hedge.ActApprove:
			done = append(done, act)
		case hedge.ActDeposit:
			if err := m.acct.deposit(act.Asset, act.Amount); err != nil {
				return traded, fmt.Errorf("step %s: deposit %s for %s: %w", m.day(i), act.Amount, act.Asset, err)
			}
			if act.Intent == hedge.IntentTopUp {
				m.acct.topUps++
				m.acct.topUpUSD = m.acct.topUpUSD.Add(act.Amount)
			}
			done = append(done, act)
		case hedge.ActWithdraw:
			m.acct.withdraw(act.Asset, act.Amount, act.All, m.data[act.Asset].rows[i].Perp)
			done = append(done, act)
		case hedge.ActTrade:
			f := m.acct.quote(act.SizeDelta, m.data[act.Asset].rows[i].Perp)
			if (act.SizeDelta.IsNegative() && f.price.LessThan(act.AcceptablePrice)) ||
				(act.SizeDelta.IsPositive() && f.price.GreaterThan(act.AcceptablePrice)) {
				m.acct.refused++
				continue
			}
			m.acct.trade(act.Asset, act.SizeDelta, f)
			traded = true
			done = append(done, act)
		}
	}
	m.state = m.state.Recorded(&hedge.Plan{Actions: done}, m.times[i])
	return traded, nil
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
	for i := 1; i < n; i++ {
		lo := max(1, i-w+1)
		if i-lo+1 < hedge.MinBetaSamples {
			continue
		}
		e, err := hedge.OLSBeta(rx[lo:i+1], rm[lo:i+1])
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
