package main

// The hedge record on GMX v2 end to end on anvil with the fixture: a hedge,
// funding over a day of time travel against a larger long, a rebalance
// (increase), a claim, then across the year boundary a reduce and a close;
// the reports of both years from the journal and from chain logs alone.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts"
	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/record"
)

func TestE2ERecordGMXYearBoundary(t *testing.T) {
	g := e2eStartGMX(t)
	ctx := context.Background()
	headTime := func() time.Time {
		h, err := g.chain.ec.HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return time.Unix(int64(h.Time), 0).UTC()
	}
	advanceTo := func(at time.Time) {
		d := at.Sub(headTime())
		if d < time.Second {
			d = time.Second
		}
		g.ok("devnet", "advance", fmt.Sprintf("%ds", int64(d.Seconds())+1))
	}
	advanceTo(time.Date(2026, 12, 29, 12, 0, 0, 0, time.UTC))
	keeper := g.startKeeper()
	defer keeper.stop()
	must := func(what string, r e2eResult) {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("%s:\n%s", what, r)
		}
	}
	must("hedge", g.hedge("--settle-timeout", "60s"))
	// Funding over time travel: a long three times the short pays it.
	g.openLong(30_000, 3_000)
	g.ok("devnet", "advance", "1d")
	// Rebalance: the cold wallet gets 1 ETH more; the increase settles the funding as claimable.
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--eth", "1")
	must("rebalance", g.hedge("--settle-timeout", "60s"))
	g.ok("claim", "--yes", "--private-key", g.trader.Key)
	// The price falls before the year ends: the open short is marked at a gain.
	g.ok("devnet", "set-price", "ETH", "4800")

	// Into 2027: reduce to half, then close.
	advanceTo(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if y := headTime().Year(); y != 2027 {
		t.Fatalf("head in %d", y)
	}
	g.ok("devnet", "advance", "8h")
	must("reduce", g.hedge("--settle-timeout", "60s", "--hedge-ratio", "0.5"))
	g.ok("devnet", "advance", "8h")
	must("close", g.run("close", "--yes", "--private-key", g.trader.Key, "--settle-timeout", "60s"))
	keeper.stop()

	acct := g.trader.Addr.Hex()
	report := func(args ...string) (*record.Report, string) {
		t.Helper()
		var r record.Report
		res := g.cli.okJSON(&r, g.args(append([]string{"report", "--from", acct, "--json"}, args...)...)...)
		return &r, res.stdout
	}
	r26, raw26 := report("--year", "2026")
	r27, _ := report("--year", "2027")
	for _, r := range []*record.Report{r26, r27} {
		if !r.Reconciliation.Reconciled || !r.Reconciliation.Difference.IsZero() || len(r.Mismatches) > 0 {
			t.Errorf("%s: %s; mismatches %v", r.Period.Label, r.Reconciliation.Statement, r.Mismatches)
		}
		for _, e := range r.Events {
			if strings.Contains(e.Note, "CHECK") {
				t.Errorf("%s: event %s in %s: %s", r.Period.Label, e.Kind, e.Tx, e.Note)
			}
		}
		t.Logf("%s: %s", r.Period.Label, r.Reconciliation.Statement)
		t.Logf("%s totals: realized %s funding %s borrowing %s fees %s gas %s ETH (%s USD) unrealized %s trades %d",
			r.Period.Label, r.Totals.RealizedPnL, r.Totals.Funding, r.Totals.Borrowing, r.Totals.Fees, r.Totals.GasNative, r.Totals.Gas,
			r.Totals.UnrealizedPnL, r.Totals.Trades)
	}
	if !strings.HasPrefix(r26.Venue, "GMX v2") {
		t.Errorf("venue %q", r26.Venue)
	}
	e2eCheckKeys(t, "report --json", []byte(raw26), "designations", "events", "open_positions", "totals", "reconciliation")
	if r27.Period.FromBlock != r26.Period.ToBlock+1 || !r27.Reconciliation.Start.Equal(r26.Reconciliation.End) {
		t.Errorf("2027 starts at block %d with %s; 2026 ended at block %d with %s", r27.Period.FromBlock,
			r27.Reconciliation.Start, r26.Period.ToBlock, r26.Reconciliation.End)
	}
	kinds := map[string]int{}
	for _, e := range append(append([]record.Event{}, r26.Events...), r27.Events...) {
		kinds[e.Kind]++
	}
	// Funding received (claimable credited), claimed, fees and gas paid, deposits with the increases.
	if !r26.Totals.Funding.IsPositive() || !r26.Totals.Fees.IsPositive() || !r26.Totals.Gas.IsPositive() || !r26.Totals.Claims.IsPositive() ||
		r26.Totals.Trades != 2 || kinds[record.KindDeposit] < 2 {
		t.Errorf("2026 totals %+v, kinds %v", r26.Totals, kinds)
	}
	if len(r27.OpenPositions) != 0 || r27.Totals.Trades != 2 || !r27.Totals.Withdrawals.IsPositive() || !r27.Totals.RealizedPnL.IsPositive() {
		t.Errorf("2027: open %v, totals %+v", r27.OpenPositions, r27.Totals)
	}
	// MTM at the boundary, by hand: the feed's answer at the last 2026 block
	// and the position's sizeInUsd / sizeInTokens there.
	if len(r26.OpenPositions) != 1 {
		t.Fatalf("open at the end of 2026: %+v", r26.OpenPositions)
	}
	at := new(big.Int).SetUint64(r26.Period.ToBlock)
	callAt := func(to common.Address, data []byte) []byte {
		out, err := g.chain.ec.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, at)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	m, _ := g.book.Market("ETH")
	feed, ok := g.reader.Feed(m.Index.Address)
	if !ok {
		t.Fatal("no ETH feed")
	}
	pf := contracts.NewPriceFeed()
	rd, err := pf.UnpackLatestRoundData(callAt(feed, pf.PackLatestRoundData()))
	if err != nil {
		t.Fatal(err)
	}
	fd, err := pf.UnpackDecimals(callAt(feed, pf.PackDecimals()))
	if err != nil {
		t.Fatal(err)
	}
	rdr := cgmx.NewReader()
	posKey := crypto.Keccak256Hash(common.LeftPadBytes(g.trader.Addr.Bytes(), 32), common.LeftPadBytes(m.MarketToken.Bytes(), 32),
		common.LeftPadBytes(g.book.Collateral.Address.Bytes(), 32), make([]byte, 32))
	pos, err := rdr.UnpackGetPosition(callAt(g.book.Contracts.Reader, rdr.PackGetPosition(g.book.Contracts.DataStore, posKey)))
	if err != nil {
		t.Fatal(err)
	}
	price := decimal.NewFromBigInt(rd.Answer, -int32(fd))
	tokens := decimal.NewFromBigInt(pos.Numbers.SizeInTokens, -18)
	entry := decimal.NewFromBigInt(pos.Numbers.SizeInUsd, -30).DivRound(tokens, 18)
	want := tokens.Neg().Mul(price.Sub(entry))
	p := r26.OpenPositions[0]
	if !p.MarkPrice.Equal(price) || !p.UnrealizedPnL.Equal(want) || !p.Size.Equal(tokens.Neg()) || !want.IsPositive() {
		t.Errorf("MTM %s × (%s − %s) = %s; by hand %s × (%s − %s) = %s", p.Size, p.MarkPrice, p.AverageEntry, p.UnrealizedPnL,
			tokens.Neg(), price, entry, want)
	}
	t.Logf("MTM at block %d: %s ETH × (%s − %s) = %s USD", r26.Period.ToBlock, p.Size, price, entry, want)
	// Every position change on chain is reported once.
	a, _ := cgmx.EventEmitterMetaData.ParseABI()
	var n int
	for _, name := range []string{"PositionIncrease", "PositionDecrease"} {
		logs, err := g.chain.ec.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{g.book.Contracts.EventEmitter},
			Topics: [][]common.Hash{{a.Events["EventLog1"].ID}, {crypto.Keccak256Hash([]byte(name))}, {common.BytesToHash(g.trader.Addr.Bytes())}}})
		if err != nil {
			t.Fatal(err)
		}
		n += len(logs)
	}
	if got := r26.Totals.Trades + r27.Totals.Trades; got != n {
		t.Errorf("reports hold %d trades, the chain %d position changes", got, n)
	}
	// --rebuild from chain logs alone gives the same record.
	for _, y := range []struct {
		year string
		r    *record.Report
	}{{"2026", r26}, {"2027", r27}} {
		rb, _ := report("--year", y.year, "--rebuild")
		enc := func(r *record.Report) []byte {
			b, _ := json.Marshal([]any{r.Events, r.Totals, r.Reconciliation, r.OpenPositions})
			return b
		}
		if !bytes.Equal(enc(y.r), enc(rb)) {
			t.Errorf("%s: --rebuild differs from the journal's report:\n%s\n%s", y.year, enc(y.r), enc(rb))
		}
	}
	// Designations on GMX: the first hedge, the ratio change, the end.
	var ds []record.Designation
	g.cli.okJSON(&ds, "designations", "--from", acct, "--json")
	reasons := ""
	for _, d := range ds {
		reasons += d.Asset + ": " + d.Status + " " + d.Reason + " on " + d.Instrument.Venue + "\n"
	}
	for _, w := range []string{"ETH: designated first hedge on ETH", "hedge ratio changed from 1 to 0.5", "ETH: ended", "GMX v2"} {
		if !strings.Contains(reasons, w) {
			t.Errorf("no designation %q in:\n%s", w, reasons)
		}
	}
	txt := g.ok("report", "--from", acct, "--year", "2026").stdout
	t.Logf("report 2026:\n%s", txt)
}

// openLongInWETH opens a long of usd (whole USD) on ETH/USD whose collateral
// is eth whole ETH wrapped by sendWnt, from a new account: the funding this
// long pays the short is then credited in WETH, beside the USDC ledger.
func (g *e2eGMX) openLongInWETH(usd, eth int64) {
	g.t.Helper()
	long := e2eNewAccount(g.t)
	g.ok("devnet", "fund", long.Addr.Hex(), "--eth", strconv.FormatInt(eth+1, 10))
	k, err := crypto.HexToECDSA(strings.TrimPrefix(long.Key, "0x"))
	if err != nil {
		g.t.Fatal(err)
	}
	m, _ := g.book.Market("ETH")
	fee := big.NewInt(1e16)
	// GMX takes the execution fee out of the WNT sent and keeps the rest as collateral.
	sent := new(big.Int).Add(fee, new(big.Int).Mul(big.NewInt(eth), big.NewInt(1e18)))
	er := cgmx.NewExchangeRouter()
	order := cgmx.IBaseOrderUtilsCreateOrderParams{OrderType: gmx.OrderMarketIncrease, IsLong: true, DataList: [][32]byte{},
		Addresses: cgmx.IBaseOrderUtilsCreateOrderParamsAddresses{Market: m.MarketToken, InitialCollateralToken: m.Long.Address,
			Receiver: long.Addr, CancellationReceiver: long.Addr, SwapPath: []common.Address{}},
		Numbers: cgmx.IBaseOrderUtilsCreateOrderParamsNumbers{ExecutionFee: fee, SizeDeltaUsd: new(big.Int).Mul(big.NewInt(usd), new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)),
			AcceptablePrice: new(big.Int).Mul(big.NewInt(10_000), big.NewInt(1e12)), InitialCollateralDeltaAmount: new(big.Int),
			TriggerPrice: new(big.Int), CallbackGasLimit: new(big.Int), MinOutputAmount: new(big.Int), ValidFromTime: new(big.Int)},
	}
	data := er.PackMulticall([][]byte{er.PackSendWnt(g.book.Contracts.OrderVault, sent), er.PackCreateOrder(order)})
	rc, err := gmx.SendFixedGas(context.Background(), g.reader.Chain, chain.NewKeySigner(k), g.book.Contracts.ExchangeRouter, data, sent, 10_000_000)
	if err != nil || rc.Status != 1 {
		g.t.Fatalf("the WETH-collateral long's order: %v", err)
	}
	g.keeperOnce()
}

// TestE2ERecordGMXFundingInWETH: a short against a larger long whose
// collateral is WETH receives its funding in WETH. The report values every
// WETH amount at the WETH feed's answer at its block, counts it in
// funding_usd and the ETH totals, keeps the token amount on the event, and
// keeps it (and its claim) out of the USDC reconciliation, which still
// holds to the unit. Each figure is checked by hand against the DataStore's
// claimable WETH, the feed and the account's WETH balance at the blocks.
func TestE2ERecordGMXFundingInWETH(t *testing.T) {
	g := e2eStartGMX(t)
	ctx := context.Background()
	keeper := g.startKeeper()
	defer keeper.stop()
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("hedge:\n%s", r)
	}
	g.openLongInWETH(30_000, 8)
	g.ok("devnet", "advance", "1d")
	// The increase settles the short's funding: claimable WETH (and USDC, if any).
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--eth", "1")
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("rebalance:\n%s", r)
	}
	g.ok("devnet", "set-price", "ETH", "4900") // the claim is valued at another price than the credit
	g.ok("claim", "--yes", "--private-key", g.trader.Key)
	keeper.stop()

	acct := g.trader.Addr.Hex()
	var r record.Report
	g.cli.okJSON(&r, g.args("report", "--from", acct, "--since", "0", "--json")...)
	if !r.Reconciliation.Reconciled || !r.Reconciliation.Difference.IsZero() || len(r.Mismatches) > 0 {
		t.Fatalf("%s; mismatches %v", r.Reconciliation.Statement, r.Mismatches)
	}
	t.Logf("%s", r.Reconciliation.Statement)

	m, _ := g.book.Market("ETH")
	weth := m.Long.Address
	at := func(n uint64) *big.Int { return new(big.Int).SetUint64(n) }
	call := func(to common.Address, data []byte, n uint64) []byte {
		out, err := g.chain.ec.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, at(n))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	feed, ok := g.reader.Feed(weth)
	if !ok {
		t.Fatal("no WETH feed")
	}
	pf, dsb, tok := contracts.NewPriceFeed(), cgmx.NewDataStore(), cgmx.NewMintableToken()
	fd, err := pf.UnpackDecimals(call(feed, pf.PackDecimals(), r.Period.ToBlock))
	if err != nil {
		t.Fatal(err)
	}
	priceAt := func(n uint64) decimal.Decimal {
		rd, err := pf.UnpackLatestRoundData(call(feed, pf.PackLatestRoundData(), n))
		if err != nil {
			t.Fatal(err)
		}
		return decimal.NewFromBigInt(rd.Answer, -int32(fd))
	}
	claimable := func(n uint64) decimal.Decimal {
		v, err := dsb.UnpackGetUint(call(g.book.Contracts.DataStore, dsb.PackGetUint(gmx.KeyClaimableFundingAmount(m.MarketToken, weth, g.trader.Addr)), n))
		if err != nil {
			t.Fatal(err)
		}
		return decimal.NewFromBigInt(v, -18)
	}
	balance := func(n uint64) decimal.Decimal {
		v, err := tok.UnpackBalanceOf(call(weth, tok.PackBalanceOf(g.trader.Addr), n))
		if err != nil {
			t.Fatal(err)
		}
		return decimal.NewFromBigInt(v, -18)
	}
	var inUSDC, inWETH, wethUSD, claimedUSD decimal.Decimal
	credits, claims := 0, 0
	for _, e := range r.Events {
		switch {
		case e.Kind == record.KindFunding && e.Token == "":
			inUSDC = inUSDC.Add(e.Amount)
		case e.Kind == record.KindFunding:
			// By hand: the claimable WETH the block added, at the feed there.
			credits++
			want := claimable(e.Block).Sub(claimable(e.Block - 1))
			p := priceAt(e.Block)
			if e.Token != "WETH" || !e.TokenAmount.Equal(want) || !e.TokenPrice.Equal(p) || !e.Amount.Equal(want.Mul(p)) || !want.IsPositive() {
				t.Errorf("WETH funding at block %d: %s %s at %s = %s USD; by hand %s × %s = %s", e.Block, e.TokenAmount, e.Token,
					e.TokenPrice, e.Amount, want, p, want.Mul(p))
			}
			inWETH, wethUSD = inWETH.Add(e.TokenAmount), wethUSD.Add(e.Amount)
			t.Logf("funding at block %d: %s WETH × %s = %s USD", e.Block, e.TokenAmount, e.TokenPrice, e.Amount)
		case e.Kind == record.KindClaim && e.Token == "WETH":
			// By hand: what the claim took off the claimable and put in the wallet.
			claims++
			was, got := claimable(e.Block-1), balance(e.Block).Sub(balance(e.Block-1))
			p := priceAt(e.Block)
			if !e.TokenAmount.Equal(was) || !got.Equal(was) || !e.TokenPrice.Equal(p) || !e.Amount.Equal(was.Mul(p)) {
				t.Errorf("WETH claim at block %d: %s at %s = %s USD; by hand claimable %s, wallet +%s, feed %s", e.Block,
					e.TokenAmount, e.TokenPrice, e.Amount, was, got, p)
			}
			claimedUSD = claimedUSD.Add(e.Amount)
			t.Logf("claim at block %d: %s WETH × %s = %s USD", e.Block, e.TokenAmount, e.TokenPrice, e.Amount)
		}
	}
	rc := r.Reconciliation
	var eth record.Totals
	for _, a := range r.PerAsset {
		if a.Asset == "ETH" {
			eth = a
		}
	}
	if credits == 0 || claims != 1 || !r.Totals.Funding.Equal(inUSDC.Add(wethUSD)) || !eth.Funding.Equal(r.Totals.Funding) ||
		!rc.Funding.Equal(inUSDC) || !rc.OutsideFunding.Equal(wethUSD) || !rc.OutsideClaims.Equal(claimedUSD) ||
		!r.Totals.Claims.Sub(claimedUSD).Equal(rc.Withdrawals.Sub(r.Totals.Withdrawals)) {
		t.Errorf("funding: %d WETH credits %s WETH = %s USD, USDC %s; totals %+v; ETH %+v; reconciliation %+v",
			credits, inWETH, wethUSD, inUSDC, r.Totals, eth, rc)
	}
	// Nothing was left claimable in WETH after the claim.
	if !claimable(r.Period.ToBlock).IsZero() {
		t.Errorf("claimable WETH after the claim: %s", claimable(r.Period.ToBlock))
	}
	// The chain's logs alone find the same WETH credit and claim.
	var rb record.Report
	g.cli.okJSON(&rb, g.args("report", "--from", acct, "--since", "0", "--json", "--rebuild")...)
	if a, b := e2eRecordPlain(&r), e2eRecordPlain(&rb); !bytes.Equal(a, b) {
		t.Errorf("--rebuild differs from the journal's report:\n%s\n%s", a, b)
	}
	if csv := g.ok("report", "--from", acct, "--since", "0", "--csv").stdout; !strings.Contains(csv, ",WETH,") {
		t.Errorf("the CSV names no WETH amount:\n%s", csv)
	}
	t.Logf("report:\n%s", g.ok("report", "--from", acct, "--since", "0").stdout)
}
