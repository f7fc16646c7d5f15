package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
)

// TestWatchReconcilesAfterFailedSend: a cycle's transaction is not mined
// within the receipt timeout and then vanishes from the node (evicted), so
// its journal entry stays live at the account's next nonce, which blocks
// every later send. The next cycle must settle it against the chain (dropped)
// as a restart would, and the watch must go on to hedge, with one journal
// outcome per action and no live entry left.
func TestWatchReconcilesAfterFailedSend(t *testing.T) {
	e := newScenAnvil(t)
	j, err := chain.OpenJournal(filepath.Join(t.TempDir(), "journal.jsonl"), e.client.ChainID.Uint64(), e.signer.Address())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })

	pol := policyWith(func(p *hedge.AssetPolicy) { p.Cooldown = 0 })
	sw := e.watch(pol)
	sw.w.s.journal = j
	// Short waits: the first send must time out, and reconcile must conclude
	// "dropped" (on lasting evidence) within the receipt timeout.
	cfg := sw.w.s.venue.Tx.Config()
	cfg.Journal, cfg.ReceiptTimeout, cfg.ResubmitAfter, cfg.ReplacedAfter = j, 1500*time.Millisecond, time.Hour, 300*time.Millisecond
	cfg.PollInterval = min(cfg.PollInterval, cfg.ReceiptTimeout)
	tx, err := chain.NewTxManager(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sw.w.s.venue.Tx = tx

	rpc := func(method string, args ...any) {
		t.Helper()
		if err := e.client.CallContext(e.ctx, nil, method, args...); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	rpc("evm_setAutomine", false)
	sw.cycle() // the approve is sent and never mined: the send fails
	rpc("anvil_dropAllTransactions")
	rpc("evm_setAutomine", true)
	if n := e.nonce(); n != 0 {
		t.Fatalf("pending nonce %d after the drop", n)
	}

	sw.cycle() // settles the live entry as dropped, then waits for a fresh head
	if !strings.Contains(sw.logs.String(), "journal reconciled") {
		t.Fatalf("no reconcile logged:\n%s", sw.logs.String())
	}
	rpc("evm_mine")
	sw.cycle() // hedges
	if got := wad(e.position("ETH").Size).Neg(); !got.Equal(decimal.NewFromInt(10)) {
		t.Fatalf("ETH short %s after the retry, want 10; log:\n%s", got, sw.logs.String())
	}

	recs, err := j.Records()
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]int{}
	for _, r := range recs {
		if r.Live() {
			t.Errorf("live journal entry left: %+v", r.Intent)
			continue
		}
		outcomes[r.Outcome.Outcome]++
	}
	mined := e.nonce()
	if outcomes[chain.OutcomeDropped] != 1 || uint64(outcomes[chain.OutcomeMined]) != mined {
		t.Errorf("journal outcomes %v, want 1 dropped and %d mined (the account's nonce)", outcomes, mined)
	}
}
