package hedge

import (
	"github.com/shopspring/decimal"
)

// AssetStatus is the state of one asset's hedge, for display. Funding is from
// the user's side: + received, − paid. Sizes are positive for a short.
type AssetStatus struct {
	Asset              string          `json:"asset"`
	SpotAmount         decimal.Decimal `json:"spot_amount"`
	SpotValueUSD       decimal.Decimal `json:"spot_value_usd"` // at index
	ShortSize          decimal.Decimal `json:"short_size"`     // negative when long
	ShortNotionalUSD   decimal.Decimal `json:"short_notional_usd"`
	TargetSize         decimal.Decimal `json:"target_size"`
	HedgeRatio         decimal.Decimal `json:"hedge_ratio"` // achieved: short notional / spot value
	Drift              decimal.Decimal `json:"drift"`
	WithinBand         bool            `json:"within_band"`
	IndexPrice         decimal.Decimal `json:"index_price"`
	MarkPrice          decimal.Decimal `json:"mark_price"`
	BasisBps           decimal.Decimal `json:"basis_bps"`
	FundingRatePerHour decimal.Decimal `json:"funding_rate_per_hour"`
	FundingAPR         decimal.Decimal `json:"funding_apr"`
	// BorrowingRatePerHour is what the short pays to borrow, from your side
	// (≤ 0); zero on a venue without borrowing fees (PerpVenue) and for a
	// long (the venue's rate is a short's).
	BorrowingRatePerHour decimal.Decimal `json:"borrowing_rate_per_hour"`
	BorrowingAPR         decimal.Decimal `json:"borrowing_apr"`
	Margin               decimal.Decimal `json:"margin"`
	// AccruedFunding and AccruedBorrowing are what the position has accrued
	// and not yet settled, from your side; both count in Equity.
	AccruedFunding      decimal.Decimal `json:"accrued_funding"`
	AccruedBorrowing    decimal.Decimal `json:"accrued_borrowing"`
	Equity              decimal.Decimal `json:"equity"`
	Leverage            decimal.Decimal `json:"leverage"` // 0 with no position or no equity
	LiquidationPrice    decimal.Decimal `json:"liquidation_price"`
	LiquidationDistance decimal.Decimal `json:"liquidation_distance"` // (liq − mark) / mark
	UnrealizedPnL       decimal.Decimal `json:"unrealized_pnl"`
	Paused              bool            `json:"paused"`
	Benched             string          `json:"benched,omitempty"` // why the adapter stopped trading it
	FundingSuspended    bool            `json:"funding_suspended"`
	Note                string          `json:"note,omitempty"`

	// Carry, per year, from your side (+ received/earned, − paid): funding
	// on the short and staking yield (the policy's staking_apr) on the part
	// of the spot held through liquid-staking tokens.
	StakedAmount      decimal.Decimal `json:"staked_amount"` // underlying units held via rate tokens
	StakingAPR        decimal.Decimal `json:"staking_apr"`
	StakingPerYearUSD decimal.Decimal `json:"staking_per_year_usd"`
	FundingPerYearUSD decimal.Decimal `json:"funding_per_year_usd"`
	// BorrowingPerYearUSD is the short's borrowing at today's rate (≤ 0).
	BorrowingPerYearUSD decimal.Decimal `json:"borrowing_per_year_usd"`
	NetCarryPerYearUSD  decimal.Decimal `json:"net_carry_per_year_usd"`
	NetCarryAPR         decimal.Decimal `json:"net_carry_apr"` // on spot value; 0 without spot

	// Cross-asset hedge (an asset with no market, hedged on HedgedVia's
	// short): beta, the estimate behind it, and what stays unhedged.
	HedgedVia      string           `json:"hedged_via,omitempty"`
	Beta           *decimal.Decimal `json:"beta,omitempty"`
	BetaSource     string           `json:"beta_source,omitempty"` // "given", "feeds", "csv PATH"
	BetaWindow     string           `json:"beta_window,omitempty"`
	Correlation    *decimal.Decimal `json:"correlation,omitempty"`
	ResidualVol    *decimal.Decimal `json:"residual_vol,omitempty"`     // annualised
	ResidualVolUSD *decimal.Decimal `json:"residual_vol_usd,omitempty"` // × spot value: 1σ a year left open
	Warning        string           `json:"warning,omitempty"`
	// CrossTargetSize is the part of a market's target that hedges other assets.
	CrossTargetSize *decimal.Decimal `json:"cross_target_size,omitempty"`
}

// Assess reports every market asset and every held asset, sorted by asset.
func Assess(s *Snapshot, p Policy) ([]AssetStatus, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return assess(s, func(string) Policy { return p }, func(string) decimal.Decimal { return decimal.Zero })
}

// AssessPolicies is Assess with per-asset policies: cross-asset hedges
// (hedge_with, beta) and staking APR for net carry.
func AssessPolicies(s *Snapshot, ps Policies) ([]AssetStatus, error) {
	if err := ps.Validate(); err != nil {
		return nil, err
	}
	return assess(s, func(a string) Policy { return ps.For(a).Policy() },
		func(a string) decimal.Decimal { return ps.For(a).StakingAPR })
}

func assess(s *Snapshot, policyFor func(string) Policy, stakingAPR func(string) decimal.Decimal) ([]AssetStatus, error) {
	vs, err := viewsFor(nil, s, policyFor, nil)
	if err != nil {
		return nil, err
	}
	staked := map[string]decimal.Decimal{}
	for _, h := range s.Holdings {
		if h.Rate != nil {
			staked[h.Asset] = staked[h.Asset].Add(h.Amount)
		}
	}
	out := make([]AssetStatus, 0, len(vs))
	for _, v := range vs {
		st := AssetStatus{Asset: v.asset, SpotAmount: v.spot}
		if !v.hasMarket {
			st.Note = v.noMarketNote()
			st.SpotValueUSD, st.IndexPrice = v.exposure, v.price
			if v.hedgedVia != "" {
				st.HedgedVia, st.Warning = v.hedgedVia, CrossHedgeWarning
				st.BetaSource = "given"
				if v.crossNote == "" {
					b := v.beta
					st.Beta = &b
					if m, ok := s.Markets[v.hedgedVia]; ok && m.MarkPrice.IsPositive() {
						// The short this asset adds to its hedge market, in that market's units.
						cs := policyFor(v.hedgedVia).HedgeRatio.Mul(v.crossUSD).DivRound(m.MarkPrice, divPrecision).Truncate(SizeDecimals)
						st.TargetSize = cs
					}
				}
				if e := v.est; e != nil {
					if policyFor(v.asset).BetaAuto {
						st.BetaSource = e.Source
					}
					st.BetaWindow = e.WindowText()
					c, rv := e.Correlation, e.ResidualVol
					st.Correlation, st.ResidualVol = &c, &rv
					ru := rv.Mul(v.exposure)
					st.ResidualVolUSD = &ru
				}
			}
			out = append(out, st)
			continue
		}
		if v.crossSize.IsPositive() {
			cs := v.crossSize
			st.CrossTargetSize = &cs
		}
		st.Note = v.blocked
		m, pos := v.market, v.pos
		q := v.current
		st.SpotValueUSD = v.exposure
		st.ShortSize = q
		st.ShortNotionalUSD = q.Mul(m.MarkPrice)
		st.TargetSize, st.Drift, st.WithinBand = v.target, v.drift, v.inBand
		// Achieved ratio against everything this short hedges, cross-asset
		// holdings (β-weighted) included.
		if covered := v.exposure.Add(v.crossUSD); covered.IsPositive() {
			st.HedgeRatio = st.ShortNotionalUSD.DivRound(covered, divPrecision)
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
		if !q.IsNegative() {
			st.BorrowingRatePerHour = m.BorrowRatePerDay.Neg().DivRound(decimal.NewFromInt(24), divPrecision)
			st.BorrowingAPR = st.BorrowingRatePerHour.Mul(decimal.NewFromInt(24 * 365))
		}
		st.Margin, st.Equity, st.UnrealizedPnL = pos.Margin, pos.Equity(), pos.UnrealizedPnL
		st.AccruedFunding, st.AccruedBorrowing = pos.AccruedFunding.Sub(pos.AccruedBorrowing), pos.AccruedBorrowing
		st.Paused, st.Benched, st.FundingSuspended = m.Paused, m.Benched, m.FundingSuspended
		if !q.IsZero() {
			if st.Equity.IsPositive() {
				st.Leverage = st.ShortNotionalUSD.Abs().DivRound(st.Equity, divPrecision)
			} else {
				st.Note = "equity is not positive; position at risk"
			}
			st.LiquidationPrice = m.margin().LiquidationPrice(pos)
			if st.LiquidationPrice.IsPositive() {
				st.LiquidationDistance = st.LiquidationPrice.Sub(m.MarkPrice).DivRound(m.MarkPrice, divPrecision)
			}
		}
		st.StakedAmount, st.StakingAPR = staked[v.asset], stakingAPR(v.asset)
		st.StakingPerYearUSD = st.StakingAPR.Mul(st.StakedAmount).Mul(m.IndexPrice)
		st.FundingPerYearUSD = q.Abs().Mul(m.MarkPrice).Mul(st.FundingAPR)
		st.BorrowingPerYearUSD = q.Abs().Mul(m.MarkPrice).Mul(st.BorrowingAPR)
		st.NetCarryPerYearUSD = st.FundingPerYearUSD.Add(st.BorrowingPerYearUSD).Add(st.StakingPerYearUSD)
		if v.exposure.IsPositive() {
			st.NetCarryAPR = st.NetCarryPerYearUSD.DivRound(v.exposure, divPrecision)
		}
		out = append(out, st)
	}
	return out, nil
}

// AccountStatus is the margin account as a whole, from your side: its free
// collateral, every position's equity, and what the venue owes it
// (claimables: received funding realised on GMX, waiting for a claim).
type AccountStatus struct {
	Collateral      decimal.Decimal   `json:"collateral"` // free, at par
	PositionsEquity decimal.Decimal   `json:"positions_equity"`
	Claimables      []ClaimableStatus `json:"claimables"`
	ClaimablesUSD   decimal.Decimal   `json:"claimables_usd"`
	Equity          decimal.Decimal   `json:"equity"` // collateral + positions' equity + claimables
	Unpriced        bool              `json:"unpriced_claimables,omitempty"`
}

// ClaimableStatus is one claimable with its USD value.
type ClaimableStatus struct {
	Claimable
	Price    decimal.Decimal `json:"price_usd"` // 1 for a claimable in money
	ValueUSD decimal.Decimal `json:"value_usd"`
	// Unpriced: no price for its asset in the snapshot; ValueUSD is 0 and
	// the account's equity leaves it out rather than guess.
	Unpriced bool `json:"unpriced,omitempty"`
}

// AssessAccount sums the account's equity: free collateral, the equity of
// each position (margin, accrued funding and borrowing, unrealised PnL) and
// the claimables, money at par and an asset at its market's index price.
func AssessAccount(s *Snapshot) AccountStatus {
	a := AccountStatus{Collateral: s.Collateral, Claimables: []ClaimableStatus{}}
	for _, p := range s.Positions {
		a.PositionsEquity = a.PositionsEquity.Add(p.Equity())
	}
	for _, c := range s.Claimables {
		cs := ClaimableStatus{Claimable: c}
		switch {
		case c.Asset == "USD" || c.Asset == s.CollateralSymbol:
			cs.Price = one
		case s.Markets[c.Asset].IndexPrice.IsPositive():
			cs.Price = s.Markets[c.Asset].IndexPrice
		default:
			cs.Unpriced, a.Unpriced = true, true
		}
		cs.ValueUSD = c.Amount.Mul(cs.Price)
		a.ClaimablesUSD = a.ClaimablesUSD.Add(cs.ValueUSD)
		a.Claimables = append(a.Claimables, cs)
	}
	a.Equity = a.Collateral.Add(a.PositionsEquity).Add(a.ClaimablesUSD)
	return a
}

// liquidationPrice of an isolated position, ignoring future funding and fees.
// Zero means none: no position, or a long that margin covers down to zero.
func liquidationPrice(pos Position, mm decimal.Decimal) decimal.Decimal {
	return liqPrice(pos, mm)
}
