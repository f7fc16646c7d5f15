package books

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge/multiread"
)

// Checked is a chain's book as the chain confirmed it: every decimals value
// is the one read from the contract.
type Checked struct {
	ChainID uint64
	Name    string
	Block   uint64 // the block the check read
	Native  *Native
	Tokens  []CheckedToken
	Feeds   []CheckedFeed
}

// CheckedToken is a token with its on-chain decimals and, for a rate token,
// the rate's scale (18 for the rate functions, the feed's decimals for RateFeed).
type CheckedToken struct {
	Token
	Decimals     int32
	RateDecimals int32
}

// CheckedFeed is a feed with its on-chain decimals.
type CheckedFeed struct {
	Feed
	Decimals int32
}

// Feed finds a checked feed by pair.
func (c *Checked) Feed(pair string) (CheckedFeed, bool) {
	for _, f := range c.Feeds {
		if strings.EqualFold(f.Pair, pair) {
			return f, true
		}
	}
	return CheckedFeed{}, false
}

var (
	erc20  = contracts.NewTestToken()
	staked = contracts.NewStakedToken()
	feedC  = contracts.NewPriceFeed()
)

// RateCall is the call data of a rate function kind.
func RateCall(kind string) []byte {
	switch kind {
	case RateStEthPerToken:
		return staked.PackStEthPerToken()
	case RateGetExchangeRate:
		return staked.PackGetExchangeRate()
	case RateExchangeRate:
		return staked.PackExchangeRate()
	case RateGetRate:
		return staked.PackGetRate()
	case RateFeed:
		return feedC.PackLatestRoundData()
	}
	return nil
}

// DecodeRate decodes a rate call's answer into the underlying per token,
// in units of 10^-scale; a feed's answer must be positive.
func DecodeRate(kind string, data []byte) (*big.Int, error) {
	if kind == RateFeed {
		r, err := feedC.UnpackLatestRoundData(data)
		if err != nil {
			return nil, err
		}
		if r.Answer.Sign() <= 0 {
			return nil, fmt.Errorf("rate feed answers %s", r.Answer)
		}
		return r.Answer, nil
	}
	v, err := staked.UnpackGetRate(data) // every function kind returns one uint256
	if err != nil {
		return nil, err
	}
	if v.Sign() == 0 {
		return nil, errors.New("rate is zero")
	}
	return v, nil
}

// Verify reads decimals() and symbol() of every token, decimals() and
// latestRoundData() of every feed, and each token's rate, in one batched read
// at block (nil: the head), and refuses the book in one line on the first
// mismatch, missing contract or failed read.
func Verify(ctx context.Context, r *multiread.Reader, c *Chain, block *big.Int) (*Checked, error) {
	type check struct {
		what   string
		decode func([]byte) error
	}
	var items []multiread.Item
	var checks []check
	add := func(to common.Address, data []byte, what string, decode func([]byte) error) {
		items = append(items, multiread.Item{To: to, Data: data})
		checks = append(checks, check{what, decode})
	}
	out := &Checked{ChainID: c.ChainID, Name: c.Name, Native: c.Native,
		Tokens: make([]CheckedToken, len(c.Tokens)), Feeds: make([]CheckedFeed, len(c.Feeds))}
	for i, t := range c.Tokens {
		i, t := i, t
		ct := &out.Tokens[i]
		ct.Token = t
		where := fmt.Sprintf("%s at %s", t.Symbol, t.Address.Hex())
		add(t.Address, erc20.PackDecimals(), where+": decimals()", func(b []byte) error {
			d, err := erc20.UnpackDecimals(b)
			if err != nil {
				return err
			}
			if t.Decimals != nil && int32(d) != *t.Decimals {
				return fmt.Errorf("decimals() is %d, the book says %d", d, *t.Decimals)
			}
			ct.Decimals = int32(d)
			return nil
		})
		add(t.Address, erc20.PackSymbol(), where+": symbol()", func(b []byte) error {
			s, err := decodeSymbol(b)
			if err != nil {
				return err
			}
			if s != t.Symbol {
				return fmt.Errorf("symbol() is %q, the book says %q", s, t.Symbol)
			}
			return nil
		})
		if t.Rate != nil {
			kind := t.Rate.Kind
			rc := t.RateContract()
			rwhere := fmt.Sprintf("%s rate (%s at %s)", t.Symbol, kind, rc.Hex())
			add(rc, RateCall(kind), rwhere, func(b []byte) error {
				_, err := DecodeRate(kind, b)
				return err
			})
			if kind == RateFeed {
				add(rc, feedC.PackDecimals(), rwhere+": decimals()", func(b []byte) error {
					d, err := feedC.UnpackDecimals(b)
					ct.RateDecimals = int32(d)
					return err
				})
			} else {
				ct.RateDecimals = 18
			}
		}
	}
	for i, f := range c.Feeds {
		i, f := i, f
		cf := &out.Feeds[i]
		cf.Feed = f
		where := fmt.Sprintf("feed %s at %s", f.Pair, f.Address.Hex())
		add(f.Address, feedC.PackDecimals(), where+": decimals()", func(b []byte) error {
			d, err := feedC.UnpackDecimals(b)
			if err != nil {
				return err
			}
			if f.Decimals != nil && int32(d) != *f.Decimals {
				return fmt.Errorf("decimals() is %d, the book says %d", d, *f.Decimals)
			}
			cf.Decimals = int32(d)
			return nil
		})
		add(f.Address, feedC.PackLatestRoundData(), where+": latestRoundData()", func(b []byte) error {
			_, err := feedC.UnpackLatestRoundData(b)
			return err
		})
	}
	res, at, err := r.Read(ctx, items, block)
	if err != nil {
		return nil, fmt.Errorf("books: %w", err)
	}
	out.Block = at
	var first error
	bad := 0
	for i, x := range res {
		err := x.Err
		if err == nil && len(x.Data) == 0 {
			err = errors.New("no contract there (empty answer)")
		}
		if err == nil {
			if derr := checks[i].decode(x.Data); derr != nil {
				err = derr
			}
		}
		if err != nil {
			bad++
			if first == nil {
				first = fmt.Errorf("books: chain %d: %s: %v", c.ChainID, checks[i].what, err)
			}
		}
	}
	if first != nil {
		if bad > 1 {
			return nil, fmt.Errorf("%w (and %d more)", first, bad-1)
		}
		return nil, first
	}
	return out, nil
}

// decodeSymbol reads a string symbol, or the bytes32 one some old tokens return.
func decodeSymbol(b []byte) (string, error) {
	if s, err := erc20.UnpackSymbol(b); err == nil {
		return s, nil
	}
	if len(b) == 32 {
		return strings.TrimRight(string(b), "\x00"), nil
	}
	return "", fmt.Errorf("symbol() answer of %d bytes is neither a string nor bytes32", len(b))
}
