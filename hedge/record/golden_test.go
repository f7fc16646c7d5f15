package record

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenReport is a fixed year: a short opened, funding both ways, an
// increase, a partial close at a loss, a close at a gain, a withdraw-all
// with a remainder, gas; every number is from these events alone.
func goldenReport() *Report {
	t := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	vr := func(s string) *decimal.Decimal { v := d(s); return &v }
	evs := []Event{
		{Kind: KindDeposit, Time: t("2026-03-01T10:00:00Z"), Block: 100, Tx: "0xa1", Asset: "ETH", Market: "0", Amount: d("6000")},
		{Kind: KindGas, Time: t("2026-03-01T10:00:00Z"), Block: 100, Tx: "0xa1", LogIndex: 1 << 30, Asset: "ETH", GasNative: d("0.0001"), NativePrice: d("3000")},
		{Kind: KindTrade, Time: t("2026-03-01T10:00:12Z"), Block: 101, Tx: "0xa2", Asset: "ETH", Market: "0", SizeDelta: d("-2"), FillPrice: d("3000"), Fee: d("3"), VenueRealized: vr("0")},
		{Kind: KindFunding, Time: t("2026-06-01T00:00:00Z"), Block: 200, Tx: "0xb1", LogIndex: 0, Asset: "ETH", Market: "0", Amount: d("12.5")},
		{Kind: KindTrade, Time: t("2026-06-01T00:00:00Z"), Block: 200, Tx: "0xb1", LogIndex: 1, Asset: "ETH", Market: "0", SizeDelta: d("-1"), FillPrice: d("3300"), Fee: d("1.65"), VenueRealized: vr("0")},
		// Funding received in the long token (GMX credits it beside the
		// collateral): 0.0025 WETH at the block's 3300 = 8.25 USD, outside the ledger.
		{Kind: KindFunding, Time: t("2026-06-01T00:00:00Z"), Block: 200, Tx: "0xb1", LogIndex: 2, Asset: "ETH", Market: "0", Token: "WETH", TokenAmount: d("0.0025"), TokenPrice: d("3300")},
		{Kind: KindFunding, Time: t("2026-09-01T00:00:00Z"), Block: 300, Tx: "0xc1", LogIndex: 0, Asset: "ETH", Market: "0", Amount: d("-4.25")},
		{Kind: KindTrade, Time: t("2026-09-01T00:00:00Z"), Block: 300, Tx: "0xc1", LogIndex: 1, Asset: "ETH", Market: "0", SizeDelta: d("1"), FillPrice: d("3500"), Fee: d("1.75"), VenueRealized: vr("-400")},
		{Kind: KindTrade, Time: t("2026-11-15T08:30:00Z"), Block: 400, Tx: "0xd1", Asset: "ETH", Market: "0", SizeDelta: d("2"), FillPrice: d("2800"), Fee: d("2.8"), VenueRealized: vr("600")},
		{Kind: KindGas, Time: t("2026-11-15T08:30:00Z"), Block: 400, Tx: "0xd1", LogIndex: 1 << 30, Asset: "ETH", GasNative: d("0.0002"), NativePrice: d("2800")},
		{Kind: KindWithdrawal, Time: t("2026-11-15T08:31:00Z"), Block: 401, Tx: "0xd2", Asset: "ETH", Market: "0", Amount: d("6199.05"), All: true},
		// The WETH claimed, worth 0.0025 × 2810 = 7.025 USD then.
		{Kind: KindClaim, Time: t("2026-11-20T00:00:00Z"), Block: 450, Tx: "0xe1", Asset: "ETH", Market: "0", Token: "WETH", TokenAmount: d("0.0025"), TokenPrice: d("2810")},
	}
	// 6000 − 3 + 12.5 − 1.65 − 4.25 − 400 − 1.75 + 600 − 2.8 = 6199.05 exactly.
	end := State{Block: 500, Collateral: decimal.Zero, Positions: []PositionState{{Asset: "ETH", Market: "0", Price: d("2900")}}}
	r := Build(fakeSource{}, Period{From: 1, To: 500, Label: "2026", FromTime: t("2026-01-01T00:00:00Z"), ToTime: t("2026-12-31T23:59:59Z")},
		State{}, end, evs)
	r.Account, r.ChainID, r.NativeAsset = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 31337, "ETH"
	return r
}

func TestGoldenCSVAndKoinly(t *testing.T) {
	r := goldenReport()
	if !r.Reconciliation.Reconciled || len(r.Mismatches) > 0 || !r.Totals.RealizedPnL.Equal(d("200")) {
		t.Fatalf("%s %v realized %s", r.Reconciliation.Statement, r.Mismatches, r.Totals.RealizedPnL)
	}
	// By hand: funding 12.5 − 4.25 in the collateral and 0.0025 WETH × 3300
	// = 8.25 outside it; the claim 0.0025 × 2810 = 7.025, not a withdrawal.
	rc := r.Reconciliation
	if !r.Totals.Funding.Equal(d("16.5")) || !r.PerAsset[0].Funding.Equal(d("16.5")) || !rc.Funding.Equal(d("8.25")) ||
		!rc.OutsideFunding.Equal(d("8.25")) || !rc.OutsideClaims.Equal(d("7.025")) || !r.Totals.Claims.Equal(d("7.025")) ||
		!rc.Withdrawals.Equal(d("6199.05")) || !strings.Contains(rc.Statement, "outside the USDC ledger: 8.25 USD funding") {
		t.Errorf("funding %s (ETH %s), reconciliation %+v, claims %s", r.Totals.Funding, r.PerAsset[0].Funding, rc, r.Totals.Claims)
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"report.csv": func(b *bytes.Buffer) error { return WriteCSV(b, r) },
		"koinly.csv": func(b *bytes.Buffer) error { return WriteKoinly(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", name)
		if *update {
			os.MkdirAll("testdata", 0o755)
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./hedge/record -run Golden -update)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from the golden file:\n%s\nwant:\n%s", name, b.Bytes(), want)
		}
	}
}

// The HTML report names a token-paid event's amount and price and lists
// what stood outside the collateral ledger.
func TestHTMLTokenFunding(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, goldenReport()); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"funding (0.0025 WETH at 3300)", "claim (0.0025 WETH at 2810)", "outside this ledger)</td><td class=\"n\">8.25<", "(of which claimed, USD)</td><td class=\"n\">7.025<"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("no %q in the HTML report", w)
		}
	}
}
