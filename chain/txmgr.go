package chain

import (
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
	// Action describes the transaction for the journal (optional).
	Action ActionMeta
}

// Defaults of the manager's knobs.
const (
	DefaultResubmitAfter  = 45 * time.Second
	DefaultReceiptTimeout = 5 * time.Minute
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
)

// TxManager sends transactions from one signer: EIP-1559 fees from the node
// (legacy gas price for signers that need it), a gas estimate with headroom,
// fee bumps while a transaction waits, a confirmation depth, reorg and
// replacement detection, revert reasons decoded against known ABIs, and a
// journal line for every step.
type TxManager struct {
	Client         *Client
	Signer         Signer
	GasHeadroomPct uint64        // added to the estimate; default 25
	ReceiptTimeout time.Duration // longest wait for a transaction to be mined and confirmed; default 5m
	PollInterval   time.Duration // longest wait between receipt polls; default 1s
	ABIs           []*abi.ABI    // for decoding custom errors
	// Sent, when set, is told each transaction hash as soon as the node
	// accepted it (the first one and every fee bump), before the receipt wait.
	Sent func(hash common.Hash)

	// Journal, when set, records every step; see journal.go.
	Journal *Journal
	// ResubmitAfter is how long a transaction may wait unmined before it is
	// replaced with higher fees; default 45s.
	ResubmitAfter time.Duration
	// MaxFeeCap is the most the user will pay per gas (EIP-1559 fee cap, or
	// legacy gas price), in wei; nil means no limit. Never exceeded.
	MaxFeeCap *big.Int
	// Confirmations is the depth a receipt must reach before Send returns;
	// 0 means 1 on dev chains and DefaultConfirmations elsewhere.
	Confirmations uint64
	// ReplacedAfter: see DefaultReplacedAfter; 0 means the default.
	ReplacedAfter time.Duration
	// DecodeFill, when set, reads a trade's fill price and fee from a
	// successful receipt for the journal ("" when the receipt has none).
	DecodeFill func(*types.Receipt) (fillPrice, fee string)
	// Logf, when set, receives progress notes a user should see: fee bumps,
	// a bump held back by MaxFeeCap, a reorg, a rebroadcast.
	Logf func(format string, args ...any)

	// Recipients, when non-nil, are the only addresses Send signs for: any
	// other recipient, and contract creation, is refused before the signer
	// is asked. Commands set it from the address book, so no bug in a plan
	// can send the margin account's funds anywhere else.
	Recipients map[common.Address]bool

	// hook lets tests in this package observe and steer the confirmation
	// loop (e.g. mine a block at a given step). Nil outside tests.
	hook func(ev string, n uint64)
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
	l, ok := m.Signer.(LegacySigner)
	return ok && l.LegacyOnly()
}

// ConfirmationDepth is the depth Send waits for.
func (m *TxManager) ConfirmationDepth() uint64 {
	if m.Confirmations > 0 {
		return m.Confirmations
	}
	if m.Client != nil && m.Client.ChainID != nil && m.Client.IsDev() {
		return 1
	}
	return DefaultConfirmations
}

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

func (m *TxManager) logf(format string, args ...any) {
	if m.Logf != nil {
		m.Logf(format, args...)
	}
}
func (m *TxManager) journal(e JournalEntry) error {
	if m.Journal == nil {
		return nil
	}
	e.Error, e.Note = RedactURLs(e.Error), RedactURLs(e.Note)
	return m.Journal.Append(e)
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
	if m.DecodeFill != nil && rcpt.Status == types.ReceiptStatusSuccessful {
		o.FillPrice, o.TradeFee = m.DecodeFill(rcpt)
	}
	return o
}
