package record

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

func designSnap(spot string, short string) *hedge.Snapshot {
	s := &hedge.Snapshot{ChainID: 31337, Block: 7, Time: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC),
		Holdings: []hedge.Holding{{Wallet: "0xC01D", Asset: "ETH", Token: "native", Amount: d(spot)}},
		Markets:  map[string]hedge.Market{"ETH": {Key: "0", Asset: "ETH", IndexPrice: d("3000"), MarkPrice: d("3000")}}}
	if short != "0" {
		s.Positions = []hedge.Position{{Key: "0", Market: "0", Asset: "ETH", Size: d(short).Neg()}}
	}
	return s
}

func TestDesignate(t *testing.T) {
	pols := hedge.DefaultPolicies()
	plan := func(delta string, close bool) *hedge.Plan {
		return &hedge.Plan{Orders: []hedge.Order{{Market: "0", Asset: "ETH", SizeDelta: d(delta), Close: close}}}
	}
	// First hedge.
	ds := Designate(designSnap("10", "0"), plan("-10", false), pols, "PerpVenue at 0xV", "0xS", nil)
	if len(ds) != 1 || ds[0].Reason != "first hedge on ETH" || !ds[0].ShortSize.Equal(d("10")) || !ds[0].SpotValue.Equal(d("30000")) ||
		ds[0].Objective != "short 10 ETH-USD perpetual on PerpVenue at 0xV to offset the price risk of 10 ETH held in 0xC01D" {
		t.Fatalf("first: %+v", ds)
	}
	last := Latest(ds)
	// A rebalance after a 5% change is not material; 15% is.
	if ds := Designate(designSnap("10.5", "10"), plan("-0.5", false), pols, "PerpVenue at 0xV", "0xS", last); len(ds) != 0 {
		t.Fatalf("5%% change designated: %+v", ds)
	}
	ds2 := Designate(designSnap("11.5", "10"), plan("-1.5", false), pols, "PerpVenue at 0xV", "0xS", last)
	if len(ds2) != 1 || !strings.Contains(ds2[0].Reason, "hedged holdings changed from 10 to 11.5 ETH") {
		t.Fatalf("15%% change: %+v", ds2)
	}
	// A ratio change and another market are material.
	half := hedge.DefaultPolicies()
	half.Default.HedgeRatio = decimal.RequireFromString("0.5")
	if ds := Designate(designSnap("10", "10"), plan("5", false), half, "PerpVenue at 0xV", "0xS", last); len(ds) != 1 ||
		!strings.Contains(ds[0].Reason, "hedge ratio changed from 1 to 0.5") {
		t.Fatalf("ratio: %+v", ds)
	}
	if ds := Designate(designSnap("10", "10"), plan("-0.1", false), pols, "GMX at 0xG", "0xS", last); len(ds) != 1 ||
		!strings.Contains(ds[0].Reason, "instrument changed") {
		t.Fatalf("venue: %+v", ds)
	}
	// A close ends it; the next open is a first hedge again.
	end := Designate(designSnap("10", "10"), plan("10", true), pols, "PerpVenue at 0xV", "0xS", last)
	if len(end) != 1 || end[0].Status != "ended" {
		t.Fatalf("close: %+v", end)
	}
	if ds := Designate(designSnap("10", "0"), plan("-10", false), pols, "PerpVenue at 0xV", "0xS", Latest(end)); len(ds) != 1 ||
		ds[0].Reason != "first hedge on ETH" {
		t.Fatalf("reopen: %+v", ds)
	}
	// Collateral-only orders (a top-up) designate nothing.
	top := &hedge.Plan{Orders: []hedge.Order{{Market: "0", Asset: "ETH", CollateralDelta: d("100")}}}
	if ds := Designate(designSnap("10", "10"), top, pols, "PerpVenue at 0xV", "0xS", last); len(ds) != 0 {
		t.Fatalf("top-up: %+v", ds)
	}
}
