package main

import (
	"github.com/urfave/cli/v2"
)

var allowPartialFlag = &cli.BoolFlag{Name: "allow-partial",
	Usage: "hedge what the margin account can carry when it cannot fund the full target"}

func hedgeCommand() *cli.Command {
	return &cli.Command{
		Name:  "hedge",
		Usage: "apply the plan: bring every short to its target (asks for confirmation unless --yes)",
		Flags: append(append(append(connFlags(), walletFlag, yesFlag, allowPartialFlag), signerFlags()...), policyFlags()...),
		Action: func(c *cli.Context) error {
			p, err := policyFrom(c)
			if err != nil {
				return err
			}
			s, err := open(c, openOpts{needBook: true, needSigner: true})
			if err != nil {
				return err
			}
			defer s.close()
			plan, gas, err := s.plan(p, nil)
			if err != nil {
				return err
			}
			if !s.json {
				printPlan(plan, gas)
			}
			txs, err := s.apply(plan, gas, c.Bool("yes"), c.Bool("allow-partial"))
			if s.json && err == nil {
				return printJSON(planJSON(plan, gas, txs))
			}
			if err == nil && len(txs) > 0 {
				say("done: %d transaction(s) mined", len(txs))
			}
			return err
		},
	}
}
