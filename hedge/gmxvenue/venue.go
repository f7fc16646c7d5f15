// Package gmxvenue is the GMX v2 adapter behind the hedge.Venue seam: it
// maps the GMX client's one-batch snapshot (hedge/gmx) into a venue-neutral
// hedge.Snapshot, compiles the planner's orders into one ExchangeRouter
// multicall per market change (after a one-time Router approval), and waits
// for the keeper's OrderExecuted / OrderCancelled / OrderFrozen.
//
// Orders are asynchronous: a Submission is Pending until a keeper handles
// it, and the account's pending orders are read from the chain in every
// Snapshot, so the planner holds a market with an order in flight also
// across restarts.
package gmxvenue

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/shopspring/decimal"

	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/gmx"
)

var (
	tokenABI          = cgmx.NewMintableToken()
	feedABI           = cgmx.NewMockPriceFeed()
	exchangeRouterABI = cgmx.NewExchangeRouter()
)

// Step kinds of this adapter besides hedge.StepTrade / StepApprove / StepClaim.
const (
	// StepCollateral is an order that only moves collateral (a MarketIncrease
	// or MarketDecrease of size zero).
	StepCollateral hedge.StepKind = "gmx-collateral"
)

// Defaults of the cancellation guard.
const (
	DefaultCancelLimit  = 3
	DefaultCancelWindow = time.Hour
	// DefaultBackoff is the wait before a market is traded again after its
	// second cancellation in the window (doubling with each further one).
	DefaultBackoff = time.Minute
	// DefaultHeadroomBps is added to the computed execution fee (the keeper's
	// gas price may rise before it executes; the surplus is refunded).
	DefaultHeadroomBps = 2000
)

// Venue is the GMX v2 adapter.
type Venue struct {
	Client  *gmx.Client      // Account zero for read-only use; Client.Tx nil then too
	Wallets []common.Address // watch-only spot holders
	// MaxExecutionFee caps the execution fee of one order (wei); nil: none.
	MaxExecutionFee *big.Int
	HeadroomBps     int64
	// CancelLimit cancellations of one market within CancelWindow stop
	// trading it (an alert says why) until the state changes (the reference
	// price moves 1%) or the window has passed since the last of them. The
	// guard is rebuilt from the journal at start: a restart keeps it.
	CancelLimit  int
	CancelWindow time.Duration
	Backoff      time.Duration
	// SettleTimeout bounds how long Settle waits for a keeper (0: until
	// the caller's context ends).
	SettleTimeout time.Duration
	// Poll is how often Settle looks for the order's outcome.
	Poll time.Duration
	// Keep, when set, runs a keeper step while Settle waits (the demo's
	// in-process keeper).
	Keep func(ctx context.Context) error
	// Logf receives notes for the user (cancellations, refunds).
	Logf func(format string, args ...any)

	mu       sync.Mutex
	disc     bool
	feeds    map[common.Address]common.Address // index token -> reference feed
	known    map[common.Hash]knownOrder        // pending orders seen or sent
	cancels  map[string][]cancelRecord         // by asset
	benched  map[string]bench
	outcomes map[common.Hash]hedge.Settlement
}

type knownOrder struct {
	asset string
	block uint64
}

type cancelRecord struct {
	at     time.Time // chain time of the cancelling block
	reason string
	block  uint64
}

type bench struct {
	reason string
	price  decimal.Decimal
	until  time.Time // zero: until the state changes
}

// Capabilities this adapter offers, checked at compile time.
var (
	_ hedge.Venue            = (*Venue)(nil)
	_ hedge.Settler          = (*Venue)(nil)
	_ hedge.Estimator        = (*Venue)(nil)
	_ hedge.MaxApprover      = (*Venue)(nil)
	_ hedge.FreshnessChecker = (*Venue)(nil)
	_ hedge.Claimer          = (*Venue)(nil)
	_ hedge.GasCoster        = (*Venue)(nil)
)

// New makes the adapter over a client (its Discover runs on first use).
func New(c *gmx.Client, wallets []common.Address) *Venue {
	return &Venue{Client: c, Wallets: wallets}
}

func (v *Venue) book() *gmx.Book { return v.Client.Book }

func (v *Venue) logf(format string, args ...any) {
	if v.Logf != nil {
		v.Logf(format, args...)
	}
}

// state is what Compile and Submit need beyond the venue-neutral snapshot:
// the GMX snapshot the plan was made on (Submit updates its allowance,
// collateral and native balance as steps go out).
type state struct {
	gs *gmx.Snapshot
}

// discover reads the reference feeds once per process (feeds change only
// by governance) through the client; this adapter reads the index feeds'
// rounds for the oracle's age.
func (v *Venue) discover(ctx context.Context) error {
	if v.disc {
		return nil
	}
	if err := v.Client.Discover(ctx); err != nil {
		return err
	}
	// The index feeds are the client's (read in its Discover): no read of
	// their own.
	v.feeds = map[common.Address]common.Address{}
	for _, m := range v.book().Markets {
		if f, ok := v.Client.Feed(m.Index.Address); ok {
			v.feeds[m.Index.Address] = f
		}
	}
	v.disc = true
	return v.loadUnsettled(ctx)
}

// loadUnsettled takes from the journal the orders an earlier process
// created whose outcome it never journaled (it exited, or a keeper acted
// after it stopped waiting): the first snapshot that no longer lists one
// looks up and journals what became of it, and counts a cancellation.
// It also rebuilds the cancellation guard from the journaled
// cancellations, so a restart does not clear a bench.
func (v *Venue) loadUnsettled(ctx context.Context) error {
	if v.Client.Tx == nil || v.Client.Tx.Journal() == nil {
		return nil
	}
	recs, err := v.Client.Tx.Journal().Records()
	if err != nil {
		return err
	}
	created := map[common.Hash]knownOrder{}
	settled := map[common.Hash]hedge.OrderStatus{}
	var order []common.Hash
	// The cancellation guard's history: cancellations (and freezes) per
	// asset since the last reset of its bench, with their blocks.
	type journaled struct {
		block  uint64
		reason string
	}
	cancels := map[string][]journaled{}
	for _, r := range recs {
		if r.Intent.Kind == kindGuardReset {
			delete(cancels, r.Intent.Market)
			continue
		}
		key, ok := journalKey(r.Intent.Description)
		if !ok {
			continue
		}
		if (r.Intent.Kind == kindCancelled || r.Intent.Kind == kindFrozen) && r.Outcome != nil && r.Outcome.Block > 0 {
			cancels[r.Intent.Market] = append(cancels[r.Intent.Market], journaled{block: r.Outcome.Block, reason: r.Outcome.Note})
		}
		switch r.Intent.Kind {
		case kindCreated:
			blk := uint64(0)
			if r.Outcome != nil {
				blk = r.Outcome.Block
			}
			created[key] = knownOrder{asset: r.Intent.Market, block: blk}
			order = append(order, key)
		case kindExecuted, kindCancelled, kindFrozen:
			delete(created, key)
			settled[key] = map[string]hedge.OrderStatus{kindExecuted: hedge.OrderExecuted,
				kindCancelled: hedge.OrderCancelled, kindFrozen: hedge.OrderFrozen}[r.Intent.Kind]
		}
	}
	// Only the last CancelLimit of an asset can bench it: read their
	// blocks' times (chain time, as the guard's window is), a few header
	// reads once per process.
	limit := v.cancelLimit()
	rebuilt := map[string][]cancelRecord{}
	for asset, cs := range cancels {
		if len(cs) > limit {
			cs = cs[len(cs)-limit:]
		}
		for _, c := range cs {
			h, err := v.Client.Chain.HeaderByNumber(ctx, new(big.Int).SetUint64(c.block))
			if err != nil {
				return fmt.Errorf("GMX: reading block %d of a journaled cancellation: %w", c.block, err)
			}
			rebuilt[asset] = append(rebuilt[asset], cancelRecord{at: time.Unix(int64(h.Time), 0).UTC(), reason: c.reason, block: c.block})
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.known == nil {
		v.known = map[common.Hash]knownOrder{}
	}
	// An order whose outcome the journal has is settled for this process
	// too: a lagging node may still list it as pending, and when the next
	// snapshot no longer does, its outcome must not be journaled (and a
	// cancellation counted) a second time.
	if v.outcomes == nil {
		v.outcomes = map[common.Hash]hedge.Settlement{}
	}
	for k, st := range settled {
		if _, ok := v.outcomes[k]; !ok {
			v.outcomes[k] = hedge.Settlement{Ref: k.Hex(), Status: st}
		}
	}
	for _, k := range order {
		if o, ok := created[k]; ok {
			v.known[k] = o
		}
	}
	if v.cancels == nil {
		v.cancels = map[string][]cancelRecord{}
	}
	for asset, cs := range rebuilt {
		v.cancels[asset] = append(cs, v.cancels[asset]...)
	}
	return nil
}

// Journal kinds of the GMX lifecycle entries; their description starts
// with "GMX order <key>".
const (
	kindCreated   = "gmx-order-created"
	kindExecuted  = "gmx-order-executed"
	kindCancelled = "gmx-order-cancelled"
	kindFrozen    = "gmx-order-frozen"
	// kindGuardReset: a market's bench was lifted by a changed state (its
	// price moved); the cancellations before it no longer count.
	kindGuardReset = "gmx-guard-reset"
)

func journalKey(desc string) (common.Hash, bool) {
	const prefix = "GMX order "
	if len(desc) < len(prefix)+66 || desc[:len(prefix)] != prefix {
		return common.Hash{}, false
	}
	h := desc[len(prefix) : len(prefix)+66]
	if h[:2] != "0x" {
		return common.Hash{}, false
	}
	return common.HexToHash(h), true
}

// Snapshot reads the head, the GMX state and the spot wallets in ONE
// JSON-RPC batch (the header is part of the batch).
func (v *Venue) Snapshot(ctx context.Context) (*hedge.Snapshot, error) {
	return v.SnapshotAt(ctx, nil)
}

// SnapshotAt reads the GMX state and the spot wallets in ONE JSON-RPC batch
// pinned to head (watch reads at the head it was told of); head nil reads
// the latest block's header in the same batch.
func (v *Venue) SnapshotAt(ctx context.Context, head *types.Header) (*hedge.Snapshot, error) {
	if err := v.discover(ctx); err != nil {
		return nil, err
	}
	// The spot reads ride in the GMX client's batch; the client may send it
	// twice (a block landed mid-batch), so each run queues afresh.
	var sp *spotRead
	gs, err := v.Client.SnapshotWith(ctx, head, func(b gmx.Calls) { sp = v.spotCalls(b) })
	if err != nil {
		return nil, err
	}
	s := sp.finish(gs)
	if err := v.fill(ctx, s, gs); err != nil {
		return nil, err
	}
	return s, nil
}

type feedRound struct {
	updated time.Time
}

// spotRead is the watch-only wallets' reads queued into one batch.
type spotRead struct {
	s       *hedge.Snapshot
	natives map[int]*big.Int
	rounds  map[string]*feedRound
}

// spotCalls queues the watch-only wallets' native and token balances, and
// each market's reference feed round (for the oracle's age), into batch.
func (v *Venue) spotCalls(batch gmx.Calls) *spotRead {
	b := v.book()
	s := &hedge.Snapshot{ChainID: b.ChainID, Markets: map[string]hedge.Market{},
		CollateralSymbol: b.Collateral.Symbol, CollateralDecimals: int32(b.Collateral.Decimals)}
	if v.Client.Account != (common.Address{}) {
		s.Account = v.Client.Account.Hex()
	}
	nativeAsset := ""
	type spotTok struct {
		tok   gmx.Token
		asset string
	}
	var toks []spotTok
	seen := map[common.Address]bool{}
	for _, m := range b.Markets {
		if m.Long.Address == b.Native.Address {
			nativeAsset = m.Asset
		}
		if m.Long.Synthetic || m.Long.Address == b.Collateral.Address || seen[m.Long.Address] || m.Long.Address == (common.Address{}) {
			continue
		}
		seen[m.Long.Address] = true
		toks = append(toks, spotTok{m.Long, m.Asset})
	}
	natives := map[int]*big.Int{}
	for _, w := range v.Wallets {
		if nativeAsset != "" {
			s.Holdings = append(s.Holdings, hedge.Holding{Wallet: w.Hex(), Asset: nativeAsset, Token: "native"})
			natives[len(s.Holdings)-1] = new(big.Int)
			batch.Balance(w, natives[len(s.Holdings)-1])
		}
		for _, t := range toks {
			s.Holdings = append(s.Holdings, hedge.Holding{Wallet: w.Hex(), Asset: t.asset, Token: t.tok.Symbol})
			i, dec := len(s.Holdings)-1, int32(t.tok.Decimals)
			batch.Call(t.tok.Address, tokenABI.PackBalanceOf(w), func(out []byte) error {
				bal, err := tokenABI.UnpackBalanceOf(out)
				if err == nil {
					s.Holdings[i].TokenAmount = decimal.NewFromBigInt(bal, -dec)
					s.Holdings[i].Amount = s.Holdings[i].TokenAmount
				}
				return err
			})
		}
	}
	rounds := map[string]*feedRound{}
	for _, m := range b.Markets {
		f := v.feeds[m.Index.Address]
		if f == (common.Address{}) {
			continue
		}
		r := &feedRound{}
		rounds[m.Asset] = r
		batch.Call(f, feedABI.PackLatestRoundData(), func(out []byte) error {
			x, err := feedABI.UnpackLatestRoundData(out)
			if err == nil && x.Arg3 != nil {
				r.updated = time.Unix(x.Arg3.Int64(), 0).UTC()
			}
			return err
		})
	}
	return &spotRead{s: s, natives: natives, rounds: rounds}
}

// finish completes the spot part once the batch is answered, at the GMX
// snapshot's block.
func (sp *spotRead) finish(gs *gmx.Snapshot) *hedge.Snapshot {
	s := sp.s
	s.Block, s.Time = gs.Block, gs.Time
	for i, wei := range sp.natives {
		s.Holdings[i].Amount = decimal.NewFromBigInt(wei, -18)
		s.Holdings[i].TokenAmount = s.Holdings[i].Amount
	}
	for a, r := range sp.rounds {
		s.Markets[a] = hedge.Market{Asset: a, OracleUpdatedAt: r.updated}
	}
	return s
}

var (
	float30 = decimal.New(1, 30)
	day     = decimal.NewFromInt(86400)
	one     = decimal.NewFromInt(1)
)

func f30(x *big.Int) decimal.Decimal {
	if x == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(x, -30)
}

func units(x *big.Int, dec uint8) decimal.Decimal {
	if x == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(x, -int32(dec))
}

// fill maps the GMX snapshot into s.
func (v *Venue) fill(ctx context.Context, s *hedge.Snapshot, gs *gmx.Snapshot) error {
	b := v.book()
	col := b.Collateral
	s.Collateral = units(gs.Collateral, col.Decimals)
	s.Native = units(gs.Native, 18)
	s.Adapter = &state{gs: gs}
	minColUSD := f30(gs.MinCollateralUSD)
	minPosUSD := f30(gs.MinPositionSizeUSD)
	prices := map[string]decimal.Decimal{}
	for _, m := range b.Markets {
		ms := gs.Markets[m.MarketToken]
		if ms == nil {
			continue
		}
		price := gmx.PriceUSD(orZero(ms.IndexPrice), m.Index.Decimals)
		prices[m.Asset] = price
		mcf := f30(ms.MinCollateralFactor)
		lev := decimal.Zero
		if mcf.IsPositive() {
			lev = one.DivRound(mcf, 8)
		}
		funding, borrow := carryPerDay(ms)
		mk := s.Markets[m.Asset]
		rules := hedge.MarketRules{MinCollateral: minColUSD.RoundCeil(int32(col.Decimals))}
		if price.IsPositive() && minPosUSD.IsPositive() {
			rules.MinSize = minPosUSD.DivRound(price, 18).RoundCeil(8)
		}
		s.Markets[m.Asset] = hedge.Market{
			Key:               m.MarketToken.Hex(),
			Asset:             m.Asset,
			IndexPrice:        price,
			MarkPrice:         price, // GMX fills at the oracle price; impact is in the cost model
			FundingRatePerDay: funding,
			BorrowRatePerDay:  borrow,
			MaxLeverage:       lev,
			MaintenanceMargin: mcf,
			TakerFee:          f30(ms.PositionFeeFactorNegative),
			Margin:            Margin{MinCollateralFactor: mcf, MinCollateralUSD: minColUSD},
			Cost:              Cost{ms: ms, indexDecimals: m.Index.Decimals},
			Rules:             rules,
			// GMX disables order types per market through DataStore flags: a
			// market that cannot both open and reduce is not traded.
			Paused:          ms.Disabled || ms.IncreaseDisabled || ms.DecreaseDisabled,
			OracleUpdatedAt: mk.OracleUpdatedAt,
		}
		// Claimables: long-token (WETH: ETH spot) and short-token (USDC: money).
		for _, c := range []struct {
			tok gmx.Token
			amt *big.Int
		}{{m.Long, ms.ClaimableFundingLong}, {m.Short, ms.ClaimableFundingShort}} {
			if c.amt == nil || c.amt.Sign() <= 0 {
				continue
			}
			asset := "USD"
			if c.tok.Address != col.Address {
				asset = m.Asset
			}
			s.Claimables = append(s.Claimables, hedge.Claimable{Market: m.MarketToken.Hex(), Token: c.tok.Symbol, Asset: asset,
				Amount: units(c.amt, c.tok.Decimals)})
		}
	}
	for _, p := range gs.Positions {
		m := p.Market
		n := p.Info.Position.Numbers
		if n.SizeInTokens == nil || n.SizeInTokens.Sign() == 0 {
			continue
		}
		size := units(n.SizeInTokens, m.Index.Decimals)
		entry := f30(n.SizeInUsd).DivRound(size, 18)
		if !p.IsLong {
			size = size.Neg()
		}
		colTok, _ := b.TokenByAddress(p.Info.Position.Addresses.CollateralToken)
		margin := units(n.CollateralAmount, colTok.Decimals)
		if colTok.Address != col.Address {
			margin = margin.Mul(prices[m.Asset]) // a WETH-collateralised position, valued in USD
		}
		f := p.Info.Fees
		// From the user's side: claimable funding received, minus funding
		// and borrowing owed (all settle at the next increase/decrease).
		recv := units(f.Funding.ClaimableShortTokenAmount, m.Short.Decimals).
			Add(units(f.Funding.ClaimableLongTokenAmount, m.Long.Decimals).Mul(prices[m.Asset]))
		paid := units(f.Funding.FundingFeeAmount, colTok.Decimals)
		if colTok.Address != col.Address {
			paid = paid.Mul(prices[m.Asset])
		}
		borrowing := f30(f.Borrowing.BorrowingFeeUsd).Neg()
		accrued := recv.Sub(paid).Add(borrowing)
		side := "short"
		if p.IsLong {
			side = "long"
		}
		s.Positions = append(s.Positions, hedge.Position{
			Key:    fmt.Sprintf("%s/%s/%s", m.MarketToken.Hex(), colTok.Symbol, side),
			Market: m.MarketToken.Hex(), Asset: m.Asset,
			Size: size, EntryPrice: entry, Margin: margin,
			AccruedFunding: accrued, AccruedBorrowing: borrowing,
			UnrealizedPnL: f30(p.Info.BasePnlUsd),
		})
	}
	sort.Slice(s.Positions, func(i, j int) bool { return s.Positions[i].Key < s.Positions[j].Key })
	pendingNow := map[common.Hash]bool{}
	for _, o := range gs.Orders {
		m, ok := b.MarketByToken(o.Order.Addresses.Market)
		if !ok {
			continue // an order in a market hedger does not offer
		}
		pendingNow[o.Key] = true
		n := o.Order.Numbers
		price := prices[m.Asset]
		size := decimal.Zero
		if price.IsPositive() {
			size = f30(n.SizeDeltaUsd).DivRound(price, 18)
		}
		colDelta := units(n.InitialCollateralDeltaAmount, col.Decimals)
		increase := n.OrderType == gmx.OrderMarketIncrease || n.OrderType == gmx.OrderLimitIncrease
		if increase == o.Order.Flags.IsLong {
			// increase long or decrease short: buys
		} else {
			size = size.Neg()
		}
		if !increase {
			colDelta = colDelta.Neg()
		}
		po := hedge.PendingOrder{Ref: o.Key.Hex(), Market: m.MarketToken.Hex(), Asset: m.Asset, SizeDelta: size,
			CollateralDelta: colDelta}
		if n.UpdatedAtTime != nil {
			po.CreatedAt = time.Unix(n.UpdatedAtTime.Int64(), 0).UTC()
		}
		v.mu.Lock()
		if v.known == nil {
			v.known = map[common.Hash]knownOrder{}
		}
		k, seen := v.known[o.Key]
		if !seen {
			k = knownOrder{asset: m.Asset, block: s.Block}
			v.known[o.Key] = k
		}
		po.Block = k.block
		v.mu.Unlock()
		s.Pending = append(s.Pending, po)
	}
	// Orders seen pending before and gone now were executed or cancelled:
	// their outcome counts towards the cancellation guard.
	v.mu.Lock()
	var gone []common.Hash
	for k := range v.known {
		if !pendingNow[k] {
			gone = append(gone, k)
		}
	}
	v.mu.Unlock()
	for _, k := range gone {
		if _, err := v.outcome(ctx, k, s.Block); err != nil {
			return err
		}
	}
	v.guard(s, prices)
	return nil
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}

// carryPerDay is a short's funding rate per day of notional from the
// user's side (+ received) and its borrowing rate (≥ 0): the Reader's
// current rates (gmx.ShortCarryPerDay) where the snapshot has them, else
// estimated from the DataStore factors as follows.
//
// Funding: GMX charges the larger side fundingFactorPerSecond × its size
// and pays that to the smaller side pro rata. The factor is the adaptive
// saved factor where the market has one, else fundingFactor × (|L − S| /
// (L + S))^exponent. A short receives factor × L/S when longs pay (factor
// alone when there is no short open interest yet) and pays factor when
// shorts are the larger side.
//
// Borrowing: GMX charges borrowingFactor × (reserved/pool)^exponent per
// second; the utilisation term is at most 1, so borrowingFactor × 86400 is
// an upper bound, used so that the carry is never shown better than it is.
func carryPerDay(ms *gmx.MarketState) (funding, borrow decimal.Decimal) {
	if ms.FundingFactorPerSecond != nil && ms.BorrowingPerSecondShorts != nil {
		// The Reader's current rates (getMarketInfo, in the same batch).
		c := gmx.ShortCarryPerDay(ms, nil)
		return c.FundingPerDay, c.BorrowingPerDay.Neg()
	}
	L, S := f30(ms.OpenInterestLong), f30(ms.OpenInterestShort)
	borrow = f30(ms.BorrowingFactorShort).Mul(day)
	factor := f30(ms.SavedFundingFactorPerSecond).Abs()
	longsPay := L.GreaterThan(S)
	if ms.SavedFundingFactorPerSecond != nil && ms.SavedFundingFactorPerSecond.Sign() != 0 {
		longsPay = ms.SavedFundingFactorPerSecond.Sign() > 0
	} else {
		total := L.Add(S)
		if total.IsZero() {
			return decimal.Zero, borrow
		}
		ratio := L.Sub(S).Abs().DivRound(total, 30)
		e := f30(ms.FundingExponentFactor)
		pow := ratio
		if e.Equal(decimal.NewFromInt(2)) {
			pow = ratio.Mul(ratio)
		}
		factor = f30(ms.FundingFactor).Mul(pow)
	}
	perDay := factor.Mul(day)
	if !longsPay {
		return perDay.Neg(), borrow
	}
	if S.IsPositive() {
		return perDay.Mul(L).DivRound(S, 18), borrow
	}
	return perDay, borrow
}
