package chain

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

// ReconcileSummary counts what Reconcile decided.
type ReconcileSummary struct {
	Mined, Reverted, Replaced, Dropped, Failed int
	// Corrected counts settled actions whose recorded block a reorg took
	// away since: their outcome was rewritten (also counted above).
	Corrected int
}

// Total is how many journal entries were resolved or corrected.
func (s ReconcileSummary) Total() int {
	return s.Mined + s.Reverted + s.Replaced + s.Dropped + s.Failed
}

// ReverifyBlocks is how far below the head Reconcile re-checks that a
// recorded mined (or reverted) block is still canonical.
const ReverifyBlocks = 128

func (s ReconcileSummary) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{s.Mined, "mined"}, {s.Reverted, "reverted"}, {s.Replaced, "replaced"}, {s.Dropped, "dropped"}, {s.Failed, "never sent"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	switch open := s.Total() - s.Corrected; {
	case s.Corrected == 0:
		return fmt.Sprintf("journal: resolved %d unfinished transaction(s) from an earlier run: %s", open, strings.Join(parts, ", "))
	case open == 0:
		return fmt.Sprintf("journal: corrected %d transaction(s) whose recorded block a reorg took away: now %s", s.Corrected, strings.Join(parts, ", "))
	default:
		return fmt.Sprintf("journal: resolved %d unfinished transaction(s) from an earlier run and corrected %d whose recorded block a reorg took away: now %s",
			open, s.Corrected, strings.Join(parts, ", "))
	}
}

// Reconcile settles every journal entry that has no outcome (an earlier run
// stopped mid-way) against the chain, and appends the outcome: mined or
// reverted when one of its hashes has a receipt at the confirmation depth, replaced when the nonce was
// used by something else, dropped when the node knows none of its hashes and
// the nonce is unused. A dropped transaction is never sent again (its raw
// bytes were never journaled); the caller replans from chain state. One the
// node still holds pending is waited for, up to ReceiptTimeout.
//
// It also re-checks settled outcomes mined (or reverted) within
// ReverifyBlocks of the head: when the recorded block is no longer
// canonical (a reorg after the run that wrote it), the action is resolved
// again and a corrected outcome appended (mined elsewhere: note "moved by a
// reorg"; otherwise replaced or dropped: note "reorged out"). The last
// outcome line of an id is the current one (GroupJournal).
func (m *TxManager) Reconcile(ctx context.Context) (ReconcileSummary, error) {
	var sum ReconcileSummary
	if m.cfg.Journal == nil {
		return sum, nil
	}
	recs, err := m.cfg.Journal.Records()
	if err != nil {
		return sum, err
	}
	// A failed re-check is not fatal: an unverified mined outcome only
	// makes the freshness check and the daily cap stricter; the next run
	// checks again.
	stale, err := m.reorgedOut(ctx, recs)
	if err != nil {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		m.logf("%v (not re-checked this time)", err)
	}
	var ev evidence
	for _, r := range recs {
		moved := stale[r.ID]
		if !r.Live() && !moved {
			continue
		}
		o, err := m.resolve(ctx, r, &ev)
		if err != nil {
			return sum, err
		}
		o.Type, o.ID, o.ResolvedBy = EntryOutcome, r.ID, "reconcile"
		if moved {
			sum.Corrected++
			was := fmt.Sprintf("%s in block %d %s", r.Outcome.Outcome, r.Outcome.Block, r.Outcome.BlockHash)
			if r.Outcome.Block == 0 {
				was = fmt.Sprintf("%s as seen at block %d", r.Outcome.Outcome, r.Outcome.HeadBlock)
			}
			switch o.Outcome {
			case OutcomeMined, OutcomeReverted:
				o.Note = "moved by a reorg (was " + was + ")"
			case OutcomeReplaced, OutcomeDropped:
				if r.Outcome.Outcome == OutcomeMined || r.Outcome.Outcome == OutcomeReverted {
					o.Note = "reorged out (was " + was + ")"
				} else {
					o.Note = "re-checked after a reorg (was " + was + ")"
				}
			}
			m.logf("journal entry %s (%s) is not on this node's chain (reorg, or a restarted dev chain): now %s", r.ID, was, o.Outcome)
		}
		if err := m.journal(o); err != nil {
			return sum, err
		}
		switch o.Outcome {
		case OutcomeMined:
			sum.Mined++
		case OutcomeReverted:
			sum.Reverted++
		case OutcomeReplaced:
			sum.Replaced++
		case OutcomeDropped:
			sum.Dropped++
		default:
			sum.Failed++
		}
	}
	return sum, nil
}

// reorgedOut returns the ids of settled actions (mined or reverted within
// ReverifyBlocks of the head) whose recorded block is no longer canonical:
// a reorg after the run that wrote them took it away.
func (m *TxManager) reorgedOut(ctx context.Context, recs []JournalRecord) (map[string]bool, error) {
	out := map[string]bool{}
	head, err := m.b.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("re-checking settled journal entries: %w", err)
	}
	canon := map[uint64]common.Hash{}
	// differs reports whether this node's chain has another block at n
	// than the journal recorded; a missing header proves nothing.
	differs := func(n uint64, recorded, id string) (bool, error) {
		bh, ok := canon[n]
		if !ok {
			h, err := m.b.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
			switch {
			case err == nil:
				bh = h.Hash()
			case errors.Is(err, ethereum.NotFound):
			default:
				return false, fmt.Errorf("re-checking block %d of journal entry %s: %w", n, id, err)
			}
			canon[n] = bh
		}
		return bh != (common.Hash{}) && bh != common.HexToHash(recorded), nil
	}
	recent := func(n uint64) bool { return n+ReverifyBlocks >= head && n <= head }
	// diverged is the lowest recorded height whose block this node does not
	// have: from there on the journal's blocks are on another chain. A node
	// merely lagging shows no such height.
	diverged := uint64(math.MaxUint64)
	for _, r := range recs {
		o := r.Outcome
		if o == nil {
			continue
		}
		settled := o.Outcome == OutcomeMined || o.Outcome == OutcomeReverted
		if settled && o.BlockHash != "" && recent(o.Block) {
			d, err := differs(o.Block, o.BlockHash, r.ID)
			if err != nil {
				return nil, err
			}
			if d {
				out[r.ID] = true
				diverged = min(diverged, o.Block)
			}
		}
		if len(r.Attempts) > 0 {
			a := r.Attempts[0]
			if a.AnchorHash != "" && recent(a.AnchorBlock) {
				d, err := differs(a.AnchorBlock, a.AnchorHash, r.ID)
				if err != nil {
					return nil, err
				}
				if d {
					diverged = min(diverged, a.AnchorBlock)
				}
			}
		}
	}
	// Above the divergence, every settled entry and every "did not happen"
	// conclusion (whose head block the freshness check trusts) was reached
	// on the other chain: resolve them again on this one.
	for _, r := range recs {
		o := r.Outcome
		if o == nil {
			continue
		}
		switch o.Outcome {
		case OutcomeMined, OutcomeReverted:
			if o.Block > diverged {
				out[r.ID] = true
			}
		case OutcomeReplaced, OutcomeDropped:
			if o.HeadBlock > diverged && o.HeadBlock > head {
				out[r.ID] = true
			}
		}
	}
	return out, nil
}

// evidence is what one Reconcile has watched so far: how long the node has
// kept showing "nonce used, no receipt of ours" (replaced) and "not mined,
// not pending" (dropped). It is shared by the entries of one reconcile: the
// wait is for a lagging node to catch up, which is one wait, not one per
// entry (a restarted dev chain can leave dozens).
type evidence struct {
	replaced, dropped replacedWatch
}

func (m *TxManager) resolve(ctx context.Context, r JournalRecord, ev *evidence) (JournalEntry, error) {
	nonce, signed := r.Nonce()
	if !signed {
		return JournalEntry{Outcome: OutcomeFailed, Error: "the process stopped before the transaction was signed"}, nil
	}
	hashes := r.Hashes()
	timeout, poll := m.cfg.ReceiptTimeout, m.cfg.PollInterval
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	from := m.cfg.Signer.Address()
	delay := min(50*time.Millisecond, poll)
	for {
		if outcome, done, err := m.resolveOnce(wctx, r, nonce, hashes, from, ev); err == nil && done {
			return outcome, nil
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return JournalEntry{}, ctx.Err()
			}
			return JournalEntry{}, fmt.Errorf("transaction %s from an earlier run (nonce %d) is still pending after %s: wait for it to be mined, or replace it, and rerun",
				hashes[len(hashes)-1].Hex(), nonce, timeout)
		case <-time.After(delay):
		}
		delay = min(delay*2, poll)
	}
}

// resolveOnce looks at the chain once: done is false while the answer is
// not yet known (still pending, or the node could not say).
func (m *TxManager) resolveOnce(ctx context.Context, r JournalRecord, nonce uint64, hashes []common.Hash, from common.Address, ev *evidence) (JournalEntry, bool, error) {
	used, err := m.b.NonceAt(ctx, from, nil)
	if err != nil {
		return JournalEntry{}, false, err
	}
	if used > nonce {
		// Something was mined at our nonce: ours if one of our hashes has a receipt.
		for _, h := range hashes {
			rcpt, err := m.b.TransactionReceipt(ctx, h)
			if err == nil {
				// Settled only at the confirmation depth in a canonical block,
				// like a send: a reorg could still take it away.
				deep, err := m.deepEnough(ctx, rcpt, m.ConfirmationDepth())
				if err != nil || !deep {
					return JournalEntry{}, false, err
				}
				return m.outcomeFor(r.ID, rcpt), true, nil
			}
			if !errors.Is(err, ethereum.NotFound) {
				return JournalEntry{}, false, err // e.g. the receipt index is still building
			}
		}
		// As in confirm: concluded only when it holds across several polls
		// spanning the confirmation depth (or ReplacedAfter).
		done, head, err := m.replacedSettled(ctx, &ev.replaced)
		if err != nil || !done {
			return JournalEntry{}, false, err
		}
		return JournalEntry{Outcome: OutcomeReplaced, HeadBlock: head,
			Error: fmt.Sprintf("nonce %d was used by a transaction that is not one of ours", nonce)}, true, nil
	}
	pending, err := m.b.PendingNonceAt(ctx, from)
	if err != nil {
		return JournalEntry{}, false, err
	}
	if pending <= nonce {
		// Like "replaced", "dropped" is concluded only when it holds across
		// polls spanning the confirmation depth (or ReplacedAfter): a node
		// that is lagging or re-syncing shows neither the receipt nor a
		// mempool, and a single look would write off a mined trade.
		done, head, err := m.replacedSettled(ctx, &ev.dropped)
		if err != nil || !done {
			return JournalEntry{}, false, err
		}
		return JournalEntry{Outcome: OutcomeDropped, HeadBlock: head,
			Error: "not mined and not pending at the node; never sent again (the next plan starts from chain state)"}, true, nil
	}
	// Still in the mempool: wait for it.
	return JournalEntry{}, false, nil
}
