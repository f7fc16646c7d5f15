package gmxvenue

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/gmx"
)

// orderPayload is a compiled order step: the request the client compiles
// at send time (the execution fee depends on the gas price then) and the
// plan's GMX snapshot.
type orderPayload struct {
	req gmx.OrderRequest
	st  *state
}

type approvePayload struct{ st *state }

type claimPayload struct{ markets []gmx.Market }

func (v *Venue) stateOf(s *hedge.Snapshot) (*state, error) {
	st, ok := s.Adapter.(*state)
	if !ok || st == nil || st.gs == nil {
		return nil, errors.New("GMX: snapshot not read by this adapter")
	}
	return st, nil
}

// Compile turns orders into one ExchangeRouter multicall per order
// (sendWnt, sendTokens, createOrder), preceded by one approval of the
// Router when the allowance is short of the collateral the plan sends.
func (v *Venue) Compile(s *hedge.Snapshot, orders []hedge.Order) ([]hedge.Step, error) {
	st, err := v.stateOf(s)
	if err != nil {
		return nil, err
	}
	b := v.book()
	col := b.Collateral
	var steps []hedge.Step
	total := decimal.Zero
	for i, o := range orders {
		m, ok := b.Market(o.Asset)
		if !ok {
			return nil, fmt.Errorf("GMX: no market for %s on %s (markets: %v)", o.Asset, b.Network, b.Assets())
		}
		if o.Market != "" && o.Market != m.MarketToken.Hex() {
			return nil, fmt.Errorf("order for market %s, but %s is market %s here", o.Market, o.Asset, m.MarketToken.Hex())
		}
		mk := s.Markets[o.Asset]
		price := mk.IndexPrice
		if !price.IsPositive() {
			return nil, fmt.Errorf("GMX: no reference price for %s", o.Asset)
		}
		toUSD := func(size decimal.Decimal) *big.Int {
			return size.Abs().Mul(price).Mul(float30).Floor().BigInt()
		}
		colUnits := func(x decimal.Decimal, up bool) *big.Int {
			x = x.Abs().Shift(int32(col.Decimals))
			if up {
				return x.Ceil().BigInt()
			}
			return x.Floor().BigInt()
		}
		base := hedge.Step{Asset: o.Asset, Reason: o.Reason, Intent: o.Intent, Order: i, CapPrice: o.CapPrice}
		// Collateral in travels with an increase; collateral out with a
		// decrease. An order that moves both ways is split.
		inc := o.SizeDelta.IsNegative() && !o.Close
		dec := o.Close || o.SizeDelta.IsPositive()
		colIn := o.CollateralDelta.IsPositive()
		colOut := o.CollateralDelta.IsNegative()
		acceptable := func(increase bool) *big.Int {
			// A short's increase accepts no lower than the order's price
			// (rounded up), its decrease no higher (rounded down).
			x := o.AcceptablePrice.Shift(30 - int32(m.Index.Decimals))
			if increase {
				return x.Ceil().BigInt()
			}
			return x.Floor().BigInt()
		}
		add := func(kind hedge.StepKind, r gmx.OrderRequest, size, amount decimal.Decimal, reason string, intent hedge.Intent) {
			r.Market, r.MaxExecutionFee, r.HeadroomBps = m, v.MaxExecutionFee, v.headroom()
			if size.IsZero() {
				r.AcceptablePrice = nil
			}
			x := base
			x.Kind, x.SizeDelta, x.Amount, x.Payload = kind, size, amount, &orderPayload{req: r, st: st}
			if !size.IsZero() {
				x.AcceptablePrice = o.AcceptablePrice
			}
			if reason != "" {
				x.Reason = reason
			}
			if intent != "" {
				x.Intent = intent
			}
			steps = append(steps, x)
		}
		if colIn && !inc {
			add(StepCollateral, gmx.OrderRequest{Increase: true, SizeDeltaUSD: new(big.Int), Collateral: colUnits(o.CollateralDelta, true)},
				decimal.Zero, o.CollateralDelta, o.CollateralReason, o.CollateralIntent)
			total = total.Add(o.CollateralDelta)
		}
		switch {
		case inc:
			r := gmx.OrderRequest{Increase: true, SizeDeltaUSD: toUSD(o.SizeDelta), AcceptablePrice: acceptable(true), Collateral: new(big.Int)}
			amt := decimal.Zero
			if colIn {
				r.Collateral, amt = colUnits(o.CollateralDelta, true), o.CollateralDelta
				total = total.Add(o.CollateralDelta)
			}
			add(hedge.StepTrade, r, o.SizeDelta, amt, "", "")
		case dec:
			r := gmx.OrderRequest{SizeDeltaUSD: toUSD(o.SizeDelta), AcceptablePrice: acceptable(false), Collateral: new(big.Int)}
			amt := decimal.Zero
			if o.Close {
				// A full close returns all collateral with the order.
				pos, ok := st.gs.Short(m, col.Address)
				if !ok {
					return nil, fmt.Errorf("GMX: no %s short to close", o.Asset)
				}
				r.SizeDeltaUSD = new(big.Int).Set(pos.Info.Position.Numbers.SizeInUsd)
			} else if colOut {
				r.Collateral, amt = colUnits(o.CollateralDelta, false), o.CollateralDelta
			}
			add(hedge.StepTrade, r, o.SizeDelta, amt, "", "")
		}
		if colOut && !dec && !o.WithdrawAll {
			add(StepCollateral, gmx.OrderRequest{SizeDeltaUSD: new(big.Int), Collateral: colUnits(o.CollateralDelta, false)},
				decimal.Zero, o.CollateralDelta, o.CollateralReason, o.CollateralIntent)
		}
	}
	allowance := units(st.gs.Allowance, col.Decimals)
	if total.IsPositive() && allowance.LessThan(total) {
		ap := hedge.Step{Kind: hedge.StepApprove, Amount: total.RoundCeil(int32(col.Decimals)), Order: -1,
			Intent: hedge.IntentApprove, Reason: fmt.Sprintf("allow the GMX Router to pull %s %s", total.RoundCeil(int32(col.Decimals)), col.Symbol),
			Payload: &approvePayload{st: st}}
		steps = append([]hedge.Step{ap}, steps...)
	}
	return steps, nil
}

func (v *Venue) headroom() int64 {
	if v.HeadroomBps > 0 {
		return v.HeadroomBps
	}
	return DefaultHeadroomBps
}

// ApproveMax turns the approval into one of any amount (--approve-max).
func (v *Venue) ApproveMax(st hedge.Step) (hedge.Step, bool) {
	if st.Kind != hedge.StepApprove {
		return st, false
	}
	col := v.book().Collateral
	st.Amount = decimal.NewFromBigInt(math.MaxBig256, -int32(col.Decimals))
	st.Unlimited = true
	st.Reason = "allow the GMX Router to pull any amount of " + col.Symbol + " (--approve-max)"
	return st, true
}

// Estimate computes each order's execution fee at the gas price a
// transaction would be signed with now, and refuses (Err) an order whose
// fee is above --max-execution-fee or when the account's native coin does
// not cover the fees of the whole plan; orders with enough allowance are
// gas-estimated too. Nothing is sent.
func (v *Venue) Estimate(ctx context.Context, steps []hedge.Step) ([]hedge.Estimate, error) {
	out := make([]hedge.Estimate, len(steps))
	if len(steps) == 0 {
		return out, nil
	}
	gasPrice, err := v.gasPrice(ctx)
	if err != nil {
		return nil, err
	}
	spent := new(big.Int)
	approved := false
	for i, st := range steps {
		switch p := st.Payload.(type) {
		case *approvePayload:
			approved = true
			out[i].Gas = 60_000
		case *orderPayload:
			gs := *p.st.gs
			// The fees of the plan's earlier orders are spent by now.
			gs.Native = new(big.Int).Sub(orZero(p.st.gs.Native), spent)
			if approved {
				gs.Allowance = math.MaxBig256
			}
			comp, err := v.Client.Compile(&gs, p.req, gasPrice)
			if err != nil {
				out[i].Err = "would be refused: " + strings.TrimSuffix(err.Error(), "; nothing sent")
				continue
			}
			spent.Add(spent, comp.ExecutionFee)
			if approved {
				out[i].Gas = 1_000_000 // cannot be estimated before the approval is mined
				continue
			}
			acct := v.Client.Account
			gas, err := v.Client.Chain.EstimateGas(ctx, ethereum.CallMsg{From: acct, To: &comp.To, Data: comp.Data, Value: comp.Value})
			if err != nil {
				out[i].Err = "would revert: " + err.Error()
				continue
			}
			out[i].Gas = gas
		case *claimPayload:
			er := v.book().Contracts.ExchangeRouter
			gas, err := v.Client.Chain.EstimateGas(ctx, ethereum.CallMsg{From: v.Client.Account, To: &er, Data: v.claimData(p)})
			if err != nil {
				out[i].Err = "would revert: " + err.Error()
				continue
			}
			out[i].Gas = gas
		}
	}
	return out, nil
}

func (v *Venue) gasPrice(ctx context.Context) (*big.Int, error) {
	if v.Client.Tx != nil {
		f, err := v.Client.Tx.SuggestFees(ctx)
		if err != nil {
			return nil, err
		}
		return f.FeeCap, nil
	}
	return v.Client.Chain.SuggestGasPrice(ctx)
}

// Submit sends one step. An order step returns Pending with the order key
// (from OrderCreated) as Ref.
func (v *Venue) Submit(ctx context.Context, st hedge.Step) (hedge.Submission, error) {
	c := v.Client
	if c.Tx == nil {
		return hedge.Submission{}, errors.New("no signer: this command is read-only")
	}
	b := v.book()
	switch p := st.Payload.(type) {
	case *approvePayload:
		amt := st.Amount.Shift(int32(b.Collateral.Decimals)).Ceil().BigInt()
		if st.Unlimited {
			amt = math.MaxBig256
		}
		rcpt, err := c.Tx.Send(ctx, chain.TxRequest{To: &b.Collateral.Address,
			Data: tokenABI.PackApprove(b.Contracts.Router, amt), Action: actionMeta(st, "")})
		if err != nil {
			return hedge.Submission{}, fmt.Errorf("approve: %w", asReverted(err))
		}
		p.st.gs.Allowance = amt
		return hedge.Submission{Ref: rcpt.TxHash.Hex(), Tx: rcpt.TxHash.Hex()}, nil
	case *claimPayload:
		er := b.Contracts.ExchangeRouter
		rcpt, err := c.Tx.Send(ctx, chain.TxRequest{To: &er, Data: v.claimData(p), Action: actionMeta(st, "")})
		if err != nil {
			return hedge.Submission{}, fmt.Errorf("claim: %w", asReverted(err))
		}
		return hedge.Submission{Ref: rcpt.TxHash.Hex(), Tx: rcpt.TxHash.Hex()}, nil
	case *orderPayload:
		gasPrice, err := v.gasPrice(ctx)
		if err != nil {
			return hedge.Submission{}, err
		}
		comp, err := c.Compile(p.st.gs, p.req, gasPrice)
		if err != nil {
			return hedge.Submission{}, err
		}
		rcpt, err := c.Tx.Send(ctx, chain.TxRequest{To: &comp.To, Data: comp.Data, Value: comp.Value,
			Action: actionMeta(st, fmt.Sprintf("; GMX order, execution fee %s wei", comp.ExecutionFee))})
		if err != nil {
			return hedge.Submission{}, fmt.Errorf("GMX order %s: %w", st.Asset, asReverted(err))
		}
		evs, err := gmx.DecodeEvents(b, rcpt.Logs)
		if err != nil {
			return hedge.Submission{}, err
		}
		var key common.Hash
		for _, e := range evs {
			if e.Name == "OrderCreated" {
				key = e.Topic1
			}
		}
		if key == (common.Hash{}) {
			return hedge.Submission{}, fmt.Errorf("GMX: transaction %s created no order", rcpt.TxHash.Hex())
		}
		// What the next orders of this plan can still spend.
		p.st.gs.Native = new(big.Int).Sub(p.st.gs.Native, comp.Value)
		if p.req.Increase {
			p.st.gs.Collateral = new(big.Int).Sub(p.st.gs.Collateral, p.req.Collateral)
			p.st.gs.Allowance = new(big.Int).Sub(p.st.gs.Allowance, p.req.Collateral)
		}
		v.mu.Lock()
		if v.known == nil {
			v.known = map[common.Hash]knownOrder{}
		}
		v.known[key] = knownOrder{asset: st.Asset, block: rcpt.BlockNumber.Uint64()}
		v.mu.Unlock()
		v.journal(chain.ActionMeta{Kind: kindCreated, Intent: string(st.Intent), Market: st.Asset,
			Description: fmt.Sprintf("GMX order %s created in %s (execution fee %s wei)", key.Hex(), rcpt.TxHash.Hex(), comp.ExecutionFee)},
			chain.JournalEntry{Outcome: "created", MinedHash: rcpt.TxHash.Hex(), Block: rcpt.BlockNumber.Uint64(), FeePaidWei: comp.ExecutionFee.String()})
		return hedge.Submission{Ref: key.Hex(), Tx: rcpt.TxHash.Hex(), Pending: true}, nil
	}
	return hedge.Submission{}, fmt.Errorf("GMX: unknown step %q", st.Kind)
}

// actionMeta describes a step for the journal as the seam's journal
// readers expect (trades: kind "trade" with size, acceptable price and
// the notional the daily cap counts).
func actionMeta(a hedge.Step, extra string) chain.ActionMeta {
	m := chain.ActionMeta{Kind: string(a.Kind), Intent: string(a.Intent), Market: a.Asset, Description: a.Reason + extra}
	if a.Kind == hedge.StepTrade {
		m.Size, m.Price, m.Notional = a.SizeDelta.String(), a.AcceptablePrice.String(), hedge.StepNotional(a).String()
	} else if !a.Amount.IsZero() {
		m.Notional = a.Amount.String()
	}
	return m
}

// journal records a GMX lifecycle event (order created, executed,
// cancelled, refunded) as a finished action of its own: an intent line and
// an outcome line. Its outcome is none of the transaction manager's (so
// the daily cap and the freshness check count only the order's own
// transaction).
func (v *Venue) journal(meta chain.ActionMeta, out chain.JournalEntry) {
	if v.Client.Tx == nil || v.Client.Tx.Journal() == nil {
		return
	}
	j := v.Client.Tx.Journal()
	id := chain.NewJournalID()
	if err := j.Append(chain.JournalEntry{Type: chain.EntryIntent, ID: id, ActionMeta: meta}); err != nil {
		v.logf("journal: %v", err)
		return
	}
	out.Type, out.ID = chain.EntryOutcome, id
	if err := j.Append(out); err != nil {
		v.logf("journal: %v", err)
	}
}

// claimData is the ExchangeRouter call claiming p's markets' funding in
// both their tokens, paid to the account.
func (v *Venue) claimData(p *claimPayload) []byte {
	var ms, ts []common.Address
	for _, m := range p.markets {
		for _, t := range uniq(m.Long.Address, m.Short.Address) {
			ms, ts = append(ms, m.MarketToken), append(ts, t)
		}
	}
	return exchangeRouterABI.PackClaimFundingFees(ms, ts, v.Client.Account)
}

// GasCostUSD is gas at the fee cap a transaction would be signed with now,
// in USD at the native coin's reference price (its market's index price in
// s), rounded up.
func (v *Venue) GasCostUSD(ctx context.Context, s *hedge.Snapshot, gas uint64) (decimal.Decimal, error) {
	b := v.book()
	price := decimal.Zero
	for _, m := range b.Markets {
		if m.Long.Address == b.Native.Address || m.Index.Address == b.Native.Address {
			price = s.Markets[m.Asset].IndexPrice
			break
		}
	}
	if !price.IsPositive() {
		return decimal.Zero, fmt.Errorf("GMX on %s: no reference price for the native coin %s", b.Network, b.Native.Symbol)
	}
	gasPrice, err := v.gasPrice(ctx)
	if err != nil {
		return decimal.Zero, err
	}
	wei := new(big.Int).Mul(gasPrice, new(big.Int).SetUint64(gas))
	return decimal.NewFromBigInt(wei, -18).Mul(price).RoundCeil(6), nil
}

func uniq(as ...common.Address) []common.Address {
	var out []common.Address
	for _, a := range as {
		dup := false
		for _, b := range out {
			dup = dup || a == b
		}
		if !dup {
			out = append(out, a)
		}
	}
	return out
}

// Claim compiles one claimFundingFees of every market with claimable
// funding.
func (v *Venue) Claim(s *hedge.Snapshot) ([]hedge.Step, error) {
	var ms []gmx.Market
	total := map[string]decimal.Decimal{}
	for _, c := range s.Claimables {
		m, ok := v.book().MarketByToken(common.HexToAddress(c.Market))
		if !ok {
			continue
		}
		if len(ms) == 0 || ms[len(ms)-1].MarketToken != m.MarketToken {
			ms = append(ms, m)
		}
		total[c.Token] = total[c.Token].Add(c.Amount)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	reason := "claim GMX funding:"
	for t, a := range total {
		reason += fmt.Sprintf(" %s %s", a, t)
	}
	return []hedge.Step{{Kind: hedge.StepClaim, Intent: hedge.IntentClaim, Order: -1, Reason: reason, Payload: &claimPayload{markets: ms}}}, nil
}

// CheckFresh refuses a plan from a state older than a transaction the
// journal knows was mined, or than one the account has sent since (its
// nonce moved): on GMX that could be an order the snapshot does not list.
func (v *Venue) CheckFresh(ctx context.Context, block uint64) error {
	// A node behind what the journal knows was mined (a load-balanced RPC
	// answering from a lagging node) would show no pending order where
	// one was created: refuse it.
	if v.Client.Tx != nil && v.Client.Tx.Journal() != nil {
		recs, err := v.Client.Tx.Journal().Records()
		if err != nil {
			return err
		}
		for _, r := range recs {
			o := r.Outcome
			if o == nil || (o.Outcome != chain.OutcomeMined && o.Outcome != "created") || o.Block <= block {
				continue
			}
			return fmt.Errorf("the node's state (block %d) is older than this account's transaction %s (mined in block %d): a plan from it could repeat a GMX order; nothing sent (the node is lagging: retry)",
				block, o.MinedHash, o.Block)
		}
	}
	acct := v.Client.Account
	eth := v.Client.Chain
	at, err := eth.NonceAt(ctx, acct, new(big.Int).SetUint64(block))
	if err != nil {
		return fmt.Errorf("reading the nonce of %s at block %d: %w", acct.Hex(), block, err)
	}
	pending, err := eth.PendingNonceAt(ctx, acct)
	if err != nil {
		return fmt.Errorf("reading the pending nonce of %s: %w", acct.Hex(), err)
	}
	if pending > at {
		return &hedge.StaleError{Pending: true, Msg: fmt.Sprintf("%s has sent %d transaction(s) since the plan's block %d: a plan from that state could repeat an order; nothing sent (retry once they are mined)",
			acct.Hex(), pending-at, block)}
	}
	return nil
}

// outcome looks up what became of order key (its GMX events since the
// block it was first seen); Status pending when none is found yet. A
// settled outcome is journaled and counted by the cancellation guard once.
func (v *Venue) outcome(ctx context.Context, key common.Hash, head uint64) (hedge.Settlement, error) {
	v.mu.Lock()
	if s, ok := v.outcomes[key]; ok {
		delete(v.known, key) // settled: a lagging snapshot may have listed it again
		v.mu.Unlock()
		return s, nil
	}
	k := v.known[key]
	v.mu.Unlock()
	b := v.book()
	logs, err := v.Client.Chain.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(k.block), ToBlock: new(big.Int).SetUint64(head),
		Addresses: []common.Address{b.Contracts.EventEmitter},
		Topics:    [][]common.Hash{nil, nil, {key}},
	})
	if err != nil {
		return hedge.Settlement{}, fmt.Errorf("GMX: reading the events of order %s: %w", key.Hex(), err)
	}
	ptrs := make([]*types.Log, len(logs))
	for i := range logs {
		ptrs[i] = &logs[i]
	}
	evs, err := gmx.DecodeEvents(b, ptrs)
	if err != nil {
		return hedge.Settlement{}, err
	}
	var done *gmx.Event
	for i, e := range evs {
		if e.Name == "OrderExecuted" || e.Name == "OrderCancelled" || e.Name == "OrderFrozen" {
			done = &evs[i]
		}
	}
	set := hedge.Settlement{Ref: key.Hex(), Status: hedge.OrderPending}
	if done == nil {
		return set, nil
	}
	// The whole transaction's events carry the fill and the fees.
	rcpt, err := v.Client.Chain.TransactionReceipt(ctx, done.TxHash)
	if err != nil {
		return hedge.Settlement{}, fmt.Errorf("GMX: receipt of %s: %w", done.TxHash.Hex(), err)
	}
	all, err := gmx.DecodeEvents(b, rcpt.Logs)
	if err != nil {
		return hedge.Settlement{}, err
	}
	o := gmx.OrderOutcomes(all)[key]
	if o == nil {
		return set, nil
	}
	m, _ := b.Market(k.asset)
	col := b.Collateral
	meta := chain.ActionMeta{Market: k.asset}
	out := chain.JournalEntry{MinedHash: done.TxHash.Hex(), GasUsed: rcpt.GasUsed}
	switch o.Status {
	case gmx.OrderExecuted:
		set.Status = hedge.OrderExecuted
		if o.Fill != nil && o.Fill.ExecutionPrice != nil {
			set.Fill = gmx.PriceUSD(o.Fill.ExecutionPrice, m.Index.Decimals)
		}
		if o.Fees != nil {
			set.Fee = units(o.Fees.PositionFeeAmount, col.Decimals).Add(units(o.Fees.BorrowingFeeAmount, col.Decimals))
		}
		meta.Kind = kindExecuted
		meta.Description = fmt.Sprintf("GMX order %s executed at %s, fees %s %s", key.Hex(), set.Fill, set.Fee, col.Symbol)
		out.Outcome, out.FillPrice, out.TradeFee = "executed", set.Fill.String(), set.Fee.String()
	case gmx.OrderCancelled, gmx.OrderFrozen:
		set.Status, set.Reason = hedge.OrderCancelled, o.Reason
		if o.Status == gmx.OrderFrozen {
			set.Status = hedge.OrderFrozen
		}
		meta.Kind = kindCancelled
		if o.Status == gmx.OrderFrozen {
			meta.Kind = kindFrozen
		}
		meta.Description = fmt.Sprintf("GMX order %s %s: %s (collateral and unused execution fee refunded to the account)", key.Hex(), o.Status, o.Reason)
		// The block dates the cancellation for the guard of a later process.
		out.Outcome, out.Note, out.Block = o.Status.String(), o.Reason, rcpt.BlockNumber.Uint64()
	}
	v.journal(meta, out)
	v.mu.Lock()
	if v.outcomes == nil {
		v.outcomes = map[common.Hash]hedge.Settlement{}
	}
	v.outcomes[key] = set
	delete(v.known, key)
	if set.Status != hedge.OrderExecuted {
		if v.cancels == nil {
			v.cancels = map[string][]cancelRecord{}
		}
		hdr, err := v.Client.Chain.HeaderByNumber(ctx, rcpt.BlockNumber)
		at := time.Now().UTC()
		if err == nil {
			at = time.Unix(int64(hdr.Time), 0).UTC()
		}
		v.cancels[k.asset] = append(v.cancels[k.asset], cancelRecord{at: at, reason: set.Reason, block: rcpt.BlockNumber.Uint64()})
	}
	v.mu.Unlock()
	if set.Status != hedge.OrderExecuted {
		v.logf("GMX order %s on %s %s: %s", key.Hex(), k.asset, set.Status, set.Reason)
	}
	return set, nil
}

func (v *Venue) cancelLimit() int {
	if v.CancelLimit > 0 {
		return v.CancelLimit
	}
	return DefaultCancelLimit
}

// guard applies the cancellation guard to s: the first cancellation of a
// market is replanned at once; from the second within the window the
// market waits Backoff (doubling); at CancelLimit it is not traded until its
// reference price moves 1% from where it was benched (a changed state,
// journaled so a restart does not count those cancellations again) or the
// window has passed since the last cancellation. The cancellations come
// from the journal too, so a restart keeps the bench.
func (v *Venue) guard(s *hedge.Snapshot, prices map[string]decimal.Decimal) {
	limit, window, backoff := v.cancelLimit(), v.CancelWindow, v.Backoff
	if window <= 0 {
		window = DefaultCancelWindow
	}
	if backoff <= 0 {
		backoff = DefaultBackoff
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.benched == nil {
		v.benched = map[string]bench{}
	}
	recentN := map[string]int{}
	for asset, cs := range v.cancels {
		var recent []cancelRecord
		for _, c := range cs {
			if s.Time.Sub(c.at) < window {
				recent = append(recent, c)
			}
		}
		v.cancels[asset] = recent
		n := len(recent)
		recentN[asset] = n
		if n == 0 {
			continue
		}
		last := recent[n-1]
		if _, ok := v.benched[asset]; ok && v.benched[asset].until.IsZero() {
			continue
		}
		switch {
		case n >= limit:
			v.benched[asset] = bench{price: prices[asset], reason: fmt.Sprintf("%d GMX orders cancelled within %s, last: %s; not trading %s until its price moves 1%% or %s after the last cancellation (%s)",
				n, window, last.reason, asset, window, last.at.Add(window).Format(time.RFC3339))}
			v.logf("%s", v.benched[asset].reason)
		case n >= 2:
			until := last.at.Add(backoff << (n - 2))
			v.benched[asset] = bench{until: until, reason: fmt.Sprintf("%d GMX orders cancelled within %s, last: %s; waiting until %s before replanning",
				n, window, last.reason, until.Format(time.RFC3339))}
		}
	}
	for asset, bn := range v.benched {
		hard := bn.until.IsZero()
		changed := hard && bn.price.IsPositive() && prices[asset].Sub(bn.price).Abs().GreaterThanOrEqual(bn.price.Div(decimal.NewFromInt(100)))
		aged := hard && recentN[asset] < limit // the window passed since the cancellations
		if (!hard && !s.Time.Before(bn.until)) || changed || aged {
			delete(v.benched, asset)
			if changed {
				v.cancels[asset] = nil
				v.journal(chain.ActionMeta{Kind: kindGuardReset, Market: asset,
					Description: fmt.Sprintf("GMX cancellation guard: %s traded again, its price moved from %s to %s", asset, bn.price, prices[asset])},
					chain.JournalEntry{Outcome: "reset", Block: s.Block})
			}
			continue
		}
		if m, ok := s.Markets[asset]; ok {
			m.Paused, m.Benched = true, bn.reason
			s.Markets[asset] = m
		}
	}
}

// Benched says which assets the cancellation guard holds, and why.
func (v *Venue) Benched() map[string]string {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := map[string]string{}
	for a, b := range v.benched {
		out[a] = b.reason
	}
	return out
}

// SettleBound is how long Settle waits for one order (engine.SettleBounder:
// the engine waits for the orders of several markets under one bound).
func (v *Venue) SettleBound() time.Duration { return v.SettleTimeout }

// Settle waits until order ref is executed, cancelled or frozen, running
// the in-process keeper (Keep) when there is one. A market order still
// pending past GMX's request expiration is cancelled by the account (its
// collateral and execution fee are refunded), and reads cancelled. When ctx
// ends first the order stays pending: the next run holds the market.
func (v *Venue) Settle(ctx context.Context, ref string) (hedge.Settlement, error) {
	key := common.HexToHash(ref)
	if v.SettleTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, v.SettleTimeout)
		defer cancel()
	}
	poll := v.Poll
	if poll <= 0 {
		poll = time.Second
		if v.Client.Chain.IsDev() {
			poll = 200 * time.Millisecond
		}
	}
	cancelled, polls := false, 0
	for {
		if v.Keep != nil {
			if err := v.Keep(ctx); err != nil && ctx.Err() == nil {
				v.logf("keeper: %v", err)
			}
		}
		head, err := v.Client.Chain.Head(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return v.timeout(ref, ctx)
			}
			return hedge.Settlement{}, err
		}
		set, err := v.outcome(ctx, key, head.Number.Uint64())
		if err != nil {
			if ctx.Err() != nil {
				return v.timeout(ref, ctx)
			}
			return hedge.Settlement{}, err
		}
		if set.Status != hedge.OrderPending {
			if cancelled && set.Status == hedge.OrderCancelled {
				set.Reason = "no keeper executed it before the request expiration; hedger cancelled it (" + set.Reason + ")"
			}
			return set, nil
		}
		polls++
		if !cancelled && polls%5 == 1 { // the expiry check reads the GMX batch: not every poll
			expired, err := v.expired(ctx, key, head.Time)
			if err != nil {
				return hedge.Settlement{}, err
			}
			if expired && v.Client.Tx != nil {
				v.logf("GMX order %s is past its request expiration with no keeper acting: cancelling it", ref)
				if _, err := v.Client.CancelOrder(ctx, key); err != nil {
					return hedge.Settlement{}, fmt.Errorf("cancelling expired order %s: %w", ref, err)
				}
				cancelled = true
				continue
			}
		}
		select {
		case <-ctx.Done():
			return v.timeout(ref, ctx)
		case <-time.After(poll):
		}
	}
}

func (v *Venue) timeout(ref string, ctx context.Context) (hedge.Settlement, error) {
	within := "in time"
	if v.SettleTimeout > 0 {
		within = "within " + v.SettleTimeout.String()
	}
	return hedge.Settlement{Ref: ref, Status: hedge.OrderPending},
		fmt.Errorf("no keeper executed or cancelled GMX order %s %s: it stays pending and the next run holds its market (past GMX's request expiration hedger cancels it)", ref, within)
}

// expired reads whether order key is still pending and past the request
// expiration (GMX lets the account cancel a market order only then).
func (v *Venue) expired(ctx context.Context, key common.Hash, now uint64) (bool, error) {
	gs, err := v.Client.Snapshot(ctx)
	if err != nil {
		return false, err
	}
	for _, o := range gs.Orders {
		if o.Key != key {
			continue
		}
		at := orZero(o.Order.Numbers.UpdatedAtTime).Uint64()
		return gs.RequestExpiration > 0 && now >= at+uint64(gs.RequestExpiration/time.Second), nil
	}
	return false, nil
}

// CancelExpired cancels the account's market orders that are past GMX's
// request expiration with no keeper having acted (GMX refunds their
// collateral and execution fee), so the next plan starts from a state with
// no order stuck in flight. It returns how many it cancelled; their
// outcomes are journaled and count towards the cancellation guard.
func (v *Venue) CancelExpired(ctx context.Context) (int, error) {
	if v.Client.Tx == nil {
		return 0, nil
	}
	if err := v.discover(ctx); err != nil {
		return 0, err
	}
	gs, err := v.Client.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range gs.Orders {
		m, ok := v.book().MarketByToken(o.Order.Addresses.Market)
		typ := o.Order.Numbers.OrderType
		if !ok || (typ != gmx.OrderMarketIncrease && typ != gmx.OrderMarketDecrease) || gs.RequestExpiration <= 0 {
			continue
		}
		at := orZero(o.Order.Numbers.UpdatedAtTime).Uint64()
		if uint64(gs.Time.Unix()) < at+uint64(gs.RequestExpiration/time.Second) {
			continue
		}
		v.mu.Lock()
		if v.known == nil {
			v.known = map[common.Hash]knownOrder{}
		}
		if _, seen := v.known[o.Key]; !seen {
			v.known[o.Key] = knownOrder{asset: m.Asset, block: gs.Block}
		}
		v.mu.Unlock()
		v.logf("GMX order %s on %s is past its request expiration (%s) with no keeper acting: cancelling it", o.Key.Hex(), m.Asset, gs.RequestExpiration)
		rcpt, err := v.Client.CancelOrder(ctx, o.Key)
		if err != nil {
			return n, fmt.Errorf("cancelling expired GMX order %s: %w", o.Key.Hex(), err)
		}
		if _, err := v.outcome(ctx, o.Key, rcpt.BlockNumber.Uint64()); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// HasExpired says whether s lists a market order of the account past GMX's
// request expiration (CancelExpired then has something to do); it reads
// nothing.
func (v *Venue) HasExpired(s *hedge.Snapshot) bool {
	st, err := v.stateOf(s)
	if err != nil || st.gs.RequestExpiration <= 0 {
		return false
	}
	for _, o := range st.gs.Orders {
		typ := o.Order.Numbers.OrderType
		at := orZero(o.Order.Numbers.UpdatedAtTime).Uint64()
		if (typ == gmx.OrderMarketIncrease || typ == gmx.OrderMarketDecrease) && uint64(st.gs.Time.Unix()) >= at+uint64(st.gs.RequestExpiration/time.Second) {
			return true
		}
	}
	return false
}

// asReverted turns the transaction manager's error for a transaction that
// was mined and reverted into a *hedge.RevertedError (the engine counts it
// as sent); any other error is returned as it is.
func asReverted(err error) error {
	var re *chain.RevertError
	if !errors.As(err, &re) || !re.Mined {
		return err
	}
	return &hedge.RevertedError{Tx: re.Hash.Hex(), Block: re.Block, Reason: re.Reason, Err: err}
}
