// Package hedge is the policy core of hedger: exposure, targets, drift and
// plans, in decimal arithmetic. It imports nothing from go-ethereum; adapters
// (see hedge/perpvenue and venue.go) turn chain state into a Snapshot and
// compile Orders into their transactions.
package hedge

import (
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
	// ChainID and Block say where a holding read on another chain than the
	// venue's was read (a SpotSource); zero for the venue snapshot's own.
	ChainID uint64 `json:"chain_id,omitempty"`
	Block   uint64 `json:"block,omitempty"`
}

// Market is the venue's view of one perpetual market at the snapshot block.
// Prices are USD per whole unit; rates are fractions (0.0001 = 1 bp).
type Market struct {
	// Key is how the venue names the market (an ID, an address); orders
	// carry it back. The planner keys markets by Asset: an adapter offers one
	// market per asset.
	Key               string
	Asset             string // underlying symbol, e.g. "ETH"
	IndexPrice        decimal.Decimal
	MarkPrice         decimal.Decimal
	FundingRatePerDay decimal.Decimal // venue convention: > 0 means longs pay shorts
	// BorrowRatePerDay is what a short pays to borrow, per day of notional
	// (≥ 0; zero on a venue without borrowing fees).
	BorrowRatePerDay  decimal.Decimal
	MaxLeverage       decimal.Decimal // venue's own cap, e.g. 20
	MaintenanceMargin decimal.Decimal // fraction, e.g. 0.05
	TakerFee          decimal.Decimal // fraction of notional, e.g. 0.0005
	// Margin and Cost are the adapter's models; nil means the linear ones
	// built from MaintenanceMargin, MaxLeverage and TakerFee.
	Margin           MarginModel
	Cost             CostModel
	Rules            MarketRules
	Paused           bool
	Benched          string // why the adapter stopped trading it (GMX: repeated cancellations, decoded); Paused comes with it
	FundingSuspended bool
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

// Position is one of the signing account's positions, keyed as the venue
// keys them (PerpVenue: the market; GMX: market, collateral and side). The
// planner nets an asset's positions into one.
type Position struct {
	Key            string
	Market         string // Market.Key
	Asset          string
	Size           decimal.Decimal // signed base units, negative = short
	EntryPrice     decimal.Decimal
	Margin         decimal.Decimal // deposited margin after settled PnL, funding and fees (USD)
	AccruedFunding decimal.Decimal // unsettled funding and borrowing from the user's side: + received, − paid
	// AccruedBorrowing is the borrowing-fee part of AccruedFunding (≤ 0,
	// user's side); zero on a venue without borrowing fees.
	AccruedBorrowing decimal.Decimal
	UnrealizedPnL    decimal.Decimal // at mark
}

// Equity is what the position is worth to the user right now (USD).
func (p Position) Equity() decimal.Decimal { return equity(p) }

// Snapshot is everything one cycle read, pinned to one block.
type Snapshot struct {
	ChainID   uint64
	Block     uint64
	Time      time.Time
	Account   string            // signing (margin) account, "" when watch-only
	Holdings  []Holding         // spot, from the watch-only wallets
	Markets   map[string]Market // by asset symbol
	Positions []Position        // as the venue keys them
	// Pending are orders the venue holds and has not executed yet; the
	// planner sends nothing on their markets until they settle.
	Pending []PendingOrder
	// Claimables are what the venue owes the account (received funding).
	Claimables []Claimable
	// Collateral is the signing account's stablecoin balance (whole units).
	Collateral         decimal.Decimal
	CollateralSymbol   string
	CollateralDecimals int32 // deposits are rounded up to this many places
	// Native is the margin account's native coin (gas, execution fees).
	Native decimal.Decimal
	// Adapter is the adapter's own state for Compile (PerpVenue: the
	// collateral allowance); the planner never reads it.
	Adapter any
	// Prices are the feed prices of held assets that have no market of
	// their own (cross-asset hedges), by asset symbol.
	Prices map[string]FeedPrice
	// Betas are estimates for assets whose policy asks for beta = auto,
	// by asset symbol; the caller fills them from price history (feeds or a
	// CSV). A cross-asset holding with beta = auto and no estimate is not hedged.
	Betas map[string]BetaEstimate
}

// PositionOf nets the positions of asset into one (zero value when none).
// Entry price is the size-weighted mean.
func (s *Snapshot) PositionOf(asset string) Position {
	var out Position
	n := 0
	notional := decimal.Zero
	for _, p := range s.Positions {
		if p.Asset != asset {
			continue
		}
		n++
		if n == 1 {
			out = p
			continue
		}
		if n == 2 {
			// Only a second position needs the first one's notional.
			notional = out.Size.Abs().Mul(out.EntryPrice)
		}
		out.Key += "," + p.Key
		out.Size = out.Size.Add(p.Size)
		out.Margin = out.Margin.Add(p.Margin)
		out.AccruedFunding = out.AccruedFunding.Add(p.AccruedFunding)
		out.AccruedBorrowing = out.AccruedBorrowing.Add(p.AccruedBorrowing)
		out.UnrealizedPnL = out.UnrealizedPnL.Add(p.UnrealizedPnL)
		notional = notional.Add(p.Size.Abs().Mul(p.EntryPrice))
	}
	if n > 1 && !out.Size.IsZero() {
		out.EntryPrice = notional.DivRound(out.Size.Abs(), divPrecision)
	}
	return out
}

// PendingOf is the pending orders on asset's markets.
func (s *Snapshot) PendingOf(asset string) []PendingOrder {
	var out []PendingOrder
	for _, p := range s.Pending {
		if p.Asset == asset {
			out = append(out, p)
		}
	}
	return out
}

// ShortCarryPerDay is what a short receives per day of notional, from the
// user's side: funding (+ when longs pay) minus borrowing.
func (m Market) ShortCarryPerDay() decimal.Decimal {
	return m.FundingRatePerDay.Sub(m.BorrowRatePerDay)
}

func (m Market) margin() MarginModel {
	if m.Margin != nil {
		return m.Margin
	}
	return LinearMargin{Maintenance: m.MaintenanceMargin, Leverage: m.MaxLeverage}
}

func (m Market) cost() CostModel {
	if m.Cost != nil {
		return m.Cost
	}
	return LinearCost{TakerFee: m.TakerFee}
}

// FeedPrice is one feed's latest answer.
type FeedPrice struct {
	Price     decimal.Decimal
	UpdatedAt time.Time
	// ChainID and Block say where a price read on a spot chain was read
	// (the venue's chain has no feed for the asset); zero for the venue
	// snapshot's own.
	ChainID uint64
	Block   uint64
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
	// Unhedgeable: a holding no market can carry (no market of its own and
	// no usable hedge_with). It is reported as such, apart from drift: its
	// WithinBand is true since no order could change it.
	Unhedgeable bool `json:"unhedgeable,omitempty"`
	// Pending is how many orders are in flight on this asset's market; the
	// planner holds it until they settle.
	Pending int `json:"pending_orders,omitempty"`
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

// Plan is the ordered list of orders that takes the venue from the snapshot
// to the policy's targets. No Orders means "nothing to do" (see the assets'
// notes for why). The venue compiles Orders into the transactions it sends.
type Plan struct {
	Block  uint64      `json:"block"`
	Assets []AssetPlan `json:"assets"`
	Orders []Order     `json:"orders"`
}
