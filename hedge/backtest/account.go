package backtest

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge/internal/fixed"
)

// account is the paper venue's margin account: cash (collateral not in any
// position) and one isolated position per market. It knows nothing of the
// planner; venue.go translates between the two.
type account struct {
	cash      decimal.Decimal // USD; negative in unlimited mode = brought in by the user
	unlimited bool
	pos       map[string]*position
	costs     CostModel

	// Running totals from the user's side.
	funding, fundingIn, fundingOut decimal.Decimal // + received, − paid
	fees, borrow                   decimal.Decimal // both ≥ 0, costs
	turnover                       decimal.Decimal
	trades, refused                int
	topUps                         int
	topUpUSD                       decimal.Decimal
	liquidations                   int
	liquidationLoss                decimal.Decimal
}

// position is one isolated position, PerpVenue-style: margin holds settled
// PnL, funding and fees.
type position struct {
	size, entry, margin decimal.Decimal // size signed, negative = short
}

func (p *position) upnl(mark decimal.Decimal) decimal.Decimal {
	return p.size.Mul(mark.Sub(p.entry))
}

func (p *position) equity(mark decimal.Decimal) decimal.Decimal {
	return p.margin.Add(p.upnl(mark))
}

func newAccount(cash decimal.Decimal, unlimited bool, costs CostModel) *account {
	return &account{cash: cash, unlimited: unlimited, pos: map[string]*position{}, costs: costs}
}

func (a *account) position(asset string) *position {
	p := a.pos[asset]
	if p == nil {
		p = &position{}
		a.pos[asset] = p
	}
	return p
}

// accrue settles one period's funding and borrowing on every open position.
// Positive funding is paid by longs to shorts: a short (size < 0) receives
// rate × notional at mark.
func (a *account) accrue(asset string, funding, borrow, mark decimal.Decimal) {
	p := a.pos[asset]
	if p == nil || p.size.IsZero() {
		return
	}
	// Settled to 1e-10 USD, in the venue's favour, so that decimal digits
	// do not grow step after step.
	f, b, margin, ok := accrueFixed(p, funding, borrow, mark)
	if !ok {
		f, b, margin = accrueDec(p, funding, borrow, mark)
	}
	p.margin = margin
	a.funding = a.funding.Add(f)
	if f.IsPositive() {
		a.fundingIn = a.fundingIn.Add(f)
	} else {
		a.fundingOut = a.fundingOut.Add(f)
	}
	a.borrow = a.borrow.Add(b)
}

// accrueDec is accrue's arithmetic in decimal: the funding a short
// receives, the borrowing it pays and the margin after both.
func accrueDec(p *position, funding, borrow, mark decimal.Decimal) (f, b, margin decimal.Decimal) {
	notional := p.size.Abs().Mul(mark)
	f = p.size.Neg().Mul(mark).Mul(funding).RoundFloor(moneyDecimals)
	b = notional.Mul(borrow).RoundCeil(moneyDecimals)
	return f, b, p.margin.Add(f).Sub(b)
}

// accrueFixed is accrue's arithmetic in exact 128-bit integers: the same
// values and exponents, or ok false when one does not fit.
func accrueFixed(p *position, funding, borrow, mark decimal.Decimal) (f, b, margin decimal.Decimal, ok bool) {
	q, ok1 := fixed.Of(p.size)
	k, ok2 := fixed.Of(mark)
	fr, ok3 := fixed.Of(funding)
	br, ok4 := fixed.Of(borrow)
	mg, ok5 := fixed.Of(p.margin)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return f, b, margin, false
	}
	notional, ok1 := fixed.Mul(q.Abs(), k)
	fx, ok2 := fixed.Mul(q.Neg(), k)
	fx, ok3 = fixed.Mul(fx, fr)
	bx, ok4 := fixed.Mul(notional, br)
	if !(ok1 && ok2 && ok3 && ok4) {
		return f, b, margin, false
	}
	fx, ok1 = fixed.Round(fx, moneyDecimals, fixed.Floor)
	bx, ok2 = fixed.Round(bx, moneyDecimals, fixed.Ceil)
	mg, ok3 = fixed.Add(mg, fx)
	mg, ok4 = fixed.Sub(mg, bx)
	if !(ok1 && ok2 && ok3 && ok4) {
		return f, b, margin, false
	}
	return fx.Dec(), bx.Dec(), mg.Dec(), true
}

// liquidate closes a position whose equity at mark is below maintenance;
// its margin is lost, as on a venue whose liquidator takes the rest.
func (a *account) liquidate(asset string, mark decimal.Decimal) bool {
	p := a.pos[asset]
	if p == nil || p.size.IsZero() {
		return false
	}
	if safe, ok := aboveMaintenance(p, a.costs.MaintenanceMargin, mark); ok && safe {
		return false // the common case, decided without allocating
	}
	eq := p.equity(mark)
	if eq.GreaterThanOrEqual(a.costs.MaintenanceMargin.Mul(p.size.Abs()).Mul(mark)) {
		return false
	}
	a.liquidations++
	a.liquidationLoss = a.liquidationLoss.Add(decimal.Max(eq, decimal.Zero))
	*p = position{}
	return true
}

// aboveMaintenance is liquidate's test, equity ≥ mm × |size| × mark, in
// exact 128-bit integers; ok is false when a value does not fit.
func aboveMaintenance(p *position, mm, mark decimal.Decimal) (safe, ok bool) {
	q, ok1 := fixed.Of(p.size)
	k, ok2 := fixed.Of(mark)
	e, ok3 := fixed.Of(p.entry)
	mg, ok4 := fixed.Of(p.margin)
	m, ok5 := fixed.Of(mm)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return false, false
	}
	diff, ok1 := fixed.Sub(k, e)
	upnl, ok2 := fixed.Mul(q, diff)
	eq, ok3 := fixed.Add(mg, upnl)
	need, ok4 := fixed.Mul(m, q.Abs())
	need, ok5 = fixed.Mul(need, k)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return false, false
	}
	c, ok := fixed.Cmp(eq, need)
	return c >= 0, ok
}

var errNoCash = errors.New("not enough collateral")

func (a *account) deposit(asset string, amount decimal.Decimal) error {
	if amount.IsNegative() {
		return fmt.Errorf("deposit of %s", amount)
	}
	if !a.unlimited && amount.GreaterThan(a.cash) {
		return errNoCash
	}
	a.cash = a.cash.Sub(amount)
	a.position(asset).margin = a.position(asset).margin.Add(amount)
	return nil
}

// withdraw moves amount (all when all) of asset's margin back to cash.
func (a *account) withdraw(asset string, amount decimal.Decimal, all bool, mark decimal.Decimal) {
	p := a.position(asset)
	if all && p.size.IsZero() {
		amount = p.margin
	}
	amount = decimal.Min(amount, decimal.Max(decimal.Zero, p.equity(mark)))
	p.margin = p.margin.Sub(amount)
	a.cash = a.cash.Add(amount)
}

// fill is what one trade cost.
type fill struct {
	price, fee, impact decimal.Decimal // fee and impact in USD
}

// quote is the fill of delta at mark: worse than mark by the impact model.
func (a CostModel) quote(delta, mark decimal.Decimal) fill {
	if f, ok := a.quoteFixed(delta, mark); ok {
		return f
	}
	return a.quoteDec(delta, mark)
}

// quoteDec is quote in decimal, for values quoteFixed cannot hold.
func (a CostModel) quoteDec(delta, mark decimal.Decimal) fill {
	notional := delta.Abs().Mul(mark)
	frac := a.ImpactPerUSD.Mul(notional)
	price := mark.Mul(one.Add(frac)) // buys pay more
	if delta.IsNegative() {
		price = mark.Mul(one.Sub(frac)) // sells get less
	}
	// A short's sell price rounds down and a buy's up: against the user.
	if delta.IsNegative() {
		price = price.RoundFloor(moneyDecimals)
	} else {
		price = price.RoundCeil(moneyDecimals)
	}
	return fill{price: price, impact: notional.Mul(frac).RoundCeil(moneyDecimals),
		fee: delta.Abs().Mul(price).Mul(a.TakerFee).RoundCeil(moneyDecimals).Add(a.ExecutionFeeUSD)}
}

// quoteFixed is quote in exact 128-bit arithmetic (hedge/internal/fixed):
// the same formula, the same roundings, the same Decimals; ok is false
// when a value does not fit and quote computes it with decimal.
func (a CostModel) quoteFixed(delta, mark decimal.Decimal) (fill, bool) {
	d, ok1 := fixed.Of(delta)
	k, ok2 := fixed.Of(mark)
	imp, ok3 := fixed.Of(a.ImpactPerUSD)
	fee, ok4 := fixed.Of(a.TakerFee)
	ex, ok5 := fixed.Of(a.ExecutionFeeUSD)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return fill{}, false
	}
	ad := d.Abs()
	notional, ok1 := fixed.Mul(ad, k)
	frac, ok2 := fixed.Mul(imp, notional)
	var factor fixed.N
	if d.Sign() < 0 {
		factor, ok3 = fixed.Sub(fixed.Int(1), frac)
	} else {
		factor, ok3 = fixed.Add(fixed.Int(1), frac)
	}
	price, ok4 := fixed.Mul(k, factor)
	if !(ok1 && ok2 && ok3 && ok4) {
		return fill{}, false
	}
	mode := fixed.Ceil
	if d.Sign() < 0 {
		mode = fixed.Floor
	}
	price, ok1 = fixed.Round(price, moneyDecimals, mode)
	// notional × frac is notional² × impact: 256 bits before rounding.
	impact, ok2 := fixed.MulRound(notional, frac, moneyDecimals, fixed.Ceil)
	f, ok3 := fixed.Mul(ad, price)
	if !(ok1 && ok2 && ok3) {
		return fill{}, false
	}
	f, ok1 = fixed.MulRound(f, fee, moneyDecimals, fixed.Ceil)
	f, ok2 = fixed.Add(f, ex)
	if !(ok1 && ok2) {
		return fill{}, false
	}
	return fill{price: price.Dec(), impact: impact.Dec(), fee: f.Dec()}, true
}

// trade changes asset's position by delta at f, as PerpVenue does: the
// closed part realises PnL into margin, a growing part averages the entry.
func (a *account) trade(asset string, delta decimal.Decimal, f fill) {
	p := a.position(asset)
	old := p.size
	next := old.Add(delta)
	if !old.IsZero() && old.IsPositive() != delta.IsPositive() {
		closed := old
		if delta.Abs().LessThan(old.Abs()) {
			closed = delta.Neg()
		}
		p.margin = p.margin.Add(closed.Mul(f.price.Sub(p.entry)).RoundFloor(moneyDecimals))
	}
	switch {
	case next.IsZero():
		p.entry = decimal.Zero
	case old.IsZero() || old.IsPositive() != next.IsPositive():
		p.entry = f.price
	case next.Abs().GreaterThan(old.Abs()):
		p.entry = old.Abs().Mul(p.entry).Add(delta.Abs().Mul(f.price)).DivRound(next.Abs(), moneyDecimals)
	}
	// Fees, the execution fee included, come out of the position's margin,
	// never out of cash the planner has not counted.
	p.margin = p.margin.Sub(f.fee)
	p.size = next
	a.trades++
	a.fees = a.fees.Add(f.fee).Add(f.impact)
	a.turnover = a.turnover.Add(delta.Abs().Mul(f.price))
}

// value is cash plus every position's equity at its mark.
func (a *account) value(marks map[string]decimal.Decimal) decimal.Decimal {
	v := a.cash
	for asset, p := range a.pos {
		v = v.Add(p.equity(marks[asset]))
	}
	return v
}

var one = decimal.NewFromInt(1)

// moneyDecimals is the precision of the paper account's USD amounts and
// prices: far below a cent, and short enough to keep decimal arithmetic fast.
const moneyDecimals = 10
