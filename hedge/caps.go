package hedge

// Notional caps the user sets: at most so much per transaction (a larger
// trade is split into several) and per rolling 24 hours (a plan that would
// pass it is refused whole).
//
// Trades that buy (SizeDelta > 0: a short reduced or closed) are split like
// any other, but the daily cap never refuses them: they lower the risk, and a
// cap that trapped the user in a short they want to close would defeat its
// purpose. They still count towards the day's total (UsedToday comes from
// every mined trade in the journal), so they leave less room for new shorts.

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Caps are the user's notional limits, in collateral (USD) units. A zero cap
// is no cap.
type Caps struct {
	MaxTradeNotional decimal.Decimal // per transaction
	MaxDailyNotional decimal.Decimal // per rolling 24 hours
	UsedToday        decimal.Decimal // trade notional mined in the last 24 hours
}

// TradeNotional is |SizeDelta| × CapPrice: the worst-case notional of an
// order's trade. A buy fills at most at its acceptable price; a sell's
// acceptable price is only its lowest fill, so it counts at the reference
// price × (1 + slippage), as a buy would. An order without a CapPrice counts
// at its acceptable price.
func TradeNotional(o Order) decimal.Decimal {
	if !o.HasTrade() {
		return decimal.Zero
	}
	return o.SizeDelta.Abs().Mul(decimal.Max(o.CapPrice, o.AcceptablePrice))
}

// CapError is a plan the caps refuse; nothing of it may be sent.
type CapError struct{ Msg string }

func (e *CapError) Error() string { return e.Msg }

// Apply checks orders against the caps and returns them with every trade
// above the per-transaction cap split into equal chunks (same intent and
// acceptable price, sizes on the SizeDecimals grid summing exactly to the
// original; the first chunk carries the order's collateral). A plan whose
// new-risk trades would pass the daily cap is refused with a *CapError
// naming the cap.
func (c Caps) Apply(orders []Order) ([]Order, error) {
	if c.MaxTradeNotional.IsNegative() || c.MaxDailyNotional.IsNegative() {
		return nil, fmt.Errorf("notional caps must not be negative")
	}
	if c.MaxDailyNotional.IsPositive() {
		add := decimal.Zero
		for _, o := range orders {
			if o.HasTrade() && o.SizeDelta.IsNegative() {
				add = add.Add(TradeNotional(o))
			}
		}
		if add.IsPositive() && c.UsedToday.Add(add).GreaterThan(c.MaxDailyNotional) {
			return nil, &CapError{Msg: fmt.Sprintf(
				"max daily notional %s USD: this plan sells %s USD notional and %s USD was traded in the last 24 hours; nothing sent",
				c.MaxDailyNotional.String(), add.StringFixed(2), c.UsedToday.StringFixed(2))}
		}
	}
	if !c.MaxTradeNotional.IsPositive() {
		return orders, nil
	}
	var out []Order
	for _, o := range orders {
		if !o.HasTrade() || TradeNotional(o).LessThanOrEqual(c.MaxTradeNotional) {
			out = append(out, o)
			continue
		}
		chunks, err := c.split(o)
		if err != nil {
			return nil, err
		}
		out = append(out, chunks...)
	}
	return out, nil
}

// split cuts one trade into k equal chunks on the size grid, k as small as
// the cap allows. Each chunk is at most the largest grid size under the cap,
// so none passes it. A close becomes plain trades, the last of which closes.
func (c Caps) split(a Order) ([]Order, error) {
	price := decimal.Max(a.CapPrice, a.AcceptablePrice)
	if !price.IsPositive() {
		return nil, fmt.Errorf("trade in %s has no acceptable price to cap its notional", a.Asset)
	}
	maxSize := c.MaxTradeNotional.DivRound(price, divPrecision).Truncate(SizeDecimals)
	if !maxSize.IsPositive() {
		return nil, &CapError{Msg: fmt.Sprintf("max trade notional %s USD is below the smallest %s trade (%s at %s); nothing sent",
			c.MaxTradeNotional.String(), a.Asset, sizeUnit.String(), price.String())}
	}
	size := a.SizeDelta.Abs()
	units := size.Shift(SizeDecimals).Truncate(0)     // size in grid units
	per := maxSize.Shift(SizeDecimals).Truncate(0)    // most units per chunk
	k := units.Add(per).Sub(one).Div(per).Truncate(0) // ceil(units / per)
	base := units.Div(k).Truncate(0)
	extra := units.Sub(base.Mul(k)) // the first `extra` chunks get one unit more
	sign := decimal.NewFromInt(int64(a.SizeDelta.Sign()))
	n := int(k.IntPart())
	out := make([]Order, 0, n)
	for i := 0; i < n; i++ {
		u := base
		if decimal.NewFromInt(int64(i)).LessThan(extra) {
			u = u.Add(one)
		}
		ch := a
		ch.SizeDelta = u.Shift(-SizeDecimals).Mul(sign)
		ch.Reason = fmt.Sprintf("%s (part %d/%d: max trade notional %s)", a.Reason, i+1, n, c.MaxTradeNotional.String())
		out = append(out, ch)
	}
	// Sizes off the grid (finer than SizeDecimals) cannot be split exactly:
	// the remainder joins the last chunk, or is a chunk of its own when the
	// last one is already at the cap.
	if rest := size.Sub(units.Shift(-SizeDecimals)); !rest.IsZero() {
		last := &out[len(out)-1]
		if last.SizeDelta.Abs().Add(rest).GreaterThan(maxSize) {
			ch := a
			ch.SizeDelta = rest.Mul(sign)
			out = append(out, ch)
			for i := range out {
				out[i].Reason = fmt.Sprintf("%s (part %d/%d: max trade notional %s)", a.Reason, i+1, len(out), c.MaxTradeNotional.String())
			}
		} else {
			last.SizeDelta = last.SizeDelta.Add(rest.Mul(sign))
		}
	}
	// Collateral moves once: in before the first chunk of an increase,
	// out after the last chunk of a decrease; only the last chunk closes.
	for i := range out {
		if i > 0 && a.CollateralDelta.IsPositive() {
			out[i].CollateralDelta = decimal.Zero
		}
		if i < len(out)-1 {
			out[i].Close, out[i].WithdrawAll = false, false
			if !a.CollateralDelta.IsPositive() {
				out[i].CollateralDelta = decimal.Zero
			}
		}
	}
	return out, nil
}
