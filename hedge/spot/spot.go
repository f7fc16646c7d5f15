// Package spot reads the watch-only wallets' spot holdings on many chains:
// N wallets × M tokens on K chains, each chain in one batched round trip
// (Multicall3 where it is deployed, else JSON-RPC batches within the node's
// limit) pinned to one block, all chains at once. Every figure says which
// chain and block it came from. A chain that cannot be read makes the whole
// exposure unknown: Read then returns an error wrapping ErrExposureUnknown
// and no partial snapshot, so nothing can hedge part of an exposure.
package spot

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/multiread"
)

// ErrExposureUnknown is wrapped by every Read error: some chain's spot is
// unknown, so the total is too.
var ErrExposureUnknown = errors.New("spot exposure unknown")

// Chain is one chain the wallets are read on.
type Chain struct {
	ID     uint64
	Label  string // "chain 1 (https://host)", without any URL path
	Reader *multiread.Reader
	Book   *books.Checked
	// owned is the client Dial opened for this chain, closed by Close; nil
	// when the chain was attached to a connection its caller owns.
	owned *rpc.Client
}

// Close closes the connection Dial opened; a chain attached to the
// caller's connection leaves it open.
func (c *Chain) Close() {
	if c.owned != nil {
		c.owned.Close()
	}
}

// Wallet is a watch-only address; Chains, when set, limits it to those chain IDs.
type Wallet struct {
	Address common.Address
	Chains  []uint64
}

func (w Wallet) on(id uint64) bool {
	if len(w.Chains) == 0 {
		return true
	}
	for _, c := range w.Chains {
		if c == id {
			return true
		}
	}
	return false
}

// Holding is one balance, with where it was read.
type Holding struct {
	ChainID uint64
	Block   uint64
	hedge.Holding
}

// Price is one feed's latest answer on one chain.
type Price struct {
	ChainID   uint64
	Block     uint64
	Pair      string
	Price     decimal.Decimal
	UpdatedAt time.Time
}

// ChainRead is what one chain answered.
type ChainRead struct {
	ChainID    uint64
	Block      uint64
	Holdings   []Holding
	Prices     []Price
	Items      int   // reads sent
	RoundTrips int64 // requests they took
}

// Snapshot is every chain's read.
type Snapshot struct {
	Chains []ChainRead // in the order of the chains given
}

// Totals sums the holdings per asset over every chain (whole units of the asset).
func (s *Snapshot) Totals() map[string]decimal.Decimal {
	t := map[string]decimal.Decimal{}
	for _, c := range s.Chains {
		for _, h := range c.Holdings {
			t[h.Asset] = t[h.Asset].Add(h.Amount)
		}
	}
	return t
}

// HedgeHoldings flattens the holdings for hedge.Snapshot.Holdings; the
// token is labelled with its chain ("WETH@42161") so status can show where
// each figure comes from.
func (s *Snapshot) HedgeHoldings() []hedge.Holding {
	var out []hedge.Holding
	for _, c := range s.Chains {
		for _, h := range c.Holdings {
			hh := h.Holding
			hh.Token = fmt.Sprintf("%s@%d", hh.Token, h.ChainID)
			hh.ChainID, hh.Block = h.ChainID, h.Block
			out = append(out, hh)
		}
	}
	return out
}

// Source reads Wallets on Chains for the engine (hedge.SpotSource).
type Source struct {
	Chains  []*Chain
	Wallets []Wallet
}

var _ hedge.SpotSource = (*Source)(nil)

// ReadSpot is Read as the engine takes it: one hedge.SpotRead per chain.
func (s *Source) ReadSpot(ctx context.Context) ([]hedge.SpotRead, error) {
	snap, err := Read(ctx, s.Chains, s.Wallets)
	if err != nil {
		return nil, err
	}
	out := make([]hedge.SpotRead, len(snap.Chains))
	for i, cr := range snap.Chains {
		one := Snapshot{Chains: []ChainRead{cr}}
		out[i] = hedge.SpotRead{ChainID: cr.ChainID, Block: cr.Block, Label: s.Chains[i].Label,
			Holdings: one.HedgeHoldings(), Items: cr.Items, RoundTrips: cr.RoundTrips, Prices: cr.USDPrices()}
	}
	return out, nil
}

// Close closes every chain's client.
func (s *Source) Close() {
	for _, c := range s.Chains {
		c.Close()
	}
}

// USDPrices are the chain's X/USD feed answers by base asset, each with
// the chain and block it was read at.
func (c *ChainRead) USDPrices() map[string]hedge.FeedPrice {
	out := map[string]hedge.FeedPrice{}
	for _, p := range c.Prices {
		base, quote, ok := strings.Cut(p.Pair, "/")
		if !ok || !strings.EqualFold(quote, "USD") {
			continue
		}
		out[strings.ToUpper(base)] = hedge.FeedPrice{Price: p.Price, UpdatedAt: p.UpdatedAt, ChainID: p.ChainID, Block: p.Block}
	}
	return out
}

// Price finds a pair's price on a chain.
func (s *Snapshot) Price(chainID uint64, pair string) (Price, bool) {
	for _, c := range s.Chains {
		if c.ChainID != chainID {
			continue
		}
		for _, p := range c.Prices {
			if strings.EqualFold(p.Pair, pair) {
				return p, true
			}
		}
	}
	return Price{}, false
}

// Options for Dial.
type Options struct {
	ChainID    uint64 // when non-zero, refuse a node on another chain
	BatchLimit int    // items per JSON-RPC batch (0: multiread.DefaultLimit)
	Books      *books.File
	HTTPClient rpc.ClientOption // optional, e.g. a counting transport in tests
}

// HostOnly is scheme://host of a URL: RPC providers put API keys in the path.
func HostOnly(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(rpc)"
	}
	return u.Scheme + "://" + u.Host
}

// Dial connects to a spot chain, pins its chain ID, looks for Multicall3 and
// checks its book on chain. The chain's book is required: a chain hedger has
// no book for is refused rather than read as native coin only.
func Dial(ctx context.Context, rawURL string, o Options) (*Chain, error) {
	var opts []rpc.ClientOption
	if o.HTTPClient != nil {
		opts = append(opts, o.HTTPClient)
	}
	rc, err := rpc.DialOptions(ctx, rawURL, opts...)
	if err != nil {
		return nil, fmt.Errorf("spot chain %s: %v", HostOnly(rawURL), short(err))
	}
	c, err := Attach(ctx, rc, HostOnly(rawURL), o)
	if err != nil {
		rc.Close()
		return nil, err
	}
	c.owned = rc
	return c, nil
}

// Attach is Dial over a connection the caller already has (an
// *rpc.Client, or chain's *Client): the chain is read over it, and Close
// leaves it open.
func Attach(ctx context.Context, rc multiread.Caller, host string, o Options) (*Chain, error) {
	var id hexutil.Uint64
	if err := rc.CallContext(ctx, &id, "eth_chainId"); err != nil {
		return nil, fmt.Errorf("spot chain %s: eth_chainId: %v", host, short(err))
	}
	if o.ChainID != 0 && uint64(id) != o.ChainID {
		return nil, fmt.Errorf("spot chain %s is chain %d, pinned %d", host, id, o.ChainID)
	}
	label := fmt.Sprintf("chain %d (%s)", id, host)
	bf := o.Books
	if bf == nil {
		bf = books.Builtin()
	}
	book, ok := bf.Chain(uint64(id))
	if !ok {
		return nil, fmt.Errorf("%s: no token book for this chain: add it to the books file", label)
	}
	r := &multiread.Reader{RPC: rc, Label: label, Limit: o.BatchLimit}
	if err := r.Detect(ctx); err != nil {
		return nil, err
	}
	checked, err := books.Verify(ctx, r, book, nil)
	if err != nil {
		return nil, err
	}
	return &Chain{ID: uint64(id), Label: label, Reader: r, Book: checked}, nil
}

var (
	erc20 = contracts.NewTestToken()
	feedC = contracts.NewPriceFeed()
)

// Read reads every wallet on every chain it is not limited away from, the
// chains concurrently, each in one pinned read. Any chain's failure fails
// the whole read (ErrExposureUnknown), with one short line per failed chain.
func Read(ctx context.Context, chains []*Chain, wallets []Wallet) (*Snapshot, error) {
	out := &Snapshot{Chains: make([]ChainRead, len(chains))}
	errs := make([]error, len(chains))
	var wg sync.WaitGroup
	for i, c := range chains {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cr, err := ReadChain(ctx, c, wallets, nil)
			if err != nil {
				errs[i] = err
				return
			}
			out.Chains[i] = *cr
		}()
	}
	wg.Wait()
	var msgs []string
	for _, err := range errs {
		if err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	if len(msgs) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrExposureUnknown, strings.Join(msgs, "; "))
	}
	return out, nil
}

// ReadChain reads one chain at block (nil: its head).
func ReadChain(ctx context.Context, c *Chain, wallets []Wallet, block *big.Int) (*ChainRead, error) {
	type slot struct {
		wallet common.Address
		token  int // -1 native
	}
	var items []multiread.Item
	var slots []slot
	for _, w := range wallets {
		if !w.on(c.ID) {
			continue
		}
		if c.Book.Native != nil {
			items = append(items, multiread.Item{To: w.Address, Balance: true})
			slots = append(slots, slot{w.Address, -1})
		}
		for ti, t := range c.Book.Tokens {
			items = append(items, multiread.Item{To: t.Address, Data: erc20.PackBalanceOf(w.Address)})
			slots = append(slots, slot{w.Address, ti})
		}
	}
	nBal := len(items)
	rateAt := map[int]int{} // token index -> item index
	for ti, t := range c.Book.Tokens {
		if t.Rate != nil {
			rateAt[ti] = len(items)
			items = append(items, multiread.Item{To: t.RateContract(), Data: books.RateCall(t.Rate.Kind)})
		}
	}
	feedAt := len(items)
	for _, f := range c.Book.Feeds {
		items = append(items, multiread.Item{To: f.Address, Data: feedC.PackLatestRoundData()})
	}
	before := c.Reader.RoundTrips()
	res, at, err := c.Reader.Read(ctx, items, block)
	if err != nil {
		return nil, err
	}
	cr := &ChainRead{ChainID: c.ID, Block: at, Items: len(items), RoundTrips: c.Reader.RoundTrips() - before}
	fail := func(what string, err error) error {
		return fmt.Errorf("%s at block %d: %s: %v", c.Label, at, what, err)
	}
	rates := map[int]decimal.Decimal{}
	for ti, i := range rateAt {
		t := c.Book.Tokens[ti]
		if res[i].Err != nil {
			return nil, fail(t.Symbol+" rate", res[i].Err)
		}
		v, err := books.DecodeRate(t.Rate.Kind, res[i].Data)
		if err != nil {
			return nil, fail(t.Symbol+" rate", err)
		}
		rates[ti] = decimal.NewFromBigInt(v, -t.RateDecimals)
	}
	for i := 0; i < nBal; i++ {
		s := slots[i]
		if res[i].Err != nil {
			return nil, fail("balance of "+s.wallet.Hex(), res[i].Err)
		}
		var h hedge.Holding
		h.Wallet = s.wallet.Hex()
		if s.token < 0 {
			h.Asset, h.Token = c.Book.Native.Asset, "native"
			h.TokenAmount = decimal.NewFromBigInt(res[i].Balance, -18)
			h.Amount = h.TokenAmount
		} else {
			t := c.Book.Tokens[s.token]
			bal, err := erc20.UnpackBalanceOf(res[i].Data)
			if err != nil {
				return nil, fail(t.Symbol+" balance of "+s.wallet.Hex(), err)
			}
			h.Asset, h.Token = t.Asset, t.Symbol
			h.TokenAmount = decimal.NewFromBigInt(bal, -t.Decimals)
			h.Amount = h.TokenAmount
			if r, ok := rates[s.token]; ok {
				rr := r
				h.Rate = &rr
				h.Amount = h.TokenAmount.Mul(r) // exact: decimals multiply without rounding
			}
		}
		if h.TokenAmount.IsZero() {
			continue
		}
		cr.Holdings = append(cr.Holdings, Holding{ChainID: c.ID, Block: at, Holding: h})
	}
	for k, f := range c.Book.Feeds {
		x := res[feedAt+k]
		if x.Err != nil {
			return nil, fail("feed "+f.Pair, x.Err)
		}
		rd, err := feedC.UnpackLatestRoundData(x.Data)
		if err != nil {
			return nil, fail("feed "+f.Pair, err)
		}
		cr.Prices = append(cr.Prices, Price{ChainID: c.ID, Block: at, Pair: f.Pair,
			Price: decimal.NewFromBigInt(rd.Answer, -f.Decimals), UpdatedAt: time.Unix(rd.UpdatedAt.Int64(), 0).UTC()})
	}
	sort.SliceStable(cr.Holdings, func(a, b int) bool { return cr.Holdings[a].Wallet < cr.Holdings[b].Wallet })
	return cr, nil
}

func short(err error) string { return multiread.Short(err).Error() }
