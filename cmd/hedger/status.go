package main

import (
	"fmt"
	"os"

	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge"
)

func statusCommand() *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "show spot exposure, hedge, basis, funding, margin and liquidation distance per asset",
		Flags: append(append(append(connFlags(), walletFlag), signerFlags()...), policyFlags()...),
		Action: func(c *cli.Context) error {
			p, err := policyFrom(c)
			if err != nil {
				return err
			}
			s, err := open(c, openOpts{needBook: true})
			if err != nil {
				return err
			}
			defer s.close()
			snap, err := s.venue.Snapshot(s.ctx)
			if err != nil {
				return err
			}
			st, err := hedge.Assess(snap, p)
			if err != nil {
				return err
			}
			if s.json {
				return printJSON(statusJSON{ChainID: snap.ChainID, Block: snap.Block, Account: snap.Account,
					Collateral: snap.Collateral, CollateralSymbol: snap.CollateralSymbol, Holdings: snap.Holdings, Assets: st})
			}
			printStatus(snap, st)
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
			if !h.Amount.IsZero() {
				fmt.Fprintf(w, "  %s\t%s %s\t(counts as %s)\n", h.Wallet, amt(h.Amount), tokenName(h), h.Asset)
			}
		}
		w.Flush()
	}
	say("funding is from your side: + received, − paid")
	say("")
	w := newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tSPOT\tVALUE USD\tSHORT\tTARGET\tRATIO\tDRIFT\tMARK\tINDEX\tBASIS\tFUNDING/H\tFUNDING APR")
	for _, a := range st {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Asset, amt(a.SpotAmount), usd(a.SpotValueUSD),
			amt(a.ShortSize), amt(a.TargetSize), pct(a.HedgeRatio), spct(a.Drift), usd(a.MarkPrice), usd(a.IndexPrice),
			sbps(a.BasisBps), signed(a.FundingRatePerHour.Mul(hundred).StringFixed(6))+"%", spct(a.FundingAPR))
	}
	w.Flush()
	say("")
	w = newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tMARGIN\tFUNDING ACCRUED\tUNREALIZED PNL\tEQUITY\tLEVERAGE\tLIQ PRICE\tLIQ DISTANCE\tSTATE")
	for _, a := range st {
		state := "ok"
		switch {
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
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%sx\t%s\t%s\t%s\n", a.Asset, usd(a.Margin), susd(a.AccruedFunding),
			susd(a.UnrealizedPnL), usd(a.Equity), a.Leverage.StringFixed(2), liq, dist, state)
	}
	w.Flush()
}

func tokenName(h hedge.Holding) string {
	if h.Token == "native" {
		return h.Asset
	}
	return h.Token
}
