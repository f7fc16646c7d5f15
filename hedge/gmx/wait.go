package gmx

import (
	"context"
	"fmt"
	"math/big"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// ErrNoKeeper: no keeper settled the order in time.
type ErrNoKeeper struct {
	Key     common.Hash
	Waited  time.Duration
	Expires time.Duration // the market's request expiration
}

func (e *ErrNoKeeper) Error() string {
	return fmt.Sprintf("no keeper executed or cancelled order %s within %s; it stays pending (GMX lets you cancel it %s after creation)",
		e.Key.Hex(), e.Waited, e.Expires)
}

// WaitOrder polls the EventEmitter's logs from block `from` until the order
// key is executed, cancelled or frozen, and returns its outcome (fills and
// fees gathered from the settling transaction). After timeout it returns
// *ErrNoKeeper. expiration is only used in that error's message.
func (c *Client) WaitOrder(ctx context.Context, key common.Hash, from uint64, timeout, poll, expiration time.Duration) (*OrderOutcome, error) {
	if poll <= 0 {
		poll = time.Second
	}
	names := []common.Hash{crypto.Keccak256Hash([]byte("OrderExecuted")), crypto.Keccak256Hash([]byte("OrderCancelled")), crypto.Keccak256Hash([]byte("OrderFrozen"))}
	q := ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from),
		Addresses: []common.Address{c.Book.Contracts.EventEmitter},
		Topics:    [][]common.Hash{{eventLog1Topic, eventLog2Topic}, names, {key}},
	}
	deadline := time.Now().Add(timeout)
	for {
		logs, err := c.Chain.Eth.FilterLogs(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("GMX: reading order events: %w", err)
		}
		if len(logs) > 0 {
			// Decode the whole settling transaction: fills and fees are
			// separate events of the same receipt.
			rcpt, err := c.Chain.Eth.TransactionReceipt(ctx, logs[len(logs)-1].TxHash)
			if err != nil {
				return nil, fmt.Errorf("GMX: receipt of %s: %w", logs[0].TxHash.Hex(), err)
			}
			evs, err := DecodeEvents(c.Book, rcpt.Logs)
			if err != nil {
				return nil, err
			}
			if o := OrderOutcomes(evs)[key]; o != nil {
				return o, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, &ErrNoKeeper{Key: key, Waited: timeout, Expires: expiration}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(poll):
		}
	}
}
