package main

// End-to-end reorg tests: a real `hedger hedge` on anvil while the block that
// holds its venue trade is dropped with anvil_reorg, once while the hedger is
// still waiting for confirmations and once after it returned at a shallow
// depth. Chain state is read straight from anvil; the hedger reaches it
// through a transparent faultrpc proxy only so the test can count its
// receipt polls.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/chain/faultrpc"
	"github.com/hedger/hedger/contracts"
)

// e2eReorgTx and e2eReorgBlock are the parts of eth_getBlockByNumber(n, true)
// the tests read.
type e2eReorgTx struct {
	Hash  common.Hash     `json:"hash"`
	From  common.Address  `json:"from"`
	To    *common.Address `json:"to"`
	Input hexutil.Bytes   `json:"input"`
}

type e2eReorgBlock struct {
	Number       hexutil.Uint64 `json:"number"`
	Hash         common.Hash    `json:"hash"`
	Transactions []e2eReorgTx   `json:"transactions"`
}

func e2eReorgGetBlock(ctx context.Context, ch *e2eChain, n uint64) (*e2eReorgBlock, error) {
	var b *e2eReorgBlock
	if err := ch.rc.CallContext(ctx, &b, "eth_getBlockByNumber", hexutil.EncodeUint64(n), true); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, fmt.Errorf("block %d not found", n)
	}
	return b, nil
}

// e2eModifyPositionSelector is the 4-byte selector of the venue's
// modifyPosition, the call of every trade.
func e2eModifyPositionSelector() []byte {
	return contracts.NewPerpVenue().PackModifyPosition(new(big.Int), new(big.Int), new(big.Int))[:4]
}

// isTrade reports whether tx is from's modifyPosition call on venue.
func e2eReorgIsTrade(tx e2eReorgTx, from, venue common.Address) bool {
	return tx.From == from && tx.To != nil && *tx.To == venue && len(tx.Input) >= 4 &&
		bytes.Equal(tx.Input[:4], e2eModifyPositionSelector())
}

// e2eReorgDrop replaces the top depth blocks with as many empty ones
// (anvil_reorg keeps the height; the dropped transactions leave the node).
func e2eReorgDrop(ctx context.Context, ch *e2eChain, depth uint64) error {
	return ch.rc.CallContext(ctx, nil, "anvil_reorg", depth, []any{})
}

// status is `status --json` for the rig's wallet and signer.
func (r *e2eJournalRig) status() e2eStatus {
	r.t.Helper()
	var st e2eStatus
	r.cli.okJSON(&st, "status", "--rpc-url", r.n.URL, "--wallet", r.spot.Hex(), "--from", r.signer.Addr.Hex(), "--json")
	return st
}

// e2eReorgCheckTarget checks that each asset's short is within band of its
// target and never above h·E·(1+band)/mark, with the policy the tests run
// (the defaults: h = 1, band = 0.05; status's hedge_ratio is the achieved
// ratio, not h).
func e2eReorgCheckTarget(t *testing.T, when string, st e2eStatus) {
	t.Helper()
	h, band := e2eD("1"), e2eD("0.05")
	for _, sym := range []string{"ETH", "BTC"} {
		a := st.asset(t, sym)
		short := a.ShortSize.Abs()
		ceiling := h.Mul(a.SpotValueUSD.Decimal).Mul(decimal.NewFromInt(1).Add(band)).Div(a.MarkPrice.Decimal)
		if !a.WithinBand || !a.TargetSize.IsPositive() || !e2eNear(short, a.TargetSize.Decimal, band.String()) ||
			!ceiling.IsPositive() || short.GreaterThan(ceiling) {
			t.Errorf("%s: %s short %s, target %s, ceiling h·E·(1+band)/mark %s, within band %v",
				when, sym, a.ShortSize, a.TargetSize, ceiling.StringFixed(8), a.WithinBand)
		}
	}
}

// e2eReorgDriver mines blocks for a hedger waiting for depth and drops the
// first block that holds the signer's trade once the hedger has seen it.
type e2eReorgDriver struct {
	ch     *e2eChain
	proxy  *faultrpc.Proxy
	signer common.Address
	venue  common.Address

	mu         sync.Mutex
	dropped    bool
	tradeHash  common.Hash // the trade whose block was dropped
	tradeBlock uint64
	oldHash    common.Hash // that block's hash before the reorg
	newHash    common.Hash // the empty block anvil put at that height
	depth      uint64      // blocks replaced
	polls      int         // the hedger's receipt polls seen while it waited
	mined      int         // evm_mine calls
	trades     []string    // every block a trade of the signer was seen in
	err        error
}

func (d *e2eReorgDriver) receiptPolls() int {
	return d.proxy.Stats().Calls["eth_getTransactionReceipt"]
}

func (d *e2eReorgDriver) run(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	fail := func(err error) {
		d.mu.Lock()
		if d.err == nil {
			d.err = err
		}
		d.mu.Unlock()
	}
	call := func(f func(ctx context.Context) error) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return f(ctx)
	}
	var last uint64
	if err := call(func(ctx context.Context) (err error) { last, err = d.ch.ec.BlockNumber(ctx); return }); err != nil {
		fail(err)
		return
	}
	lastMine := time.Now()
	for {
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
		var head uint64
		if err := call(func(ctx context.Context) (err error) { head, err = d.ch.ec.BlockNumber(ctx); return }); err != nil {
			fail(err)
			return
		}
		for n := last + 1; n <= head; n++ {
			var b *e2eReorgBlock
			if err := call(func(ctx context.Context) (err error) { b, err = e2eReorgGetBlock(ctx, d.ch, n); return }); err != nil {
				fail(err)
				return
			}
			for _, tx := range b.Transactions {
				if !e2eReorgIsTrade(tx, d.signer, d.venue) {
					continue
				}
				d.mu.Lock()
				d.trades = append(d.trades, fmt.Sprintf("%s@%d", tx.Hash.Hex()[:10], n))
				dropped := d.dropped
				d.mu.Unlock()
				if dropped {
					continue
				}
				if err := d.drop(stop, tx.Hash, b, call); err != nil {
					fail(err)
					return
				}
			}
			last = n
		}
		if time.Since(lastMine) >= 100*time.Millisecond {
			if err := call(func(ctx context.Context) error { return d.ch.rc.CallContext(ctx, nil, "evm_mine") }); err != nil {
				fail(err)
				return
			}
			d.mu.Lock()
			d.mined++
			d.mu.Unlock()
			lastMine = time.Now()
		}
	}
}

// drop waits until the hedger has read the trade's receipt (two more receipt
// polls through the proxy: its confirm loop is sequential, so the first of
// them was answered, with the receipt, before the second was sent), then
// replaces the trade's block and any above it with empty blocks.
func (d *e2eReorgDriver) drop(stop <-chan struct{}, hash common.Hash, b *e2eReorgBlock, call func(func(context.Context) error) error) error {
	base := d.receiptPolls()
	deadline := time.Now().Add(15 * time.Second)
	for d.receiptPolls() < base+2 {
		if time.Now().After(deadline) {
			return fmt.Errorf("the hedger did not poll the receipt of %s twice within 15s", hash.Hex())
		}
		select {
		case <-stop:
			return errors.New("the hedger exited before its trade's block was dropped")
		case <-time.After(10 * time.Millisecond):
		}
	}
	var head uint64
	if err := call(func(ctx context.Context) (err error) { head, err = d.ch.ec.BlockNumber(ctx); return }); err != nil {
		return err
	}
	depth := head - uint64(b.Number) + 1
	if err := call(func(ctx context.Context) error { return e2eReorgDrop(ctx, d.ch, depth) }); err != nil {
		return fmt.Errorf("anvil_reorg %d: %w", depth, err)
	}
	var nb *e2eReorgBlock
	if err := call(func(ctx context.Context) (err error) { nb, err = e2eReorgGetBlock(ctx, d.ch, uint64(b.Number)); return }); err != nil {
		return err
	}
	if nb.Hash == b.Hash || len(nb.Transactions) != 0 {
		return fmt.Errorf("anvil_reorg left block %d as it was (%s, %d txs)", b.Number, nb.Hash.Hex(), len(nb.Transactions))
	}
	d.mu.Lock()
	d.dropped, d.tradeHash, d.tradeBlock, d.oldHash, d.newHash, d.depth = true, hash, uint64(b.Number), b.Hash, nb.Hash, depth
	d.polls = d.receiptPolls() - base
	d.mu.Unlock()
	return nil
}

// e2eReorgCheckCanonical checks that hash has a successful receipt in a
// block that is canonical now, and returns that receipt's block.
func e2eReorgCheckCanonical(t *testing.T, ch *e2eChain, what string, hash common.Hash) (uint64, common.Hash) {
	t.Helper()
	rcpt, err := ch.ec.TransactionReceipt(e2eCtx(t), hash)
	if err != nil {
		t.Errorf("%s: receipt of %s: %v", what, hash.Hex(), err)
		return 0, common.Hash{}
	}
	if rcpt.Status != 1 {
		t.Errorf("%s: %s reverted", what, hash.Hex())
	}
	b, err := e2eReorgGetBlock(e2eCtx(t), ch, rcpt.BlockNumber.Uint64())
	if err != nil || b.Hash != rcpt.BlockHash {
		t.Errorf("%s: receipt of %s in block %d %s, canonical block there %v (%v)", what, hash.Hex(), rcpt.BlockNumber, rcpt.BlockHash.Hex(), b, err)
	}
	return rcpt.BlockNumber.Uint64(), rcpt.BlockHash
}

// A reorg drops the block holding a hedge trade: while the hedger waits for
// 3 confirmations it notices, rebroadcasts the same signed trade and returns
// only when it is 3 deep in the new chain, with the same position as a run
// without reorg. And when the block is dropped after the hedger returned at
// depth 1, a rerun trades again exactly once and ends at the target.
func TestE2EReorgHedge(t *testing.T) {
	e2eSkipIfShort(t)
	base := e2eNewJournalRig(t)
	var basePlan e2ePlan
	base.cli.okJSON(&basePlan, base.hedgeArgs("--json")...)
	wantETH, wantBTC := base.positions()
	baseTrades := 0
	for _, a := range basePlan.Actions {
		if a.Kind == "trade" {
			baseTrades++
		}
	}
	if !wantETH.IsNegative() || !wantBTC.IsNegative() || baseTrades != 2 {
		t.Fatalf("baseline hedge: ETH %s BTC %s, %d trades in %d actions", wantETH, wantBTC, baseTrades, len(basePlan.Actions))
	}
	t.Logf("baseline: %d actions, ETH %s BTC %s", len(basePlan.Actions), wantETH, wantBTC)

	t.Run("while-confirming", func(t *testing.T) {
		r := e2eNewJournalRig(t)
		venue := common.HexToAddress(r.book.Venue)
		p, err := faultrpc.New(r.n.URL, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		nonce0 := r.ch.nonce(r.signer.Addr)
		block0 := r.ch.block()

		args := r.hedgeArgs("--confirmations", "3", "--json")
		args[2] = p.URL() // --rpc-url through the (transparent) proxy
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, r.cli.bin, args...)
		cmd.Dir, cmd.Env = r.cli.workDir, r.cli.env(nil)
		cmd.WaitDelay = 5 * time.Second
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr

		d := &e2eReorgDriver{ch: e2eNewChain(t, r.n.URL), proxy: p, signer: r.signer.Addr, venue: venue}
		stop, done := make(chan struct{}), make(chan struct{})
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go d.run(stop, done)
		werr := cmd.Wait()
		took := time.Since(start)
		close(stop)
		<-done
		res := e2eResult{args: args, stdout: stdout.String(), stderr: stderr.String(), took: took}
		if ctx.Err() != nil {
			t.Fatalf("hedge timed out:\n%s", res)
		}
		var ee *exec.ExitError
		if errors.As(werr, &ee) {
			res.code = ee.ExitCode()
		} else if werr != nil {
			t.Fatalf("running hedger: %v", werr)
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.err != nil {
			t.Fatalf("chain driver: %v\n%s", d.err, res)
		}
		if !d.dropped {
			t.Fatalf("no trade block was dropped (trades seen %v):\n%s", d.trades, res)
		}
		t.Logf("dropped block %d (%s, holding trade %s) after %d receipt polls; anvil_reorg depth %d put empty block %s there; %d blocks mined by the test; trades seen %v; hedge took %s",
			d.tradeBlock, d.oldHash.Hex()[:10], d.tradeHash.Hex(), d.polls, d.depth, d.newHash.Hex()[:10], d.mined, d.trades, took.Round(time.Millisecond))
		if res.code != 0 {
			t.Fatalf("hedge through the reorg failed:\n%s", res)
		}
		var plan e2ePlan
		if err := json.NewDecoder(strings.NewReader(res.stdout)).Decode(&plan); err != nil {
			t.Fatalf("stdout is not the plan JSON (%v):\n%s", err, res)
		}
		for _, a := range plan.Actions {
			t.Logf("action %s %s %s tx %s", a.Kind, a.Asset, a.SizeDelta.String(), a.Tx)
		}

		// The hedger said what happened, naming the dropped trade.
		var notes []string
		for _, l := range strings.Split(res.stderr, "\n") {
			if strings.HasPrefix(l, "note: ") && strings.Contains(l, "reorg") {
				notes = append(notes, l)
			}
		}
		if len(notes) == 0 || !strings.Contains(strings.Join(notes, "\n"), d.tradeHash.Hex()) || !strings.Contains(res.stderr, "rebroadcast") {
			t.Errorf("stderr has no reorg/rebroadcast note for %s:\n%s", d.tradeHash.Hex(), res)
		}
		t.Logf("reorg notes:\n%s", strings.Join(notes, "\n"))

		// The same signed trade, mined again in the new chain, 3 deep.
		var tradeAction *e2eAction
		trades := 0
		for i, a := range plan.Actions {
			if a.Kind != "trade" {
				continue
			}
			trades++
			if common.HexToHash(a.Tx) == d.tradeHash {
				tradeAction = &plan.Actions[i]
			}
		}
		if tradeAction == nil || trades != baseTrades || len(plan.Actions) != len(basePlan.Actions) {
			t.Errorf("plan has %d actions (%d trades), baseline %d (%d); dropped trade %s among them: %v",
				len(plan.Actions), trades, len(basePlan.Actions), baseTrades, d.tradeHash.Hex(), tradeAction != nil)
		}
		r.ch.checkReceipts(plan.Actions)
		minedAt, minedHash := e2eReorgCheckCanonical(t, r.ch, "dropped trade", d.tradeHash)
		if minedHash == d.oldHash || minedAt <= d.tradeBlock {
			t.Errorf("trade %s is in block %d %s; it was dropped from block %d %s", d.tradeHash.Hex(), minedAt, minedHash.Hex(), d.tradeBlock, d.oldHash.Hex())
		}
		head := r.ch.block()
		t.Logf("trade re-mined in block %d; head %d (from %d at start)", minedAt, head, block0)
		// The hedger moved on only once the re-mined trade was 3 deep: its
		// next action was sent at a head of at least minedAt+2.
		for i, a := range plan.Actions {
			if common.HexToHash(a.Tx) != d.tradeHash || i+1 == len(plan.Actions) {
				continue
			}
			next, err := r.ch.ec.TransactionReceipt(e2eCtx(t), common.HexToHash(plan.Actions[i+1].Tx))
			if err != nil || next.BlockNumber.Uint64() < minedAt+3 {
				t.Errorf("next action %s mined in block %v (%v); the re-mined trade is in block %d: sent before 3 confirmations",
					plan.Actions[i+1].Kind, next, err, minedAt)
			} else {
				t.Logf("next action (%s %s) mined in block %d", plan.Actions[i+1].Kind, plan.Actions[i+1].Asset, next.BlockNumber)
			}
		}

		// Not doubled: exactly the baseline position, at the target.
		eth, btc := r.positions()
		if !eth.Equal(wantETH) || !btc.Equal(wantBTC) {
			t.Errorf("after the reorg ETH %s BTC %s; without reorg ETH %s BTC %s", eth, btc, wantETH, wantBTC)
		}
		e2eReorgCheckTarget(t, "after the reorg", r.status())
		if got := r.ch.nonce(r.signer.Addr); got != nonce0+uint64(len(plan.Actions)) {
			t.Errorf("nonce %d -> %d for %d actions", nonce0, got, len(plan.Actions))
		}

		// The journal: one record per action, all mined in canonical blocks;
		// the dropped trade's outcome names its new block.
		recs := chain.GroupJournal(r.rawJournal())
		if len(recs) != len(plan.Actions) {
			t.Errorf("journal has %d actions, hedge sent %d", len(recs), len(plan.Actions))
		}
		found := false
		for _, rec := range recs {
			if rec.Live() {
				t.Errorf("journal action %s (%s) has no outcome", rec.ID, rec.Intent.Kind)
				continue
			}
			o := rec.Outcome
			if o.Outcome != chain.OutcomeMined {
				t.Errorf("journal action %s (%s): outcome %s", rec.ID, rec.Intent.Kind, o.Outcome)
				continue
			}
			b, err := e2eReorgGetBlock(e2eCtx(t), r.ch, o.Block)
			if err != nil || b.Hash != common.HexToHash(o.BlockHash) {
				t.Errorf("journal action %s (%s): mined in block %d %s, not canonical (%v %v)", rec.ID, rec.Intent.Kind, o.Block, o.BlockHash, b, err)
			}
			if common.HexToHash(o.MinedHash) == d.tradeHash {
				found = true
				if rec.Intent.Kind != "trade" || o.Block != minedAt || common.HexToHash(o.BlockHash) != minedHash || len(rec.Attempts) != 1 {
					t.Errorf("journal of the dropped trade: %s, block %d %s, %d attempts; receipt in block %d %s",
						rec.Intent.Kind, o.Block, o.BlockHash, len(rec.Attempts), minedAt, minedHash.Hex())
				}
			}
		}
		if !found {
			t.Errorf("no journal outcome for the dropped trade %s", d.tradeHash.Hex())
		}
	})

	t.Run("after-return", func(t *testing.T) {
		r := e2eNewJournalRig(t)
		venue := common.HexToAddress(r.book.Venue)
		nonce0 := r.ch.nonce(r.signer.Addr)
		var plan e2ePlan
		r.cli.okJSON(&plan, r.hedgeArgs("--confirmations", "1", "--json")...)
		var last common.Hash
		for _, a := range plan.Actions {
			if a.Kind == "trade" {
				last = common.HexToHash(a.Tx)
			}
		}
		if last == (common.Hash{}) {
			t.Fatalf("first hedge sent no trade: %+v", plan.Actions)
		}
		rcpt, err := r.ch.ec.TransactionReceipt(e2eCtx(t), last)
		if err != nil {
			t.Fatal(err)
		}
		head := r.ch.block()
		from := rcpt.BlockNumber.Uint64()
		// Every signer transaction in the blocks about to be dropped.
		var gone []e2eReorgTx
		goneTrades := 0
		for n := from; n <= head; n++ {
			b, err := e2eReorgGetBlock(e2eCtx(t), r.ch, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range b.Transactions {
				if tx.From == r.signer.Addr {
					gone = append(gone, tx)
					if e2eReorgIsTrade(tx, r.signer.Addr, venue) {
						goneTrades++
					}
				}
			}
		}
		ethBefore, btcBefore := r.positions()
		if err := e2eReorgDrop(e2eCtx(t), r.ch, head-from+1); err != nil {
			t.Fatalf("anvil_reorg: %v", err)
		}
		ethDropped, btcDropped := r.positions()
		pendingBack := 0
		for _, tx := range gone {
			if _, _, err := r.ch.ec.TransactionByHash(e2eCtx(t), tx.Hash); err == nil {
				pendingBack++
			}
		}
		t.Logf("hedge returned at block %d after %d actions; dropped blocks %d..%d (%d signer txs, %d trades; %d known to the node after the reorg); ETH %s -> %s, BTC %s -> %s",
			head, len(plan.Actions), from, head, len(gone), goneTrades, pendingBack, ethBefore, ethDropped, btcBefore, btcDropped)
		if goneTrades == 0 || (ethDropped.Equal(ethBefore) && btcDropped.Equal(btcBefore)) {
			t.Fatalf("the reorg took no trade away")
		}

		var again e2ePlan
		res := r.cli.okJSON(&again, r.hedgeArgs("--json")...)
		reTrades := 0
		for _, a := range again.Actions {
			if a.Kind == "trade" {
				reTrades++
			}
		}
		r.ch.checkReceipts(again.Actions)
		t.Logf("rerun: %d actions (%d trades)\nstderr:\n%s", len(again.Actions), reTrades, res.stderr)
		switch {
		case pendingBack == 0 && reTrades != goneTrades:
			t.Errorf("the reorg dropped %d trade(s) from the node; the rerun traded %d times", goneTrades, reTrades)
		case pendingBack > 0 && pendingBack == len(gone) && len(again.Actions) != 0:
			t.Errorf("the node kept the dropped transactions; the rerun still sent %d", len(again.Actions))
		}

		eth, btc := r.positions()
		if !eth.Equal(wantETH) || !btc.Equal(wantBTC) {
			t.Errorf("after the reorg and a rerun ETH %s BTC %s; without reorg ETH %s BTC %s", eth, btc, wantETH, wantBTC)
		}
		e2eReorgCheckTarget(t, "after the rerun", r.status())
		sent := uint64(len(plan.Actions) - len(gone) + len(again.Actions))
		if got := r.ch.nonce(r.signer.Addr); got != nonce0+sent {
			t.Errorf("nonce %d -> %d; %d actions, %d dropped, %d resent", nonce0, got, len(plan.Actions), len(gone), len(again.Actions))
		}
		// A third run has nothing left to do.
		var third e2ePlan
		r.cli.okJSON(&third, r.hedgeArgs("--json")...)
		if len(third.Actions) != 0 {
			t.Errorf("third run sent %d actions", len(third.Actions))
		}
		// The rerun's actions are mined in canonical blocks in the journal.
		// Of the dropped trade it still says what it saw at the shallow
		// depth the user accepted; logged, not asserted.
		resent := map[common.Hash]bool{}
		for _, a := range again.Actions {
			resent[common.HexToHash(a.Tx)] = true
		}
		for _, rec := range chain.GroupJournal(r.rawJournal()) {
			if rec.Outcome == nil {
				t.Errorf("journal action %s (%s) has no outcome", rec.ID, rec.Intent.Kind)
				continue
			}
			o := rec.Outcome
			b, err := e2eReorgGetBlock(e2eCtx(t), r.ch, o.Block)
			canonical := err == nil && b.Hash == common.HexToHash(o.BlockHash)
			switch h := common.HexToHash(o.MinedHash); {
			case resent[h] && (o.Outcome != chain.OutcomeMined || !canonical):
				t.Errorf("journal of the rerun's %s %s: outcome %s in block %d %s, canonical %v", rec.Intent.Kind, h.Hex(), o.Outcome, o.Block, o.BlockHash, canonical)
			case h == last:
				t.Logf("journal of the dropped trade %s: outcome %s in block %d %s (canonical now: %v)", h.Hex(), o.Outcome, o.Block, o.BlockHash, canonical)
			}
		}
		var rows []e2eJournalRow
		r.cli.okJSON(&rows, "journal", "--from", r.signer.Addr.Hex(), "--json")
		for _, row := range rows {
			if row.Kind == "trade" {
				t.Logf("journal row: %s %s size %s fill %s tx %s %s block %d", row.Intent, row.Market, row.Size, row.FillPrice, row.Tx[:10], row.Outcome, row.Block)
			}
		}
	})
}
