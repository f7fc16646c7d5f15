package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// MaxBatch is the number of calls sent in one JSON-RPC batch. geth's default
// limit is 1000 items per batch; larger reads are split, one round trip each.
const MaxBatch = 1000

// Batch collects reads that go to the node as one JSON-RPC batch, all pinned
// to the same block so that balances, prices and positions are consistent.
// Add reads, then call Client.Read; decoders run after the answers arrive.
type Batch struct {
	elems  []rpc.BatchElem
	decode []func() error
}

// Len is the number of calls queued.
func (b *Batch) Len() int { return len(b.elems) }

// Balance queues eth_getBalance of addr into dst.
func (b *Batch) Balance(addr common.Address, dst *big.Int) {
	var res hexutil.Big
	b.elems = append(b.elems, rpc.BatchElem{Method: "eth_getBalance", Args: []any{addr, nil}, Result: &res})
	b.decode = append(b.decode, func() error {
		dst.Set((*big.Int)(&res))
		return nil
	})
}

// Call queues eth_call of data on to; decode receives the return data.
func (b *Batch) Call(to common.Address, data []byte, decode func([]byte) error) {
	var res hexutil.Bytes
	args := map[string]any{"to": to, "input": hexutil.Bytes(data)}
	b.elems = append(b.elems, rpc.BatchElem{Method: "eth_call", Args: []any{args, nil}, Result: &res})
	b.decode = append(b.decode, func() error { return decode(res) })
}

// Read sends the batch pinned to block (nil = latest) and decodes every
// answer. Errors name the call that failed; all failures are returned joined.
func (c *Client) Read(ctx context.Context, b *Batch, block *big.Int) error {
	tag := "latest"
	if block != nil {
		tag = hexutil.EncodeBig(block)
	}
	for i := range b.elems {
		b.elems[i].Args[len(b.elems[i].Args)-1] = tag
	}
	for start := 0; start < len(b.elems); start += MaxBatch {
		end := min(start+MaxBatch, len(b.elems))
		if err := c.rpc.BatchCallContext(ctx, b.elems[start:end]); err != nil {
			return fmt.Errorf("batch read: %w", err)
		}
	}
	var errs []error
	for i, e := range b.elems {
		if e.Error != nil {
			errs = append(errs, fmt.Errorf("%s #%d: %w", e.Method, i, e.Error))
			continue
		}
		if err := b.decode[i](); err != nil {
			errs = append(errs, fmt.Errorf("%s #%d: decoding: %w", e.Method, i, err))
		}
	}
	return errors.Join(errs...)
}
