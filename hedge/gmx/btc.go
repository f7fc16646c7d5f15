package gmx

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
)

// The fixture's deploy gives WBTC no Chainlink reference feed, so its
// WBTC/USD [WBTC-USDC] market cannot be valued. Devnet.SetupBTC installs one
// at run time (the committed fixture state stays as built); OfferLocal then
// finds it in the DataStore and offers BTC.

// LocalBTCMarket is the fixture market that hedges BTC once it has a feed.
const LocalBTCMarket = "WBTC/USD [WBTC-USDC]"

// KeyPriceFeedHeartbeat is PRICE_FEED_HEARTBEAT_DURATION(token): how stale
// a reference answer may be before GMX's oracle refuses it.
func KeyPriceFeedHeartbeat(token common.Address) common.Hash {
	return keyOf("PRICE_FEED_HEARTBEAT_DURATION", token)
}

// PriceFeedMultiplier is the DataStore multiplier that turns a feed answer
// with feedDecimals into GMX's price of one smallest token unit × 1e30:
// 10^(60 − token decimals − feed decimals), as gmx-synthetics'
// config/tokens.ts sets priceFeed.multiplier.
func PriceFeedMultiplier(tokenDecimals, feedDecimals uint8) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(60-int64(tokenDecimals)-int64(feedDecimals)), nil)
}

// OfferLocal adds to a local book the markets whose tokens have a reference
// feed registered in the DataStore (today: BTC after Devnet.SetupBTC) and
// records the feed on the token. A real-chain book is left alone.
func OfferLocal(ctx context.Context, c *chain.Client, b *Book) error {
	if b.Local == nil {
		return nil
	}
	for _, m := range b.Local.Latent {
		if _, ok := b.Market(m.Asset); ok {
			continue
		}
		var feed common.Address
		var batch chain.Batch
		batch.Call(b.Contracts.DataStore, dataStoreABI.PackGetAddress(KeyPriceFeed(m.Index.Address)), func(out []byte) (err error) {
			feed, err = dataStoreABI.UnpackGetAddress(out)
			return err
		})
		if err := c.Read(ctx, &batch, nil); err != nil {
			return fmt.Errorf("GMX: reading the %s feed: %w", m.Index.Symbol, err)
		}
		if feed == (common.Address{}) {
			continue
		}
		t := b.Tokens[m.Index.Symbol]
		t.PriceFeed = feed
		b.Tokens[t.Symbol] = t
		if m.Long.Symbol == t.Symbol {
			m.Long = t
		}
		m.Index = t
		b.Markets = append(b.Markets, m)
	}
	return nil
}

// SetupBTC makes BTC hedgeable on the local GMX: it deploys a MockPriceFeed
// for WBTC answering usd (8 decimals), registers it in the DataStore (feed,
// multiplier, WETH's heartbeat), has the keeper price WBTC, seeds the WBTC
// market with long WBTC and short USDC and applies the market
// configuration (Setup). Running it twice is refused.
func (d *Devnet) SetupBTC(ctx context.Context, usd, long, short decimal.Decimal) (Market, error) {
	if d.Book.Local == nil {
		return Market{}, errors.New("setup BTC: not a local GMX")
	}
	if !usd.IsPositive() {
		return Market{}, errors.New("setup BTC: price must be positive")
	}
	if _, ok := d.Book.Market("BTC"); ok {
		return Market{}, errors.New("setup BTC: WBTC already has a reference feed")
	}
	weth, wbtc := d.Book.Tokens["WETH"], d.Book.Tokens["WBTC"]
	if wbtc.Address == (common.Address{}) || weth.PriceFeed == (common.Address{}) {
		return Market{}, errors.New("setup BTC: the book has no WBTC or no WETH feed")
	}
	feed, err := d.deployFeedLike(ctx, weth.PriceFeed)
	if err != nil {
		return Market{}, fmt.Errorf("setup BTC: deploy feed: %w", err)
	}
	var heartbeat *big.Int
	var batch chain.Batch
	batch.Call(d.Book.Contracts.DataStore, dataStoreABI.PackGetUint(KeyPriceFeedHeartbeat(weth.Address)), func(out []byte) (err error) {
		heartbeat, err = dataStoreABI.UnpackGetUint(out)
		return err
	})
	if err := d.Client.Read(ctx, &batch, nil); err != nil {
		return Market{}, fmt.Errorf("setup BTC: %w", err)
	}
	ds := d.Book.Contracts.DataStore
	steps := []struct {
		name string
		to   common.Address
		data []byte
	}{
		{"set answer", feed, feedABI.PackSetAnswer(usd.Shift(8).Round(0).BigInt())},
		{"heartbeat", ds, dataStoreABI.PackSetUint(KeyPriceFeedHeartbeat(wbtc.Address), heartbeat)},
		{"multiplier", ds, dataStoreABI.PackSetUint(KeyPriceFeedMultiplier(wbtc.Address), PriceFeedMultiplier(wbtc.Decimals, 8))},
		// The feed address last: OfferLocal takes a registered feed as ready.
		{"feed", ds, dataStoreABI.PackSetAddress(KeyPriceFeed(wbtc.Address), feed)},
	}
	for _, s := range steps {
		if err := d.send(ctx, d.Keeper.key, s.to, s.data, nil); err != nil {
			return Market{}, fmt.Errorf("setup BTC: %s: %w", s.name, err)
		}
	}
	if err := OfferLocal(ctx, d.Client, d.Book); err != nil {
		return Market{}, err
	}
	m, ok := d.Book.Market("BTC")
	if !ok {
		return Market{}, errors.New("setup BTC: the registered feed was not found")
	}
	d.Prices.Set(m.Index, usd)
	if err := d.Setup(ctx, m, long, short); err != nil {
		return Market{}, err
	}
	return m, nil
}

// deployFeedLike deploys a new contract with the runtime code of the
// fixture's feed at like (GMX's MockPriceFeed: no constructor, no
// immutables, decimals a constant 8). The bindings carry ABIs only, so the
// creation code is a 12-byte loader that returns that runtime code.
func (d *Devnet) deployFeedLike(ctx context.Context, like common.Address) (common.Address, error) {
	code, err := d.Client.CodeAt(ctx, like, nil)
	if err != nil {
		return common.Address{}, err
	}
	if len(code) == 0 || len(code) > 0xffff {
		return common.Address{}, fmt.Errorf("no feed code at %s", like.Hex())
	}
	n := byte(len(code) >> 8)
	m := byte(len(code))
	// PUSH2 len DUP1 PUSH1 12 PUSH1 0 CODECOPY PUSH1 0 RETURN
	init := append([]byte{0x61, n, m, 0x80, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3}, code...)
	s := d.Keeper.key
	head, err := d.Client.Head(ctx)
	if err != nil {
		return common.Address{}, err
	}
	if head.BaseFee == nil {
		return common.Address{}, errors.New("the chain has no EIP-1559 base fee")
	}
	tip, err := d.Client.SuggestGasTipCap(ctx)
	if err != nil {
		return common.Address{}, err
	}
	nonce, err := d.Client.PendingNonceAt(ctx, s.Address())
	if err != nil {
		return common.Address{}, err
	}
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: d.Client.ChainID, Nonce: nonce, GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))), Gas: 1_000_000, Value: new(big.Int), Data: init})
	signed, err := s.SignTx(ctx, tx, d.Client.ChainID)
	if err != nil {
		return common.Address{}, err
	}
	if err := d.Client.SendTransaction(ctx, signed); err != nil {
		return common.Address{}, err
	}
	rcpt, err := chain.WaitReceipt(ctx, d.Client, signed.Hash(), chain.DefaultReceiptTimeout, chain.DefaultPollInterval)
	if err != nil {
		return common.Address{}, err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return common.Address{}, fmt.Errorf("deploy %s reverted", signed.Hash().Hex())
	}
	addr := crypto.CreateAddress(s.Address(), nonce)
	got, err := d.Client.CodeAt(ctx, addr, nil)
	if err != nil {
		return common.Address{}, err
	}
	if string(got) != string(code) {
		return common.Address{}, errors.New("deployed feed code differs from the fixture's")
	}
	return addr, nil
}
