package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/perpvenue"
	"github.com/hedger/hedger/hedge/spot"
)

// `hedger devnet install-books` on anvil started with Arbitrum's chain ID
// puts the built-in Arbitrum book at its real addresses; `mint-real` funds a
// cold wallet, and the spot reader (with the book's on-chain check) sees it.
func TestE2EDevnetInstallBooks(t *testing.T) {
	snap := e2eInstallBooksAndRead(t, 42161, []string{"--price", "ETH/USD=3000", "--rate", "wstETH=1.2"}, "ETH=2", "wstETH=1", "WBTC=0.25")
	tot := snap.Totals()
	if !tot["ETH"].Equal(decimal.RequireFromString("3.2")) || !tot["BTC"].Equal(decimal.RequireFromString("0.25")) {
		t.Fatalf("totals %v, want 3.2 ETH (2 + 1 wstETH × 1.2 from its Arbitrum exchange-rate feed) and 0.25 BTC", tot)
	}
	if p, ok := snap.Price(42161, "ETH/USD"); !ok || !p.Price.Equal(decimal.NewFromInt(3000)) {
		t.Fatalf("ETH/USD: %+v", p)
	}
	// A chain with no book is refused in one line.
	other := e2eStartAnvil(t)
	r := e2eNewCLI(t, other.URL).fails("devnet", "install-books", "--rpc-url", other.URL)
	e2eCheckOneLineError(t, r)
	if !strings.Contains(r.stderr, "no book for chain 31337") {
		t.Fatalf("want a no-book refusal, got %s", r)
	}
}

// The Avalanche C-Chain book (the only built-in network no other test
// installs) at its real addresses: native AVAX, WAVAX and the bridged WETH.e
// and WBTC.e, with its three feeds; the spot reader checks it and counts
// each token in its asset.
func TestE2EDevnetInstallBooksAvalanche(t *testing.T) {
	snap := e2eInstallBooksAndRead(t, 43114, []string{"--price", "ETH/USD=3000", "--price", "BTC/USD=60000", "--price", "AVAX/USD=25"},
		"WAVAX=40", "WETH.e=1.5", "WBTC.e=0.1")
	tot := snap.Totals()
	if !tot["AVAX"].Equal(decimal.NewFromInt(40)) || !tot["ETH"].Equal(decimal.RequireFromString("1.5")) || !tot["BTC"].Equal(decimal.RequireFromString("0.1")) {
		t.Fatalf("totals %v, want 40 AVAX, 1.5 ETH (WETH.e), 0.1 BTC (WBTC.e)", tot)
	}
	for pair, want := range map[string]int64{"ETH/USD": 3000, "BTC/USD": 60000, "AVAX/USD": 25} {
		if p, ok := snap.Price(43114, pair); !ok || !p.Price.Equal(decimal.NewFromInt(want)) {
			t.Errorf("%s: %+v, want %d", pair, p, want)
		}
	}
}

// e2eInstallBooksAndRead starts anvil with chainID, runs `devnet
// install-books` with flags (which must say the book passes its on-chain
// check), mints holdings to a cold wallet with `mint-real`, and reads it
// with the spot reader (which checks the book again).
func e2eInstallBooksAndRead(t *testing.T, chainID uint64, flags []string, holdings ...string) *spot.Snapshot {
	t.Helper()
	e2eSkipIfShort(t)
	id := strconv.FormatUint(chainID, 10)
	node := e2eStartAnvil(t, "--chain-id", id)
	cli := e2eNewCLI(t, node.URL)
	r := cli.ok(append([]string{"devnet", "install-books", "--rpc-url", node.URL}, flags...)...)
	if !strings.Contains(r.stdout+r.stderr, "passes its on-chain check") {
		t.Fatalf("install-books: %s", r)
	}
	coldAddr := "0x000000000000000000000000000000000000bEEF"
	cli.ok(append([]string{"devnet", "mint-real", "--rpc-url", node.URL, coldAddr}, holdings...)...)
	ctx := context.Background()
	src, err := spot.Dial(ctx, node.URL, spot.Options{ChainID: chainID})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := spot.Read(ctx, []*spot.Chain{src}, []spot.Wallet{{Address: common.HexToAddress(coldAddr)}})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// spotChainsFrom, as the engine will call it: --spot-rpc for two rehearsed
// networks, both checked, and a repeated chain refused.
func TestE2ESpotChainsFrom(t *testing.T) {
	e2eSkipIfShort(t)
	var urls []string
	for _, id := range []string{"1", "8453"} {
		n := e2eStartAnvil(t, "--chain-id", id)
		e2eNewCLI(t, n.URL).ok("devnet", "install-books", "--rpc-url", n.URL)
		urls = append(urls, n.URL)
	}
	run := func(args ...string) ([]*spot.Chain, error) {
		var got []*spot.Chain
		var gerr error
		app := &cli.App{Name: "hedger", Commands: []*cli.Command{{Name: "probe", Flags: spotFlags(),
			Action: func(c *cli.Context) error { got, gerr = spotChainsFrom(c.Context, c, 42161); return nil }}}}
		if err := app.Run(append([]string{"hedger", "probe"}, args...)); err != nil {
			t.Fatal(err)
		}
		return got, gerr
	}
	chains, err := run("--spot-rpc", urls[0], "--spot-rpc", urls[1], "--batch-limit", "100")
	if err != nil || len(chains) != 2 || chains[0].ID != 1 || chains[1].ID != 8453 || chains[0].Reader.EffectiveLimit() != 100 {
		t.Fatalf("chains %v, err %v", chains, err)
	}
	if _, err := run("--spot-rpc", urls[0], "--spot-rpc", urls[0]); err == nil || !strings.Contains(err.Error(), "chain 1 is given twice") {
		t.Fatalf("want a refusal of a repeated chain, got %v", err)
	}
}

// The config file's [[spot]] tables feed --spot-rpc with their own batch
// limits and chain pins, and its per-wallet chain limits reach the reader.
func TestE2ESpotFromConfig(t *testing.T) {
	e2eSkipIfShort(t)
	n := e2eStartAnvil(t, "--chain-id", "10")
	e2eNewCLI(t, n.URL).ok("devnet", "install-books", "--rpc-url", n.URL)
	t.Setenv("TEST_OP_RPC", n.URL)
	os.Unsetenv("HEDGER_SPOT_RPC")
	os.Unsetenv("HEDGER_BATCH_LIMIT")
	os.Unsetenv("HEDGER_WALLETS")
	p := writeConfig(t, `
[[spot]]
rpc_url_env = "TEST_OP_RPC"
chain_id = 10
batch_limit = 50

[[wallet]]
address = "0x000000000000000000000000000000000000bEEF"

[[wallet]]
address = "0x000000000000000000000000000000000000dEaD"
chains = [10]
`)
	var chains []*spot.Chain
	var wallets []spot.Wallet
	var gerr error
	app := &cli.App{Name: "hedger", Commands: []*cli.Command{{Name: "probe", Flags: append(spotFlags(), walletFlag),
		Action: func(c *cli.Context) error {
			if chains, gerr = spotChainsFrom(c.Context, c, 42161); gerr != nil {
				return gerr
			}
			wallets, gerr = spotWalletsFrom(c)
			return gerr
		}}}}
	withConfig(app.Commands)
	if err := app.Run([]string{"hedger", "probe", "--config", p}); err != nil {
		t.Fatal(err)
	}
	if len(chains) != 1 || chains[0].ID != 10 || chains[0].Reader.EffectiveLimit() != 50 {
		t.Fatalf("chains %+v", chains)
	}
	if len(wallets) != 2 || len(wallets[0].Chains) != 0 || len(wallets[1].Chains) != 1 || wallets[1].Chains[0] != 10 {
		t.Fatalf("wallets %+v", wallets)
	}
	snap, err := spot.Read(context.Background(), chains, wallets)
	if err != nil || snap.Chains[0].Items != 2*(1+6)+4+2 {
		t.Fatalf("read: %v, %+v", err, snap)
	}
}

// `hedger deploy` also writes its tokens and feeds as a books file (the
// --books-file format): it loads, passes the on-chain check against anvil
// (symbols, decimals, feeds, wstETH's rate), and the spot reader given only
// that file counts a wallet funded on the dev chain.
func TestE2EDeployWritesBooks(t *testing.T) {
	e2eSkipIfShort(t)
	node := e2eStartAnvil(t)
	cli := e2eNewCLI(t, node.URL)
	deployer := e2eAccountFromHex(t, e2eAnvilKey0)
	r := cli.ok("deploy", "--rpc-url", node.URL, "--private-key", deployer.Key)
	path := perpvenue.BooksPath(cli.dataDir, node.ChainID)
	if !strings.Contains(r.stdout+r.stderr, path) {
		t.Errorf("deploy does not name the books file %s:\n%s", path, r)
	}
	f, err := books.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	wallet := e2eNewAccount(t).Addr
	cli.ok("devnet", "fund", wallet.Hex(), "--rpc-url", node.URL, "--private-key", deployer.Key, "--eth", "2", "--wbtc", "0.25", "--wsteth", "1", "--usdc", "500")
	ctx := context.Background()
	src, err := spot.Dial(ctx, node.URL, spot.Options{ChainID: node.ChainID, Books: f})
	if err != nil {
		t.Fatal(err) // includes the book's on-chain check
	}
	snap, err := spot.Read(ctx, []*spot.Chain{src}, []spot.Wallet{{Address: wallet}})
	if err != nil {
		t.Fatal(err)
	}
	tot := snap.Totals()
	// 2 ETH + 1 wstETH at the deploy's seed rate of 1.15.
	if !tot["ETH"].Equal(decimal.RequireFromString("3.15")) || !tot["BTC"].Equal(decimal.RequireFromString("0.25")) || !tot["USD"].Equal(decimal.NewFromInt(500)) {
		t.Fatalf("totals %v, want 3.15 ETH, 0.25 BTC, 500 USD", tot)
	}
	if p, ok := snap.Price(node.ChainID, "ETH/USD"); !ok || !p.Price.Equal(decimal.NewFromInt(3000)) {
		t.Fatalf("ETH/USD from the deployed feed: %+v", p)
	}
}
