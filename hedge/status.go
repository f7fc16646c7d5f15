package hedge

import (
	"github.com/shopspring/decimal"
)

// AssetStatus is the state of one asset's hedge, for display. Funding is from
// the user's side: + received, − paid. Sizes are positive for a short.
type AssetStatus struct {
	Asset               string          `json:"asset"`
	SpotAmount          decimal.Decimal `json:"spot_amount"`
	SpotValueUSD        decimal.Decimal `json:"spot_value_usd"` // at index
	ShortSize           decimal.Decimal `json:"short_size"`     // negative when long
	ShortNotionalUSD    decimal.Decimal `json:"short_notional_usd"`
	TargetSize          decimal.Decimal `json:"target_size"`
	HedgeRatio          decimal.Decimal `json:"hedge_ratio"` // achieved: short notional / spot value
	Drift               decimal.Decimal `json:"drift"`
	WithinBand          bool            `json:"within_band"`
	IndexPrice          decimal.Decimal `json:"index_price"`
	MarkPrice           decimal.Decimal `json:"mark_price"`
	BasisBps            decimal.Decimal `json:"basis_bps"`
	FundingRatePerHour  decimal.Decimal `json:"funding_rate_per_hour"`
	FundingAPR          decimal.Decimal `json:"funding_apr"`
	Margin              decimal.Decimal `json:"margin"`
	AccruedFunding      decimal.Decimal `json:"accrued_funding"`
	Equity              decimal.Decimal `json:"equity"`
	Leverage            decimal.Decimal `json:"leverage"` // 0 with no position or no equity
	LiquidationPrice    decimal.Decimal `json:"liquidation_price"`
	LiquidationDistance decimal.Decimal `json:"liquidation_distance"` // (liq − mark) / mark
	UnrealizedPnL       decimal.Decimal `json:"unrealized_pnl"`
	Paused              bool            `json:"paused"`
	FundingSuspended    bool            `json:"funding_suspended"`
	Note                string          `json:"note,omitempty"`
}

// Assess reports every market asset and every held asset, sorted by asset.
func Assess(s *Snapshot, p Policy) ([]AssetStatus, error) {
	vs, err := views(s, p)
	if err != nil {
		return nil, err
	}
	out := make([]AssetStatus, 0, len(vs))
	for _, v := range vs {
		st := AssetStatus{Asset: v.asset, SpotAmount: v.spot}
		if !v.hasMarket {
			st.Note = "no market for " + v.asset + "; not hedged"
			out = append(out, st)
			continue
		}
		m, pos := v.market, v.pos
		q := v.current
		st.SpotValueUSD = v.exposure
		st.ShortSize = q
		st.ShortNotionalUSD = q.Mul(m.MarkPrice)
		st.TargetSize, st.Drift, st.WithinBand = v.target, v.drift, v.inBand
		if v.exposure.IsPositive() {
			st.HedgeRatio = st.ShortNotionalUSD.DivRound(v.exposure, divPrecision)
		}
		st.IndexPrice, st.MarkPrice = m.IndexPrice, m.MarkPrice
		st.BasisBps = m.MarkPrice.Sub(m.IndexPrice).Mul(decimal.NewFromInt(10000)).DivRound(m.IndexPrice, divPrecision)
		// Positive funding is paid by longs to shorts, so only a long sees it negated.
		perHour := m.FundingRatePerDay.DivRound(decimal.NewFromInt(24), divPrecision)
		if q.IsNegative() {
			perHour = perHour.Neg()
		}
		st.FundingRatePerHour = perHour
		st.FundingAPR = perHour.Mul(decimal.NewFromInt(24 * 365))
		st.Margin, st.AccruedFunding, st.Equity, st.UnrealizedPnL = pos.Margin, pos.AccruedFunding, pos.Equity(), pos.UnrealizedPnL
		st.Paused, st.FundingSuspended = m.Paused, m.FundingSuspended
		if !q.IsZero() {
			if st.Equity.IsPositive() {
				st.Leverage = st.ShortNotionalUSD.Abs().DivRound(st.Equity, divPrecision)
			} else {
				st.Note = "equity is not positive; position at risk"
			}
			st.LiquidationPrice = liquidationPrice(pos, m.MaintenanceMargin)
			if st.LiquidationPrice.IsPositive() {
				st.LiquidationDistance = st.LiquidationPrice.Sub(m.MarkPrice).DivRound(m.MarkPrice, divPrecision)
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// liquidationPrice of an isolated position, ignoring future funding and fees.
// Zero means none: no position, or a long that margin covers down to zero.
func liquidationPrice(pos Position, mm decimal.Decimal) decimal.Decimal {
	q := pos.Size.Abs()
	m := pos.Margin.Add(pos.AccruedFunding)
	qe := q.Mul(pos.EntryPrice)
	// Short: equity M + q(Pe − P) meets m·q·P. Long: M + q(P − Pe) meets m·q·P.
	num, den := m.Add(qe), q.Mul(one.Add(mm))
	if !pos.Size.IsNegative() {
		num, den = qe.Sub(m), q.Mul(one.Sub(mm))
	}
	if !den.IsPositive() {
		return decimal.Zero
	}
	return decimal.Max(decimal.Zero, num.DivRound(den, divPrecision))
}
