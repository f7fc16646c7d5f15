package paper_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/paper"
	"github.com/hedger/hedger/hedge/venuetest"
)

func harness(async bool) func(t *testing.T) *venuetest.Harness {
	return func(t *testing.T) *venuetest.Harness {
		d := decimal.RequireFromString
		v := paper.New(d("100000"), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		v.Async = async
		v.SetMarket("ETH", d("2000"), d("0.0005"), d("0.01"), d("20"))
		h := &venuetest.Harness{Venue: v, Asset: "ETH", Price: d("2000"),
			SetSpot:  func(n int) error { v.SetSpot("ETH", decimal.NewFromInt(int64(n))); return nil },
			SetPrice: func(p decimal.Decimal) error { return v.SetPrice("ETH", p) },
			Restart:  func() hedge.Venue { return v.Restart() }}
		if async {
			h.Keep = func() error { v.Keep(); return nil }
		}
		return h
	}
}

func TestConformanceAsync(t *testing.T) { venuetest.Run(t, harness(true)) }
func TestConformanceSync(t *testing.T)  { venuetest.Run(t, harness(false)) }

// A cancelled order carries its reason to Settle.
func TestCancelReason(t *testing.T) {
	h := harness(true)(t)
	v := h.Venue.(*paper.Venue)
	v.SetSpot("ETH", decimal.NewFromInt(1))
	s, _ := v.Snapshot(t.Context())
	steps, err := v.Compile(s, []hedge.Order{{Asset: "ETH", SizeDelta: decimal.NewFromInt(-1), AcceptablePrice: decimal.NewFromInt(1990)}})
	if err != nil || len(steps) != 1 {
		t.Fatal(steps, err)
	}
	sub, err := v.Submit(t.Context(), steps[0])
	if err != nil || !sub.Pending {
		t.Fatal(sub, err)
	}
	if err := v.Cancel(sub.Ref, "reserve exceeded"); err != nil {
		t.Fatal(err)
	}
	set, err := v.Settle(t.Context(), sub.Ref)
	if err != nil || set.Status != hedge.OrderCancelled || set.Reason != "reserve exceeded" {
		t.Fatalf("%+v %v", set, err)
	}
}
