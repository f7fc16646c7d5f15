package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/hedger/hedger/hedge/backtest"
)

func backtestCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringSliceFlag{Name: "data", Usage: "history CSV, [ASSET=]FILE, repeatable: the shared dataset's <asset>_daily.csv or time,spot,perp,funding[,borrow] (see README)"},
		&cli.StringSliceFlag{Name: "hold", Usage: "spot held at the start: ASSET=AMOUNT (units) or ASSET=AMOUNTusd (USD at the first close), repeatable"},
		&cli.StringFlag{Name: "from", Usage: "first day, YYYY-MM-DD (default: the data's first common day)"},
		&cli.StringFlag{Name: "to", Usage: "last day, YYYY-MM-DD (default: the data's last common day)"},
		&cli.StringFlag{Name: "flows", Usage: "CSV date,asset,amount of deposits (+) and withdrawals (−) of spot, or USD into the margin account"},
		&cli.StringFlag{Name: "costs", Value: "gmx", Usage: "venue cost model: gmx (position fee, size-dependent impact, execution fee, borrowing), perpvenue (taker fee, skew slippage) or zero"},
		&cli.StringFlag{Name: "spot", Value: "coinbase", Usage: "spot prices of the shared dataset: coinbase (Coinbase USD where present, else Binance) or binance (the perp's own series: no basis)"},
		&cli.StringFlag{Name: "collateral", Value: "unlimited", Usage: "USD in the margin account at the start; unlimited = the user tops it up whenever the planner asks"},
		jsonFlag,
		&cli.StringFlag{Name: "csv", Usage: "write every strategy's daily path to this CSV file"},
		&cli.StringFlag{Name: "plot", Usage: "write a chart to this .png or .svg file"},
		&cli.StringFlag{Name: "plot-strategy", Value: "policy", Usage: "strategy the chart shows against the spot alone"},
	}
	return &cli.Command{
		Name:  "backtest",
		Usage: "replay price and funding history through the planner and risk policy, strategy by strategy",
		Description: "Runs the same planner and risk policy as hedge and watch on a paper venue with a cost model.\n" +
			"Funding is from your side: + received, − paid (positive rates: longs pay shorts).",
		Flags:  append(append(flags, policyFlags()...), riskFlags()...),
		Action: runBacktest,
	}
}

func runBacktest(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("backtest takes no arguments, got %q", c.Args().First())
	}
	pol, err := policiesFrom(c)
	if err != nil {
		return err
	}
	cfg := backtest.Config{Policy: pol}
	if cfg.Costs, err = backtest.CostPreset(c.String("costs")); err != nil {
		return fmt.Errorf("--costs: %w", err)
	}
	spot := backtest.SpotSource(strings.ToLower(c.String("spot")))
	if spot != backtest.SpotCoinbase && spot != backtest.SpotBinance {
		return fmt.Errorf("--spot %q: want coinbase or binance", c.String("spot"))
	}
	if col := c.String("collateral"); !strings.EqualFold(col, "unlimited") {
		d, err := parseNonNegative("--collateral", col)
		if err != nil {
			return err
		}
		cfg.Collateral = &d
	}
	for _, name := range []string{"from", "to"} {
		v := c.String(name)
		if v == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return fmt.Errorf("--%s %q: want YYYY-MM-DD", name, v)
		}
		t = t.Add(24 * time.Hour) // that day's close
		if name == "from" {
			cfg.From = t
		} else {
			cfg.To = t
		}
	}
	format := ""
	if p := c.String("plot"); p != "" {
		if format, err = backtest.PlotFormat(p); err != nil {
			return err
		}
	}
	if len(c.StringSlice("data")) == 0 {
		return errors.New("--data FILE is required (e.g. --data ../shared/data/eth_daily.csv)")
	}
	for _, raw := range c.StringSlice("data") {
		asset, path := "", raw
		if a, p, ok := strings.Cut(raw, "="); ok {
			asset, path = strings.ToUpper(strings.TrimSpace(a)), strings.TrimSpace(p)
		}
		s, err := backtest.LoadFile(path, asset, spot)
		if err != nil {
			return fmt.Errorf("--data %w", err)
		}
		cfg.Series = append(cfg.Series, s)
	}
	if len(c.StringSlice("hold")) == 0 {
		return errors.New("--hold ASSET=AMOUNT is required (e.g. --hold ETH=10 or --hold ETH=25000usd)")
	}
	for _, raw := range c.StringSlice("hold") {
		h, err := parseHold(raw)
		if err != nil {
			return err
		}
		cfg.Hold = append(cfg.Hold, h)
	}
	if path := c.String("flows"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("--flows: %w", err)
		}
		cfg.Flows, err = backtest.LoadFlows(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("--flows %s: %w", path, err)
		}
	}
	bar := newProgress(c.App.ErrWriter)
	cfg.Progress = bar.update
	// The planner's decimals allocate on every operation and the live heap
	// is small, so the default GC target collects constantly: a run is
	// ~40% faster at 400 (README, backtest benchmark), for a few MB more.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	res, err := backtest.Run(cfg)
	bar.finish()
	if err != nil {
		return err
	}
	// Files first: a refused --csv or --plot path fails before any output.
	if p := c.String("csv"); p != "" {
		if err := writeFile(p, res.WriteCSV); err != nil {
			return fmt.Errorf("--csv: %w", err)
		}
	}
	if p := c.String("plot"); p != "" {
		err := writeFile(p, func(w io.Writer) error { return res.WritePlot(w, format, c.String("plot-strategy")) })
		if err != nil {
			return fmt.Errorf("--plot: %w", err)
		}
	}
	out := c.App.Writer
	if c.Bool("json") {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res.JSON())
	}
	if err := res.WriteTable(out); err != nil {
		return err
	}
	for _, f := range []string{"csv", "plot"} {
		if p := c.String(f); p != "" {
			fmt.Fprintf(out, "wrote %s\n", p)
		}
	}
	return nil
}

// parseHold reads ASSET=AMOUNT or ASSET=AMOUNTusd.
func parseHold(raw string) (backtest.Hold, error) {
	a, v, ok := strings.Cut(raw, "=")
	a, v = strings.ToUpper(strings.TrimSpace(a)), strings.TrimSpace(v)
	if !ok || a == "" || v == "" {
		return backtest.Hold{}, fmt.Errorf("--hold %q: want ASSET=AMOUNT or ASSET=AMOUNTusd", raw)
	}
	h := backtest.Hold{Asset: a}
	lower := strings.ToLower(v)
	if num, isUSD := strings.CutSuffix(lower, "usd"); isUSD {
		v, h.USD = strings.TrimSpace(num), true
	} else if num, isUSD := strings.CutPrefix(v, "$"); isUSD {
		v, h.USD = num, true
	}
	d, err := decimal.NewFromString(v)
	if err != nil || !d.IsPositive() {
		return h, fmt.Errorf("--hold %q: the amount must be a positive number", raw)
	}
	h.Amount = d
	return h, nil
}

// writeFile writes through a temporary file, so a failed write leaves no
// half file behind.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(dirOf(path), ".backtest-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private; a chart or CSV is an ordinary file.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// progress draws a bar on a terminal once a run has taken a second.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && term.IsTerminal(int(f.Fd())), start: time.Now()}
}

func (p *progress) update(done, total int) {
	if !p.on || total == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.drawn = now, true
	const width = 40
	n := done * width / total
	fmt.Fprintf(p.w, "\rbacktest [%s%s] %3d%%", strings.Repeat("#", n), strings.Repeat(" ", width-n), done*100/total)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 60))
	}
}
