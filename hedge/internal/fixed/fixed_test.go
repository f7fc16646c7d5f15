package fixed

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
)

// same says got is want digit for digit and exponent for exponent.
func same(t *testing.T, what string, got N, ok bool, want decimal.Decimal) {
	t.Helper()
	if !ok {
		return // too large: the caller computes it with decimal
	}
	g := got.Dec()
	if !g.Equal(want) || g.Exponent() != want.Exponent() {
		t.Fatalf("%s: got %s (exp %d), decimal gives %s (exp %d)", what, g, g.Exponent(), want, want.Exponent())
	}
}

func randDec(r *rand.Rand) decimal.Decimal {
	var m int64
	switch r.IntN(5) {
	case 0:
		m = r.Int64N(1000)
	case 1:
		m = r.Int64N(1_000_000_000)
	case 2:
		// 19 to 38 digits: a coefficient past 64 bits
		b := new(big.Int).Mul(big.NewInt(r.Int64N(1<<62)), big.NewInt(r.Int64N(1<<(1+r.IntN(62)))+1))
		if r.IntN(3) == 0 {
			b.Neg(b)
		}
		return decimal.NewFromBigInt(b, -int32(r.IntN(21)))
	default:
		m = r.Int64N(1_000_000_000_000_000_000)
	}
	if r.IntN(3) == 0 {
		m = -m
	}
	return decimal.New(m, -int32(r.IntN(21)))
}

// Every operation agrees with shopspring/decimal on random operands of
// the sizes the planner sees (up to 18 digits, 0 to 20 decimals), or says
// it does not fit.
func TestAgreesWithDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fits := 0
	for range 200_000 {
		a, b := randDec(r), randDec(r)
		x, ok1 := Of(a)
		y, ok2 := Of(b)
		if !ok1 || !ok2 {
			t.Fatalf("Of(%s), Of(%s): want ok", a, b)
		}
		same(t, "dec", x, true, a)
		z, ok := Mul(x, y)
		same(t, a.String()+" × "+b.String(), z, ok, a.Mul(b))
		z, ok = Add(x, y)
		same(t, a.String()+" + "+b.String(), z, ok, a.Add(b))
		z, ok = Sub(x, y)
		same(t, a.String()+" − "+b.String(), z, ok, a.Sub(b))
		if c, ok := Cmp(x, y); ok && c != a.Cmp(b) {
			t.Fatalf("cmp %s %s: %d", a, b, c)
		}
		p := int32(r.IntN(25))
		places := int32(r.IntN(22)) - 2
		same(t, "neg", x.Neg(), true, a.Neg())
		same(t, "abs", x.Abs(), true, a.Abs())
		z, ok = Round(x, places, Floor)
		same(t, a.String()+" floor", z, ok, a.RoundFloor(places))
		z, ok = Round(x, places, Ceil)
		same(t, a.String()+" ceil", z, ok, a.RoundCeil(places))
		z, ok = Round(x, places, Trunc)
		same(t, a.String()+" trunc", z, ok, a.Truncate(places))
		if !b.IsZero() {
			z, ok = DivRound(x, y, p, HalfUp)
			same(t, a.String()+" / "+b.String(), z, ok, a.DivRound(b, p))
			if ok {
				fits++
			}
			// A product over a divisor, as the formulas chain them.
			if xy, ok := Mul(x, y); ok {
				z, ok = DivRound(xy, y, p, HalfUp)
				same(t, "xy/y", z, ok, a.Mul(b).DivRound(b, p))
			}
		}
	}
	if fits < 40_000 {
		t.Errorf("only %d of the divisions fit", fits)
	}
}

// Ties round away from zero, as DivRound does.
func TestDivRoundTies(t *testing.T) {
	for _, c := range [][2]string{{"1", "8"}, {"-1", "8"}, {"5", "2"}, {"-5", "2"}, {"25", "1000"}, {"-0.000005", "1"}} {
		a, b := decimal.RequireFromString(c[0]), decimal.RequireFromString(c[1])
		x, _ := Of(a)
		y, _ := Of(b)
		for p := int32(0); p < 8; p++ {
			z, ok := DivRound(x, y, p, HalfUp)
			same(t, c[0]+"/"+c[1], z, ok, a.DivRound(b, p))
			if !ok {
				t.Fatal("small division did not fit")
			}
		}
	}
}

// Past 128 bits nothing is computed: the caller falls back to decimal.
func TestOverflowFallsBack(t *testing.T) {
	big, _ := Of(decimal.RequireFromString("999999999999999999"))
	z, ok := Mul(big, big)
	if !ok {
		t.Fatal("18 × 18 digits fit 128 bits")
	}
	if _, ok := Mul(z, big); ok {
		t.Error("54 digits reported as fitting")
	}
	if _, ok := Of(decimal.RequireFromString("1234567890123456789012345678901234567890")); ok {
		t.Error("40 digits taken")
	}
	x, ok := Of(decimal.RequireFromString("-12345678901234567890123456.789"))
	if !ok || x.Dec().String() != "-12345678901234567890123456.789" {
		t.Errorf("29 digits: %v %s", ok, x.Dec())
	}
	if _, ok := DivRound(z, big, 30, HalfUp); ok {
		t.Error("a numerator past 128 bits reported as fitting")
	}
}

// Divisors past 64 bits take the 128-bit division: every quotient and its
// rounding agrees with decimal's.
func TestWideDivisors(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 100_000 {
		n := new(big.Int).Lsh(big.NewInt(r.Int64N(1<<62)), uint(r.IntN(66)))
		n.Add(n, big.NewInt(r.Int64N(1<<62)))
		d := new(big.Int).Lsh(big.NewInt(r.Int64N(1<<62)+1), uint(2+r.IntN(64)))
		d.Add(d, big.NewInt(r.Int64N(1<<62)))
		if r.IntN(2) == 0 {
			n.Neg(n)
		}
		a, b := decimal.NewFromBigInt(n, -10), decimal.NewFromBigInt(d, -8)
		x, ok1 := Of(a)
		y, ok2 := Of(b)
		if !ok1 || !ok2 {
			t.Fatalf("Of(%s) %v, Of(%s) %v", a, ok1, b, ok2)
		}
		z, ok := DivRound(x, y, 2, HalfUp)
		if !ok && y.hi != 0 && n.BitLen() < 120 {
			t.Fatalf("%s / %s did not fit", a, b)
		}
		same(t, a.String()+" / "+b.String(), z, ok, a.DivRound(b, 2))
	}
}

// The coefficient Of reads in place is Decimal's own: the layout check
// holds for the pinned shopspring version, and reads agree with copies.
func TestReadsTheCoefficient(t *testing.T) {
	if !direct {
		t.Fatal("shopspring's Decimal layout changed: Of copies every coefficient (update coefficient)")
	}
	for _, s := range []string{"0", "-0.0001", "123456789012345678901234567890.5", "-7", "1e-30"} {
		d := decimal.RequireFromString(s)
		if c := coefficient(&d); c.Cmp(d.Coefficient()) != 0 {
			t.Errorf("%s: read %s, coefficient %s", s, c, d.Coefficient())
		}
	}
	var zero decimal.Decimal
	if x, ok := Of(zero); !ok || !x.IsZero() {
		t.Error("the zero Decimal")
	}
}

// A wide product rounded back agrees with decimal's Mul then RoundCeil,
// RoundFloor or Truncate.
func TestMulRound(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	fits := 0
	for range 100_000 {
		a, b := randDec(r), randDec(r)
		x, _ := Of(a)
		y, _ := Of(b)
		places := int32(r.IntN(22)) - 2
		z, ok := MulRound(x, y, places, Ceil)
		same(t, a.String()+" × "+b.String()+" ceil", z, ok, a.Mul(b).RoundCeil(places))
		z, ok = MulRound(x, y, places, Floor)
		same(t, a.String()+" × "+b.String()+" floor", z, ok, a.Mul(b).RoundFloor(places))
		z, ok = MulRound(x, y, places, Trunc)
		same(t, a.String()+" × "+b.String()+" trunc", z, ok, a.Mul(b).Truncate(places))
		if _, wide := Mul(x, y); ok && !wide {
			fits++
		}
	}
	if fits < 5_000 {
		t.Errorf("only %d wide products rounded back", fits)
	}
}

// Float64 is InexactFloat64's float, to the last bit.
func TestFloat64(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 200_000 {
		a := randDec(r)
		if r.IntN(3) == 0 {
			a = a.Mul(randDec(r)) // wide, many decimals
		}
		if r.IntN(2) == 0 {
			// The same value with trailing zeros: c·10^k × 10^(e−k).
			k := int32(r.IntN(20))
			a = decimal.NewFromBigInt(new(big.Int).Mul(a.Coefficient(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)), a.Exponent()-k)
		}
		x, ok := Of(a)
		if !ok {
			continue
		}
		if got, want := x.Float64(), a.InexactFloat64(); got != want {
			t.Fatalf("%s: %v, InexactFloat64 %v", a, got, want)
		}
	}
}

// A numerator scaled past 128 bits divides in pooled big.Ints (the entry
// cost's fee over a notional with 26 decimals), still exactly.
func TestWideNumerator(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for range 20_000 {
		a := decimal.New(r.Int64N(1_000_000_000_000_000), -10)
		b := decimal.NewFromBigInt(new(big.Int).Mul(big.NewInt(r.Int64N(1<<62)+1), big.NewInt(r.Int64N(1<<40)+1)), -26)
		if r.IntN(2) == 0 {
			a = a.Neg()
		}
		x, _ := Of(a)
		y, _ := Of(b)
		if _, ok := scale(x, x.e-y.e+18); ok {
			t.Fatal("meant to pass 128 bits")
		}
		for _, m := range []Mode{HalfUp, Floor, Ceil, Trunc} {
			z, ok := DivRound(x, y, 18, m)
			if !ok {
				t.Fatalf("%s / %s did not fit", a, b)
			}
			var want decimal.Decimal
			switch m {
			case HalfUp:
				want = a.DivRound(b, 18)
			case Floor:
				want = a.DivRound(b, 40).RoundFloor(18)
			case Ceil:
				want = a.DivRound(b, 40).RoundCeil(18)
			case Trunc:
				want = a.DivRound(b, 40).Truncate(18)
			}
			if m == HalfUp {
				same(t, a.String()+" / "+b.String(), z, ok, want)
			} else if !z.Dec().Equal(want) {
				t.Fatalf("%s / %s mode %d: %s, want %s", a, b, m, z.Dec(), want)
			}
		}
	}
}

// A Slab's values are the Decimals Dec makes, each its own: more values
// than a block holds, kept and compared after every one was made, and used
// in decimal's own arithmetic (which must not change them).
func TestSlab(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var s Slab
	var want []decimal.Decimal
	var got []decimal.Decimal
	for range 3*slabCells + 7 {
		d := randDec(r)
		x, ok := Of(d)
		if !ok {
			t.Fatalf("Of(%s): want ok", d)
		}
		if r.IntN(4) == 0 {
			x = N{e: x.e} // zero, with its exponent
			d = x.Dec()
		}
		want = append(want, d)
		got = append(got, s.Dec(x))
	}
	for k := range got {
		_ = got[k].Add(got[(k+1)%len(got)]).Neg().Abs()
	}
	for k := range got {
		if !got[k].Equal(want[k]) || got[k].Exponent() != want[k].Exponent() || got[k].String() != want[k].String() {
			t.Fatalf("value %d: slab %s (exp %d), Dec %s (exp %d)", k, got[k], got[k].Exponent(), want[k], want[k].Exponent())
		}
	}
	if direct && s.free == nil {
		t.Fatal("the slab made no block")
	}
}

// Dec's pooled cells are each one goroutine's: values made at once on
// several goroutines stay what they were made as (run with -race too).
func TestDecConcurrent(t *testing.T) {
	const workers, each = 8, 4 * poolCells
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 9))
			var want, got []decimal.Decimal
			for range each {
				d := randDec(r)
				x, _ := Of(d)
				want, got = append(want, d), append(got, x.Dec())
			}
			for k := range got {
				if !got[k].Equal(want[k]) || got[k].Exponent() != want[k].Exponent() {
					errs <- fmt.Sprintf("worker %d value %d: %s (exp %d), want %s (exp %d)", w, k, got[k], got[k].Exponent(), want[k], want[k].Exponent())
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// AppendFixed writes what Decimal.StringFixed writes, for random values
// (past 64 bits too) and 0 to 8 places, ties and zeros included.
func TestAppendFixed(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	check := func(d decimal.Decimal, places int32) {
		t.Helper()
		x, ok := Of(d)
		if !ok {
			return
		}
		got, ok := AppendFixed([]byte("ab"), x, places)
		if !ok {
			return // does not fit: the caller formats with decimal
		}
		if want := "ab" + d.StringFixed(places); string(got) != want {
			t.Fatalf("%s to %d places: %q, StringFixed %q", d, places, got, want)
		}
	}
	fitted := 0
	for range 100_000 {
		d, places := randDec(r), int32(r.IntN(9))
		check(d, places)
		if x, ok := Of(d); ok {
			if _, ok := AppendFixed(nil, x, places); ok {
				fitted++
			}
		}
	}
	if fitted < 50_000 {
		t.Fatalf("only %d of 100000 values fitted", fitted)
	}
	for _, s := range []string{"0", "-0.04", "0.05", "-0.05", "0.15", "-0.25", "12.345", "-12.355", "99.95", "-99.95",
		"1e3", "-1e-30", "0.000", "123456789012345678901234567890.5", "-0.5", "0.4999999"} {
		for places := range int32(5) {
			check(decimal.RequireFromString(s), places)
		}
	}
}
