package main

import (
	"context"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge/spot"
)

// `hedger devnet install-books` on anvil started with Arbitrum's chain ID
// puts the built-in Arbitrum book at its real addresses; `mint-real` funds a
// cold wallet, and the spot reader (with the book's on-chain check) sees it.
func TestE2EDevnetInstallBooks(t *testing.T) {
	e2eSkipIfShort(t)
	node := e2eStartAnvil(t, "--chain-id", "42161")
	cli := e2eNewCLI(t, node.URL)
	r := cli.ok("devnet", "install-books", "--rpc-url", node.URL, "--price", "ETH/USD=3000", "--rate", "wstETH=1.2")
	if !strings.Contains(r.stdout+r.stderr, "passes its on-chain check") {
		t.Fatalf("install-books: %s", r)
	}
	coldAddr := "0x000000000000000000000000000000000000bEEF"
	cli.ok("devnet", "mint-real", "--rpc-url", node.URL, coldAddr, "ETH=2", "wstETH=1", "WBTC=0.25")
	ctx := context.Background()
	src, err := spot.Dial(ctx, node.URL, spot.Options{ChainID: 42161})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := spot.Read(ctx, []*spot.Chain{src}, []spot.Wallet{{Address: common.HexToAddress(coldAddr)}})
	if err != nil {
		t.Fatal(err)
	}
	tot := snap.Totals()
	if !tot["ETH"].Equal(decimal.RequireFromString("3.2")) || !tot["BTC"].Equal(decimal.RequireFromString("0.25")) {
		t.Fatalf("totals %v, want 3.2 ETH (2 + 1 wstETH × 1.2 from its Arbitrum exchange-rate feed) and 0.25 BTC", tot)
	}
	if p, ok := snap.Price(42161, "ETH/USD"); !ok || !p.Price.Equal(decimal.NewFromInt(3000)) {
		t.Fatalf("ETH/USD: %+v", p)
	}
	// A chain with no book is refused in one line.
	other := e2eStartAnvil(t)
	r = e2eNewCLI(t, other.URL).fails("devnet", "install-books", "--rpc-url", other.URL)
	e2eCheckOneLineError(t, r)
	if !strings.Contains(r.stderr, "no book for chain 31337") {
		t.Fatalf("want a no-book refusal, got %s", r)
	}
}
