package backtest

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/venuetest"
)

// The backtest's paper venue passes the conformance suite every adapter
// behind hedge.Venue passes (hedge/paper, PerpVenue), through the engine.
// The harness is one step of history whose close the suite moves, with the
// gmx cost model and a funded margin account.
func TestConformance(t *testing.T) {
	venuetest.Run(t, func(t *testing.T) *venuetest.Harness {
		price := decimal.NewFromInt(2000)
		row := Row{Time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Spot: price, Perp: price}
		d := prepare(&Series{Asset: "ETH", Step: 24 * time.Hour, Rows: []Row{row}}, CostsGMX)
		m := &sim{pol: venuetest.Policies(), data: map[string]*assetData{"ETH": d}, times: []time.Time{row.Time},
			step: 24 * time.Hour, costs: CostsGMX, markets: []string{"ETH"}, held: []string{"ETH"},
			spot: map[string]decimal.Decimal{}, target: map[string]decimal.Decimal{},
			acct:   newAccount(decimal.NewFromInt(100_000), false, CostsGMX),
			margin: hedge.LinearMargin{Maintenance: CostsGMX.MaintenanceMargin, Leverage: CostsGMX.MaxLeverage},
			day:    func(int) string { return "2024-01-01" }}
		return &venuetest.Harness{
			Venue: m, Asset: "ETH", Price: price,
			SetSpot: func(units int) error { m.spot["ETH"] = decimal.NewFromInt(int64(units)); return nil },
			SetPrice: func(p decimal.Decimal) error {
				d.rows[0].Spot, d.rows[0].Perp = p, p
				return nil
			},
			// One process's state is the account itself: a restart reads it anew.
			Restart: func() hedge.Venue { return m },
		}
	})
}

// What the planner sees as the market's cost (Market.Cost) is exactly what
// the paper fill charges: fee on the fill price, impact and execution fee.
func TestCostModelIsWhatTheFillCharges(t *testing.T) {
	for _, c := range []CostModel{CostsGMX, CostsPerpVenue} {
		mark := decimal.RequireFromString("2345.67")
		for _, size := range []string{"-3.5", "12", "-400"} {
			q := decimal.RequireFromString(size)
			a := newAccount(decimal.Zero, true, c)
			a.trade("ETH", q, c.quote(q, mark))
			var cm hedge.CostModel = c
			if got := cm.TradeCost(q, mark); !got.Equal(a.fees) || !got.IsPositive() {
				t.Errorf("%s %s: TradeCost %s, fill charged %s", c.Name, size, got, a.fees)
			}
		}
	}
}
