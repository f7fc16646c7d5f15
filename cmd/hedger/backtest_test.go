package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const btData = "../../hedge/backtest/testdata/"

// runCLI runs hedger in-process and returns its stdout and error.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var out, errOut bytes.Buffer
	app.Writer, app.ErrWriter = &out, &errOut
	err := app.Run(interspersed(app, append([]string{"hedger"}, args...)))
	return out.String(), err
}

func TestBacktestCommand(t *testing.T) {
	dir := t.TempDir()
	csvPath, pngPath := filepath.Join(dir, "path.csv"), filepath.Join(dir, "eth.png")
	out, err := runCLI(t, "backtest", "--data", btData+"eth_daily.csv", "--hold", "ETH=10",
		"--from", "2022-05-01", "--to", "2022-06-30", "--json", "--csv", csvPath, "--plot", pngPath,
		"--band", "0.02", "--funding-action", "reduce")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		From, To   string
		Strategies []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if got.From != "2022-05-01" || got.To != "2022-06-30" || len(got.Strategies) < 15 {
		t.Fatalf("from %s to %s, %d strategies", got.From, got.To, len(got.Strategies))
	}
	for _, s := range got.Strategies {
		for _, k := range []string{"name", "effectiveness", "hedged_pnl_usd", "unhedged_pnl_usd", "funding_usd", "fees_usd", "max_drawdown_usd"} {
			if _, ok := s[k].(string); !ok {
				t.Errorf("strategy %v: %s is %T, want a string", s["name"], k, s[k])
			}
		}
		if _, ok := s["trades"].(float64); !ok {
			t.Errorf("strategy %v: trades is %T", s["name"], s["trades"])
		}
	}
	// The policy flags reach the user's strategy: with --funding-action
	// reduce it is the "funding reduce" variant, and without the flag not.
	named := func(ss []map[string]any, name string) map[string]any {
		for _, s := range ss {
			if s["name"] == name {
				return s
			}
		}
		t.Fatalf("no strategy %q", name)
		return nil
	}
	pol, red := named(got.Strategies, "policy"), named(got.Strategies, "funding reduce")
	if pol["hedged_pnl_usd"] != red["hedged_pnl_usd"] || pol["trades"] != red["trades"] {
		t.Errorf("policy %v and funding reduce %v must match under --funding-action reduce", pol, red)
	}
	plain, err := runCLI(t, "backtest", "--data", btData+"eth_daily.csv", "--hold", "ETH=10", "--from", "2022-05-01", "--to", "2022-06-30", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var def struct{ Strategies []map[string]any }
	if err := json.Unmarshal([]byte(plain), &def); err != nil {
		t.Fatal(err)
	}
	if p := named(def.Strategies, "policy"); p["hedged_pnl_usd"] == pol["hedged_pnl_usd"] {
		t.Errorf("the default policy (funding alert only) ran like the reduce one: %v", p)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 1+61*len(got.Strategies) {
		t.Errorf("csv: %d records, %v", len(recs), err)
	}
	png, err := os.ReadFile(pngPath)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("png: %v", err)
	}

	table, err := runCLI(t, "backtest", "--data", "ETH="+btData+"eth_daily.csv", "--hold", "ETH=20000usd", "--from", "2024-01-01", "--costs", "perpvenue")
	if err != nil || !strings.Contains(table, "cost model perpvenue") || !strings.Contains(table, "band 20%") ||
		!strings.Contains(table, "intraday moves are not in daily data") {
		t.Errorf("table: %v\n%s", err, table)
	}
}

func TestBacktestRefusals(t *testing.T) {
	dir := t.TempDir()
	gap := filepath.Join(dir, "gap.csv")
	os.WriteFile(gap, []byte("time,spot,perp,funding\n2022-01-01,1,1,0\n2022-01-02,1,1,0\n2022-01-05,1,1,0\n"), 0o644)
	eth := btData + "eth_daily.csv"
	sell := filepath.Join(dir, "sell.csv")
	os.WriteFile(sell, []byte("date,asset,amount\n2022-01-10,ETH,-11\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--hold", "ETH=1"}, "--data FILE is required"},
		{[]string{"--data", eth}, "--hold ASSET=AMOUNT is required"},
		{[]string{"--data", eth, "--hold", "ETH=ten"}, `--hold "ETH=ten": the amount must be a positive number`},
		{[]string{"--data", eth, "--hold", "BTC=1"}, "--hold BTC: no data file for BTC"},
		{[]string{"--data", "X=" + gap, "--hold", "X=1"}, "gap.csv: line 4: gap: 2022-01-05 after 2022-01-02"},
		{[]string{"--data", eth, "--hold", "ETH=1", "--plot", "x.gif"}, "want a .png or .svg file name"},
		{[]string{"--data", eth, "--hold", "ETH=1", "--costs", "cex"}, `cost model "cex" is not gmx, perpvenue or zero`},
		{[]string{"--data", eth, "--hold", "ETH=1", "--from", "2022-13-01"}, `--from "2022-13-01": want YYYY-MM-DD`},
		{[]string{"--data", eth, "--hold", "ETH=1", "--band", "2"}, "band 2 is outside 0..1"},
		{[]string{"--data", eth, "--hold", "ETH=1", "--from", "2030-01-01"}, "share no period"},
		{[]string{"--data", eth, "--hold", "ETH=10", "--flows", sell}, "flow on 2022-01-10 takes 11 ETH but only 10 is held"},
		{[]string{"--data", eth, "--hold", "ETH=1", "--collateral", "-5"}, "--collateral must not be negative"},
	} {
		_, err := runCLI(t, append([]string{"backtest"}, c.args...)...)
		if err == nil || !strings.Contains(oneLine(err), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
}
