package chain

// The transaction manager, in the style of optimism's op-service/txmgr:
// craft (estimate, fees, nonce), sign and journal, send, then a confirmation
// loop that bumps fees, waits for depth, survives reorgs and tells a mined
// transaction from a replaced or dropped one. Every step that can have an
// effect on chain is journaled (and fsync'ed) before it happens.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/shopspring/decimal"
)

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

// Fees are the EIP-1559 caps the manager would use now.
type Fees struct {
	TipCap, FeeCap, BaseFee *big.Int
}

// SuggestFees reads the base fee of the head and the node's tip suggestion;
// the fee cap allows the base fee to double before the transaction stalls.
func (m *TxManager) SuggestFees(ctx context.Context) (Fees, error) {
	head, err := m.Client.Head(ctx)
	if err != nil {
		return Fees{}, err
	}
	tip, err := m.Client.Eth.SuggestGasTipCap(ctx)
	if err != nil {
		return Fees{}, fmt.Errorf("reading the gas tip: %w", err)
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)
	return Fees{TipCap: tip, FeeCap: feeCap, BaseFee: base}, nil
}

// Estimate returns the gas the node estimates for req, plus headroom. A
// revert is decoded into a readable error.
//
// The estimate runs as the next block would: with a timestamp one second
// past the head, so time-dependent branches (a venue accruing funding) are
// paid for; at the head's own timestamp they are skipped and the mined
// transaction can run out of gas. Nodes without block overrides on
// eth_estimateGas get a plain estimate.
func (m *TxManager) Estimate(ctx context.Context, req TxRequest) (uint64, error) {
	head, err := m.Client.Head(ctx)
	if err != nil {
		return 0, err
	}
	args := map[string]any{"from": m.Signer.Address(), "input": hexutil.Bytes(req.Data)}
	if req.To != nil {
		args["to"] = req.To
	}
	if req.Value != nil {
		args["value"] = (*hexutil.Big)(req.Value)
	}
	var est hexutil.Uint64
	next := map[string]any{"time": hexutil.Uint64(head.Time + 1)}
	err = m.Client.RPC.CallContext(ctx, &est, "eth_estimateGas", args, "latest", nil, next)
	gas := uint64(est)
	if err != nil && !isRevert(err) {
		msg := ethereum.CallMsg{From: m.Signer.Address(), To: req.To, Data: req.Data, Value: req.Value}
		gas, err = m.Client.Eth.EstimateGas(ctx, msg)
	}
	if err != nil {
		return 0, m.revertError("would revert", err)
	}
	pct := m.GasHeadroomPct
	if pct == 0 {
		pct = 25
	}
	return gas + gas*pct/100, nil
}

// isRevert tells an execution revert from a node that rejected the request.
func isRevert(err error) bool {
	var de rpc.DataError
	if errors.As(err, &de) && de.ErrorData() != nil {
		return true
	}
	return strings.Contains(err.Error(), "revert")
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
// reorg or the mempool lost can be rebroadcast. The raw bytes are never
// journaled or logged.
type inflight struct {
	id       string
	req      TxRequest
	nonce    uint64
	legacy   bool
	txs      []*types.Transaction // oldest first
	lastSend time.Time
	capSaid  bool
}

func (f *inflight) latest() *types.Transaction { return f.txs[len(f.txs)-1] }

// Send signs and sends req, waits until it is mined at the confirmation
// depth and returns its receipt. A mined transaction that reverted is an
// error carrying the decoded reason.
//
// A signer that can sign only some chains (CheckChainID) is asked first, and
// one that signs only legacy transactions (LegacyOnly, e.g. a Trezor) gets an
// EIP-155 legacy transaction priced with the node's gas price: the choice is
// made before the signer is called, so a hardware wallet never shows a
// transaction it would then fail to sign.
func (m *TxManager) Send(ctx context.Context, req TxRequest) (*types.Receipt, error) {
	if c, ok := m.Signer.(ChainIDChecker); ok {
		if err := c.CheckChainID(m.Client.ChainID); err != nil {
			return nil, err
		}
	}
	if m.Recipients != nil && (req.To == nil || !m.Recipients[*req.To]) {
		to := "contract creation"
		if req.To != nil {
			to = req.To.Hex()
		}
		return nil, fmt.Errorf("refusing to sign for %s: not a contract in the address book; nothing sent", to)
	}
	from := m.Signer.Address()
	unlock := lockAccount(from)
	defer unlock()

	gas, err := m.Estimate(ctx, req)
	if err != nil {
		return nil, err
	}
	legacy := m.LegacyOnly()
	var fees Fees
	var gasPrice *big.Int
	if legacy {
		if gasPrice, err = m.legacyPrice(ctx); err != nil {
			return nil, err
		}
	} else if fees, err = m.initialFees(ctx); err != nil {
		return nil, err
	}
	nonce, err := m.nextNonce(ctx)
	if err != nil {
		return nil, err
	}
	value := req.Value
	if value == nil {
		value = new(big.Int)
	}
	var tx *types.Transaction
	if legacy {
		// Signed with the chain ID (EIP-155) by the signer.
		tx = types.NewTx(&types.LegacyTx{
			Nonce: nonce, GasPrice: gasPrice, Gas: gas, To: req.To, Value: value, Data: req.Data,
		})
	} else {
		tx = types.NewTx(&types.DynamicFeeTx{
			ChainID: m.Client.ChainID, Nonce: nonce, GasTipCap: fees.TipCap, GasFeeCap: fees.FeeCap,
			Gas: gas, To: req.To, Value: value, Data: req.Data,
		})
	}
	f := &inflight{id: NewJournalID(), req: req, nonce: nonce, legacy: legacy}
	intent := JournalEntry{Type: EntryIntent, ID: f.id, ActionMeta: req.Action}
	if req.To != nil {
		intent.To = req.To.Hex()
	}
	if err := m.journal(intent); err != nil {
		return nil, fmt.Errorf("%w; nothing sent", err)
	}
	signed, err := m.Signer.SignTx(ctx, tx, m.Client.ChainID)
	if err != nil {
		m.journalOutcome(JournalEntry{ID: f.id, Outcome: OutcomeFailed, Error: "not signed: " + err.Error()})
		return nil, err
	}
	// The signed line is on disk before the transaction can reach the node:
	// a crash from here on leaves a hash the next run can look for.
	se := attemptEntry(EntrySigned, f.id, signed)
	if head, err := m.Client.Head(ctx); err == nil {
		se.AnchorBlock, se.AnchorHash = head.Number.Uint64(), head.Hash().Hex()
	}
	if err := m.journal(se); err != nil {
		return nil, fmt.Errorf("%w; nothing sent", err)
	}
	f.txs = append(f.txs, signed)
	crashPoint("before-send")
	if err := m.broadcast(ctx, signed); err != nil {
		// Only a definite "the node does not have it" makes a refusal
		// final. If the node has this very transaction, an earlier delivery
		// of it (e.g. a retried request) took the nonce: that is success. If
		// the lookup itself failed, nothing is known: the loop below settles
		// mined vs replaced from receipts.
		// "Nonce too low" is never final here: behind a load balancer a
		// retried first delivery gets it while the lookup lands on a backend
		// that never saw the transaction. The loop below tells ours (mined)
		// from another's (replaced) on lasting evidence.
		var has knowledge = unknownTx
		if isRejection(err) && !isNonceTooLow(err) {
			has = m.nodeHas(ctx, signed)
		}
		switch {
		case isRejection(err) && !isNonceTooLow(err) && has == txAbsent:
			err = m.revertError("rejected by the node", err)
			m.journalOutcome(JournalEntry{ID: f.id, Outcome: OutcomeFailed, Error: err.Error()})
			return nil, err
		}
		// A lost answer (connection reset, timeout, a 5xx from a gateway)
		// says nothing about whether the node took the transaction: treat
		// it as sent. The loop below finds it, or sends it again if the
		// node never got it; concluding "failed" here could double a trade.
		m.logf("sending %s: %v; the node may have it: waiting for it", signed.Hash().Hex(), err)
		m.emit("send-unknown", nonce)
	} else if m.Sent != nil {
		m.Sent(signed.Hash())
	}
	f.lastSend = time.Now()
	m.emit("sent", nonce)
	crashPoint("after-send")
	rcpt, err := m.confirm(ctx, f)
	if err != nil {
		return nil, err
	}
	crashPoint("after-receipt")
	m.journalOutcome(m.outcomeFor(f.id, rcpt))
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return rcpt, m.explainFailure(ctx, req, rcpt)
	}
	return rcpt, nil
}

func attemptEntry(typ, id string, tx *types.Transaction) JournalEntry {
	n := tx.Nonce()
	e := JournalEntry{Type: typ, ID: id, Hash: tx.Hash().Hex(), Nonce: &n, Gas: tx.Gas()}
	if tx.Type() == types.LegacyTxType {
		e.GasPrice = tx.GasPrice().String()
	} else {
		e.TipCapWei, e.FeeCapWei = tx.GasTipCap().String(), tx.GasFeeCap().String()
	}
	return e
}

// initialFees are the node's suggestion, held to MaxFeeCap. A cap below the
// base fee could never be mined: that is refused before anything is signed.
func (m *TxManager) initialFees(ctx context.Context) (Fees, error) {
	fees, err := m.SuggestFees(ctx)
	if err != nil {
		return Fees{}, err
	}
	if m.MaxFeeCap == nil {
		return fees, nil
	}
	if m.MaxFeeCap.Cmp(fees.BaseFee) < 0 {
		return Fees{}, fmt.Errorf("the maximum fee %s gwei is below the current base fee %s gwei: the transaction could not be mined; nothing sent",
			gweiExact(m.MaxFeeCap), gweiExact(fees.BaseFee))
	}
	if fees.FeeCap.Cmp(m.MaxFeeCap) > 0 {
		fees.FeeCap = new(big.Int).Set(m.MaxFeeCap)
	}
	if fees.TipCap.Cmp(fees.FeeCap) > 0 {
		fees.TipCap = new(big.Int).Set(fees.FeeCap)
	}
	return fees, nil
}

func (m *TxManager) legacyPrice(ctx context.Context) (*big.Int, error) {
	p, err := m.Client.Eth.SuggestGasPrice(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the gas price: %w", err)
	}
	if m.MaxFeeCap == nil || p.Cmp(m.MaxFeeCap) <= 0 {
		return p, nil
	}
	head, err := m.Client.Head(ctx)
	if err != nil {
		return nil, err
	}
	if head.BaseFee != nil && m.MaxFeeCap.Cmp(head.BaseFee) < 0 {
		return nil, fmt.Errorf("the maximum fee %s gwei is below the current base fee %s gwei: the transaction could not be mined; nothing sent",
			gweiExact(m.MaxFeeCap), gweiExact(head.BaseFee))
	}
	return new(big.Int).Set(m.MaxFeeCap), nil
}

func gweiExact(wei *big.Int) string { return decimal.NewFromBigInt(wei, -9).String() }

// nextNonce is the node's pending nonce, checked against the journal: a nonce
// the journal still has a live transaction for is never reused.
func (m *TxManager) nextNonce(ctx context.Context) (uint64, error) {
	from := m.Signer.Address()
	nonce, err := m.Client.Eth.PendingNonceAt(ctx, from)
	if err != nil {
		return 0, fmt.Errorf("reading the nonce of %s: %w", from.Hex(), err)
	}
	if m.Journal == nil {
		return nonce, nil
	}
	recs, err := m.Journal.Records()
	if err != nil {
		return 0, err
	}
	for _, r := range recs {
		if n, ok := r.Nonce(); ok && r.Live() && n >= nonce {
			hs := r.Hashes()
			return 0, fmt.Errorf("journal entry %s (tx %s, nonce %d) is unresolved and the node does not count it: rerun to reconcile it; nothing sent",
				r.ID, hs[len(hs)-1].Hex(), n)
		}
	}
	return nonce, nil
}

// broadcast sends a signed transaction; "already known" means the node has it.
func (m *TxManager) broadcast(ctx context.Context, tx *types.Transaction) error {
	err := m.Client.Eth.SendTransaction(ctx, tx)
	if err != nil && isAlreadyKnown(err) {
		err = nil
	}
	if err == nil && m.Client.mine != nil {
		m.Client.mine()
	}
	return err
}

// isRejection reports whether err is an answer from the node (a JSON-RPC
// error object), as opposed to a transport failure that leaves the outcome
// unknown.
func isRejection(err error) bool {
	var re rpc.Error
	return errors.As(err, &re)
}

// knowledge is what a lookup says about a transaction.
type knowledge int

const (
	unknownTx knowledge = iota // the lookup failed: nothing is known
	txKnown                    // the node has it (pending or mined)
	txAbsent                   // the node answered that it does not have it
)

// nodeHas asks the node whether it knows tx (pending or mined). Only an
// answer of "not found" is txAbsent: a failed lookup is unknownTx.
func (m *TxManager) nodeHas(ctx context.Context, tx *types.Transaction) knowledge {
	_, _, err := m.Client.Eth.TransactionByHash(ctx, tx.Hash())
	switch {
	case err == nil:
		return txKnown
	case errors.Is(err, ethereum.NotFound):
		return txAbsent
	}
	return unknownTx
}

func isAlreadyKnown(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "already known") || strings.Contains(s, "already imported") ||
		strings.Contains(s, "already exists") || strings.Contains(s, "known transaction")
}

func isNonceTooLow(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "nonce too low") || strings.Contains(s, "nonce is too low") ||
		strings.Contains(s, "invalid nonce")
}

func isUnderpriced(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "underpriced")
}

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

// confirm waits for one of f's transactions to be mined at the confirmation
// depth in a canonical block, bumping fees while it waits, rebroadcasting
// what a reorg or the mempool lost, and recognising a nonce taken by a
// transaction that is not ours.
func (m *TxManager) confirm(ctx context.Context, f *inflight) (*types.Receipt, error) {
	timeout, poll := m.ReceiptTimeout, m.PollInterval
	if timeout == 0 {
		timeout = DefaultReceiptTimeout
	}
	if poll == 0 {
		poll = time.Second
	}
	resubmit := m.ResubmitAfter
	if resubmit == 0 {
		resubmit = DefaultResubmitAfter
	}
	confs := m.ConfirmationDepth()
	from := m.Signer.Address()
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var seen *types.Receipt // the last receipt seen, to notice it moving or vanishing
	var last error
	var rep replacedWatch
	unknown := 0
	delay := min(50*time.Millisecond, poll)
	for {
		// The nonce is read before the receipts: a transaction mined between
		// the two reads then shows up as a receipt, never as "replaced".
		mined, nerr := m.Client.Eth.NonceAt(wctx, from, nil)
		rcpt, rerr := m.anyReceipt(wctx, f.txs)
		switch {
		case rerr != nil:
			last = rerr
		case nerr != nil:
			last = nerr
		case rcpt != nil:
			rep, unknown = replacedWatch{}, 0
			if seen != nil && seen.BlockHash != rcpt.BlockHash {
				m.logf("transaction %s moved from block %s to block %s (reorg)", rcpt.TxHash.Hex(), seen.BlockNumber, rcpt.BlockNumber)
				m.emit("reorg", rcpt.BlockNumber.Uint64())
			}
			seen = rcpt
			done, err := m.deepEnough(wctx, rcpt, confs)
			if err != nil {
				last = err
			} else if done {
				return rcpt, nil
			}
		default:
			if seen != nil {
				// Mined, and now gone: a reorg dropped its block. The signed
				// transaction is still valid: send it again.
				m.logf("transaction %s left the chain with block %s (reorg); rebroadcasting it", seen.TxHash.Hex(), seen.BlockNumber)
				m.emit("reorg", seen.BlockNumber.Uint64())
				seen = nil
				m.rebroadcast(wctx, f)
				break
			}
			if mined > f.nonce {
				// Our nonce is used and none of our hashes has a receipt. A
				// receipt index, or one node behind a load balancer, can lag:
				// concluded only when it holds over several polls spanning the
				// confirmation depth in blocks (or ReplacedAfter).
				done, head, err := m.replacedSettled(wctx, &rep)
				if err != nil {
					last = err
				} else if done {
					err := fmt.Errorf("nonce %d was used by a transaction that is not one of ours (%s): the action did not happen", f.nonce, hashList(f.txs))
					m.journalOutcome(JournalEntry{ID: f.id, Outcome: OutcomeReplaced, Error: err.Error(), HeadBlock: head})
					m.emit("replaced", f.nonce)
					return nil, err
				}
				break
			}
			rep = replacedWatch{}
			if time.Since(f.lastSend) >= resubmit {
				m.bump(wctx, f)
			}
			// Nothing at our nonce in the node's mempool: it forgot every
			// version (evicted, or a node restart). Asked a few times in a row
			// before acting, since a load-balanced endpoint can lag.
			pending, perr := m.Client.Eth.PendingNonceAt(wctx, from)
			if perr != nil {
				last = perr
				break
			}
			if pending > f.nonce {
				unknown = 0
				break
			}
			if unknown++; unknown >= 3 {
				unknown = 0
				if err := m.rebroadcast(wctx, f); err != nil {
					err = fmt.Errorf("transaction %s was dropped by the node and cannot be sent again: %s", f.latest().Hash().Hex(), err)
					head, _ := m.Client.Eth.BlockNumber(wctx) // for checkFresh; 0 if unknown
					m.journalOutcome(JournalEntry{ID: f.id, Outcome: OutcomeDropped, Error: err.Error(), HeadBlock: head})
					m.emit("dropped", f.nonce)
					return nil, err
				}
			}
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			h := f.latest().Hash().Hex()
			if seen != nil {
				return nil, fmt.Errorf("transaction %s was mined in block %s but did not reach %d confirmations within %s (the next run reconciles it)",
					seen.TxHash.Hex(), seen.BlockNumber, confs, timeout)
			}
			if last != nil {
				return nil, fmt.Errorf("transaction %s not mined within %s (it may still be pending; the next run reconciles it; last error: %v)", h, timeout, last)
			}
			return nil, fmt.Errorf("transaction %s not mined within %s (it may still be pending; the next run reconciles it)", h, timeout)
		case <-time.After(delay):
		}
		delay = min(delay*2, poll)
	}
}

// replacedWatch tracks "our nonce is used, none of our hashes has a
// receipt" across polls.
type replacedWatch struct {
	polls    int
	since    time.Time
	fromHead uint64
}

func (m *TxManager) replacedAfter() time.Duration {
	switch {
	case m.ReplacedAfter > 0:
		return m.ReplacedAfter
	case m.Client != nil && m.Client.ChainID != nil && m.Client.IsDev():
		return devReplacedAfter
	}
	return DefaultReplacedAfter
}

// replacedSettled records one more poll that saw our nonce used and none of
// our receipts, and reports whether that now holds across at least
// replacedPolls polls spanning the confirmation depth in blocks (or
// ReplacedAfter, for chains that do not advance), with the head seen now.
func (m *TxManager) replacedSettled(ctx context.Context, w *replacedWatch) (bool, uint64, error) {
	head, err := m.Client.Eth.BlockNumber(ctx)
	if err != nil {
		return false, 0, err
	}
	if w.polls == 0 {
		w.since, w.fromHead = time.Now(), head
	}
	w.polls++
	m.emit("replaced-poll", uint64(w.polls))
	if w.polls < replacedPolls {
		return false, head, nil
	}
	if head >= w.fromHead+m.ConfirmationDepth() || time.Since(w.since) >= m.replacedAfter() {
		return true, head, nil
	}
	return false, head, nil
}

// deepEnough reports whether rcpt has confs blocks on top of (and including)
// its own, and its block is still the canonical one at that height.
func (m *TxManager) deepEnough(ctx context.Context, rcpt *types.Receipt, confs uint64) (bool, error) {
	head, err := m.Client.Eth.BlockNumber(ctx)
	if err != nil {
		return false, err
	}
	b := rcpt.BlockNumber.Uint64()
	depth := uint64(0)
	if head >= b {
		depth = head - b + 1
	}
	m.emit("depth", depth)
	if depth < confs {
		return false, nil
	}
	h, err := m.Client.Eth.HeaderByNumber(ctx, rcpt.BlockNumber)
	if err != nil {
		return false, err
	}
	if h.Hash() != rcpt.BlockHash {
		m.logf("block %s of transaction %s was replaced by a reorg; waiting for the transaction again", rcpt.BlockNumber, rcpt.TxHash.Hex())
		m.emit("reorg", b)
		return false, nil
	}
	return true, nil
}

// anyReceipt returns the receipt of whichever of txs was mined, if any.
func (m *TxManager) anyReceipt(ctx context.Context, txs []*types.Transaction) (*types.Receipt, error) {
	var last error
	for i := len(txs) - 1; i >= 0; i-- {
		r, err := m.Client.Eth.TransactionReceipt(ctx, txs[i].Hash())
		if err == nil {
			return r, nil
		}
		// "not found" while pending; geth's "transaction indexing is in
		// progress" or a dropped connection say nothing either way.
		if !errors.Is(err, ethereum.NotFound) {
			last = err
		}
	}
	return nil, last
}

// rebroadcast sends the newest version of f again. Only a definite refusal
// by a node that does not hold the transaction is an error: an answer that
// the nonce is taken or the mempool holds a better one lets the loop find
// out which transaction won, and a lost answer (transport error, 5xx) may
// hide a node that took it, so the loop keeps watching.
func (m *TxManager) rebroadcast(ctx context.Context, f *inflight) error {
	tx := f.latest()
	m.emit("rebroadcast", f.nonce)
	err := m.broadcast(ctx, tx)
	switch {
	case err == nil:
		f.lastSend = time.Now()
		return nil
	case isNonceTooLow(err) || isUnderpriced(err):
		return nil
	case !isRejection(err) || m.nodeHas(ctx, tx) != txAbsent:
		m.logf("rebroadcasting %s: %v; still waiting for it", tx.Hash().Hex(), err)
		return nil
	}
	m.logf("rebroadcasting %s: %v", tx.Hash().Hex(), err)
	return err
}

// bump replaces f's transaction with one at the same nonce and higher fees:
// +10% on both caps (the node's replacement rule) and at least the node's
// current suggestion, never above MaxFeeCap. At the cap it keeps waiting and
// says so once.
func (m *TxManager) bump(ctx context.Context, f *inflight) {
	old := f.latest()
	var tx *types.Transaction
	if f.legacy {
		sug, err := m.Client.Eth.SuggestGasPrice(ctx)
		if err != nil {
			return
		}
		price, ok := bumpPrice(old.GasPrice(), sug, m.MaxFeeCap)
		if !ok {
			m.capReached(f, old)
			return
		}
		tx = types.NewTx(&types.LegacyTx{Nonce: old.Nonce(), GasPrice: price, Gas: old.Gas(), To: old.To(), Value: old.Value(), Data: old.Data()})
	} else {
		sug, err := m.SuggestFees(ctx)
		if err != nil {
			return
		}
		tip, feeCap, ok := bumpFees(old.GasTipCap(), old.GasFeeCap(), sug.TipCap, sug.FeeCap, m.MaxFeeCap)
		if !ok {
			m.capReached(f, old)
			return
		}
		tx = types.NewTx(&types.DynamicFeeTx{ChainID: m.Client.ChainID, Nonce: old.Nonce(), GasTipCap: tip, GasFeeCap: feeCap,
			Gas: old.Gas(), To: old.To(), Value: old.Value(), Data: old.Data()})
	}
	signed, err := m.Signer.SignTx(ctx, tx, m.Client.ChainID)
	if err != nil {
		m.logf("fee bump of %s not signed: %v; waiting for the original", old.Hash().Hex(), err)
		f.lastSend = time.Now() // do not ask the signer again at every poll
		return
	}
	if err := m.journal(attemptEntry(EntryBumped, f.id, signed)); err != nil {
		m.logf("fee bump of %s not sent: %v", old.Hash().Hex(), err)
		f.lastSend = time.Now()
		return
	}
	// Kept even if the node refuses it: the journal has its hash, and its
	// fees are the base of the next bump.
	f.txs = append(f.txs, signed)
	f.lastSend = time.Now()
	m.emit("bump", f.nonce)
	err = m.broadcast(ctx, signed)
	switch {
	case err == nil:
		m.logf("transaction %s waited %s unmined; replaced by %s with higher fees", old.Hash().Hex(), m.resubmitAfter(), signed.Hash().Hex())
		if m.Sent != nil {
			m.Sent(signed.Hash())
		}
	case isNonceTooLow(err):
		// An earlier version was mined meanwhile (or something else took the
		// nonce): the loop tells which from the receipts.
		m.emit("nonce-too-low", f.nonce)
	default:
		m.logf("fee bump %s refused by the node: %v", signed.Hash().Hex(), err)
	}
}

func (m *TxManager) resubmitAfter() time.Duration {
	if m.ResubmitAfter == 0 {
		return DefaultResubmitAfter
	}
	return m.ResubmitAfter
}

func (m *TxManager) capReached(f *inflight, old *types.Transaction) {
	if f.capSaid {
		return
	}
	f.capSaid = true
	m.logf("transaction %s is waiting, but a fee bump would pass the maximum fee of %s gwei: keeping it and waiting", old.Hash().Hex(), gweiExact(m.MaxFeeCap))
	m.emit("cap", f.nonce)
}

// bump110 is x + 10%, rounded up.
func bump110(x *big.Int) *big.Int {
	v := new(big.Int).Mul(x, big.NewInt(110))
	v.Add(v, big.NewInt(99))
	return v.Div(v, big.NewInt(100))
}

func maxBig(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}

// bumpFees returns replacement EIP-1559 caps: at least +10% on both, at least
// the suggestion, at most limit (nil: none). ok is false when +10% would
// already pass the limit.
func bumpFees(oldTip, oldCap, sugTip, sugCap, limit *big.Int) (tip, feeCap *big.Int, ok bool) {
	minTip, minCap := bump110(oldTip), bump110(oldCap)
	tip, feeCap = maxBig(minTip, sugTip), maxBig(minCap, sugCap)
	if feeCap.Cmp(tip) < 0 {
		feeCap = new(big.Int).Set(tip)
	}
	if limit == nil || feeCap.Cmp(limit) <= 0 {
		return tip, feeCap, true
	}
	if minCap.Cmp(limit) > 0 || minTip.Cmp(limit) > 0 {
		return nil, nil, false
	}
	feeCap = new(big.Int).Set(limit)
	if tip.Cmp(feeCap) > 0 {
		tip = new(big.Int).Set(feeCap)
	}
	return tip, feeCap, true
}

// bumpPrice is bumpFees for a legacy gas price.
func bumpPrice(old, sug, limit *big.Int) (*big.Int, bool) {
	p := maxBig(bump110(old), sug)
	if limit == nil || p.Cmp(limit) <= 0 {
		return p, true
	}
	if bump110(old).Cmp(limit) > 0 {
		return nil, false
	}
	return new(big.Int).Set(limit), true
}

func hashList(txs []*types.Transaction) string {
	s := make([]string, len(txs))
	for i, tx := range txs {
		s[i] = tx.Hash().Hex()
	}
	return strings.Join(s, ", ")
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

// ReconcileSummary counts what Reconcile decided.
type ReconcileSummary struct {
	Mined, Reverted, Replaced, Dropped, Failed int
	// Corrected counts settled actions whose recorded block a reorg took
	// away since: their outcome was rewritten (also counted above).
	Corrected int
}

// Total is how many journal entries were resolved or corrected.
func (s ReconcileSummary) Total() int {
	return s.Mined + s.Reverted + s.Replaced + s.Dropped + s.Failed
}

// ReverifyBlocks is how far below the head Reconcile re-checks that a
// recorded mined (or reverted) block is still canonical.
const ReverifyBlocks = 128

func (s ReconcileSummary) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{s.Mined, "mined"}, {s.Reverted, "reverted"}, {s.Replaced, "replaced"}, {s.Dropped, "dropped"}, {s.Failed, "never sent"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	switch open := s.Total() - s.Corrected; {
	case s.Corrected == 0:
		return fmt.Sprintf("journal: resolved %d unfinished transaction(s) from an earlier run: %s", open, strings.Join(parts, ", "))
	case open == 0:
		return fmt.Sprintf("journal: corrected %d transaction(s) whose recorded block a reorg took away: now %s", s.Corrected, strings.Join(parts, ", "))
	default:
		return fmt.Sprintf("journal: resolved %d unfinished transaction(s) from an earlier run and corrected %d whose recorded block a reorg took away: now %s",
			open, s.Corrected, strings.Join(parts, ", "))
	}
}

// Reconcile settles every journal entry that has no outcome (an earlier run
// stopped mid-way) against the chain, and appends the outcome: mined or
// reverted when one of its hashes has a receipt at the confirmation depth, replaced when the nonce was
// used by something else, dropped when the node knows none of its hashes and
// the nonce is unused. A dropped transaction is never sent again (its raw
// bytes were never journaled); the caller replans from chain state. One the
// node still holds pending is waited for, up to ReceiptTimeout.
//
// It also re-checks settled outcomes mined (or reverted) within
// ReverifyBlocks of the head: when the recorded block is no longer
// canonical (a reorg after the run that wrote it), the action is resolved
// again and a corrected outcome appended (mined elsewhere: note "moved by a
// reorg"; otherwise replaced or dropped: note "reorged out"). The last
// outcome line of an id is the current one (GroupJournal).
func (m *TxManager) Reconcile(ctx context.Context) (ReconcileSummary, error) {
	var sum ReconcileSummary
	if m.Journal == nil {
		return sum, nil
	}
	recs, err := m.Journal.Records()
	if err != nil {
		return sum, err
	}
	// A failed re-check is not fatal: an unverified mined outcome only
	// makes the freshness check and the daily cap stricter; the next run
	// checks again.
	stale, err := m.reorgedOut(ctx, recs)
	if err != nil {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		m.logf("%v (not re-checked this time)", err)
	}
	var ev evidence
	for _, r := range recs {
		moved := stale[r.ID]
		if !r.Live() && !moved {
			continue
		}
		o, err := m.resolve(ctx, r, &ev)
		if err != nil {
			return sum, err
		}
		o.Type, o.ID, o.ResolvedBy = EntryOutcome, r.ID, "reconcile"
		if moved {
			sum.Corrected++
			was := fmt.Sprintf("%s in block %d %s", r.Outcome.Outcome, r.Outcome.Block, r.Outcome.BlockHash)
			if r.Outcome.Block == 0 {
				was = fmt.Sprintf("%s as seen at block %d", r.Outcome.Outcome, r.Outcome.HeadBlock)
			}
			switch o.Outcome {
			case OutcomeMined, OutcomeReverted:
				o.Note = "moved by a reorg (was " + was + ")"
			case OutcomeReplaced, OutcomeDropped:
				if r.Outcome.Outcome == OutcomeMined || r.Outcome.Outcome == OutcomeReverted {
					o.Note = "reorged out (was " + was + ")"
				} else {
					o.Note = "re-checked after a reorg (was " + was + ")"
				}
			}
			m.logf("journal entry %s (%s) is not on this node's chain (reorg, or a restarted dev chain): now %s", r.ID, was, o.Outcome)
		}
		if err := m.journal(o); err != nil {
			return sum, err
		}
		switch o.Outcome {
		case OutcomeMined:
			sum.Mined++
		case OutcomeReverted:
			sum.Reverted++
		case OutcomeReplaced:
			sum.Replaced++
		case OutcomeDropped:
			sum.Dropped++
		default:
			sum.Failed++
		}
	}
	return sum, nil
}

// reorgedOut returns the ids of settled actions (mined or reverted within
// ReverifyBlocks of the head) whose recorded block is no longer canonical:
// a reorg after the run that wrote them took it away.
func (m *TxManager) reorgedOut(ctx context.Context, recs []JournalRecord) (map[string]bool, error) {
	out := map[string]bool{}
	head, err := m.Client.Eth.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("re-checking settled journal entries: %w", err)
	}
	canon := map[uint64]common.Hash{}
	// differs reports whether this node's chain has another block at n
	// than the journal recorded; a missing header proves nothing.
	differs := func(n uint64, recorded, id string) (bool, error) {
		bh, ok := canon[n]
		if !ok {
			h, err := m.Client.Eth.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
			switch {
			case err == nil:
				bh = h.Hash()
			case errors.Is(err, ethereum.NotFound):
			default:
				return false, fmt.Errorf("re-checking block %d of journal entry %s: %w", n, id, err)
			}
			canon[n] = bh
		}
		return bh != (common.Hash{}) && bh != common.HexToHash(recorded), nil
	}
	recent := func(n uint64) bool { return n+ReverifyBlocks >= head && n <= head }
	// diverged is the lowest recorded height whose block this node does not
	// have: from there on the journal's blocks are on another chain. A node
	// merely lagging shows no such height.
	diverged := uint64(math.MaxUint64)
	for _, r := range recs {
		o := r.Outcome
		if o == nil {
			continue
		}
		settled := o.Outcome == OutcomeMined || o.Outcome == OutcomeReverted
		if settled && o.BlockHash != "" && recent(o.Block) {
			d, err := differs(o.Block, o.BlockHash, r.ID)
			if err != nil {
				return nil, err
			}
			if d {
				out[r.ID] = true
				diverged = min(diverged, o.Block)
			}
		}
		if len(r.Attempts) > 0 {
			a := r.Attempts[0]
			if a.AnchorHash != "" && recent(a.AnchorBlock) {
				d, err := differs(a.AnchorBlock, a.AnchorHash, r.ID)
				if err != nil {
					return nil, err
				}
				if d {
					diverged = min(diverged, a.AnchorBlock)
				}
			}
		}
	}
	// Above the divergence, every settled entry and every "did not happen"
	// conclusion (whose head block the freshness check trusts) was reached
	// on the other chain: resolve them again on this one.
	for _, r := range recs {
		o := r.Outcome
		if o == nil {
			continue
		}
		switch o.Outcome {
		case OutcomeMined, OutcomeReverted:
			if o.Block > diverged {
				out[r.ID] = true
			}
		case OutcomeReplaced, OutcomeDropped:
			if o.HeadBlock > diverged && o.HeadBlock > head {
				out[r.ID] = true
			}
		}
	}
	return out, nil
}

// evidence is what one Reconcile has watched so far: how long the node has
// kept showing "nonce used, no receipt of ours" (replaced) and "not mined,
// not pending" (dropped). It is shared by the entries of one reconcile: the
// wait is for a lagging node to catch up, which is one wait, not one per
// entry (a restarted dev chain can leave dozens).
type evidence struct {
	replaced, dropped replacedWatch
}

func (m *TxManager) resolve(ctx context.Context, r JournalRecord, ev *evidence) (JournalEntry, error) {
	nonce, signed := r.Nonce()
	if !signed {
		return JournalEntry{Outcome: OutcomeFailed, Error: "the process stopped before the transaction was signed"}, nil
	}
	hashes := r.Hashes()
	timeout, poll := m.ReceiptTimeout, m.PollInterval
	if timeout == 0 {
		timeout = DefaultReceiptTimeout
	}
	if poll == 0 {
		poll = time.Second
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	from := m.Signer.Address()
	delay := min(50*time.Millisecond, poll)
	for {
		if outcome, done, err := m.resolveOnce(wctx, r, nonce, hashes, from, ev); err == nil && done {
			return outcome, nil
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return JournalEntry{}, ctx.Err()
			}
			return JournalEntry{}, fmt.Errorf("transaction %s from an earlier run (nonce %d) is still pending after %s: wait for it to be mined, or replace it, and rerun",
				hashes[len(hashes)-1].Hex(), nonce, timeout)
		case <-time.After(delay):
		}
		delay = min(delay*2, poll)
	}
}

// resolveOnce looks at the chain once: done is false while the answer is
// not yet known (still pending, or the node could not say).
func (m *TxManager) resolveOnce(ctx context.Context, r JournalRecord, nonce uint64, hashes []common.Hash, from common.Address, ev *evidence) (JournalEntry, bool, error) {
	used, err := m.Client.Eth.NonceAt(ctx, from, nil)
	if err != nil {
		return JournalEntry{}, false, err
	}
	if used > nonce {
		// Something was mined at our nonce: ours if one of our hashes has a receipt.
		for _, h := range hashes {
			rcpt, err := m.Client.Eth.TransactionReceipt(ctx, h)
			if err == nil {
				// Settled only at the confirmation depth in a canonical block,
				// like a send: a reorg could still take it away.
				deep, err := m.deepEnough(ctx, rcpt, m.ConfirmationDepth())
				if err != nil || !deep {
					return JournalEntry{}, false, err
				}
				return m.outcomeFor(r.ID, rcpt), true, nil
			}
			if !errors.Is(err, ethereum.NotFound) {
				return JournalEntry{}, false, err // e.g. the receipt index is still building
			}
		}
		// As in confirm: concluded only when it holds across several polls
		// spanning the confirmation depth (or ReplacedAfter).
		done, head, err := m.replacedSettled(ctx, &ev.replaced)
		if err != nil || !done {
			return JournalEntry{}, false, err
		}
		return JournalEntry{Outcome: OutcomeReplaced, HeadBlock: head,
			Error: fmt.Sprintf("nonce %d was used by a transaction that is not one of ours", nonce)}, true, nil
	}
	pending, err := m.Client.Eth.PendingNonceAt(ctx, from)
	if err != nil {
		return JournalEntry{}, false, err
	}
	if pending <= nonce {
		// Like "replaced", "dropped" is concluded only when it holds across
		// polls spanning the confirmation depth (or ReplacedAfter): a node
		// that is lagging or re-syncing shows neither the receipt nor a
		// mempool, and a single look would write off a mined trade.
		done, head, err := m.replacedSettled(ctx, &ev.dropped)
		if err != nil || !done {
			return JournalEntry{}, false, err
		}
		return JournalEntry{Outcome: OutcomeDropped, HeadBlock: head,
			Error: "not mined and not pending at the node; never sent again (the next plan starts from chain state)"}, true, nil
	}
	// Still in the mempool: wait for it (the embedded chain mines on request).
	if m.Client.mine != nil {
		m.Client.mine()
	}
	return JournalEntry{}, false, nil
}

// WaitReceipt polls for the receipt of hash until ReceiptTimeout. It asks at
// once, then backs off from 50ms to PollInterval: dev chains mine instantly,
// real ones take seconds.
func (m *TxManager) WaitReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	timeout, poll := m.ReceiptTimeout, m.PollInterval
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	if poll == 0 {
		poll = time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	delay := min(50*time.Millisecond, poll)
	for {
		rcpt, err := m.Client.Eth.TransactionReceipt(ctx, hash)
		if err == nil {
			return rcpt, nil
		}
		if !errors.Is(err, ethereum.NotFound) && ctx.Err() == nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				return nil, fmt.Errorf("transaction %s not mined within %s (it may still be pending; last error: %v)", hash.Hex(), timeout, last)
			}
			return nil, fmt.Errorf("transaction %s not mined within %s (it may still be pending)", hash.Hex(), timeout)
		case <-time.After(delay):
		}
		delay = min(delay*2, poll)
	}
}

// explainFailure replays a reverted transaction at its block to learn why.
func (m *TxManager) explainFailure(ctx context.Context, req TxRequest, rcpt *types.Receipt) error {
	msg := ethereum.CallMsg{From: m.Signer.Address(), To: req.To, Data: req.Data, Value: req.Value, Gas: rcpt.GasUsed * 2}
	_, err := m.Client.Eth.CallContract(ctx, msg, new(big.Int).Sub(rcpt.BlockNumber, big.NewInt(1)))
	if err == nil {
		return fmt.Errorf("transaction %s reverted in block %s (reason unknown)", rcpt.TxHash.Hex(), rcpt.BlockNumber)
	}
	return fmt.Errorf("transaction %s reverted in block %s: %s", rcpt.TxHash.Hex(), rcpt.BlockNumber, DecodeRevert(err, m.ABIs...))
}

func (m *TxManager) revertError(what string, err error) error {
	return &RevertError{What: what, Reason: DecodeRevert(err, m.ABIs...), Err: err}
}

// RevertError is a call or transaction the chain refused, with its reason.
type RevertError struct {
	What   string
	Reason string
	Err    error
}

func (e *RevertError) Error() string { return e.What + ": " + e.Reason }
func (e *RevertError) Unwrap() error { return e.Err }

// Crash points, for tests only: HEDGER_TEST_CRASH=<point>[:<n>] makes the
// process SIGKILL itself at the n-th time (default 1) it reaches <point>:
// before-send (the signed line is on disk, nothing broadcast), after-send
// (broadcast, no receipt yet) or after-receipt (confirmed, no outcome line).
// Only tests set it; it simulates a power cut at the worst moments.
var crash struct {
	once  sync.Once
	mu    sync.Mutex
	point string
	n     int
	seen  int
}

func crashPoint(point string) {
	crash.once.Do(func() {
		v := os.Getenv("HEDGER_TEST_CRASH")
		if v == "" {
			return
		}
		p, n, _ := strings.Cut(v, ":")
		crash.point, crash.n = p, 1
		if k, err := strconv.Atoi(n); err == nil && k > 0 {
			crash.n = k
		}
	})
	if crash.point == "" || crash.point != point {
		return
	}
	crash.mu.Lock()
	defer crash.mu.Unlock()
	if crash.seen++; crash.seen == crash.n {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way; never run past the crash point
	}
}
