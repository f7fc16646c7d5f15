package gmx

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts/gmx"
)

// Client reads and trades one account on GMX v2.
type Client struct {
	Chain   *chain.Client
	Book    *Book
	Account common.Address
	Tx      *chain.TxManager // nil for read-only use

	feeds map[common.Address]feedInfo // token -> reference feed (Discover)
	last  map[common.Address]*big.Int // token -> last reference price read (GMX units)
}

type feedInfo struct {
	Feed       common.Address
	Multiplier *big.Int // PRICE_FEED_MULTIPLIER: price = answer × multiplier / 1e30
}

// NewClient makes a client; call Discover once before Snapshot.
func NewClient(c *chain.Client, b *Book, account common.Address, tx *chain.TxManager) *Client {
	return &Client{Chain: c, Book: b, Account: account, Tx: tx}
}

var float30 = new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)

// Discover reads, in one batch, each market token's reference feed and
// multiplier from the DataStore and the feeds' current answers. It runs once
// per process: feeds change only by governance.
func (c *Client) Discover(ctx context.Context) error {
	var b chain.Batch
	tokens := c.marketTokens()
	feeds := make([]common.Address, len(tokens))
	mults := make([]*big.Int, len(tokens))
	for i, t := range tokens {
		b.Call(c.Book.Contracts.DataStore, dataStoreABI.PackGetAddress(KeyPriceFeed(t)), func(out []byte) (err error) {
			feeds[i], err = dataStoreABI.UnpackGetAddress(out)
			return err
		})
		b.Call(c.Book.Contracts.DataStore, dataStoreABI.PackGetUint(KeyPriceFeedMultiplier(t)), func(out []byte) (err error) {
			mults[i], err = dataStoreABI.UnpackGetUint(out)
			return err
		})
	}
	if err := c.Chain.Read(ctx, &b, nil); err != nil {
		return fmt.Errorf("GMX: reading reference feeds: %w", err)
	}
	c.feeds = map[common.Address]feedInfo{}
	for i, t := range tokens {
		if feeds[i] == (common.Address{}) {
			return fmt.Errorf("GMX: token %s has no reference price feed in the DataStore", c.tokenName(t))
		}
		c.feeds[t] = feedInfo{Feed: feeds[i], Multiplier: mults[i]}
	}
	// Prime the reference prices so the first Snapshot's position values
	// use them (each Snapshot then refreshes them).
	var b2 chain.Batch
	c.last = map[common.Address]*big.Int{}
	for t, f := range c.feeds {
		b2.Call(f.Feed, feedABI.PackLatestRoundData(), func(out []byte) error {
			r, err := feedABI.UnpackLatestRoundData(out)
			if err == nil {
				c.last[t] = feedPrice(r.Arg1, f.Multiplier) // Arg1: answer (roundId, answer, startedAt, updatedAt, answeredInRound)
			}
			return err
		})
	}
	return c.Chain.Read(ctx, &b2, nil)
}

// Feed is token's reference price feed, as Discover read it.
func (c *Client) Feed(token common.Address) (common.Address, bool) {
	f, ok := c.feeds[token]
	return f.Feed, ok
}

func feedPrice(answer, mult *big.Int) *big.Int {
	if answer.Sign() <= 0 {
		return new(big.Int)
	}
	return new(big.Int).Div(new(big.Int).Mul(answer, mult), float30)
}

func (c *Client) marketTokens() []common.Address {
	var out []common.Address
	for _, m := range c.Book.Markets {
		out = uniqueAddrs(append(out, m.Index.Address, m.Long.Address, m.Short.Address)...)
	}
	return out
}

func (c *Client) tokenName(a common.Address) string {
	if t, ok := c.Book.TokenByAddress(a); ok {
		return t.Symbol
	}
	return a.Hex()
}

// MarketState is one market's parameters and state, from the DataStore.
// Factors are GMX 30-decimal fixed point; USD ×1e30.
type MarketState struct {
	Market                            Market
	IndexPrice, LongPrice, ShortPrice *big.Int // reference feed prices, GMX units
	MinCollateralFactor               *big.Int
	PositionFeeFactorPositive         *big.Int // when the trade improves the pool's balance
	PositionFeeFactorNegative         *big.Int
	PositionImpactFactorPositive      *big.Int
	PositionImpactFactorNegative      *big.Int
	PositionImpactExponentPositive    *big.Int
	PositionImpactExponentNegative    *big.Int
	MaxPositionImpactPositive         *big.Int
	MaxPositionImpactNegative         *big.Int
	FundingFactor                     *big.Int
	FundingExponentFactor             *big.Int
	SavedFundingFactorPerSecond       *big.Int // signed (adaptive funding state)
	BorrowingFactorLong               *big.Int
	BorrowingFactorShort              *big.Int
	OpenInterestLong                  *big.Int // USD, both collaterals
	OpenInterestShort                 *big.Int
	Disabled                          bool
	IncreaseDisabled                  bool // create or execute of MarketIncrease disabled
	DecreaseDisabled                  bool
	ClaimableFundingLong              *big.Int // account's claimable, long-token units
	ClaimableFundingShort             *big.Int // short-token units
	// From Reader.getMarketInfo (priced like the positions): the funding
	// factor per second the larger side pays on its open interest, who
	// pays, and the borrowing factor per second of shorts.
	FundingFactorPerSecond   *big.Int
	LongsPayShorts           bool
	BorrowingPerSecondShorts *big.Int
}

// GasConfig are the DataStore values the execution fee is computed from.
type GasConfig struct {
	EstimatedBase, EstimatedPerOraclePrice, EstimatedMultiplier *big.Int
	IncreaseOrder, DecreaseOrder, SingleSwap                    *big.Int
}

// Position is an open position with its pending fees (Reader.getAccountPositionInfoList).
type Position struct {
	Key    common.Hash
	Market Market
	IsLong bool
	Info   gmx.ReaderPositionUtilsPositionInfo
}

// PendingOrder is an order of the account not yet executed or cancelled.
type PendingOrder struct {
	Key   common.Hash
	Order gmx.OrderProps
}

// Snapshot is everything one cycle reads, at one block.
type Snapshot struct {
	Block                                uint64
	BlockHash                            common.Hash
	Time                                 time.Time
	Native                               *big.Int // account's native balance (execution fees)
	Collateral                           *big.Int // account's USDC balance
	Allowance                            *big.Int // USDC allowance to the Router
	MinCollateralUSD, MinPositionSizeUSD *big.Int
	RequestExpiration                    time.Duration
	Gas                                  GasConfig
	Markets                              map[common.Address]*MarketState // by market token
	Positions                            []Position
	Orders                               []PendingOrder
}

// Snapshot reads the head and all of the account's GMX state in ONE
// JSON-RPC batch (SnapshotWith with no head).
func (c *Client) Snapshot(ctx context.Context) (*Snapshot, error) {
	return c.SnapshotWith(ctx, nil, nil)
}

// SnapshotAt reads all of the account's GMX state in ONE JSON-RPC batch
// pinned to head (watch reads at the head it was told of).
func (c *Client) SnapshotAt(ctx context.Context, head *types.Header) (*Snapshot, error) {
	return c.SnapshotWith(ctx, head, nil)
}

// Calls is what a caller of SnapshotWith may add to the snapshot's batch
// (chain.Batch has the same methods).
type Calls interface {
	Balance(addr common.Address, dst *big.Int)
	Call(to common.Address, data []byte, decode func([]byte) error)
}

// SnapshotWith reads all of the account's GMX state, and the calls extra
// adds, in ONE JSON-RPC batch: an adapter's spot wallets and feeds ride in
// the same round trip. extra may run more than once (once per attempt);
// each run must queue into fresh destinations.
//
// With head set, every call is pinned to head's number. With head nil the
// batch itself reads the header: eth_getBlockByNumber("latest") first, the
// calls at "latest", and eth_blockNumber last. When the first and last
// agree no block landed while the node answered (geth answers a batch in
// order); when they differ, the whole batch is read once more pinned to the
// newer block, so a snapshot never mixes two blocks.
//
// Positions are valued by the Reader with the reference prices of the
// previous read (a call cannot use an answer of the same batch); the
// reference prices of this block are in MarketState, and the funding and
// borrowing amounts do not depend on the price.
func (c *Client) SnapshotWith(ctx context.Context, head *types.Header, extra func(Calls)) (*Snapshot, error) {
	if c.feeds == nil {
		return nil, errors.New("GMX client: Discover has not run")
	}
	var pin *big.Int
	if head != nil {
		pin = head.Number
	}
	for {
		b := &chain.Batch{}
		var hdr *types.Header
		var last hexutil.Uint64
		if head == nil {
			b.Header(&hdr)
		}
		s, finish := c.queue(b)
		if extra != nil {
			extra(b)
		}
		if head == nil && pin == nil {
			b.BlockNumber(&last)
		}
		if err := c.Chain.Read(ctx, b, pin); err != nil {
			if head != nil {
				return nil, fmt.Errorf("GMX snapshot at block %d: %w", head.Number, err)
			}
			return nil, fmt.Errorf("GMX snapshot: %w", err)
		}
		h := head
		if h == nil {
			if hdr == nil {
				return nil, errors.New("GMX snapshot: the node returned no latest block")
			}
			if pin == nil && uint64(last) != hdr.Number.Uint64() {
				pin = new(big.Int).SetUint64(uint64(last)) // a block landed mid-batch: read it all again at the newer one
				continue
			}
			h = hdr
		}
		s.Block, s.BlockHash, s.Time = h.Number.Uint64(), h.Hash(), time.Unix(int64(h.Time), 0).UTC()
		finish()
		return s, nil
	}
}

// queue adds the GMX reads into b; finish completes the snapshot once they
// are answered (the caller sets the block).
func (c *Client) queue(b *chain.Batch) (*Snapshot, func()) {
	s := &Snapshot{Native: new(big.Int), Markets: map[common.Address]*MarketState{}}
	ds, cr := c.Book.Contracts.DataStore, c.Book.Contracts
	u := func(key common.Hash, dst **big.Int) {
		b.Call(ds, dataStoreABI.PackGetUint(key), func(out []byte) (err error) {
			*dst, err = dataStoreABI.UnpackGetUint(out)
			return err
		})
	}
	bo := func(key common.Hash, dst *bool) {
		b.Call(ds, dataStoreABI.PackGetBool(key), func(out []byte) error {
			v, err := dataStoreABI.UnpackGetBool(out)
			*dst = *dst || v
			return err
		})
	}
	b.Balance(c.Account, s.Native)
	col := c.Book.Collateral.Address
	b.Call(col, tokenABI.PackBalanceOf(c.Account), func(out []byte) (err error) {
		s.Collateral, err = tokenABI.UnpackBalanceOf(out)
		return err
	})
	b.Call(col, tokenABI.PackAllowance(c.Account, cr.Router), func(out []byte) (err error) {
		s.Allowance, err = tokenABI.UnpackAllowance(out)
		return err
	})
	var expiry *big.Int
	u(KeyMinCollateralUSD, &s.MinCollateralUSD)
	u(KeyMinPositionSizeUSD, &s.MinPositionSizeUSD)
	u(KeyRequestExpirationTime, &expiry)
	g := &s.Gas
	u(KeyEstimatedGasFeeBaseAmount, &g.EstimatedBase)
	u(KeyEstimatedGasFeePerOracle, &g.EstimatedPerOraclePrice)
	u(KeyEstimatedGasFeeMultiplier, &g.EstimatedMultiplier)
	u(KeyIncreaseOrderGasLimit, &g.IncreaseOrder)
	u(KeyDecreaseOrderGasLimit, &g.DecreaseOrder)
	u(KeySingleSwapGasLimit, &g.SingleSwap)

	fresh := map[common.Address]*big.Int{}
	for t, f := range c.feeds {
		b.Call(f.Feed, feedABI.PackLatestRoundData(), func(out []byte) error {
			r, err := feedABI.UnpackLatestRoundData(out)
			if err == nil {
				fresh[t] = feedPrice(r.Arg1, f.Multiplier) // Arg1: answer (roundId, answer, startedAt, updatedAt, answeredInRound)
			}
			return err
		})
	}
	var markets []common.Address
	var prices []gmx.MarketUtilsMarketPrices
	for _, m := range c.Book.Markets {
		mk := m.MarketToken
		ms := &MarketState{Market: m}
		s.Markets[mk] = ms
		markets = append(markets, mk)
		prices = append(prices, gmx.MarketUtilsMarketPrices{
			IndexTokenPrice: c.priceProps(m.Index.Address), LongTokenPrice: c.priceProps(m.Long.Address), ShortTokenPrice: c.priceProps(m.Short.Address),
		})
		u(KeyMinCollateralFactor(mk), &ms.MinCollateralFactor)
		u(KeyPositionFeeFactor(mk, true), &ms.PositionFeeFactorPositive)
		u(KeyPositionFeeFactor(mk, false), &ms.PositionFeeFactorNegative)
		u(KeyPositionImpactFactor(mk, true), &ms.PositionImpactFactorPositive)
		u(KeyPositionImpactFactor(mk, false), &ms.PositionImpactFactorNegative)
		u(KeyPositionImpactExponentFactor(mk, true), &ms.PositionImpactExponentPositive)
		u(KeyPositionImpactExponentFactor(mk, false), &ms.PositionImpactExponentNegative)
		u(KeyMaxPositionImpactFactor(mk, true), &ms.MaxPositionImpactPositive)
		u(KeyMaxPositionImpactFactor(mk, false), &ms.MaxPositionImpactNegative)
		u(KeyFundingFactor(mk), &ms.FundingFactor)
		u(KeyFundingExponentFactor(mk), &ms.FundingExponentFactor)
		u(KeyBorrowingFactor(mk, true), &ms.BorrowingFactorLong)
		u(KeyBorrowingFactor(mk, false), &ms.BorrowingFactorShort)
		b.Call(ds, dataStoreABI.PackGetInt(KeySavedFundingFactorPerSecond(mk)), func(out []byte) (err error) {
			ms.SavedFundingFactorPerSecond, err = dataStoreABI.UnpackGetInt(out)
			return err
		})
		oi := func(colTok common.Address, isLong bool, dst **big.Int) {
			b.Call(ds, dataStoreABI.PackGetUint(KeyOpenInterest(mk, colTok, isLong)), func(out []byte) error {
				v, err := dataStoreABI.UnpackGetUint(out)
				if err == nil {
					if *dst == nil {
						*dst = new(big.Int)
					}
					(*dst).Add(*dst, v)
				}
				return err
			})
		}
		for _, ct := range uniqueAddrs(m.Long.Address, m.Short.Address) {
			oi(ct, true, &ms.OpenInterestLong)
			oi(ct, false, &ms.OpenInterestShort)
		}
		bo(KeyIsMarketDisabled(mk), &ms.Disabled)
		bo(KeyCreateOrderFeatureDisabled(cr.OrderHandler, OrderMarketIncrease), &ms.IncreaseDisabled)
		bo(KeyExecuteOrderFeatureDisabled(cr.OrderHandler, OrderMarketIncrease), &ms.IncreaseDisabled)
		bo(KeyCreateOrderFeatureDisabled(cr.OrderHandler, OrderMarketDecrease), &ms.DecreaseDisabled)
		bo(KeyExecuteOrderFeatureDisabled(cr.OrderHandler, OrderMarketDecrease), &ms.DecreaseDisabled)
		b.Call(cr.Reader, readerABI.PackGetMarketInfo(ds, prices[len(prices)-1], mk), func(out []byte) error {
			info, err := readerABI.UnpackGetMarketInfo(out)
			if err == nil {
				ms.FundingFactorPerSecond = info.NextFunding.FundingFactorPerSecond
				ms.LongsPayShorts = info.NextFunding.LongsPayShorts
				ms.BorrowingPerSecondShorts = info.BorrowingFactorPerSecondForShorts
			}
			return err
		})
		u(KeyClaimableFundingAmount(mk, m.Long.Address, c.Account), &ms.ClaimableFundingLong)
		u(KeyClaimableFundingAmount(mk, m.Short.Address, c.Account), &ms.ClaimableFundingShort)
	}
	var infos []gmx.ReaderPositionUtilsPositionInfo
	b.Call(cr.Reader, readerABI.PackGetAccountPositionInfoList(ds, cr.ReferralStorage, c.Account, markets, prices, common.Address{}, big.NewInt(0), big.NewInt(100)), func(out []byte) (err error) {
		infos, err = readerABI.UnpackGetAccountPositionInfoList(out)
		return err
	})
	var orders []gmx.ReaderUtilsOrderInfo
	b.Call(cr.Reader, readerABI.PackGetAccountOrders(ds, c.Account, big.NewInt(0), big.NewInt(100)), func(out []byte) (err error) {
		orders, err = readerABI.UnpackGetAccountOrders(out)
		return err
	})
	return s, func() {
		if expiry != nil {
			s.RequestExpiration = time.Duration(expiry.Uint64()) * time.Second
		}
		for t, p := range fresh {
			c.last[t] = p
		}
		for _, ms := range s.Markets {
			ms.IndexPrice, ms.LongPrice, ms.ShortPrice = fresh[ms.Market.Index.Address], fresh[ms.Market.Long.Address], fresh[ms.Market.Short.Address]
		}
		for _, in := range infos {
			m, _ := c.Book.MarketByToken(in.Position.Addresses.Market)
			s.Positions = append(s.Positions, Position{Key: in.PositionKey, Market: m, IsLong: in.Position.Flags.IsLong, Info: in})
		}
		for _, o := range orders {
			s.Orders = append(s.Orders, PendingOrder{Key: o.OrderKey, Order: o.Order})
		}
	}
}

func (c *Client) priceProps(token common.Address) gmx.PriceProps {
	p := c.last[token]
	if p == nil {
		p = new(big.Int)
	}
	return gmx.PriceProps{Min: p, Max: p}
}

// Short returns the account's short position in m with USDC collateral, if any.
func (s *Snapshot) Short(m Market, collateral common.Address) (Position, bool) {
	for _, p := range s.Positions {
		if p.Market.MarketToken == m.MarketToken && !p.IsLong && p.Info.Position.Addresses.CollateralToken == collateral {
			return p, true
		}
	}
	return Position{}, false
}

// ExecutionFee computes the fee as GMX's interface does: (estimated base +
// per-oracle-price × 3 + orderGasLimit × multiplier) × gas price, then
// headroom (bps) on top, since the keeper's gas price may rise before it
// executes; the surplus is refunded to the account.
func ExecutionFee(g GasConfig, increase bool, gasPrice *big.Int, headroomBps int64) *big.Int {
	limit := g.DecreaseOrder
	if increase {
		limit = g.IncreaseOrder
	}
	gas := new(big.Int).Set(orZero(g.EstimatedBase))
	gas.Add(gas, new(big.Int).Mul(orZero(g.EstimatedPerOraclePrice), big.NewInt(3))) // index, long, short
	mult := orZero(g.EstimatedMultiplier)
	gas.Add(gas, new(big.Int).Div(new(big.Int).Mul(orZero(limit), mult), float30))
	fee := new(big.Int).Mul(gas, gasPrice)
	fee.Mul(fee, big.NewInt(10_000+headroomBps))
	fee.Add(fee, big.NewInt(9_999)) // round up: a short fee is a revert
	return fee.Div(fee, big.NewInt(10_000))
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}

// OrderRequest is a venue-neutral order, compiled by Compile into one
// ExchangeRouter multicall.
type OrderRequest struct {
	Market Market
	// Increase true opens or grows the short; false reduces or closes it.
	Increase bool
	// SizeDeltaUSD is the size change (USD ×1e30, positive).
	SizeDeltaUSD *big.Int
	// Collateral is sent with an increase, or withdrawn by a decrease
	// (collateral-token units).
	Collateral *big.Int
	// MaxSlippageBps bounds the acceptable price against the reference
	// price: an increase short accepts a price no lower than ref×(1−s), a
	// decrease short no higher than ref×(1+s).
	MaxSlippageBps int64
	// AcceptablePrice, when set, overrides the slippage-derived one.
	AcceptablePrice *big.Int
	// MaxExecutionFee caps the execution fee (wei); nil means no cap.
	MaxExecutionFee *big.Int
	HeadroomBps     int64 // on top of the computed fee; default 2000 (20%)
}

// Compiled is an order ready to send: the multicall and what it pays.
type Compiled struct {
	To              common.Address
	Data            []byte
	Value           *big.Int // the execution fee, sent with sendWnt
	ExecutionFee    *big.Int
	AcceptablePrice *big.Int
	Params          gmx.IBaseOrderUtilsCreateOrderParams
}

// ErrFeeCap: the computed execution fee is above the user's cap.
var ErrFeeCap = errors.New("execution fee above the cap")

// Compile builds ONE ExchangeRouter.multicall(sendWnt, [sendTokens,]
// createOrder) for a MarketIncrease/MarketDecrease short with USDC
// collateral, from a snapshot of this block and the gas price the create
// transaction will pay at most (its fee cap: tx.gasprice ≤ fee cap).
func (c *Client) Compile(s *Snapshot, r OrderRequest, gasPrice *big.Int) (*Compiled, error) {
	ms, ok := s.Markets[r.Market.MarketToken]
	if !ok {
		return nil, fmt.Errorf("GMX: market %s not in the book", r.Market.Name)
	}
	switch {
	case ms.Disabled:
		return nil, fmt.Errorf("GMX: market %s is disabled", r.Market.Name)
	case r.Increase && ms.IncreaseDisabled:
		return nil, fmt.Errorf("GMX: market increase orders are disabled on %s", r.Market.Name)
	case !r.Increase && ms.DecreaseDisabled:
		return nil, fmt.Errorf("GMX: market decrease orders are disabled on %s", r.Market.Name)
	case r.SizeDeltaUSD == nil || r.SizeDeltaUSD.Sign() < 0:
		return nil, errors.New("GMX: size delta must be zero or positive")
	case ms.IndexPrice == nil || ms.IndexPrice.Sign() <= 0:
		return nil, fmt.Errorf("GMX: no reference price for %s", r.Market.Name)
	}
	collateral := r.Collateral
	if collateral == nil {
		collateral = new(big.Int)
	}
	if r.Increase && collateral.Cmp(s.Collateral) > 0 {
		return nil, fmt.Errorf("GMX: %s collateral needed, account holds %s", c.units(c.Book.Collateral, collateral), c.units(c.Book.Collateral, s.Collateral))
	}
	if r.Increase && collateral.Sign() > 0 && s.Allowance.Cmp(collateral) < 0 {
		return nil, errors.New("GMX: the Router is not approved for the collateral; approve it first")
	}
	headroom := r.HeadroomBps
	if headroom == 0 {
		headroom = 2000
	}
	fee := ExecutionFee(s.Gas, r.Increase, gasPrice, headroom)
	if fee.Sign() == 0 {
		fee = big.NewInt(1e14) // a config with no gas limits (the bare fixture) still pays the keeper something
	}
	if r.MaxExecutionFee != nil && fee.Cmp(r.MaxExecutionFee) > 0 {
		return nil, fmt.Errorf("%w: needs %s wei, cap %s wei; nothing sent", ErrFeeCap, fee, r.MaxExecutionFee)
	}
	if fee.Cmp(s.Native) >= 0 {
		return nil, fmt.Errorf("GMX: execution fee %s wei needs more native coin than the account's %s wei; nothing sent", fee, s.Native)
	}
	acceptable := r.AcceptablePrice
	if acceptable == nil {
		// Short: an increase sells (accept no lower), a decrease buys back
		// (accept no higher); rounded against the user.
		bps := big.NewInt(r.MaxSlippageBps)
		ten := big.NewInt(10_000)
		if r.Increase {
			acceptable = new(big.Int).Div(new(big.Int).Mul(ms.IndexPrice, new(big.Int).Sub(ten, bps)), ten)
		} else {
			n := new(big.Int).Mul(ms.IndexPrice, new(big.Int).Add(ten, bps))
			acceptable = n.Add(n, big.NewInt(9_999)).Div(n, ten)
		}
	}
	cr := c.Book.Contracts
	typ, colDelta := OrderMarketDecrease, collateral
	if r.Increase {
		typ, colDelta = OrderMarketIncrease, new(big.Int) // increase: collateral is what the multicall sends
	}
	params := gmx.IBaseOrderUtilsCreateOrderParams{
		Addresses: gmx.IBaseOrderUtilsCreateOrderParamsAddresses{
			Receiver: c.Account, CancellationReceiver: c.Account, Market: r.Market.MarketToken,
			InitialCollateralToken: c.Book.Collateral.Address, SwapPath: []common.Address{},
		},
		Numbers: gmx.IBaseOrderUtilsCreateOrderParamsNumbers{
			SizeDeltaUsd: r.SizeDeltaUSD, InitialCollateralDeltaAmount: colDelta, TriggerPrice: new(big.Int),
			AcceptablePrice: acceptable, ExecutionFee: fee, CallbackGasLimit: new(big.Int), MinOutputAmount: new(big.Int),
			ValidFromTime: new(big.Int),
		},
		OrderType: typ, IsLong: false, DataList: [][32]byte{},
	}
	calls := [][]byte{exchangeRouterABI.PackSendWnt(cr.OrderVault, fee)}
	if r.Increase && collateral.Sign() > 0 {
		calls = append(calls, exchangeRouterABI.PackSendTokens(c.Book.Collateral.Address, cr.OrderVault, collateral))
	}
	calls = append(calls, exchangeRouterABI.PackCreateOrder(params))
	return &Compiled{To: cr.ExchangeRouter, Data: exchangeRouterABI.PackMulticall(calls), Value: fee,
		ExecutionFee: fee, AcceptablePrice: acceptable, Params: params}, nil
}

func (c *Client) units(t Token, x *big.Int) string {
	return decimal.NewFromBigInt(x, -int32(t.Decimals)).String() + " " + t.Symbol
}

// Submitted is a sent order: its key from OrderCreated, and the receipt.
type Submitted struct {
	Key     common.Hash
	Receipt *types.Receipt
	Fee     *big.Int
}

// Submit compiles r against s and sends it through the transaction manager
// (gas price: the fee cap the manager would sign now).
func (c *Client) Submit(ctx context.Context, s *Snapshot, r OrderRequest) (*Submitted, error) {
	if c.Tx == nil {
		return nil, errors.New("GMX client is read-only")
	}
	fees, err := c.Tx.SuggestFees(ctx)
	if err != nil {
		return nil, err
	}
	comp, err := c.Compile(s, r, fees.FeeCap)
	if err != nil {
		return nil, err
	}
	rcpt, err := c.Tx.Send(ctx, chain.TxRequest{To: &comp.To, Data: comp.Data, Value: comp.Value,
		Action: chain.ActionMeta{Kind: "gmx-order", Market: r.Market.Asset, Description: r.Market.Name}})
	if err != nil {
		return nil, err
	}
	evs, err := DecodeEvents(c.Book, rcpt.Logs)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		if e.Name == "OrderCreated" {
			return &Submitted{Key: e.Topic1, Receipt: rcpt, Fee: comp.ExecutionFee}, nil
		}
	}
	return nil, fmt.Errorf("GMX: transaction %s created no order", rcpt.TxHash.Hex())
}

// Approve lets the Router pull the collateral (one time, the exact amount
// or max).
func (c *Client) Approve(ctx context.Context, amount *big.Int) (*types.Receipt, error) {
	col := c.Book.Collateral.Address
	return c.Tx.Send(ctx, chain.TxRequest{To: &col, Data: tokenABI.PackApprove(c.Book.Contracts.Router, amount),
		Action: chain.ActionMeta{Kind: "approve"}})
}

// CancelOrder cancels a pending order (market orders: only after the request
// expiration time); its collateral and execution fee are refunded.
func (c *Client) CancelOrder(ctx context.Context, key common.Hash) (*types.Receipt, error) {
	er := c.Book.Contracts.ExchangeRouter
	return c.Tx.Send(ctx, chain.TxRequest{To: &er, Data: exchangeRouterABI.PackCancelOrder(key),
		Action: chain.ActionMeta{Kind: "gmx-cancel"}})
}

// ClaimFunding claims the account's claimable funding in markets (both
// tokens of each) to the account.
func (c *Client) ClaimFunding(ctx context.Context, markets []Market) (*types.Receipt, error) {
	var ms, ts []common.Address
	for _, m := range markets {
		for _, t := range uniqueAddrs(m.Long.Address, m.Short.Address) {
			ms, ts = append(ms, m.MarketToken), append(ts, t)
		}
	}
	er := c.Book.Contracts.ExchangeRouter
	return c.Tx.Send(ctx, chain.TxRequest{To: &er, Data: exchangeRouterABI.PackClaimFundingFees(ms, ts, c.Account),
		Action: chain.ActionMeta{Kind: "gmx-claim"}})
}
