package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/onchain"
)

// apply sends a plan's actions in order after checks and confirmation, and
// returns the transaction hashes. It stops at the first failure: every later
// action depends on the earlier ones, and the next run replans from chain state.
func (s *session) apply(plan *hedge.Plan, gas []onchain.GasEstimate, yes, allowPartial bool) ([]string, error) {
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
	if !yes {
		if err := confirm(len(plan.Actions)); err != nil {
			return nil, err
		}
	}
	var txs []string
	for i, a := range plan.Actions {
		if !s.json {
			say("sending %d/%d: %s", i+1, len(plan.Actions), describe(a))
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
