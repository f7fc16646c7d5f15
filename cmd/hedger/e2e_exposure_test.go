package main

// Exposure beyond plain coins: a wstETH-like balance counted through its
// on-chain rate, and a cross-asset holding (LDO, no market) hedged on the ETH
// perp with a given or estimated beta. On the embedded chain through the
// venue adapter and the risk planner, and on anvil through the binary.

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
)

// exposureRun plans s's chain through the risk layer (betas estimated as
// status does) and executes every action; it returns the plan.
// exposureRun is one engine cycle through the seam; it returns the plan and
// the steps it sent.
func exposureRun(t *testing.T, s *session, pol hedge.Policies) *exposurePlan {
	t.Helper()
	ctx := context.Background()
	e := &engine.Engine{Venue: s.venue, Policies: pol}
	c, err := e.Read(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.BetaErr != nil {
		t.Fatal(c.BetaErr)
	}
	if err := e.Plan(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, a := range c.Steps {
		if _, err := s.venue.Execute(ctx, a); err != nil {
			t.Fatalf("%s %s: %v", a.Kind, a.Asset, err)
		}
	}
	return &exposurePlan{Plan: c.Plan, Actions: c.Steps}
}

type exposurePlan struct {
	*hedge.Plan
	Actions []hedge.Step
}

func decs(ss []string) []decimal.Decimal {
	var out []decimal.Decimal
	for _, x := range ss {
		out = append(out, decimal.RequireFromString(x))
	}
	return out
}

func planFor(t *testing.T, p *exposurePlan, asset string) hedge.AssetPlan {
	t.Helper()
	for _, a := range p.Assets {
		if a.Asset == asset {
			return a
		}
	}
	t.Fatalf("plan has no %s: %+v", asset, p.Assets)
	return hedge.AssetPlan{}
}

func policies(t *testing.T, text string) hedge.Policies {
	t.Helper()
	ps, err := hedge.ParsePolicies(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestExposureEmbedded: 10 ETH + 10 wstETH at 1.15 is hedged as 21.5 ETH; a
// rate of 1.3 rebalances to 23; 20000 LDO at $1.5 hedged with ETH at beta 1.2
// adds 1.2 × 30000 / mark ≈ 12 ETH to the short.
func TestExposureEmbedded(t *testing.T) {
	e := newWatchEnv(t)
	ctx := context.Background()
	if err := e.dev.Mint(ctx, "wstETH", e.wallet, decimal.NewFromInt(10)); err != nil {
		t.Fatal(err)
	}
	s := e.session(true)

	plan := exposureRun(t, s, hedge.DefaultPolicies())
	if got := e.short(t, "ETH"); !got.Equal(decimal.RequireFromString("21.5")) {
		t.Fatalf("ETH short %s after the first hedge, want 21.5 (10 ETH + 10 wstETH × 1.15)", got)
	}
	if eth := planFor(t, plan, "ETH"); !eth.SpotAmount.Equal(decimal.RequireFromString("21.5")) {
		t.Fatalf("ETH spot %s, want 21.5", eth.SpotAmount)
	}

	// The rate moves: 10 × 1.3 + 10 = 23 ETH, a −6.5% drift, outside the band.
	if err := e.dev.SetRate(ctx, "wstETH", decimal.RequireFromString("1.3")); err != nil {
		t.Fatal(err)
	}
	plan = exposureRun(t, s, hedge.DefaultPolicies())
	eth := planFor(t, plan, "ETH")
	if !eth.SpotAmount.Equal(decimal.NewFromInt(23)) || eth.WithinBand || len(plan.Actions) == 0 {
		t.Fatalf("after set-rate 1.3: %+v, actions %d", eth, len(plan.Actions))
	}
	after := e.short(t, "ETH")
	if !after.Equal(eth.TargetSize) || after.Sub(decimal.NewFromInt(23)).Abs().GreaterThan(decimal.RequireFromString("0.001")) {
		t.Fatalf("ETH short %s after the rate change, want the target %s ≈ 23", after, eth.TargetSize)
	}
	// Planning again changes nothing.
	if p := exposureRun(t, s, hedge.DefaultPolicies()); len(p.Actions) != 0 {
		t.Fatalf("second run acted: %+v", p.Actions)
	}

	// Cross-asset: LDO has its own feed and no market.
	if err := e.dev.Mint(ctx, "LDO", e.wallet, decimal.NewFromInt(20000)); err != nil {
		t.Fatal(err)
	}
	pol := policies(t, "[ETH]\nstaking_apr = 0.03\n[LDO]\nhedge_with = ETH\nbeta = 1.2\n")
	plan = exposureRun(t, s, pol)
	ldo, eth := planFor(t, plan, "LDO"), planFor(t, plan, "ETH")
	if ldo.HedgedVia != "ETH" || ldo.Beta == nil || !ldo.Beta.Equal(decimal.RequireFromString("1.2")) ||
		!ldo.Exposure.Equal(decimal.NewFromInt(30000)) || ldo.Warning == "" {
		t.Fatalf("LDO plan %+v", ldo)
	}
	if _, err := s.venue.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	cross := eth.CrossTargetSize
	if cross == nil || cross.Sub(decimal.NewFromInt(12)).Abs().GreaterThan(decimal.RequireFromString("0.001")) {
		t.Fatalf("ETH cross target %v, want ≈ 12 (1.2 × 30000 / mark)", cross)
	}
	short := e.short(t, "ETH")
	if !short.Equal(eth.TargetSize) || short.Sub(after).Sub(*cross).Abs().GreaterThan(decimal.RequireFromString("0.01")) {
		t.Fatalf("ETH short %s (was %s), want target %s = + %s for LDO", short, after, eth.TargetSize, cross)
	}

	// beta = auto from pushed rounds (LDO ∝ ETH^0.8 × noise): the estimate
	// matches an independent reference and drives the ETH target.
	ethP, ldoP := exposureSeries(40, 0.8)
	if err := e.dev.PushHistory(ctx, "ETH", decs(ethP), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := e.dev.PushHistory(ctx, "LDO", decs(ldoP), time.Hour); err != nil {
		t.Fatal(err)
	}
	wantBeta, _ := floatOLS(ldoP, ethP)
	autoPol := policies(t, "[LDO]\nhedge_with = ETH\nbeta = auto\n")
	plan = exposureRun(t, s, autoPol)
	ldo, eth = planFor(t, plan, "LDO"), planFor(t, plan, "ETH")
	if ldo.Beta == nil || math.Abs(ldo.Beta.InexactFloat64()-wantBeta) > 1e-6 || math.Abs(wantBeta-0.8) > 0.1 ||
		ldo.ResidualVol == nil || !strings.Contains(ldo.BetaWindow, "39 returns") {
		t.Fatalf("auto beta %v (window %q), reference %.8f", ldo.Beta, ldo.BetaWindow, wantBeta)
	}
	t.Logf("embedded beta = auto: %s (true 0.8, reference %.8f), %s", ldo.Beta.StringFixed(6), wantBeta, ldo.BetaWindow)
	if got := e.short(t, "ETH"); !got.Equal(eth.TargetSize) || eth.CrossTargetSize == nil {
		t.Fatalf("ETH short %s, want the auto-beta target %s", got, eth.TargetSize)
	}
	snap, err := s.venue.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// status: staking carry on the staked 13 ETH and LDO's beta.
	sts, err := hedge.AssessPolicies(snap, pol)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		switch st.Asset {
		case "ETH":
			want := decimal.RequireFromString("0.03").Mul(decimal.NewFromInt(13)).Mul(st.IndexPrice)
			if !st.StakedAmount.Equal(decimal.NewFromInt(13)) || !st.StakingPerYearUSD.Equal(want) ||
				!st.NetCarryPerYearUSD.Equal(st.FundingPerYearUSD.Add(want)) {
				t.Fatalf("ETH carry: staked %s staking/yr %s (want %s) net %s funding %s", st.StakedAmount,
					st.StakingPerYearUSD, want, st.NetCarryPerYearUSD, st.FundingPerYearUSD)
			}
		case "LDO":
			if st.HedgedVia != "ETH" || st.Beta == nil || st.Warning == "" {
				t.Fatalf("LDO status %+v", st)
			}
		}
	}
}

// exposureSeries is a known relationship for beta = auto: ETH follows a
// deterministic walk ending at 3000, LDO = 1.5 × (ETH/3000)^beta × noise,
// ending at 1.5. Prices are rounded to the feeds' 8 decimals.
func exposureSeries(n int, beta float64) (eth, ldo []string) {
	seed := uint64(42)
	next := func() float64 {
		seed = seed*6364136223846793005 + 1442695040888963407
		return float64(int64(seed>>40)%10000-5000) / 5000 // −1..1
	}
	rel := make([]float64, n) // ETH / 3000, built backwards from 1
	noise := make([]float64, n)
	rel[n-1], noise[n-1] = 1, 1
	for i := n - 2; i >= 0; i-- {
		rel[i] = rel[i+1] / (1 + 0.02*next())
		noise[i] = 1 + 0.003*next()
	}
	for i := 0; i < n; i++ {
		eth = append(eth, decimal.NewFromFloat(3000*rel[i]).Round(8).String())
		ldo = append(ldo, decimal.NewFromFloat(1.5*math.Pow(rel[i], beta)*noise[i]).Round(8).String())
	}
	return eth, ldo
}

// floatOLS is an independent reference: beta and correlation of log returns.
func floatOLS(x, m []string) (beta, corr float64) {
	f := func(s []string) []float64 {
		var out []float64
		for i := 1; i < len(s); i++ {
			a, _ := decimal.RequireFromString(s[i-1]).Float64()
			b, _ := decimal.RequireFromString(s[i]).Float64()
			out = append(out, math.Log(b/a))
		}
		return out
	}
	rx, rm := f(x), f(m)
	n := float64(len(rx))
	var mx, mm float64
	for i := range rx {
		mx, mm = mx+rx[i]/n, mm+rm[i]/n
	}
	var sxm, smm, sxx float64
	for i := range rx {
		sxm += (rx[i] - mx) * (rm[i] - mm)
		smm += (rm[i] - mm) * (rm[i] - mm)
		sxx += (rx[i] - mx) * (rx[i] - mx)
	}
	return sxm / smm, sxm / math.Sqrt(sxx*smm)
}

type e2eExposureStatus struct {
	Holdings []struct {
		Token       string `json:"token"`
		Asset       string `json:"asset"`
		Amount      e2eDec `json:"amount"`
		TokenAmount e2eDec `json:"token_amount"`
		Rate        e2eDec `json:"rate"`
	} `json:"holdings"`
	Assets []struct {
		Asset              string `json:"asset"`
		SpotAmount         e2eDec `json:"spot_amount"`
		SpotValueUSD       e2eDec `json:"spot_value_usd"`
		StakedAmount       e2eDec `json:"staked_amount"`
		StakingAPR         e2eDec `json:"staking_apr"`
		StakingPerYearUSD  e2eDec `json:"staking_per_year_usd"`
		FundingPerYearUSD  e2eDec `json:"funding_per_year_usd"`
		NetCarryPerYearUSD e2eDec `json:"net_carry_per_year_usd"`
		HedgedVia          string `json:"hedged_via"`
		Beta               e2eDec `json:"beta"`
		BetaSource         string `json:"beta_source"`
		BetaWindow         string `json:"beta_window"`
		Correlation        e2eDec `json:"correlation"`
		ResidualVol        e2eDec `json:"residual_vol"`
		Warning            string `json:"warning"`
		TargetSize         e2eDec `json:"target_size"`
		CrossTargetSize    e2eDec `json:"cross_target_size"`
	} `json:"assets"`
	BetaError string `json:"beta_error"`
}

// TestE2EExposureAnvil drives the same through the binary on anvil: deploy,
// fund wstETH and LDO, hedge, set-rate, hedge, a given beta, then push feed
// histories with a known beta and read the estimate back from status.
func TestE2EExposureAnvil(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartAnvil(t)
	cli := e2eNewCLI(t, n.URL)
	chain := e2eNewChain(t, n.URL)
	deployer, signer := e2eAccountFromHex(t, e2eAnvilKey0), e2eAccountFromHex(t, e2eAnvilKey1)
	with := func(args ...string) []string { return append(append([]string{}, args...), "--rpc-url", n.URL) }
	W := e2eNewAccount(t).Addr.Hex()

	var book e2eBook
	cli.okJSON(&book, with("deploy", "--private-key", deployer.Key, "--json")...)
	for sym, asset := range map[string]string{"wstETH": "ETH", "LDO": "LDO"} {
		found := false
		for _, tk := range book.Tokens {
			found = found || (tk.Symbol == sym && tk.Asset == asset)
		}
		if !found {
			t.Fatalf("address book lacks %s counting as %s: %+v", sym, asset, book.Tokens)
		}
	}
	ethID, _ := book.marketID("ETH")
	venue := common.HexToAddress(book.Venue)
	cli.ok(with("devnet", "fund", W, "--private-key", deployer.Key, "--eth", "0", "--wsteth", "10", "--ldo", "20000")...)
	cli.ok(with("devnet", "fund", signer.Addr.Hex(), "--private-key", deployer.Key, "--usdc", "200000")...)

	status := func(extra ...string) e2eExposureStatus {
		t.Helper()
		var st e2eExposureStatus
		cli.okJSON(&st, with(append([]string{"status", "--wallet", W, "--from", signer.Addr.Hex(), "--json"}, extra...)...)...)
		return st
	}
	st := status()
	var sawLST bool
	for _, h := range st.Holdings {
		if h.Token == "wstETH" {
			sawLST = true
			if h.Asset != "ETH" || !h.TokenAmount.Equal(e2eD("10")) || !h.Amount.Equal(e2eD("11.5")) || !h.Rate.Equal(e2eD("1.15")) {
				t.Fatalf("wstETH holding %+v, want 10 wstETH = 11.5 ETH at 1.15", h)
			}
		}
	}
	if !sawLST {
		t.Fatalf("no wstETH holding: %+v", st.Holdings)
	}

	hedgeArgs := func(extra ...string) []string {
		return with(append([]string{"hedge", "--wallet", W, "--private-key", signer.Key, "--yes", "--json"}, extra...)...)
	}
	short := func() decimal.Decimal {
		size, _ := chain.position(venue, signer.Addr, ethID)
		return size.Neg()
	}
	cli.ok(hedgeArgs()...)
	if got := short(); !got.Equal(e2eD("11.5")) {
		t.Fatalf("ETH short %s, want 11.5 (10 wstETH × 1.15)", got)
	}

	// The rate rises to 1.3: 13 ETH, a −11.5% drift; hedge rebalances.
	cli.ok(with("devnet", "set-rate", "wstETH", "1.3", "--private-key", deployer.Key)...)
	cli.ok(hedgeArgs()...)
	base := short()
	if base.Sub(e2eD("13")).Abs().GreaterThan(e2eD("0.001")) {
		t.Fatalf("ETH short %s after set-rate 1.3, want ≈ 13", base)
	}

	// A given beta: 1.2 × 20000 LDO × $1.5 / mark ≈ 12 ETH more.
	dir := t.TempDir()
	given := filepath.Join(dir, "given.policy")
	os.WriteFile(given, []byte("[ETH]\nstaking_apr = 0.04\n[LDO]\nhedge_with = ETH\nbeta = 1.2\n"), 0o644)
	cli.ok(hedgeArgs("--policy-file", given)...)
	added := short().Sub(base)
	if added.Sub(e2eD("12")).Abs().GreaterThan(e2eD("0.01")) {
		t.Fatalf("LDO added %s ETH to the short, want ≈ 12", added)
	}
	st = status("--policy-file", given)
	for _, a := range st.Assets {
		switch a.Asset {
		case "ETH":
			want := e2eD("0.04").Mul(e2eD("13")).Mul(e2eD("3000"))
			if !a.StakedAmount.Equal(e2eD("13")) || !a.StakingPerYearUSD.Equal(want) ||
				!a.NetCarryPerYearUSD.Equal(a.FundingPerYearUSD.Add(want)) || !a.CrossTargetSize.Valid {
				t.Fatalf("ETH carry %+v, want staking %s/yr on 13 staked", a, want)
			}
		case "LDO":
			if a.HedgedVia != "ETH" || !a.Beta.Equal(e2eD("1.2")) || a.BetaSource != "given" || a.Warning == "" {
				t.Fatalf("LDO status %+v", a)
			}
		}
	}

	// beta = auto from 48 hourly rounds per feed with LDO ∝ ETH^1.5 × noise.
	ethP, ldoP := exposureSeries(48, 1.5)
	cli.ok(with(append([]string{"devnet", "push-history", "ETH", "--every", "1h", "--private-key", deployer.Key}, ethP...)...)...)
	cli.ok(with(append([]string{"devnet", "push-history", "LDO", "--every", "1h", "--private-key", deployer.Key}, ldoP...)...)...)
	wantBeta, wantCorr := floatOLS(ldoP, ethP)
	if math.Abs(wantBeta-1.5) > 0.1 {
		t.Fatalf("test series has beta %.4f, not near 1.5", wantBeta)
	}
	auto := filepath.Join(dir, "auto.policy")
	os.WriteFile(auto, []byte("[LDO]\nhedge_with = ETH\nbeta = auto\nbeta_window = 720h\n"), 0o644)
	st = status("--policy-file", auto)
	if st.BetaError != "" {
		t.Fatalf("beta error: %s", st.BetaError)
	}
	var checked bool
	for _, a := range st.Assets {
		if a.Asset != "LDO" {
			continue
		}
		checked = true
		got, _ := a.Beta.Float64()
		corr, _ := a.Correlation.Float64()
		if math.Abs(got-wantBeta) > 1e-6 || math.Abs(corr-wantCorr) > 1e-6 || a.BetaSource != "feeds" ||
			!strings.Contains(a.BetaWindow, "47 returns") || !a.ResidualVol.IsPositive() {
			t.Fatalf("LDO auto beta %s corr %s (%s, %s), want %.8f corr %.8f from 47 returns",
				a.Beta.String(), a.Correlation.String(), a.BetaSource, a.BetaWindow, wantBeta, wantCorr)
		}
		t.Logf("beta = auto: estimated %s (true 1.5, reference %.8f), correlation %s, residual vol %s/yr, window %s",
			a.Beta.StringFixed(6), wantBeta, a.Correlation.StringFixed(4), a.ResidualVol.StringFixed(4), a.BetaWindow)
	}
	if !checked {
		t.Fatal("status has no LDO asset")
	}
	// Whatever plan does with an auto beta (estimate it, or hold ETH until it
	// can), it never drops LDO's part of the short: no buy-back of ETH.
	var pl e2ePlan
	cli.okJSON(&pl, with("plan", "--wallet", W, "--from", signer.Addr.Hex(), "--policy-file", auto, "--json")...)
	for _, a := range pl.Actions {
		if a.Kind == "trade" && a.Asset == "ETH" && a.SizeDelta.IsPositive() {
			t.Fatalf("plan with beta = auto reduces the ETH short: %+v", a)
		}
	}
	r := cli.ok(with("status", "--wallet", W, "--from", signer.Addr.Hex(), "--policy-file", auto)...)
	for _, want := range []string{"cross-asset hedges", "LDO", "feeds", "beta window", "47 returns", "WARNING LDO", "hedge is imperfect", "STAKING APR"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status output lacks %q:\n%s", want, r.stdout)
		}
	}
}
