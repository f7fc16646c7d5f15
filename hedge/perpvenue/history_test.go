package perpvenue

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge"
)

// TestFundingHistoryWindow runs two days of negative funding on the embedded
// chain, one block an hour, and checks that the window's start block is the
// last one at or before now − 24h, that its funding index is the venue's own
// at that block, that the window cost matches the rate, and that the search
// takes few round trips and clamps at the deploy block.
func TestFundingHistoryWindow(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	// Shorts crowd in: −1000 ETH of skew is −0.1%/day: shorts pay 36.5% a year.
	if err := e.dev.Skew(ctx, "ETH", decimal.NewFromInt(-1000)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 48; i++ {
		if err := e.emb.AdvanceTime(ctx, time.Hour+7*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	v := &Venue{Client: e.emb.Client, Book: e.book}
	s, err := v.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := &FundingHistory{Venue: v}
	day := 24 * time.Hour
	if err := h.Fill(ctx, s, func(a string) time.Duration {
		if a == "ETH" {
			return day
		}
		return 0
	}); err != nil {
		t.Fatal(err)
	}
	fb := s.Markets["ETH"].FundingBefore
	if fb.Time.IsZero() || !s.Markets["BTC"].FundingBefore.Time.IsZero() {
		t.Fatalf("ETH window %+v, BTC window %+v (BTC's window is off)", fb, s.Markets["BTC"].FundingBefore)
	}
	target := s.Time.Add(-day)
	if fb.Time.After(target) {
		t.Errorf("window start block %d at %s is after now − 24h = %s", fb.Block, fb.Time, target)
	}
	next, err := e.emb.HeaderByNumber(ctx, new(big.Int).SetUint64(fb.Block+1))
	if err != nil {
		t.Fatal(err)
	}
	if !time.Unix(int64(next.Time), 0).After(target) {
		t.Errorf("block %d (at %d) is also at or before the target %s: not the last one", fb.Block+1, next.Time, target)
	}
	// The venue's own figure at that block, read independently.
	pv := contracts.NewPerpVenue()
	out, err := e.emb.CallContract(ctx, callMsg(e.book.Venue, pv.PackGetMarket(big.NewInt(0))), new(big.Int).SetUint64(fb.Block))
	if err != nil {
		t.Fatal(err)
	}
	mv, err := pv.UnpackGetMarket(out)
	if err != nil {
		t.Fatal(err)
	}
	if !fromWad(mv.FundingIndex).Equal(fb.Index) {
		t.Errorf("index at block %d: history %s, venue %s", fb.Block, fb.Index, fromWad(mv.FundingIndex))
	}
	// A unit of short paid about 3000 × 0.1% over the day.
	perUnit := s.Markets["ETH"].FundingIndex.Sub(fb.Index)
	if perUnit.GreaterThan(decimal.RequireFromString("-2.9")) || perUnit.LessThan(decimal.RequireFromString("-3.1")) {
		t.Errorf("a short received %s per unit over the day, want about −3.0", perUnit)
	}
	pol := hedge.DefaultPolicies()
	dec, err := hedge.EvaluateRisk(s, nil, pol, hedge.RiskState{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range dec.Assets {
		if r.Asset == "ETH" && (r.WindowFundingAPR.GreaterThan(decimal.RequireFromString("-0.36")) || r.WindowFundingAPR.LessThan(decimal.RequireFromString("-0.37"))) {
			t.Errorf("window funding APR %s, want about −36.5%%", r.WindowFundingAPR)
		}
	}
	first := h.RoundTrips
	t.Logf("found block %d of %d in %d round trips (incl. the index read)", fb.Block, s.Block, first)
	if first > 6 {
		t.Errorf("%d round trips for %d blocks", first, s.Block)
	}

	// The next block, seconds later: the start read is reused, no reads.
	e.emb.Backend.Commit()
	s1, err := v.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.RoundTrips = 0
	ethOnly := func(a string) time.Duration {
		if a == "ETH" {
			return day
		}
		return 0
	}
	if err := h.Fill(ctx, s1, ethOnly); err != nil {
		t.Fatal(err)
	}
	if h.RoundTrips != 0 || s1.Block == s.Block || s1.Markets["ETH"].FundingBefore != fb {
		t.Errorf("next block: %d round trips, start %+v (want 0 and the cached %+v)", h.RoundTrips, s1.Markets["ETH"].FundingBefore, fb)
	}

	// An hour on (a 24th of the window): refreshed from the cached block,
	// one header round plus the read.
	if err := e.emb.AdvanceTime(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	s2, err := v.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.RoundTrips = 0
	if err := h.Fill(ctx, s2, func(string) time.Duration { return day }); err != nil {
		t.Fatal(err)
	}
	if h.RoundTrips > 3 {
		t.Errorf("next cycle took %d round trips, want ≤ 3", h.RoundTrips)
	}
	if b := s2.Markets["ETH"].FundingBefore.Block; b <= fb.Block {
		t.Errorf("window start did not move forward: %d then %d", fb.Block, b)
	}

	// A window longer than the venue's life clamps at the deploy block.
	s3, _ := v.Snapshot(ctx)
	if err := (&FundingHistory{Venue: v}).Fill(ctx, s3, func(string) time.Duration { return 1000 * day }); err != nil {
		t.Fatal(err)
	}
	if b := s3.Markets["ETH"].FundingBefore.Block; b != e.book.Block {
		t.Errorf("a 1000-day window starts at block %d, want the deploy block %d", b, e.book.Block)
	}
}

func callMsg(to common.Address, data []byte) ethereum.CallMsg {
	return ethereum.CallMsg{To: &to, Data: data}
}
