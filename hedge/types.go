// Package hedge is the policy core of hedger: exposure, targets, drift and
// plans, in decimal arithmetic. It imports nothing from go-ethereum; adapters
// (see hedge/onchain) turn chain state into a Snapshot and execute Actions.
package hedge

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// Holding is one balance of one watch-only spot wallet, already in whole
// units of the asset (e.g. 1.5 ETH, not wei).
type Holding struct {
	Wallet string          `json:"wallet"` // address as text; hedge/ never parses it
	Asset  string          `json:"asset"`  // underlying asset symbol the balance counts as ("ETH", "BTC")
	Token  string          `json:"token"`  // what is held: "native" or the token symbol ("WETH", "WBTC")
	Amount decimal.Decimal `json:"amount"` // whole units of Asset
	// TokenAmount is the balance in units of Token (for a liquid-staking
	// token, wrapped units); Amount is what it is worth in Asset.
	TokenAmount decimal.Decimal `json:"token_amount"`
	// Rate is Asset per Token (wstETH's stEthPerToken) for a wrapped or
	// liquid-staking token; nil for coins and plain tokens. Such holdings are
	// the staked part that earns the policy's staking APR.
	Rate *decimal.Decimal `json:"rate,omitempty"`
}

// Market is the venue's view of one perpetual market at the snapshot block.
// Prices are USD per whole unit; rates are fractions (0.0001 = 1 bp).
type Market struct {
	ID                uint64
	Asset             string // underlying symbol, e.g. "ETH"
	IndexPrice        decimal.Decimal
	MarkPrice         decimal.Decimal
	FundingRatePerDay decimal.Decimal // venue convention: > 0 means longs pay shorts
	MaxLeverage       decimal.Decimal // venue's own cap, e.g. 20
	MaintenanceMargin decimal.Decimal // fraction, e.g. 0.05
	TakerFee          decimal.Decimal // fraction of notional, e.g. 0.0005
	SkewScale         decimal.Decimal // base units; mark = index * (1 + skew/skewScale)
	Skew              decimal.Decimal // net open interest, base units (long − short)
	Paused            bool
	FundingSuspended  bool
	// OracleUpdatedAt is when the index price was last written (the
	// feed's updatedAt); zero when unknown, which the risk checks treat as stale.
	OracleUpdatedAt time.Time
	// FundingIndex is the venue's cumulative funding per unit; it must move
	// while time passes at a non-zero rate. Zero when the venue has none.
	FundingIndex decimal.Decimal
	// FundingBefore is FundingIndex at the start of the rolling funding
	// window (an earlier block); zero Time when unknown.
	FundingBefore FundingMark
}

// FundingMark is a market's cumulative funding index at one earlier block.
type FundingMark struct {
	Block uint64
	Time  time.Time
	Index decimal.Decimal
}

// Position is the signing account's isolated position in one market.
type Position struct {
	Size           decimal.Decimal // signed base units, negative = short
	EntryPrice     decimal.Decimal
	Margin         decimal.Decimal // deposited margin after settled PnL, funding and fees (USD)
	AccruedFunding decimal.Decimal // unsettled funding from the user's side: + received, − paid
	UnrealizedPnL  decimal.Decimal // at mark
}

// Equity is what the position is worth to the user right now (USD).
func (p Position) Equity() decimal.Decimal {
	return p.Margin.Add(p.AccruedFunding).Add(p.UnrealizedPnL)
}

// Snapshot is everything one cycle read, pinned to one block.
type Snapshot struct {
	ChainID  uint64
	Block    uint64
	Time     time.Time
	Account  string              // signing (margin) account, "" when watch-only
	Holdings []Holding           // spot, from the watch-only wallets
	Markets  map[string]Market   // by asset symbol
	Position map[string]Position // by asset symbol; zero value when none
	// Collateral is the signing account's stablecoin balance (whole units)
	// and the venue's allowance to pull it.
	Collateral          decimal.Decimal
	CollateralAllowance decimal.Decimal
	CollateralSymbol    string
	CollateralDecimals  int32 // deposits are rounded up to this many places
	// Prices are the feed prices of held assets that have no market of
	// their own (cross-asset hedges), by asset symbol.
	Prices map[string]FeedPrice
	// Betas are estimates for assets whose policy asks for beta = auto,
	// by asset symbol; the caller fills them from price history (feeds or a
	// CSV). A cross-asset holding with beta = auto and no estimate is not hedged.
	Betas map[string]BetaEstimate
}

// FeedPrice is one feed's latest answer.
type FeedPrice struct {
	Price     decimal.Decimal
	UpdatedAt time.Time
}

// ActionKind names what an Action does on chain.
type ActionKind string

const (
	ActApprove  ActionKind = "approve"  // allow the venue to pull exactly Amount collateral
	ActDeposit  ActionKind = "deposit"  // move Amount collateral into the market's isolated margin
	ActWithdraw ActionKind = "withdraw" // move Amount margin back to the signing account
	ActTrade    ActionKind = "trade"    // change the position by SizeDelta (negative = sell)
)

// Intents say why an action is taken; the journal records them for the user
// (and a tax adviser) to read.
const (
	IntentApprove       = "approve"            // allowance for the deposits that follow
	IntentHedge         = "hedge"              // open a short (or its margin) from nothing
	IntentRebalance     = "rebalance"          // bring a short back into its band
	IntentFundingReduce = "reduce-for-funding" // cut the short while funding costs too much
	IntentTopUp         = "margin-top-up"      // margin added with no trade (leverage, liquidation floor)
	IntentClose         = "close"              // close a short and withdraw its margin
)

// Action is one transaction of a plan.
type Action struct {
	Kind   ActionKind      `json:"kind"`
	Asset  string          `json:"asset,omitempty"` // market asset; empty for approve
	Amount decimal.Decimal `json:"amount"`          // collateral units for approve/deposit/withdraw
	All    bool            `json:"all,omitempty"`   // withdraw: all margin left once the earlier actions ran
	// Trade fields.
	SizeDelta       decimal.Decimal `json:"size_delta"`       // signed base units
	AcceptablePrice decimal.Decimal `json:"acceptable_price"` // worst fill: min for sells, max for buys
	Reason          string          `json:"reason"`           // one line a person can read
	Intent          string          `json:"intent"`           // one of the Intent constants
}

// AssetPlan explains the decision for one asset, whether or not it acts.
type AssetPlan struct {
	Asset       string          `json:"asset"`
	Exposure    decimal.Decimal `json:"exposure_usd"` // USD at index price
	SpotAmount  decimal.Decimal `json:"spot_amount"`  // whole units
	CurrentSize decimal.Decimal `json:"current_size"` // short size now, positive number
	TargetSize  decimal.Decimal `json:"target_size"`  // short size wanted, positive number
	Drift       decimal.Decimal `json:"drift"`        // (current − target) / target; 0 when both are 0
	WithinBand  bool            `json:"within_band"`
	Note        string          `json:"note,omitempty"` // why nothing is done, or what limited the action
	// Shortfall is the collateral missing to reach the target at the
	// leverage cap; non-zero means the plan hedges less than asked.
	Shortfall decimal.Decimal `json:"shortfall"`
	// Cross-asset hedge of an asset with no market: the market whose short
	// carries it, the beta used, the estimate behind it (window, residual
	// volatility), and a warning that such a hedge is imperfect.
	HedgedVia   string           `json:"hedged_via,omitempty"`
	Beta        *decimal.Decimal `json:"beta,omitempty"`
	BetaWindow  string           `json:"beta_window,omitempty"`
	ResidualVol *decimal.Decimal `json:"residual_vol,omitempty"` // annualised, of the hedged position's returns
	Warning     string           `json:"warning,omitempty"`
	// CrossTargetSize is the part of a market's TargetSize that hedges
	// other assets (Σ ratio × beta × exposure / mark); nil when none.
	CrossTargetSize *decimal.Decimal `json:"cross_target_size,omitempty"`
}

// Plan is the ordered list of actions that takes the chain from the snapshot
// to the policy's targets. An empty Actions means "within band, nothing to do".
type Plan struct {
	Block   uint64      `json:"block"`
	Assets  []AssetPlan `json:"assets"`
	Actions []Action    `json:"actions"`
}

// Venue is what the planner's callers need from an exchange. Adapters
// implement it over real contracts.
type Venue interface {
	// Snapshot reads all state for one cycle at one block.
	Snapshot(ctx context.Context) (*Snapshot, error)
	// Execute sends one action and waits until it is mined; it returns the
	// transaction hash.
	Execute(ctx context.Context, a Action) (string, error)
}
