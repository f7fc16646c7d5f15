package perpvenue

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// fromUnits reads an integer amount with dec decimals as a decimal.
func fromUnits(x *big.Int, dec int32) decimal.Decimal {
	if x == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(x, -dec)
}

// fromWad reads an 18-decimal fixed-point value.
func fromWad(x *big.Int) decimal.Decimal { return fromUnits(x, 18) }

// toUnits converts d to integer units, rounding toward zero (sizes, prices).
func toUnits(d decimal.Decimal, dec int32) *big.Int {
	return d.Shift(dec).Truncate(0).BigInt()
}

// toUnitsUp converts d to integer units, rounding up (amounts that must suffice).
func toUnitsUp(d decimal.Decimal, dec int32) *big.Int {
	return d.Shift(dec).Ceil().BigInt()
}

func toWad(d decimal.Decimal) *big.Int { return toUnits(d, 18) }
