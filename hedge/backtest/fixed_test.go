package backtest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

func sameDec(t *testing.T, what string, got, want decimal.Decimal) {
	t.Helper()
	if !got.Equal(want) || got.Exponent() != want.Exponent() {
		t.Fatalf("%s: fixed %s (exp %d), decimal %s (exp %d)", what, got, got.Exponent(), want, want.Exponent())
	}
}

// The paper venue's 128-bit fast paths (fills, funding accrual, the
// liquidation test) give the Decimals, exponents included, that the decimal
// formulas give, over sizes, prices and rates like the data's.
func TestFixedPathsMatchDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	dec := func(max int64, places int32) decimal.Decimal {
		return decimal.New(r.Int64N(max), -places)
	}
	fitted := 0
	for range 20_000 {
		size := dec(1_000_000_000_000, 8) // up to 10,000 units
		if r.IntN(2) == 0 {
			size = size.Neg()
		}
		mark := dec(10_000_000_000, int32(r.IntN(9))) // prices with 0 to 8 decimals
		if !mark.IsPositive() {
			continue
		}
		for _, c := range []CostModel{CostsGMX, CostsPerpVenue, CostsZero} {
			if f, ok := c.quoteFixed(size, mark); ok {
				fitted++
				w := c.quoteDec(size, mark)
				sameDec(t, c.Name+" price", f.price, w.price)
				sameDec(t, c.Name+" fee", f.fee, w.fee)
				sameDec(t, c.Name+" impact", f.impact, w.impact)
				if tc, ok := c.tradeCostFixed(size, mark); ok {
					sameDec(t, c.Name+" trade cost", tc, w.fee.Add(w.impact))
				}
			}
		}
		p := &position{size: size, entry: dec(10_000_000_000, 10), margin: dec(1_000_000_000_000_000, 10)}
		funding, borrow := dec(1_000_000, 8).Sub(decimal.New(5000, -6)), dec(1_000_000_000_000, 18)
		if f, b, m, ok := accrueFixed(p, funding, borrow, mark); ok {
			wf, wb, wm := accrueDec(p, funding, borrow, mark)
			sameDec(t, "funding", f, wf)
			sameDec(t, "borrow", b, wb)
			sameDec(t, "margin", m, wm)
		}
		if eq, ok := p.equityFixed(mark); ok {
			sameDec(t, "equity", eq.Dec(), p.margin.Add(p.size.Mul(mark.Sub(p.entry))))
			sameDec(t, "upnl", p.upnl(mark), p.size.Mul(mark.Sub(p.entry)))
			a := &account{cash: dec(1_000_000_000_000, 6), pos: map[string]*position{"ETH": p, "BTC": p}}
			marks := map[string]decimal.Decimal{"ETH": mark, "BTC": mark}
			sameDec(t, "value", a.value(marks), a.cash.Add(p.equity(mark)).Add(p.equity(mark)))
		}
		mm := CostsGMX.MaintenanceMargin
		if safe, ok := aboveMaintenance(p, mm, mark); ok {
			if want := p.equity(mark).GreaterThanOrEqual(mm.Mul(p.size.Abs()).Mul(mark)); safe != want {
				t.Fatalf("size %s mark %s: fixed says above maintenance %v, decimal %v", size, mark, safe, want)
			}
		}
	}
	if fitted < 10_000 {
		t.Errorf("only %d fills took the fixed path", fitted)
	}
}

// The metrics' integer loop gives what the decimal loop gives: every sum,
// maximum (exponent included) and float.
func TestMetricsFixedMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	usd := func() decimal.Decimal {
		return decimal.New(r.Int64N(2_000_000_000_000_000)-1_000_000_000_000_000, -int32(r.IntN(19)))
	}
	for range 200 {
		path := make([]Point, 2+r.IntN(300))
		for i := range path {
			path[i] = Point{Day: fmt.Sprint(i), PnL: usd(), Unhedged: usd(), Margin: usd().Abs(), Cash: usd()}
			if r.IntN(10) == 0 {
				path[i].PnL = path[max(0, i-1)].PnL // ties
			}
		}
		cash0 := usd()
		var a, b Metrics
		var ah, au, ar, bh, bu, br []float64
		if !pathMetricsFixed(path, cash0, 0.75, &a, &ah, &au, &ar) {
			t.Fatal("18-digit figures did not fit")
		}
		pathMetricsDec(path, cash0, 0.75, &b, &bh, &bu, &br)
		for _, c := range [][2]decimal.Decimal{{a.MaxMarginUSD, b.MaxMarginUSD}, {a.CashBroughtIn, b.CashBroughtIn},
			{a.MaxDrawdown, b.MaxDrawdown}, {a.UnhedgedMaxDrawdown, b.UnhedgedMaxDrawdown},
			{a.HedgedPnL, b.HedgedPnL}, {a.UnhedgedPnL, b.UnhedgedPnL}, {a.WorstDay, b.WorstDay}} {
			sameDec(t, "metric", c[0], c[1])
		}
		if a.WorstDayDate != b.WorstDayDate || !slices.Equal(ah, bh) || !slices.Equal(au, bu) || !slices.Equal(ar, br) {
			t.Fatalf("worst day %s vs %s, or the float series differ", a.WorstDayDate, b.WorstDayDate)
		}
	}
}
