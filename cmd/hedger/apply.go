package main

import (
	"bufio"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/term"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/onchain"
)

// apply sends a plan's actions in order after checks and confirmation, and
// returns the transaction hashes. It stops at the first failure: every later
// action depends on the earlier ones, and the next run replans from chain state.
//
// The notional caps run first: a plan passing the daily cap is refused
// whole, and a trade above the per-transaction cap is split, in which case
// plan.Actions becomes the split list (one hash per action, in order) and
// *gasp the matching estimates: each chunk carries its trade's estimate.
func (s *session) apply(plan *hedge.Plan, gasp *[]onchain.GasEstimate, yes, allowPartial bool) ([]string, error) {
	var gas []onchain.GasEstimate
	if gasp != nil {
		gas = *gasp
	}
	// First: every other check reads the plan's state, which may be stale.
	if len(plan.Actions) > 0 {
		if err := s.checkFresh(plan); err != nil {
			return nil, err
		}
	}
	// Checked before the empty-plan return: a margin account that cannot carry
	// any short plans no action, and that must not read as "nothing to do".
	for _, a := range plan.Assets {
		if a.Shortfall.IsPositive() && !allowPartial {
			return nil, fmt.Errorf("insufficient margin: hedging %s needs %s more %s in %s at this leverage cap; nothing sent (fund it, lower --hedge-ratio, raise --max-leverage, or pass --allow-partial)",
				a.Asset, a.Shortfall.StringFixed(2), s.book.Collateral.Symbol, s.venue.Account.Hex())
		}
	}
	if len(plan.Actions) == 0 {
		return nil, nil
	}
	for i, g := range gas {
		if g.Err != "" {
			return nil, fmt.Errorf("step %d (%s) %s; nothing sent", i+1, describe(plan.Actions[i]), g.Err)
		}
	}
	gas, err := s.capPlan(plan, gas)
	if err != nil {
		return nil, err
	}
	if gasp != nil {
		*gasp = gas
	}
	if s.tx.approveMax && s.venue != nil {
		for i, a := range plan.Actions {
			plan.Actions[i] = s.venue.ApproveMax(a)
		}
	}
	if !yes {
		if err := confirm(len(plan.Actions)); err != nil {
			return nil, err
		}
	}
	var txs []string
	for i, a := range plan.Actions {
		if !s.json {
			d := describe(a)
			if s.venue.IsMaxApproval(a) {
				d = "approve the venue to pull any amount of " + s.book.Collateral.Symbol + " (--approve-max)"
			}
			say("sending %d/%d: %s", i+1, len(plan.Actions), d)
		}
		h, err := s.venue.Execute(s.ctx, a)
		if err != nil {
			return txs, fmt.Errorf("step %d/%d failed after %d sent: %w", i+1, len(plan.Actions), len(txs), err)
		}
		txs = append(txs, h)
		if !s.json {
			say("  mined %s", h)
		}
	}
	return txs, nil
}

// checkFresh refuses a plan read at a block older than the account's last
// mined transaction (from the journal): a lagging node, or a load balancer
// in front of one, would show a state without that transaction, and the plan
// would repeat its trade. Checked once per plan (watch applies a plan one
// action at a time, and its own earlier actions are newer than its snapshot).
func (s *session) checkFresh(plan *hedge.Plan) error {
	if s.checkedPlan && s.checkedBlock == plan.Block {
		return nil
	}
	var recs []chain.JournalRecord
	if s.journal != nil {
		var err error
		if recs, err = s.journal.Records(); err != nil {
			return err
		}
	}
	// A replaced or dropped outcome was concluded from the chain as seen at
	// its HeadBlock: a plan from an older state may not show what really
	// happened at that nonce (a load-balanced node lagging behind the one
	// that answered), so that block counts like a mined one.
	var last uint64
	var what string
	for _, r := range recs {
		o := r.Outcome
		if o == nil {
			continue
		}
		switch {
		case (o.Outcome == chain.OutcomeMined || o.Outcome == chain.OutcomeReverted) && o.Block > last:
			last, what = o.Block, fmt.Sprintf("last transaction %s (mined in block %d)", o.MinedHash, o.Block)
		case (o.Outcome == chain.OutcomeReplaced || o.Outcome == chain.OutcomeDropped) && o.HeadBlock > last:
			last, what = o.HeadBlock, fmt.Sprintf("last transaction (journal entry %s, found %s at block %d)", r.ID, o.Outcome, o.HeadBlock)
		}
	}
	if last > plan.Block {
		hint := "the node is lagging: retry"
		if s.client != nil && s.client.IsDev() && s.journal != nil {
			// A dev chain restarted under the same chain ID starts again
			// below the journal's blocks; reconcile corrects the entries
			// it can prove are from another chain, not every one.
			hint += "; on a restarted dev chain, move the journal " + s.journal.Path() + " aside"
		}
		return fmt.Errorf("the node's state (block %d) is older than this account's %s: a plan from it could repeat a trade; nothing sent (%s)",
			plan.Block, what, hint)
	}
	// The journal knows only this hedger's transactions. Any other sent
	// from the account (another wallet holding the key, a transaction still
	// pending) moves the nonce past the plan's block: that state is stale.
	if s.venue != nil && s.client != nil {
		acct := s.venue.Account
		atPlan, err := s.client.NonceAt(s.ctx, acct, new(big.Int).SetUint64(plan.Block))
		if err != nil {
			return fmt.Errorf("reading the nonce of %s at block %d: %w", acct.Hex(), plan.Block, err)
		}
		pending, err := s.client.PendingNonceAt(s.ctx, acct)
		if err != nil {
			return fmt.Errorf("reading the pending nonce of %s: %w", acct.Hex(), err)
		}
		if pending > atPlan {
			return fmt.Errorf("%s has sent %d transaction(s) since the plan's block %d (pending or mined later): a plan from that state could repeat a trade; nothing sent (retry once they are mined)",
				acct.Hex(), pending-atPlan, plan.Block)
		}
	}
	s.checkedPlan, s.checkedBlock = true, plan.Block
	return nil
}

// capPlan applies the notional caps to plan in place (see apply) and
// returns the gas estimates matching the new action list.
func (s *session) capPlan(plan *hedge.Plan, gas []onchain.GasEstimate) ([]onchain.GasEstimate, error) {
	caps := s.tx.caps
	if !caps.MaxTradeNotional.IsPositive() && !caps.MaxDailyNotional.IsPositive() {
		return gas, nil
	}
	if caps.MaxDailyNotional.IsPositive() {
		used, err := s.usedToday(time.Now())
		if err != nil {
			return nil, err
		}
		caps.UsedToday = used
		// The whole plan is checked at once: refused before anything is sent.
		if _, err := caps.Apply(plan.Actions); err != nil {
			return nil, fmt.Errorf("%w (--max-daily-notional)", err)
		}
	}
	per := hedge.Caps{MaxTradeNotional: caps.MaxTradeNotional}
	var acts []hedge.Action
	var est []onchain.GasEstimate
	for i, a := range plan.Actions {
		parts, err := per.Apply([]hedge.Action{a})
		if err != nil {
			return nil, fmt.Errorf("%w (--max-trade-notional)", err)
		}
		if len(parts) > 1 && !s.json {
			say("split: trade of %s %s (%s USD notional) into %d transactions of at most %s USD each (--max-trade-notional)",
				signed(a.SizeDelta.String()), a.Asset, usd(hedge.TradeNotional(a)), len(parts), caps.MaxTradeNotional.String())
		}
		for range parts {
			if i < len(gas) {
				est = append(est, gas[i])
			}
		}
		acts = append(acts, parts...)
	}
	plan.Actions = acts
	if len(est) != len(acts) {
		return nil, nil // no estimates were given (none to follow the new list)
	}
	return est, nil
}

// usedToday is the trade notional the journal records as mined in the 24
// hours before now: what the daily cap has already spent.
// A command that only previews (plan) reads the file without the lock.
func (s *session) usedToday(now time.Time) (decimal.Decimal, error) {
	var recs []chain.JournalRecord
	switch {
	case s.journal != nil:
		var err error
		if recs, err = s.journal.Records(); err != nil {
			return decimal.Zero, err
		}
	case s.journalPath != "" && s.venue != nil:
		entries, _, err := chain.ReadJournalFor(s.journalPath, s.client.ChainID.Uint64(), s.venue.Account)
		if errors.Is(err, os.ErrNotExist) {
			return decimal.Zero, nil // nothing sent from this account yet
		}
		if err != nil {
			return decimal.Zero, err
		}
		recs = chain.GroupJournal(entries)
	}
	return minedTradeNotional(recs, now.Add(-24*time.Hour)), nil
}

func minedTradeNotional(recs []chain.JournalRecord, since time.Time) decimal.Decimal {
	sum := decimal.Zero
	for _, r := range recs {
		if r.Outcome == nil || r.Outcome.Outcome != chain.OutcomeMined || r.Intent.Kind != string(hedge.ActTrade) || r.Outcome.Time.Before(since) {
			continue
		}
		if n, err := decimal.NewFromString(r.Intent.Notional); err == nil {
			sum = sum.Add(n.Abs())
		}
	}
	return sum
}

// confirm asks on the terminal; without one there is nobody to ask.
func confirm(n int) error {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return fmt.Errorf("refusing to send %d transaction(s) without confirmation: stdin is not a terminal (pass --yes)", n)
	}
	fmt.Fprintf(os.Stderr, "send %d transaction(s)? [y/N] ", n)
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return fmt.Errorf("cancelled; nothing sent")
	}
	return nil
}
