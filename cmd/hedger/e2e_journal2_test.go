package main

// The journal's account lock, its per-account filtering, the freshness check
// on "replaced" conclusions and the correction of outcomes a reorg changed
// after a command returned.

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge/perpvenue"
)

// A "replaced" (or "dropped") outcome was concluded at a head block: a plan
// read from an older state is refused like one older than a mined block.
func TestE2EJournalFreshAfterReplaced(t *testing.T) {
	key, _ := crypto.GenerateKey()
	sg := chain.NewKeySigner(key)
	emb, err := chain.NewEmbedded(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	j, err := chain.OpenJournal(filepath.Join(t.TempDir(), "j.jsonl"), emb.ChainID.Uint64(), sg.Address())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	n := uint64(3)
	j.Append(chain.JournalEntry{Type: chain.EntryIntent, ID: "m", ActionMeta: chain.ActionMeta{Kind: "trade"}})
	j.Append(chain.JournalEntry{Type: chain.EntryOutcome, ID: "m", Outcome: chain.OutcomeMined, Block: 7, MinedHash: "0x01"})
	j.Append(chain.JournalEntry{Type: chain.EntryIntent, ID: "r", ActionMeta: chain.ActionMeta{Kind: "trade"}})
	j.Append(chain.JournalEntry{Type: chain.EntrySigned, ID: "r", Hash: "0x02", Nonce: &n})
	j.Append(chain.JournalEntry{Type: chain.EntryOutcome, ID: "r", Outcome: chain.OutcomeReplaced, HeadBlock: 12})
	tx, err := chain.NewTxManager(chain.Config{Backend: emb.Client, Signer: sg, Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	// No Client: only the journal is checked, not the nonce at block 10.
	v := &perpvenue.Venue{Tx: tx}
	err = v.CheckFresh(context.Background(), 10)
	if err == nil || !strings.Contains(err.Error(), "block 10") || !strings.Contains(err.Error(), "replaced at block 12") {
		t.Fatalf("plan at block 10 after a replaced outcome concluded at 12: %v", err)
	}
	if err := v.CheckFresh(context.Background(), 12); err != nil {
		t.Fatalf("plan at block 12: %v", err)
	}
}

// A second hedger on the account is refused even with another journal file
// (--journal, HEDGER_JOURNAL): one line naming the account and the holder's
// pid. A journal file of another account is refused with one line too.
func TestE2EJournalAccountLockOverride(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	r.cli.ok(r.hedgeArgs()...)
	cmd := r.startWatch()
	lock := chain.AccountLockPath(r.cli.dataDir, r.n.ChainID, r.signer.Addr)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if b, err := os.ReadFile(lock); err == nil && strings.TrimSpace(string(b)) == fmt.Sprint(cmd.Process.Pid) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("watch (pid %d) did not take the account lock %s", cmd.Process.Pid, lock)
		}
		time.Sleep(50 * time.Millisecond)
	}
	nonce := r.ch.nonce(r.signer.Addr)
	other := filepath.Join(t.TempDir(), "other.jsonl")
	want := fmt.Sprintf("account %s on chain %d is in use by another hedger process (pid %d", r.signer.Addr.Hex(), r.n.ChainID, cmd.Process.Pid)
	if res := r.cli.fails(r.hedgeArgs("--journal", other)...); !strings.Contains(res.stderr, want) {
		t.Errorf("--journal elsewhere: want %q:\n%s", want, res)
	}
	if res := r.cli.failsEnv([]string{"HEDGER_JOURNAL=" + other}, r.hedgeArgs()...); !strings.Contains(res.stderr, want) {
		t.Errorf("HEDGER_JOURNAL elsewhere: want %q:\n%s", want, res)
	}
	if got := r.ch.nonce(r.signer.Addr); got != nonce {
		t.Errorf("the refused hedger sent %d transaction(s)", got-nonce)
	}
	cmd.Process.Kill()
	cmd.Wait()

	// The signer's journal pointed at for another account (the deployer).
	res := r.cli.fails("hedge", "--rpc-url", r.n.URL, "--wallet", r.spot.Hex(), "--private-key", e2eAnvilKey0, "--yes", "--journal", r.journalPath())
	if !strings.Contains(res.stderr, "holds entries of chain") || !strings.Contains(res.stderr, r.signer.Addr.Hex()) {
		t.Errorf("foreign journal: %s", res)
	}
	r.cli.ok(r.hedgeArgs("--journal", other)...) // the lock died with its holder
}

// A hedge returns at depth 1; a reorg then drops the block of its last trade.
// The rerun's reconcile corrects that entry (a new last outcome line):
// dropped, replaced, or mined elsewhere ("moved by a reorg"), and the
// journal's count of mined trades equals the chain's.
func TestE2EJournalReorgAfterReturn(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	venue := common.HexToAddress(r.book.Venue)
	var plan e2ePlan
	r.cli.okJSON(&plan, r.hedgeArgs("--confirmations", "1", "--json")...)
	if n := len(plan.Actions); n == 0 || plan.Actions[n-1].Kind != "trade" {
		t.Fatalf("the hedge did not end with a trade: %+v", plan.Actions)
	}
	last := common.HexToHash(plan.Actions[len(plan.Actions)-1].Tx)
	rcpt, err := r.ch.ec.TransactionReceipt(e2eCtx(t), last)
	if err != nil {
		t.Fatal(err)
	}
	if head := r.ch.block(); head != rcpt.BlockNumber.Uint64() {
		t.Fatalf("head %d is not the last trade's block %d", head, rcpt.BlockNumber)
	}
	if err := r.ch.rc.CallContext(e2eCtx(t), nil, "anvil_reorg", 1, []any{}); err != nil {
		t.Fatalf("anvil_reorg: %v", err)
	}
	if _, err := r.ch.ec.TransactionReceipt(e2eCtx(t), last); err == nil {
		t.Fatalf("the reorg did not take trade %s away", last.Hex())
	}
	res := r.cli.ok(r.hedgeArgs("--json")...)
	t.Logf("rerun stderr:\n%s", res.stderr)

	recs := chain.GroupJournal(r.rawJournal())
	found := false
	journalTrades := 0
	for _, rec := range recs {
		o := rec.Outcome
		if o == nil {
			t.Errorf("journal action %s (%s) has no outcome", rec.ID, rec.Intent.Kind)
			continue
		}
		if rec.Intent.Kind == "trade" && o.Outcome == chain.OutcomeMined {
			journalTrades++
			if b, err := e2eReorgGetBlock(e2eCtx(t), r.ch, o.Block); err != nil || b.Hash != common.HexToHash(o.BlockHash) {
				t.Errorf("journal trade %s: mined in block %d %s, not canonical (%v)", o.MinedHash, o.Block, o.BlockHash, err)
			}
		}
		ours := false
		for _, h := range rec.Hashes() {
			ours = ours || h == last
		}
		if !ours {
			continue
		}
		found = true
		switch {
		case o.Outcome == chain.OutcomeDropped || o.Outcome == chain.OutcomeReplaced:
		case o.Outcome == chain.OutcomeMined && strings.Contains(o.Note, "moved by a reorg"):
		default:
			t.Errorf("journal of the reorged-out trade %s: current outcome %s in block %d %s (note %q)", last.Hex(), o.Outcome, o.Block, o.BlockHash, o.Note)
		}
		t.Logf("reorged-out trade %s: now %s (%s) %s", last.Hex(), o.Outcome, o.Note, o.ResolvedBy)
	}
	if !found {
		t.Fatalf("no journal entry for %s", last.Hex())
	}
	chainTrades := 0
	for n := uint64(0); n <= r.ch.block(); n++ {
		b, err := e2eReorgGetBlock(e2eCtx(t), r.ch, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range b.Transactions {
			if !e2eReorgIsTrade(tx, r.signer.Addr, venue) {
				continue
			}
			if rc, err := r.ch.ec.TransactionReceipt(e2eCtx(t), tx.Hash); err == nil && rc.Status == 1 {
				chainTrades++
			}
		}
	}
	if journalTrades != chainTrades {
		t.Errorf("the journal has %d mined trades, the chain %d", journalTrades, chainTrades)
	}
}

// A transaction the journal does not know (another wallet holding the same
// key) still pending when hedge plans: the plan's state does not include it,
// so hedge refuses in one line and sends nothing; once it is mined, hedge runs.
func TestE2EHedgeRefusesWithForeignPendingTx(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	ctx := e2eCtx(t)
	if err := r.ch.rc.CallContext(ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(r.signer.Key, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := r.ch.ec.PendingNonceAt(ctx, r.signer.Addr)
	if err != nil {
		t.Fatal(err)
	}
	to := common.HexToAddress("0x00000000000000000000000000000000000b0001")
	tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: new(big.Int).SetUint64(r.n.ChainID), Nonce: nonce,
		GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9), Gas: 21000, To: &to, Value: big.NewInt(1)}),
		types.LatestSignerForChainID(new(big.Int).SetUint64(r.n.ChainID)), key)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.ch.ec.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	res := r.cli.fails(r.hedgeArgs()...)
	if !strings.Contains(res.stderr, "has sent 1 transaction(s) since the plan's block") || !strings.Contains(res.stderr, "nothing sent") {
		t.Errorf("hedge with a foreign pending transaction:\n%s", res)
	}
	if got, _ := r.ch.ec.PendingNonceAt(ctx, r.signer.Addr); got != nonce+1 {
		t.Errorf("pending nonce %d, want %d (only the foreign transaction)", got, nonce+1)
	}
	if err := r.ch.rc.CallContext(ctx, nil, "evm_setAutomine", true); err != nil {
		t.Fatal(err)
	}
	if err := r.ch.rc.CallContext(ctx, nil, "evm_mine"); err != nil {
		t.Fatal(err)
	}
	r.cli.ok(r.hedgeArgs()...)
	if eth, btc := r.positions(); !e2eNear(eth.Neg(), e2eD("10"), "0.02") || !e2eNear(btc.Neg(), e2eD("0.5"), "0.02") {
		t.Errorf("after the foreign transaction was mined: ETH %s BTC %s", eth, btc)
	}
}

// A dev chain restarted under the same chain ID (anvil stopped and started
// again, the venue redeployed) starts below the blocks the journal names.
// The signed lines' anchors prove those blocks are from another chain, so
// the next run corrects them instead of refusing every plan as "lagging",
// and the journal's current outcomes match the new chain.
func TestE2EJournalRestartedDevChain(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	r.cli.ok(r.hedgeArgs()...)
	r.n.cmd.Process.Kill()

	// Another genesis time, as a restart later would have: two anvils
	// started within the same second build byte-identical blocks, and a chain
	// identical up to its head is indistinguishable from a lagging node.
	n2 := e2eStartAnvil(t, "--timestamp", "1700000000")
	deployer := e2eAccountFromHex(t, e2eAnvilKey0)
	r.cli.ok("deploy", "--rpc-url", n2.URL, "--private-key", deployer.Key)
	r.cli.ok("devnet", "fund", r.spot.Hex(), "--rpc-url", n2.URL, "--private-key", deployer.Key, "--eth", "10", "--wbtc", "0.5")
	r.cli.ok("devnet", "fund", r.signer.Addr.Hex(), "--rpc-url", n2.URL, "--private-key", deployer.Key, "--usdc", "100000")
	args := r.hedgeArgs()
	args[2] = n2.URL
	res := r.cli.ok(args...)
	if !strings.Contains(res.stderr, "journal: corrected") {
		t.Errorf("the rerun on the restarted chain did not correct the journal:\n%s", res)
	}
	ch2 := e2eNewChain(t, n2.URL)
	mined := 0
	for _, row := range r.journal() {
		if row.Outcome == "mined" {
			mined++
		}
	}
	if sent := ch2.nonce(r.signer.Addr); sent == 0 || uint64(mined) != sent {
		t.Errorf("journal says %d mined, the restarted chain has %d transactions from the signer", mined, sent)
	}
}
