package gmx

import (
	"context"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
)

func dsUint(t *testing.T, ctx context.Context, c *chain.Client, b *Book, key [32]byte) *big.Int {
	t.Helper()
	var v *big.Int
	var batch chain.Batch
	batch.Call(b.Contracts.DataStore, dataStoreABI.PackGetUint(key), func(out []byte) (err error) {
		v, err = dataStoreABI.UnpackGetUint(out)
		return err
	})
	if err := c.Read(ctx, &batch, nil); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSetupBTC: on the embedded fixture, BTC is latent until SetupBTC
// registers a WBTC feed; then the book (and a fresh book through
// OfferLocal) offers BTC, the client values it from the new feed, and the
// pool holds the seeded liquidity.
func TestSetupBTC(t *testing.T) {
	ctx := context.Background()
	emb, err := NewEmbedded(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	c := emb.Client
	book, err := BookFor(c.ChainID.Uint64())
	if err != nil {
		t.Fatal(err)
	}
	// The multiplier formula reproduces what the fixture's deploy wrote for
	// its 8-decimal feeds of WETH (18 decimals) and USDC (6).
	for _, sym := range []string{"WETH", "USDC"} {
		tok := book.Tokens[sym]
		if got, want := dsUint(t, ctx, c, book, KeyPriceFeedMultiplier(tok.Address)), PriceFeedMultiplier(tok.Decimals, 8); got.Cmp(want) != 0 {
			t.Fatalf("%s multiplier: DataStore %s, formula %s", sym, got, want)
		}
	}
	if err := OfferLocal(ctx, c, book); err != nil {
		t.Fatal(err)
	}
	if _, ok := book.Market("BTC"); ok {
		t.Fatal("BTC offered before its feed exists")
	}
	dev, err := NewDevnet(c, book)
	if err != nil {
		t.Fatal(err)
	}
	eth, _ := book.Market("ETH")
	if err := dev.Setup(ctx, eth, decimal.NewFromInt(1000), decimal.NewFromInt(5_000_000)); err != nil {
		t.Fatal(err)
	}
	m, err := dev.SetupBTC(ctx, decimal.NewFromInt(60000), decimal.NewFromInt(50), decimal.NewFromInt(3_000_000))
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != LocalBTCMarket || m.Index.Symbol != "WBTC" || m.Long.PriceFeed != m.Index.PriceFeed {
		t.Fatalf("BTC market %+v", m)
	}
	if got := dsUint(t, ctx, c, book, KeyPriceFeedMultiplier(m.Index.Address)); got.Cmp(new(big.Int).Exp(big.NewInt(10), big.NewInt(44), nil)) != 0 {
		t.Fatalf("WBTC multiplier %s, want 1e44", got)
	}
	if _, err := dev.SetupBTC(ctx, decimal.NewFromInt(60000), decimal.NewFromInt(1), decimal.NewFromInt(1)); err == nil {
		t.Fatal("second SetupBTC accepted")
	}

	fresh, err := BookFor(c.ChainID.Uint64())
	if err != nil {
		t.Fatal(err)
	}
	if err := OfferLocal(ctx, c, fresh); err != nil {
		t.Fatal(err)
	}
	fm, ok := fresh.Market("BTC")
	if !ok || fm.Index.PriceFeed != m.Index.PriceFeed {
		t.Fatalf("a fresh book does not find the BTC feed: %v", fresh.Assets())
	}
	cl := NewClient(c, fresh, dev.Keeper.Address(), nil)
	if err := cl.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := cl.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ms := s.Markets[fm.MarketToken]
	if ms == nil || ms.IndexPrice.Cmp(PriceUnits(decimal.NewFromInt(60000), 8)) != 0 {
		t.Fatalf("BTC market state %+v", ms)
	}
	var pool *big.Int
	var batch chain.Batch
	batch.Call(fm.Long.Address, tokenABI.PackBalanceOf(fm.MarketToken), func(out []byte) (err error) {
		pool, err = tokenABI.UnpackBalanceOf(out)
		return err
	})
	if err := c.Read(ctx, &batch, nil); err != nil {
		t.Fatal(err)
	}
	if pool.Cmp(whole(50, 8)) != 0 {
		t.Fatalf("WBTC in the pool %s, want 50 WBTC", pool)
	}
}
