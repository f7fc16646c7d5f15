package main

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestDemo runs the scripted market on the embedded chain and checks what
// each scene must show: the hedge opens, a fall needs nothing, a rally tops
// up margin, positive funding pays the short and negative funding costs it,
// a bigger wallet is rebalanced, and the close leaves the short at zero with
// the hedged result far smaller than the unhedged swing.
func TestDemo(t *testing.T) {
	res, err := runDemo(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 8 {
		t.Fatalf("%d steps, want 8", len(res.Steps))
	}
	has := func(step int, words ...string) bool {
		for _, a := range res.Steps[step-1].Actions {
			ok := true
			for _, w := range words {
				ok = ok && strings.Contains(a, w)
			}
			if ok {
				return true
			}
		}
		return false
	}
	if !has(1, "open short", "ETH") || !has(1, "open short", "BTC") || !has(1, "approve") {
		t.Errorf("step 1 actions %v: want approve and two open shorts", res.Steps[0].Actions)
	}
	if n := len(res.Steps[1].Actions); n != 0 {
		t.Errorf("a 20%% fall with unchanged holdings must need nothing, got %v", res.Steps[1].Actions)
	}
	if !has(3, "deposit") || has(3, "short") {
		t.Errorf("the rally must top up margin without trading, got %v", res.Steps[2].Actions)
	}
	gain := res.Steps[3].HedgedPnL.Sub(res.Steps[2].HedgedPnL)
	if !res.Steps[3].FundingAPR.IsPositive() || !gain.IsPositive() {
		t.Errorf("positive funding: short's APR %s, hedged PnL change %s; both must be > 0", res.Steps[3].FundingAPR, gain)
	}
	if !res.Steps[4].FundingAPR.IsNegative() {
		t.Errorf("negative funding scene shows APR %s from the short's side, want < 0", res.Steps[4].FundingAPR)
	}
	if !has(6, "increase short", "ETH") {
		t.Errorf("buying 5 ETH must increase the ETH short, got %v", res.Steps[5].Actions)
	}
	if !has(8, "close short", "ETH") || !has(8, "withdraw all") {
		t.Errorf("close step actions %v", res.Steps[7].Actions)
	}
	if !res.Steps[7].ShortNotionalUSD.IsZero() {
		t.Errorf("short notional after close = %s", res.Steps[7].ShortNotionalUSD)
	}
	// The spot swing through the fall and the rally was 12000 then 19200 USD;
	// the hedged book must never swing by more than a small fraction of it.
	for _, s := range res.Steps {
		if s.HedgedPnL.Abs().GreaterThan(decimal.NewFromInt(1500)) {
			t.Errorf("step %d: hedged PnL %s; a hedge must not swing like spot (%s)", s.Step, s.HedgedPnL, s.UnhedgedPnL)
		}
	}
	if !res.Steps[1].UnhedgedPnL.Equal(decimal.NewFromInt(-12000)) {
		t.Errorf("unhedged PnL after a 20%% fall = %s, want -12000", res.Steps[1].UnhedgedPnL)
	}
	if !res.FeesUSD.IsNegative() || !res.FundingUSD.IsPositive() || res.Transactions != 15 || res.GasUsed == 0 {
		t.Errorf("fees %s (want < 0), funding %s (want > 0: 3 days received vs 2 paid), txs %d, gas %d",
			res.FeesUSD, res.FundingUSD, res.Transactions, res.GasUsed)
	}
	// The record rebuilt from chain logs (demo --report) reconciles to the
	// unit and counts the funding and fees the demo counted.
	rc := res.Record
	if rc == nil || !rc.Reconciliation.Reconciled || !rc.Reconciliation.Difference.IsZero() {
		t.Fatalf("record: %+v", rc)
	}
	if !rc.Totals.Funding.Round(2).Equal(res.FundingUSD.Round(2)) || !rc.Reconciliation.Fees.Round(2).Equal(res.FeesUSD.Neg().Round(2)) {
		t.Errorf("record: funding %s, fees %s; the demo counted funding %s, fees %s",
			rc.Totals.Funding, rc.Reconciliation.Fees, res.FundingUSD, res.FeesUSD)
	}
}
