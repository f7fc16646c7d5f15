package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
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
	tagAt  []int // index of each call's block-tag argument; -1: none
	decode []func() error
}

// Len is the number of calls queued.
func (b *Batch) Len() int { return len(b.elems) }

// Balance queues eth_getBalance of addr into dst.
func (b *Batch) Balance(addr common.Address, dst *big.Int) {
	var res hexutil.Big
	b.add(rpc.BatchElem{Method: "eth_getBalance", Args: []any{addr, nil}, Result: &res}, 1, func() error {
		dst.Set((*big.Int)(&res))
		return nil
	})
}

// Call queues eth_call of data on to; decode receives the return data.
func (b *Batch) Call(to common.Address, data []byte, decode func([]byte) error) {
	var res hexutil.Bytes
	args := map[string]any{"to": to, "input": hexutil.Bytes(data)}
	b.add(rpc.BatchElem{Method: "eth_call", Args: []any{args, nil}, Result: &res}, 1, func() error { return decode(res) })
}

// Header queues eth_getBlockByNumber(tag, false) into *dst: the header of
// the block the batch is read at, in the same round trip.
func (b *Batch) Header(dst **types.Header) {
	b.add(rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{nil, false}, Result: dst}, 0, nil)
}

// BlockNumber queues eth_blockNumber into *dst: the node's head when it
// answered, which tells a read at "latest" whether a block landed mid-batch.
func (b *Batch) BlockNumber(dst *hexutil.Uint64) {
	b.add(rpc.BatchElem{Method: "eth_blockNumber", Result: dst}, -1, nil)
}

func (b *Batch) add(e rpc.BatchElem, tagAt int, decode func() error) {
	if decode == nil {
		decode = func() error { return nil }
	}
	b.elems, b.tagAt, b.decode = append(b.elems, e), append(b.tagAt, tagAt), append(b.decode, decode)
}

// Read sends the batch pinned to block (nil = latest) and decodes every
// answer. Errors name the call that failed; all failures are returned joined.
func (c *Client) Read(ctx context.Context, b *Batch, block *big.Int) error {
	tag := "latest"
	if block != nil {
		tag = hexutil.EncodeBig(block)
	}
	for i, e := range b.elems {
		if b.tagAt[i] >= 0 {
			e.Args[b.tagAt[i]] = tag
		}
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
