package hedge

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Policy is what the user asks of the hedge. All fields are fractions except
// MaxLeverage (a multiple of equity).
type Policy struct {
	HedgeRatio   decimal.Decimal // fraction of spot exposure to short
	Band         decimal.Decimal // rebalance only when |drift| exceeds this
	MaxLeverage  decimal.Decimal // never let short notional exceed this × equity
	MaxSlippage  decimal.Decimal // worst fill relative to mark
	MarginBuffer decimal.Decimal // extra margin posted above the leverage cap when depositing

	// Cross-asset hedge, for an asset with no market of its own: its
	// exposure × Beta is added to HedgeWith's market target. With BetaAuto
	// the beta comes from Snapshot.Betas instead; without an estimate the
	// asset is not hedged. Ignored for assets that have a market.
	HedgeWith string
	Beta      decimal.Decimal
	BetaAuto  bool
}

// DefaultPolicy hedges everything at up to 2× with a 5% band.
func DefaultPolicy() Policy {
	return Policy{
		HedgeRatio:   decimal.NewFromInt(1),
		Band:         decimal.RequireFromString("0.05"),
		MaxLeverage:  decimal.NewFromInt(2),
		MaxSlippage:  decimal.RequireFromString("0.005"),
		MarginBuffer: decimal.RequireFromString("0.10"),
	}
}

// Validate refuses policies the planner cannot honour safely; a ratio above 1
// would be a directional short, not a hedge.
func (p Policy) Validate() error {
	// Constants are package-level: Validate runs on every planner call.
	switch {
	case p.HedgeRatio.IsNegative() || p.HedgeRatio.GreaterThan(one):
		return fmt.Errorf("hedge ratio %s is outside 0..1", p.HedgeRatio)
	case !p.Band.IsPositive() || p.Band.GreaterThanOrEqual(one):
		return fmt.Errorf("band %s is outside 0..1 (both exclusive)", p.Band)
	case p.MaxLeverage.LessThan(one) || p.MaxLeverage.GreaterThan(hundred):
		return fmt.Errorf("max leverage %s is outside 1..100", p.MaxLeverage)
	case p.MaxSlippage.IsNegative() || p.MaxSlippage.GreaterThan(maxSlippageLimit):
		return fmt.Errorf("max slippage %s is outside 0..0.1", p.MaxSlippage)
	case p.MarginBuffer.IsNegative() || p.MarginBuffer.GreaterThan(one):
		return fmt.Errorf("margin buffer %s is outside 0..1", p.MarginBuffer)
	case p.Beta.IsNegative() || p.Beta.GreaterThan(ten):
		return fmt.Errorf("beta %s is outside 0..10", p.Beta)
	}
	return nil
}

var (
	ten              = decimal.NewFromInt(10)
	hundred          = decimal.NewFromInt(100)
	minusOne         = decimal.NewFromInt(-1)
	maxSlippageLimit = decimal.RequireFromString("0.1")
)
