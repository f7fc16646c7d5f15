package hedge

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge/internal/fixed"
)

// SizeDecimals is the precision of planned sizes; they are rounded toward zero
// so that dust never trades.
const SizeDecimals = 8

// divPrecision is used for every division: shopspring's default (16 places)
// rounds silently.
const divPrecision = 18

var (
	one      = decimal.NewFromInt(1)
	sizeUnit = decimal.New(1, -SizeDecimals)
	// maxTakerFee keeps the cap solver well defined: with leverage ≤ 100 the
	// margin freed by a reduction always exceeds its fee.
	maxTakerFee = decimal.RequireFromString("0.01")
)

// assetView is the figures for one asset that both the planner and the status
// derive from a snapshot.
type assetView struct {
	asset     string
	market    Market
	hasMarket bool
	pos       Position
	equity    decimal.Decimal // pos.Equity(), on a market: decide reads it twice
	spot      decimal.Decimal // whole units held
	exposure  decimal.Decimal // USD at index
	target    decimal.Decimal // short size wanted, rounded toward zero
	current   decimal.Decimal // short size now; negative when long
	drift     decimal.Decimal
	inBand    bool

	// Cross-asset hedge of an asset with no market.
	price     decimal.Decimal // its feed price
	hedgedVia string          // market asset whose short carries it
	beta      decimal.Decimal
	est       *BetaEstimate // behind an auto beta, or for display
	crossNote string        // why it is not hedged, when hedgedVia is set but nothing is added
	// missingBeta: beta = auto and no estimate; its hedge market holds.
	missingBeta bool
	// For a market: USD of other assets it hedges (ratio × beta × exposure)
	// and the part of target that carries them.
	crossUSD  decimal.Decimal
	crossSize decimal.Decimal
	// blocked, on a market, says why it must not trade: a cross-asset
	// holding it hedges has no usable beta yet, and trading without it
	// would drop that holding's part of the short.
	blocked string
}

// views returns one view per market or held asset, sorted by asset so plans
// are deterministic.
func views(s *Snapshot, p Policy) ([]assetView, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return viewsFor(nil, s, func(string) Policy { return p }, nil)
}

// viewsFor is views with a policy per asset; its callers have validated
// every policy policyFor returns (once per call, not once per asset). Assets gated by rules get no target
// instead of an error for a bad price, so one broken feed does not stop the
// other assets (the caller must not trade them). The views are appended to
// buf[:0], so that a caller which keeps none of them can offer a buffer on
// its stack: a view is large, and the planner makes them every cycle.
func viewsFor(buf []assetView, s *Snapshot, policyFor func(string) Policy, rules map[string]assetRule) ([]assetView, error) {
	if s == nil {
		return nil, errors.New("no snapshot")
	}
	spot := map[string]decimal.Decimal{}
	for _, h := range s.Holdings {
		if h.Amount.IsNegative() {
			return nil, fmt.Errorf("holding %s in %s: negative amount %s", h.Asset, h.Wallet, h.Amount)
		}
		addTo(spot, h.Asset, h.Amount)
	}
	addClaimables(s, spot)
	var assets []string
	if n := len(s.Markets) + len(spot); n > 0 {
		assets = make([]string, 0, n) // one allocation per cycle
	}
	for a := range s.Markets {
		assets = append(assets, a)
	}
	// A held asset with no market is shown only when something is held.
	// From the holdings and claimables that made spot, not a walk of the
	// map: a map walk starts at a random place, and costs the planner more
	// than the lookups.
	heldOnly := func(a string) {
		if _, ok := s.Markets[a]; !ok && spot[a].IsPositive() && !slices.Contains(assets, a) {
			assets = append(assets, a)
		}
	}
	for _, h := range s.Holdings {
		heldOnly(h.Asset)
	}
	for _, c := range s.Claimables {
		heldOnly(c.Asset)
	}
	slices.Sort(assets)

	// Cross-asset holdings first: their beta-weighted exposure adds to the
	// target of the market that hedges them.
	cross := map[string]assetView{}
	crossUSD := map[string]decimal.Decimal{}
	blocked := map[string]string{}
	for _, a := range assets {
		if _, ok := s.Markets[a]; ok {
			continue
		}
		v, err := crossView(s, a, spot[a], policyFor(a), rules)
		if err != nil {
			return nil, err
		}
		if v.hedgedVia != "" && v.crossNote == "" {
			crossUSD[v.hedgedVia] = crossUSD[v.hedgedVia].Add(v.crossUSD)
		}
		if v.missingBeta && blocked[v.hedgedVia] == "" {
			blocked[v.hedgedVia] = fmt.Sprintf("%s (hedged here, beta = auto) has no usable beta estimate; not trading %s until it has one",
				a, v.hedgedVia)
		}
		cross[a] = v
	}

	out := buf[:0]
	if cap(out) < len(assets) {
		out = make([]assetView, 0, len(assets))
	}
	for _, a := range assets {
		v := assetView{asset: a, spot: spot[a], pos: s.PositionOf(a)}
		v.market, v.hasMarket = s.Markets[a]
		v.current = neg(v.pos.Size)
		if !v.hasMarket {
			out = append(out, cross[a])
			continue
		}
		v.equity = v.pos.Equity()
		m := v.market
		p := policyFor(a)
		// Bad prices stop all trading: a plan on a broken oracle is worse than none.
		if !m.IndexPrice.IsPositive() || !m.MarkPrice.IsPositive() {
			if rules[a].gate != "" {
				v.inBand = true
				out = append(out, v)
				continue
			}
			return nil, fmt.Errorf("market %s: non-positive price", a)
		}
		if m.TakerFee.IsNegative() || cmp(m.TakerFee, maxTakerFee) >= 0 {
			return nil, fmt.Errorf("market %s: taker fee %s is outside 0..0.01", a, m.TakerFee)
		}
		v.exposure = mul(v.spot, m.IndexPrice)
		v.crossUSD, v.blocked = crossUSD[a], blocked[a]
		// q* = h · (E + Σ ratioₓ·βₓ·Eₓ) / P_mark: the market's own ratio (which
		// funding rules may lower) applies to the whole short.
		v.target = targetSize(p.HedgeRatio, v.exposure, v.crossUSD, m.MarkPrice, m.Rules.SizeStep)
		if v.crossUSD.IsPositive() {
			v.crossSize = p.HedgeRatio.Mul(v.crossUSD).DivRound(m.MarkPrice, divPrecision).Truncate(SizeDecimals)
		}
		switch {
		case v.target.IsPositive():
			v.drift = relative(v.current, v.target)
			v.inBand = cmpAbs(v.drift, p.Band) <= 0
		default:
			// Drift is undefined against a zero target; any position is out of band.
			v.inBand = v.current.IsZero()
		}
		out = append(out, v)
	}
	return out, nil
}

// addClaimables counts what the venue owes the account in an asset (GMX's
// claimable funding in WETH) as spot of that asset: it is exposure the
// short must cover. Claimables in the collateral count as money, not
// exposure.
func addClaimables(s *Snapshot, spot map[string]decimal.Decimal) {
	for _, c := range s.Claimables {
		if c.Asset == "" || c.Asset == "USD" || c.Asset == s.CollateralSymbol || !c.Amount.IsPositive() {
			continue
		}
		spot[c.Asset] = spot[c.Asset].Add(c.Amount)
	}
}

// crossView values a held asset with no market and, when its policy names a
// hedge market, the USD that market's short must add for it.
func crossView(s *Snapshot, a string, amount decimal.Decimal, p Policy, rules map[string]assetRule) (assetView, error) {
	v := assetView{asset: a, spot: amount}
	if fp, ok := s.Prices[a]; ok {
		v.price = fp.Price
	}
	if v.price.IsPositive() {
		v.exposure = amount.Mul(v.price)
	}
	with := p.HedgeWith
	if with == "" || strings.EqualFold(with, a) {
		return v, nil
	}
	v.hedgedVia = with
	m, ok := s.Markets[with]
	switch {
	case !ok:
		v.crossNote = fmt.Sprintf("hedge_with %s: no such market; not hedged", with)
		return v, nil
	case !v.price.IsPositive():
		if rules[with].gate != "" {
			v.crossNote = fmt.Sprintf("no price for %s; not hedged", a)
			return v, nil
		}
		// Dropping it would shrink the other market's short on a broken feed.
		return v, fmt.Errorf("asset %s (hedged with %s): no positive feed price", a, with)
	case !m.MarkPrice.IsPositive():
		return v, nil // the market's own check reports it
	}
	v.beta = p.Beta
	if est, ok := s.Betas[a]; ok {
		e := est
		v.est = &e
		if p.BetaAuto {
			v.beta = e.Beta
		}
	}
	if p.BetaAuto && v.est == nil {
		v.crossNote = fmt.Sprintf("beta = auto but no estimate for %s on %s; not hedged", a, with)
		v.missingBeta = true
		return v, nil
	}
	if v.beta.IsNegative() || v.beta.GreaterThan(decimal.NewFromInt(10)) {
		v.crossNote = fmt.Sprintf("beta %s outside 0..10; not hedged", v.beta)
		// An estimate out of range is as unusable as a missing one: hold the
		// hedge market rather than buy back this asset's part of its short
		// (and flap when the next estimate is back in range).
		v.missingBeta = p.BetaAuto
		return v, nil
	}
	v.crossUSD = p.HedgeRatio.Mul(v.beta).Mul(v.exposure)
	return v, nil
}

func (v *assetView) assetPlan() AssetPlan {
	ap := AssetPlan{
		Asset: v.asset, Exposure: v.exposure, SpotAmount: v.spot,
		CurrentSize: v.current, TargetSize: v.target, Drift: v.drift, WithinBand: v.inBand,
	}
	if v.crossSize.IsPositive() {
		cs := v.crossSize
		ap.CrossTargetSize = &cs
	}
	if v.hedgedVia != "" {
		ap.HedgedVia, ap.Warning = v.hedgedVia, CrossHedgeWarning
		if v.crossNote == "" {
			b := v.beta
			ap.Beta = &b
		}
		if v.est != nil {
			ap.BetaWindow = v.est.WindowText()
			rv := v.est.ResidualVol
			ap.ResidualVol = &rv
		}
	}
	return ap
}

// noMarketNote is the plan note of an asset with no market.
func (v *assetView) noMarketNote() string {
	switch {
	case v.hedgedVia == "":
		return fmt.Sprintf("no market for %s; not hedged", v.asset)
	case v.crossNote != "":
		return v.crossNote
	}
	return fmt.Sprintf("no market for %s; hedged on the %s short with beta %s (%s USD of %s)",
		v.asset, v.hedgedVia, v.beta.StringFixed(4), v.crossUSD.StringFixed(2), v.hedgedVia)
}

// BuildPlan computes the actions that take the chain from s to the policy's
// targets. It reads nothing but s, so applying its plan and planning again
// yields no actions.
func BuildPlan(s *Snapshot, p Policy) (*Plan, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return buildPlan(s, func(string) Policy { return p }, nil)
}

// assetRule is how BuildRiskPlan bends the planner for one asset; the zero
// value plans exactly as BuildPlan does.
type assetRule struct {
	gate       string          // no action at all, for this reason
	noIncrease string          // may reduce or close, but not open or increase a short
	hold       string          // no trade except a liquidation-floor reduction (cooldown)
	minTrade   decimal.Decimal // skip trades smaller than this, except closes
	liqFloor   decimal.Decimal // keep (liq − mark)/mark ≥ this after the plan; 0 = off
	// reducedForFunding: a cut of the short is IntentFundingReduce.
	reducedForFunding bool
}

func buildPlan(s *Snapshot, policyFor func(string) Policy, rules map[string]assetRule) (*Plan, error) {
	var buf [2]assetView // the usual one or two markets, on the stack
	vs, err := viewsFor(buf[:], s, policyFor, rules)
	if err != nil {
		return nil, err
	}
	if s.CollateralDecimals < 0 || s.CollateralDecimals > 36 {
		return nil, fmt.Errorf("collateral decimals %d out of range", s.CollateralDecimals)
	}
	// Deposits must be representable on chain, so only whole collateral units count.
	available := floorNonNeg(s.Collateral, s.CollateralDecimals)
	plan := &Plan{Block: s.Block, Assets: make([]AssetPlan, 0, len(vs))}
	for i := range vs {
		v := &vs[i] // a view is large: decide and its helpers read it in place
		ap := v.assetPlan()
		p, rule := policyFor(v.asset), rules[v.asset]
		pending := s.PendingOf(v.asset)
		switch {
		case !v.hasMarket:
			ap.Note = v.noMarketNote()
			ap.Unhedgeable = v.hedgedVia == "" || v.crossNote != ""
			if ap.Unhedgeable {
				// Nothing can move it: its state is "unhedgeable", not drift.
				ap.WithinBand = true
			}
		case rule.gate != "":
			ap.Note = rule.gate
		case len(pending) > 0:
			// The position alone would double the short: wait for the keeper.
			ap.Pending = len(pending)
			ap.Note = fmt.Sprintf("order %s in flight on %s; waiting for it to be executed or cancelled", pending[0].Ref, v.asset)
		case v.blocked != "":
			ap.Note = v.blocked
		case v.market.Paused:
			ap.Note = "market paused; not trading"
		default:
			d, err := decide(v, p, available, s, rule)
			if err != nil {
				return nil, err
			}
			ap.Note, ap.Shortfall = d.note, d.shortfall
			if d.deposit.IsPositive() || !d.delta.IsZero() {
				o := Order{Market: v.market.Key, Asset: v.asset, Intent: d.intent(v, rule)}
				if d.deposit.IsPositive() {
					why := fmt.Sprintf("margin for %s short", v.asset)
					switch {
					case d.depositWhy != "":
						why = d.depositWhy
					case d.delta.IsZero():
						why = fmt.Sprintf("margin top-up for %s short (leverage above cap)", v.asset)
					}
					o.CollateralDelta, o.CollateralReason, o.CollateralIntent = d.deposit, why, d.intent(v, assetRule{})
					if d.forFloor && v.current.IsPositive() {
						// Only on an open short: margin for a new one is part of the hedge.
						o.CollateralIntent = IntentTopUp
					}
					available = available.Sub(d.deposit)
				}
				if !d.delta.IsZero() {
					o.SizeDelta = d.delta.Neg()
					o.AcceptablePrice = acceptablePrice(v.market.MarkPrice, o.SizeDelta, p.MaxSlippage)
					o.CapPrice = capPrice(v.market.MarkPrice, o.SizeDelta, p.MaxSlippage)
					o.Reason = d.reason
				} else {
					o.Intent = o.CollateralIntent
				}
				plan.Orders = append(plan.Orders, o)
			}
		}
		plan.Assets = append(plan.Assets, ap)
	}
	return plan, nil
}

// intent classifies d for the journal: a trade from no position is a hedge,
// a buy on a short reduced for funding is that reduction, any other trade a
// rebalance, and margin alone a top-up.
func (d decision) intent(v *assetView, rule assetRule) Intent {
	switch {
	case d.delta.IsZero():
		return IntentTopUp
	case v.current.IsZero():
		return IntentHedge
	case rule.reducedForFunding && d.delta.IsNegative():
		return IntentFundingReduce
	}
	return IntentRebalance
}

// decision is what the planner does for one tradable asset; delta is the
// change in short size (positive = sell more).
type decision struct {
	deposit, delta decimal.Decimal
	shortfall      decimal.Decimal // collateral missing to reach the target
	reason, note   string
	depositWhy     string // overrides the default deposit reason
	forFloor       bool   // the deposit holds the liquidation floor
}

// decide applies the rule's limits to the size wanted, plans it at the
// leverage cap, then holds the liquidation floor.
func decide(v *assetView, p Policy, available decimal.Decimal, s *Snapshot, rule assetRule) (decision, error) {
	q := v.current
	desired := q
	if !v.inBand {
		desired = v.target
	}
	var notes []string
	if rule.hold != "" && !desired.Equal(q) {
		desired = q
		notes = append(notes, rule.hold)
	}
	// Closing a long is allowed at a discount; only new short exposure is not.
	if limit := decimal.Max(q, decimal.Zero); rule.noIncrease != "" && cmp(desired, limit) > 0 {
		desired = limit
		notes = append(notes, rule.noIncrease)
	}
	minTrade := decimal.Max(rule.minTrade, v.market.Rules.MinSize)
	dl := sizeDelta(q, desired, v.market.Rules.SizeStep)
	if !dl.IsZero() && !desired.IsZero() && cmpAbs(dl, minTrade) < 0 {
		desired = q
		notes = append(notes, fmt.Sprintf("trade of %s %s below minimum %s; skipped", dl.Abs(), v.asset, minTrade))
		dl = sizeDelta(q, desired, v.market.Rules.SizeStep)
	}
	d, err := decideAt(v, p, available, s, desired, dl)
	if err != nil {
		return d, err
	}
	if rule.liqFloor.IsPositive() {
		d = holdFloor(v, available, s, rule.liqFloor, d)
	}
	if len(notes) > 0 {
		if d.note != "" && d.note != "within band" {
			notes = append(notes, d.note)
		}
		d.note = strings.Join(notes, "; ")
	}
	return d, nil
}

// holdFloor adds margin, or failing that shrinks the short, so that after d
// the liquidation price stays floor above mark. It only ever deposits or
// reduces, so it never raises leverage.
func holdFloor(v *assetView, available decimal.Decimal, s *Snapshot, floor decimal.Decimal, d decision) decision {
	m, q := v.market, v.current
	qNew := add(q, d.delta)
	if !qNew.IsPositive() {
		return d
	}
	P, mm, cost := m.MarkPrice, m.margin(), m.cost()
	fee := func(x decimal.Decimal) decimal.Decimal { return cost.TradeCost(sub(q, x), P) }
	equity := v.equity
	after := addSub(equity, d.deposit, fee(qNew))
	need := mm.FloorEquity(qNew, P, floor)
	if cmp(after, need) >= 0 {
		return d
	}
	left := available.Sub(d.deposit)
	extra := need.Sub(after).RoundCeil(s.CollateralDecimals)
	pct := percent(floor)
	if extra.LessThanOrEqual(left) {
		d.deposit = d.deposit.Add(extra)
		d.forFloor = true
		d.depositWhy = fmt.Sprintf("margin top-up for %s short (liquidation within %s of mark)", v.asset, pct)
		d.note = joinNote(d.note, fmt.Sprintf("liquidation floor %s: margin top-up %s %s", pct, extra, s.CollateralSymbol))
		return d
	}
	// Not enough collateral: put all of it in and carry only what it supports.
	total := equity.Add(decimal.Max(decimal.Zero, available))
	var hi decimal.Decimal
	var ok bool
	if lm, lc, lin := linear(m); lin {
		feeUnit := mul(P, lc.TakerFee)
		perUnit := P.Mul(one.Add(lm.Maintenance).Mul(one.Add(floor)).Sub(one))
		hi, ok = maxSupported(q, total, perUnit, feeUnit)
	} else {
		hi, ok = maxAffordable(q, total, m.Rules.SizeStep, func(x decimal.Decimal) decimal.Decimal {
			return mm.FloorEquity(x, P, floor).Add(fee(x))
		})
	}
	capped := decimal.Zero
	if ok {
		capped = decimal.Min(toStep(hi, m.Rules.SizeStep), qNew)
	}
	d.delta = sizeDelta(q, capped, m.Rules.SizeStep)
	qNew = q.Add(d.delta)
	d.deposit = decimal.Zero
	if qNew.IsPositive() && available.IsPositive() {
		d.deposit = available
		d.forFloor = true
		d.depositWhy = fmt.Sprintf("margin top-up for %s short (liquidation within %s of mark)", v.asset, pct)
	}
	d.reason = tradeReason(v, q, qNew, "; liquidation floor "+pct)
	d.note = joinNote(d.note, fmt.Sprintf("liquidation floor %s: short limited to %s (need %s more %s)",
		pct, qNew, extra.Sub(decimal.Max(decimal.Zero, left)), s.CollateralSymbol))
	return d
}

// linear reports the market's models when both are the linear ones with no
// fixed fee, for which sizing has a closed form.
func linear(m Market) (LinearMargin, LinearCost, bool) {
	lm, ok1 := m.margin().(LinearMargin)
	lc, ok2 := m.cost().(LinearCost)
	return lm, lc, ok1 && ok2 && lc.Fixed.IsZero()
}

func joinNote(a, b string) string {
	if a == "" || a == "within band" {
		return b
	}
	return a + "; " + b
}

// decideAt plans the move from the current short to desired under the
// leverage cap.
//
// delta is sizeDelta(v.current, desired, v.market.Rules.SizeStep), which
// decide has already computed.
func decideAt(v *assetView, p Policy, available decimal.Decimal, s *Snapshot, desired, delta decimal.Decimal) (decision, error) {
	m := v.market
	lev := p.MaxLeverage
	if ml := m.margin().MaxLeverage(); ml.IsPositive() && cmp(ml, lev) < 0 {
		lev = ml
	}
	P, q, equity := m.MarkPrice, v.current, v.equity
	step, cost := m.Rules.SizeStep, m.cost()
	perUnit := perUnitMargin(P, p.MarginBuffer, lev) // buffered margin per unit short
	fee := func(x decimal.Decimal) decimal.Decimal { return cost.TradeCost(sub(q, x), P) }
	lm, lc, lin := linear(m)
	_ = lm
	feeUnit := mul(P, lc.TakerFee)
	if lin && cmp(perUnit, feeUnit) <= 0 {
		return decision{}, fmt.Errorf("market %s: taker fee %s too high for leverage %s", v.asset, m.TakerFee, lev)
	}
	// needs returns the equity to carry qNew at the cap and with the buffer,
	// both after paying the fee to get there.
	needs := func(qNew decimal.Decimal) (atCap, buffered decimal.Decimal) {
		return marginNeeds(qNew, P, lev, perUnit, fee(qNew))
	}

	qNew := add(q, delta)
	atCap, buffered := needs(qNew)
	if qNew.IsZero() || (!delta.IsPositive() && cmp(equity, atCap) >= 0) {
		// Closing needs no margin, and a reduction (or holding) that keeps
		// leverage under the cap needs no deposit: the buffer is only topped
		// up once the cap is crossed.
		d := decision{delta: delta, reason: tradeReason(v, q, qNew, "")}
		if delta.IsZero() && desired.Equal(q) && v.inBand {
			d.note = "within band"
		}
		return d, nil
	}
	deposit := depositFor(buffered, equity, s.CollateralDecimals)
	if min := m.Rules.MinCollateral; min.IsPositive() && qNew.IsPositive() && equity.Add(deposit).LessThan(min) {
		// The venue refuses a position carrying less than its minimum.
		deposit = min.Sub(equity).RoundCeil(s.CollateralDecimals)
	}
	if cmp(deposit, available) <= 0 {
		d := decision{deposit: deposit, delta: delta, reason: tradeReason(v, q, qNew, "")}
		if delta.IsZero() {
			d.note = fmt.Sprintf("leverage above cap %s; margin top-up", lev)
		}
		return d, nil
	}

	// The cap binds: carry the largest short that equity plus all available
	// collateral supports, and put all of that collateral in.
	short := deposit.Sub(available)
	var hi decimal.Decimal
	var ok bool
	if lin {
		hi, ok = maxSupported(q, equity.Add(available), perUnit, feeUnit)
	} else {
		hi, ok = maxAffordable(q, equity.Add(available), step, func(x decimal.Decimal) decimal.Decimal {
			_, b := needs(x)
			return b
		})
	}
	qNew = decimal.Zero
	if ok {
		qNew = decimal.Min(toStep(hi, step), desired)
	}
	delta = sizeDelta(q, qNew, step)
	qNew = q.Add(delta)
	if delta.Abs().LessThanOrEqual(stepOf(step)) {
		// Within rounding of where we are: a one-unit trade is noise.
		delta, qNew = decimal.Zero, q
	}
	d := decision{delta: delta, shortfall: short}
	if qNew.IsPositive() {
		d.deposit = available
	}
	if ok {
		d.note = fmt.Sprintf("leverage cap binds: short limited to %s (need %s more %s)",
			qNew, short, s.CollateralSymbol)
	} else {
		d.note = fmt.Sprintf("equity too low to carry a short at %sx (need %s more %s)",
			lev, short, s.CollateralSymbol)
	}
	d.reason = tradeReason(v, q, qNew, "; leverage cap binds")
	return d, nil
}

// stepOf is a market's size step, SizeDecimals' unit when it sets none.
func stepOf(step decimal.Decimal) decimal.Decimal {
	if step.IsPositive() {
		return step
	}
	return sizeUnit
}

// toStep rounds x toward zero onto the size grid.
func toStep(x, step decimal.Decimal) decimal.Decimal {
	if !step.IsPositive() {
		return x.Truncate(SizeDecimals)
	}
	return x.DivRound(step, divPrecision).Truncate(0).Mul(step)
}

// sizeDelta is the trade from q to want, rounded toward zero so dust never
// trades; a close is exact so that no dust position is left behind.
func sizeDelta(q, want, step decimal.Decimal) decimal.Decimal {
	if want.IsZero() && q.Abs().GreaterThanOrEqual(stepOf(step)) {
		return q.Neg()
	}
	return stepDelta(q, want, step)
}

// maxSupported is the largest short x with |x|·perUnit + |x − q|·feeUnit ≤ M.
// The left side is convex and piecewise linear in x, with kinks at 0 and q.
// ok is false when no size, not even zero, is affordable.
func maxSupported(q, M, perUnit, feeUnit decimal.Decimal) (decimal.Decimal, bool) {
	k := decimal.Max(decimal.Zero, q)
	gk := k.Mul(perUnit).Add(k.Sub(q).Mul(feeUnit))
	if gk.LessThanOrEqual(M) {
		return k.Add(M.Sub(gk).DivRound(perUnit.Add(feeUnit), divPrecision)), true
	}
	if q.IsPositive() { // between 0 and q the cost rises with slope perUnit − feeUnit
		if g0 := q.Mul(feeUnit); g0.LessThanOrEqual(M) {
			return M.Sub(g0).DivRound(perUnit.Sub(feeUnit), divPrecision), true
		}
	}
	return decimal.Zero, false
}

// maxAffordable is maxSupported for any margin and cost model: the largest
// short x ≥ 0 on the size grid with need(x) ≤ M, by bisection. need must
// rise with x (margin grows faster than a smaller trade saves in fees),
// which every venue's margin model satisfies for shorts.
func maxAffordable(q, M, step decimal.Decimal, need func(decimal.Decimal) decimal.Decimal) (decimal.Decimal, bool) {
	if need(decimal.Zero).GreaterThan(M) {
		return decimal.Zero, false
	}
	unit := stepOf(step)
	lo, hi := int64(0), int64(1) // in grid units
	for need(unit.Mul(decimal.NewFromInt(hi))).LessThanOrEqual(M) {
		lo, hi = hi, hi*2
		if hi > 1<<55 {
			return unit.Mul(decimal.NewFromInt(lo)), true
		}
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if need(unit.Mul(decimal.NewFromInt(mid))).LessThanOrEqual(M) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return unit.Mul(decimal.NewFromInt(lo)), true
}

// acceptablePrice is the worst fill a trade of sizeDelta accepts.
func acceptablePrice(mark, sizeDelta, slippage decimal.Decimal) decimal.Decimal {
	if sizeDelta.IsNegative() {
		return mark.Mul(one.Sub(slippage))
	}
	return mark.Mul(one.Add(slippage))
}

// capPrice is the highest price a trade can count at for the notional caps:
// a buy fills at most at its acceptable price; a sell's acceptable price is
// its lowest fill, so the caps count it at mark × (1 + slippage).
func capPrice(mark, sizeDelta, slippage decimal.Decimal) decimal.Decimal {
	return mark.Mul(one.Add(slippage))
}

func tradeReason(v *assetView, q, qNew decimal.Decimal, why string) string {
	if qNew.Equal(q) {
		return ""
	}
	a := v.asset
	var what string
	switch {
	case q.IsNegative() && qNew.IsPositive():
		what = fmt.Sprintf("close long %s %s and open short %s %s", q.Neg(), a, qNew, a)
	case q.IsNegative() && qNew.IsZero():
		what = fmt.Sprintf("close long %s %s", q.Neg(), a)
	case q.IsNegative():
		what = fmt.Sprintf("reduce long %s %s", qNew.Sub(q), a)
	case q.IsZero():
		what = fmt.Sprintf("open short %s %s", qNew, a)
	case qNew.IsZero():
		what = fmt.Sprintf("close short %s %s", q, a)
	case qNew.GreaterThan(q):
		what = fmt.Sprintf("increase short %s %s", qNew.Sub(q), a)
	default:
		what = fmt.Sprintf("reduce short %s %s", q.Sub(qNew), a)
	}
	if v.target.IsZero() {
		return fmt.Sprintf("%s (target 0%s)", what, why)
	}
	return fmt.Sprintf("%s (target %s, drift %s%s)", what, v.target, percent(v.drift), why)
}

// percent formats a fraction as a signed percentage with a real minus sign.
func percent(f decimal.Decimal) string {
	if useFixed {
		if x, ok := fixed.Of(f); ok {
			if y, ok := fixed.Mul(x, fixed.Int(100)); ok {
				var buf [48]byte
				if b, ok := fixed.AppendFixed(buf[:0], y, 1); ok {
					if b[0] == '-' {
						return "−" + string(b[1:]) + "%"
					}
					return string(append(b, '%'))
				}
			}
		}
	}
	s := f.Mul(decimal.NewFromInt(100)).StringFixed(1) + "%"
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}

// ClosePlan closes the positions in assets (all markets when empty) and
// withdraws their margin.
func ClosePlan(s *Snapshot, p Policy, assets []string) (*Plan, error) {
	vs, err := views(s, p)
	if err != nil {
		return nil, err
	}
	selected := map[string]bool{}
	for _, a := range assets {
		if _, ok := s.Markets[a]; !ok {
			return nil, fmt.Errorf("unknown market %q", a)
		}
		selected[a] = true
	}
	for a := range s.Markets {
		selected[a] = selected[a] || len(assets) == 0
	}
	plan := &Plan{Block: s.Block}
	for _, v := range vs {
		if !selected[v.asset] {
			continue
		}
		ap := v.assetPlan()
		ap.TargetSize, ap.Drift, ap.WithinBand = decimal.Zero, decimal.Zero, v.current.IsZero()
		if pend := s.PendingOf(v.asset); len(pend) > 0 {
			return nil, fmt.Errorf("market %s has order %s in flight; close once it is executed or cancelled", v.asset, pend[0].Ref)
		}
		size := v.pos.Size
		if size.IsZero() && v.pos.Margin.IsZero() {
			ap.Note = "nothing to close"
			plan.Assets = append(plan.Assets, ap)
			continue
		}
		o := Order{Market: v.market.Key, Asset: v.asset, Intent: IntentClose, WithdrawAll: true,
			CollateralIntent: IntentClose, CollateralReason: fmt.Sprintf("withdraw %s margin", v.asset)}
		if !size.IsZero() {
			if v.market.Paused {
				return nil, fmt.Errorf("market %s is paused; cannot close", v.asset)
			}
			o.Close, o.SizeDelta = true, size.Neg()
			o.AcceptablePrice = acceptablePrice(v.market.MarkPrice, size.Neg(), p.MaxSlippage)
			o.CapPrice = capPrice(v.market.MarkPrice, size.Neg(), p.MaxSlippage)
			o.Reason = tradeReason(&assetView{asset: v.asset}, v.current, decimal.Zero, "")
		}
		// An estimate for display; WithdrawAll makes the venue return whatever is left.
		est := v.pos.Equity().Sub(v.market.cost().TradeCost(size, v.market.MarkPrice))
		o.CollateralDelta = decimal.Max(decimal.Zero, est).RoundFloor(max(s.CollateralDecimals, 0)).Neg()
		plan.Orders = append(plan.Orders, o)
		plan.Assets = append(plan.Assets, ap)
	}
	return plan, nil
}
