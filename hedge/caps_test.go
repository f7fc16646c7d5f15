package hedge

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func capD(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func sell(size, price string) Order {
	return Order{Asset: "ETH", SizeDelta: d(size), AcceptablePrice: d(price), Intent: IntentHedge, Reason: "open"}
}

func TestCapsSplitSumsExactly(t *testing.T) {
	c := Caps{MaxTradeNotional: capD("1000")}
	open := sell("-1.00000001", "2000")
	open.CollateralDelta = capD("5000")
	acts := []Order{{Asset: "BTC", CollateralDelta: capD("700"), Intent: IntentTopUp}, open}
	out, err := c.Apply(acts)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1+3 { // 2000.00002 USD at 1000 per tx: 3 chunks
		t.Fatalf("%d orders: %+v", len(out), out)
	}
	sum := decimal.Zero
	for i, a := range out[1:] {
		if a.Intent != IntentHedge || !a.AcceptablePrice.Equal(capD("2000")) {
			t.Errorf("chunk %+v", a)
		}
		// The collateral goes in once, before the first chunk.
		if want := map[bool]string{true: "5000", false: "0"}[i == 0]; !a.CollateralDelta.Equal(capD(want)) {
			t.Errorf("chunk %d collateral %s, want %s", i, a.CollateralDelta, want)
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
	if !strings.Contains(out[1].Reason, "part 1/3") {
		t.Errorf("reason %q", out[1].Reason)
	}
	if out[0].Asset != "BTC" || out[0].HasTrade() || !out[0].CollateralDelta.Equal(capD("700")) {
		t.Errorf("collateral-only order moved: %+v", out[0])
	}
}

func TestCapsUnderCapUntouched(t *testing.T) {
	out, err := Caps{MaxTradeNotional: capD("1000"), MaxDailyNotional: capD("5000")}.Apply([]Order{sell("-0.5", "2000")})
	if err != nil || len(out) != 1 || !out[0].SizeDelta.Equal(capD("-0.5")) || out[0].Reason != "open" {
		t.Fatalf("%+v %v", out, err)
	}
	out, err = Caps{}.Apply([]Order{sell("-50", "2000")})
	if err != nil || len(out) != 1 {
		t.Fatalf("no caps: %+v %v", out, err)
	}
}

func TestCapsDaily(t *testing.T) {
	c := Caps{MaxDailyNotional: capD("3000"), UsedToday: capD("2500")}
	_, err := c.Apply([]Order{sell("-0.3", "2000")})
	var ce *CapError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "max daily notional 3000") || !strings.Contains(err.Error(), "nothing sent") {
		t.Fatalf("err = %v", err)
	}
	// A buy (closing or reducing the short) is not refused by the daily cap.
	buy := Order{Asset: "ETH", SizeDelta: capD("2"), AcceptablePrice: capD("2100"), Intent: IntentClose}
	if out, err := c.Apply([]Order{buy}); err != nil || len(out) != 1 {
		t.Fatalf("close refused: %v", err)
	}
	// Exactly at the cap is allowed.
	if _, err := c.Apply([]Order{sell("-0.25", "2000")}); err != nil {
		t.Fatalf("at the cap: %v", err)
	}
}

func TestCapsTooSmall(t *testing.T) {
	_, err := Caps{MaxTradeNotional: capD("0.000001")}.Apply([]Order{sell("-1", "2000")})
	if err == nil || !strings.Contains(err.Error(), "max trade notional") {
		t.Fatalf("err = %v", err)
	}
}

// A size finer than the grid never pushes a chunk over the cap: the
// remainder becomes a chunk of its own when the last one is full.
func TestCapsOffGridRemainder(t *testing.T) {
	a := Order{Asset: "ETH", SizeDelta: d("-1.0000000001"), AcceptablePrice: d("2000"), Reason: "r"}
	parts, err := Caps{MaxTradeNotional: d("1000")}.Apply([]Order{a})
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

// A sell's acceptable price is its lowest fill: both caps count it at the
// highest price it can fill at (mark × (1 + slippage)), not at the
// acceptable price, which would understate its notional.
func TestCapsCountSellsAtWorstCase(t *testing.T) {
	s := hold(snap("100000", market("ETH", "2000")), "ETH", "1")
	plan, err := BuildPlan(s, DefaultPolicy()) // slippage 0.5%
	if err != nil || len(plan.Orders) != 1 {
		t.Fatalf("%+v %v", plan, err)
	}
	o := plan.Orders[0]
	eq(t, "acceptable", o.AcceptablePrice, d("1990"))
	eq(t, "notional", TradeNotional(o), d("2010")) // 1 × 2000 × 1.005
	// 1990 < cap < 2010: the lower bound would pass, the worst case does not.
	if _, err := (Caps{MaxDailyNotional: d("2000")}).Apply(plan.Orders); err == nil {
		t.Error("daily cap passed a sell that can fill above it")
	}
	parts, err := Caps{MaxTradeNotional: d("2000")}.Apply(plan.Orders)
	if err != nil || len(parts) != 2 {
		t.Fatalf("per-trade cap: %d parts, %v", len(parts), err)
	}
	for _, p := range parts {
		if TradeNotional(p).GreaterThan(d("2000")) {
			t.Errorf("chunk %s at worst %s above the cap", p.SizeDelta, TradeNotional(p))
		}
	}
}
