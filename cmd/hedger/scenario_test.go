package main

// Scenario tests of the risk layer in `watch`: each drives a real chain (the
// embedded one, and anvil for the first two) with the devnet tools, runs
// watch cycles one head at a time, and asserts both the final on-chain state
// and the actions and alerts watch reported (its webhook stream and logs).

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/perpvenue"
)

// scenEnv is a chain with the venue deployed, a cold wallet holding 10 ETH
// and a signer holding 100000 USDC for margin.
type scenEnv struct {
	t      *testing.T
	ctx    context.Context
	client *chain.Client
	book   *perpvenue.AddressBook
	dev    *perpvenue.Devnet
	signer *chain.KeySigner
	wallet common.Address
}

func newScenEmbedded(t *testing.T) *scenEnv {
	e := newWatchEnv(t)
	return &scenEnv{t: t, ctx: context.Background(), client: e.emb.Client, book: e.book, dev: e.dev, signer: e.signer, wallet: e.wallet}
}

func newScenAnvil(t *testing.T) *scenEnv {
	e2eSkipIfShort(t)
	n := e2eStartAnvil(t)
	ctx := context.Background()
	client, err := chain.Dial(ctx, n.URL, chain.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	ownerKey, err := crypto.HexToECDSA(strings.TrimPrefix(e2eAnvilKey0, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	ownerTx, err := chain.NewTxManager(chain.Config{Backend: client, Signer: chain.NewKeySigner(ownerKey), ABIs: perpvenue.ABIs()})
	if err != nil {
		t.Fatal(err)
	}
	book, err := perpvenue.Deploy(ctx, ownerTx, perpvenue.DefaultMarkets())
	if err != nil {
		t.Fatal(err)
	}
	signerKey, _ := crypto.GenerateKey()
	e := &scenEnv{t: t, ctx: ctx, client: client, book: book, dev: &perpvenue.Devnet{Book: book, Owner: ownerTx},
		signer: chain.NewKeySigner(signerKey), wallet: common.HexToAddress("0x000000000000000000000000000000000000c01d")}
	if err := e.dev.SendNative(ctx, e.signer.Address(), decimal.NewFromInt(10)); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.SendNative(ctx, e.wallet, decimal.NewFromInt(10)); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.Mint(ctx, "USDC", e.signer.Address(), decimal.NewFromInt(100_000)); err != nil {
		t.Fatal(err)
	}
	return e
}

// onBoth runs f as a subtest on the embedded chain and on anvil.
func onBoth(t *testing.T, f func(t *testing.T, e *scenEnv)) {
	t.Run("embedded", func(t *testing.T) { f(t, newScenEmbedded(t)) })
	t.Run("anvil", func(t *testing.T) { f(t, newScenAnvil(t)) })
}

func (e *scenEnv) session() *session {
	s := &session{ctx: e.ctx, client: e.client, book: e.book, release: func() {}, signer: e.signer}
	s.venue = &perpvenue.Venue{Client: e.client, Book: e.book, Wallets: []common.Address{e.wallet}, Account: e.signer.Address()}
	tx, err := s.txManager(e.signer)
	if err != nil {
		e.t.Fatal(err)
	}
	s.venue.Tx = tx
	return s
}

func (e *scenEnv) snap() *hedge.Snapshot {
	e.t.Helper()
	s, err := e.session().venue.Snapshot(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *scenEnv) nonce() uint64 {
	e.t.Helper()
	n, err := e.client.PendingNonceAt(e.ctx, e.signer.Address())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// advance moves the clock; live keeps the feeds fresh as a heartbeat would
// (what `devnet advance` does with the deployer's key).
func (e *scenEnv) advance(d time.Duration, live bool) {
	e.t.Helper()
	if err := e.client.AdvanceTime(e.ctx, d); err != nil {
		e.t.Fatal(err)
	}
	if live {
		if _, err := heartbeat(e.ctx, e.dev, &session{ctx: e.ctx, client: e.client, book: e.book}); err != nil {
			e.t.Fatal(err)
		}
	}
}

func (e *scenEnv) price(asset, px string) {
	e.t.Helper()
	if err := e.dev.SetPrice(e.ctx, asset, decimal.RequireFromString(px)); err != nil {
		e.t.Fatal(err)
	}
}

func (e *scenEnv) skew(asset, size string) {
	e.t.Helper()
	if err := e.dev.Skew(e.ctx, asset, decimal.RequireFromString(size)); err != nil {
		e.t.Fatal(err)
	}
}

func (e *scenEnv) ownerCall(data []byte) {
	e.t.Helper()
	if _, err := e.dev.Owner.Send(e.ctx, chain.TxRequest{To: &e.book.Venue, Data: data}); err != nil {
		e.t.Fatal(err)
	}
}

// scenWatch is a watcher driven one head at a time, recording what it told
// the webhook and the log.
type scenWatch struct {
	e       *scenEnv
	w       *watcher
	m       *watchMetrics
	logs    *syncBuf
	mu      sync.Mutex
	events  []alert
	cleanup func()
}

func (e *scenEnv) watch(pol hedge.Policies) *scenWatch {
	e.t.Helper()
	sw := &scenWatch{e: e, logs: &syncBuf{}, m: newWatchMetrics()}
	w, cleanup, err := startWatcher(e.ctx, e.session(), watchConfig{policies: &pol, metrics: sw.m,
		log: slog.New(slog.NewJSONHandler(sw.logs, nil)),
		onAlert: func(a alert) {
			sw.mu.Lock()
			sw.events = append(sw.events, a)
			sw.mu.Unlock()
		}})
	if err != nil {
		e.t.Fatal(err)
	}
	sw.w, sw.cleanup = w, cleanup
	e.t.Cleanup(func() {
		cleanup()
		if e.t.Failed() {
			e.t.Logf("watch log:\n%s", e2eTail([]byte(sw.logs.String()), 12000))
		}
	})
	return sw
}

// cycle runs one watch cycle at the current head.
func (sw *scenWatch) cycle() {
	sw.e.t.Helper()
	h, err := sw.e.client.Head(sw.e.ctx)
	if err != nil {
		sw.e.t.Fatal(err)
	}
	sw.w.cycle(h)
}

// mark is how many events have been seen so far; since counts after it.
func (sw *scenWatch) mark() int { sw.mu.Lock(); defer sw.mu.Unlock(); return len(sw.events) }

func (sw *scenWatch) since(from int, event string, match func(alert) bool) []alert {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	var out []alert
	for _, a := range sw.events[from:] {
		if a.Event == event && (match == nil || match(a)) {
			out = append(out, a)
		}
	}
	return out
}

func describeEvents(as []alert) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "\n  %s %s %s %s: %s", a.Event, a.Asset, a.Kind, a.Intent, a.Description)
	}
	return b.String()
}

func policyWith(f func(*hedge.AssetPolicy)) hedge.Policies {
	pol := hedge.DefaultPolicies()
	if f != nil {
		f(&pol.Default)
	}
	return pol
}

// positionView is the venue's own account of the signer's ETH position.
func (e *scenEnv) position(asset string) contracts.PerpVenuePositionView {
	e.t.Helper()
	m, _ := e.book.Market(asset)
	pv := contracts.NewPerpVenue()
	var out contracts.PerpVenuePositionView
	var b chain.Batch
	b.Call(e.book.Venue, pv.PackGetPosition(e.signer.Address(), new(big.Int).SetUint64(m.ID)), func(raw []byte) (err error) {
		out, err = pv.UnpackGetPosition(raw)
		return err
	})
	if err := e.client.Read(e.ctx, &b, nil); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func wad(x *big.Int) decimal.Decimal { return decimal.NewFromBigInt(x, -18) }

func (e *scenEnv) usdc() decimal.Decimal {
	e.t.Helper()
	tk := contracts.NewTestToken()
	var out decimal.Decimal
	var b chain.Batch
	b.Call(e.book.Collateral.Address, tk.PackBalanceOf(e.signer.Address()), func(raw []byte) error {
		v, err := tk.UnpackBalanceOf(raw)
		out = decimal.NewFromBigInt(v, -e.book.Collateral.Decimals)
		return err
	})
	if err := e.client.Read(e.ctx, &b, nil); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// TestScenarioFallRally: the price falls 30% (3000 → 2100) and rallies to
// 40% above the start (→ 4200), in steps, with the hedge at up to 10× and a
// 25% liquidation floor. The hedge never trades after opening (it stays
// within band), each rally step that brings liquidation within 25% of mark is
// answered by a margin top-up before the venue could liquidate, and the
// hedged book (spot + the margin account's USDC and position equity, all read
// from chain) stays near zero while spot alone swings by thousands.
func TestScenarioFallRally(t *testing.T) {
	onBoth(t, func(t *testing.T, e *scenEnv) {
		pol := policyWith(func(p *hedge.AssetPolicy) { p.MaxLeverage = decimal.NewFromInt(10) })
		sw := e.watch(pol)
		sw.cycle()
		size0 := wad(e.position("ETH").Size)
		if !size0.Equal(decimal.NewFromInt(-10)) {
			t.Fatalf("hedge opened at size %s, want -10", size0)
		}
		// The margin account's value: idle USDC plus the position's equity.
		account := func() decimal.Decimal {
			p := e.position("ETH")
			return e.usdc().Add(wad(p.Margin)).Add(wad(p.AccruedFunding)).Add(wad(p.UnrealizedPnl))
		}
		a0, spot := account(), decimal.NewFromInt(10)
		p0 := e.snap().Markets["ETH"].IndexPrice
		opened := sw.mark()
		var swing, worst decimal.Decimal
		for _, px := range []string{"2550", "2100", "2520", "2940", "3360", "3780", "4200"} {
			e.price("ETH", px)
			before := sw.mark()
			sw.cycle()
			for _, a := range sw.since(before, "action", nil) {
				if a.Kind == "approve" {
					continue // the allowance for the top-up that follows
				}
				if a.Kind != "deposit" || a.Intent != string(hedge.IntentTopUp) {
					t.Errorf("at %s: unexpected action %s %s (%s): %s", px, a.Kind, a.Asset, a.Intent, a.Description)
				}
			}
			if s := wad(e.position("ETH").Size); !s.Equal(size0) {
				t.Fatalf("at %s: position size %s, want %s (liquidated or traded)", px, s, size0)
			}
			snap := e.snap()
			st, err := hedge.Assess(snap, pol.Default.Policy())
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range st {
				if a.Asset == "ETH" && a.LiquidationDistance.LessThan(decimal.RequireFromString("0.25")) {
					t.Errorf("at %s: liquidation distance %s after the cycle, floor 25%%", px, a.LiquidationDistance)
				}
			}
			unhedged := spot.Mul(snap.Markets["ETH"].IndexPrice.Sub(p0))
			hedged := unhedged.Add(account().Sub(a0))
			t.Logf("ETH %s: unhedged %s USD, hedged %s USD", px, unhedged.StringFixed(2), hedged.StringFixed(2))
			swing = decimal.Max(swing, unhedged.Abs())
			worst = decimal.Max(worst, hedged.Abs())
		}
		if swing.LessThan(decimal.NewFromInt(9000)) {
			t.Errorf("unhedged swing %s, want ≥ 9000 (the scenario did not move the price)", swing)
		}
		if worst.GreaterThan(decimal.NewFromInt(25)) {
			t.Errorf("hedged PnL reached %s USD; a hedge must stay near zero while spot swings %s", worst, swing)
		}
		topUps := sw.since(opened, "action", func(a alert) bool { return a.Kind == "deposit" })
		if len(topUps) != 3 {
			t.Errorf("%d top-ups, want 3 (at 3360, 3780 and 4200):%s", len(topUps), describeEvents(topUps))
		}
		if n := len(sw.since(opened, "action", func(a alert) bool { return a.Kind == "trade" })); n != 0 {
			t.Errorf("%d trades after opening; the hedge must stay within band", n)
		}
		if n := len(sw.since(opened, "risk_alert", func(a alert) bool { return a.Kind == "liquidation" })); n < 1 {
			t.Errorf("no liquidation alert was raised")
		}
		if got := testutil.ToFloat64(sw.m.alertsTotal.WithLabelValues("liquidation")); got < 1 {
			t.Errorf("hedger_alerts_total{kind=liquidation} = %v", got)
		}
		t.Logf("max |unhedged| %s USD, max |hedged| %s USD, %d top-ups", swing.StringFixed(2), worst.StringFixed(2), len(topUps))
	})
}

// fundingRun is scenario 2's script: the hedge opens; another account's
// short skew (−1000 ETH: −0.1%/day, shorts pay 36.5% a year) runs for three
// days; then the skew flips long and funding pays the short for three days.
// Each step is one watch cycle at a fresh head, with live feeds.
func fundingRun(t *testing.T, e *scenEnv, sw *scenWatch) (afterOpen int, sizes []decimal.Decimal) {
	t.Helper()
	sw.cycle()
	afterOpen = sw.mark()
	size := func() decimal.Decimal { return wad(e.position("ETH").Size).Neg() }
	step := func(d time.Duration) {
		e.advance(d, true)
		sw.cycle()
		sizes = append(sizes, size())
	}
	e.skew("ETH", "-1000")
	step(time.Hour)
	for i := 0; i < 3; i++ {
		step(24 * time.Hour)
	}
	e.skew("ETH", "1000")
	step(time.Hour) // the rate is good, but the last day still cost 30%+
	for i := 0; i < 3; i++ {
		step(24 * time.Hour)
	}
	return afterOpen, sizes
}

func trades(sw *scenWatch, from int) []alert {
	return sw.since(from, "action", func(a alert) bool { return a.Kind == "trade" })
}

// TestScenarioFundingReduce: with funding_action = reduce the short is cut
// to the reduced ratio once, held there while funding (current and over the
// 24h window) stays costly, and restored once, after the window recovered:
// exactly two trades in six days, no flapping.
func TestScenarioFundingReduce(t *testing.T) {
	onBoth(t, func(t *testing.T, e *scenEnv) {
		pol := policyWith(func(p *hedge.AssetPolicy) { p.FundingAction = hedge.FundingReduce })
		sw := e.watch(pol)
		from, sizes := fundingRun(t, e, sw)
		t.Logf("short after each step: %v", sizes)
		want := []string{"5", "5", "5", "5", "5", "10", "10", "10"}
		for i, w := range want {
			if !e2eNear(sizes[i], e2eD(w), "0.002") {
				t.Errorf("step %d: short %s, want %s (sizes %v)", i+1, sizes[i], w, sizes)
			}
		}
		tr := trades(sw, from)
		if len(tr) != 2 {
			t.Fatalf("%d trades, want 2 (one reduce, one resume):%s", len(tr), describeEvents(tr))
		}
		if tr[0].Intent != string(hedge.IntentFundingReduce) || tr[1].Intent != string(hedge.IntentRebalance) {
			t.Errorf("intents %q then %q, want %q then %q", tr[0].Intent, tr[1].Intent, hedge.IntentFundingReduce, hedge.IntentRebalance)
		}
		funding := sw.since(from, "risk_alert", func(a alert) bool { return a.Kind == "funding" })
		resumed := sw.since(from, "risk_alert", func(a alert) bool { return a.Kind == "funding-resume" })
		if len(funding) != 1 || len(resumed) != 1 {
			t.Errorf("%d funding and %d resume alerts, want one each:%s", len(funding), len(resumed),
				describeEvents(sw.since(from, "risk_alert", nil)))
		}
		if len(funding) == 1 && !strings.Contains(funding[0].Description, "over the last ") {
			t.Errorf("the funding alert does not show the window: %s", funding[0].Description)
		}
		if got := testutil.ToFloat64(sw.m.hedgeRatio.WithLabelValues("ETH")); got != 1 {
			t.Errorf("effective_hedge_ratio{ETH} = %v at the end, want 1", got)
		}
		if got := testutil.ToFloat64(sw.m.windowFundingUSD.WithLabelValues("ETH")); got <= 0 {
			t.Errorf("funding_window_usd{ETH} = %v after days of positive funding, want > 0 (received)", got)
		}
		if got := testutil.ToFloat64(sw.m.alertsTotal.WithLabelValues("funding")); got != 1 {
			t.Errorf("alerts_total{funding} = %v, want 1", got)
		}
	})
}

// TestScenarioFundingAlertOnly: with the default funding_action = alert the
// same market raises one funding alert, trades nothing, and clears.
func TestScenarioFundingAlertOnly(t *testing.T) {
	onBoth(t, func(t *testing.T, e *scenEnv) {
		sw := e.watch(policyWith(nil))
		from, sizes := fundingRun(t, e, sw)
		for i, s := range sizes {
			if !e2eNear(s, e2eD("10"), "0.002") {
				t.Errorf("step %d: short %s, want 10 (alert only)", i+1, s)
			}
		}
		if tr := trades(sw, from); len(tr) != 0 {
			t.Errorf("%d trades with funding_action = alert:%s", len(tr), describeEvents(tr))
		}
		raised := sw.since(from, "risk_alert", func(a alert) bool { return a.Kind == "funding" })
		cleared := sw.since(from, "risk_alert_cleared", func(a alert) bool { return a.Kind == "funding" })
		if len(raised) != 1 || len(cleared) != 1 {
			t.Errorf("funding alert raised %d and cleared %d times, want once each:%s", len(raised), len(cleared),
				describeEvents(sw.since(from, "risk_alert", nil)))
		}
		if !strings.Contains(sw.logs.String(), `"msg":"risk alert"`) {
			t.Errorf("no risk alert line in the log")
		}
	})
}

// TestScenarioStaleFeedAndPause: a stale feed, then a paused market, each
// keep watch (and the one-shot plan `hedge` uses) from trading a needed
// rebalance, with one alert and a clear log line each; once healthy again
// the rebalance goes through.
func TestScenarioStaleFeedAndPause(t *testing.T) {
	e := newScenEmbedded(t)
	pol := policyWith(nil)
	sw := e.watch(pol)
	sw.cycle()
	if s := wad(e.position("ETH").Size); !s.Equal(decimal.NewFromInt(-10)) {
		t.Fatalf("hedge opened at %s", s)
	}
	// The wallet doubles, but the feeds stop updating for two hours.
	if err := e.dev.SendNative(e.ctx, e.wallet, decimal.NewFromInt(10)); err != nil {
		t.Fatal(err)
	}
	e.advance(2*time.Hour, false)
	n0, from := e.nonce(), sw.mark()
	sw.cycle()
	sw.cycle() // a second block: no second alert
	if e.nonce() != n0 {
		t.Errorf("watch sent %d transaction(s) on a stale oracle", e.nonce()-n0)
	}
	stale := sw.since(from, "risk_alert", func(a alert) bool { return a.Kind == "oracle" })
	if len(stale) != 2 { // ETH and BTC feeds, once each
		t.Errorf("%d oracle alerts, want 2 (ETH, BTC once each):%s", len(stale), describeEvents(stale))
	}
	logs := sw.logs.String()
	if !strings.Contains(logs, `"msg":"risk gate: not trading","block":`) || !strings.Contains(logs, "oracle stale: updated 2h0m") {
		t.Errorf("no clear log line for the stale oracle")
	}
	// The one-shot path of `plan`/`hedge` refuses the same way.
	run, err := e.session().riskPlan(pol)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Steps) != 0 || !strings.Contains(run.gated(), "ETH: oracle stale") {
		t.Errorf("hedge on a stale oracle: %d actions, gated %q", len(run.Steps), run.gated())
	}
	if j := run.json(nil); len(j.Alerts) == 0 || j.Alerts[0].Kind != "oracle" {
		t.Errorf("plan --json alerts %+v", j.Alerts)
	}

	// Feeds live again, but the ETH market is paused by the venue.
	pv := contracts.NewPerpVenue()
	e.ownerCall(pv.PackSetPaused(big.NewInt(0), true))
	e.advance(time.Minute, true)
	from = sw.mark()
	sw.cycle()
	sw.cycle()
	if e.nonce() != n0 {
		t.Errorf("watch sent %d transaction(s) into a paused market", e.nonce()-n0)
	}
	paused := sw.since(from, "risk_alert", func(a alert) bool { return a.Kind == "paused" })
	if len(paused) != 1 || paused[0].Asset != "ETH" {
		t.Errorf("paused alerts:%s", describeEvents(paused))
	}
	if len(sw.since(from, "risk_alert_cleared", func(a alert) bool { return a.Kind == "oracle" })) != 2 {
		t.Errorf("the oracle alerts did not clear once the feeds were live")
	}
	if !strings.Contains(sw.logs.String(), `"reason":"market paused; not trading"`) {
		t.Errorf("no clear log line for the paused market")
	}

	// Unpaused: the rebalance to 20 goes through.
	e.ownerCall(pv.PackSetPaused(big.NewInt(0), false))
	sw.cycle()
	if s := wad(e.position("ETH").Size); !e2eNear(s, e2eD("-20"), "0.002") {
		t.Errorf("after unpausing: size %s, want about -20", s)
	}
}

// TestScenarioRestartAfterFundingReduce: watch reduced the short for
// funding; funding then hovers between the resume level and the budget. A
// restarted watch (no state) must not flip back to the full hedge: it
// recovers the reduced state from the position and the funding window.
func TestScenarioRestartAfterFundingReduce(t *testing.T) {
	e := newScenEmbedded(t)
	pol := policyWith(func(p *hedge.AssetPolicy) { p.FundingAction = hedge.FundingReduce })
	first := e.watch(pol)
	first.cycle()
	e.skew("ETH", "-1000")
	e.advance(time.Hour, true)
	first.cycle()
	if s := wad(e.position("ETH").Size).Neg(); !e2eNear(s, e2eD("5"), "0.002") {
		t.Fatalf("not reduced: short %s", s)
	}
	// −300 ETH of skew: shorts pay about 11% a year, inside the 5%..20% hover zone.
	e.skew("ETH", "-300")
	e.advance(25*time.Hour, true)
	n0 := e.nonce()
	first.cycle()
	if e.nonce() != n0 {
		t.Fatalf("the first watch traded while funding hovers")
	}
	first.cleanup()

	second := e.watch(pol) // the restart: a fresh watcher, no risk state
	for i := 0; i < 3; i++ {
		e.advance(time.Hour, true)
		second.cycle()
	}
	if e.nonce() != n0 {
		t.Errorf("the restarted watch sent %d transaction(s):%s", e.nonce()-n0, describeEvents(second.since(0, "action", nil)))
	}
	if s := wad(e.position("ETH").Size).Neg(); !e2eNear(s, e2eD("5"), "0.002") {
		t.Errorf("after restart: short %s, want it to stay at about 5", s)
	}
	if got := testutil.ToFloat64(second.m.reduced.WithLabelValues("ETH")); got != 1 {
		t.Errorf("reduced_for_funding{ETH} = %v after restart, want 1 (recovered)", got)
	}
	if got := testutil.ToFloat64(second.m.hedgeRatio.WithLabelValues("ETH")); got != 0.5 {
		t.Errorf("effective_hedge_ratio{ETH} = %v after restart, want 0.5", got)
	}
}

// TestPolicyPrecedence: --flag ASSET=V > --flag V > env > file [ASSET] >
// file [default] > built-in, and bad input is one clear error.
func TestPolicyPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/policy"
	if err := os.WriteFile(file, []byte("[default]\nfunding_action = reduce\nliq_floor = 0.3\ncooldown = 5m\n[BTC]\nliq_floor = 0.4\nfunding_window = 12h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	parse := func(env map[string]string, args ...string) (hedge.Policies, error) {
		for k, v := range env {
			t.Setenv(k, v)
		}
		var pol hedge.Policies
		var perr error
		app := &cli.App{Name: "hedger", Commands: []*cli.Command{{Name: "plan",
			Flags: append(policyFlags(), riskFlags()...),
			Action: func(c *cli.Context) error {
				pol, perr = policiesFrom(c)
				return nil
			}}}}
		if err := app.Run(append([]string{"hedger", "plan"}, args...)); err != nil {
			return pol, err
		}
		return pol, perr
	}
	pol, err := parse(map[string]string{"HEDGER_POLICY_FILE": file, "HEDGER_LIQ_FLOOR": "0.35", "HEDGER_COOLDOWN": "ETH=1m"},
		"--funding-action", "alert", "--funding-action", "BTC=close", "--max-oracle-age", "1d", "--hedge-ratio", "0.8")
	if err != nil {
		t.Fatal(err)
	}
	eth, btc := pol.For("ETH"), pol.For("BTC")
	checks := []struct {
		what      string
		got, want any
	}{
		{"ETH funding action (flag V over file)", eth.FundingAction, hedge.FundingAlert},
		{"BTC funding action (flag ASSET=V over flag V)", btc.FundingAction, hedge.FundingClose},
		{"ETH liq floor (env over file default)", eth.LiqFloor.String(), "0.35"},
		{"BTC liq floor (env over file [BTC])", btc.LiqFloor.String(), "0.35"},
		{"BTC funding window (file [BTC])", btc.FundingWindow, 12 * time.Hour},
		{"ETH funding window (built-in)", eth.FundingWindow, 24 * time.Hour},
		{"ETH cooldown (env ASSET=V)", eth.Cooldown, time.Minute},
		{"BTC cooldown (file default)", btc.Cooldown, 5 * time.Minute},
		{"max oracle age 1d", btc.MaxOracleAge, 24 * time.Hour},
		{"hedge ratio flag on every asset", btc.HedgeRatio.String() + "/" + eth.HedgeRatio.String(), "0.8/0.8"},
		{"reduced ratio (built-in)", eth.ReducedRatio.String(), "0.5"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	// A hedge ratio below the default reduced ratio is valid (the reduced
	// ratio is clamped to it where used).
	os.Unsetenv("HEDGER_POLICY_FILE")
	if _, err := parse(nil, "--hedge-ratio", "0.3"); err != nil {
		t.Errorf("--hedge-ratio 0.3 refused: %v", err)
	}
	for _, bad := range [][]string{
		{"--funding-action", "maybe"},
		{"--liq-floor", "ETH=lots"},
		{"--cooldown", "=5m"},
		{"--policy-file", dir + "/missing"},
		{"--reduced-ratio", "1.5"},
		{"--resume-apr", "ETH=-0.1"},
	} {
		os.Unsetenv("HEDGER_POLICY_FILE")
		_, err := parse(nil, bad...)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %v, want one line", bad, err)
		}
	}
}
