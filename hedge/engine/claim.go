package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

// Defaults of ClaimPolicy.
var (
	// DefaultClaimMultiple: claim when the claimables are worth at least
	// 10 × the claim's gas cost (gas is then at most a tenth of the value).
	DefaultClaimMultiple = decimal.NewFromInt(10)
	// DefaultClaimMinUSD: never claim less than this, whatever gas costs.
	DefaultClaimMinUSD = decimal.NewFromInt(5)
)

// DefaultClaimRetry is how long (chain time) a claim that was sent and not
// seen landing blocks the next one (a reverted claim is not retried every
// block).
const DefaultClaimRetry = time.Hour

// ClaimPolicy says when a cycle collects the venue's claimables by itself
// (watch): when they are worth at least Multiple × the claim's gas cost in
// USD and at least MinUSD. Zero fields take the defaults.
type ClaimPolicy struct {
	Off      bool
	Multiple decimal.Decimal
	MinUSD   decimal.Decimal
	Retry    time.Duration
}

func (p ClaimPolicy) multiple() decimal.Decimal {
	if p.Multiple.IsPositive() {
		return p.Multiple
	}
	return DefaultClaimMultiple
}

func (p ClaimPolicy) minUSD() decimal.Decimal {
	if p.MinUSD.IsPositive() {
		return p.MinUSD
	}
	return DefaultClaimMinUSD
}

func (p ClaimPolicy) retry() time.Duration {
	if p.Retry > 0 {
		return p.Retry
	}
	return DefaultClaimRetry
}

// ClaimDecision is whether a cycle claims, and the figures it weighed.
type ClaimDecision struct {
	Claim    bool
	ValueUSD decimal.Decimal // claimables at the snapshot's prices
	GasUSD   decimal.Decimal // the claim's estimated gas cost
	Gas      uint64
	Reason   string // one line: why (not)
}

// sentClaim is a claim Submit sent: until a snapshot shows the claimables
// below what they were then (it landed), or Retry of chain time passed, no
// other is planned.
type sentClaim struct {
	at    time.Time
	value decimal.Decimal
}

// ClaimablesUSD values s's claimables: "USD" ones at par, the others at
// their market's index price. One with no price counts zero (a claim is
// never decided on a value that cannot be shown).
func ClaimablesUSD(s *hedge.Snapshot) decimal.Decimal {
	total := decimal.Zero
	for _, c := range s.Claimables {
		if c.Asset == "USD" {
			total = total.Add(c.Amount)
			continue
		}
		if m, ok := s.Markets[c.Asset]; ok && m.IndexPrice.IsPositive() {
			total = total.Add(c.Amount.Mul(m.IndexPrice))
		}
	}
	return total
}

// PlanAutoClaim decides, under e.Claim, whether c.Snap's claimables are
// worth claiming now and, when they are, compiles the claim into c.Steps
// (with its estimates in c.Gas) for Submit. A claim already sent and not
// yet seen landing is never repeated. The gas cost is the venue's estimate
// × its current fee (GasCoster); a venue without a GasCoster counts no
// gas, so only MinUSD applies.
func (e *Engine) PlanAutoClaim(ctx context.Context, c *Cycle) (ClaimDecision, error) {
	var d ClaimDecision
	p := e.Claim
	cl, ok := e.Venue.(hedge.Claimer)
	if p.Off || !ok {
		d.Reason = "automatic claims off or not offered by the venue"
		return d, nil
	}
	d.ValueUSD = ClaimablesUSD(c.Snap)
	if sc := e.claimSent; sc != nil {
		if d.ValueUSD.LessThan(sc.value) || !c.Snap.Time.Before(sc.at.Add(p.retry())) {
			e.claimSent = nil
		} else {
			d.Reason = fmt.Sprintf("a claim of %s USD sent at %s has not landed yet", sc.value.StringFixed(2), sc.at.Format(time.RFC3339))
			return d, nil
		}
	}
	if len(c.Snap.Claimables) == 0 {
		d.Reason = "nothing to claim"
		return d, nil
	}
	if d.ValueUSD.LessThan(p.minUSD()) {
		d.Reason = fmt.Sprintf("claimables worth %s USD, below the minimum %s USD", d.ValueUSD.StringFixed(2), p.minUSD())
		return d, nil
	}
	steps, err := cl.Claim(c.Snap)
	if err != nil {
		return d, err
	}
	if len(steps) == 0 {
		d.Reason = "nothing to claim"
		return d, nil
	}
	var gas []hedge.Estimate
	if est, ok := e.Venue.(hedge.Estimator); ok {
		if gas, err = est.Estimate(ctx, steps); err != nil {
			return d, err
		}
		for _, g := range gas {
			if g.Err != "" {
				d.Reason = "the claim " + g.Err
				return d, nil
			}
			d.Gas += g.Gas
		}
	}
	d.GasUSD = decimal.Zero
	if gc, ok := e.Venue.(hedge.GasCoster); ok && d.Gas > 0 {
		if d.GasUSD, err = gc.GasCostUSD(ctx, c.Snap, d.Gas); err != nil {
			return d, fmt.Errorf("pricing the claim's gas: %w", err)
		}
	}
	need := d.GasUSD.Mul(p.multiple())
	if d.ValueUSD.LessThan(need) {
		d.Reason = fmt.Sprintf("claimables worth %s USD, below %s × the claim's gas cost %s USD", d.ValueUSD.StringFixed(2), p.multiple(), d.GasUSD.StringFixed(4))
		return d, nil
	}
	c.Plan = &hedge.Plan{Block: c.Snap.Block}
	c.Steps, c.Gas = steps, gas
	d.Claim = true
	d.Reason = fmt.Sprintf("claimables worth %s USD, at least %s × the claim's gas cost %s USD and the minimum %s USD",
		d.ValueUSD.StringFixed(2), p.multiple(), d.GasUSD.StringFixed(4), p.minUSD())
	return d, nil
}

// noteClaim records a claim Submit sent (or that was mined and reverted),
// so the next cycles do not send it again before it is seen landing.
func (e *Engine) noteClaim(c *Cycle, steps []hedge.Step, err error) {
	sent := false
	for _, st := range steps {
		sent = sent || st.Kind == hedge.StepClaim
	}
	if se, ok := err.(*SendError); ok && se.Reverted != nil && se.Step.Kind == hedge.StepClaim {
		sent = true
	}
	if sent {
		e.claimSent = &sentClaim{at: c.Snap.Time, value: ClaimablesUSD(c.Snap)}
	}
}
