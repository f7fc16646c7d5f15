package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// The transaction manager, in the style of optimism's op-service/txmgr:
// craft (estimate, fees, nonce), sign and journal, send, then a confirmation
// loop that bumps fees, waits for depth, survives reorgs and tells a mined
// transaction from a replaced or dropped one. Every step that can have an
// effect on chain is journaled (and fsync'ed) before it happens.

// TxRequest is what to send; the manager fills in nonce, fees and gas.
type TxRequest struct {
	To    *common.Address // nil deploys Data as contract creation code
	Data  []byte
	Value *big.Int
	// Action is the caller's description of the transaction, stored in the
	// journal as its JSON encoding (optional); chain/ does not interpret it.
	Action any
}

// Defaults of the manager's knobs, in one place: Config.withDefaults fills
// every zero field from these.
const (
	DefaultResubmitAfter  = 45 * time.Second
	DefaultReceiptTimeout = 5 * time.Minute
	DefaultPollInterval   = time.Second
	DefaultGasHeadroomPct = 25
	// DefaultConfirmations off dev chains; dev chains (1337, 31337) use 1.
	DefaultConfirmations = 3
	// DefaultReplacedAfter bounds how long "our nonce is used and none of
	// our hashes has a receipt" must hold (when the chain does not advance
	// by the confirmation depth meanwhile) before the action is called
	// replaced; dev chains, which mine only on demand, use devReplacedAfter.
	DefaultReplacedAfter = 60 * time.Second
	devReplacedAfter     = 1500 * time.Millisecond
	// replacedPolls is the fewest polls that must agree on "replaced".
	replacedPolls = 4
	// MaxConfirmations bounds Config.Confirmations: deeper waits are a typo.
	MaxConfirmations = 1000
)

// Config is everything a TxManager is built from. NewTxManager validates it
// once and fills the defaults; the manager never changes afterwards.
type Config struct {
	Backend Backend // required: the node (a *Client)
	// ChainID is the chain every transaction is signed for; nil takes the
	// pinned chain ID of a *Client backend.
	ChainID *big.Int
	Signer  Signer // required
	// Journal, when set, records every step; see journal.go.
	Journal *Journal
	ABIs    []*abi.ABI // for decoding custom errors

	GasHeadroomPct uint64        // added to the estimate; 0: 25, at most 200
	ReceiptTimeout time.Duration // longest wait to be mined and confirmed; 0: 5m
	PollInterval   time.Duration // longest wait between receipt polls; 0: 1s, at most ReceiptTimeout
	// ResubmitAfter is how long a transaction may wait unmined before it is
	// replaced with higher fees; 0: 45s.
	ResubmitAfter time.Duration
	// MaxFeeCap is the most the user will pay per gas (EIP-1559 fee cap, or
	// legacy gas price), in wei; nil means no limit. Never exceeded.
	MaxFeeCap *big.Int
	// Confirmations is the depth a receipt must reach before Send returns;
	// 0 means 1 on dev chains and DefaultConfirmations elsewhere.
	Confirmations uint64
	// ReplacedAfter: see DefaultReplacedAfter; 0 means the default.
	ReplacedAfter time.Duration

	// Recipients, when non-nil, are the only addresses Send signs for: any
	// other recipient, and contract creation, is refused before the signer
	// is asked. Commands set it from the address book, so no bug in a plan
	// can send the margin account's funds anywhere else.
	Recipients map[common.Address]bool
	// DecodeFill, when set, reads a trade's fill price and fee from a
	// successful receipt for the journal ("" when the receipt has none).
	DecodeFill func(*types.Receipt) (fillPrice, fee string)
	// Logf, when set, receives progress notes a user should see: fee bumps,
	// a bump held back by MaxFeeCap, a reorg, a rebroadcast.
	Logf func(format string, args ...any)
	// Sent, when set, is told each transaction hash as soon as the node
	// accepted it (the first one and every fee bump), before the receipt wait.
	Sent func(hash common.Hash)
}

// withDefaults validates c and returns it with every default filled and its
// mutable inputs (fee cap, recipients) copied, so the caller cannot change
// the manager afterwards.
func (c Config) withDefaults() (Config, error) {
	if c.Backend == nil {
		return c, errors.New("transaction manager: no backend")
	}
	if c.Signer == nil {
		return c, errors.New("transaction manager: no signer")
	}
	if c.ChainID == nil {
		if cl, ok := c.Backend.(*Client); ok {
			c.ChainID = cl.ChainID
		}
	}
	if c.ChainID == nil || c.ChainID.Sign() <= 0 {
		return c, errors.New("transaction manager: no chain ID")
	}
	c.ChainID = new(big.Int).Set(c.ChainID)
	dev := c.ChainID.IsUint64() && IsDevChain(c.ChainID.Uint64())
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"receipt timeout", c.ReceiptTimeout}, {"poll interval", c.PollInterval}, {"resubmit interval", c.ResubmitAfter}, {"replaced-after", c.ReplacedAfter}} {
		if d.v < 0 {
			return c, fmt.Errorf("transaction manager: negative %s %s", d.name, d.v)
		}
	}
	if c.GasHeadroomPct == 0 {
		c.GasHeadroomPct = DefaultGasHeadroomPct
	}
	if c.GasHeadroomPct > 200 {
		return c, fmt.Errorf("transaction manager: gas headroom %d%% is above 200%%", c.GasHeadroomPct)
	}
	if c.ReceiptTimeout == 0 {
		c.ReceiptTimeout = DefaultReceiptTimeout
	}
	if c.PollInterval == 0 {
		c.PollInterval = min(DefaultPollInterval, c.ReceiptTimeout)
	}
	if c.PollInterval > c.ReceiptTimeout {
		return c, fmt.Errorf("transaction manager: poll interval %s is longer than the receipt timeout %s", c.PollInterval, c.ReceiptTimeout)
	}
	if c.ResubmitAfter == 0 {
		c.ResubmitAfter = DefaultResubmitAfter
	}
	if c.Confirmations == 0 {
		c.Confirmations = DefaultConfirmations
		if dev {
			c.Confirmations = 1
		}
	}
	if c.Confirmations > MaxConfirmations {
		return c, fmt.Errorf("transaction manager: %d confirmations is above %d", c.Confirmations, MaxConfirmations)
	}
	if c.ReplacedAfter == 0 {
		c.ReplacedAfter = DefaultReplacedAfter
		if dev {
			c.ReplacedAfter = devReplacedAfter
		}
	}
	if c.MaxFeeCap != nil {
		if c.MaxFeeCap.Sign() <= 0 {
			return c, errors.New("transaction manager: the maximum fee must be positive")
		}
		c.MaxFeeCap = new(big.Int).Set(c.MaxFeeCap)
	}
	if c.Recipients != nil {
		r := make(map[common.Address]bool, len(c.Recipients))
		for a, ok := range c.Recipients {
			if ok {
				r[a] = true
			}
		}
		c.Recipients = r
	}
	c.ABIs = append([]*abi.ABI(nil), c.ABIs...)
	return c, nil
}

// TxManager sends transactions from one signer: EIP-1559 fees from the node
// (legacy gas price for signers that need it), a gas estimate with headroom,
// fee bumps while a transaction waits, a confirmation depth, reorg and
// replacement detection, revert reasons decoded against known ABIs, and a
// journal line for every step. Build it with NewTxManager.
type TxManager struct {
	cfg Config // validated, defaults filled; never changed
	b   Backend

	// hook lets tests in this package observe and steer the confirmation
	// loop (e.g. mine a block at a given step). Nil outside tests.
	hook func(ev string, n uint64)
}

// NewTxManager validates cfg and builds the manager.
func NewTxManager(cfg Config) (*TxManager, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &TxManager{cfg: c, b: c.Backend}, nil
}

// Client is the backend as a *Client (nil for another backend): callers
// that read the chain beside sending use the same connection.
func (m *TxManager) Client() *Client {
	c, _ := m.b.(*Client)
	return c
}

// Signer is the signing account's signer.
func (m *TxManager) Signer() Signer { return m.cfg.Signer }

// Address is the signing account.
func (m *TxManager) Address() common.Address { return m.cfg.Signer.Address() }

// ChainID is the chain the manager signs for.
func (m *TxManager) ChainID() *big.Int { return new(big.Int).Set(m.cfg.ChainID) }

// ABIs are the contract ABIs its errors are decoded with.
func (m *TxManager) ABIs() []*abi.ABI { return append([]*abi.ABI(nil), m.cfg.ABIs...) }

// Journal is the journal it writes, or nil.
func (m *TxManager) Journal() *Journal { return m.cfg.Journal }

// Config is the validated configuration (defaults filled), e.g. to build a
// manager for another signer with the same settings.
func (m *TxManager) Config() Config { return m.cfg }

func (m *TxManager) head(ctx context.Context) (*types.Header, error) {
	h, err := m.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the latest block: %w", err)
	}
	return h, nil
}

// LegacySigner is a Signer that can sign only legacy transactions when
// LegacyOnly returns true (a Trezor; a Ledger with an Ethereum app < 1.9.0).
type LegacySigner interface {
	LegacyOnly() bool
}

// ChainIDChecker is a Signer that cannot sign for every chain ID (a Trezor
// truncates it to 32 bits).
type ChainIDChecker interface {
	CheckChainID(*big.Int) error
}

// LegacyOnly reports whether Send builds legacy transactions with a gas
// price for this signer instead of EIP-1559 ones.
func (m *TxManager) LegacyOnly() bool {
	l, ok := m.cfg.Signer.(LegacySigner)
	return ok && l.LegacyOnly()
}

// ConfirmationDepth is the depth Send waits for.
func (m *TxManager) ConfirmationDepth() uint64 { return m.cfg.Confirmations }

// accountLocks holds one mutex per signing account: one transaction in
// flight per account in this process (the journal's flock covers other
// processes), so two sends never pick the same nonce.
var accountLocks sync.Map

func lockAccount(a common.Address) func() {
	v, _ := accountLocks.LoadOrStore(a, new(sync.Mutex))
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// inflight is one action being sent: every signed version of it (the first
// and each fee bump, all at one nonce), kept in memory so a transaction a
func (m *TxManager) emit(ev string, n uint64) {
	if m.hook != nil {
		m.hook(ev, n)
	}
}

// logf hands a note to Config.Logf with any node text in it made
// printable (custom errors decoded, raw bytes hexed).
func (m *TxManager) logf(format string, args ...any) {
	if m.cfg.Logf != nil {
		m.cfg.Logf("%s", CleanNodeText(fmt.Sprintf(format, args...), m.cfg.ABIs...))
	}
}
func (m *TxManager) journal(e JournalEntry) error {
	if m.cfg.Journal == nil {
		return nil
	}
	e.Error, e.Note = RedactURLs(CleanNodeText(e.Error, m.cfg.ABIs...)), RedactURLs(e.Note)
	return m.cfg.Journal.Append(e)
}

// journalOutcome writes the final line. A failure is reported, not
// returned: the transaction's fate is already decided, and the next run's
// reconcile writes the outcome the journal lacks.
func (m *TxManager) journalOutcome(e JournalEntry) {
	e.Type = EntryOutcome
	if err := m.journal(e); err != nil {
		m.logf("%v (the next run reconciles it)", err)
	}
}

// outcomeFor is the outcome line of a receipt: gas, fee paid and, for a
// trade the caller can decode, fill price and venue fee.
func (m *TxManager) outcomeFor(id string, rcpt *types.Receipt) JournalEntry {
	o := JournalEntry{Type: EntryOutcome, ID: id, Outcome: OutcomeMined, MinedHash: rcpt.TxHash.Hex(),
		Block: rcpt.BlockNumber.Uint64(), BlockHash: rcpt.BlockHash.Hex(), GasUsed: rcpt.GasUsed}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		o.Outcome = OutcomeReverted
	}
	if rcpt.EffectiveGasPrice != nil {
		o.EffectiveGasPrice = rcpt.EffectiveGasPrice.String()
		o.FeePaidWei = new(big.Int).Mul(rcpt.EffectiveGasPrice, new(big.Int).SetUint64(rcpt.GasUsed)).String()
	}
	if m.cfg.DecodeFill != nil && rcpt.Status == types.ReceiptStatusSuccessful {
		o.FillPrice, o.TradeFee = m.cfg.DecodeFill(rcpt)
	}
	return o
}
