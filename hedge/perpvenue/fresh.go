package perpvenue

// Capabilities beyond hedge.Venue: freshness of a plan's state against the
// journal and the account's nonce, the rolling funding window, and
// reconciling an interrupted send.

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
)

// CheckFresh refuses a plan read at a block older than the account's last
// mined transaction (from the journal): a lagging node, or a load balancer
// in front of one, would show a state without that transaction, and the
// plan would repeat its trade. Then the account's nonce: any transaction
// sent since block (another wallet holding the key, one still pending)
// makes that state stale too.
func (v *Venue) CheckFresh(ctx context.Context, block uint64) error {
	var recs []chain.JournalRecord
	var j *chain.Journal
	if v.Tx != nil {
		j = v.Tx.Journal()
	}
	if j != nil {
		var err error
		if recs, err = j.Records(); err != nil {
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
	if last > block {
		hint := "the node is lagging: retry"
		if v.Client != nil && v.Client.IsDev() && j != nil {
			// A dev chain restarted under the same chain ID starts again
			// below the journal's blocks; reconcile corrects the entries
			// it can prove are from another chain, not every one.
			hint += "; on a restarted dev chain, move the journal " + j.Path() + " aside"
		}
		return fmt.Errorf("the node's state (block %d) is older than this account's %s: a plan from it could repeat a trade; nothing sent (%s)",
			block, what, hint)
	}
	if v.Client == nil {
		return nil
	}
	acct := v.Account
	atPlan, err := v.Client.NonceAt(ctx, acct, new(big.Int).SetUint64(block))
	if err != nil {
		return fmt.Errorf("reading the nonce of %s at block %d: %w", acct.Hex(), block, err)
	}
	pending, err := v.Client.PendingNonceAt(ctx, acct)
	if err != nil {
		return fmt.Errorf("reading the pending nonce of %s: %w", acct.Hex(), err)
	}
	if pending > atPlan {
		return &hedge.StaleError{Pending: true, Msg: fmt.Sprintf("%s has sent %d transaction(s) since the plan's block %d (pending or mined later): a plan from that state could repeat a trade; nothing sent (retry once they are mined)",
			acct.Hex(), pending-atPlan, block)}
	}
	return nil
}

// FillCarryWindow fills each market's FundingBefore for the rolling window.
func (v *Venue) FillCarryWindow(ctx context.Context, s *hedge.Snapshot, window func(asset string) time.Duration) error {
	if v.hist == nil {
		v.hist = &FundingHistory{Venue: v}
	}
	return v.hist.Fill(ctx, s, window)
}

// History is the funding history FillCarryWindow uses (tests count its
// round trips).
func (v *Venue) History() *FundingHistory {
	if v.hist == nil {
		v.hist = &FundingHistory{Venue: v}
	}
	return v.hist
}

// Reconcile settles the journal's unfinished entries against the chain.
func (v *Venue) Reconcile(ctx context.Context) (string, int, error) {
	if v.Tx == nil || v.Tx.Journal() == nil {
		return "", 0, nil
	}
	sum, err := v.Tx.Reconcile(ctx)
	if err != nil {
		return "", 0, err
	}
	return sum.String(), sum.Total(), nil
}
