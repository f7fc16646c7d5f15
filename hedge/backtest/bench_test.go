package backtest

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

// benchRuns are the three single-asset backtests of the benchmark: ETH and
// BTC on their own perps, SOL on its own and (cross-asset) on ETH's.
func benchRuns(b *testing.B, eth, btc, sol *Series) []Config {
	pol := hedge.DefaultPolicies()
	hold := func(a string) []Hold { return []Hold{{Asset: a, Amount: decimal.NewFromInt(10)}} }
	return []Config{
		{Series: []*Series{eth}, Hold: hold("ETH"), Policy: pol, Costs: CostsGMX},
		{Series: []*Series{btc}, Hold: hold("BTC"), Policy: pol, Costs: CostsGMX},
		{Series: []*Series{sol, eth}, Hold: hold("SOL"), Policy: pol, Costs: CostsGMX},
	}
}

func runBench(b *testing.B, cfgs []Config) {
	// As the command does (cmd/hedger/backtest.go); GOGC=100 in the
	// environment measures the default instead.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	plans := 0
	for _, c := range cfgs {
		res, err := Run(c)
		if err != nil {
			b.Fatal(err)
		}
		plans += res.PlannerCalls
	}
	// CPU time as well as wall time: on a shared machine the wall clock
	// also counts other processes' turns.
	cpu0, haveCPU := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		for _, c := range cfgs {
			if _, err := Run(c); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu1, _ := cpuTime()
	b.ReportMetric(float64(plans), "plans/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(plans), "ns/plan")
	if haveCPU {
		b.ReportMetric((cpu1-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	}
}

// BenchmarkSixYearsDaily: 2020–2025 daily, BTC, ETH and SOL, every default
// strategy (20 per asset, 21 for SOL with the ETH cross hedge).
func BenchmarkSixYearsDaily(b *testing.B) {
	eth, btc, sol := load(b, "eth_daily.csv", SpotCoinbase), load(b, "btc_daily.csv", SpotCoinbase), load(b, "sol_daily.csv", SpotCoinbase)
	runBench(b, benchRuns(b, eth, btc, sol))
}

// BenchmarkSixYears8h is the same at the funding's own 8-hour resolution
// (the settlements of funding_8h.csv summed per 8 hours, prices held at the
// last daily close): about 19k steps over the three assets.
func BenchmarkSixYears8h(b *testing.B) {
	var ss []*Series
	for _, a := range []string{"ETH", "BTC", "SOL"} {
		s, err := eightHour(a)
		if err != nil {
			b.Fatal(err)
		}
		ss = append(ss, s)
	}
	runBench(b, benchRuns(b, ss[0], ss[1], ss[2]))
}

// eightHour builds an 8-hour series of asset in the plain format from the
// dataset's settlements and daily closes.
func eightHour(asset string) (*Series, error) {
	f, err := os.Open(filepath.Join("testdata", "funding_8h.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	daily, err := LoadFile(filepath.Join("testdata", strings.ToLower(asset)+"_daily.csv"), asset, SpotCoinbase)
	if err != nil {
		return nil, err
	}
	sum := map[time.Time]decimal.Decimal{}
	var times []time.Time
	for _, r := range recs[1:] {
		if r[0] != asset {
			continue
		}
		t, err := time.Parse(time.RFC3339, r[1])
		if err != nil {
			return nil, err
		}
		end := t.Truncate(8 * time.Hour)
		if !end.Equal(t) {
			end = end.Add(8 * time.Hour) // (end − 8h, end]
		}
		if _, ok := sum[end]; !ok {
			times = append(times, end)
		}
		sum[end] = sum[end].Add(decimal.RequireFromString(r[3]))
	}
	var b strings.Builder
	b.WriteString("time,spot,perp,funding\n")
	k := 0
	for _, t := range times {
		for k+1 < len(daily.Rows) && !daily.Rows[k+1].Time.After(t) {
			k++
		}
		r := daily.Rows[k]
		if t.Before(r.Time) || t.After(daily.Rows[len(daily.Rows)-1].Time.Add(16*time.Hour)) {
			continue
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s\n", t.Format(time.RFC3339), r.Spot, r.Perp, sum[t])
	}
	return Load(strings.NewReader(b.String()), asset, SpotCoinbase)
}
