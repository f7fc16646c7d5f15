package gmx

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts/gmx"
)

func newEmbeddedEnv(t *testing.T, ctx context.Context) (*env, *chain.Embedded) {
	t.Helper()
	emb, err := NewEmbedded(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	return setupEnv(t, ctx, emb.Client), emb
}

// TestKeeperDelay: with Delay 3 the keeper leaves an order alone until three
// blocks after it first saw it; the order waits, pending, meanwhile.
func TestKeeperDelay(t *testing.T) {
	ctx := context.Background()
	e, emb := newEmbeddedEnv(t, ctx)
	e.dev.Keeper.Delay = 3
	s := e.snapshot(t, ctx)
	sub, err := e.cl.Submit(ctx, s, OrderRequest{Market: e.m, Increase: true, SizeDeltaUSD: usd(2_000), Collateral: whole(200, 6), MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		ex, err := e.dev.Keeper.Once(ctx)
		if err != nil || len(ex) != 0 {
			t.Fatalf("round %d: keeper acted early: %v %v", i, ex, err)
		}
		if s := e.snapshot(t, ctx); len(s.Orders) != 1 {
			t.Fatalf("round %d: %d pending orders", i, len(s.Orders))
		}
		if err := emb.Mine(ctx); err != nil {
			t.Fatal(err)
		}
	}
	out, rcpt := e.execOne(t, ctx, sub.Key)
	if out.Status != OrderExecuted {
		t.Fatalf("%v %q", out.Status, out.Reason)
	}
	t.Logf("delay 3: blocks from order to execution %d", rcpt.BlockNumber.Uint64()-sub.Receipt.BlockNumber.Uint64())
	if got := rcpt.BlockNumber.Uint64() - sub.Receipt.BlockNumber.Uint64(); got != 4 {
		t.Fatalf("executed %d blocks after the order, want 4 (seen at +0, due at +3, mined at +4)", got)
	}
}

// TestCompileRefuses: a fee above the user's cap, too little native coin, and
// a market whose increase orders GMX disabled are refused before anything
// is sent.
func TestCompileRefuses(t *testing.T) {
	ctx := context.Background()
	e, _ := newEmbeddedEnv(t, ctx)
	s := e.snapshot(t, ctx)
	fees, err := e.cl.Tx.SuggestFees(ctx)
	if err != nil {
		t.Fatal(err)
	}
	req := OrderRequest{Market: e.m, Increase: true, SizeDeltaUSD: usd(1_000), Collateral: whole(100, 6), MaxSlippageBps: 50}
	comp, err := e.cl.Compile(s, req, fees.FeeCap)
	if err != nil {
		t.Fatal(err)
	}
	// GMX's own check: fee ≥ (600k + 3×250k + 3.9M) × gas price; ours adds 20%.
	minFee := new(big.Int).Mul(big.NewInt(5_250_000), fees.FeeCap)
	if comp.ExecutionFee.Cmp(minFee) < 0 || comp.ExecutionFee.Cmp(new(big.Int).Div(new(big.Int).Mul(minFee, big.NewInt(121)), big.NewInt(100))) > 0 {
		t.Fatalf("execution fee %s, GMX minimum at the fee cap %s", comp.ExecutionFee, minFee)
	}
	if comp.AcceptablePrice.Cmp(s.Markets[e.m.MarketToken].IndexPrice) >= 0 {
		t.Fatalf("increase short acceptable price %s not below the reference", comp.AcceptablePrice)
	}
	capped := req
	capped.MaxExecutionFee = new(big.Int).Sub(comp.ExecutionFee, big.NewInt(1))
	if _, err := e.cl.Compile(s, capped, fees.FeeCap); !errors.Is(err, ErrFeeCap) {
		t.Fatalf("fee cap: %v", err)
	}
	poor := *s
	poor.Native = new(big.Int).Set(comp.ExecutionFee)
	if _, err := e.cl.Compile(&poor, req, fees.FeeCap); err == nil || !strings.Contains(err.Error(), "native coin") {
		t.Fatalf("no native: %v", err)
	}
	// GMX disables order types per market module through DataStore flags.
	key := KeyCreateOrderFeatureDisabled(e.book.Contracts.OrderHandler, OrderMarketIncrease)
	if _, err := SendFixedGas(ctx, e.c, e.dev.Keeper.Signer(), e.book.Contracts.DataStore, dataStoreABI.PackSetBool(key, true), nil, 200_000); err != nil {
		t.Fatal(err)
	}
	s = e.snapshot(t, ctx)
	if !s.Markets[e.m.MarketToken].IncreaseDisabled || s.Markets[e.m.MarketToken].DecreaseDisabled {
		t.Fatalf("flags: %+v", s.Markets[e.m.MarketToken])
	}
	if _, err := e.cl.Compile(s, req, fees.FeeCap); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Fatalf("disabled feature: %v", err)
	}
}

// TestFundingAndPrice: a short against a larger long receives funding;
// after a day it shows as pending claimable, a decrease realises it, and
// claimFundingFees pays it out. The price moved with SetPrice reaches both
// the reference feed and the keeper's execution.
func TestFundingAndPrice(t *testing.T) {
	ctx := context.Background()
	e, emb := newEmbeddedEnv(t, ctx)
	s := e.snapshot(t, ctx)
	sub, err := e.cl.Submit(ctx, s, OrderRequest{Market: e.m, Increase: true, SizeDeltaUSD: usd(10_000), Collateral: whole(1_000, 6), MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := e.execOne(t, ctx, sub.Key); out.Status != OrderExecuted {
		t.Fatalf("open short: %q", out.Reason)
	}
	openLong(t, ctx, e, usd(30_000), whole(3_000, 6))
	e.snapshot(t, ctx) // the Reader prices from the previous read
	carry := ShortCarryPerDay(e.snapshot(t, ctx).Markets[e.m.MarketToken], nil)
	// fundingFactor 2e-8 × skew (20k/40k) = 1e-8/s paid by longs on 30k,
	// received by the 10k short: 3e-8/s = 0.2592% a day.
	if !carry.FundingPerDay.Equal(decimal.RequireFromString("0.002592")) || !carry.BorrowingPerDay.IsNegative() {
		t.Fatalf("carry %v", carry)
	}

	if err := emb.AdvanceTime(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	e.snapshot(t, ctx) // refresh the reference prices the Reader call uses
	s = e.snapshot(t, ctx)
	pos, ok := s.Short(e.m, e.book.Collateral.Address)
	if !ok {
		t.Fatal("no short")
	}
	pending := pos.Info.Fees.Funding.ClaimableShortTokenAmount
	if pending.Sign() <= 0 || pos.Info.Fees.Borrowing.BorrowingFeeUsd.Sign() <= 0 {
		t.Fatalf("after a day: claimable %s, borrowing %s", pending, pos.Info.Fees.Borrowing.BorrowingFeeUsd)
	}
	if want := carry.FundingPerDay.Mul(decimal.NewFromInt(10_000)); decimal.NewFromBigInt(pending, -6).Sub(want).Abs().GreaterThan(decimal.RequireFromString("0.05")) {
		t.Fatalf("a day's funding %s USDC, the rate said %s", decimal.NewFromBigInt(pending, -6), want)
	}
	t.Logf("a day of a 10k short vs a 30k long: funding received %s USDC (pending), borrowing %s USD",
		decimal.NewFromBigInt(pending, -6), decimal.NewFromBigInt(pos.Info.Fees.Borrowing.BorrowingFeeUsd, -30).StringFixed(4))

	// Price falls 2%: the feed and the keeper move together.
	if err := e.dev.SetPrice(ctx, "WETH", decimal.NewFromInt(4900)); err != nil {
		t.Fatal(err)
	}
	s = e.snapshot(t, ctx)
	if got := PriceUSD(s.Markets[e.m.MarketToken].IndexPrice, 18); !got.Equal(decimal.NewFromInt(4900)) {
		t.Fatalf("reference price %s", got)
	}
	sub, err = e.cl.Submit(ctx, s, OrderRequest{Market: e.m, SizeDeltaUSD: usd(1_000), MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := e.execOne(t, ctx, sub.Key)
	if out.Status != OrderExecuted || out.Fill == nil {
		t.Fatalf("decrease: %v %q", out.Status, out.Reason)
	}
	if px := PriceUSD(out.Fill.ExecutionPrice, 18); px.LessThan(decimal.NewFromInt(4890)) || px.GreaterThan(decimal.NewFromInt(4910)) {
		t.Fatalf("executed at %s, not near 4900", px)
	}
	s = e.snapshot(t, ctx)
	claim := s.Markets[e.m.MarketToken].ClaimableFundingShort
	if claim.Sign() <= 0 {
		t.Fatalf("claimable funding after the decrease: %s", claim)
	}
	before := s.Collateral
	rcpt, err := e.cl.ClaimFunding(ctx, []Market{e.m})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("claimFundingFees: gas %d, claimed %s USDC", rcpt.GasUsed, decimal.NewFromBigInt(claim, -6))
	s = e.snapshot(t, ctx)
	if got := new(big.Int).Sub(s.Collateral, before); got.Cmp(claim) != 0 {
		t.Fatalf("claim paid %s, claimable was %s", got, claim)
	}
	if s.Markets[e.m.MarketToken].ClaimableFundingShort.Sign() != 0 {
		t.Fatal("claimable not cleared")
	}
}

// openLong opens a long from a fresh account (the other side of the
// market), built from the bindings directly: the client compiles shorts only.
func openLong(t *testing.T, ctx context.Context, e *env, size, collateral *big.Int) {
	t.Helper()
	k, _ := crypto.GenerateKey()
	addr := crypto.PubkeyToAddress(k.PublicKey)
	signer := chain.NewKeySigner(k)
	if _, err := SendFixedGas(ctx, e.c, e.dev.Keeper.Signer(), addr, nil, big.NewInt(1e18), 21_000); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.Fund(ctx, "USDC", addr, decimal.NewFromBigInt(collateral, -6)); err != nil {
		t.Fatal(err)
	}
	cr, usdc := e.book.Contracts, e.book.Collateral.Address
	if _, err := SendFixedGas(ctx, e.c, signer, usdc, tokenABI.PackApprove(cr.Router, collateral), nil, 500_000); err != nil {
		t.Fatal(err)
	}
	fee := big.NewInt(1e16)
	params := gmx.IBaseOrderUtilsCreateOrderParams{
		Addresses: gmx.IBaseOrderUtilsCreateOrderParamsAddresses{Receiver: addr, CancellationReceiver: addr, Market: e.m.MarketToken, InitialCollateralToken: usdc, SwapPath: []common.Address{}},
		Numbers: gmx.IBaseOrderUtilsCreateOrderParamsNumbers{SizeDeltaUsd: size, InitialCollateralDeltaAmount: new(big.Int), TriggerPrice: new(big.Int),
			AcceptablePrice: new(big.Int).Mul(big.NewInt(10_000), big.NewInt(1e12)), ExecutionFee: fee, CallbackGasLimit: new(big.Int), MinOutputAmount: new(big.Int), ValidFromTime: new(big.Int)},
		OrderType: OrderMarketIncrease, IsLong: true, DataList: [][32]byte{},
	}
	data := exchangeRouterABI.PackMulticall([][]byte{
		exchangeRouterABI.PackSendWnt(cr.OrderVault, fee),
		exchangeRouterABI.PackSendTokens(usdc, cr.OrderVault, collateral),
		exchangeRouterABI.PackCreateOrder(params),
	})
	rcpt, err := SendFixedGas(ctx, e.c, signer, cr.ExchangeRouter, data, fee, 10_000_000)
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := DecodeEvents(e.book, rcpt.Logs)
	var key common.Hash
	for _, ev := range evs {
		if ev.Name == "OrderCreated" {
			key = ev.Topic1
		}
	}
	if out, _ := e.execOne(t, ctx, key); out.Status != OrderExecuted {
		t.Fatalf("open long: %v %q", out.Status, out.Reason)
	}
}

// TestKeeperRun: the keeper running in the background executes an order
// while the trader only polls its snapshot, as `hedge` waits for its orders.
func TestKeeperRun(t *testing.T) {
	ctx := context.Background()
	e, _ := newEmbeddedEnv(t, ctx)
	kctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.dev.Keeper.Run(kctx, 20*time.Millisecond) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	s := e.snapshot(t, ctx)
	sub, err := e.cl.Submit(ctx, s, OrderRequest{Market: e.m, Increase: true, SizeDeltaUSD: usd(3_000), Collateral: whole(300, 6), MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.cl.WaitOrder(ctx, sub.Key, sub.Receipt.BlockNumber.Uint64(), 20*time.Second, 20*time.Millisecond, s.RequestExpiration)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != OrderExecuted || out.Fill == nil || out.Fill.SizeDeltaUSD.Cmp(usd(3_000)) != 0 || out.Fees == nil {
		t.Fatalf("outcome %+v", out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		s = e.snapshot(t, ctx)
		if pos, ok := s.Short(e.m, e.book.Collateral.Address); ok && len(s.Orders) == 0 {
			if pos.Info.Position.Numbers.SizeInUsd.Cmp(usd(3_000)) != 0 {
				t.Fatalf("size %s", pos.Info.Position.Numbers.SizeInUsd)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %x not executed by the running keeper: %d pending", sub.Key[:4], len(s.Orders))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWaitOrderNoKeeper: with no keeper, waiting ends in one clear error and
// the order stays pending.
func TestWaitOrderNoKeeper(t *testing.T) {
	ctx := context.Background()
	e, _ := newEmbeddedEnv(t, ctx)
	s := e.snapshot(t, ctx)
	sub, err := e.cl.Submit(ctx, s, OrderRequest{Market: e.m, Increase: true, SizeDeltaUSD: usd(1_000), Collateral: whole(100, 6), MaxSlippageBps: 50})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.cl.WaitOrder(ctx, sub.Key, sub.Receipt.BlockNumber.Uint64(), 200*time.Millisecond, 50*time.Millisecond, s.RequestExpiration)
	var nk *ErrNoKeeper
	if !errors.As(err, &nk) || nk.Key != sub.Key || !strings.Contains(err.Error(), "stays pending") {
		t.Fatalf("wait without a keeper: %v", err)
	}
	if s := e.snapshot(t, ctx); len(s.Orders) != 1 {
		t.Fatalf("%d pending orders", len(s.Orders))
	}
}
