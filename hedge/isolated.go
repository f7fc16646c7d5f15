package hedge

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Steps of a venue with isolated margin whose collateral moves in its own
// transactions (PerpVenue, the paper venue). Venues whose orders carry their
// collateral (GMX) compile differently and name their own kinds.
const (
	StepApprove  StepKind = "approve"  // allow the venue to pull exactly Amount collateral
	StepDeposit  StepKind = "deposit"  // move Amount collateral into the market's isolated margin
	StepWithdraw StepKind = "withdraw" // move Amount margin back to the account (All: everything left)
)

// IsolatedSteps compiles orders for such a venue: one approval of the total
// deposited when allowance is short of it (approve sets an allowance rather
// than adding to it), then each order's deposit and trade, then every
// withdrawal, after all trades, so a closed position's margin comes back
// once its trade ran.
func IsolatedSteps(orders []Order, allowance decimal.Decimal, symbol string) []Step {
	var steps, withdraws []Step
	total := decimal.Zero
	for i, o := range orders {
		if o.CollateralDelta.IsPositive() {
			total = total.Add(o.CollateralDelta)
			steps = append(steps, Step{Kind: StepDeposit, Asset: o.Asset, Amount: o.CollateralDelta,
				Reason: o.CollateralReason, Intent: o.CollateralIntent, Order: i})
		}
		if o.HasTrade() {
			steps = append(steps, Step{Kind: StepTrade, Asset: o.Asset, SizeDelta: o.SizeDelta,
				AcceptablePrice: o.AcceptablePrice, CapPrice: o.CapPrice, Reason: o.Reason, Intent: o.Intent, Order: i})
		}
		if o.CollateralDelta.IsNegative() || o.WithdrawAll {
			withdraws = append(withdraws, Step{Kind: StepWithdraw, Asset: o.Asset, Amount: o.CollateralDelta.Neg(),
				All: o.WithdrawAll, Reason: o.CollateralReason, Intent: o.CollateralIntent, Order: i})
		}
	}
	if total.GreaterThan(allowance) {
		steps = append([]Step{{Kind: StepApprove, Amount: total, Order: -1,
			Reason: fmt.Sprintf("allow the venue to pull %s %s", total, symbol), Intent: IntentApprove}}, steps...)
	}
	return append(steps, withdraws...)
}

// StepNotional is a trade step's worst-case notional (see TradeNotional).
func StepNotional(st Step) decimal.Decimal {
	if st.Kind != StepTrade {
		return decimal.Zero
	}
	return st.SizeDelta.Abs().Mul(decimal.Max(st.CapPrice, st.AcceptablePrice))
}
