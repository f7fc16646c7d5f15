package record

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// CSVHeader is the --csv columns, one row per event: time (UTC, RFC 3339),
// block, tx, kind, asset, market, size_delta (+ buy, − sell), fill_price,
// position_after, average_entry (basis after the event), realized_pnl_usd,
// funding_usd (+ received, − paid), borrowing_usd (paid), fee_usd (venue
// fee, positive), amount (collateral moved: deposit, withdrawal, claim),
// gas_native, native_price_usd (the feed at the block), gas_usd, token,
// token_amount, token_price_usd (funding or a claim paid in a token other
// than the collateral: its amount and the feed price at the block; its USD
// worth is in funding_usd or amount), note.
var CSVHeader = []string{"time", "block", "tx", "kind", "asset", "market", "size_delta", "fill_price", "position_after",
	"average_entry", "realized_pnl_usd", "funding_usd", "borrowing_usd", "fee_usd", "amount", "gas_native", "native_price_usd",
	"gas_usd", "token", "token_amount", "token_price_usd", "note"}

func ds(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// WriteCSV writes one row per event.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	for _, e := range r.Events {
		var funding, borrowing, amount string
		switch e.Kind {
		case KindFunding:
			funding = e.Amount.String()
		case KindBorrowing:
			borrowing = e.Amount.String()
		case KindDeposit, KindWithdrawal, KindClaim:
			amount = e.Amount.String()
		}
		pos, avg := "", ""
		if e.Market != "" && e.Kind != KindGas {
			pos, avg = e.PositionAfter.String(), e.AverageEntry.String()
		}
		cw.Write([]string{e.Time.UTC().Format(time.RFC3339), strconv.FormatUint(e.Block, 10), e.Tx, e.Kind, e.Asset, e.Market,
			ds(e.SizeDelta), ds(e.FillPrice), pos, avg, ds(e.RealizedPnL), funding, borrowing, ds(e.Fee), amount,
			ds(e.GasNative), ds(e.NativePrice), ds(e.GasUSD), e.Token, ds(e.TokenAmount), ds(e.TokenPrice), e.Note})
	}
	cw.Flush()
	return cw.Error()
}

// KoinlyHeader is Koinly's universal CSV template.
var KoinlyHeader = []string{"Date", "Sent Amount", "Sent Currency", "Received Amount", "Received Currency", "Fee Amount",
	"Fee Currency", "Net Worth Amount", "Net Worth Currency", "Label", "Description", "TxHash"}

// WriteKoinly writes the events in Koinly's universal format. The mapping
// (README, "The hedge record"): a trade's realized PnL is one row labelled
// "realized gain", received when a profit and sent when a loss; its venue
// fee, borrowing and other venue fees are sent with "margin fee" (costs, not
// disposals); funding received is "reward" and funding paid is sent with
// "margin fee"; funding received in a token other than the collateral is
// received in that token, its USD worth at the block's feed price as the
// net worth; gas is sent in the native coin with "cost" and its USD worth
// at the block's feed price as the net worth. Deposits and withdrawals move
// collateral between your own wallet and the venue and are left out (Koinly
// would otherwise count them as disposals), as is opening or adding to a
// position, which moves no money. Amounts are in the collateral's symbol;
// dates are UTC, "2006-01-02 15:04:05 UTC".
func WriteKoinly(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	cw.Write(KoinlyHeader)
	cur := r.Collateral
	row := func(e Event, sent, recv decimal.Decimal, sentCur, recvCur, label, desc string, worth decimal.Decimal) {
		rec := []string{e.Time.UTC().Format("2006-01-02 15:04:05 UTC"), "", "", "", "", "", "", "", "", label, desc, e.Tx}
		if sent.IsPositive() {
			rec[1], rec[2] = sent.String(), sentCur
		}
		if recv.IsPositive() {
			rec[3], rec[4] = recv.String(), recvCur
		}
		if !worth.IsZero() {
			rec[7], rec[8] = worth.String(), "USD"
		}
		cw.Write(rec)
	}
	for _, e := range r.Events {
		switch e.Kind {
		case KindTrade, KindLiquidation:
			desc := fmt.Sprintf("%s %s %s perpetual at %s", e.Kind, e.SizeDelta, e.Asset, e.FillPrice)
			if e.RealizedPnL.IsPositive() {
				row(e, decimal.Zero, e.RealizedPnL, "", cur, "realized gain", "realized PnL: "+desc, decimal.Zero)
			} else if e.RealizedPnL.IsNegative() {
				row(e, e.RealizedPnL.Neg(), decimal.Zero, cur, "", "realized gain", "realized PnL: "+desc, decimal.Zero)
			}
			if e.Fee.IsPositive() {
				row(e, e.Fee, decimal.Zero, cur, "", "margin fee", "venue fee: "+desc, decimal.Zero)
			}
		case KindFee, KindBorrowing:
			amt := e.Fee
			if e.Kind == KindBorrowing {
				amt = e.Amount
			}
			row(e, amt, decimal.Zero, cur, "", "margin fee", e.Kind+" "+e.Asset+" "+e.Note, decimal.Zero)
		case KindFunding:
			if e.Token != "" {
				row(e, decimal.Zero, e.TokenAmount, "", e.Token, "reward", "funding received in "+e.Token+" on the "+e.Asset+" short", e.Amount)
			} else if e.Amount.IsPositive() {
				row(e, decimal.Zero, e.Amount, "", cur, "reward", "funding received on the "+e.Asset+" short", decimal.Zero)
			} else if e.Amount.IsNegative() {
				row(e, e.Amount.Neg(), decimal.Zero, cur, "", "margin fee", "funding paid on the "+e.Asset+" short", decimal.Zero)
			}
		case KindGas:
			row(e, e.GasNative, decimal.Zero, r.NativeAsset, "", "cost", "network fee", e.GasUSD)
		}
	}
	cw.Flush()
	return cw.Error()
}

var htmlTmpl = template.Must(template.New("r").Funcs(template.FuncMap{
	"t":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") },
	"d":  ds,
	"dz": func(d decimal.Decimal) string { return d.String() },
	"short": func(s string) string {
		if len(s) > 14 {
			return s[:8] + "…" + s[len(s)-4:]
		}
		return s
	},
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Hedge record {{.Period.Label}} — {{.Account}}</title>
<style>
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:11px;margin:24px;color:#111}
h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 6px;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin-bottom:8px}th,td{border:1px solid #ccc;padding:2px 4px;text-align:left;vertical-align:top}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{color:#060;font-weight:bold}.bad{color:#a00;font-weight:bold}.meta td{border:none;padding:1px 8px 1px 0}
.fine{color:#555;font-size:10px}
@media print{body{margin:10mm}tr{page-break-inside:avoid}h2{page-break-after:avoid}}
</style></head><body>
<h1>Hedge record — {{.Period.Label}}</h1>
<table class="meta">
<tr><td>Margin account</td><td>{{.Account}}</td></tr>
<tr><td>Chain</td><td>{{.ChainID}}</td></tr>
<tr><td>Venue</td><td>{{.Venue}}; collateral {{.Collateral}}</td></tr>
<tr><td>Period</td><td>{{t .Period.FromTime}} to {{t .Period.ToTime}} UTC, blocks {{.Period.FromBlock}}–{{.Period.ToBlock}}</td></tr>
<tr><td>Source</td><td>{{.Source}}{{if .Integrity}}; journal integrity: {{.Integrity}}{{end}}</td></tr>
</table>
<h2>Totals (USD; funding + received, − paid; fees positive)</h2>
<table><tr><th>asset</th><th>trades</th><th>realized PnL</th><th>funding</th><th>borrowing</th><th>venue fees</th><th>gas ({{.NativeAsset}})</th><th>gas</th><th>unrealized PnL</th><th>net</th></tr>
{{range .PerAsset}}<tr><td>{{if .Asset}}{{.Asset}}{{else}}(account){{end}}</td><td class="n">{{.Trades}}</td><td class="n">{{dz .RealizedPnL}}</td><td class="n">{{dz .Funding}}</td><td class="n">{{dz .Borrowing}}</td><td class="n">{{dz .Fees}}</td><td class="n">{{dz .GasNative}}</td><td class="n">{{dz .Gas}}</td><td class="n">{{dz .UnrealizedPnL}}</td><td class="n">{{dz .Net}}</td></tr>
{{end}}{{with .Totals}}<tr><th>all</th><th class="n">{{.Trades}}</th><th class="n">{{dz .RealizedPnL}}</th><th class="n">{{dz .Funding}}</th><th class="n">{{dz .Borrowing}}</th><th class="n">{{dz .Fees}}</th><th class="n">{{dz .GasNative}}</th><th class="n">{{dz .Gas}}</th><th class="n">{{dz .UnrealizedPnL}}</th><th class="n">{{dz .Net}}</th></tr>{{end}}
</table>
<h2>Reconciliation of the collateral ({{.Collateral}})</h2>
{{with .Reconciliation}}<table>
<tr><td>collateral at the start</td><td class="n">{{dz .Start}}</td></tr>
<tr><td>+ deposits</td><td class="n">{{dz .Deposits}}</td></tr>
<tr><td>− withdrawals and claims</td><td class="n">{{dz .Withdrawals}}</td></tr>
<tr><td>+ realized PnL</td><td class="n">{{dz .RealizedPnL}}</td></tr>
<tr><td>+ funding</td><td class="n">{{dz .Funding}}</td></tr>
<tr><td>− borrowing</td><td class="n">{{dz .Borrowing}}</td></tr>
<tr><td>− venue fees</td><td class="n">{{dz .Fees}}</td></tr>
{{if not .OutsideFunding.IsZero}}<tr><td>(funding received in other tokens, USD, in the totals and outside this ledger)</td><td class="n">{{dz .OutsideFunding}}</td></tr>{{end}}
{{if not .OutsideClaims.IsZero}}<tr><td>(of which claimed, USD)</td><td class="n">{{dz .OutsideClaims}}</td></tr>{{end}}
<tr><td>= expected at the end</td><td class="n">{{dz .Expected}}</td></tr>
<tr><td>collateral at the end (venue state)</td><td class="n">{{dz .End}}</td></tr>
<tr><td>difference</td><td class="n {{if .Reconciled}}ok{{else}}bad{{end}}">{{dz .Difference}}</td></tr>
</table><p class="{{if .Reconciled}}ok{{else}}bad{{end}}">{{.Statement}}</p>{{end}}
{{if .Mismatches}}<p class="bad">Checks that failed:</p><ul>{{range .Mismatches}}<li>{{.}}</li>{{end}}</ul>{{end}}
<h2>Open positions at the end, marked to market at the feed price of block {{.Period.ToBlock}}</h2>
{{if .OpenPositions}}<table><tr><th>asset</th><th>size</th><th>average entry</th><th>mark (feed)</th><th>unrealized PnL</th><th>accrued funding</th><th>collateral</th><th>carry-over</th></tr>
{{range .OpenPositions}}<tr><td>{{.Asset}}</td><td class="n">{{dz .Size}}</td><td class="n">{{dz .AverageEntry}}</td><td class="n">{{dz .MarkPrice}}</td><td class="n">{{dz .UnrealizedPnL}}</td><td class="n">{{dz .AccruedFunding}}</td><td class="n">{{dz .Collateral}}</td><td>{{.CarryOver}}</td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}
<h2>Designations of hedging intent</h2>
{{if .Designations}}<table><tr><th>time (UTC)</th><th>block</th><th>objective</th></tr>
{{range .Designations}}<tr><td>{{t .Time}}</td><td class="n">{{.Block}}</td><td>{{.Objective}}</td></tr>
{{end}}</table>{{else}}<p>None in this period.</p>{{end}}
<h2>Events</h2>
<table><tr><th>time (UTC)</th><th>block</th><th>tx</th><th>kind</th><th>asset</th><th>size</th><th>fill price</th><th>position after</th><th>realized PnL</th><th>funding / amount</th><th>venue fee</th><th>gas (USD)</th></tr>
{{range .Events}}<tr><td>{{t .Time}}</td><td class="n">{{.Block}}</td><td>{{short .Tx}}</td><td>{{.Kind}}{{if .Token}} ({{.TokenAmount}} {{.Token}} at {{.TokenPrice}}){{end}}</td><td>{{.Asset}}</td><td class="n">{{d .SizeDelta}}</td><td class="n">{{d .FillPrice}}</td><td class="n">{{if .Market}}{{dz .PositionAfter}}{{end}}</td><td class="n">{{d .RealizedPnL}}</td><td class="n">{{d .Amount}}</td><td class="n">{{d .Fee}}</td><td class="n">{{d .GasUSD}}</td></tr>
{{end}}</table>
<p class="fine">Realized PnL on an average-cost basis of the position; open positions marked at the index feed's price at the period's last block. Amounts are exact decimals from the venue's events and state; times are UTC.
This report records what happened on chain. It is not tax advice: whether a short is a hedge, when gains are realized and how funding is treated depend on your jurisdiction; ask a tax adviser.</p>
</body></html>
`))

// WriteHTML writes a self-contained printable report.
func WriteHTML(w io.Writer, r *Report) error { return htmlTmpl.Execute(w, r) }
