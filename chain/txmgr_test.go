package chain

// Transaction manager tests on real nodes: the embedded simulated chain and
// anvil (fee bumps need a mempool that holds a transaction, reorgs need
// evm_snapshot/evm_revert). Assertions count events and blocks, never time.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// anvil account #0 of the default mnemonic.
const anvilKey0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

// anvilBin finds anvil: $ANVIL_BIN, PATH, then the npm package the README
// installs (provisioned here when missing). Under CI=true a missing anvil
// fails the test; elsewhere it skips.
var anvilInstall sync.Mutex

func anvilBin(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ANVIL_BIN"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("ANVIL_BIN=%s: %v", p, err)
		}
		return p
	}
	if p, err := exec.LookPath("anvil"); err == nil {
		return p
	}
	root, _ := filepath.Abs("..")
	p := filepath.Join(root, "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
	anvilInstall.Lock()
	defer anvilInstall.Unlock()
	if fileExists(p) {
		return p
	}
	cmd := exec.Command("npm", "--prefix", "contracts", "ci", "--no-audit", "--no-fund")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err == nil && fileExists(p) {
		return p
	}
	msg := fmt.Sprintf("anvil not found and `npm --prefix contracts ci` did not provide it (%v): %s", err, out)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startAnvil runs anvil on a free port and dials it.
func startAnvil(t *testing.T, extra ...string) *Client {
	t.Helper()
	bin := anvilBin(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, append([]string{"--host", "127.0.0.1", "--port", fmt.Sprint(port), "--silent"}, extra...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for i := 0; ; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := Dial(ctx, url, DialOptions{})
		cancel()
		if err == nil {
			t.Cleanup(c.Close)
			return c
		}
		if i > 150 {
			t.Fatalf("anvil did not answer: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func anvilSigner(t *testing.T) (*KeySigner, *ecdsa.PrivateKey) {
	t.Helper()
	k, err := crypto.HexToECDSA(anvilKey0)
	if err != nil {
		t.Fatal(err)
	}
	return NewKeySigner(k), k
}

func openTestJournal(t *testing.T, c *Client, a common.Address) *Journal {
	t.Helper()
	j, err := OpenJournal(JournalPath(t.TempDir(), c.ChainID.Uint64(), a), c.ChainID.Uint64(), a)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

// events counts what the manager's loop reports through its test hook.
type events struct {
	mu sync.Mutex
	n  map[string]int
	on func(ev string, n uint64, count int)
}

func (e *events) hook(ev string, n uint64) {
	e.mu.Lock()
	if e.n == nil {
		e.n = map[string]int{}
	}
	e.n[ev]++
	c := e.n[ev]
	e.mu.Unlock()
	if e.on != nil {
		e.on(ev, n, c)
	}
}

func (e *events) count(ev string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n[ev]
}

func rpcCall(t *testing.T, c *Client, out any, method string, args ...any) {
	t.Helper()
	if err := c.CallContext(context.Background(), out, method, args...); err != nil {
		t.Errorf("%s: %v", method, err)
	}
}

func entriesOf(t *testing.T, j *Journal, typ string) []JournalEntry {
	t.Helper()
	es, err := j.Entries()
	if err != nil {
		t.Fatal(err)
	}
	var out []JournalEntry
	for _, e := range es {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// A send writes intent, signed (on disk before the node sees the
// transaction) and outcome, with the caller's metadata and the fee paid.
func TestTxJournalEmbedded(t *testing.T) {
	emb, m := newChain(t, false)
	m.cfg.Journal = openTestJournal(t, emb.Client, m.Address())
	to := common.HexToAddress("0x00000000000000000000000000000000000a0003")
	signedBeforeSend := false
	m.cfg.Sent = func(h common.Hash) {
		for _, e := range entriesOf(t, m.cfg.Journal, EntrySigned) {
			if e.Hash == h.Hex() {
				signedBeforeSend = true
			}
		}
	}
	meta := ActionMeta{Kind: "trade", Intent: "hedge", Market: "ETH", Size: "-1", Price: "2000", Notional: "2000", Description: "short 1 ETH"}
	rcpt, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1), Action: meta})
	if err != nil {
		t.Fatal(err)
	}
	if !signedBeforeSend {
		t.Error("the signed line was not in the journal when the node accepted the transaction")
	}
	recs, err := m.cfg.Journal.Records()
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %+v %v", recs, err)
	}
	r := recs[0]
	if r.Intent.ActionMeta != meta || r.Intent.To != to.Hex() || r.Intent.ChainID != 1337 || r.Intent.Account != m.Address().Hex() {
		t.Errorf("intent %+v", r.Intent)
	}
	if len(r.Attempts) != 1 || r.Attempts[0].Hash != rcpt.TxHash.Hex() || r.Attempts[0].FeeCapWei == "" || r.Attempts[0].Gas == 0 {
		t.Errorf("attempts %+v", r.Attempts)
	}
	o := r.Outcome
	fee := new(big.Int).Mul(rcpt.EffectiveGasPrice, new(big.Int).SetUint64(rcpt.GasUsed))
	if o == nil || o.Outcome != OutcomeMined || o.Block != rcpt.BlockNumber.Uint64() || o.GasUsed != rcpt.GasUsed || o.FeePaidWei != fee.String() {
		t.Errorf("outcome %+v", o)
	}
	raw, _ := os.ReadFile(m.cfg.Journal.Path())
	if strings.Contains(string(raw), "raw") || strings.Contains(strings.ToLower(string(raw)), "private") {
		t.Errorf("journal holds something it should not:\n%s", raw)
	}
}

// Send returns only at the confirmation depth: it saw depths 1 and 2 and
// went on waiting.
func TestTxConfirmationsEmbedded(t *testing.T) {
	emb, m := newChain(t, false)
	m.cfg.Confirmations, m.cfg.PollInterval = 3, 10*time.Millisecond
	var depths []uint64
	ev := &events{on: func(e string, n uint64, _ int) {
		if e == "depth" {
			depths = append(depths, n)
			if n < 3 {
				emb.Backend.Commit()
			}
		}
	}}
	m.hook = ev.hook
	to := common.HexToAddress("0x00000000000000000000000000000000000a0004")
	rcpt, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(depths) != "[1 2 3]" {
		t.Errorf("depths seen %v, want [1 2 3]", depths)
	}
	head, _ := emb.BlockNumber(context.Background())
	if head != rcpt.BlockNumber.Uint64()+2 {
		t.Errorf("returned with head %d, receipt block %d", head, rcpt.BlockNumber)
	}
	if testTx(Config{Backend: emb.Client, Signer: NewKeySigner(testKey)}).ConfirmationDepth() != 1 {
		t.Error("dev chain default depth is not 1")
	}
}

func TestBumpFees(t *testing.T) {
	b := big.NewInt
	tip, fc, ok := bumpFees(b(100), b(1000), b(50), b(900), nil)
	if !ok || tip.Int64() != 110 || fc.Int64() != 1100 {
		t.Errorf("plain bump: %v %v %v", tip, fc, ok)
	}
	tip, fc, ok = bumpFees(b(100), b(1000), b(300), b(2000), nil)
	if !ok || tip.Int64() != 300 || fc.Int64() != 2000 {
		t.Errorf("suggestion above +10%%: %v %v %v", tip, fc, ok)
	}
	tip, fc, ok = bumpFees(b(100), b(1000), b(300), b(2000), b(1500))
	if !ok || tip.Int64() != 300 || fc.Int64() != 1500 {
		t.Errorf("held to the cap: %v %v %v", tip, fc, ok)
	}
	if _, _, ok = bumpFees(b(100), b(1000), b(1), b(1), b(1099)); ok {
		t.Error("a bump below +10% was allowed because of the cap")
	}
	tip, _, _ = bumpFees(b(7), b(1000), b(1), b(1), nil)
	if tip.Int64() != 8 { // 7.7 rounds up
		t.Errorf("rounding: tip %v", tip)
	}
	if p, ok := bumpPrice(b(1000), b(1), b(1200)); !ok || p.Int64() != 1100 {
		t.Errorf("legacy: %v %v", p, ok)
	}
	if _, ok := bumpPrice(b(1000), b(1), b(1050)); ok {
		t.Error("legacy bump past the cap allowed")
	}
}

// A maximum fee below the base fee refuses before signing: nothing is
// journaled as signed and the nonce does not move.
func TestTxMaxFeeBelowBaseFee(t *testing.T) {
	emb, m := newChain(t, false)
	m.cfg.Journal = openTestJournal(t, emb.Client, m.Address())
	m.cfg.MaxFeeCap = big.NewInt(1)
	to := common.HexToAddress("0x00000000000000000000000000000000000a0005")
	_, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err == nil || !strings.Contains(err.Error(), "below the current base fee") || !strings.Contains(err.Error(), "nothing sent") {
		t.Fatalf("err = %v", err)
	}
	if n := len(entriesOf(t, m.cfg.Journal, EntrySigned)); n != 0 {
		t.Errorf("%d signed lines", n)
	}
	if n, _ := emb.PendingNonceAt(context.Background(), m.Address()); n != 0 {
		t.Errorf("nonce moved to %d", n)
	}
}

// A journal entry still live at the node's next nonce blocks a send (its
// nonce would be reused); reconcile settles it as dropped and then sends work.
func TestTxNonceGuardAndReconcileDropped(t *testing.T) {
	emb, m := newChain(t, false)
	m.cfg.Journal = openTestJournal(t, emb.Client, m.Address())
	m.cfg.ReceiptTimeout = 20 * time.Second
	n := uint64(0)
	m.cfg.Journal.Append(JournalEntry{Type: EntryIntent, ID: "old", ActionMeta: ActionMeta{Kind: "trade"}})
	m.cfg.Journal.Append(JournalEntry{Type: EntrySigned, ID: "old", Hash: common.HexToHash("0xdead").Hex(), Nonce: &n})
	to := common.HexToAddress("0x00000000000000000000000000000000000a0006")
	_, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err == nil || !strings.Contains(err.Error(), "unresolved") {
		t.Fatalf("err = %v", err)
	}
	sum, err := m.Reconcile(context.Background())
	if err != nil || sum.Dropped != 1 || sum.Total() != 1 {
		t.Fatalf("reconcile %+v %v", sum, err)
	}
	if !strings.Contains(sum.String(), "1 dropped") {
		t.Errorf("summary %q", sum)
	}
	if _, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)}); err != nil {
		t.Fatal(err)
	}
	if sum, _ := m.Reconcile(context.Background()); sum.Total() != 0 {
		t.Errorf("second reconcile resolved %d", sum.Total())
	}
}

// A transaction that sits unmined is replaced with at least +10% on both
// caps; the user's maximum fee stops further bumps (said once), and the
// replacement is what gets mined.
func TestTxFeeBumpAnvil(t *testing.T) {
	c := startAnvil(t, "--no-mining")
	sg, _ := anvilSigner(t)
	m := testTx(Config{Backend: c, Signer: sg, ResubmitAfter: time.Nanosecond, PollInterval: 20 * time.Millisecond})
	m.cfg.Journal = openTestJournal(t, c, sg.Address())
	sug, err := m.SuggestFees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m.cfg.MaxFeeCap = new(big.Int).Div(new(big.Int).Mul(sug.FeeCap, big.NewInt(115)), big.NewInt(100))
	var logs []string
	m.cfg.Logf = func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }
	ev := &events{on: func(e string, _ uint64, n int) {
		if e == "cap" && n == 1 {
			rpcCall(t, c, nil, "evm_mine")
		}
	}}
	m.hook = ev.hook
	to := common.HexToAddress("0x00000000000000000000000000000000000a0007")
	rcpt, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	signed, bumped := entriesOf(t, m.cfg.Journal, EntrySigned), entriesOf(t, m.cfg.Journal, EntryBumped)
	if len(signed) != 1 || len(bumped) != 1 || ev.count("bump") != 1 || ev.count("cap") != 1 {
		t.Fatalf("signed %d, bumped %d, bump events %d, cap events %d", len(signed), len(bumped), ev.count("bump"), ev.count("cap"))
	}
	dec := func(s string) *big.Int { v, _ := new(big.Int).SetString(s, 10); return v }
	if dec(bumped[0].TipCapWei).Cmp(bump110(dec(signed[0].TipCapWei))) < 0 || dec(bumped[0].FeeCapWei).Cmp(bump110(dec(signed[0].FeeCapWei))) < 0 {
		t.Errorf("bump below +10%%: %+v -> %+v", signed[0], bumped[0])
	}
	if dec(bumped[0].FeeCapWei).Cmp(m.cfg.MaxFeeCap) > 0 {
		t.Errorf("bumped fee cap %s above the maximum %s", bumped[0].FeeCapWei, m.cfg.MaxFeeCap)
	}
	if rcpt.TxHash.Hex() != bumped[0].Hash {
		t.Errorf("mined %s, want the replacement %s", rcpt.TxHash.Hex(), bumped[0].Hash)
	}
	tx, _, err := c.TransactionByHash(context.Background(), rcpt.TxHash)
	if err != nil || tx.GasFeeCap().Cmp(m.cfg.MaxFeeCap) > 0 {
		t.Errorf("mined tx fee cap %v (max %s) %v", tx, m.cfg.MaxFeeCap, err)
	}
	capLines := 0
	for _, l := range logs {
		if strings.Contains(l, "would pass the maximum fee") {
			capLines++
		}
	}
	if capLines != 1 {
		t.Errorf("%d cap notices, want 1: %q", capLines, logs)
	}
}

// The first version is mined while its fee bump is on the way: the bump
// meets "nonce too low" and the send succeeds with the first hash.
func TestTxNonceTooLowAfterEarlierMinedAnvil(t *testing.T) {
	c := startAnvil(t, "--no-mining")
	sg, _ := anvilSigner(t)
	m := testTx(Config{Backend: c, Signer: sg, ResubmitAfter: time.Nanosecond, PollInterval: 20 * time.Millisecond})
	m.cfg.Journal = openTestJournal(t, c, sg.Address())
	ev := &events{on: func(e string, _ uint64, n int) {
		if e == "bump" && n == 1 {
			rpcCall(t, c, nil, "evm_mine") // mines the first version before the bump reaches the node
		}
	}}
	m.hook = ev.hook
	to := common.HexToAddress("0x00000000000000000000000000000000000a0008")
	rcpt, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	signed := entriesOf(t, m.cfg.Journal, EntrySigned)
	if ev.count("nonce-too-low") != 1 || rcpt.TxHash.Hex() != signed[0].Hash {
		t.Errorf("nonce-too-low events %d; mined %s, first %s", ev.count("nonce-too-low"), rcpt.TxHash.Hex(), signed[0].Hash)
	}
	out := entriesOf(t, m.cfg.Journal, EntryOutcome)
	if len(out) != 1 || out[0].Outcome != OutcomeMined || out[0].MinedHash != signed[0].Hash {
		t.Errorf("outcome %+v", out)
	}
}

// Another transaction of the account's own key takes our nonce: the
// manager says replaced, journals it and reports an error.
func TestTxReplacedAnvil(t *testing.T) {
	c := startAnvil(t, "--no-mining")
	sg, key := anvilSigner(t)
	m := testTx(Config{Backend: c, Signer: sg, ResubmitAfter: time.Hour, PollInterval: 20 * time.Millisecond})
	m.cfg.Journal = openTestJournal(t, c, sg.Address())
	var other common.Hash
	ev := &events{on: func(e string, nonce uint64, n int) {
		if e != "sent" || n != 1 {
			return
		}
		fees, _ := m.SuggestFees(context.Background())
		to := common.HexToAddress("0x00000000000000000000000000000000000a0099")
		tx, _ := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: c.ChainID, Nonce: nonce,
			GasTipCap: new(big.Int).Mul(fees.TipCap, big.NewInt(3)), GasFeeCap: new(big.Int).Mul(fees.FeeCap, big.NewInt(3)),
			Gas: 21000, To: &to, Value: big.NewInt(2)}), types.LatestSignerForChainID(c.ChainID), key)
		if err := c.SendTransaction(context.Background(), tx); err != nil {
			t.Errorf("replacing: %v", err)
		}
		other = tx.Hash()
		rpcCall(t, c, nil, "evm_mine")
	}}
	m.hook = ev.hook
	to := common.HexToAddress("0x00000000000000000000000000000000000a0009")
	_, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err == nil || !strings.Contains(err.Error(), "not one of ours") {
		t.Fatalf("err = %v", err)
	}
	if r, rerr := c.TransactionReceipt(context.Background(), other); rerr != nil || r.Status != 1 {
		t.Fatalf("the other transaction was not mined: %v", rerr)
	}
	out := entriesOf(t, m.cfg.Journal, EntryOutcome)
	if len(out) != 1 || out[0].Outcome != OutcomeReplaced || ev.count("replaced") != 1 {
		t.Errorf("outcome %+v, replaced events %d", out, ev.count("replaced"))
	}
	// The head at which "replaced" was concluded is recorded (apply's
	// freshness check refuses a plan from an older state), and the
	// conclusion rested on several polls.
	if head, _ := c.BlockNumber(context.Background()); len(out) == 1 && (out[0].HeadBlock == 0 || out[0].HeadBlock > head) {
		t.Errorf("replaced outcome head block %d (head %d)", out[0].HeadBlock, head)
	}
	if n := ev.count("replaced-poll"); n < replacedPolls {
		t.Errorf("replaced after %d polls, want at least %d", n, replacedPolls)
	}
}

// A reorg drops the block holding our transaction before it is deep enough:
// the manager notices, rebroadcasts the signed transaction it kept in memory,
// and returns only once that transaction is 3 blocks deep in the new chain.
func TestTxReorgAnvil(t *testing.T) {
	c := startAnvil(t)
	sg, _ := anvilSigner(t)
	m := testTx(Config{Backend: c, Signer: sg, Confirmations: 3, ResubmitAfter: time.Hour, PollInterval: 20 * time.Millisecond})
	m.cfg.Journal = openTestJournal(t, c, sg.Address())
	var snap hexutil.Big
	rpcCall(t, c, &snap, "evm_snapshot")
	rpcCall(t, c, nil, "evm_mine") // the block of the snapshot is not the one reverted to
	reverted := false
	var firstBlock common.Hash
	ev := &events{on: func(e string, depth uint64, _ int) {
		if e != "depth" {
			return
		}
		if !reverted && depth == 2 {
			// Our transaction is one block deep under another: drop both.
			reverted = true
			h, _ := c.HeaderByNumber(context.Background(), nil)
			firstBlock = h.ParentHash
			var ok bool
			rpcCall(t, c, &ok, "evm_revert", &snap)
			return
		}
		if depth < 3 {
			rpcCall(t, c, nil, "evm_mine")
		}
	}}
	m.hook = ev.hook
	before, _ := c.PendingNonceAt(context.Background(), sg.Address())
	to := common.HexToAddress("0x00000000000000000000000000000000000a000a")
	rcpt, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	if !reverted || ev.count("reorg") < 1 {
		t.Fatalf("reverted %v, reorg events %d", reverted, ev.count("reorg"))
	}
	if rcpt.BlockHash == firstBlock {
		t.Errorf("receipt still points at the reverted block %s", firstBlock.Hex())
	}
	h, err := c.HeaderByNumber(context.Background(), rcpt.BlockNumber)
	if err != nil || h.Hash() != rcpt.BlockHash {
		t.Fatalf("receipt block %s not canonical (%v)", rcpt.BlockHash.Hex(), err)
	}
	head, _ := c.BlockNumber(context.Background())
	if head < rcpt.BlockNumber.Uint64()+2 {
		t.Errorf("returned at head %d, receipt block %d: not 3 deep", head, rcpt.BlockNumber)
	}
	if after, _ := c.NonceAt(context.Background(), sg.Address(), nil); after != before+1 {
		t.Errorf("nonce %d -> %d", before, after)
	}
	signed := entriesOf(t, m.cfg.Journal, EntrySigned)
	if rcpt.TxHash.Hex() != signed[0].Hash {
		t.Errorf("mined %s, signed %s", rcpt.TxHash.Hex(), signed[0].Hash)
	}
	t.Logf("reorg events %d, rebroadcasts %d", ev.count("reorg"), ev.count("rebroadcast"))
}

// TestMain runs crashChild instead of the tests when the crash test starts
// this binary as the process to kill.
func TestMain(m *testing.M) {
	if os.Getenv("HEDGER_CRASH_CHILD_RPC") != "" {
		crashChild()
		return
	}
	os.Exit(m.Run())
}

// crashChild is the process the crash test kills: it sends one transfer
// with HEDGER_TEST_CRASH set, so it SIGKILLs itself at that point.
func crashChild() {
	fail := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "crash child: "+format+"\n", args...)
		os.Exit(3)
	}
	c, err := Dial(context.Background(), os.Getenv("HEDGER_CRASH_CHILD_RPC"), DialOptions{})
	if err != nil {
		fail("%v", err)
	}
	k, err := crypto.HexToECDSA(anvilKey0)
	if err != nil {
		fail("%v", err)
	}
	sg := NewKeySigner(k)
	// The release build has no crash hook (crash.go); this test binary
	// installs the one a -tags hedger_crashtest build reads from the env.
	crashHook = func(point string) {
		if point == os.Getenv("HEDGER_TEST_CRASH") {
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				_ = p.Kill()
			}
			select {}
		}
	}
	j, err := OpenJournal(os.Getenv("HEDGER_CRASH_CHILD_JOURNAL"), c.ChainID.Uint64(), sg.Address())
	if err != nil {
		fail("%v", err)
	}
	m := testTx(Config{Backend: c, Signer: sg, Journal: j, PollInterval: 20 * time.Millisecond})
	to := common.HexToAddress("0x00000000000000000000000000000000000a000b")
	_, err = m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1), Action: ActionMeta{Kind: "transfer"}})
	fail("not killed at %s: %v", os.Getenv("HEDGER_TEST_CRASH"), err)
}

// A process SIGKILLed at each crash point leaves a journal that Reconcile
// settles: dropped before the send (and the nonce stays free), mined after
// it; a nonce taken by another transaction meanwhile is "replaced".
func TestCrashReconcileAnvil(t *testing.T) {
	c := startAnvil(t)
	sg, key := anvilSigner(t)
	for _, tc := range []struct {
		point, want string
		steal       bool // send another tx at the nonce before reconciling
	}{
		{"before-send", OutcomeDropped, false},
		{"after-send", OutcomeMined, false},
		{"after-receipt", OutcomeMined, false},
		{"before-send", OutcomeReplaced, true},
	} {
		t.Run(tc.point+"-"+tc.want, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "j.jsonl")
			before, _ := c.NonceAt(context.Background(), sg.Address(), nil)
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "HEDGER_CRASH_CHILD_RPC="+c.URL, "HEDGER_CRASH_CHILD_JOURNAL="+path,
				"HEDGER_TEST_CRASH="+tc.point)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child was not SIGKILLed (%v):\n%s", err, out)
			}
			if tc.steal {
				to := common.HexToAddress("0x00000000000000000000000000000000000a0098")
				fees, _ := testTx(Config{Backend: c, Signer: sg}).SuggestFees(context.Background())
				tx, _ := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: c.ChainID, Nonce: before, GasTipCap: fees.TipCap,
					GasFeeCap: fees.FeeCap, Gas: 21000, To: &to, Value: big.NewInt(3)}), types.LatestSignerForChainID(c.ChainID), key)
				if err := c.SendTransaction(context.Background(), tx); err != nil {
					t.Fatal(err)
				}
			}
			// The dead process's lock is gone with it.
			j, err := OpenJournal(path, c.ChainID.Uint64(), sg.Address())
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			recs, _ := j.Records()
			if len(recs) != 1 || !recs[0].Live() || len(recs[0].Attempts) != 1 {
				t.Fatalf("journal after the crash: %+v", recs)
			}
			m := testTx(Config{Backend: c, Signer: sg, Journal: j, PollInterval: 20 * time.Millisecond})
			sum, err := m.Reconcile(context.Background())
			if err != nil || sum.Total() != 1 {
				t.Fatalf("reconcile %+v %v", sum, err)
			}
			recs, _ = j.Records()
			if o := recs[0].Outcome; o == nil || o.Outcome != tc.want || o.ResolvedBy != "reconcile" {
				t.Fatalf("outcome %+v, want %s", o, tc.want)
			}
			after, _ := c.NonceAt(context.Background(), sg.Address(), nil)
			wantNonce := before + 1
			if tc.want == OutcomeDropped {
				wantNonce = before
			}
			if after != wantNonce {
				t.Errorf("nonce %d -> %d, want %d", before, after, wantNonce)
			}
			if sum, _ := m.Reconcile(context.Background()); sum.Total() != 0 {
				t.Errorf("second reconcile resolved %d", sum.Total())
			}
		})
	}
}

// lossyProxy forwards JSON-RPC to target; the first eth_sendRawTransaction
// is answered with a 502, after forwarding it (the node took the
// transaction, the client never heard) or without (the node never saw it).
func lossyProxy(t *testing.T, target string, forward bool) string {
	t.Helper()
	var mu sync.Mutex
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		lose := !hit && bytes.Contains(body, []byte("eth_sendRawTransaction"))
		if lose {
			hit = true
		}
		mu.Unlock()
		if lose && !forward {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		resp, err := http.Post(target, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if lose {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// A send whose answer is lost is not a failure: the manager waits for the
// transaction (forwarded case) or sends it again (lost request), so the
// action happens exactly once and the journal says mined.
func TestTxLostSendAnswerAnvil(t *testing.T) {
	node := startAnvil(t)
	for _, forward := range []bool{true, false} {
		t.Run(fmt.Sprintf("forwarded=%v", forward), func(t *testing.T) {
			c, err := Dial(context.Background(), lossyProxy(t, node.URL, forward), DialOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sg, _ := anvilSigner(t)
			m := testTx(Config{Backend: c, Signer: sg, PollInterval: 20 * time.Millisecond})
			m.cfg.Journal = openTestJournal(t, c, sg.Address())
			ev := &events{}
			m.hook = ev.hook
			before, _ := node.NonceAt(context.Background(), sg.Address(), nil)
			to := common.HexToAddress("0x00000000000000000000000000000000000a000c")
			rcpt, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
			if err != nil {
				t.Fatal(err)
			}
			after, _ := node.NonceAt(context.Background(), sg.Address(), nil)
			if after != before+1 || ev.count("send-unknown") != 1 {
				t.Errorf("nonce %d -> %d, send-unknown events %d", before, after, ev.count("send-unknown"))
			}
			if !forward && ev.count("rebroadcast") < 1 {
				t.Errorf("a request the node never saw was not sent again")
			}
			out := entriesOf(t, m.cfg.Journal, EntryOutcome)
			if len(out) != 1 || out[0].Outcome != OutcomeMined || out[0].MinedHash != rcpt.TxHash.Hex() {
				t.Errorf("outcome %+v", out)
			}
		})
	}
}

// With Recipients set, a transaction to any other address (or a contract
// creation) is refused before signing: no journal line, no nonce used.
func TestTxRecipientsAllowlist(t *testing.T) {
	emb, m := newChain(t, false)
	m.cfg.Journal = openTestJournal(t, emb.Client, m.Address())
	venue := common.HexToAddress("0x00000000000000000000000000000000000a0010")
	other := common.HexToAddress("0x00000000000000000000000000000000000a0011")
	m.cfg.Recipients = map[common.Address]bool{venue: true}
	for _, to := range []*common.Address{&other, nil} {
		_, err := m.Send(context.Background(), TxRequest{To: to, Value: big.NewInt(1)})
		if err == nil || !strings.Contains(err.Error(), "not a contract in the address book; nothing sent") {
			t.Fatalf("to %v: err = %v", to, err)
		}
	}
	if recs, _ := m.cfg.Journal.Records(); len(recs) != 0 {
		t.Errorf("journal has %d records for refused sends", len(recs))
	}
	if n, _ := emb.PendingNonceAt(context.Background(), m.Address()); n != 0 {
		t.Fatalf("nonce moved to %d", n)
	}
	if _, err := m.Send(context.Background(), TxRequest{To: &venue, Value: big.NewInt(1)}); err != nil {
		t.Fatalf("allowed recipient: %v", err)
	}
}

// rewriteProxy forwards JSON-RPC to target; fn may answer a call itself
// (return a non-nil raw answer or status >= 400) instead of, or after,
// forwarding it (forward() sends it to the node and returns its answer).
func rewriteProxy(t *testing.T, target string, fn func(method string, id json.RawMessage, forward func() []byte) (answer []byte, status int)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fwd := func() []byte {
			resp, err := http.Post(target, "application/json", bytes.NewReader(body))
			if err != nil {
				return nil
			}
			defer resp.Body.Close()
			out, _ := io.ReadAll(resp.Body)
			return out
		}
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		var ans []byte
		status := 0
		if json.Unmarshal(body, &req) == nil && req.Method != "" {
			ans, status = fn(req.Method, req.ID, fwd)
		}
		if status >= 400 {
			http.Error(w, "bad gateway", status)
			return
		}
		if ans == nil {
			ans = fwd()
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(ans)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func rpcResult(id json.RawMessage, result string) []byte {
	return []byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":%s}`, id, result))
}

func rpcErrorAnswer(id json.RawMessage, msg string) []byte {
	return []byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"error":{"code":-32000,"message":%q}}`, id, msg))
}

// A load-balanced endpoint whose receipt index lags (the nonce is counted,
// the receipt is not found for a while) is not taken for "replaced": the
// manager waits for more evidence and settles mined. Before, two polls
// 20-50 ms apart concluded "replaced" for a transaction that was mined.
func TestTxReplacedNeedsEvidenceAnvil(t *testing.T) {
	node := startAnvil(t)
	var mu sync.Mutex
	lagging := 0
	url := rewriteProxy(t, node.URL, func(method string, id json.RawMessage, _ func() []byte) ([]byte, int) {
		mu.Lock()
		defer mu.Unlock()
		if method == "eth_getTransactionReceipt" && lagging > 0 {
			lagging--
			return rpcResult(id, "null"), 0
		}
		return nil, 0
	})
	c, err := Dial(context.Background(), url, DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sg, key := anvilSigner(t)
	to := common.HexToAddress("0x00000000000000000000000000000000000a0020")

	t.Run("send", func(t *testing.T) {
		m := testTx(Config{Backend: c, Signer: sg, PollInterval: 20 * time.Millisecond})
		m.cfg.Journal = openTestJournal(t, c, sg.Address())
		ev := &events{}
		m.hook = ev.hook
		mu.Lock()
		lagging = 12
		mu.Unlock()
		rcpt, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
		if err != nil {
			t.Fatalf("send: %v (replaced-polls %d)", err, ev.count("replaced-poll"))
		}
		out := entriesOf(t, m.cfg.Journal, EntryOutcome)
		if len(out) != 1 || out[0].Outcome != OutcomeMined || out[0].MinedHash != rcpt.TxHash.Hex() || ev.count("replaced") != 0 {
			t.Errorf("outcome %+v, replaced events %d", out, ev.count("replaced"))
		}
		if ev.count("replaced-poll") < replacedPolls {
			t.Errorf("the lag was seen on %d polls only", ev.count("replaced-poll"))
		}
	})
	t.Run("reconcile", func(t *testing.T) {
		// An earlier run journaled and sent a transaction that was mined;
		// this run's reconcile sees its receipt late.
		nonce, _ := node.PendingNonceAt(context.Background(), sg.Address())
		fees, _ := testTx(Config{Backend: node, Signer: sg}).SuggestFees(context.Background())
		tx, _ := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: node.ChainID, Nonce: nonce, GasTipCap: fees.TipCap,
			GasFeeCap: fees.FeeCap, Gas: 21000, To: &to, Value: big.NewInt(1)}), types.LatestSignerForChainID(node.ChainID), key)
		m := testTx(Config{Backend: c, Signer: sg, PollInterval: 20 * time.Millisecond})
		m.cfg.Journal = openTestJournal(t, c, sg.Address())
		m.cfg.Journal.Append(JournalEntry{Type: EntryIntent, ID: "old", ActionMeta: ActionMeta{Kind: "trade"}})
		m.cfg.Journal.Append(attemptEntry(EntrySigned, "old", tx))
		if err := node.SendTransaction(context.Background(), tx); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		lagging = 12
		mu.Unlock()
		sum, err := m.Reconcile(context.Background())
		if err != nil || sum.Mined != 1 || sum.Total() != 1 {
			t.Fatalf("reconcile %+v %v", sum, err)
		}
		recs, _ := m.cfg.Journal.Records()
		if o := recs[0].Outcome; o == nil || o.Outcome != OutcomeMined || o.MinedHash != tx.Hash().Hex() {
			t.Errorf("outcome %+v", o)
		}
	})
}

// A refusal of the first send is final only when the node definitely does
// not have the transaction. A "nonce too low" or a JSON-RPC error whose
// lookup then fails (the node took the transaction; the answers were lost
// or wrong) goes on to the receipt loop and ends mined; a definite refusal
// of a transaction the node does not have (insufficient funds) fails at once
// with the node's reason.
func TestTxAmbiguousRejectionAnvil(t *testing.T) {
	node := startAnvil(t)
	for _, tc := range []struct {
		name, answer string
		forward      bool   // the node gets the transaction
		lookupFails  bool   // eth_getTransactionByHash answers 502
		want         string // outcome
	}{
		{"nonce-too-low-lookup-fails", "nonce too low", true, true, OutcomeMined},
		{"rejection-lookup-fails", "internal error: upstream timeout", true, true, OutcomeMined},
		{"insufficient-funds", "insufficient funds for gas * price + value", false, false, OutcomeFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			sends := 0
			url := rewriteProxy(t, node.URL, func(method string, id json.RawMessage, forward func() []byte) ([]byte, int) {
				mu.Lock()
				defer mu.Unlock()
				switch {
				case method == "eth_sendRawTransaction" && sends == 0:
					sends++
					if tc.forward {
						forward()
					}
					return rpcErrorAnswer(id, tc.answer), 0
				case method == "eth_getTransactionByHash" && tc.lookupFails:
					return nil, http.StatusBadGateway
				}
				return nil, 0
			})
			c, err := Dial(context.Background(), url, DialOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sg, _ := anvilSigner(t)
			m := testTx(Config{Backend: c, Signer: sg, PollInterval: 20 * time.Millisecond, ReceiptTimeout: 30 * time.Second})
			m.cfg.Journal = openTestJournal(t, c, sg.Address())
			before, _ := node.NonceAt(context.Background(), sg.Address(), nil)
			to := common.HexToAddress("0x00000000000000000000000000000000000a0021")
			_, err = m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
			after, _ := node.NonceAt(context.Background(), sg.Address(), nil)
			out := entriesOf(t, m.cfg.Journal, EntryOutcome)
			if len(out) != 1 || out[0].Outcome != tc.want {
				t.Fatalf("outcome %+v (err %v), want %s", out, err, tc.want)
			}
			if tc.want == OutcomeMined {
				if err != nil || after != before+1 {
					t.Errorf("err %v, nonce %d -> %d", err, before, after)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "insufficient funds") || after != before {
				t.Errorf("err %v, nonce %d -> %d", err, before, after)
			}
		})
	}
}

// Reconcile re-checks settled outcomes near the head: a mined transaction
// whose block a reorg took away after the run returned is corrected, by a
// new last outcome line, to dropped (nonce free again), mined in its new
// block (sent again), or replaced (another transaction took the nonce).
func TestReconcileReorgAfterReturnAnvil(t *testing.T) {
	c := startAnvil(t)
	sg, key := anvilSigner(t)
	for _, tc := range []struct {
		name, want, note string
		after            func(t *testing.T, mined *types.Transaction)
	}{
		{"dropped", OutcomeDropped, "reorged out", nil},
		{"moved", OutcomeMined, "moved by a reorg", func(t *testing.T, tx *types.Transaction) {
			if err := c.SendTransaction(context.Background(), tx); err != nil {
				t.Fatal(err)
			}
		}},
		{"replaced", OutcomeReplaced, "reorged out", func(t *testing.T, tx *types.Transaction) {
			to := common.HexToAddress("0x00000000000000000000000000000000000a0097")
			fees, _ := testTx(Config{Backend: c, Signer: sg}).SuggestFees(context.Background())
			other, _ := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: c.ChainID, Nonce: tx.Nonce(), GasTipCap: fees.TipCap,
				GasFeeCap: fees.FeeCap, Gas: 21000, To: &to, Value: big.NewInt(3)}), types.LatestSignerForChainID(c.ChainID), key)
			if err := c.SendTransaction(context.Background(), other); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := testTx(Config{Backend: c, Signer: sg, Confirmations: 1, PollInterval: 20 * time.Millisecond})
			m.cfg.Journal = openTestJournal(t, c, sg.Address())
			to := common.HexToAddress("0x00000000000000000000000000000000000a0022")
			rcpt, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1), Action: ActionMeta{Kind: "trade"}})
			if err != nil {
				t.Fatal(err)
			}
			tx, _, err := c.TransactionByHash(context.Background(), rcpt.TxHash)
			if err != nil {
				t.Fatal(err)
			}
			if sum, err := m.Reconcile(context.Background()); err != nil || sum.Total() != 0 {
				t.Fatalf("reconcile before the reorg: %+v %v", sum, err)
			}
			rpcCall(t, c, nil, "anvil_reorg", 1, []any{})
			if _, err := c.TransactionReceipt(context.Background(), rcpt.TxHash); err == nil {
				t.Fatal("anvil_reorg kept the transaction: this anvil does not drop a block's transactions, so the test proves nothing")
			}
			if _, _, err := c.TransactionByHash(context.Background(), rcpt.TxHash); err == nil {
				t.Fatal("anvil_reorg put the transaction back in the pool: this anvil does not drop it, so the test proves nothing")
			}
			if tc.after != nil {
				tc.after(t, tx)
			}
			sum, err := m.Reconcile(context.Background())
			if err != nil || sum.Corrected != 1 || sum.Total() != 1 {
				t.Fatalf("reconcile after the reorg: %+v %v", sum, err)
			}
			if !strings.Contains(sum.String(), "corrected") {
				t.Errorf("summary %q", sum)
			}
			recs, _ := m.cfg.Journal.Records()
			o := recs[0].Outcome
			if o == nil || o.Outcome != tc.want || o.ResolvedBy != "reconcile" || !strings.Contains(o.Note, tc.note) {
				t.Fatalf("current outcome %+v, want %s (%s)", o, tc.want, tc.note)
			}
			if tc.want == OutcomeMined {
				h, err := c.HeaderByNumber(context.Background(), new(big.Int).SetUint64(o.Block))
				if err != nil || h.Hash().Hex() != o.BlockHash || o.BlockHash == rcpt.BlockHash.Hex() || o.MinedHash != rcpt.TxHash.Hex() {
					t.Errorf("corrected outcome %+v not in its new canonical block (%v)", o, err)
				}
			}
			if n := len(entriesOf(t, m.cfg.Journal, EntryOutcome)); n != 2 {
				t.Errorf("%d outcome lines, want 2 (the first kept, a correction appended)", n)
			}
			if sum, _ := m.Reconcile(context.Background()); sum.Total() != 0 {
				t.Errorf("third reconcile resolved %+v", sum)
			}
		})
	}
}

// journalMined appends a settled "mined" action at block with blockHash and
// nonce, as an earlier run (on this chain or another) would have written it.
func journalMined(t *testing.T, j *Journal, id string, nonce, block uint64, blockHash common.Hash) {
	t.Helper()
	hash := common.BytesToHash([]byte(id)).Hex()
	for _, e := range []JournalEntry{
		{Type: EntryIntent, ID: id, ActionMeta: ActionMeta{Kind: "trade", Intent: "hedge"}},
		{Type: EntrySigned, ID: id, Hash: hash, Nonce: &nonce, Gas: 21000},
		{Type: EntryOutcome, ID: id, Outcome: OutcomeMined, MinedHash: hash, Block: block, BlockHash: blockHash.Hex()},
	} {
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
}

// Reconcile does not write off a mined outcome recorded above the node's
// head (a lagging node cannot tell); but once a lower recorded block proves
// the node is on another chain (a reorg, or a dev chain restarted under the
// same chain ID), the entries above its head are corrected too.
func TestReconcileLaggingNodeVersusOtherChain(t *testing.T) {
	emb, m := newChain(t, false)
	m.cfg.Journal = openTestJournal(t, emb.Client, m.Address())
	ctx := context.Background()
	head, err := emb.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	journalMined(t, m.cfg.Journal, "ahead", 0, head+5, common.HexToHash("0xaa"))
	sum, err := m.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := m.cfg.Journal.Records()
	if sum.Corrected != 0 || recs[0].Outcome.Outcome != OutcomeMined {
		t.Fatalf("an entry above a lagging node's head was corrected: %+v, now %s", sum, recs[0].Outcome.Outcome)
	}

	// Block 0 of this chain has another hash than the journal's: the journal
	// was written on another chain, so both entries are written off.
	journalMined(t, m.cfg.Journal, "below", 1, 0, common.HexToHash("0xbb"))
	sum, err = m.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ = m.cfg.Journal.Records()
	if sum.Corrected != 2 {
		t.Fatalf("corrected %d, want 2 (%+v)", sum.Corrected, sum)
	}
	for _, r := range recs {
		if r.Outcome.Outcome != OutcomeDropped || r.Outcome.HeadBlock == 0 && head > 0 {
			t.Errorf("%s: now %+v, want dropped at the node's head", r.ID, r.Outcome)
		}
	}
}

// Errors written to the journal keep a URL's scheme and host only: an RPC
// provider's API key in the path never reaches the file.
func TestJournalRedactsURLs(t *testing.T) {
	emb, m := newChain(t, false)
	m.cfg.Journal = openTestJournal(t, emb.Client, m.Address())
	m.journalOutcome(JournalEntry{ID: "x", Outcome: OutcomeFailed,
		Error: `Post "https://mainnet.example.io/v3/0123456789abcdef": context deadline exceeded`})
	raw, err := os.ReadFile(m.cfg.Journal.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "0123456789abcdef") || !strings.Contains(string(raw), "https://mainnet.example.io/") {
		t.Fatalf("journal line: %s", raw)
	}
}
