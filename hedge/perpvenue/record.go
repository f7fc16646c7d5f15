package perpvenue

// The record's event decoding for PerpVenue: the account's venue events and
// transactions turned into record.Events, and the account's state at a
// block, all read from the chain (the journal only says which transactions
// to look at).

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge/record"
)

// RecordSource reads one margin account's record from PerpVenue.
type RecordSource struct {
	Client  *chain.Client
	Book    *AddressBook
	Account common.Address

	// Headers gives BlockTime and FirstBlockAtOrAfter (hedge/record).
	record.Headers[*types.Header]
	prices map[uint64]decimal.Decimal // native coin's feed price by block
}

var _ record.Source = (*RecordSource)(nil)

// NewRecordSource makes a source for account on the book's venue.
func NewRecordSource(c *chain.Client, b *AddressBook, account common.Address) *RecordSource {
	s := &RecordSource{Client: c, Book: b, Account: account, prices: map[uint64]decimal.Decimal{}}
	s.Headers = record.Headers[*types.Header]{Fetch: c.HeaderByNumber, Time: func(h *types.Header) uint64 { return h.Time }}
	return s
}

// Venue names the venue.
func (s *RecordSource) Venue() string { return "PerpVenue at " + s.Book.Venue.Hex() }

// Collateral: PerpVenue keeps margin as USD wad (1e-18) per position; the
// token (USDC) moves in its own units.
func (s *RecordSource) Collateral() (string, decimal.Decimal, decimal.Decimal) {
	return s.Book.Collateral.Symbol, decimal.New(1, -18), decimal.New(1, -s.Book.Collateral.Decimals)
}

// Rounding: PerpVenue's average entry and realized PnL are wad integers
// truncated toward zero.
func (s *RecordSource) Rounding() int32 { return 18 }

var venueEvents = func() map[common.Hash]string {
	out := map[common.Hash]string{}
	a, err := contracts.PerpVenueMetaData.ParseABI()
	if err != nil {
		return out // never: the generated ABI parses; no event then decodes
	}
	for _, n := range []string{"MarginDeposited", "MarginWithdrawn", "FundingSettled", "PositionModified", "PositionLiquidated"} {
		out[a.Events[n].ID] = n
	}
	return out
}()

// approvalTopic is ERC-20 Approval(owner, spender, value).
var approvalTopic = crypto.Keccak256Hash([]byte("Approval(address,address,uint256)"))

func (s *RecordSource) accountTopic() common.Hash { return common.BytesToHash(s.Account.Bytes()) }

// TxsInRange finds every transaction in [from, to] that left an event of
// the account: its venue events and its collateral approvals. A reverted
// transaction leaves none, so its gas is only found through the journal.
func (s *RecordSource) TxsInRange(ctx context.Context, from, to uint64) ([]common.Hash, error) {
	var ids []common.Hash
	for id := range venueEvents {
		ids = append(ids, id)
	}
	acct := s.accountTopic()
	qs := []ethereum.FilterQuery{
		{FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to), Addresses: []common.Address{s.Book.Venue},
			Topics: [][]common.Hash{ids, {acct}}},
		{FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to), Addresses: []common.Address{s.Book.Collateral.Address},
			Topics: [][]common.Hash{{approvalTopic}, {acct}}},
	}
	seen := map[common.Hash]bool{}
	var out []common.Hash
	for _, q := range qs {
		logs, err := s.Client.FilterLogs(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("reading the account's logs in blocks %d..%d: %w", from, to, err)
		}
		for _, l := range logs {
			if !l.Removed && !seen[l.TxHash] {
				seen[l.TxHash] = true
				out = append(out, l.TxHash)
			}
		}
	}
	return out, nil
}

// Liquidations finds liquidations of the account in [from, to]: another
// account sends them, so the journal does not hold them.
func (s *RecordSource) Liquidations(ctx context.Context, from, to uint64) ([]common.Hash, error) {
	var id common.Hash
	for h, n := range venueEvents {
		if n == "PositionLiquidated" {
			id = h
		}
	}
	logs, err := s.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{s.Book.Venue}, Topics: [][]common.Hash{{id}, {s.accountTopic()}}})
	if err != nil {
		return nil, fmt.Errorf("reading liquidations in blocks %d..%d: %w", from, to, err)
	}
	var out []common.Hash
	for _, l := range logs {
		if !l.Removed {
			out = append(out, l.TxHash)
		}
	}
	return out, nil
}

// Events decodes the given transactions as the chain has them now: the
// account's venue events in their logs and, for transactions it sent, the
// gas paid. Transactions outside [from, to] (or no longer on chain) are
// left out; the second result lists the hashes not found.
func (s *RecordSource) Events(ctx context.Context, hashes []common.Hash, from, to uint64) ([]record.Event, []common.Hash, error) {
	signer := types.LatestSignerForChainID(s.Client.ChainID)
	seen := map[common.Hash]bool{}
	var out []record.Event
	var missing []common.Hash
	for _, h := range hashes {
		if seen[h] {
			continue
		}
		seen[h] = true
		rc, err := s.Client.TransactionReceipt(ctx, h)
		if err != nil {
			if err == ethereum.NotFound {
				missing = append(missing, h)
				continue
			}
			return nil, nil, fmt.Errorf("receipt %s: %w", h.Hex(), err)
		}
		n := rc.BlockNumber.Uint64()
		if n < from || n > to {
			continue
		}
		tx, _, err := s.Client.TransactionByHash(ctx, h)
		if err != nil {
			return nil, nil, fmt.Errorf("transaction %s: %w", h.Hex(), err)
		}
		bt, err := s.BlockTime(ctx, n)
		if err != nil {
			return nil, nil, err
		}
		withdrawAll := len(tx.Data()) >= 4 && bytes.Equal(tx.Data()[:4], venueABI.PackWithdrawAll(big.NewInt(0))[:4])
		for _, l := range rc.Logs {
			e, ok := s.decode(l)
			if !ok {
				continue
			}
			e.Time, e.Block, e.Tx, e.LogIndex = bt, n, h.Hex(), l.Index
			if e.Kind == record.KindWithdrawal {
				e.All = withdrawAll
			}
			out = append(out, e)
		}
		if sender, err := types.Sender(signer, tx); err == nil && sender == s.Account {
			price, err := s.nativePrice(ctx, n)
			if err != nil {
				return nil, nil, err
			}
			note := ""
			if price.IsZero() {
				note = "no feed prices the native coin: gas in USD unknown"
			}
			fee := new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice)
			asset := ""
			if len(out) > 0 && out[len(out)-1].Tx == h.Hex() {
				asset = out[len(out)-1].Asset
			}
			if rc.Status != types.ReceiptStatusSuccessful {
				note = "reverted: only the gas was spent"
			}
			out = append(out, record.Event{Kind: record.KindGas, Time: bt, Block: n, Tx: h.Hex(), LogIndex: uint(1 << 30),
				Asset: asset, GasNative: fromWad(fee), NativePrice: price, Note: note})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Block != out[j].Block {
			return out[i].Block < out[j].Block
		}
		return out[i].LogIndex < out[j].LogIndex
	})
	return out, missing, nil
}

func (s *RecordSource) assetOf(id *big.Int) (string, string) {
	for _, m := range s.Book.Markets {
		if id != nil && id.IsUint64() && m.ID == id.Uint64() {
			return m.Asset, MarketKey(m.ID)
		}
	}
	return "", id.String()
}

// decode reads one log of the account on the venue.
func (s *RecordSource) decode(l *types.Log) (record.Event, bool) {
	if l.Address != s.Book.Venue || len(l.Topics) < 2 || l.Topics[1] != s.accountTopic() {
		return record.Event{}, false
	}
	dec := s.Book.Collateral.Decimals
	switch venueEvents[l.Topics[0]] {
	case "MarginDeposited":
		ev, err := venueABI.UnpackMarginDepositedEvent(l)
		if err != nil {
			return record.Event{}, false
		}
		a, m := s.assetOf(ev.MarketId)
		return record.Event{Kind: record.KindDeposit, Asset: a, Market: m, Amount: fromUnits(ev.Amount, dec)}, true
	case "MarginWithdrawn":
		ev, err := venueABI.UnpackMarginWithdrawnEvent(l)
		if err != nil {
			return record.Event{}, false
		}
		a, m := s.assetOf(ev.MarketId)
		return record.Event{Kind: record.KindWithdrawal, Asset: a, Market: m, Amount: fromUnits(ev.Amount, dec)}, true
	case "FundingSettled":
		ev, err := venueABI.UnpackFundingSettledEvent(l)
		if err != nil {
			return record.Event{}, false
		}
		a, m := s.assetOf(ev.MarketId)
		return record.Event{Kind: record.KindFunding, Asset: a, Market: m, Amount: fromWad(ev.Amount)}, true
	case "PositionModified":
		ev, err := venueABI.UnpackPositionModifiedEvent(l)
		if err != nil {
			return record.Event{}, false
		}
		a, m := s.assetOf(ev.MarketId)
		vr := fromWad(ev.RealizedPnl)
		return record.Event{Kind: record.KindTrade, Asset: a, Market: m, SizeDelta: fromWad(ev.SizeDelta),
			FillPrice: fromWad(ev.FillPrice), Fee: fromWad(ev.Fee), VenueRealized: &vr}, true
	case "PositionLiquidated":
		ev, err := venueABI.UnpackPositionLiquidatedEvent(l)
		if err != nil {
			return record.Event{}, false
		}
		a, m := s.assetOf(ev.MarketId)
		return record.Event{Kind: record.KindLiquidation, Asset: a, Market: m, SizeDelta: fromWad(ev.Size).Neg(),
			FillPrice: fromWad(ev.Price)}, true
	}
	return record.Event{}, false
}

// nativePrice is the native coin's feed price at block n (gas in USD).
func (s *RecordSource) nativePrice(ctx context.Context, n uint64) (decimal.Decimal, error) {
	if p, ok := s.prices[n]; ok {
		return p, nil
	}
	feed, dec, ok := s.Book.PriceFeed(s.Book.NativeAsset)
	if !ok {
		return decimal.Zero, nil // the event says so: gas in USD unknown
	}
	var round contracts.LatestRoundDataOutput
	var b chain.Batch
	b.Call(feed, feedABI.PackLatestRoundData(), func(out []byte) (err error) {
		round, err = feedABI.UnpackLatestRoundData(out)
		return err
	})
	if err := s.Client.Read(ctx, &b, new(big.Int).SetUint64(n)); err != nil {
		return decimal.Zero, fmt.Errorf("native price at block %d: %w", n, err)
	}
	p := fromUnits(round.Answer, dec)
	s.prices[n] = p
	return p, nil
}

// State reads the account's positions, collateral and feed prices at the
// end of block n, in one batch.
func (s *RecordSource) State(ctx context.Context, n uint64) (record.State, error) {
	b := s.Book
	if n < b.Block {
		// Before the venue was deployed the account held nothing on it.
		t, err := s.BlockTime(ctx, n)
		return record.State{Block: n, Time: t}, err
	}
	var batch chain.Batch
	pos := make([]contracts.PerpVenuePositionView, len(b.Markets))
	rounds := make([]contracts.LatestRoundDataOutput, len(b.Markets))
	for i, m := range b.Markets {
		id := new(big.Int).SetUint64(m.ID)
		batch.Call(b.Venue, venueABI.PackGetPosition(s.Account, id), func(out []byte) (err error) {
			pos[i], err = venueABI.UnpackGetPosition(out)
			return err
		})
		batch.Call(m.Feed, feedABI.PackLatestRoundData(), func(out []byte) (err error) {
			rounds[i], err = feedABI.UnpackLatestRoundData(out)
			return err
		})
	}
	if err := s.Client.Read(ctx, &batch, new(big.Int).SetUint64(n)); err != nil {
		return record.State{}, fmt.Errorf("account state at block %d: %w", n, err)
	}
	t, err := s.BlockTime(ctx, n)
	if err != nil {
		return record.State{}, err
	}
	st := record.State{Block: n, Time: t}
	for i, m := range b.Markets {
		p := pos[i]
		margin := fromWad(p.Margin)
		st.Collateral = st.Collateral.Add(margin)
		st.Positions = append(st.Positions, record.PositionState{Asset: m.Asset, Market: MarketKey(m.ID), Size: fromWad(p.Size),
			Entry: fromWad(p.EntryPrice), Collateral: margin, AccruedFunding: fromWad(p.AccruedFunding),
			Price: fromUnits(rounds[i].Answer, m.FeedDecimals)})
	}
	return st, nil
}
