package main

// Flags of the commands that send: fees, confirmations, notional caps,
// approvals and the journal. Each has an environment twin.

import (
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
)

var (
	maxFeeFlag = &cli.StringFlag{Name: "max-fee-gwei", Usage: "most to pay per gas (EIP-1559 fee cap or legacy gas price), in gwei; fee bumps never pass it",
		EnvVars: []string{"HEDGER_MAX_FEE_GWEI"}}
	confirmationsFlag = &cli.StringFlag{Name: "confirmations", Usage: "blocks a transaction must be deep before the next step (default 1 on dev chains, 3 elsewhere)",
		EnvVars: []string{"HEDGER_CONFIRMATIONS"}}
	resubmitFlag = &cli.StringFlag{Name: "resubmit-after", Usage: "replace a transaction still unmined after this long with +10% fees (e.g. 45s, 2m)",
		EnvVars: []string{"HEDGER_RESUBMIT_AFTER"}}
	maxTradeFlag = &cli.StringFlag{Name: "max-trade-notional", Usage: "largest trade per transaction in USD notional; bigger trades are split (0 = no cap)",
		EnvVars: []string{"HEDGER_MAX_TRADE_NOTIONAL"}}
	maxDailyFlag = &cli.StringFlag{Name: "max-daily-notional", Usage: "most USD notional of new shorts per rolling 24 hours; a plan passing it is refused (0 = no cap)",
		EnvVars: []string{"HEDGER_MAX_DAILY_NOTIONAL"}}
	approveMaxFlag = &cli.BoolFlag{Name: "approve-max", Usage: "approve the venue for an unlimited amount instead of exactly what the plan needs",
		EnvVars: []string{"HEDGER_APPROVE_MAX"}}
	journalFlag = &cli.StringFlag{Name: "journal", Usage: "journal file (default <data-dir>/journal/<chainid>-<account>.jsonl)",
		EnvVars: []string{"HEDGER_JOURNAL"}}
)

// txFlags are the flags of every command that sends transactions.
func txFlags() []cli.Flag {
	return append([]cli.Flag{maxFeeFlag, confirmationsFlag, resubmitFlag, maxTradeFlag, maxDailyFlag, approveMaxFlag, journalFlag}, gmxFlags()...)
}

// feeFlags are the transaction flags of commands that send but do not
// trade (deploy, devnet): fees, confirmations and the journal.
func feeFlags() []cli.Flag {
	return []cli.Flag{maxFeeFlag, confirmationsFlag, resubmitFlag, journalFlag}
}

// txOptions are the parsed transaction flags; the zero value is the defaults.
type txOptions struct {
	maxFeeWei     *big.Int // nil: no cap
	confirmations uint64   // 0: the chain's default
	resubmitAfter time.Duration
	caps          hedge.Caps // UsedToday is filled from the journal at apply time
	approveMax    bool
	journalPath   string
}

// txOptionsFrom validates the flags before anything is dialed or sent.
// Commands without these flags get the defaults.
func txOptionsFrom(c *cli.Context) (txOptions, error) {
	var o txOptions
	if s := c.String("max-fee-gwei"); s != "" {
		g, err := parseDecimal("--max-fee-gwei", s)
		if err != nil {
			return o, err
		}
		wei := g.Shift(9).Truncate(0)
		if !wei.IsPositive() {
			return o, fmt.Errorf("--max-fee-gwei must be positive (at least 1 wei), got %s", s)
		}
		o.maxFeeWei = wei.BigInt()
	}
	if s := c.String("confirmations"); s != "" {
		d, err := parseDecimal("--confirmations", s)
		if err != nil || !d.IsInteger() || d.LessThan(decimal.NewFromInt(1)) || d.GreaterThan(decimal.NewFromInt(1000)) {
			return o, fmt.Errorf("--confirmations must be a whole number of blocks from 1 to 1000, got %q", s)
		}
		o.confirmations = uint64(d.IntPart())
	}
	if s := c.String("resubmit-after"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < time.Second {
			return o, fmt.Errorf("--resubmit-after must be a duration of at least 1s (e.g. 45s, 2m), got %q", s)
		}
		o.resubmitAfter = d
	}
	var err error
	if s := c.String("max-trade-notional"); s != "" {
		if o.caps.MaxTradeNotional, err = parseNonNegative("--max-trade-notional", s); err != nil {
			return o, err
		}
	}
	if s := c.String("max-daily-notional"); s != "" {
		if o.caps.MaxDailyNotional, err = parseNonNegative("--max-daily-notional", s); err != nil {
			return o, err
		}
	}
	o.approveMax = c.Bool("approve-max")
	o.journalPath = c.String("journal")
	return o, nil
}

// apply sets the options on a transaction manager's configuration.
func (o txOptions) apply(cfg *chain.Config) {
	if o.maxFeeWei != nil {
		cfg.MaxFeeCap = new(big.Int).Set(o.maxFeeWei)
	}
	cfg.Confirmations = o.confirmations
	cfg.ResubmitAfter = o.resubmitAfter
}
