package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
)

// Embedded is the in-process simulated chain (chain ID 1337) with a Client
// that mines a block after every transaction.
type Embedded struct {
	Backend  *simulated.Backend
	HTTPAddr string // host:port of the JSON-RPC HTTP endpoint, if served
	*Client
}

// NewEmbedded starts a simulated chain funding alloc. With httpAddr set
// (e.g. "127.0.0.1:0") it also serves JSON-RPC over HTTP, so tests can
// count round trips on the real transport.
func NewEmbedded(alloc types.GenesisAlloc, httpAddr string) (*Embedded, error) {
	opts := []func(*node.Config, *ethconfig.Config){}
	if httpAddr != "" {
		host, port, err := splitHostPort(httpAddr)
		if err != nil {
			return nil, err
		}
		opts = append(opts, func(nc *node.Config, _ *ethconfig.Config) {
			nc.HTTPHost, nc.HTTPPort = host, port
			nc.HTTPModules = []string{"eth", "net", "web3"}
		})
	}
	b := simulated.NewBackend(alloc, opts...)
	rc, err := simulatedRPC(b)
	if err != nil {
		b.Close()
		return nil, err
	}
	c, err := newClient(context.Background(), rc, 0)
	if err != nil {
		b.Close()
		return nil, err
	}
	c.mine = func() { b.Commit() }
	c.adjustTime = b.AdjustTime
	return &Embedded{Backend: b, Client: c, HTTPAddr: httpAddr}, nil
}

// simulatedRPC returns the in-process RPC client behind the simulated
// backend, so batches run through the same JSON-RPC code path as on a real
// node. The backend wraps an *ethclient.Client in an embedded field whose name
// shadows its Client() method, so the exported field is read by reflection.
func simulatedRPC(b *simulated.Backend) (*rpc.Client, error) {
	v := reflect.ValueOf(b.Client())
	if v.Kind() == reflect.Struct && v.NumField() > 0 && v.Field(0).CanInterface() {
		if ec, ok := v.Field(0).Interface().(*ethclient.Client); ok && ec != nil {
			return ec.Client(), nil
		}
	}
	return nil, errors.New("simulated backend: cannot reach its RPC client (go-ethereum layout changed)")
}

// Close stops the chain.
func (e *Embedded) Close() { e.Backend.Close() }

// AdvanceTime moves the chain's clock forward by d and mines a block:
// evm_increaseTime + evm_mine on anvil, AdjustTime on the embedded chain.
func (c *Client) AdvanceTime(ctx context.Context, d time.Duration) error {
	if d < time.Second {
		return fmt.Errorf("advance: duration %s is under one second", d)
	}
	if c.adjustTime != nil {
		// The simulated backend moves time only on an empty pending block;
		// a transaction its pool took in after the last commit (the pool
		// promotes asynchronously) is mined first.
		err := c.adjustTime(d)
		for i := 0; err != nil && strings.Contains(err.Error(), "non-empty block") && i < 5 && c.mine != nil; i++ {
			c.mine()
			err = c.adjustTime(d)
		}
		return err
	}
	if !c.IsDev() {
		return fmt.Errorf("advance: chain %s is not a dev chain", c.ChainID)
	}
	if err := c.rpc.CallContext(ctx, nil, "evm_increaseTime", hexutil.Uint64(d/time.Second)); err != nil {
		if strings.Contains(err.Error(), "does not exist") || strings.Contains(err.Error(), "not found") {
			return errors.New("advance: this node cannot move its clock (geth --dev has no evm_increaseTime); rehearse time on anvil or the embedded chain")
		}
		return fmt.Errorf("advance: evm_increaseTime: %w", err)
	}
	return c.Mine(ctx)
}

// Mine seals one block on a dev chain.
func (c *Client) Mine(ctx context.Context) error {
	if c.mine != nil {
		c.mine()
		return nil
	}
	if err := c.rpc.CallContext(ctx, nil, "evm_mine"); err != nil {
		return fmt.Errorf("evm_mine: %w", err)
	}
	return nil
}

// SetBalance sets an account's native balance on anvil (anvil_setBalance).
func (c *Client) SetBalance(ctx context.Context, addr common.Address, wei *big.Int) error {
	if err := c.rpc.CallContext(ctx, nil, "anvil_setBalance", addr, hexutil.EncodeBig(wei)); err != nil {
		return fmt.Errorf("anvil_setBalance: %w", err)
	}
	return nil
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("bad listen address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("bad listen address %q: %w", addr, err)
	}
	return host, port, nil
}

// FundFromNode sends wei to `to` from the node's first unlocked account
// (geth --dev and anvil keep theirs unlocked) and waits for the receipt.
// It is how a key of your own gets coins on a dev chain whose account has
// no exportable key.
func (c *Client) FundFromNode(ctx context.Context, to common.Address, wei *big.Int) (common.Hash, error) {
	if !c.IsDev() {
		return common.Hash{}, fmt.Errorf("chain %s is not a dev chain", c.ChainID)
	}
	var accounts []common.Address
	if err := c.rpc.CallContext(ctx, &accounts, "eth_accounts"); err != nil {
		return common.Hash{}, fmt.Errorf("eth_accounts: %w", err)
	}
	if len(accounts) == 0 {
		return common.Hash{}, errors.New("the node has no unlocked account to fund from")
	}
	var hash common.Hash
	tx := map[string]any{"from": accounts[0], "to": to, "value": (*hexutil.Big)(wei)}
	if err := c.rpc.CallContext(ctx, &hash, "eth_sendTransaction", tx); err != nil {
		return common.Hash{}, fmt.Errorf("eth_sendTransaction from %s: %w", accounts[0].Hex(), err)
	}
	if c.mine != nil {
		c.mine()
	}
	rcpt, err := WaitReceipt(ctx, c, hash, 2*time.Minute, time.Second)
	if err != nil {
		return hash, err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return hash, fmt.Errorf("funding transaction %s failed", hash.Hex())
	}
	return hash, nil
}
