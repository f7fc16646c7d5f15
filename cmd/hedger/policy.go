package main

// Policy flags: the planner's settings from flags and environment.

import (
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge"
)

var (
	ratioFlag = &cli.StringFlag{Name: "hedge-ratio", Usage: "fraction of spot exposure to hedge, 0..1",
		EnvVars: []string{"HEDGER_HEDGE_RATIO"}, Value: "1"}
	bandFlag = &cli.StringFlag{Name: "band", Usage: "drift band: rebalance when |short − target| / target exceeds it",
		EnvVars: []string{"HEDGER_BAND"}, Value: "0.05"}
	levFlag = &cli.StringFlag{Name: "max-leverage", Usage: "cap on short notional / margin equity (1 = full margin)",
		EnvVars: []string{"HEDGER_MAX_LEVERAGE"}, Value: "2"}
	slipFlag = &cli.StringFlag{Name: "max-slippage", Usage: "worst fill accepted, as a fraction of mark",
		EnvVars: []string{"HEDGER_MAX_SLIPPAGE"}, Value: "0.005"}
)

func policyFlags() []cli.Flag { return []cli.Flag{ratioFlag, bandFlag, levFlag, slipFlag} }

func policyFrom(c *cli.Context) (hedge.Policy, error) {
	p := hedge.DefaultPolicy()
	for _, f := range []struct {
		name string
		dst  *decimal.Decimal
	}{{"hedge-ratio", &p.HedgeRatio}, {"band", &p.Band}, {"max-leverage", &p.MaxLeverage}, {"max-slippage", &p.MaxSlippage}} {
		raw := c.String(f.name)
		if raw == "" && !c.IsSet(f.name) {
			continue // a command without this flag keeps the default
		}
		d, err := parseDecimal("--"+f.name, raw)
		if err != nil {
			return p, err
		}
		*f.dst = d
	}
	return p, p.Validate()
}
