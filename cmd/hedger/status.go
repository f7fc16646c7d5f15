package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge"
)

func statusCommand() *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "show spot exposure, hedge, basis, funding, margin and liquidation distance per asset",
		Flags: append(append(append(append(append(connFlags(), walletFlag), signerFlags()...), policyFlags()...), riskFlags()...), spotFlags()...),
		Action: func(c *cli.Context) error {
			pol, err := policiesFrom(c)
			if err != nil {
				return err
			}
			s, err := open(c, openOpts{needBook: true})
			if err != nil {
				return err
			}
			defer s.close()
			snap, err := s.seam().Snapshot(s.ctx)
			if err != nil {
				return err
			}
			var spotReads []hedge.SpotRead
			if s.spot != nil {
				// A figure without some chain's spot would understate the
				// exposure: refused as hedge and plan refuse it.
				if spotReads, err = s.spot.ReadSpot(s.ctx); err != nil {
					return fmt.Errorf("%s; status not shown", oneLine(err))
				}
				for _, r := range spotReads {
					snap.Holdings = append(snap.Holdings, r.Holdings...)
				}
				if err := hedge.ApplySpotPrices(snap, spotReads); err != nil {
					return fmt.Errorf("%s; status not shown", oneLine(err))
				}
			}
			// Cross-asset betas: estimated from the feeds' rounds or a CSV
			// (beta = auto), or for display next to a given beta.
			var betaErr string
			if be, ok := s.seam().(hedge.BetaEstimator); ok {
				if err := be.EstimateBetas(s.ctx, snap, pol); err != nil {
					betaErr = err.Error()
				}
			}
			st, err := hedge.AssessPolicies(snap, pol)
			if err != nil {
				return err
			}
			acct := hedge.AssessAccount(snap)
			if s.json {
				return printJSON(statusJSON{ChainID: snap.ChainID, Block: snap.Block, Account: snap.Account,
					Collateral: snap.Collateral, CollateralSymbol: snap.CollateralSymbol, Holdings: snap.Holdings, Assets: st,
					Margin: acct,
					Betas:  snap.Betas, BetaError: betaErr, SpotChains: spotReads, SpotTotals: spotTotals(snap.Holdings),
					Prices: feedPricesJSON(snap)})
			}
			printStatus(snap, st)
			printAccount(snap, acct)
			printSpotChains(snap, spotReads)
			printPriceSources(snap)
			printCarry(st)
			printCross(st, betaErr)
			return nil
		},
	}
}

type statusJSON struct {
	ChainID          uint64              `json:"chain_id"`
	Block            uint64              `json:"block"`
	Account          string              `json:"account"`
	Collateral       decimal.Decimal     `json:"collateral"`
	CollateralSymbol string              `json:"collateral_symbol"`
	Holdings         []hedge.Holding     `json:"holdings"`
	Assets           []hedge.AssetStatus `json:"assets"`
	// Margin is the margin account's equity with its claimables.
	Margin hedge.AccountStatus `json:"margin_account"`
	// Betas are the cross-asset estimates behind the assets' beta fields.
	Betas     map[string]hedge.BetaEstimate `json:"betas,omitempty"`
	BetaError string                        `json:"beta_error,omitempty"`
	// SpotChains are the --spot-rpc chains as read (their holdings are in
	// Holdings too, with chain_id and block); SpotTotals sums every
	// holding per asset, the venue chain's and theirs.
	SpotChains []hedge.SpotRead           `json:"spot_chains,omitempty"`
	SpotTotals map[string]decimal.Decimal `json:"spot_totals"`
	// Prices are the feed prices of held assets without a market, each
	// with the chain and block it was read at.
	Prices []priceJSON `json:"prices,omitempty"`
}

type priceJSON struct {
	Asset     string          `json:"asset"`
	Price     decimal.Decimal `json:"price"`
	UpdatedAt time.Time       `json:"updated_at"`
	ChainID   uint64          `json:"chain_id"`
	Block     uint64          `json:"block"`
	Source    string          `json:"source"` // "venue chain" or "spot chain"
}

// feedPricesJSON lists snap.Prices by asset with where each was read: a
// price without a chain of its own came with the venue's snapshot.
func feedPricesJSON(snap *hedge.Snapshot) []priceJSON {
	var out []priceJSON
	for a, p := range snap.Prices {
		pj := priceJSON{Asset: a, Price: p.Price, UpdatedAt: p.UpdatedAt, ChainID: p.ChainID, Block: p.Block, Source: "spot chain"}
		if p.ChainID == 0 {
			pj.ChainID, pj.Block, pj.Source = snap.ChainID, snap.Block, "venue chain"
		}
		out = append(out, pj)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Asset < out[j].Asset })
	return out
}

// printPriceSources says which chain and block each feed price of a held
// asset without a market came from, when any came from a spot chain.
func printPriceSources(snap *hedge.Snapshot) {
	ps := feedPricesJSON(snap)
	spotPriced := false
	for _, p := range ps {
		spotPriced = spotPriced || p.Source == "spot chain"
	}
	if !spotPriced {
		return
	}
	say("")
	say("feed prices of assets without a market:")
	w := newTable(os.Stdout)
	for _, p := range ps {
		fmt.Fprintf(w, "  %s\t%s\t%s chain %d block %d\tupdated %s\n", p.Asset, usd(p.Price), p.Source, p.ChainID, p.Block, p.UpdatedAt.Format(time.RFC3339))
	}
	w.Flush()
}

// spotTotals sums holdings per asset (whole units of the asset).
func spotTotals(hs []hedge.Holding) map[string]decimal.Decimal {
	t := map[string]decimal.Decimal{}
	for _, h := range hs {
		t[h.Asset] = t[h.Asset].Add(h.Amount)
	}
	return t
}

// printSpotChains shows spot per chain (the venue's and each --spot-rpc
// chain, with the block it was read at) and the total.
func printSpotChains(snap *hedge.Snapshot, reads []hedge.SpotRead) {
	if len(reads) == 0 {
		return
	}
	var local []hedge.Holding
	for _, h := range snap.Holdings {
		if h.ChainID == 0 {
			local = append(local, h)
		}
	}
	say("")
	say("spot per chain:")
	w := newTable(os.Stdout)
	fmt.Fprintf(w, "  chain %d (venue)\tblock %d\t%s\n", snap.ChainID, snap.Block, assetSums(local))
	for _, r := range reads {
		fmt.Fprintf(w, "  %s\tblock %d\t%s\t(%d reads, %d round trip(s))\n", r.Label, r.Block, assetSums(r.Holdings), r.Items, r.RoundTrips)
	}
	fmt.Fprintf(w, "  total\t\t%s\n", assetSums(snap.Holdings))
	w.Flush()
}

func assetSums(hs []hedge.Holding) string {
	t := spotTotals(hs)
	names := make([]string, 0, len(t))
	for a := range t {
		names = append(names, a)
	}
	sort.Strings(names)
	var parts []string
	for _, a := range names {
		parts = append(parts, amt(t[a])+" "+a)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func printStatus(snap *hedge.Snapshot, st []hedge.AssetStatus) {
	say("chain %d  block %d  %s", snap.ChainID, snap.Block, snap.Time.Format("2006-01-02 15:04:05Z"))
	if snap.Account != "" {
		say("margin account %s  free %s %s", snap.Account, usd(snap.Collateral), snap.CollateralSymbol)
	} else {
		say("margin account: none given (--private-key or --from); showing spot and markets only")
	}
	if len(snap.Holdings) > 0 {
		say("spot wallets (watch-only, never signed for):")
		w := newTable(os.Stdout)
		for _, h := range snap.Holdings {
			switch {
			case h.Amount.IsZero():
			case h.Rate != nil:
				fmt.Fprintf(w, "  %s\t%s %s\t(counts as %s %s at %s %s per %s)\n", h.Wallet, amt(h.TokenAmount), tokenName(h),
					amt(h.Amount), h.Asset, h.Rate.String(), h.Asset, tokenName(h))
			default:
				fmt.Fprintf(w, "  %s\t%s %s\t(counts as %s)\n", h.Wallet, amt(h.Amount), tokenName(h), h.Asset)
			}
		}
		w.Flush()
	}
	say("funding and borrowing are from your side: + received, − paid")
	say("")
	w := newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tSPOT\tVALUE USD\tSHORT\tTARGET\tRATIO\tDRIFT\tMARK\tINDEX\tBASIS\tFUNDING/H\tFUNDING APR\tBORROWING/H\tBORROWING APR")
	for _, a := range st {
		if a.MarkPrice.IsZero() {
			// No market of its own: only spot and its own feed's price
			// (a cross-asset hedge is detailed below).
			index := "-"
			if a.IndexPrice.IsPositive() {
				index = usd(a.IndexPrice)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t-\t-\t-\t-\t-\t%s\t-\t-\t-\t-\t-\n", a.Asset, amt(a.SpotAmount), usd(a.SpotValueUSD), index)
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Asset, amt(a.SpotAmount), usd(a.SpotValueUSD),
			amt(a.ShortSize), amt(a.TargetSize), pct(a.HedgeRatio), spct(a.Drift), usd(a.MarkPrice), usd(a.IndexPrice),
			sbps(a.BasisBps), signed(a.FundingRatePerHour.Mul(hundred).StringFixed(6))+"%", spct(a.FundingAPR),
			signed(a.BorrowingRatePerHour.Mul(hundred).StringFixed(6))+"%", spct(a.BorrowingAPR))
	}
	w.Flush()
	say("")
	w = newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tMARGIN\tFUNDING ACCRUED\tBORROWING ACCRUED\tUNREALIZED PNL\tEQUITY\tLEVERAGE\tLIQ PRICE\tLIQ DISTANCE\tSTATE")
	for _, a := range st {
		if a.MarkPrice.IsZero() {
			state := a.Note
			if a.HedgedVia != "" {
				state = "no market; hedged on the " + a.HedgedVia + " short (cross-asset, below)"
			}
			fmt.Fprintf(w, "%s\t-\t-\t-\t-\t-\t-\t-\t-\t%s\n", a.Asset, state)
			continue
		}
		state := "ok"
		switch {
		case a.Benched != "":
			state = "NOT TRADED: " + a.Benched
		case a.Paused:
			state = "MARKET PAUSED"
		case a.FundingSuspended:
			state = "funding suspended"
		case !a.WithinBand:
			state = "out of band"
		}
		if a.Note != "" {
			state += "; " + a.Note
		}
		liq, dist := "-", "-"
		if !a.LiquidationPrice.IsZero() {
			liq, dist = usd(a.LiquidationPrice), spct(a.LiquidationDistance)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%sx\t%s\t%s\t%s\n", a.Asset, usd(a.Margin), susd(a.AccruedFunding),
			susd(a.AccruedBorrowing), susd(a.UnrealizedPnL), usd(a.Equity), a.Leverage.StringFixed(2), liq, dist, state)
	}
	w.Flush()
}

// printAccount shows what the venue owes the account (claimables, per
// token with its USD value) and the account's equity, which counts them.
func printAccount(snap *hedge.Snapshot, a hedge.AccountStatus) {
	if snap.Account == "" {
		return
	}
	say("")
	if len(a.Claimables) > 0 {
		say("claimable (received funding realised by the venue; counts in equity, `hedger claim` collects it):")
		w := newTable(os.Stdout)
		for _, c := range a.Claimables {
			value := usd(c.ValueUSD) + " USD"
			if c.Unpriced {
				value = "no price for " + c.Asset + "; not counted"
			}
			fmt.Fprintf(w, "  %s\t%s %s\t%s\tmarket %s\n", c.Asset, amt(c.Amount), c.Token, value, c.Market)
		}
		w.Flush()
	}
	say("account equity %s USD = free %s %s + positions %s + claimables %s", usd(a.Equity), usd(a.Collateral), snap.CollateralSymbol,
		susd(a.PositionsEquity), usd(a.ClaimablesUSD))
}

func tokenName(h hedge.Holding) string {
	if h.Token == "native" {
		return h.Asset
	}
	return h.Token
}

// printCarry shows, per market asset, funding next to staking yield: what
// the hedged position earns (+) or pays (−) a year.
func printCarry(st []hedge.AssetStatus) {
	shown := false
	for _, a := range st {
		if !a.SpotValueUSD.IsZero() || !a.ShortSize.IsZero() {
			shown = true
		}
	}
	if !shown {
		return
	}
	say("")
	say("carry per year, from your side (+ received/earned, − paid), at today's rates; staking APR is the policy's staking_apr on the staked part")
	w := newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tFUNDING APR\tFUNDING/YR\tBORROWING/YR\tSTAKED\tSTAKING APR\tSTAKING/YR\tNET CARRY/YR\tNET APR")
	for _, a := range st {
		if a.HedgedVia != "" || (a.SpotValueUSD.IsZero() && a.ShortSize.IsZero()) || a.MarkPrice.IsZero() {
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\t%s\t%s\n", a.Asset, spct(a.FundingAPR), susd(a.FundingPerYearUSD),
			susd(a.BorrowingPerYearUSD), amt(a.StakedAmount), a.Asset, spct(a.StakingAPR), susd(a.StakingPerYearUSD), susd(a.NetCarryPerYearUSD), spct(a.NetCarryAPR))
	}
	w.Flush()
}

// printCross shows every cross-asset hedge with its beta, estimation
// window, correlation and residual (unhedged) volatility, and warns.
func printCross(st []hedge.AssetStatus, betaErr string) {
	var cross []hedge.AssetStatus
	for _, a := range st {
		if a.HedgedVia != "" {
			cross = append(cross, a)
		}
	}
	if len(cross) == 0 && betaErr == "" {
		return
	}
	say("")
	say("cross-asset hedges (assets with no market, hedged on another market's short):")
	w := newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tVALUE USD\tHEDGED VIA\tBETA\tSOURCE\tCORRELATION\tRESIDUAL VOL/YR\tRESIDUAL 1σ/YR USD\tSHORT ADDED")
	for _, a := range cross {
		beta, corr, rv, rvusd := "-", "-", "-", "-"
		if a.Beta != nil {
			beta = a.Beta.StringFixed(4)
		}
		if a.Correlation != nil {
			corr = a.Correlation.StringFixed(4)
		}
		if a.ResidualVol != nil {
			rv = pct(*a.ResidualVol)
		}
		if a.ResidualVolUSD != nil {
			rvusd = usd(*a.ResidualVolUSD)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s %s\n", a.Asset, usd(a.SpotValueUSD), a.HedgedVia, beta, a.BetaSource,
			corr, rv, rvusd, amt(a.TargetSize), a.HedgedVia)
	}
	w.Flush()
	for _, a := range cross {
		if a.BetaWindow != "" {
			say("  %s: beta window %s", a.Asset, a.BetaWindow)
		}
		if a.Note != "" {
			say("  %s: %s", a.Asset, a.Note)
		}
		say("  WARNING %s: %s", a.Asset, a.Warning)
	}
	if betaErr != "" {
		say("  WARNING beta estimate failed: %s", betaErr)
	}
}
