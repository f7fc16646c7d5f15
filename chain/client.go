// Package chain talks to Ethereum nodes: dialing with a pinned chain ID,
// batched reads pinned to one block, transactions with fees, gas headroom,
// receipts and readable reverts. It knows nothing of hedge policy.
package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// Dev chain IDs: geth --dev and the embedded simulated chain (1337), anvil
// and hardhat (31337). Only these accept a raw --private-key.
const (
	ChainIDGethDev = 1337
	ChainIDAnvil   = 31337
)

// IsDevChain reports whether id is a local development chain.
func IsDevChain(id uint64) bool { return id == ChainIDGethDev || id == ChainIDAnvil }

// Client is one node connection. Its methods are the node calls hedger
// makes (ethclient's, with ethclient's meaning), plus CallContext and
// BatchCallContext for the JSON-RPC methods ethclient lacks; the raw
// connections stay inside chain/, so every caller goes through one seam.
type Client struct {
	rpc     *rpc.Client
	eth     *ethclient.Client
	ChainID *big.Int
	URL     string // "" for the embedded chain
	// mine, when set, seals a block on the embedded chain, which mines
	// nothing until asked. SendTransaction calls it, so that chain mines on
	// send as anvil does and the transaction manager needs no dev branch.
	mine func()
	// adjustTime, when set, moves the embedded chain's clock (it has no
	// evm_increaseTime).
	adjustTime func(time.Duration) error
}

// DialOptions tune Dial; the zero value is fine.
type DialOptions struct {
	ChainID    uint64       // when non-zero, refuse a node on another chain
	HTTPClient *http.Client // e.g. a counting transport in tests; RequestTimeout is then not applied
	// RequestTimeout bounds each HTTP request (0: DefaultRequestTimeout), so
	// that a node or proxy that accepts a request and never answers fails
	// the call instead of hanging a command whose context has no deadline.
	RequestTimeout time.Duration
}

// DefaultRequestTimeout bounds one JSON-RPC request over HTTP. Every call the
// hedger makes is short (receipts are polled), so a minute is generous.
const DefaultRequestTimeout = time.Minute

// Dial connects to url and reads the chain ID once.
func Dial(ctx context.Context, url string, o DialOptions) (*Client, error) {
	if strings.TrimSpace(url) == "" {
		return nil, errors.New("no RPC URL: pass --rpc-url or set ETH_RPC_URL")
	}
	var opts []rpc.ClientOption
	lower := strings.ToLower(strings.TrimSpace(url))
	switch {
	case o.HTTPClient != nil:
		opts = append(opts, rpc.WithHTTPClient(o.HTTPClient))
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		timeout := o.RequestTimeout
		if timeout <= 0 {
			timeout = DefaultRequestTimeout
		}
		opts = append(opts, rpc.WithHTTPClient(&http.Client{Timeout: timeout}))
	}
	rc, err := rpc.DialOptions(ctx, url, opts...)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to %s: %w", url, err)
	}
	c, err := newClient(ctx, rc, o.ChainID)
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("RPC %s: %w", url, err)
	}
	c.URL = url
	return c, nil
}

func newClient(ctx context.Context, rc *rpc.Client, pinned uint64) (*Client, error) {
	ec := ethclient.NewClient(rc)
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	id, err := ec.ChainID(cctx)
	if err != nil {
		return nil, fmt.Errorf("node unreachable (eth_chainId failed): %w", err)
	}
	if pinned != 0 && id.Uint64() != pinned {
		return nil, fmt.Errorf("wrong chain: node reports chain ID %s, --chain-id pins %d", id, pinned)
	}
	return &Client{rpc: rc, eth: ec, ChainID: id}, nil
}

// Close releases the connection.
func (c *Client) Close() { c.rpc.Close() }

// IsDev reports whether the client is on a local development chain.
func (c *Client) IsDev() bool { return IsDevChain(c.ChainID.Uint64()) }

// Head returns the latest block header: the block a cycle pins its reads to.
func (c *Client) Head(ctx context.Context) (*types.Header, error) {
	h, err := c.eth.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the latest block: %w", err)
	}
	return h, nil
}

// The node calls, ethclient's. See Backend.

func (c *Client) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	return c.eth.HeaderByNumber(ctx, n)
}
func (c *Client) BlockByNumber(ctx context.Context, n *big.Int) (*types.Block, error) {
	return c.eth.BlockByNumber(ctx, n)
}
func (c *Client) BlockNumber(ctx context.Context) (uint64, error) { return c.eth.BlockNumber(ctx) }
func (c *Client) NonceAt(ctx context.Context, a common.Address, block *big.Int) (uint64, error) {
	return c.eth.NonceAt(ctx, a, block)
}
func (c *Client) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	return c.eth.PendingNonceAt(ctx, a)
}
func (c *Client) BalanceAt(ctx context.Context, a common.Address, block *big.Int) (*big.Int, error) {
	return c.eth.BalanceAt(ctx, a, block)
}
func (c *Client) CodeAt(ctx context.Context, a common.Address, block *big.Int) ([]byte, error) {
	return c.eth.CodeAt(ctx, a, block)
}
func (c *Client) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	return c.eth.SuggestGasTipCap(ctx)
}
func (c *Client) SuggestGasPrice(ctx context.Context) (*big.Int, error) {
	return c.eth.SuggestGasPrice(ctx)
}
func (c *Client) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	return c.eth.EstimateGas(ctx, msg)
}
func (c *Client) CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error) {
	return c.eth.CallContract(ctx, msg, block)
}
func (c *Client) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	return c.eth.TransactionReceipt(ctx, h)
}
func (c *Client) TransactionByHash(ctx context.Context, h common.Hash) (*types.Transaction, bool, error) {
	return c.eth.TransactionByHash(ctx, h)
}
func (c *Client) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	return c.eth.FilterLogs(ctx, q)
}
func (c *Client) SubscribeNewHead(ctx context.Context, ch chan<- *types.Header) (ethereum.Subscription, error) {
	return c.eth.SubscribeNewHead(ctx, ch)
}

// CallContext is a raw JSON-RPC call (eth_simulateV1, anvil_*, evm_*).
func (c *Client) CallContext(ctx context.Context, result any, method string, args ...any) error {
	return c.rpc.CallContext(ctx, result, method, args...)
}

// BatchCallContext sends elems as one JSON-RPC batch.
func (c *Client) BatchCallContext(ctx context.Context, elems []rpc.BatchElem) error {
	return c.rpc.BatchCallContext(ctx, elems)
}

// SendTransaction broadcasts a signed transaction; on the embedded chain it
// then seals a block, as anvil's automine does.
func (c *Client) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	err := c.eth.SendTransaction(ctx, tx)
	if c.mine != nil && (err == nil || isAlreadyKnown(err)) {
		c.mine()
	}
	return err
}

// EstimateGasAt is eth_estimateGas with a block override of the timestamp.
func (c *Client) EstimateGasAt(ctx context.Context, msg ethereum.CallMsg, blockTime uint64) (uint64, error) {
	args := map[string]any{"from": msg.From, "input": hexutil.Bytes(msg.Data)}
	if msg.To != nil {
		args["to"] = msg.To
	}
	if msg.Value != nil {
		args["value"] = (*hexutil.Big)(msg.Value)
	}
	var est hexutil.Uint64
	next := map[string]any{"time": hexutil.Uint64(blockTime)}
	err := c.rpc.CallContext(ctx, &est, "eth_estimateGas", args, "latest", nil, next)
	return uint64(est), err
}

// TraceRevert replays a mined transaction where it ran with geth's call
// tracer (anvil and geth serve it; many providers do not) and returns the
// revert data of its top call (nil when it did not revert).
func (c *Client) TraceRevert(ctx context.Context, hash common.Hash) ([]byte, error) {
	var res struct {
		Output hexutil.Bytes `json:"output"`
		Error  string        `json:"error"`
	}
	if err := c.rpc.CallContext(ctx, &res, "debug_traceTransaction", hash, map[string]any{"tracer": "callTracer"}); err != nil {
		return nil, err
	}
	if res.Error == "" {
		return nil, nil
	}
	return res.Output, nil
}
