package main

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge/gmx"
)

// TestE2EGMXTwoAssetLifecycle is issue 10's end-to-end list for a cold
// wallet holding ETH and WBTC, through the built binary against anvil with
// the fixture (BTC feed from `devnet setup`), every figure read back from
// the chain: both orders pending with no keeper; `hedge` again while they
// are pending sends nothing; after the keeper ran it sends nothing; a spot
// change of both assets while the keeper is down past the request
// expiration → the next run cancels both stuck orders, whose collateral and
// execution fees come back to the account exactly, and replans them; a day
// of funding against a larger long, then a reduce (one multicall) realises
// the ETH short's funding; close of both, then `claim`: no position, no
// claimable, the claimable paid exactly.
func TestE2EGMXTwoAssetLifecycle(t *testing.T) {
	g := e2eStartGMXWith(t, "--btc-price", "60000", "--btc-long", "50", "--btc-short", "3000000")
	eth, _ := g.book.Market("ETH")
	btc, ok := g.book.Market("BTC")
	if !ok {
		t.Fatalf("after devnet setup the local book offers %v, want BTC too", g.book.Assets())
	}
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--wbtc", "0.5")
	acct := g.trader.Addr
	col := g.book.Collateral.Address
	short := func(s *gmx.Snapshot, m gmx.Market) decimal.Decimal {
		p, ok := s.Short(m, col)
		if !ok {
			return decimal.Zero
		}
		return decimal.NewFromBigInt(p.Info.Position.Numbers.SizeInTokens, -int32(m.Index.Decimals))
	}
	pendingOn := func(s *gmx.Snapshot, m gmx.Market) []gmx.PendingOrder {
		var out []gmx.PendingOrder
		for _, o := range s.Orders {
			if o.Order.Addresses.Market == m.MarketToken {
				out = append(out, o)
			}
		}
		return out
	}
	// onePendingIncreaseEach: exactly one MarketIncrease short pending per
	// market, and their keys.
	onePendingIncreaseEach := func(s *gmx.Snapshot) []common.Hash {
		t.Helper()
		var keys []common.Hash
		for _, m := range []gmx.Market{eth, btc} {
			ps := pendingOn(s, m)
			if len(ps) != 1 || ps[0].Order.Numbers.OrderType != gmx.OrderMarketIncrease || ps[0].Order.Flags.IsLong {
				t.Fatalf("%s: %d pending orders, want one MarketIncrease short", m.Name, len(ps))
			}
			keys = append(keys, ps[0].Key)
		}
		if len(s.Orders) != 2 {
			t.Fatalf("%d pending orders in all, want 2", len(s.Orders))
		}
		return keys
	}
	hedged := func(s *gmx.Snapshot, ethSpot, btcSpot string) {
		t.Helper()
		if len(s.Orders) != 0 {
			t.Fatalf("%d orders still pending", len(s.Orders))
		}
		if q := short(s, eth); !e2eNear(q, e2eD(ethSpot), "0.02") {
			t.Fatalf("ETH short %s for %s ETH spot", q, ethSpot)
		}
		if q := short(s, btc); !e2eNear(q, e2eD(btcSpot), "0.02") {
			t.Fatalf("BTC short %s for %s WBTC spot", q, btcSpot)
		}
	}
	usdc0 := g.snap().Collateral

	// bothPending runs `hedge` once with no keeper: it sends every market's
	// order, then waits for the lot and stops at the one settle timeout,
	// leaving an order in flight on each market; it returns the
	// transactions sent.
	bothPending := func(what string) uint64 {
		t.Helper()
		n := g.chain.nonce(acct)
		if r := g.hedge("--settle-timeout", "2s"); r.code == 0 || !strings.Contains(r.stderr, "no keeper") {
			t.Fatalf("%s: hedge with no keeper must stop on the settle timeout:\n%s", what, r)
		}
		if o := len(g.snap().Orders); o != 2 {
			t.Fatalf("%s: one run left %d orders pending, want one per market", what, o)
		}
		return g.chain.nonce(acct) - n
	}

	// No keeper: approve + one multicall per market, both orders pending.
	if got := bothPending("open"); got != 3 {
		t.Fatalf("opening sent %d transactions, want approve + two multicalls", got)
	}
	s := g.snap()
	keys := onePendingIncreaseEach(s)
	if !short(s, eth).IsZero() || !short(s, btc).IsZero() {
		t.Fatal("a short exists before any keeper ran")
	}

	// Again while both are pending: nothing sent, the same two orders.
	n1 := g.chain.nonce(acct)
	r := g.hedge("--settle-timeout", "2s")
	if g.chain.nonce(acct) != n1 {
		t.Fatalf("hedge while pending sent something:\n%s", r)
	}
	if again := onePendingIncreaseEach(g.snap()); again[0] != keys[0] || again[1] != keys[1] {
		t.Fatalf("pending orders changed: %v, then %v", keys, again)
	}

	// The keeper executes both; then hedge sends nothing.
	g.keeperOnce()
	hedged(g.snap(), "2", "0.5")
	if r := g.hedge("--settle-timeout", "2s"); r.code != 0 || g.chain.nonce(acct) != n1 {
		t.Fatalf("hedge after execution sent something:\n%s", r)
	}

	// Spot change of both while the keeper is down past the expiration.
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--eth", "1", "--wbtc", "0.25")
	usdcBefore, nativeBefore := g.snap().Collateral, g.nativeWei(acct)
	b0 := g.chain.block()
	if got := bothPending("spot change"); got != 2 {
		t.Fatalf("spot change sent %d transactions, want one multicall per market", got)
	}
	stuck := onePendingIncreaseEach(g.snap())
	g.ok("devnet", "advance", "1h")
	n2 := g.chain.nonce(acct)
	r = g.hedge("--settle-timeout", "2s")
	if !strings.Contains(r.stderr, "past its request expiration") {
		t.Fatalf("expired orders not cancelled:\n%s", r)
	}
	if o := len(g.snap().Orders); o != 2 {
		t.Fatalf("after cancelling the expired orders one run left %d orders pending, want a new one per market:\n%s", o, r)
	}
	if got := g.chain.nonce(acct) - n2; got != 4 {
		t.Fatalf("expired orders: %d transactions, want two cancels + two new orders:\n%s", got, r)
	}
	s = g.snap()
	fresh := onePendingIncreaseEach(s)
	for i := range fresh {
		if fresh[i] == stuck[i] {
			t.Fatalf("order %s still pending after its cancel", stuck[i].Hex())
		}
	}
	// Refunds, exactly: what left the account since b0 is the gas of its
	// transactions plus what the two live orders hold (collateral and
	// execution fee); the cancelled orders' collateral and fees came back.
	held, fees := new(big.Int), new(big.Int)
	for _, o := range s.Orders {
		held.Add(held, o.Order.Numbers.InitialCollateralDeltaAmount)
		fees.Add(fees, o.Order.Numbers.ExecutionFee)
	}
	if got := new(big.Int).Sub(usdcBefore, s.Collateral); got.Cmp(held) != 0 {
		t.Fatalf("USDC gone since the stuck orders: %s, the live orders hold %s: a cancelled order's collateral was not refunded", got, held)
	}
	gas := g.gasPaid(acct, b0)
	spent := new(big.Int).Sub(nativeBefore, g.nativeWei(acct))
	if want := new(big.Int).Add(gas, fees); spent.Cmp(want) != 0 {
		t.Fatalf("native coin gone since the stuck orders: %s wei; gas %s + the live orders' fees %s = %s: a cancelled order's execution fee was not refunded", spent, gas, fees, want)
	}
	t.Logf("two stuck orders cancelled and replanned: collateral held %s USDC units, execution fees %s wei, gas %s wei", held, fees, gas)
	g.keeperOnce()
	hedged(g.snap(), "3", "0.75")

	// A day against a larger long on ETH; the cold wallet sends 1 ETH
	// away: one multicall reduces the ETH short and realises its funding.
	g.openLong(60_000, 6_000)
	g.ok("devnet", "advance", "1d")
	k, err := crypto.HexToECDSA(strings.TrimPrefix(g.cold.Key, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gmx.SendFixedGas(context.Background(), g.reader.Chain, chain.NewKeySigner(k), common.HexToAddress("0xdead"), nil, big.NewInt(1e18), 21_000); err != nil {
		t.Fatal(err)
	}
	keeper := g.startKeeper()
	defer keeper.stop()
	n3 := g.chain.nonce(acct)
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("reduce:\n%s", r)
	}
	if got := g.chain.nonce(acct) - n3; got != 1 {
		t.Fatalf("reduce sent %d transactions, want one multicall", got)
	}
	s = g.snap()
	spot := g.chain.nativeBalance(g.cold.Addr)
	if q := short(s, eth); !e2eNear(q, spot, "0.02") || !q.LessThan(e2eD("2.5")) {
		t.Fatalf("ETH short %s after the reduce, spot %s", q, spot)
	}
	if q := short(s, btc); !e2eNear(q, e2eD("0.75"), "0.02") {
		t.Fatalf("the ETH reduce moved the BTC short to %s", q)
	}
	claimable := s.Markets[eth.MarketToken].ClaimableFundingShort
	if claimable == nil || claimable.Sign() <= 0 {
		t.Fatal("no claimable funding after a day against a larger long and a reduce")
	}

	// Close both, then claim: collateral and claimables back.
	if r := g.run("close", "--yes", "--private-key", g.trader.Key, "--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("close:\n%s", r)
	}
	s = g.snap()
	if len(s.Positions) != 0 || len(s.Orders) != 0 {
		t.Fatalf("after close: %d positions, %d orders", len(s.Positions), len(s.Orders))
	}
	claimable = s.Markets[eth.MarketToken].ClaimableFundingShort // the close realised more
	afterClose := s.Collateral
	if r := g.ok("claim", "--yes", "--private-key", g.trader.Key); !strings.Contains(r.stdout, "claimable:") {
		t.Fatalf("claim:\n%s", r)
	}
	s = g.snap()
	if got := new(big.Int).Sub(s.Collateral, afterClose); got.Cmp(claimable) != 0 {
		t.Fatalf("claim paid %s, claimable was %s", got, claimable)
	}
	for mk, ms := range s.Markets {
		if (ms.ClaimableFundingShort != nil && ms.ClaimableFundingShort.Sign() != 0) || (ms.ClaimableFundingLong != nil && ms.ClaimableFundingLong.Sign() != 0) {
			t.Fatalf("claimable funding left in %s after the claim", mk.Hex())
		}
	}
	// Prices never moved: what the account lost is fees, impact, borrowing
	// and the BTC short's funding (it is the larger side there), net of the
	// ETH short's funding; a bound of 0.5% of the largest notional hedged
	// (3 ETH × 5000 + 0.75 BTC × 60000 = 60000 USD).
	lost := decimal.NewFromBigInt(new(big.Int).Sub(usdc0, s.Collateral), -6)
	if lost.GreaterThan(e2eD("300")) {
		t.Fatalf("the account got back %s USDC less than it started with", lost)
	}
	// `devnet keeper` runs until interrupted, and an interrupt ends it
	// cleanly.
	keeper.stop()
	if st := keeper.cmd.ProcessState; st == nil || !st.Success() {
		t.Fatalf("devnet keeper after an interrupt: %v\n%s", st, keeper.output())
	}
	t.Logf("claimed %s USDC; USDC %s -> %s (net cost %s)", decimal.NewFromBigInt(claimable, -6),
		decimal.NewFromBigInt(usdc0, -6), decimal.NewFromBigInt(s.Collateral, -6), lost)
}

// nativeWei is a's native balance in wei.
func (g *e2eGMX) nativeWei(a common.Address) *big.Int {
	g.t.Helper()
	b, err := g.chain.ec.BalanceAt(e2eCtx(g.t), a, nil)
	if err != nil {
		g.t.Fatal(err)
	}
	return b
}

// gasPaid is what a's transactions in blocks (from, head] paid for gas.
func (g *e2eGMX) gasPaid(a common.Address, from uint64) *big.Int {
	g.t.Helper()
	ctx := context.Background()
	total := new(big.Int)
	for n := from + 1; n <= g.chain.block(); n++ {
		b, err := g.chain.ec.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			g.t.Fatal(err)
		}
		for _, tx := range b.Transactions() {
			sender, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
			if err != nil || sender != a {
				continue
			}
			rc, err := g.chain.ec.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				g.t.Fatal(err)
			}
			total.Add(total, new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice))
		}
	}
	return total
}
