package main

// The hedge record end to end on anvil: a hedge across a year boundary
// (open, a reorged-out first attempt, funding over time travel, a
// rebalance, a margin top-up, a reduce, a close), then the reports of both
// years from the journal and from chain logs alone.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge/record"
)

func TestE2ERecordYearBoundary(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartAnvil(t)
	cli := e2eNewCLI(t, n.URL)
	ch := e2eNewChain(t, n.URL)
	with := func(args ...string) []string { return append(append([]string{}, args...), "--rpc-url", n.URL) }
	deployer, signer := e2eAccountFromHex(t, e2eAnvilKey0), e2eAccountFromHex(t, e2eAnvilKey1)
	W := e2eNewAccount(t).Addr.Hex()
	sig := func(cmd string, more ...string) []string {
		return with(append([]string{cmd, "--wallet", W, "--private-key", signer.Key}, more...)...)
	}
	headTime := func() time.Time {
		h, err := ch.ec.HeaderByNumber(e2eCtx(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		return time.Unix(int64(h.Time), 0).UTC()
	}
	// advanceTo moves the chain clock to just after at; feeds re-published.
	advanceTo := func(at time.Time) {
		d := at.Sub(headTime())
		if d < time.Second {
			d = time.Second
		}
		cli.ok(with("devnet", "advance", fmt.Sprintf("%ds", int64(d.Seconds())+1), "--private-key", deployer.Key)...)
	}
	// Bad input: one line, non-zero exit.
	for _, args := range [][]string{
		{"report", "--year", "2026"},
		{"report", "--from", signer.Addr.Hex(), "--year", "99999"},
		{"report", "--from", signer.Addr.Hex()},
		{"report", "--from", signer.Addr.Hex(), "--year", "2026", "--since", "2026-01-01"},
		{"report", "--from", signer.Addr.Hex(), "--since", "last tuesday"},
		{"report", "--from", signer.Addr.Hex(), "--year", "2026", "--json", "--csv"},
		{"report", "--from", "0xnot", "--year", "2026"},
	} {
		e2eCheckOneLineError(t, cli.fails(with(args...)...))
	}
	var book e2eBook
	cli.okJSON(&book, with("deploy", "--private-key", deployer.Key, "--json")...)
	cli.ok(with("devnet", "fund", W, "--private-key", deployer.Key, "--eth", "10", "--wbtc", "0.5")...)
	cli.ok(with("devnet", "fund", signer.Addr.Hex(), "--private-key", deployer.Key, "--usdc", "100000")...)
	advanceTo(time.Date(2026, 12, 29, 12, 0, 0, 0, time.UTC))

	// A first hedge that a reorg takes off the chain: the next run settles
	// the journal (dropped) and hedges again, so the trade is reported once.
	var snap string
	if err := ch.rc.CallContext(e2eCtx(t), &snap, "evm_snapshot"); err != nil {
		t.Fatal(err)
	}
	cli.ok(sig("hedge", "--yes")...)
	var reverted bool
	if err := ch.rc.CallContext(e2eCtx(t), &reverted, "evm_revert", snap); err != nil || !reverted {
		t.Fatalf("evm_revert: %v %v", reverted, err)
	}
	cli.ok(with("devnet", "advance", "60s", "--private-key", deployer.Key)...)
	cli.ok(sig("hedge", "--yes")...)

	// Funding over time travel: longs pay the short.
	cli.ok(with("devnet", "skew", "ETH", "1000", "--private-key", deployer.Key)...)
	cli.ok(with("devnet", "advance", "1d", "--private-key", deployer.Key)...)
	// Rebalance after the wallet buys 5 ETH (a material change: a new designation).
	cli.ok(with("devnet", "fund", W, "--private-key", deployer.Key, "--weth", "5", "--usdc", "0")...)
	cli.ok(sig("hedge", "--yes")...)
	// A 30% rally: margin top-up.
	cli.ok(with("devnet", "set-price", "ETH", "3900", "--private-key", deployer.Key)...)
	cli.ok(sig("hedge", "--yes")...)

	// Into 2027: reduce to half (a ratio change), then close.
	advanceTo(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if y := headTime().Year(); y != 2027 {
		t.Fatalf("head in %d", y)
	}
	cli.ok(with("devnet", "advance", "8h", "--private-key", deployer.Key)...)
	cli.ok(sig("hedge", "--yes", "--hedge-ratio", "0.5")...)
	cli.ok(with("devnet", "advance", "8h", "--private-key", deployer.Key)...)
	cli.ok(with("close", "--private-key", signer.Key, "--yes")...)

	report := func(args ...string) (*record.Report, string) {
		t.Helper()
		var r record.Report
		res := cli.okJSON(&r, with(append([]string{"report", "--from", signer.Addr.Hex(), "--json"}, args...)...)...)
		return &r, res.stdout
	}
	r26, raw26 := report("--year", "2026")
	r27, _ := report("--year", "2027")
	for _, r := range []*record.Report{r26, r27} {
		if !r.Reconciliation.Reconciled || !r.Reconciliation.Difference.IsZero() || len(r.Mismatches) > 0 {
			t.Errorf("%s: %s; mismatches %v", r.Period.Label, r.Reconciliation.Statement, r.Mismatches)
		}
		if !strings.HasPrefix(r.Integrity, "intact") {
			t.Errorf("%s: journal integrity %q", r.Period.Label, r.Integrity)
		}
	}
	e2eCheckKeys(t, "report --json", []byte(raw26), "designations", "events", "open_positions", "totals", "reconciliation")
	var shape struct {
		Totals map[string]json.RawMessage `json:"totals"`
		Rec    map[string]json.RawMessage `json:"reconciliation"`
	}
	json.Unmarshal([]byte(raw26), &shape)
	for _, k := range []string{"realized_pnl_usd", "funding_usd", "fees_usd", "gas_usd", "unrealized_pnl_usd"} {
		if v := shape.Totals[k]; len(v) == 0 || v[0] != '"' {
			t.Errorf("totals.%s = %s, want a decimal string", k, v)
		}
	}
	if v := shape.Rec["difference"]; len(v) == 0 || v[0] != '"' {
		t.Errorf("reconciliation.difference = %s", v)
	}
	// The year boundary: 2027 starts from 2026's end.
	if r27.Period.FromBlock != r26.Period.ToBlock+1 || !r27.Reconciliation.Start.Equal(r26.Reconciliation.End) {
		t.Errorf("2027 starts at block %d with %s; 2026 ended at block %d with %s", r27.Period.FromBlock,
			r27.Reconciliation.Start, r26.Period.ToBlock, r26.Reconciliation.End)
	}
	if !r26.Totals.Funding.IsPositive() || !r26.Totals.Fees.IsPositive() || !r26.Totals.Gas.IsPositive() || r26.Totals.Trades < 3 {
		t.Errorf("2026 totals: %+v", r26.Totals)
	}
	if len(r27.OpenPositions) != 0 || r27.Totals.Trades < 4 {
		t.Errorf("2027: open %v, %d trades", r27.OpenPositions, r27.Totals.Trades)
	}
	// MTM at the boundary, by hand: size × (feed at the last 2026 block − the venue's entry).
	if len(r26.OpenPositions) != 2 {
		t.Fatalf("open at the end of 2026: %+v", r26.OpenPositions)
	}
	pv, pf := contracts.NewPerpVenue(), contracts.NewPriceFeed()
	at := new(big.Int).SetUint64(r26.Period.ToBlock)
	callAt := func(to common.Address, data []byte) []byte {
		out, err := ch.ec.CallContract(e2eCtx(t), ethereum.CallMsg{To: &to, Data: data}, at)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, p := range r26.OpenPositions {
		var feed common.Address
		var dec int
		for _, m := range book.Markets {
			if m.Asset == p.Asset {
				feed, dec = common.HexToAddress(m.Feed), m.FeedDecimals
			}
		}
		rd, err := pf.UnpackLatestRoundData(callAt(feed, pf.PackLatestRoundData()))
		if err != nil {
			t.Fatal(err)
		}
		id, _ := book.marketID(p.Asset)
		pos, err := pv.UnpackGetPosition(callAt(common.HexToAddress(book.Venue), pv.PackGetPosition(signer.Addr, new(big.Int).SetUint64(id))))
		if err != nil {
			t.Fatal(err)
		}
		price := decimal.NewFromBigInt(rd.Answer, -int32(dec))
		size, entry := decimal.NewFromBigInt(pos.Size, -18), decimal.NewFromBigInt(pos.EntryPrice, -18)
		want := size.Mul(price.Sub(entry))
		if !p.UnrealizedPnL.Equal(want) || !p.MarkPrice.Equal(price) {
			t.Errorf("%s MTM %s at %s, by hand %s at %s", p.Asset, p.UnrealizedPnL, p.MarkPrice, want, price)
		}
	}
	// Every trade on chain is reported once: the reorged attempt is not.
	pm, _ := contracts.PerpVenueMetaData.ParseABI()
	logs, err := ch.ec.FilterLogs(e2eCtx(t), ethereum.FilterQuery{Addresses: []common.Address{common.HexToAddress(book.Venue)},
		Topics: [][]common.Hash{{pm.Events["PositionModified"].ID}, {common.BytesToHash(signer.Addr.Bytes())}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := r26.Totals.Trades + r27.Totals.Trades; got != len(logs) {
		t.Errorf("reports hold %d trades, the chain %d", got, len(logs))
	}
	jr := cli.ok("journal", "--from", signer.Addr.Hex(), "--json")
	if !strings.Contains(jr.stdout, `"dropped"`) {
		t.Errorf("the reorged hedge is not corrected in the journal:\n%s", jr.stdout)
	}
	// --rebuild from chain logs alone gives the same record.
	rb, _ := report("--year", "2026", "--rebuild")
	// The rebuild cannot know which transactions a reorg moved (the
	// journal's report marks them corrected); the rest must be equal.
	for _, r := range []*record.Report{r26, rb} {
		for i := range r.Events {
			if r.Events[i].Corrected {
				r.Events[i].Corrected, r.Events[i].Note = false, ""
			}
		}
	}
	a, _ := json.Marshal(struct {
		E any
		T any
		R any
		O any
	}{r26.Events, r26.Totals, r26.Reconciliation, r26.OpenPositions})
	b, _ := json.Marshal(struct {
		E any
		T any
		R any
		O any
	}{rb.Events, rb.Totals, rb.Reconciliation, rb.OpenPositions})
	if !bytes.Equal(a, b) {
		t.Errorf("--rebuild differs from the journal's report:\n%s\n%s", a, b)
	}
	// Designations: first hedge on ETH and BTC, the 5 ETH bought, the ratio change, the ends.
	var ds []record.Designation
	cli.okJSON(&ds, "designations", "--from", signer.Addr.Hex(), "--json")
	reasons := ""
	for _, d := range ds {
		reasons += d.Asset + ": " + d.Status + " " + d.Reason + "\n"
		if d.Block == 0 || d.Signer != signer.Addr.Hex() || !strings.Contains(d.Objective, "offset the price risk") && d.Status == "designated" {
			t.Errorf("designation %+v", d)
		}
	}
	for _, want := range []string{"ETH: designated first hedge on ETH", "BTC: designated first hedge on BTC", "hedged holdings changed from 10 to 15 ETH",
		"hedge ratio changed from 1 to 0.5", "ETH: ended", "BTC: ended"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("no designation %q in:\n%s", want, reasons)
		}
	}
	if len(r26.Designations) == 0 {
		t.Error("the 2026 report lists no designations")
	}
	// The other formats.
	for _, f := range []string{"--csv", "--koinly", "--html"} {
		out := cli.ok(with("report", "--from", signer.Addr.Hex(), "--year", "2026", f)...).stdout
		if len(strings.Split(out, "\n")) < 5 {
			t.Errorf("report %s:\n%s", f, out)
		}
		if f == "--html" && os.Getenv("HEDGER_REPORT_HTML") != "" {
			os.WriteFile(os.Getenv("HEDGER_REPORT_HTML"), []byte(out), 0o644)
		}
	}
	txt := cli.ok(with("report", "--from", signer.Addr.Hex(), "--year", "2026")...).stdout
	if !strings.Contains(txt, "reconciled exactly") || !strings.Contains(txt, "not tax advice") {
		t.Errorf("report table:\n%s", txt)
	}
	if os.Getenv("HEDGER_REPORT_TXT") != "" {
		os.WriteFile(os.Getenv("HEDGER_REPORT_TXT"), []byte(txt), 0o644)
	}

	// An edited journal line is detected: --verify fails, the report says
	// so, and a command that sends refuses the journal.
	cli.ok("journal", "--from", signer.Addr.Hex(), "--verify")
	path := cli.dataDir + fmt.Sprintf("/journal/%d-%s.jsonl", n.ChainID, signer.Addr.Hex())
	jb, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(jb, []byte(`"kind":"trade"`))
	if i < 0 {
		t.Fatal("no trade in the journal")
	}
	os.WriteFile(path, append(append(append([]byte{}, jb[:i]...), []byte(`"kind":"trade","note":"x"`)...), jb[i+len(`"kind":"trade"`):]...), 0o600)
	r := cli.fails("journal", "--from", signer.Addr.Hex(), "--verify")
	if !strings.Contains(r.stderr, "integrity chain broken at line") {
		t.Errorf("verify of an edited journal: %s", r)
	}
	rt, _ := report("--year", "2026")
	if !strings.HasPrefix(rt.Integrity, "BROKEN") {
		t.Errorf("report of an edited journal: integrity %q", rt.Integrity)
	}
	r = cli.fails(sig("hedge", "--yes")...)
	if !strings.Contains(r.stderr, "integrity chain broken") {
		t.Errorf("hedge with an edited journal: %s", r)
	}
	_ = context.Background
}
