package perpvenue

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/venuetest"
)

// TestConformance runs the venue conformance suite on PerpVenue deployed
// on the embedded chain, with a real signer and the transaction manager.
// PerpVenue fills synchronously: "pending" is always empty, and the
// cancelled case is a trade the contract reverts because the mark fell
// through its acceptable price.
func TestConformance(t *testing.T) {
	venuetest.Run(t, func(t *testing.T) *venuetest.Harness {
		ctx := context.Background()
		e := newTestEnv(t)
		key, _ := crypto.GenerateKey()
		acct := crypto.PubkeyToAddress(key.PublicKey)
		if err := e.dev.SendNative(ctx, acct, decimal.NewFromInt(10)); err != nil {
			t.Fatal(err)
		}
		if err := e.dev.Mint(ctx, "USDC", acct, decimal.NewFromInt(100_000)); err != nil {
			t.Fatal(err)
		}
		// Four watch-only wallets holding 1 ETH each: the spot is how many
		// of them the venue watches.
		var wallets []common.Address
		for i := 0; i < 4; i++ {
			w := common.BigToAddress(big.NewInt(int64(0xc01d00 + i)))
			if err := e.dev.SendNative(ctx, w, decimal.NewFromInt(1)); err != nil {
				t.Fatal(err)
			}
			wallets = append(wallets, w)
		}
		price := decimal.NewFromInt(2000)
		if err := e.dev.SetPrice(ctx, "ETH", price); err != nil {
			t.Fatal(err)
		}
		watched := 0
		build := func() *Venue {
			// Built as commands build it: New adds the fill decoder and the
			// recipient allowlist to the manager.
			v, err := New(e.emb.Client, e.book, wallets[:watched], acct,
				&chain.Config{Backend: e.emb.Client, Signer: chain.NewKeySigner(key), ABIs: ABIs()})
			if err != nil {
				panic(err) // a fixed configuration the manager refuses: a bug here
			}
			return v
		}
		v := build()
		return &venuetest.Harness{Venue: v, Asset: "ETH", Price: price,
			SetSpot: func(n int) error {
				watched = n
				v.Wallets = wallets[:n]
				return nil
			},
			SetPrice: func(p decimal.Decimal) error { return e.dev.SetPrice(ctx, "ETH", p) },
			Restart:  func() hedge.Venue { return build() },
		}
	})
}
