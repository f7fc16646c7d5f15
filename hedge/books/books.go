// Package books holds hedger's token and feed books: per chain, which ERC-20s
// count as which asset (and through which rate a liquid-staking token counts
// in its underlying), and which Chainlink feeds price them. Built-in books for
// Ethereum, Arbitrum One, Base, OP Mainnet and Avalanche are embedded; a user
// file in the same format adds or overrides entries. Nothing from a book is
// trusted until Verify has read decimals() and symbol() of every contract
// from the chain itself.
package books

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// Format is the value of the file's "format" key.
const Format = "hedger-books/1"

// Rate kinds. The four function kinds are called on the token itself (or on
// Contract when set) and return the underlying per token scaled by 1e18.
// RateFeed reads a Chainlink exchange-rate feed's latestRoundData answer,
// scaled by the feed's own decimals (bridged LSTs on L2s have no rate
// function of their own).
const (
	RateStEthPerToken   = "stEthPerToken"   // wstETH
	RateGetExchangeRate = "getExchangeRate" // rETH
	RateExchangeRate    = "exchangeRate"    // cbETH
	RateGetRate         = "getRate"         // weETH
	RateFeed            = "feed"            // a Chainlink X/underlying exchange-rate feed
)

var rateKinds = map[string]bool{RateStEthPerToken: true, RateGetExchangeRate: true, RateExchangeRate: true, RateGetRate: true, RateFeed: true}

// File is a books file: the embedded one or a user's.
type File struct {
	Format  string            `json:"format"`
	Sources map[string]string `json:"sources,omitempty"`
	Chains  []Chain           `json:"chains"`
}

// Chain is one chain's book.
type Chain struct {
	ChainID uint64  `json:"chain_id"`
	Name    string  `json:"name,omitempty"`
	Native  *Native `json:"native,omitempty"`
	Tokens  []Token `json:"tokens,omitempty"`
	Feeds   []Feed  `json:"feeds,omitempty"`
}

// Native is the chain's own coin and the asset it counts as.
type Native struct {
	Symbol string `json:"symbol"`
	Asset  string `json:"asset"`
}

// Token is an ERC-20 held as spot.
type Token struct {
	Symbol  string         `json:"symbol"` // must equal the contract's symbol()
	Address common.Address `json:"address"`
	Asset   string         `json:"asset"` // the asset it counts as ("ETH")
	// Decimals, when given, must equal the contract's decimals(); the value
	// used is always the one read from the chain.
	Decimals *int32 `json:"decimals,omitempty"`
	Rate     *Rate  `json:"rate,omitempty"`
	Source   string `json:"source,omitempty"`
}

// Rate says how a token's balance converts into its asset.
type Rate struct {
	Kind     string          `json:"kind"`
	Contract *common.Address `json:"contract,omitempty"` // default: the token (function kinds); required for RateFeed
}

// Target is the contract a rate is read from.
func (t Token) RateContract() common.Address {
	if t.Rate != nil && t.Rate.Contract != nil {
		return *t.Rate.Contract
	}
	return t.Address
}

// Feed is a Chainlink AggregatorV3 price feed: Pair is BASE/QUOTE ("ETH/USD").
type Feed struct {
	Pair     string         `json:"pair"`
	Address  common.Address `json:"address"`
	Decimals *int32         `json:"decimals,omitempty"`
	Source   string         `json:"source,omitempty"`
}

// Base and Quote split the pair.
func (f Feed) Base() string  { b, _, _ := strings.Cut(f.Pair, "/"); return b }
func (f Feed) Quote() string { _, q, _ := strings.Cut(f.Pair, "/"); return q }

//go:embed builtin.json
var builtinJSON []byte

// Builtin returns a fresh copy of the embedded books.
func Builtin() *File {
	f, err := Parse(builtinJSON, "built-in books")
	if err != nil {
		panic(err) // the embedded file is checked by the tests; it cannot change at run time
	}
	return f
}

// Load reads and checks a user books file.
func Load(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("books file: %w", err)
	}
	return Parse(raw, path)
}

// Parse decodes and checks a books file; name labels errors, which carry the line.
func Parse(raw []byte, name string) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %s", name, jsonErr(raw, err))
	}
	if f.Format != Format {
		return nil, fmt.Errorf("%s: format is %q, want %q", name, f.Format, Format)
	}
	if err := checkAddresses(raw, name); err != nil {
		return nil, err
	}
	for i := range f.Chains {
		if err := f.Chains[i].check(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return &f, nil
}

// jsonErr adds the line number to a decoding error.
func jsonErr(raw []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return err.Error()
	}
	line := 1 + bytes.Count(raw[:min(int(off), len(raw))], []byte("\n"))
	return fmt.Sprintf("line %d: %v", line, err)
}

// checkAddresses refuses a mixed-case address whose EIP-55 checksum is wrong:
// a typo in one character of a checksummed address is caught before any read.
func checkAddresses(raw []byte, name string) error {
	for i, line := range strings.Split(string(raw), "\n") {
		for _, field := range strings.Split(line, "\"") {
			if len(field) != 42 || !strings.HasPrefix(field, "0x") {
				continue
			}
			if !common.IsHexAddress(field) {
				return fmt.Errorf("%s: line %d: %s is not an address", name, i+1, field)
			}
			body := field[2:]
			if body != strings.ToLower(body) && body != strings.ToUpper(body) &&
				common.HexToAddress(field).Hex() != field {
				return fmt.Errorf("%s: line %d: %s fails its EIP-55 checksum (want %s)", name, i+1, field, common.HexToAddress(field).Hex())
			}
		}
	}
	return nil
}

func (c *Chain) check() error {
	if c.ChainID == 0 {
		return errors.New("a chain has no chain_id")
	}
	where := fmt.Sprintf("chain %d", c.ChainID)
	if c.Native != nil && (c.Native.Symbol == "" || c.Native.Asset == "") {
		return fmt.Errorf("%s: native needs symbol and asset", where)
	}
	seen := map[string]bool{}
	addrs := map[common.Address]string{}
	for _, t := range c.Tokens {
		if t.Symbol == "" || t.Asset == "" || t.Address == (common.Address{}) {
			return fmt.Errorf("%s: token %q needs symbol, address and asset", where, t.Symbol)
		}
		k := strings.ToLower(t.Symbol)
		if seen[k] {
			return fmt.Errorf("%s: token %s listed twice", where, t.Symbol)
		}
		seen[k] = true
		if other, ok := addrs[t.Address]; ok {
			return fmt.Errorf("%s: %s and %s have the same address %s", where, other, t.Symbol, t.Address.Hex())
		}
		addrs[t.Address] = t.Symbol
		if t.Rate != nil {
			if !rateKinds[t.Rate.Kind] {
				return fmt.Errorf("%s: token %s: unknown rate kind %q (known: %s)", where, t.Symbol, t.Rate.Kind, kindList())
			}
			if t.Rate.Kind == RateFeed && t.Rate.Contract == nil {
				return fmt.Errorf("%s: token %s: a rate of kind feed needs its contract", where, t.Symbol)
			}
		}
		if t.Decimals != nil && (*t.Decimals < 0 || *t.Decimals > 36) {
			return fmt.Errorf("%s: token %s: decimals %d out of range", where, t.Symbol, *t.Decimals)
		}
	}
	pairs := map[string]bool{}
	for _, f := range c.Feeds {
		b, q, ok := strings.Cut(f.Pair, "/")
		if !ok || b == "" || q == "" || strings.ContainsAny(f.Pair, " ") {
			return fmt.Errorf("%s: feed pair %q is not BASE/QUOTE", where, f.Pair)
		}
		if f.Address == (common.Address{}) {
			return fmt.Errorf("%s: feed %s has no address", where, f.Pair)
		}
		k := strings.ToUpper(f.Pair)
		if pairs[k] {
			return fmt.Errorf("%s: feed %s listed twice", where, f.Pair)
		}
		pairs[k] = true
	}
	return nil
}

func kindList() string {
	var ks []string
	for k := range rateKinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// Chain returns the book of chainID.
func (f *File) Chain(chainID uint64) (*Chain, bool) {
	for i := range f.Chains {
		if f.Chains[i].ChainID == chainID {
			return &f.Chains[i], true
		}
	}
	return nil, false
}

// Merge returns base with over applied: a token replaces the one with the
// same symbol (case-insensitive) or is added, a feed replaces the one with the
// same pair or is added, a native entry replaces the chain's, and a chain
// base does not know is added whole.
func Merge(base, over *File) *File {
	out := &File{Format: Format, Sources: map[string]string{}}
	for k, v := range base.Sources {
		out.Sources[k] = v
	}
	if over != nil {
		for k, v := range over.Sources {
			out.Sources[k] = v
		}
	}
	out.Chains = append(out.Chains, base.Chains...)
	if over == nil {
		return out
	}
	for _, oc := range over.Chains {
		c, ok := out.Chain(oc.ChainID)
		if !ok {
			out.Chains = append(out.Chains, oc)
			continue
		}
		merged := *c
		merged.Tokens = append([]Token(nil), c.Tokens...)
		merged.Feeds = append([]Feed(nil), c.Feeds...)
		if oc.Name != "" {
			merged.Name = oc.Name
		}
		if oc.Native != nil {
			merged.Native = oc.Native
		}
		for _, t := range oc.Tokens {
			replaced := false
			for i := range merged.Tokens {
				if strings.EqualFold(merged.Tokens[i].Symbol, t.Symbol) {
					merged.Tokens[i], replaced = t, true
				}
			}
			if !replaced {
				merged.Tokens = append(merged.Tokens, t)
			}
		}
		for _, fd := range oc.Feeds {
			replaced := false
			for i := range merged.Feeds {
				if strings.EqualFold(merged.Feeds[i].Pair, fd.Pair) {
					merged.Feeds[i], replaced = fd, true
				}
			}
			if !replaced {
				merged.Feeds = append(merged.Feeds, fd)
			}
		}
		*c = merged
	}
	return out
}

// WithUser loads the built-in books and applies the user file at path ("" = none).
func WithUser(path string) (*File, error) {
	b := Builtin()
	if path == "" {
		return b, nil
	}
	u, err := Load(path)
	if err != nil {
		return nil, err
	}
	m := Merge(b, u)
	for i := range m.Chains {
		if err := m.Chains[i].check(); err != nil {
			return nil, fmt.Errorf("%s (merged with the built-in books): %w", path, err)
		}
	}
	return m, nil
}

// Feed finds the feed of pair (case-insensitive).
func (c *Chain) Feed(pair string) (Feed, bool) {
	for _, f := range c.Feeds {
		if strings.EqualFold(f.Pair, pair) {
			return f, true
		}
	}
	return Feed{}, false
}

// Token finds a token by symbol (case-insensitive).
func (c *Chain) Token(symbol string) (Token, bool) {
	for _, t := range c.Tokens {
		if strings.EqualFold(t.Symbol, symbol) {
			return t, true
		}
	}
	return Token{}, false
}

// Marshal writes f in the books format (the form `deploy` can write too).
func (f *File) Marshal() ([]byte, error) {
	if f.Format == "" {
		f.Format = Format
	}
	raw, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(raw, '\n'), nil
}
