package hedge

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// FuzzPlanInvariants: for any one-market state the planner either refuses
// with an error or returns a plan that keeps every invariant (see
// checkPlanInvariants): never a short above h·E·(1+band)/mark, never
// leverage above the cap, never more deposits than collateral, never a
// negative amount, and nothing left to do on the second run.
func FuzzPlanInvariants(f *testing.F) {
	f.Add(uint32(10_000), uint32(300_000), uint32(5_000_000), uint16(1000), uint16(50), uint8(2), int32(0), uint32(0), uint8(100), uint8(6))
	f.Add(uint32(10_000), uint32(240_000), uint32(0), uint16(1000), uint16(50), uint8(2), int32(-10_000), uint32(1_500_000), uint8(100), uint8(6))
	f.Add(uint32(1), uint32(1), uint32(1), uint16(500), uint16(10), uint8(1), int32(5), uint32(1), uint8(70), uint8(0))
	f.Add(uint32(0), uint32(300_000), uint32(100), uint16(0), uint16(999), uint8(20), int32(-999_999), uint32(10), uint8(130), uint8(18))
	f.Fuzz(func(t *testing.T, spotMilli, priceCents, collCents uint32, ratioPermille, bandPermille uint16,
		lev uint8, sizeMilli int32, marginCents uint32, entryPct, collDec uint8) {
		p := DefaultPolicy()
		p.HedgeRatio = decimal.New(int64(ratioPermille), -3)
		p.Band = decimal.New(int64(bandPermille), -3)
		p.MaxLeverage = decimal.NewFromInt(int64(lev))
		if p.Validate() != nil || priceCents == 0 {
			return // the CLI refuses these before planning
		}
		px := decimal.New(int64(priceCents), -2)
		s := snap("0", Market{Asset: "ETH", IndexPrice: px, MarkPrice: px, MaxLeverage: decimal.NewFromInt(20),
			MaintenanceMargin: d("0.01"), TakerFee: d("0.0005")})
		s.CollateralDecimals = int32(collDec % 19)
		s.Collateral = decimal.New(int64(collCents), -2)
		hold(s, "ETH", decimal.New(int64(spotMilli), -3).String())
		if sizeMilli != 0 {
			size := decimal.New(int64(sizeMilli), -3)
			entry := px.Mul(decimal.New(int64(entryPct%200)+1, -2))
			setPos(s, "ETH", Position{Size: size, EntryPrice: entry, Margin: decimal.New(int64(marginCents), -2),
				UnrealizedPnL: size.Mul(px.Sub(entry))})
		}
		plan, err := tBuildPlan(s, p)
		if err != nil {
			return // refusing is allowed; panicking or breaking an invariant is not
		}
		checkPlanInvariants(t, "fuzz", s, p, plan)
	})
}

// FuzzParsePolicies: any text either parses into a policy that validates or
// fails with one line naming the line; it never panics.
func FuzzParsePolicies(f *testing.F) {
	f.Add("[default]\nhedge_ratio = 1\nband = 0.05\n[ETH]\nfunding_action = reduce\nmax_oracle_age = 90s\n")
	f.Add("hedge_ratio = 2\n")
	f.Add("[ETH]\n[ETH]\n")
	f.Add("bnad = 1 # typo\n")
	f.Add("[BTC]\ncooldown = -5m\nliq_floor = 0.25\n")
	f.Fuzz(func(t *testing.T, text string) {
		pol, err := ParsePolicies(strings.NewReader(text))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			return
		}
		if err := pol.Validate(); err != nil {
			t.Fatalf("parsed policy does not validate: %v\n%q", err, text)
		}
	})
}
