package main

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge/gmx"
)

// accrueClaimable hedges the cold wallet's 2 ETH, opens a larger long on
// the other side, lets a day pass (time travel) and reduces the short (the
// cold wallet sent 1 ETH away), which realises the short's funding as
// claimable USDC; it returns that claimable.
func (g *e2eGMX) accrueClaimable() *big.Int {
	g.t.Helper()
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		g.t.Fatalf("hedge:\n%s", r)
	}
	g.openLong(30_000, 3_000)
	g.ok("devnet", "advance", "1d")
	k, err := crypto.HexToECDSA(strings.TrimPrefix(g.cold.Key, "0x"))
	if err != nil {
		g.t.Fatal(err)
	}
	if _, err := gmx.SendFixedGas(context.Background(), g.reader.Chain, chain.NewKeySigner(k), common.HexToAddress("0xdead"), nil, big.NewInt(1e18), 21_000); err != nil {
		g.t.Fatal(err)
	}
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		g.t.Fatalf("reduce:\n%s", r)
	}
	m, _ := g.book.Market("ETH")
	c := g.snap().Markets[m.MarketToken].ClaimableFundingShort
	if c == nil || c.Sign() <= 0 {
		g.t.Fatalf("no claimable funding after a day against a larger long")
	}
	return c
}

// TestE2EGMXWatchAutoClaim: funding accrued by time travel is claimable;
// `watch` with a minimum above its value claims nothing; `watch` with the
// defaults (10 × gas, 5 USD) claims it once: the claimable goes to zero,
// the account's USDC rises by it, and later heads send nothing more.
func TestE2EGMXWatchAutoClaim(t *testing.T) {
	g := e2eStartGMX(t)
	keeper := g.startKeeper()
	defer keeper.stop()
	claimable := g.accrueClaimable()
	value := decimal.NewFromBigInt(claimable, -6)
	t.Logf("claimable after a day of a short vs a 30k long: %s USDC", value)
	acct := g.trader.Addr
	m, _ := g.book.Market("ETH")
	watch := func(more ...string) *e2eProc {
		return g.start(append([]string{"watch", "--wallet", g.cold.Addr.Hex(), "--private-key", g.trader.Key,
			"--poll-interval", "100ms", "--log-format", "json"}, more...)...)
	}

	// Below the threshold: nothing sent over several heads.
	sent := g.chain.nonce(acct)
	w := watch("--claim-min-usd", value.Add(decimal.NewFromInt(1)).String())
	g.mine(5)
	g.settle(w)
	w.stop()
	if n := g.chain.nonce(acct); n != sent {
		t.Fatalf("watch sent %d transaction(s) with the claimable below --claim-min-usd:\n%s", n-sent, w.output())
	}
	if !strings.Contains(w.output(), `"msg":"cycle: nothing to do"`) {
		t.Fatalf("watch ran no cycle below the threshold:\n%s", w.output())
	}
	if c := g.snap().Markets[m.MarketToken].ClaimableFundingShort; c.Cmp(claimable) != 0 {
		t.Fatalf("claimable moved from %s to %s without a claim", claimable, c)
	}

	// Worth the gas: claimed once.
	before := g.snap().Collateral
	w = watch()
	s := g.waitFor("watch's claim", w, func(s *gmx.Snapshot) bool {
		c := s.Markets[m.MarketToken].ClaimableFundingShort
		return c == nil || c.Sign() == 0
	})
	if got := new(big.Int).Sub(s.Collateral, before); got.Cmp(claimable) != 0 {
		t.Fatalf("the claim paid %s, claimable was %s", got, claimable)
	}
	g.mine(10)
	g.settle(w)
	w.stop()
	if n := g.chain.nonce(acct); n != sent+1 {
		t.Fatalf("watch sent %d transactions, want the one claim:\n%s", n-sent, w.output())
	}
	out := w.output()
	if strings.Count(out, `"msg":"claiming"`) != 1 || !strings.Contains(out, `"gas_usd"`) {
		t.Fatalf("watch's log of the claim:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `"msg":"claiming"`) {
			t.Logf("%s", l)
		}
	}
}
