// Package paper is a venue in memory behind the hedge.Venue seam: isolated
// margin, fills at mark with a taker fee, and, in asynchronous mode, orders
// that wait for an explicit keeper step (Keep) or a cancellation, as GMX's
// do. It imports no go-ethereum; rehearsals, the conformance suite and
// property tests use it.
package paper

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

// StepOrder is an asynchronous order: the whole of one hedge.Order (its
// collateral travels with it), executed by the keeper.
const StepOrder hedge.StepKind = "order"

// Venue is the paper venue. Fields are set before first use; afterwards
// change state through the methods (they lock).
type Venue struct {
	// Async makes trades wait for Keep; collateral-only orders too.
	Async bool
	// Account names the margin account ("" = read-only).
	Account  string
	Symbol   string // collateral symbol
	Decimals int32  // collateral decimals

	mu         sync.Mutex
	markets    map[string]hedge.Market
	holdings   map[string]decimal.Decimal // asset -> spot held
	feeds      map[string]decimal.Decimal // prices of held assets with no market
	claimable  map[string]decimal.Decimal // asset -> owed to the account
	collateral decimal.Decimal
	allowance  decimal.Decimal
	positions  map[string]hedge.Position
	pending    []pendingOrder
	settled    map[string]hedge.Settlement
	changed    chan struct{} // closed and renewed on every settlement
	block      uint64
	now        time.Time
	nextRef    int
	// Submitted counts the steps Submit accepted.
	submitted int
}

type pendingOrder struct {
	hedge.PendingOrder
	order hedge.Order
}

// New is a venue holding collateral (USDC, 6 decimals), with the clock at
// start.
func New(collateral decimal.Decimal, start time.Time) *Venue {
	return &Venue{Account: "paper", Symbol: "USDC", Decimals: 6, collateral: collateral, now: start, block: 1,
		markets: map[string]hedge.Market{}, holdings: map[string]decimal.Decimal{}, positions: map[string]hedge.Position{},
		settled: map[string]hedge.Settlement{}, changed: make(chan struct{})}
}

// Restart is a new Venue value over the same state: what a new hedger
// process sees (the in-memory exchange keeps running).
func (v *Venue) Restart() *Venue { return v }

var (
	_ hedge.Venue   = (*Venue)(nil)
	_ hedge.Settler = (*Venue)(nil)
	_ hedge.Claimer = (*Venue)(nil)
)

// SetClaimable makes the venue owe the account amount of asset (received
// funding, as GMX pays it).
func (v *Venue) SetClaimable(asset string, amount decimal.Decimal) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.claimable == nil {
		v.claimable = map[string]decimal.Decimal{}
	}
	v.claimable[asset] = amount
	v.tick()
}

// Claim is one claim step per claimable asset.
func (v *Venue) Claim(s *hedge.Snapshot) ([]hedge.Step, error) {
	var out []hedge.Step
	for _, c := range s.Claimables {
		out = append(out, hedge.Step{Kind: hedge.StepClaim, Asset: c.Asset, Amount: c.Amount, Order: -1,
			Intent: hedge.IntentClaim, Reason: fmt.Sprintf("claim %s %s", c.Amount, c.Asset)})
	}
	return out, nil
}

// SetMarket lists (or updates) a market: index and mark at price, the given
// taker fee, maintenance margin and max leverage.
func (v *Venue) SetMarket(asset string, price, takerFee, maintenance, maxLeverage decimal.Decimal) {
	v.mu.Lock()
	defer v.mu.Unlock()
	m := v.markets[asset]
	m.Key, m.Asset = "paper-"+asset, asset
	m.IndexPrice, m.MarkPrice = price, price
	m.TakerFee, m.MaintenanceMargin, m.MaxLeverage = takerFee, maintenance, maxLeverage
	m.Margin = hedge.LinearMargin{Maintenance: maintenance, Leverage: maxLeverage}
	m.Cost = hedge.LinearCost{TakerFee: takerFee}
	v.markets[asset] = m
	v.tick()
}

// SetPrice moves an asset's index and mark.
func (v *Venue) SetPrice(asset string, price decimal.Decimal) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	m, ok := v.markets[asset]
	if !ok {
		return fmt.Errorf("paper: no market %s", asset)
	}
	m.IndexPrice, m.MarkPrice = price, price
	v.markets[asset] = m
	v.tick()
	return nil
}

// SetFeedPrice sets the feed price of a held asset with no market (a
// cross-asset hedge prices it from there).
func (v *Venue) SetFeedPrice(asset string, price decimal.Decimal) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.feeds == nil {
		v.feeds = map[string]decimal.Decimal{}
	}
	v.feeds[asset] = price
	v.tick()
}

// SetSpot sets the watch-only spot holding of asset.
func (v *Venue) SetSpot(asset string, amount decimal.Decimal) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.holdings[asset] = amount
	v.tick()
}

// Submitted is how many steps Submit accepted so far.
func (v *Venue) Submitted() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.submitted
}

// Collateral is the margin account's free collateral.
func (v *Venue) Collateral() decimal.Decimal {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.collateral
}

func (v *Venue) tick() {
	v.block++
	v.now = v.now.Add(12 * time.Second)
}

// Snapshot reads the whole state at the current block.
func (v *Venue) Snapshot(context.Context) (*hedge.Snapshot, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	s := &hedge.Snapshot{ChainID: 0, Block: v.block, Time: v.now, Account: v.Account, Markets: map[string]hedge.Market{},
		Collateral: v.collateral, CollateralSymbol: v.Symbol, CollateralDecimals: v.Decimals, Adapter: v.allowance}
	for a, m := range v.markets {
		m.OracleUpdatedAt = v.now
		s.Markets[a] = m
	}
	assets := make([]string, 0, len(v.holdings))
	for a := range v.holdings {
		assets = append(assets, a)
	}
	slices.Sort(assets)
	for _, a := range assets {
		s.Holdings = append(s.Holdings, hedge.Holding{Wallet: "paper-wallet", Asset: a, Token: a, Amount: v.holdings[a], TokenAmount: v.holdings[a]})
	}
	for a, p := range v.positions {
		if p.Size.IsZero() && p.Margin.IsZero() {
			continue
		}
		if m, ok := v.markets[a]; ok {
			p.UnrealizedPnL = p.Size.Mul(m.MarkPrice.Sub(p.EntryPrice))
		}
		s.Positions = append(s.Positions, p)
	}
	slices.SortFunc(s.Positions, func(a, b hedge.Position) int {
		if a.Asset < b.Asset {
			return -1
		}
		if a.Asset > b.Asset {
			return 1
		}
		return 0
	})
	for _, o := range v.pending {
		s.Pending = append(s.Pending, o.PendingOrder)
	}
	claims := make([]string, 0, len(v.claimable))
	for a, amt := range v.claimable {
		if amt.IsPositive() {
			claims = append(claims, a)
		}
	}
	slices.Sort(claims)
	for _, a := range claims {
		s.Claimables = append(s.Claimables, hedge.Claimable{Market: "paper-" + a, Token: a, Asset: a, Amount: v.claimable[a]})
	}
	for a, p := range v.feeds {
		if s.Prices == nil {
			s.Prices = map[string]hedge.FeedPrice{}
		}
		s.Prices[a] = hedge.FeedPrice{Price: p, UpdatedAt: v.now}
	}
	return s, nil
}

// Compile: synchronously, the isolated-margin steps (approve, deposit,
// trade, withdraw); asynchronously, one order step per order.
func (v *Venue) Compile(s *hedge.Snapshot, orders []hedge.Order) ([]hedge.Step, error) {
	for _, o := range orders {
		if _, ok := s.Markets[o.Asset]; !ok {
			return nil, fmt.Errorf("paper: unknown market %q", o.Asset)
		}
	}
	if !v.Async {
		allowance, _ := s.Adapter.(decimal.Decimal)
		return hedge.IsolatedSteps(orders, allowance, v.Symbol), nil
	}
	steps := make([]hedge.Step, len(orders))
	for i, o := range orders {
		steps[i] = hedge.Step{Kind: StepOrder, Asset: o.Asset, Amount: o.CollateralDelta, All: o.WithdrawAll,
			SizeDelta: o.SizeDelta, AcceptablePrice: o.AcceptablePrice, CapPrice: o.CapPrice,
			Reason: o.Reason, Intent: o.Intent, Order: i, Payload: o}
		if !o.HasTrade() {
			steps[i].Reason = o.CollateralReason
		}
	}
	return steps, nil
}

// ErrNoAccount: a read-only paper venue sends nothing.
var ErrNoAccount = errors.New("paper: no margin account")

// Submit runs a synchronous step at once, or queues an order for the keeper.
func (v *Venue) Submit(_ context.Context, st hedge.Step) (hedge.Submission, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.Account == "" {
		return hedge.Submission{}, ErrNoAccount
	}
	v.nextRef++
	ref := "paper-" + strconv.Itoa(v.nextRef)
	if st.Kind == StepOrder {
		o, ok := st.Payload.(hedge.Order)
		if !ok {
			return hedge.Submission{}, errors.New("paper: order step without its order")
		}
		v.pending = append(v.pending, pendingOrder{order: o, PendingOrder: hedge.PendingOrder{Ref: ref, Market: o.Market,
			Asset: o.Asset, SizeDelta: o.SizeDelta, CollateralDelta: o.CollateralDelta, Close: o.Close, CreatedAt: v.now, Block: v.block}})
		v.submitted++
		v.tick()
		return hedge.Submission{Ref: ref, Tx: ref, Pending: true}, nil
	}
	if err := v.run(st); err != nil {
		return hedge.Submission{}, err
	}
	v.submitted++
	v.tick()
	return hedge.Submission{Ref: ref, Tx: ref}, nil
}

// run executes one synchronous step; it fails (as a revert would) without
// changing anything.
func (v *Venue) run(st hedge.Step) error {
	pos := v.positions[st.Asset]
	pos.Asset, pos.Market, pos.Key = st.Asset, "paper-"+st.Asset, "paper-"+st.Asset
	switch st.Kind {
	case hedge.StepApprove:
		v.allowance = st.Amount
		return nil
	case hedge.StepClaim:
		// Claimed funding goes to the account's wallet: still spot.
		owed := v.claimable[st.Asset]
		if st.Amount.GreaterThan(owed) {
			return fmt.Errorf("paper: claim %s %s of %s owed", st.Amount, st.Asset, owed)
		}
		v.claimable[st.Asset] = owed.Sub(st.Amount)
		v.holdings[st.Asset] = v.holdings[st.Asset].Add(st.Amount)
		return nil
	case hedge.StepDeposit:
		if st.Amount.GreaterThan(v.collateral) || st.Amount.GreaterThan(v.allowance) {
			return fmt.Errorf("paper: deposit %s with collateral %s, allowance %s", st.Amount, v.collateral, v.allowance)
		}
		v.collateral, v.allowance = v.collateral.Sub(st.Amount), v.allowance.Sub(st.Amount)
		pos.Margin = pos.Margin.Add(st.Amount)
	case hedge.StepWithdraw:
		eq := pos.Margin.Add(pos.AccruedFunding)
		amt := st.Amount
		if st.All {
			if !pos.Size.IsZero() {
				return fmt.Errorf("paper: withdraw all from an open %s position", st.Asset)
			}
			amt = eq
		}
		if amt.GreaterThan(eq) {
			return fmt.Errorf("paper: withdraw %s of %s margin", amt, eq)
		}
		v.collateral = v.collateral.Add(amt)
		pos.Margin = pos.Margin.Sub(amt)
	case hedge.StepTrade:
		next, err := v.fill(pos, st.SizeDelta, st.AcceptablePrice)
		if err != nil {
			return err
		}
		pos = next
	default:
		return fmt.Errorf("paper: unknown step %q", st.Kind)
	}
	v.positions[st.Asset] = pos
	return nil
}

// fill trades delta at mark, paying the taker fee from margin and realising
// PnL on the part that reduces.
func (v *Venue) fill(pos hedge.Position, delta, acceptable decimal.Decimal) (hedge.Position, error) {
	m, ok := v.markets[pos.Asset]
	if !ok {
		return pos, fmt.Errorf("paper: no market %s", pos.Asset)
	}
	if m.Paused {
		return pos, fmt.Errorf("paper: market %s paused", pos.Asset)
	}
	px := m.MarkPrice
	if (delta.IsNegative() && px.LessThan(acceptable)) || (delta.IsPositive() && px.GreaterThan(acceptable)) {
		return pos, &PriceError{Mark: px, Acceptable: acceptable}
	}
	pos.Margin = pos.Margin.Sub(delta.Abs().Mul(px).Mul(m.TakerFee))
	old, next := pos.Size, pos.Size.Add(delta)
	switch {
	case old.IsZero() || old.Sign() == delta.Sign():
		pos.EntryPrice = old.Abs().Mul(pos.EntryPrice).Add(delta.Abs().Mul(px)).DivRound(next.Abs(), 30)
	default:
		closed := decimal.Min(old.Abs(), delta.Abs())
		pnl := closed.Mul(px.Sub(pos.EntryPrice))
		if old.IsNegative() {
			pnl = pnl.Neg()
		}
		pos.Margin = pos.Margin.Add(pnl)
		if next.IsZero() {
			pos.EntryPrice = decimal.Zero
		} else if next.Sign() != old.Sign() {
			pos.EntryPrice = px
		}
	}
	pos.Size = next
	if next.IsZero() {
		pos.Margin = pos.Margin.Add(pos.AccruedFunding) // closing settles funding
		pos.AccruedFunding = decimal.Zero
	}
	return pos, nil
}

// PriceError is a fill refused because the mark passed the acceptable price.
type PriceError struct{ Mark, Acceptable decimal.Decimal }

func (e *PriceError) Error() string {
	return fmt.Sprintf("acceptable price %s not met (mark %s)", e.Acceptable, e.Mark)
}

// Keep is one keeper step: every pending order executes in order (its
// collateral in, its trade, its withdrawal), or is cancelled, with the
// reason, when it cannot be (acceptable price, collateral). It returns the
// settlements.
func (v *Venue) Keep() []hedge.Settlement {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []hedge.Settlement
	for _, p := range v.pending {
		out = append(out, v.execute(p))
	}
	v.pending = nil
	v.tick()
	return out
}

func (v *Venue) execute(p pendingOrder) hedge.Settlement {
	o := p.order
	pos := v.positions[o.Asset]
	pos.Asset, pos.Market, pos.Key = o.Asset, "paper-"+o.Asset, "paper-"+o.Asset
	coll := v.collateral
	if o.CollateralDelta.IsPositive() {
		if o.CollateralDelta.GreaterThan(coll) {
			return v.settle(hedge.Settlement{Ref: p.Ref, Status: hedge.OrderCancelled, Reason: "insufficient collateral"})
		}
		coll = coll.Sub(o.CollateralDelta)
		pos.Margin = pos.Margin.Add(o.CollateralDelta)
	}
	fill := decimal.Zero
	if o.HasTrade() {
		next, err := v.fill(pos, o.SizeDelta, o.AcceptablePrice)
		if err != nil {
			return v.settle(hedge.Settlement{Ref: p.Ref, Status: hedge.OrderCancelled, Reason: err.Error()})
		}
		pos, fill = next, v.markets[o.Asset].MarkPrice
	}
	if o.WithdrawAll && pos.Size.IsZero() {
		coll = coll.Add(pos.Margin)
		pos.Margin = decimal.Zero
	} else if o.CollateralDelta.IsNegative() {
		amt := decimal.Min(o.CollateralDelta.Neg(), pos.Margin)
		coll, pos.Margin = coll.Add(amt), pos.Margin.Sub(amt)
	}
	v.collateral, v.positions[o.Asset] = coll, pos
	return v.settle(hedge.Settlement{Ref: p.Ref, Status: hedge.OrderExecuted, Fill: fill})
}

func (v *Venue) settle(s hedge.Settlement) hedge.Settlement {
	v.settled[s.Ref] = s
	close(v.changed)
	v.changed = make(chan struct{})
	return s
}

// Cancel cancels a pending order with a reason, as a keeper would.
func (v *Venue) Cancel(ref, reason string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	for i, p := range v.pending {
		if p.Ref == ref {
			v.pending = append(v.pending[:i], v.pending[i+1:]...)
			v.settle(hedge.Settlement{Ref: ref, Status: hedge.OrderCancelled, Reason: reason})
			v.tick()
			return nil
		}
	}
	return fmt.Errorf("paper: no pending order %s", ref)
}

// Settle waits until ref is executed or cancelled, or ctx ends.
func (v *Venue) Settle(ctx context.Context, ref string) (hedge.Settlement, error) {
	for {
		v.mu.Lock()
		s, ok := v.settled[ref]
		ch := v.changed
		v.mu.Unlock()
		if ok {
			return s, nil
		}
		select {
		case <-ctx.Done():
			return hedge.Settlement{Ref: ref, Status: hedge.OrderPending}, fmt.Errorf("order %s not settled: %w", ref, ctx.Err())
		case <-ch:
		}
	}
}
