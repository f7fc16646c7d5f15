package main

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestE2EGMXColdETHAndWBTC: `devnet setup` gives the fixture's WBTC a
// reference feed and seeds the BTC pool; a cold wallet holding ETH and WBTC
// is then hedged on both markets by one `hedge` with the keeper running, and
// a second `hedge` sends nothing.
func TestE2EGMXColdETHAndWBTC(t *testing.T) {
	g := e2eStartGMXWith(t, "--btc-price", "60000", "--btc-long", "50", "--btc-short", "3000000")
	btc, ok := g.book.Market("BTC")
	if !ok {
		t.Fatalf("after devnet setup the local book offers %v, want BTC too", g.book.Assets())
	}
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--wbtc", "0.5")
	if r := g.ok("plan", "--wallet", g.cold.Addr.Hex(), "--from", g.trader.Addr.Hex()); !strings.Contains(r.stdout, "BTC") || !strings.Contains(r.stdout, "ETH") {
		t.Fatalf("plan does not show both markets:\n%s", r)
	}

	keeper := g.startKeeper()
	defer keeper.stop()
	acct := g.trader.Addr
	n0 := g.chain.nonce(acct)
	b0 := g.chain.block()
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("hedge ETH + BTC:\n%s", r)
	}
	// approve once, then one multicall per market.
	if got := g.chain.nonce(acct) - n0; got != 3 {
		t.Fatalf("hedge sent %d transactions, want approve + two multicalls", got)
	}
	s := g.snap()
	if len(s.Orders) != 0 {
		t.Fatalf("%d orders left pending", len(s.Orders))
	}
	if q := g.shortETH(s); q.LessThan(e2eD("1.9")) || q.GreaterThan(e2eD("2.1")) {
		t.Fatalf("short %s ETH for a 2 ETH cold wallet", q)
	}
	p, ok := s.Short(btc, g.book.Collateral.Address)
	if !ok {
		t.Fatal("no BTC short after hedge")
	}
	qb := decimal.NewFromBigInt(p.Info.Position.Numbers.SizeInTokens, -int32(btc.Index.Decimals))
	if qb.LessThan(e2eD("0.475")) || qb.GreaterThan(e2eD("0.525")) {
		t.Fatalf("short %s BTC for a 0.5 WBTC cold wallet", qb)
	}
	t.Logf("shorts: %s ETH, %s BTC", g.shortETH(s), qb)
	g.logGas("open 2 ETH + 0.5 BTC (approve, 2 orders, keeper)", b0)

	n1 := g.chain.nonce(acct)
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 || g.chain.nonce(acct) != n1 {
		t.Fatalf("second hedge sent something:\n%s", r)
	}
}
