package chain

import (
	"context"
	"math/big"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Backend is every node call the transaction manager makes, and nothing
// more (as op-service/txmgr's ETHBackend): *Client satisfies it for any
// node (anvil, geth, a provider, the embedded chain, which mines on send as
// anvil does), and the tests drive the manager against an in-memory chain
// through it. The method sets are ethclient's, so their meaning is too:
// ethereum.NotFound for a missing receipt, header or transaction.
type Backend interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	BlockNumber(ctx context.Context) (uint64, error)
	NonceAt(ctx context.Context, account common.Address, block *big.Int) (uint64, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	SuggestGasPrice(ctx context.Context) (*big.Int, error)
	EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error)
	// EstimateGasAt estimates as if in a block with timestamp blockTime
	// (eth_estimateGas with block overrides); nodes without overrides
	// answer with an error that is not a revert, and the manager then
	// falls back to EstimateGas.
	EstimateGasAt(ctx context.Context, msg ethereum.CallMsg, blockTime uint64) (uint64, error)
	CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error)
	SendTransaction(ctx context.Context, tx *types.Transaction) error
	TransactionReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error)
	TransactionByHash(ctx context.Context, hash common.Hash) (tx *types.Transaction, pending bool, err error)
}

// RevertTracer is a Backend that can replay a mined transaction where it
// ran (debug_traceTransaction) and return its revert data: the only
// faithful way to learn why a mined transaction reverted, since a call at
// the parent block misses the transactions before it in its block.
type RevertTracer interface {
	TraceRevert(ctx context.Context, hash common.Hash) ([]byte, error)
}

var _ Backend = (*Client)(nil)
var _ RevertTracer = (*Client)(nil)
