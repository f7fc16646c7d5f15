package chain

// An in-memory chain behind the Backend interface, for unit tests of the
// transaction manager that run in milliseconds. It checks what a node
// checks (signature, chain ID, nonce, the +10% replacement rule, fee cap
// against the base fee) and mines only when told to, so a test can put the
// manager in any state: a transaction waiting, replaced by a foreign one,
// forgotten by the node, dropped by a base fee rise, or reorged out.

import (
	"context"
	"fmt"
	"math/big"
	"sync"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// memError is a node's JSON-RPC error answer (an rpc.Error).
type memError struct{ msg string }

func (e *memError) Error() string  { return e.msg }
func (e *memError) ErrorCode() int { return -32000 }

type memBlock struct {
	header *types.Header
	txs    []*types.Transaction
	rcpts  []*types.Receipt
}

type memChain struct {
	mu      sync.Mutex
	chainID *big.Int
	signer  types.Signer
	baseFee *big.Int
	tip     *big.Int
	fork    uint64 // salts block hashes, so a block mined after a reorg differs
	blocks  []*memBlock
	pool    map[common.Hash]*types.Transaction
	revert  map[common.Hash][]byte // revert data of transactions that revert when mined
	// revertTo makes every transaction to this address revert with data.
	revertTo   *common.Address
	revertData []byte
	// dropBelowBase: the pool lets go of, and refuses, transactions whose
	// fee cap is under the base fee (as providers with small pools do).
	dropBelowBase bool
	// mineFrom, when > 0, mines a block after every accepted send from the
	// mineFrom-th on (1: automine, as anvil).
	mineFrom int
	sends    int
}

func newMemChain() *memChain {
	c := &memChain{chainID: big.NewInt(ChainIDAnvil), baseFee: big.NewInt(1e9), tip: big.NewInt(1e8),
		pool: map[common.Hash]*types.Transaction{}, revert: map[common.Hash][]byte{}}
	c.signer = types.LatestSignerForChainID(c.chainID)
	c.blocks = []*memBlock{{header: c.newHeader(0)}}
	return c
}

func (c *memChain) newHeader(n uint64) *types.Header {
	var parent common.Hash
	if n > 0 {
		parent = c.blocks[n-1].header.Hash()
	}
	return &types.Header{Number: new(big.Int).SetUint64(n), ParentHash: parent, Time: 1_700_000_000 + n*12,
		BaseFee: new(big.Int).Set(c.baseFee), GasLimit: 30_000_000, Extra: []byte(fmt.Sprintf("fork %d", c.fork))}
}

func (c *memChain) head() uint64 { return uint64(len(c.blocks) - 1) }

// minedNonce is the account's nonce after the canonical chain.
func (c *memChain) minedNonce(a common.Address) uint64 {
	n := uint64(0)
	for _, b := range c.blocks {
		for _, tx := range b.txs {
			if from, _ := types.Sender(c.signer, tx); from == a {
				n = tx.Nonce() + 1
			}
		}
	}
	return n
}

func (c *memChain) poolAt(a common.Address, nonce uint64) *types.Transaction {
	for _, tx := range c.pool {
		if from, _ := types.Sender(c.signer, tx); from == a && tx.Nonce() == nonce {
			return tx
		}
	}
	return nil
}

// mine seals one block holding every pool transaction that can run now.
func (c *memChain) mine() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mineLocked()
}

func (c *memChain) mineLocked() {
	n := c.head() + 1
	h := c.newHeader(n)
	b := &memBlock{header: h}
	next := map[common.Address]uint64{}
	for progress := true; progress; {
		progress = false
		for hash, tx := range c.pool {
			from, _ := types.Sender(c.signer, tx)
			if _, ok := next[from]; !ok {
				next[from] = c.minedNonce(from)
			}
			if tx.Nonce() != next[from] || tx.GasFeeCap().Cmp(h.BaseFee) < 0 {
				continue
			}
			r := &types.Receipt{TxHash: hash, Status: types.ReceiptStatusSuccessful, GasUsed: 21000,
				BlockNumber: new(big.Int).Set(h.Number), TransactionIndex: uint(len(b.txs)),
				EffectiveGasPrice: tx.EffectiveGasTipValue(h.BaseFee)}
			r.EffectiveGasPrice.Add(r.EffectiveGasPrice, h.BaseFee)
			if _, ok := c.revert[hash]; ok || (c.revertTo != nil && tx.To() != nil && *tx.To() == *c.revertTo) {
				r.Status = types.ReceiptStatusFailed
			}
			b.txs, b.rcpts = append(b.txs, tx), append(b.rcpts, r)
			delete(c.pool, hash)
			// The other versions at this nonce are void now.
			for oh, o := range c.pool {
				if of, _ := types.Sender(c.signer, o); of == from && o.Nonce() == tx.Nonce() {
					delete(c.pool, oh)
				}
			}
			next[from]++
			progress = true
		}
	}
	hash := h.Hash()
	for _, r := range b.rcpts {
		r.BlockHash = hash
	}
	c.blocks = append(c.blocks, b)
}

// reorg drops the last depth blocks; their transactions are lost, as when
// the winning fork's node never saw them.
func (c *memChain) reorg(depth int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.blocks = c.blocks[:len(c.blocks)-depth]
	c.fork++
}

// steal mines a transaction of another wallet holding the key at nonce,
// and forgets ours: the nonce is used by something that is not ours.
func (c *memChain) steal(tx *types.Transaction) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pool = map[common.Hash]*types.Transaction{tx.Hash(): tx}
	c.mineLocked()
}

// forget empties the mempool (a node restart, an eviction).
func (c *memChain) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pool = map[common.Hash]*types.Transaction{}
}

// setBaseFee moves the base fee and seals a block with it; with dropBelowBase
// the pool lets go of what no longer fits.
func (c *memChain) setBaseFee(wei int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.baseFee = big.NewInt(wei)
	if c.dropBelowBase {
		for h, tx := range c.pool {
			if tx.GasFeeCap().Cmp(c.baseFee) < 0 {
				delete(c.pool, h)
			}
		}
	}
	c.mineLocked() // the head shows the new base fee, as after a run of full blocks
}

func (c *memChain) HeaderByNumber(_ context.Context, n *big.Int) (*types.Header, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n == nil {
		return types.CopyHeader(c.blocks[c.head()].header), nil
	}
	if !n.IsUint64() || n.Uint64() > c.head() {
		return nil, ethereum.NotFound
	}
	return types.CopyHeader(c.blocks[n.Uint64()].header), nil
}

func (c *memChain) BlockNumber(context.Context) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.head(), nil
}

func (c *memChain) NonceAt(_ context.Context, a common.Address, _ *big.Int) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.minedNonce(a), nil
}

func (c *memChain) PendingNonceAt(_ context.Context, a common.Address) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.minedNonce(a)
	for c.poolAt(a, n) != nil {
		n++
	}
	return n, nil
}

func (c *memChain) SuggestGasTipCap(context.Context) (*big.Int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return new(big.Int).Set(c.tip), nil
}

func (c *memChain) SuggestGasPrice(context.Context) (*big.Int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return new(big.Int).Add(c.baseFee, c.tip), nil
}

func (c *memChain) EstimateGas(context.Context, ethereum.CallMsg) (uint64, error) { return 21000, nil }
func (c *memChain) EstimateGasAt(context.Context, ethereum.CallMsg, uint64) (uint64, error) {
	return 21000, nil
}

// CallContract replays at the parent block: a transaction that reverts only
// because of what ran before it in its block succeeds here.
func (c *memChain) CallContract(context.Context, ethereum.CallMsg, *big.Int) ([]byte, error) {
	return nil, nil
}

// TraceRevert replays where it ran: the revert data a mined transaction got.
func (c *memChain) TraceRevert(_ context.Context, h common.Hash) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.revert[h]; ok {
		return d, nil
	}
	return c.revertData, nil
}

func (c *memChain) SendTransaction(_ context.Context, tx *types.Transaction) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sends++
	from, err := types.Sender(c.signer, tx)
	if err != nil {
		return &memError{"invalid sender: " + err.Error()}
	}
	if _, ok := c.pool[tx.Hash()]; ok {
		return &memError{"already known"}
	}
	if tx.Nonce() < c.minedNonce(from) {
		return &memError{"nonce too low"}
	}
	if c.dropBelowBase && tx.GasFeeCap().Cmp(c.baseFee) < 0 {
		return &memError{"max fee per gas less than block base fee"}
	}
	if old := c.poolAt(from, tx.Nonce()); old != nil {
		if tx.GasTipCap().Cmp(bump110(old.GasTipCap())) < 0 || tx.GasFeeCap().Cmp(bump110(old.GasFeeCap())) < 0 {
			return &memError{"replacement transaction underpriced"}
		}
		delete(c.pool, old.Hash())
	}
	c.pool[tx.Hash()] = tx
	if c.mineFrom > 0 && c.sends >= c.mineFrom {
		c.mineLocked()
	}
	return nil
}

func (c *memChain) receipt(h common.Hash) *types.Receipt {
	for _, b := range c.blocks {
		for i, tx := range b.txs {
			if tx.Hash() == h {
				r := *b.rcpts[i]
				return &r
			}
		}
	}
	return nil
}

func (c *memChain) TransactionReceipt(_ context.Context, h common.Hash) (*types.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.receipt(h); r != nil {
		return r, nil
	}
	return nil, ethereum.NotFound
}

func (c *memChain) TransactionByHash(_ context.Context, h common.Hash) (*types.Transaction, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tx, ok := c.pool[h]; ok {
		return tx, true, nil
	}
	for _, b := range c.blocks {
		for _, tx := range b.txs {
			if tx.Hash() == h {
				return tx, false, nil
			}
		}
	}
	return nil, false, ethereum.NotFound
}

var _ Backend = (*memChain)(nil)
var _ RevertTracer = (*memChain)(nil)
