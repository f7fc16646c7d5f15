package main

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
)

// The daily cap fails closed: a mined trade whose notional the journal
// cannot give is not counted as nothing.
func TestMinedTradeNotionalFailsClosed(t *testing.T) {
	now := time.Now()
	rec := func(id, notional string) chain.JournalRecord {
		return chain.JournalRecord{ID: id, Intent: chain.JournalEntry{ActionMeta: chain.ActionMeta{Kind: "trade", Notional: notional}},
			Outcome: &chain.JournalEntry{Outcome: chain.OutcomeMined, Time: now.Add(-time.Hour)}}
	}
	sum, err := minedTradeNotional([]chain.JournalRecord{rec("a", "2010"), rec("b", "-990.5")}, now.Add(-24*time.Hour))
	if err != nil || sum.String() != "3000.5" {
		t.Fatalf("sum %s, %v", sum, err)
	}
	_, err = minedTradeNotional([]chain.JournalRecord{rec("a", "2010"), rec("b", "")}, now.Add(-24*time.Hour))
	if err == nil || !strings.Contains(err.Error(), "journal entry b") || !strings.Contains(err.Error(), "nothing sent") {
		t.Fatalf("unreadable notional: %v", err)
	}
	// Outside the window, or not mined, it does not matter.
	old := rec("c", "garbage")
	old.Outcome.Time = now.Add(-48 * time.Hour)
	if _, err := minedTradeNotional([]chain.JournalRecord{old}, now.Add(-24*time.Hour)); err != nil {
		t.Fatalf("old entry: %v", err)
	}
}

// A holding no market can carry (LDO in the default deploy) is reported as
// not hedgeable, not as drift: with everything else in band, the plan says
// "within band, nothing to do", not "no transaction can move the hedge".
func TestPlanUnhedgeableIsNotDrift(t *testing.T) {
	s := &hedge.Snapshot{Block: 9, Markets: map[string]hedge.Market{"ETH": {Key: "1", Asset: "ETH",
		IndexPrice: decimal.NewFromInt(2000), MarkPrice: decimal.NewFromInt(2000), MaxLeverage: decimal.NewFromInt(20),
		MaintenanceMargin: decimal.RequireFromString("0.01"), TakerFee: decimal.RequireFromString("0.0005")}},
		Holdings: []hedge.Holding{{Wallet: "w", Asset: "ETH", Token: "native", Amount: decimal.NewFromInt(1)},
			{Wallet: "w", Asset: "LDO", Token: "LDO", Amount: decimal.NewFromInt(100)}},
		Positions: []hedge.Position{{Key: "1", Market: "1", Asset: "ETH", Size: decimal.NewFromInt(-1),
			EntryPrice: decimal.NewFromInt(2000), Margin: decimal.NewFromInt(2000)}},
		CollateralSymbol: "USDC", CollateralDecimals: 6}
	plan, err := hedge.BuildPlan(s, hedge.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	out := captureStdout(t, func() { printPlan(&engine.Cycle{Snap: s, Plan: plan}) })
	if !strings.Contains(out, "within band, nothing to do") || strings.Contains(out, "no transaction can move") ||
		!strings.Contains(out, "not hedgeable (no market carries them; not counted as drift): LDO") {
		t.Fatalf("plan output:\n%s", out)
	}
	j := planJSON(&engine.Cycle{Snap: s, Plan: plan}, nil)
	for _, a := range j.Assets {
		if a.Asset == "LDO" && (!a.WithinBand || !a.Unhedgeable) {
			t.Fatalf("LDO in --json: %+v", a)
		}
	}
}

func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = old }()
	f()
	w.Close()
	b, _ := io.ReadAll(r)
	return string(b)
}
