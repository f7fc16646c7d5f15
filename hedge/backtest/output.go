package backtest

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"
)

// Caveat goes with every output: liquidation is judged on closes only.
const Caveat = "liquidation is checked on each close only: intraday moves are not in daily data, so a spike between two closes that would have liquidated a position is not seen"

// JSON is the --json output: one object, decimals as strings.
type JSON struct {
	Assets     []string       `json:"assets"`
	Markets    []string       `json:"markets"`
	From       string         `json:"from"`
	To         string         `json:"to"`
	Steps      int            `json:"steps"`
	Step       string         `json:"step"`
	Costs      string         `json:"cost_model"`
	Spot       string         `json:"spot_prices"`
	Perp       string         `json:"perp_prices"`
	Notes      []string       `json:"notes,omitempty"`
	Caveat     string         `json:"caveat"`
	Strategies []JSONStrategy `json:"strategies"`
}

// JSONStrategy is one strategy's metrics. USD amounts have 2 decimals.
type JSONStrategy struct {
	Name                   string `json:"name"`
	Note                   string `json:"note,omitempty"`
	Effectiveness          string `json:"effectiveness"`
	TrackingErrorUSD       string `json:"tracking_error_usd"`
	HedgedPnLUSD           string `json:"hedged_pnl_usd"`
	UnhedgedPnLUSD         string `json:"unhedged_pnl_usd"`
	FundingUSD             string `json:"funding_usd"`
	FundingReceivedUSD     string `json:"funding_received_usd"`
	FundingPaidUSD         string `json:"funding_paid_usd"`
	FeesUSD                string `json:"fees_usd"`
	BorrowUSD              string `json:"borrow_usd"`
	Trades                 int    `json:"trades"`
	RefusedTrades          int    `json:"refused_trades"`
	TurnoverUSD            string `json:"turnover_usd"`
	MaxDrawdownUSD         string `json:"max_drawdown_usd"`
	UnhedgedMaxDrawdownUSD string `json:"unhedged_max_drawdown_usd"`
	WorstDayUSD            string `json:"worst_day_usd"`
	WorstDay               string `json:"worst_day"`
	TopUps                 int    `json:"margin_top_ups"`
	TopUpUSD               string `json:"margin_top_up_usd"`
	Liquidations           int    `json:"liquidations"`
	LiquidationLossUSD     string `json:"liquidation_loss_usd"`
	MaxMarginUSD           string `json:"max_margin_usd"`
	CashBroughtInUSD       string `json:"cash_brought_in_usd"`
	ShortfallSteps         int    `json:"shortfall_steps"`
}

func usd(d decimal.Decimal) string { return d.StringFixed(2) }

// JSON is r in the --json shape.
func (r *Result) JSON() JSON {
	out := JSON{Assets: r.Assets, Markets: r.Markets, From: r.Start, To: r.End, Steps: r.Steps, Step: stepText(r.Step),
		Costs: r.Costs, Spot: r.Spot, Perp: r.Perp, Notes: r.Notes, Caveat: Caveat, Strategies: []JSONStrategy{}}
	for _, s := range r.Strategies {
		m := s.Metrics
		out.Strategies = append(out.Strategies, JSONStrategy{
			Name: s.Name, Note: s.Note,
			Effectiveness:    strconv.FormatFloat(m.Effectiveness, 'f', 4, 64),
			TrackingErrorUSD: strconv.FormatFloat(m.TrackingErrorUSD, 'f', 2, 64),
			HedgedPnLUSD:     usd(m.HedgedPnL), UnhedgedPnLUSD: usd(m.UnhedgedPnL),
			FundingUSD: usd(m.Funding), FundingReceivedUSD: usd(m.FundingReceived), FundingPaidUSD: usd(m.FundingPaid),
			FeesUSD: usd(m.Fees), BorrowUSD: usd(m.Borrow), Trades: m.Trades, RefusedTrades: m.Refused,
			TurnoverUSD: usd(m.TurnoverUSD), MaxDrawdownUSD: usd(m.MaxDrawdown), UnhedgedMaxDrawdownUSD: usd(m.UnhedgedMaxDrawdown),
			WorstDayUSD: usd(m.WorstDay), WorstDay: m.WorstDayDate,
			TopUps: m.TopUps, TopUpUSD: usd(m.TopUpUSD), Liquidations: m.Liquidations, LiquidationLossUSD: usd(m.LiquidationLoss),
			MaxMarginUSD: usd(m.MaxMarginUSD), CashBroughtInUSD: usd(m.CashBroughtIn), ShortfallSteps: m.ShortfallSteps,
		})
	}
	return out
}

// WriteTable prints the table for people. Funding is from the user's side:
// + received, − paid.
func (r *Result) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "backtest %s, %s → %s (%d steps of %s), cost model %s\n",
		strings.Join(r.Assets, " "), r.Start, r.End, r.Steps, stepText(r.Step), r.Costs)
	fmt.Fprintf(w, "spot at %s; perp at %s\n", r.Spot, r.Perp)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	nameW := len("strategy")
	for _, s := range r.Strategies {
		nameW = max(nameW, len(s.Name))
	}
	fmt.Fprintf(tw, "%-*s\teffect.\ttrack.err\thedged PnL\tfunding\tfees\tborrow\ttrades\tmax DD\tworst day\ttop-ups\tliq.\t\n", nameW, "strategy")
	for _, s := range r.Strategies {
		m := s.Metrics
		fmt.Fprintf(tw, "%-*s\t%.4f\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%d\t%d\t\n", nameW, s.Name, m.Effectiveness,
			whole(decimal.NewFromFloat(m.TrackingErrorUSD)), signed(m.HedgedPnL), signed(m.Funding),
			whole(m.Fees), whole(m.Borrow), m.Trades, whole(m.MaxDrawdown), signed(m.WorstDay), m.TopUps, m.Liquidations)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\neffect. = 1 − Var(hedged daily PnL)/Var(unhedged); track.err = annualised stdev of hedged PnL − (1 − ratio) × unhedged PnL")
	fmt.Fprintln(w, "USD; funding + received / − paid (positive rates: longs pay shorts); fees = trading fee + price impact + execution fee")
	_, err := fmt.Fprintf(w, "caveat: %s\n", Caveat)
	return err
}

func stepText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}

// whole is a USD amount without cents, thousands separated.
func whole(d decimal.Decimal) string {
	s := d.Round(0).String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "−" + s
	}
	return s
}

func signed(d decimal.Decimal) string {
	if d.Round(0).IsPositive() {
		return "+" + whole(d)
	}
	return whole(d)
}

// WriteCSV writes every strategy's path, one row per strategy and step.
func (r *Result) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"date", "strategy", "spot_value_usd", "value_usd", "pnl_usd", "unhedged_pnl_usd",
		"funding_cum_usd", "costs_cum_usd", "cash_usd", "margin_usd", "traded", "liquidated"}
	for _, m := range r.Markets {
		head = append(head, "short_"+m, "target_"+m)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(head))
	for _, s := range r.Strategies {
		col := map[string]int{}
		for k, m := range s.Markets {
			col[m] = k
		}
		for _, p := range s.Path {
			rec = rec[:0]
			rec = append(rec, p.Day, s.Name, usd(p.SpotValue), usd(p.Value), usd(p.PnL),
				usd(p.Unhedged), usd(p.Funding), usd(p.Fees), usd(p.Cash), usd(p.Margin), strconv.FormatBool(p.Traded), strconv.FormatBool(p.Liquidated))
			for _, m := range r.Markets {
				if k, ok := col[m]; ok {
					rec = append(rec, p.Shorts[k].String(), p.Targets[k].String())
				} else {
					rec = append(rec, "", "")
				}
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Strategy is the named strategy's result, or nil.
func (r *Result) Strategy(name string) *StrategyResult {
	for i := range r.Strategies {
		if r.Strategies[i].Name == name {
			return &r.Strategies[i]
		}
	}
	return nil
}
