package chain

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum"
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
	head, err := m.head(ctx)
	if err != nil {
		return 0, err
	}
	msg := ethereum.CallMsg{From: m.cfg.Signer.Address(), To: req.To, Data: req.Data, Value: req.Value}
	gas, err := m.b.EstimateGasAt(ctx, msg, head.Time+1)
	if err != nil && !isRevert(err) {
		gas, err = m.b.EstimateGas(ctx, msg)
	}
	if err != nil {
		return 0, m.revertError("would revert", err)
	}
	return gas + gas*m.cfg.GasHeadroomPct/100, nil
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
	from := m.cfg.Signer.Address()
	nonce, err := m.b.PendingNonceAt(ctx, from)
	if err != nil {
		return 0, fmt.Errorf("reading the nonce of %s: %w", from.Hex(), err)
	}
	if m.cfg.Journal == nil {
		return nonce, nil
	}
	recs, err := m.cfg.Journal.Records()
	if err != nil {
		return 0, err
	}
	for _, r := range recs {
		if n, ok := r.Nonce(); ok && r.Live() && n >= nonce {
			hs := r.Hashes()
			return 0, &wrapped{fmt.Sprintf("journal entry %s (tx %s, nonce %d) is unresolved and the node does not count it: rerun to reconcile it; nothing sent",
				r.ID, hs[len(hs)-1].Hex(), n), errUnresolved}
		}
	}
	return nonce, nil
}
