package perpvenue

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
)

// Devnet drives the local venue on a dev chain with the owner's key:
// prices, faucet, skew from another account.
type Devnet struct {
	Book  *AddressBook
	Owner *chain.TxManager // the deployer, owner of tokens and feeds
}

// SetPrice pushes a new answer to asset's feed: its market's index feed, or
// the own feed of a spot asset with no market (LDO).
func (d *Devnet) SetPrice(ctx context.Context, asset string, price decimal.Decimal) error {
	feed, dec, ok := d.Book.PriceFeed(asset)
	if !ok {
		return fmt.Errorf("unknown asset %q (markets: %s)", asset, d.Book.marketList())
	}
	if !price.IsPositive() {
		return fmt.Errorf("price must be positive, got %s", price)
	}
	_, err := d.Owner.Send(ctx, chain.TxRequest{To: &feed, Data: feedABI.PackPushAnswer(toUnits(price, dec))})
	return err
}

// PushHistory pushes prices to asset's feed as one round each, the last at
// the head's time and the earlier ones every apart before it (the feed's
// pushAnswerAt), so a beta estimate has a history to read without waiting.
func (d *Devnet) PushHistory(ctx context.Context, asset string, prices []decimal.Decimal, every time.Duration) error {
	feed, dec, ok := d.Book.PriceFeed(asset)
	if !ok {
		return fmt.Errorf("unknown asset %q (markets: %s)", asset, d.Book.marketList())
	}
	if every <= 0 {
		return fmt.Errorf("interval must be positive, got %s", every)
	}
	head, err := d.Owner.Client().Head(ctx)
	if err != nil {
		return err
	}
	end := int64(head.Time)
	n := int64(len(prices))
	if end-(n-1)*int64(every/time.Second) <= 0 {
		return fmt.Errorf("%d prices every %s reach before the chain's genesis", n, every)
	}
	for i, p := range prices {
		if !p.IsPositive() {
			return fmt.Errorf("price %d must be positive, got %s", i+1, p)
		}
		at := end - (n-1-int64(i))*int64(every/time.Second)
		data := feedABI.PackPushAnswerAt(toUnits(p, dec), big.NewInt(at))
		if _, err := d.Owner.Send(ctx, chain.TxRequest{To: &feed, Data: data}); err != nil {
			return fmt.Errorf("pushing %s price %d: %w", asset, i+1, err)
		}
	}
	return nil
}

// SetRate sets a liquid-staking token's underlying per token (its
// stEthPerToken), e.g. 1.15.
func (d *Devnet) SetRate(ctx context.Context, symbol string, rate decimal.Decimal) error {
	t, ok := d.Book.Token(symbol)
	if !ok || t.Rate == nil {
		return fmt.Errorf("%q is not a liquid-staking token in the address book", symbol)
	}
	if !rate.IsPositive() {
		return fmt.Errorf("rate must be positive, got %s", rate)
	}
	_, err := d.Owner.Send(ctx, chain.TxRequest{To: &t.Rate.Contract, Data: lstABI.PackSetRate(toUnits(rate, t.Rate.Decimals))})
	return err
}

// Mint creates amount of a local token (by symbol) for to.
func (d *Devnet) Mint(ctx context.Context, symbol string, to common.Address, amount decimal.Decimal) error {
	t, ok := d.Book.Token(symbol)
	if !ok {
		return fmt.Errorf("unknown token %q", symbol)
	}
	if amount.IsNegative() {
		return fmt.Errorf("amount must not be negative, got %s", amount)
	}
	if amount.IsZero() {
		return nil
	}
	_, err := d.Owner.Send(ctx, chain.TxRequest{To: &t.Address, Data: tokenABI.PackMint(to, toUnits(amount, t.Decimals))})
	return err
}

// SendNative transfers native coin from the owner to to.
func (d *Devnet) SendNative(ctx context.Context, to common.Address, amount decimal.Decimal) error {
	if !amount.IsPositive() {
		return nil
	}
	_, err := d.Owner.Send(ctx, chain.TxRequest{To: &to, Value: toUnits(amount, 18)})
	return err
}

// SkewKey is the dev-only account `devnet skew` trades from: a fixed key so
// its position persists across commands and can be moved back.
func SkewKey() *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("hedger devnet skew account")))
	if err != nil {
		panic(err) // a fixed 32-byte hash is always a valid key
	}
	return k
}

// Skew sets the skew account's position in asset's market to size (signed
// base units, + long): open interest that moves the mark premium and funding.
func (d *Devnet) Skew(ctx context.Context, asset string, size decimal.Decimal) error {
	m, ok := d.Book.Market(asset)
	if !ok {
		return fmt.Errorf("unknown market %q (markets: %s)", asset, d.Book.marketList())
	}
	key := SkewKey()
	signer := chain.NewKeySigner(key)
	c := d.Owner.Client()
	skewTx, err := chain.NewTxManager(chain.Config{Backend: c, Signer: signer, ABIs: d.Owner.ABIs()})
	if err != nil {
		return err
	}
	v := &Venue{Client: c, Book: d.Book, Account: signer.Address(), Tx: skewTx}
	s, err := v.Snapshot(ctx)
	if err != nil {
		return err
	}
	delta := size.Sub(s.PositionOf(m.Asset).Size)
	if delta.IsZero() {
		return nil
	}
	// Gas money and generous margin (5x on the new size) for the skew account.
	bal, err := c.BalanceAt(ctx, signer.Address(), nil)
	if err != nil {
		return err
	}
	if bal.Cmp(big.NewInt(1e18)) < 0 {
		if err := d.SendNative(ctx, signer.Address(), decimal.NewFromInt(1)); err != nil {
			return fmt.Errorf("funding the skew account: %w", err)
		}
	}
	mk := s.Markets[m.Asset]
	margin := size.Abs().Add(delta.Abs()).Mul(mk.MarkPrice).Div(decimal.NewFromInt(5)).Ceil()
	if margin.IsPositive() {
		if err := d.Mint(ctx, d.Book.Collateral.Symbol, signer.Address(), margin); err != nil {
			return err
		}
		for _, a := range []hedge.Step{
			{Kind: hedge.StepApprove, Amount: margin},
			{Kind: hedge.StepDeposit, Asset: m.Asset, Amount: margin},
		} {
			if _, err := v.Execute(ctx, a); err != nil {
				return err
			}
		}
	}
	worst := mk.MarkPrice.Mul(decimal.RequireFromString("1.05"))
	if delta.IsNegative() {
		worst = mk.MarkPrice.Mul(decimal.RequireFromString("0.95"))
	}
	_, err = v.Execute(ctx, hedge.Step{Kind: hedge.StepTrade, Asset: m.Asset, SizeDelta: delta, AcceptablePrice: worst})
	return err
}

func (b *AddressBook) marketList() string {
	s := ""
	for i, m := range b.Markets {
		if i > 0 {
			s += ", "
		}
		s += m.Asset
	}
	return s
}
