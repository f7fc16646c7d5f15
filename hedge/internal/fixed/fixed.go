// Package fixed is exact decimal arithmetic on a 128-bit mantissa, for the
// planner's and the paper venue's hot formulas. A shopspring Decimal
// allocates a big.Int for every operation; a chain of them here allocates
// only for its result. Every operation is exact or reports that it does not
// fit (ok = false), and the caller then computes the same formula with
// decimal. Results keep shopspring's exponents (Mul adds them, Add takes the
// smaller, DivRound and the roundings give −places), so a value converted
// back with Dec is the Decimal the decimal code would have made, digit for
// digit and exponent for exponent.
package fixed

import (
	"cmp"
	"math/big"
	"math/bits"
	"reflect"
	"strconv"
	"sync"
	"unsafe"

	"github.com/shopspring/decimal"
)

// N is (−1)^neg × (hi·2^64 + lo) × 10^e.
type N struct {
	hi, lo uint64
	neg    bool
	e      int32
}

// direct says that Decimal is laid out as shopspring v1.6.0 declares it,
// {value *big.Int; exp int32}, so that Of can read a coefficient without
// copying it. Decimal does not export it, and a copy (Coefficient) costs two
// allocations, as much as the operation it would replace. Checked once by
// reflection: with any other layout Of copies.
var direct = func() bool {
	t := reflect.TypeFor[decimal.Decimal]()
	if t.NumField() != 2 {
		return false
	}
	v, e := t.Field(0), t.Field(1)
	return v.Name == "value" && v.Type == reflect.TypeFor[*big.Int]() && v.Offset == 0 &&
		e.Name == "exp" && e.Type.Kind() == reflect.Int32 && e.Offset == unsafe.Offsetof(layout{}.exp) &&
		t.Size() == unsafe.Sizeof(layout{})
}()

// layout is Decimal's, as direct checks it.
type layout struct {
	value *big.Int
	exp   int32
}

// cell is a result's big.Int and its words in one allocation (a big.Int
// made the usual way is two).
type cell struct {
	i big.Int
	w [2]big.Word
}

// coefficient is d's own coefficient (nil for the zero Decimal); it is only
// read, never changed.
func coefficient(d *decimal.Decimal) *big.Int {
	if direct {
		return *(**big.Int)(unsafe.Pointer(d))
	}
	return d.Coefficient()
}

// Of is d when its coefficient fits 128 bits (Calc.Of does the work).
func Of(d decimal.Decimal) (N, bool) {
	c := NewCalc()
	x := c.Of(d)
	return x, c.OK
}

// Int is v × 10^0.
func Int(v int64) N {
	if v < 0 {
		return N{lo: uint64(-v), neg: true}
	}
	return N{lo: uint64(v)}
}

// Dec is x as a Decimal with x's exponent. With Decimal's layout checked
// (direct) it is built in place, as New or NewFromBigInt would build it,
// in a cell of a pooled Slab: the planner makes a few dozen Decimals a
// cycle, and one allocation per poolCells of them instead of one each is
// a tenth of a backtest's time. Decimals are never changed after they are
// made, so the words may live next to their big.Int, and cells are never
// reused. The cost is memory: a Decimal kept for long keeps its block
// (poolCells × 48 bytes) with it.
func (x N) Dec() decimal.Decimal {
	if direct {
		if x.IsZero() {
			var s Slab // takes no cell for a zero
			return s.Dec(x)
		}
		s := slabs.Get().(*Slab)
		d := s.Dec(x)
		slabs.Put(s)
		return d
	}
	return x.dec()
}

// slabs serve Dec: a Slab is not safe for concurrent use, and the pool
// hands each to one goroutine at a time.
var slabs = sync.Pool{New: func() any { return &Slab{block: poolCells} }}

// in is x built in c, which nothing else uses (direct only).
func (x N) in(c *cell) decimal.Decimal {
	c.w = [2]big.Word{big.Word(x.lo), big.Word(x.hi)}
	n := 0
	switch {
	case x.hi != 0:
		n = 2
	case x.lo != 0:
		n = 1
	}
	c.i.SetBits(c.w[:n])
	if x.neg {
		c.i.Neg(&c.i)
	}
	var d decimal.Decimal
	*(*layout)(unsafe.Pointer(&d)) = layout{value: &c.i, exp: x.e}
	return d
}

// Slab makes Decimals that live as long as each other (a backtest's daily
// path) in blocks of slabCells: one allocation per block instead of one per
// value. A block stays in memory while any of its values does, so a Slab is
// for values kept together, not for temporaries. Not safe for concurrent use.
type Slab struct {
	free  []cell
	block int // cells per block; 0 is slabCells
}

const slabCells = 256

// poolCells is the block of Dec's pooled slabs: small, because a value
// kept from one cycle keeps the whole block.
const poolCells = 64

// zero is the coefficient of every zero Dec makes (direct only): shared,
// because a Decimal's coefficient is never changed, and a zero result needs
// no cell of its own.
var zero big.Int

// Dec is x.Dec(), its cell taken from s.
func (s *Slab) Dec(x N) decimal.Decimal {
	if !direct {
		return x.dec()
	}
	if x.IsZero() {
		var d decimal.Decimal
		*(*layout)(unsafe.Pointer(&d)) = layout{value: &zero, exp: x.e}
		return d
	}
	if len(s.free) == 0 {
		s.free = make([]cell, cmp.Or(s.block, slabCells))
	}
	c := &s.free[0]
	s.free = s.free[1:]
	return x.in(c)
}

// dec is Dec through decimal's constructors (layout not checked).
func (x N) dec() decimal.Decimal {
	if x.hi == 0 && x.lo < 1<<63 {
		m := int64(x.lo)
		if x.neg {
			m = -m
		}
		return decimal.New(m, x.e)
	}
	// On the stack: NewFromBigInt copies it.
	w := [2]big.Word{big.Word(x.lo), big.Word(x.hi)}
	var b big.Int
	b.SetBits(w[:])
	if x.neg {
		b.Neg(&b)
	}
	return decimal.NewFromBigInt(&b, x.e)
}

func (x N) IsZero() bool { return x.hi == 0 && x.lo == 0 }

// Sign is −1, 0 or 1.
func (x N) Sign() int {
	switch {
	case x.IsZero():
		return 0
	case x.neg:
		return -1
	}
	return 1
}

func (x N) Neg() N {
	if !x.IsZero() {
		x.neg = !x.neg
	}
	return x
}

func (x N) Abs() N { x.neg = false; return x }

// pow10 are 10^0 … 10^38 as 128-bit numbers.
var pow10 [39][2]uint64 // {hi, lo}

func init() {
	hi, lo := uint64(0), uint64(1)
	for k := range pow10 {
		pow10[k] = [2]uint64{hi, lo}
		var carry uint64
		carry, lo = bits.Mul64(lo, 10)
		hi = hi*10 + carry
	}
}

// mul128 is a × b (magnitudes), ok false on overflow.
func mul128(ahi, alo, bhi, blo uint64) (hi, lo uint64, ok bool) {
	if ahi != 0 && bhi != 0 {
		return 0, 0, false
	}
	h, l := bits.Mul64(alo, blo)
	var c1, c2 uint64
	if ahi != 0 {
		var x uint64
		x, c1 = bits.Mul64(ahi, blo)
		if x != 0 {
			return 0, 0, false
		}
	}
	if bhi != 0 {
		var x uint64
		x, c2 = bits.Mul64(bhi, alo)
		if x != 0 {
			return 0, 0, false
		}
	}
	var carry uint64
	h, carry = bits.Add64(h, c1, 0)
	if carry != 0 {
		return 0, 0, false
	}
	h, carry = bits.Add64(h, c2, 0)
	if carry != 0 {
		return 0, 0, false
	}
	return h, l, true
}

// scale is x's magnitude × 10^k, ok false on overflow.
func scale(x N, k int32) (N, bool) {
	if k == 0 || x.IsZero() {
		x.e -= k
		return x, true
	}
	if k < 0 || k >= int32(len(pow10)) {
		return N{}, false
	}
	p := pow10[k]
	if x.hi == 0 && p[0] == 0 {
		// Both within 64 bits: the product always fits 128.
		hi, lo := bits.Mul64(x.lo, p[1])
		return N{hi: hi, lo: lo, neg: x.neg, e: x.e - k}, true
	}
	hi, lo, ok := mul128(x.hi, x.lo, p[0], p[1])
	if !ok {
		return N{}, false
	}
	return N{hi: hi, lo: lo, neg: x.neg, e: x.e - k}, true
}

// Mul is x × y.
func Mul(x, y N) (N, bool) {
	var hi, lo uint64
	if x.hi == 0 && y.hi == 0 {
		hi, lo = bits.Mul64(x.lo, y.lo) // always fits
	} else {
		var ok bool
		if hi, lo, ok = mul128(x.hi, x.lo, y.hi, y.lo); !ok {
			return N{}, false
		}
	}
	z := N{hi: hi, lo: lo, e: x.e + y.e}
	z.neg = x.neg != y.neg && !z.IsZero()
	return z, true
}

// align brings x and y to the smaller exponent.
func align(x, y N) (N, N, bool) {
	var ok bool
	switch {
	case x.e > y.e:
		x, ok = scale(x, x.e-y.e)
	case y.e > x.e:
		y, ok = scale(y, y.e-x.e)
	default:
		ok = true
	}
	return x, y, ok
}

func cmpMag(x, y N) int {
	switch {
	case x.hi != y.hi:
		if x.hi < y.hi {
			return -1
		}
		return 1
	case x.lo != y.lo:
		if x.lo < y.lo {
			return -1
		}
		return 1
	}
	return 0
}

// Add is x + y, at the smaller exponent.
func Add(x, y N) (N, bool) {
	if x.e != y.e { // align's work, without its call
		var ok bool
		if x.e > y.e {
			x, ok = scale(x, x.e-y.e)
		} else {
			y, ok = scale(y, y.e-x.e)
		}
		if !ok {
			return N{}, false
		}
	}
	z := N{e: x.e}
	if x.neg == y.neg {
		var c uint64
		z.lo, c = bits.Add64(x.lo, y.lo, 0)
		z.hi, c = bits.Add64(x.hi, y.hi, c)
		if c != 0 {
			return N{}, false
		}
		z.neg = x.neg && !z.IsZero()
		return z, true
	}
	if cmpMag(x, y) < 0 {
		x, y = y, x
	}
	var b uint64
	z.lo, b = bits.Sub64(x.lo, y.lo, 0)
	z.hi, _ = bits.Sub64(x.hi, y.hi, b)
	z.neg = x.neg && !z.IsZero()
	return z, true
}

// Sub is x − y.
func Sub(x, y N) (N, bool) { return Add(x, y.Neg()) }

// Cmp compares x and y by value.
func Cmp(x, y N) (int, bool) {
	if sx, sy := x.Sign(), y.Sign(); sx != sy || sx == 0 {
		switch {
		case sx < sy:
			return -1, true
		case sx > sy:
			return 1, true
		}
		return 0, true
	}
	x, y, ok := align(x, y)
	if !ok {
		return 0, false
	}
	c := cmpMag(x, y)
	if x.neg {
		c = -c
	}
	return c, true
}

// Mode is how a quotient's dropped digits round.
type Mode int

const (
	HalfUp Mode = iota // half away from zero (Decimal.DivRound)
	Floor              // toward −∞ (RoundFloor)
	Ceil               // toward +∞ (RoundCeil)
	Trunc              // toward zero (Truncate)
)

// div is the magnitude of n / d (d < 2^64) with its remainder.
func div(nhi, nlo, d uint64) (qhi, qlo, r uint64) {
	qhi, r = bits.Div64(0, nhi, d)
	qlo, r = bits.Div64(r, nlo, d)
	return qhi, qlo, r
}

// div128 is n / d for a divisor of 65 to 128 bits (dhi ≠ 0): the quotient
// then fits 64 bits. A trial quotient from the divisor's top 64 bits is
// exact or one too small (Hacker's Delight, divlu), fixed by one compare.
func div128(nhi, nlo, dhi, dlo uint64) (q, rhi, rlo uint64) {
	s := uint(bits.LeadingZeros64(dhi))
	top := dhi<<s | dlo>>(64-s) // the divisor's top 64 bits, normalized
	if s == 0 {
		top = dhi
	}
	// n / 2, so that the trial division cannot overflow
	h, l := nhi>>1, nlo>>1|nhi<<63
	q, _ = bits.Div64(h, l, top)
	q >>= 63 - s
	if q != 0 {
		q--
	}
	// r = n − q·d, then one more d when r ≥ d
	ph, pl := bits.Mul64(q, dlo)
	ph += q * dhi
	var b uint64
	rlo, b = bits.Sub64(nlo, pl, 0)
	rhi, _ = bits.Sub64(nhi, ph, b)
	if rhi > dhi || (rhi == dhi && rlo >= dlo) {
		q++
		rlo, b = bits.Sub64(rlo, dlo, 0)
		rhi, _ = bits.Sub64(rhi, dhi, b)
	}
	return q, rhi, rlo
}

// bump says whether a quotient (sign neg) with remainder r of divisor d
// rounds away from its truncation.
func bump(neg bool, rhi, rlo, dhi, dlo uint64, mode Mode) bool {
	if rhi == 0 && rlo == 0 {
		return false
	}
	switch mode {
	case Floor:
		return neg
	case Ceil:
		return !neg
	case HalfUp:
		// 2r ≥ d, with r < d < 2^128
		if rhi>>63 != 0 {
			return true
		}
		h, l := rhi<<1|rlo>>63, rlo<<1
		return h > dhi || (h == dhi && l >= dlo)
	}
	return false
}

func inc(hi, lo uint64) (uint64, uint64, bool) {
	lo, c := bits.Add64(lo, 1, 0)
	hi, c = bits.Add64(hi, 0, c)
	return hi, lo, c == 0
}

// DivRound is x / y rounded to places decimals by mode, at exponent −places:
// mode HalfUp is Decimal.DivRound.
func DivRound(x, y N, places int32, mode Mode) (N, bool) {
	if y.IsZero() {
		return N{}, false
	}
	// q = x.m × 10^(x.e − y.e + places) / y.m
	k := x.e - y.e + places
	if k < 0 {
		ys, ok := scale(y, -k)
		if !ok {
			return divWide(x, y, k, places, mode)
		}
		y = ys
	} else {
		var ok bool
		xs, ok := scale(x, k)
		if !ok {
			return divWide(x, y, k, places, mode)
		}
		x = xs
	}
	neg := x.neg != y.neg
	var qhi, qlo, rhi, rlo uint64
	if y.hi == 0 {
		qhi, qlo, rlo = div(x.hi, x.lo, y.lo)
	} else {
		qlo, rhi, rlo = div128(x.hi, x.lo, y.hi, y.lo)
	}
	if bump(neg, rhi, rlo, y.hi, y.lo, mode) {
		var ok bool
		if qhi, qlo, ok = inc(qhi, qlo); !ok {
			return N{}, false
		}
	}
	z := N{hi: qhi, lo: qlo, e: -places}
	z.neg = neg && !z.IsZero()
	return z, true
}

// Round is x rounded to places decimals by mode, at exponent −places (as
// RoundFloor and RoundCeil give it), or for Trunc as Decimal.Truncate: x
// unchanged when it has no more than places decimals.
func Round(x N, places int32, mode Mode) (N, bool) {
	if x.e >= -places {
		if mode == Trunc {
			return x, true
		}
		return scale(x, x.e+places)
	}
	k := -places - x.e
	if k >= int32(len(pow10)) || pow10[k][0] != 0 {
		// 10^k past 64 bits: 19 digits at a time, remembering whether any
		// digit dropped was not 0 (enough for every mode but HalfUp).
		if mode == HalfUp || k >= 2*int32(len(pow10)) {
			return N{}, false
		}
		hi, lo, sticky := x.hi, x.lo, false
		for k > 0 {
			step := min(k, 19)
			var r uint64
			hi, lo, r = div(hi, lo, pow10[step][1])
			sticky = sticky || r != 0
			k -= step
		}
		var rl uint64
		if sticky {
			rl = 1
		}
		if bump(x.neg, 0, rl, 0, 2, mode) {
			var ok bool
			if hi, lo, ok = inc(hi, lo); !ok {
				return N{}, false
			}
		}
		z := N{hi: hi, lo: lo, e: -places}
		z.neg = x.neg && !z.IsZero()
		return z, true
	}
	p := pow10[k]
	qhi, qlo, r := div(x.hi, x.lo, p[1])
	if bump(x.neg, 0, r, 0, p[1], mode) {
		var ok bool
		if qhi, qlo, ok = inc(qhi, qlo); !ok {
			return N{}, false
		}
	}
	z := N{hi: qhi, lo: qlo, e: -places}
	z.neg = x.neg && !z.IsZero()
	return z, true
}

// Calc chains operations for one formula: the first value or result that
// does not fit clears OK, and what follows computes nothing. A formula is
// written once as calls on a Calc and, when OK is false at the end,
// computed again with decimal.
type Calc struct{ OK bool }

// NewCalc is a Calc with nothing failed yet.
func NewCalc() Calc { return Calc{OK: true} }

func (c *Calc) keep(x N, ok bool) N {
	if !ok {
		c.OK = false
	}
	return x
}

// Of is d, when it fits: its coefficient read in place. The conversion is
// here rather than behind a call from it: the planner converts a few
// hundred operands a cycle, and the extra call was a sixth of the cost.
func (c *Calc) Of(d decimal.Decimal) N {
	if !c.OK {
		return N{}
	}
	b := coefficient(&d)
	x := N{e: d.Exponent()}
	if b == nil {
		return x
	}
	w := b.Bits()
	if len(w) > 2 || bits.UintSize != 64 {
		c.OK = false
		return N{}
	}
	x.neg = b.Sign() < 0
	if len(w) > 0 {
		x.lo = uint64(w[0])
	}
	if len(w) > 1 {
		x.hi = uint64(w[1])
	}
	return x
}

func (c *Calc) Mul(x, y N) N {
	if !c.OK {
		return N{}
	}
	return c.keep(Mul(x, y))
}

func (c *Calc) Add(x, y N) N {
	if !c.OK {
		return N{}
	}
	return c.keep(Add(x, y))
}

func (c *Calc) Sub(x, y N) N {
	if !c.OK {
		return N{}
	}
	return c.keep(Sub(x, y))
}

// DivRound is x / y as Decimal.DivRound(y, places) gives it.
func (c *Calc) DivRound(x, y N, places int32) N {
	if !c.OK {
		return N{}
	}
	return c.keep(DivRound(x, y, places, HalfUp))
}

// Round is x rounded by mode (see Round).
func (c *Calc) Round(x N, places int32, mode Mode) N {
	if !c.OK {
		return N{}
	}
	return c.keep(Round(x, places, mode))
}

// Cmp compares x and y (0 once the Calc failed).
func (c *Calc) Cmp(x, y N) int {
	if !c.OK {
		return 0
	}
	v, ok := Cmp(x, y)
	if !ok {
		c.OK = false
	}
	return v
}

// Max is the larger of x and y; on a tie x, as decimal.Max(x, y) keeps its
// first argument.
func (c *Calc) Max(x, y N) N {
	if c.Cmp(y, x) > 0 {
		return y
	}
	return x
}

// Min is the smaller of x and y; on a tie x, as decimal.Min(x, y).
func (c *Calc) Min(x, y N) N {
	if c.Cmp(y, x) < 0 {
		return y
	}
	return x
}

// MulRound is x × y rounded to places decimals by Floor, Ceil or Trunc, at
// exponent −places (as x.Mul(y).RoundCeil(places) gives it), through a
// 256-bit product: for two wide factors whose product needs rounding back
// into 128 bits. HalfUp is not offered (ok false).
func MulRound(x, y N, places int32, mode Mode) (N, bool) {
	if mode == HalfUp {
		return N{}, false
	}
	e := x.e + y.e
	if e >= -places {
		z, ok := Mul(x, y)
		if !ok {
			return N{}, false
		}
		return Round(z, places, mode)
	}
	// p = x × y, four 64-bit words, least significant first
	var p [4]uint64
	h, l := bits.Mul64(x.lo, y.lo)
	p[0], p[1] = l, h
	add := func(i int, hi, lo uint64) {
		var c uint64
		p[i], c = bits.Add64(p[i], lo, 0)
		p[i+1], c = bits.Add64(p[i+1], hi, c)
		for j := i + 2; c != 0 && j < 4; j++ {
			p[j], c = bits.Add64(p[j], 0, c)
		}
	}
	h, l = bits.Mul64(x.lo, y.hi)
	add(1, h, l)
	h, l = bits.Mul64(x.hi, y.lo)
	add(1, h, l)
	h, l = bits.Mul64(x.hi, y.hi)
	add(2, h, l)
	neg := (x.neg != y.neg) && (p != [4]uint64{})
	// Divide by 10^k, 19 digits at a time; sticky: something was dropped.
	sticky := false
	for k := -places - e; k > 0; {
		step := min(k, 19)
		d := pow10[step][1]
		var r uint64
		for i := 3; i >= 0; i-- {
			p[i], r = bits.Div64(r, p[i], d)
		}
		sticky = sticky || r != 0
		k -= step
	}
	if p[2] != 0 || p[3] != 0 {
		return N{}, false
	}
	z := N{hi: p[1], lo: p[0], e: -places}
	if sticky && ((mode == Floor && neg) || (mode == Ceil && !neg)) {
		var ok bool
		if z.hi, z.lo, ok = inc(z.hi, z.lo); !ok {
			return N{}, false
		}
	}
	z.neg = neg && !z.IsZero()
	return z, true
}

// MulRound is x × y rounded (see MulRound).
func (c *Calc) MulRound(x, y N, places int32, mode Mode) N {
	if !c.OK {
		return N{}
	}
	return c.keep(MulRound(x, y, places, mode))
}

var float64Pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// Float64 is the float64 nearest to x, as Decimal.InexactFloat64 gives it:
// both round the exact value to nearest, ties to even (big.Rat's Float64
// and strconv.ParseFloat are both correctly rounded). For statistics only.
func (x N) Float64() float64 {
	if x.e < 0 && (x.hi != 0 || x.lo > 1<<53) {
		// Trailing zeros change nothing but may bring the coefficient
		// within 2^53, where one division is exact and quick.
		for x.e < 0 && !x.IsZero() {
			qhi, qlo, r := div(x.hi, x.lo, 10)
			if r != 0 {
				break
			}
			x.hi, x.lo, x.e = qhi, qlo, x.e+1
		}
	}
	if x.hi == 0 && x.lo <= 1<<53 && x.e <= 0 && x.e >= -22 {
		// Both operands exact: one correctly rounded division.
		f := float64(x.lo) / float64Pow10[-x.e]
		if x.neg {
			f = -f
		}
		return f
	}
	var buf [64]byte
	b := buf[:0]
	if x.neg {
		b = append(b, '-')
	}
	if x.hi == 0 {
		b = strconv.AppendUint(b, x.lo, 10)
	} else {
		// 128 bits: the top digits, then the low 19 zero-padded.
		const e19 = 10_000_000_000_000_000_000
		qhi, qlo, r := div(x.hi, x.lo, e19)
		if qhi == 0 {
			b = strconv.AppendUint(b, qlo, 10)
		} else {
			_, q2, r2 := div(qhi, qlo, e19)
			b = strconv.AppendUint(b, q2, 10)
			b = appendPadded(b, r2)
		}
		b = appendPadded(b, r)
	}
	b = append(b, 'e')
	b = strconv.AppendInt(b, int64(x.e), 10)
	f, _ := strconv.ParseFloat(string(b), 64)
	return f
}

// AppendFixed appends x rounded half away from zero to places ≥ 0
// decimals, written as Decimal.StringFixed(places) writes it (no exponent,
// places digits after the point, "-" for a negative result); false, with
// b unchanged, when the rounding does not fit. The planner's alerts format
// their percentages and amounts with it every cycle.
func AppendFixed(b []byte, x N, places int32) ([]byte, bool) {
	if places < 0 {
		return b, false
	}
	r, ok := Round(x, places, HalfUp)
	if !ok {
		return b, false
	}
	var d [40]byte // 128 bits have at most 39 digits
	i := len(d)
	hi, lo := r.hi, r.lo
	for hi != 0 {
		var rem uint64
		hi, lo, rem = div(hi, lo, 10)
		i--
		d[i] = byte('0' + rem)
	}
	for lo != 0 || i == len(d) {
		i--
		d[i] = byte('0' + lo%10)
		lo /= 10
	}
	digits, p := d[i:], int(places)
	if r.neg {
		b = append(b, '-')
	}
	switch {
	case p == 0:
		return append(b, digits...), true
	case len(digits) > p:
		b = append(b, digits[:len(digits)-p]...)
		b = append(b, '.')
		return append(b, digits[len(digits)-p:]...), true
	}
	b = append(b, '0', '.')
	for range p - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...), true
}

func appendPadded(b []byte, v uint64) []byte {
	var d [19]byte
	for i := 18; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:]...)
}

// wide is the scratch of divWide, pooled: its big.Ints keep their words
// from one division to the next, so a wide division allocates nothing.
type wide struct{ n, d, q, r, t big.Int }

var widePool = sync.Pool{New: func() any { return new(wide) }}

// bigPow10 are 10^0 … 10^76, shared and never changed.
var bigPow10 = func() (p [77]*big.Int) {
	for k := range p {
		p[k] = new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
	}
	return p
}()

// divWide is DivRound when the scaled operand passes 128 bits (the
// quotient must still fit them): x.m × 10^k / y.m for k ≥ 0, x.m /
// (y.m × 10^−k) for k < 0, in pooled big.Ints.
func divWide(x, y N, k int32, places int32, mode Mode) (N, bool) {
	if k >= int32(len(bigPow10)) || -k >= int32(len(bigPow10)) {
		return N{}, false
	}
	w := widePool.Get().(*wide)
	defer widePool.Put(w)
	w.n.SetUint64(x.hi)
	w.n.Lsh(&w.n, 64)
	w.t.SetUint64(x.lo)
	w.n.Or(&w.n, &w.t)
	w.d.SetUint64(y.hi)
	w.d.Lsh(&w.d, 64)
	w.t.SetUint64(y.lo)
	w.d.Or(&w.d, &w.t)
	if k >= 0 {
		w.n.Mul(&w.n, bigPow10[k])
	} else {
		w.d.Mul(&w.d, bigPow10[-k])
	}
	w.q.QuoRem(&w.n, &w.d, &w.r)
	if w.q.BitLen() > 128 {
		return N{}, false
	}
	neg := x.neg != y.neg
	up := false
	if w.r.Sign() != 0 {
		switch mode {
		case Floor:
			up = neg
		case Ceil:
			up = !neg
		case HalfUp:
			w.r.Lsh(&w.r, 1)
			up = w.r.Cmp(&w.d) >= 0
		}
	}
	var hi, lo uint64
	ws := w.q.Bits()
	if len(ws) > 0 {
		lo = uint64(ws[0])
	}
	if len(ws) > 1 {
		hi = uint64(ws[1])
	}
	if up {
		var ok bool
		if hi, lo, ok = inc(hi, lo); !ok {
			return N{}, false
		}
	}
	z := N{hi: hi, lo: lo, e: -places}
	z.neg = neg && !z.IsZero()
	return z, true
}
