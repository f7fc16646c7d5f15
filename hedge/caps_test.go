package hedge

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func capD(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func sell(size, price string) Action {
	return Action{Kind: ActTrade, Asset: "ETH", SizeDelta: d(size), AcceptablePrice: d(price), Intent: IntentHedge, Reason: "open"}
}

func TestCapsSplitSumsExactly(t *testing.T) {
	c := Caps{MaxTradeNotional: capD("1000")}
	acts := []Action{{Kind: ActApprove, Amount: capD("5000")}, {Kind: ActDeposit, Asset: "ETH", Amount: capD("5000")}, sell("-1.00000001", "2000")}
	out, err := c.Apply(acts)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2+3 { // 2000.00002 USD at 1000 per tx: 3 chunks
		t.Fatalf("%d actions: %+v", len(out), out)
	}
	sum := decimal.Zero
	for _, a := range out[2:] {
		if a.Kind != ActTrade || a.Intent != IntentHedge || !a.AcceptablePrice.Equal(capD("2000")) {
			t.Errorf("chunk %+v", a)
		}
		if TradeNotional(a).GreaterThan(c.MaxTradeNotional) {
			t.Errorf("chunk notional %s above the cap", TradeNotional(a))
		}
		if !a.SizeDelta.Equal(a.SizeDelta.Truncate(SizeDecimals)) || !a.SizeDelta.IsNegative() {
			t.Errorf("chunk size %s off the grid or wrong sign", a.SizeDelta)
		}
		sum = sum.Add(a.SizeDelta)
	}
	if !sum.Equal(capD("-1.00000001")) {
		t.Errorf("chunks sum to %s", sum)
	}
	if !strings.Contains(out[2].Reason, "part 1/3") {
		t.Errorf("reason %q", out[2].Reason)
	}
	if out[0].Kind != ActApprove || out[1].Kind != ActDeposit {
		t.Errorf("non-trades moved: %+v", out[:2])
	}
}

func TestCapsUnderCapUntouched(t *testing.T) {
	out, err := Caps{MaxTradeNotional: capD("1000"), MaxDailyNotional: capD("5000")}.Apply([]Action{sell("-0.5", "2000")})
	if err != nil || len(out) != 1 || !out[0].SizeDelta.Equal(capD("-0.5")) || out[0].Reason != "open" {
		t.Fatalf("%+v %v", out, err)
	}
	out, err = Caps{}.Apply([]Action{sell("-50", "2000")})
	if err != nil || len(out) != 1 {
		t.Fatalf("no caps: %+v %v", out, err)
	}
}

func TestCapsDaily(t *testing.T) {
	c := Caps{MaxDailyNotional: capD("3000"), UsedToday: capD("2500")}
	_, err := c.Apply([]Action{sell("-0.3", "2000")})
	var ce *CapError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "max daily notional 3000") || !strings.Contains(err.Error(), "nothing sent") {
		t.Fatalf("err = %v", err)
	}
	// A buy (closing or reducing the short) is not refused by the daily cap.
	buy := Action{Kind: ActTrade, Asset: "ETH", SizeDelta: capD("2"), AcceptablePrice: capD("2100"), Intent: IntentClose}
	if out, err := c.Apply([]Action{buy}); err != nil || len(out) != 1 {
		t.Fatalf("close refused: %v", err)
	}
	// Exactly at the cap is allowed.
	if _, err := c.Apply([]Action{sell("-0.25", "2000")}); err != nil {
		t.Fatalf("at the cap: %v", err)
	}
}

func TestCapsTooSmall(t *testing.T) {
	_, err := Caps{MaxTradeNotional: capD("0.000001")}.Apply([]Action{sell("-1", "2000")})
	if err == nil || !strings.Contains(err.Error(), "max trade notional") {
		t.Fatalf("err = %v", err)
	}
}

// A size finer than the grid never pushes a chunk over the cap: the
// remainder becomes a chunk of its own when the last one is full.
func TestCapsOffGridRemainder(t *testing.T) {
	a := Action{Kind: ActTrade, Asset: "ETH", SizeDelta: d("-1.0000000001"), AcceptablePrice: d("2000"), Reason: "r"}
	parts, err := Caps{MaxTradeNotional: d("1000")}.Apply([]Action{a})
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Zero
	for _, p := range parts {
		if n := TradeNotional(p); n.GreaterThan(d("1000")) {
			t.Errorf("chunk %s has notional %s above the cap", p.SizeDelta, n)
		}
		sum = sum.Add(p.SizeDelta)
	}
	if !sum.Equal(a.SizeDelta) || len(parts) != 3 {
		t.Errorf("%d chunks summing to %s, want 3 summing to %s", len(parts), sum, a.SizeDelta)
	}
}
