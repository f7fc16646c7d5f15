package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

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
	if c, ok := m.cfg.Signer.(ChainIDChecker); ok {
		if err := c.CheckChainID(m.cfg.ChainID); err != nil {
			return nil, refuse(RefusedChainID, err)
		}
	}
	if m.cfg.Recipients != nil && (req.To == nil || !m.cfg.Recipients[*req.To]) {
		to := "contract creation"
		if req.To != nil {
			to = req.To.Hex()
		}
		return nil, refuse(RefusedRecipient, fmt.Errorf("refusing to sign for %s: not a contract in the address book; nothing sent", to))
	}
	from := m.cfg.Signer.Address()
	unlock := lockAccount(from)
	defer unlock()

	gas, err := m.Estimate(ctx, req)
	if err != nil {
		var re *RevertError
		if errors.As(err, &re) {
			return nil, refuse(RefusedWouldRevert, err)
		}
		return nil, refuse(RefusedNodeRead, err)
	}
	legacy := m.LegacyOnly()
	var fees Fees
	var gasPrice *big.Int
	if legacy {
		if gasPrice, err = m.legacyPrice(ctx); err != nil {
			return nil, refuse(feeRefusal(err), err)
		}
	} else if fees, err = m.initialFees(ctx); err != nil {
		return nil, refuse(feeRefusal(err), err)
	}
	nonce, err := m.nextNonce(ctx)
	if err != nil {
		return nil, refuse(nonceRefusal(err), err)
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
			ChainID: m.cfg.ChainID, Nonce: nonce, GasTipCap: fees.TipCap, GasFeeCap: fees.FeeCap,
			Gas: gas, To: req.To, Value: value, Data: req.Data,
		})
	}
	f := &inflight{id: NewJournalID(), req: req, nonce: nonce, legacy: legacy}
	intent := JournalEntry{Type: EntryIntent, ID: f.id}
	if req.Action != nil {
		raw, err := json.Marshal(req.Action)
		if err != nil {
			return nil, refuse(RefusedJournal, fmt.Errorf("journal: the action's description does not encode: %w; nothing sent", err))
		}
		intent.Action = raw
	}
	if req.To != nil {
		intent.To = req.To.Hex()
	}
	if err := m.journal(intent); err != nil {
		return nil, refuse(RefusedJournal, fmt.Errorf("%w; nothing sent", err))
	}
	signed, err := m.cfg.Signer.SignTx(ctx, tx, m.cfg.ChainID)
	if err != nil {
		m.journalOutcome(JournalEntry{ID: f.id, Outcome: OutcomeFailed, Error: "not signed: " + err.Error()})
		return nil, refuse(RefusedBySigner, err)
	}
	// The signed line is on disk before the transaction can reach the node:
	// a crash from here on leaves a hash the next run can look for.
	se := attemptEntry(EntrySigned, f.id, signed)
	if head, err := m.head(ctx); err == nil {
		se.AnchorBlock, se.AnchorHash = head.Number.Uint64(), head.Hash().Hex()
	}
	if err := m.journal(se); err != nil {
		return nil, refuse(RefusedJournal, fmt.Errorf("%w; nothing sent", err))
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
			return nil, refuse(RefusedByNode, err)
		}
		// A lost answer (connection reset, timeout, a 5xx from a gateway)
		// says nothing about whether the node took the transaction: treat
		// it as sent. The loop below finds it, or sends it again if the
		// node never got it; concluding "failed" here could double a trade.
		m.logf("sending %s: %v; the node may have it: waiting for it", signed.Hash().Hex(), err)
		m.emit("send-unknown", nonce)
	} else if m.cfg.Sent != nil {
		m.cfg.Sent(signed.Hash())
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

// broadcast sends a signed transaction; "already known" means the node has it.
func (m *TxManager) broadcast(ctx context.Context, tx *types.Transaction) error {
	err := m.b.SendTransaction(ctx, tx)
	if err != nil && isAlreadyKnown(err) {
		err = nil
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
	_, _, err := m.b.TransactionByHash(ctx, tx.Hash())
	switch {
	case err == nil:
		return txKnown
	case errors.Is(err, ethereum.NotFound):
		return txAbsent
	}
	return unknownTx
}

// NodeErrorClass is what a node's refusal of a transaction means. Nodes
// answer in text only; it is read here, once, and everything else branches
// on the class.
type NodeErrorClass int

const (
	NodeErrorOther      NodeErrorClass = iota
	NodeAlreadyKnown                   // the node already holds this very transaction
	NodeNonceTooLow                    // the nonce is used (by this transaction or another)
	NodeUnderpriced                    // a replacement without +10%, or below the pool's minimum
	NodeFeeBelowBaseFee                // the fee cap is under the current base fee
)

// classifyNodeError reads a node's answer to eth_sendRawTransaction (geth,
// anvil, erigon, nethermind and besu wordings).
func classifyNodeError(err error) NodeErrorClass {
	if err == nil {
		return NodeErrorOther
	}
	s := strings.ToLower(err.Error())
	has := func(subs ...string) bool {
		for _, x := range subs {
			if strings.Contains(s, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has("already known", "already imported", "already exists", "known transaction"):
		return NodeAlreadyKnown
	case has("nonce too low", "nonce is too low", "invalid nonce"):
		return NodeNonceTooLow
	case has("less than block base fee", "fee cap less than base fee", "max fee per gas less than", "feecap below base fee", "fee cap too low"):
		return NodeFeeBelowBaseFee
	case has("underpriced"):
		return NodeUnderpriced
	}
	return NodeErrorOther
}

func isAlreadyKnown(err error) bool { return classifyNodeError(err) == NodeAlreadyKnown }
func isNonceTooLow(err error) bool  { return classifyNodeError(err) == NodeNonceTooLow }
func isUnderpriced(err error) bool  { return classifyNodeError(err) == NodeUnderpriced }

// explainFailure says that a transaction was sent, mined and reverted, and
// why: the node's replay of it where it ran (debug_traceTransaction) when
// the node has one, else a call at the parent block, which misses what ran
// before it in its block.
func (m *TxManager) explainFailure(ctx context.Context, req TxRequest, rcpt *types.Receipt) error {
	e := &RevertError{What: fmt.Sprintf("transaction %s was sent and mined in block %s, and reverted", rcpt.TxHash.Hex(), rcpt.BlockNumber),
		Mined: true, Hash: rcpt.TxHash, Block: rcpt.BlockNumber.Uint64()}
	if tr, ok := m.b.(RevertTracer); ok {
		if data, err := tr.TraceRevert(ctx, rcpt.TxHash); err == nil && len(data) > 0 {
			e.Reason = DecodeRevertData(data, m.cfg.ABIs...)
			return e
		}
	}
	msg := ethereum.CallMsg{From: m.cfg.Signer.Address(), To: req.To, Data: req.Data, Value: req.Value, Gas: rcpt.GasUsed * 2}
	_, err := m.b.CallContract(ctx, msg, new(big.Int).Sub(rcpt.BlockNumber, big.NewInt(1)))
	if err == nil {
		e.Reason = "reason unknown: the node cannot replay it where it ran, and it succeeds at the block before"
		return e
	}
	e.Reason, e.Err = DecodeRevert(err, m.cfg.ABIs...), err
	return e
}

func (m *TxManager) revertError(what string, err error) error {
	return &RevertError{What: what, Reason: DecodeRevert(err, m.cfg.ABIs...), Err: err}
}

// RevertError is a call or transaction the chain refused, with its reason.
// Mined tells a transaction that was sent and mined (fees paid) from a call
// or estimate that reverted before anything was sent.
type RevertError struct {
	What   string
	Reason string
	Err    error
	Mined  bool
	Hash   common.Hash // Mined only
	Block  uint64      // Mined only
}

func (e *RevertError) Error() string { return e.What + ": " + e.Reason }
func (e *RevertError) Unwrap() error { return e.Err }

// ErrNothingSent is matched (errors.Is) by every error of Send that
// guarantees no transaction of this call reached a node: a *Refusal.
var ErrNothingSent = errors.New("nothing sent")

// RefusalClass says why Send sent nothing.
type RefusalClass int

const (
	RefusedChainID     RefusalClass = iota + 1 // the signer cannot sign for this chain
	RefusedRecipient                           // not an allowed recipient (Config.Recipients)
	RefusedWouldRevert                         // the estimate reverted
	RefusedFeeCap                              // the maximum fee is below the base fee
	RefusedNonce                               // the journal holds an unresolved transaction
	RefusedJournal                             // the journal could not be written
	RefusedBySigner                            // the signer (device, user, Clef rules) declined
	RefusedByNode                              // the node refused it and does not hold it
	RefusedNodeRead                            // a read the send needs (head, fees, nonce) failed
)

var refusalNames = map[RefusalClass]string{RefusedChainID: "chain-id", RefusedRecipient: "recipient",
	RefusedWouldRevert: "would-revert", RefusedFeeCap: "fee-cap", RefusedNonce: "nonce", RefusedJournal: "journal",
	RefusedBySigner: "signer", RefusedByNode: "node", RefusedNodeRead: "node-read"}

func (c RefusalClass) String() string { return refusalNames[c] }

// Refusal is an error of Send before anything was broadcast; its message
// is Err's.
type Refusal struct {
	Class RefusalClass
	Err   error
}

func (r *Refusal) Error() string        { return r.Err.Error() }
func (r *Refusal) Unwrap() error        { return r.Err }
func (r *Refusal) Is(target error) bool { return target == ErrNothingSent }

func refuse(c RefusalClass, err error) error { return &Refusal{Class: c, Err: err} }

// errFeeCapBelowBase marks initialFees' and legacyPrice's refusal.
var errFeeCapBelowBase = errors.New("maximum fee below the base fee")

func feeRefusal(err error) RefusalClass {
	if errors.Is(err, errFeeCapBelowBase) {
		return RefusedFeeCap
	}
	return RefusedNodeRead
}

// errUnresolved marks nextNonce's refusal of a nonce the journal still holds.
var errUnresolved = errors.New("unresolved journal entry")

func nonceRefusal(err error) RefusalClass {
	switch {
	case errors.Is(err, errUnresolved):
		return RefusedNonce
	case errors.Is(err, ErrJournalLocked), errors.Is(err, ErrJournalForeign):
		return RefusedJournal
	}
	return RefusedNodeRead
}
