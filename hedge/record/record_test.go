package record

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestBasisAverageCost(t *testing.T) {
	type step struct{ delta, fill, realized, size, avg string }
	cases := map[string][]step{
		"open, add, partial close, close": {
			{"-2", "2000", "0", "-2", "2000"},
			{"-1", "2300", "0", "-3", "2100"},  // (2×2000 + 1×2300)/3
			{"1", "1900", "200", "-2", "2100"}, // a short gains as price falls: −1 × (1900 − 2100) = 200
			{"2", "2200", "-200", "0", "0"},
		},
		"flip through zero": {
			{"-1", "2000", "0", "-1", "2000"},
			{"3", "1800", "200", "2", "1800"}, // the whole short realized, the rest long at the fill
			{"-1", "1900", "100", "1", "1800"},
		},
		"rounding truncates toward zero as the venue does": {
			{"-3", "1", "0", "-3", "1"},
			{"-1", "2", "0", "-4", "1.25"},
			{"-2", "1", "0", "-6", "1.166666666666666666"}, // 7/6 truncated at 18 places
			{"1", "1.000000000000000001", "0.166666666666666665", "-5", "1.166666666666666666"},
		},
	}
	for name, steps := range cases {
		size, avg := decimal.Zero, decimal.Zero
		for i, s := range steps {
			var r decimal.Decimal
			r, size, avg = Basis(size, avg, d(s.delta), d(s.fill), 18)
			if !r.Equal(d(s.realized)) || !size.Equal(d(s.size)) || !avg.Equal(d(s.avg)) {
				t.Errorf("%s step %d: realized %s size %s avg %s, want %s %s %s", name, i, r, size, avg, s.realized, s.size, s.avg)
			}
		}
	}
}

type fakeSource struct{}

func (fakeSource) Venue() string { return "test venue" }
func (fakeSource) Collateral() (string, decimal.Decimal, decimal.Decimal) {
	return "USDC", decimal.New(1, -18), decimal.New(1, -6)
}
func (fakeSource) Rounding() int32 { return 18 }

// The accounting of a year: a short carried in, funding, a partial close,
// a withdraw-all remainder, gas; the reconciliation meets the end exactly,
// and a unit missing is reported.
func TestBuildReconciles(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	start := State{Block: 9, Collateral: d("1000"), Positions: []PositionState{{Asset: "ETH", Market: "0", Size: d("-1"), Entry: d("2000"), Collateral: d("1000")}}}
	vr := d("100")
	vr2 := d("-50")
	evs := []Event{
		{Kind: KindGas, Block: 12, Tx: "0x3", LogIndex: 1 << 30, GasNative: d("0.001"), NativePrice: d("1950")},
		{Kind: KindTrade, Block: 12, Tx: "0x3", LogIndex: 2, Asset: "ETH", Market: "0", SizeDelta: d("0.5"), FillPrice: d("1800"), Fee: d("0.45"), VenueRealized: &vr},
		{Kind: KindFunding, Block: 12, Tx: "0x3", LogIndex: 1, Asset: "ETH", Market: "0", Amount: d("3.25")},
		{Kind: KindDeposit, Block: 10, Tx: "0x1", Asset: "ETH", Market: "0", Amount: d("500")},
		{Kind: KindTrade, Block: 14, Tx: "0x4", LogIndex: 2, Asset: "ETH", Market: "0", SizeDelta: d("0.5"), FillPrice: d("2100"), Fee: d("0.525"), VenueRealized: &vr2},
		{Kind: KindWithdrawal, Block: 15, Tx: "0x5", Asset: "ETH", Market: "0", Amount: d("1552.275"), All: true},
	}
	for i := range evs {
		evs[i].Time = t0.Add(time.Duration(evs[i].Block) * time.Hour)
	}
	// 1000 + 500 + 100 − 50 + 3.25 − 0.45 − 0.525 = 1552.275 exactly: nothing left.
	end := State{Block: 20, Collateral: d("0"), Positions: []PositionState{{Asset: "ETH", Market: "0", Price: d("2050")}}}
	r := Build(fakeSource{}, Period{From: 10, To: 20, Label: "2026"}, start, end, evs)
	if !r.Reconciliation.Reconciled || len(r.Mismatches) > 0 {
		t.Fatalf("%s %v", r.Reconciliation.Statement, r.Mismatches)
	}
	if !r.Totals.RealizedPnL.Equal(d("50")) || !r.Totals.Funding.Equal(d("3.25")) || !r.Totals.Fees.Equal(d("0.975")) ||
		!r.Totals.Gas.Equal(d("1.95")) || r.Totals.Trades != 2 {
		t.Fatalf("totals %+v", r.Totals)
	}
	if r.Events[0].Kind != KindDeposit || r.Events[1].Kind != KindFunding {
		t.Fatalf("events not in block/log order: %s %s", r.Events[0].Kind, r.Events[1].Kind)
	}
	// A withdraw-all leaving a sub-unit remainder: the venue keeps it, a fee.
	evs[5].Amount = d("1552.275")
	evs[2].Amount = d("3.2500001") // funding with more places than the token carries
	r = Build(fakeSource{}, Period{From: 10, To: 20}, start, end, evs)
	if !r.Reconciliation.Reconciled || !r.Totals.Fees.Equal(d("0.9750001")) {
		t.Fatalf("remainder: %s fees %s", r.Reconciliation.Statement, r.Totals.Fees)
	}
	// The venue holding one unit less than the events explain is reported, never hidden.
	end.Collateral = d("-0.000000000000000001")
	r = Build(fakeSource{}, Period{From: 10, To: 20}, start, end, evs)
	if r.Reconciliation.Reconciled || !r.Reconciliation.Difference.Equal(d("-0.000000000000000001")) ||
		!strings.Contains(r.Reconciliation.Statement, "DOES NOT RECONCILE") || !strings.Contains(r.Reconciliation.Statement, "-1 units") {
		t.Fatalf("difference: %+v", r.Reconciliation)
	}
	// The venue's realized figure disagreeing with the average cost is flagged.
	bad := d("99")
	evs[1].VenueRealized = &bad
	r = Build(fakeSource{}, Period{From: 10, To: 20}, start, end, evs)
	if len(r.Mismatches) == 0 {
		t.Fatal("a realized PnL the venue disputes is not flagged")
	}
}

func TestBuildMarkToMarketAndLiquidation(t *testing.T) {
	start := State{Block: 0, Collateral: d("300"), Positions: []PositionState{{Asset: "ETH", Market: "0", Size: d("-1"), Entry: d("2000"), Collateral: d("300")}}}
	end := State{Block: 5, Collateral: d("0"), Positions: []PositionState{{Asset: "ETH", Market: "0"},
		{Asset: "BTC", Market: "1", Size: d("-0.1"), Entry: d("60000"), Price: d("61000"), AccruedFunding: d("1.5")}}}
	evs := []Event{{Kind: KindLiquidation, Block: 3, Asset: "ETH", Market: "0", FillPrice: d("2250")}}
	// BTC opened before the period with no collateral on the books, for the MTM only.
	start.Positions = append(start.Positions, PositionState{Asset: "BTC", Market: "1", Size: d("-0.1"), Entry: d("60000")})
	r := Build(fakeSource{}, Period{From: 1, To: 5}, start, end, evs)
	// Liquidated at 2250: realized −250, the 50 left is forfeited as a fee.
	if !r.Totals.RealizedPnL.Equal(d("-250")) || !r.Totals.Fees.Equal(d("50")) || !r.Reconciliation.Reconciled {
		t.Fatalf("liquidation: %+v %s", r.Totals, r.Reconciliation.Statement)
	}
	if len(r.OpenPositions) != 1 || !r.OpenPositions[0].UnrealizedPnL.Equal(d("-100")) || !r.Totals.UnrealizedPnL.Equal(d("-100")) {
		t.Fatalf("MTM: %+v", r.OpenPositions)
	}
	var csv, koinly, html bytes.Buffer
	if err := WriteCSV(&csv, r); err != nil || !strings.HasPrefix(csv.String(), strings.Join(CSVHeader, ",")) {
		t.Fatal(err, csv.String())
	}
	if err := WriteKoinly(&koinly, r); err != nil || !strings.Contains(koinly.String(), "250,USDC,,,,,,,realized gain") {
		t.Fatal(err, koinly.String())
	}
	if err := WriteHTML(&html, r); err != nil || !strings.Contains(html.String(), "not tax advice") {
		t.Fatal(err)
	}
}

// Funding in a token without a feed price at its block is a failed check,
// never a silent zero in the totals; the reconciliation is untouched.
func TestBuildTokenFundingWithoutPrice(t *testing.T) {
	evs := []Event{{Kind: KindFunding, Block: 5, Tx: "0xf1", Asset: "BTC", Market: "1", Token: "WBTC", TokenAmount: d("0.0001")}}
	r := Build(fakeSource{}, Period{From: 1, To: 9}, State{}, State{Block: 9}, evs)
	if !r.Reconciliation.Reconciled || len(r.Mismatches) != 1 || !strings.Contains(r.Mismatches[0], "no feed price for WBTC") ||
		!r.Totals.Funding.IsZero() {
		t.Errorf("%s; mismatches %v; funding %s", r.Reconciliation.Statement, r.Mismatches, r.Totals.Funding)
	}
}
