package gmxvenue

import (
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/gmx"
)

// Margin is GMX's margin model: a position is liquidatable once its
// remaining collateral (collateral + PnL − pending fees) is below
// max(MIN_COLLATERAL_USD, size × minCollateralFactor). Money in USD (the
// USDC collateral counts at 1).
type Margin struct {
	MinCollateralFactor decimal.Decimal // fraction of the position's value
	MinCollateralUSD    decimal.Decimal
}

// MaxLeverage is 1 / minCollateralFactor (0 when the factor is unset).
func (m Margin) MaxLeverage() decimal.Decimal {
	if !m.MinCollateralFactor.IsPositive() {
		return decimal.Zero
	}
	return one.DivRound(m.MinCollateralFactor, 8)
}

// LiquidationPrice of a short of q at entry E with equity C (margin and
// accrued funding): the lower of the prices where C + q(E − P) meets
// q·P·factor and where it meets the minimum collateral. Longs: 0 (hedger
// opens none).
func (m Margin) LiquidationPrice(p hedge.Position) decimal.Decimal {
	if !p.Size.IsNegative() {
		return decimal.Zero
	}
	q := p.Size.Neg()
	c := p.Margin.Add(p.AccruedFunding).Add(q.Mul(p.EntryPrice))
	p1 := c.DivRound(q.Mul(one.Add(m.MinCollateralFactor)), 18)
	p2 := c.Sub(m.MinCollateralUSD).DivRound(q, 18)
	out := decimal.Min(p1, p2)
	if !out.IsPositive() {
		return decimal.Zero
	}
	return out
}

// FloorEquity is the equity a short of q at price needs for its
// liquidation price to stay a fraction floor above price: the loss up to
// P(1+floor) plus what GMX requires there.
func (m Margin) FloorEquity(q, price, floor decimal.Decimal) decimal.Decimal {
	pl := price.Mul(one.Add(floor))
	return q.Mul(price).Mul(floor).Add(decimal.Max(m.MinCollateralUSD, q.Mul(pl).Mul(m.MinCollateralFactor)))
}

// Cost is what GMX charges a short's change of size (venue sign: − grows
// the short, + reduces it) at price: the position fee and the negative
// price impact (a positive impact is not counted: it is no cost, and GMX
// caps and defers it). USD.
type Cost struct {
	ms            *gmx.MarketState
	indexDecimals uint8
}

func (c Cost) TradeCost(size, price decimal.Decimal) decimal.Decimal {
	if size.IsZero() || c.ms == nil {
		return decimal.Zero
	}
	usd := size.Abs().Mul(price).Mul(float30).Ceil().BigInt()
	increase := size.IsNegative()
	tc, err := gmx.EstimateShortCost(c.ms, usd, increase)
	if err != nil {
		// Beyond the market's open interest (the estimate cannot model
		// it): the higher fee factor and no impact credit.
		f := c.ms.PositionFeeFactorNegative
		if c.ms.PositionFeeFactorPositive != nil && (f == nil || c.ms.PositionFeeFactorPositive.Cmp(f) > 0) {
			f = c.ms.PositionFeeFactorPositive
		}
		return f30(new(big.Int).Div(new(big.Int).Mul(usd, orZero(f)), float30.BigInt()))
	}
	cost := f30(tc.PositionFeeUSD)
	if tc.PriceImpactUSD != nil && tc.PriceImpactUSD.Sign() < 0 {
		cost = cost.Add(f30(new(big.Int).Neg(tc.PriceImpactUSD)))
	}
	return cost
}
