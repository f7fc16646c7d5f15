package perpvenue

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hedger/hedger/hedge/books"
)

// Books is the deployment's tokens and feeds in the books format (the one
// --books-file takes), so a dev chain's book is checked like a real one.
// Decimals of tokens are left out (the chain gives them); feeds keep theirs,
// which the check compares. Venue, market IDs, owner and block stay in the
// address book.
func (b *AddressBook) Books() *books.File {
	c := books.Chain{ChainID: b.ChainID, Name: "hedger deploy"}
	if b.NativeAsset != "" {
		c.Native = &books.Native{Symbol: b.NativeAsset, Asset: b.NativeAsset}
	}
	c.Tokens = append(c.Tokens, books.Token{Symbol: b.Collateral.Symbol, Address: b.Collateral.Address, Asset: "USD", Source: "deploy"})
	pairs := map[string]bool{}
	addFeed := func(asset string, at common.Address, dec int32) {
		pair := strings.ToUpper(asset) + "/USD"
		if pairs[pair] {
			return
		}
		pairs[pair] = true
		d := dec
		c.Feeds = append(c.Feeds, books.Feed{Pair: pair, Address: at, Decimals: &d, Source: "deploy"})
	}
	for _, m := range b.Markets {
		addFeed(m.Asset, m.Feed, m.FeedDecimals)
	}
	for _, t := range b.Tokens {
		bt := books.Token{Symbol: t.Symbol, Address: t.Address, Asset: t.Asset, Source: "deploy"}
		if t.Rate != nil {
			rc := t.Rate.Contract
			bt.Rate = &books.Rate{Kind: t.Rate.Kind, Contract: &rc}
		}
		c.Tokens = append(c.Tokens, bt)
		if t.HasFeed() {
			addFeed(t.Asset, *t.Feed, t.FeedDecimals)
		}
	}
	return &books.File{Format: books.Format, Sources: map[string]string{"deploy": "written by `hedger deploy` for its own contracts"},
		Chains: []books.Chain{c}}
}

// BooksPath is where `hedger deploy` writes the books file of chainID.
func BooksPath(dataDir string, chainID uint64) string {
	return strings.TrimSuffix(BookPath(dataDir, chainID), ".json") + ".books.json"
}

// SaveBooks writes b.Books() atomically next to the address book.
func (b *AddressBook) SaveBooks(dataDir string) (string, error) {
	raw, err := b.Books().Marshal()
	if err != nil {
		return "", err
	}
	p := BooksPath(dataDir, b.ChainID)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return "", err
	}
	return p, os.Rename(tmp, p)
}
