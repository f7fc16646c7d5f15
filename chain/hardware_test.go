package chain

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/usbwallet"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/hid"
)

// fakeDevice is an accounts.Wallet that behaves like go-ethereum v1.17.10's
// usbwallet wallet with its Ledger or Trezor driver, down to the error texts:
//
//   - Ledger: the driver strips the APDU status word of every reply without
//     looking at it, so any refusal by the device (user denied 0x6985, blind
//     signing off 0x6a80, locked 0x5515, app closed 0x6e00) surfaces as
//     "reply lacks signature" when signing and "reply lacks public key entry"
//     when deriving; an app that was not open at Open leaves the driver
//     "offline": Status "Ethereum app offline", SignTx accounts.ErrWalletClosed.
//     Typed transactions below app 1.9.0 fail before the device is asked.
//   - Trezor: every transaction is sent as a legacy EthereumSignTx with the
//     chain ID cast to uint32; the device shows it, and after confirmation the
//     driver applies the signature with an EIP155Signer, which fails for typed
//     transactions with types.ErrTxTypeNotSupported. Cancels come back as
//     "trezor: " + the firmware's Failure message.
type fakeDevice struct {
	kind HardwareKind
	seed byte

	mu         sync.Mutex
	opened     bool
	appVersion [3]byte // Ledger Ethereum app at Open; zero: app not open then
	offline    bool    // Ledger: app was not open at Open (driver version stays zero)
	locked     bool    // Ledger: locked now (0x5515)
	appClosed  bool    // Ledger: app closed after Open (0x6e00)
	blind      bool    // Ledger: blind signing enabled
	action     string  // "confirm" (default), "reject" or "hang"
	release    chan struct{}
	pin        string // Trezor PIN; "" = none
	pinWait    bool
	pinned     map[common.Address]accounts.DerivationPath
	shown      []*types.Transaction // what the device displayed
}

func newFakeLedger(version [3]byte) *fakeDevice {
	return &fakeDevice{kind: Ledger, seed: 1, appVersion: version, blind: true}
}

func newFakeTrezor() *fakeDevice { return &fakeDevice{kind: Trezor, seed: 2} }

func (d *fakeDevice) key(path accounts.DerivationPath) *ecdsa.PrivateKey {
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte{d.seed}, []byte(path.String())))
	return k
}

func (d *fakeDevice) addr(path accounts.DerivationPath) common.Address {
	return crypto.PubkeyToAddress(d.key(path).PublicKey)
}

func (d *fakeDevice) set(f func(d *fakeDevice)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(d)
}

func (d *fakeDevice) shownCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.shown)
}

func (d *fakeDevice) URL() accounts.URL {
	return accounts.URL{Scheme: string(d.kind), Path: "fake"}
}

func (d *fakeDevice) Status() (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.opened {
		return "Closed", nil
	}
	if d.kind == Trezor {
		if d.pinWait {
			return "Trezor v1.12.1 'fake' waiting for PIN", nil
		}
		return "Trezor v1.12.1 'fake' online", nil
	}
	if d.offline {
		return "Ethereum app offline", nil
	}
	v := d.appVersion
	return fmt.Sprintf("Ethereum app v%d.%d.%d online", v[0], v[1], v[2]), nil
}

func (d *fakeDevice) Open(passphrase string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pinned != nil {
		return accounts.ErrWalletAlreadyOpen
	}
	d.opened = true
	if d.kind == Ledger {
		// The driver's Open never fails on a closed app or a locked device:
		// its first derivation fails and it stays offline.
		d.offline = d.appVersion == [3]byte{} || d.locked
	} else if d.pin != "" {
		if passphrase == "" {
			d.pinWait = true
			return usbwallet.ErrTrezorPINNeeded
		}
		d.pinWait = false
		if passphrase != d.pin {
			return errors.New("trezor: PIN invalid")
		}
	}
	d.pinned = map[common.Address]accounts.DerivationPath{}
	return nil
}

func (d *fakeDevice) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.opened, d.pinned = false, nil
	return nil
}

func (d *fakeDevice) Accounts() []accounts.Account { return nil }
func (d *fakeDevice) Contains(a accounts.Account) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.pinned[a.Address]
	return ok
}

func (d *fakeDevice) Derive(path accounts.DerivationPath, pin bool) (accounts.Account, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.opened {
		return accounts.Account{}, accounts.ErrWalletClosed
	}
	if d.kind == Ledger && (d.offline || d.locked || d.appClosed) {
		return accounts.Account{}, errors.New("reply lacks public key entry") // status word stripped
	}
	a := accounts.Account{Address: d.addr(path), URL: accounts.URL{Scheme: string(d.kind), Path: "fake/" + path.String()}}
	if pin {
		d.pinned[a.Address] = path
	}
	return a, nil
}

func (d *fakeDevice) SelfDerive([]accounts.DerivationPath, ethereum.ChainStateReader) {}
func (d *fakeDevice) SignData(accounts.Account, string, []byte) ([]byte, error) {
	return nil, accounts.ErrNotSupported
}
func (d *fakeDevice) SignDataWithPassphrase(accounts.Account, string, string, []byte) ([]byte, error) {
	return nil, accounts.ErrNotSupported
}
func (d *fakeDevice) SignText(accounts.Account, []byte) ([]byte, error) {
	return nil, accounts.ErrNotSupported
}
func (d *fakeDevice) SignTextWithPassphrase(accounts.Account, string, []byte) ([]byte, error) {
	return nil, accounts.ErrNotSupported
}
func (d *fakeDevice) SignTxWithPassphrase(a accounts.Account, _ string, tx *types.Transaction, id *big.Int) (*types.Transaction, error) {
	return d.SignTx(a, tx, id)
}

// userDecision shows tx and waits for the simulated user: true = confirmed.
func (d *fakeDevice) userDecision(tx *types.Transaction) bool {
	d.mu.Lock()
	d.shown = append(d.shown, tx)
	action, release := d.action, d.release
	d.mu.Unlock()
	switch action {
	case "reject":
		return false
	case "hang": // the device waits; the user finally rejects it
		<-release
		return false
	}
	return true
}

func (d *fakeDevice) SignTx(account accounts.Account, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	d.mu.Lock()
	if !d.opened {
		d.mu.Unlock()
		return nil, accounts.ErrWalletClosed
	}
	path, ok := d.pinned[account.Address]
	if !ok {
		d.mu.Unlock()
		return nil, accounts.ErrUnknownAccount
	}
	key := d.key(path)
	d.mu.Unlock()
	var sender common.Address
	var signed *types.Transaction
	var err error
	if d.kind == Ledger {
		sender, signed, err = d.ledgerSign(key, tx, chainID)
	} else {
		sender, signed, err = d.trezorSign(key, tx, chainID)
	}
	if err != nil {
		return nil, err
	}
	if sender != account.Address { // usbwallet wallet.SignTx
		return nil, fmt.Errorf("signer mismatch: expected %s, got %s", account.Address.Hex(), sender.Hex())
	}
	return signed, nil
}

func (d *fakeDevice) ledgerSign(key *ecdsa.PrivateKey, tx *types.Transaction, chainID *big.Int) (common.Address, *types.Transaction, error) {
	d.mu.Lock()
	v, offline, locked, closed, blind := d.appVersion, d.offline, d.locked, d.appClosed, d.blind
	d.mu.Unlock()
	if offline {
		return common.Address{}, nil, accounts.ErrWalletClosed
	}
	if tx.Type() == types.DynamicFeeTxType || tx.Type() == types.AccessListTxType {
		if v[0] < 1 || (v[0] == 1 && v[1] < 9) {
			return common.Address{}, nil, fmt.Errorf("Ledger version >= 1.9.0 required for EIP-2930/EIP-1559 signing (found version v%d.%d.%d)", v[0], v[1], v[2])
		}
	}
	var sw uint16
	switch {
	case locked:
		sw = 0x5515
	case closed:
		sw = 0x6e00
	case len(tx.Data()) > 0 && !blind:
		sw = 0x6a80
	case !d.userDecision(tx):
		sw = 0x6985
	default:
		sw = 0x9000
	}
	if sw != 0x9000 {
		// ledgerExchange returns reply[:len(reply)-2] without checking the
		// status word: an empty reply, and ledgerSign then says:
		return common.Address{}, nil, errors.New("reply lacks signature")
	}
	signer := types.LatestSignerForChainID(chainID)
	signed, err := types.SignTx(tx, signer, key)
	if err != nil {
		return common.Address{}, nil, err
	}
	sender, err := types.Sender(signer, signed)
	return sender, signed, err
}

func (d *fakeDevice) trezorSign(key *ecdsa.PrivateKey, tx *types.Transaction, chainID *big.Int) (common.Address, *types.Transaction, error) {
	if !d.userDecision(tx) {
		return common.Address{}, nil, errors.New("trezor: Action cancelled by user") // Trezor One firmware text
	}
	// The firmware signs a legacy transaction for the uint32 chain ID the
	// driver sent, with GasPrice() (the fee cap for typed transactions).
	id := new(big.Int).SetUint64(uint64(uint32(chainID.Int64())))
	legacy := types.NewTx(&types.LegacyTx{Nonce: tx.Nonce(), GasPrice: tx.GasPrice(), Gas: tx.Gas(), To: tx.To(), Value: tx.Value(), Data: tx.Data()})
	sig, err := crypto.Sign(types.NewEIP155Signer(id).Hash(legacy).Bytes(), key)
	if err != nil {
		return common.Address{}, nil, err
	}
	signer := types.NewEIP155Signer(chainID) // "Trezor backend does not support typed transactions yet."
	signed, err := tx.WithSignature(signer, sig)
	if err != nil {
		return common.Address{}, nil, err
	}
	sender, err := types.Sender(signer, signed)
	if err != nil {
		return common.Address{}, nil, err
	}
	return sender, signed, nil
}

// stateLog records OnState reports; safe to read while SignTx runs.
type stateLog struct {
	mu sync.Mutex
	s  []DeviceState
}

func (l *stateLog) add(s DeviceState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.s = append(l.s, s)
}

func (l *stateLog) get() []DeviceState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]DeviceState(nil), l.s...)
}

// wantSigningStates checks that one signature was bracketed by exactly an
// awaiting-confirmation report for dev (its summary containing summary) and
// a finished report.
func wantSigningStates(t *testing.T, got []DeviceState, dev HardwareKind, timeout time.Duration, summary string) {
	t.Helper()
	if len(got) != 2 || got[0].Kind != DeviceAwaitingConfirmation || got[0].Device != dev || got[0].Timeout != timeout ||
		!strings.HasPrefix(got[0].Summary, "to "+hwTo.Hex()+", ") || !strings.Contains(got[0].Summary, summary) ||
		got[1] != (DeviceState{Kind: DeviceConfirmFinished, Device: dev}) {
		t.Fatalf("states = %+v, want awaiting confirmation on the %s (summary with %q, timeout %s), then finished", got, dev.Name(), summary, timeout)
	}
}

type hwRig struct {
	emb    *Embedded
	m      *TxManager
	h      *HardwareSigner
	dev    *fakeDevice
	states *stateLog
}

func newHWRig(t *testing.T, dev *fakeDevice, timeout time.Duration) *hwRig {
	t.Helper()
	path, err := ParseHDPath("", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	emb, err := NewEmbedded(types.GenesisAlloc{dev.addr(path): {Balance: big.NewInt(1e18)}}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	if err := dev.Open(""); err != nil {
		t.Fatal(err)
	}
	states := &stateLog{}
	h, err := NewHardwareSigner(dev, HardwareOptions{Kind: dev.kind, Path: path, ConfirmTimeout: timeout, OnState: states.add})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return &hwRig{emb: emb, m: testTx(Config{Backend: emb.Client, Signer: h}), h: h, dev: dev, states: states}
}

func (r *hwRig) nonce(t *testing.T) uint64 {
	t.Helper()
	n, err := r.emb.PendingNonceAt(context.Background(), r.h.Address())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var hwTo = common.HexToAddress("0x00000000000000000000000000000000000000a2")

func valueReq() TxRequest        { return TxRequest{To: &hwTo, Value: big.NewInt(7)} }
func contractCallReq() TxRequest { return TxRequest{To: &hwTo, Data: []byte{0xa9, 0x05, 0x9c, 0xbb}} }

// sendMined sends req through the real TxManager and returns the mined tx.
func (r *hwRig) sendMined(t *testing.T, req TxRequest) *types.Transaction {
	t.Helper()
	rcpt, err := r.m.Send(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	tx, _, err := r.emb.TransactionByHash(context.Background(), rcpt.TxHash)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

func TestTrezorSendsLegacyWithGasPrice(t *testing.T) {
	r := newHWRig(t, newFakeTrezor(), 2*time.Second)
	if !r.h.LegacyOnly() || !r.m.LegacyOnly() {
		t.Fatal("a Trezor must be legacy-only")
	}
	price, err := r.emb.SuggestGasPrice(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tx := r.sendMined(t, valueReq())
	if tx.Type() != types.LegacyTxType || tx.GasPrice().Cmp(price) != 0 || price.Sign() <= 0 {
		t.Fatalf("sent type %d gas price %s, want legacy at the node's %s", tx.Type(), tx.GasPrice(), price)
	}
	if !tx.Protected() || tx.ChainId().Cmp(r.emb.ChainID) != 0 {
		t.Fatalf("legacy tx not EIP-155 protected for chain %s (chain id %s)", r.emb.ChainID, tx.ChainId())
	}
	if r.dev.shownCount() != 1 || r.dev.shown[0].Type() != types.LegacyTxType {
		t.Fatalf("device showed %d txs", r.dev.shownCount())
	}
	wantSigningStates(t, r.states.get(), Trezor, 2*time.Second, "(legacy)")
}

// Why: the driver shows a typed transaction and only fails after the user
// confirmed it. HardwareSigner refuses it before the device sees it.
func TestTrezorTypedTxRefusedBeforeDevice(t *testing.T) {
	r := newHWRig(t, newFakeTrezor(), 2*time.Second)
	typed := types.NewTx(&types.DynamicFeeTx{ChainID: r.emb.ChainID, Nonce: 0, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 21000, To: &hwTo, Value: big.NewInt(1)})

	acct := accounts.Account{Address: r.h.Address()}
	if _, err := r.dev.SignTx(acct, typed, r.emb.ChainID); !errors.Is(err, types.ErrTxTypeNotSupported) ||
		err.Error() != "transaction type not supported" || r.dev.shownCount() != 1 {
		t.Fatalf("raw driver: err = %v, shown %d (want the driver's failure after the prompt)", err, r.dev.shownCount())
	}
	_, err := r.h.SignTx(context.Background(), typed, r.emb.ChainID)
	if !IsHardwareError(err, HWUnsupported) || r.dev.shownCount() != 1 {
		t.Fatalf("err = %v, shown %d: a typed tx must be refused before the Trezor shows it", err, r.dev.shownCount())
	}
}

func TestLedgerTxTypeFollowsAppVersion(t *testing.T) {
	for _, c := range []struct {
		version [3]byte
		want    uint8
	}{
		{[3]byte{1, 8, 5}, types.LegacyTxType},
		{[3]byte{1, 9, 0}, types.DynamicFeeTxType},
		{[3]byte{1, 12, 3}, types.DynamicFeeTxType},
	} {
		t.Run(fmt.Sprintf("v%d.%d.%d", c.version[0], c.version[1], c.version[2]), func(t *testing.T) {
			r := newHWRig(t, newFakeLedger(c.version), 2*time.Second)
			if got := r.h.LegacyOnly(); got != (c.want == types.LegacyTxType) {
				t.Fatalf("LegacyOnly = %v", got)
			}
			tx := r.sendMined(t, valueReq())
			if tx.Type() != c.want || r.dev.shown[0].Type() != c.want {
				t.Fatalf("sent type %d, want %d", tx.Type(), c.want)
			}
			if c.want == types.LegacyTxType && (!tx.Protected() || tx.GasPrice().Sign() <= 0) {
				t.Fatal("legacy tx must be EIP-155 with a gas price")
			}
			fee := "(EIP-1559)"
			if c.want == types.LegacyTxType {
				fee = "(legacy)"
			}
			wantSigningStates(t, r.states.get(), Ledger, 2*time.Second, fee)
		})
	}
	// The driver's own refusal, for reference: app 1.8 and a typed tx.
	d := newFakeLedger([3]byte{1, 8, 0})
	d.Open("")
	a, _ := d.Derive(accounts.DefaultBaseDerivationPath, true)
	_, err := d.SignTx(a, types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(1)}), big.NewInt(1))
	if err == nil || err.Error() != "Ledger version >= 1.9.0 required for EIP-2930/EIP-1559 signing (found version v1.8.0)" {
		t.Fatalf("driver err = %v", err)
	}
	if got := (&HardwareSigner{opts: HardwareOptions{Kind: Ledger}}).translate(err, nil, true); !IsHardwareError(got, HWUnsupported) ||
		!strings.Contains(got.Error(), "update it in Ledger Live") {
		t.Fatalf("translated = %v", got)
	}
}

// Each device failure becomes its sentence, nothing is sent, and a retry
// after fixing the cause on the device goes through.
func TestLedgerFailuresAndRetry(t *testing.T) {
	on, off := true, false
	for _, c := range []struct {
		name    string
		req     TxRequest
		blind   *bool // what OpenHardware read from the device; nil unknown
		setup   func(d *fakeDevice)
		fix     func(d *fakeDevice)
		code    HardwareErrorCode
		message string
		shown   int
	}{
		{"user rejects", valueReq(), nil,
			func(d *fakeDevice) { d.action = "reject" }, func(d *fakeDevice) { d.action = "" },
			HWRejected, "you rejected the transaction on your Ledger; nothing was sent", 1},
		{"user rejects contract call", contractCallReq(), &on,
			func(d *fakeDevice) { d.action = "reject" }, func(d *fakeDevice) { d.action = "" },
			HWRejected, "you rejected the transaction on your Ledger; nothing was sent", 1},
		{"blind signing off", contractCallReq(), &off,
			func(d *fakeDevice) { d.blind = false }, func(d *fakeDevice) { d.blind = true },
			HWBlindSigning, "your Ledger refused the contract call because blind signing is off; nothing was sent: enable it in the Ethereum app (Settings > Blind signing) and retry", 0},
		{"blind signing off, flag unknown", contractCallReq(), nil,
			func(d *fakeDevice) { d.blind = false }, func(d *fakeDevice) { d.blind = true },
			HWRefused, "your Ledger refused the transaction; nothing was sent: if you did not reject it, enable blind signing in the Ethereum app (Settings > Blind signing) and retry", 0},
		{"locked while waiting", valueReq(), nil,
			func(d *fakeDevice) { d.locked = true }, func(d *fakeDevice) { d.locked = false },
			HWNotReady, "your Ledger locked or left the Ethereum app before signing; nothing was sent: unlock it, open the Ethereum app and retry", 0},
		{"app closed", valueReq(), nil,
			func(d *fakeDevice) { d.appClosed = true }, func(d *fakeDevice) { d.appClosed = false },
			HWNotReady, "your Ledger locked or left the Ethereum app before signing; nothing was sent: unlock it, open the Ethereum app and retry", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newHWRig(t, newFakeLedger([3]byte{1, 10, 0}), 2*time.Second)
			r.h.blindSigning = c.blind
			before := r.nonce(t)
			r.dev.set(c.setup)
			_, err := r.m.Send(context.Background(), c.req)
			if !IsHardwareError(err, c.code) || err.Error() != c.message {
				t.Fatalf("err = %v\nwant [%s] %s", err, c.code, c.message)
			}
			var he *HardwareError // Send wraps it in a Refusal
			if !errors.As(err, &he) || !strings.Contains(he.Err.Error(), "reply lacks signature") {
				t.Fatalf("driver error not kept: %v", he)
			}
			if r.dev.shownCount() != c.shown {
				t.Fatalf("device showed %d txs, want %d", r.dev.shownCount(), c.shown)
			}
			if after := r.nonce(t); after != before {
				t.Fatalf("nonce %d -> %d: something was sent", before, after)
			}
			r.dev.set(c.fix)
			if _, err := r.m.Send(context.Background(), c.req); err != nil {
				t.Fatalf("retry: %v", err)
			}
			if after := r.nonce(t); after != before+1 {
				t.Fatalf("retry: nonce %d -> %d", before, after)
			}
		})
	}
}

func TestTrezorCancelAndRetry(t *testing.T) {
	r := newHWRig(t, newFakeTrezor(), 2*time.Second)
	before := r.nonce(t)
	r.dev.set(func(d *fakeDevice) { d.action = "reject" })
	_, err := r.m.Send(context.Background(), contractCallReq())
	if !IsHardwareError(err, HWRejected) || err.Error() != "you cancelled the transaction on your Trezor; nothing was sent" {
		t.Fatalf("err = %v", err)
	}
	if after := r.nonce(t); after != before {
		t.Fatalf("nonce moved %d -> %d", before, after)
	}
	r.dev.set(func(d *fakeDevice) { d.action = "" })
	if tx := r.sendMined(t, contractCallReq()); tx.Type() != types.LegacyTxType {
		t.Fatalf("retry type %d", tx.Type())
	}
	// Model T / Safe firmware says only "Cancelled".
	if got := r.h.translate(errors.New("trezor: Cancelled"), nil, true); !IsHardwareError(got, HWRejected) {
		t.Fatalf("Model T cancel = %v", got)
	}
}

// The device never answers: the signer gives up at ConfirmTimeout, nothing is
// sent, a second request is refused while the first is still on the device,
// and once the user rejects the stale one a retry goes through.
func TestLedgerConfirmTimeoutThenRetry(t *testing.T) {
	r := newHWRig(t, newFakeLedger([3]byte{1, 9, 0}), 200*time.Millisecond)
	release := make(chan struct{})
	r.dev.set(func(d *fakeDevice) { d.action, d.release = "hang", release })
	before := r.nonce(t)
	start := time.Now()
	_, err := r.m.Send(context.Background(), valueReq())
	if !IsHardwareError(err, HWTimeout) ||
		err.Error() != "no confirmation on your Ledger within 200ms; nothing was sent: reject the transaction on the device before retrying" {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("timeout took %s", d)
	}
	if after := r.nonce(t); after != before {
		t.Fatalf("nonce moved %d -> %d", before, after)
	}
	_, err = r.m.Send(context.Background(), valueReq())
	if !IsHardwareError(err, HWBusy) || r.dev.shownCount() != 1 {
		t.Fatalf("second request while the first waits: err = %v, shown %d", err, r.dev.shownCount())
	}
	r.dev.set(func(d *fakeDevice) { d.action = "" })
	close(release) // the user rejects the stale prompt
	// Wait for the rejected prompt to free the device (a condition, not a
	// pause: the bound only names a prompt that never ends).
	deadline := time.Now().Add(30 * time.Second)
	for len(r.h.busy) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the device stayed busy 30s after the user rejected the prompt")
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.h.opts.ConfirmTimeout = 2 * time.Second
	if _, err := r.m.Send(context.Background(), valueReq()); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if after := r.nonce(t); after != before+1 {
		t.Fatalf("retry: nonce %d -> %d", before, after)
	}
}

func TestSignCancelledByContext(t *testing.T) {
	r := newHWRig(t, newFakeLedger([3]byte{1, 9, 0}), time.Minute)
	release := make(chan struct{})
	defer close(release)
	r.dev.set(func(d *fakeDevice) { d.action, d.release = "hang", release })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	tx := types.NewTx(&types.LegacyTx{Nonce: 0, GasPrice: big.NewInt(1), Gas: 21000, To: &hwTo})
	_, err := r.h.SignTx(ctx, tx, r.emb.ChainID)
	if !IsHardwareError(err, HWCancelled) || !strings.Contains(err.Error(), "nothing was sent") {
		t.Fatalf("err = %v", err)
	}
}

func TestTrezorRefusesChainIDAbove32Bits(t *testing.T) {
	r := newHWRig(t, newFakeTrezor(), 2*time.Second)
	big32 := new(big.Int).SetUint64(math.MaxUint32 + 1)
	if err := r.h.CheckChainID(new(big.Int).SetUint64(math.MaxUint32)); err != nil {
		t.Fatalf("2^32-1: %v", err)
	}
	if err := r.h.CheckChainID(big32); !IsHardwareError(err, HWUnsupported) {
		t.Fatalf("2^32: %v", err)
	}
	// Through the TxManager: refused before estimating or signing anything.
	before := r.nonce(t)
	m := testTx(Config{Backend: r.emb.Client, ChainID: new(big.Int).Add(big32, big.NewInt(1337)), Signer: r.h})
	_, err := m.Send(context.Background(), valueReq())
	if !IsHardwareError(err, HWUnsupported) || !strings.Contains(err.Error(), "your Trezor cannot sign for chain ID 4294968633") {
		t.Fatalf("err = %v", err)
	}
	if r.dev.shownCount() != 0 || r.nonce(t) != before {
		t.Fatal("the device was asked or something was sent")
	}
	// SignTx checks too. Without the check the driver would show the
	// transaction with chain ID 1337 and fail with a signer mismatch.
	tx := types.NewTx(&types.LegacyTx{Nonce: 0, GasPrice: big.NewInt(1), Gas: 21000, To: &hwTo})
	id := new(big.Int).Add(big32, big.NewInt(1337))
	if _, err := r.h.SignTx(context.Background(), tx, id); !IsHardwareError(err, HWUnsupported) || r.dev.shownCount() != 0 {
		t.Fatalf("err = %v shown %d", err, r.dev.shownCount())
	}
	_, err = r.dev.SignTx(accounts.Account{Address: r.h.Address()}, tx, id)
	if err == nil || !strings.HasPrefix(err.Error(), "signer mismatch: expected ") {
		t.Fatalf("raw driver err = %v", err)
	}
}

func TestLedgerNotReadyAtOpen(t *testing.T) {
	path := accounts.DefaultBaseDerivationPath
	closed := newFakeLedger([3]byte{}) // app not open
	closed.Open("")
	_, err := NewHardwareSigner(closed, HardwareOptions{Kind: Ledger, Path: path})
	if !IsHardwareError(err, HWNotReady) || err.Error() != "your Ledger is locked or the Ethereum app is not open: unlock it, open the Ethereum app and retry" {
		t.Fatalf("app closed: %v", err)
	}
	locked := newFakeLedger([3]byte{1, 9, 0})
	locked.locked = true
	locked.Open("")
	if _, err := NewHardwareSigner(locked, HardwareOptions{Kind: Ledger, Path: path}); !IsHardwareError(err, HWNotReady) {
		t.Fatalf("locked: %v", err)
	}
	// Offline driver: SignTx says "wallet closed".
	if got := (&HardwareSigner{opts: HardwareOptions{Kind: Ledger}}).translate(accounts.ErrWalletClosed, nil, true); !IsHardwareError(got, HWNotReady) {
		t.Fatalf("wallet closed = %v", got)
	}
}

func TestTrezorPIN(t *testing.T) {
	dev := newFakeTrezor()
	dev.pin = "1234"
	states := &stateLog{}
	o := HardwareOptions{Kind: Trezor, OnState: states.add}
	err := openWallet(dev, o)
	if got := translateOpenError(Trezor, err); !IsHardwareError(got, HWPIN) || !strings.Contains(got.Error(), "your Trezor is locked") {
		t.Fatalf("no PIN callback: %v", got)
	}
	if got := states.get(); len(got) != 0 {
		t.Fatalf("no PIN callback, so no PIN grid to announce: states = %+v", got)
	}
	pinShown := []DeviceState{{Kind: DevicePINMatrix, Device: Trezor}}
	dev.Close()
	o.TrezorPIN = func() (string, error) {
		// The user must have been told about the grid before being asked.
		if got := states.get(); !slices.Equal(got, pinShown) {
			t.Errorf("PIN asked after states %+v, want %+v", got, pinShown)
		}
		return "9999", nil
	}
	err = openWallet(dev, o)
	if got := translateOpenError(Trezor, err); !IsHardwareError(got, HWPIN) || !strings.HasPrefix(got.Error(), "wrong PIN for your Trezor") {
		t.Fatalf("wrong PIN: %v", got)
	}
	dev.Close()
	states = &stateLog{}
	o.OnState = states.add
	o.TrezorPIN = func() (string, error) { return "1234", nil }
	if err := openWallet(dev, o); err != nil {
		t.Fatal(err)
	}
	if got := states.get(); !slices.Equal(got, pinShown) {
		t.Fatalf("states = %+v, want %+v", got, pinShown)
	}
	h, err := NewHardwareSigner(dev, o)
	if err != nil || h.Address() != dev.addr(accounts.DefaultBaseDerivationPath) {
		t.Fatalf("signer: %v", err)
	}
	if got := translateOpenError(Trezor, usbwallet.ErrTrezorPassphraseNeeded); !IsHardwareError(got, HWPassphrase) {
		t.Fatalf("passphrase: %v", got)
	}
}

func TestParseHDPath(t *testing.T) {
	for _, c := range []struct {
		path  string
		index uint32
		live  bool
		want  string
	}{
		{"", 0, false, "m/44'/60'/0'/0/0"},
		{"", 3, false, "m/44'/60'/0'/0/3"},
		{"m/44'/60'/0'/0/0", 5, true, "m/44'/60'/5'/0/0"},
		{"", 2, true, "m/44'/60'/2'/0/0"},
		{"m/44'/60'/0'/0", 7, false, "m/44'/60'/0'/7"}, // legacy Ledger (MEW) layout
		{"m/44'/60'/1'", 4, false, "m/44'/60'/4'"},     // a hardened last component stays hardened
	} {
		p, err := ParseHDPath(c.path, c.index, c.live)
		if err != nil || p.String() != c.want {
			t.Errorf("ParseHDPath(%q, %d, %v) = %v, %v; want %s", c.path, c.index, c.live, p, err, c.want)
		}
	}
	for _, c := range []struct {
		path  string
		index uint32
		live  bool
		want  string
	}{
		{"m/44'/60'/x/0", 0, false, `invalid HD path "m/44'/60'/x/0"`},
		{"m/44'/60'/0'/0/1", 0, true, "--ledger-live picks the path"},
		{"", 1 << 31, false, "account index 2147483648 is too large"},
	} {
		_, err := ParseHDPath(c.path, c.index, c.live)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseHDPath(%q) err = %v, want %q", c.path, err, c.want)
		}
	}
}

func TestDeriveAccounts(t *testing.T) {
	dev := newFakeLedger([3]byte{1, 9, 0})
	dev.Open("")
	for _, live := range []bool{false, true} {
		p, _ := ParseHDPath("", 0, live)
		h, err := NewHardwareSigner(dev, HardwareOptions{Kind: Ledger, Path: p, LedgerLive: live})
		if err != nil {
			t.Fatal(err)
		}
		accts, err := h.Derive(3)
		if err != nil || len(accts) != 3 {
			t.Fatalf("Derive: %v", err)
		}
		for i, a := range accts {
			want, _ := ParseHDPath("", uint32(i), live)
			if a.URL.Path != want.String() || a.Address != dev.addr(want) {
				t.Errorf("live=%v #%d: %s %s, want %s", live, i, a.URL.Path, a.Address.Hex(), want)
			}
		}
	}
}

// Why: the CLI's spinner runs between these two reports, so the awaiting
// report must come before the device shows the transaction and the finished
// report only once the device has answered.
func TestHardwareStatesBracketConfirmation(t *testing.T) {
	r := newHWRig(t, newFakeLedger([3]byte{1, 9, 0}), 2*time.Second)
	release := make(chan struct{})
	r.dev.set(func(d *fakeDevice) { d.action, d.release = "hang", release })
	done := make(chan error, 1)
	tx := types.NewTx(&types.LegacyTx{Nonce: 0, GasPrice: big.NewInt(1), Gas: 21000, To: &hwTo})
	go func() {
		_, err := r.h.SignTx(context.Background(), tx, r.emb.ChainID)
		done <- err
	}()
	deadline := time.Now().Add(30 * time.Second) // a bound for a hang, not a pace
	for r.dev.shownCount() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := r.states.get(); r.dev.shownCount() != 1 || len(got) != 1 || got[0].Kind != DeviceAwaitingConfirmation {
		t.Fatalf("while the device shows the tx (shown %d): states = %+v, want only awaiting confirmation", r.dev.shownCount(), got)
	}
	r.dev.set(func(d *fakeDevice) { d.action = "" })
	close(release) // the hang ends in a rejection
	if err := <-done; !IsHardwareError(err, HWRejected) {
		t.Fatalf("err = %v, want the rejection", err)
	}
	wantSigningStates(t, r.states.get(), Ledger, 2*time.Second, "gas price 0.000000001 gwei (legacy)")
}

// The real usbwallet path: hub discovery runs and, with no device attached
// (CI), ends in the one-line error instead of a panic or a hang.
func TestOpenHardwareNoDevice(t *testing.T) {
	for _, c := range []struct {
		kind HardwareKind
		want string
	}{
		{Ledger, "no Ledger found: connect it, unlock it and open the Ethereum app"},
		{Trezor, "no Trezor found: connect it and unlock it"},
	} {
		done := make(chan error, 1)
		go func() {
			h, err := OpenHardware(context.Background(), HardwareOptions{Kind: c.kind})
			if h != nil {
				h.Close()
				err = errors.New("a real device is attached")
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil && err.Error() == "a real device is attached" {
				t.Skip("a real hardware wallet is connected")
			}
			if !hid.Supported() {
				if !IsHardwareError(err, HWNotFound) {
					t.Fatalf("%s without USB support: %v", c.kind, err)
				}
				continue
			}
			if err == nil || err.Error() != c.want || !IsHardwareError(err, HWNotFound) {
				t.Fatalf("%s: err = %v, want %q", c.kind, err, c.want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s discovery hung", c.kind)
		}
	}
	if _, err := OpenHardware(context.Background(), HardwareOptions{Kind: "keepkey"}); err == nil ||
		!strings.Contains(err.Error(), `unknown hardware wallet "keepkey"`) {
		t.Fatalf("unknown kind: %v", err)
	}
}

// fakeHID answers one GET CONFIGURATION with a status word, framed like a
// Ledger over HID.
type fakeHID struct {
	reply   []byte // APDU reply: data + status word
	written []byte
	read    bool
}

func (f *fakeHID) Write(b []byte) (int, error) {
	f.written = append(f.written, b...)
	return len(b), nil
}
func (f *fakeHID) ReadTimeout(b []byte, _ int) (int, error) {
	if f.read {
		return 0, nil // no more data: a timeout
	}
	f.read = true
	chunk := make([]byte, 64)
	copy(chunk, []byte{0x01, 0x01, 0x05, 0x00, 0x00})
	binary.BigEndian.PutUint16(chunk[5:], uint16(len(f.reply)))
	copy(chunk[7:], f.reply)
	return copy(b, chunk), nil
}

func TestLedgerProbeStatusWords(t *testing.T) {
	cfg, err := ledgerGetConfiguration(&fakeHID{reply: []byte{0x01, 1, 10, 3, 0x90, 0x00}}, 10)
	if err != nil || !cfg.ok || cfg.flags&1 == 0 || cfg.version != [3]byte{1, 10, 3} {
		t.Fatalf("ok reply: %+v %v", cfg, err)
	}
	f := &fakeHID{reply: []byte{0x00, 1, 8, 0, 0x90, 0x00}}
	if cfg, _ := ledgerGetConfiguration(f, 10); !cfg.ok || cfg.flags&1 != 0 {
		t.Fatalf("blind signing off: %+v", cfg)
	}
	if !bytes.HasPrefix(f.written, []byte{0x01, 0x01, 0x05, 0x00, 0x00, 0x00, 0x05, 0xe0, 0x06, 0x00, 0x00, 0x00}) || len(f.written) != 64 {
		t.Fatalf("request = %x", f.written)
	}
	for sw, want := range map[uint16]string{
		0x5515: "your Ledger is locked: unlock it with your PIN, open the Ethereum app and retry",
		0x6e00: "the Ethereum app is not open on your Ledger: open it on the device and retry",
		0x6d00: "the Ethereum app is not open on your Ledger: open it on the device and retry",
		0x6511: "the Ethereum app is not open on your Ledger: open it on the device and retry",
	} {
		_, err := ledgerGetConfiguration(&fakeHID{reply: []byte{byte(sw >> 8), byte(sw)}}, 10)
		if err == nil || err.Error() != want {
			t.Errorf("sw %#04x: %v", sw, err)
		}
	}
	if cfg, err := ledgerGetConfiguration(&fakeHID{read: true}, 10); err != nil || cfg.ok {
		t.Fatalf("no answer: %+v %v", cfg, err)
	}
}

// chainIDStub refuses every chain and fails the test if it is asked to sign.
type chainIDStub struct {
	t      *testing.T
	signer Signer
}

func (s chainIDStub) Address() common.Address        { return s.signer.Address() }
func (s chainIDStub) CheckChainID(id *big.Int) error { return fmt.Errorf("chain %s refused", id) }
func (s chainIDStub) SignTx(context.Context, *types.Transaction, *big.Int) (*types.Transaction, error) {
	s.t.Fatal("SignTx called after CheckChainID refused")
	return nil, nil
}

// TxManager asks CheckChainID before anything else.
func TestSendChecksChainIDFirst(t *testing.T) {
	_, m := newChain(t, false)
	m.cfg.Signer = chainIDStub{t: t, signer: m.cfg.Signer}
	if _, err := m.Send(context.Background(), valueReq()); err == nil || err.Error() != "chain 1337 refused" {
		t.Fatalf("err = %v", err)
	}
}
