package main

// End-to-end tests: the real hedger binary against real nodes (anvil and
// geth --dev), driven only through its command line, with chain state
// checked independently through ethclient and the contract bindings.

import (
	"context"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/shopspring/decimal"
)

// TestE2EAnvil runs the hedging scenario on anvil with its default accounts:
// #0 deploys, #1 signs the hedge.
func TestE2EAnvil(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartAnvil(t)
	if n.ChainID != 31337 {
		t.Fatalf("anvil chain ID %d, want 31337", n.ChainID)
	}
	e2eScenario(t, n, e2eAccountFromHex(t, e2eAnvilKey0), e2eAccountFromHex(t, e2eAnvilKey1))
}

// TestE2EGethDev runs the same scenario on geth --dev (chain 1337), with
// fresh keys funded from the node's unlocked developer account.
func TestE2EGethDev(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartGethDev(t)
	if n.ChainID != 1337 {
		t.Fatalf("geth --dev chain ID %d, want 1337", n.ChainID)
	}
	deployer, signer := e2eNewAccount(t), e2eNewAccount(t)
	e2eFundFromDevAccount(t, n, deployer.Addr, 1000)
	e2eFundFromDevAccount(t, n, signer.Addr, 100)
	e2eScenario(t, n, deployer, signer)
}

// e2eFundFromDevAccount sends eth native coin from geth's unlocked developer
// account (eth_accounts[0]) and waits for the receipt.
func e2eFundFromDevAccount(t *testing.T, n *e2eNode, to common.Address, eth int64) {
	t.Helper()
	c := e2eNewChain(t, n.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var accts []common.Address
	if err := c.rc.CallContext(ctx, &accts, "eth_accounts"); err != nil || len(accts) == 0 {
		t.Fatalf("eth_accounts: %v %v", accts, err)
	}
	wei := new(big.Int).Mul(big.NewInt(eth), big.NewInt(1e18))
	var hash common.Hash
	tx := map[string]any{"from": accts[0], "to": to, "value": hexutil.EncodeBig(wei)}
	if err := c.rc.CallContext(ctx, &hash, "eth_sendTransaction", tx); err != nil {
		t.Fatalf("eth_sendTransaction from the dev account: %v", err)
	}
	for {
		var r *types.Receipt
		r, err := c.ec.TransactionReceipt(ctx, hash)
		if err == nil {
			if r.Status != 1 {
				t.Fatalf("funding %s reverted", to.Hex())
			}
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("funding tx %s not mined: %v", hash.Hex(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// e2eScenario is the whole life of a hedge on a fresh dev chain:
// deploy, fund, plan (sends nothing), hedge, idempotent re-hedge, a price
// move, more spot and a rebalance, then close.
func e2eScenario(t *testing.T, n *e2eNode, deployer, signer e2eAccount) {
	start := time.Now()
	defer func() { t.Logf("scenario took %s", time.Since(start).Round(time.Millisecond)) }()

	cli := e2eNewCLI(t, n.URL)
	chain := e2eNewChain(t, n.URL)
	rpcFlag := []string{"--rpc-url", n.URL}
	with := func(args ...string) []string { return append(append([]string{}, args...), rpcFlag...) }
	spot := e2eNewAccount(t).Addr // watch-only: its key is never given to hedger
	W := spot.Hex()

	// Deploy.
	var book e2eBook
	r := cli.okJSON(&book, with("deploy", "--private-key", deployer.Key, "--json")...)
	e2eCheckKeys(t, "deploy --json", []byte(r.stdout), "chain_id", "venue", "collateral", "tokens", "markets")
	if uint64(book.ChainID) != n.ChainID {
		t.Errorf("book chain_id %d, node %d", book.ChainID, n.ChainID)
	}
	venue := common.HexToAddress(book.Venue)
	if code, err := chain.ec.CodeAt(e2eCtx(t), venue, nil); err != nil || len(code) == 0 {
		t.Fatalf("no venue code at %s (%v)", book.Venue, err)
	}
	if book.Collateral.Symbol != "USDC" || book.Collateral.Decimals != 6 {
		t.Errorf("collateral %+v, want USDC with 6 decimals", book.Collateral)
	}
	usdc := common.HexToAddress(book.Collateral.Address)
	for _, want := range []struct {
		sym, asset string
		dec        int
	}{{"WETH", "ETH", 18}, {"WBTC", "BTC", 8}} {
		found := false
		for _, tk := range book.Tokens {
			if tk.Symbol == want.sym {
				found = true
				if tk.Decimals != want.dec || tk.Asset != want.asset {
					t.Errorf("token %s: %+v, want decimals %d asset %s", want.sym, tk, want.dec, want.asset)
				}
			}
		}
		if !found {
			t.Errorf("book has no token %s: %+v", want.sym, book.Tokens)
		}
	}
	ethID, ok1 := book.marketID("ETH")
	btcID, ok2 := book.marketID("BTC")
	if !ok1 || !ok2 {
		t.Fatalf("book lacks the ETH or BTC market: %+v", book.Markets)
	}
	wbtc, wbtcDec, _ := book.token("WBTC")
	bookPath := cli.dataDir + "/deployments/" + decimal.NewFromInt(int64(n.ChainID)).String() + ".json"
	if raw, err := os.ReadFile(bookPath); err != nil {
		t.Errorf("address book not written at %s: %v", bookPath, err)
	} else {
		var onDisk e2eBook
		if err := json.Unmarshal(raw, &onDisk); err != nil || !strings.EqualFold(onDisk.Venue, book.Venue) {
			t.Errorf("address book %s does not match deploy --json (venue %q, err %v)", bookPath, onDisk.Venue, err)
		}
	}

	// Fund the watch-only spot wallet and the signer's collateral.
	cli.ok(with("devnet", "fund", W, "--private-key", deployer.Key, "--eth", "10", "--wbtc", "0.5")...)
	if got := chain.nativeBalance(spot); !got.Equal(e2eD("10")) {
		t.Errorf("spot wallet native balance %s, want 10", got)
	}
	if got := chain.tokenBalance(wbtc, wbtcDec, spot); !got.Equal(e2eD("0.5")) {
		t.Errorf("spot wallet WBTC %s, want 0.5", got)
	}
	cli.ok(with("devnet", "fund", signer.Addr.Hex(), "--private-key", deployer.Key, "--usdc", "100000")...)
	usdcStart := chain.tokenBalance(usdc, 6, signer.Addr)
	if !usdcStart.Equal(e2eD("100000")) {
		t.Fatalf("signer USDC %s after funding, want 100000", usdcStart)
	}

	// Watch-only status before any hedge.
	var st e2eStatus
	r = cli.okJSON(&st, with("status", "--wallet", W, "--json")...)
	e2eCheckShape(t, "status --json", r.stdout, "chain_id", "block", "account", "collateral", "collateral_symbol", "holdings", "assets")
	holding := map[string]decimal.Decimal{}
	for _, h := range st.Holdings {
		if !strings.EqualFold(h.Wallet, W) {
			t.Errorf("holding of unexpected wallet %q", h.Wallet)
		}
		holding[h.Token] = h.Amount.Decimal
	}
	if !holding["native"].Equal(e2eD("10")) || !holding["WBTC"].Equal(e2eD("0.5")) {
		t.Errorf("holdings %v, want native 10 and WBTC 0.5", holding)
	}
	if a := st.asset(t, "ETH"); !a.SpotAmount.Equal(e2eD("10")) || !a.ShortSize.IsZero() || !e2eNear(a.TargetSize.Decimal, e2eD("10"), "0.01") || !a.IndexPrice.Equal(e2eD("3000")) {
		t.Errorf("ETH before hedging: spot %s short %s target %s index %s; want 10, 0, ~10, 3000",
			a.SpotAmount, a.ShortSize, a.TargetSize, a.IndexPrice)
	}
	if a := st.asset(t, "BTC"); !a.SpotAmount.Equal(e2eD("0.5")) || !a.IndexPrice.Equal(e2eD("60000")) {
		t.Errorf("BTC before hedging: spot %s index %s; want 0.5, 60000", a.SpotAmount, a.IndexPrice)
	}

	// plan shows actions and sends nothing.
	signerArgs := func(cmd string, more ...string) []string {
		return with(append([]string{cmd, "--wallet", W, "--private-key", signer.Key}, more...)...)
	}
	nonce0, block0 := chain.nonce(signer.Addr), chain.block()
	var plan e2ePlan
	r = cli.okJSON(&plan, signerArgs("plan", "--json")...)
	e2eCheckKeys(t, "plan --json", []byte(r.stdout), "block", "nothing_to_do", "assets", "actions")
	if plan.NothingToDo || len(plan.Actions) == 0 {
		t.Errorf("plan before any hedge: nothing_to_do=%v with %d actions; want actions", plan.NothingToDo, len(plan.Actions))
	}
	trades := map[string]decimal.Decimal{}
	for i, a := range plan.Actions {
		switch a.Kind {
		case "approve", "deposit", "withdraw":
		case "trade":
			trades[a.Asset] = a.SizeDelta.Decimal
		default:
			t.Errorf("plan action %d has kind %q, not approve|deposit|withdraw|trade", i, a.Kind)
		}
		if a.Tx != "" {
			t.Errorf("plan action %d carries a tx %q; plan must send nothing", i, a.Tx)
		}
	}
	if !e2eNear(trades["ETH"].Abs(), e2eD("10"), "0.05") || !e2eNear(trades["BTC"].Abs(), e2eD("0.5"), "0.05") {
		t.Errorf("plan trades %v; want |ETH| ~10 and |BTC| ~0.5", trades)
	}
	if got := chain.nonce(signer.Addr); got != nonce0 {
		t.Errorf("plan sent %d transaction(s) from the signer", got-nonce0)
	}
	if got := chain.block(); got != block0 {
		t.Errorf("plan: chain moved from block %d to %d", block0, got)
	}

	// hedge opens the shorts.
	var hedged e2ePlan
	cli.okJSON(&hedged, signerArgs("hedge", "--yes", "--json")...)
	if hedged.NothingToDo || len(hedged.Actions) == 0 {
		t.Fatalf("first hedge did nothing: %+v", hedged)
	}
	chain.checkReceipts(hedged.Actions)
	if got := chain.nonce(signer.Addr); got != nonce0+uint64(len(hedged.Actions)) {
		t.Errorf("hedge reported %d actions but the signer's nonce moved %d", len(hedged.Actions), got-nonce0)
	}

	status := func() e2eStatus {
		t.Helper()
		var s e2eStatus
		cli.okJSON(&s, signerArgs("status", "--json")...)
		if !strings.EqualFold(s.Account, signer.Addr.Hex()) {
			t.Errorf("status account %q, want the signer %s", s.Account, signer.Addr.Hex())
		}
		return s
	}
	checkHedged := func(when string, s e2eStatus, wantETH, wantBTC string) {
		t.Helper()
		for _, w := range []struct {
			asset, want string
			id          uint64
		}{{"ETH", wantETH, ethID}, {"BTC", wantBTC, btcID}} {
			a := s.asset(t, w.asset)
			if !e2eNear(a.ShortSize.Decimal, e2eD(w.want), "0.05") {
				t.Errorf("%s: %s short_size %s, want %s within 5%%", when, w.asset, a.ShortSize, w.want)
			}
			if !a.WithinBand {
				t.Errorf("%s: %s not within band (drift %s)", when, w.asset, a.Drift)
			}
			if !a.Leverage.Valid || a.Leverage.GreaterThan(e2eD("2")) || !a.Leverage.IsPositive() {
				t.Errorf("%s: %s leverage %v, want in (0, 2]", when, w.asset, a.Leverage)
			}
			size, _ := chain.position(venue, signer.Addr, w.id)
			if !size.Neg().Equal(a.ShortSize.Decimal) {
				t.Errorf("%s: %s status short_size %s but the venue holds size %s", when, w.asset, a.ShortSize, size)
			}
		}
	}
	checkHedged("after hedge", status(), "10", "0.5")

	// Hedging again inside the band sends nothing: the core requirement.
	nonce1, block1 := chain.nonce(signer.Addr), chain.block()
	r = cli.ok(signerArgs("hedge", "--yes")...)
	if !strings.Contains(r.stdout+r.stderr, "within band, nothing to do") {
		t.Errorf("second hedge does not say \"within band, nothing to do\":\n%s", r)
	}
	var again e2ePlan
	cli.okJSON(&again, signerArgs("hedge", "--yes", "--json")...)
	if !again.NothingToDo || len(again.Actions) != 0 {
		t.Errorf("hedge --json within band: nothing_to_do=%v actions=%+v", again.NothingToDo, again.Actions)
	}
	if got := chain.nonce(signer.Addr); got != nonce1 {
		t.Errorf("hedge within band sent %d transaction(s)", got-nonce1)
	}
	if got := chain.block(); got != block1 {
		t.Errorf("hedge within band: chain moved from block %d to %d", block1, got)
	}

	// Longs crowd in: the mark trades at a premium and, by the venue's
	// convention, longs pay shorts, so the short hedge earns funding.
	cli.ok(with("devnet", "skew", "ETH", "1000", "--private-key", deployer.Key)...)
	eth := status().asset(t, "ETH")
	if !eth.BasisBps.IsPositive() || !eth.FundingRatePerHour.IsPositive() {
		t.Errorf("ETH with 1000 long skew: basis_bps %s funding_rate_per_hour %s, want both > 0", eth.BasisBps, eth.FundingRatePerHour)
	}
	if apr := eth.FundingRatePerHour.Mul(e2eD("8760")); !e2eNear(eth.FundingAPR.Decimal, apr, "0.01") {
		t.Errorf("ETH funding_apr %s, want funding_rate_per_hour x 24 x 365 = %s", eth.FundingAPR, apr)
	}
	if n.ChainID == 31337 { // geth --dev cannot move its clock
		cli.ok(with("devnet", "advance", "1d")...)
		eth = status().asset(t, "ETH")
		// 10 ETH x 3000 x (990/1e6 per day) x 1 day ~= +29.7 USD received.
		if !eth.AccruedFunding.IsPositive() || !e2eNear(eth.AccruedFunding.Decimal, e2eD("29.7"), "0.25") {
			t.Errorf("ETH short after a day of positive funding: accrued_funding %s, want about +29.7 (received)", eth.AccruedFunding)
		}
	}
	cli.ok(with("devnet", "skew", "ETH", "0", "--private-key", deployer.Key)...)

	// Price falls 20%: the short gains.
	cli.ok(with("devnet", "set-price", "ETH", "2400", "--private-key", deployer.Key)...)
	st = status()
	eth = st.asset(t, "ETH")
	if !eth.IndexPrice.Equal(e2eD("2400")) {
		t.Errorf("ETH index %s after set-price 2400", eth.IndexPrice)
	}
	if !eth.UnrealizedPnL.IsPositive() {
		t.Errorf("ETH short after a fall: unrealized_pnl %s, want > 0", eth.UnrealizedPnL)
	}
	pnlETH := eth.UnrealizedPnL.Decimal
	if !e2eNear(pnlETH, e2eD("6000"), "0.1") {
		t.Errorf("ETH unrealized_pnl %s, want about 10 x (3000-2400) = 6000", pnlETH)
	}

	// More spot (as WETH, which counts as ETH): hedge rebalances to ~15.
	cli.ok(with("devnet", "fund", W, "--private-key", deployer.Key, "--weth", "5")...)
	nonce2 := chain.nonce(signer.Addr)
	var rebal e2ePlan
	cli.okJSON(&rebal, signerArgs("hedge", "--yes", "--json")...)
	chain.checkReceipts(rebal.Actions)
	if got := chain.nonce(signer.Addr); got <= nonce2 {
		t.Errorf("rebalance after +5 ETH sent no transaction")
	}
	st = status()
	if a := st.asset(t, "ETH"); !a.SpotAmount.Equal(e2eD("15")) {
		t.Errorf("ETH spot_amount %s after +5 WETH, want 15", a.SpotAmount)
	}
	checkHedged("after rebalance", st, "15", "0.5")

	// close: no shorts, no margin, the collateral is back.
	cli.ok(with("close", "--private-key", signer.Key, "--yes")...)
	st = status()
	for _, w := range []struct {
		asset string
		id    uint64
	}{{"ETH", ethID}, {"BTC", btcID}} {
		// withdrawAll sweeps the sub-unit remainder, so margin is exactly 0.
		a := st.asset(t, w.asset)
		if !a.ShortSize.IsZero() || !a.Margin.IsZero() {
			t.Errorf("after close: %s short_size %s margin %s, want 0 and 0", w.asset, a.ShortSize, a.Margin)
		}
		size, margin := chain.position(venue, signer.Addr, w.id)
		if !size.IsZero() || !margin.IsZero() {
			t.Errorf("after close: venue holds %s size %s margin %s, want 0 and 0", w.asset, size, margin)
		}
	}
	usdcEnd := chain.tokenBalance(usdc, 6, signer.Addr)
	t.Logf("signer USDC: %s before, %s after close (ETH pnl at 2400 was %s)", usdcStart, usdcEnd, pnlETH)
	if !usdcEnd.GreaterThan(e2eD("99000")) {
		t.Errorf("signer USDC %s after close, want > 99000", usdcEnd)
	}
	if diff := usdcEnd.Sub(usdcStart.Add(pnlETH)).Abs(); diff.GreaterThan(e2eD("500")) {
		t.Errorf("signer USDC %s after close is %s away from 100000 + ETH pnl %s (fees should be ~100)", usdcEnd, diff, pnlETH)
	}
	if !st.Collateral.Equal(usdcEnd) {
		t.Errorf("status collateral %s, chain says %s", st.Collateral, usdcEnd)
	}
}

// TestE2EBadInput checks that bad input fails early: non-zero exit, one line
// on stderr starting "hedger: ", and no transaction sent.
func TestE2EBadInput(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartAnvil(t)
	cli := e2eNewCLI(t, n.URL)
	chain := e2eNewChain(t, n.URL)
	deployer, signer := e2eAccountFromHex(t, e2eAnvilKey0), e2eAccountFromHex(t, e2eAnvilKey1)
	broke := e2eNewAccount(t) // has gas money but no USDC
	spot := e2eNewAccount(t).Addr
	W := spot.Hex()
	rpcFlag := []string{"--rpc-url", n.URL}
	with := func(args ...string) []string { return append(append([]string{}, args...), rpcFlag...) }

	var book e2eBook
	cli.okJSON(&book, with("deploy", "--private-key", deployer.Key, "--json")...)
	cli.ok(with("devnet", "fund", W, "--private-key", deployer.Key, "--eth", "10", "--wbtc", "0.5")...)
	cli.ok(with("devnet", "fund", signer.Addr.Hex(), "--private-key", deployer.Key, "--usdc", "100000")...)
	cli.ok(with("devnet", "fund", broke.Addr.Hex(), "--private-key", deployer.Key, "--eth", "1")...)

	// Everything below would have something to send if it ran: the wallet is
	// unhedged and the signer has collateral.
	hedgeArgs := func(key string, more ...string) []string {
		return with(append([]string{"hedge", "--yes", "--private-key", key}, more...)...)
	}
	cases := []struct {
		name string
		env  []string
		args []string
	}{
		{"invalid address", nil, hedgeArgs(signer.Key, "--wallet", "0x123")},
		{"bad EIP-55 checksum", nil, hedgeArgs(signer.Key, "--wallet", e2eBadChecksum(t, spot))},
		{"hedge ratio above 1", nil, hedgeArgs(signer.Key, "--wallet", W, "--hedge-ratio", "1.5")},
		{"hedge ratio not a number", nil, hedgeArgs(signer.Key, "--wallet", W, "--hedge-ratio", "abc")},
		{"negative band", nil, hedgeArgs(signer.Key, "--wallet", W, "--band", "-1")},
		{"hedge ratio above 1 from env", []string{"HEDGER_HEDGE_RATIO=1.5"}, hedgeArgs(signer.Key, "--wallet", W)},
		{"unknown asset", nil, with("devnet", "set-price", "DOGE", "1", "--private-key", deployer.Key)},
		{"negative fund amount", nil, with("devnet", "fund", W, "--private-key", deployer.Key, "--usdc", "-5")},
		{"unreachable RPC", nil, []string{"hedge", "--yes", "--rpc-url", "http://127.0.0.1:1", "--private-key", signer.Key, "--wallet", W}},
		{"wrong chain ID", nil, hedgeArgs(signer.Key, "--wallet", W, "--chain-id", "1")},
		{"wrong chain ID from env", []string{"HEDGER_CHAIN_ID=1"}, hedgeArgs(signer.Key, "--wallet", W)},
		{"signer without collateral", nil, hedgeArgs(broke.Key, "--wallet", W)},
		{"unknown flag", nil, hedgeArgs(signer.Key, "--wallet", W, "--bogus")},
		{"flag of another command", nil, with("close", "--yes", "--private-key", signer.Key, "--wallet", W)},
		{"unknown devnet flag", nil, with("devnet", "set-price", "ETH", "1", "--private-key", deployer.Key, "--bogus")},
		{"devnet max fee not positive", nil, with("devnet", "set-price", "ETH", "1", "--private-key", deployer.Key, "--max-fee-gwei", "0")},
		{"deploy max fee below base fee", nil, with("deploy", "--private-key", deployer.Key, "--max-fee-gwei", "0.000000001")},
	}
	watched := []e2eAccount{deployer, signer, broke}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			c, chain := *cli, *chain
			c.t, chain.t = t, t
			block := chain.block()
			nonces := make([]uint64, len(watched))
			for i, a := range watched {
				nonces[i] = chain.nonce(a.Addr)
			}
			r := c.failsEnv(tc.env, tc.args...)
			t.Logf("stderr: %s", strings.TrimSpace(r.stderr))
			if strings.Contains(r.stdout, "USAGE") || strings.Contains(r.stdout, "Incorrect Usage") {
				t.Errorf("bad input printed help on stdout:\n%s", e2eTail([]byte(r.stdout), 300))
			}
			for i, a := range watched {
				if got := chain.nonce(a.Addr); got != nonces[i] {
					t.Errorf("%s sent %d transaction(s)", a.Addr.Hex(), got-nonces[i])
				}
			}
			if got := chain.block(); got != block {
				t.Errorf("chain moved from block %d to %d", block, got)
			}
		})
	}

	// All-lowercase addresses carry no checksum and are accepted, also
	// through the HEDGER_WALLETS and ETH_RPC_URL twins.
	t.Run("lowercase_address_accepted", func(t *testing.T) {
		c := *cli
		c.t = t
		lower := strings.ToLower(W)
		var st e2eStatus
		c.okJSON(&st, with("status", "--wallet", lower, "--json")...)
		if len(st.Holdings) == 0 || !strings.EqualFold(st.Holdings[0].Wallet, W) {
			t.Errorf("status of %s: holdings %+v", lower, st.Holdings)
		}
		other := strings.ToLower(e2eNewAccount(t).Addr.Hex())
		r := c.runEnv([]string{"ETH_RPC_URL=" + n.URL, "HEDGER_WALLETS=" + lower + "," + other}, "status", "--json")
		if r.code != 0 {
			t.Fatalf("status from env twins failed:\n%s", r)
		}
		if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
			t.Fatalf("status --json: %v\n%s", err, r)
		}
		seen := map[string]bool{}
		for _, h := range st.Holdings {
			seen[strings.ToLower(h.Wallet)] = true
		}
		if !seen[lower] || !seen[other] {
			t.Errorf("HEDGER_WALLETS=%s,%s: holdings cover %v", lower, other, seen)
		}
	})

	// A raw private key is refused on a chain that is not a dev chain.
	t.Run("private_key_on_non_dev_chain", func(t *testing.T) {
		prod := e2eStartAnvil(t, "--chain-id", "10")
		c := *cli
		c.t = t
		pc := e2eNewChain(t, prod.URL)
		c.fails("deploy", "--rpc-url", prod.URL, "--private-key", deployer.Key)
		c.failsEnv([]string{"HEDGER_PRIVATE_KEY=" + deployer.Key}, "deploy", "--rpc-url", prod.URL)
		c.fails("hedge", "--yes", "--rpc-url", prod.URL, "--private-key", signer.Key, "--wallet", W)
		if got := pc.nonce(deployer.Addr); got != 0 {
			t.Errorf("deployer sent %d transaction(s) on chain 10", got)
		}
		if got := pc.nonce(signer.Addr); got != 0 {
			t.Errorf("signer sent %d transaction(s) on chain 10", got)
		}
		if _, err := os.Stat(c.dataDir + "/deployments/10.json"); err == nil {
			t.Errorf("an address book was written for chain 10")
		}
	})
}
