package perpvenue

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
)

// countingTransport counts HTTP round trips and JSON-RPC calls per request.
type countingTransport struct {
	mu       sync.Mutex
	requests int
	calls    []int // calls carried by each request (1 for a non-batch)
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	n := 1
	var arr []json.RawMessage
	if json.Unmarshal(body, &arr) == nil {
		n = len(arr)
	}
	t.mu.Lock()
	t.requests++
	t.calls = append(t.calls, n)
	t.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (t *countingTransport) reset() {
	t.mu.Lock()
	t.requests, t.calls = 0, nil
	t.mu.Unlock()
}

type testEnv struct {
	emb   *chain.Embedded
	owner *ecdsa.PrivateKey
	tx    *chain.TxManager
	book  *AddressBook
	dev   *Devnet
}

// newTestEnv starts an embedded chain (serving HTTP on a free loopback port)
// and deploys the local venue through the bindings.
func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	owner, _ := crypto.GenerateKey()
	addr := crypto.PubkeyToAddress(owner.PublicKey)
	alloc := types.GenesisAlloc{addr: {Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1_000_000))}}
	emb, err := chain.NewEmbedded(alloc, freeAddr(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	tx, err := chain.NewTxManager(chain.Config{Backend: emb.Client, Signer: chain.NewKeySigner(owner), ABIs: ABIs()})
	if err != nil {
		t.Fatal(err)
	}
	book, err := Deploy(context.Background(), tx, DefaultMarkets())
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{emb: emb, owner: owner, tx: tx, book: book, dev: &Devnet{Book: book, Owner: tx}}
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestDeploySnapshot(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	wallet := common.HexToAddress("0x00000000000000000000000000000000000a11ce")
	if err := e.dev.Mint(ctx, "WBTC", wallet, decimal.RequireFromString("0.5")); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.SendNative(ctx, wallet, decimal.NewFromInt(3)); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.SetPrice(ctx, "ETH", decimal.NewFromInt(2500)); err != nil {
		t.Fatal(err)
	}
	v := &Venue{Client: e.emb.Client, Book: e.book, Wallets: []common.Address{wallet}, Account: crypto.PubkeyToAddress(e.owner.PublicKey)}
	s, err := v.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range s.Holdings {
		got[h.Token] = h.Amount.String()
	}
	if got["native"] != "3" || got["WBTC"] != "0.5" || got["WETH"] != "0" {
		t.Fatalf("holdings = %v", got)
	}
	if p := s.Markets["ETH"].IndexPrice; !p.Equal(decimal.NewFromInt(2500)) {
		t.Fatalf("ETH index = %s, want 2500", p)
	}
	if p := s.Markets["BTC"].MarkPrice; !p.Equal(decimal.NewFromInt(60000)) {
		t.Fatalf("BTC mark with no skew = %s, want 60000", p)
	}
	if m := s.Markets["ETH"]; m.OracleUpdatedAt.IsZero() || m.OracleUpdatedAt.After(s.Time) || s.Time.Sub(m.OracleUpdatedAt) > time.Minute {
		t.Fatalf("ETH oracle updated at %s, snapshot at %s: want the set-price block's time", m.OracleUpdatedAt, s.Time)
	}
	if idx := s.Markets["BTC"].FundingIndex; !idx.Equal(decimal.NewFromInt(1)) {
		t.Fatalf("BTC funding index %s, want the venue's starting 1", idx)
	}
	if !s.Collateral.IsZero() || s.CollateralSymbol != "USDC" {
		t.Fatalf("collateral = %s %s", s.Collateral, s.CollateralSymbol)
	}
}

// TestSnapshotOneRoundTrip proves the read of a cycle is one JSON-RPC batch:
// 50 wallets x (native + 4 tokens: WETH, WBTC, wstETH, LDO), the wstETH
// rate, the LDO feed, 2 markets, over real HTTP.
func TestSnapshotOneRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	ct := &countingTransport{}
	c, err := chain.Dial(ctx, "http://"+httpAddrOf(t, e), chain.DialOptions{HTTPClient: &http.Client{Transport: ct}, ChainID: 1337})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	wallets := make([]common.Address, 50)
	for i := range wallets {
		wallets[i] = common.BigToAddress(big.NewInt(int64(1000 + i)))
	}
	v := &Venue{Client: c, Book: e.book, Wallets: wallets, Account: crypto.PubkeyToAddress(e.owner.PublicKey)}
	head, err := c.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ct.reset()
	s, err := v.SnapshotAt(ctx, head)
	if err != nil {
		t.Fatal(err)
	}
	// balances, the wstETH rate, LDO's own feed, (market view, feed round,
	// position) per market, collateral + allowance, the account's native
	// balance (gas; execution fees on async venues)
	wantCalls := 50*5 + 1 + 1 + 2*3 + 2 + 1
	if ct.requests != 1 || ct.calls[0] != wantCalls {
		t.Fatalf("snapshot took %d round trips carrying %v calls, want 1 carrying %d", ct.requests, ct.calls, wantCalls)
	}
	if len(s.Holdings) != 250 || len(s.Markets) != 2 || !s.Prices["LDO"].Price.Equal(decimal.RequireFromString("1.5")) {
		t.Fatalf("holdings %d markets %d", len(s.Holdings), len(s.Markets))
	}
}

// httpAddrOf recovers the HTTP address the embedded chain serves on.
func httpAddrOf(t testing.TB, e *testEnv) string {
	t.Helper()
	if e.emb.HTTPAddr == "" {
		t.Fatal("embedded chain serves no HTTP")
	}
	return e.emb.HTTPAddr
}

func BenchmarkSnapshot50Wallets(b *testing.B) {
	ctx := context.Background()
	e := newTestEnv(b)
	ct := &countingTransport{}
	c, err := chain.Dial(ctx, "http://"+e.emb.HTTPAddr, chain.DialOptions{HTTPClient: &http.Client{Transport: ct}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	wallets := make([]common.Address, 50)
	for i := range wallets {
		wallets[i] = common.BigToAddress(big.NewInt(int64(1000 + i)))
	}
	v := &Venue{Client: c, Book: e.book, Wallets: wallets, Account: crypto.PubkeyToAddress(e.owner.PublicKey)}
	head, err := c.Head(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ct.reset()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := v.SnapshotAt(ctx, head); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(ct.requests)/float64(b.N), "roundtrips/op")
	b.ReportMetric(float64(ct.calls[0]), "calls/roundtrip")
}

// TestEstimateCoversAccrual: a call made in the block right after a trade
// accrues funding when mined (a feed read, two stores, an event) but not when
// estimated at the head's timestamp. The manager estimates as the next block
// would, so the owner's switch does not run out of gas.
func TestEstimateCoversAccrual(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	if err := e.dev.Skew(ctx, "ETH", decimal.NewFromInt(100)); err != nil {
		t.Fatal(err)
	}
	data := venueABI.PackSetFundingSuspended(big.NewInt(0), true)
	rcpt, err := e.tx.Send(ctx, chain.TxRequest{To: &e.book.Venue, Data: data})
	if err != nil {
		t.Fatalf("setFundingSuspended right after a trade: %v", err)
	}
	var accrued bool
	for _, l := range rcpt.Logs {
		if _, err := venueABI.UnpackFundingAccruedEvent(l); err == nil {
			accrued = true
		}
	}
	if !accrued {
		t.Fatal("the switch did not accrue funding: the test no longer exercises the time-dependent branch")
	}
}

// TestStakedAndCrossInSnapshot: a wstETH balance counts as ETH through the
// token's stEthPerToken (read in the same batch), a rate change moves it,
// and LDO (no market) is priced by its own feed.
func TestStakedAndCrossInSnapshot(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	wallet := common.HexToAddress("0x00000000000000000000000000000000000a11ce")
	if err := e.dev.Mint(ctx, "wstETH", wallet, decimal.NewFromInt(2)); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.Mint(ctx, "LDO", wallet, decimal.NewFromInt(1000)); err != nil {
		t.Fatal(err)
	}
	v := &Venue{Client: e.emb.Client, Book: e.book, Wallets: []common.Address{wallet}}
	holding := func(token string) hedge.Holding {
		t.Helper()
		s, err := v.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range s.Holdings {
			if h.Token == token {
				return h
			}
		}
		t.Fatalf("no %s holding in %+v", token, s.Holdings)
		return hedge.Holding{}
	}
	h := holding("wstETH")
	if h.Asset != "ETH" || !h.TokenAmount.Equal(decimal.NewFromInt(2)) || !h.Amount.Equal(decimal.RequireFromString("2.3")) ||
		h.Rate == nil || !h.Rate.Equal(decimal.RequireFromString("1.15")) {
		t.Fatalf("wstETH holding %+v, want 2 wstETH = 2.3 ETH at 1.15", h)
	}
	if err := e.dev.SetRate(ctx, "wstETH", decimal.RequireFromString("1.2")); err != nil {
		t.Fatal(err)
	}
	if h := holding("wstETH"); !h.Amount.Equal(decimal.RequireFromString("2.4")) {
		t.Fatalf("after set-rate 1.2: %s ETH, want 2.4", h.Amount)
	}
	if err := e.dev.SetRate(ctx, "WETH", decimal.NewFromInt(1)); err == nil {
		t.Fatal("set-rate on a plain token succeeded")
	}
	if h := holding("LDO"); h.Asset != "LDO" || h.Rate != nil || !h.Amount.Equal(decimal.NewFromInt(1000)) {
		t.Fatalf("LDO holding %+v", h)
	}
	if err := e.dev.SetPrice(ctx, "LDO", decimal.RequireFromString("1.8")); err != nil {
		t.Fatal(err)
	}
	s, err := v.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Prices["LDO"]; !p.Price.Equal(decimal.RequireFromString("1.8")) || p.UpdatedAt.IsZero() {
		t.Fatalf("LDO price %+v, want 1.8", p)
	}
	if _, ok := s.Prices["ETH"]; ok {
		t.Fatal("a market asset is in Prices")
	}
}

// TestFeedHistoriesRoundTrips: the rounds of two feeds come back in order
// with their updatedAt, in three requests (head, latest rounds, all rounds),
// and a maxRounds cap keeps only the newest.
func TestFeedHistoriesRoundTrips(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	var eth, ldo []decimal.Decimal
	for i := 0; i < 30; i++ {
		eth = append(eth, decimal.NewFromInt(int64(3000+i)))
		ldo = append(ldo, decimal.RequireFromString("1.5").Add(decimal.New(int64(i), -2)))
	}
	if err := e.dev.PushHistory(ctx, "ETH", eth, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.PushHistory(ctx, "LDO", ldo, time.Hour); err != nil {
		t.Fatal(err)
	}
	ct := &countingTransport{}
	c, err := chain.Dial(ctx, "http://"+httpAddrOf(t, e), chain.DialOptions{HTTPClient: &http.Client{Transport: ct}, ChainID: 1337})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v := &Venue{Client: c, Book: e.book}
	ethFeed, ethDec, _ := e.book.PriceFeed("ETH")
	ldoFeed, ldoDec, ok := e.book.PriceFeed("LDO")
	if !ok {
		t.Fatal("no LDO feed in the book")
	}
	ct.reset()
	hist, err := v.FeedHistories(ctx, []common.Address{ethFeed, ldoFeed}, []int32{ethDec, ldoDec}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ct.requests != 3 || ct.calls[1] != 2 || ct.calls[2] != 62 {
		t.Fatalf("%d requests carrying %v calls, want head + 2 + 62 (31 rounds each)", ct.requests, ct.calls)
	}
	h := hist[1]
	if len(hist[0]) != 31 || len(h) != 31 {
		t.Fatalf("%d and %d rounds, want 31 each", len(hist[0]), len(h))
	}
	// Round 1 is the deploy's answer; the pushed ones are an hour apart, the last at the head.
	last := h[len(h)-1]
	if !last.Price.Equal(decimal.RequireFromString("1.79")) || h[1].Time.Add(29*time.Hour) != last.Time ||
		!hist[0][30].Price.Equal(decimal.NewFromInt(3029)) {
		t.Fatalf("LDO rounds %v … %v", h[1], last)
	}
	capped, err := v.FeedHistories(ctx, []common.Address{ldoFeed}, []int32{ldoDec}, 5)
	if err != nil || len(capped[0]) != 5 || !capped[0][4].Price.Equal(last.Price) {
		t.Fatalf("capped: %v %v", capped, err)
	}
}
