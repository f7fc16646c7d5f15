package gmxvenue

import (
	"context"
	"math/big"
	"testing"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/venuetest"
)

// openWETHLong opens a long of usd on the ETH market from a new account
// with weth (whole WETH) as collateral, so the funding it pays a smaller
// short is claimable in WETH, and has the keeper execute it. Built from the
// bindings: hedger compiles shorts with USDC only.
func (e *env) openWETHLong(t *testing.T, usd, weth int64) {
	t.Helper()
	ctx := context.Background()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	long := chain.NewKeySigner(k)
	e.send(t, long.Address(), 1)
	if err := e.dev.Fund(ctx, "WETH", long.Address(), decimal.NewFromInt(weth)); err != nil {
		t.Fatal(err)
	}
	cr, wethTok := e.book.Contracts, e.book.Tokens["WETH"].Address
	amount := new(big.Int).Mul(big.NewInt(weth), big.NewInt(1e18))
	if _, err := gmx.SendFixedGas(ctx, e.emb.Client, long, wethTok, cgmx.NewMintableToken().PackApprove(cr.Router, amount), nil, 200_000); err != nil {
		t.Fatal(err)
	}
	m, _ := e.book.Market("ETH")
	p, ok := e.dev.Prices.Price(m.Index.Address)
	if !ok {
		t.Fatal("no keeper price for WETH")
	}
	er := cgmx.NewExchangeRouter()
	fee := big.NewInt(1e16)
	params := cgmx.IBaseOrderUtilsCreateOrderParams{
		Addresses: cgmx.IBaseOrderUtilsCreateOrderParamsAddresses{Receiver: long.Address(), CancellationReceiver: long.Address(), Market: m.MarketToken,
			InitialCollateralToken: wethTok, SwapPath: []common.Address{}},
		Numbers: cgmx.IBaseOrderUtilsCreateOrderParamsNumbers{SizeDeltaUsd: new(big.Int).Mul(big.NewInt(usd), new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)),
			InitialCollateralDeltaAmount: new(big.Int), TriggerPrice: new(big.Int), AcceptablePrice: new(big.Int).Mul(p, big.NewInt(2)),
			ExecutionFee: fee, CallbackGasLimit: new(big.Int), MinOutputAmount: new(big.Int), ValidFromTime: new(big.Int)},
		OrderType: gmx.OrderMarketIncrease, IsLong: true, DataList: [][32]byte{},
	}
	// With WETH as collateral, GMX takes the execution fee out of the WETH
	// in the order vault and the rest is the collateral.
	data := er.PackMulticall([][]byte{er.PackSendWnt(cr.OrderVault, fee), er.PackSendTokens(wethTok, cr.OrderVault, amount), er.PackCreateOrder(params)})
	if _, err := gmx.SendFixedGas(ctx, e.emb.Client, long, cr.ExchangeRouter, data, fee, 10_000_000); err != nil {
		t.Fatal(err)
	}
	execs, err := e.dev.Keeper.Once(ctx)
	if err != nil || len(execs) != 1 {
		t.Fatalf("the keeper executed %d requests (%v), want the long", len(execs), err)
	}
}

// TestClaimableWETHIsSpot: funding a short receives from longs with WETH
// collateral is claimable in WETH, and claimable WETH is ETH exposure: the
// adapter reports it as an ETH claimable, the plan's target covers it, and
// the claim collects it.
func TestClaimableWETHIsSpot(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.venue(e.wallets[:2])
	if _, res := cycle(t, v); len(res.Submissions) == 0 {
		t.Fatal("nothing sent")
	}
	if err := e.keep(); err != nil {
		t.Fatal(err)
	}
	e.openWETHLong(t, 30_000, 10)
	if err := e.emb.AdvanceTime(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.SetPrice(ctx, "WETH", decimal.NewFromInt(5000)); err != nil { // the feed's heartbeat
		t.Fatal(err)
	}
	// A position update realises the funding: 1 ETH more → an increase.
	e.send(t, e.wallets[0], 1)
	if _, res := cycle(t, v); len(res.Submissions) == 0 {
		t.Fatal("the spot change sent nothing")
	}
	if err := e.keep(); err != nil {
		t.Fatal(err)
	}

	eng := &engine.Engine{Venue: v, Policies: venuetest.Policies()}
	c, err := eng.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var weth decimal.Decimal
	for _, cl := range c.Snap.Claimables {
		if cl.Token == "WETH" {
			if cl.Asset != "ETH" {
				t.Fatalf("claimable WETH counts as %q, want ETH", cl.Asset)
			}
			weth = weth.Add(cl.Amount)
		}
	}
	if !weth.IsPositive() {
		t.Fatalf("no claimable WETH after a day against a larger WETH-collateral long: %+v", c.Snap.Claimables)
	}
	if err := eng.Plan(ctx, c); err != nil {
		t.Fatal(err)
	}
	var ap *hedge.AssetPlan
	for i := range c.Plan.Assets {
		if c.Plan.Assets[i].Asset == "ETH" {
			ap = &c.Plan.Assets[i]
		}
	}
	if ap == nil {
		t.Fatal("no ETH in the plan")
	}
	spot := decimal.Zero
	for _, h := range c.Snap.Holdings {
		if h.Asset == "ETH" {
			spot = spot.Add(h.Amount)
		}
	}
	want := spot.Add(weth).Mul(venuetest.Policies().Default.HedgeRatio)
	if !ap.SpotAmount.Equal(spot.Add(weth)) || ap.TargetSize.Sub(want).Abs().GreaterThan(decimal.New(1, -12)) {
		t.Fatalf("ETH spot %s, target %s; wallets %s + claimable WETH %s, want target %s", ap.SpotAmount, ap.TargetSize, spot, weth, want)
	}
	t.Logf("claimable %s WETH: ETH exposure %s (wallets %s), target %s", weth, ap.SpotAmount, spot, ap.TargetSize)

	// The claim collects it: the WETH claimable goes to the account.
	wethBal := func() decimal.Decimal {
		t.Helper()
		tok := cgmx.NewMintableToken()
		to := e.book.Tokens["WETH"].Address
		out, err := e.emb.Client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: tok.PackBalanceOf(e.acct)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := tok.UnpackBalanceOf(out)
		if err != nil {
			t.Fatal(err)
		}
		return decimal.NewFromBigInt(b, -18)
	}
	before := wethBal()
	ok, err := eng.PlanClaim(c)
	if err != nil || !ok || len(c.Steps) != 1 {
		t.Fatalf("claim plan: ok %v, %d steps, %v", ok, len(c.Steps), err)
	}
	if _, err := eng.Submit(ctx, c, engine.Hooks{}); err != nil {
		t.Fatal(err)
	}
	after := snapOf(t, v)
	for _, cl := range after.Claimables {
		if cl.Token == "WETH" {
			t.Fatalf("claimable WETH %s left after the claim", cl.Amount)
		}
	}
	if got := wethBal().Sub(before); !got.Equal(weth) {
		t.Fatalf("the claim paid %s WETH, claimable was %s", got, weth)
	}
}
