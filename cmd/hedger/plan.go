package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/onchain"
)

func planCommand() *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: "show the transactions `hedge` would send, with estimated gas; sends nothing",
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
			plan, gas, err := s.plan(p, nil)
			if err != nil {
				return err
			}
			if s.json {
				return printJSON(planJSON(plan, gas, nil))
			}
			printPlan(plan, gas)
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
