package hedge

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// Each formula's fixed form gives the Decimal, exponent included, that its
// decimal form gives, over values of the sizes the planner sees.
func TestFastFormulas(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	num := func(places int32) decimal.Decimal {
		var m int64
		switch r.IntN(3) {
		case 0:
			m = r.Int64N(100_000)
		case 1:
			m = r.Int64N(10_000_000_000)
		default:
			m = r.Int64N(1_000_000_000_000_000_000)
		}
		if r.IntN(4) == 0 {
			m = -m
		}
		return decimal.New(m, -places)
	}
	pos := func(places int32) decimal.Decimal {
		x := num(places).Abs()
		if x.IsZero() {
			return decimal.New(1, -places)
		}
		return x
	}
	n := 0
	both := func(f func() []decimal.Decimal) {
		n++
		t.Helper()
		useFixed = true
		got := f()
		useFixed = false
		want := f()
		useFixed = true
		for i := range got {
			if !got[i].Equal(want[i]) || got[i].Exponent() != want[i].Exponent() {
				t.Fatalf("call %d value %d: fixed %s (exp %d), decimal %s (exp %d)", n%8, i, got[i], got[i].Exponent(), want[i], want[i].Exponent())
			}
		}
	}
	cost := LinearCost{TakerFee: decimal.RequireFromString("0.0006"), Fixed: decimal.RequireFromString("0.3")}
	for range 20_000 {
		p := int32(r.IntN(12))
		mark, index, q, x := pos(p), pos(int32(r.IntN(12))), num(8), num(int32(r.IntN(19)))
		both(func() []decimal.Decimal { return []decimal.Decimal{basisBps(mark, index), relative(x, mark)} })
		m := Market{FundingRatePerDay: num(18), BorrowRatePerDay: num(18).Abs(), MarkPrice: mark, Cost: cost}
		both(func() []decimal.Decimal { return []decimal.Decimal{shortCarryAPR(m), mul3(q, mark, x)} })
		both(func() []decimal.Decimal { return []decimal.Decimal{mul3Div(x, q, index, mark)} })
		secs := r.Int64N(90*24*3600) + 1
		i1, i2, basis := num(10), num(10), num(18)
		both(func() []decimal.Decimal {
			u, a := windowFunding(i1, i2, q, mark, secs)
			return []decimal.Decimal{u, a}
		})
		both(func() []decimal.Decimal { return []decimal.Decimal{entryCostBps(m, x, q, basis)} })
		ps := Position{Size: q, EntryPrice: pos(10), Margin: num(10), AccruedFunding: num(10), UnrealizedPnL: num(18)}
		mm, floor, ratio, lev, pu, eq := decimal.New(r.Int64N(100), -3), pos(2), pos(2), pos(0), pos(10), num(10)
		both(func() []decimal.Decimal {
			return []decimal.Decimal{equity(ps), liqPrice(ps, mm), floorEquity(q, mark, mm, floor)}
		})
		both(func() []decimal.Decimal {
			return []decimal.Decimal{targetSize(ratio, x, x.Abs(), mark, decimal.Zero), perUnitMargin(mark, floor, lev)}
		})
		both(func() []decimal.Decimal {
			a, b := marginNeeds(q, mark, lev, pu, x)
			return []decimal.Decimal{a, b, depositFor(x, eq, 6), addSub(x, q, mark)}
		})
		both(func() []decimal.Decimal {
			return []decimal.Decimal{neg(x), add(x, q), stepDelta(q, x, decimal.Zero), stepDelta(x, q, decimal.Zero),
				sub(x, q), sub(q, mark), mul(x, q), mul(mark, basis), add(decimal.Decimal{}, x)}
		})
		z := decimal.New(0, int32(r.IntN(24))-20)
		both(func() []decimal.Decimal {
			return []decimal.Decimal{add(x, z), add(z, x), add(z, z), add(decimal.Decimal{}, z), sub(x, z), sub(z, x), neg(z), neg(decimal.Decimal{})}
		})
		both(func() []decimal.Decimal {
			return []decimal.Decimal{floorNonNeg(x, 6), floorNonNeg(mark, 0), floorNonNeg(decimal.New(1, 15), 6)}
		})
		for _, y := range []decimal.Decimal{q, x.Neg(), x, mark, basis} {
			useFixed = true
			c1, c2, c3 := cmp(x, y), cmpNeg(x, y), cmpAbs(x, y)
			useFixed = false
			if c1 != cmp(x, y) || c2 != cmpNeg(x, y) || c3 != cmpAbs(x, y) {
				t.Fatalf("comparisons of %s and %s differ", x, y)
			}
			useFixed = true
		}
	}
}

// addTo's sums are decimal's, exponents included, from the first amount on
// (positive exponents too).
func TestAddTo(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 5000 {
		got, want := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
		for range 1 + r.IntN(4) {
			k := []string{"ETH", "BTC"}[r.IntN(2)]
			x := decimal.New(r.Int64N(2_000_000)-1_000_000, int32(r.IntN(24))-20)
			if r.IntN(10) == 0 {
				x = decimal.Decimal{}
			}
			addTo(got, k, x)
			want[k] = want[k].Add(x)
		}
		for k, w := range want {
			if g := got[k]; !g.Equal(w) || g.Exponent() != w.Exponent() || g.String() != w.String() {
				t.Fatalf("%s: %s (exp %d), decimal %s (exp %d)", k, g, g.Exponent(), w, w.Exponent())
			}
		}
	}
}

// The OLS sums in big.Int accumulators are the Decimal sums, exponents
// included, for returns of mixed precision.
func TestOLSSums(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for range 2000 {
		n := 3 + r.IntN(60)
		x, m := make([]decimal.Decimal, n), make([]decimal.Decimal, n)
		for i := range x {
			x[i] = decimal.New(r.Int64N(2_000_000_000_000_000)-1_000_000_000_000_000, -int32(10+r.IntN(20)))
			m[i] = decimal.New(r.Int64N(2_000_000_000)-1_000_000_000, -int32(r.IntN(30)))
		}
		mx, mm := decimal.New(r.Int64N(1_000_000), -int32(r.IntN(25))), decimal.New(-r.Int64N(1_000_000), -24)
		a1, a2, a3 := olsSums(x, m, mx, mm)
		b1, b2, b3 := olsSumsDec(x, m, mx, mm)
		for i, p := range [][2]decimal.Decimal{{a1, b1}, {a2, b2}, {a3, b3}} {
			if !p[0].Equal(p[1]) || p[0].Exponent() != p[1].Exponent() {
				t.Fatalf("sum %d: %s (exp %d), decimal %s (exp %d)", i, p[0], p[0].Exponent(), p[1], p[1].Exponent())
			}
		}
	}
}

// The alerts' percentages and signed amounts read the same in both forms.
func TestFastFormatting(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	vals := []decimal.Decimal{decimal.Zero, decimal.Decimal{}, d("-0.0004"), d("0.0005"), d("-0.0005"), d("0.00049"),
		d("-0.004999"), d("1"), d("-12.34567"), d("0.999999999999999999"), d("-0.0000000000000000000001")}
	for range 20_000 {
		m := r.Int64N(1_000_000_000_000_000_000)
		if r.IntN(2) == 0 {
			m = -m
		}
		vals = append(vals, decimal.New(m, -int32(r.IntN(24))))
	}
	for _, v := range vals {
		useFixed = true
		p1, s1 := percent(v), signedUSD(v)
		useFixed = false
		p2, s2 := percent(v), signedUSD(v)
		useFixed = true
		if p1 != p2 || s1 != s2 {
			t.Fatalf("%s: fixed %q %q, decimal %q %q", v, p1, s1, p2, s2)
		}
	}
}
