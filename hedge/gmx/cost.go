package gmx

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// TradeCost is what GMX will charge a short's size change, in USD ×1e30:
// the position fee and the price impact (negative: a cost to the trader).
type TradeCost struct {
	PositionFeeUSD  *big.Int
	PriceImpactUSD  *big.Int
	BalanceImproved bool
}

// EstimateShortCost computes the position fee and price impact of changing a
// short by sizeDeltaUSD (increase or decrease) from the market's open
// interest and factors, as gmx-synthetics PositionPricingUtils does (same-side
// and crossover rebalances, impact capped by the max position impact
// factor). Not modelled: the virtual-inventory impact (GMX takes the worse of
// the two where a market has one, e.g. Arbitrum's ETH markets), referral
// discounts, and USE_OPEN_INTEREST_IN_TOKENS_FOR_BALANCE. Only integer
// impact exponents are supported (every market in config/markets.ts uses 1
// or 2 for positions).
func EstimateShortCost(ms *MarketState, sizeDeltaUSD *big.Int, increase bool) (TradeCost, error) {
	if sizeDeltaUSD == nil || sizeDeltaUSD.Sign() < 0 {
		return TradeCost{}, errors.New("size delta must be zero or positive")
	}
	long, short := orZero(ms.OpenInterestLong), orZero(ms.OpenInterestShort)
	nextShort := new(big.Int).Add(short, sizeDeltaUSD)
	if !increase {
		if sizeDeltaUSD.Cmp(short) > 0 {
			return TradeCost{}, fmt.Errorf("decrease of %s USD is above the market's short open interest", usdString(sizeDeltaUSD))
		}
		nextShort.Sub(short, sizeDeltaUSD)
	}
	initial := absDiff(long, short)
	next := absDiff(long, nextShort)
	improved := next.Cmp(initial) < 0
	sameSide := (long.Cmp(short) <= 0) == (long.Cmp(nextShort) <= 0)
	var impact *big.Int
	if sameSide {
		f, e := ms.PositionImpactFactorNegative, ms.PositionImpactExponentNegative
		if improved {
			f, e = ms.PositionImpactFactorPositive, ms.PositionImpactExponentPositive
		}
		a, err := applyImpact(initial, f, e)
		if err != nil {
			return TradeCost{}, err
		}
		b, err := applyImpact(next, f, e)
		if err != nil {
			return TradeCost{}, err
		}
		impact = absDiff(a, b)
		if !improved {
			impact.Neg(impact)
		}
	} else {
		pos, err := applyImpact(initial, ms.PositionImpactFactorPositive, ms.PositionImpactExponentPositive)
		if err != nil {
			return TradeCost{}, err
		}
		neg, err := applyImpact(next, ms.PositionImpactFactorNegative, ms.PositionImpactExponentNegative)
		if err != nil {
			return TradeCost{}, err
		}
		impact = new(big.Int).Sub(pos, neg)
	}
	// Cap by the max position impact factor of the impact's sign.
	capF := ms.MaxPositionImpactNegative
	if impact.Sign() > 0 {
		capF = ms.MaxPositionImpactPositive
	}
	if capF != nil && capF.Sign() > 0 {
		lim := mulFactor(sizeDeltaUSD, capF)
		if new(big.Int).Abs(impact).Cmp(lim) > 0 {
			if impact.Sign() < 0 {
				lim.Neg(lim)
			}
			impact = lim
		}
	}
	feeF := ms.PositionFeeFactorNegative
	if improved {
		feeF = ms.PositionFeeFactorPositive
	}
	return TradeCost{PositionFeeUSD: mulFactor(sizeDeltaUSD, orZero(feeF)), PriceImpactUSD: impact, BalanceImproved: improved}, nil
}

// applyImpact is PricingUtils.applyImpactFactor: factor × (diff/1e30)^exponent.
func applyImpact(diff, factor, exponent *big.Int) (*big.Int, error) {
	if factor == nil || factor.Sign() == 0 || diff.Sign() == 0 {
		return new(big.Int), nil
	}
	e := orZero(exponent)
	q, r := new(big.Int).QuoRem(e, float30, new(big.Int))
	if r.Sign() != 0 || q.Sign() <= 0 || q.Cmp(big.NewInt(8)) > 0 {
		return nil, fmt.Errorf("impact exponent %s: only integer exponents 1..8 are supported", e)
	}
	v := new(big.Int).Set(diff) // ×1e30
	for i := int64(1); i < q.Int64(); i++ {
		v.Mul(v, diff).Div(v, float30)
	}
	return mulFactor(v, factor), nil
}

func mulFactor(x, f *big.Int) *big.Int { return new(big.Int).Div(new(big.Int).Mul(x, f), float30) }

func absDiff(a, b *big.Int) *big.Int { return new(big.Int).Abs(new(big.Int).Sub(a, b)) }

func usdString(x *big.Int) string {
	return new(big.Rat).SetFrac(x, float30).FloatString(2)
}

// RequiredCollateralUSD is the least collateral GMX lets a position of
// sizeUSD keep: max(MIN_COLLATERAL_USD, size × minCollateralFactor). Below it
// a decrease is cancelled and the position is liquidatable.
func RequiredCollateralUSD(s *Snapshot, ms *MarketState, sizeUSD *big.Int) *big.Int {
	req := mulFactor(sizeUSD, orZero(ms.MinCollateralFactor))
	if m := orZero(s.MinCollateralUSD); m.Cmp(req) > 0 {
		req = new(big.Int).Set(m)
	}
	return req
}

// Carry is a short's carry per day as a fraction of its size, from the
// user's side: positive funding is received, borrowing is always ≤ 0.
type Carry struct {
	FundingPerDay   decimal.Decimal
	BorrowingPerDay decimal.Decimal
}

// ShortCarryPerDay is the carry of a short of sizeUSD in the market at the
// current rates (Reader.getMarketInfo): when longs pay, the short receives
// its share of what the longs pay, factor × longOI / shortOI (sizeUSD is
// counted in shortOI if not yet open: pass it as extraShortUSD); when
// shorts pay, it pays the factor. Borrowing: the short pays the shorts'
// borrowing factor. Rates change with open interest and time; this is now.
func ShortCarryPerDay(ms *MarketState, extraShortUSD *big.Int) Carry {
	day := decimal.NewFromInt(86_400)
	f := decimal.NewFromBigInt(orZero(ms.FundingFactorPerSecond), -30)
	long := decimal.NewFromBigInt(orZero(ms.OpenInterestLong), -30)
	short := decimal.NewFromBigInt(new(big.Int).Add(orZero(ms.OpenInterestShort), orZero(extraShortUSD)), -30)
	var funding decimal.Decimal
	switch {
	case ms.LongsPayShorts && short.IsPositive():
		funding = f.Mul(long).Div(short).Mul(day)
	case !ms.LongsPayShorts:
		funding = f.Mul(day).Neg()
	}
	borrow := decimal.NewFromBigInt(orZero(ms.BorrowingPerSecondShorts), -30).Mul(day).Neg()
	return Carry{FundingPerDay: funding, BorrowingPerDay: borrow}
}
