package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
)

var (
	dryRunFlag = &cli.BoolFlag{Name: "dry-run", Usage: "evaluate and log every cycle, send nothing (works without a signer, with --from)"}
	pollFlag   = &cli.DurationFlag{Name: "poll-interval", Usage: "how often to poll the head on HTTP endpoints (ws:// and IPC subscribe)",
		Value: 4 * time.Second, EnvVars: []string{"HEDGER_POLL_INTERVAL"}}
	metricsAddrFlag = &cli.StringFlag{Name: "metrics-addr", Usage: "serve Prometheus /metrics here, e.g. 127.0.0.1:9464",
		EnvVars: []string{"HEDGER_METRICS_ADDR"}}
	webhookFlag = &cli.StringFlag{Name: "alert-webhook", Usage: "URL receiving a JSON POST for every action, refusal and error",
		EnvVars: []string{"HEDGER_ALERT_WEBHOOK"}}
	logFormatFlag = &cli.StringFlag{Name: "log-format", Usage: "text or json (log lines go to stderr)", Value: "text",
		EnvVars: []string{"HEDGER_LOG_FORMAT"}}
	maxCyclesFlag     = &cli.IntFlag{Name: "max-cycles", Usage: "stop after N cycles (0 = run until SIGINT/SIGTERM)"}
	claimMultipleFlag = &cli.StringFlag{Name: "claim-multiple", Value: engine.DefaultClaimMultiple.String(), EnvVars: []string{"HEDGER_CLAIM_MULTIPLE"},
		Usage: "claim funding when it is worth at least this many times the claim's gas cost in USD"}
	claimMinFlag = &cli.StringFlag{Name: "claim-min-usd", Value: engine.DefaultClaimMinUSD.String(), EnvVars: []string{"HEDGER_CLAIM_MIN_USD"},
		Usage: "and at least this much in USD"}
	noAutoClaimFlag = &cli.BoolFlag{Name: "no-auto-claim", EnvVars: []string{"HEDGER_NO_AUTO_CLAIM"}, Usage: "never claim by itself (use `hedger claim`)"}
	graceFlag       = &cli.DurationFlag{Name: "shutdown-grace", Usage: "on SIGINT/SIGTERM, how long an in-flight transaction may take to be mined",
		Value: 2 * time.Minute}
)

func watchCommand() *cli.Command {
	flags := append(append(append(connFlags(), walletFlag, yesFlag, allowPartialFlag), signerFlags()...), txFlags()...)
	flags = append(append(append(append(flags, policyFlags()...), riskFlags()...), spotFlags()...), dryRunFlag, pollFlag, metricsAddrFlag, webhookFlag, logFormatFlag, maxCyclesFlag, graceFlag,
		claimMultipleFlag, claimMinFlag, noAutoClaimFlag)
	return &cli.Command{
		Name:  "watch",
		Usage: "follow new blocks and keep every short at its target (never prompts; --dry-run sends nothing)",
		Description: "One cycle per new head: read the chain at that block in one batch, check the risk policy, plan, apply, log.\n" +
			"Every trade size comes from chain state, so a restart or a parallel `hedge` never doubles a short; the\n" +
			"cooldown and the funding hysteresis are kept between cycles, and a restart recovers the reduced-for-funding\n" +
			"state from the position and the funding over the window.",
		Flags: flags,
		Action: func(c *cli.Context) error {
			pol, err := policiesFrom(c)
			if err != nil {
				return err
			}
			log, err := newWatchLogger(c.String("log-format"))
			if err != nil {
				return err
			}
			if c.Duration("poll-interval") <= 0 {
				return errors.New("--poll-interval must be positive")
			}
			if c.Int("max-cycles") < 0 {
				return errors.New("--max-cycles must not be negative")
			}
			claim, err := claimPolicyFrom(c)
			if err != nil {
				return err
			}
			dry := c.Bool("dry-run")
			s, err := open(c, openOpts{needBook: true, needSigner: !dry})
			if err != nil {
				return err
			}
			defer s.close()
			stop, cancel := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer cancel()
			return runWatch(stop, s, watchConfig{
				policies: &pol, dryRun: dry, allowPartial: c.Bool("allow-partial"),
				poll: c.Duration("poll-interval"), metricsAddr: c.String("metrics-addr"),
				webhook: c.String("alert-webhook"), maxCycles: c.Int("max-cycles"),
				grace: c.Duration("shutdown-grace"), log: log,
				subscribe: canSubscribe(s.client.URL), claim: claim,
			})
		},
	}
}

// claimPolicyFrom reads watch's automatic-claim flags.
func claimPolicyFrom(c *cli.Context) (engine.ClaimPolicy, error) {
	p := engine.ClaimPolicy{Off: c.Bool("no-auto-claim")}
	var err error
	if p.Multiple, err = parseNonNegative("--claim-multiple", c.String("claim-multiple")); err != nil {
		return p, err
	}
	if !p.Multiple.IsPositive() {
		return p, errors.New("--claim-multiple must be positive (use --no-auto-claim to turn claims off)")
	}
	if p.MinUSD, err = parseNonNegative("--claim-min-usd", c.String("claim-min-usd")); err != nil {
		return p, err
	}
	if !p.MinUSD.IsPositive() {
		return p, errors.New("--claim-min-usd must be positive (use --no-auto-claim to turn claims off)")
	}
	return p, nil
}

func newWatchLogger(format string) (*slog.Logger, error) {
	switch strings.ToLower(format) {
	case "", "text":
		return slog.New(slog.NewTextHandler(os.Stderr, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

// canSubscribe: ws(s):// and IPC paths carry subscriptions; HTTP is polled.
func canSubscribe(url string) bool {
	u := strings.ToLower(url)
	if strings.HasPrefix(u, "ws://") || strings.HasPrefix(u, "wss://") {
		return true
	}
	return u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://")
}

type watchConfig struct {
	// policies is the per-asset risk policy; when nil, policy (the plain
	// planner's settings) on top of the built-in risk defaults.
	policies     *hedge.Policies
	policy       hedge.Policy
	dryRun       bool
	allowPartial bool
	poll         time.Duration
	metricsAddr  string
	webhook      string
	maxCycles    int
	grace        time.Duration
	log          *slog.Logger
	subscribe    bool
	claim        engine.ClaimPolicy
	metrics      *watchMetrics // optional; made by runWatch when nil
	onAlert      func(alert)   // optional; sees every webhook alert (tests)
}

// riskPolicies is cfg's per-asset policy.
func (cfg watchConfig) riskPolicies() hedge.Policies {
	if cfg.policies != nil {
		return *cfg.policies
	}
	pol := hedge.DefaultPolicies()
	if p := cfg.policy; !p.HedgeRatio.IsZero() || !p.Band.IsZero() {
		d := &pol.Default
		d.HedgeRatio, d.Band, d.MaxLeverage, d.MaxSlippage, d.MarginBuffer = p.HedgeRatio, p.Band, p.MaxLeverage, p.MaxSlippage, p.MarginBuffer
	}
	return pol
}

// watcher is the state of one `hedger watch` run. Trade sizes always come
// from a fresh snapshot; what it carries between cycles is the risk state
// (cooldown clock, funding hysteresis), the previous snapshot (to see a
// frozen funding index) and the alerts raised, so each is sent once.
type watcher struct {
	pol hedge.Policies
	// eng carries the risk state (cooldown clock, funding hysteresis), the
	// previous snapshot and the beta estimates (refreshed every betaRefresh
	// of chain time: each estimate reads up to 2000 rounds per feed).
	eng    *engine.Engine
	active map[string]hedge.Alert // by asset/kind: alerts raised and not yet cleared
	gates  map[string]string      // by asset: gated last cycle
	// windowErr is the last funding-window read error logged.
	windowErr string
	betaErr   string
	// reconcile asks the next cycle to settle the journal before sending:
	// set when a send failed and may have left a live entry.
	reconcile bool

	cancelWork context.CancelFunc // abandons in-flight work after the grace period

	s       *session
	cfg     watchConfig
	log     *slog.Logger
	m       *watchMetrics
	alerts  *alerter
	stop    context.Context // cancelled by SIGINT/SIGTERM: take no new cycle or action
	minHead uint64          // heads below this predate our own last transaction
	mu      sync.Mutex
	lastErr string // for alerting once per distinct failure
}

// novel reports whether msg differs from the last alerted failure ("" resets).
func (w *watcher) novel(msg string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if msg == w.lastErr {
		return false
	}
	w.lastErr = msg
	return msg != ""
}

// runWatch follows heads until stop is cancelled or maxCycles ran. s.ctx is
// replaced by a context that outlives stop by cfg.grace, so an in-flight
// transaction is waited for.
func runWatch(stop context.Context, s *session, cfg watchConfig) error {
	w, cleanup, err := startWatcher(stop, s, cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	cfg, cancelWork := w.cfg, w.cancelWork

	heads := make(chan *types.Header, 1)
	followCtx, stopFollow := context.WithCancel(stop)
	var followDone sync.WaitGroup
	followDone.Add(1)
	go func() { defer followDone.Done(); w.follow(followCtx, heads) }()
	defer func() { stopFollow(); followDone.Wait() }()

	cycles := 0
	for {
		select {
		case <-stop.Done():
			w.log.Info("watch stopped: signal received, no cycle in flight", "cycles", cycles)
			return nil
		case h := <-heads:
			if h.Number.Uint64() < w.minHead {
				continue // older than our own last transaction: its state is stale
			}
			done := make(chan struct{})
			go func() { defer close(done); w.cycle(h) }()
			select {
			case <-done:
			case <-stop.Done():
				w.log.Info("signal received: letting the in-flight cycle finish", "grace", cfg.grace.String())
				select {
				case <-done:
				case <-time.After(cfg.grace):
					w.log.Warn("grace period over: abandoning the in-flight transaction; the next run replans from chain state")
					cancelWork()
					<-done
				}
				w.log.Info("watch stopped", "cycles", cycles+1)
				return nil
			}
			cycles++
			if cfg.maxCycles > 0 && cycles >= cfg.maxCycles {
				w.log.Info("watch stopped: --max-cycles reached", "cycles", cycles)
				return nil
			}
		}
	}
}

// startWatcher prepares a watcher: defaults, the work context, metrics
// server and alerts. Tests drive its cycles directly; cleanup stops it all.
func startWatcher(stop context.Context, s *session, cfg watchConfig) (*watcher, func(), error) {
	if cfg.log == nil {
		cfg.log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if cfg.poll <= 0 {
		cfg.poll = 4 * time.Second
	}
	if cfg.grace <= 0 {
		cfg.grace = 2 * time.Minute
	}
	if cfg.metrics == nil {
		cfg.metrics = newWatchMetrics()
	}
	pol := cfg.riskPolicies()
	if err := pol.Validate(); err != nil {
		return nil, nil, fmt.Errorf("risk policy: %w", err)
	}
	work, cancelWork := context.WithCancel(context.WithoutCancel(stop))
	s.ctx = work
	s.json = true // apply's progress lines go to the log instead of stdout
	if cfg.dryRun && s.gmx != nil && s.gmx.Client.Tx == nil && s.gmx.Client.Account != (common.Address{}) {
		tx, err := s.txManager(watchOnlySigner(s.gmx.Client.Account))
		if err != nil {
			cancelWork()
			return nil, nil, err
		}
		s.gmx.Client.Tx = tx
	}
	if cfg.dryRun && s.venue != nil && s.venue.Tx == nil && s.venue.Account != (common.Address{}) {
		// Gas estimates need a sender; a watch-only signer never signs.
		tx, err := s.txManager(watchOnlySigner(s.venue.Account))
		if err != nil {
			cancelWork()
			return nil, nil, err
		}
		s.venue.Tx = tx
	}
	eng := s.engine(pol)
	// A pending order is left to the next cycle's snapshot: the loop never
	// blocks on a keeper.
	eng.Settle, eng.AllowPartial, eng.Claim = false, cfg.allowPartial, cfg.claim
	w := &watcher{s: s, cfg: cfg, log: cfg.log, m: cfg.metrics, stop: stop, pol: pol, cancelWork: cancelWork,
		eng: eng, active: map[string]hedge.Alert{}, alerts: newAlerter(cfg.webhook, cfg.log)}
	w.alerts.hook = cfg.onAlert
	stopMetrics := func() {}
	if cfg.metricsAddr != "" {
		sm, err := serveMetrics(cfg.metricsAddr, w.m, w.log)
		if err != nil {
			w.alerts.close(time.Second)
			cancelWork()
			return nil, nil, fmt.Errorf("--metrics-addr: %w", err)
		}
		stopMetrics = sm
	}
	mode := "poll"
	if cfg.subscribe {
		mode = "subscribe"
	}
	acct, nWallets := "", 0
	if s.venue != nil {
		if s.venue.Account != (common.Address{}) {
			acct = s.venue.Account.Hex()
		}
		nWallets = len(s.venue.Wallets)
	} else if s.gmx != nil {
		if s.gmx.Client.Account != (common.Address{}) {
			acct = s.gmx.Client.Account.Hex()
		}
		nWallets = len(s.gmx.Wallets)
	}
	w.log.Info("watch started", "chain_id", s.client.ChainID.Uint64(), "account", acct, "wallets", nWallets,
		"dry_run", cfg.dryRun, "heads", mode, "poll_interval", cfg.poll.String())
	d := pol.Default
	w.log.Info("risk policy", "hedge_ratio", d.HedgeRatio.String(), "band", d.Band.String(), "max_leverage", d.MaxLeverage.String(),
		"funding_budget_apr", d.FundingBudgetAPR.String(), "funding_action", d.FundingAction, "funding_window", d.FundingWindow.String(),
		"liq_floor", d.LiqFloor.String(), "max_oracle_age", d.MaxOracleAge.String(), "cooldown", d.Cooldown.String(),
		"asset_overrides", len(pol.Assets))
	return w, func() {
		w.alerts.close(5 * time.Second)
		stopMetrics()
		cancelWork()
	}, nil
}

// offer puts h in the one-slot queue, replacing a head not yet taken, so a
// cycle always starts from the newest head and heads arriving meanwhile
// coalesce.
func offer(ch chan *types.Header, h *types.Header) {
	for {
		select {
		case ch <- h:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// follow feeds new heads: a subscription where the endpoint has one, else
// polling. A broken subscription falls back to polling.
func (w *watcher) follow(ctx context.Context, out chan *types.Header) {
	var last uint64
	seen := func(h *types.Header) {
		if h != nil && (last == 0 || h.Number.Uint64() > last) {
			last = h.Number.Uint64()
			offer(out, h)
		}
	}
	poll := func() {
		hctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		h, err := w.s.client.Head(hctx)
		if err != nil {
			if ctx.Err() == nil {
				w.fail("head", err)
			}
			return
		}
		seen(h)
	}
	poll() // the first cycle runs at once, not at the next block
	if w.cfg.subscribe {
		ch := make(chan *types.Header, 16)
		sub, err := w.s.client.SubscribeNewHead(ctx, ch)
		if err != nil {
			w.log.Warn("cannot subscribe to new heads; polling instead", "err", oneLine(err))
		} else {
			func() {
				defer sub.Unsubscribe()
				for {
					select {
					case <-ctx.Done():
						return
					case err := <-sub.Err():
						w.log.Warn("head subscription ended; polling instead", "err", oneLine(err))
						return
					case h := <-ch:
						seen(h)
					}
				}
			}()
		}
	}
	t := time.NewTicker(w.cfg.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			poll()
		}
	}
}

// fail logs, counts and alerts an error; the same error repeated on every
// block is alerted once until something else happens.
func (w *watcher) fail(what string, err error) {
	w.m.errors.Inc()
	msg := oneLine(err)
	w.log.Error(what+" failed", "err", msg)
	if w.novel(msg) {
		w.alerts.send(alert{Event: "error", Stage: what, Error: msg})
	}
}

// cycle is one head: snapshot at it (one batch), plan, apply, log. It never
// panics out: a bug in one cycle is an error of that cycle.
func (w *watcher) cycle(head *types.Header) {
	defer func() {
		if r := recover(); r != nil {
			w.fail("cycle", fmt.Errorf("internal error: %v", r))
		}
	}()
	w.m.cycles.Inc()
	block := head.Number.Uint64()
	rctx, cancel := context.WithTimeout(w.s.ctx, 30*time.Second)
	snap, err := w.s.seam().(headSnapshotter).SnapshotAt(rctx, head)
	cancel()
	if err != nil {
		w.fail("snapshot", fmt.Errorf("block %d: %w", block, err))
		return
	}
	if g := w.s.gmx; g != nil && !w.cfg.dryRun && g.HasExpired(snap) {
		// No keeper handled an order before GMX's request expiration:
		// cancel it (refunded) and replan from the next head.
		n, err := g.CancelExpired(w.s.ctx)
		if err != nil {
			w.fail("cancel", fmt.Errorf("block %d: %w", block, err))
			return
		}
		w.log.Info("cancelled expired GMX orders", "block", block, "orders", n)
		return
	}
	hctx, hcancel := context.WithTimeout(w.s.ctx, 60*time.Second)
	c, err := w.eng.Read(hctx, snap)
	hcancel()
	var se *engine.SpotError
	if errors.As(err, &se) {
		// Exposure unknown: alert and trade nothing this cycle. The risk
		// alerts already raised stay as they are (this cycle saw no market).
		alerts := []hedge.Alert{{Kind: hedge.AlertSpotUnknown, Message: oneLine(se.Err)}}
		for _, a := range w.active {
			if a.Kind != hedge.AlertSpotUnknown {
				alerts = append(alerts, a)
			}
		}
		w.raise(block, alerts)
		w.log.Warn("cycle: not trading, spot exposure unknown", "block", block, "err", oneLine(se.Err))
		return
	}
	if err != nil {
		w.fail("snapshot", fmt.Errorf("block %d: %w", block, err))
		return
	}
	if c.WindowErr != nil {
		// Only the current rate is checked then; say so once.
		if msg := oneLine(c.WindowErr); msg != w.windowErr {
			w.windowErr = msg
			w.log.Warn("funding window unknown; checking the current rate only", "block", block, "err", msg)
		}
	} else {
		w.windowErr = ""
	}
	if c.BetaErr != nil {
		if msg := oneLine(c.BetaErr); msg != w.betaErr {
			w.betaErr = msg
			w.log.Warn("beta estimate failed; markets hedging a beta = auto asset hold", "block", snap.Block, "err", msg)
		}
	} else {
		w.betaErr = ""
	}
	ectx, ecancel := context.WithTimeout(w.s.ctx, 30*time.Second)
	err = w.eng.Plan(ectx, c)
	ecancel()
	if c.Plan != nil {
		// Metrics from the same assessment the plan acted on.
		if c.Status != nil {
			w.m.observe(block, c.Status)
		} else {
			w.m.block.Set(float64(block))
		}
		w.m.observeRisk(c.Dec)
		w.raise(block, c.Alerts)
		w.logAssets(block, c.Plan, c.Dec, len(c.Steps))
	}
	var ce *hedge.CapError
	switch {
	case errors.As(err, &ce):
		// The daily cap refuses the whole plan before anything is sent.
		w.refuse(block, err)
		return
	case errors.Is(err, engine.ErrNoAccount):
		w.refuse(block, err)
		return
	case err != nil && c.Plan == nil:
		w.fail("plan", fmt.Errorf("block %d: %w", block, err))
		return
	case err != nil:
		w.fail("estimate", fmt.Errorf("block %d: %w", block, err))
		return
	}
	plan := c.Plan
	if len(c.Steps) == 0 {
		if err := w.eng.Check(c); err != nil {
			w.refuse(block, err)
			return
		}
		held := false
		for _, a := range plan.Assets {
			if !a.WithinBand && a.Note != "" {
				held = true
				w.log.Info("cycle: not trading", "block", block, "asset", a.Asset, "reason", a.Note)
			}
		}
		if !held && !w.autoClaim(block, snap) {
			w.log.Info("cycle: nothing to do", "block", block)
		}
		w.novel("")
		return
	}
	if w.cfg.dryRun {
		for i, a := range c.Steps {
			args := []any{"block", block, "step", i + 1, "of", len(c.Steps), "kind", string(a.Kind), "intent", string(a.Intent), "asset", a.Asset, "action", describe(a)}
			if i < len(c.Gas) && c.Gas[i].Err != "" {
				args = append(args, "gas_error", c.Gas[i].Err)
			}
			w.log.Info("dry-run: would send", args...)
			w.alerts.send(alert{Event: "dry_run_action", Block: block, Kind: string(a.Kind), Intent: string(a.Intent), Asset: a.Asset, Description: describe(a)})
		}
		return
	}
	// A send that failed in an earlier cycle (e.g. not mined within the
	// receipt timeout) is still live in the journal and would block every
	// later send: settle it against the chain first, as a restart would.
	if rc, ok := w.s.seam().(hedge.Reconciler); w.reconcile && ok {
		summary, n, err := rc.Reconcile(w.s.ctx)
		if err != nil {
			w.fail("reconcile", fmt.Errorf("block %d: %w", block, err))
			return
		}
		w.reconcile = false
		if n > 0 {
			w.log.Info("journal reconciled", "block", block, "summary", summary)
			return // the snapshot may predate what was just settled: replan on the next head
		}
	}
	// Transactions of ours (or a parallel `hedge`) still pending make this
	// snapshot stale: wait for them. A node behind the journal refuses.
	if err := w.eng.Fresh(w.s.ctx, c); err != nil {
		var st *hedge.StaleError
		if errors.As(err, &st) && st.Pending {
			w.log.Warn("cycle: the margin account has pending transactions; waiting for them before acting", "block", block)
			return
		}
		w.refuse(block, err)
		return
	}
	if err := w.eng.Check(c); err != nil {
		var se *engine.StepError
		if errors.As(err, &se) {
			err = fmt.Errorf("step %d (%s) %s; nothing sent", se.Index+1, describe(se.Step), se.Err)
		}
		w.refuse(block, err)
		return
	}
	for _, sp := range c.Splits {
		w.log.Info("split", "block", block, "asset", sp.Order.Asset, "size", sp.Order.SizeDelta.String(), "parts", sp.Parts,
			"max_trade_notional", w.s.tx.caps.MaxTradeNotional.String())
	}
	sent := 0
	_, err = w.eng.Submit(w.s.ctx, c, engine.Hooks{
		Before: func(i, n int, a hedge.Step) bool {
			if w.stop.Err() != nil {
				w.log.Info("stopping: remaining actions left to the next run", "sent", sent, "left", n-i)
				return false
			}
			w.log.Info("sending", "block", block, "step", i+1, "of", n, "kind", string(a.Kind), "asset", a.Asset, "action", describe(a))
			return true
		},
		After: func(i int, a hedge.Step, sub hedge.Submission, _ *hedge.Settlement) {
			sent++
			w.m.action(a.Kind)
			w.log.Info("mined", "block", block, "kind", string(a.Kind), "intent", string(a.Intent), "asset", a.Asset, "tx", sub.Tx, "action", describe(a))
			w.alerts.send(alert{Event: "action", Block: block, Kind: string(a.Kind), Intent: string(a.Intent), Asset: a.Asset, Description: describe(a), Tx: sub.Tx})
		},
	})
	if err != nil {
		w.fail("apply", fmt.Errorf("block %d: %w", block, err))
		w.reconcile = w.s.journal != nil
		// A mined revert moved the head and the nonce too.
		if se := (*engine.SendError)(nil); errors.As(err, &se) && se.Reverted != nil {
			sent++
		}
	}
	if sent > 0 {
		w.novel("")
		w.markOwnHead()
	}
}

// autoClaim claims the venue's claimables in a cycle with no trade when
// they are worth it (engine.PlanAutoClaim); it says whether it did (or, in
// --dry-run, would have).
func (w *watcher) autoClaim(block uint64, snap *hedge.Snapshot) bool {
	c := &engine.Cycle{Snap: snap}
	ctx, cancel := context.WithTimeout(w.s.ctx, 60*time.Second)
	defer cancel()
	d, err := w.eng.PlanAutoClaim(ctx, c)
	if err != nil {
		w.fail("claim", fmt.Errorf("block %d: %w", block, err))
		return false
	}
	if !d.Claim {
		if len(snap.Claimables) > 0 {
			w.log.Debug("not claiming", "block", block, "reason", d.Reason)
		}
		return false
	}
	args := []any{"block", block, "value_usd", d.ValueUSD.StringFixed(2), "gas", d.Gas, "gas_usd", d.GasUSD.StringFixed(4), "reason", d.Reason}
	if w.cfg.dryRun {
		w.log.Info("dry-run: would claim", args...)
		w.alerts.send(alert{Event: "dry_run_action", Block: block, Kind: string(hedge.StepClaim), Intent: string(hedge.IntentClaim), Description: d.Reason})
		return true
	}
	if err := w.eng.Fresh(ctx, c); err != nil {
		w.log.Warn("claim: state not fresh; retrying at a later head", "block", block, "err", oneLine(err))
		return false
	}
	w.log.Info("claiming", args...)
	res, err := w.eng.Submit(ctx, c, engine.Hooks{})
	for i, st := range res.Steps {
		w.m.action(st.Kind)
		w.log.Info("mined", "block", block, "kind", string(st.Kind), "intent", string(st.Intent), "tx", res.Submissions[i].Tx, "action", describe(st))
		w.alerts.send(alert{Event: "action", Block: block, Kind: string(st.Kind), Intent: string(st.Intent), Description: describe(st), Tx: res.Submissions[i].Tx})
	}
	if err != nil {
		w.fail("claim", fmt.Errorf("block %d: %w", block, err))
		w.reconcile = w.s.journal != nil
	}
	if len(res.Steps) > 0 {
		w.markOwnHead()
	}
	return true
}

// betaRefresh is how much chain time a beta estimate is reused for.
const betaRefresh = time.Hour

// markOwnHead makes heads older than the one now on chain (which includes
// our last receipt) be skipped: planning from them would repeat what was
// just done.
func (w *watcher) markOwnHead() {
	hctx, cancel := context.WithTimeout(w.s.ctx, 15*time.Second)
	defer cancel()
	h, err := w.s.client.Head(hctx)
	if err != nil {
		w.fail("head", err)
		return
	}
	w.minHead = h.Number.Uint64()
}

func (w *watcher) refuse(block uint64, err error) {
	w.m.errors.Inc()
	msg := oneLine(err)
	w.log.Warn("refused", "block", block, "reason", msg)
	if w.novel(msg) {
		w.alerts.send(alert{Event: "refusal", Block: block, Error: msg})
	}
}

// raise logs, counts and posts each alert when it appears, and notes when
// it clears: a condition that lasts many blocks is one alert, not one per
// block.
func (w *watcher) raise(block uint64, alerts []hedge.Alert) {
	now := map[string]hedge.Alert{}
	for _, a := range alerts {
		k := a.Asset + "/" + string(a.Kind)
		now[k] = a
		if _, ok := w.active[k]; ok {
			continue
		}
		w.m.alertRaised(a)
		w.log.Warn("risk alert", "block", block, "asset", a.Asset, "kind", a.Kind, "message", a.Message)
		w.alerts.send(alert{Event: "risk_alert", Block: block, Kind: string(a.Kind), Asset: a.Asset, Description: a.Message})
	}
	for k, a := range w.active {
		if _, ok := now[k]; ok {
			continue
		}
		w.m.alertCleared(a)
		w.log.Info("risk alert cleared", "block", block, "asset", a.Asset, "kind", a.Kind)
		w.alerts.send(alert{Event: "risk_alert_cleared", Block: block, Kind: string(a.Kind), Asset: a.Asset, Description: a.Message})
	}
	w.active = now
}

func (w *watcher) logAssets(block uint64, plan *hedge.Plan, dec hedge.RiskDecision, steps int) {
	// A gate is a warning when it starts, then a debug line per block while
	// it lasts.
	gates := map[string]string{}
	for _, r := range dec.Assets {
		if r.Gate == "" {
			continue
		}
		gates[r.Asset] = r.Gate
		lvl := slog.LevelWarn
		if _, was := w.gates[r.Asset]; was {
			lvl = slog.LevelDebug // its reason changing comes with a new risk alert
		}
		w.log.Log(context.Background(), lvl, "risk gate: not trading", "block", block, "asset", r.Asset, "reason", r.Gate)
	}
	for a := range w.gates {
		if _, ok := gates[a]; !ok {
			w.log.Info("risk gate lifted", "block", block, "asset", a)
		}
	}
	w.gates = gates
	for _, a := range plan.Assets {
		args := []any{"block", block, "asset", a.Asset, "spot", amt(a.SpotAmount), "exposure_usd", usd(a.Exposure),
			"short", amt(a.CurrentSize), "target", amt(a.TargetSize), "drift", spct(a.Drift), "within_band", a.WithinBand}
		if a.Note != "" {
			args = append(args, "note", a.Note)
		}
		w.log.Debug("asset", args...)
	}
	w.log.Info("cycle", "block", block, "actions", steps, "decision", summarize(plan))
}

func summarize(plan *hedge.Plan) string {
	var parts []string
	for _, a := range plan.Assets {
		d := "hold"
		if !a.WithinBand {
			d = "rebalance"
		}
		parts = append(parts, fmt.Sprintf("%s short %s target %s drift %s %s", a.Asset, amt(a.CurrentSize), amt(a.TargetSize), spct(a.Drift), d))
	}
	return strings.Join(parts, "; ")
}

// watchOnlySigner names the margin account for estimates in --dry-run; it
// refuses to sign.
type watchOnlySigner common.Address

func (a watchOnlySigner) Address() common.Address { return common.Address(a) }
func (a watchOnlySigner) SignTx(context.Context, *types.Transaction, *big.Int) (*types.Transaction, error) {
	return nil, errors.New("--dry-run: watch-only, nothing is signed")
}

var _ chain.Signer = watchOnlySigner{}

// ----------------------------------------------------------------- alerts

type alert struct {
	Event       string    `json:"event"` // action, dry_run_action, refusal, error, risk_alert, risk_alert_cleared
	Time        time.Time `json:"time"`
	Block       uint64    `json:"block,omitempty"`
	Kind        string    `json:"kind,omitempty"`
	Intent      string    `json:"intent,omitempty"`
	Asset       string    `json:"asset,omitempty"`
	Description string    `json:"description,omitempty"`
	Tx          string    `json:"tx,omitempty"`
	Stage       string    `json:"stage,omitempty"`
	Error       string    `json:"error,omitempty"`
}

// alerter POSTs alerts as JSON from one goroutine, so a slow webhook never
// holds up a cycle. Failures are logged, never fatal.
type alerter struct {
	hook func(alert) // optional: sees every alert, synchronously
	url  string
	log  *slog.Logger
	q    chan alert
	done chan struct{}
	hc   *http.Client
}

func newAlerter(url string, log *slog.Logger) *alerter {
	a := &alerter{url: url, log: log}
	if url == "" {
		return a
	}
	a.q, a.done, a.hc = make(chan alert, 256), make(chan struct{}), &http.Client{Timeout: 5 * time.Second}
	go func() {
		defer close(a.done)
		for al := range a.q {
			a.post(al)
		}
	}()
	return a
}

func (a *alerter) send(al alert) {
	al.Time = time.Now().UTC()
	if a.hook != nil {
		a.hook(al)
	}
	if a.q == nil {
		return
	}
	select {
	case a.q <- al:
	default:
		a.log.Warn("alert webhook queue full; alert dropped", "event", al.Event)
	}
}

func (a *alerter) post(al alert) {
	body, _ := json.Marshal(al)
	resp, err := a.hc.Post(a.url, "application/json", bytes.NewReader(body))
	if err != nil {
		a.log.Warn("alert webhook failed", "event", al.Event, "err", oneLine(err))
		return
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		a.log.Warn("alert webhook refused", "event", al.Event, "status", resp.Status)
	}
}

// close flushes queued alerts for at most d.
func (a *alerter) close(d time.Duration) {
	if a.q == nil {
		return
	}
	close(a.q)
	select {
	case <-a.done:
	case <-time.After(d):
		a.log.Warn("alert webhook: gave up flushing queued alerts")
	}
}

// headSnapshotter is a venue that reads its snapshot at a given head (both
// adapters do; watch pins each cycle to the head it was told of).
type headSnapshotter interface {
	SnapshotAt(ctx context.Context, head *types.Header) (*hedge.Snapshot, error)
}
