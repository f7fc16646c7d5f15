// Package record turns a margin account's venue events into a period
// report: every event, realized PnL on an average-cost basis, funding, fees,
// gas, open positions marked to market at the period's last block, totals
// and a reconciliation of the account's collateral. The computation is
// venue-neutral and in exact decimals; a venue adapter supplies the events
// and the state at the period's edges through Source (PerpVenue's is in
// hedge/perpvenue). It records; it gives no tax advice.
package record

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Event kinds.
const (
	KindTrade       = "trade"       // a fill: size delta at a fill price, with its venue fee
	KindFunding     = "funding"     // funding settled into the collateral, + received, − paid
	KindBorrowing   = "borrowing"   // a borrowing fee charged to the collateral (positive = paid)
	KindFee         = "fee"         // any other venue fee (e.g. a withdrawal's sub-unit remainder)
	KindDeposit     = "deposit"     // collateral into the margin account
	KindWithdrawal  = "withdrawal"  // collateral out of the margin account
	KindClaim       = "claim"       // collateral claimed from the venue (funding or rebates paid out)
	KindLiquidation = "liquidation" // the venue closed the position; the equity left is forfeited
	KindGas         = "gas"         // a transaction's network fee, paid in the native coin
)

// Event is one thing that happened to the margin account, decoded by the
// venue adapter. Amounts are in the collateral's USD terms unless named
// otherwise; Fee is always positive (paid).
type Event struct {
	Kind     string    `json:"kind"`
	Time     time.Time `json:"time"`
	Block    uint64    `json:"block"`
	Tx       string    `json:"tx"`
	LogIndex uint      `json:"log_index"` // order within the block
	Asset    string    `json:"asset,omitempty"`
	Market   string    `json:"market,omitempty"`

	// Trades (and liquidations: SizeDelta closes the position at FillPrice).
	SizeDelta decimal.Decimal `json:"size_delta"`
	FillPrice decimal.Decimal `json:"fill_price"`
	// VenueRealized is the venue's own realized PnL figure when it reports
	// one; Build cross-checks its average-cost figure against it.
	VenueRealized *decimal.Decimal `json:"venue_realized_pnl,omitempty"`

	// Amount: deposits, withdrawals, claims (positive), funding (signed,
	// from the user's side), borrowing (positive = paid).
	Amount decimal.Decimal `json:"amount"`
	Fee    decimal.Decimal `json:"fee"`
	// All marks a withdrawal that took all of a closed position's
	// collateral: what the venue keeps of a sub-unit remainder is a fee.
	All bool `json:"-"`

	// Gas: the network fee in the native coin and the native coin's USD
	// price at the block (the feed's answer there).
	GasNative   decimal.Decimal `json:"gas_native"`
	NativePrice decimal.Decimal `json:"native_price"`

	// Token, TokenAmount, TokenPrice: funding or a claim paid in a token
	// that is not the collateral (GMX credits a short's funding in the
	// long token too, WETH for ETH/USD). Build values it like gas, Amount =
	// TokenAmount × TokenPrice (the token's feed price at the block), and
	// counts it in the totals; the collateral ledger does not hold the
	// token, so it stays out of the reconciliation (Reconciliation.
	// OutsideFunding, OutsideClaims). Empty Token: Amount is collateral.
	Token       string          `json:"token,omitempty"`
	TokenAmount decimal.Decimal `json:"token_amount"`
	TokenPrice  decimal.Decimal `json:"token_price"`

	// Filled in by Build.
	RealizedPnL   decimal.Decimal `json:"realized_pnl"`
	GasUSD        decimal.Decimal `json:"gas_usd"`
	PositionAfter decimal.Decimal `json:"position_after"`
	AverageEntry  decimal.Decimal `json:"average_entry"` // basis of the position after the event
	Note          string          `json:"note,omitempty"`
	// Corrected marks an event whose transaction a reorg moved: it is
	// reported once, where the chain has it now (the report sets it from
	// the journal; a rebuild from chain logs cannot know).
	Corrected bool `json:"corrected,omitempty"`
	// OrderTx is the account's transaction that asked for this event when
	// another one (GMX's keeper) carried it out; empty when Tx is the
	// account's own. A reorg that moves OrderTx corrects this event too.
	OrderTx string `json:"order_tx,omitempty"`
}

// PositionState is one market's position at a block.
type PositionState struct {
	Asset  string
	Market string
	Size   decimal.Decimal // + long, − short
	Entry  decimal.Decimal // the venue's average entry (the carried basis)
	// Collateral is the market's collateral (isolated margin venues);
	// venues with one cross-margin balance report it in State.Collateral.
	Collateral decimal.Decimal
	// AccruedFunding is funding owed but not yet settled into the
	// collateral, from the user's side.
	AccruedFunding decimal.Decimal
	// Price is the index (feed) price of the asset at the block.
	Price decimal.Decimal
}

// State is the margin account at a block.
type State struct {
	Block uint64
	Time  time.Time
	// Collateral is everything the account holds on the venue as collateral
	// (for isolated margin, the sum over markets), settled, in the venue's
	// smallest unit exactly.
	Collateral decimal.Decimal
	Positions  []PositionState
}

// Ledger is how a venue keeps the collateral: what Build needs to meet
// the venue's ledger to the unit.
type Ledger interface {
	// Venue names the venue ("PerpVenue at 0x…").
	Venue() string
	// Collateral names the collateral, the smallest unit of the venue's
	// ledger (what the reconciliation must meet exactly: 1e-18 for a wad
	// ledger) and the token's smallest unit (1e-6 for USDC).
	Collateral() (symbol string, unit, tokenUnit decimal.Decimal)
	// Rounding is how the venue rounds average entries and realized PnL:
	// decimals kept, truncating toward zero (PerpVenue: 18).
	Rounding() int32
}

// VenueBasis is a Ledger whose venue settles realized PnL into the
// collateral itself, on its own average-cost basis (GMX: base PnL from
// sizeInUsd/sizeInTokens, plus the realized price impact, in collateral
// units). Build books the venue's settled figure (Event.VenueRealized), so
// the reconciliation meets the venue's ledger, puts its own average-cost
// figure beside it in the event's note, and checks the event-built entry
// against the venue's within BasisTolerance (the venue keeps the entry as
// a ratio, not as a rounded figure).
type VenueBasis interface {
	BasisTolerance() decimal.Decimal
}

// Source is what a venue adapter provides besides decoding its events into
// Events (each adapter reads them its own way: PerpVenue from receipts and
// logs): the ledger and the account's state at a block. Adding a venue is
// writing one of these and its event decoding.
type Source interface {
	Ledger
	// State is the account at the end of block n.
	State(ctx context.Context, n uint64) (State, error)
}

// Period is a closed block range [From, To], with the times of its edges.
type Period struct {
	From, To         uint64
	FromTime, ToTime time.Time
	Label            string // "2026", "2026-01-01..2026-03-31", "blocks 10..20"
}

// Position is an open position at the period's end, marked to market.
type Position struct {
	Asset          string          `json:"asset"`
	Market         string          `json:"market"`
	Size           decimal.Decimal `json:"size"`
	AverageEntry   decimal.Decimal `json:"average_entry"`
	MarkPrice      decimal.Decimal `json:"mark_price"` // the feed price at the period's last block
	MarkBlock      uint64          `json:"mark_block"`
	UnrealizedPnL  decimal.Decimal `json:"unrealized_pnl_usd"`
	AccruedFunding decimal.Decimal `json:"accrued_funding_usd"`
	Collateral     decimal.Decimal `json:"collateral"`
	// CarryOver is the basis the next period starts from: the same size
	// at the same average entry (the report does not reset the basis to the
	// mark; a jurisdiction that marks to market would use MarkPrice).
	CarryOver string `json:"carry_over"`
}

// Totals sum events; fees are positive.
type Totals struct {
	Asset         string          `json:"asset,omitempty"`
	RealizedPnL   decimal.Decimal `json:"realized_pnl_usd"`
	Funding       decimal.Decimal `json:"funding_usd"`
	Borrowing     decimal.Decimal `json:"borrowing_usd"`
	Fees          decimal.Decimal `json:"fees_usd"`
	GasNative     decimal.Decimal `json:"gas_native"`
	Gas           decimal.Decimal `json:"gas_usd"`
	UnrealizedPnL decimal.Decimal `json:"unrealized_pnl_usd"`
	Deposits      decimal.Decimal `json:"deposits"`
	Withdrawals   decimal.Decimal `json:"withdrawals"`
	Claims        decimal.Decimal `json:"claims"`
	Trades        int             `json:"trades"`
	// Net is realized + funding − borrowing − fees − gas + unrealized.
	Net decimal.Decimal `json:"net_usd"`
}

// Reconciliation: start + deposits − withdrawals − claims paid out + realized
// + funding − borrowing − fees must equal the collateral at the end,
// exactly. Claims move money out of the venue's books into the wallet, so
// they count with withdrawals.
type Reconciliation struct {
	Start       decimal.Decimal `json:"collateral_start"`
	Deposits    decimal.Decimal `json:"deposits"`
	Withdrawals decimal.Decimal `json:"withdrawals"`
	RealizedPnL decimal.Decimal `json:"realized_pnl"`
	Funding     decimal.Decimal `json:"funding"`
	Borrowing   decimal.Decimal `json:"borrowing"`
	Fees        decimal.Decimal `json:"fees"`
	// OutsideFunding and OutsideClaims are the USD worth of funding
	// received, and claimed, in tokens other than the collateral: in the
	// totals, not in this ledger (the venue holds them apart).
	OutsideFunding decimal.Decimal `json:"funding_outside_ledger"`
	OutsideClaims  decimal.Decimal `json:"claims_outside_ledger"`
	Expected       decimal.Decimal `json:"collateral_expected"`
	End            decimal.Decimal `json:"collateral_end"`
	// Difference is End − Expected: zero when the record explains every unit.
	Difference decimal.Decimal `json:"difference"`
	Unit       decimal.Decimal `json:"unit"`
	Reconciled bool            `json:"reconciled"`
	Statement  string          `json:"statement"`
}

// Report is one period of one margin account.
type Report struct {
	Venue          string          `json:"venue"`
	Account        string          `json:"account"`
	ChainID        uint64          `json:"chain_id"`
	Collateral     string          `json:"collateral"`
	Period         PeriodJSON      `json:"period"`
	Source         string          `json:"source"` // "journal" or "chain (rebuild)"
	Designations   []Designation   `json:"designations"`
	Events         []Event         `json:"events"`
	OpenPositions  []Position      `json:"open_positions"`
	Totals         Totals          `json:"totals"`
	PerAsset       []Totals        `json:"per_asset"`
	Reconciliation Reconciliation  `json:"reconciliation"`
	Mismatches     []string        `json:"mismatches,omitempty"`
	Integrity      string          `json:"journal_integrity,omitempty"`
	Generated      time.Time       `json:"-"`
	NativeAsset    string          `json:"native_asset"`
	StartPositions []PositionState `json:"-"`
}

// PeriodJSON is the period as reported.
type PeriodJSON struct {
	Label     string    `json:"label"`
	FromBlock uint64    `json:"from_block"`
	ToBlock   uint64    `json:"to_block"`
	FromTime  time.Time `json:"from_time"`
	ToTime    time.Time `json:"to_time"`
}

// book is one market's running position on an average-cost basis.
type book struct {
	asset, market string
	size, avg     decimal.Decimal
	collateral    decimal.Decimal
}

// Basis applies a trade of delta at fill to a position (size, avg) on an
// average-cost basis and returns the realized PnL and the new position.
// Adding to a position moves the average entry to the size-weighted mean
// of the old entry and the fill; reducing it realizes closed × (fill −
// entry) and keeps the entry; a trade through zero (a flip) realizes the
// whole old position and opens the rest at the fill. dp is the venue's
// rounding: results are truncated toward zero to dp decimals, as the venue
// does, so the figures meet its ledger to the unit.
func Basis(size, avg, delta, fill decimal.Decimal, dp int32) (realized, newSize, newAvg decimal.Decimal) {
	newSize = size.Add(delta)
	realized = decimal.Zero
	if !size.IsZero() && size.Sign() != delta.Sign() {
		closed := delta.Neg() // with the old sign
		if delta.Abs().GreaterThanOrEqual(size.Abs()) {
			closed = size
		}
		realized = closed.Mul(fill.Sub(avg)).Truncate(dp)
	}
	switch {
	case newSize.IsZero():
		newAvg = decimal.Zero
	case size.IsZero() || size.Sign() != newSize.Sign():
		newAvg = fill
	case newSize.Abs().GreaterThan(size.Abs()):
		num := size.Abs().Mul(avg).Add(delta.Abs().Mul(fill))
		newAvg, _ = num.QuoRem(newSize.Abs(), dp)
	default:
		newAvg = avg
	}
	return realized, newSize, newAvg
}

// valueToken sets an event paid in a token other than the collateral to
// its USD worth at the block's feed price, exactly (as gas is valued); a
// missing price is a failed check, not a silent zero.
func (r *Report) valueToken(e *Event) {
	e.Amount = e.TokenAmount.Mul(e.TokenPrice)
	if e.TokenPrice.IsZero() && !e.TokenAmount.IsZero() {
		r.Mismatches = append(r.Mismatches, fmt.Sprintf("%s of %s %s in tx %s at block %d: no feed price for %s, its USD worth is missing from the totals",
			e.Kind, e.TokenAmount, e.Token, e.Tx, e.Block, e.Token))
	}
}

// Build computes the report of period p from the events (any order: they
// are sorted by block and log index) and the states at the block before
// the period (start) and at its last block (end).
func Build(src Ledger, p Period, start, end State, events []Event) *Report {
	sym, unit, tokenUnit := src.Collateral()
	dp := src.Rounding()
	vb, venueBooks := src.(VenueBasis)
	r := &Report{Venue: src.Venue(), Collateral: sym,
		Period:       PeriodJSON{Label: p.Label, FromBlock: p.From, ToBlock: p.To, FromTime: p.FromTime.UTC(), ToTime: p.ToTime.UTC()},
		Designations: []Designation{}, Events: []Event{}, OpenPositions: []Position{}, StartPositions: start.Positions}
	evs := append([]Event(nil), events...)
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].Block != evs[j].Block {
			return evs[i].Block < evs[j].Block
		}
		return evs[i].LogIndex < evs[j].LogIndex
	})
	books := map[string]*book{}
	bookOf := func(asset, market string) *book {
		b, ok := books[market]
		if !ok {
			b = &book{asset: asset, market: market}
			books[market] = b
		}
		if b.asset == "" {
			b.asset = asset
		}
		return b
	}
	for _, ps := range start.Positions {
		b := bookOf(ps.Asset, ps.Market)
		b.size, b.avg, b.collateral = ps.Size, ps.Entry, ps.Collateral
	}
	per := map[string]*Totals{}
	tot := func(asset string) *Totals {
		t, ok := per[asset]
		if !ok {
			t = &Totals{Asset: asset}
			per[asset] = t
		}
		return t
	}
	var all Totals
	rec := Reconciliation{Start: start.Collateral, Unit: unit}
	for _, e := range evs {
		e.Time = e.Time.UTC()
		t := tot(e.Asset)
		var b *book
		if e.Market != "" {
			b = bookOf(e.Asset, e.Market)
		}
		switch e.Kind {
		case KindTrade, KindLiquidation:
			if b == nil {
				r.Mismatches = append(r.Mismatches, fmt.Sprintf("%s in tx %s names no market", e.Kind, e.Tx))
				break
			}
			delta := e.SizeDelta
			if e.Kind == KindLiquidation {
				delta = b.size.Neg()
			}
			realized, ns, na := Basis(b.size, b.avg, delta, e.FillPrice, dp)
			if venueBooks && e.VenueRealized != nil {
				if !e.VenueRealized.Equal(realized) {
					sep := ""
					if e.Note != "" {
						sep = "; "
					}
					e.Note += fmt.Sprintf("%saverage cost at the fill price gives %s, the venue settled %s", sep, realized, e.VenueRealized)
				}
				realized = *e.VenueRealized
			} else if e.VenueRealized != nil && !e.VenueRealized.Equal(realized) {
				r.Mismatches = append(r.Mismatches, fmt.Sprintf("tx %s: average-cost realized PnL %s, the venue's %s",
					e.Tx, realized, e.VenueRealized))
			}
			e.SizeDelta, e.RealizedPnL = delta, realized
			b.size, b.avg = ns, na
			b.collateral = b.collateral.Add(realized).Sub(e.Fee)
			if e.Kind == KindLiquidation {
				// The venue keeps whatever equity the position had left: the
				// collateral goes to zero, and what it held is a fee.
				if b.collateral.IsPositive() {
					e.Fee = e.Fee.Add(b.collateral)
				}
				b.collateral = decimal.Zero
				e.Note = "liquidated: the remaining collateral is forfeited (counted as a fee)"
			} else {
				t.Trades++
				all.Trades++
			}
			rec.RealizedPnL = rec.RealizedPnL.Add(realized)
			rec.Fees = rec.Fees.Add(e.Fee)
			t.RealizedPnL, all.RealizedPnL = t.RealizedPnL.Add(realized), all.RealizedPnL.Add(realized)
			t.Fees, all.Fees = t.Fees.Add(e.Fee), all.Fees.Add(e.Fee)
		case KindFunding:
			if e.Token != "" {
				r.valueToken(&e)
				rec.OutsideFunding = rec.OutsideFunding.Add(e.Amount)
			} else {
				if b != nil {
					b.collateral = b.collateral.Add(e.Amount)
				}
				rec.Funding = rec.Funding.Add(e.Amount)
			}
			t.Funding, all.Funding = t.Funding.Add(e.Amount), all.Funding.Add(e.Amount)
		case KindBorrowing:
			if b != nil {
				b.collateral = b.collateral.Sub(e.Amount)
			}
			rec.Borrowing = rec.Borrowing.Add(e.Amount)
			t.Borrowing, all.Borrowing = t.Borrowing.Add(e.Amount), all.Borrowing.Add(e.Amount)
		case KindFee:
			if b != nil {
				b.collateral = b.collateral.Sub(e.Fee)
			}
			rec.Fees = rec.Fees.Add(e.Fee)
			t.Fees, all.Fees = t.Fees.Add(e.Fee), all.Fees.Add(e.Fee)
		case KindDeposit:
			if b != nil {
				b.collateral = b.collateral.Add(e.Amount)
			}
			rec.Deposits = rec.Deposits.Add(e.Amount)
			t.Deposits, all.Deposits = t.Deposits.Add(e.Amount), all.Deposits.Add(e.Amount)
		case KindClaim:
			if e.Token != "" {
				// Paid out of the venue's claimable balance of that token,
				// never out of the collateral.
				r.valueToken(&e)
				rec.OutsideClaims = rec.OutsideClaims.Add(e.Amount)
				t.Claims, all.Claims = t.Claims.Add(e.Amount), all.Claims.Add(e.Amount)
				break
			}
			fallthrough
		case KindWithdrawal:
			if b != nil {
				b.collateral = b.collateral.Sub(e.Amount)
			}
			rec.Withdrawals = rec.Withdrawals.Add(e.Amount)
			if e.Kind == KindClaim {
				t.Claims, all.Claims = t.Claims.Add(e.Amount), all.Claims.Add(e.Amount)
			} else {
				t.Withdrawals, all.Withdrawals = t.Withdrawals.Add(e.Amount), all.Withdrawals.Add(e.Amount)
			}
		case KindGas:
			e.GasUSD = e.GasNative.Mul(e.NativePrice)
			t.GasNative, all.GasNative = t.GasNative.Add(e.GasNative), all.GasNative.Add(e.GasNative)
			t.Gas, all.Gas = t.Gas.Add(e.GasUSD), all.Gas.Add(e.GasUSD)
		default:
			r.Mismatches = append(r.Mismatches, fmt.Sprintf("unknown event kind %q in tx %s", e.Kind, e.Tx))
		}
		if b != nil {
			e.PositionAfter, e.AverageEntry = b.size, b.avg
		}
		r.Events = append(r.Events, e)
		// A withdrawal of all of a closed position's collateral leaves the
		// sub-unit remainder the token cannot carry to the venue: a fee,
		// accepted only when it is below one collateral token unit.
		if e.Kind == KindWithdrawal && e.All && b != nil && b.size.IsZero() && !b.collateral.IsZero() {
			rem := b.collateral
			if rem.IsPositive() && rem.LessThan(tokenUnit) {
				fe := Event{Kind: KindFee, Time: e.Time, Block: e.Block, Tx: e.Tx, LogIndex: e.LogIndex, Asset: e.Asset,
					Market: e.Market, Fee: rem, PositionAfter: b.size, AverageEntry: b.avg,
					Note: "remainder below one token unit kept by the venue on withdrawing all collateral"}
				b.collateral = decimal.Zero
				rec.Fees = rec.Fees.Add(rem)
				t.Fees, all.Fees = t.Fees.Add(rem), all.Fees.Add(rem)
				r.Events = append(r.Events, fe)
			}
		}
	}
	// Open positions at the end, from the venue's state at the last block
	// (the chain is the truth); the event-built book is checked against it.
	for _, ps := range end.Positions {
		b := books[ps.Market]
		sameEntry := b != nil && b.avg.Equal(ps.Entry)
		if venueBooks && b != nil {
			sameEntry = b.avg.Sub(ps.Entry).Abs().LessThanOrEqual(vb.BasisTolerance())
		}
		if b != nil && (!b.size.Equal(ps.Size) || !sameEntry) {
			r.Mismatches = append(r.Mismatches, fmt.Sprintf("market %s (%s): events give size %s at %s, the venue holds %s at %s",
				ps.Market, ps.Asset, b.size, b.avg, ps.Size, ps.Entry))
		}
		if ps.Size.IsZero() {
			continue
		}
		u := ps.Size.Mul(ps.Price.Sub(ps.Entry))
		pos := Position{Asset: ps.Asset, Market: ps.Market, Size: ps.Size, AverageEntry: ps.Entry, MarkPrice: ps.Price,
			MarkBlock: end.Block, UnrealizedPnL: u, AccruedFunding: ps.AccruedFunding, Collateral: ps.Collateral,
			CarryOver: fmt.Sprintf("%s %s at an average entry of %s carries into the next period", ps.Size, ps.Asset, ps.Entry)}
		r.OpenPositions = append(r.OpenPositions, pos)
		t := tot(ps.Asset)
		t.UnrealizedPnL, all.UnrealizedPnL = t.UnrealizedPnL.Add(u), all.UnrealizedPnL.Add(u)
	}
	for _, b := range books {
		found := false
		for _, ps := range end.Positions {
			found = found || ps.Market == b.market
		}
		if !found && !b.size.IsZero() {
			r.Mismatches = append(r.Mismatches, fmt.Sprintf("market %s (%s): events leave size %s, the venue holds none", b.market, b.asset, b.size))
		}
	}
	net := func(t *Totals) {
		t.Net = t.RealizedPnL.Add(t.Funding).Sub(t.Borrowing).Sub(t.Fees).Sub(t.Gas).Add(t.UnrealizedPnL)
	}
	net(&all)
	r.Totals = all
	keys := make([]string, 0, len(per))
	for k := range per {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t := per[k]
		net(t)
		r.PerAsset = append(r.PerAsset, *t)
	}
	rec.Expected = rec.Start.Add(rec.Deposits).Sub(rec.Withdrawals).Add(rec.RealizedPnL).Add(rec.Funding).Sub(rec.Borrowing).Sub(rec.Fees)
	rec.End = end.Collateral
	rec.Difference = rec.End.Sub(rec.Expected)
	rec.Reconciled = rec.Difference.IsZero()
	if rec.Reconciled {
		rec.Statement = fmt.Sprintf("reconciled exactly: %s + %s deposits − %s withdrawals + %s realized + %s funding − %s borrowing − %s fees = %s %s at block %d",
			rec.Start, rec.Deposits, rec.Withdrawals, rec.RealizedPnL, rec.Funding, rec.Borrowing, rec.Fees, rec.End, sym, p.To)
	} else {
		rec.Statement = fmt.Sprintf("DOES NOT RECONCILE: the events explain %s %s at block %d, the venue holds %s: a difference of %s (%s units of %s)",
			rec.Expected, sym, p.To, rec.End, rec.Difference, rec.Difference.Div(unit).String(), unit)
	}
	if !rec.OutsideFunding.IsZero() || !rec.OutsideClaims.IsZero() {
		rec.Statement += fmt.Sprintf("; outside the %s ledger: %s USD funding received in other tokens (in the totals), %s USD of such funding claimed",
			sym, rec.OutsideFunding, rec.OutsideClaims)
	}
	r.Reconciliation = rec
	return r
}
