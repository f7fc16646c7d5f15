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
	// open and openAssets are pos in two slices, for value's walk every
	// step (a map walk costs more); rebuilt whenever pos has more.
	open       []*position
	openAssets []string

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
	c := fixed.NewCalc()
	if v := c.Mul(c.Of(p.size), c.Sub(c.Of(mark), c.Of(p.entry))); c.OK {
		return v.Dec()
	}
	return p.size.Mul(mark.Sub(p.entry))
}

func (p *position) equity(mark decimal.Decimal) decimal.Decimal {
	if v, ok := p.equityFixed(mark); ok {
		return v.Dec()
	}
	return p.margin.Add(p.size.Mul(mark.Sub(p.entry)))
}

// equityFixed is equity in exact 128-bit integers, when it fits.
func (p *position) equityFixed(mark decimal.Decimal) (fixed.N, bool) {
	c := fixed.NewCalc()
	v := c.Add(c.Of(p.margin), c.Mul(c.Of(p.size), c.Sub(c.Of(mark), c.Of(p.entry))))
	return v, c.OK
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
	if fx, bx, mg, ok := accrueN(p, funding, borrow, mark); ok {
		// The running totals in integers too, each made once.
		c := fixed.NewCalc()
		total, in, out, brw := c.Add(c.Of(a.funding), fx), c.Add(c.Of(a.fundingIn), fx), c.Add(c.Of(a.fundingOut), fx), c.Add(c.Of(a.borrow), bx)
		if c.OK {
			p.margin, a.funding, a.borrow = mg.Dec(), total.Dec(), brw.Dec()
			if fx.Sign() > 0 {
				a.fundingIn = in.Dec()
			} else {
				a.fundingOut = out.Dec()
			}
			return
		}
	}
	f, b, margin := accrueDec(p, funding, borrow, mark)
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
	fx, bx, mg, ok := accrueN(p, funding, borrow, mark)
	if !ok {
		return f, b, margin, false
	}
	return fx.Dec(), bx.Dec(), mg.Dec(), true
}

// accrueN is accrueFixed's figures as fixed.N.
func accrueN(p *position, funding, borrow, mark decimal.Decimal) (f, b, margin fixed.N, ok bool) {
	c := fixed.NewCalc()
	q, k := c.Of(p.size), c.Of(mark)
	f = c.MulRound(c.Mul(q.Neg(), k), c.Of(funding), moneyDecimals, fixed.Floor)
	b = c.MulRound(c.Mul(q.Abs(), k), c.Of(borrow), moneyDecimals, fixed.Ceil)
	margin = c.Sub(c.Add(c.Of(p.margin), f), b)
	return f, b, margin, c.OK
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
	price, fee, impact, ok := a.quoteN(delta, mark)
	if !ok {
		return fill{}, false
	}
	return fill{price: price.Dec(), impact: impact.Dec(), fee: fee.Dec()}, true
}

// tradeCostFixed is TradeCost (fee + impact) from quoteN: one Decimal made.
func (a CostModel) tradeCostFixed(delta, mark decimal.Decimal) (decimal.Decimal, bool) {
	_, fee, impact, ok := a.quoteN(delta, mark)
	if !ok {
		return decimal.Decimal{}, false
	}
	v, ok := fixed.Add(fee, impact)
	if !ok {
		return decimal.Decimal{}, false
	}
	return v.Dec(), true
}

// quoteN is quote's figures as fixed.N (price, fee, impact).
func (a CostModel) quoteN(delta, mark decimal.Decimal) (price, fee, impact fixed.N, ok bool) {
	c := fixed.NewCalc()
	d, k := c.Of(delta), c.Of(mark)
	ad := d.Abs()
	notional := c.Mul(ad, k)
	frac := c.Mul(c.Of(a.ImpactPerUSD), notional)
	mode, factor := fixed.Ceil, fixed.N{}
	if d.Sign() < 0 {
		mode, factor = fixed.Floor, c.Sub(fixed.Int(1), frac)
	} else {
		factor = c.Add(fixed.Int(1), frac)
	}
	price = c.MulRound(k, factor, moneyDecimals, mode) // 256 bits before rounding
	// notional × frac is notional² × impact: 256 bits before rounding.
	impact = c.MulRound(notional, frac, moneyDecimals, fixed.Ceil)
	fee = c.MulRound(c.Mul(ad, price), c.Of(a.TakerFee), moneyDecimals, fixed.Ceil)
	fee = c.Add(fee, c.Of(a.ExecutionFeeUSD))
	return price, fee, impact, c.OK
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
	// In integers when every figure fits: one Decimal made instead of two
	// per position. The sum is exact either way, so map order cannot
	// change it.
	if len(a.open) != len(a.pos) {
		a.open, a.openAssets = a.open[:0], a.openAssets[:0]
		for asset, p := range a.pos {
			a.open, a.openAssets = append(a.open, p), append(a.openAssets, asset)
		}
	}
	c := fixed.NewCalc()
	x := c.Of(a.cash)
	for k, p := range a.open {
		eq, ok := p.equityFixed(marks[a.openAssets[k]])
		if !ok {
			c.OK = false
			break
		}
		x = c.Add(x, eq)
	}
	if c.OK {
		return x.Dec()
	}
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
