package paper_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/paper"
)

// An asynchronous venue through the engine: the first cycle creates one
// order; while the keeper has not run, a second cycle sends nothing; once it
// ran, the short is at its target and a third cycle sends nothing either.
func Example() {
	d := decimal.RequireFromString
	v := paper.New(d("10000"), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	v.Async = true
	v.SetMarket("ETH", d("2000"), d("0.0005"), d("0.01"), d("20"))
	v.SetSpot("ETH", d("2"))
	pol := hedge.DefaultPolicies()
	pol.Default.Cooldown, pol.Default.MaxOracleAge = 0, 0

	ctx := context.Background()
	cycle := func() {
		e := &engine.Engine{Venue: v, Policies: pol}
		c, _ := e.Read(ctx, nil)
		if err := e.Plan(ctx, c); err != nil {
			fmt.Println(err)
			return
		}
		res, _ := e.Submit(ctx, c, engine.Hooks{})
		for i, sub := range res.Submissions {
			fmt.Printf("sent %s: %s (pending %v)\n", res.Steps[i].Kind, res.Steps[i].Reason, sub.Pending)
		}
		if len(res.Submissions) == 0 {
			fmt.Println("nothing sent:", c.Plan.Assets[0].Note)
		}
	}
	cycle()
	cycle()
	for _, s := range v.Keep() {
		fmt.Println("keeper:", s.Ref, s.Status)
	}
	cycle()
	// Output:
	// sent order: open short 2 ETH (target 2, drift −100.0%) (pending true)
	// nothing sent: order paper-1 in flight on ETH; waiting for it to be executed or cancelled
	// keeper: paper-1 executed
	// nothing sent: within band
}
