package hedge

// Beta estimation for cross-asset hedges, in decimal arithmetic.
//
// An asset X with no market of its own is hedged with the perp of another
// asset M. Per unit of X's USD exposure the short needs β USD of M, where β is
// the OLS slope of X's log returns on M's log returns over a window:
//
//	β = Σ(x−x̄)(m−m̄) / Σ(m−m̄)²        ρ = Sxm / √(Sxx·Smm)
//
// The residual r = x − α − β·m is what the hedge leaves open; its standard
// deviation, annualised with the sampling interval, is the residual
// (unhedged) volatility that `status` shows. No float64 is involved.

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// PricePoint is one observed price.
type PricePoint struct {
	Time  time.Time
	Price decimal.Decimal
}

// BetaEstimate is an OLS beta of Asset's log returns on HedgeWith's, with
// the figures a user needs to judge it. Vols are annualised standard
// deviations of log returns (0.8 = 80%/yr).
type BetaEstimate struct {
	Asset       string          `json:"asset"`
	HedgeWith   string          `json:"hedge_with"`
	Beta        decimal.Decimal `json:"beta"`
	Correlation decimal.Decimal `json:"correlation"`
	ResidualVol decimal.Decimal `json:"residual_vol"` // annualised vol of x − β·m: what the hedge leaves open
	AssetVol    decimal.Decimal `json:"asset_vol"`
	HedgeVol    decimal.Decimal `json:"hedge_vol"`
	Samples     int             `json:"samples"` // returns used
	From        time.Time       `json:"from"`
	To          time.Time       `json:"to"`
	Interval    time.Duration   `json:"interval"` // mean spacing of the returns
	Source      string          `json:"source"`   // "feeds" or "csv PATH"
}

// Window is the span of the data actually used.
func (e BetaEstimate) Window() time.Duration { return e.To.Sub(e.From) }

// WindowText describes the window for display: "30d (2025-11-01 → 2025-12-01, 720 returns)".
func (e BetaEstimate) WindowText() string {
	return fmt.Sprintf("%s (%s → %s, %d returns)", fmtSpan(e.Window()),
		e.From.UTC().Format("2006-01-02 15:04"), e.To.UTC().Format("2006-01-02 15:04"), e.Samples)
}

func fmtSpan(d time.Duration) string {
	if d >= 48*time.Hour {
		days, rest := d/(24*time.Hour), d%(24*time.Hour)
		if h := rest / time.Hour; h > 0 {
			return fmt.Sprintf("%dd%dh", days, h)
		}
		return fmt.Sprintf("%dd", days)
	}
	return d.Round(time.Second).String()
}

// CrossHedgeWarning is shown with every cross-asset hedge.
const CrossHedgeWarning = "hedge is imperfect: cross-asset hedge, the residual volatility is not hedged"

// MinBetaSamples is the fewest returns an estimate accepts.
const MinBetaSamples = 10

const betaPrecision = 24

var daysPerYear = decimal.RequireFromString("365.25")

// AlignPrices pairs two price series in time. Updates of either series closer
// than tol to the first update of their cluster are one observation (feeds
// pushed a block apart); each observation takes both series' latest price at
// the cluster's end. Points before both series have a price, or after
// either has ended, are dropped.
func AlignPrices(x, m []PricePoint, tol time.Duration) (times []time.Time, px, pm []decimal.Decimal) {
	x, m = sortedPoints(x), sortedPoints(m)
	var all []time.Time
	for _, p := range x {
		all = append(all, p.Time)
	}
	for _, p := range m {
		all = append(all, p.Time)
	}
	slices.SortFunc(all, func(a, b time.Time) int { return a.Compare(b) })
	var ends []time.Time
	for i := 0; i < len(all); {
		start, j := all[i], i
		for j+1 < len(all) && all[j+1].Sub(start) <= tol {
			j++
		}
		ends = append(ends, all[j])
		i = j + 1
	}
	if len(x) == 0 || len(m) == 0 {
		return nil, nil, nil
	}
	// Past the end of either series its price would be carried forward
	// stale and fake zero returns, so observations stop there.
	stop := x[len(x)-1].Time
	if m[len(m)-1].Time.Before(stop) {
		stop = m[len(m)-1].Time
	}
	stop = stop.Add(tol)
	ix, im := -1, -1
	for _, t := range ends {
		if t.After(stop) {
			break
		}
		for ix+1 < len(x) && !x[ix+1].Time.After(t) {
			ix++
		}
		for im+1 < len(m) && !m[im+1].Time.After(t) {
			im++
		}
		if ix < 0 || im < 0 {
			continue
		}
		times, px, pm = append(times, t), append(px, x[ix].Price), append(pm, m[im].Price)
	}
	return times, px, pm
}

func sortedPoints(p []PricePoint) []PricePoint {
	out := slices.Clone(p)
	slices.SortStableFunc(out, func(a, b PricePoint) int { return a.Time.Compare(b.Time) })
	return out
}

// EstimateBeta aligns x (the asset) and m (the hedge market's asset), keeps
// the last window of it (0 = all), and regresses x's log returns on m's.
func EstimateBeta(asset, hedgeWith string, x, m []PricePoint, window, tol time.Duration) (BetaEstimate, error) {
	times, px, pm := AlignPrices(x, m, tol)
	if window > 0 && len(times) > 0 {
		cut := times[len(times)-1].Add(-window)
		k := 0
		for k < len(times) && times[k].Before(cut) {
			k++
		}
		times, px, pm = times[k:], px[k:], pm[k:]
	}
	e, err := estimateFromPrices(times, px, pm)
	e.Asset, e.HedgeWith = asset, hedgeWith
	if err != nil {
		return e, fmt.Errorf("beta of %s on %s: %w", asset, hedgeWith, err)
	}
	return e, nil
}

func estimateFromPrices(times []time.Time, px, pm []decimal.Decimal) (BetaEstimate, error) {
	var rx, rm []decimal.Decimal
	for i := 1; i < len(times); i++ {
		a, err := logReturn(px[i-1], px[i])
		if err != nil {
			return BetaEstimate{}, err
		}
		b, err := logReturn(pm[i-1], pm[i])
		if err != nil {
			return BetaEstimate{}, err
		}
		rx, rm = append(rx, a), append(rm, b)
	}
	if len(rx) < MinBetaSamples {
		return BetaEstimate{}, fmt.Errorf("%d aligned returns, need at least %d", len(rx), MinBetaSamples)
	}
	e, err := OLSBeta(rx, rm)
	if err != nil {
		return e, err
	}
	e.From, e.To = times[0], times[len(times)-1]
	e.Interval = e.To.Sub(e.From) / time.Duration(len(rx))
	if e.Interval <= 0 {
		return e, errors.New("all observations at one time")
	}
	// Annualise: variance scales with the number of intervals per year.
	perYear := daysPerYear.Mul(decimal.NewFromInt(int64(24*time.Hour))).DivRound(decimal.NewFromInt(int64(e.Interval)), betaPrecision)
	for _, v := range []*decimal.Decimal{&e.ResidualVol, &e.AssetVol, &e.HedgeVol} {
		*v = SqrtDecimal(v.Mul(v.Mul(perYear))) // v holds a per-interval stdev here
	}
	return e, nil
}

func logReturn(p0, p1 decimal.Decimal) (decimal.Decimal, error) {
	if !p0.IsPositive() || !p1.IsPositive() {
		return decimal.Zero, fmt.Errorf("non-positive price %s or %s", p0, p1)
	}
	return p1.DivRound(p0, betaPrecision).Ln(betaPrecision)
}

// OLSBeta regresses x on m (with an intercept). It returns beta,
// correlation and per-observation standard deviations (not annualised) in
// ResidualVol, AssetVol and HedgeVol, and the sample count.
func OLSBeta(x, m []decimal.Decimal) (BetaEstimate, error) {
	n := len(x)
	if n != len(m) {
		return BetaEstimate{}, fmt.Errorf("series lengths differ: %d and %d", len(x), len(m))
	}
	if n < 3 {
		return BetaEstimate{}, fmt.Errorf("%d observations, need at least 3", n)
	}
	N := decimal.NewFromInt(int64(n))
	var sx, sm decimal.Decimal
	for i := range x {
		sx, sm = sx.Add(x[i]), sm.Add(m[i])
	}
	mx, mm := sx.DivRound(N, betaPrecision), sm.DivRound(N, betaPrecision)
	sxx, smm, sxm := olsSums(x, m, mx, mm)
	return olsEstimate(n, sxx, smm, sxm)
}

// olsEstimate is OLSBeta's estimate from the centred sums of n
// observations. It reads only their values (every result is a DivRound or
// a square root at betaPrecision), so sums equal in value give the same
// estimate, exponents included.
func olsEstimate(n int, sxx, smm, sxm decimal.Decimal) (BetaEstimate, error) {
	if !smm.IsPositive() {
		return BetaEstimate{}, errors.New("the hedge asset's price never moved: beta is undefined")
	}
	e := BetaEstimate{Samples: n}
	e.Beta = sxm.DivRound(smm, betaPrecision)
	if sxx.IsPositive() {
		sd := SqrtDecimal(sxx.Mul(smm))
		if !sd.IsPositive() {
			// Below 10^-24 the root rounds to 0: dividing by it would panic.
			return BetaEstimate{}, errors.New("the returns are too small to estimate: their spread is below the estimator's precision")
		}
		e.Correlation = sxm.DivRound(sd, betaPrecision)
	}
	// Residual sum of squares of the fit; n − 2 degrees of freedom.
	ssr := decimal.Max(decimal.Zero, sxx.Sub(e.Beta.Mul(sxm)))
	e.ResidualVol = SqrtDecimal(ssr.DivRound(decimal.NewFromInt(int64(n-2)), betaPrecision))
	e.AssetVol = SqrtDecimal(sxx.DivRound(decimal.NewFromInt(int64(n-1)), betaPrecision))
	e.HedgeVol = SqrtDecimal(smm.DivRound(decimal.NewFromInt(int64(n-1)), betaPrecision))
	return e, nil
}

// OLSWindow is OLSBeta over a sliding window of observations: Push adds
// one at the end, Pop drops the oldest, and Estimate is OLSBeta of what is
// in the window, equal to it field for field and exponent for exponent.
// It keeps the raw sums Σx, Σm, Σx², Σm², Σxm exactly (decimal addition and
// multiplication are exact) and centres them once per estimate
// (Σ(x−mx)² = Σx² − 2·mx·Σx + n·mx², with mx rounded as OLSBeta rounds
// it), so a rolling estimate costs a few operations a step rather than a
// pass over the window. A backtest estimates at every step.
type OLSWindow struct {
	x, m                  []decimal.Decimal // the window, oldest first
	sx, sm, sxx, smm, sxm decimal.Decimal
}

// Push adds the observation (x, m) at the end of the window.
func (w *OLSWindow) Push(x, m decimal.Decimal) {
	w.x, w.m = append(w.x, x), append(w.m, m)
	w.sx, w.sm = w.sx.Add(x), w.sm.Add(m)
	w.sxx, w.smm, w.sxm = w.sxx.Add(x.Mul(x)), w.smm.Add(m.Mul(m)), w.sxm.Add(x.Mul(m))
}

// Pop drops the oldest observation; it does nothing on an empty window.
func (w *OLSWindow) Pop() {
	if len(w.x) == 0 {
		return
	}
	x, m := w.x[0], w.m[0]
	w.x, w.m = w.x[1:], w.m[1:]
	w.sx, w.sm = w.sx.Sub(x), w.sm.Sub(m)
	w.sxx, w.smm, w.sxm = w.sxx.Sub(x.Mul(x)), w.smm.Sub(m.Mul(m)), w.sxm.Sub(x.Mul(m))
}

// Len is the number of observations in the window.
func (w *OLSWindow) Len() int { return len(w.x) }

// Estimate is OLSBeta(the window's x, the window's m).
func (w *OLSWindow) Estimate() (BetaEstimate, error) {
	n := len(w.x)
	if n < 3 {
		return BetaEstimate{}, fmt.Errorf("%d observations, need at least 3", n)
	}
	N := decimal.NewFromInt(int64(n))
	mx, mm := w.sx.DivRound(N, betaPrecision), w.sm.DivRound(N, betaPrecision)
	two := decimal.NewFromInt(2)
	sxx := w.sxx.Sub(two.Mul(mx).Mul(w.sx)).Add(N.Mul(mx).Mul(mx))
	smm := w.smm.Sub(two.Mul(mm).Mul(w.sm)).Add(N.Mul(mm).Mul(mm))
	sxm := w.sxm.Sub(mm.Mul(w.sx)).Sub(mx.Mul(w.sm)).Add(N.Mul(mx).Mul(mm))
	return olsEstimate(n, sxx, smm, sxm)
}

// olsSums is Σ(x−mx)², Σ(m−mm)² and Σ(x−mx)(m−mm), as the decimal sums
// give them (olsSumsDec), exponents included, in three big.Int accumulators
// rather than a new Decimal for each of the 6n operations: a rolling
// estimate runs it once per step and window.
func olsSums(x, m []decimal.Decimal, mx, mm decimal.Decimal) (sxx, smm, sxm decimal.Decimal) {
	var acc [3]big.Int
	var exp [3]int32 // Decimal{} starts every sum at exponent 0
	var dx, dm, t, p big.Int
	add := func(k int, v *big.Int, e int32) {
		switch {
		case e < exp[k]:
			acc[k].Mul(&acc[k], pow10Int(exp[k]-e))
			exp[k] = e
		case e > exp[k]:
			v = t.Mul(v, pow10Int(e-exp[k]))
		}
		acc[k].Add(&acc[k], v)
	}
	var c big.Int
	// d = a − b at the smaller exponent, as Decimal.Sub makes it (b's
	// coefficient given).
	sub := func(d *big.Int, a decimal.Decimal, b *big.Int, eb int32) int32 {
		ea := a.Exponent()
		e := min(ea, eb)
		if a.NumDigits() <= 18 {
			c.SetInt64(a.CoefficientInt64()) // no copy of a's own
		} else {
			c.Set(a.Coefficient())
		}
		d.Mul(&c, pow10Int(ea-e))
		d.Sub(d, t.Mul(b, pow10Int(eb-e)))
		return e
	}
	cmx, cmm := mx.Coefficient(), mm.Coefficient()
	for i := range x {
		ex, em := sub(&dx, x[i], cmx, mx.Exponent()), sub(&dm, m[i], cmm, mm.Exponent())
		add(0, p.Mul(&dx, &dx), 2*ex)
		add(1, p.Mul(&dm, &dm), 2*em)
		add(2, p.Mul(&dx, &dm), ex+em)
	}
	return decimal.NewFromBigInt(&acc[0], exp[0]), decimal.NewFromBigInt(&acc[1], exp[1]), decimal.NewFromBigInt(&acc[2], exp[2])
}

// olsSumsDec is olsSums in Decimal arithmetic, for the tests.
func olsSumsDec(x, m []decimal.Decimal, mx, mm decimal.Decimal) (sxx, smm, sxm decimal.Decimal) {
	for i := range x {
		dx, dm := x[i].Sub(mx), m[i].Sub(mm)
		sxx, smm, sxm = sxx.Add(dx.Mul(dx)), smm.Add(dm.Mul(dm)), sxm.Add(dx.Mul(dm))
	}
	return sxx, smm, sxm
}

var pow10Ints [80]*big.Int

func init() {
	for k := range pow10Ints {
		pow10Ints[k] = new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
	}
}

// pow10Int is 10^k (k ≥ 0), shared and never changed.
func pow10Int(k int32) *big.Int {
	if int(k) < len(pow10Ints) {
		return pow10Ints[k]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
}

// SqrtDecimal is the square root of a non-negative d to betaPrecision
// places (rounded down), by integer square root of d·10^(2p); negative input
// gives 0.
func SqrtDecimal(d decimal.Decimal) decimal.Decimal {
	if !d.IsPositive() {
		return decimal.Zero
	}
	n := d.Shift(2 * betaPrecision).BigInt()
	return decimal.NewFromBigInt(new(big.Int).Sqrt(n), -betaPrecision)
}

// ReadPriceCSV reads a price history. The first row is a header; the time
// column is the first one named date, time, timestamp or datetime (RFC 3339,
// YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, or Unix seconds). The price column is the
// one named column when given, else the first of price, close,
// spot_close_usdt_binance, spot_close_usd_coinbase, else the second column.
// Rows with an empty price are skipped. This reads the daily files of the
// project's dataset (date,spot_close_usdt_binance,...) as they are.
func ReadPriceCSV(r io.Reader, column string) ([]PricePoint, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("csv header: %w", err)
	}
	ti, pi := -1, -1
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		head[i] = h
		if ti < 0 && (h == "date" || h == "time" || h == "timestamp" || h == "datetime") {
			ti = i
		}
	}
	want := []string{"price", "close", "spot_close_usdt_binance", "spot_close_usd_coinbase"}
	if column != "" {
		want = []string{strings.ToLower(column)}
	}
	for _, w := range want {
		if k := slices.Index(head, w); k >= 0 {
			pi = k
			break
		}
	}
	if ti < 0 {
		return nil, errors.New("csv has no date/time/timestamp column")
	}
	if pi < 0 {
		if column != "" || len(head) < 2 {
			return nil, fmt.Errorf("csv has no price column %v", want)
		}
		pi = 1
		if ti == 1 {
			pi = 0
		}
	}
	var out []PricePoint
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("csv line %d: %w", line, err)
		}
		if len(rec) <= max(ti, pi) || strings.TrimSpace(rec[pi]) == "" {
			continue
		}
		t, err := parseCSVTime(strings.TrimSpace(rec[ti]))
		if err != nil {
			return nil, fmt.Errorf("csv line %d: %w", line, err)
		}
		p, err := decimal.NewFromString(strings.TrimSpace(rec[pi]))
		if err != nil {
			return nil, fmt.Errorf("csv line %d: price %q is not a number", line, rec[pi])
		}
		out = append(out, PricePoint{Time: t, Price: p})
	}
	if len(out) == 0 {
		return nil, errors.New("csv has no prices")
	}
	return out, nil
}

func parseCSVTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := decimal.NewFromString(s); err == nil && n.IsInteger() {
		return time.Unix(n.IntPart(), 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("time %q is not a date, RFC 3339 time or Unix seconds", s)
}

// BetaCSVSpec is a policy's beta_csv value: "ASSET_FILE, HEDGE_FILE" (one
// price series per file, e.g. the dataset's sol_daily.csv, eth_daily.csv)
// or one file with a column named after each asset ("date,LDO,ETH").
type BetaCSVSpec struct {
	AssetFile, HedgeFile string // HedgeFile empty: one wide file
}

// ParseBetaCSV splits a beta_csv value.
func ParseBetaCSV(v string) BetaCSVSpec {
	a, b, _ := strings.Cut(v, ",")
	return BetaCSVSpec{AssetFile: strings.TrimSpace(a), HedgeFile: strings.TrimSpace(b)}
}
