package hedge

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// orthogonal returns u minus its projection on [1, m]: a residual with zero
// mean and zero covariance with m, so an OLS fit of β·m + ε recovers β exactly.
func orthogonal(u, m []decimal.Decimal) []decimal.Decimal {
	n := decimal.NewFromInt(int64(len(u)))
	var su, sm decimal.Decimal
	for i := range u {
		su, sm = su.Add(u[i]), sm.Add(m[i])
	}
	mu, mm := su.DivRound(n, 40), sm.DivRound(n, 40)
	var sum, smm decimal.Decimal
	for i := range u {
		dm := m[i].Sub(mm)
		sum, smm = sum.Add(u[i].Sub(mu).Mul(dm)), smm.Add(dm.Mul(dm))
	}
	k := sum.DivRound(smm, 40)
	out := make([]decimal.Decimal, len(u))
	for i := range u {
		out[i] = u[i].Sub(mu).Sub(k.Mul(m[i].Sub(mm)))
	}
	return out
}

// lcg is a tiny deterministic generator of returns in [-0.05, 0.05).
func lcg(seed uint64, n int) []decimal.Decimal {
	out := make([]decimal.Decimal, n)
	for i := range out {
		seed = seed*6364136223846793005 + 1442695040888963407
		out[i] = decimal.NewFromInt(int64(seed>>40)%10000 - 5000).Shift(-5)
	}
	return out
}

func TestOLSBetaExact(t *testing.T) {
	const n = 500
	m := lcg(1, n)
	eps := orthogonal(lcg(2, n), m)
	beta, alpha := d("1.3"), d("0.0004")
	x := make([]decimal.Decimal, n)
	var ssr decimal.Decimal
	for i := range x {
		x[i] = alpha.Add(beta.Mul(m[i])).Add(eps[i])
		ssr = ssr.Add(eps[i].Mul(eps[i]))
	}
	e, err := OLSBeta(x, m)
	if err != nil {
		t.Fatal(err)
	}
	if diff := e.Beta.Sub(beta).Abs(); diff.GreaterThan(d("1e-15")) {
		t.Fatalf("beta %s, want %s (diff %s)", e.Beta, beta, diff)
	}
	wantRes := SqrtDecimal(ssr.DivRound(decimal.NewFromInt(n-2), 30))
	if diff := e.ResidualVol.Sub(wantRes).Abs(); diff.GreaterThan(d("1e-15")) {
		t.Fatalf("residual sd %s, want %s", e.ResidualVol, wantRes)
	}
	// ρ = β·σm/σx.
	wantCorr := beta.Mul(e.HedgeVol).DivRound(e.AssetVol, 30)
	if diff := e.Correlation.Sub(wantCorr).Abs(); diff.GreaterThan(d("1e-12")) {
		t.Fatalf("correlation %s, want %s", e.Correlation, wantCorr)
	}
	if !e.Correlation.IsPositive() || e.Correlation.GreaterThan(one) || e.Samples != n {
		t.Fatalf("correlation %s samples %d", e.Correlation, e.Samples)
	}
	if _, err := OLSBeta(x, make([]decimal.Decimal, n)); err == nil {
		t.Fatal("a constant hedge series gave a beta")
	}
}

// TestEstimateBetaFromPrices: x = m² / 1000 has log returns exactly twice
// m's, so β = 2, ρ = 1 and no residual; hourly prices annualise by 8766.
func TestEstimateBetaFromPrices(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var x, m []PricePoint
	p := d("3000")
	for i, r := range lcg(7, 200) {
		p = p.Mul(one.Add(r)).Round(8)
		at := t0.Add(time.Duration(i) * time.Hour)
		m = append(m, PricePoint{Time: at, Price: p})
		// The asset's feed is pushed a block (2 s) later: still one observation.
		x = append(x, PricePoint{Time: at.Add(2 * time.Second), Price: p.Mul(p).DivRound(d("1000"), 30)})
	}
	e, err := EstimateBeta("LDO", "ETH", x, m, 0, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if diff := e.Beta.Sub(d("2")).Abs(); diff.GreaterThan(d("1e-12")) {
		t.Fatalf("beta %s, want 2", e.Beta)
	}
	if diff := e.Correlation.Sub(one).Abs(); diff.GreaterThan(d("1e-9")) || e.ResidualVol.GreaterThan(d("1e-6")) {
		t.Fatalf("correlation %s residual vol %s, want 1 and 0", e.Correlation, e.ResidualVol)
	}
	if e.Samples != 199 || e.Interval != time.Hour {
		t.Fatalf("samples %d interval %s", e.Samples, e.Interval)
	}
	// Annualised asset vol is 2× the hedge's.
	if diff := e.AssetVol.Sub(e.HedgeVol.Mul(d("2"))).Abs(); diff.GreaterThan(d("1e-9")) {
		t.Fatalf("asset vol %s, hedge vol %s", e.AssetVol, e.HedgeVol)
	}
	// A 24h window keeps 25 observations, 24 returns.
	w, err := EstimateBeta("LDO", "ETH", x, m, 24*time.Hour, time.Minute)
	if err != nil || w.Samples != 24 || !strings.HasPrefix(w.WindowText(), "24h0m0s") {
		t.Fatalf("24h window: %+v %v (%s)", w, err, w.WindowText())
	}
	// Too little history is an error, not a guess.
	if _, err := EstimateBeta("LDO", "ETH", x[:5], m[:5], 0, time.Minute); err == nil {
		t.Fatal("5 prices gave a beta")
	}
}

func TestSqrtDecimal(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"4", "2"}, {"0.0001", "0.01"}, {"2", "1.414213562373095048801688"}, {"0", "0"}, {"-1", "0"},
		{"123456789", "11111.111060555555440541666143"},
	} {
		if got := SqrtDecimal(d(c.in)); !got.Equal(d(c.want)) {
			t.Errorf("sqrt(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestReadPriceCSV(t *testing.T) {
	in := "date,spot_close_usdt_binance,spot_close_usd_coinbase,funding_rate_day\n" +
		"2020-01-01,130.77,130.19,0.00001229\n2020-01-02,127.19,,0.0003\n2020-01-03,,,0\n"
	pts, err := ReadPriceCSV(strings.NewReader(in), "")
	if err != nil || len(pts) != 2 || !pts[1].Price.Equal(d("127.19")) || pts[1].Time.Day() != 2 {
		t.Fatalf("%+v %v", pts, err)
	}
	wide := "timestamp,LDO,ETH\n1767225600,1.5,3000\n1767229200,1.6,3100\n"
	pts, err = ReadPriceCSV(strings.NewReader(wide), "eth")
	if err != nil || len(pts) != 2 || !pts[1].Price.Equal(d("3100")) || pts[0].Time.Unix() != 1767225600 {
		t.Fatalf("wide: %+v %v", pts, err)
	}
	for _, bad := range []string{"price\n1\n", "date,price\nyesterday,1\n", "date,price\n2020-01-01,abc\n"} {
		if _, err := ReadPriceCSV(strings.NewReader(bad), ""); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if s := ParseBetaCSV(" a.csv , b.csv "); s.AssetFile != "a.csv" || s.HedgeFile != "b.csv" {
		t.Fatalf("%+v", s)
	}
}

// floatBeta is an independent float64 reference for the real-data check only.
func floatBeta(x, m []PricePoint, last int) (beta, corr float64, n int) {
	byDay := map[string]float64{}
	for _, p := range m {
		byDay[p.Time.Format("2006-01-02")] = p.Price.InexactFloat64()
	}
	var rx, rm []float64
	var px, pm float64
	var days []string
	for _, p := range x {
		if _, ok := byDay[p.Time.Format("2006-01-02")]; ok {
			days = append(days, p.Time.Format("2006-01-02"))
		}
	}
	xs := map[string]float64{}
	for _, p := range x {
		xs[p.Time.Format("2006-01-02")] = p.Price.InexactFloat64()
	}
	if last > 0 && len(days) > last+1 {
		days = days[len(days)-last-1:]
	}
	for i, day := range days {
		if i > 0 {
			rx, rm = append(rx, math.Log(xs[day]/px)), append(rm, math.Log(byDay[day]/pm))
		}
		px, pm = xs[day], byDay[day]
	}
	n = len(rx)
	var mx, mm float64
	for i := range rx {
		mx, mm = mx+rx[i]/float64(n), mm+rm[i]/float64(n)
	}
	var sxm, smm, sxx float64
	for i := range rx {
		sxm += (rx[i] - mx) * (rm[i] - mm)
		smm += (rm[i] - mm) * (rm[i] - mm)
		sxx += (rx[i] - mx) * (rx[i] - mx)
	}
	return sxm / smm, sxm / math.Sqrt(sxx*smm), n
}

// loadPrices reads one of the project's daily close files in testdata.
func loadPrices(t *testing.T, name string) []PricePoint {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pts, err := ReadPriceCSV(f, "")
	if err != nil {
		t.Fatal(err)
	}
	return pts
}

// TestBetaRealData estimates SOL on ETH and ETH on BTC from the project's
// Binance daily closes and checks the decimal estimate against an
// independent float64 computation and a plausible range.
func TestBetaRealData(t *testing.T) {
	load := func(name string) []PricePoint { return loadPrices(t, name) }
	eth, btc, sol := load("eth_daily_close.csv"), load("btc_daily_close.csv"), load("sol_daily_close.csv")
	for _, c := range []struct {
		name   string
		x, m   []PricePoint
		window time.Duration
		last   int
		lo, hi string
	}{
		{"SOL/ETH all", sol, eth, 0, 0, "0.8", "1.2"},
		{"SOL/ETH 365d", sol, eth, 365 * 24 * time.Hour, 365, "0.8", "1.1"},
		{"ETH/BTC all", eth, btc, 0, 0, "1.0", "1.3"},
	} {
		e, err := EstimateBeta("X", "M", c.x, c.m, c.window, time.Minute)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		fb, fc, n := floatBeta(c.x, c.m, c.last)
		if e.Samples != n {
			t.Fatalf("%s: %d returns, reference %d", c.name, e.Samples, n)
		}
		if got := e.Beta.InexactFloat64(); math.Abs(got-fb) > 1e-9 || math.Abs(e.Correlation.InexactFloat64()-fc) > 1e-9 {
			t.Fatalf("%s: beta %s corr %s, reference %.12f %.12f", c.name, e.Beta, e.Correlation, fb, fc)
		}
		if e.Beta.LessThan(d(c.lo)) || e.Beta.GreaterThan(d(c.hi)) || e.Interval != 24*time.Hour {
			t.Fatalf("%s: beta %s outside %s..%s (interval %s)", c.name, e.Beta, c.lo, c.hi, e.Interval)
		}
		t.Logf("%s: beta %s (reference %.6f) corr %s residual vol %s/yr over %s",
			c.name, e.Beta.StringFixed(6), fb, e.Correlation.StringFixed(4), e.ResidualVol.StringFixed(4), e.WindowText())
	}
}

// sameEstimate says a and b agree field for field, exponents included.
func sameEstimate(a, b BetaEstimate) bool {
	for _, p := range [][2]decimal.Decimal{{a.Beta, b.Beta}, {a.Correlation, b.Correlation},
		{a.ResidualVol, b.ResidualVol}, {a.AssetVol, b.AssetVol}, {a.HedgeVol, b.HedgeVol}} {
		if !p[0].Equal(p[1]) || p[0].Exponent() != p[1].Exponent() {
			return false
		}
	}
	return a.Samples == b.Samples
}

// An OLSWindow sliding over a series gives, at every step, what OLSBeta
// gives for the same observations: on the real SOL and ETH daily log
// returns (paired by index) with a 90-day window, as the backtest rolls it, and on
// random series whose values carry mixed exponents and signs, with a
// window that also grows and shrinks.
func TestOLSWindowIsOLSBeta(t *testing.T) {
	returns := func(name string) []decimal.Decimal {
		pts := loadPrices(t, name)
		out := make([]decimal.Decimal, len(pts)-1)
		for i := range out {
			var err error
			if out[i], err = logReturn(pts[i].Price, pts[i+1].Price); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	sol, eth := returns("sol_daily_close.csv"), returns("eth_daily_close.csv")
	n := min(len(sol), len(eth))
	check := func(name string, x, m []decimal.Decimal, width func(i int) int) {
		t.Helper()
		var w OLSWindow
		compared := 0
		for i := range x {
			w.Push(x[i], m[i])
			for w.Len() > width(i) {
				w.Pop()
			}
			lo := i + 1 - w.Len()
			want, werr := OLSBeta(x[lo:i+1], m[lo:i+1])
			got, gerr := w.Estimate()
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("%s step %d: window error %v, OLSBeta error %v", name, i, gerr, werr)
			}
			if werr == nil {
				compared++
				if !sameEstimate(got, want) {
					t.Fatalf("%s step %d (%d samples): window %+v, OLSBeta %+v", name, i, w.Len(), got, want)
				}
			}
		}
		if compared < len(x)/2 {
			t.Fatalf("%s: only %d of %d steps had an estimate", name, compared, len(x))
		}
	}
	check("SOL/ETH 90 days", sol[:n], eth[:n], func(int) int { return 90 })

	r := rand.New(rand.NewPCG(3, 4))
	const k = 400
	x, m := make([]decimal.Decimal, k), make([]decimal.Decimal, k)
	for i := range x {
		x[i] = decimal.New(r.Int64N(2_000_001)-1_000_000, -int32(r.IntN(12)))
		m[i] = decimal.New(r.Int64N(2_000_001)-1_000_000, -int32(r.IntN(12)))
	}
	check("random, varying window", x, m, func(i int) int { return 3 + (i*7)%40 })
}

// Returns so small that the root of their variances' product rounds to 0
// give an error, not a division by zero (they panicked before), from
// OLSBeta and OLSWindow alike.
func TestOLSTinyReturnsNoPanic(t *testing.T) {
	const n = 40
	x, m := make([]decimal.Decimal, n), make([]decimal.Decimal, n)
	var w OLSWindow
	for i := range n {
		x[i] = decimal.New(int64(i%7)-3, -14)
		m[i] = decimal.New(int64(i%5)-2, -14)
		w.Push(x[i], m[i])
	}
	if _, err := OLSBeta(x, m); err == nil {
		t.Fatal("OLSBeta: an estimate from returns below its precision")
	}
	if _, err := w.Estimate(); err == nil {
		t.Fatal("OLSWindow: an estimate from returns below its precision")
	}
}
