// Package rehearse installs a real network's token and feed book on anvil, at
// the real addresses: the project's own TestToken, StakedToken and PriceFeed
// code is placed with anvil_setCode and their constructor-set storage with
// anvil_setStorageAt, so the built-in books, their checks and the spot reader
// run end to end against the addresses they will meet on the real chain.
// Start anvil with the network's chain ID (`anvil --chain-id 42161`).
package rehearse

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/multiread"
)

// Storage slots of the project's contracts (solc lays state variables out in
// declaration order; immutables and constants take no slot). The install
// test reads every one of them back through the contracts' own getters.
const (
	tokenSlotName        = 0 // string name
	tokenSlotSymbol      = 1 // string symbol (decimals is immutable)
	tokenSlotOwner       = 3 // address owner (2 is totalSupply)
	tokenSlotBalances    = 4 // mapping(address => uint256) balanceOf
	stakedSlotRate       = 6 // StakedToken.stEthPerToken, after TestToken's 0..5
	feedSlotDescription  = 0 // string description (decimals immutable, version constant)
	feedSlotOwnerAndLast = 1 // address owner | uint80 latestRound << 160
)

// DefaultOwner owns every installed contract: anvil's account #0, which anvil
// unlocks, so mints and pushes need no impersonation.
var DefaultOwner = common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")

// Options tune Install; the zero value installs with the defaults.
type Options struct {
	Owner common.Address // default DefaultOwner
	// Prices are the first answers of the feeds, by pair ("ETH/USD": 3000).
	// A feed without one starts at 1 (right for X/ETH and X/BTC pegs).
	Prices map[string]decimal.Decimal
	// Rates are the liquid-staking rates by token symbol ("wstETH": 1.15);
	// default 1.
	Rates map[string]decimal.Decimal
	// NoMulticall leaves Multicall3's address empty, to rehearse a chain
	// without it (the reader then uses JSON-RPC batches).
	NoMulticall bool
}

// Installed is what Install put on the chain.
type Installed struct {
	Chain *books.Chain
	Owner common.Address
	rpc   *rpc.Client
}

var (
	tokenC  = contracts.NewTestToken()
	stakedC = contracts.NewStakedToken()
	feedC   = contracts.NewPriceFeed()
)

// Install places c's tokens, rate feeds and price feeds at their addresses
// on the anvil behind rc, after checking that the node's chain ID is c's.
func Install(ctx context.Context, rc *rpc.Client, c *books.Chain, o Options) (*Installed, error) {
	var id hexutil.Uint64
	if err := rc.CallContext(ctx, &id, "eth_chainId"); err != nil {
		return nil, fmt.Errorf("rehearse: eth_chainId: %w", err)
	}
	if uint64(id) != c.ChainID {
		return nil, fmt.Errorf("rehearse: the node is chain %d, the book is for chain %d: start anvil with --chain-id %d", id, c.ChainID, c.ChainID)
	}
	owner := o.Owner
	if owner == (common.Address{}) {
		owner = DefaultOwner
	}
	in := &Installed{Chain: c, Owner: owner, rpc: rc}
	rateFeeds := map[common.Address]decimal.Decimal{}
	for _, t := range c.Tokens {
		dec := int32(18)
		if t.Decimals != nil {
			dec = *t.Decimals
		}
		rate := decimal.NewFromInt(1)
		if r, ok := lookup(o.Rates, t.Symbol); ok {
			rate = r
		}
		var err error
		switch {
		case t.Rate != nil && t.Rate.Kind != books.RateFeed:
			if dec != 18 {
				return nil, fmt.Errorf("rehearse: %s: the staked test token has 18 decimals, the book says %d", t.Symbol, dec)
			}
			err = in.installStaked(ctx, t.Address, t.Symbol, rate)
			if err == nil && t.RateContract() != t.Address {
				err = in.installStaked(ctx, t.RateContract(), t.Symbol+" rate", rate)
			}
		default:
			err = in.installToken(ctx, t.Address, t.Symbol, dec)
			if t.Rate != nil {
				rateFeeds[t.RateContract()] = rate
			}
		}
		if err != nil {
			return nil, fmt.Errorf("rehearse: %s at %s: %w", t.Symbol, t.Address.Hex(), err)
		}
	}
	for addr, rate := range rateFeeds {
		if err := in.installFeed(ctx, addr, 18, "rate", rate); err != nil {
			return nil, fmt.Errorf("rehearse: rate feed at %s: %w", addr.Hex(), err)
		}
	}
	for _, f := range c.Feeds {
		dec := int32(8)
		if f.Decimals != nil {
			dec = *f.Decimals
		}
		p := decimal.NewFromInt(1)
		if v, ok := lookup(o.Prices, f.Pair); ok {
			p = v
		}
		if err := in.installFeed(ctx, f.Address, dec, strings.ReplaceAll(f.Pair, "/", " / "), p); err != nil {
			return nil, fmt.Errorf("rehearse: feed %s at %s: %w", f.Pair, f.Address.Hex(), err)
		}
	}
	if !o.NoMulticall {
		code, err := runtime(ctx, rc, common.FromHex(contracts.MultiReadMetaData.Bin))
		if err != nil {
			return nil, fmt.Errorf("rehearse: Multicall3: %w", err)
		}
		if err := rc.CallContext(ctx, nil, "anvil_setCode", multiread.Multicall3, hexutil.Bytes(code)); err != nil {
			return nil, fmt.Errorf("rehearse: Multicall3: %w", err)
		}
	}
	return in, nil
}

func lookup(m map[string]decimal.Decimal, k string) (decimal.Decimal, bool) {
	for kk, v := range m {
		if strings.EqualFold(kk, k) {
			return v, true
		}
	}
	return decimal.Decimal{}, false
}

// runtime is the code a constructor would leave, with its immutables set:
// eth_call of the creation code returns exactly that.
func runtime(ctx context.Context, rc *rpc.Client, creation []byte) ([]byte, error) {
	var code hexutil.Bytes
	if err := rc.CallContext(ctx, &code, "eth_call", map[string]any{"input": hexutil.Bytes(creation), "gas": hexutil.Uint64(30_000_000)}, "latest"); err != nil {
		return nil, err
	}
	if len(code) == 0 {
		return nil, errors.New("the constructor returned no code")
	}
	return code, nil
}

func (in *Installed) setCode(ctx context.Context, at common.Address, code []byte) error {
	return in.rpc.CallContext(ctx, nil, "anvil_setCode", at, hexutil.Bytes(code))
}

func (in *Installed) setSlot(ctx context.Context, at common.Address, slot common.Hash, v common.Hash) error {
	return in.rpc.CallContext(ctx, nil, "anvil_setStorageAt", at, slot, v)
}

func slotN(n int64) common.Hash { return common.BigToHash(big.NewInt(n)) }

// shortString is Solidity's storage form of a string under 32 bytes: the
// bytes left-aligned and the length × 2 in the last byte.
func shortString(s string) (common.Hash, error) {
	if len(s) > 31 {
		return common.Hash{}, fmt.Errorf("string %q is too long for one slot", s)
	}
	var h common.Hash
	copy(h[:], s)
	h[31] = byte(2 * len(s))
	return h, nil
}

func (in *Installed) setString(ctx context.Context, at common.Address, slot int64, s string) error {
	v, err := shortString(s)
	if err != nil {
		return err
	}
	return in.setSlot(ctx, at, slotN(slot), v)
}

func (in *Installed) tokenStorage(ctx context.Context, at common.Address, symbol string) error {
	if err := in.setString(ctx, at, tokenSlotName, symbol); err != nil {
		return err
	}
	if err := in.setString(ctx, at, tokenSlotSymbol, symbol); err != nil {
		return err
	}
	return in.setSlot(ctx, at, slotN(tokenSlotOwner), common.BytesToHash(in.Owner.Bytes()))
}

func (in *Installed) installToken(ctx context.Context, at common.Address, symbol string, dec int32) error {
	code, err := runtime(ctx, in.rpc, append(common.FromHex(contracts.TestTokenMetaData.Bin), tokenC.PackConstructor(symbol, symbol, uint8(dec))...))
	if err != nil {
		return err
	}
	if err := in.setCode(ctx, at, code); err != nil {
		return err
	}
	return in.tokenStorage(ctx, at, symbol)
}

func (in *Installed) installStaked(ctx context.Context, at common.Address, symbol string, rate decimal.Decimal) error {
	code, err := runtime(ctx, in.rpc, append(common.FromHex(contracts.StakedTokenMetaData.Bin), stakedC.PackConstructor(symbol, symbol, big.NewInt(1))...))
	if err != nil {
		return err
	}
	if err := in.setCode(ctx, at, code); err != nil {
		return err
	}
	if err := in.tokenStorage(ctx, at, symbol); err != nil {
		return err
	}
	return in.setSlot(ctx, at, slotN(stakedSlotRate), common.BigToHash(units(rate, 18)))
}

func (in *Installed) installFeed(ctx context.Context, at common.Address, dec int32, desc string, answer decimal.Decimal) error {
	code, err := runtime(ctx, in.rpc, append(common.FromHex(contracts.PriceFeedMetaData.Bin), feedC.PackConstructor(uint8(dec), desc, big.NewInt(1))...))
	if err != nil {
		return err
	}
	if err := in.setCode(ctx, at, code); err != nil {
		return err
	}
	if len(desc) > 31 {
		desc = desc[:31]
	}
	if err := in.setString(ctx, at, feedSlotDescription, desc); err != nil {
		return err
	}
	// Owner, and latestRound 0: the first push below is round 1.
	if err := in.setSlot(ctx, at, slotN(feedSlotOwnerAndLast), common.BytesToHash(in.Owner.Bytes())); err != nil {
		return err
	}
	return in.send(ctx, at, feedC.PackPushAnswer(units(answer, dec)))
}

// units is d × 10^dec, truncated.
func units(d decimal.Decimal, dec int32) *big.Int {
	return d.Shift(dec).Truncate(0).BigInt()
}

// send sends a transaction from the owner (anvil unlocks its own accounts and
// impersonates any other) and waits for it to be mined.
func (in *Installed) send(ctx context.Context, to common.Address, data []byte) error {
	if in.Owner != DefaultOwner {
		if err := in.rpc.CallContext(ctx, nil, "anvil_impersonateAccount", in.Owner); err != nil {
			return err
		}
	}
	var h common.Hash
	tx := map[string]any{"from": in.Owner, "to": to, "input": hexutil.Bytes(data), "gas": hexutil.Uint64(500_000)}
	if err := in.rpc.CallContext(ctx, &h, "eth_sendTransaction", tx); err != nil {
		return err
	}
	for range 50 {
		var rcpt *struct {
			Status hexutil.Uint64 `json:"status"`
		}
		if err := in.rpc.CallContext(ctx, &rcpt, "eth_getTransactionReceipt", h); err != nil {
			return err
		}
		if rcpt != nil {
			if rcpt.Status != 1 {
				return fmt.Errorf("transaction %s to %s reverted", h.Hex(), to.Hex())
			}
			return nil
		}
		// anvil mines on every transaction unless started with a block
		// time; mine one so this also works then.
		if err := in.rpc.CallContext(ctx, nil, "evm_mine"); err != nil {
			return err
		}
	}
	return fmt.Errorf("transaction %s to %s was not mined", h.Hex(), to.Hex())
}

// Fund gives to the amounts of tokens (by symbol, in whole tokens) and of
// the native coin (key "native" or the chain's native symbol).
func (in *Installed) Fund(ctx context.Context, to common.Address, amounts map[string]decimal.Decimal) error {
	for sym, amt := range amounts {
		if strings.EqualFold(sym, "native") || (in.Chain.Native != nil && strings.EqualFold(sym, in.Chain.Native.Symbol)) {
			var bal hexutil.Big
			if err := in.rpc.CallContext(ctx, &bal, "eth_getBalance", to, "latest"); err != nil {
				return err
			}
			nb := new(big.Int).Add((*big.Int)(&bal), units(amt, 18))
			if err := in.rpc.CallContext(ctx, nil, "anvil_setBalance", to, hexutil.EncodeBig(nb)); err != nil {
				return err
			}
			continue
		}
		t, ok := in.Chain.Token(sym)
		if !ok {
			return fmt.Errorf("rehearse: chain %d has no token %s", in.Chain.ChainID, sym)
		}
		dec := int32(18)
		if t.Decimals != nil {
			dec = *t.Decimals
		}
		if err := in.send(ctx, t.Address, tokenC.PackMint(to, units(amt, dec))); err != nil {
			return fmt.Errorf("rehearse: minting %s: %w", sym, err)
		}
	}
	return nil
}

// SetPrice pushes a new answer to the feed of pair.
func (in *Installed) SetPrice(ctx context.Context, pair string, p decimal.Decimal) error {
	f, ok := in.Chain.Feed(pair)
	if !ok {
		return fmt.Errorf("rehearse: chain %d has no feed %s", in.Chain.ChainID, pair)
	}
	dec := int32(8)
	if f.Decimals != nil {
		dec = *f.Decimals
	}
	return in.send(ctx, f.Address, feedC.PackPushAnswer(units(p, dec)))
}

// SetRate moves a liquid-staking token's rate, through its own rate function
// or its exchange-rate feed.
func (in *Installed) SetRate(ctx context.Context, symbol string, rate decimal.Decimal) error {
	t, ok := in.Chain.Token(symbol)
	if !ok || t.Rate == nil {
		return fmt.Errorf("rehearse: %s is not a rate token on chain %d", symbol, in.Chain.ChainID)
	}
	if t.Rate.Kind == books.RateFeed {
		return in.send(ctx, t.RateContract(), feedC.PackPushAnswer(units(rate, 18)))
	}
	return in.send(ctx, t.RateContract(), stakedC.PackSetRate(units(rate, 18)))
}

// BalanceSlot is the storage slot of holder's balance in an installed token,
// for tests that set balances without a transaction.
func BalanceSlot(holder common.Address) common.Hash {
	return crypto.Keccak256Hash(common.LeftPadBytes(holder.Bytes(), 32), common.LeftPadBytes(big.NewInt(tokenSlotBalances).Bytes(), 32))
}

// Attach is an Installed for a book installed earlier on the anvil behind
// rc, to fund and move it; the owner is DefaultOwner.
func Attach(rc *rpc.Client, c *books.Chain) *Installed {
	return &Installed{Chain: c, Owner: DefaultOwner, rpc: rc}
}
