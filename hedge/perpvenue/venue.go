package perpvenue

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge"
)

var (
	venueABI = contracts.NewPerpVenue()
	tokenABI = contracts.NewTestToken()
	feedABI  = contracts.NewPriceFeed()
	lstABI   = contracts.NewStakedToken()
)

// ABIs are the contract ABIs whose custom errors the transaction manager decodes.
func ABIs() []*abi.ABI {
	var out []*abi.ABI
	for _, md := range []*struct{ p func() (*abi.ABI, error) }{
		{contracts.PerpVenueMetaData.ParseABI}, {contracts.TestTokenMetaData.ParseABI}, {contracts.PriceFeedMetaData.ParseABI},
		{contracts.StakedTokenMetaData.ParseABI},
	} {
		if a, err := md.p(); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// Venue is the adapter of hedger's own PerpVenue contract behind the
// hedge.Venue seam: isolated margin per market, collateral moved by its own
// approve/deposit/withdraw transactions, trades filled synchronously at the
// skew-adjusted mark (so a Submission is never pending).
type Venue struct {
	Client  *chain.Client
	Book    *AddressBook
	Wallets []common.Address // watch-only spot holders
	Account common.Address   // signing (margin) account; zero for read-only
	Tx      *chain.TxManager // nil for read-only use

	hist *FundingHistory // for FillCarryWindow, made on first use
}

// Capabilities this adapter offers, checked at compile time.
var (
	_ hedge.Venue            = (*Venue)(nil)
	_ hedge.Estimator        = (*Venue)(nil)
	_ hedge.MaxApprover      = (*Venue)(nil)
	_ hedge.FreshnessChecker = (*Venue)(nil)
	_ hedge.CarryHistory     = (*Venue)(nil)
	_ hedge.BetaEstimator    = (*Venue)(nil)
	_ hedge.Reconciler       = (*Venue)(nil)
)

// New is the adapter for account (zero: read-only) watching wallets. With a
// transaction manager it sends: the manager decodes this venue's fills for
// the journal and refuses any recipient but the venue and its collateral.
func New(c *chain.Client, b *AddressBook, wallets []common.Address, account common.Address, tx *chain.TxManager) *Venue {
	v := &Venue{Client: c, Book: b, Wallets: wallets, Account: account, Tx: tx}
	if tx != nil {
		tx.DecodeFill = v.DecodeFill
		// The venue and its collateral are the only contracts a plan sends
		// to; anything else is refused before signing.
		tx.Recipients = map[common.Address]bool{b.Venue: true, b.Collateral.Address: true}
	}
	return v
}

// state is what Compile needs beyond the venue-neutral snapshot.
type state struct {
	allowance decimal.Decimal // collateral the venue may pull
}

// MarketKey is how this adapter names a market: its ID in decimal.
func MarketKey(id uint64) string { return strconv.FormatUint(id, 10) }

// FeedRound is a feed's latest answer, kept for status output.
type FeedRound struct {
	Answer    decimal.Decimal
	UpdatedAt time.Time
}

// Snapshot reads the head, then everything else in one batch pinned to it.
func (v *Venue) Snapshot(ctx context.Context) (*hedge.Snapshot, error) {
	head, err := v.Client.Head(ctx)
	if err != nil {
		return nil, err
	}
	return v.SnapshotAt(ctx, head)
}

// SnapshotAt reads all cycle state at head in ONE JSON-RPC batch: native and
// token balances of every wallet, the rate of every liquid-staking token, the
// feed of every spot asset with no market, every market's view and feed
// round, the account's positions, collateral balance and allowance.
func (v *Venue) SnapshotAt(ctx context.Context, head *types.Header) (*hedge.Snapshot, error) {
	b := v.Book
	s := &hedge.Snapshot{
		ChainID:            b.ChainID,
		Block:              head.Number.Uint64(),
		Time:               time.Unix(int64(head.Time), 0).UTC(),
		Markets:            map[string]hedge.Market{},
		CollateralSymbol:   b.Collateral.Symbol,
		CollateralDecimals: b.Collateral.Decimals,
	}
	if v.Account != (common.Address{}) {
		s.Account = v.Account.Hex()
	}
	var batch chain.Batch

	// Rates of wrapped/liquid-staking tokens (wstETH's stEthPerToken), once
	// per token, and the feeds of spot assets with no market.
	rates := map[string]*decimal.Decimal{} // token symbol -> underlying per token
	for _, t := range b.Tokens {
		if t.Rate == nil {
			continue
		}
		if t.Rate.Kind != RateStEthPerToken {
			return nil, fmt.Errorf("token %s: unknown rate source %q", t.Symbol, t.Rate.Kind)
		}
		r, dec := new(decimal.Decimal), t.Rate.Decimals
		rates[t.Symbol] = r
		batch.Call(t.Rate.Contract, lstABI.PackStEthPerToken(), func(out []byte) error {
			x, err := lstABI.UnpackStEthPerToken(out)
			if err == nil {
				*r = fromUnits(x, dec)
			}
			return err
		})
	}
	type ownFeed struct {
		asset string
		dec   int32
		round contracts.LatestRoundDataOutput
	}
	var feeds []*ownFeed
	for _, t := range b.Tokens {
		if _, hasMarket := b.Market(t.Asset); hasMarket || !t.HasFeed() || slices.ContainsFunc(feeds, func(f *ownFeed) bool { return f.asset == t.Asset }) {
			continue
		}
		f := &ownFeed{asset: t.Asset, dec: t.FeedDecimals}
		feeds = append(feeds, f)
		batch.Call(*t.Feed, feedABI.PackLatestRoundData(), func(out []byte) (err error) {
			f.round, err = feedABI.UnpackLatestRoundData(out)
			return err
		})
	}

	// Spot: one native balance and one balanceOf per token per wallet.
	natives := map[int]*big.Int{} // holding index -> wei
	for _, w := range v.Wallets {
		s.Holdings = append(s.Holdings, hedge.Holding{Wallet: w.Hex(), Asset: b.NativeAsset, Token: "native"})
		natives[len(s.Holdings)-1] = new(big.Int)
		batch.Balance(w, natives[len(s.Holdings)-1])
		for _, t := range b.Tokens {
			t := t
			s.Holdings = append(s.Holdings, hedge.Holding{Wallet: w.Hex(), Asset: t.Asset, Token: t.Symbol})
			i := len(s.Holdings) - 1
			batch.Call(t.Address, tokenABI.PackBalanceOf(w), func(out []byte) error {
				bal, err := tokenABI.UnpackBalanceOf(out)
				s.Holdings[i].TokenAmount = fromUnits(bal, t.Decimals)
				s.Holdings[i].Amount = s.Holdings[i].TokenAmount
				return err
			})
		}
	}

	// Markets: the venue's view, the feed's latest round and our position.
	views := make([]contracts.PerpVenueMarketView, len(b.Markets))
	rounds := make([]contracts.LatestRoundDataOutput, len(b.Markets))
	positions := make([]contracts.PerpVenuePositionView, len(b.Markets))
	for i, m := range b.Markets {
		id := new(big.Int).SetUint64(m.ID)
		batch.Call(b.Venue, venueABI.PackGetMarket(id), func(out []byte) (err error) {
			views[i], err = venueABI.UnpackGetMarket(out)
			return err
		})
		batch.Call(m.Feed, feedABI.PackLatestRoundData(), func(out []byte) (err error) {
			rounds[i], err = feedABI.UnpackLatestRoundData(out)
			return err
		})
		if v.Account != (common.Address{}) {
			batch.Call(b.Venue, venueABI.PackGetPosition(v.Account, id), func(out []byte) (err error) {
				positions[i], err = venueABI.UnpackGetPosition(out)
				return err
			})
		}
	}
	var coll, allow, native big.Int
	if v.Account != (common.Address{}) {
		batch.Balance(v.Account, &native)
		batch.Call(b.Collateral.Address, tokenABI.PackBalanceOf(v.Account), func(out []byte) error {
			x, err := tokenABI.UnpackBalanceOf(out)
			if err == nil {
				coll.Set(x)
			}
			return err
		})
		batch.Call(b.Collateral.Address, tokenABI.PackAllowance(v.Account, b.Venue), func(out []byte) error {
			x, err := tokenABI.UnpackAllowance(out)
			if err == nil {
				allow.Set(x)
			}
			return err
		})
	}
	if err := v.Client.Read(ctx, &batch, head.Number); err != nil {
		return nil, err
	}
	for i, wei := range natives {
		s.Holdings[i].Amount = fromUnits(wei, 18)
		s.Holdings[i].TokenAmount = s.Holdings[i].Amount
	}
	for i, h := range s.Holdings {
		if r, ok := rates[h.Token]; ok {
			rate := *r
			if !rate.IsPositive() {
				return nil, fmt.Errorf("token %s: non-positive rate %s", h.Token, rate)
			}
			// Counted in the underlying: wstETH × stEthPerToken.
			s.Holdings[i].Rate = &rate
			s.Holdings[i].Amount = h.TokenAmount.Mul(rate)
		}
	}
	if len(feeds) > 0 {
		s.Prices = map[string]hedge.FeedPrice{}
		for _, f := range feeds {
			s.Prices[f.asset] = hedge.FeedPrice{Price: fromUnits(f.round.Answer, f.dec),
				UpdatedAt: time.Unix(f.round.UpdatedAt.Int64(), 0).UTC()}
		}
	}
	s.Collateral = fromUnits(&coll, b.Collateral.Decimals)
	s.Adapter = &state{allowance: fromUnits(&allow, b.Collateral.Decimals)}
	s.Native = fromUnits(&native, 18)
	for i, m := range b.Markets {
		mv := views[i]
		key := MarketKey(m.ID)
		s.Markets[m.Asset] = hedge.Market{
			Key:               key,
			Asset:             m.Asset,
			IndexPrice:        fromUnits(rounds[i].Answer, m.FeedDecimals),
			MarkPrice:         fromWad(mv.MarkPrice),
			FundingRatePerDay: fromWad(mv.FundingRate),
			MaxLeverage:       fromWad(mv.Params.MaxLeverage),
			MaintenanceMargin: fromWad(mv.Params.MaintenanceMargin),
			TakerFee:          fromWad(mv.Params.TakerFee),
			// Isolated margin liquidated at maintenance × notional; the fee is
			// the taker fee at mark, whose skew premium is the price impact.
			Margin:           hedge.LinearMargin{Maintenance: fromWad(mv.Params.MaintenanceMargin), Leverage: fromWad(mv.Params.MaxLeverage)},
			Cost:             hedge.LinearCost{TakerFee: fromWad(mv.Params.TakerFee)},
			Paused:           mv.Paused,
			FundingSuspended: mv.FundingSuspended,
			OracleUpdatedAt:  time.Unix(rounds[i].UpdatedAt.Int64(), 0).UTC(),
			FundingIndex:     fromWad(mv.FundingIndex),
		}
		p := positions[i]
		if p.Size == nil || (p.Size.Sign() == 0 && p.Margin.Sign() == 0) {
			continue // read-only, or no position
		}
		s.Positions = append(s.Positions, hedge.Position{
			Key: key, Market: key, Asset: m.Asset,
			Size:           fromWad(p.Size),
			EntryPrice:     fromWad(p.EntryPrice),
			Margin:         fromWad(p.Margin),
			AccruedFunding: fromWad(p.AccruedFunding),
			UnrealizedPnL:  fromWad(p.UnrealizedPnl),
		})
	}
	return s, nil
}

// MaxHistoryRounds caps how many rounds FeedHistories reads per feed.
const MaxHistoryRounds = 2000

// FeedHistories reads up to maxRounds of the latest rounds of each feed at
// the head (answers with their updatedAt, oldest first) in two round trips:
// every feed's latest round, then all their getRoundData calls in one batch
// (split only past chain.MaxBatch). Round ids step down within the latest
// phase, as Chainlink numbers them (phase << 64 | round).
func (v *Venue) FeedHistories(ctx context.Context, feeds []common.Address, decimals []int32, maxRounds int) ([][]hedge.PricePoint, error) {
	if maxRounds <= 0 || maxRounds > MaxHistoryRounds {
		maxRounds = MaxHistoryRounds
	}
	head, err := v.Client.Head(ctx)
	if err != nil {
		return nil, err
	}
	latest := make([]contracts.LatestRoundDataOutput, len(feeds))
	var first chain.Batch
	for i, f := range feeds {
		first.Call(f, feedABI.PackLatestRoundData(), func(out []byte) (err error) {
			latest[i], err = feedABI.UnpackLatestRoundData(out)
			return err
		})
	}
	if err := v.Client.Read(ctx, &first, head.Number); err != nil {
		return nil, err
	}
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1))
	rounds := make([][]contracts.GetRoundDataOutput, len(feeds))
	var batch chain.Batch
	for i, f := range feeds {
		id := latest[i].RoundId
		phase := new(big.Int).AndNot(id, mask)
		lo := new(big.Int).And(id, mask).Uint64()
		n := min(uint64(maxRounds), lo)
		rounds[i] = make([]contracts.GetRoundDataOutput, n)
		for k := uint64(0); k < n; k++ {
			rid := new(big.Int).Or(phase, new(big.Int).SetUint64(lo-n+1+k))
			batch.Call(f, feedABI.PackGetRoundData(rid), func(out []byte) (err error) {
				rounds[i][k], err = feedABI.UnpackGetRoundData(out)
				return err
			})
		}
	}
	if err := v.Client.Read(ctx, &batch, head.Number); err != nil {
		return nil, err
	}
	out := make([][]hedge.PricePoint, len(feeds))
	for i, rs := range rounds {
		for _, r := range rs {
			if r.UpdatedAt == nil || r.UpdatedAt.Sign() == 0 || r.Answer.Sign() <= 0 {
				continue // never written, or not a price
			}
			out[i] = append(out[i], hedge.PricePoint{Time: time.Unix(r.UpdatedAt.Int64(), 0).UTC(),
				Price: fromUnits(r.Answer, decimals[i])})
		}
	}
	return out, nil
}

// BetaAlignTolerance merges feed updates this close together into one
// observation (two feeds pushed in consecutive blocks).
const BetaAlignTolerance = 5 * time.Minute

// EstimateBetas fills s.Betas for every held asset with no market whose
// policy hedges it with another market: from the beta_csv price files when
// set, else from both feeds' round history over beta_window. An auto beta
// that cannot be estimated is an error (the asset would go unhedged); for a
// given beta the estimate is only for display, and failures are skipped.
func (v *Venue) EstimateBetas(ctx context.Context, s *hedge.Snapshot, ps hedge.Policies) error {
	held := map[string]bool{}
	for _, h := range s.Holdings {
		if h.Amount.IsPositive() {
			held[h.Asset] = true
		}
	}
	var errs []error
	for a := range held {
		p := ps.For(a)
		if _, ok := s.Markets[a]; ok || p.HedgeWith == "" {
			continue
		}
		est, err := v.estimateBeta(ctx, a, p)
		if err != nil {
			if p.BetaAuto {
				errs = append(errs, err)
			}
			continue
		}
		if s.Betas == nil {
			s.Betas = map[string]hedge.BetaEstimate{}
		}
		s.Betas[a] = est
	}
	return errors.Join(errs...)
}

func (v *Venue) estimateBeta(ctx context.Context, asset string, p hedge.AssetPolicy) (hedge.BetaEstimate, error) {
	if p.BetaCSV != "" {
		spec := hedge.ParseBetaCSV(p.BetaCSV)
		x, m, err := readBetaCSV(spec, asset, p.HedgeWith)
		if err != nil {
			return hedge.BetaEstimate{}, fmt.Errorf("beta of %s: %w", asset, err)
		}
		est, err := hedge.EstimateBeta(asset, p.HedgeWith, x, m, p.BetaWindow, BetaAlignTolerance)
		est.Source = "csv " + p.BetaCSV
		return est, err
	}
	fx, dx, ok := v.Book.PriceFeed(asset)
	if !ok {
		return hedge.BetaEstimate{}, fmt.Errorf("beta of %s: no feed for %s in the address book", asset, asset)
	}
	fm, dm, ok := v.Book.PriceFeed(p.HedgeWith)
	if !ok {
		return hedge.BetaEstimate{}, fmt.Errorf("beta of %s: no feed for %s in the address book", asset, p.HedgeWith)
	}
	hist, err := v.FeedHistories(ctx, []common.Address{fx, fm}, []int32{dx, dm}, MaxHistoryRounds)
	if err != nil {
		return hedge.BetaEstimate{}, fmt.Errorf("beta of %s: reading feed rounds: %w", asset, err)
	}
	est, err := hedge.EstimateBeta(asset, p.HedgeWith, hist[0], hist[1], p.BetaWindow, BetaAlignTolerance)
	est.Source = "feeds"
	return est, err
}

func readBetaCSV(spec hedge.BetaCSVSpec, asset, with string) (x, m []hedge.PricePoint, err error) {
	read := func(path, column string) ([]hedge.PricePoint, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		pts, err := hedge.ReadPriceCSV(f, column)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return pts, nil
	}
	if spec.HedgeFile == "" {
		// One wide file with a column per asset.
		if x, err = read(spec.AssetFile, asset); err != nil {
			return nil, nil, err
		}
		m, err = read(spec.AssetFile, with)
		return x, m, err
	}
	if x, err = read(spec.AssetFile, ""); err != nil {
		return nil, nil, err
	}
	m, err = read(spec.HedgeFile, "")
	return x, m, err
}
