package onchain

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
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

// request turns an action into the transaction that performs it.
func (v *Venue) request(a hedge.Action) (chain.TxRequest, error) {
	b := v.Book
	if a.Kind == hedge.ActApprove {
		return chain.TxRequest{To: &b.Collateral.Address,
			Data: tokenABI.PackApprove(b.Venue, toUnitsUp(a.Amount, b.Collateral.Decimals))}, nil
	}
	m, ok := b.Market(a.Asset)
	if !ok {
		return chain.TxRequest{}, fmt.Errorf("unknown market %q", a.Asset)
	}
	id := new(big.Int).SetUint64(m.ID)
	var data []byte
	switch a.Kind {
	case hedge.ActDeposit:
		data = venueABI.PackDeposit(id, toUnitsUp(a.Amount, b.Collateral.Decimals))
	case hedge.ActWithdraw:
		if a.All {
			data = venueABI.PackWithdrawAll(id)
		} else {
			data = venueABI.PackWithdraw(id, toUnits(a.Amount, b.Collateral.Decimals))
		}
	case hedge.ActTrade:
		if a.SizeDelta.IsZero() {
			return chain.TxRequest{}, fmt.Errorf("trade of zero size in %s", a.Asset)
		}
		data = venueABI.PackModifyPosition(id, toWad(a.SizeDelta), toWad(a.AcceptablePrice))
	default:
		return chain.TxRequest{}, fmt.Errorf("unknown action %q", a.Kind)
	}
	return chain.TxRequest{To: &b.Venue, Data: data}, nil
}

// Execute sends one action and waits for it to be mined.
func (v *Venue) Execute(ctx context.Context, a hedge.Action) (string, error) {
	if v.Tx == nil {
		return "", fmt.Errorf("no signer: this command is read-only")
	}
	req, err := v.request(a)
	if err != nil {
		return "", err
	}
	rcpt, err := v.Tx.Send(ctx, req)
	if err != nil {
		return "", fmt.Errorf("%s: %w", strings.TrimSpace(string(a.Kind)+" "+a.Asset), err)
	}
	return rcpt.TxHash.Hex(), nil
}

// GasEstimate is the gas of one planned action.
type GasEstimate struct {
	Gas uint64
	Err string // why the action would fail, if it would
}

// EstimatePlan estimates the gas of each action as if the earlier ones had
// already run (a deposit after its approve), with eth_simulateV1 where the
// node has it, else one eth_estimateGas per action.
func (v *Venue) EstimatePlan(ctx context.Context, actions []hedge.Action) ([]GasEstimate, error) {
	if len(actions) == 0 {
		return nil, nil
	}
	reqs := make([]chain.TxRequest, len(actions))
	for i, a := range actions {
		r, err := v.request(a)
		if err != nil {
			return nil, err
		}
		reqs[i] = r
	}
	if out, err := v.simulate(ctx, reqs); err == nil {
		return out, nil
	}
	out := make([]GasEstimate, len(reqs))
	for i, r := range reqs {
		gas, err := v.Tx.Estimate(ctx, r)
		out[i] = GasEstimate{Gas: gas}
		if err != nil {
			out[i].Err = err.Error()
		}
	}
	return out, nil
}

func (v *Venue) simulate(ctx context.Context, reqs []chain.TxRequest) ([]GasEstimate, error) {
	type call struct {
		From  common.Address  `json:"from"`
		To    *common.Address `json:"to"`
		Input hexutil.Bytes   `json:"input"`
	}
	calls := make([]call, len(reqs))
	for i, r := range reqs {
		calls[i] = call{From: v.Account, To: r.To, Input: r.Data}
	}
	payload := map[string]any{"blockStateCalls": []any{map[string]any{"calls": calls}}}
	var res []struct {
		Calls []struct {
			Status     hexutil.Uint64 `json:"status"`
			GasUsed    hexutil.Uint64 `json:"gasUsed"`
			ReturnData hexutil.Bytes  `json:"returnData"`
			Error      *struct {
				Message string `json:"message"`
			} `json:"error"`
		} `json:"calls"`
	}
	if err := v.Client.RPC.CallContext(ctx, &res, "eth_simulateV1", payload, "latest"); err != nil {
		return nil, err
	}
	if len(res) != 1 || len(res[0].Calls) != len(reqs) {
		return nil, fmt.Errorf("eth_simulateV1: unexpected answer shape")
	}
	out := make([]GasEstimate, len(reqs))
	for i, c := range res[0].Calls {
		g := uint64(c.GasUsed)
		out[i] = GasEstimate{Gas: g + g/4}
		if c.Status != 1 {
			out[i].Err = "would revert: " + chain.DecodeRevertData(c.ReturnData, ABIs()...)
			if len(c.ReturnData) < 4 && c.Error != nil {
				out[i].Err = "would revert: " + c.Error.Message
			}
		}
	}
	return out, nil
}
