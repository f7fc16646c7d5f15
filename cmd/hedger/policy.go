package main

// Policy flags: the planner's settings from flags and environment.

import (
	"fmt"
	"os"
	"strings"

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

// Risk flags. Each takes VALUE (every asset) or ASSET=VALUE (one asset), is
// repeatable, and has an environment twin (comma-separated). Precedence, per
// asset and setting: --flag ASSET=V > --flag V > env ASSET=V > env V (the
// env twin is read only when the flag is absent) > policy file [ASSET] >
// policy file [default] > built-in default.
var policyFileFlag = &cli.StringFlag{Name: "policy-file", Usage: "per-asset risk policy file (format: hedge/risk.go, README)",
	EnvVars: []string{"HEDGER_POLICY_FILE"}}

type riskFlagSpec struct{ name, usage string }

var riskFlagSpecs = []riskFlagSpec{
	{"funding-budget-apr", "max funding cost tolerated, as a positive APR (default 0.20; 0 = any cost passes)"},
	{"funding-action", "when the budget is passed: alert, reduce or close (default alert)"},
	{"reduced-ratio", "hedge ratio while reduced for funding (default 0.5)"},
	{"resume-apr", "resume once the short's funding APR is above −this, current and over the window (default 0.05)"},
	{"funding-window", "rolling window whose accrued funding is also checked against the budget (default 24h; 0 = off)"},
	{"max-basis-discount-bps", "refuse to open or increase a short when mark is this far below index (default 50; 0 = off)"},
	{"max-entry-cost-bps", "refuse to open or increase a short when the venue's fees, impact and fixed fees plus the basis discount cost more, in bps of the trade (default 0 = off)"},
	{"liq-floor", "keep the liquidation price at least this fraction above mark; top up margin, else reduce (default 0.25; 0 = off)"},
	{"max-oracle-age", "refuse to trade on a feed older than this (default 1h; 0 = off)"},
	{"max-mark-index-deviation-bps", "refuse to trade when mark and index differ by more (default 200; 0 = off)"},
	{"min-trade-size", "skip trades smaller than this many base units, except closes (default 0)"},
	{"cooldown", "minimum time between actions on one asset (default 10m)"},
}

func envName(flag string) string {
	return "HEDGER_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

var riskFlagList = func() []cli.Flag {
	out := []cli.Flag{policyFileFlag}
	for _, f := range riskFlagSpecs {
		out = append(out, &cli.StringSliceFlag{Name: f.name, Usage: f.usage + "; VALUE or ASSET=VALUE, repeatable",
			EnvVars: []string{envName(f.name)}})
	}
	return out
}()

// riskFlags are the risk layer's settings, for plan, hedge and watch.
func riskFlags() []cli.Flag { return riskFlagList }

// policiesFrom resolves the per-asset policies: built-in defaults, the
// policy file, then the plain policy flags and the risk flags, all checked
// before anything is dialed.
func policiesFrom(c *cli.Context) (hedge.Policies, error) {
	pol := hedge.DefaultPolicies()
	if path := c.String("policy-file"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return pol, fmt.Errorf("--policy-file: %w", err)
		}
		pol, err = hedge.ParsePolicies(f)
		f.Close()
		if err != nil {
			return pol, fmt.Errorf("--policy-file %s: %w", path, err)
		}
	}
	if c.String("policy-file") == "" && configPolicies != nil {
		pol = *configPolicies // --config's [policy.*] tables stand where a policy file would
	}
	if pol.Assets == nil {
		pol.Assets = map[string]hedge.AssetPolicy{}
	}
	setAll := func(key, value, what string) error {
		if err := pol.Default.Set(key, value); err != nil {
			return fmt.Errorf("%s %q: %w", what, value, err)
		}
		for a, p := range pol.Assets {
			if err := p.Set(key, value); err != nil {
				return fmt.Errorf("%s %q: %w", what, value, err)
			}
			pol.Assets[a] = p
		}
		return nil
	}
	// The plain policy flags apply to every asset when given.
	for _, name := range []string{"hedge-ratio", "band", "max-leverage", "max-slippage"} {
		if !c.IsSet(name) {
			continue
		}
		if _, err := parseDecimal("--"+name, c.String(name)); err != nil {
			return pol, err
		}
		if err := setAll(strings.ReplaceAll(name, "-", "_"), c.String(name), "--"+name); err != nil {
			return pol, err
		}
	}
	for _, f := range riskFlagSpecs {
		if !c.IsSet(f.name) {
			continue
		}
		key := strings.ReplaceAll(f.name, "-", "_")
		var perAsset [][2]string
		for _, raw := range c.StringSlice(f.name) {
			raw = strings.TrimSpace(raw)
			if raw == "" {
				continue
			}
			if a, v, ok := strings.Cut(raw, "="); ok {
				a = strings.ToUpper(strings.TrimSpace(a))
				if a == "" || strings.ContainsAny(a, " \t[]") {
					return pol, fmt.Errorf("--%s %q: want VALUE or ASSET=VALUE", f.name, raw)
				}
				perAsset = append(perAsset, [2]string{a, strings.TrimSpace(v)})
				continue
			}
			if err := setAll(key, riskValue(f.name, raw), "--"+f.name); err != nil {
				return pol, err
			}
		}
		for _, av := range perAsset {
			p, ok := pol.Assets[av[0]]
			if !ok {
				p = pol.Default
			}
			if err := p.Set(key, riskValue(f.name, av[1])); err != nil {
				return pol, fmt.Errorf("--%s %s=%q: %w", f.name, av[0], av[1], err)
			}
			pol.Assets[av[0]] = p
		}
	}
	if err := pol.Validate(); err != nil {
		return pol, fmt.Errorf("risk policy: %w", err)
	}
	return pol, nil
}

// riskValue accepts the CLI's day durations ("1d") where a duration is due.
func riskValue(flag, v string) string {
	switch flag {
	case "funding-window", "max-oracle-age", "cooldown":
		if v == "0" {
			return "0s"
		}
		if d, err := parseDuration(v); err == nil {
			return d.String()
		}
	}
	return v
}
