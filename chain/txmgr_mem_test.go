package chain

// Unit tests of the transaction manager's outcomes against the in-memory
// chain (memchain_test.go): each runs in milliseconds.

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

type memRig struct {
	c      *memChain
	m      *TxManager
	j      *Journal
	signer *KeySigner
	mu     sync.Mutex
	events []string
	logs   []string
}

func newMemRig(t *testing.T, hook func(r *memRig, ev string, n uint64), edit func(*Config)) *memRig {
	t.Helper()
	key, _ := crypto.GenerateKey()
	r := &memRig{c: newMemChain(), signer: NewKeySigner(key)}
	j, err := OpenJournal(filepath.Join(t.TempDir(), "j.jsonl"), ChainIDAnvil, r.signer.Address())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	r.j = j
	cfg := Config{Backend: r.c, ChainID: r.c.chainID, Signer: r.signer, Journal: j, PollInterval: time.Millisecond, ReceiptTimeout: 5 * time.Second,
		ResubmitAfter: time.Hour, ReplacedAfter: time.Millisecond,
		Logf: func(f string, a ...any) { r.mu.Lock(); r.logs = append(r.logs, fmt.Sprintf(f, a...)); r.mu.Unlock() }}
	if edit != nil {
		edit(&cfg)
	}
	if r.m, err = NewTxManager(cfg); err != nil {
		t.Fatal(err)
	}
	r.m.hook = func(ev string, n uint64) {
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
		if hook != nil {
			hook(r, ev, n)
		}
	}
	return r
}

func (r *memRig) has(ev string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if e == ev {
			return true
		}
	}
	return false
}

func (r *memRig) send() (*types.Receipt, error) {
	to := common.HexToAddress("0x00000000000000000000000000000000000a0001")
	return r.m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1), Action: ActionMeta{Kind: "transfer"}})
}

func (r *memRig) outcome(t *testing.T) JournalEntry {
	t.Helper()
	recs, err := r.j.Records()
	if err != nil || len(recs) != 1 || recs[0].Outcome == nil {
		t.Fatalf("journal: %+v %v", recs, err)
	}
	return *recs[0].Outcome
}

func gweiInt(g float64) *big.Int { return big.NewInt(int64(g * 1e9)) }

// A transaction left unmined is replaced at its nonce with at least +10% on
// both caps; the replacement is what gets mined.
func TestMemBumpFees(t *testing.T) {
	r := newMemRig(t, nil, func(c *Config) { c.ResubmitAfter = time.Millisecond })
	r.c.mineFrom = 2 // the first send waits; the bump is mined
	rcpt, err := r.send()
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := r.j.Records()
	at := recs[0].Attempts
	if len(at) != 2 || at[1].Type != EntryBumped || rcpt.TxHash != common.HexToHash(at[1].Hash) {
		t.Fatalf("attempts %+v, mined %s", at, rcpt.TxHash.Hex())
	}
	for _, p := range [][2]string{{at[0].TipCapWei, at[1].TipCapWei}, {at[0].FeeCapWei, at[1].FeeCapWei}} {
		o, _ := new(big.Int).SetString(p[0], 10)
		n, _ := new(big.Int).SetString(p[1], 10)
		if n.Cmp(bump110(o)) < 0 {
			t.Errorf("bumped %s from %s: less than +10%%", n, o)
		}
	}
	if o := r.outcome(t); o.Outcome != OutcomeMined || o.MinedHash != at[1].Hash {
		t.Fatalf("outcome %+v", o)
	}
}

// At the maximum fee no bump is signed: the manager says so once and keeps
// waiting for the original.
func TestMemBumpStoppedByMaxFee(t *testing.T) {
	r := newMemRig(t, func(r *memRig, ev string, _ uint64) {
		if ev == "cap" {
			r.c.mine()
		}
	}, func(c *Config) { c.ResubmitAfter, c.MaxFeeCap = time.Millisecond, gweiInt(2.1) }) // exactly the first fee cap
	rcpt, err := r.send()
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := r.j.Records()
	if r.has("bump") || len(recs[0].Attempts) != 1 || rcpt.TxHash != common.HexToHash(recs[0].Attempts[0].Hash) {
		t.Fatalf("events %v, attempts %+v", r.events, recs[0].Attempts)
	}
	if len(r.logs) != 1 || !strings.Contains(r.logs[0], "would pass the maximum fee of 2.1 gwei") {
		t.Fatalf("logs %q", r.logs)
	}
}

// The original is mined while its bump is on the way: the node answers the
// bump with "nonce too low", and the manager finds the original's receipt.
func TestMemNonceTooLowAfterOriginalMined(t *testing.T) {
	r := newMemRig(t, func(r *memRig, ev string, _ uint64) {
		if ev == "bump" {
			r.c.mine()
		}
	}, func(c *Config) { c.ResubmitAfter = time.Millisecond })
	rcpt, err := r.send()
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := r.j.Records()
	if !r.has("nonce-too-low") || rcpt.TxHash != common.HexToHash(recs[0].Attempts[0].Hash) {
		t.Fatalf("events %v, mined %s, attempts %+v", r.events, rcpt.TxHash.Hex(), recs[0].Attempts)
	}
	if o := r.outcome(t); o.Outcome != OutcomeMined {
		t.Fatalf("outcome %+v", o)
	}
}

// Another wallet holding the key uses the nonce: the action did not happen.
func TestMemReplaced(t *testing.T) {
	var key = func(r *memRig) *KeySigner { return r.signer }
	r := newMemRig(t, func(r *memRig, ev string, n uint64) {
		if ev == "sent" {
			to := common.HexToAddress("0x00000000000000000000000000000000000a0099")
			tx, _ := key(r).SignTx(context.Background(), types.NewTx(&types.DynamicFeeTx{ChainID: r.c.chainID, Nonce: n,
				GasTipCap: gweiInt(1), GasFeeCap: gweiInt(5), Gas: 21000, To: &to, Value: big.NewInt(7)}), r.c.chainID)
			r.c.steal(tx)
		}
	}, nil)
	_, err := r.send()
	if err == nil || !strings.Contains(err.Error(), "was used by a transaction that is not one of ours") {
		t.Fatalf("err = %v", err)
	}
	if o := r.outcome(t); o.Outcome != OutcomeReplaced {
		t.Fatalf("outcome %+v", o)
	}
}

// The node forgets the transaction (restart, eviction): it is sent again,
// signed as it was, and mined.
func TestMemForgottenIsRebroadcast(t *testing.T) {
	r := newMemRig(t, func(r *memRig, ev string, _ uint64) {
		if ev == "sent" {
			r.c.forget()
		}
	}, nil)
	r.c.mineFrom = 2
	rcpt, err := r.send()
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := r.j.Records()
	if !r.has("rebroadcast") || len(recs[0].Attempts) != 1 || rcpt.TxHash != common.HexToHash(recs[0].Attempts[0].Hash) {
		t.Fatalf("events %v, attempts %+v", r.events, recs[0].Attempts)
	}
}

// The base fee rises past the transaction's fee cap and the node drops it,
// while --max-fee-gwei still allows more: it is signed again at its nonce
// with fees under the cap, and mined.
func TestMemDroppedByBaseFeeIsResigned(t *testing.T) {
	r := newMemRig(t, func(r *memRig, ev string, _ uint64) {
		if ev == "sent" {
			r.c.setBaseFee(3e9) // the first fee cap is 2.1 gwei
		}
	}, func(c *Config) { c.MaxFeeCap = gweiInt(10) })
	r.c.dropBelowBase = true
	r.c.mineFrom = 3 // the original, the refused rebroadcast, then the re-signed one
	rcpt, err := r.send()
	if err != nil {
		t.Fatalf("%v (events %v)", err, r.events)
	}
	recs, _ := r.j.Records()
	at := recs[0].Attempts
	if !r.has("resign") || len(at) != 2 || rcpt.TxHash != common.HexToHash(at[1].Hash) {
		t.Fatalf("events %v, attempts %+v", r.events, at)
	}
	if fc, _ := new(big.Int).SetString(at[1].FeeCapWei, 10); fc.Cmp(gweiInt(10)) > 0 || fc.Cmp(gweiInt(3)) < 0 {
		t.Fatalf("re-signed fee cap %s", fc)
	}
	if o := r.outcome(t); o.Outcome != OutcomeMined || *at[1].Nonce != *at[0].Nonce {
		t.Fatalf("outcome %+v", o)
	}
}

// Only a base fee above the user's cap stops it, with the sentence of old.
func TestMemDroppedByBaseFeeAboveCap(t *testing.T) {
	r := newMemRig(t, func(r *memRig, ev string, _ uint64) {
		if ev == "sent" {
			r.c.setBaseFee(3e9)
		}
	}, func(c *Config) { c.MaxFeeCap = gweiInt(2.5) })
	r.c.dropBelowBase = true
	_, err := r.send()
	if err == nil || !strings.Contains(err.Error(), "was dropped by the node and cannot be sent again") ||
		!strings.Contains(err.Error(), "the maximum fee 2.5 gwei is below the current base fee 3 gwei") {
		t.Fatalf("err = %v", err)
	}
	if o := r.outcome(t); o.Outcome != OutcomeDropped {
		t.Fatalf("outcome %+v", o)
	}
}

// A reorg takes the mined block away: the manager notices, sends the same
// signed transaction again and waits for the depth on the new chain.
func TestMemReorgRebroadcast(t *testing.T) {
	reorged := false
	r := newMemRig(t, func(r *memRig, ev string, n uint64) {
		if ev == "depth" && n == 1 {
			if !reorged {
				reorged = true
				r.c.reorg(1)
				return
			}
			r.c.mine() // one block on top: depth 2
		}
	}, func(c *Config) { c.Confirmations = 2 })
	r.c.mineFrom = 1
	rcpt, err := r.send()
	if err != nil {
		t.Fatal(err)
	}
	if !r.has("reorg") || !r.has("rebroadcast") {
		t.Fatalf("events %v", r.events)
	}
	h, _ := r.c.HeaderByNumber(context.Background(), rcpt.BlockNumber)
	if h.Hash() != rcpt.BlockHash {
		t.Fatal("receipt of a block that is not canonical")
	}
}

const marginErrorABI = `[{"type":"error","name":"InsufficientMargin","inputs":[{"name":"need","type":"uint256"}]}]`

// A transaction mined and reverted is reported as such, with the reason
// its replay where it ran gives, decoded with the known ABIs.
func TestMemMinedRevertedWithReason(t *testing.T) {
	a, err := abi.JSON(strings.NewReader(marginErrorABI))
	if err != nil {
		t.Fatal(err)
	}
	r := newMemRig(t, nil, func(c *Config) { c.ABIs = []*abi.ABI{&a} })
	to := common.HexToAddress("0x00000000000000000000000000000000000a0001")
	r.c.revertTo = &to
	r.c.revertData = append(a.Errors["InsufficientMargin"].ID.Bytes()[:4:4], common.LeftPadBytes([]byte{5}, 32)...)
	r.c.mineFrom = 1
	rcpt, err := r.send()
	var re *RevertError
	if !errors.As(err, &re) || !re.Mined || rcpt == nil || re.Hash != rcpt.TxHash {
		t.Fatalf("err = %v", err)
	}
	if want := "was sent and mined in block 1, and reverted: InsufficientMargin(need=5)"; !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %q, want %q", err, want)
	}
	if o := r.outcome(t); o.Outcome != OutcomeReverted {
		t.Fatalf("outcome %+v", o)
	}
}

// Custom errors quoted raw in a node's message are decoded, or hexed:
// never printed as bytes.
func TestCleanNodeTextCustomError(t *testing.T) {
	a, _ := abi.JSON(strings.NewReader(marginErrorABI))
	sel := a.Errors["InsufficientMargin"].ID.Bytes()[:4]
	raw := string(common.LeftPadBytes([]byte{7}, 32))
	got := CleanNodeText(fmt.Sprintf("execution reverted: custom error 0x%x: %s", sel, raw), &a)
	if got != "execution reverted: InsufficientMargin(need=7)" {
		t.Fatalf("known: %q", got)
	}
	got = CleanNodeText("execution reverted: custom error 0x69616b87: " + raw)
	if strings.ContainsRune(got, 0) || !strings.Contains(got, "custom error 0x69616b87 (data 0x"+strings.Repeat("0", 62)+"07)") {
		t.Fatalf("unknown: %q", got)
	}
	if got := CleanNodeText("odd \x00\x01 bytes"); got != `odd \x00\x01 bytes` {
		t.Fatalf("control bytes: %q", got)
	}
}

// Config is validated once, with defaults in one place.
func TestConfigValidation(t *testing.T) {
	c := newMemChain()
	sg := NewKeySigner(testKey)
	for _, bad := range []Config{
		{Signer: sg, ChainID: c.chainID},
		{Backend: c, ChainID: c.chainID},
		{Backend: c, Signer: sg},
		{Backend: c, Signer: sg, ChainID: c.chainID, ReceiptTimeout: time.Second, PollInterval: 2 * time.Second},
		{Backend: c, Signer: sg, ChainID: c.chainID, ResubmitAfter: -time.Second},
		{Backend: c, Signer: sg, ChainID: c.chainID, Confirmations: MaxConfirmations + 1},
		{Backend: c, Signer: sg, ChainID: c.chainID, MaxFeeCap: big.NewInt(0)},
		{Backend: c, Signer: sg, ChainID: c.chainID, GasHeadroomPct: 201},
	} {
		if _, err := NewTxManager(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
	cap := big.NewInt(5)
	m, err := NewTxManager(Config{Backend: c, Signer: sg, ChainID: c.chainID, MaxFeeCap: cap})
	if err != nil {
		t.Fatal(err)
	}
	cap.SetInt64(1) // the caller's value is copied
	got := m.Config()
	if got.MaxFeeCap.Int64() != 5 || got.ReceiptTimeout != DefaultReceiptTimeout || got.PollInterval != DefaultPollInterval ||
		got.ResubmitAfter != DefaultResubmitAfter || got.Confirmations != 1 || got.ReplacedAfter != devReplacedAfter ||
		got.GasHeadroomPct != DefaultGasHeadroomPct {
		t.Fatalf("defaults %+v", got)
	}
	if m, _ := NewTxManager(Config{Backend: c, Signer: sg, ChainID: big.NewInt(1)}); m.ConfirmationDepth() != DefaultConfirmations {
		t.Fatal("mainnet depth")
	}
}

// Refusals are typed: callers branch on the class and on ErrNothingSent,
// never on the text.
func TestMemRefusalClasses(t *testing.T) {
	other := common.HexToAddress("0x00000000000000000000000000000000000a0002")
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want RefusalClass
	}{
		{"recipient", func(c *Config) { c.Recipients = map[common.Address]bool{other: true} }, RefusedRecipient},
		{"fee-cap", func(c *Config) { c.MaxFeeCap = big.NewInt(1) }, RefusedFeeCap},
	} {
		r := newMemRig(t, nil, tc.edit)
		_, err := r.send()
		var ref *Refusal
		if !errors.Is(err, ErrNothingSent) || !errors.As(err, &ref) || ref.Class != tc.want || r.c.sends != 0 {
			t.Errorf("%s: err = %v (%T), sends %d", tc.name, err, err, r.c.sends)
		}
	}
	// A transaction that was sent is never "nothing sent", even when it failed.
	r := newMemRig(t, func(r *memRig, ev string, n uint64) {
		if ev == "sent" {
			to := common.HexToAddress("0x00000000000000000000000000000000000a0099")
			tx, _ := r.signer.SignTx(context.Background(), types.NewTx(&types.DynamicFeeTx{ChainID: r.c.chainID, Nonce: n,
				GasTipCap: gweiInt(1), GasFeeCap: gweiInt(5), Gas: 21000, To: &to}), r.c.chainID)
			r.c.steal(tx)
		}
	}, nil)
	if _, err := r.send(); err == nil || errors.Is(err, ErrNothingSent) {
		t.Fatalf("replaced: %v", err)
	}
}
