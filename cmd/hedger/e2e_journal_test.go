package main

// End-to-end tests of the journal, crash safety, fee limits and notional
// caps: the real binary on anvil, chain state read independently.

import (
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/chain/faultrpc"
	"github.com/hedger/hedger/contracts"
)

// e2eJournalRig is a deployed venue on a fresh anvil with a funded cold
// wallet (10 ETH, 0.5 WBTC) and signer (#1, 100000 USDC).
type e2eJournalRig struct {
	t      *testing.T
	n      *e2eNode
	cli    *e2eCLI
	ch     *e2eChain
	book   e2eBook
	signer e2eAccount
	spot   common.Address
}

func e2eNewJournalRig(t *testing.T) *e2eJournalRig {
	t.Helper()
	n := e2eStartAnvil(t)
	r := &e2eJournalRig{t: t, n: n, cli: e2eNewCLI(t, n.URL), ch: e2eNewChain(t, n.URL),
		signer: e2eAccountFromHex(t, e2eAnvilKey1), spot: e2eNewAccount(t).Addr}
	deployer := e2eAccountFromHex(t, e2eAnvilKey0)
	r.cli.okJSON(&r.book, "deploy", "--rpc-url", n.URL, "--private-key", deployer.Key, "--json")
	r.cli.ok("devnet", "fund", r.spot.Hex(), "--rpc-url", n.URL, "--private-key", deployer.Key, "--eth", "10", "--wbtc", "0.5")
	r.cli.ok("devnet", "fund", r.signer.Addr.Hex(), "--rpc-url", n.URL, "--private-key", deployer.Key, "--usdc", "100000")
	return r
}

// hedgeArgs are `hedge --yes` for the rig's wallet and signer, plus more.
func (r *e2eJournalRig) hedgeArgs(more ...string) []string {
	return append([]string{"hedge", "--rpc-url", r.n.URL, "--wallet", r.spot.Hex(), "--private-key", r.signer.Key, "--yes"}, more...)
}

// startWatch runs `hedger watch` on the rig's account in the background (it
// holds the account's locks) until the test ends.
func (r *e2eJournalRig) startWatch() *exec.Cmd {
	r.t.Helper()
	cmd := exec.Command(r.cli.bin, "watch", "--rpc-url", r.n.URL, "--wallet", r.spot.Hex(), "--private-key", r.signer.Key,
		"--poll-interval", "1h", "--log-format", "json")
	cmd.Dir, cmd.Env = r.cli.workDir, r.cli.env(nil)
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func (r *e2eJournalRig) journalPath() string {
	return chain.JournalPath(r.cli.dataDir, r.n.ChainID, r.signer.Addr)
}

// positions are the signer's ETH and BTC sizes on the venue.
func (r *e2eJournalRig) positions() (eth, btc decimal.Decimal) {
	ethID, _ := r.book.marketID("ETH")
	btcID, _ := r.book.marketID("BTC")
	venue := common.HexToAddress(r.book.Venue)
	eth, _ = r.ch.position(venue, r.signer.Addr, ethID)
	btc, _ = r.ch.position(venue, r.signer.Addr, btcID)
	return eth, btc
}

type e2eJournalRow struct {
	Intent    string  `json:"intent"`
	Kind      string  `json:"kind"`
	Market    string  `json:"market"`
	Size      string  `json:"size"`
	Price     string  `json:"acceptable_price"`
	Notional  string  `json:"notional"`
	FillPrice string  `json:"fill_price"`
	Fee       string  `json:"fee"`
	GasFee    string  `json:"gas_fee"`
	Tx        string  `json:"tx"`
	Nonce     *uint64 `json:"nonce"`
	Outcome   string  `json:"outcome"`
	Block     uint64  `json:"block"`
}

func (r *e2eJournalRig) journal() []e2eJournalRow {
	r.t.Helper()
	var rows []e2eJournalRow
	r.cli.okJSON(&rows, "journal", "--from", r.signer.Addr.Hex(), "--json")
	return rows
}

// rawJournal reads the journal file's lines as the manager wrote them.
func (r *e2eJournalRig) rawJournal() []chain.JournalEntry {
	r.t.Helper()
	es, skipped, err := chain.ReadJournal(r.journalPath())
	if err != nil || skipped != 0 {
		r.t.Fatalf("journal %s: %v (%d unreadable lines)", r.journalPath(), err, skipped)
	}
	return es
}

// A hedge writes one journal action per transaction, each with its intent,
// a signed line and a mined outcome that match the chain; `journal` prints
// it as JSON and CSV; the file holds no key.
func TestE2EJournalHedge(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	nonce0 := r.ch.nonce(r.signer.Addr)
	var plan e2ePlan
	r.cli.okJSON(&plan, r.hedgeArgs("--json")...)
	if len(plan.Actions) < 3 {
		t.Fatalf("hedge sent %d actions", len(plan.Actions))
	}
	r.ch.checkReceipts(plan.Actions)
	rows := r.journal()
	if len(rows) != len(plan.Actions) {
		t.Fatalf("journal has %d actions, hedge sent %d:\n%+v", len(rows), len(plan.Actions), rows)
	}
	trades := 0
	for i, row := range rows {
		a := plan.Actions[i]
		if row.Outcome != chain.OutcomeMined || !strings.EqualFold(row.Tx, a.Tx) || row.Kind != a.Kind || row.Nonce == nil ||
			*row.Nonce != nonce0+uint64(i) || row.GasFee == "" || row.Block == 0 {
			t.Errorf("journal row %d %+v does not match action %+v (nonce from %d)", i, row, a, nonce0)
		}
		if row.Kind == "trade" {
			trades++
			size, _ := decimal.NewFromString(row.Size)
			fill, err := decimal.NewFromString(row.FillPrice)
			if !size.Equal(a.SizeDelta.Decimal) || err != nil || !fill.IsPositive() || row.Fee == "" || row.Intent != "hedge" ||
				!e2eNear(fill, a.AcceptablePrice.Decimal, "0.01") {
				t.Errorf("trade row %d: %+v (action %+v)", i, row, a)
			}
		}
	}
	if trades != 2 {
		t.Errorf("%d trades in the journal, want ETH and BTC", trades)
	}
	// Every action has intent, signed before outcome, nothing in between missing.
	seen := map[string][]string{}
	var order []string
	for _, e := range r.rawJournal() {
		if _, ok := seen[e.ID]; !ok {
			order = append(order, e.ID)
		}
		seen[e.ID] = append(seen[e.ID], e.Type)
	}
	for _, id := range order {
		if got := strings.Join(seen[id], ","); got != "intent,signed,outcome" {
			t.Errorf("action %s lines %s, want intent,signed,outcome", id, got)
		}
	}
	raw, _ := os.ReadFile(r.journalPath())
	if strings.Contains(strings.ToLower(string(raw)), strings.TrimPrefix(e2eAnvilKey1, "0x")) {
		t.Error("the journal holds the private key")
	}
	csvOut := r.cli.ok("journal", "--from", r.signer.Addr.Hex(), "--csv").stdout
	lines := strings.Split(strings.TrimSpace(csvOut), "\n")
	if len(lines) != len(plan.Actions)+1 || lines[0] != "time,chain_id,block,intent,kind,market,size,amount,fill_price,fee,gas_fee_eth,tx_hash,outcome" {
		t.Errorf("csv:\n%s", csvOut)
	}
	for i, l := range lines[1:] {
		f := strings.Split(l, ",")
		a := plan.Actions[i]
		if len(f) != 13 || f[1] != "31337" || f[2] == "" || f[4] != a.Kind || f[11] != a.Tx || f[12] != "mined" || f[7] == "" {
			t.Errorf("csv row %d %q for action %+v", i, l, a)
		}
		if a.Kind == "deposit" && !e2eD(f[7]).Equal(a.Amount.Decimal) {
			t.Errorf("csv row %d: deposit amount %s, want %s", i, f[7], a.Amount.Decimal)
		}
	}
	table := r.cli.ok("journal", "--from", r.signer.Addr.Hex()).stdout
	if !strings.Contains(table, "FILL PRICE") || !strings.Contains(table, plan.Actions[0].Tx) {
		t.Errorf("table:\n%s", table)
	}
}

// While one hedger holds the account's journal (a running watch), a second
// hedger on the same account is refused with one line naming the holder.
func TestE2EJournalLock(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	r.cli.ok(r.hedgeArgs()...)
	cmd := r.startWatch()
	pidFile := r.journalPath() + ".pid"
	deadline := time.Now().Add(60 * time.Second)
	for {
		if b, err := os.ReadFile(pidFile); err == nil && strings.TrimSpace(string(b)) == fmt.Sprint(cmd.Process.Pid) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("watch (pid %d) did not take the journal lock", cmd.Process.Pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
	nonce := r.ch.nonce(r.signer.Addr)
	res := r.cli.fails(r.hedgeArgs()...)
	want := fmt.Sprintf("is locked by another hedger process (pid %d)", cmd.Process.Pid)
	if !strings.Contains(res.stderr, want) || !strings.Contains(res.stderr, r.journalPath()) {
		t.Errorf("second hedger: want %q:\n%s", want, res)
	}
	if got := r.ch.nonce(r.signer.Addr); got != nonce {
		t.Errorf("the refused hedger sent %d transaction(s)", got-nonce)
	}
	cmd.Process.Kill()
	cmd.Wait()
	r.cli.ok(r.hedgeArgs()...) // the lock died with its holder
}

// SIGKILL at each crash point in the middle of `hedge`, then a rerun: the
// position equals an uninterrupted run's, and the journal says what became
// of the interrupted transaction.
func TestE2EJournalCrash(t *testing.T) {
	e2eSkipIfShort(t)
	base := e2eNewJournalRig(t)
	base.cli.ok(base.hedgeArgs()...)
	wantETH, wantBTC := base.positions()
	if !wantETH.IsNegative() || !wantBTC.IsNegative() {
		t.Fatalf("baseline hedge: ETH %s BTC %s", wantETH, wantBTC)
	}
	for _, tc := range []struct{ point, outcome string }{
		{"before-send", chain.OutcomeDropped},
		{"after-send", chain.OutcomeMined},
		{"after-receipt", chain.OutcomeMined},
	} {
		t.Run(tc.point, func(t *testing.T) {
			r := e2eNewJournalRig(t)
			// The 2nd transaction: the approval is through, no trade yet, so
			// the rerun plans from the same prices as the baseline.
			res := r.cli.runEnv([]string{"HEDGER_TEST_CRASH=" + tc.point + ":2"}, r.hedgeArgs()...)
			if res.code != -1 {
				t.Fatalf("hedge was not killed at %s:\n%s", tc.point, res)
			}
			var live int
			for _, rec := range chain.GroupJournal(r.rawJournal()) {
				if rec.Live() {
					live++
				}
			}
			if live != 1 {
				t.Fatalf("%d unfinished journal actions after the crash, want 1", live)
			}
			again := r.cli.ok(r.hedgeArgs()...)
			if !strings.Contains(again.stderr, "journal: resolved 1 unfinished transaction(s) from an earlier run: 1 "+tc.outcome) {
				t.Errorf("rerun did not report the reconcile:\n%s", again)
			}
			eth, btc := r.positions()
			if !eth.Equal(wantETH) || !btc.Equal(wantBTC) {
				t.Errorf("after crash+rerun ETH %s BTC %s, uninterrupted ETH %s BTC %s", eth, btc, wantETH, wantBTC)
			}
			recs := chain.GroupJournal(r.rawJournal())
			resolved := 0
			for _, rec := range recs {
				if rec.Live() {
					t.Errorf("action %s still unfinished", rec.ID)
					continue
				}
				if rec.Outcome.ResolvedBy == "reconcile" {
					resolved++
					if rec.Outcome.Outcome != tc.outcome || rec.Intent.Kind != "deposit" {
						t.Errorf("reconciled %+v (%s), want %s of the deposit", rec.Outcome, rec.Intent.Kind, tc.outcome)
					}
				}
			}
			if resolved != 1 {
				t.Errorf("%d actions resolved by reconcile, want 1", resolved)
			}
			r.cli.ok(r.hedgeArgs()...) // nothing left to do or to reconcile
			if eth2, _ := r.positions(); !eth2.Equal(eth) {
				t.Errorf("third run moved ETH %s -> %s", eth, eth2)
			}
		})
	}
}

// A maximum fee below the base fee refuses in one line and sends nothing;
// a per-transaction cap splits trades; a daily cap refuses a plan; and
// --approve-max approves max uint256.
func TestE2EJournalFeesAndCaps(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	nonce0 := r.ch.nonce(r.signer.Addr)
	res := r.cli.fails(r.hedgeArgs("--max-fee-gwei", "0.000000001")...)
	if !strings.Contains(res.stderr, "below the current base fee") || !strings.Contains(res.stderr, "nothing sent") {
		t.Errorf("max fee below base fee:\n%s", res)
	}
	if got := r.ch.nonce(r.signer.Addr); got != nonce0 {
		t.Fatalf("sent %d transaction(s) under a max fee below the base fee", got-nonce0)
	}
	for _, bad := range [][]string{{"--max-fee-gwei", "-1"}, {"--confirmations", "x"}, {"--max-trade-notional", "abc"}, {"--resubmit-after", "0s"}} {
		r.cli.fails(r.hedgeArgs(bad...)...)
	}

	// plan previews the split exactly as hedge will send it, and sends nothing.
	var preview e2ePlan
	r.cli.okJSON(&preview, "plan", "--rpc-url", r.n.URL, "--wallet", r.spot.Hex(), "--private-key", r.signer.Key, "--json", "--max-trade-notional", "10000")
	previewTrades := 0
	for _, a := range preview.Actions {
		if a.Kind == "trade" {
			previewTrades++
		}
	}
	// ~30000 USD a market, counted at the worst case a sell can fill at,
	// mark × (1 + 0.5% slippage): above 3 × 10000, so 4 trades each.
	if previewTrades != 8 || r.ch.nonce(r.signer.Addr) != nonce0 {
		t.Errorf("plan --max-trade-notional 10000 previews %d trades (want 8), nonce moved %d", previewTrades, r.ch.nonce(r.signer.Addr)-nonce0)
	}

	var plan e2ePlan
	r.cli.okJSON(&plan, r.hedgeArgs("--json", "--max-trade-notional", "10000", "--approve-max", "--max-fee-gwei", "100")...)
	if len(plan.Actions) == 0 || plan.Actions[0].Kind != "approve" || !strings.Contains(plan.Actions[0].Reason, "any amount") {
		t.Errorf("the plan shown does not say the approval is unlimited: %+v", plan.Actions)
	}
	r.ch.checkReceipts(plan.Actions)
	trades := map[string]int{}
	for _, a := range plan.Actions {
		if a.Gas == 0 {
			t.Errorf("action %+v has no gas estimate in --json after the split", a)
		}
		if a.Kind != "trade" {
			continue
		}
		trades[a.Asset]++
		// A sell's acceptable price is mark × (1 − 0.5%); its worst case
		// for the cap is mark × (1 + 0.5%).
		worst := a.AcceptablePrice.Decimal.Mul(e2eD("1.005")).DivRound(e2eD("0.995"), 18)
		if n := a.SizeDelta.Abs().Mul(worst); n.GreaterThan(e2eD("10000")) {
			t.Errorf("trade %+v has worst-case notional %s above the cap", a, n)
		}
	}
	if trades["ETH"] != 4 || trades["BTC"] != 4 { // ~30000 USD each, at worst 30150
		t.Errorf("trades per market %v, want 4 each", trades)
	}
	if got := r.ch.nonce(r.signer.Addr); got != nonce0+uint64(len(plan.Actions)) {
		t.Errorf("nonce moved %d for %d actions", got-nonce0, len(plan.Actions))
	}
	eth, btc := r.positions()
	if !e2eNear(eth.Neg(), e2eD("10"), "0.02") || !e2eNear(btc.Neg(), e2eD("0.5"), "0.02") {
		t.Errorf("after split trades ETH %s BTC %s", eth, btc)
	}
	tk := contracts.NewTestToken()
	allowance, err := tk.UnpackAllowance(r.ch.call(common.HexToAddress(r.book.Collateral.Address),
		tk.PackAllowance(r.signer.Addr, common.HexToAddress(r.book.Venue))))
	// Within the deposits of max uint256 (a token may or may not spend an
	// unlimited allowance down).
	if err != nil || new(big.Int).Sub(math.MaxBig256, allowance).Cmp(big.NewInt(1e12)) > 0 {
		t.Errorf("allowance %v after --approve-max, want ~max uint256 (%v)", allowance, err)
	}
	rows := r.journal()
	if len(rows) != len(plan.Actions) {
		t.Errorf("journal %d rows, %d actions", len(rows), len(plan.Actions))
	}

	// More spot: the next plan sells ~5 ETH (~15000 USD). With ~60000 USD
	// traded in the last 24h, a 50000 daily cap refuses it whole.
	deployer := e2eAccountFromHex(t, e2eAnvilKey0)
	r.cli.ok("devnet", "fund", r.spot.Hex(), "--rpc-url", r.n.URL, "--private-key", deployer.Key, "--eth", "5")
	nonce1 := r.ch.nonce(r.signer.Addr)
	// plan reads the journal without locking it and refuses as hedge will.
	res = r.cli.fails("plan", "--rpc-url", r.n.URL, "--wallet", r.spot.Hex(), "--private-key", r.signer.Key, "--max-daily-notional", "50000")
	if !strings.Contains(res.stderr, "max daily notional 50000") {
		t.Errorf("plan with the daily cap:\n%s", res)
	}
	res = r.cli.fails(r.hedgeArgs("--max-daily-notional", "50000")...)
	if !strings.Contains(res.stderr, "max daily notional 50000") || !strings.Contains(res.stderr, "nothing sent") {
		t.Errorf("daily cap:\n%s", res)
	}
	if got := r.ch.nonce(r.signer.Addr); got != nonce1 {
		t.Errorf("daily cap refusal sent %d transaction(s)", got-nonce1)
	}
	r.cli.ok(r.hedgeArgs("--max-daily-notional", "100000")...) // room left: it goes through
	if eth2, _ := r.positions(); !e2eNear(eth2.Neg(), e2eD("15"), "0.02") {
		t.Errorf("ETH after the second hedge %s, want ~-15", eth2)
	}
}

// A node whose head lags behind the account's last mined transaction (a
// load balancer in front of a stale node) would show a state without that
// trade; the journal knows the block it was mined in, so the hedger refuses
// to plan from that state instead of trading again.
func TestE2EJournalStaleNode(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	r.cli.ok(r.hedgeArgs()...)
	eth, btc := r.positions()
	p, err := faultrpc.New(r.n.URL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.SetRules(faultrpc.Rule{Kind: faultrpc.StaleHead, Lag: 3, StaleState: true})
	nonce := r.ch.nonce(r.signer.Addr)
	args := r.hedgeArgs()
	args[2] = p.URL() // --rpc-url through the lagging proxy
	res := r.cli.fails(args...)
	if !strings.Contains(res.stderr, "is older than this account's last transaction") || !strings.Contains(res.stderr, "nothing sent") {
		t.Errorf("stale node:\n%s", res)
	}
	if got := r.ch.nonce(r.signer.Addr); got != nonce {
		t.Errorf("sent %d transaction(s) from a stale state", got-nonce)
	}
	if e2, b2 := r.positions(); !e2.Equal(eth) || !b2.Equal(btc) {
		t.Errorf("position moved: ETH %s -> %s, BTC %s -> %s", eth, e2, btc, b2)
	}
}
