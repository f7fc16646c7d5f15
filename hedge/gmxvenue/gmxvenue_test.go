package gmxvenue

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/venuetest"
)

// cycle plans and submits once with a new engine; it returns what it sent.
func cycle(t *testing.T, v hedge.Venue) (*engine.Cycle, engine.Result) {
	t.Helper()
	ctx := context.Background()
	e := &engine.Engine{Venue: v, Policies: venuetest.Policies()}
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Plan(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := e.Check(c); err != nil {
		t.Fatal(err)
	}
	res, err := e.Submit(ctx, c, engine.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return c, res
}

// TestCancellationGuard: orders the keeper cancels (the price falls through
// their acceptable price) are replanned at once the first time, after a
// back-off the second time, and after the third within the hour the market
// is not traded, with the decoded reason, until its price moves 1%.
func TestCancellationGuard(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.venue(e.wallets[:2])
	price := decimal.NewFromInt(5000)
	doomed := func(n int) {
		t.Helper()
		if _, res := cycle(t, v); len(res.Submissions) == 0 {
			t.Fatalf("cancel %d: nothing sent", n)
		}
		price = price.Mul(decimal.RequireFromString("0.95"))
		if err := e.dev.SetPrice(ctx, "WETH", price); err != nil {
			t.Fatal(err)
		}
		if err := e.keep(); err != nil {
			t.Fatal(err)
		}
	}
	doomed(1)
	doomed(2) // the first cancel was replanned at once
	// Second cancel: back-off.
	if c, res := cycle(t, v); len(res.Submissions) != 0 || !c.Snap.Markets["ETH"].Paused {
		t.Fatalf("after two cancels: sent %d, paused %v", len(res.Submissions), c.Snap.Markets["ETH"].Paused)
	} else {
		benchAlert(t, c, "2 GMX orders cancelled", "waiting until")
	}
	if err := e.emb.AdvanceTime(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.SetPrice(ctx, "WETH", price); err != nil { // the feed's heartbeat
		t.Fatal(err)
	}
	doomed(3)
	c, res := cycle(t, v)
	if len(res.Submissions) != 0 || !c.Snap.Markets["ETH"].Paused {
		t.Fatalf("after three cancels: sent %d", len(res.Submissions))
	}
	why := v.Benched()["ETH"]
	if !strings.Contains(why, "3 GMX orders cancelled") || !strings.Contains(why, "acceptable price") {
		t.Fatalf("bench reason %q", why)
	}
	t.Logf("benched: %s", why)
	// The risk layer's alert is of its own kind and carries the reason.
	if a := benchAlert(t, c, "3 GMX orders cancelled", "acceptable price"); a.Message != "ETH: "+why {
		t.Fatalf("alert %q, bench reason %q", a.Message, why)
	}
	// Still benched a few cycles later; then the price moves 1%: trading again.
	for i := 0; i < 2; i++ {
		if _, res := cycle(t, v); len(res.Submissions) != 0 {
			t.Fatal("a benched market traded")
		}
	}
	price = price.Mul(decimal.RequireFromString("1.02"))
	if err := e.dev.SetPrice(ctx, "WETH", price); err != nil {
		t.Fatal(err)
	}
	if _, res := cycle(t, v); len(res.Submissions) == 0 || !res.Submissions[len(res.Submissions)-1].Pending {
		t.Fatalf("after the price moved: %+v", res.Submissions)
	}
	if err := e.keep(); err != nil {
		t.Fatal(err)
	}
	if q := snapOf(t, v).PositionOf("ETH").Size; !q.IsNegative() {
		t.Fatalf("short %s", q)
	}
}

// benchAlert is c's one ETH alert of kind benched, holding every of want;
// no "paused" alert comes with it (GMX's own flags are not what stops it).
func benchAlert(t *testing.T, c *engine.Cycle, want ...string) hedge.Alert {
	t.Helper()
	var found []hedge.Alert
	for _, a := range c.Alerts {
		if a.Asset == "ETH" && a.Kind == hedge.AlertPaused {
			t.Fatalf("a paused alert for a benched market: %q", a.Message)
		}
		if a.Asset == "ETH" && a.Kind == hedge.AlertBenched {
			found = append(found, a)
		}
	}
	if len(found) != 1 {
		t.Fatalf("benched alerts %+v (all: %+v)", found, c.Alerts)
	}
	for _, w := range want {
		if !strings.Contains(found[0].Message, w) {
			t.Fatalf("benched alert %q lacks %q", found[0].Message, w)
		}
	}
	return found[0]
}

func snapOf(t *testing.T, v hedge.Venue) *hedge.Snapshot {
	t.Helper()
	s, err := v.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSettle: Settle returns the keeper's execution with the
// fill price and fees decoded; a doomed order reads cancelled with GMX's
// reason as a sentence.
func TestSettle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.venue(e.wallets[:2])
	v.Keep = func(context.Context) error { return e.keep() }
	_, res := cycle(t, v)
	var ref string
	for _, s := range res.Submissions {
		if s.Pending {
			ref = s.Ref
		}
	}
	if ref == "" {
		t.Fatal("no pending order")
	}
	set, err := v.Settle(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if set.Status != hedge.OrderExecuted || !set.Fill.IsPositive() || !set.Fee.IsPositive() {
		t.Fatalf("settlement %+v", set)
	}
	if set.Fill.Sub(decimal.NewFromInt(5000)).Abs().GreaterThan(decimal.NewFromInt(25)) {
		t.Fatalf("fill %s far from 5000", set.Fill)
	}
	t.Logf("executed at %s, fees %s USDC", set.Fill, set.Fee)

	// Doomed: planned at 5000, the keeper signs 4500.
	v.Wallets = e.wallets[:4]
	eng := &engine.Engine{Venue: v, Policies: venuetest.Policies(), Settle: true}
	c, err := eng.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Plan(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.SetPrice(ctx, "WETH", decimal.NewFromInt(4500)); err != nil {
		t.Fatal(err)
	}
	_, err = eng.Submit(ctx, c, engine.Hooks{})
	ce, ok := err.(*engine.CancelledError)
	if !ok || !strings.Contains(ce.Settlement.Reason, "acceptable price") {
		t.Fatalf("doomed order: %v", err)
	}
	t.Logf("cancelled: %s", ce.Settlement.Reason)
}

// TestSettleTimeout: with no keeper, Settle gives up after SettleTimeout
// with a message that says the order stays pending.
func TestSettleTimeout(t *testing.T) {
	e := newEnv(t)
	v := e.venue(e.wallets[:1])
	v.SettleTimeout = 300 * time.Millisecond
	_, res := cycle(t, v)
	if len(res.Submissions) == 0 {
		t.Fatal("nothing sent")
	}
	_, err := v.Settle(context.Background(), res.Submissions[len(res.Submissions)-1].Ref)
	if err == nil || !strings.Contains(err.Error(), "stays pending") {
		t.Fatalf("timeout: %v", err)
	}
	if s := snapOf(t, v); len(s.Pending) != 1 {
		t.Fatalf("%d pending after the timeout", len(s.Pending))
	}
}

// TestRefusalsBeforeSending: a plan whose execution fee is above the cap,
// or that the account's native coin cannot pay, is refused by the engine's
// check with nothing sent.
func TestRefusalsBeforeSending(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.venue(e.wallets[:2])
	v.MaxExecutionFee = big.NewInt(1000)
	eng := &engine.Engine{Venue: v, Policies: venuetest.Policies()}
	c, err := eng.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Plan(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := eng.Check(c); err == nil || !strings.Contains(err.Error(), "execution fee above") {
		t.Fatalf("fee cap: %v", err)
	}
	nonce, _ := e.emb.Client.NonceAt(ctx, e.acct, nil)
	if nonce != 0 {
		t.Fatalf("sent %d", nonce)
	}
}

// TestRallyTopUp: after a rally the short's loss pushes leverage over the
// cap; the plan tops the collateral up with a MarketIncrease of size zero
// (GMX carries collateral in orders), executed by the keeper.
func TestRallyTopUp(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	v := e.venue(e.wallets[:2])
	if _, res := cycle(t, v); len(res.Submissions) == 0 {
		t.Fatal("nothing sent to open")
	}
	if err := e.keep(); err != nil {
		t.Fatal(err)
	}
	before := snapOf(t, v).PositionOf("ETH")
	if err := e.dev.SetPrice(ctx, "WETH", decimal.NewFromInt(6500)); err != nil {
		t.Fatal(err)
	}
	snapOf(t, v) // the Reader values positions with the previous read's prices
	c, res := cycle(t, v)
	var topUp *hedge.Step
	for i, st := range res.Steps {
		if st.Kind == StepCollateral {
			topUp = &res.Steps[i]
		}
	}
	if topUp == nil || !topUp.Amount.IsPositive() {
		t.Fatalf("no collateral top-up after a 30%% rally: orders %+v", c.Plan.Orders)
	}
	if err := e.keep(); err != nil {
		t.Fatal(err)
	}
	after := snapOf(t, v).PositionOf("ETH")
	if !after.Margin.GreaterThan(before.Margin) || !after.Size.Equal(before.Size) {
		t.Fatalf("margin %s -> %s, size %s -> %s", before.Margin, after.Margin, before.Size, after.Size)
	}
	t.Logf("rally to 6500: %s USDC top-up, margin %s -> %s", topUp.Amount, before.Margin, after.Margin)
}

// TestCheckFreshJournal: a plan read at a block older than an order the
// journal knows was created is refused (a lagging node would not list it).
func TestCheckFreshJournal(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	j, err := chain.OpenJournal(t.TempDir()+"/j.jsonl", e.emb.ChainID.Uint64(), e.acct)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	v := e.venueWith(e.wallets[:2], j)
	c, res := cycle(t, v)
	if len(res.Submissions) == 0 {
		t.Fatal("nothing sent")
	}
	if err := v.CheckFresh(ctx, c.Snap.Block); err == nil || !strings.Contains(err.Error(), "could repeat a GMX order") {
		t.Fatalf("stale plan block %d: %v", c.Snap.Block, err)
	}
	head, _ := e.emb.Client.Head(ctx)
	if err := v.CheckFresh(ctx, head.Number.Uint64()); err != nil {
		t.Fatalf("fresh: %v", err)
	}
}

// TestCarrySide: with only a short open GMX charges no funding (one side
// of the market is empty) and the short pays borrowing: the carry from the
// user's side is the (negative) borrowing rate.
func TestCarrySide(t *testing.T) {
	e := newEnv(t)
	v := e.venue(e.wallets[:2])
	if _, res := cycle(t, v); len(res.Submissions) == 0 {
		t.Fatal("nothing sent")
	}
	if err := e.keep(); err != nil {
		t.Fatal(err)
	}
	if err := e.emb.AdvanceTime(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	snapOf(t, v)
	m := snapOf(t, v).Markets["ETH"]
	if !m.FundingRatePerDay.IsZero() || !m.BorrowRatePerDay.IsPositive() || !m.ShortCarryPerDay().Equal(m.BorrowRatePerDay.Neg()) {
		t.Fatalf("funding %s, borrowing %s per day", m.FundingRatePerDay, m.BorrowRatePerDay)
	}
	t.Logf("short alone: funding %s, borrowing %s per day of notional", m.FundingRatePerDay, m.BorrowRatePerDay)
}

// The engine waits for the orders of several GMX markets under one bound.
var _ engine.SettleBounder = (*Venue)(nil)
