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

// Client is one node connection: the raw RPC client (for batches and dev
// methods) and the typed ethclient over the same connection.
type Client struct {
	RPC     *rpc.Client
	Eth     *ethclient.Client
	ChainID *big.Int
	URL     string // "" for the embedded chain
	// mine, when set, seals a block; the embedded chain mines nothing until
	// asked, so the transaction manager calls it after every send.
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
	return &Client{RPC: rc, Eth: ec, ChainID: id}, nil
}

// Close releases the connection.
func (c *Client) Close() { c.RPC.Close() }

// IsDev reports whether the client is on a local development chain.
func (c *Client) IsDev() bool { return IsDevChain(c.ChainID.Uint64()) }

// Head returns the latest block header: the block a cycle pins its reads to.
func (c *Client) Head(ctx context.Context) (*types.Header, error) {
	h, err := c.Eth.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the latest block: %w", err)
	}
	return h, nil
}
