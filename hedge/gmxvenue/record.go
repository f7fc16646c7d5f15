package gmxvenue

// The hedge record's event decoding for GMX v2: the account's EventEmitter
// events (and its collateral transfers) turned into record.Events, and the
// account's state at a block, all read from the chain. The computation is
// hedge/record's; this file only says what GMX's events mean.
//
// GMX keeps isolated positions whose collateral is a token (USDC here), so
// the record's ledger is in that token's units (1e-6): the collateral of the
// account's positions plus its claimable funding in that token. Money enters
// the ledger when the keeper executes an increase (the order's
// initialCollateralDeltaAmount; until then it sits in the OrderVault and a
// cancellation sends it back), leaves it when a decrease pays out (the
// token's transfers to the account in that execution) or a claim pays
// claimable funding out. Funding GMX credits in the market's other token
// (WETH on ETH/USD, when the paying side's collateral is WETH) is claimable
// apart from that ledger: its events carry the token amount and the feed
// price at the block, so it counts in the USD totals and stays out of the
// USDC reconciliation, as does its claim.

import (
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/record"
)

// RecordSource reads one account's record from GMX v2.
type RecordSource struct {
	Client  *gmx.Client // Discover must have run
	Account common.Address

	// Headers gives BlockTime and FirstBlockAtOrAfter (hedge/record).
	record.Headers[*types.Header]
	snaps map[uint64]*gmx.Snapshot
}

var _ record.Source = (*RecordSource)(nil)
var _ record.VenueBasis = (*RecordSource)(nil)

// NewRecordSource makes a source for account; c must be discovered.
func NewRecordSource(c *gmx.Client, account common.Address) *RecordSource {
	rc := *c // a read-only copy for the account: no transactions
	rc.Account, rc.Tx = account, nil
	s := &RecordSource{Client: &rc, Account: account, snaps: map[uint64]*gmx.Snapshot{}}
	s.Headers = record.Headers[*types.Header]{Fetch: rc.Chain.HeaderByNumber, Time: func(h *types.Header) uint64 { return h.Time }}
	return s
}

// Venue names the venue.
func (s *RecordSource) Venue() string { return RecordVenue(s.Client.Book) }

// RecordVenue is how the record and the designations name GMX on b's chain.
func RecordVenue(b *gmx.Book) string {
	return "GMX v2 on " + b.Network + " (ExchangeRouter " + b.Contracts.ExchangeRouter.Hex() + ")"
}

// Collateral: the ledger is the collateral token's own units.
func (s *RecordSource) Collateral() (string, decimal.Decimal, decimal.Decimal) {
	c := s.Client.Book.Collateral
	u := decimal.New(1, -int32(c.Decimals))
	return c.Symbol, u, u
}

// Rounding of the average-cost computation (GMX keeps sizeInUsd and
// sizeInTokens; their ratio is the entry, not a stored rounded figure).
func (s *RecordSource) Rounding() int32 { return 18 }

// BasisTolerance: GMX books the realized PnL itself (basePnlUsd plus the
// realized price impact, paid in collateral units); the event-built entry
// differs from sizeInUsd/sizeInTokens only by the decimals the incremental
// mean truncates.
func (s *RecordSource) BasisTolerance() decimal.Decimal { return decimal.New(1, -9) }

var (
	emitterABI, _ = cgmx.EventEmitterMetaData.ParseABI()
	log1Topic     = emitterABI.Events["EventLog1"].ID
	log2Topic     = emitterABI.Events["EventLog2"].ID
	transferTopic = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
	approvalTopic = crypto.Keccak256Hash([]byte("Approval(address,address,uint256)"))
)

func (s *RecordSource) snapshot(ctx context.Context, n uint64) (*gmx.Snapshot, error) {
	if sn, ok := s.snaps[n]; ok {
		return sn, nil
	}
	h, err := s.Header(ctx, n)
	if err != nil {
		return nil, err
	}
	sn, err := s.Client.SnapshotAt(ctx, h)
	if err != nil {
		return nil, err
	}
	s.snaps[n] = sn
	return sn, nil
}

// State is the account at the end of block n: its positions (size in
// index tokens, entry = sizeInUsd / sizeInTokens, collateral), its
// claimable funding in the collateral token and the index feeds' prices,
// read in one batch pinned to n.
func (s *RecordSource) State(ctx context.Context, n uint64) (record.State, error) {
	sn, err := s.snapshot(ctx, n)
	if err != nil {
		return record.State{}, fmt.Errorf("account state at block %d: %w", n, err)
	}
	col := s.Client.Book.Collateral
	st := record.State{Block: n, Time: sn.Time}
	held := map[common.Address]bool{}
	for _, p := range sn.Positions {
		num := p.Info.Position.Numbers
		if p.Info.Position.Addresses.CollateralToken != col.Address {
			continue // hedger opens USDC-collateral shorts only
		}
		ms := sn.Markets[p.Market.MarketToken]
		size := decimal.NewFromBigInt(num.SizeInTokens, -int32(p.Market.Index.Decimals))
		usd := decimal.NewFromBigInt(num.SizeInUsd, -30)
		entry := decimal.Zero
		if !size.IsZero() {
			entry = usd.DivRound(size, 18)
		}
		if !p.IsLong {
			size = size.Neg()
		}
		c := decimal.NewFromBigInt(num.CollateralAmount, -int32(col.Decimals))
		st.Collateral = st.Collateral.Add(c)
		price := decimal.Zero
		if ms != nil && ms.IndexPrice != nil {
			price = gmx.PriceUSD(ms.IndexPrice, p.Market.Index.Decimals)
		}
		accrued := decimal.Zero
		if f := p.Info.Fees; f.Funding.ClaimableShortTokenAmount != nil {
			// Pending from the user's side: claimable − funding owed − borrowing owed.
			accrued = decimal.NewFromBigInt(f.Funding.ClaimableShortTokenAmount, -int32(col.Decimals)).
				Sub(decimal.NewFromBigInt(f.Funding.FundingFeeAmount, -int32(col.Decimals))).
				Sub(decimal.NewFromBigInt(f.Borrowing.BorrowingFeeAmount, -int32(col.Decimals)))
			// Pending funding in the long token, at its feed price (USD).
			if f.Funding.ClaimableLongTokenAmount != nil && ms != nil && ms.LongPrice != nil && p.Market.Long.Address != col.Address {
				accrued = accrued.Add(decimal.NewFromBigInt(f.Funding.ClaimableLongTokenAmount, -int32(p.Market.Long.Decimals)).
					Mul(gmx.PriceUSD(ms.LongPrice, p.Market.Long.Decimals)))
			}
		}
		held[p.Market.MarketToken] = true
		st.Positions = append(st.Positions, record.PositionState{Asset: p.Market.Asset, Market: p.Market.Name, Size: size,
			Entry: entry, Collateral: c, AccruedFunding: accrued, Price: price})
	}
	for _, m := range s.Client.Book.Markets {
		ms := sn.Markets[m.MarketToken]
		if ms == nil {
			continue
		}
		if m.Short.Address == col.Address && ms.ClaimableFundingShort != nil {
			st.Collateral = st.Collateral.Add(decimal.NewFromBigInt(ms.ClaimableFundingShort, -int32(col.Decimals)))
		}
		if !held[m.MarketToken] {
			// No position: the market still appears, so the record's book
			// is checked against a size of zero.
			st.Positions = append(st.Positions, record.PositionState{Asset: m.Asset, Market: m.Name,
				Price: gmx.PriceUSD(orZero(ms.IndexPrice), m.Index.Decimals)})
		}
	}
	return st, nil
}

// TxsInRange finds every transaction in [from, to] that left a GMX event
// of the account (its orders, their executions and cancellations, its
// positions' updates, claims) or a collateral approval by it.
func (s *RecordSource) TxsInRange(ctx context.Context, from, to uint64) ([]common.Hash, error) {
	acct := common.BytesToHash(s.Account.Bytes())
	b := s.Client.Book
	f, t := new(big.Int).SetUint64(from), new(big.Int).SetUint64(to)
	qs := []ethereum.FilterQuery{
		{FromBlock: f, ToBlock: t, Addresses: []common.Address{b.Contracts.EventEmitter}, Topics: [][]common.Hash{{log1Topic}, nil, {acct}}},
		{FromBlock: f, ToBlock: t, Addresses: []common.Address{b.Contracts.EventEmitter}, Topics: [][]common.Hash{{log2Topic}, nil, nil, {acct}}},
		{FromBlock: f, ToBlock: t, Addresses: []common.Address{b.Collateral.Address}, Topics: [][]common.Hash{{approvalTopic}, {acct}}},
	}
	return s.txsOf(ctx, qs)
}

func (s *RecordSource) txsOf(ctx context.Context, qs []ethereum.FilterQuery) ([]common.Hash, error) {
	seen := map[common.Hash]bool{}
	var out []common.Hash
	for _, q := range qs {
		logs, err := s.Client.Chain.FilterLogs(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("reading the account's GMX logs: %w", err)
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

// outcomes finds the transactions that executed, cancelled or froze the
// orders created in the given receipts (the keeper sends them, so the
// journal holds only the creations).
func (s *RecordSource) outcomes(ctx context.Context, rcs []*types.Receipt, to uint64) ([]common.Hash, error) {
	var keys []common.Hash
	for _, rc := range rcs {
		evs, err := gmx.DecodeEvents(s.Client.Book, rc.Logs)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			if e.Name == "OrderCreated" && e.Account == s.Account {
				keys = append(keys, e.Topic1)
			}
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	return s.txsOf(ctx, []ethereum.FilterQuery{{FromBlock: rcs[0].BlockNumber, ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{s.Client.Book.Contracts.EventEmitter}, Topics: [][]common.Hash{{log2Topic}, nil, keys}}})
}

// ExecutionsOf adds to hashes (the account's own transactions, from the
// journal) the keeper's transactions that settled the orders they created.
func (s *RecordSource) ExecutionsOf(ctx context.Context, hashes []common.Hash, to uint64) ([]common.Hash, error) {
	var rcs []*types.Receipt
	for _, h := range hashes {
		rc, err := s.Client.Chain.TransactionReceipt(ctx, h)
		if err == ethereum.NotFound {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("receipt %s: %w", h.Hex(), err)
		}
		rcs = append(rcs, rc)
	}
	sort.Slice(rcs, func(i, j int) bool { return rcs[i].BlockNumber.Cmp(rcs[j].BlockNumber) < 0 })
	more, err := s.outcomes(ctx, rcs, to)
	if err != nil {
		return nil, err
	}
	return append(append([]common.Hash(nil), hashes...), more...), nil
}

// Events decodes the given transactions as the chain has them now into the
// record's events, in chain order. Transactions outside [from, to] are left
// out; the second result lists the hashes the chain no longer has.
func (s *RecordSource) Events(ctx context.Context, hashes []common.Hash, from, to uint64) ([]record.Event, []common.Hash, error) {
	type mined struct {
		rc *types.Receipt
		tx *types.Transaction
	}
	var txs []mined
	var missing []common.Hash
	seen := map[common.Hash]bool{}
	for _, h := range hashes {
		if seen[h] {
			continue
		}
		seen[h] = true
		rc, err := s.Client.Chain.TransactionReceipt(ctx, h)
		if err == ethereum.NotFound {
			missing = append(missing, h)
			continue
		} else if err != nil {
			return nil, nil, fmt.Errorf("receipt %s: %w", h.Hex(), err)
		}
		if n := rc.BlockNumber.Uint64(); n < from || n > to {
			continue
		}
		tx, _, err := s.Client.Chain.TransactionByHash(ctx, h)
		if err != nil {
			return nil, nil, fmt.Errorf("transaction %s: %w", h.Hex(), err)
		}
		txs = append(txs, mined{rc, tx})
	}
	sort.Slice(txs, func(i, j int) bool {
		a, b := txs[i].rc, txs[j].rc
		if c := a.BlockNumber.Cmp(b.BlockNumber); c != 0 {
			return c < 0
		}
		return a.TransactionIndex < b.TransactionIndex
	})
	// The collateral of each position before the first execution in the
	// period: what the record's realized figure is measured from.
	coll := map[common.Hash]*big.Int{}
	if from > 0 {
		sn, err := s.snapshot(ctx, from-1)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range sn.Positions {
			coll[p.Key] = new(big.Int).Set(p.Info.Position.Numbers.CollateralAmount)
		}
	}
	signer := types.LatestSignerForChainID(s.Client.Chain.ChainID)
	var out []record.Event
	for _, m := range txs {
		evs, err := s.decodeTx(ctx, m.rc, m.tx, signer, coll)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, evs...)
	}
	return out, missing, nil
}

func (s *RecordSource) amount(x *big.Int) decimal.Decimal {
	return decimal.NewFromBigInt(orZero(x), -int32(s.Client.Book.Collateral.Decimals))
}

// tokenPrice is token's feed price at block n (a long or short token of a
// market, as GMX's reference feeds price it there), zero if no market
// prices it. Gas and funding paid in a token are both valued with it.
func (s *RecordSource) tokenPrice(ctx context.Context, n uint64, token common.Address) (decimal.Decimal, error) {
	sn, err := s.snapshot(ctx, n)
	if err != nil {
		return decimal.Zero, err
	}
	t, ok := s.Client.Book.TokenByAddress(token)
	if !ok {
		return decimal.Zero, nil
	}
	for _, ms := range sn.Markets {
		switch {
		case ms.Market.Long.Address == token && ms.LongPrice != nil:
			return gmx.PriceUSD(ms.LongPrice, t.Decimals), nil
		case ms.Market.Short.Address == token && ms.ShortPrice != nil:
			return gmx.PriceUSD(ms.ShortPrice, t.Decimals), nil
		}
	}
	return decimal.Zero, nil
}

// tokenEvent fills a funding or claim event paid in token (not the
// collateral): its amount and the token's feed price at block n; Build
// values it and keeps it outside the collateral ledger.
func (s *RecordSource) tokenEvent(ctx context.Context, x *record.Event, token common.Address, amount *big.Int, n uint64) error {
	t, ok := s.Client.Book.TokenByAddress(token)
	if !ok {
		return fmt.Errorf("GMX %s at block %d in token %s, which the book does not list", x.Kind, n, token.Hex())
	}
	price, err := s.tokenPrice(ctx, n, token)
	if err != nil {
		return err
	}
	x.Token, x.TokenAmount, x.TokenPrice = t.Symbol, decimal.NewFromBigInt(orZero(amount), -int32(t.Decimals)), price
	return nil
}

// decodeTx turns one receipt into events. coll tracks each position's
// collateral (token units) across executions.
func (s *RecordSource) decodeTx(ctx context.Context, rc *types.Receipt, tx *types.Transaction, signer types.Signer, coll map[common.Hash]*big.Int) ([]record.Event, error) {
	b := s.Client.Book
	n := rc.BlockNumber.Uint64()
	bt, err := s.BlockTime(ctx, n)
	if err != nil {
		return nil, err
	}
	evs, err := gmx.DecodeEvents(b, rc.Logs)
	if err != nil {
		return nil, err
	}
	// The collateral token's transfers to the account in this transaction
	// (a decrease's payout, a claim, a cancellation's refund).
	paid := new(big.Int)
	for _, l := range rc.Logs {
		if l.Address == b.Collateral.Address && len(l.Topics) == 3 && l.Topics[0] == transferTopic &&
			common.BytesToAddress(l.Topics[2].Bytes()) == s.Account {
			paid.Add(paid, new(big.Int).SetBytes(l.Data))
		}
	}
	// Events keep the order of the transaction's logs (Build's sort is stable).
	var base uint
	if len(rc.Logs) > 0 {
		base = rc.Logs[0].Index
	}
	ev := func(kind string, m gmx.Market, i int) record.Event {
		return record.Event{Kind: kind, Time: bt, Block: n, Tx: rc.TxHash.Hex(), LogIndex: base + uint(i), Asset: m.Asset, Market: m.Name}
	}
	var out []record.Event
	created := map[common.Hash]*big.Int{} // order key -> initial collateral, for orders created earlier in the period
	fees := map[common.Hash]gmx.Event{}   // order key -> its PositionFeesCollected
	orderTxs := map[common.Hash]bool{}    // the account's transactions that created the orders this one executed
	var lastAsset string
	nativeBack := new(big.Int)
	cancelled := ""
	for i, e := range evs {
		switch e.Name {
		case "PositionFeesCollected":
			if e.Addresses["trader"] == s.Account {
				fees[e.Bytes32["orderKey"]] = e
			}
		case "OrderCancelled", "OrderFrozen":
			if e.Account == s.Account {
				cancelled = fmt.Sprintf("GMX order %s %s (%s): its collateral and unused execution fee refunded", shortKey(e.Topic1), map[string]string{"OrderCancelled": "cancelled", "OrderFrozen": "frozen"}[e.Name], e.Reason())
			}
		case "ExecutionFeeRefund":
			if e.Addresses["receiver"] == s.Account && e.Uints["refundFeeAmount"] != nil {
				nativeBack.Add(nativeBack, e.Uints["refundFeeAmount"])
			}
		case "ClaimableFundingUpdated":
			if e.Addresses["account"] != s.Account || e.Ints["delta"] == nil && e.Uints["delta"] == nil {
				continue
			}
			m, _ := b.MarketByToken(e.Addresses["market"])
			delta := firstBig(e.Uints["delta"], e.Ints["delta"])
			if e.Addresses["token"] == b.Collateral.Address {
				x := ev(record.KindFunding, m, i)
				x.Amount, x.Note = s.amount(delta), "funding received, credited as claimable"
				out = append(out, x)
			} else {
				x := ev(record.KindFunding, m, i)
				if err := s.tokenEvent(ctx, &x, e.Addresses["token"], delta, n); err != nil {
					return nil, err
				}
				x.Note = fmt.Sprintf("funding received as %s claimable, valued at its feed price at the block: in the totals, outside the %s ledger",
					x.Token, b.Collateral.Symbol)
				out = append(out, x)
			}
			lastAsset = m.Asset
		case "FundingFeesClaimed":
			// A claim of both tokens emits one per token, also for nothing claimable.
			if e.Addresses["account"] != s.Account || orZero(e.Uints["amount"]).Sign() == 0 {
				continue
			}
			m, _ := b.MarketByToken(e.Addresses["market"])
			x := ev(record.KindClaim, m, i)
			if e.Addresses["token"] == b.Collateral.Address {
				x.Amount, x.Note = s.amount(e.Uints["amount"]), "claimable funding paid to the account"
			} else {
				if err := s.tokenEvent(ctx, &x, e.Addresses["token"], e.Uints["amount"], n); err != nil {
					return nil, err
				}
				x.Note = fmt.Sprintf("claimable funding in %s paid to the account: outside the %s ledger", x.Token, b.Collateral.Symbol)
			}
			out = append(out, x)
			lastAsset = m.Asset
		case "PositionIncrease", "PositionDecrease":
			if e.Addresses["account"] != s.Account || e.Addresses["collateralToken"] != b.Collateral.Address {
				continue
			}
			m, _ := b.MarketByToken(e.Addresses["market"])
			lastAsset = m.Asset
			inc := e.Name == "PositionIncrease"
			key, pk := e.Bytes32["orderKey"], e.Bytes32["positionKey"]
			before := coll[pk]
			if before == nil {
				before = new(big.Int)
			}
			after := orZero(e.Uints["collateralAmount"])
			coll[pk] = new(big.Int).Set(after)
			fe := fees[key]
			fundingPaid, borrowing, total := orZero(fe.Uints["fundingFeeAmount"]), orZero(fe.Uints["borrowingFeeAmount"]), orZero(fe.Uints["totalCostAmount"])
			tradeFee := new(big.Int).Sub(new(big.Int).Sub(total, borrowing), fundingPaid) // position fee + UI fee − discounts
			deposit, withdrawn := new(big.Int), new(big.Int)
			d, ok := created[key]
			if !ok {
				var otx common.Hash
				if d, otx, err = s.order(ctx, key, n); err != nil {
					return nil, err
				}
				orderTxs[otx] = true
			}
			if inc {
				deposit = d
			} else {
				withdrawn = paid
			}
			// The ledger: after = before + deposit − withdrawn + realized − fees − borrowing − funding paid,
			// so what GMX settled as PnL (base PnL and realized price impact) is:
			realized := new(big.Int).Sub(after, before)
			realized.Sub(realized, deposit).Add(realized, withdrawn).Add(realized, total)
			idx := m.Index.Decimals
			sizeTok := decimal.NewFromBigInt(orZero(e.Uints["sizeDeltaInTokens"]), -int32(idx))
			sizeUSD := decimal.NewFromBigInt(orZero(e.Uints["sizeDeltaUsd"]), -30)
			exec := gmx.PriceUSD(orZero(e.Uints["executionPrice"]), idx)
			if deposit.Sign() > 0 {
				x := ev(record.KindDeposit, m, i)
				x.Amount, x.Note = s.amount(deposit), "collateral sent with the order, added at its execution"
				out = append(out, x)
			}
			x := ev(record.KindTrade, m, i)
			x.Fee = s.amount(tradeFee)
			vr := s.amount(realized)
			x.VenueRealized = &vr
			if inc {
				// GMX books sizeDeltaUsd / sizeDeltaInTokens into the basis and
				// defers the increase's price impact to the decreases.
				x.SizeDelta = sizeTok.Neg()
				if !sizeTok.IsZero() {
					x.FillPrice = sizeUSD.DivRound(sizeTok, 18)
				}
				x.Note = fmt.Sprintf("GMX order %s; execution price %s (price impact %s USD deferred to the decreases)", shortKey(key), exec,
					decimal.NewFromBigInt(orZero(e.Ints["pendingPriceImpactUsd"]), -30).StringFixed(6))
				if realized.Sign() != 0 {
					x.Note += "; GMX settled " + vr.String() + " on the increase"
				}
			} else {
				x.SizeDelta, x.FillPrice = sizeTok, exec
				// Cross-check: GMX's own figures, in collateral units at the collateral price.
				cp := orZero(e.Uints["collateralTokenPrice.min"])
				want := new(big.Int)
				if cp.Sign() > 0 {
					want.Add(floorDiv(orZero(e.Ints["basePnlUsd"]), cp), floorDiv(orZero(e.Ints["totalImpactUsd"]), cp))
				}
				x.Note = fmt.Sprintf("GMX order %s; base PnL %s USD, price impact %s USD; %s %s paid out", shortKey(key),
					decimal.NewFromBigInt(orZero(e.Ints["basePnlUsd"]), -30).StringFixed(6),
					decimal.NewFromBigInt(orZero(e.Ints["totalImpactUsd"]), -30).StringFixed(6), s.amount(paid), b.Collateral.Symbol)
				if d := new(big.Int).Sub(realized, want); d.CmpAbs(big.NewInt(1)) > 0 {
					x.Note += fmt.Sprintf("; CHECK: the collateral moved by %s, GMX's base PnL + impact say %s", vr, s.amount(want))
				}
			}
			out = append(out, x)
			if fundingPaid.Sign() > 0 {
				f := ev(record.KindFunding, m, i)
				f.Amount, f.Note = s.amount(fundingPaid).Neg(), "funding paid from the collateral"
				out = append(out, f)
			}
			if borrowing.Sign() > 0 {
				f := ev(record.KindBorrowing, m, i)
				f.Amount = s.amount(borrowing)
				out = append(out, f)
			}
			if !inc && deposit.Sign() == 0 && paid.Sign() > 0 {
				w := ev(record.KindWithdrawal, m, i)
				w.Amount, w.Note = s.amount(paid), "paid out by the decrease"
				out = append(out, w)
			}
		case "OrderCreated":
			if e.Account == s.Account {
				created[e.Topic1] = orZero(e.Uints["initialCollateralDeltaAmount"])
				if m, ok := b.MarketByToken(e.Addresses["market"]); ok {
					lastAsset = m.Asset
				}
			}
		}
	}
	// Native coin: what the account's own transaction cost (gas and the
	// execution fee it sent to the OrderVault), less what the keeper's
	// execution refunded.
	sender, _ := types.Sender(signer, tx)
	native := new(big.Int)
	note := ""
	if sender == s.Account {
		native.Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice)
		if tx.Value() != nil && tx.Value().Sign() > 0 {
			native.Add(native, tx.Value())
			note = fmt.Sprintf("gas %s + execution fee %s sent with the order", decimal.NewFromBigInt(new(big.Int).Sub(native, tx.Value()), -18), decimal.NewFromBigInt(tx.Value(), -18))
		}
		if rc.Status != types.ReceiptStatusSuccessful {
			note = "reverted: only the gas was spent"
		}
	}
	if nativeBack.Sign() > 0 {
		native.Sub(native, nativeBack)
		if note != "" {
			note += "; "
		}
		note += fmt.Sprintf("execution fee refunded %s", decimal.NewFromBigInt(nativeBack, -18))
	}
	if cancelled != "" {
		if note != "" {
			note += "; "
		}
		note += cancelled
	}
	if sender == s.Account || nativeBack.Sign() > 0 {
		price, err := s.tokenPrice(ctx, n, b.Native.Address)
		if err != nil {
			return nil, err
		}
		out = append(out, record.Event{Kind: record.KindGas, Time: bt, Block: n, Tx: rc.TxHash.Hex(), LogIndex: base + 1<<30,
			Asset: lastAsset, GasNative: decimal.NewFromBigInt(native, -18), NativePrice: price, Note: note})
	}
	if len(orderTxs) == 1 {
		// A keeper's execution of one order: its events follow the order's
		// transaction (a reorg that moves that one moves them too).
		for h := range orderTxs {
			for i := range out {
				out[i].OrderTx = h.Hex()
			}
		}
	}
	return out, nil
}

// order is the initial collateral of the order key and the transaction
// that created it, from its OrderCreated event (created before this
// period, or in another transaction than its execution).
func (s *RecordSource) order(ctx context.Context, key common.Hash, upTo uint64) (*big.Int, common.Hash, error) {
	logs, err := s.Client.Chain.FilterLogs(ctx, ethereum.FilterQuery{ToBlock: new(big.Int).SetUint64(upTo),
		FromBlock: new(big.Int), Addresses: []common.Address{s.Client.Book.Contracts.EventEmitter},
		Topics: [][]common.Hash{{log2Topic}, {crypto.Keccak256Hash([]byte("OrderCreated"))}, {key}}})
	if err != nil {
		return nil, common.Hash{}, fmt.Errorf("looking up GMX order %s: %w", key.Hex(), err)
	}
	for i := range logs {
		if logs[i].Removed {
			continue
		}
		evs, err := gmx.DecodeEvents(s.Client.Book, []*types.Log{&logs[i]})
		if err != nil {
			return nil, common.Hash{}, err
		}
		for _, e := range evs {
			if e.Name == "OrderCreated" && e.Topic1 == key {
				return orZero(e.Uints["initialCollateralDeltaAmount"]), logs[i].TxHash, nil
			}
		}
	}
	return nil, common.Hash{}, fmt.Errorf("GMX order %s: no OrderCreated event on chain up to block %d", key.Hex(), upTo)
}

func firstBig(xs ...*big.Int) *big.Int {
	for _, x := range xs {
		if x != nil {
			return x
		}
	}
	return new(big.Int)
}

// floorDiv is a / b rounded toward −∞ (GMX rounds against the trader).
func floorDiv(a, b *big.Int) *big.Int {
	q, _ := new(big.Int).DivMod(a, b, new(big.Int)) // Euclidean: the remainder is ≥ 0, so q is the floor for b > 0
	return q
}

func shortKey(h common.Hash) string { return h.Hex()[:10] + "…" }
