package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

func closeCommand() *cli.Command {
	return &cli.Command{
		Name:  "close",
		Usage: "close the hedges and withdraw their margin (asks for confirmation unless --yes)",
		Flags: append(append(append(connFlags(), signerFlags()...), txFlags()...), yesFlag, slipFlag,
			&cli.StringSliceFlag{Name: "asset", Usage: "close only this market (repeatable); default all"}),
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
			assets := []string{}
			for _, a := range c.StringSlice("asset") {
				assets = append(assets, strings.ToUpper(strings.TrimSpace(a)))
			}
			if s.gmxBook != nil {
				if err := checkGMXAssets(s.gmxBook, assets); err != nil {
					return err
				}
			}
			e, cy, err := s.closePlan(p, assets)
			if err != nil {
				return err
			}
			if !s.json {
				printPlan(cy)
			}
			txs, err := s.apply(e, cy, c.Bool("yes"))
			if s.json && err == nil {
				return printJSON(planJSON(cy, txs))
			}
			return err
		},
	}
}
