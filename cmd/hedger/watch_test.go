package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/perpvenue"
)

// syncBuf is a log sink safe for the watcher's goroutines.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// watchEnv is the embedded chain with the venue deployed, a cold wallet
// holding 10 ETH and a signer holding 100000 USDC.
type watchEnv struct {
	emb    *chain.Embedded
	dev    *perpvenue.Devnet
	book   *perpvenue.AddressBook
	signer *chain.KeySigner
	wallet common.Address
}

func newWatchEnv(t *testing.T) *watchEnv {
	t.Helper()
	ownerKey, _ := crypto.GenerateKey()
	signerKey, _ := crypto.GenerateKey()
	owner, signer := chain.NewKeySigner(ownerKey), chain.NewKeySigner(signerKey)
	eth := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }
	emb, err := chain.NewEmbedded(types.GenesisAlloc{
		owner.Address(): {Balance: eth(1_000_000)}, signer.Address(): {Balance: eth(10)},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	ctx := context.Background()
	ownerTx, err := chain.NewTxManager(chain.Config{Backend: emb.Client, Signer: owner, ABIs: perpvenue.ABIs()})
	if err != nil {
		t.Fatal(err)
	}
	book, err := perpvenue.Deploy(ctx, ownerTx, perpvenue.DefaultMarkets())
	if err != nil {
		t.Fatal(err)
	}
	e := &watchEnv{emb: emb, book: book, signer: signer, dev: &perpvenue.Devnet{Book: book, Owner: ownerTx},
		wallet: common.HexToAddress("0x000000000000000000000000000000000000c01d")}
	if err := e.dev.SendNative(ctx, e.wallet, decimal.NewFromInt(10)); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.Mint(ctx, "USDC", signer.Address(), decimal.NewFromInt(100_000)); err != nil {
		t.Fatal(err)
	}
	return e
}

// session builds what `open` would; signer nil means watch-only (--from).
func (e *watchEnv) session(withSigner bool) *session {
	s := &session{ctx: context.Background(), client: e.emb.Client, book: e.book, release: func() {}}
	s.venue = &perpvenue.Venue{Client: e.emb.Client, Book: e.book, Wallets: []common.Address{e.wallet}, Account: e.signer.Address()}
	if withSigner {
		s.signer = e.signer
		tx, err := s.txManager(e.signer)
		if err != nil {
			panic(err) // a test config the manager refuses
		}
		s.venue.Tx = tx
	}
	return s
}

func (e *watchEnv) short(t *testing.T, asset string) decimal.Decimal {
	t.Helper()
	snap, err := e.session(false).venue.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap.PositionOf(asset).Size.Neg()
}

func (e *watchEnv) nonce(t *testing.T) uint64 {
	t.Helper()
	n, err := e.emb.PendingNonceAt(context.Background(), e.signer.Address())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// quiesce waits until the daemon is idle at the chain head: its JSON log
// has a cycle at the head that ended without a transaction ("cycle: nothing
// to do" or "cycle: not trading", logged only when the plan has no step),
// and the head has not moved since. The next cycle needs a new head, so the
// daemon sends nothing until the test moves the chain. It waits on the
// daemon's log, not on a quiet period of the clock.
func (e *watchEnv) quiesce(t *testing.T, logs *syncBuf) {
	t.Helper()
	head := func() uint64 {
		n, err := e.emb.BlockNumber(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitFor(t, "the daemon to be idle at the head", 20*time.Second, func() bool {
		h := head()
		return idleAt(logs.String(), h) && head() == h
	})
}

// idleAt reports whether a JSON watch log has a cycle at block h that
// ended with nothing sent.
func idleAt(log string, h uint64) bool {
	for _, l := range strings.Split(log, "\n") {
		var line struct {
			Msg   string  `json:"msg"`
			Block *uint64 `json:"block"`
		}
		if json.Unmarshal([]byte(l), &line) == nil && line.Block != nil && *line.Block == h &&
			(line.Msg == "cycle: nothing to do" || line.Msg == "cycle: not trading") {
			return true
		}
	}
	return false
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// scrape returns the value of one series on /metrics, or "" when absent.
func scrape(t *testing.T, addr, series string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("scraping /metrics: %v", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			return v
		}
	}
	return ""
}

func metricIs(t *testing.T, addr, series, want string) bool {
	got := scrape(t, addr, series)
	if got == "" {
		return false
	}
	g, err1 := decimal.NewFromString(got)
	w, err2 := decimal.NewFromString(want)
	return err1 == nil && err2 == nil && g.Sub(w).Abs().LessThan(decimal.RequireFromString("0.000001"))
}

func TestWatchDryRunSendsNothing(t *testing.T) {
	e := newWatchEnv(t)
	var logs syncBuf
	n0 := e.nonce(t)
	err := runWatch(context.Background(), e.session(false), watchConfig{
		policy: hedge.DefaultPolicy(), dryRun: true, poll: 20 * time.Millisecond, maxCycles: 1,
		log: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := e.nonce(t); n != n0 {
		t.Errorf("--dry-run moved the signer's nonce from %d to %d", n0, n)
	}
	out := logs.String()
	if !strings.Contains(out, "dry-run: would send") || !strings.Contains(out, "open short") {
		t.Errorf("dry-run log does not say what it would do:\n%s", out)
	}
	if !e.short(t, "ETH").IsZero() {
		t.Errorf("dry-run opened a short")
	}
}

// TestWatchHedgesRebalancesAndExports runs the daemon in-process: it opens
// the ETH and BTC hedges, follows price moves and a bigger wallet (after the
// cooldown), exports gauges that move with the chain, and posts actions to
// the webhook.
func TestWatchHedgesRebalancesAndExports(t *testing.T) {
	e := newWatchEnv(t)
	ctx := context.Background()
	if err := e.dev.Mint(ctx, "WBTC", e.wallet, decimal.RequireFromString("0.5")); err != nil {
		t.Fatal(err)
	}

	var hookMu sync.Mutex
	var hooks []alert
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a alert
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("webhook got %s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
		}
		if err := json.NewDecoder(r.Body).Decode(&a); err != nil {
			t.Errorf("webhook body is not JSON: %v", err)
		}
		hookMu.Lock()
		hooks = append(hooks, a)
		hookMu.Unlock()
	}))
	defer hook.Close()

	addr := fmt.Sprintf("127.0.0.1:%d", e2eFreePort(t))
	var logs syncBuf
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- runWatch(stop, e.session(true), watchConfig{
			policy: hedge.DefaultPolicy(), poll: 20 * time.Millisecond, metricsAddr: addr, webhook: hook.URL,
			log: slog.New(slog.NewJSONHandler(&logs, nil)),
		})
	}()
	defer func() {
		if t.Failed() {
			t.Logf("watch log:\n%s", logs.String())
		}
	}()

	waitFor(t, "the ETH short to reach 10", 20*time.Second, func() bool { return e.short(t, "ETH").Equal(decimal.NewFromInt(10)) })
	waitFor(t, "short_size gauge = 10", 10*time.Second, func() bool { return metricIs(t, addr, `hedger_short_size{asset="ETH"}`, "10") })
	waitFor(t, "BTC short_size gauge = 0.5", 10*time.Second, func() bool { return metricIs(t, addr, `hedger_short_size{asset="BTC"}`, "0.5") })
	if !e.short(t, "BTC").Equal(decimal.RequireFromString("0.5")) {
		t.Errorf("BTC short on chain %s, want 0.5", e.short(t, "BTC"))
	}
	for _, a := range []string{"ETH", "BTC"} {
		if !metricIs(t, addr, `hedger_exposure_usd{asset="`+a+`"}`, "30000") {
			t.Errorf("%s exposure_usd = %s, want 30000", a, scrape(t, addr, `hedger_exposure_usd{asset="`+a+`"}`))
		}
		if !metricIs(t, addr, `hedger_effective_hedge_ratio{asset="`+a+`"}`, "1") {
			t.Errorf("%s effective_hedge_ratio = %s, want 1", a, scrape(t, addr, `hedger_effective_hedge_ratio{asset="`+a+`"}`))
		}
		if !metricIs(t, addr, `hedger_reduced_for_funding{asset="`+a+`"}`, "0") {
			t.Errorf("%s reduced_for_funding = %s, want 0", a, scrape(t, addr, `hedger_reduced_for_funding{asset="`+a+`"}`))
		}
		for _, g := range []string{"leverage", "margin", "funding_apr", "basis_bps", "liquidation_distance", "drift",
			"funding_window_usd", "funding_window_apr", "funding_cost_apr"} {
			if s := `hedger_` + g + `{asset="` + a + `"}`; scrape(t, addr, s) == "" {
				t.Errorf("/metrics lacks %s", s)
			}
		}
	}
	// The shorts' own open interest (−10 ETH, −0.5 BTC) makes funding
	// negative for them: the window gauge shows what they paid.
	if v, err := decimal.NewFromString(scrape(t, addr, `hedger_funding_apr{asset="ETH"}`)); err != nil || !v.IsNegative() {
		t.Errorf("ETH funding_apr %q with only shorts open, want < 0", scrape(t, addr, `hedger_funding_apr{asset="ETH"}`))
	}
	for _, s := range []string{`hedger_actions_total{kind="trade"}`, "hedger_cycles_total", "hedger_block_number",
		"hedger_last_action_timestamp_seconds", "hedger_errors_total", `hedger_alerts_total{kind="oracle"}`, `hedger_alerts_total{kind="funding"}`} {
		if scrape(t, addr, s) == "" {
			t.Errorf("/metrics lacks %s", s)
		}
	}
	if v := scrape(t, addr, `hedger_actions_total{kind="trade"}`); v == "0" || v == "" {
		t.Errorf("actions_total{kind=trade} = %q after opening the short", v)
	}

	// A price move: exposure follows the chain.
	e.quiesce(t, &logs)
	if err := e.dev.SetPrice(ctx, "ETH", decimal.NewFromInt(3300)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "exposure_usd = 33000 after set-price", 10*time.Second, func() bool {
		return metricIs(t, addr, `hedger_exposure_usd{asset="ETH"}`, "33000")
	})
	e.quiesce(t, &logs)
	if err := e.dev.SetPrice(ctx, "BTC", decimal.NewFromInt(54000)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "BTC exposure_usd = 27000 after set-price", 10*time.Second, func() bool {
		return metricIs(t, addr, `hedger_exposure_usd{asset="BTC"}`, "27000")
	})
	// Past the 10-minute cooldown of the opening trades (the feeds, 11
	// minutes old then, are well within the 1h max oracle age).
	e.quiesce(t, &logs)
	if err := e.emb.AdvanceTime(ctx, 11*time.Minute); err != nil {
		t.Fatal(err)
	}
	e.quiesce(t, &logs)
	waitFor(t, "the funding window gauge to show the ETH short paid", 10*time.Second, func() bool {
		v, err := decimal.NewFromString(scrape(t, addr, `hedger_funding_window_usd{asset="ETH"}`))
		return err == nil && v.IsNegative()
	})

	// The embedded chain mines on every send from either side; a test send
	// racing the daemon's own can strand one of them in the pool, so let the
	// daemon settle on the head first.
	e.quiesce(t, &logs)
	// More spot: the short is rebalanced to the new target.
	if err := e.dev.SendNative(ctx, e.wallet, decimal.NewFromInt(5)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the ETH short to reach ~15", 20*time.Second, func() bool { return e2eNear(e.short(t, "ETH"), e2eD("15"), "0.001") })
	waitFor(t, "short_size gauge ~15", 10*time.Second, func() bool {
		v, err := decimal.NewFromString(scrape(t, addr, `hedger_short_size{asset="ETH"}`))
		return err == nil && e2eNear(v, e2eD("15"), "0.001")
	})

	waitFor(t, "a webhook POST for a trade", 10*time.Second, func() bool {
		hookMu.Lock()
		defer hookMu.Unlock()
		for _, a := range hooks {
			if a.Event == "action" && a.Kind == "trade" && a.Asset == "ETH" && strings.HasPrefix(a.Tx, "0x") {
				return true
			}
		}
		return false
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("watch returned %v after stop", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop within 10s of the stop signal")
	}
	if !strings.Contains(logs.String(), "watch stopped") {
		t.Errorf("no stop line in the log")
	}
}

// TestWatchSurvivesRPCErrors: a cycle whose reads fail is logged and
// counted, and the loop keeps going.
func TestWatchSurvivesRPCErrors(t *testing.T) {
	e := newWatchEnv(t)
	s := e.session(true)
	// A venue address with no code makes every snapshot fail to decode.
	bad := *e.book
	bad.Venue = common.HexToAddress("0x00000000000000000000000000000000000000ee")
	s.venue.Book = &bad
	m := newWatchMetrics()
	var logs syncBuf
	err := runWatch(context.Background(), s, watchConfig{policy: hedge.DefaultPolicy(), poll: 10 * time.Millisecond,
		maxCycles: 1, metrics: m, log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "failed") {
		t.Errorf("no error logged:\n%s", logs.String())
	}
}

// ------------------------------------------------------ the real binary

// TestWatchSIGKILLRestartOnAnvil kills `hedger watch` with SIGKILL after it
// sent its first transaction, restarts it, and checks the final short is the
// target, not twice it; then SIGINT must exit 0 promptly.
func TestWatchSIGKILLRestartOnAnvil(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartAnvil(t)
	cli := e2eNewCLI(t, n.URL)
	ch := e2eNewChain(t, n.URL)
	deployer, signer := e2eAccountFromHex(t, e2eAnvilKey0), e2eAccountFromHex(t, e2eAnvilKey1)
	var book e2eBook
	cli.okJSON(&book, "deploy", "--rpc-url", n.URL, "--private-key", deployer.Key, "--json")
	ethID, _ := book.marketID("ETH")
	venue := common.HexToAddress(book.Venue)
	spot := e2eNewAccount(t).Addr
	cli.ok("devnet", "fund", spot.Hex(), "--rpc-url", n.URL, "--private-key", deployer.Key, "--eth", "10", "--wbtc", "0.5")
	cli.ok("devnet", "fund", signer.Addr.Hex(), "--rpc-url", n.URL, "--private-key", deployer.Key, "--usdc", "100000")
	nonce0 := ch.nonce(signer.Addr)

	start := func(logName string) (*exec.Cmd, string) {
		logPath := filepath.Join(t.TempDir(), logName)
		f, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(cli.bin, "watch", "--rpc-url", n.URL, "--wallet", spot.Hex(), "--private-key", signer.Key,
			"--poll-interval", "50ms", "--log-format", "json")
		cmd.Dir, cmd.Env = cli.workDir, cli.env(nil)
		cmd.Stdout, cmd.Stderr = io.Discard, f
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); f.Close() })
		return cmd, logPath
	}
	logOf := func(p string) string { b, _ := os.ReadFile(p); return string(b) }

	first, log1 := start("watch1.log")
	waitFor(t, "the first transaction of watch", 30*time.Second, func() bool { return ch.nonce(signer.Addr) > nonce0 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	sentBefore := ch.nonce(signer.Addr) - nonce0
	size, _ := ch.position(venue, signer.Addr, ethID)
	t.Logf("killed after %d transaction(s); ETH size then %s", sentBefore, size)

	second, log2 := start("watch2.log")
	defer func() {
		if t.Failed() {
			t.Logf("--- first run ---\n%s\n--- second run ---\n%s", e2eTail([]byte(logOf(log1)), 4000), e2eTail([]byte(logOf(log2)), 6000))
		}
	}()
	target := e2eD("-10")
	waitFor(t, "the ETH short to reach 10 after restart", 30*time.Second, func() bool {
		s, _ := ch.position(venue, signer.Addr, ethID)
		return e2eNear(s, target, "0.001")
	})
	// More blocks: the restarted daemon must stay put. Wait until its log
	// shows a cycle at the last of them, so the check below follows a cycle
	// that saw them (not a sleep that may end before one ran).
	noncePre := ch.nonce(signer.Addr)
	for i := 0; i < 3; i++ {
		if err := ch.rc.CallContext(e2eCtx(t), nil, "evm_mine"); err != nil {
			t.Fatal(err)
		}
	}
	head := ch.block()
	atHead := regexp.MustCompile(`"block":(\d+)`)
	waitFor(t, fmt.Sprintf("a watch cycle at block %d", head), 30*time.Second, func() bool {
		for _, l := range strings.Split(logOf(log2), "\n") {
			if m := atHead.FindStringSubmatch(l); m != nil && strings.Contains(l, "nothing to do") && m[1] == strconv.FormatUint(head, 10) {
				return true
			}
		}
		return false
	})
	if s, _ := ch.position(venue, signer.Addr, ethID); !e2eNear(s, target, "0.001") {
		t.Errorf("ETH size %s after restart and more blocks, want %s (no doubled short)", s, target)
	}
	if btc, _ := book.marketID("BTC"); true {
		if s, _ := ch.position(venue, signer.Addr, btc); !e2eNear(s, e2eD("-0.5"), "0.001") {
			t.Errorf("BTC size %s, want -0.5", s)
		}
	}
	if ch.nonce(signer.Addr) != noncePre {
		t.Errorf("the daemon kept sending in band")
	}

	// SIGINT: exit 0 promptly, with a log line.
	t0 := time.Now()
	if err := second.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- second.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("watch exited with %v after SIGINT, want 0", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("watch did not exit within 5s of SIGINT")
	}
	t.Logf("SIGINT exit took %s", time.Since(t0).Round(time.Millisecond))
	if !strings.Contains(logOf(log2), "watch stopped") {
		t.Errorf("no stop line in the log after SIGINT")
	}
}

// TestWatchMetricsCrossAssetTarget: an asset hedged on another market's
// short (hedge_with in its own policy section) is in that market's target
// and drift on /metrics, as in the plan: the metrics come from the cycle's
// own assessment, not a second one under the default policy.
func TestWatchMetricsCrossAssetTarget(t *testing.T) {
	e := newWatchEnv(t)
	ctx := context.Background()
	if err := e.dev.Mint(ctx, "LDO", e.wallet, decimal.NewFromInt(1000)); err != nil {
		t.Fatal(err)
	}
	pol, err := hedge.ParsePolicies(strings.NewReader("[LDO]\nhedge_with = ETH\nbeta = 1.2\n"))
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuf
	// First a short of the ETH alone (10), under the default policy.
	if err := runWatch(ctx, e.session(true), watchConfig{policy: hedge.DefaultPolicy(), poll: 10 * time.Millisecond,
		maxCycles: 1, log: slog.New(slog.NewTextHandler(&logs, nil))}); err != nil {
		t.Fatal(err)
	}
	if q := e.short(t, "ETH"); !q.Equal(decimal.NewFromInt(10)) {
		t.Fatalf("ETH short %s, want 10\n%s", q, logs.String())
	}
	m := newWatchMetrics()
	if err := runWatch(ctx, e.session(false), watchConfig{policies: &pol, dryRun: true, poll: 10 * time.Millisecond,
		maxCycles: 1, metrics: m, log: slog.New(slog.NewTextHandler(&logs, nil))}); err != nil {
		t.Fatal(err)
	}
	// (10 × 3000 + 1.2 × 1000 × 1.5) / mark ≈ 10.6 ETH (the short's own
	// skew puts the mark a hair under 3000): drift ≈ (10 − 10.6) / 10.6.
	// Assessed under the default policy it would read 10 and 0.
	tgt := testutil.ToFloat64(m.target.WithLabelValues("ETH"))
	if tgt < 10.6 || tgt > 10.601 {
		t.Errorf("ETH target gauge %v, want 10.6\n%s", tgt, logs.String())
	}
	if got, want := testutil.ToFloat64(m.drift.WithLabelValues("ETH")), (10-tgt)/tgt; got > want+1e-9 || got < want-1e-9 {
		t.Errorf("ETH drift gauge %v, want %v", got, want)
	}
}
