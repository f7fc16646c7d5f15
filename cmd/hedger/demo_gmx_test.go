package main

import (
	"context"
	"testing"
)

// TestDemoGMX: the GMX rehearsal on the embedded chain hedges 10 ETH with
// approve + one multicall, sends nothing on the rerun, one multicall for 5
// more ETH, and closes back to no short.
func TestDemoGMX(t *testing.T) {
	res, err := runGMXDemo(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 5 {
		t.Fatalf("%d steps", len(res.Steps))
	}
	want := []int{2, 0, 1, 0, 1}
	for i, s := range res.Steps {
		if s.Transactions != want[i] {
			t.Fatalf("step %d (%s): %d transactions, want %d", i+1, s.Name, s.Transactions, want[i])
		}
	}
	if !res.Steps[0].ShortETH.Equal(res.Steps[0].SpotETH) || !res.Steps[2].ShortETH.Equal(res.Steps[2].SpotETH) || !res.Steps[4].ShortETH.IsZero() {
		t.Fatalf("shorts %s %s %s", res.Steps[0].ShortETH, res.Steps[2].ShortETH, res.Steps[4].ShortETH)
	}
	if !res.FeesUSD.IsNegative() || !res.USDCEnd.LessThan(res.USDCStart) {
		t.Fatalf("fees %s, USDC %s -> %s", res.FeesUSD, res.USDCStart, res.USDCEnd)
	}
}
