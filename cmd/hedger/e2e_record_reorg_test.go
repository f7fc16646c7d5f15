package main

// A reorged trade in the hedge record: the hedge's transactions are mined,
// the chain is rolled back (evm_snapshot/evm_revert), three empty blocks
// are mined, and the very same signed transactions are sent again, so each
// lands in a later block than the journal recorded. The report lists the
// trade once, at its new block, marked corrected; the next sending run
// corrects the journal; the rebuild from chain logs gives the same record.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/record"
)

func TestE2ERecordReorgRemined(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartAnvil(t)
	cli := e2eNewCLI(t, n.URL)
	ch := e2eNewChain(t, n.URL)
	ctx := e2eCtx(t)
	with := func(args ...string) []string { return append(append([]string{}, args...), "--rpc-url", n.URL) }
	deployer, signer := e2eAccountFromHex(t, e2eAnvilKey0), e2eAccountFromHex(t, e2eAnvilKey1)
	W := e2eNewAccount(t).Addr.Hex()
	var book e2eBook
	cli.okJSON(&book, with("deploy", "--private-key", deployer.Key, "--json")...)
	cli.ok(with("devnet", "fund", W, "--private-key", deployer.Key, "--eth", "10")...)
	cli.ok(with("devnet", "fund", signer.Addr.Hex(), "--private-key", deployer.Key, "--usdc", "100000")...)
	venue := common.HexToAddress(book.Venue)

	var snap string
	if err := ch.rc.CallContext(ctx, &snap, "evm_snapshot"); err != nil {
		t.Fatal(err)
	}
	from := ch.block()
	cli.ok(with("hedge", "--wallet", W, "--private-key", signer.Key, "--yes")...)
	txs := e2eSignedTxs(t, ctx, ch, from, signer.Addr)
	trades := 0
	for _, m := range txs {
		if e2eReorgIsTrade(m.tx, signer.Addr, venue) {
			trades++
		}
	}
	if trades != 1 {
		t.Fatalf("the hedge mined %d trades (want the ETH one): %+v", trades, txs)
	}
	rcs := e2eRemine(t, ctx, ch, snap, txs)
	var tradeHash common.Hash
	var oldBlock, newBlock uint64
	for i, m := range txs {
		if e2eReorgIsTrade(m.tx, signer.Addr, venue) {
			tradeHash, oldBlock, newBlock = m.hash, m.block, rcs[i].BlockNumber.Uint64()
		}
	}
	t.Logf("trade %s mined in block %d, reorged out, re-mined in block %d", tradeHash.Hex(), oldBlock, newBlock)

	report := func(args ...string) *record.Report {
		t.Helper()
		var r record.Report
		cli.okJSON(&r, with(append([]string{"report", "--from", signer.Addr.Hex(), "--since", "0", "--json"}, args...)...)...)
		return &r
	}
	check := func(when string, r *record.Report, wantCorrected bool) {
		t.Helper()
		if !r.Reconciliation.Reconciled {
			t.Errorf("%s: %s", when, r.Reconciliation.Statement)
		}
		var got []record.Event
		for _, e := range r.Events {
			if e.Kind == record.KindTrade {
				got = append(got, e)
			}
		}
		if len(got) != 1 || got[0].Tx != tradeHash.Hex() || got[0].Block != newBlock || got[0].Corrected != wantCorrected ||
			wantCorrected && !strings.Contains(got[0].Note, "corrected: a reorg moved") {
			t.Errorf("%s: trades %+v; want one, %s at block %d, corrected %v", when, got, tradeHash.Hex(), newBlock, wantCorrected)
		}
	}
	// Before any sending run: the journal still names the old block; the
	// report says so and reports the trade where the chain has it.
	r0 := report()
	check("journal not yet corrected", r0, true)
	if s := strings.Join(r0.Mismatches, "\n"); !strings.Contains(s, "the journal records "+tradeHash.Hex()) {
		t.Errorf("no stale-journal check listed: %v", r0.Mismatches)
	}
	// A sending run reconciles the journal (nothing to trade: the short is there).
	cli.ok(with("hedge", "--wallet", W, "--private-key", signer.Key, "--yes")...)
	e2eJournalCorrected(t, cli, fmt.Sprint(n.ChainID), signer.Addr.Hex())
	r1 := report()
	check("journal corrected", r1, true)
	for _, m := range r1.Mismatches {
		if strings.Contains(m, "the journal records") {
			t.Errorf("journal and chain still disagree: %s", m)
		}
	}
	// The chain alone: the same events (it cannot know of the reorg).
	rb := report("--rebuild")
	check("rebuild", rb, false)
	if a, b := e2eRecordPlain(r1), e2eRecordPlain(rb); !bytes.Equal(a, b) {
		t.Errorf("--rebuild differs from the journal's report:\n%s\n%s", a, b)
	}
}

// TestE2ERecordGMXReorgRemined is the same on GMX v2 (anvil with the
// fixture): the hedge's transactions (approval, order) are mined and the
// keeper executes the order; the chain is rolled back (evm_snapshot /
// evm_revert) past both, three empty blocks are mined, the very same signed
// transactions are sent again, and the keeper executes the order again in
// the new branch, with its own new transaction. The report lists the trade
// once, the new execution, marked corrected (through the order's moved
// transaction); the next sending run corrects the journal; the rebuild
// from chain logs gives the same record.
func TestE2ERecordGMXReorgRemined(t *testing.T) {
	g := e2eStartGMX(t)
	ctx := e2eCtx(t)
	ch := g.chain
	var snap string
	if err := ch.rc.CallContext(ctx, &snap, "evm_snapshot"); err != nil {
		t.Fatal(err)
	}
	from := ch.block()
	keeper := g.startKeeper()
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("hedge:\n%s", r)
	}
	keeper.stop()
	// The execution: the block and transaction of the account's PositionIncrease.
	increase := func() (common.Hash, uint64) {
		t.Helper()
		a, _ := cgmx.EventEmitterMetaData.ParseABI()
		logs, err := ch.ec.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), Addresses: []common.Address{g.book.Contracts.EventEmitter},
			Topics: [][]common.Hash{{a.Events["EventLog1"].ID}, {crypto.Keccak256Hash([]byte("PositionIncrease"))}, {common.BytesToHash(g.trader.Addr.Bytes())}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(logs) != 1 {
			t.Fatalf("%d PositionIncrease logs of the account since block %d, want 1", len(logs), from)
		}
		return logs[0].TxHash, logs[0].BlockNumber
	}
	oldExec, oldExecBlock := increase()
	txs := e2eSignedTxs(t, ctx, ch, from, g.trader.Addr)
	var orderTx common.Hash
	for _, m := range txs {
		if m.tx.To != nil && *m.tx.To == g.book.Contracts.ExchangeRouter {
			orderTx = m.hash
		}
	}
	if orderTx == (common.Hash{}) || len(txs) != 2 {
		t.Fatalf("the hedge's transactions: %+v (want an approval and one order)", txs)
	}
	rcs := e2eRemine(t, ctx, ch, snap, txs)
	var oldOrderBlock, newOrderBlock uint64
	for i, m := range txs {
		if m.hash == orderTx {
			oldOrderBlock, newOrderBlock = m.block, rcs[i].BlockNumber.Uint64()
		}
	}
	// The order is pending again in the new branch; the keeper executes it again.
	if s := g.snap(); !g.shortETH(s).IsZero() {
		t.Fatalf("a short before the re-mined order was executed: %s", g.shortETH(s))
	}
	keeper = g.startKeeper()
	g.waitFor("the re-mined order executed", keeper, func(s *gmx.Snapshot) bool { return g.shortETH(s).Equal(decimal.NewFromInt(2)) })
	keeper.stop()
	newExec, newExecBlock := increase()
	if newExecBlock == oldExecBlock && newExec == oldExec {
		t.Fatalf("the execution did not move: %s at block %d", newExec.Hex(), newExecBlock)
	}
	t.Logf("order %s: block %d → %d; executed by %s at block %d, reorged out, again by %s at block %d",
		orderTx.Hex(), oldOrderBlock, newOrderBlock, oldExec.Hex(), oldExecBlock, newExec.Hex(), newExecBlock)

	acct := g.trader.Addr.Hex()
	report := func(args ...string) *record.Report {
		t.Helper()
		var r record.Report
		g.cli.okJSON(&r, g.args(append([]string{"report", "--from", acct, "--since", "0", "--json"}, args...)...)...)
		return &r
	}
	check := func(when string, r *record.Report, wantCorrected bool) {
		t.Helper()
		if !r.Reconciliation.Reconciled || len(r.OpenPositions) != 1 || !r.OpenPositions[0].Size.Equal(decimal.NewFromInt(-2)) {
			t.Errorf("%s: %s; open %+v", when, r.Reconciliation.Statement, r.OpenPositions)
		}
		var trades, deposits []record.Event
		for _, e := range r.Events {
			switch e.Kind {
			case record.KindTrade:
				trades = append(trades, e)
			case record.KindDeposit:
				deposits = append(deposits, e)
			}
		}
		if len(trades) != 1 || len(deposits) != 1 {
			t.Fatalf("%s: trades %+v deposits %+v; want one of each", when, trades, deposits)
		}
		for _, e := range []record.Event{trades[0], deposits[0]} {
			if e.Tx != newExec.Hex() || e.Block != newExecBlock || e.OrderTx != orderTx.Hex() || e.Corrected != wantCorrected ||
				wantCorrected && !strings.Contains(e.Note, "corrected: a reorg moved the order's transaction "+orderTx.Hex()) {
				t.Errorf("%s: %s %+v; want tx %s at block %d for order tx %s, corrected %v", when, e.Kind, e, newExec.Hex(), newExecBlock,
					orderTx.Hex(), wantCorrected)
			}
		}
	}
	r0 := report()
	check("journal not yet corrected", r0, true)
	if s := strings.Join(r0.Mismatches, "\n"); !strings.Contains(s, fmt.Sprintf("the journal records %s in block %d, the chain has it in block %d",
		orderTx.Hex(), oldOrderBlock, newOrderBlock)) {
		t.Errorf("no stale-journal check listed: %v", r0.Mismatches)
	}
	// A sending run reconciles the journal (nothing to trade: the short is there).
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("second hedge:\n%s", r)
	}
	e2eJournalCorrected(t, g.cli, "31337", acct)
	r1 := report()
	check("journal corrected", r1, true)
	if len(r1.Mismatches) > 0 {
		t.Errorf("journal corrected: %v", r1.Mismatches)
	}
	rb := report("--rebuild")
	check("rebuild", rb, false)
	if a, b := e2eRecordPlain(r1), e2eRecordPlain(rb); !bytes.Equal(a, b) {
		t.Errorf("--rebuild differs from the journal's report:\n%s\n%s", a, b)
	}
	t.Logf("report:\n%s", g.ok("report", "--from", acct, "--since", "0").stdout)
}

// e2eSignedTx is one of an account's transactions as mined, with its raw
// signed bytes (to send the very same transaction again after a rollback).
type e2eSignedTx struct {
	hash  common.Hash
	block uint64
	raw   hexutil.Bytes
	tx    e2eReorgTx
}

// e2eSignedTxs lists from's transactions in the blocks after block after.
func e2eSignedTxs(t *testing.T, ctx context.Context, ch *e2eChain, after uint64, from common.Address) []e2eSignedTx {
	t.Helper()
	var out []e2eSignedTx
	for b := after + 1; b <= ch.block(); b++ {
		blk, err := e2eReorgGetBlock(ctx, ch, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range blk.Transactions {
			if tx.From != from {
				continue
			}
			var raw hexutil.Bytes
			if err := ch.rc.CallContext(ctx, &raw, "eth_getRawTransactionByHash", tx.Hash); err != nil || len(raw) == 0 {
				t.Fatalf("raw transaction %s: %v", tx.Hash.Hex(), err)
			}
			out = append(out, e2eSignedTx{tx.Hash, b, raw, tx})
		}
	}
	return out
}

// e2eRemine rolls the chain back to snap (evm_revert), mines three empty
// blocks and sends txs again, each mined on arrival in a later block than
// before; it returns their new receipts, in order.
func e2eRemine(t *testing.T, ctx context.Context, ch *e2eChain, snap string, txs []e2eSignedTx) []*types.Receipt {
	t.Helper()
	var reverted bool
	if err := ch.rc.CallContext(ctx, &reverted, "evm_revert", snap); err != nil || !reverted {
		t.Fatalf("evm_revert: %v %v", reverted, err)
	}
	for i := 0; i < 3; i++ {
		if err := ch.rc.CallContext(ctx, nil, "evm_mine"); err != nil {
			t.Fatal(err)
		}
	}
	var rcs []*types.Receipt
	for _, m := range txs {
		var h common.Hash
		if err := ch.rc.CallContext(ctx, &h, "eth_sendRawTransaction", m.raw); err != nil {
			t.Fatalf("re-sending %s: %v", m.hash.Hex(), err)
		}
		var rc *types.Receipt
		var err error
		for i := 0; i < 50; i++ { // anvil mines on arrival, answering the send first
			if rc, err = ch.ec.TransactionReceipt(ctx, m.hash); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			var pool any
			ch.rc.CallContext(ctx, &pool, "txpool_content")
			t.Fatalf("re-mined %s (sent as %s): %v; pool %v", m.hash.Hex(), h.Hex(), err, pool)
		}
		if rc.Status != types.ReceiptStatusSuccessful || rc.BlockNumber.Uint64() == m.block {
			t.Fatalf("%s re-mined with status %d in block %d (was in block %d)", m.hash.Hex(), rc.Status, rc.BlockNumber.Uint64(), m.block)
		}
		rcs = append(rcs, rc)
	}
	return rcs
}

// e2eRecordPlain is a report's events, totals, reconciliation and open
// positions without the reorg marks a rebuild from chain logs cannot know.
func e2eRecordPlain(r *record.Report) []byte {
	evs := append([]record.Event(nil), r.Events...)
	for i := range evs {
		evs[i].Corrected, evs[i].Note = false, ""
	}
	b, _ := json.Marshal([]any{evs, r.Totals, r.Reconciliation, r.OpenPositions})
	return b
}

// e2eJournalCorrected checks that a sending run wrote the reorg's move
// into the account's journal.
func e2eJournalCorrected(t *testing.T, cli *e2eCLI, chainID, account string) {
	t.Helper()
	jb, err := os.ReadFile(cli.dataDir + "/journal/" + chainID + "-" + account + ".jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(jb, []byte("moved by a reorg")) {
		t.Errorf("the journal was not corrected:\n%s", jb)
	}
}
