package chain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// confirm waits for one of f's transactions to be mined at the confirmation
// depth in a canonical block, bumping fees while it waits, rebroadcasting
// what a reorg or the mempool lost, and recognising a nonce taken by a
// transaction that is not ours.
func (m *TxManager) confirm(ctx context.Context, f *inflight) (*types.Receipt, error) {
	timeout, poll := m.cfg.ReceiptTimeout, m.cfg.PollInterval
	resubmit := m.cfg.ResubmitAfter
	confs := m.ConfirmationDepth()
	from := m.cfg.Signer.Address()
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
		mined, nerr := m.b.NonceAt(wctx, from, nil)
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
			pending, perr := m.b.PendingNonceAt(wctx, from)
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
				err := m.rebroadcast(wctx, f)
				if err != nil && classifyNodeError(err) == NodeFeeBelowBaseFee {
					// The base fee rose past the fee cap and the node let the
					// transaction go. Nothing holds the nonce, so no +10% rule
					// applies: sign it again with today's fees, if the user's
					// cap allows them.
					if err = m.resign(wctx, f); err == nil {
						break
					}
				}
				if err != nil {
					err = fmt.Errorf("transaction %s was dropped by the node and cannot be sent again: %s", f.latest().Hash().Hex(), err)
					head, _ := m.b.BlockNumber(wctx) // for checkFresh; 0 if unknown
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

func (m *TxManager) replacedAfter() time.Duration { return m.cfg.ReplacedAfter }

// replacedSettled records one more poll that saw our nonce used and none of
// our receipts, and reports whether that now holds across at least
// replacedPolls polls spanning the confirmation depth in blocks (or
// ReplacedAfter, for chains that do not advance), with the head seen now.
func (m *TxManager) replacedSettled(ctx context.Context, w *replacedWatch) (bool, uint64, error) {
	head, err := m.b.BlockNumber(ctx)
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
	head, err := m.b.BlockNumber(ctx)
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
	h, err := m.b.HeaderByNumber(ctx, rcpt.BlockNumber)
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
		r, err := m.b.TransactionReceipt(ctx, txs[i].Hash())
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

// resign signs f's action again at its nonce with the fees a new
// transaction would get (initialFees: the node's suggestion under
// MaxFeeCap, refused when the cap is below the base fee) and sends it. It is
// for a transaction the node dropped because the base fee passed its cap.
func (m *TxManager) resign(ctx context.Context, f *inflight) error {
	old := f.latest()
	var tx *types.Transaction
	if f.legacy {
		price, err := m.legacyPrice(ctx)
		if err != nil {
			return err
		}
		tx = types.NewTx(&types.LegacyTx{Nonce: old.Nonce(), GasPrice: price, Gas: old.Gas(), To: old.To(), Value: old.Value(), Data: old.Data()})
	} else {
		fees, err := m.initialFees(ctx)
		if err != nil {
			return err
		}
		tx = types.NewTx(&types.DynamicFeeTx{ChainID: m.cfg.ChainID, Nonce: old.Nonce(), GasTipCap: fees.TipCap, GasFeeCap: fees.FeeCap,
			Gas: old.Gas(), To: old.To(), Value: old.Value(), Data: old.Data()})
	}
	signed, err := m.cfg.Signer.SignTx(ctx, tx, m.cfg.ChainID)
	if err != nil {
		return fmt.Errorf("signing it again with higher fees: %w", err)
	}
	if err := m.journal(attemptEntry(EntryBumped, f.id, signed)); err != nil {
		return err
	}
	f.txs = append(f.txs, signed)
	f.lastSend = time.Now()
	m.emit("resign", f.nonce)
	if err := m.broadcast(ctx, signed); err != nil && isRejection(err) && m.nodeHas(ctx, signed) == txAbsent {
		return err
	}
	m.logf("transaction %s was dropped when the base fee passed its fee cap; signed again as %s with fees under the maximum", old.Hash().Hex(), signed.Hash().Hex())
	if m.cfg.Sent != nil {
		m.cfg.Sent(signed.Hash())
	}
	return nil
}

// bump replaces f's transaction with one at the same nonce and higher fees:
// +10% on both caps (the node's replacement rule) and at least the node's
// current suggestion, never above MaxFeeCap. At the cap it keeps waiting and
// says so once.
func (m *TxManager) bump(ctx context.Context, f *inflight) {
	old := f.latest()
	var tx *types.Transaction
	if f.legacy {
		sug, err := m.b.SuggestGasPrice(ctx)
		if err != nil {
			return
		}
		price, ok := bumpPrice(old.GasPrice(), sug, m.cfg.MaxFeeCap)
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
		tip, feeCap, ok := bumpFees(old.GasTipCap(), old.GasFeeCap(), sug.TipCap, sug.FeeCap, m.cfg.MaxFeeCap)
		if !ok {
			m.capReached(f, old)
			return
		}
		tx = types.NewTx(&types.DynamicFeeTx{ChainID: m.cfg.ChainID, Nonce: old.Nonce(), GasTipCap: tip, GasFeeCap: feeCap,
			Gas: old.Gas(), To: old.To(), Value: old.Value(), Data: old.Data()})
	}
	signed, err := m.cfg.Signer.SignTx(ctx, tx, m.cfg.ChainID)
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
		m.logf("transaction %s waited %s unmined; replaced by %s with higher fees", old.Hash().Hex(), m.cfg.ResubmitAfter, signed.Hash().Hex())
		if m.cfg.Sent != nil {
			m.cfg.Sent(signed.Hash())
		}
	case isNonceTooLow(err):
		// An earlier version was mined meanwhile (or something else took the
		// nonce): the loop tells which from the receipts.
		m.emit("nonce-too-low", f.nonce)
	default:
		m.logf("fee bump %s refused by the node: %v", signed.Hash().Hex(), err)
	}
}

func (m *TxManager) capReached(f *inflight, old *types.Transaction) {
	if f.capSaid {
		return
	}
	f.capSaid = true
	m.logf("transaction %s is waiting, but a fee bump would pass the maximum fee of %s gwei: keeping it and waiting", old.Hash().Hex(), gweiExact(m.cfg.MaxFeeCap))
	m.emit("cap", f.nonce)
}
func hashList(txs []*types.Transaction) string {
	s := make([]string, len(txs))
	for i, tx := range txs {
		s[i] = tx.Hash().Hex()
	}
	return strings.Join(s, ", ")
}

// WaitReceipt polls for the receipt of hash until ReceiptTimeout. It asks at
// once, then backs off from 50ms to PollInterval: dev chains mine instantly,
// real ones take seconds.
func (m *TxManager) WaitReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	return WaitReceipt(ctx, m.b, hash, m.cfg.ReceiptTimeout, m.cfg.PollInterval)
}

// WaitReceipt polls b for the receipt of hash until timeout, backing off
// from 50ms to poll.
func WaitReceipt(ctx context.Context, b Backend, hash common.Hash, timeout, poll time.Duration) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	delay := min(50*time.Millisecond, poll)
	for {
		rcpt, err := b.TransactionReceipt(ctx, hash)
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
