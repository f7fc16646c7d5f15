// Package gmx is hedger's client for GMX v2 (gmx-synthetics): address books,
// one batched read per cycle, orders compiled into one ExchangeRouter
// multicall, event and cancel-reason decoding, and — for local rehearsal — a
// keeper that signs oracle prices as GMX's keepers do, plus devnet helpers.
// It sits below the venue seam of package hedge and knows nothing of policy.
package gmx

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

//go:embed books/*.json
var booksFS embed.FS

// Token is an ERC-20 (or a synthetic index token with no contract) GMX prices.
type Token struct {
	Symbol    string
	Address   common.Address
	Decimals  uint8
	Synthetic bool
	// PriceFeed is the mock Chainlink feed on the local fixture; zero on real
	// chains, where the DataStore names each token's feed (read by Discover).
	PriceFeed common.Address
}

// Market is one GMX market: a GM token with index, long and short tokens.
type Market struct {
	Asset       string // the spot asset it hedges: ETH, BTC, ...
	Name        string // GMX's label, e.g. "ETH/USD [WETH-USDC]"
	MarketToken common.Address
	Index       Token
	Long        Token
	Short       Token
}

// Contracts are the GMX contracts a client talks to.
type Contracts struct {
	ExchangeRouter  common.Address
	Router          common.Address // ERC-20 approvals go here, not to ExchangeRouter
	OrderVault      common.Address
	DepositVault    common.Address
	DataStore       common.Address
	Reader          common.Address
	EventEmitter    common.Address
	ReferralStorage common.Address
	OrderHandler    common.Address // feature flags are keyed by it
	DepositHandler  common.Address
	RoleStore       common.Address
}

// Local holds what only a local deployment has: the keeper account (all
// keeper roles and CONTROLLER) and the oracle signers. Public test keys.
type Local struct {
	KeeperKey        string
	GmOracleProvider common.Address
	OracleSigners    []string // private keys, by OracleStore index
	// Latent markets exist on the fixture but lack a reference feed until a
	// devnet setup registers one (OfferLocal then offers them).
	Latent []Market
}

// Book is everything hedger knows about one chain's GMX deployment.
type Book struct {
	ChainID    uint64
	Network    string
	Source     string // where the addresses come from (repository and commit)
	Contracts  Contracts
	Native     Token // wrapped native token (execution fees are paid in it)
	Collateral Token // USDC
	Tokens     map[string]Token
	Markets    []Market
	Local      *Local // nil on real chains
}

// Market returns the market that hedges asset (case-insensitive), or false.
func (b *Book) Market(asset string) (Market, bool) {
	for _, m := range b.Markets {
		if strings.EqualFold(m.Asset, asset) {
			return m, true
		}
	}
	return Market{}, false
}

// MarketByToken returns the market whose GM token is addr.
func (b *Book) MarketByToken(addr common.Address) (Market, bool) {
	for _, m := range b.Markets {
		if m.MarketToken == addr {
			return m, true
		}
	}
	return Market{}, false
}

// TokenByAddress returns the token at addr.
func (b *Book) TokenByAddress(addr common.Address) (Token, bool) {
	for _, t := range b.Tokens {
		if t.Address == addr {
			return t, true
		}
	}
	return Token{}, false
}

// Assets lists the assets the book has markets for, sorted.
func (b *Book) Assets() []string {
	var out []string
	for _, m := range b.Markets {
		out = append(out, m.Asset)
	}
	sort.Strings(out)
	return out
}

// Chain IDs with a book.
const (
	ChainArbitrum  = 42161
	ChainAvalanche = 43114
	ChainAnvil     = 31337 // the fixture on anvil
	ChainEmbedded  = 1337  // the fixture as genesis of the embedded chain
)

// BookFor returns the book of a chain, or a one-line error.
func BookFor(chainID uint64) (*Book, error) {
	switch chainID {
	case ChainArbitrum:
		return loadEmbeddedBook("books/arbitrum.json")
	case ChainAvalanche:
		return loadEmbeddedBook("books/avalanche.json")
	case ChainAnvil, ChainEmbedded:
		return LocalBook(chainID)
	}
	return nil, fmt.Errorf("no GMX address book for chain %d", chainID)
}

type bookFile struct {
	ChainID     uint64                    `json:"chainId"`
	Network     string                    `json:"network"`
	Source      string                    `json:"source"`
	Contracts   map[string]common.Address `json:"contracts"`
	NativeToken string                    `json:"nativeToken"`
	Collateral  string                    `json:"collateral"`
	Tokens      map[string]struct {
		Address   common.Address `json:"address"`
		Decimals  uint8          `json:"decimals"`
		Synthetic bool           `json:"synthetic"`
	} `json:"tokens"`
	Markets []struct {
		Asset       string         `json:"asset"`
		Name        string         `json:"name"`
		MarketToken common.Address `json:"marketToken"`
		Index       string         `json:"index"`
		Long        string         `json:"long"`
		Short       string         `json:"short"`
	} `json:"markets"`
}

func loadEmbeddedBook(name string) (*Book, error) {
	raw, err := booksFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("GMX address book %s: %w", name, err)
	}
	var f bookFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("GMX address book %s: %w", name, err)
	}
	b := &Book{ChainID: f.ChainID, Network: f.Network, Source: f.Source, Tokens: map[string]Token{}}
	for sym, t := range f.Tokens {
		b.Tokens[sym] = Token{Symbol: sym, Address: t.Address, Decimals: t.Decimals, Synthetic: t.Synthetic}
	}
	if err := b.setContracts(f.Contracts); err != nil {
		return nil, fmt.Errorf("GMX address book %s: %w", name, err)
	}
	var ok bool
	if b.Native, ok = b.Tokens[f.NativeToken]; !ok {
		return nil, fmt.Errorf("GMX address book %s: native token %s not in tokens", name, f.NativeToken)
	}
	if b.Collateral, ok = b.Tokens[f.Collateral]; !ok {
		return nil, fmt.Errorf("GMX address book %s: collateral %s not in tokens", name, f.Collateral)
	}
	for _, m := range f.Markets {
		mk := Market{Asset: m.Asset, Name: m.Name, MarketToken: m.MarketToken}
		for _, p := range []struct {
			sym string
			dst *Token
		}{{m.Index, &mk.Index}, {m.Long, &mk.Long}, {m.Short, &mk.Short}} {
			t, ok := b.Tokens[p.sym]
			if !ok {
				return nil, fmt.Errorf("GMX address book %s: market %s: token %s not in tokens", name, m.Name, p.sym)
			}
			*p.dst = t
		}
		b.Markets = append(b.Markets, mk)
	}
	return b, nil
}

func (b *Book) setContracts(c map[string]common.Address) error {
	dst := map[string]*common.Address{
		"ExchangeRouter": &b.Contracts.ExchangeRouter, "Router": &b.Contracts.Router,
		"OrderVault": &b.Contracts.OrderVault, "DepositVault": &b.Contracts.DepositVault,
		"DataStore": &b.Contracts.DataStore, "Reader": &b.Contracts.Reader,
		"EventEmitter": &b.Contracts.EventEmitter, "ReferralStorage": &b.Contracts.ReferralStorage,
		"OrderHandler": &b.Contracts.OrderHandler, "RoleStore": &b.Contracts.RoleStore,
	}
	for name, p := range dst {
		a, ok := c[name]
		if !ok || a == (common.Address{}) {
			return fmt.Errorf("contract %s missing", name)
		}
		*p = a
	}
	b.Contracts.DepositHandler = c["DepositHandler"] // only needed by the local keeper
	return nil
}

// Recipients are the addresses a transaction from the margin account may go
// to (chain.TxManager.Recipients): the routers and the collateral/native
// tokens (approvals).
func (b *Book) Recipients() map[common.Address]bool {
	return map[common.Address]bool{
		b.Contracts.ExchangeRouter: true,
		b.Collateral.Address:       true,
		b.Native.Address:           true,
	}
}
