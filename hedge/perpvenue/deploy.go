package perpvenue

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts"
)

// MarketSpec is one market `hedger deploy` creates.
type MarketSpec struct {
	Asset     string
	Price     decimal.Decimal // seed index price, USD
	SkewScale decimal.Decimal // base units; mark premium = skew / skewScale
	Token     string          // spot token that counts as Asset ("WETH")
	Decimals  int32           // that token's decimals
}

// DefaultMarkets are the local venue's markets. The skew scales make 1000 ETH
// (or 50 BTC) of net open interest worth 10 bps of premium and, with a
// funding coefficient of 1, 0.1%/day of funding.
func DefaultMarkets() []MarketSpec {
	return []MarketSpec{
		{Asset: "ETH", Price: decimal.NewFromInt(3000), SkewScale: decimal.NewFromInt(1_000_000), Token: "WETH", Decimals: 18},
		{Asset: "BTC", Price: decimal.NewFromInt(60000), SkewScale: decimal.NewFromInt(50_000), Token: "WBTC", Decimals: 8},
	}
}

const feedDecimals = 8

// StakedSpec is a wrapped liquid-staking token `hedger deploy` creates: it
// counts as Asset through its on-chain rate (wstETH: stEthPerToken).
type StakedSpec struct {
	Symbol string          // "wstETH"
	Asset  string          // underlying, which must have a market ("ETH")
	Rate   decimal.Decimal // seed underlying per token
}

// CrossSpec is a spot token with its own price feed and no perp market, for
// rehearsing cross-asset hedges (hedge_with + beta in the policy).
type CrossSpec struct {
	Symbol   string // token and asset symbol ("LDO")
	Price    decimal.Decimal
	Decimals int32
}

// DefaultStaked is the local wstETH: 1.15 ETH per token to start, set with
// `hedger devnet set-rate`.
func DefaultStaked() []StakedSpec {
	return []StakedSpec{{Symbol: "wstETH", Asset: "ETH", Rate: decimal.RequireFromString("1.15")}}
}

// DefaultCross is the local cross-asset example: LDO, priced by its own feed,
// with no market; a policy hedges it with the ETH perp.
func DefaultCross() []CrossSpec {
	return []CrossSpec{{Symbol: "LDO", Price: decimal.RequireFromString("1.5"), Decimals: 18}}
}

// InsuranceFund is the collateral minted to the venue at deploy so that
// profitable positions can always be paid out on a rehearsal chain.
var InsuranceFund = decimal.NewFromInt(10_000_000)

// Deploy creates the collateral token (USDC, 6 decimals), one spot token, a
// feed and a market per spec, and the venue, all from tx's signer (the owner
// of every contract), then returns the address book.
func Deploy(ctx context.Context, tx *chain.TxManager, specs []MarketSpec) (*AddressBook, error) {
	create := func(what, bin string, args []byte) (common.Address, error) {
		rcpt, err := tx.Send(ctx, chain.TxRequest{Data: append(common.FromHex(bin), args...)})
		if err != nil {
			return common.Address{}, fmt.Errorf("deploying %s: %w", what, err)
		}
		return rcpt.ContractAddress, nil
	}
	call := func(what string, to common.Address, data []byte) error {
		if _, err := tx.Send(ctx, chain.TxRequest{To: &to, Data: data}); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	book := &AddressBook{ChainID: tx.Client().ChainID.Uint64(), Owner: tx.Address(), NativeAsset: "ETH"}
	usdc, err := create("USDC", contracts.TestTokenMetaData.Bin, tokenABI.PackConstructor("USD Coin (local)", "USDC", 6))
	if err != nil {
		return nil, err
	}
	book.Collateral = Token{Symbol: "USDC", Address: usdc, Decimals: 6}
	venue, err := create("PerpVenue", contracts.PerpVenueMetaData.Bin, venueABI.PackConstructor(usdc))
	if err != nil {
		return nil, err
	}
	book.Venue = venue
	for i, s := range specs {
		tok, err := create(s.Token, contracts.TestTokenMetaData.Bin,
			tokenABI.PackConstructor(s.Token+" (local)", s.Token, uint8(s.Decimals)))
		if err != nil {
			return nil, err
		}
		book.Tokens = append(book.Tokens, Token{Symbol: s.Token, Address: tok, Decimals: s.Decimals, Asset: s.Asset})
		feed, err := create(s.Asset+"/USD feed", contracts.PriceFeedMetaData.Bin,
			feedABI.PackConstructor(feedDecimals, s.Asset+" / USD", toUnits(s.Price, feedDecimals)))
		if err != nil {
			return nil, err
		}
		params := contracts.PerpVenueMarketParams{
			MaxLeverage:       toWad(decimal.NewFromInt(20)),
			MaintenanceMargin: toWad(decimal.RequireFromString("0.03")),
			TakerFee:          toWad(decimal.RequireFromString("0.0005")),
			SkewScale:         toWad(s.SkewScale),
			FundingCoeff:      toWad(decimal.NewFromInt(1)),
			MaxFundingRate:    toWad(decimal.RequireFromString("0.01")),
			LiquidationReward: toWad(decimal.RequireFromString("0.005")),
		}
		if err := call("adding market "+s.Asset, venue, venueABI.PackAddMarket(s.Asset, feed, params)); err != nil {
			return nil, err
		}
		book.Markets = append(book.Markets, MarketRef{Asset: s.Asset, ID: uint64(i), Feed: feed, FeedDecimals: feedDecimals})
	}
	for _, st := range DefaultStaked() {
		if _, ok := book.Market(st.Asset); !ok {
			continue // its underlying is not hedgeable here
		}
		tok, err := create(st.Symbol, contracts.StakedTokenMetaData.Bin,
			lstABI.PackConstructor(st.Symbol+" (local)", st.Symbol, toWad(st.Rate)))
		if err != nil {
			return nil, err
		}
		book.Tokens = append(book.Tokens, Token{Symbol: st.Symbol, Address: tok, Decimals: 18, Asset: st.Asset,
			Rate: &RateSource{Kind: RateStEthPerToken, Contract: tok, Decimals: 18}})
	}
	for _, cs := range DefaultCross() {
		tok, err := create(cs.Symbol, contracts.TestTokenMetaData.Bin,
			tokenABI.PackConstructor(cs.Symbol+" (local)", cs.Symbol, uint8(cs.Decimals)))
		if err != nil {
			return nil, err
		}
		feed, err := create(cs.Symbol+"/USD feed", contracts.PriceFeedMetaData.Bin,
			feedABI.PackConstructor(feedDecimals, cs.Symbol+" / USD", toUnits(cs.Price, feedDecimals)))
		if err != nil {
			return nil, err
		}
		book.Tokens = append(book.Tokens, Token{Symbol: cs.Symbol, Address: tok, Decimals: cs.Decimals, Asset: cs.Symbol,
			Feed: &feed, FeedDecimals: feedDecimals})
	}
	if err := call("seeding the insurance fund", usdc, tokenABI.PackMint(venue, toUnits(InsuranceFund, 6))); err != nil {
		return nil, err
	}
	head, err := tx.Client().Head(ctx)
	if err != nil {
		return nil, err
	}
	book.Block = head.Number.Uint64()
	return book, nil
}

// Verify checks that the book's contracts exist on the node, so a restarted
// anvil with a stale book gives a clear error instead of zero reads.
func (b *AddressBook) Verify(ctx context.Context, c *chain.Client) error {
	code, err := c.CodeAt(ctx, b.Venue, nil)
	if err != nil {
		return fmt.Errorf("checking the venue: %w", err)
	}
	if len(code) == 0 {
		return fmt.Errorf("no venue contract at %s on chain %d (node restarted?): run `hedger deploy` again", b.Venue.Hex(), b.ChainID)
	}
	return nil
}
