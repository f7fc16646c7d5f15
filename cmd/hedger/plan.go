package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
)

func planCommand() *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "show the transactions `hedge` would send, with estimated gas; sends nothing",
		Flags: append(append(append(append(append(connFlags(), walletFlag, maxTradeFlag, maxDailyFlag, journalFlag), signerFlags()...), policyFlags()...), riskFlags()...), spotFlags()...),
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
			// The caps as `hedge` applies them: trades split, or the plan
			// refused by the daily cap (nothing is sent here either way).
			run, err := s.riskPlan(pol)
			var ce *hedge.CapError
			if errors.As(err, &ce) && run != nil && !s.json {
				run.print() // what the daily cap refuses
			}
			if err != nil {
				return err
			}
			if s.json {
				return printJSON(run.json(nil))
			}
			run.print()
			return nil
		},
	}
}

// closePlan reads the venue and plans closing assets (all when empty).
func (s *session) closePlan(p hedge.Policy, assets []string) (*engine.Engine, *engine.Cycle, error) {
	e := s.engine(hedge.Policies{Default: hedge.DefaultAssetPolicy()})
	c, err := e.Read(s.ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := e.PlanClose(s.ctx, c, p, assets); err != nil {
		return nil, nil, err
	}
	return e, c, nil
}

// riskRun is one pass of the engine: the snapshot, the verdict per asset,
// the plan it allows and the steps that carry it out.
type riskRun struct {
	*engine.Cycle
	e *engine.Engine
}

// riskPlan reads the venue (one batch, plus the funding window's start) and
// plans through the risk layer, as one `watch` cycle does with no history.
// On a cap refusal the run is returned with the error, for display.
func (s *session) riskPlan(pol hedge.Policies) (*riskRun, error) {
	e := s.engine(pol)
	c, err := e.Read(s.ctx, nil)
	if err != nil {
		return nil, err
	}
	// A cross-asset holding with beta = auto and no estimate holds its hedge
	// market (the planner's rule), so a failed estimate is a warning, not an error.
	if c.BetaErr != nil {
		warn("beta estimate: %s", oneLine(c.BetaErr))
	}
	run := &riskRun{Cycle: c, e: e}
	if err := e.Plan(s.ctx, c); err != nil {
		if errors.Is(err, engine.ErrNoAccount) {
			return nil, fmt.Errorf("the plan needs a margin account: pass --private-key or --from")
		}
		if c.Plan == nil {
			return nil, err
		}
		return run, err
	}
	return run, nil
}

// gated says which assets a risk gate kept from a trade they needed.
func (r *riskRun) gated() string { return strings.Join(r.Gated(), "; ") }

type riskPlanOut struct {
	planOut
	Risk   []hedge.AssetRisk `json:"risk"`
	Alerts []hedge.Alert     `json:"alerts"`
	// FundingWindowError says why the rolling funding window is unknown.
	FundingWindowError string `json:"funding_window_error,omitempty"`
}

func (r *riskRun) json(txs []string) riskPlanOut {
	out := riskPlanOut{planOut: planJSON(r.Cycle, txs), Risk: r.Dec.Assets, Alerts: r.Alerts}
	if out.Risk == nil {
		out.Risk = []hedge.AssetRisk{}
	}
	if out.Alerts == nil {
		out.Alerts = []hedge.Alert{}
	}
	if r.WindowErr != nil {
		out.FundingWindowError = oneLine(r.WindowErr)
	}
	return out
}

// print shows the risk verdicts, the alerts, then the plan.
func (r *riskRun) print() {
	w := newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tBASIS\tFUNDING APR\tWINDOW APR\tHEDGE RATIO\tLIQ DISTANCE\tRISK")
	for _, a := range r.Dec.Assets {
		win := "n/a"
		if a.WindowSeconds > 0 {
			win = fmt.Sprintf("%s (%s)", spct(a.WindowFundingAPR), time.Duration(a.WindowSeconds)*time.Second)
		}
		liq := "n/a"
		if !a.LiquidationDistance.IsZero() {
			liq = pct(a.LiquidationDistance)
		}
		state := "ok"
		switch {
		case a.Gate != "":
			state = "gated"
		case a.ReducedForFunding:
			state = "reduced for funding"
		case a.NoIncrease != "":
			state = "no increase"
		case a.Hold != "":
			state = "cooldown"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Asset, sbps(a.BasisBps), spct(a.FundingAPR), win, a.HedgeRatio, liq, state)
	}
	w.Flush()
	if r.WindowErr != nil {
		say("note: funding window unknown (%s); only the current rate is checked", oneLine(r.WindowErr))
	}
	if len(r.Alerts) > 0 {
		say("\nalerts:")
		for _, a := range r.Alerts {
			say("  [%s] %s", a.Kind, a.Message)
		}
	}
	say("")
	printPlan(r.Cycle)
}

type actionJSON struct {
	hedge.Step
	Gas      uint64 `json:"gas"`
	GasError string `json:"gas_error,omitempty"`
	Tx       string `json:"tx,omitempty"`
}

// planOut is a plan as JSON: the venue-neutral orders and the venue's
// transactions ("actions") that carry them out.
type planOut struct {
	Block       uint64            `json:"block"`
	NothingToDo bool              `json:"nothing_to_do"`
	Assets      []hedge.AssetPlan `json:"assets"`
	Orders      []hedge.Order     `json:"orders"`
	Actions     []actionJSON      `json:"actions"`
	// Prices: feed prices of held assets without a market, with the chain
	// and block each was read at (a spot chain's where the venue's has none).
	Prices []priceJSON `json:"prices,omitempty"`
}

func planJSON(c *engine.Cycle, txs []string) planOut {
	plan := c.Plan
	out := planOut{Block: plan.Block, NothingToDo: len(c.Steps) == 0, Assets: plan.Assets, Orders: plan.Orders, Actions: []actionJSON{}}
	if c.Snap != nil {
		out.Prices = feedPricesJSON(c.Snap)
	}
	if out.Orders == nil {
		out.Orders = []hedge.Order{}
	}
	for i, a := range c.Steps {
		aj := actionJSON{Step: a}
		if i < len(c.Gas) {
			aj.Gas, aj.GasError = c.Gas[i].Gas, c.Gas[i].Err
		}
		if i < len(txs) {
			aj.Tx = txs[i]
		}
		out.Actions = append(out.Actions, aj)
	}
	return out
}

func printPlan(c *engine.Cycle) {
	plan := c.Plan
	w := newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tSPOT\tEXPOSURE USD\tSHORT\tTARGET\tDRIFT\tDECISION")
	var unhedgeable []string
	for _, a := range plan.Assets {
		d := "within band"
		switch {
		case a.Unhedgeable:
			d = "not hedgeable"
			unhedgeable = append(unhedgeable, a.Asset)
		case a.Pending > 0:
			d = "order in flight"
		case !a.WithinBand:
			d = "rebalance"
		}
		if a.Note != "" && a.Note != d {
			d += "; " + a.Note
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Asset, amt(a.SpotAmount), usd(a.Exposure), amt(a.CurrentSize),
			amt(a.TargetSize), spct(a.Drift), d)
	}
	w.Flush()
	if len(unhedgeable) > 0 {
		say("\nnot hedgeable (no market carries them; not counted as drift): %s", strings.Join(unhedgeable, ", "))
	}
	if len(c.Steps) == 0 {
		for _, a := range plan.Assets {
			if a.Pending > 0 {
				say("\norders in flight; nothing sent until they are executed or cancelled")
				return
			}
		}
		for _, a := range plan.Assets {
			if !a.WithinBand {
				say("\nno transaction can move the hedge towards its target (see the notes above)")
				return
			}
		}
		say("\nwithin band, nothing to do")
		return
	}
	say("\nplan at block %d: %d transaction(s)", plan.Block, len(c.Steps))
	var total uint64
	for i, a := range c.Steps {
		g := ""
		if i < len(c.Gas) {
			g = fmt.Sprintf("  gas ~%d", c.Gas[i].Gas)
			total += c.Gas[i].Gas
			if c.Gas[i].Err != "" {
				g += "  (" + c.Gas[i].Err + ")"
			}
		}
		say("  %d. %s%s", i+1, describe(a), g)
	}
	say("  total gas ~%d", total)
}

func describe(a hedge.Step) string {
	switch a.Kind {
	case hedge.StepApprove:
		if a.Unlimited {
			return a.Reason
		}
		return fmt.Sprintf("approve the venue to pull %s collateral", usd(a.Amount))
	case hedge.StepDeposit:
		return fmt.Sprintf("deposit %s margin into %s", usd(a.Amount), a.Asset)
	case hedge.StepWithdraw:
		if a.All {
			return fmt.Sprintf("withdraw all %s margin (~%s)", a.Asset, usd(a.Amount))
		}
		return fmt.Sprintf("withdraw %s margin from %s", usd(a.Amount), a.Asset)
	case hedge.StepTrade:
		return fmt.Sprintf("%s (size %s %s, worst price %s)", a.Reason, signed(a.SizeDelta.String()), a.Asset, usd(a.AcceptablePrice))
	}
	if a.Reason != "" {
		return a.Reason
	}
	return string(a.Kind)
}
