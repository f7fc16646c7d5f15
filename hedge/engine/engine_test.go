package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/paper"
)

var d = decimal.RequireFromString

func venue(async bool) *paper.Venue {
	v := paper.New(d("100000"), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	v.Async = async
	v.SetMarket("ETH", d("2000"), d("0.0005"), d("0.01"), d("20"))
	return v
}

func policies(t *testing.T, text string) hedge.Policies {
	t.Helper()
	p, err := hedge.ParsePolicies(strings.NewReader("cooldown = 0s\nmax_oracle_age = 0s\nfunding_window = 0s\n" + text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The status a cycle reports (what watch's metrics show) is the plan's own
// assessment: an asset with hedge_with in its own section adds to its
// market's target there too. (watch's metrics used to assess the market
// with the default policy, which has no hedge_with, and missed it.)
func TestStatusTargetsIncludeCrossAssetHedges(t *testing.T) {
	v := venue(false)
	v.SetSpot("ETH", d("2"))
	v.SetSpot("LDO", d("1000"))
	v.SetFeedPrice("LDO", d("1.5"))
	e := &engine.Engine{Venue: v, Policies: policies(t, "[LDO]\nhedge_with = ETH\nbeta = 1.2\n")}
	ctx := context.Background()
	c := planned(t, ctx, e)
	var planTarget, statusTarget decimal.Decimal
	for _, a := range c.Plan.Assets {
		if a.Asset == "ETH" {
			planTarget = a.TargetSize
		}
	}
	for _, a := range c.Status {
		if a.Asset == "ETH" {
			statusTarget = a.TargetSize
		}
	}
	// (2 × 2000 + 1.2 × 1000 × 1.5) / 2000 = 2.9
	if !planTarget.Equal(d("2.9")) || !statusTarget.Equal(planTarget) {
		t.Fatalf("ETH target: plan %s, status %s, want 2.9 in both", planTarget, statusTarget)
	}
}

// The daily cap sees the whole plan at once: two sells that each pass it
// but together do not are refused before either is sent.
func TestDailyCapOnWholePlan(t *testing.T) {
	v := venue(false)
	v.SetMarket("BTC", d("50000"), d("0.0005"), d("0.01"), d("20"))
	v.SetSpot("ETH", d("1"))
	v.SetSpot("BTC", d("0.04"))
	e := &engine.Engine{Venue: v, Policies: policies(t, ""), Caps: hedge.Caps{MaxDailyNotional: d("3000")}}
	ctx := context.Background()
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ce *hedge.CapError
	if err := e.Plan(ctx, c); !errors.As(err, &ce) {
		t.Fatalf("plan of 2010 + 2010 USD against a 3000 USD cap: %v", err)
	}
	if _, err := e.Submit(ctx, c, engine.Hooks{}); !errors.As(err, &ce) || v.Submitted() != 0 {
		t.Fatalf("sent %d steps after the refusal (%v)", v.Submitted(), err)
	}
}

// An asynchronous order, waited for, reports its settlement; a cancelled
// one ends the submission with the reason.
func TestSettleWaitsForTheKeeper(t *testing.T) {
	v := venue(true)
	v.SetSpot("ETH", d("1"))
	e := &engine.Engine{Venue: v, Policies: policies(t, ""), Settle: true}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := planned(t, ctx, e)
	go func() {
		for {
			if s, _ := v.Snapshot(ctx); len(s.Pending) > 0 {
				_ = v.Cancel(s.Pending[0].Ref, "acceptable price not met")
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	res, err := e.Submit(ctx, c, engine.Hooks{})
	var ce *engine.CancelledError
	if !errors.As(err, &ce) || ce.Settlement.Reason != "acceptable price not met" || len(res.Settlements) != 1 {
		t.Fatalf("submit: %v, %+v", err, res)
	}
}

// Claimable funding counts as spot before the claim, and claimed it is
// spot in the wallet: the target does not move, and the claim empties the
// claimables.
func TestClaim(t *testing.T) {
	v := venue(false)
	v.SetSpot("ETH", d("2"))
	v.SetClaimable("ETH", d("0.5"))
	ctx := context.Background()
	target := func() decimal.Decimal {
		e := &engine.Engine{Venue: v, Policies: policies(t, "")}
		c := planned(t, ctx, e)
		return c.Plan.Assets[0].TargetSize
	}
	if got := target(); !got.Equal(d("2.5")) {
		t.Fatalf("target with 0.5 ETH claimable: %s", got)
	}
	e := &engine.Engine{Venue: v, Policies: policies(t, "")}
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := e.PlanClaim(c); !ok || err != nil || len(c.Steps) != 1 || c.Steps[0].Intent != hedge.IntentClaim {
		t.Fatalf("claim plan %v %v %+v", ok, err, c.Steps)
	}
	if _, err := e.Submit(ctx, c, engine.Hooks{}); err != nil {
		t.Fatal(err)
	}
	s, _ := v.Snapshot(ctx)
	if len(s.Claimables) != 0 || !s.Holdings[0].Amount.Equal(d("2.5")) {
		t.Fatalf("after the claim: claimables %+v holdings %+v", s.Claimables, s.Holdings)
	}
	if got := target(); !got.Equal(d("2.5")) {
		t.Fatalf("target after the claim: %s", got)
	}
}

// revertingVenue mines and reverts every trade (a venue whose fill moved
// past the acceptable price in the block).
type revertingVenue struct{ *paper.Venue }

func (v revertingVenue) Submit(ctx context.Context, st hedge.Step) (hedge.Submission, error) {
	if st.Kind == hedge.StepTrade {
		return hedge.Submission{}, &hedge.RevertedError{Tx: "0xabc", Block: 7, Reason: "SlippageExceeded(fillPrice=1, acceptablePrice=2)"}
	}
	return v.Venue.Submit(ctx, st)
}

// A step mined and reverted counts as sent (it used a nonce and paid gas)
// and says so with its block, transaction and reason; a step that never
// left does not count.
func TestMinedRevertCountsAsSent(t *testing.T) {
	v := venue(false)
	v.SetSpot("ETH", d("1"))
	e := &engine.Engine{Venue: revertingVenue{v}, Policies: policies(t, "")}
	ctx := context.Background()
	c := planned(t, ctx, e)
	trade := -1
	for i, st := range c.Steps {
		if st.Kind == hedge.StepTrade {
			trade = i
			break
		}
	}
	if trade < 0 {
		t.Fatalf("no trade planned: %+v", c.Steps)
	}
	res, err := e.Submit(ctx, c, engine.Hooks{})
	var se *engine.SendError
	if !errors.As(err, &se) || se.Reverted == nil || se.Sent != trade+1 || len(res.Submissions) != trade {
		t.Fatalf("submit: %v (%+v), %d submissions before the trade at %d", err, se, len(res.Submissions), trade)
	}
	msg := err.Error()
	for _, want := range []string{"(trade ETH) was sent and mined in block 7, and reverted", "transaction 0xabc", "SlippageExceeded("} {
		if !strings.Contains(msg, want) || strings.Contains(msg, "failed after") {
			t.Fatalf("message %q lacks %q", msg, want)
		}
	}
	plain := &engine.SendError{Index: 1, Total: 2, Sent: 1, Err: errors.New("node refused")}
	if got := plain.Error(); got != "step 2/2 failed after 1 sent: node refused" {
		t.Fatalf("unsent step: %q", got)
	}
}

// On an asynchronous venue the orders of two markets go out before the
// engine waits for either (one wait for the lot, not one per market), and
// both settlements come back.
func TestSubmitSendsEveryMarketThenSettles(t *testing.T) {
	v := venue(true)
	v.SetMarket("BTC", d("50000"), d("0.0005"), d("0.01"), d("20"))
	v.SetSpot("ETH", d("1"))
	v.SetSpot("BTC", d("0.04"))
	e := &engine.Engine{Venue: v, Policies: policies(t, ""), Settle: true}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c := planned(t, ctx, e)
	if err := e.Check(c); err != nil {
		t.Fatal(err)
	}
	if len(c.Steps) != 2 || c.Steps[0].Asset == c.Steps[1].Asset {
		t.Fatalf("want one trade per market, steps %+v", c.Steps)
	}
	// The keeper acts only once both orders are pending.
	go func() {
		for ctx.Err() == nil {
			if s, _ := v.Snapshot(ctx); len(s.Pending) == 2 {
				v.Keep()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var pendingBefore []int
	settledAt := map[int]bool{}
	res, err := e.Submit(ctx, c, engine.Hooks{
		Before: func(i, n int, st hedge.Step) bool {
			s, _ := v.Snapshot(ctx)
			pendingBefore = append(pendingBefore, len(s.Pending))
			return true
		},
		After: func(i int, st hedge.Step, sub hedge.Submission, set *hedge.Settlement) {
			settledAt[i] = set != nil && set.Status == hedge.OrderExecuted
		},
	})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if len(res.Settlements) != 2 || !settledAt[len(c.Steps)-1] || !settledAt[len(c.Steps)-2] {
		t.Fatalf("settlements %+v, after hooks %v", res.Settlements, settledAt)
	}
	// Before the last market's order, the first one's is still in flight.
	if last := pendingBefore[len(pendingBefore)-1]; last != 1 {
		t.Fatalf("pending orders before each step %v: the second market waited for the first", pendingBefore)
	}
	s, _ := v.Snapshot(ctx)
	if len(s.Pending) != 0 || !s.PositionOf("ETH").Size.Equal(d("-1")) || !s.PositionOf("BTC").Size.Equal(d("-0.04")) {
		t.Fatalf("after the lot: pending %d, ETH %s, BTC %s", len(s.Pending), s.PositionOf("ETH").Size, s.PositionOf("BTC").Size)
	}
}

// A second order on a market whose first is in flight waits for it (and
// for the rest of the lot) before it goes out: never two orders in flight
// on one market, while another market's order still goes out at once.
func TestSubmitNeverTwoInFlightPerMarket(t *testing.T) {
	v := venue(true)
	v.SetMarket("BTC", d("50000"), d("0.0005"), d("0.01"), d("20"))
	e := &engine.Engine{Venue: v, Policies: policies(t, ""), Settle: true}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	sell := func(asset, size, price, col string) hedge.Order {
		p := d(price)
		return hedge.Order{Market: "paper-" + asset, Asset: asset, SizeDelta: d(size), CollateralDelta: d(col),
			AcceptablePrice: p.Mul(d("0.995")), CapPrice: p.Mul(d("1.005")), Intent: hedge.IntentHedge, Reason: "test"}
	}
	steps, err := v.Compile(c.Snap, []hedge.Order{sell("ETH", "-1", "2000", "1101"), sell("BTC", "-0.04", "50000", "1101"),
		sell("ETH", "-0.5", "2000", "551")})
	if err != nil {
		t.Fatal(err)
	}
	c.Steps = steps
	// The keeper acts once the first two orders are both pending, and on
	// the third.
	go func() {
		for ctx.Err() == nil {
			if s, _ := v.Snapshot(ctx); len(s.Pending) == 2 || (len(s.Pending) == 1 && v.Submitted() == 3) {
				v.Keep()
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var seen [][]string
	res, err := e.Submit(ctx, c, engine.Hooks{Before: func(i, n int, st hedge.Step) bool {
		s, _ := v.Snapshot(ctx)
		var pending []string
		for _, p := range s.Pending {
			if p.Asset == st.Asset {
				t.Errorf("step %d on %s sent while order %s is in flight there", i+1, st.Asset, p.Ref)
			}
			pending = append(pending, p.Asset)
		}
		seen = append(seen, pending)
		return true
	}})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	if len(res.Settlements) != 3 || len(seen) != 3 || len(seen[1]) != 1 || seen[1][0] != "ETH" || len(seen[2]) != 0 {
		t.Fatalf("settlements %d, pending before each step %v (want [] [ETH] [])", len(res.Settlements), seen)
	}
	s, _ := v.Snapshot(ctx)
	if !s.PositionOf("ETH").Size.Equal(d("-1.5")) || !s.PositionOf("BTC").Size.Equal(d("-0.04")) {
		t.Fatalf("ETH %s, BTC %s", s.PositionOf("ETH").Size, s.PositionOf("BTC").Size)
	}
}

// planned is a cycle read and planned, failing the test on either error.
func planned(t *testing.T, ctx context.Context, e *engine.Engine) *engine.Cycle {
	t.Helper()
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Plan(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c
}
