package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"
	"golang.org/x/term"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
)

// engine is the hedging engine over the session's venue with the command's
// policies, caps and approval choice.
func (s *session) engine(pol hedge.Policies) *engine.Engine {
	e := &engine.Engine{Venue: s.seam(), Policies: pol, Caps: s.tx.caps, UsedToday: s.usedToday,
		ApproveMax: s.tx.approveMax, Settle: true, BetaRefresh: betaRefresh, Designate: s.designator(pol)}
	if s.spot != nil {
		e.Spot = s.spot
	}
	return e
}

// apply sends a cycle's steps in order after the checks and confirmation,
// and returns the transaction hashes. It stops at the first failure: every
// later step depends on the earlier ones, and the next run replans from the
// venue's state. The caps already ran when the cycle was planned (a plan
// passing the daily cap was refused whole there; trades above the
// per-transaction cap were split).
func (s *session) apply(e *engine.Engine, c *engine.Cycle, yes bool) ([]string, error) {
	// First: every other check reads the plan's state, which may be stale.
	if err := e.Fresh(s.ctx, c); err != nil {
		return nil, err
	}
	if err := e.Check(c); err != nil {
		var se *engine.StepError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("step %d (%s) %s; nothing sent", se.Index+1, describe(se.Step), se.Err)
		}
		return nil, err
	}
	if len(c.Steps) == 0 {
		return nil, nil
	}
	for _, sp := range c.Splits {
		if !s.json {
			say("split: trade of %s %s (%s USD notional) into %d transactions of at most %s USD each (--max-trade-notional)",
				signed(sp.Order.SizeDelta.String()), sp.Order.Asset, usd(hedge.TradeNotional(sp.Order)), sp.Parts, s.tx.caps.MaxTradeNotional.String())
		}
	}
	if !yes {
		if err := confirm(len(c.Steps)); err != nil {
			return nil, err
		}
	}
	var txs []string
	res, err := e.Submit(s.ctx, c, engine.Hooks{
		Before: func(i, n int, st hedge.Step) bool {
			if !s.json {
				d := describe(st)
				if st.Unlimited {
					d = "approve the venue to pull any amount of " + c.Snap.CollateralSymbol + " (--approve-max)"
				}
				say("sending %d/%d: %s", i+1, n, d)
			}
			return true
		},
		After: func(i int, st hedge.Step, sub hedge.Submission, set *hedge.Settlement) {
			txs = append(txs, sub.Tx)
			if !s.json {
				say("  mined %s", sub.Tx)
				if set != nil {
					switch {
					case set.Status == hedge.OrderExecuted && set.Fill.IsPositive():
						say("  order %s executed at %s, venue fees %s %s", set.Ref, set.Fill.StringFixed(2), set.Fee.String(), c.Snap.CollateralSymbol)
					case set.Reason != "":
						say("  order %s %s: %s", set.Ref, set.Status, set.Reason)
					default:
						say("  order %s %s", set.Ref, set.Status)
					}
				}
			}
		},
	})
	_ = res
	return txs, err
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
	case s.journalPath != "" && (s.venue != nil || s.gmx != nil):
		acct := common.Address{}
		if s.venue != nil {
			acct = s.venue.Account
		} else {
			acct = s.gmx.Client.Account
		}
		entries, _, err := chain.ReadJournalFor(s.journalPath, s.client.ChainID.Uint64(), acct)
		if errors.Is(err, os.ErrNotExist) {
			return decimal.Zero, nil // nothing sent from this account yet
		}
		if err != nil {
			return decimal.Zero, err
		}
		recs = chain.GroupJournal(entries)
	}
	return minedTradeNotional(recs, now.Add(-24*time.Hour))
}

// minedTradeNotional sums the notional of the trades mined since. An entry
// whose notional cannot be read fails closed: the cap cannot know what it
// spent, so it refuses rather than count it as nothing.
func minedTradeNotional(recs []chain.JournalRecord, since time.Time) (decimal.Decimal, error) {
	sum := decimal.Zero
	for _, r := range recs {
		if r.Outcome == nil || r.Outcome.Outcome != chain.OutcomeMined || r.Intent.Kind != string(hedge.StepTrade) || r.Outcome.Time.Before(since) {
			continue
		}
		n, err := decimal.NewFromString(r.Intent.Notional)
		if err != nil {
			return decimal.Zero, fmt.Errorf("journal entry %s: trade notional %q is unreadable, so the daily cap cannot tell what was spent; nothing sent (--max-daily-notional)", r.ID, r.Intent.Notional)
		}
		sum = sum.Add(n.Abs())
	}
	return sum, nil
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
