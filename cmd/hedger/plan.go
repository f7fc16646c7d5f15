package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/onchain"
)

func planCommand() *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "show the transactions `hedge` would send, with estimated gas; sends nothing",
		Flags: append(append(append(append(connFlags(), walletFlag, maxTradeFlag, maxDailyFlag, journalFlag), signerFlags()...), policyFlags()...), riskFlags()...),
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
			run, err := s.riskPlan(pol)
			if err != nil {
				return err
			}
			// The caps as `hedge` applies them: trades split, or the plan
			// refused by the daily cap (nothing is sent here either way).
			if run.gas, err = s.capPlan(run.plan, run.gas); err != nil {
				if !s.json {
					run.print() // what the daily cap refuses
				}
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

// plan reads the chain and builds a hedge plan (or a close plan when close
// is non-nil), with gas estimates for its actions.
func (s *session) plan(p hedge.Policy, closeAssets []string) (*hedge.Plan, []onchain.GasEstimate, error) {
	snap, err := s.venue.Snapshot(s.ctx)
	if err != nil {
		return nil, nil, err
	}
	var plan *hedge.Plan
	if closeAssets != nil {
		plan, err = hedge.ClosePlan(snap, p, closeAssets)
	} else {
		plan, err = hedge.BuildPlan(snap, p)
	}
	if err != nil {
		return nil, nil, err
	}
	if len(plan.Actions) > 0 && s.venue.Account == ([20]byte{}) {
		return nil, nil, fmt.Errorf("the plan needs a margin account: pass --private-key or --from")
	}
	gas, err := s.venue.EstimatePlan(s.ctx, plan.Actions)
	if err != nil {
		return nil, nil, err
	}
	return plan, gas, nil
}

// riskRun is one pass of the risk layer: the snapshot, the verdict per
// asset, the plan it allows and its gas.
type riskRun struct {
	snap      *hedge.Snapshot
	dec       hedge.RiskDecision
	plan      *hedge.Plan
	alerts    []hedge.Alert
	gas       []onchain.GasEstimate
	windowErr error // the rolling funding window could not be read
}

// riskPlan reads the chain (one batch, plus the funding window's start) and
// plans through the risk layer, as one `watch` cycle does with no history.
func (s *session) riskPlan(pol hedge.Policies) (*riskRun, error) {
	snap, err := s.venue.Snapshot(s.ctx)
	if err != nil {
		return nil, err
	}
	hist := &onchain.FundingHistory{Venue: s.venue}
	run := &riskRun{snap: snap}
	run.windowErr = hist.Fill(s.ctx, snap, func(a string) time.Duration { return pol.For(a).FundingWindow })
	// A cross-asset holding with beta = auto and no estimate holds its hedge
	// market (the planner's rule), so a failed estimate is a warning, not an error.
	if err := s.venue.EstimateBetas(s.ctx, snap, pol); err != nil {
		warn("beta estimate: %s", oneLine(err))
	}
	run.dec, run.plan, run.alerts, err = evaluateRisk(snap, nil, pol, hedge.RiskState{})
	if err != nil {
		return nil, err
	}
	if len(run.plan.Actions) > 0 && s.venue.Account == ([20]byte{}) {
		return nil, fmt.Errorf("the plan needs a margin account: pass --private-key or --from")
	}
	if s.tx.approveMax {
		// Shown and estimated as it will be signed: unlimited.
		for i, a := range run.plan.Actions {
			run.plan.Actions[i] = s.venue.ApproveMax(a)
		}
	}
	if run.gas, err = s.venue.EstimatePlan(s.ctx, run.plan.Actions); err != nil {
		return nil, err
	}
	return run, nil
}

// evaluateRisk is EvaluateRisk then ApplyRisk: the decision (with the state
// for the next cycle), the plan, and the alerts.
func evaluateRisk(snap, prev *hedge.Snapshot, pol hedge.Policies, st hedge.RiskState) (hedge.RiskDecision, *hedge.Plan, []hedge.Alert, error) {
	dec, err := hedge.EvaluateRisk(snap, prev, pol, st)
	if err != nil {
		return dec, nil, nil, err
	}
	plan, alerts, err := hedge.ApplyRisk(snap, pol, dec)
	return dec, plan, alerts, err
}

// gated says which assets a risk gate kept from a trade they needed.
func (r *riskRun) gated() string {
	var out []string
	for _, a := range r.dec.Assets {
		if a.Gate == "" {
			continue
		}
		for _, ap := range r.plan.Assets {
			if ap.Asset == a.Asset && !ap.WithinBand {
				out = append(out, a.Asset+": "+a.Gate)
			}
		}
	}
	return strings.Join(out, "; ")
}

type riskPlanOut struct {
	planOut
	Risk   []hedge.AssetRisk `json:"risk"`
	Alerts []hedge.Alert     `json:"alerts"`
	// FundingWindowError says why the rolling funding window is unknown.
	FundingWindowError string `json:"funding_window_error,omitempty"`
}

func (r *riskRun) json(txs []string) riskPlanOut {
	out := riskPlanOut{planOut: planJSON(r.plan, r.gas, txs), Risk: r.dec.Assets, Alerts: r.alerts}
	if out.Risk == nil {
		out.Risk = []hedge.AssetRisk{}
	}
	if out.Alerts == nil {
		out.Alerts = []hedge.Alert{}
	}
	if r.windowErr != nil {
		out.FundingWindowError = oneLine(r.windowErr)
	}
	return out
}

// print shows the risk verdicts, the alerts, then the plan.
func (r *riskRun) print() {
	w := newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tBASIS\tFUNDING APR\tWINDOW APR\tHEDGE RATIO\tLIQ DISTANCE\tRISK")
	for _, a := range r.dec.Assets {
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
	if r.windowErr != nil {
		say("note: funding window unknown (%s); only the current rate is checked", oneLine(r.windowErr))
	}
	if len(r.alerts) > 0 {
		say("\nalerts:")
		for _, a := range r.alerts {
			say("  [%s] %s", a.Kind, a.Message)
		}
	}
	say("")
	printPlan(r.plan, r.gas)
}

type actionJSON struct {
	hedge.Action
	Gas      uint64 `json:"gas"`
	GasError string `json:"gas_error,omitempty"`
	Tx       string `json:"tx,omitempty"`
}

type planOut struct {
	Block       uint64            `json:"block"`
	NothingToDo bool              `json:"nothing_to_do"`
	Assets      []hedge.AssetPlan `json:"assets"`
	Actions     []actionJSON      `json:"actions"`
}

func planJSON(plan *hedge.Plan, gas []onchain.GasEstimate, txs []string) planOut {
	out := planOut{Block: plan.Block, NothingToDo: len(plan.Actions) == 0, Assets: plan.Assets, Actions: []actionJSON{}}
	for i, a := range plan.Actions {
		aj := actionJSON{Action: a}
		if i < len(gas) {
			aj.Gas, aj.GasError = gas[i].Gas, gas[i].Err
		}
		if i < len(txs) {
			aj.Tx = txs[i]
		}
		out.Actions = append(out.Actions, aj)
	}
	return out
}

func printPlan(plan *hedge.Plan, gas []onchain.GasEstimate) {
	w := newTable(os.Stdout)
	fmt.Fprintln(w, "ASSET\tSPOT\tEXPOSURE USD\tSHORT\tTARGET\tDRIFT\tDECISION")
	for _, a := range plan.Assets {
		d := "within band"
		if !a.WithinBand {
			d = "rebalance"
		}
		if a.Note != "" && a.Note != d {
			d += "; " + a.Note
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Asset, amt(a.SpotAmount), usd(a.Exposure), amt(a.CurrentSize),
			amt(a.TargetSize), spct(a.Drift), d)
	}
	w.Flush()
	if len(plan.Actions) == 0 {
		for _, a := range plan.Assets {
			if !a.WithinBand {
				say("\nno transaction can move the hedge towards its target (see the notes above)")
				return
			}
		}
		say("\nwithin band, nothing to do")
		return
	}
	say("\nplan at block %d: %d transaction(s)", plan.Block, len(plan.Actions))
	var total uint64
	for i, a := range plan.Actions {
		g := ""
		if i < len(gas) {
			g = fmt.Sprintf("  gas ~%d", gas[i].Gas)
			total += gas[i].Gas
			if gas[i].Err != "" {
				g += "  (" + gas[i].Err + ")"
			}
		}
		say("  %d. %s%s", i+1, describe(a), g)
	}
	say("  total gas ~%d", total)
}

func describe(a hedge.Action) string {
	switch a.Kind {
	case hedge.ActApprove:
		if strings.HasSuffix(a.Reason, "(--approve-max)") {
			return a.Reason
		}
		return fmt.Sprintf("approve the venue to pull %s collateral", usd(a.Amount))
	case hedge.ActDeposit:
		return fmt.Sprintf("deposit %s margin into %s", usd(a.Amount), a.Asset)
	case hedge.ActWithdraw:
		if a.All {
			return fmt.Sprintf("withdraw all %s margin (~%s)", a.Asset, usd(a.Amount))
		}
		return fmt.Sprintf("withdraw %s margin from %s", usd(a.Amount), a.Asset)
	case hedge.ActTrade:
		return fmt.Sprintf("%s (size %s %s, worst price %s)", a.Reason, signed(a.SizeDelta.String()), a.Asset, usd(a.AcceptablePrice))
	}
	return string(a.Kind)
}
