// Package engine runs one hedging cycle for any venue behind the hedge.Venue
// seam: read → risk → plan → caps → compile → freshness → submit → settle.
// Both `hedger hedge` (one cycle) and `hedger watch` (one per head) use it,
// so the checks between planning and sending exist once.
package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

// Engine holds what a hedger process carries from cycle to cycle: the risk
// state (cooldown clock, funding hysteresis), the previous snapshot (to see
// a frozen funding index) and the beta estimates. Trade sizes always come
// from a fresh snapshot, so a new Engine (a restart) is safe: pending orders
// are in the snapshot, not here.
type Engine struct {
	Venue    hedge.Venue
	Policies hedge.Policies
	// Caps are the notional caps; UsedToday, when set, says what the daily
	// cap has spent in the 24 hours before now (from the journal). A nil
	// UsedToday with a daily cap counts nothing spent.
	Caps      hedge.Caps
	UsedToday func(now time.Time) (decimal.Decimal, error)
	// ApproveMax asks a MaxApprover venue for unlimited approvals.
	ApproveMax bool
	// AllowPartial lets a plan hedge less than asked when collateral is short.
	AllowPartial bool
	// Settle makes Submit wait for a pending order's outcome (one-shot
	// commands); watch leaves it to the next cycle's snapshot.
	Settle bool
	// BetaRefresh is how much chain time beta estimates are reused for (0:
	// every cycle).
	BetaRefresh time.Duration
	// Spot, when set, reads the wallets on other chains than the venue's
	// each cycle (hedge/spot); its holdings join the snapshot's.
	Spot hedge.SpotSource
	// NoStatus leaves Cycle.Status empty, for a caller that never shows it
	// (the backtest): assessing every asset again costs about as much as
	// planning it.
	NoStatus bool

	// Designate, when set, runs once before the first step of a cycle is
	// sent (after the freshness check): it records the hedging intent of
	// the cycle's plan (designations, hedge/record). An error sends nothing.
	Designate func(ctx context.Context, c *Cycle) error

	// Claim says when PlanAutoClaim claims (watch).
	Claim ClaimPolicy

	Risk hedge.RiskState
	Prev *hedge.Snapshot

	claimSent *sentClaim

	checked hedge.CheckedPolicies // e.Policies, validated

	betas     map[string]hedge.BetaEstimate
	betasAt   time.Time
	betasRead bool
	scratch   hedge.Snapshot
	fresh     struct {
		ok    bool
		block uint64
	}
}

// Cycle is one pass: what was read, decided and compiled.
type Cycle struct {
	Snap   *hedge.Snapshot
	Dec    hedge.RiskDecision
	Plan   *hedge.Plan
	Alerts []hedge.Alert
	// Status is the per-asset assessment under each asset's own policy
	// (cross-asset hedges included), for status and metrics; its targets
	// and drift are replaced by the plan's, so metrics show what the plan
	// decided on.
	Status []hedge.AssetStatus
	// Steps are the venue's transactions for Plan.Orders (after the caps),
	// Gas their estimates when the venue estimates.
	Steps []hedge.Step
	Gas   []hedge.Estimate
	// Splits are trades the per-transaction cap split.
	Splits []Split
	// Refused is why the caps refused the plan; Steps then show what was
	// refused and Submit sends nothing.
	Refused error
	// WindowErr: the rolling funding window could not be read (only the
	// current rate is checked then). BetaErr: an auto beta could not be
	// estimated (its hedge market holds).
	WindowErr, BetaErr error
	// Spot is what Engine.Spot read, per chain; its holdings are in
	// Snap.Holdings too.
	Spot []hedge.SpotRead
}

// SpotError is a cycle that could not read some spot chain: the exposure
// is unknown, so nothing is planned (never a hedge of part of it).
type SpotError struct{ Err error }

func (e *SpotError) Error() string {
	return e.Err.Error() + "; nothing planned or sent (a hedge of part of the exposure would be wrong)"
}

func (e *SpotError) Unwrap() error { return e.Err }

// Split is one order cut into Parts by the per-transaction cap.
type Split struct {
	Order hedge.Order
	Parts int
}

// Read snapshots the venue (or takes snap, already read at a chosen head)
// and fills the funding window and betas through the venue's capabilities.
func (e *Engine) Read(ctx context.Context, snap *hedge.Snapshot) (*Cycle, error) {
	if snap == nil {
		var err error
		if snap, err = e.Venue.Snapshot(ctx); err != nil {
			return nil, err
		}
	}
	c := &Cycle{Snap: snap}
	if e.Spot != nil {
		reads, err := e.Spot.ReadSpot(ctx)
		if err != nil {
			return nil, &SpotError{Err: err}
		}
		for _, r := range reads {
			snap.Holdings = append(snap.Holdings, r.Holdings...)
		}
		c.Spot = reads
		// An asset held on a spot chain that the venue's chain cannot
		// price takes the spot chain's feed, or leaves the exposure unknown.
		if err := hedge.ApplySpotPrices(snap, reads); err != nil {
			return nil, &SpotError{Err: err}
		}
	}
	if ch, ok := e.Venue.(hedge.CarryHistory); ok {
		c.WindowErr = ch.FillCarryWindow(ctx, snap, func(a string) time.Duration { return e.Policies.For(a).FundingWindow })
	}
	c.BetaErr = e.fillBetas(ctx, snap)
	return c, nil
}

func (e *Engine) fillBetas(ctx context.Context, snap *hedge.Snapshot) error {
	be, ok := e.Venue.(hedge.BetaEstimator)
	if !ok {
		return nil
	}
	var err error
	if !e.betasRead || e.BetaRefresh == 0 || snap.Time.Sub(e.betasAt) >= e.BetaRefresh || snap.Time.Before(e.betasAt) {
		// The estimator fills a scratch snapshot of the holdings and
		// markets; it is the engine's own, reused (and emptied) every cycle.
		e.scratch = hedge.Snapshot{Holdings: snap.Holdings, Markets: snap.Markets}
		err = be.EstimateBetas(ctx, &e.scratch, e.Policies)
		e.betas, e.betasAt, e.betasRead = e.scratch.Betas, snap.Time, true
		e.scratch = hedge.Snapshot{}
	}
	if len(e.betas) > 0 {
		snap.Betas = e.betas
	}
	return err
}

// Plan runs the risk layer and the planner on c.Snap, then the caps, and
// compiles the orders into the venue's steps with their estimates. The
// daily cap refuses the whole plan (*hedge.CapError) before anything is
// sent. The risk state advances (as a watch cycle's does) unless c is a
// close plan.
func (e *Engine) Plan(ctx context.Context, c *Cycle) error {
	// The policy is validated once and again only when it changes: the
	// check costs as much as a tenth of a plan.
	if !e.checked.Same(e.Policies) {
		ck, err := hedge.CheckPolicies(e.Policies)
		if err != nil {
			return err
		}
		e.checked = ck
	}
	dec, err := hedge.EvaluateRiskChecked(c.Snap, e.Prev, e.checked, e.Risk)
	if err != nil {
		return err
	}
	plan, alerts, err := hedge.ApplyRiskChecked(c.Snap, e.checked, dec)
	if err != nil {
		return err
	}
	c.Dec, c.Plan, c.Alerts = dec, plan, alerts
	e.Prev, e.Risk = c.Snap, dec.Next
	if !e.NoStatus {
		e.assess(c)
	}
	return e.finish(ctx, c)
}

// PlanClose plans closing the positions of assets (all when empty) with p's
// slippage, then caps and compiles it like Plan.
func (e *Engine) PlanClose(ctx context.Context, c *Cycle, p hedge.Policy, assets []string) error {
	return e.PlanWith(ctx, c, func(s *hedge.Snapshot) (*hedge.Plan, error) { return hedge.ClosePlan(s, p, assets) })
}

// PlanWith plans with build instead of the risk layer (the plain planner,
// a close), then caps and compiles it like Plan. The risk state is left
// as it is.
func (e *Engine) PlanWith(ctx context.Context, c *Cycle, build func(*hedge.Snapshot) (*hedge.Plan, error)) error {
	plan, err := build(c.Snap)
	if err != nil {
		return err
	}
	c.Plan = plan
	return e.finish(ctx, c)
}

// PlanClaim compiles the claim of c.Snap's claimables through the venue's
// Claimer; ok is false when the venue has none.
func (e *Engine) PlanClaim(c *Cycle) (ok bool, err error) {
	cl, ok := e.Venue.(hedge.Claimer)
	if !ok {
		return false, nil
	}
	c.Plan = &hedge.Plan{Block: c.Snap.Block}
	c.Steps, err = cl.Claim(c.Snap)
	return true, err
}

// assess fills c.Status from the per-asset policies and overlays the
// plan's own short, target and drift, so what metrics report is what the
// plan acted on.
func (e *Engine) assess(c *Cycle) {
	st, err := hedge.AssessPolicies(c.Snap, e.Policies)
	if err != nil {
		return
	}
	byAsset := map[string]hedge.AssetPlan{}
	for _, a := range c.Plan.Assets {
		byAsset[a.Asset] = a
	}
	for i, a := range st {
		if ap, ok := byAsset[a.Asset]; ok {
			st[i].TargetSize, st[i].Drift, st[i].WithinBand = ap.TargetSize, ap.Drift, ap.WithinBand
		}
	}
	c.Status = st
}

// ErrNoAccount is a plan that would trade from a read-only session.
var ErrNoAccount = errors.New("the plan needs a margin account: pass a signer or --from")

func (e *Engine) finish(ctx context.Context, c *Cycle) error {
	if len(c.Plan.Orders) > 0 && c.Snap.Account == "" {
		return ErrNoAccount
	}
	orders, err := e.capOrders(c)
	if err != nil {
		// Shown as planned (what the cap refuses), never sent.
		c.Refused = err
		if steps, cerr := e.Venue.Compile(c.Snap, c.Plan.Orders); cerr == nil {
			c.Steps = steps
		}
		return err
	}
	c.Plan.Orders = orders
	steps, err := e.Venue.Compile(c.Snap, orders)
	if err != nil {
		return err
	}
	if ma, ok := e.Venue.(hedge.MaxApprover); ok && e.ApproveMax {
		// Shown and estimated as it will be signed: unlimited.
		for i := range steps {
			if out, ok := ma.ApproveMax(steps[i]); ok {
				steps[i] = out
			}
		}
	}
	c.Steps = steps
	if est, ok := e.Venue.(hedge.Estimator); ok && len(steps) > 0 {
		if c.Gas, err = est.Estimate(ctx, steps); err != nil {
			return err
		}
	}
	return nil
}

// capOrders applies the daily cap to the whole plan, then splits trades
// above the per-transaction cap.
func (e *Engine) capOrders(c *Cycle) ([]hedge.Order, error) {
	caps := e.Caps
	orders := c.Plan.Orders
	if caps.MaxDailyNotional.IsPositive() && len(orders) > 0 {
		if e.UsedToday != nil {
			used, err := e.UsedToday(time.Now())
			if err != nil {
				return nil, err
			}
			caps.UsedToday = used
		}
		if _, err := caps.Apply(orders); err != nil {
			return nil, fmt.Errorf("%w (--max-daily-notional)", err)
		}
	}
	if !caps.MaxTradeNotional.IsPositive() {
		return orders, nil
	}
	per := hedge.Caps{MaxTradeNotional: caps.MaxTradeNotional}
	var out []hedge.Order
	for _, o := range orders {
		parts, err := per.Apply([]hedge.Order{o})
		if err != nil {
			return nil, fmt.Errorf("%w (--max-trade-notional)", err)
		}
		if len(parts) > 1 {
			c.Splits = append(c.Splits, Split{Order: o, Parts: len(parts)})
		}
		out = append(out, parts...)
	}
	return out, nil
}

// InsufficientMarginError is a plan that hedges less than asked because
// collateral is short, refused unless AllowPartial.
type InsufficientMarginError struct {
	Asset     string
	Shortfall decimal.Decimal
	Symbol    string
	Account   string
}

func (e *InsufficientMarginError) Error() string {
	return fmt.Sprintf("insufficient margin: hedging %s needs %s more %s in %s at this leverage cap; nothing sent (fund it, lower --hedge-ratio, raise --max-leverage, or pass --allow-partial)",
		e.Asset, e.Shortfall.StringFixed(2), e.Symbol, e.Account)
}

// StepError is a step the estimate says would fail; nothing was sent.
type StepError struct {
	Index int
	Step  hedge.Step
	Err   string
}

func (e *StepError) Error() string {
	return fmt.Sprintf("step %d %s; nothing sent", e.Index+1, e.Err)
}

// Check refuses, before anything is sent, a plan the margin cannot carry
// (unless AllowPartial) or a step the estimate says would revert. It runs
// for empty plans too: a margin account that cannot carry any short plans
// nothing, and that must not read as "nothing to do".
func (e *Engine) Check(c *Cycle) error {
	if c.Refused != nil {
		return c.Refused
	}
	for _, a := range c.Plan.Assets {
		if a.Shortfall.IsPositive() && !e.AllowPartial {
			return &InsufficientMarginError{Asset: a.Asset, Shortfall: a.Shortfall, Symbol: c.Snap.CollateralSymbol, Account: c.Snap.Account}
		}
	}
	for i, g := range c.Gas {
		if g.Err != "" && i < len(c.Steps) {
			return &StepError{Index: i, Step: c.Steps[i], Err: g.Err}
		}
	}
	return nil
}

// Fresh asks the venue whether c's state is still current for the account
// (once per plan block: a plan's own earlier steps are newer than its
// snapshot). An error refuses the plan; a *hedge.StaleError says to retry
// from a newer state.
func (e *Engine) Fresh(ctx context.Context, c *Cycle) error {
	fc, ok := e.Venue.(hedge.FreshnessChecker)
	if c.Refused != nil {
		return c.Refused
	}
	if !ok || len(c.Steps) == 0 {
		return nil
	}
	if e.fresh.ok && e.fresh.block == c.Plan.Block {
		return nil
	}
	if err := fc.CheckFresh(ctx, c.Plan.Block); err != nil {
		return err
	}
	e.fresh.ok, e.fresh.block = true, c.Plan.Block
	return nil
}

// Hooks let a caller report and interrupt a submission.
type Hooks struct {
	// Before is called before step i of n; returning false stops there
	// (shutdown), leaving the rest to the next run.
	Before func(i, n int, st hedge.Step) bool
	// After is called once step i was submitted (and settled, when the
	// engine waits).
	After func(i int, st hedge.Step, sub hedge.Submission, set *hedge.Settlement)
}

// Result is what Submit sent.
type Result struct {
	Submissions []hedge.Submission
	Steps       []hedge.Step // the steps submitted, in order
	Settlements []hedge.Settlement
}

// SendError is a step that failed after Sent steps went out. Sent counts
// the failed step itself when its transaction was mined and reverted
// (Reverted set): it used a nonce and paid gas.
type SendError struct {
	Index, Total, Sent int
	Err                error
	Reverted           *hedge.RevertedError
	Step               hedge.Step
}

func (e *SendError) Error() string {
	if r := e.Reverted; r != nil {
		what := strings.TrimSpace(string(e.Step.Kind) + " " + e.Step.Asset)
		return fmt.Sprintf("step %d/%d (%s) was sent and mined in block %d, and reverted (transaction %s; %d of %d steps sent): %s",
			e.Index+1, e.Total, what, r.Block, r.Tx, e.Sent, e.Total, r.Reason)
	}
	return fmt.Sprintf("step %d/%d failed after %d sent: %v", e.Index+1, e.Total, e.Sent, e.Err)
}

// sendError builds the SendError of step i, counting a mined revert as sent.
func sendError(i, total, sent int, st hedge.Step, err error) *SendError {
	se := &SendError{Index: i, Total: total, Sent: sent, Err: err, Step: st}
	if errors.As(err, &se.Reverted) {
		se.Sent++
	}
	return se
}

func (e *SendError) Unwrap() error { return e.Err }

// CancelledError is an order the venue's keeper cancelled; the next cycle
// replans from the venue's state.
type CancelledError struct{ Settlement hedge.Settlement }

func (e *CancelledError) Error() string {
	return fmt.Sprintf("order %s was cancelled: %s; the next run replans", e.Settlement.Ref, e.Settlement.Reason)
}

// Submit sends c's steps in order: the freshness check first (every other
// check read the plan's state, which may be stale), then each step, stopping
// at the first failure (later steps depend on earlier ones; the next run
// replans from the venue). The cooldown clock restarts for every asset a
// submitted step acted on.
//
// On an asynchronous venue (a Settler, with e.Settle) the orders of several
// markets go out together and are waited for as a lot, under one settle
// bound (SettleBounder) rather than one per order: a slow keeper costs one
// wait per run, not one per market. A step on a market whose order is still
// in flight first waits for it, so one market never has two orders in
// flight, and what follows a cancelled order (planned on its fill) is not
// sent.
func (e *Engine) Submit(ctx context.Context, c *Cycle, h Hooks) (res Result, err error) {
	if c.Refused != nil {
		return res, c.Refused
	}
	if len(c.Steps) == 0 {
		return res, nil
	}
	if err := e.Fresh(ctx, c); err != nil {
		return res, err
	}
	if e.Designate != nil {
		if err := e.Designate(ctx, c); err != nil {
			return res, fmt.Errorf("recording the designation of hedging intent (nothing sent): %w", err)
		}
	}
	settler, async := e.Venue.(hedge.Settler)
	defer func() {
		e.noteClaim(c, res.Steps, err)
		var acted []hedge.Order
		for _, st := range res.Steps {
			if st.Asset != "" {
				acted = append(acted, hedge.Order{Asset: st.Asset})
			}
		}
		e.Risk = e.Risk.Recorded(&hedge.Plan{Orders: acted}, c.Snap.Time)
	}()
	// inFlight are submitted orders not waited for yet, in submission order.
	type sent struct {
		i   int
		st  hedge.Step
		sub hedge.Submission
	}
	var inFlight []sent
	// settleLot waits for every order in flight under one bound; each gets
	// its After once settled (or once the wait failed: it was sent). The
	// first failure is returned after all were looked at.
	settleLot := func() error {
		lot := inFlight
		inFlight = nil
		if len(lot) == 0 {
			return nil
		}
		lctx := ctx
		if b, ok := e.Venue.(SettleBounder); ok && b.SettleBound() > 0 {
			var cancel context.CancelFunc
			lctx, cancel = context.WithTimeout(ctx, b.SettleBound())
			defer cancel()
		}
		var first error
		for _, o := range lot {
			s, err := settler.Settle(lctx, o.sub.Ref)
			if err != nil {
				if first == nil {
					first = &SendError{Index: o.i, Total: len(c.Steps), Sent: len(res.Submissions), Err: err}
				}
				if h.After != nil {
					h.After(o.i, o.st, o.sub, nil)
				}
				continue
			}
			res.Settlements = append(res.Settlements, s)
			if h.After != nil {
				h.After(o.i, o.st, o.sub, &s)
			}
			if s.Status == hedge.OrderCancelled && first == nil {
				first = &CancelledError{Settlement: s}
			}
		}
		return first
	}
	for i, st := range c.Steps {
		for _, o := range inFlight {
			if o.st.Asset == st.Asset || st.Asset == "" {
				// Never a second order in flight on one market; a shared
				// step waits for all.
				if err := settleLot(); err != nil {
					return res, err
				}
				break
			}
		}
		if h.Before != nil && !h.Before(i, len(c.Steps), st) {
			break
		}
		sub, err := e.Venue.Submit(ctx, st)
		if err != nil {
			// The orders already out are still waited for (their outcomes
			// reach After); the failure to send is what this run reports.
			serr := sendError(i, len(c.Steps), len(res.Submissions), st, err)
			_ = settleLot()
			return res, serr
		}
		res.Submissions, res.Steps = append(res.Submissions, sub), append(res.Steps, st)
		if sub.Pending && async && e.Settle {
			inFlight = append(inFlight, sent{i: i, st: st, sub: sub})
			continue
		}
		if h.After != nil {
			h.After(i, st, sub, nil)
		}
	}
	return res, settleLot()
}

// SettleBounder is a Settler whose Settle waits at most SettleBound for an
// order (0: until the context ends); the engine waits for a lot of orders
// under one such bound.
type SettleBounder interface {
	SettleBound() time.Duration
}

// Gated says which assets a risk gate kept from a trade they needed.
func (c *Cycle) Gated() []string {
	var out []string
	for _, a := range c.Dec.Assets {
		if a.Gate == "" {
			continue
		}
		for _, ap := range c.Plan.Assets {
			if ap.Asset == a.Asset && !ap.WithinBand {
				out = append(out, a.Asset+": "+a.Gate)
			}
		}
	}
	return out
}
