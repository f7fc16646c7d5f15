package hedge

// The venue seam, modelled on database/sql/driver: one small required
// interface (Venue) and optional capabilities that callers discover with a
// type assertion. The planner speaks only in the venue-neutral terms of this
// file; an adapter (hedge/perpvenue, later GMX) turns its chain state into a
// Snapshot and compiles Orders into the transactions it sends.
//
// Sign conventions, one per layer:
//   - venue sign (Order.SizeDelta, Position.Size, Step.SizeDelta,
//     PendingOrder.SizeDelta): signed base units, + buys (longer), − sells
//     (shorter). A short position has a negative Size.
//   - short sign (AssetPlan.CurrentSize/TargetSize, AssetStatus.ShortSize and
//     the planner's internals): the size of the short, + = short; a long is
//     negative.
//   - collateral sign (Order.CollateralDelta): + moves collateral from the
//     margin account into the position, − takes it back.
//   - user's side for money (funding, carry, PnL): + received, − paid.

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Venue is what every adapter implements. Snapshot reads one cycle's state;
// Compile turns the planner's orders into the venue's transactions (approve,
// deposit, trade, multicall, …) in the order they must be sent; Submit sends
// one of them. A synchronous venue returns a settled Submission; an
// asynchronous one (a keeper executes later) returns Pending and lists the
// order in the next Snapshot's Pending until it is executed or cancelled.
type Venue interface {
	Snapshot(ctx context.Context) (*Snapshot, error)
	Compile(s *Snapshot, orders []Order) ([]Step, error)
	Submit(ctx context.Context, st Step) (Submission, error)
}

// Order is one venue-neutral instruction of a plan, on one market.
type Order struct {
	Market string `json:"market"` // Market.Key
	Asset  string `json:"asset"`
	// SizeDelta is the trade, venue sign; zero for a collateral-only order.
	SizeDelta decimal.Decimal `json:"size_delta"`
	// Close asks for the whole position to be closed (SizeDelta is then
	// minus the position, for display and the caps).
	Close bool `json:"close,omitempty"`
	// CollateralDelta is collateral sign, in collateral units; the adapter
	// moves it before an increase and after a decrease.
	CollateralDelta decimal.Decimal `json:"collateral_delta"`
	// WithdrawAll returns whatever margin is left once the trade ran.
	WithdrawAll bool `json:"withdraw_all,omitempty"`
	// AcceptablePrice is the worst fill: lowest for a sell, highest for a buy.
	AcceptablePrice decimal.Decimal `json:"acceptable_price"`
	// CapPrice is the highest price the trade can count at for the notional
	// caps: the acceptable price for a buy, reference × (1 + slippage) for a
	// sell (a sell's acceptable price is a lower bound, not the worst case).
	CapPrice decimal.Decimal `json:"cap_price"`
	Intent   Intent          `json:"intent"`
	Reason   string          `json:"reason"` // of the trade, one line
	// CollateralIntent and CollateralReason describe the collateral part,
	// which may have another purpose than the trade (a liquidation-floor
	// top-up before a rebalance).
	CollateralIntent Intent `json:"collateral_intent,omitempty"`
	CollateralReason string `json:"collateral_reason,omitempty"`
}

// HasTrade says whether o changes the position size.
func (o Order) HasTrade() bool { return o.Close || !o.SizeDelta.IsZero() }

// Intent says why an order (or a step of it) is placed; the journal records
// it for the user and a tax adviser.
type Intent string

const (
	IntentApprove       Intent = "approve"            // allowance for what follows
	IntentHedge         Intent = "hedge"              // open a short (or its margin) from nothing
	IntentRebalance     Intent = "rebalance"          // bring a short back into its band
	IntentFundingReduce Intent = "reduce-for-funding" // cut the short while funding costs too much
	IntentTopUp         Intent = "margin-top-up"      // margin added with no trade (leverage, liquidation floor)
	IntentClose         Intent = "close"              // close a short and withdraw its margin
	IntentClaim         Intent = "claim"              // collect claimable funding or rebates
)

// StepKind names what one compiled transaction does. StepTrade is the one
// kind every venue shares (it changes a position, and the notional caps and
// the journal's daily total count it); adapters name their others.
type StepKind string

const (
	StepTrade StepKind = "trade"
	StepClaim StepKind = "claim" // collect claimables
)

// Step is one transaction an adapter compiled from orders, as the user
// confirms it and the journal records it. Order is the index of the order
// it belongs to, or −1 for a step shared by several (an approval).
type Step struct {
	Kind   StepKind        `json:"kind"`
	Asset  string          `json:"asset,omitempty"`
	Amount decimal.Decimal `json:"amount"`        // collateral units moved (or allowed)
	All    bool            `json:"all,omitempty"` // withdraw everything left
	// Unlimited is an approval of any amount (MaxApprover).
	Unlimited bool `json:"unlimited,omitempty"`
	// Trade fields, venue sign.
	SizeDelta       decimal.Decimal `json:"size_delta"`
	AcceptablePrice decimal.Decimal `json:"acceptable_price"`
	CapPrice        decimal.Decimal `json:"-"`
	Reason          string          `json:"reason"`
	Intent          Intent          `json:"intent"`
	Order           int             `json:"-"`
	// Payload is the adapter's own compiled form (calldata, value); callers
	// never read it.
	Payload any `json:"-"`
}

// Submission is what Submit returns: Ref identifies the order at the venue
// (a transaction hash on a synchronous venue, an order key on GMX), Tx the
// transaction that carried it, and Pending whether a keeper still has to
// execute or cancel it.
type Submission struct {
	Ref     string `json:"ref"`
	Tx      string `json:"tx"`
	Pending bool   `json:"pending"`
}

// RevertedError is a step whose transaction was sent and mined, and
// reverted: it used a nonce and paid gas, so it counts as sent, though it
// changed nothing on the venue. Venues return it (wrapping the node-level
// error) so callers can tell it from a step that never left.
type RevertedError struct {
	Tx     string // the transaction's hash
	Block  uint64 // the block it was mined in
	Reason string // the decoded revert reason
	Err    error
}

func (e *RevertedError) Error() string {
	return fmt.Sprintf("transaction %s was sent and mined in block %d, and reverted: %s", e.Tx, e.Block, e.Reason)
}

func (e *RevertedError) Unwrap() error { return e.Err }

// OrderStatus is where a submitted order stands.
type OrderStatus string

const (
	OrderPending   OrderStatus = "pending"
	OrderExecuted  OrderStatus = "executed"
	OrderCancelled OrderStatus = "cancelled"
	OrderFrozen    OrderStatus = "frozen" // a limit order the keeper froze; it needs the user
)

// PendingOrder is an order the venue holds but has not executed yet. While
// one is in flight on a market the planner sends nothing there: the position
// alone would double the short.
type PendingOrder struct {
	Ref             string          `json:"ref"`
	Market          string          `json:"market"`
	Asset           string          `json:"asset"`
	SizeDelta       decimal.Decimal `json:"size_delta"` // venue sign
	CollateralDelta decimal.Decimal `json:"collateral_delta"`
	Close           bool            `json:"close,omitempty"`
	CreatedAt       time.Time       `json:"created_at"`
	Block           uint64          `json:"block"`
}

// Settlement is an order's outcome once the venue has handled it.
type Settlement struct {
	Ref    string          `json:"ref"`
	Status OrderStatus     `json:"status"`
	Fill   decimal.Decimal `json:"fill_price"` // executed orders
	Fee    decimal.Decimal `json:"fee"`        // venue fees paid, collateral units
	Reason string          `json:"reason,omitempty"`
}

// Claimable is an amount the venue owes the account (received funding on
// GMX), counted in equity and exposure and collected by a claim.
type Claimable struct {
	Market string          `json:"market"`
	Token  string          `json:"token"`
	Asset  string          `json:"asset"` // what it counts as ("ETH" for WETH, "USD" for USDC)
	Amount decimal.Decimal `json:"amount"`
}

// Estimate is the cost and fate of one step ahead of sending it.
type Estimate struct {
	Gas uint64 `json:"gas"`
	Err string `json:"err,omitempty"` // why the step would fail, if it would
}

// ---------------------------------------------------------- capabilities

// Settler is an asynchronous venue: Settle waits (until ctx ends) for a
// submitted order to be executed or cancelled. A synchronous venue need not
// implement it: its Submissions are never Pending.
type Settler interface {
	Settle(ctx context.Context, ref string) (Settlement, error)
}

// Estimator estimates steps as if the earlier ones had run.
type Estimator interface {
	Estimate(ctx context.Context, steps []Step) ([]Estimate, error)
}

// MaxApprover turns an approval step into an unlimited one (--approve-max);
// ok is false for a step that is no approval.
type MaxApprover interface {
	ApproveMax(st Step) (out Step, ok bool)
}

// FreshnessChecker refuses a plan built on a state older than what the
// account is known to have done (a lagging node, transactions sent since).
type FreshnessChecker interface {
	CheckFresh(ctx context.Context, block uint64) error
}

// CarryHistory fills each market's FundingBefore for the rolling funding
// window (window(asset); 0 = off).
type CarryHistory interface {
	FillCarryWindow(ctx context.Context, s *Snapshot, window func(asset string) time.Duration) error
}

// BetaEstimator fills s.Betas for cross-asset holdings from price history.
type BetaEstimator interface {
	EstimateBetas(ctx context.Context, s *Snapshot, ps Policies) error
}

// Claimer compiles the claim of what s.Claimables lists (steps of kind
// StepClaim, intent IntentClaim).
type Claimer interface {
	Claim(s *Snapshot) ([]Step, error)
}

// GasCoster prices gas in USD: gas units at the fee a transaction would be
// signed with now (the fee cap: never cheaper than it will be), times the
// native coin's price in s. Automatic claims weigh claimables against it.
type GasCoster interface {
	GasCostUSD(ctx context.Context, s *Snapshot, gas uint64) (decimal.Decimal, error)
}

// Reconciler settles what an interrupted send left unfinished (a journal
// entry whose transaction was not seen mined) before the next plan; n is
// how many entries changed.
type Reconciler interface {
	Reconcile(ctx context.Context) (summary string, n int, err error)
}

// StaleError is a plan refused because the venue's state is older than
// what the account has done. Pending says the account has transactions
// still in flight (wait for them); otherwise the node lags behind what the
// journal knows was mined.
type StaleError struct {
	Msg     string
	Pending bool
}

func (e *StaleError) Error() string { return e.Msg }

// ------------------------------------------------------------ models

// MarginModel is how the venue margins a short and when it liquidates it.
// Sizes are short sign (positive short), money in collateral units.
type MarginModel interface {
	// MaxLeverage is the venue's own cap (0 = none).
	MaxLeverage() decimal.Decimal
	// LiquidationPrice of a position (0 = none).
	LiquidationPrice(p Position) decimal.Decimal
	// FloorEquity is the equity a short of size q needs at price so that its
	// liquidation price stays floor (a fraction) above price.
	FloorEquity(q, price, floor decimal.Decimal) decimal.Decimal
}

// CostModel is what the venue charges for a trade of size (venue sign) at
// price: position fee, price impact and fixed fees, in collateral units.
type CostModel interface {
	TradeCost(size, price decimal.Decimal) decimal.Decimal
}

// LinearMargin is isolated margin liquidated at maintenance × notional
// (PerpVenue's model).
type LinearMargin struct {
	Maintenance decimal.Decimal // fraction
	Leverage    decimal.Decimal // venue's max leverage
}

func (m LinearMargin) MaxLeverage() decimal.Decimal { return m.Leverage }

func (m LinearMargin) LiquidationPrice(p Position) decimal.Decimal {
	return liquidationPrice(p, m.Maintenance)
}

// FloorEquity: a short liquidates at (E + q·P)/(q·(1+mm)); that is at least
// P·(1+floor) when E ≥ q·P·((1+mm)(1+floor) − 1).
func (m LinearMargin) FloorEquity(q, price, floor decimal.Decimal) decimal.Decimal {
	return floorEquity(q, price, m.Maintenance, floor)
}

// LinearCost is a taker fee proportional to notional plus a fixed fee per
// trade (PerpVenue: no fixed fee; its skew impact is inside its mark).
type LinearCost struct {
	TakerFee decimal.Decimal // fraction of notional
	Fixed    decimal.Decimal // per trade, collateral units
}

func (c LinearCost) TradeCost(size, price decimal.Decimal) decimal.Decimal {
	if size.IsZero() {
		return decimal.Zero
	}
	return size.Abs().Mul(price).Mul(c.TakerFee).Add(c.Fixed)
}

// MarketRules are a market's order limits; zero means none.
type MarketRules struct {
	SizeStep      decimal.Decimal // sizes are multiples of it (default 10^−SizeDecimals)
	MinSize       decimal.Decimal // smallest trade, base units
	MinCollateral decimal.Decimal // smallest margin an open position may carry
}
