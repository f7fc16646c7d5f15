package record

// Designations of hedging intent, made at the time: before a hedge is first
// opened on an asset, and before a trade that follows a material change of
// what is hedged or how, a record says which holdings the short offsets.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

// DesignationKind is the journal record kind of a designation.
const DesignationKind = "designation"

// MaterialChange is how much the hedged spot amount of an asset must move
// from its designation, as a fraction of the designated amount, for a new
// designation: 10%. Besides it, any of these is material: no designation in
// force (the first hedge on the asset, or the first after it was closed);
// a wallet or token holding the asset added or removed; any change of the
// hedge ratio; another venue, market or side.
var MaterialChange = decimal.RequireFromString("0.10")

// HeldSpot is one holding a designation covers.
type HeldSpot struct {
	Wallet string          `json:"wallet"`
	Asset  string          `json:"asset"`
	Token  string          `json:"token"`
	Amount decimal.Decimal `json:"amount"`    // whole units of Asset
	Value  decimal.Decimal `json:"value_usd"` // at the index (feed) price of the block
}

// Instrument is the hedging instrument.
type Instrument struct {
	Venue  string `json:"venue"`
	Market string `json:"market"` // the venue's key
	Symbol string `json:"symbol"` // e.g. ETH-USD perpetual
	Side   string `json:"side"`   // short
}

// Designation is one record of hedging intent.
type Designation struct {
	Time       time.Time       `json:"time"`
	Block      uint64          `json:"block"`
	ChainID    uint64          `json:"chain_id"`
	Asset      string          `json:"asset"`  // the market's asset
	Status     string          `json:"status"` // "designated", or "ended" when the hedge is closed
	Reason     string          `json:"reason"` // what made it material
	Holdings   []HeldSpot      `json:"holdings"`
	SpotAmount decimal.Decimal `json:"spot_amount"` // of Asset itself
	SpotValue  decimal.Decimal `json:"spot_value_usd"`
	Instrument Instrument      `json:"instrument"`
	ShortSize  decimal.Decimal `json:"short_size"` // after the trade, positive
	HedgeRatio decimal.Decimal `json:"hedge_ratio"`
	Policy     string          `json:"policy"`
	Signer     string          `json:"signer"`
	Objective  string          `json:"objective"`
}

// Designate returns the designations due before the plan's orders are
// sent: one per asset whose trade opens a hedge or follows a material
// change from last (the asset's latest designation in force).
func Designate(s *hedge.Snapshot, p *hedge.Plan, pols hedge.Policies, venue, signer string, last map[string]Designation) []Designation {
	if s == nil || p == nil {
		return nil
	}
	var out []Designation
	done := map[string]bool{}
	for _, o := range p.Orders {
		if !o.HasTrade() || done[o.Asset] {
			continue
		}
		done[o.Asset] = true
		m := s.Markets[o.Asset]
		pos := s.PositionOf(o.Asset)
		after := pos.Size.Add(o.SizeDelta)
		if o.Close {
			after = decimal.Zero
		}
		pol := pols.For(o.Asset)
		d := Designation{Time: s.Time.UTC(), Block: s.Block, ChainID: s.ChainID, Asset: o.Asset, Status: "designated",
			Instrument: Instrument{Venue: venue, Market: o.Market, Symbol: o.Asset + "-USD perpetual", Side: "short"},
			ShortSize:  after.Neg(), HedgeRatio: pol.HedgeRatio, Signer: signer,
			Policy: fmt.Sprintf("hedge ratio %s, band %s, max leverage %s, max slippage %s",
				pol.HedgeRatio, pol.Band, pol.MaxLeverage, pol.MaxSlippage)}
		// Holdings of the asset itself and of assets hedged through its market.
		via := map[string]bool{o.Asset: true}
		for _, ap := range p.Assets {
			if ap.HedgedVia == o.Asset {
				via[ap.Asset] = true
			}
		}
		for _, h := range s.Holdings {
			if !via[h.Asset] || h.Amount.IsZero() {
				continue
			}
			price := m.IndexPrice
			if h.Asset != o.Asset {
				price = s.Prices[h.Asset].Price
			}
			d.Holdings = append(d.Holdings, HeldSpot{Wallet: h.Wallet, Asset: h.Asset, Token: h.Token, Amount: h.Amount, Value: h.Amount.Mul(price)})
			if h.Asset == o.Asset {
				d.SpotAmount = d.SpotAmount.Add(h.Amount)
				d.SpotValue = d.SpotValue.Add(h.Amount.Mul(price))
			}
		}
		prev, has := last[o.Asset]
		inForce := has && prev.Status == "designated" && !pos.Size.IsZero()
		switch {
		case !after.IsNegative():
			if !inForce {
				continue // no hedge was designated: nothing ends
			}
			d.Status, d.Reason, d.ShortSize = "ended", "the hedge is closed", decimal.Zero
			d.Objective = fmt.Sprintf("close the %s short on %s: the hedge of %s designated at block %d ends", d.Instrument.Symbol, venue, o.Asset, prev.Block)
			out = append(out, d)
			continue
		case !inForce:
			d.Reason = "first hedge on " + o.Asset
		default:
			d.Reason = materialChange(prev, d)
			if d.Reason == "" {
				continue
			}
		}
		d.Objective = fmt.Sprintf("short %s %s on %s to offset the price risk of %s held in %s", d.ShortSize.String(),
			d.Instrument.Symbol, venue, heldText(d.Holdings), wallets(d.Holdings))
		out = append(out, d)
	}
	return out
}

// materialChange says what changed materially from prev to d ("" if nothing).
func materialChange(prev, d Designation) string {
	var why []string
	if prev.Instrument.Venue != d.Instrument.Venue || prev.Instrument.Market != d.Instrument.Market || prev.Instrument.Side != d.Instrument.Side {
		why = append(why, fmt.Sprintf("instrument changed from %s %s on %s", prev.Instrument.Side, prev.Instrument.Symbol, prev.Instrument.Venue))
	}
	if !prev.HedgeRatio.Equal(d.HedgeRatio) {
		why = append(why, fmt.Sprintf("hedge ratio changed from %s to %s", prev.HedgeRatio, d.HedgeRatio))
	}
	if keys(prev.Holdings) != keys(d.Holdings) {
		why = append(why, "the wallets or tokens held changed")
	}
	if prev.SpotAmount.IsZero() != d.SpotAmount.IsZero() ||
		!prev.SpotAmount.IsZero() && d.SpotAmount.Sub(prev.SpotAmount).Abs().Div(prev.SpotAmount).GreaterThan(MaterialChange) {
		why = append(why, fmt.Sprintf("hedged holdings changed from %s to %s %s", prev.SpotAmount, d.SpotAmount, d.Asset))
	}
	return strings.Join(why, "; ")
}

func keys(hs []HeldSpot) string {
	var k []string
	for _, h := range hs {
		k = append(k, strings.ToLower(h.Wallet)+"/"+h.Token)
	}
	sort.Strings(k)
	return strings.Join(k, ",")
}

func heldText(hs []HeldSpot) string {
	sum := map[string]decimal.Decimal{}
	var order []string
	for _, h := range hs {
		if _, ok := sum[h.Asset]; !ok {
			order = append(order, h.Asset)
		}
		sum[h.Asset] = sum[h.Asset].Add(h.Amount)
	}
	var parts []string
	for _, a := range order {
		parts = append(parts, sum[a].String()+" "+a)
	}
	if len(parts) == 0 {
		return "no spot"
	}
	return strings.Join(parts, " and ")
}

func wallets(hs []HeldSpot) string {
	seen := map[string]bool{}
	var ws []string
	for _, h := range hs {
		if !seen[h.Wallet] {
			seen[h.Wallet] = true
			ws = append(ws, h.Wallet)
		}
	}
	if len(ws) == 0 {
		return "no wallet"
	}
	return strings.Join(ws, ", ")
}

// Latest is each asset's latest designation, from oldest-first records.
func Latest(ds []Designation) map[string]Designation {
	out := map[string]Designation{}
	for _, d := range ds {
		out[d.Asset] = d
	}
	return out
}
