package onchain

import (
	"context"
	"math/big"
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
)

// ABIs are the contract ABIs whose custom errors the transaction manager decodes.
func ABIs() []*abi.ABI {
	var out []*abi.ABI
	for _, md := range []*struct{ p func() (*abi.ABI, error) }{
		{contracts.PerpVenueMetaData.ParseABI}, {contracts.TestTokenMetaData.ParseABI}, {contracts.PriceFeedMetaData.ParseABI},
	} {
		if a, err := md.p(); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// Venue implements hedge.Venue over the PerpVenue contract.
type Venue struct {
	Client  *chain.Client
	Book    *AddressBook
	Wallets []common.Address // watch-only spot holders
	Account common.Address   // signing (margin) account; zero for read-only
	Tx      *chain.TxManager // nil for read-only use
}

var _ hedge.Venue = (*Venue)(nil)

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
// token balances of every wallet, every market's view and feed round, the
// account's positions, collateral balance and allowance.
func (v *Venue) SnapshotAt(ctx context.Context, head *types.Header) (*hedge.Snapshot, error) {
	b := v.Book
	s := &hedge.Snapshot{
		ChainID:            b.ChainID,
		Block:              head.Number.Uint64(),
		Time:               time.Unix(int64(head.Time), 0).UTC(),
		Markets:            map[string]hedge.Market{},
		Position:           map[string]hedge.Position{},
		CollateralSymbol:   b.Collateral.Symbol,
		CollateralDecimals: b.Collateral.Decimals,
	}
	if v.Account != (common.Address{}) {
		s.Account = v.Account.Hex()
	}
	var batch chain.Batch

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
				s.Holdings[i].Amount = fromUnits(bal, t.Decimals)
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
	var coll, allow big.Int
	if v.Account != (common.Address{}) {
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
	}
	s.Collateral = fromUnits(&coll, b.Collateral.Decimals)
	s.CollateralAllowance = fromUnits(&allow, b.Collateral.Decimals)
	for i, m := range b.Markets {
		mv := views[i]
		s.Markets[m.Asset] = hedge.Market{
			ID:                m.ID,
			Asset:             m.Asset,
			IndexPrice:        fromUnits(rounds[i].Answer, m.FeedDecimals),
			MarkPrice:         fromWad(mv.MarkPrice),
			FundingRatePerDay: fromWad(mv.FundingRate),
			MaxLeverage:       fromWad(mv.Params.MaxLeverage),
			MaintenanceMargin: fromWad(mv.Params.MaintenanceMargin),
			TakerFee:          fromWad(mv.Params.TakerFee),
			SkewScale:         fromWad(mv.Params.SkewScale),
			Skew:              fromWad(mv.Skew),
			Paused:            mv.Paused,
			FundingSuspended:  mv.FundingSuspended,
			OracleUpdatedAt:   time.Unix(rounds[i].UpdatedAt.Int64(), 0).UTC(),
			FundingIndex:      fromWad(mv.FundingIndex),
		}
		p := positions[i]
		s.Position[m.Asset] = hedge.Position{
			Size:           fromWad(p.Size),
			EntryPrice:     fromWad(p.EntryPrice),
			Margin:         fromWad(p.Margin),
			AccruedFunding: fromWad(p.AccruedFunding),
			UnrealizedPnL:  fromWad(p.UnrealizedPnl),
		}
	}
	return s, nil
}
