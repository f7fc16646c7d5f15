package chain

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

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
