package backtest

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
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
	notional := p.size.Abs().Mul(mark)
	// Settled to 1e-10 USD, in the venue's favour, so that decimal digits
	// do not grow step after step.
	f := p.size.Neg().Mul(mark).Mul(funding).RoundFloor(moneyDecimals)
	b := notional.Mul(borrow).RoundCeil(moneyDecimals)
	p.margin = p.margin.Add(f).Sub(b)
	a.funding = a.funding.Add(f)
	if f.IsPositive() {
		a.fundingIn = a.fundingIn.Add(f)
	} else {
		a.fundingOut = a.fundingOut.Add(f)
	}
	a.borrow = a.borrow.Add(b)
}

// liquidate closes a position whose equity at mark is below maintenance;
// its margin is lost, as on a venue whose liquidator takes the rest.
func (a *account) liquidate(asset string, mark decimal.Decimal) bool {
	p := a.pos[asset]
	if p == nil || p.size.IsZero() {
		return false
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
