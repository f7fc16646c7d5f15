package gmx

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
)

// countingTransport counts HTTP round trips and the JSON-RPC calls in each.
type countingTransport struct {
	mu       sync.Mutex
	requests int
	calls    []int
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

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func usd(x int64) *big.Int { return new(big.Int).Mul(big.NewInt(x), float30) }

func whole(x int64, dec uint8) *big.Int {
	return new(big.Int).Mul(big.NewInt(x), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(dec)), nil))
}

type env struct {
	c      *chain.Client // the chain the transactions go to
	book   *Book
	dev    *Devnet
	trader *ecdsa.PrivateKey
	cl     *Client
	m      Market
}

// setupEnv funds a trader, seeds the ETH market and applies the Arbitrum
// config, and makes the trader's client with a one-time max approval.
func setupEnv(t *testing.T, ctx context.Context, c *chain.Client) *env {
	t.Helper()
	book, err := BookFor(c.ChainID.Uint64())
	if err != nil {
		t.Fatal(err)
	}
	dev, err := NewDevnet(c, book)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := book.Market("ETH")
	if !ok {
		t.Fatal("no ETH market in the local book")
	}
	if err := dev.Setup(ctx, m, decimal.NewFromInt(1000), decimal.NewFromInt(5_000_000)); err != nil {
		t.Fatal(err)
	}
	trader, _ := crypto.GenerateKey()
	addr := crypto.PubkeyToAddress(trader.PublicKey)
	if _, err := SendFixedGas(ctx, c, dev.Keeper.Signer(), addr, nil, new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18)), 21_000); err != nil {
		t.Fatal(err)
	}
	if err := dev.Fund(ctx, "USDC", addr, decimal.NewFromInt(10_000)); err != nil {
		t.Fatal(err)
	}
	tx, err := chain.NewTxManager(chain.Config{Backend: c, Signer: chain.NewKeySigner(trader), ABIs: ABIs(), Recipients: book.Recipients()})
	if err != nil {
		t.Fatal(err)
	}
	cl := NewClient(c, book, addr, tx)
	if err := cl.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	maxUint := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	if _, err := cl.Approve(ctx, maxUint); err != nil {
		t.Fatal(err)
	}
	return &env{c: c, book: book, dev: dev, trader: trader, cl: cl, m: m}
}

func (e *env) snapshot(t *testing.T, ctx context.Context) *Snapshot {
	t.Helper()
	s, err := e.cl.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// execOne runs the keeper once and returns the outcome of key.
func (e *env) execOne(t *testing.T, ctx context.Context, key common.Hash) (*OrderOutcome, *types.Receipt) {
	t.Helper()
	ex, err := e.dev.Keeper.Once(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ex {
		if x.Key == key {
			o := OrderOutcomes(x.Events)[key]
			if o == nil {
				t.Fatalf("keeper executed %x but emitted no order event", key[:4])
			}
			return o, x.Receipt
		}
	}
	t.Fatalf("keeper did not handle order %x (handled %d)", key[:4], len(ex))
	return nil, nil
}

func TestOracleSalt(t *testing.T) {
	// The fixture's book records the salt of chain 31337.
	if got := OracleSalt(31337).Hex(); got != "0xccd7c7afd74e8a0196f4715fd5dfee8df44074ac77aa5208cf7069e2d245c5ab" {
		t.Fatalf("salt %s", got)
	}
	if got := tokenOracleType.Hex(); got != "0x273d968b62e572a67bccffe361015a831243bf8765d81768b4abee0e83398855" {
		t.Fatalf("token oracle type %s", got)
	}
}

func TestBooks(t *testing.T) {
	for _, id := range []uint64{ChainArbitrum, ChainAvalanche, ChainAnvil, ChainEmbedded} {
		b, err := BookFor(id)
		if err != nil {
			t.Fatal(err)
		}
		if b.ChainID != id || b.Contracts.ExchangeRouter == (common.Address{}) || b.Collateral.Symbol != "USDC" || len(b.Markets) == 0 {
			t.Fatalf("chain %d: incomplete book %+v", id, b)
		}
		if _, ok := b.Market("ETH"); !ok {
			t.Fatalf("chain %d: no ETH market", id)
		}
		for _, m := range b.Markets {
			if m.Short.Symbol != "USDC" {
				t.Fatalf("chain %d: market %s is not USDC-collateralised", id, m.Name)
			}
		}
	}
	if _, err := BookFor(10); err == nil || err.Error() != "no GMX address book for chain 10" {
		t.Fatalf("chain 10: %v", err)
	}
	arb, _ := BookFor(ChainArbitrum)
	if btc, ok := arb.Market("BTC"); !ok || btc.MarketToken != common.HexToAddress("0x47c031236e19d024b42f8AE6780E44A573170703") {
		t.Fatalf("Arbitrum BTC market %v", btc)
	}
}

func TestExplainError(t *testing.T) {
	// OrderNotFulfillableAtAcceptablePrice(uint256,uint256): selector from errors.tsv.
	data := common.FromHex("0x" + selectorOf(t, "OrderNotFulfillableAtAcceptablePrice") +
		"00000000000000000000000000000000000000000000000000000000000003e8" +
		"00000000000000000000000000000000000000000000000000000000000003e9")
	got := ExplainError(data)
	if !strings.HasPrefix(got, "the price moved past the order's acceptable price: OrderNotFulfillableAtAcceptablePrice(") || !strings.Contains(got, "1000") {
		t.Fatalf("decoded %q", got)
	}
	if got := ExplainError([]byte{1, 2, 3, 4, 5}); got != "undecodable reason 0x0102030405" {
		t.Fatalf("unknown selector: %q", got)
	}
}

func selectorOf(t *testing.T, name string) string {
	for _, line := range strings.Split(fixtureErrors, "\n") {
		f := strings.Split(line, "\t")
		if len(f) >= 2 && strings.HasPrefix(f[1], name+"(") {
			return strings.TrimPrefix(f[0], "0x")
		}
	}
	t.Fatalf("%s not in errors.tsv", name)
	return ""
}

// TestEmbeddedShortLifecycle runs the whole GMX flow on the embedded chain
// with the fixture as genesis: liquidity, Arbitrum config, a short opened
// through one multicall, executed by the keeper, read back in one batch,
// decreased and closed; a doomed order cancelled with its reason decoded; an
// expired order cancelled by the user and refunded.
func TestEmbeddedShortLifecycle(t *testing.T) {
	ctx := context.Background()
	alloc, err := GenesisAlloc(nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	emb, err := chain.NewEmbedded(alloc, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	if emb.ChainID.Uint64() != ChainEmbedded {
		t.Fatalf("embedded chain id %s", emb.ChainID)
	}
	e := setupEnv(t, ctx, emb.Client)
	runLifecycle(t, ctx, e, "http://"+addr)
}

func runLifecycle(t *testing.T, ctx context.Context, e *env, rpcURL string) {
	col := e.book.Collateral
	// A read-only client over a counting HTTP transport to count round trips.
	ct := &countingTransport{}
	rc, err := chain.Dial(ctx, rpcURL, chain.DialOptions{HTTPClient: &http.Client{Transport: ct}})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	reader := NewClient(rc, e.book, e.cl.Account, nil)
	if err := reader.Discover(ctx); err != nil {
		t.Fatal(err)
	}

	s := e.snapshot(t, ctx)
	if s.Gas.IncreaseOrder.Uint64() != 3_900_000 || s.Markets[e.m.MarketToken].PositionFeeFactorNegative.Cmp(pct("0.06")) != 0 {
		t.Fatalf("config not applied: gas %v", s.Gas.IncreaseOrder)
	}
	startUSDC := new(big.Int).Set(s.Collateral)

	// Open: 10,000 USD short with 1,000 USDC, 0.5% max slippage.
	est, err := EstimateShortCost(s.Markets[e.m.MarketToken], usd(10_000), true)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := e.cl.Submit(ctx, s, OrderRequest{Market: e.m, Increase: true, SizeDeltaUSD: usd(10_000), Collateral: whole(1000, col.Decimals), MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("create increase: gas %d, execution fee %s wei", sub.Receipt.GasUsed, sub.Fee)
	s = e.snapshot(t, ctx)
	if len(s.Orders) != 1 || s.Orders[0].Key != sub.Key || len(s.Positions) != 0 {
		t.Fatalf("after create: %d orders, %d positions", len(s.Orders), len(s.Positions))
	}
	out, rcpt := e.execOne(t, ctx, sub.Key)
	if out.Status != OrderExecuted || out.Fill == nil || out.Fees == nil {
		t.Fatalf("open: %+v (reason %q)", out, out.Reason)
	}
	t.Logf("keeper execute open: gas %d, blocks from order to execution %d", rcpt.GasUsed, rcpt.BlockNumber.Uint64()-sub.Receipt.BlockNumber.Uint64())
	if out.Fees.PositionFeeAmount.Sign() <= 0 {
		t.Fatalf("no position fee charged: %+v", out.Fees)
	}
	// The estimate is what GMX charged: fee in USDC units (1 USDC = 1 USD
	// here) and the impact of the fill.
	if feeUnits := new(big.Int).Div(est.PositionFeeUSD, new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)); feeUnits.Cmp(out.Fees.PositionFeeAmount) != 0 {
		t.Fatalf("estimated fee %s units, charged %s", feeUnits, out.Fees.PositionFeeAmount)
	}
	// GMX raises to the exponent with a fixed-point pow (PRB math), a hair
	// off the exact square; the estimate may be more negative (never less)
	// by a billionth.
	if out.Fill.PriceImpactUSD == nil {
		t.Fatal("no impact in the fill")
	}
	gap := new(big.Int).Sub(out.Fill.PriceImpactUSD, est.PriceImpactUSD)
	if est.PriceImpactUSD.Sign() >= 0 || gap.Sign() < 0 || new(big.Int).Mul(gap, big.NewInt(1e9)).Cmp(new(big.Int).Abs(est.PriceImpactUSD)) > 0 {
		t.Fatalf("estimated impact %s, fill %s", est.PriceImpactUSD, out.Fill.PriceImpactUSD)
	}
	t.Logf("open 10k: fee %s USD, impact %s USD (estimated fee = charged; impact within a billionth)", usdString(est.PositionFeeUSD), new(big.Rat).SetFrac(est.PriceImpactUSD, float30).FloatString(6))

	// Read back in one round trip.
	head, err := rc.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ct.reset()
	rs, err := reader.SnapshotAt(ctx, head)
	if err != nil {
		t.Fatal(err)
	}
	if ct.requests != 1 {
		t.Fatalf("snapshot took %d round trips (%v calls)", ct.requests, ct.calls)
	}
	t.Logf("snapshot: 1 round trip carrying %d calls", ct.calls[0])
	// Without a head the header rides in the same batch.
	ct.reset()
	ls, err := reader.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ct.requests != 1 || ls.Block != rs.Block || ls.BlockHash != head.Hash() {
		t.Fatalf("snapshot of the latest block: %d round trips (%v calls), block %d %s, want %d %s",
			ct.requests, ct.calls, ls.Block, ls.BlockHash, rs.Block, head.Hash())
	}
	t.Logf("snapshot of the latest block: 1 round trip carrying %d calls (header included)", ct.calls[0])
	pos, ok := rs.Short(e.m, col.Address)
	if !ok || pos.Info.Position.Numbers.SizeInUsd.Cmp(usd(10_000)) != 0 || len(rs.Orders) != 0 {
		t.Fatalf("position after open: %+v, %d orders", pos.Info.Position.Numbers, len(rs.Orders))
	}
	colAfterOpen := pos.Info.Position.Numbers.CollateralAmount
	if colAfterOpen.Cmp(whole(1000, col.Decimals)) >= 0 {
		t.Fatalf("collateral %s: fees were not charged", colAfterOpen)
	}

	// Decrease half, withdrawing 200 USDC.
	s = e.snapshot(t, ctx)
	sub, err = e.cl.Submit(ctx, s, OrderRequest{Market: e.m, SizeDeltaUSD: usd(5_000), Collateral: whole(200, col.Decimals), MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("create decrease: gas %d", sub.Receipt.GasUsed)
	out, rcpt = e.execOne(t, ctx, sub.Key)
	if out.Status != OrderExecuted {
		t.Fatalf("decrease: %v %q", out.Status, out.Reason)
	}
	t.Logf("keeper execute decrease: gas %d", rcpt.GasUsed)
	s = e.snapshot(t, ctx)
	pos, ok = s.Short(e.m, col.Address)
	if !ok || pos.Info.Position.Numbers.SizeInUsd.Cmp(usd(5_000)) != 0 {
		t.Fatalf("after decrease: %+v", pos.Info.Position.Numbers)
	}

	// Close the rest.
	sub, err = e.cl.Submit(ctx, s, OrderRequest{Market: e.m, SizeDeltaUSD: pos.Info.Position.Numbers.SizeInUsd, Collateral: pos.Info.Position.Numbers.CollateralAmount, MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("create close: gas %d", sub.Receipt.GasUsed)
	out, rcpt = e.execOne(t, ctx, sub.Key)
	if out.Status != OrderExecuted {
		t.Fatalf("close: %v %q", out.Status, out.Reason)
	}
	t.Logf("keeper execute close: gas %d", rcpt.GasUsed)
	s = e.snapshot(t, ctx)
	if _, ok := s.Short(e.m, col.Address); ok {
		t.Fatal("position still open after close")
	}
	paid := new(big.Int).Sub(startUSDC, s.Collateral)
	if paid.Sign() <= 0 || paid.Cmp(whole(30, col.Decimals)) > 0 {
		t.Fatalf("round trip cost %s USDC units: expected fees of a few dollars", paid)
	}
	t.Logf("open+decrease+close at an unchanged price cost %s USDC", decimal.NewFromBigInt(paid, -int32(col.Decimals)))

	// An order no price can fill: acceptable price twice the market.
	s = e.snapshot(t, ctx)
	ms := s.Markets[e.m.MarketToken]
	sub, err = e.cl.Submit(ctx, s, OrderRequest{Market: e.m, Increase: true, SizeDeltaUSD: usd(1_000), Collateral: whole(100, col.Decimals),
		AcceptablePrice: new(big.Int).Mul(ms.IndexPrice, big.NewInt(2))})
	if err != nil {
		t.Fatal(err)
	}
	before := s.Collateral // the create took 100 USDC; the cancel must return them
	out, _ = e.execOne(t, ctx, sub.Key)
	if out.Status != OrderCancelled || !strings.HasPrefix(out.Reason, "the price moved past the order's acceptable price: OrderNotFulfillableAtAcceptablePrice(") {
		t.Fatalf("doomed order: %v %q", out.Status, out.Reason)
	}
	t.Logf("cancelled: %s", out.Reason)
	s = e.snapshot(t, ctx)
	if s.Collateral.Cmp(before) != 0 || len(s.Orders) != 0 {
		t.Fatalf("collateral not refunded: %s -> %s", before, s.Collateral)
	}

	// An order no keeper executes in time: the user cancels it after the
	// request expiration and gets the collateral back.
	sub, err = e.cl.Submit(ctx, s, OrderRequest{Market: e.m, Increase: true, SizeDeltaUSD: usd(1_000), Collateral: whole(100, col.Decimals), MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.cl.CancelOrder(ctx, sub.Key); err == nil || !strings.Contains(err.Error(), "RequestNotYetCancellable") {
		t.Fatalf("early cancel: %v", err)
	}
	if err := e.c.AdvanceTime(ctx, s.RequestExpiration+time.Second); err != nil {
		t.Fatal(err)
	}
	if ex, err := e.dev.Keeper.Once(ctx); err != nil || len(ex) != 0 {
		t.Fatalf("keeper acted on an expired order: %v %v", ex, err)
	}
	rcpt, err = e.cl.CancelOrder(ctx, sub.Key)
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := DecodeEvents(e.book, rcpt.Logs)
	if o := OrderOutcomes(evs)[sub.Key]; o == nil || o.Status != OrderCancelled {
		t.Fatalf("cancel emitted %+v", evs)
	}
	t.Logf("user cancelOrder: gas %d", rcpt.GasUsed)
	s = e.snapshot(t, ctx)
	if s.Collateral.Cmp(before) != 0 || len(s.Orders) != 0 {
		t.Fatalf("expired order not refunded: %s -> %s", before, s.Collateral)
	}
}

func bigZero() *big.Int       { return new(big.Int) }
func bigInt(x int64) *big.Int { return big.NewInt(x) }
