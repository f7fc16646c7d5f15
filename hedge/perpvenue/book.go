// Package onchain adapts hedger's policy core to the venue contracts: it reads
// a hedge.Snapshot in one batched round trip, executes hedge.Actions through
// the abigen bindings and the chain transaction manager, and deploys and
// drives the local venue on dev chains.
package perpvenue

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// Token is an ERC-20 the hedger reads or moves.
type Token struct {
	Symbol   string         `json:"symbol"`
	Address  common.Address `json:"address"`
	Decimals int32          `json:"decimals"`
	Asset    string         `json:"asset,omitempty"` // underlying it counts as, for spot tokens
	// Rate, when set, is where the token's worth in Asset comes from: a
	// wrapped or liquid-staking token (wstETH) counts as balance × rate.
	Rate *RateSource `json:"rate,omitempty"`
	// Feed, when set, prices Asset for a spot token whose asset has no
	// market of its own (a cross-asset hedge needs its exposure in USD).
	Feed         *common.Address `json:"feed,omitempty"`
	FeedDecimals int32           `json:"feed_decimals,omitempty"`
}

// Rate sources a Token may name.
const (
	// RateStEthPerToken is wstETH's `stEthPerToken()`: underlying per token,
	// 1e18-scaled, read from Contract.
	RateStEthPerToken = "stEthPerToken"
)

// RateSource says how to read a token's conversion rate into its underlying.
type RateSource struct {
	Kind     string         `json:"kind"`     // RateStEthPerToken
	Contract common.Address `json:"contract"` // the contract to call (for wstETH, the token itself)
	Decimals int32          `json:"decimals"` // scale of the returned rate (18)
}

// HasFeed reports whether t carries its own price feed.
func (t Token) HasFeed() bool { return t.Feed != nil }

// MarketRef locates one perp market and its index feed.
type MarketRef struct {
	Asset        string         `json:"asset"`
	ID           uint64         `json:"id"`
	Feed         common.Address `json:"feed"`
	FeedDecimals int32          `json:"feed_decimals"`
}

// AddressBook is what `hedger deploy` writes and every command reads: where
// the venue, its collateral, feeds and spot tokens live on one chain.
type AddressBook struct {
	ChainID     uint64         `json:"chain_id"`
	Block       uint64         `json:"deployed_at_block"`
	Owner       common.Address `json:"owner"`
	Venue       common.Address `json:"venue"`
	Collateral  Token          `json:"collateral"`
	NativeAsset string         `json:"native_asset"`
	Tokens      []Token        `json:"tokens"`
	Markets     []MarketRef    `json:"markets"`
}

// Market finds a market by asset symbol (case-insensitive).
func (b *AddressBook) Market(asset string) (MarketRef, bool) {
	for _, m := range b.Markets {
		if strings.EqualFold(m.Asset, asset) {
			return m, true
		}
	}
	return MarketRef{}, false
}

// Token finds a spot token or the collateral by symbol (case-insensitive).
func (b *AddressBook) Token(symbol string) (Token, bool) {
	if strings.EqualFold(b.Collateral.Symbol, symbol) {
		return b.Collateral, true
	}
	for _, t := range b.Tokens {
		if strings.EqualFold(t.Symbol, symbol) {
			return t, true
		}
	}
	return Token{}, false
}

// PriceFeed is the feed that prices asset: its market's index feed, or a
// spot token's own feed when the asset has no market.
func (b *AddressBook) PriceFeed(asset string) (common.Address, int32, bool) {
	if m, ok := b.Market(asset); ok {
		return m.Feed, m.FeedDecimals, true
	}
	for _, t := range b.Tokens {
		if strings.EqualFold(t.Asset, asset) && t.HasFeed() {
			return *t.Feed, t.FeedDecimals, true
		}
	}
	return common.Address{}, 0, false
}

// BookPath is where the address book of chainID lives under dataDir.
func BookPath(dataDir string, chainID uint64) string {
	return filepath.Join(dataDir, "deployments", fmt.Sprintf("%d.json", chainID))
}

// LoadBook reads the address book of chainID.
func LoadBook(dataDir string, chainID uint64) (*AddressBook, error) {
	p := BookPath(dataDir, chainID)
	raw, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no address book for chain %d at %s: run `hedger deploy` on a dev chain first", chainID, p)
	}
	if err != nil {
		return nil, err
	}
	var b AddressBook
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("address book %s: %w", p, err)
	}
	if b.ChainID != chainID {
		return nil, fmt.Errorf("address book %s is for chain %d, not %d", p, b.ChainID, chainID)
	}
	return &b, nil
}

// Save writes the book atomically (temp file + rename).
func (b *AddressBook) Save(dataDir string) (string, error) {
	p := BookPath(dataDir, b.ChainID)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	raw, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return "", err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, append(raw, '\n'), 0o644); err != nil {
		return "", err
	}
	return p, os.Rename(tmp, p)
}
