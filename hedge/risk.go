package hedge

// Risk policy: per-asset limits on funding, basis, liquidation distance and
// feed health, applied on top of the plain planner.
//
// Policy file format: UTF-8 text, one setting per line.
//
//	# comment (also after a value: band = 0.05  # 5%)
//	[default]            # settings for every asset; lines before any section go here too
//	hedge_ratio = 1
//	funding_budget_apr = 0.20
//	[ETH]                # overrides for the market whose asset symbol is ETH
//	funding_action = reduce
//	reduced_ratio = 0.5
//
// Keys (fractions unless noted; a threshold of 0 turns its check off):
//
//	hedge_ratio, band, max_leverage (multiple), max_slippage, margin_buffer
//	funding_budget_apr         max funding cost tolerated, positive APR fraction
//	funding_action             alert | reduce | close, when the budget is passed
//	reduced_ratio              hedge ratio while reduced for funding
//	resume_apr                 resume the normal ratio only once the short's
//	                           funding APR is above −resume_apr (≤ budget)
//	max_basis_discount_bps     refuse to open/increase a short below this discount
//	max_entry_cost_bps         refuse to open/increase a short when what the
//	                           venue's cost model charges for it (fees, impact,
//	                           fixed fees) plus the basis discount passes this
//	liq_floor                  keep (liquidation − mark)/mark at least this
//	max_oracle_age             Go duration, e.g. 90s, 1h
//	max_mark_index_deviation_bps
//	min_trade_size             base units
//	cooldown                   Go duration between actions on one asset
//	funding_window             Go duration of the rolling window over which
//	                           accrued funding cost is also checked
//	hedge_with                 market asset that hedges this asset when it has
//	                           no market of its own (cross-asset hedge)
//	beta                       hedge_with units per unit of exposure, a number,
//	                           or "auto" to estimate it from price history
//	beta_window                Go duration of history used for an "auto" beta
//	beta_csv                   price CSV(s) to estimate beta from instead of the
//	                           feeds: ASSET_FILE, HEDGE_FILE or one wide file
//	                           (see ReadPriceCSV in beta.go)
//	staking_apr                staking yield of a liquid-staking holding, shown
//	                           next to funding as net carry
//
// An asset section starts from the whole [default] section wherever it is in
// the file. Errors name the line: "line 7: unknown key \"bnad\"".

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge/internal/fixed"
)

// Funding actions.
const (
	FundingAlert  = "alert"
	FundingReduce = "reduce"
	FundingClose  = "close"
)

// AssetPolicy is the full configuration for one asset.
type AssetPolicy struct {
	HedgeRatio   decimal.Decimal
	Band         decimal.Decimal
	MaxLeverage  decimal.Decimal
	MaxSlippage  decimal.Decimal
	MarginBuffer decimal.Decimal

	FundingBudgetAPR decimal.Decimal // max cost tolerated, positive APR fraction (0.20)
	FundingAction    string          // FundingAlert, FundingReduce or FundingClose
	ReducedRatio     decimal.Decimal // hedge ratio while reduced for funding
	ResumeAPR        decimal.Decimal // resume when the short's funding APR > −ResumeAPR

	MaxBasisDiscountBps      decimal.Decimal // 0 = off
	MaxEntryCostBps          decimal.Decimal // 0 = off
	LiqFloor                 decimal.Decimal // 0 = off
	MaxOracleAge             time.Duration   // 0 = off
	MaxMarkIndexDeviationBps decimal.Decimal // 0 = off
	MinTradeSize             decimal.Decimal // base units
	Cooldown                 time.Duration
	FundingWindow            time.Duration // rolling window for accrued funding cost; 0 = off

	// Cross-asset hedge: an asset with no market is hedged on HedgeWith's
	// market with Beta (or an estimate when BetaAuto).
	HedgeWith  string
	Beta       decimal.Decimal
	BetaAuto   bool
	BetaWindow time.Duration
	BetaCSV    string
	StakingAPR decimal.Decimal // user-given staking yield, for net carry
}

// DefaultAssetPolicy is DefaultPolicy plus conservative risk limits: a 2×
// hedge liquidates after a ~50% rally, so a 25% floor rarely binds unless the
// user raises leverage.
func DefaultAssetPolicy() AssetPolicy {
	p := DefaultPolicy()
	return AssetPolicy{
		HedgeRatio: p.HedgeRatio, Band: p.Band, MaxLeverage: p.MaxLeverage,
		MaxSlippage: p.MaxSlippage, MarginBuffer: p.MarginBuffer,
		FundingBudgetAPR:         decimal.RequireFromString("0.20"),
		FundingAction:            FundingAlert,
		ReducedRatio:             decimal.RequireFromString("0.5"),
		ResumeAPR:                decimal.RequireFromString("0.05"),
		MaxBasisDiscountBps:      decimal.NewFromInt(50),
		LiqFloor:                 decimal.RequireFromString("0.25"),
		MaxOracleAge:             time.Hour,
		MaxMarkIndexDeviationBps: decimal.NewFromInt(200),
		Cooldown:                 10 * time.Minute,
		FundingWindow:            24 * time.Hour,
		BetaWindow:               30 * 24 * time.Hour,
	}
}

// Policy is the planner's part of p.
func (p AssetPolicy) Policy() Policy {
	return Policy{HedgeRatio: p.HedgeRatio, Band: p.Band, MaxLeverage: p.MaxLeverage,
		MaxSlippage: p.MaxSlippage, MarginBuffer: p.MarginBuffer,
		HedgeWith: p.HedgeWith, Beta: p.Beta, BetaAuto: p.BetaAuto}
}

// Set sets one policy key (the policy file's names, e.g. "funding_action")
// from its text form, as a policy file line would.
func (p *AssetPolicy) Set(key, value string) error {
	return setKey(p, strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value))
}

// PolicyKeys are the keys Set and the policy file accept.
var PolicyKeys = []string{"hedge_ratio", "band", "max_leverage", "max_slippage", "margin_buffer",
	"funding_budget_apr", "funding_action", "reduced_ratio", "resume_apr", "max_basis_discount_bps", "max_entry_cost_bps",
	"liq_floor", "max_oracle_age", "max_mark_index_deviation_bps", "min_trade_size", "cooldown",
	"funding_window", "hedge_with", "beta", "beta_window", "beta_csv", "staking_apr"}

// Validate refuses settings that would make the risk rules incoherent.
func (p AssetPolicy) Validate() error {
	if err := p.Policy().Validate(); err != nil {
		return err
	}
	switch {
	case p.FundingBudgetAPR.IsNegative():
		return fmt.Errorf("funding budget %s is negative (give the cost as a positive APR)", p.FundingBudgetAPR)
	case p.FundingAction != FundingAlert && p.FundingAction != FundingReduce && p.FundingAction != FundingClose:
		return fmt.Errorf("funding action %q is not alert, reduce or close", p.FundingAction)
	// A reduced ratio above the hedge ratio, or a resume level above the
	// budget, is clamped where it is used (see fundingRegime), so a lower
	// --hedge-ratio or budget alone is never refused.
	case p.ReducedRatio.IsNegative() || p.ReducedRatio.GreaterThan(one):
		return fmt.Errorf("reduced ratio %s is outside 0..1", p.ReducedRatio)
	case p.ResumeAPR.IsNegative():
		return fmt.Errorf("resume APR %s is negative (give it as a positive APR)", p.ResumeAPR)
	case p.MaxBasisDiscountBps.IsNegative():
		return fmt.Errorf("max basis discount %s bps is negative", p.MaxBasisDiscountBps)
	case p.MaxEntryCostBps.IsNegative():
		return fmt.Errorf("max entry cost %s bps is negative", p.MaxEntryCostBps)
	case p.LiqFloor.IsNegative() || p.LiqFloor.GreaterThan(ten):
		return fmt.Errorf("liquidation floor %s is outside 0..10", p.LiqFloor)
	case p.MaxOracleAge < 0:
		return fmt.Errorf("max oracle age %s is negative", p.MaxOracleAge)
	case p.MaxMarkIndexDeviationBps.IsNegative():
		return fmt.Errorf("max mark/index deviation %s bps is negative", p.MaxMarkIndexDeviationBps)
	case p.MinTradeSize.IsNegative():
		return fmt.Errorf("min trade size %s is negative", p.MinTradeSize)
	case p.Cooldown < 0:
		return fmt.Errorf("cooldown %s is negative", p.Cooldown)
	case p.FundingWindow < 0:
		return fmt.Errorf("funding window %s is negative", p.FundingWindow)
	case p.Beta.IsNegative() || p.Beta.GreaterThan(ten):
		return fmt.Errorf("beta %s is outside 0..10", p.Beta)
	case p.BetaWindow < 0:
		return fmt.Errorf("beta window %s is negative", p.BetaWindow)
	case p.StakingAPR.LessThan(minusOne) || p.StakingAPR.GreaterThan(one):
		return fmt.Errorf("staking APR %s is outside -1..1", p.StakingAPR)
	}
	return nil
}

// Policies is the default asset policy plus resolved per-asset overrides.
type Policies struct {
	Default AssetPolicy
	Assets  map[string]AssetPolicy // complete policies, not deltas
}

// DefaultPolicies applies DefaultAssetPolicy to every asset.
func DefaultPolicies() Policies { return Policies{Default: DefaultAssetPolicy()} }

// For is the policy of one asset.
func (ps Policies) For(asset string) AssetPolicy {
	if p, ok := ps.Assets[asset]; ok {
		return p
	}
	return ps.Default
}

// Validate checks the default and every override.
func (ps Policies) Validate() error {
	if err := ps.Default.Validate(); err != nil {
		return fmt.Errorf("default policy: %w", err)
	}
	names := make([]string, 0, len(ps.Assets))
	for a := range ps.Assets {
		names = append(names, a)
	}
	slices.Sort(names)
	for _, a := range names {
		if err := ps.Assets[a].Validate(); err != nil {
			return fmt.Errorf("policy for %s: %w", a, err)
		}
	}
	return nil
}

type policyLine struct {
	line       int
	key, value string
}

// ParsePolicies reads the policy file format described at the top of this
// file, on top of DefaultAssetPolicy.
func ParsePolicies(r io.Reader) (Policies, error) {
	const def = "default"
	sections := map[string][]policyLine{}
	headers := map[string]int{def: 0}
	order := []string{}
	cur := def
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "["):
			name, ok := strings.CutSuffix(line, "]")
			name = strings.TrimSpace(strings.TrimPrefix(name, "["))
			if !ok || name == "" || strings.ContainsAny(name, "[] \t=") {
				return Policies{}, fmt.Errorf("line %d: bad section header %q", n, line)
			}
			if strings.EqualFold(name, def) {
				name = def
			} else {
				name = strings.ToUpper(name) // asset symbols, as flags' ASSET=V and hedge_with
			}
			if at, dup := headers[name]; dup && (name != def || at > 0) {
				return Policies{}, fmt.Errorf("line %d: section [%s] already started on line %d", n, name, at)
			}
			headers[name] = n
			if name != def {
				order = append(order, name)
			}
			cur = name
		default:
			k, v, ok := strings.Cut(line, "=")
			k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
			if !ok || k == "" {
				return Policies{}, fmt.Errorf("line %d: want KEY = VALUE, got %q", n, line)
			}
			if v == "" {
				return Policies{}, fmt.Errorf("line %d: %s has no value", n, k)
			}
			for _, prev := range sections[cur] {
				if prev.key == k {
					return Policies{}, fmt.Errorf("line %d: %s already set on line %d", n, k, prev.line)
				}
			}
			sections[cur] = append(sections[cur], policyLine{n, k, v})
		}
	}
	if err := sc.Err(); err != nil {
		return Policies{}, fmt.Errorf("line %d: %w", n+1, err)
	}
	base := DefaultAssetPolicy()
	if err := applyLines(&base, sections[def]); err != nil {
		return Policies{}, err
	}
	if err := base.Validate(); err != nil {
		return Policies{}, fmt.Errorf("line %d: [default]: %w", headers[def], err)
	}
	ps := Policies{Default: base, Assets: map[string]AssetPolicy{}}
	for _, a := range order {
		p := base
		if err := applyLines(&p, sections[a]); err != nil {
			return Policies{}, err
		}
		if err := p.Validate(); err != nil {
			return Policies{}, fmt.Errorf("line %d: [%s]: %w", headers[a], a, err)
		}
		ps.Assets[a] = p
	}
	return ps, nil
}

func applyLines(p *AssetPolicy, lines []policyLine) error {
	for _, l := range lines {
		if err := setKey(p, l.key, l.value); err != nil {
			return fmt.Errorf("line %d: %s: %w", l.line, l.key, err)
		}
	}
	return nil
}

func setKey(p *AssetPolicy, key, v string) error {
	decs := map[string]*decimal.Decimal{
		"hedge_ratio": &p.HedgeRatio, "band": &p.Band, "max_leverage": &p.MaxLeverage,
		"max_slippage": &p.MaxSlippage, "margin_buffer": &p.MarginBuffer,
		"funding_budget_apr": &p.FundingBudgetAPR, "reduced_ratio": &p.ReducedRatio, "resume_apr": &p.ResumeAPR,
		"max_basis_discount_bps": &p.MaxBasisDiscountBps, "max_entry_cost_bps": &p.MaxEntryCostBps, "liq_floor": &p.LiqFloor,
		"max_mark_index_deviation_bps": &p.MaxMarkIndexDeviationBps, "min_trade_size": &p.MinTradeSize,
		"staking_apr": &p.StakingAPR,
	}
	durs := map[string]*time.Duration{"max_oracle_age": &p.MaxOracleAge, "cooldown": &p.Cooldown,
		"funding_window": &p.FundingWindow, "beta_window": &p.BetaWindow}
	switch key {
	case "beta":
		if strings.EqualFold(v, "auto") {
			p.Beta, p.BetaAuto = decimal.Zero, true
			return nil
		}
		x, err := decimal.NewFromString(v)
		if err != nil {
			return fmt.Errorf("%q is neither a number nor auto", v)
		}
		p.Beta, p.BetaAuto = x, false
		return nil
	case "hedge_with":
		if strings.ContainsAny(v, " \t[]=") {
			return fmt.Errorf("%q is not an asset symbol", v)
		}
		p.HedgeWith = strings.ToUpper(v)
		return nil
	case "beta_csv":
		p.BetaCSV = v
		return nil
	}
	if dst, ok := decs[key]; ok {
		x, err := decimal.NewFromString(v)
		if err != nil {
			return fmt.Errorf("%q is not a decimal number", v)
		}
		*dst = x
		return nil
	}
	if dst, ok := durs[key]; ok {
		x, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration like 90s or 1h", v)
		}
		*dst = x
		return nil
	}
	if key == "funding_action" {
		v = strings.ToLower(v)
		if v != FundingAlert && v != FundingReduce && v != FundingClose {
			return fmt.Errorf("%q is not alert, reduce or close", v)
		}
		p.FundingAction = v
		return nil
	}
	return errors.New("unknown key")
}

// Alert is something the user should hear about, whether or not the plan acts.
type Alert struct {
	Asset   string    `json:"asset"`
	Kind    AlertKind `json:"kind"`
	Message string    `json:"message"`
}

// AlertKind says what an alert is about; callers switch on it, never on
// the message.
type AlertKind string

const (
	AlertPrice            AlertKind = "price"             // no positive price
	AlertOracle           AlertKind = "oracle"            // feed stale or its time unknown
	AlertDeviation        AlertKind = "deviation"         // mark too far from index
	AlertPaused           AlertKind = "paused"            // market paused
	AlertBenched          AlertKind = "benched"           // the venue adapter stopped trading it (repeated cancellations)
	AlertFundingSuspended AlertKind = "funding-suspended" // venue stopped funding
	AlertFundingIndex     AlertKind = "funding-index"     // funding index frozen
	AlertFunding          AlertKind = "funding"           // funding above budget
	AlertFundingResume    AlertKind = "funding-resume"    // back to the normal ratio
	AlertBasis            AlertKind = "basis"             // mark below index: no increase
	AlertEntryCost        AlertKind = "entry-cost"        // opening costs too much: no increase
	AlertLiquidation      AlertKind = "liquidation"       // liquidation closer than the floor
)

// AssetRiskState is what one asset carries from cycle to cycle.
type AssetRiskState struct {
	LastActionAt      time.Time // for the cooldown
	ReducedForFunding bool      // for the hysteresis
}

// RiskState is what must persist across cycles. Losing it is safe: the
// reduced-for-funding flag is also derived from the position, and a lost
// cooldown costs at most one early trade.
type RiskState struct {
	Assets map[string]AssetRiskState
}

// Recorded is st with the cooldown clock restarted for every asset p acts on.
// st itself is not changed: the result has its own map when anything acted.
func (st RiskState) Recorded(p *Plan, at time.Time) RiskState {
	if p == nil || !slices.ContainsFunc(p.Orders, func(o Order) bool { return o.Asset != "" }) {
		return st
	}
	out := RiskState{Assets: maps.Clone(st.Assets)}
	if out.Assets == nil {
		out.Assets = map[string]AssetRiskState{}
	}
	for _, act := range p.Orders {
		if act.Asset != "" {
			v := out.Assets[act.Asset]
			v.LastActionAt = at
			out.Assets[act.Asset] = v
		}
	}
	return out
}

// AssetRisk is the risk verdict for one market. Funding is from the user's
// side of a short: + received, − paid.
type AssetRisk struct {
	Asset      string          `json:"asset"`
	HedgeRatio decimal.Decimal `json:"hedge_ratio"` // effective ratio for this cycle
	FundingAPR decimal.Decimal `json:"funding_apr"` // a short's funding, annualised
	// FundingPerYearUSD projects the current rate on the current short
	// notional; AccruedFunding is what the window has realised so far.
	FundingPerYearUSD decimal.Decimal `json:"funding_per_year_usd"`
	AccruedFunding    decimal.Decimal `json:"accrued_funding"`
	// The rolling window (Market.FundingBefore to now): what one unit of
	// short received over it, annualised (+ received, − paid), and the USD
	// the current short would have received. WindowSeconds is 0 when the
	// window is unknown or off, and then the window figures are zero.
	WindowFundingAPR decimal.Decimal `json:"window_funding_apr"`
	WindowFundingUSD decimal.Decimal `json:"window_funding_usd"`
	WindowSeconds    int64           `json:"window_seconds"`
	// CostAPR is the funding cost the budget is checked against: the larger
	// of the current rate's and the window's cost (positive = paid).
	CostAPR  decimal.Decimal `json:"cost_apr"`
	BasisBps decimal.Decimal `json:"basis_bps"`
	// EntryCostBps is what adding the short's missing part would cost, in
	// bps of its notional: the venue's trade cost (fees, impact, fixed
	// fees) plus the discount of mark to index; 0 with nothing to add.
	EntryCostBps      decimal.Decimal `json:"entry_cost_bps"`
	ReducedForFunding bool            `json:"reduced_for_funding"`
	Gate              string          `json:"gate,omitempty"`        // no action at all, and why
	NoIncrease        string          `json:"no_increase,omitempty"` // may reduce only, and why
	Hold              string          `json:"hold,omitempty"`        // no trade (cooldown), and why
	// LiquidationDistance is (liq − mark)/mark of the current short; TopUp is
	// the margin that would restore the floor without trading.
	LiquidationDistance decimal.Decimal `json:"liquidation_distance"`
	TopUp               decimal.Decimal `json:"top_up"`
	Alerts              []Alert         `json:"alerts,omitempty"`
}

// RiskDecision is EvaluateRisk's verdict for every market, sorted by asset,
// and the state to carry into the next cycle.
type RiskDecision struct {
	Assets []AssetRisk
	Next   RiskState
}

// Alerts is every alert of d in asset order.
func (d RiskDecision) Alerts() []Alert {
	var out []Alert
	for _, a := range d.Assets {
		out = append(out, a.Alerts...)
	}
	return out
}

var (
	bps        = decimal.NewFromInt(10000)
	daysPerYr  = decimal.NewFromInt(365)
	secondsPer = decimal.NewFromInt(365 * 24 * 3600) // a year
)

// EvaluateRisk judges feed health, funding, basis, liquidation distance and
// cooldown for every market in s. prev is the previous cycle's snapshot, or
// nil; it is needed only to see whether the funding index moves.
func EvaluateRisk(s *Snapshot, prev *Snapshot, pol Policies, state RiskState) (RiskDecision, error) {
	if s == nil {
		return RiskDecision{}, errors.New("no snapshot")
	}
	if err := pol.Validate(); err != nil {
		return RiskDecision{}, err
	}
	return evaluateRisk(s, prev, pol, state)
}

// CheckedPolicies is a Policies that passed Validate, kept as a copy so
// that later changes to the caller's map cannot slip past the check. A
// process that plans every cycle with the same policy (watch, the backtest)
// validates it once and plans with EvaluateRiskChecked / ApplyRiskChecked.
type CheckedPolicies struct {
	pol Policies
	ok  bool
}

// CheckPolicies validates ps and keeps a copy of it.
func CheckPolicies(ps Policies) (CheckedPolicies, error) {
	if err := ps.Validate(); err != nil {
		return CheckedPolicies{}, err
	}
	c := CheckedPolicies{pol: Policies{Default: ps.Default}, ok: true}
	if ps.Assets != nil {
		c.pol.Assets = make(map[string]AssetPolicy, len(ps.Assets))
		for a, p := range ps.Assets {
			c.pol.Assets[a] = p
		}
	}
	return c, nil
}

// Same says whether ps is, field for field, the policy c checked. Decimals
// are immutable, so the same value pointers mean the same numbers; a
// different pointer only costs a new check.
func (c CheckedPolicies) Same(ps Policies) bool {
	if !c.ok || c.pol.Default != ps.Default || len(c.pol.Assets) != len(ps.Assets) {
		return false
	}
	for a, p := range ps.Assets {
		if q, ok := c.pol.Assets[a]; !ok || q != p {
			return false
		}
	}
	return true
}

// EvaluateRiskChecked is EvaluateRisk with a policy validated beforehand.
func EvaluateRiskChecked(s *Snapshot, prev *Snapshot, pol CheckedPolicies, state RiskState) (RiskDecision, error) {
	if s == nil {
		return RiskDecision{}, errors.New("no snapshot")
	}
	if !pol.ok {
		return RiskDecision{}, errors.New("policy not checked")
	}
	return evaluateRisk(s, prev, pol.pol, state)
}

func evaluateRisk(s *Snapshot, prev *Snapshot, pol Policies, state RiskState) (RiskDecision, error) {
	spot := map[string]decimal.Decimal{}
	for _, h := range s.Holdings {
		addTo(spot, h.Asset, h.Amount)
	}
	addClaimables(s, spot)
	// Held assets with no market that are hedged on another market's short:
	// their feeds price part of that short, so their health gates it too.
	// (Each asset of spot once, from the holdings and claimables that made
	// it: cheaper than a walk of the map.)
	cross := map[string][]string{} // hedge market -> cross assets
	crossOf := func(x string) {
		if _, ok := s.Markets[x]; ok || !spot[x].IsPositive() {
			return
		}
		if via := pol.For(x).HedgeWith; via != "" && !slices.Contains(cross[via], x) {
			cross[via] = append(cross[via], x)
		}
	}
	for _, h := range s.Holdings {
		crossOf(h.Asset)
	}
	for _, c := range s.Claimables {
		crossOf(c.Asset)
	}
	for _, xs := range cross {
		slices.Sort(xs)
	}
	assets := make([]string, 0, len(s.Markets))
	for a := range s.Markets {
		assets = append(assets, a)
	}
	slices.Sort(assets)
	// Next shares state's map until an asset's state changes (most cycles
	// change none): RiskState is never written in place.
	out := RiskDecision{Next: state}
	if len(assets) > 0 {
		out.Assets = make([]AssetRisk, 0, len(assets))
	}
	copied := false
	setState := func(a string, st AssetRiskState) {
		if old, ok := out.Next.Assets[a]; ok && old == st {
			return
		}
		if !copied {
			m := make(map[string]AssetRiskState, len(state.Assets)+len(assets))
			maps.Copy(m, state.Assets)
			out.Next.Assets, copied = m, true
		}
		out.Next.Assets[a] = st
	}
	for _, a := range assets {
		m, p, pos := s.Markets[a], pol.For(a), s.PositionOf(a)
		st := state.Assets[a]
		r := AssetRisk{Asset: a, HedgeRatio: p.HedgeRatio, AccruedFunding: pos.AccruedFunding}
		alert := func(kind AlertKind, format string, args ...any) {
			r.Alerts = append(r.Alerts, Alert{Asset: a, Kind: kind, Message: a + ": " + fmt.Sprintf(format, args...)})
		}
		gate := func(kind AlertKind, format string, args ...any) {
			alert(kind, format, args...)
			if r.Gate == "" {
				r.Gate = fmt.Sprintf(format, args...) + "; not trading"
			}
		}

		priceOK := m.IndexPrice.IsPositive() && m.MarkPrice.IsPositive()
		if !priceOK {
			gate(AlertPrice, "non-positive price (index %s, mark %s)", m.IndexPrice, m.MarkPrice)
		}
		if p.MaxOracleAge > 0 {
			switch {
			case m.OracleUpdatedAt.IsZero() || s.Time.IsZero():
				gate(AlertOracle, "oracle update time unknown")
			case s.Time.Sub(m.OracleUpdatedAt) > p.MaxOracleAge:
				gate(AlertOracle, "oracle stale: updated %s ago, limit %s",
					s.Time.Sub(m.OracleUpdatedAt).Round(time.Second), p.MaxOracleAge)
			}
		}
		for _, x := range cross[a] {
			fp, px := s.Prices[x], pol.For(x)
			switch {
			case !fp.Price.IsPositive():
				gate(AlertPrice, "%s (hedged here) has no positive feed price", x)
			case px.MaxOracleAge > 0 && (fp.UpdatedAt.IsZero() || s.Time.IsZero()):
				gate(AlertOracle, "%s (hedged here): oracle update time unknown", x)
			case px.MaxOracleAge > 0 && s.Time.Sub(fp.UpdatedAt) > px.MaxOracleAge:
				gate(AlertOracle, "%s (hedged here): oracle stale: updated %s ago, limit %s",
					x, s.Time.Sub(fp.UpdatedAt).Round(time.Second), px.MaxOracleAge)
			}
		}
		if priceOK {
			r.BasisBps = basisBps(m.MarkPrice, m.IndexPrice)
			if lim := p.MaxMarkIndexDeviationBps; lim.IsPositive() && cmpAbs(r.BasisBps, lim) > 0 {
				gate(AlertDeviation, "mark deviates %s bps from index, limit %s", r.BasisBps.StringFixed(1), lim)
			}
		}
		if m.Benched != "" {
			// The adapter's own hold, with its reason (Paused comes with it).
			gate(AlertBenched, "%s", m.Benched)
		} else if m.Paused {
			gate(AlertPaused, "market paused")
		}
		if m.FundingSuspended {
			gate(AlertFundingSuspended, "funding suspended")
		}
		if stuck := fundingStuck(s, prev, a); stuck != "" {
			gate(AlertFundingIndex, "%s", stuck)
		}

		// Funding from a short's side: positive rates are paid by longs to shorts.
		r.FundingAPR = shortCarryAPR(m)
		q := neg(pos.Size)
		if q.IsPositive() && priceOK {
			r.FundingPerYearUSD = mul3(q, m.MarkPrice, r.FundingAPR)
		}
		// The worse of the current rate and the rolling window decides, so a
		// rate that just turned does not undo a window of payments at once.
		worst := r.FundingAPR
		fb := m.FundingBefore
		if p.FundingWindow > 0 && priceOK && !fb.Time.IsZero() && !s.Time.IsZero() && s.Time.After(fb.Time) {
			secs := int64(s.Time.Sub(fb.Time) / time.Second)
			if secs > 0 {
				// From what one unit of short received over the window.
				r.WindowSeconds = secs
				r.WindowFundingUSD, r.WindowFundingAPR = windowFunding(m.FundingIndex, fb.Index, q, m.MarkPrice, secs)
				worst = decimal.Min(worst, r.WindowFundingAPR)
			}
		}
		r.CostAPR = neg(worst)
		spotEq := spotEquivalent(s, pol, a, spot, cross[a])
		r.ReducedForFunding, r.HedgeRatio = fundingRegime(p, st, worst, q, spotEq, m, priceOK)
		cost := r.CostAPR
		switch {
		case p.FundingBudgetAPR.IsPositive() && cmp(cost, p.FundingBudgetAPR) > 0:
			// USD figures from the user's side: + received, − paid.
			what := fmt.Sprintf("funding costs the short %s a year (%s USD/yr on the position, accrued %s USD)",
				percent(r.FundingAPR.Neg()), signedUSD(r.FundingPerYearUSD), signedUSD(pos.AccruedFunding))
			if r.WindowSeconds > 0 {
				what += fmt.Sprintf("; over the last %s it cost %s a year (%s USD on this short)",
					time.Duration(r.WindowSeconds)*time.Second, percent(r.WindowFundingAPR.Neg()), signedUSD(r.WindowFundingUSD))
			}
			alert(AlertFunding, "%s, budget %s; action: %s", what, percent(p.FundingBudgetAPR), p.FundingAction)
		case st.ReducedForFunding && !r.ReducedForFunding:
			alert(AlertFundingResume, "funding APR %s (window %s) is above −%s; hedge ratio back to %s",
				percent(r.FundingAPR), percent(r.WindowFundingAPR), percent(resumeAPR(p)), p.HedgeRatio)
		}

		if lim := p.MaxBasisDiscountBps; lim.IsPositive() && priceOK && cmpNeg(r.BasisBps, lim) < 0 {
			r.NoIncrease = fmt.Sprintf("mark %s bps below index (limit %s); not opening or increasing the short",
				r.BasisBps.Neg().StringFixed(1), lim)
			alert(AlertBasis, "%s", r.NoIncrease)
		}

		if priceOK {
			// The missing part of the short at this cycle's ratio.
			want := mul3Div(r.HedgeRatio, spotEq, m.IndexPrice, m.MarkPrice)
			r.EntryCostBps = entryCostBps(m, want, q, r.BasisBps)
			if lim := p.MaxEntryCostBps; lim.IsPositive() && cmp(r.EntryCostBps, lim) > 0 && r.NoIncrease == "" {
				r.NoIncrease = fmt.Sprintf("adding to the short costs %s bps (fees, impact and basis; limit %s); not opening or increasing the short",
					r.EntryCostBps.StringFixed(1), lim)
				alert(AlertEntryCost, "%s", r.NoIncrease)
			}
		}

		if q.IsPositive() && priceOK {
			if liq := m.margin().LiquidationPrice(pos); liq.IsPositive() {
				r.LiquidationDistance = relative(liq, m.MarkPrice)
			}
			if p.LiqFloor.IsPositive() && cmp(r.LiquidationDistance, p.LiqFloor) < 0 {
				r.TopUp = m.margin().FloorEquity(q, m.MarkPrice, p.LiqFloor).Sub(pos.Equity()).RoundCeil(max(s.CollateralDecimals, 0))
				alert(AlertLiquidation, "liquidation %s above mark, floor %s; needs %s %s more margin",
					percent(r.LiquidationDistance), percent(p.LiqFloor), r.TopUp, s.CollateralSymbol)
			}
		}

		if p.Cooldown > 0 && !st.LastActionAt.IsZero() {
			// An unknown clock cannot prove the cooldown is over.
			if ago := s.Time.Sub(st.LastActionAt); s.Time.IsZero() || ago < p.Cooldown {
				r.Hold = fmt.Sprintf("cooldown: last action %s ago, wait %s", ago.Round(time.Second), p.Cooldown)
			}
		}

		st.ReducedForFunding = r.ReducedForFunding
		setState(a, st)
		out.Assets = append(out.Assets, r)
	}
	return out, nil
}

// signedUSD is an amount with its sign always shown (a real minus sign).
func signedUSD(x decimal.Decimal) string {
	if n, ok := fixed.Of(x); ok && useFixed {
		var buf [48]byte
		b := append(buf[:0], '+')
		if n.Sign() < 0 {
			b = append(buf[:0], "−"...)
		}
		if b, ok := fixed.AppendFixed(b, n.Abs(), 2); ok {
			return string(b)
		}
	}
	if x.IsNegative() {
		return "−" + x.Neg().StringFixed(2)
	}
	return "+" + x.StringFixed(2)
}

// fundingRegime applies the budget with hysteresis: enter the reduced state
// when the cost passes the budget, leave it only once the short's APR is above
// −ResumeAPR. Between the two the state holds, so a rate hovering there does
// not flap the hedge.
func fundingRegime(p AssetPolicy, st AssetRiskState, apr, q, spot decimal.Decimal, m Market, priceOK bool) (bool, decimal.Decimal) {
	if p.FundingAction == FundingAlert || !p.FundingBudgetAPR.IsPositive() {
		return false, p.HedgeRatio // alert only, or the budget is off
	}
	resume := resumeAPR(p)
	reduced := st.ReducedForFunding
	// After a restart the flag is gone, but a short well below the normal
	// target while funding is still costly means we had reduced it.
	if !reduced && priceOK && cmpNeg(apr, resume) <= 0 {
		normal := p.HedgeRatio.Mul(spot).Mul(m.IndexPrice).DivRound(m.MarkPrice, divPrecision)
		reduced = normal.IsPositive() && q.LessThan(normal.Mul(one.Sub(p.Band)))
	}
	switch {
	case cmpNeg(p.FundingBudgetAPR, apr) < 0: // −apr > budget
		reduced = true
	case cmpNeg(apr, resume) > 0:
		reduced = false
	}
	if !reduced {
		return false, p.HedgeRatio
	}
	if p.FundingAction == FundingClose {
		return true, decimal.Zero
	}
	return true, decimal.Min(p.ReducedRatio, p.HedgeRatio)
}

// resumeAPR is the cost below which a funding reduction ends. A resume
// level above the budget would flap straight back, so it is then half the
// budget: a lower budget alone keeps some hysteresis.
func resumeAPR(p AssetPolicy) decimal.Decimal {
	if p.ResumeAPR.GreaterThan(p.FundingBudgetAPR) {
		return p.FundingBudgetAPR.Div(decimal.NewFromInt(2))
	}
	return p.ResumeAPR
}

// spotEquivalent is the amount of a that its short hedges at full ratio:
// the spot held plus, for each cross asset x hedged on a, ratio·β·E_x in
// units of a. An unknown beta or price counts as zero (the planner then holds).
func spotEquivalent(s *Snapshot, pol Policies, a string, spot map[string]decimal.Decimal, xs []string) decimal.Decimal {
	out := spot[a]
	idx := s.Markets[a].IndexPrice
	if !idx.IsPositive() {
		return out
	}
	for _, x := range xs {
		px := pol.For(x)
		beta := px.Beta
		if px.BetaAuto {
			beta = s.Betas[x].Beta
		}
		usd := spot[x].Mul(s.Prices[x].Price)
		if beta.IsPositive() && usd.IsPositive() {
			out = out.Add(px.HedgeRatio.Mul(beta).Mul(usd).DivRound(idx, divPrecision))
		}
	}
	return out
}

// fundingStuck says why the funding index looks frozen, or "". A venue that
// accrues funding moves its index whenever time passes at a non-zero rate;
// a zero index on both sides means the adapter does not report it.
func fundingStuck(s, prev *Snapshot, asset string) string {
	if prev == nil {
		return ""
	}
	pm, ok := prev.Markets[asset]
	m := s.Markets[asset]
	if !ok || (m.FundingIndex.IsZero() && pm.FundingIndex.IsZero()) {
		return ""
	}
	if !s.Time.After(prev.Time) || m.FundingRatePerDay.IsZero() || pm.FundingRatePerDay.IsZero() {
		return ""
	}
	if cmp(m.FundingIndex, pm.FundingIndex) == 0 {
		return fmt.Sprintf("funding index has not moved since block %d at a non-zero rate", prev.Block)
	}
	return ""
}

// ApplyRisk plans s under the decisions of EvaluateRisk: effective ratio,
// gates, basis, minimum size, cooldown and the liquidation floor.
func ApplyRisk(s *Snapshot, pol Policies, dec RiskDecision) (*Plan, []Alert, error) {
	if err := pol.Validate(); err != nil {
		return nil, nil, err
	}
	return applyRisk(s, pol, dec)
}

// ApplyRiskChecked is ApplyRisk with a policy validated beforehand.
func ApplyRiskChecked(s *Snapshot, pol CheckedPolicies, dec RiskDecision) (*Plan, []Alert, error) {
	if !pol.ok {
		return nil, nil, errors.New("policy not checked")
	}
	return applyRisk(s, pol.pol, dec)
}

func applyRisk(s *Snapshot, pol Policies, dec RiskDecision) (*Plan, []Alert, error) {
	ratio := make(map[string]decimal.Decimal, len(dec.Assets))
	rules := make(map[string]assetRule, len(dec.Assets))
	for _, r := range dec.Assets {
		p := pol.For(r.Asset)
		// pol is validated; the decision's ratio replaces the policy's, so
		// it gets the same check (the planner does not validate again).
		if r.HedgeRatio.IsNegative() || r.HedgeRatio.GreaterThan(one) {
			return nil, nil, fmt.Errorf("policy for %s: hedge ratio %s is outside 0..1", r.Asset, r.HedgeRatio)
		}
		ratio[r.Asset] = r.HedgeRatio
		rules[r.Asset] = assetRule{gate: r.Gate, noIncrease: r.NoIncrease, hold: r.Hold,
			minTrade: p.MinTradeSize, liqFloor: p.LiqFloor, reducedForFunding: r.ReducedForFunding}
	}
	policyFor := func(a string) Policy {
		p := pol.For(a).Policy()
		if h, ok := ratio[a]; ok {
			p.HedgeRatio = h
		}
		return p
	}
	plan, err := buildPlan(s, policyFor, rules)
	if err != nil {
		return nil, nil, err
	}
	return plan, dec.Alerts(), nil
}

// BuildRiskPlan is EvaluateRisk then ApplyRisk. Callers that persist the
// next RiskState call the two themselves.
func BuildRiskPlan(s, prev *Snapshot, pol Policies, state RiskState) (*Plan, []Alert, error) {
	dec, err := EvaluateRisk(s, prev, pol, state)
	if err != nil {
		return nil, nil, err
	}
	return ApplyRisk(s, pol, dec)
}
