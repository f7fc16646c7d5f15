package main

import (
	"context"
	"encoding/json"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/record"
)

// ethShort is the trader's ETH short on GMX: size in tokens and collateral
// in USDC (zeros when there is none).
func (g *e2eGMX) ethShort(s *gmx.Snapshot) (size, collateral decimal.Decimal) {
	m, _ := g.book.Market("ETH")
	p, ok := s.Short(m, g.book.Collateral.Address)
	if !ok {
		return decimal.Zero, decimal.Zero
	}
	n := p.Info.Position.Numbers
	return decimal.NewFromBigInt(n.SizeInTokens, -18), decimal.NewFromBigInt(n.CollateralAmount, -int32(g.book.Collateral.Decimals))
}

// TestE2EGMXRallyTopUp: a rally pushes the short's margin towards GMX's
// liquidation; `hedge` answers with ONE multicall, a MarketIncrease of size
// zero carrying USDC, that the keeper executes: the position's collateral
// rises on chain and its size does not move. A second rally is answered the
// same way by `watch`. Neither sends anything more once the margin is back.
func TestE2EGMXRallyTopUp(t *testing.T) {
	g := e2eStartGMX(t)
	acct := g.trader.Addr
	keeper := g.startKeeper()
	defer keeper.stop()
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("hedge:\n%s", r)
	}
	size0, col0 := g.ethShort(g.snap())
	if size0.LessThan(e2eD("1.9")) || size0.GreaterThan(e2eD("2.1")) {
		t.Fatalf("short %s ETH for a 2 ETH cold wallet", size0)
	}
	// Nothing to do before the rally.
	n0 := g.chain.nonce(acct)
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 || g.chain.nonce(acct) != n0 {
		t.Fatalf("hedge before the rally sent something:\n%s", r)
	}

	// ETH 5000 -> 6500: the short loses 3000 USD of its collateral.
	g.ok("devnet", "set-price", "ETH", "6500")
	plan := g.ok("plan", "--wallet", g.cold.Addr.Hex(), "--from", acct.Hex())
	t.Logf("plan after the rally:\n%s", plan.stdout)
	// GMX's margin model (minCollateralFactor, minimum collateral) puts the
	// liquidation price within the floor, and the plan answers with a top-up.
	if !strings.Contains(plan.stdout, "[liquidation] ETH") || !strings.Contains(plan.stdout, "margin top-up") {
		t.Fatalf("plan after the rally has no liquidation alert or top-up:\n%s", plan.stdout)
	}
	b1 := g.chain.block()
	r := g.hedge("--settle-timeout", "60s")
	if r.code != 0 {
		t.Fatalf("hedge after the rally:\n%s", r)
	}
	if !strings.Contains(r.stdout, "margin top-up") {
		t.Errorf("hedge after the rally does not say it tops up:\n%s", r)
	}
	if got := g.chain.nonce(acct) - n0; got != 1 {
		t.Fatalf("the top-up sent %d transactions, want one multicall:\n%s", got, r)
	}
	s := g.snap()
	size1, col1 := g.ethShort(s)
	if len(s.Orders) != 0 {
		t.Fatalf("%d orders pending after the top-up settled", len(s.Orders))
	}
	if !col1.GreaterThan(col0) {
		t.Fatalf("collateral %s -> %s: no top-up on chain\n%s", col0, col1, r)
	}
	if !size1.Equal(size0) {
		t.Fatalf("the top-up changed the size %s -> %s", size0, size1)
	}
	g.checkTopUpOrder(b1)
	g.logGas("top-up after a 30% rally (order, keeper)", b1)
	t.Logf("rally 5000 -> 6500: collateral %s -> %s USDC, size %s ETH unchanged", col0, col1, size1)
	if p := g.ok("plan", "--wallet", g.cold.Addr.Hex(), "--from", acct.Hex()); strings.Contains(p.stdout, "[liquidation]") {
		t.Fatalf("the liquidation alert outlived the top-up:\n%s", p.stdout)
	}
	n1 := g.chain.nonce(acct)
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 || g.chain.nonce(acct) != n1 {
		t.Fatalf("hedge after the top-up sent something:\n%s", r)
	}

	// A second rally, answered by watch.
	g.ok("devnet", "set-price", "ETH", "8450")
	b2 := g.chain.block()
	w := g.start("watch", "--wallet", g.cold.Addr.Hex(), "--private-key", g.trader.Key, "--approve-max",
		"--poll-interval", "100ms", "--log-format", "json")
	maxOrders := 0
	s = g.waitFor("watch's top-up", w, func(s *gmx.Snapshot) bool {
		maxOrders = max(maxOrders, len(s.Orders))
		_, c := g.ethShort(s)
		return len(s.Orders) == 0 && c.GreaterThan(col1)
	})
	size2, col2 := g.ethShort(s)
	if !size2.Equal(size0) {
		t.Fatalf("watch's top-up changed the size %s -> %s:\n%s", size0, size2, w.output())
	}
	if maxOrders > 1 {
		t.Fatalf("%d orders in flight at once", maxOrders)
	}
	g.mine(10)
	if got := g.chain.nonce(acct) - n1; got != 1 {
		t.Fatalf("watch sent %d transactions for the second rally, want one multicall:\n%s", got, w.output())
	}
	w.stop()
	g.checkTopUpOrder(b2)
	t.Logf("rally 6500 -> 8450 (watch): collateral %s -> %s USDC, size %s ETH unchanged", col1, col2, size2)
	g.checkTopUpRecord(b1)
}

// checkTopUpRecord: the hedge record holds each top-up as a deposit of
// exactly the collateral its order carried, reconciles to the unit, and
// --rebuild from chain logs alone gives the same events.
func (g *e2eGMX) checkTopUpRecord(from uint64) {
	g.t.Helper()
	acct := g.trader.Addr.Hex()
	var r, rb record.Report
	g.cli.okJSON(&r, g.args("report", "--from", acct, "--since", "0", "--json")...)
	if !r.Reconciliation.Reconciled || !r.Reconciliation.Difference.IsZero() || len(r.Mismatches) > 0 {
		g.t.Fatalf("record after the top-ups: %s; mismatches %v", r.Reconciliation.Statement, r.Mismatches)
	}
	var want, got []string
	for _, o := range g.ordersCreated(from+1, g.chain.block()) {
		want = append(want, decimal.NewFromBigInt(o.Uints["initialCollateralDeltaAmount"], -int32(g.book.Collateral.Decimals)).String())
	}
	for _, e := range r.Events {
		if e.Kind == record.KindDeposit && e.Block > from {
			got = append(got, e.Amount.String())
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		g.t.Fatalf("top-up deposits in the record %v, the orders carried %v", got, want)
	}
	g.cli.okJSON(&rb, g.args("report", "--from", acct, "--since", "0", "--json", "--rebuild")...)
	enc := func(r *record.Report) string {
		b, _ := json.Marshal([]any{r.Events, r.Totals, r.Reconciliation})
		return string(b)
	}
	if enc(&r) != enc(&rb) {
		g.t.Fatalf("--rebuild differs from the journal's report:\n%s\n%s", enc(&r), enc(&rb))
	}
	g.t.Logf("record: top-up deposits %v USDC; %s", got, r.Reconciliation.Statement)
}

// checkTopUpOrder checks that the trader's orders created after block from
// are MarketIncrease shorts of size zero with a positive collateral delta
// (read from the EventEmitter's OrderCreated logs).
func (g *e2eGMX) checkTopUpOrder(from uint64) {
	g.t.Helper()
	orders := g.ordersCreated(from+1, g.chain.block())
	if len(orders) == 0 {
		g.t.Fatalf("no order created after block %d", from)
	}
	for _, o := range orders {
		typ, size, col := o.Uints["orderType"], o.Uints["sizeDeltaUsd"], o.Uints["initialCollateralDeltaAmount"]
		if typ == nil || size == nil || col == nil || typ.Uint64() != uint64(gmx.OrderMarketIncrease) || size.Sign() != 0 || col.Sign() <= 0 || o.Bools["isLong"] {
			g.t.Fatalf("order %s in block %d is not a top-up: type %v, size %v, collateral %v, long %v",
				o.Topic1.Hex(), o.Block, typ, size, col, o.Bools["isLong"])
		}
		g.t.Logf("top-up order %s in block %d: MarketIncrease size 0, collateral %s USDC",
			o.Topic1.Hex(), o.Block, decimal.NewFromBigInt(col, -int32(g.book.Collateral.Decimals)))
	}
}

// ordersCreated is the trader's OrderCreated events in blocks from..to.
func (g *e2eGMX) ordersCreated(from, to uint64) []gmx.Event {
	g.t.Helper()
	var out []gmx.Event
	for _, e := range g.events(from, to) {
		if e.Name == "OrderCreated" && e.Account == g.trader.Addr {
			out = append(out, e)
		}
	}
	return out
}

// events is every GMX event in blocks from..to, straight from anvil.
func (g *e2eGMX) events(from, to uint64) []gmx.Event {
	g.t.Helper()
	logs, err := g.chain.ec.FilterLogs(context.Background(), ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{g.book.Contracts.EventEmitter}})
	if err != nil {
		g.t.Fatal(err)
	}
	ptrs := make([]*types.Log, len(logs))
	for i := range logs {
		ptrs[i] = &logs[i]
	}
	evs, err := gmx.DecodeEvents(g.book, ptrs)
	if err != nil {
		g.t.Fatal(err)
	}
	return evs
}
