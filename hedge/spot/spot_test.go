package spot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/internal/devnode"
	"github.com/hedger/hedger/hedge/perpvenue"
	"github.com/hedger/hedger/hedge/rehearse"
	"github.com/hedger/hedger/hedge/spot"
)

// counter counts HTTP requests (round trips) and the calls each carried.
type counter struct {
	mu    sync.Mutex
	reqs  int
	calls []int
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	n := 1
	var arr []json.RawMessage
	if json.Unmarshal(body, &arr) == nil {
		n = len(arr)
	}
	c.mu.Lock()
	c.reqs++
	c.calls = append(c.calls, n)
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (c *counter) take() (int, []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, cs := c.reqs, c.calls
	c.reqs, c.calls = 0, nil
	return r, cs
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

const (
	anvilKey0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
	anvilKey1 = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
)

var cold = common.HexToAddress("0x000000000000000000000000000000000000bEEF")

// A cold wallet on Ethereum mainnet (chain 1) holding ETH, wstETH and WBTC
// at their real addresses is hedged by shorts on a venue on chain 42161,
// which never sees the wallet: the exposure comes only from the spot read.
func TestColdWalletOnMainnetHedgedOnArbitrum(t *testing.T) {
	ctx := context.Background()
	l1URL, l1 := devnode.Anvil(t, 1)
	eth, _ := books.Builtin().Chain(1)
	in, err := rehearse.Install(ctx, l1, eth, rehearse.Options{
		Prices: map[string]decimal.Decimal{"ETH/USD": d("3000"), "BTC/USD": d("60000")},
		Rates:  map[string]decimal.Decimal{"wstETH": d("1.2")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Fund(ctx, cold, map[string]decimal.Decimal{"ETH": d("10"), "wstETH": d("1"), "WBTC": d("0.5")}); err != nil {
		t.Fatal(err)
	}
	cnt := &counter{}
	src, err := spot.Dial(ctx, l1URL, spot.Options{ChainID: 1, HTTPClient: rpc.WithHTTPClient(&http.Client{Transport: cnt})})
	if err != nil {
		t.Fatal(err)
	}
	if src.Reader.Multicall == nil {
		t.Fatal("Multicall3 not found at its canonical address")
	}
	cnt.take()
	snap, err := spot.Read(ctx, []*spot.Chain{src}, []spot.Wallet{{Address: cold}})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cnt.take(); n != 1 || snap.Chains[0].Items != 18 {
		t.Fatalf("chain 1: %d reads in %d round trips, want 18 (native + 9 tokens, 4 rates, 4 feeds) in 1 (Multicall3)", snap.Chains[0].Items, n)
	}
	var head uint64
	l1.CallContext(ctx, (*hexU64)(&head), "eth_blockNumber")
	cr := snap.Chains[0]
	if cr.ChainID != 1 || cr.Block != head {
		t.Fatalf("read says chain %d block %d, want chain 1 block %d", cr.ChainID, cr.Block, head)
	}
	for _, h := range cr.Holdings {
		if h.ChainID != 1 || h.Block != head {
			t.Fatalf("holding %+v not labelled with chain 1 block %d", h, head)
		}
	}
	tot := snap.Totals()
	if !tot["ETH"].Equal(d("11.2")) || !tot["BTC"].Equal(d("0.5")) {
		t.Fatalf("totals %v, want 11.2 ETH (10 + 1 wstETH × 1.2) and 0.5 BTC", tot)
	}
	if p, ok := snap.Price(1, "ETH/USD"); !ok || !p.Price.Equal(d("3000")) || p.Block != head {
		t.Fatalf("ETH/USD on chain 1: %+v", p)
	}

	// The venue chain: the local venue on an anvil with Arbitrum's chain ID.
	l2URL, _ := devnode.Anvil(t, 42161)
	c2, err := chain.Dial(ctx, l2URL, chain.DialOptions{ChainID: 42161})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	k0, _ := crypto.HexToECDSA(anvilKey0)
	k1, _ := crypto.HexToECDSA(anvilKey1)
	// Chain 42161 is no dev chain to the transaction manager; anvil mines at
	// once and never reorgs, so one confirmation is enough here.
	owner, err := chain.NewTxManager(chain.Config{Backend: c2, Signer: chain.NewKeySigner(k0), ABIs: perpvenue.ABIs(), Confirmations: 1, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	book, err := perpvenue.Deploy(ctx, owner, perpvenue.DefaultMarkets())
	if err != nil {
		t.Fatal(err)
	}
	margin := crypto.PubkeyToAddress(k1.PublicKey)
	dev := &perpvenue.Devnet{Book: book, Owner: owner}
	if err := dev.Mint(ctx, "USDC", margin, d("100000")); err != nil {
		t.Fatal(err)
	}
	v, err := perpvenue.New(c2, book, nil, margin,
		&chain.Config{Backend: c2, Signer: chain.NewKeySigner(k1), ABIs: perpvenue.ABIs(), Confirmations: 1, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	plan := func() (*hedge.Snapshot, *hedge.Plan) {
		s, err := v.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sp, err := spot.Read(ctx, []*spot.Chain{src}, []spot.Wallet{{Address: cold}})
		if err != nil {
			t.Fatal(err)
		}
		s.Holdings = append(s.Holdings, sp.HedgeHoldings()...)
		p, err := hedge.BuildPlan(s, hedge.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		return s, p
	}
	s0, p := plan()
	if len(p.Orders) == 0 {
		t.Fatal("nothing to do for 11.2 ETH and 0.5 BTC of cold spot")
	}
	steps, err := v.Compile(s0, p.Orders)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		if _, err := v.Submit(ctx, st); err != nil {
			t.Fatalf("%s: %v", st.Kind, err)
		}
	}
	s, p := plan()
	if len(p.Orders) != 0 {
		t.Fatalf("second plan not empty: %+v", p.Orders)
	}
	for asset, spotAmt := range map[string]decimal.Decimal{"ETH": d("11.2"), "BTC": d("0.5")} {
		m := s.Markets[asset]
		want := spotAmt.Mul(m.IndexPrice).Div(m.MarkPrice).Neg()
		got := s.PositionOf(asset).Size
		if got.Sub(want).Abs().GreaterThan(want.Abs().Mul(d("0.0001"))) {
			t.Fatalf("%s short %s, want %s (cold spot %s on chain 1)", asset, got, want, spotAmt)
		}
	}
}

type hexU64 uint64

func (h *hexU64) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	n, ok := new(big.Int).SetString(strings.TrimPrefix(s, "0x"), 16)
	if !ok {
		return fmt.Errorf("bad number %s", s)
	}
	*h = hexU64(n.Uint64())
	return nil
}

// A spot chain that is down makes the exposure unknown: no snapshot, one line.
func TestChainDownMakesExposureUnknown(t *testing.T) {
	ctx := context.Background()
	var srcs []*spot.Chain
	var stop func()
	for i, id := range []uint64{1, 42161} {
		u, rc := devnode.Anvil(t, id)
		c, _ := books.Builtin().Chain(id)
		if _, err := rehearse.Install(ctx, rc, c, rehearse.Options{}); err != nil {
			t.Fatal(err)
		}
		px := &toggle{}
		hc := &http.Client{Transport: px}
		s, err := spot.Dial(ctx, u+"/secret-api-key", spot.Options{HTTPClient: rpc.WithHTTPClient(hc)})
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, s)
		if i == 1 {
			stop = func() { px.down.Store(true) }
		}
	}
	if _, err := spot.Read(ctx, srcs, []spot.Wallet{{Address: cold}}); err != nil {
		t.Fatal(err)
	}
	stop()
	snap, err := spot.Read(ctx, srcs, []spot.Wallet{{Address: cold}})
	if snap != nil || !errors.Is(err, spot.ErrExposureUnknown) {
		t.Fatalf("want no snapshot and ErrExposureUnknown, got %v, %v", snap, err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "chain 42161") || strings.Contains(msg, "\n") || strings.Contains(msg, "secret-api-key") || len(msg) > 300 {
		t.Fatalf("want one short line naming chain 42161 without the URL path, got %q", msg)
	}
}

// toggle forwards to the node until down, then refuses like a dead host.
type toggle struct{ down atomicBool }

func (p *toggle) RoundTrip(r *http.Request) (*http.Response, error) {
	if p.down.Load() {
		return nil, fmt.Errorf("dial tcp %s: connect: connection refused", r.URL.Host)
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/"
	return http.DefaultTransport.RoundTrip(r2)
}

type atomicBool struct {
	mu sync.Mutex
	v  bool
}

func (b *atomicBool) Load() bool   { b.mu.Lock(); defer b.mu.Unlock(); return b.v }
func (b *atomicBool) Store(v bool) { b.mu.Lock(); b.v = v; b.mu.Unlock() }

// With Multicall3, 700 wallets × (native + 9 tokens) plus the rates and
// feeds on mainnet's book are 7008 reads: 15 aggregate3 calls of at most
// 500 reads, about 3.1 MB of call data, sent in requests of at most 1.5 MiB
// (anvil refuses bodies over 2 MiB): 3 round trips. 100 wallets take one.
func TestMulticallManyWallets(t *testing.T) {
	ctx := context.Background()
	u, rc := devnode.Anvil(t, 1)
	c, _ := books.Builtin().Chain(1)
	in, err := rehearse.Install(ctx, rc, c, rehearse.Options{Rates: map[string]decimal.Decimal{"rETH": d("1.1")}})
	if err != nil {
		t.Fatal(err)
	}
	wallets := make([]spot.Wallet, 700)
	for i := range wallets {
		wallets[i].Address = common.BigToAddress(big.NewInt(int64(0x20000 + i)))
	}
	if err := in.Fund(ctx, wallets[350].Address, map[string]decimal.Decimal{"rETH": d("2"), "cbBTC": d("0.1")}); err != nil {
		t.Fatal(err)
	}
	cnt := &counter{}
	src, err := spot.Dial(ctx, u, spot.Options{HTTPClient: rpc.WithHTTPClient(&http.Client{Transport: cnt})})
	if err != nil {
		t.Fatal(err)
	}
	cnt.take()
	snap, err := spot.Read(ctx, []*spot.Chain{src}, wallets)
	if err != nil {
		t.Fatal(err)
	}
	n, calls := cnt.take()
	cr := snap.Chains[0]
	t.Logf("700 wallets × 10 + %d rate and feed reads = %d items: %d round trip(s) carrying %v eth_calls", cr.Items-7000, cr.Items, n, calls)
	if n != 3 || cr.RoundTrips != 3 || cr.Items != 7000+4+4 {
		t.Fatalf("%d items in %d round trips, want 7008 in 3", cr.Items, n)
	}
	tot := snap.Totals()
	if !tot["ETH"].Equal(d("2.2")) || !tot["BTC"].Equal(d("0.1")) {
		t.Fatalf("totals %v", tot)
	}
	snap, err = spot.Read(ctx, []*spot.Chain{src}, wallets[300:400])
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cnt.take(); n != 1 || snap.Chains[0].Items != 1008 {
		t.Fatalf("100 wallets: %d items in %d round trips, want 1008 in 1", snap.Chains[0].Items, n)
	}
}
