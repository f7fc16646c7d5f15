package backtest

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// CostModel is what the paper venue charges and how it margins. All rates
// are fractions; money is USD.
type CostModel struct {
	Name string
	// TakerFee is charged on the notional of every trade (GMX's position
	// fee, PerpVenue's taker fee). The planner sees it as Market.TakerFee.
	TakerFee decimal.Decimal
	// ImpactPerUSD makes the fill worse than mark by ImpactPerUSD × the
	// trade's USD notional (as a fraction), so a trade's impact cost grows
	// with the square of its size: GMX v2's price impact on a balanced pool,
	// or PerpVenue's skew slippage (1 / (2 × skew scale in USD)).
	ImpactPerUSD decimal.Decimal
	// ExecutionFeeUSD is paid per order, from the position's margin
	// (GMX's keeper fee).
	ExecutionFeeUSD decimal.Decimal
	// BorrowPerDay is charged on the open notional, whatever the side, when
	// the data has no borrow column (GMX's borrowing fee).
	BorrowPerDay decimal.Decimal
	// MaintenanceMargin: a position whose equity falls below this × its
	// notional is liquidated (all its margin is lost).
	MaintenanceMargin decimal.Decimal
	MaxLeverage       decimal.Decimal // the venue's own cap
}

// Presets. The figures are representative, not a quote: GMX v2 charges
// 0.04–0.06% position fees, price impact from its pools' impact factors, an
// execution fee in gas and a borrowing fee on the heavier side; PerpVenue
// (contracts/src) charges the taker fee its deploy sets (0.05%) and a fill
// that moves along the skew (mark = index × (1 + skew/skewScale), skew scale
// 1,000,000 ETH at 3,000 USD = 3e9 USD).
var (
	CostsGMX = CostModel{
		Name:              "gmx",
		TakerFee:          decimal.RequireFromString("0.0006"),
		ImpactPerUSD:      decimal.RequireFromString("0.000000001"), // 0.1% on a 1M USD trade
		ExecutionFeeUSD:   decimal.RequireFromString("0.30"),
		BorrowPerDay:      decimal.RequireFromString("0.05").DivRound(decimal.NewFromInt(365), 18), // 5% a year
		MaintenanceMargin: decimal.RequireFromString("0.01"),
		MaxLeverage:       decimal.NewFromInt(100),
	}
	CostsPerpVenue = CostModel{
		Name:              "perpvenue",
		TakerFee:          decimal.RequireFromString("0.0005"),
		ImpactPerUSD:      decimal.NewFromInt(1).DivRound(decimal.NewFromInt(6_000_000_000), 24),
		MaintenanceMargin: decimal.RequireFromString("0.03"),
		MaxLeverage:       decimal.NewFromInt(20),
	}
	// CostsZero charges nothing: for checking the accounting against an
	// independent computation.
	CostsZero = CostModel{
		Name:              "zero",
		MaintenanceMargin: decimal.RequireFromString("0.01"),
		MaxLeverage:       decimal.NewFromInt(100),
	}
)

// CostPreset is a preset by name.
func CostPreset(name string) (CostModel, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "gmx":
		return CostsGMX, nil
	case "perpvenue", "perp-venue":
		return CostsPerpVenue, nil
	case "zero", "none":
		return CostsZero, nil
	}
	return CostModel{}, fmt.Errorf("cost model %q is not gmx, perpvenue or zero", name)
}
