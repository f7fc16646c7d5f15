package gmx

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts/gmx"
)

// Devnet drives a local GMX (the fixture on anvil or the embedded chain) as
// its keeper/CONTROLLER account: prices, test tokens, liquidity, config.
type Devnet struct {
	Client *chain.Client
	Book   *Book
	Keeper *Keeper
	Prices *Prices
}

// NewDevnet makes the devnet helpers and a keeper sharing one price table.
// Initial keeper prices are the fixture's mock feed answers (WETH 5000,
// USDC 1).
func NewDevnet(c *chain.Client, b *Book) (*Devnet, error) {
	p := NewPrices()
	k, err := NewKeeper(c, b, p)
	if err != nil {
		return nil, err
	}
	p.Set(b.Tokens["WETH"], decimal.NewFromInt(5000))
	p.Set(b.Tokens["USDC"], decimal.NewFromInt(1))
	p.Set(b.Tokens["USDT"], decimal.NewFromInt(1))
	p.Set(b.Tokens["GMX"], decimal.NewFromInt(100))
	return &Devnet{Client: c, Book: b, Keeper: k, Prices: p}, nil
}

func (d *Devnet) send(ctx context.Context, s chain.Signer, to common.Address, data []byte, value *big.Int) error {
	_, err := SendFixedGas(ctx, d.Client, s, to, data, value, 3_000_000)
	return err
}

// SetPrice moves a token's MockPriceFeed (8 decimals) and the keeper's
// price together, so the keeper's signed price stays within GMX's reference
// deviation limit.
func (d *Devnet) SetPrice(ctx context.Context, symbol string, usd decimal.Decimal) error {
	t, ok := d.Book.Tokens[symbol]
	if !ok {
		return fmt.Errorf("set-price: unknown token %s", symbol)
	}
	if !usd.IsPositive() {
		return fmt.Errorf("set-price: price must be positive")
	}
	if t.PriceFeed != (common.Address{}) {
		if err := d.send(ctx, d.Keeper.key, t.PriceFeed, feedABI.PackSetAnswer(usd.Shift(8).Round(0).BigInt()), nil); err != nil {
			return fmt.Errorf("set-price %s: %w", symbol, err)
		}
	}
	d.Prices.Set(t, usd)
	return nil
}

// Fund mints amount (whole tokens) of a test token to `to` (MintableToken
// and WNT have a public mint on the fixture).
func (d *Devnet) Fund(ctx context.Context, symbol string, to common.Address, amount decimal.Decimal) error {
	t, ok := d.Book.Tokens[symbol]
	if !ok {
		return fmt.Errorf("fund: unknown token %s", symbol)
	}
	units := amount.Shift(int32(t.Decimals)).Floor().BigInt()
	if err := d.send(ctx, d.Keeper.key, t.Address, tokenABI.PackMint(to, units), nil); err != nil {
		return fmt.Errorf("fund %s: %w", symbol, err)
	}
	return nil
}

// ConfigValue is one DataStore.setUint the market configuration applies.
type ConfigValue struct {
	Name  string
	Key   common.Hash
	Value *big.Int
}

func pct(s string) *big.Int { // percentageToFloat: 1% = 1e28
	return decimal.RequireFromString(s).Shift(28).BigInt()
}
func expf(s string) *big.Int { // exponentToFloat / decimalToFloat: 1 = 1e30
	return decimal.RequireFromString(s).Shift(30).BigInt()
}

// ArbitrumETHConfig is the realistic configuration of a market: the values
// of Arbitrum's ETH/USD [WETH-USDC] market in gmx-synthetics a5c0c883,
// config/markets.ts (baseMarketConfig, overridden by that market's entry)
// and config/general.ts (gas limits, execution-fee estimate). Funding uses
// the static fundingFactor/exponent of baseMarketConfig (the adaptive
// funding-rate keys stay 0); borrowing uses baseMarketConfig's
// borrowingFactor/exponent (the kinked-rate keys stay 0).
func ArbitrumETHConfig(market common.Address) []ConfigValue {
	u := func(n uint64) *big.Int { return new(big.Int).SetUint64(n) }
	return []ConfigValue{
		{"positionFeeFactorForPositiveImpact 0.04%", KeyPositionFeeFactor(market, true), pct("0.04")},
		{"positionFeeFactorForNegativeImpact 0.06%", KeyPositionFeeFactor(market, false), pct("0.06")},
		{"positivePositionImpactFactor 3e-11", KeyPositionImpactFactor(market, true), expf("3e-11")},
		{"negativePositionImpactFactor 9e-11", KeyPositionImpactFactor(market, false), expf("9e-11")},
		{"positivePositionImpactExponentFactor 1", KeyPositionImpactExponentFactor(market, true), expf("1")},
		{"negativePositionImpactExponentFactor 2", KeyPositionImpactExponentFactor(market, false), expf("2")},
		{"positiveMaxPositionImpactFactor 0.4%", KeyMaxPositionImpactFactor(market, true), pct("0.4")},
		{"negativeMaxPositionImpactFactor 0.5%", KeyMaxPositionImpactFactor(market, false), pct("0.5")},
		{"minCollateralFactor 0.5%", KeyMinCollateralFactor(market), pct("0.5")},
		{"fundingFactor 2e-8", KeyFundingFactor(market), expf("2e-8")},
		{"fundingExponentFactor 1", KeyFundingExponentFactor(market), expf("1")},
		{"borrowingFactor long 6.25e-9", KeyBorrowingFactor(market, true), expf("6.25e-9")},
		{"borrowingFactor short 6.25e-9", KeyBorrowingFactor(market, false), expf("6.25e-9")},
		{"borrowingExponentFactor long 1", KeyBorrowingExponentFactor(market, true), expf("1")},
		{"borrowingExponentFactor short 1", KeyBorrowingExponentFactor(market, false), expf("1")},
		{"increaseOrderGasLimit 3.9M", KeyIncreaseOrderGasLimit, u(3_900_000)},
		{"decreaseOrderGasLimit 3.9M", KeyDecreaseOrderGasLimit, u(3_900_000)},
		{"singleSwapGasLimit 1M", KeySingleSwapGasLimit, u(1_000_000)},
		{"depositGasLimit 2.05M", KeyDepositGasLimit, u(2_050_000)},
		{"estimatedGasFeeBaseAmount 600k", KeyEstimatedGasFeeBaseAmount, u(600_000)},
		{"estimatedGasPerOraclePrice 250k", KeyEstimatedGasFeePerOracle, u(250_000)},
		{"estimatedGasFeeMultiplierFactor 1x", KeyEstimatedGasFeeMultiplier, expf("1")},
		{"executionGasFeeBaseAmount 600k", KeyExecutionGasFeeBaseAmount, u(600_000)},
		{"executionGasPerOraclePrice 250k", KeyExecutionGasFeePerOracle, u(250_000)},
		{"executionGasFeeMultiplierFactor 1x", KeyExecutionGasFeeMultiplier, expf("1")},
	}
}

// ApplyConfig writes values with DataStore.setUint as CONTROLLER.
func (d *Devnet) ApplyConfig(ctx context.Context, values []ConfigValue) error {
	for _, v := range values {
		if err := d.send(ctx, d.Keeper.key, d.Book.Contracts.DataStore, dataStoreABI.PackSetUint(v.Key, v.Value), nil); err != nil {
			return fmt.Errorf("config %s: %w", v.Name, err)
		}
	}
	return nil
}

// Setup seeds a market's pool with liquidity (createDeposit from the keeper
// account, executed by the keeper) and applies the Arbitrum ETH market's
// configuration. longAmount/shortAmount are whole tokens.
func (d *Devnet) Setup(ctx context.Context, m Market, longAmount, shortAmount decimal.Decimal) error {
	lp := d.Keeper.key
	if err := d.Fund(ctx, m.Long.Symbol, lp.Address(), longAmount); err != nil {
		return err
	}
	if err := d.Fund(ctx, m.Short.Symbol, lp.Address(), shortAmount); err != nil {
		return err
	}
	long := longAmount.Shift(int32(m.Long.Decimals)).Floor().BigInt()
	short := shortAmount.Shift(int32(m.Short.Decimals)).Floor().BigInt()
	maxUint := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	for _, t := range []Token{m.Long, m.Short} {
		if err := d.send(ctx, lp, t.Address, tokenABI.PackApprove(d.Book.Contracts.Router, maxUint), nil); err != nil {
			return fmt.Errorf("setup: approve %s: %w", t.Symbol, err)
		}
	}
	fee := big.NewInt(1e16) // 0.01 ETH; the surplus is refunded after execution
	// 6M: the first deposit into a market with no liquidity yet (WBTC) ran
	// out of 3M on the embedded chain.
	cr := d.Book.Contracts
	calls := [][]byte{
		exchangeRouterABI.PackSendWnt(cr.DepositVault, fee),
		exchangeRouterABI.PackSendTokens(m.Long.Address, cr.DepositVault, long),
		exchangeRouterABI.PackSendTokens(m.Short.Address, cr.DepositVault, short),
		exchangeRouterABI.PackCreateDeposit(gmx.IDepositUtilsCreateDepositParams{
			Addresses: gmx.IDepositUtilsCreateDepositParamsAddresses{
				Receiver: lp.Address(), Market: m.MarketToken, InitialLongToken: m.Long.Address, InitialShortToken: m.Short.Address,
				LongTokenSwapPath: []common.Address{}, ShortTokenSwapPath: []common.Address{},
			},
			MinMarketTokens: new(big.Int), ExecutionFee: fee, CallbackGasLimit: new(big.Int), DataList: [][32]byte{},
		}),
	}
	if _, err := SendFixedGas(ctx, d.Client, lp, cr.ExchangeRouter, exchangeRouterABI.PackMulticall(calls), fee, 6_000_000); err != nil {
		return fmt.Errorf("setup: createDeposit: %w", err)
	}
	delay := d.Keeper.Delay
	d.Keeper.Delay = 0 // seeding is not a rehearsal of a slow keeper
	ex, err := d.Keeper.Once(ctx)
	d.Keeper.Delay = delay
	if err != nil {
		return fmt.Errorf("setup: executeDeposit: %w", err)
	}
	executed := false
	for _, e := range ex {
		for _, ev := range e.Events {
			if ev.Name == "DepositExecuted" {
				executed = true
			}
			if ev.Name == "DepositCancelled" {
				return fmt.Errorf("setup: deposit cancelled: %s", ev.Reason())
			}
		}
	}
	if !executed {
		return fmt.Errorf("setup: the keeper did not execute the deposit")
	}
	return d.ApplyConfig(ctx, ArbitrumETHConfig(m.MarketToken))
}
