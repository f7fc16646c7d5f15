package gmxvenue

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
)

// TestCancellationGuardRestart: three orders cancelled within the hour
// bench the market; a new process over the same journal (a restart of
// watch) still has it benched, with the decoded reason, and sends nothing,
// until the window has passed since the last cancellation.
func TestCancellationGuardRestart(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	j, err := chain.OpenJournal(t.TempDir()+"/j.jsonl", e.emb.ChainID.Uint64(), e.acct)
	if err != nil {
		t.Fatal(err)
	}
	// Closed before TempDir's cleanup: Windows cannot delete an open file.
	t.Cleanup(func() { j.Close() })
	v := e.venueWith(e.wallets[:2], j)
	v.Backoff = time.Second // the back-off is TestCancellationGuard's; here only the bench counts
	price := decimal.NewFromInt(5000)
	heartbeat := func(d time.Duration) {
		t.Helper()
		if err := e.emb.AdvanceTime(ctx, d); err != nil {
			t.Fatal(err)
		}
		if err := e.dev.SetPrice(ctx, "WETH", price); err != nil {
			t.Fatal(err)
		}
	}
	for n := 1; n <= 3; n++ {
		if _, res := cycle(t, v); len(res.Submissions) == 0 {
			t.Fatalf("cancel %d: nothing sent", n)
		}
		// Falls through the acceptable price, then back within 1% (the
		// bench's "changed state" is a 1% move from where it was benched).
		if err := e.dev.SetPrice(ctx, "WETH", price.Mul(decimal.RequireFromString("0.95"))); err != nil {
			t.Fatal(err)
		}
		if err := e.keep(); err != nil {
			t.Fatal(err)
		}
		heartbeat(2 * time.Second)
	}
	if c, res := cycle(t, v); len(res.Submissions) != 0 || !c.Snap.Markets["ETH"].Paused {
		t.Fatalf("after three cancels: sent %d, paused %v", len(res.Submissions), c.Snap.Markets["ETH"].Paused)
	}
	before := v.Benched()["ETH"]
	if !strings.Contains(before, "3 GMX orders cancelled") {
		t.Fatalf("bench reason %q", before)
	}

	// Restart: a new adapter over the same chain and journal.
	v = e.venueWith(e.wallets[:2], j)
	for i := 0; i < 2; i++ {
		c, res := cycle(t, v)
		if len(res.Submissions) != 0 || !c.Snap.Markets["ETH"].Paused {
			t.Fatalf("restarted: sent %d, paused %v", len(res.Submissions), c.Snap.Markets["ETH"].Paused)
		}
	}
	why := v.Benched()["ETH"]
	if !strings.Contains(why, "3 GMX orders cancelled") || !strings.Contains(why, "acceptable price") {
		t.Fatalf("restarted bench reason %q", why)
	}
	t.Logf("benched after the restart: %s", why)

	// Within the window still benched; past it, traded again.
	heartbeat(30 * time.Minute)
	if _, res := cycle(t, v); len(res.Submissions) != 0 {
		t.Fatal("a benched market traded within the window")
	}
	heartbeat(31 * time.Minute)
	if _, res := cycle(t, v); len(res.Submissions) == 0 {
		t.Fatalf("the window passed and nothing was sent; benched: %v", v.Benched())
	}
	// A third process now starts from the journal with the old cancellations
	// outside the window: nothing benched.
	v = e.venueWith(e.wallets[:2], j)
	snapOf(t, v)
	if b := v.Benched(); len(b) != 0 {
		t.Fatalf("benched from cancellations older than the window: %v", b)
	}
}
