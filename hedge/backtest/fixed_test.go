package backtest

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func sameDec(t *testing.T, what string, got, want decimal.Decimal) {
	t.Helper()
	if !got.Equal(want) || got.Exponent() != want.Exponent() {
		t.Fatalf("%s: fixed %s (exp %d), decimal %s (exp %d)", what, got, got.Exponent(), want, want.Exponent())
	}
}

// The paper venue's 128-bit fast paths (fills, funding accrual, the
// liquidation test) give the Decimals, exponents included, that the decimal
// formulas give, over sizes, prices and rates like the data's.
func TestFixedPathsMatchDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	dec := func(max int64, places int32) decimal.Decimal {
		return decimal.New(r.Int64N(max), -places)
	}
	fitted := 0
	for range 20_000 {
		size := dec(1_000_000_000_000, 8) // up to 10,000 units
		if r.IntN(2) == 0 {
			size = size.Neg()
		}
		mark := dec(10_000_000_000, int32(r.IntN(9))) // prices with 0 to 8 decimals
		if !mark.IsPositive() {
			continue
		}
		for _, c := range []CostModel{CostsGMX, CostsPerpVenue, CostsZero} {
			if f, ok := c.quoteFixed(size, mark); ok {
				fitted++
				w := c.quoteDec(size, mark)
				sameDec(t, c.Name+" price", f.price, w.price)
				sameDec(t, c.Name+" fee", f.fee, w.fee)
				sameDec(t, c.Name+" impact", f.impact, w.impact)
			}
		}
		p := &position{size: size, entry: dec(10_000_000_000, 10), margin: dec(1_000_000_000_000_000, 10)}
		funding, borrow := dec(1_000_000, 8).Sub(decimal.New(5000, -6)), dec(1_000_000_000_000, 18)
		if f, b, m, ok := accrueFixed(p, funding, borrow, mark); ok {
			wf, wb, wm := accrueDec(p, funding, borrow, mark)
			sameDec(t, "funding", f, wf)
			sameDec(t, "borrow", b, wb)
			sameDec(t, "margin", m, wm)
		}
		mm := CostsGMX.MaintenanceMargin
		if safe, ok := aboveMaintenance(p, mm, mark); ok {
			if want := p.equity(mark).GreaterThanOrEqual(mm.Mul(p.size.Abs()).Mul(mark)); safe != want {
				t.Fatalf("size %s mark %s: fixed says above maintenance %v, decimal %v", size, mark, safe, want)
			}
		}
	}
	if fitted < 10_000 {
		t.Errorf("only %d fills took the fixed path", fitted)
	}
}
