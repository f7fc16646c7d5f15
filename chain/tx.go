package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// TxRequest is what to send; the manager fills in nonce, fees and gas.
type TxRequest struct {
	To    *common.Address // nil deploys Data as contract creation code
	Data  []byte
	Value *big.Int
}

// TxManager sends transactions from one signer: EIP-1559 fees from the node,
// a gas estimate with headroom, a receipt wait with a timeout and revert
// reasons decoded against known ABIs.
type TxManager struct {
	Client         *Client
	Signer         Signer
	GasHeadroomPct uint64        // added to the estimate; default 25
	ReceiptTimeout time.Duration // default 2 minutes
	PollInterval   time.Duration // longest wait between receipt polls; default 1s
	ABIs           []*abi.ABI    // for decoding custom errors
	// Sent, when set, is told each transaction hash as soon as the node
	// accepted it, before the receipt wait.
	Sent func(hash common.Hash)
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

// Send signs and sends req, waits for its receipt and returns it. A mined
// transaction that reverted is an error carrying the decoded reason.
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
	gas, err := m.Estimate(ctx, req)
	if err != nil {
		return nil, err
	}
	legacy := m.LegacyOnly()
	var fees Fees
	var gasPrice *big.Int
	if legacy {
		if gasPrice, err = m.Client.Eth.SuggestGasPrice(ctx); err != nil {
			return nil, fmt.Errorf("reading the gas price: %w", err)
		}
	} else if fees, err = m.SuggestFees(ctx); err != nil {
		return nil, err
	}
	from := m.Signer.Address()
	nonce, err := m.Client.Eth.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("reading the nonce of %s: %w", from.Hex(), err)
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
	signed, err := m.Signer.SignTx(ctx, tx, m.Client.ChainID)
	if err != nil {
		return nil, err
	}
	if err := m.Client.Eth.SendTransaction(ctx, signed); err != nil {
		return nil, m.revertError("rejected by the node", err)
	}
	if m.Sent != nil {
		m.Sent(signed.Hash())
	}
	if m.Client.mine != nil {
		m.Client.mine()
	}
	rcpt, err := m.WaitReceipt(ctx, signed.Hash())
	if err != nil {
		return nil, err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return rcpt, m.explainFailure(ctx, req, rcpt)
	}
	return rcpt, nil
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
	// Any error is retried until the timeout: "not found" while pending, and
	// geth's "transaction indexing is in progress" or a dropped connection
	// say nothing about whether the transaction will be mined.
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
