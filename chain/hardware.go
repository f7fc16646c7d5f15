package chain

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/usbwallet"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/hid"
)

// HardwareKind names a hardware wallet family.
type HardwareKind string

const (
	Ledger HardwareKind = "ledger"
	Trezor HardwareKind = "trezor"
)

// Name is the brand as shown to the user ("Ledger", "Trezor").
func (k HardwareKind) Name() string {
	switch k {
	case Ledger:
		return "Ledger"
	case Trezor:
		return "Trezor"
	}
	return string(k)
}

// DefaultHDPath is the path hedger derives when none is given; the Ledger
// and Trezor default for the first Ethereum account.
const DefaultHDPath = "m/44'/60'/0'/0/0"

// DefaultConfirmTimeout is how long a signature may wait for the user.
const DefaultConfirmTimeout = 2 * time.Minute

// HardwareOptions configure a hardware signer; only Kind and Path are needed.
type HardwareOptions struct {
	Kind           HardwareKind
	Path           accounts.DerivationPath
	ConfirmTimeout time.Duration // default 2m
	// OnState, when set, hears what the device is doing (awaiting a
	// confirmation, blind signing off, a PIN grid shown) so the caller can
	// prompt the user; chain/ itself never writes to a terminal. It is called
	// synchronously on the signing goroutine and must not block.
	OnState func(DeviceState)
	// LedgerLive makes Derive walk m/44'/60'/i'/0/0 (the account component)
	// instead of the last component; set it with --ledger-live.
	LedgerLive bool
	// TrezorPIN, when set, is asked for the PIN of a locked Trezor One: the
	// digits typed are positions on the scrambled grid the device shows
	// (7 8 9 / 4 5 6 / 1 2 3). Nil: a locked Trezor is an error.
	TrezorPIN func() (string, error)
	// TrezorPassphrase, when set, is asked for the BIP-39 passphrase when the
	// Trezor has passphrase protection on. Nil: such a Trezor is an error.
	TrezorPassphrase func() (string, error)
}

func (o HardwareOptions) withDefaults() (HardwareOptions, error) {
	if o.Kind != Ledger && o.Kind != Trezor {
		return o, fmt.Errorf("unknown hardware wallet %q: use ledger or trezor", string(o.Kind))
	}
	if len(o.Path) == 0 {
		p, err := ParseHDPath("", 0, o.LedgerLive)
		if err != nil {
			return o, err
		}
		o.Path = p
	}
	if o.ConfirmTimeout <= 0 {
		o.ConfirmTimeout = DefaultConfirmTimeout
	}
	return o, nil
}

func (o HardwareOptions) report(s DeviceState) {
	if o.OnState != nil {
		s.Device = o.Kind
		o.OnState(s)
	}
}

// DeviceStateKind says what a hardware wallet is waiting for or just did.
type DeviceStateKind int

const (
	// DeviceAwaitingConfirmation: a transaction is on the device screen;
	// Summary describes it and Timeout is how long hedger waits.
	DeviceAwaitingConfirmation DeviceStateKind = iota + 1
	// DeviceConfirmFinished: the wait that DeviceAwaitingConfirmation began
	// is over (signed, refused, timed out or cancelled); the outcome is
	// SignTx's result, a HardwareError on failure.
	DeviceConfirmFinished
	// DeviceBlindSigningOff: the Ledger's Ethereum app has blind signing
	// off, so it will refuse contract calls.
	DeviceBlindSigningOff
	// DevicePINMatrix: a locked Trezor shows its scrambled PIN grid and
	// TrezorPIN is about to be asked.
	DevicePINMatrix
)

func (k DeviceStateKind) String() string {
	switch k {
	case DeviceAwaitingConfirmation:
		return "awaiting-confirmation"
	case DeviceConfirmFinished:
		return "confirm-finished"
	case DeviceBlindSigningOff:
		return "blind-signing-off"
	case DevicePINMatrix:
		return "pin-matrix"
	}
	return fmt.Sprintf("DeviceStateKind(%d)", int(k))
}

// DeviceState is one report to HardwareOptions.OnState.
type DeviceState struct {
	Kind    DeviceStateKind
	Device  HardwareKind
	Summary string        // DeviceAwaitingConfirmation: the transaction in one line
	Timeout time.Duration // DeviceAwaitingConfirmation: the confirmation timeout
}

// ParseHDPath builds the derivation path: hdPath (default m/44'/60'/0'/0/0)
// with its last component replaced by index, or with ledgerLive the Ledger
// Live layout m/44'/60'/index'/0/0. A hardened last component stays hardened.
func ParseHDPath(hdPath string, index uint32, ledgerLive bool) (accounts.DerivationPath, error) {
	if index >= 0x80000000 {
		return nil, fmt.Errorf("account index %d is too large: the most is %d", index, uint32(0x7fffffff))
	}
	hdPath = strings.TrimSpace(hdPath)
	if ledgerLive {
		if hdPath != "" && hdPath != DefaultHDPath {
			return nil, fmt.Errorf("--ledger-live picks the path m/44'/60'/N'/0/0 itself: drop --hd-path %s or --ledger-live", hdPath)
		}
		return accounts.DerivationPath{0x80000000 + 44, 0x80000000 + 60, 0x80000000 + index, 0, 0}, nil
	}
	if hdPath == "" {
		hdPath = DefaultHDPath
	}
	p, err := accounts.ParseDerivationPath(hdPath)
	if err != nil {
		return nil, fmt.Errorf("invalid HD path %q: %v (expected like %s)", hdPath, err, DefaultHDPath)
	}
	if len(p) == 0 || len(p) > 10 {
		return nil, fmt.Errorf("invalid HD path %q: it must have 1 to 10 components", hdPath)
	}
	p = append(accounts.DerivationPath(nil), p...)
	p[len(p)-1] = p[len(p)-1]&0x80000000 | index
	return p, nil
}

// HardwareErrorCode classifies hardware wallet failures for callers that
// branch on them (exit codes, retries).
type HardwareErrorCode string

const (
	HWNotFound      HardwareErrorCode = "not-found"
	HWLocked        HardwareErrorCode = "locked"     // device locked (Ledger 0x5515)
	HWAppClosed     HardwareErrorCode = "app-closed" // Ethereum app not open (0x6e00/0x6d00/0x6511)
	HWNotReady      HardwareErrorCode = "not-ready"  // locked or app closed: the driver cannot tell which
	HWRejected      HardwareErrorCode = "rejected"   // the user refused on the device (0x6985, Trezor cancel)
	HWBlindSigning  HardwareErrorCode = "blind-signing"
	HWRefused       HardwareErrorCode = "refused" // rejected or blind signing off: the driver cannot tell which
	HWTimeout       HardwareErrorCode = "timeout"
	HWCancelled     HardwareErrorCode = "cancelled" // the context ended while waiting
	HWBusy          HardwareErrorCode = "busy"      // an earlier request still waits on the device
	HWPIN           HardwareErrorCode = "pin"
	HWPassphrase    HardwareErrorCode = "passphrase"
	HWUnsupported   HardwareErrorCode = "unsupported" // tx type or chain ID the device cannot sign
	HWWrongAccount  HardwareErrorCode = "wrong-account"
	HWDisconnected  HardwareErrorCode = "disconnected"
	HWDeviceFailure HardwareErrorCode = "device"
)

// HardwareError is a hardware wallet failure as one sentence telling the user
// what to do; Err is what the driver said.
type HardwareError struct {
	Kind    HardwareKind
	Code    HardwareErrorCode
	Message string
	Err     error
}

func (e *HardwareError) Error() string {
	if e.Code == HWDeviceFailure && e.Err != nil {
		return e.Message + " (" + e.Err.Error() + ")"
	}
	return e.Message
}
func (e *HardwareError) Unwrap() error { return e.Err }

func hwErr(k HardwareKind, code HardwareErrorCode, err error, format string, args ...any) *HardwareError {
	return &HardwareError{Kind: k, Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// IsHardwareError reports whether err is a hardware error with code.
func IsHardwareError(err error, code HardwareErrorCode) bool {
	var he *HardwareError
	return errors.As(err, &he) && he.Code == code
}

func noDeviceError(k HardwareKind) error {
	if k == Ledger {
		return hwErr(k, HWNotFound, nil, "no Ledger found: connect it, unlock it and open the Ethereum app")
	}
	return hwErr(k, HWNotFound, nil, "no Trezor found: connect it and unlock it")
}

// HardwareSigner signs with one account of a Ledger or Trezor. It implements
// Signer, LegacyOnly and CheckChainID, so TxManager builds only transactions
// the device can sign.
type HardwareSigner struct {
	wallet  accounts.Wallet
	opts    HardwareOptions
	account accounts.Account
	// ledgerVersion is the Ethereum app version the driver cached at open;
	// the driver refuses typed transactions below 1.9.0 with it.
	ledgerVersion [3]int
	// blindSigning is the Ledger's "blind signing" (contract data) setting
	// read at open: nil when unknown.
	blindSigning *bool
	ownsWallet   bool

	busy      chan struct{} // held while a request is on the device
	closeOnce sync.Once
	closeErr  error
}

// OpenHardware discovers the device through accounts/usbwallet, opens the
// first wallet found and derives o.Path. It never panics.
func OpenHardware(ctx context.Context, o HardwareOptions) (h *HardwareSigner, err error) {
	o, err = o.withDefaults()
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			h, err = nil, hwErr(o.Kind, HWDeviceFailure, fmt.Errorf("%v", p), "the USB layer failed while opening your %s", o.Kind.Name())
		}
	}()
	hubs, err := hardwareHubs(o.Kind)
	if err != nil {
		return nil, hwErr(o.Kind, HWNotFound, err, "cannot use USB devices in this build (%v): hedger needs cgo and Linux, macOS or Windows for a %s", err, o.Kind.Name())
	}
	var wallets []accounts.Wallet
	for _, hub := range hubs {
		wallets = append(wallets, hub.Wallets()...)
	}
	if len(wallets) == 0 {
		return nil, noDeviceError(o.Kind)
	}
	w := wallets[0]
	var cfg *ledgerConfig
	if o.Kind == Ledger {
		// The driver drops the APDU status words, so a locked Ledger and a
		// closed app look alike through it; ask the device directly first.
		if cfg, err = probeLedger(w.URL().Path); err != nil {
			return nil, err
		}
	}
	if err := runBounded(ctx, o.ConfirmTimeout, func() error { return openWallet(w, o) }); err != nil {
		return nil, translateOpenError(o.Kind, err)
	}
	h, err = NewHardwareSigner(w, o)
	if err != nil {
		closeBounded(w)
		return nil, err
	}
	h.ownsWallet = true
	if cfg != nil && cfg.ok {
		on := cfg.flags&0x01 != 0
		h.blindSigning = &on
		if !on {
			o.report(DeviceState{Kind: DeviceBlindSigningOff})
		}
	}
	return h, nil
}

func hardwareHubs(k HardwareKind) ([]*usbwallet.Hub, error) {
	if k == Ledger {
		hub, err := usbwallet.NewLedgerHub()
		if err != nil {
			return nil, err
		}
		return []*usbwallet.Hub{hub}, nil
	}
	// Old Trezor One firmware speaks HID, newer firmware WebUSB; geth
	// registers both hubs, so does hedger.
	var hubs []*usbwallet.Hub
	hidHub, err := usbwallet.NewTrezorHubWithHID()
	if err != nil {
		return nil, err
	}
	hubs = append(hubs, hidHub)
	if web, err := usbwallet.NewTrezorHubWithWebUSB(); err == nil {
		hubs = append(hubs, web)
	}
	return hubs, nil
}

// openWallet opens w, answering a Trezor's PIN and passphrase requests with
// the callbacks in o.
func openWallet(w accounts.Wallet, o HardwareOptions) error {
	err := w.Open("")
	if o.Kind != Trezor {
		return err
	}
	for range 3 {
		switch {
		case errors.Is(err, usbwallet.ErrTrezorPINNeeded):
			if o.TrezorPIN == nil {
				return err
			}
			o.report(DeviceState{Kind: DevicePINMatrix})
			pin, perr := o.TrezorPIN()
			if perr != nil {
				return perr
			}
			if strings.TrimSpace(pin) == "" {
				return errors.New("trezor: PIN cancelled")
			}
			err = w.Open(strings.TrimSpace(pin))
		case errors.Is(err, usbwallet.ErrTrezorPassphraseNeeded):
			if o.TrezorPassphrase == nil {
				return err
			}
			pass, perr := o.TrezorPassphrase()
			if perr != nil {
				return perr
			}
			err = w.Open(pass)
		default:
			return err
		}
	}
	return err
}

// NewHardwareSigner wraps an already-open wallet: it reads the Ledger app
// version from Status and derives (and pins) o.Path, which the driver needs
// before it signs for that account.
func NewHardwareSigner(w accounts.Wallet, o HardwareOptions) (*HardwareSigner, error) {
	if w == nil {
		return nil, errors.New("no hardware wallet given")
	}
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	h := &HardwareSigner{wallet: w, opts: o, busy: make(chan struct{}, 1)}
	status, failure := w.Status()
	if failure != nil {
		return nil, translateOpenError(o.Kind, failure)
	}
	if o.Kind == Ledger {
		v, err := parseLedgerStatus(status)
		if err != nil {
			return nil, err
		}
		h.ledgerVersion = v
	} else if strings.Contains(status, "waiting for PIN") {
		return nil, translateOpenError(o.Kind, usbwallet.ErrTrezorPINNeeded)
	}
	acct, err := runOnDevice(h, context.Background(), o.ConfirmTimeout, func() (accounts.Account, error) {
		return w.Derive(o.Path, true)
	})
	if err != nil {
		return nil, h.translate(err, nil, false)
	}
	h.account = acct
	return h, nil
}

var ledgerStatusRe = regexp.MustCompile(`Ethereum app v(\d+)\.(\d+)\.(\d+) online`)

// parseLedgerStatus reads the app version from the driver's Status: "Ethereum
// app v1.9.0 online", "Ethereum app offline" or "...in browser mode".
func parseLedgerStatus(status string) ([3]int, error) {
	if m := ledgerStatusRe.FindStringSubmatch(status); m != nil {
		var v [3]int
		for i := range v {
			v[i], _ = strconv.Atoi(m[i+1])
		}
		return v, nil
	}
	switch {
	case strings.Contains(status, "offline"):
		return [3]int{}, hwErr(Ledger, HWNotReady, errors.New(status), "your Ledger is locked or the Ethereum app is not open: unlock it, open the Ethereum app and retry")
	case strings.Contains(status, "browser mode"):
		return [3]int{}, hwErr(Ledger, HWAppClosed, errors.New(status), "the Ethereum app on your Ledger is in browser mode: turn off 'Browser support' in its settings (or update the app) and retry")
	case status == "Closed":
		return [3]int{}, hwErr(Ledger, HWDisconnected, accounts.ErrWalletClosed, "your Ledger is not open: reconnect it and retry")
	}
	return [3]int{}, hwErr(Ledger, HWDeviceFailure, errors.New(status), "your Ledger reports an unexpected state: reconnect it, open the Ethereum app and retry")
}

// Address is the account at the configured path.
func (h *HardwareSigner) Address() common.Address { return h.account.Address }

// Path is the derivation path of Address.
func (h *HardwareSigner) Path() accounts.DerivationPath { return h.opts.Path }

func (h *HardwareSigner) String() string {
	return fmt.Sprintf("%s:%s (%s)", h.opts.Kind, h.account.Address.Hex(), h.opts.Path)
}

// LegacyOnly reports whether the device can sign only legacy (EIP-155)
// transactions: a Trezor always (the geth driver sends them as legacy), a
// Ledger whose Ethereum app is older than 1.9.0.
func (h *HardwareSigner) LegacyOnly() bool {
	if h.opts.Kind == Trezor {
		return true
	}
	v := h.ledgerVersion
	return v[0] < 1 || (v[0] == 1 && v[1] < 9)
}

// CheckChainID refuses chain IDs the device would sign wrongly: the Trezor
// driver truncates the chain ID to 32 bits.
func (h *HardwareSigner) CheckChainID(id *big.Int) error {
	if id == nil || id.Sign() <= 0 {
		return hwErr(h.opts.Kind, HWUnsupported, nil, "no chain ID: hedger signs only replay-protected (EIP-155) transactions")
	}
	if h.opts.Kind == Trezor && (!id.IsUint64() || id.Uint64() > math.MaxUint32) {
		return hwErr(h.opts.Kind, HWUnsupported, nil, "your Trezor cannot sign for chain ID %s: its driver supports chain IDs up to %d, so use a Ledger or another signer on this chain", id, uint64(math.MaxUint32))
	}
	return nil
}

// SignTx shows tx on the device and waits up to ConfirmTimeout for the user.
// Anything the device cannot sign is refused before it is shown.
func (h *HardwareSigner) SignTx(ctx context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	if tx == nil {
		return nil, errors.New("no transaction to sign")
	}
	if err := h.CheckChainID(chainID); err != nil {
		return nil, err
	}
	if err := h.checkType(tx, chainID); err != nil {
		return nil, err
	}
	h.opts.report(DeviceState{Kind: DeviceAwaitingConfirmation, Summary: describeTx(tx), Timeout: h.opts.ConfirmTimeout})
	signed, err := runOnDevice(h, ctx, h.opts.ConfirmTimeout, func() (*types.Transaction, error) {
		return h.wallet.SignTx(h.account, tx, chainID)
	})
	// Finished before translate: translating may probe the device for a
	// few seconds, and the user is no longer asked to confirm anything.
	h.opts.report(DeviceState{Kind: DeviceConfirmFinished})
	if err != nil {
		return nil, h.translate(err, tx, true)
	}
	if err := h.verify(tx, signed, chainID); err != nil {
		return nil, err
	}
	return signed, nil
}

func (h *HardwareSigner) checkType(tx *types.Transaction, chainID *big.Int) error {
	k := h.opts.Kind
	switch tx.Type() {
	case types.LegacyTxType:
		return nil
	case types.DynamicFeeTxType, types.AccessListTxType:
		if tx.ChainId().Cmp(chainID) != 0 {
			return fmt.Errorf("transaction is for chain %s but signing for chain %s", tx.ChainId(), chainID)
		}
		if k == Trezor {
			return hwErr(k, HWUnsupported, types.ErrTxTypeNotSupported, "your Trezor can sign only legacy transactions through hedger: build a legacy transaction with a gas price")
		}
		if h.LegacyOnly() {
			v := h.ledgerVersion
			return hwErr(k, HWUnsupported, nil, "the Ethereum app v%d.%d.%d on your Ledger cannot sign EIP-1559 transactions: update it to 1.9.0 or later in Ledger Live, or send a legacy transaction", v[0], v[1], v[2])
		}
		return nil
	}
	return hwErr(k, HWUnsupported, types.ErrTxTypeNotSupported, "your %s cannot sign type-%d transactions through hedger", k.Name(), tx.Type())
}

// verify checks the device signed exactly tx, for this account, with replay
// protection.
func (h *HardwareSigner) verify(tx, signed *types.Transaction, chainID *big.Int) error {
	k := h.opts.Kind
	if signed == nil {
		return hwErr(k, HWDeviceFailure, errors.New("no transaction returned"), "your %s returned no signature", k.Name())
	}
	signer := types.LatestSignerForChainID(chainID)
	if signed.Type() != tx.Type() || signer.Hash(signed) != signer.Hash(tx) {
		return hwErr(k, HWDeviceFailure, errors.New("signed transaction differs"), "your %s signed a different transaction than hedger built: nothing was sent", k.Name())
	}
	if tx.Type() == types.LegacyTxType && !signed.Protected() {
		return hwErr(k, HWDeviceFailure, errors.New("unprotected signature"), "your %s signed without replay protection (EIP-155): nothing was sent", k.Name())
	}
	from, err := types.Sender(signer, signed)
	if err != nil || from != h.account.Address {
		return hwErr(k, HWWrongAccount, err, "your %s signed with another account than %s: check the passphrase and --hd-path; nothing was sent", k.Name(), h.account.Address.Hex())
	}
	return nil
}

// Derive returns the first n accounts along the path pattern: the last
// component 0..n-1, or with LedgerLive m/44'/60'/i'/0/0. Their URL path is
// the derivation path.
func (h *HardwareSigner) Derive(n int) ([]accounts.Account, error) {
	if n < 1 {
		return nil, fmt.Errorf("account count must be at least 1, got %d", n)
	}
	var out []accounts.Account
	for i := range n {
		p := append(accounts.DerivationPath(nil), h.opts.Path...)
		if h.opts.LedgerLive && len(p) == 5 {
			p[2] = 0x80000000 | uint32(i)
		} else {
			p[len(p)-1] = p[len(p)-1]&0x80000000 | uint32(i)
		}
		a, err := runOnDevice(h, context.Background(), h.opts.ConfirmTimeout, func() (accounts.Account, error) {
			return h.wallet.Derive(p, false)
		})
		if err != nil {
			return nil, h.translate(err, nil, false)
		}
		out = append(out, accounts.Account{Address: a.Address, URL: accounts.URL{Scheme: string(h.opts.Kind), Path: p.String()}})
	}
	return out, nil
}

// Close releases the device. A request still waiting on the device (after a
// timeout) keeps the driver busy; Close then gives up after a few seconds
// instead of hanging, and the process exit frees the USB handle.
func (h *HardwareSigner) Close() error {
	h.closeOnce.Do(func() {
		if !h.ownsWallet {
			return
		}
		if err := closeBounded(h.wallet); err != nil {
			h.closeErr = hwErr(h.opts.Kind, HWBusy, err, "your %s is still waiting for a confirmation: reject it on the device or unplug it", h.opts.Kind.Name())
		}
	})
	return h.closeErr
}

func closeBounded(w accounts.Wallet) error {
	done := make(chan error, 1)
	go func() { done <- w.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(3 * time.Second):
		return errors.New("close timed out")
	}
}

var (
	errDeviceBusy    = errors.New("device busy with an earlier request")
	errDeviceTimeout = errors.New("device did not answer in time")
)

// runOnDevice runs fn (a blocking driver call that cannot be interrupted)
// in the background and waits for it, the timeout or ctx. While fn runs the
// signer is busy: a later request fails at once instead of queueing behind
// a prompt the user may never answer.
func runOnDevice[T any](h *HardwareSigner, ctx context.Context, timeout time.Duration, fn func() (T, error)) (T, error) {
	var zero T
	select {
	case h.busy <- struct{}{}:
	default:
		return zero, errDeviceBusy
	}
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{err: fmt.Errorf("driver panic: %v", p)}
			}
			<-h.busy // free before the result is seen, so the caller may probe at once
			ch <- r
		}()
		r.v, r.err = fn()
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-timer.C:
		return zero, errDeviceTimeout
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

func runBounded(ctx context.Context, timeout time.Duration, fn func() error) error {
	ch := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- fmt.Errorf("driver panic: %v", p)
			}
		}()
		ch <- fn()
	}()
	select {
	case err := <-ch:
		return err
	case <-time.After(timeout):
		return errDeviceTimeout
	case <-ctx.Done():
		return ctx.Err()
	}
}

// The geth drivers' error texts (go-ethereum v1.17.10 accounts/usbwallet):
// the Ledger driver strips the APDU status word from every reply without
// checking it, so a refusal (0x6985), blind signing off (0x6a80), a locked
// device (0x5515) or a closed app (0x6e00/0x6d00/0x6511) during signing all
// end as an empty reply: "reply lacks signature"; during derivation as
// "reply lacks public key entry".
const (
	ledgerNoSignature = "reply lacks signature"
	ledgerNoPubkey    = "reply lacks public key entry"
	ledgerOldApp      = "required for EIP-2930/EIP-1559 signing"
	ledgerBrowser     = "ledger: invalid reply header"
	trezorBadHeader   = "trezor: invalid reply header"
	signerMismatch    = "signer mismatch"
)

// translate turns a driver error into one sentence for the user. tx is the
// transaction being signed (nil when deriving); signing says whether a
// prompt was on the device.
func (h *HardwareSigner) translate(err error, tx *types.Transaction, signing bool) error {
	k := h.opts.Kind
	name := k.Name()
	var he *HardwareError
	if errors.As(err, &he) {
		return err
	}
	nothing := ""
	if signing {
		nothing = "; nothing was sent"
	}
	msg := err.Error()
	lower := strings.ToLower(msg)
	switch {
	case errors.Is(err, errDeviceBusy):
		return hwErr(k, HWBusy, err, "your %s is still showing an earlier request: reject it on the device, then retry", name)
	case errors.Is(err, errDeviceTimeout):
		if signing {
			return hwErr(k, HWTimeout, err, "no confirmation on your %s within %s; nothing was sent: reject the transaction on the device before retrying", name, h.opts.ConfirmTimeout)
		}
		return hwErr(k, HWTimeout, err, "your %s did not answer within %s: reconnect it and retry", name, h.opts.ConfirmTimeout)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return hwErr(k, HWCancelled, err, "stopped waiting for your %s%s: reject the transaction on the device", name, nothing)
	case errors.Is(err, accounts.ErrWalletClosed):
		if k == Ledger {
			return hwErr(k, HWNotReady, err, "your Ledger is not ready (locked, Ethereum app closed or unplugged)%s: unlock it, open the Ethereum app and run hedger again", nothing)
		}
		return hwErr(k, HWDisconnected, err, "your Trezor was disconnected%s: reconnect it and run hedger again", nothing)
	case errors.Is(err, accounts.ErrUnknownAccount):
		return hwErr(k, HWWrongAccount, err, "the %s account at %s is not open on the device%s: run hedger again", name, h.opts.Path, nothing)
	case strings.Contains(msg, signerMismatch):
		if k == Trezor {
			return hwErr(k, HWWrongAccount, err, "your Trezor signed for another account (wrong passphrase, or a chain ID it truncated)%s: check the passphrase and chain", nothing)
		}
		return hwErr(k, HWWrongAccount, err, "your Ledger signed with another account than %s%s: check --hd-path", h.account.Address.Hex(), nothing)
	case errors.Is(err, types.ErrTxTypeNotSupported):
		return hwErr(k, HWUnsupported, err, "your %s cannot sign this transaction type%s: it needs a legacy transaction with a gas price", name, nothing)
	}
	if k == Ledger {
		switch {
		case strings.Contains(msg, ledgerNoSignature):
			return h.classifyLedgerRefusal(err, tx)
		case strings.Contains(msg, ledgerNoPubkey):
			return hwErr(k, HWNotReady, err, "your Ledger is locked or the Ethereum app is not open: unlock it, open the Ethereum app and retry")
		case strings.Contains(msg, ledgerOldApp):
			return hwErr(k, HWUnsupported, err, "the Ethereum app on your Ledger is older than 1.9.0 and cannot sign EIP-1559 transactions%s: update it in Ledger Live", nothing)
		case strings.Contains(msg, ledgerBrowser):
			return hwErr(k, HWAppClosed, err, "the Ethereum app on your Ledger is in browser mode: turn off 'Browser support' in its settings and retry")
		case strings.Contains(lower, "hidapi"), strings.Contains(msg, "hid: device closed"):
			return hwErr(k, HWDisconnected, err, "lost the connection to your Ledger%s: reconnect it, unlock it, open the Ethereum app and retry", nothing)
		}
		return hwErr(k, HWDeviceFailure, err, "your Ledger failed%s: reconnect it, open the Ethereum app and retry", nothing)
	}
	switch {
	case errors.Is(err, usbwallet.ErrTrezorPINNeeded), strings.Contains(lower, "pin expected"):
		return hwErr(k, HWPIN, err, "your Trezor is locked: unlock it with its PIN (in Trezor Suite, then close Suite) and retry")
	case errors.Is(err, usbwallet.ErrTrezorPassphraseNeeded):
		return hwErr(k, HWPassphrase, err, "your Trezor asks for its passphrase, which hedger cannot prompt for here: turn passphrase protection off in Trezor Suite and retry")
	case strings.Contains(lower, "pin invalid"), strings.Contains(lower, "invalid pin"), strings.Contains(lower, "pin mismatch"):
		return hwErr(k, HWPIN, err, "wrong PIN for your Trezor: retry and type the positions of your digits on the grid the device shows")
	case strings.Contains(lower, "pin") && strings.Contains(lower, "cancel"):
		return hwErr(k, HWPIN, err, "PIN entry was cancelled on your Trezor: retry and enter the PIN")
	case strings.Contains(lower, "cancel"):
		return hwErr(k, HWRejected, err, "you cancelled the transaction on your Trezor%s", nothing)
	case strings.Contains(lower, "not initialized"):
		return hwErr(k, HWDeviceFailure, err, "your Trezor has no wallet yet: set it up in Trezor Suite first")
	case strings.Contains(msg, trezorBadHeader), strings.Contains(lower, "hidapi"), strings.Contains(msg, "hid: device closed"):
		return hwErr(k, HWDisconnected, err, "lost the connection to your Trezor%s: close Trezor Suite or Bridge if open, reconnect the device and retry", nothing)
	}
	return hwErr(k, HWDeviceFailure, err, "your Trezor failed%s", nothing)
}

// classifyLedgerRefusal tells apart what the geth Ledger driver reports as
// one "reply lacks signature": it asks the device for the address again (no
// prompt). If that fails too the device locked or left the app; otherwise
// the app refused the transaction itself: the user rejected it, or it is a
// contract call with blind signing off.
func (h *HardwareSigner) classifyLedgerRefusal(err error, tx *types.Transaction) error {
	probeTimeout := min(5*time.Second, h.opts.ConfirmTimeout)
	if _, perr := runOnDevice(h, context.Background(), probeTimeout, func() (accounts.Account, error) {
		return h.wallet.Derive(h.opts.Path, false)
	}); perr != nil {
		return hwErr(Ledger, HWNotReady, err, "your Ledger locked or left the Ethereum app before signing; nothing was sent: unlock it, open the Ethereum app and retry")
	}
	if tx != nil && len(tx.Data()) > 0 {
		switch {
		case h.blindSigning != nil && !*h.blindSigning:
			return hwErr(Ledger, HWBlindSigning, err, "your Ledger refused the contract call because blind signing is off; nothing was sent: enable it in the Ethereum app (Settings > Blind signing) and retry")
		case h.blindSigning == nil:
			return hwErr(Ledger, HWRefused, err, "your Ledger refused the transaction; nothing was sent: if you did not reject it, enable blind signing in the Ethereum app (Settings > Blind signing) and retry")
		}
	}
	return hwErr(Ledger, HWRejected, err, "you rejected the transaction on your Ledger; nothing was sent")
}

func translateOpenError(k HardwareKind, err error) error {
	h := &HardwareSigner{opts: HardwareOptions{Kind: k, ConfirmTimeout: DefaultConfirmTimeout}}
	if strings.Contains(err.Error(), "failed to open device") {
		hint := ""
		if k == Ledger {
			hint = " (Ledger Live, a browser wallet)"
		} else {
			hint = " (Trezor Suite, Trezor Bridge)"
		}
		return hwErr(k, HWDisconnected, err, "cannot open your %s: close other programs using it%s; on Linux install the vendor's udev rules", k.Name(), hint)
	}
	if k == Ledger && strings.Contains(err.Error(), ledgerNoPubkey) {
		return hwErr(k, HWNotReady, err, "your Ledger is locked or the Ethereum app is not open: unlock it, open the Ethereum app and retry")
	}
	return h.translate(err, nil, false)
}

// describeTx is the line printed before the device prompt, so the user can
// compare it with the screen.
func describeTx(tx *types.Transaction) string {
	to := "a new contract"
	if tx.To() != nil {
		to = tx.To().Hex()
	}
	fee := ""
	if tx.Type() == types.LegacyTxType {
		fee = "gas price " + gwei(tx.GasPrice()) + " gwei (legacy)"
	} else {
		fee = "max fee " + gwei(tx.GasFeeCap()) + " gwei, tip " + gwei(tx.GasTipCap()) + " gwei (EIP-1559)"
	}
	data := ""
	if n := len(tx.Data()); n > 0 {
		data = fmt.Sprintf(", %d bytes of call data", n)
	}
	return fmt.Sprintf("to %s, value %s wei, nonce %d, gas %d, %s%s", to, tx.Value(), tx.Nonce(), tx.Gas(), fee, data)
}

func gwei(wei *big.Int) string {
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(wei), big.NewFloat(1e9)).Float64()
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Ledger direct probe. The geth driver discards APDU status words, so before
// handing the device to it, hedger asks GET CONFIGURATION (E0 06) itself: the
// status word tells a locked device from a closed app, and the reply's flag
// byte says whether blind signing (contract data) is on.
const (
	swOK            = 0x9000
	swLocked        = 0x5515 // device locked (PIN screen)
	swLockedOld     = 0x6b0c // older firmware: locked
	swSecurity      = 0x6982 // security status not satisfied: locked on some firmware
	swDenied        = 0x6985 // user denied
	swInvalidData   = 0x6a80 // invalid data: contract data / blind signing disabled
	swCLANotSupp    = 0x6e00 // dashboard or another app: Ethereum app not open
	swCLANotSupp01  = 0x6e01
	swINSNotSupp    = 0x6d00
	swAppNotOpen    = 0x6511 // newer firmware: no app open
	swAppNotOpenAlt = 0x6d02
)

type ledgerConfig struct {
	ok      bool
	flags   byte
	version [3]byte
}

// probeLedger opens the Ledger at path (a hid path from the hub's wallet
// URL), reads its configuration and closes it. A device that cannot be
// opened or does not answer is left to the driver (ok=false).
func probeLedger(path string) (*ledgerConfig, error) {
	infos, err := hid.Enumerate(0x2c97, 0)
	if err != nil {
		return &ledgerConfig{}, nil
	}
	for _, info := range infos {
		if info.Path != path {
			continue
		}
		dev, err := info.Open()
		if err != nil {
			return &ledgerConfig{}, nil
		}
		cfg, err := ledgerGetConfiguration(dev, 3000)
		dev.Close()
		return cfg, err
	}
	return &ledgerConfig{}, nil
}

type timeoutReader interface {
	io.Writer
	ReadTimeout(b []byte, ms int) (int, error)
}

// ledgerGetConfiguration runs E0 06 00 00 00 over the Ledger HID framing.
func ledgerGetConfiguration(dev timeoutReader, timeoutMS int) (*ledgerConfig, error) {
	chunk := make([]byte, 64)
	copy(chunk, []byte{0x01, 0x01, 0x05, 0x00, 0x00, 0x00, 0x05, 0xe0, 0x06, 0x00, 0x00, 0x00})
	if _, err := dev.Write(chunk); err != nil {
		return &ledgerConfig{}, nil
	}
	var reply []byte
	want := -1
	for seq := 0; want < 0 || len(reply) < want; seq++ {
		buf := make([]byte, 64)
		n, err := dev.ReadTimeout(buf, timeoutMS)
		if err != nil || n < 5 || buf[0] != 0x01 || buf[1] != 0x01 || buf[2] != 0x05 || int(binary.BigEndian.Uint16(buf[3:5])) != seq {
			return &ledgerConfig{}, nil // no answer or browser mode: let the driver decide
		}
		payload := buf[5:n]
		if seq == 0 {
			if len(payload) < 2 {
				return &ledgerConfig{}, nil
			}
			want = int(binary.BigEndian.Uint16(payload[:2]))
			payload = payload[2:]
		}
		reply = append(reply, payload...)
	}
	reply = reply[:want]
	if len(reply) < 2 {
		return &ledgerConfig{}, nil
	}
	sw := binary.BigEndian.Uint16(reply[len(reply)-2:])
	data := reply[:len(reply)-2]
	switch sw {
	case swOK:
		if len(data) != 4 {
			return &ledgerConfig{}, nil
		}
		return &ledgerConfig{ok: true, flags: data[0], version: [3]byte{data[1], data[2], data[3]}}, nil
	case swLocked, swLockedOld, swSecurity:
		return nil, hwErr(Ledger, HWLocked, fmt.Errorf("ledger status word %#04x", sw), "your Ledger is locked: unlock it with your PIN, open the Ethereum app and retry")
	case swCLANotSupp, swCLANotSupp01, swINSNotSupp, swAppNotOpen, swAppNotOpenAlt:
		return nil, hwErr(Ledger, HWAppClosed, fmt.Errorf("ledger status word %#04x", sw), "the Ethereum app is not open on your Ledger: open it on the device and retry")
	}
	return &ledgerConfig{}, nil
}
