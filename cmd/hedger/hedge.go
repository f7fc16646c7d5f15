package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

var allowPartialFlag = &cli.BoolFlag{Name: "allow-partial",
	Usage: "hedge what the margin account can carry when it cannot fund the full target"}

func hedgeCommand() *cli.Command {
	return &cli.Command{
		Name:  "hedge",
		Usage: "apply the plan: bring every short to its target (asks for confirmation unless --yes)",
		Flags: append(append(append(append(append(append(connFlags(), walletFlag, yesFlag, allowPartialFlag), signerFlags()...), policyFlags()...), riskFlags()...), txFlags()...), spotFlags()...),
		Action: func(c *cli.Context) error {
			pol, err := policiesFrom(c)
			if err != nil {
				return err
			}
			s, err := open(c, openOpts{needBook: true, needSigner: true})
			if err != nil {
				return err
			}
			defer s.close()
			if s.gmxBook != nil {
				if err := checkGMXPolicies(s.gmxBook, pol); err != nil {
					return err
				}
			}
			run, err := s.riskPlan(pol)
			if err != nil {
				return err
			}
			if !s.json {
				run.print()
			}
			run.e.AllowPartial = c.Bool("allow-partial")
			txs, err := s.apply(run.e, run.Cycle, c.Bool("yes"))
			if s.json && err == nil {
				if err := printJSON(run.json(txs)); err != nil {
					return err
				}
			}
			if err == nil && len(txs) > 0 && !s.json {
				say("done: %d transaction(s) mined", len(txs))
			}
			// A gate (stale oracle, paused market, …) that kept an asset from
			// the trade it needs is a refusal, as in `watch`: exit non-zero.
			if g := run.gated(); err == nil && g != "" {
				return fmt.Errorf("not hedged: %s", g)
			}
			return err
		},
	}
}
