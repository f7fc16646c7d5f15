package hedge

// The planner's hottest formulas in exact 128-bit integer arithmetic
// (hedge/internal/fixed), each written twice: the fixed form, and the
// decimal form it falls back to when a value does not fit (more than 18
// digits, or an intermediate past 128 bits). Both give the same Decimal,
// exponent included: fixed keeps shopspring's rules (Mul adds exponents,
// Add takes the smaller, DivRound and the roundings give −places).
// TestFastFormulas checks the two forms against each other. A backtest runs
// these a few hundred thousand times, and a decimal allocates for every step.

import (
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge/internal/fixed"
)

// useFixed turns the fixed forms off, for the tests.
var useFixed = true

// basisBps is (mark − index) × 10⁴ / index.
func basisBps(mark, index decimal.Decimal) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		i := c.Of(index)
		v := c.DivRound(c.Mul(c.Sub(c.Of(mark), i), c.Of(bps)), i, divPrecision)
		if c.OK {
			return v.Dec()
		}
	}
	return mark.Sub(index).Mul(bps).DivRound(index, divPrecision)
}

// relative is (x − ref) / ref.
func relative(x, ref decimal.Decimal) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		r := c.Of(ref)
		v := c.DivRound(c.Sub(c.Of(x), r), r, divPrecision)
		if c.OK {
			return v.Dec()
		}
	}
	return x.Sub(ref).DivRound(ref, divPrecision)
}

// shortCarryAPR is m.ShortCarryPerDay() × 365.
func shortCarryAPR(m Market) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		v := c.Mul(c.Sub(c.Of(m.FundingRatePerDay), c.Of(m.BorrowRatePerDay)), c.Of(daysPerYr))
		if c.OK {
			return v.Dec()
		}
	}
	return m.ShortCarryPerDay().Mul(daysPerYr)
}

// mul3 is a × b × c.
func mul3(a, b, c decimal.Decimal) decimal.Decimal {
	if useFixed {
		k := fixed.NewCalc()
		v := k.Mul(k.Mul(k.Of(a), k.Of(b)), k.Of(c))
		if k.OK {
			return v.Dec()
		}
	}
	return a.Mul(b).Mul(c)
}

// mul3Div is a × b × c / d.
func mul3Div(a, b, c, d decimal.Decimal) decimal.Decimal {
	if useFixed {
		k := fixed.NewCalc()
		v := k.DivRound(k.Mul(k.Mul(k.Of(a), k.Of(b)), k.Of(c)), k.Of(d), divPrecision)
		if k.OK {
			return v.Dec()
		}
	}
	return a.Mul(b).Mul(c).DivRound(d, divPrecision)
}

// windowFunding is what the funding window's index move perUnit =
// index − before pays q (≥ 0) of short, and that move as an APR at mark
// over secs seconds.
func windowFunding(index, before, q, mark decimal.Decimal, secs int64) (usd, apr decimal.Decimal) {
	if useFixed {
		c := fixed.NewCalc()
		pu := c.Sub(c.Of(index), c.Of(before))
		u := c.Mul(pu, c.Max(c.Of(q), fixed.N{}))
		a := c.DivRound(c.Mul(pu, c.Of(secondsPer)), c.Mul(c.Of(mark), fixed.Int(secs)), divPrecision)
		if c.OK {
			return u.Dec(), a.Dec()
		}
	}
	perUnit := index.Sub(before)
	return perUnit.Mul(decimal.Max(q, decimal.Zero)),
		perUnit.Mul(secondsPer).DivRound(mark.Mul(decimal.NewFromInt(secs)), divPrecision)
}

// entryCostBps is what adding to the short costs in bps of the added
// notional, fees, impact and basis discount: add = want − max(q, 0), and
// zero when nothing is added.
func entryCostBps(m Market, want, q, basis decimal.Decimal) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		mark := c.Of(m.MarkPrice)
		add := c.Sub(c.Of(want), c.Max(c.Of(q), fixed.N{}))
		if c.OK && add.Sign() <= 0 {
			return decimal.Zero
		}
		notional := c.Mul(add, mark)
		if c.OK {
			tc := m.cost().TradeCost(add.Neg().Dec(), m.MarkPrice)
			cost := c.DivRound(c.Mul(c.Of(tc), c.Of(bps)), notional, divPrecision)
			v := c.Sub(cost, c.Min(c.Of(basis), fixed.N{}))
			if c.OK {
				return v.Dec()
			}
		}
	}
	if add := want.Sub(decimal.Max(q, decimal.Zero)); add.IsPositive() {
		notional := add.Mul(m.MarkPrice)
		cost := m.cost().TradeCost(add.Neg(), m.MarkPrice).Mul(bps).DivRound(notional, divPrecision)
		return cost.Sub(decimal.Min(basis, decimal.Zero))
	}
	return decimal.Zero
}

// equity is p.Equity().
func equity(p Position) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		v := c.Add(c.Add(c.Of(p.Margin), c.Of(p.AccruedFunding)), c.Of(p.UnrealizedPnL))
		if c.OK {
			return v.Dec()
		}
	}
	return p.Margin.Add(p.AccruedFunding).Add(p.UnrealizedPnL)
}

// floorEquity is q × price × ((1 + mm)(1 + floor) − 1).
func floorEquity(q, price, mm, floor decimal.Decimal) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		one := fixed.Int(1)
		k := c.Sub(c.Mul(c.Add(one, c.Of(mm)), c.Add(one, c.Of(floor))), one)
		v := c.Mul(c.Mul(c.Of(q), c.Of(price)), k)
		if c.OK {
			return v.Dec()
		}
	}
	return q.Mul(price).Mul(one.Add(mm).Mul(one.Add(floor)).Sub(one))
}

// liqPrice is liquidationPrice's arithmetic: (M + q·Pe)/(q(1+mm)) for a
// short, (q·Pe − M)/(q(1−mm)) for a long, with M the margin and accrued
// funding; zero when there is none.
func liqPrice(pos Position, mm decimal.Decimal) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		one := fixed.Int(1)
		q := c.Of(pos.Size).Abs()
		m := c.Add(c.Of(pos.Margin), c.Of(pos.AccruedFunding))
		qe := c.Mul(q, c.Of(pos.EntryPrice))
		num, den := c.Add(m, qe), c.Mul(q, c.Add(one, c.Of(mm)))
		if !pos.Size.IsNegative() {
			num, den = c.Sub(qe, m), c.Mul(q, c.Sub(one, c.Of(mm)))
		}
		if c.OK {
			if den.Sign() <= 0 {
				return decimal.Zero
			}
			v := c.Max(fixed.N{}, c.DivRound(num, den, divPrecision))
			if c.OK {
				if v.IsZero() {
					return decimal.Zero // decimal.Max keeps its first argument on a tie
				}
				return v.Dec()
			}
		}
	}
	q := pos.Size.Abs()
	m := pos.Margin.Add(pos.AccruedFunding)
	qe := q.Mul(pos.EntryPrice)
	// Short: equity M + q(Pe − P) meets m·q·P. Long: M + q(P − Pe) meets m·q·P.
	num, den := m.Add(qe), q.Mul(one.Add(mm))
	if !pos.Size.IsNegative() {
		num, den = qe.Sub(m), q.Mul(one.Sub(mm))
	}
	if !den.IsPositive() {
		return decimal.Zero
	}
	return decimal.Max(decimal.Zero, num.DivRound(den, divPrecision))
}

// targetSize is toStep(ratio × (exposure + crossUSD) / mark, step).
func targetSize(ratio, exposure, crossUSD, mark, step decimal.Decimal) decimal.Decimal {
	if useFixed && !step.IsPositive() {
		c := fixed.NewCalc()
		v := c.DivRound(c.Mul(c.Of(ratio), c.Add(c.Of(exposure), c.Of(crossUSD))), c.Of(mark), divPrecision)
		v = c.Round(v, SizeDecimals, fixed.Trunc)
		if c.OK {
			return v.Dec()
		}
	}
	return toStep(ratio.Mul(exposure.Add(crossUSD)).DivRound(mark, divPrecision), step)
}

// perUnitMargin is price × (1 + buffer) / lev: buffered margin per unit short.
func perUnitMargin(price, buffer, lev decimal.Decimal) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		v := c.DivRound(c.Mul(c.Of(price), c.Add(fixed.Int(1), c.Of(buffer))), c.Of(lev), divPrecision)
		if c.OK {
			return v.Dec()
		}
	}
	return price.Mul(one.Add(buffer)).DivRound(lev, divPrecision)
}

// marginNeeds is the equity to carry qNew at the cap (|qNew|·P/lev) and
// with the buffer (|qNew|·perUnit), both plus the fee f.
func marginNeeds(qNew, price, lev, perUnit, f decimal.Decimal) (atCap, buffered decimal.Decimal) {
	if useFixed {
		c := fixed.NewCalc()
		a, fx := c.Of(qNew).Abs(), c.Of(f)
		x := c.Add(c.DivRound(c.Mul(a, c.Of(price)), c.Of(lev), divPrecision), fx)
		y := c.Add(c.Mul(a, c.Of(perUnit)), fx)
		if c.OK {
			return x.Dec(), y.Dec()
		}
	}
	return qNew.Abs().Mul(price).DivRound(lev, divPrecision).Add(f), qNew.Abs().Mul(perUnit).Add(f)
}

// depositFor is max(0, need − equity) rounded up to places.
func depositFor(need, equity decimal.Decimal, places int32) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		v := c.Sub(c.Of(need), c.Of(equity))
		if c.OK && v.Sign() <= 0 {
			return decimal.Zero.RoundCeil(places) // decimal.Max keeps Zero on a tie
		}
		v = c.Round(v, places, fixed.Ceil)
		if c.OK {
			return v.Dec()
		}
	}
	return decimal.Max(decimal.Zero, need.Sub(equity)).RoundCeil(places)
}

// addSub is a + b − c.
func addSub(a, b, c decimal.Decimal) decimal.Decimal {
	if useFixed {
		k := fixed.NewCalc()
		v := k.Sub(k.Add(k.Of(a), k.Of(b)), k.Of(c))
		if k.OK {
			return v.Dec()
		}
	}
	return a.Add(b).Sub(c)
}

// neg is d.Neg() in one allocation.
func neg(d decimal.Decimal) decimal.Decimal {
	if useFixed {
		if d.IsZero() {
			return d // −0 is 0 at the same exponent; no copy needed
		}
		if x, ok := fixed.Of(d); ok {
			return x.Neg().Dec()
		}
	}
	return d.Neg()
}

// add is a.Add(b) in one allocation.
func add(a, b decimal.Decimal) decimal.Decimal {
	if useFixed {
		// Adding a zero whose exponent is not the smaller gives the other
		// operand, coefficient and exponent: keep it rather than copy it
		// (a share held in band adds a zero delta every cycle).
		switch {
		case b.IsZero() && b.Exponent() >= a.Exponent():
			return a
		case a.IsZero() && a.Exponent() >= b.Exponent():
			return b
		}
		c := fixed.NewCalc()
		if v := c.Add(c.Of(a), c.Of(b)); c.OK {
			return v.Dec()
		}
	}
	return a.Add(b)
}

// addTo is m[k] = m[k].Add(x). The first amount, when its exponent is not
// positive, is already what Decimal{}.Add(x) gives (its coefficient, its
// exponent), so it is kept rather than copied: Decimals are never changed.
func addTo(m map[string]decimal.Decimal, k string, x decimal.Decimal) {
	if cur, ok := m[k]; ok || x.Exponent() > 0 {
		m[k] = add(cur, x)
		return
	}
	m[k] = x
}

// sub is a.Sub(b) in one allocation.
func sub(a, b decimal.Decimal) decimal.Decimal {
	if useFixed {
		if b.IsZero() && b.Exponent() >= a.Exponent() {
			return a
		}
		c := fixed.NewCalc()
		if v := c.Sub(c.Of(a), c.Of(b)); c.OK {
			return v.Dec()
		}
	}
	return a.Sub(b)
}

// mul is a.Mul(b) in one allocation.
func mul(a, b decimal.Decimal) decimal.Decimal {
	if useFixed {
		c := fixed.NewCalc()
		if v := c.Mul(c.Of(a), c.Of(b)); c.OK {
			return v.Dec()
		}
	}
	return a.Mul(b)
}

// stepDelta is toStep(want − q, step).
func stepDelta(q, want, step decimal.Decimal) decimal.Decimal {
	if useFixed && !step.IsPositive() {
		c := fixed.NewCalc()
		if v := c.Round(c.Sub(c.Of(want), c.Of(q)), SizeDecimals, fixed.Trunc); c.OK {
			return v.Dec()
		}
	}
	return toStep(want.Sub(q), step)
}

// cmp is a.Cmp(b) without the scaled copy decimal makes when the exponents
// differ.
func cmp(a, b decimal.Decimal) int {
	if useFixed {
		c := fixed.NewCalc()
		if v := c.Cmp(c.Of(a), c.Of(b)); c.OK {
			return v
		}
	}
	return a.Cmp(b)
}

// cmpNeg is a.Cmp(b.Neg()), cmpAbs a.Abs().Cmp(b): no negated copy made.
func cmpNeg(a, b decimal.Decimal) int {
	if useFixed {
		c := fixed.NewCalc()
		if v := c.Cmp(c.Of(a), c.Of(b).Neg()); c.OK {
			return v
		}
	}
	return a.Cmp(b.Neg())
}

func cmpAbs(a, b decimal.Decimal) int {
	if useFixed {
		c := fixed.NewCalc()
		if v := c.Cmp(c.Of(a).Abs(), c.Of(b)); c.OK {
			return v
		}
	}
	return a.Abs().Cmp(b)
}

// floorNonNeg is decimal.Max(decimal.Zero, x).RoundFloor(places).
func floorNonNeg(x decimal.Decimal, places int32) decimal.Decimal {
	if useFixed && x.Sign() > 0 {
		c := fixed.NewCalc()
		if v := c.Round(c.Of(x), places, fixed.Floor); c.OK {
			return v.Dec()
		}
	}
	return decimal.Max(decimal.Zero, x).RoundFloor(places)
}
