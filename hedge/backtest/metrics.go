package backtest

import (
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge/internal/fixed"
)

// Metrics of one strategy. Money is decimal USD, summed exactly; the
// statistics (effectiveness, tracking error) are float64 over the decimal
// daily PnL, since they only describe and decide nothing.
type Metrics struct {
	// Effectiveness is 1 − Var(hedged step PnL) / Var(unhedged step PnL):
	// 1 removes all price risk, 0 none. Not defined (0) when spot never moves.
	Effectiveness float64
	// TrackingErrorUSD is the annualised standard deviation of the step PnL
	// minus (1 − hedge ratio) × the unhedged step PnL: how far the hedge
	// strays from a frictionless one at its own ratio.
	TrackingErrorUSD float64
	HedgedPnL        decimal.Decimal // end value − start value, flows taken out
	UnhedgedPnL      decimal.Decimal
	// Funding from the user's side: + received, − paid.
	Funding, FundingReceived, FundingPaid decimal.Decimal
	Fees                                  decimal.Decimal // trading fees + price impact + execution fees
	Borrow                                decimal.Decimal // borrowing fees
	Trades, Refused                       int             // fills, and trades refused for slippage
	TurnoverUSD                           decimal.Decimal
	MaxDrawdown, UnhedgedMaxDrawdown      decimal.Decimal // largest fall of cumulative PnL from a peak, ≥ 0
	WorstDay                              decimal.Decimal // most negative step PnL
	WorstDayDate                          string
	TopUps                                int // margin top-ups the planner made (leverage cap, liquidation floor)
	TopUpUSD                              decimal.Decimal
	// Liquidations happen on step closes only: with daily data an
	// intraday spike that would have liquidated is not seen.
	Liquidations    int
	LiquidationLoss decimal.Decimal // margin lost to them
	MaxMarginUSD    decimal.Decimal // largest equity held in positions
	// CashBroughtIn is the most the user had to put into the margin
	// account beyond its starting cash (unlimited collateral).
	CashBroughtIn  decimal.Decimal
	ShortfallSteps int // plans that could not reach their target (collateral)
}

func (m *sim) metrics(path []Point, cash0 decimal.Decimal) Metrics {
	a := m.acct
	out := Metrics{Funding: a.funding, FundingReceived: a.fundingIn, FundingPaid: a.fundingOut,
		Fees: a.fees, Borrow: a.borrow, Trades: a.trades, Refused: a.refused, TurnoverUSD: a.turnover,
		TopUps: a.topUps, TopUpUSD: a.topUpUSD, Liquidations: a.liquidations, LiquidationLoss: a.liquidationLoss,
		ShortfallSteps: m.shortSteps}
	h := 0.0
	if !m.strat.NoHedge && len(m.held) > 0 {
		h = m.pol.For(m.held[0]).HedgeRatio.InexactFloat64()
	}
	hp, up, res := make([]float64, 0, len(path)), make([]float64, 0, len(path)), make([]float64, 0, len(path))
	if !pathMetricsFixed(path, cash0, h, &out, &hp, &up, &res) {
		hp, up, res = hp[:0], up[:0], res[:0]
		pathMetricsDec(path, cash0, h, &out, &hp, &up, &res)
	}
	return finish(out, hp, up, res, m.step)
}

// pathMetricsDec is the path loop of metrics: drawdowns, the worst day,
// cumulative PnL and the float series for the statistics.
func pathMetricsDec(path []Point, cash0 decimal.Decimal, h float64, out *Metrics, hp, up, res *[]float64) {
	var cum, cumU, peak, peakU decimal.Decimal
	for i, p := range path {
		out.MaxMarginUSD = decimal.Max(out.MaxMarginUSD, p.Margin)
		out.CashBroughtIn = decimal.Max(out.CashBroughtIn, cash0.Sub(p.Cash))
		if i == 0 {
			continue
		}
		cum, cumU = cum.Add(p.PnL), cumU.Add(p.Unhedged)
		peak, peakU = decimal.Max(peak, cum), decimal.Max(peakU, cumU)
		out.MaxDrawdown = decimal.Max(out.MaxDrawdown, peak.Sub(cum))
		out.UnhedgedMaxDrawdown = decimal.Max(out.UnhedgedMaxDrawdown, peakU.Sub(cumU))
		if i == 1 || p.PnL.LessThan(out.WorstDay) {
			out.WorstDay, out.WorstDayDate = p.PnL, p.Day
		}
		x, y := p.PnL.InexactFloat64(), p.Unhedged.InexactFloat64()
		*hp, *up, *res = append(*hp, x), append(*up, y), append(*res, x-(1-h)*y)
	}
	out.HedgedPnL, out.UnhedgedPnL = cum, cumU
}

// finish adds the statistics of the step PnL series.
func finish(out Metrics, hp, up, res []float64, step time.Duration) Metrics {
	if vu := variance(up); vu > 0 {
		out.Effectiveness = 1 - variance(hp)/vu
	}
	perYear := float64(365*24*time.Hour) / float64(step)
	out.TrackingErrorUSD = math.Sqrt(variance(res) * perYear)
	return out
}

// pathMetricsFixed is the path loop of metrics in exact 128-bit integers
// (hedge/internal/fixed): the same sums, maxima (a tie keeps the earlier
// value, as decimal.Max does) and floats. It reports false, with out
// untouched, when a value does not fit; metrics then runs the decimal loop.
func pathMetricsFixed(path []Point, cash0 decimal.Decimal, h float64, out *Metrics, hp, up, res *[]float64) bool {
	if len(path) < 2 {
		return false // nothing summed: the decimal loop's zero values stand
	}
	c := fixed.NewCalc()
	c0 := c.Of(cash0)
	var maxMargin, broughtIn, cum, cumU, peak, peakU, dd, ddU fixed.N
	worst, worstDay := -1, ""
	var worstN fixed.N
	for i, p := range path {
		maxMargin = c.Max(maxMargin, c.Of(p.Margin))
		broughtIn = c.Max(broughtIn, c.Sub(c0, c.Of(p.Cash)))
		if i == 0 {
			continue
		}
		pnl, un := c.Of(p.PnL), c.Of(p.Unhedged)
		cum, cumU = c.Add(cum, pnl), c.Add(cumU, un)
		peak, peakU = c.Max(peak, cum), c.Max(peakU, cumU)
		dd, ddU = c.Max(dd, c.Sub(peak, cum)), c.Max(ddU, c.Sub(peakU, cumU))
		if i == 1 || c.Cmp(pnl, worstN) < 0 {
			worst, worstDay, worstN = i, p.Day, pnl
		}
		if !c.OK {
			return false
		}
		x, y := pnl.Float64(), un.Float64()
		*hp, *up, *res = append(*hp, x), append(*up, y), append(*res, x-(1-h)*y)
	}
	if !c.OK {
		return false
	}
	out.MaxMarginUSD, out.CashBroughtIn = maxMargin.Dec(), broughtIn.Dec()
	out.MaxDrawdown, out.UnhedgedMaxDrawdown = dd.Dec(), ddU.Dec()
	out.HedgedPnL, out.UnhedgedPnL = cum.Dec(), cumU.Dec()
	if worst > 0 {
		out.WorstDay, out.WorstDayDate = path[worst].PnL, worstDay
	}
	return true
}

// variance is the sample variance (n − 1).
func variance(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	var mean float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return ss / float64(len(xs)-1)
}
