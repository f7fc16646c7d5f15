package gmxvenue

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/venuetest"
)

// env is the GMX fixture as genesis of the embedded chain, with pool
// liquidity and Arbitrum's ETH market configuration applied (real fees,
// impact, funding, borrowing and execution-fee gas limits), a funded
// trader and four watch-only wallets holding 1 ETH each.
type env struct {
	emb     *chain.Embedded
	book    *gmx.Book
	dev     *gmx.Devnet
	key     *ecdsa.PrivateKey
	acct    common.Address
	wallets []common.Address
}

func newEnv(t *testing.T) *env { return newEnvServing(t, "") }

// newEnvServing is newEnv with the embedded chain also serving JSON-RPC
// over HTTP at addr (host:port; "" for none).
func newEnvServing(t *testing.T, addr string) *env {
	t.Helper()
	ctx := context.Background()
	alloc, err := gmx.GenesisAlloc(nil)
	if err != nil {
		t.Fatal(err)
	}
	emb, err := chain.NewEmbedded(alloc, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	book, err := gmx.BookFor(emb.ChainID.Uint64())
	if err != nil {
		t.Fatal(err)
	}
	dev, err := gmx.NewDevnet(emb.Client, book)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := book.Market("ETH")
	if err := dev.Setup(ctx, m, decimal.NewFromInt(1000), decimal.NewFromInt(5_000_000)); err != nil {
		t.Fatal(err)
	}
	key, _ := crypto.GenerateKey()
	acct := crypto.PubkeyToAddress(key.PublicKey)
	e := &env{emb: emb, book: book, dev: dev, key: key, acct: acct}
	e.send(t, acct, 10)
	if err := dev.Fund(ctx, "USDC", acct, decimal.NewFromInt(100_000)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		w := common.BigToAddress(big.NewInt(int64(0xc01d00 + i)))
		e.send(t, w, 1)
		e.wallets = append(e.wallets, w)
	}
	return e
}

func (e *env) send(t *testing.T, to common.Address, eth int64) {
	t.Helper()
	wei := new(big.Int).Mul(big.NewInt(eth), big.NewInt(1e18))
	if _, err := gmx.SendFixedGas(context.Background(), e.emb.Client, e.dev.Keeper.Signer(), to, nil, wei, 21_000); err != nil {
		t.Fatal(err)
	}
}

// venue is a new adapter instance over the trader's account, as a new
// hedger process builds it.
func (e *env) venue(wallets []common.Address) *Venue { return e.venueWith(wallets, nil) }

// venueWith is venue with the account's journal j (nil: none).
func (e *env) venueWith(wallets []common.Address, j *chain.Journal) *Venue {
	tx, err := chain.NewTxManager(chain.Config{Backend: e.emb.Client, Signer: chain.NewKeySigner(e.key),
		ABIs: gmx.ABIs(), Recipients: e.book.Recipients(), Journal: j})
	if err != nil {
		panic(err) // a test configuration error
	}
	return New(gmx.NewClient(e.emb.Client, e.book, e.acct, tx), wallets)
}

func (e *env) keep() error {
	_, err := e.dev.Keeper.Once(context.Background())
	return err
}

// TestConformance runs the venue conformance suite on GMX v2: the real
// contracts of the fixture on the embedded chain, orders executed (or
// cancelled) by the in-process keeper signing oracle prices.
func TestConformance(t *testing.T) {
	venuetest.Run(t, func(t *testing.T) *venuetest.Harness {
		e := newEnv(t)
		price := decimal.NewFromInt(5000)
		v := e.venue(nil)
		return &venuetest.Harness{Venue: v, Asset: "ETH", Price: price,
			SetSpot: func(n int) error {
				v.Wallets = e.wallets[:n]
				return nil
			},
			SetPrice: func(p decimal.Decimal) error { return e.dev.SetPrice(context.Background(), "WETH", p) },
			Keep:     e.keep,
			Restart: func() hedge.Venue {
				return e.venue(v.Wallets)
			},
		}
	})
}
