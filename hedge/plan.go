package hedge

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
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
	return viewsFor(s, func(string) Policy { return p }, nil)
}

// viewsFor is views with a policy per asset. Assets in gated get no target
// instead of an error for a bad price, so one broken feed does not stop the
// other assets (the caller must not trade them).
func viewsFor(s *Snapshot, policyFor func(string) Policy, gated map[string]bool) ([]assetView, error) {
	if s == nil {
		return nil, errors.New("no snapshot")
	}
	spot := map[string]decimal.Decimal{}
	for _, h := range s.Holdings {
		if h.Amount.IsNegative() {
			return nil, fmt.Errorf("holding %s in %s: negative amount %s", h.Asset, h.Wallet, h.Amount)
		}
		spot[h.Asset] = spot[h.Asset].Add(h.Amount)
	}
	var assets []string
	for a := range s.Markets {
		assets = append(assets, a)
	}
	for a, amt := range spot {
		// A held asset with no market is shown only when something is held.
		if _, ok := s.Markets[a]; !ok && amt.IsPositive() {
			assets = append(assets, a)
		}
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
		v, err := crossView(s, a, spot[a], policyFor(a), gated)
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

	out := make([]assetView, 0, len(assets))
	for _, a := range assets {
		v := assetView{asset: a, spot: spot[a], pos: s.Position[a]}
		v.market, v.hasMarket = s.Markets[a]
		v.current = v.pos.Size.Neg()
		if !v.hasMarket {
			out = append(out, cross[a])
			continue
		}
		m := v.market
		p := policyFor(a)
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("policy for %s: %w", a, err)
		}
		// Bad prices stop all trading: a plan on a broken oracle is worse than none.
		if !m.IndexPrice.IsPositive() || !m.MarkPrice.IsPositive() {
			if gated[a] {
				v.inBand = true
				out = append(out, v)
				continue
			}
			return nil, fmt.Errorf("market %s: non-positive price", a)
		}
		if m.TakerFee.IsNegative() || m.TakerFee.GreaterThanOrEqual(maxTakerFee) {
			return nil, fmt.Errorf("market %s: taker fee %s is outside 0..0.01", a, m.TakerFee)
		}
		v.exposure = v.spot.Mul(m.IndexPrice)
		v.crossUSD, v.blocked = crossUSD[a], blocked[a]
		// q* = h · (E + Σ ratioₓ·βₓ·Eₓ) / P_mark: the market's own ratio (which
		// funding rules may lower) applies to the whole short.
		v.target = p.HedgeRatio.Mul(v.exposure.Add(v.crossUSD)).DivRound(m.MarkPrice, divPrecision).Truncate(SizeDecimals)
		if v.crossUSD.IsPositive() {
			v.crossSize = p.HedgeRatio.Mul(v.crossUSD).DivRound(m.MarkPrice, divPrecision).Truncate(SizeDecimals)
		}
		switch {
		case v.target.IsPositive():
			v.drift = v.current.Sub(v.target).DivRound(v.target, divPrecision)
			v.inBand = v.drift.Abs().LessThanOrEqual(p.Band)
		default:
			// Drift is undefined against a zero target; any position is out of band.
			v.inBand = v.current.IsZero()
		}
		out = append(out, v)
	}
	return out, nil
}

// crossView values a held asset with no market and, when its policy names a
// hedge market, the USD that market's short must add for it.
func crossView(s *Snapshot, a string, amount decimal.Decimal, p Policy, gated map[string]bool) (assetView, error) {
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
		if gated[with] {
			v.crossNote = fmt.Sprintf("no price for %s; not hedged", a)
			return v, nil
		}
		// Dropping it would shrink the other market's short on a broken feed.
		return v, fmt.Errorf("asset %s (hedged with %s): no positive feed price", a, with)
	case !m.MarkPrice.IsPositive():
		return v, nil // the market's own check reports it
	}
	if err := p.Validate(); err != nil {
		return v, fmt.Errorf("policy for %s: %w", a, err)
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

func (v assetView) assetPlan() AssetPlan {
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
func (v assetView) noMarketNote() string {
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
}

func buildPlan(s *Snapshot, policyFor func(string) Policy, rules map[string]assetRule) (*Plan, error) {
	gated := map[string]bool{}
	for a, r := range rules {
		gated[a] = r.gate != ""
	}
	vs, err := viewsFor(s, policyFor, gated)
	if err != nil {
		return nil, err
	}
	if s.CollateralDecimals < 0 || s.CollateralDecimals > 36 {
		return nil, fmt.Errorf("collateral decimals %d out of range", s.CollateralDecimals)
	}
	// Deposits must be representable on chain, so only whole collateral units count.
	available := decimal.Max(decimal.Zero, s.Collateral).RoundFloor(s.CollateralDecimals)
	total := decimal.Zero
	plan := &Plan{Block: s.Block}
	var acts []Action
	for _, v := range vs {
		ap := v.assetPlan()
		p, rule := policyFor(v.asset), rules[v.asset]
		switch {
		case !v.hasMarket:
			ap.Note = v.noMarketNote()
		case rule.gate != "":
			ap.Note = rule.gate
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
			if d.deposit.IsPositive() {
				why := fmt.Sprintf("margin for %s short", v.asset)
				switch {
				case d.depositWhy != "":
					why = d.depositWhy
				case d.delta.IsZero():
					why = fmt.Sprintf("margin top-up for %s short (leverage above cap)", v.asset)
				}
				acts = append(acts, Action{Kind: ActDeposit, Asset: v.asset, Amount: d.deposit, Reason: why, Intent: d.intent(v)})
				available = available.Sub(d.deposit)
				total = total.Add(d.deposit)
			}
			if !d.delta.IsZero() {
				acts = append(acts, Action{Kind: ActTrade, Asset: v.asset, SizeDelta: d.delta.Neg(),
					AcceptablePrice: acceptablePrice(v.market.MarkPrice, d.delta.Neg(), p.MaxSlippage),
					Reason:          d.reason, Intent: d.intent(v)})
			}
		}
		plan.Assets = append(plan.Assets, ap)
	}
	if total.GreaterThan(s.CollateralAllowance) {
		// approve sets the allowance rather than adding to it, so ask for the total.
		acts = append([]Action{{Kind: ActApprove, Amount: total,
			Reason: fmt.Sprintf("allow the venue to pull %s %s", total, s.CollateralSymbol), Intent: IntentApprove}}, acts...)
	}
	plan.Actions = acts
	return plan, nil
}

// intent classifies d for the journal: a trade from no position is a hedge,
// any other trade a rebalance, and margin alone a top-up.
func (d decision) intent(v assetView) string {
	switch {
	case d.delta.IsZero():
		return IntentTopUp
	case v.current.IsZero():
		return IntentHedge
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
}

// decide applies the rule's limits to the size wanted, plans it at the
// leverage cap, then holds the liquidation floor.
func decide(v assetView, p Policy, available decimal.Decimal, s *Snapshot, rule assetRule) (decision, error) {
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
	if limit := decimal.Max(q, decimal.Zero); rule.noIncrease != "" && desired.GreaterThan(limit) {
		desired = limit
		notes = append(notes, rule.noIncrease)
	}
	if dl := sizeDelta(q, desired); !dl.IsZero() && !desired.IsZero() && dl.Abs().LessThan(rule.minTrade) {
		desired = q
		notes = append(notes, fmt.Sprintf("trade of %s %s below minimum %s; skipped", dl.Abs(), v.asset, rule.minTrade))
	}
	d, err := decideAt(v, p, available, s, desired)
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
func holdFloor(v assetView, available decimal.Decimal, s *Snapshot, floor decimal.Decimal, d decision) decision {
	m, q := v.market, v.current
	qNew := q.Add(d.delta)
	if !qNew.IsPositive() {
		return d
	}
	P, feeUnit := m.MarkPrice, m.MarkPrice.Mul(m.TakerFee)
	// Short liquidates at (E + q·P)/(q·(1+mm)); ≥ P·(1+floor) needs E ≥ q·P·k.
	k := one.Add(m.MaintenanceMargin).Mul(one.Add(floor)).Sub(one)
	perUnit := P.Mul(k)
	equity := v.pos.Equity()
	after := equity.Add(d.deposit).Sub(d.delta.Abs().Mul(feeUnit))
	need := qNew.Mul(perUnit)
	if after.GreaterThanOrEqual(need) {
		return d
	}
	left := available.Sub(d.deposit)
	extra := need.Sub(after).RoundCeil(s.CollateralDecimals)
	pct := percent(floor)
	if extra.LessThanOrEqual(left) {
		d.deposit = d.deposit.Add(extra)
		d.depositWhy = fmt.Sprintf("margin top-up for %s short (liquidation within %s of mark)", v.asset, pct)
		d.note = joinNote(d.note, fmt.Sprintf("liquidation floor %s: margin top-up %s %s", pct, extra, s.CollateralSymbol))
		return d
	}
	// Not enough collateral: put all of it in and carry only what it supports.
	total := equity.Add(decimal.Max(decimal.Zero, available))
	hi, ok := maxSupported(q, total, perUnit, feeUnit)
	capped := decimal.Zero
	if ok {
		capped = decimal.Min(hi.Truncate(SizeDecimals), qNew)
	}
	d.delta = sizeDelta(q, capped)
	qNew = q.Add(d.delta)
	d.deposit = decimal.Zero
	if qNew.IsPositive() && available.IsPositive() {
		d.deposit = available
		d.depositWhy = fmt.Sprintf("margin top-up for %s short (liquidation within %s of mark)", v.asset, pct)
	}
	d.reason = tradeReason(v, q, qNew, "; liquidation floor "+pct)
	d.note = joinNote(d.note, fmt.Sprintf("liquidation floor %s: short limited to %s (need %s more %s)",
		pct, qNew, extra.Sub(decimal.Max(decimal.Zero, left)), s.CollateralSymbol))
	return d
}

func joinNote(a, b string) string {
	if a == "" || a == "within band" {
		return b
	}
	return a + "; " + b
}

// decideAt plans the move from the current short to desired under the
// leverage cap.
func decideAt(v assetView, p Policy, available decimal.Decimal, s *Snapshot, desired decimal.Decimal) (decision, error) {
	m := v.market
	lev := p.MaxLeverage
	if m.MaxLeverage.IsPositive() && m.MaxLeverage.LessThan(lev) {
		lev = m.MaxLeverage
	}
	P, q, equity := m.MarkPrice, v.current, v.pos.Equity()
	perUnit := P.Mul(one.Add(p.MarginBuffer)).DivRound(lev, divPrecision) // buffered margin per unit short
	feeUnit := P.Mul(m.TakerFee)
	if !perUnit.GreaterThan(feeUnit) {
		return decision{}, fmt.Errorf("market %s: taker fee %s too high for leverage %s", v.asset, m.TakerFee, lev)
	}
	// needs returns the equity to carry qNew at the cap and with the buffer,
	// both after paying the fee to get there.
	needs := func(qNew decimal.Decimal) (atCap, buffered decimal.Decimal) {
		fee := qNew.Sub(q).Abs().Mul(feeUnit)
		return qNew.Abs().Mul(P).DivRound(lev, divPrecision).Add(fee), qNew.Abs().Mul(perUnit).Add(fee)
	}

	delta := sizeDelta(q, desired)
	qNew := q.Add(delta)
	atCap, buffered := needs(qNew)
	if qNew.IsZero() || (!delta.IsPositive() && equity.GreaterThanOrEqual(atCap)) {
		// Closing needs no margin, and a reduction (or holding) that keeps
		// leverage under the cap needs no deposit: the buffer is only topped
		// up once the cap is crossed.
		d := decision{delta: delta, reason: tradeReason(v, q, qNew, "")}
		if delta.IsZero() && desired.Equal(q) && v.inBand {
			d.note = "within band"
		}
		return d, nil
	}
	deposit := decimal.Max(decimal.Zero, buffered.Sub(equity)).RoundCeil(s.CollateralDecimals)
	if deposit.LessThanOrEqual(available) {
		d := decision{deposit: deposit, delta: delta, reason: tradeReason(v, q, qNew, "")}
		if delta.IsZero() {
			d.note = fmt.Sprintf("leverage above cap %s; margin top-up", lev)
		}
		return d, nil
	}

	// The cap binds: carry the largest short that equity plus all available
	// collateral supports, and put all of that collateral in.
	short := deposit.Sub(available)
	hi, ok := maxSupported(q, equity.Add(available), perUnit, feeUnit)
	qNew = decimal.Zero
	if ok {
		qNew = decimal.Min(hi.Truncate(SizeDecimals), desired)
	}
	delta = sizeDelta(q, qNew)
	qNew = q.Add(delta)
	if delta.Abs().LessThanOrEqual(sizeUnit) {
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

// sizeDelta is the trade from q to want, rounded toward zero so dust never
// trades; a close is exact so that no dust position is left behind.
func sizeDelta(q, want decimal.Decimal) decimal.Decimal {
	if want.IsZero() && q.Abs().GreaterThanOrEqual(sizeUnit) {
		return q.Neg()
	}
	return want.Sub(q).Truncate(SizeDecimals)
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

// acceptablePrice is the worst fill a trade of sizeDelta accepts.
func acceptablePrice(mark, sizeDelta, slippage decimal.Decimal) decimal.Decimal {
	if sizeDelta.IsNegative() {
		return mark.Mul(one.Sub(slippage))
	}
	return mark.Mul(one.Add(slippage))
}

func tradeReason(v assetView, q, qNew decimal.Decimal, why string) string {
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
	var trades, withdraws []Action
	for _, v := range vs {
		if !selected[v.asset] {
			continue
		}
		ap := v.assetPlan()
		ap.TargetSize, ap.Drift, ap.WithinBand = decimal.Zero, decimal.Zero, v.current.IsZero()
		size := v.pos.Size
		if !size.IsZero() {
			if v.market.Paused {
				return nil, fmt.Errorf("market %s is paused; cannot close", v.asset)
			}
			trades = append(trades, Action{Kind: ActTrade, Asset: v.asset, SizeDelta: size.Neg(),
				AcceptablePrice: acceptablePrice(v.market.MarkPrice, size.Neg(), p.MaxSlippage),
				Reason:          tradeReason(assetView{asset: v.asset}, v.current, decimal.Zero, ""), Intent: IntentClose})
		}
		if !size.IsZero() || !v.pos.Margin.IsZero() {
			// Amount is an estimate for display; All makes the venue return whatever is left.
			est := v.pos.Equity().Sub(size.Abs().Mul(v.market.MarkPrice).Mul(v.market.TakerFee))
			withdraws = append(withdraws, Action{Kind: ActWithdraw, Asset: v.asset, All: true,
				Amount: decimal.Max(decimal.Zero, est).RoundFloor(max(s.CollateralDecimals, 0)),
				Reason: fmt.Sprintf("withdraw %s margin", v.asset), Intent: IntentClose})
		} else {
			ap.Note = "nothing to close"
		}
		plan.Assets = append(plan.Assets, ap)
	}
	plan.Actions = append(trades, withdraws...)
	return plan, nil
}
