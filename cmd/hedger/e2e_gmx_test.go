package main

// End-to-end on GMX v2 through the built binary: anvil with the GMX fixture
// loaded (anvil_loadState), the pool seeded and Arbitrum's ETH market
// configuration applied with `devnet setup --venue gmx`, the keeper run as
// `devnet keeper --venue gmx`.

import (
	"context"
	"encoding/json"
	"math/big"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge/gmx"
)

type e2eGMX struct {
	t      *testing.T
	node   *e2eNode
	cli    *e2eCLI
	chain  *e2eChain
	trader e2eAccount
	cold   e2eAccount
	reader *gmx.Client
	book   *gmx.Book
}

// e2eStartGMX starts anvil with the fixture, seeds the ETH pool (BTC left
// without a feed), and funds a trader (10 ETH, 100000 USDC) and a cold
// wallet holding 2 ETH.
func e2eStartGMX(t *testing.T) *e2eGMX {
	t.Helper()
	return e2eStartGMXWith(t, "--btc-long", "0")
}

// e2eStartGMXWith is e2eStartGMX with extra `devnet setup` flags.
func e2eStartGMXWith(t *testing.T, setup ...string) *e2eGMX {
	t.Helper()
	e2eSkipIfShort(t)
	node := e2eStartAnvil(t, "--chain-id", "31337")
	ctx := context.Background()
	c, err := chain.Dial(ctx, node.URL, chain.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := gmx.LoadAnvil(ctx, c); err != nil {
		t.Fatal(err)
	}
	book, err := gmx.BookFor(gmx.ChainAnvil)
	if err != nil {
		t.Fatal(err)
	}
	g := &e2eGMX{t: t, node: node, cli: e2eNewCLI(t, node.URL), chain: e2eNewChain(t, node.URL),
		trader: e2eNewAccount(t), cold: e2eNewAccount(t), book: book}
	g.ok(append([]string{"devnet", "setup"}, setup...)...)
	g.ok("devnet", "fund", g.trader.Addr.Hex(), "--eth", "10", "--usdc", "100000")
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--eth", "2")
	// The book as the binary sees it: BTC too when setup registered its feed.
	if err := gmx.OfferLocal(ctx, c, book); err != nil {
		t.Fatal(err)
	}
	g.reader = gmx.NewClient(c, book, g.trader.Addr, nil)
	if err := g.reader.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	return g
}

func (g *e2eGMX) args(a ...string) []string {
	return append(a, "--venue", "gmx", "--rpc-url", g.node.URL)
}

func (g *e2eGMX) ok(a ...string) e2eResult {
	g.t.Helper()
	return g.cli.ok(g.args(a...)...)
}

func (g *e2eGMX) run(a ...string) e2eResult {
	g.t.Helper()
	return g.cli.run(g.args(a...)...)
}

func (g *e2eGMX) fails(a ...string) e2eResult {
	g.t.Helper()
	return g.cli.fails(g.args(a...)...)
}

// hedge runs `hedge` for the cold wallet with the trader's key.
func (g *e2eGMX) hedge(more ...string) e2eResult {
	g.t.Helper()
	// --approve-max: one approval, then one multicall per market change.
	return g.run(append([]string{"hedge", "--yes", "--approve-max", "--wallet", g.cold.Addr.Hex(), "--private-key", g.trader.Key}, more...)...)
}

func (g *e2eGMX) snap() *gmx.Snapshot {
	g.t.Helper()
	s, err := g.reader.Snapshot(context.Background())
	if err != nil {
		g.t.Fatal(err)
	}
	return s
}

// shortETH is the trader's ETH short in tokens (0 when none).
func (g *e2eGMX) shortETH(s *gmx.Snapshot) decimal.Decimal {
	m, _ := g.book.Market("ETH")
	p, ok := s.Short(m, g.book.Collateral.Address)
	if !ok {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(p.Info.Position.Numbers.SizeInTokens, -18)
}

func (g *e2eGMX) keeperOnce() {
	g.t.Helper()
	g.ok("devnet", "keeper", "--once")
}

// TestE2EGMXPendingRestartAndCancel: the double-short safety of pending
// orders across processes, a cancelled order replanned exactly once, and an
// order stuck past its expiration cancelled, refunded and replanned.
func TestE2EGMXPendingRestartAndCancel(t *testing.T) {
	g := e2eStartGMX(t)
	acct := g.trader.Addr

	// No keeper: `hedge` creates the order (approve + one multicall) and
	// times out waiting, with a clear message; the order stays pending.
	n0 := g.chain.nonce(acct)
	b0 := g.chain.block()
	r := g.hedge("--settle-timeout", "2s")
	if r.code == 0 || !strings.Contains(r.stderr, "no keeper executed or cancelled GMX order") {
		t.Fatalf("hedge with no keeper:\n%s", r)
	}
	e2eCheckOneLineError(t, r)
	if got := g.chain.nonce(acct) - n0; got != 2 {
		t.Fatalf("first hedge sent %d transactions, want approve + one multicall", got)
	}
	s := g.snap()
	if len(s.Orders) != 1 || !g.shortETH(s).IsZero() {
		t.Fatalf("after the first hedge: %d orders, short %s", len(s.Orders), g.shortETH(s))
	}

	// A second process while the order is pending sends nothing.
	n1 := g.chain.nonce(acct)
	r = g.hedge("--settle-timeout", "2s")
	if r.code != 0 {
		t.Fatalf("hedge while pending:\n%s", r)
	}
	if g.chain.nonce(acct) != n1 || len(g.snap().Orders) != 1 {
		t.Fatalf("hedge while pending sent something:\n%s", r)
	}

	// The keeper executes it; hedge again sends nothing.
	g.keeperOnce()
	g.logGas("open 2 ETH (approve, order, keeper)", b0)
	s = g.snap()
	q := g.shortETH(s)
	if len(s.Orders) != 0 || !q.IsPositive() {
		t.Fatalf("after the keeper: %d orders, short %s", len(s.Orders), q)
	}
	if q.LessThan(e2eD("1.9")) || q.GreaterThan(e2eD("2.1")) {
		t.Fatalf("short %s ETH for a 2 ETH cold wallet", q)
	}
	r = g.hedge()
	if r.code != 0 || g.chain.nonce(acct) != n1 {
		t.Fatalf("hedge after execution sent something:\n%s", r)
	}

	// Spot change with a keeper running: exactly one increase, executed.
	keeper := g.startKeeper()
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--eth", "1")
	n2 := g.chain.nonce(acct)
	b2 := g.chain.block()
	r = g.hedge("--settle-timeout", "60s")
	if r.code != 0 {
		t.Fatalf("hedge after the spot change:\n%s", r)
	}
	if got := g.chain.nonce(acct) - n2; got != 1 {
		t.Fatalf("spot change sent %d transactions, want one multicall", got)
	}
	if q2 := g.shortETH(g.snap()); q2.LessThan(e2eD("2.9")) || q2.GreaterThan(e2eD("3.1")) {
		t.Fatalf("short %s ETH for 3 ETH spot", q2)
	}
	keeper.stop()
	g.logGas("adjust 2 -> 3 ETH (order, keeper)", b2)

	// A cancelled order: the price falls 5% between create and execution,
	// the keeper cancels (acceptable price); the next run replans once.
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--eth", "1")
	r = g.hedge("--settle-timeout", "2s")
	if r.code == 0 || len(g.snap().Orders) != 1 {
		t.Fatalf("hedge for the 4th ETH:\n%s", r)
	}
	g.ok("devnet", "set-price", "ETH", "4750")
	g.keeperOnce()
	s = g.snap()
	if len(s.Orders) != 0 {
		t.Fatalf("the keeper did not handle the order: %d pending", len(s.Orders))
	}
	n3 := g.chain.nonce(acct)
	r = g.hedge("--settle-timeout", "2s")
	if got := g.chain.nonce(acct) - n3; got != 1 {
		t.Fatalf("replan after the cancel sent %d transactions, want 1:\n%s", got, r)
	}
	r = g.hedge("--settle-timeout", "2s")
	if got := g.chain.nonce(acct) - n3; got != 1 {
		t.Fatalf("a second run after the replan sent more (%d in all):\n%s", got, r)
	}
	g.keeperOnce()
	if q4 := g.shortETH(g.snap()); q4.LessThan(e2eD("3.9")) || q4.GreaterThan(e2eD("4.1")) {
		t.Fatalf("short %s ETH for 4 ETH spot after the replan", q4)
	}

	// Keeper down past the request expiration: the next run cancels the
	// stuck order (collateral and fee refunded) and replans.
	g.ok("devnet", "fund", g.cold.Addr.Hex(), "--eth", "1")
	r = g.hedge("--settle-timeout", "2s")
	if r.code == 0 || len(g.snap().Orders) != 1 {
		t.Fatalf("hedge for the 5th ETH:\n%s", r)
	}
	usdcBefore := g.snap().Collateral
	g.ok("devnet", "advance", "1h")
	n4 := g.chain.nonce(acct)
	b4 := g.chain.block()
	r = g.hedge("--settle-timeout", "2s")
	if !strings.Contains(r.stderr, "past its request expiration") {
		t.Fatalf("expired order not cancelled:\n%s", r)
	}
	if got := g.chain.nonce(acct) - n4; got != 2 {
		t.Fatalf("expired order: %d transactions, want cancel + one new order:\n%s", got, r)
	}
	s = g.snap()
	if len(s.Orders) != 1 {
		t.Fatalf("after cancel and replan: %d orders", len(s.Orders))
	}
	// The replanned order carries the same collateral again: the refund of
	// the cancelled one came back first.
	if s.Collateral.Cmp(usdcBefore) != 0 {
		t.Logf("USDC before the cancel %s, after cancel and replan %s", usdcBefore, s.Collateral)
	}
	g.keeperOnce()
	g.logGas("expired order (cancel, new order, keeper)", b4)
	if q5 := g.shortETH(g.snap()); q5.LessThan(e2eD("4.9")) || q5.GreaterThan(e2eD("5.1")) {
		t.Fatalf("short %s ETH for 5 ETH spot after the expired order", q5)
	}

	// Reduce, then close with the collateral back.
	g.ok("devnet", "keeper", "--once") // nothing due
	keeper = g.startKeeper()
	defer keeper.stop()
	b5 := g.chain.block()
	r = g.run("close", "--yes", "--private-key", g.trader.Key, "--settle-timeout", "60s")
	if r.code != 0 {
		t.Fatalf("close:\n%s", r)
	}
	g.logGas("close 5 ETH (order, keeper)", b5)

	// The journal holds the order's transactions as trades, and the GMX
	// lifecycle: creations, executions with fills and fees, the cancels.
	var rows []e2eJournalRow
	g.cli.okJSON(&rows, "journal", "--from", acct.Hex(), "--json")
	kinds := map[string]int{}
	for _, row := range rows {
		kinds[row.Kind]++
		if row.Kind == "gmx-order-executed" && (row.FillPrice == "" || row.Fee == "") {
			t.Fatalf("execution without fill or fee: %+v", row)
		}
	}
	if kinds["trade"] != 7 || kinds["gmx-order-created"] != 7 || kinds["gmx-order-executed"] != 5 || kinds["gmx-order-cancelled"] != 2 || kinds["gmx-cancel"] != 1 {
		t.Fatalf("journal kinds %v", kinds)
	}
	t.Logf("journal kinds: %v", kinds)
	if r := g.ok("status", "--wallet", g.cold.Addr.Hex(), "--from", acct.Hex()); !strings.Contains(r.stdout, "ETH") {
		t.Fatalf("status:\n%s", r)
	}
	s = g.snap()
	if !g.shortETH(s).IsZero() || len(s.Orders) != 0 {
		t.Fatalf("after close: short %s, %d orders", g.shortETH(s), len(s.Orders))
	}
	if usdc := decimal.NewFromBigInt(s.Collateral, -6); usdc.LessThan(e2eD("99000")) {
		t.Fatalf("after close the account holds %s USDC of 100000", usdc)
	}
}

// TestE2EGMXBadInput: one line on stderr, non-zero exit, nothing sent.
func TestE2EGMXBadInput(t *testing.T) {
	g := e2eStartGMX(t)
	acct := g.trader.Addr
	n0 := g.chain.nonce(acct)

	// A read-only plan shows the order with its execution-fee check passed.
	if r := g.ok("plan", "--wallet", g.cold.Addr.Hex(), "--from", acct.Hex()); !strings.Contains(r.stdout, "open short 2 ETH") {
		t.Fatalf("plan:\n%s", r)
	}

	// An asset the venue has no market for.
	r := g.fails("close", "--yes", "--private-key", g.trader.Key, "--asset", "BTC")
	if !strings.Contains(r.stderr, "no market for BTC") {
		t.Fatalf("unknown market:\n%s", r)
	}
	t.Logf("unknown market: %s", strings.TrimSpace(r.stderr))
	// An execution fee above the user's cap.
	r = g.fails("hedge", "--yes", "--wallet", g.cold.Addr.Hex(), "--private-key", g.trader.Key, "--max-execution-fee", "0.0000001")
	if !strings.Contains(r.stderr, "execution fee") {
		t.Fatalf("fee cap:\n%s", r)
	}
	t.Logf("fee cap: %s", strings.TrimSpace(r.stderr))
	// Not enough native coin for the fee.
	poor := e2eNewAccount(t)
	g.ok("devnet", "fund", poor.Addr.Hex(), "--usdc", "100000")
	r = g.fails("hedge", "--yes", "--wallet", g.cold.Addr.Hex(), "--private-key", poor.Key)
	if !strings.Contains(r.stderr, "native coin") {
		t.Fatalf("no native coin:\n%s", r)
	}
	t.Logf("no native coin: %s", strings.TrimSpace(r.stderr))
	if g.chain.nonce(acct) != n0 || g.chain.nonce(poor.Addr) != 0 {
		t.Fatalf("bad input sent transactions")
	}
	// A chain with no GMX book.
	other := e2eStartAnvil(t, "--chain-id", "4242")
	r = g.cli.fails("status", "--venue", "gmx", "--rpc-url", other.URL, "--wallet", g.cold.Addr.Hex())
	if !strings.Contains(r.stderr, "no GMX address book for chain 4242") {
		t.Fatalf("no book:\n%s", r)
	}
	t.Logf("no book: %s", strings.TrimSpace(r.stderr))
	// An unknown venue.
	r = g.cli.fails("status", "--venue", "dydx", "--rpc-url", g.node.URL)
	if !strings.Contains(r.stderr, "choose perp or gmx") {
		t.Fatalf("unknown venue:\n%s", r)
	}
	t.Logf("unknown venue: %s", strings.TrimSpace(r.stderr))
}

// e2eProc is a background hedger process.
type e2eProc struct {
	t    *testing.T
	cmd  *exec.Cmd
	done chan struct{}
	out  *strings.Builder
}

func (g *e2eGMX) startKeeper() *e2eProc {
	g.t.Helper()
	return g.start("devnet", "keeper", "--poll", "200ms")
}

func (g *e2eGMX) start(a ...string) *e2eProc {
	g.t.Helper()
	cmd := exec.Command(g.cli.bin, g.args(a...)...)
	cmd.Dir = g.cli.workDir
	cmd.Env = g.cli.env(nil)
	out := &strings.Builder{}
	mu := &sync.Mutex{}
	cmd.Stdout, cmd.Stderr = &lockedWriter{mu: mu, b: out}, &lockedWriter{mu: mu, b: out}
	if err := cmd.Start(); err != nil {
		g.t.Fatal(err)
	}
	p := &e2eProc{t: g.t, cmd: cmd, done: make(chan struct{}), out: out}
	go func() { cmd.Wait(); close(p.done) }()
	g.t.Cleanup(func() { p.kill() })
	return p
}

// stop interrupts the process and waits for it.
func (p *e2eProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.kill()
	}
}

func (p *e2eProc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// lockedWriter lets stdout and stderr share one buffer.
type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// mine mines n blocks on anvil (each a new head for watch).
func (g *e2eGMX) mine(n int) {
	g.t.Helper()
	for i := 0; i < n; i++ {
		if err := g.chain.rc.Call(nil, "evm_mine"); err != nil {
			g.t.Fatal(err)
		}
	}
}

// waitFor polls cond every 100ms (mining a block each time, so watch sees
// new heads) until it holds or 60s pass.
func (g *e2eGMX) waitFor(what string, p *e2eProc, cond func(*gmx.Snapshot) bool) *gmx.Snapshot {
	g.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		// Reader.getAccountPositionInfoList has been seen to revert
		// (arithmetic underflow) at the block of an execution; the next
		// block reads fine, as watch's next cycle does.
		s, err := g.reader.Snapshot(context.Background())
		if err != nil {
			g.t.Logf("snapshot: %v (retrying at the next block)", err)
		} else if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			out := ""
			if p != nil {
				out = p.output()
			}
			g.t.Fatalf("timed out waiting for %s; process output:\n%s", what, out)
		}
		g.mine(1)
		time.Sleep(100 * time.Millisecond)
	}
}

// settle waits until watch p has finished its cycles up to the head: a
// block is mined and watch must log a cycle at a block above the head of
// before (cycles run one at a time, so every earlier head's cycle, and its
// sends, are done). It waits on watch's own log, not on the clock; the 60 s
// bound only names a watch that stopped cycling.
func (g *e2eGMX) settle(p *e2eProc) {
	g.t.Helper()
	h := g.chain.block()
	g.mine(1)
	deadline := time.Now().Add(60 * time.Second)
	for !e2eCycledAfter(p.output(), h) {
		select {
		case <-p.done:
			g.t.Fatalf("watch exited before a cycle after block %d:\n%s", h, p.output())
		default:
		}
		if time.Now().After(deadline) {
			g.t.Fatalf("watch logged no cycle after block %d within 60s:\n%s", h, p.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// e2eCycledAfter reports whether a `watch --log-format json` log has a
// cycle line ("cycle", "cycle: nothing to do", …) at a block above h.
func e2eCycledAfter(log string, h uint64) bool {
	for _, l := range strings.Split(log, "\n") {
		var line struct {
			Msg   string  `json:"msg"`
			Block *uint64 `json:"block"`
		}
		if json.Unmarshal([]byte(l), &line) == nil && strings.HasPrefix(line.Msg, "cycle") && line.Block != nil && *line.Block > h {
			return true
		}
	}
	return false
}

func (p *e2eProc) output() string {
	return p.out.String()
}

// TestE2EGMXWatchKillRestart: `watch` is SIGKILLed after its order is
// created and before any keeper executes it; the restarted `watch` sees the
// order on chain and sends nothing. Then a keeper with a delay of 3 blocks
// executes it while watch runs: at no block are two orders in flight, and
// once executed watch sends nothing more.
func TestE2EGMXWatchKillRestart(t *testing.T) {
	g := e2eStartGMX(t)
	acct := g.trader.Addr
	watch := func() *e2eProc {
		return g.start("watch", "--wallet", g.cold.Addr.Hex(), "--private-key", g.trader.Key, "--approve-max",
			"--poll-interval", "100ms", "--log-format", "json")
	}
	w := watch()
	g.waitFor("watch's first order", w, func(s *gmx.Snapshot) bool { return len(s.Orders) == 1 })
	w.kill()
	sent := g.chain.nonce(acct)
	if sent != 2 {
		t.Fatalf("watch sent %d transactions before the kill, want approve + one order", sent)
	}

	w = watch()
	g.mine(10)
	g.settle(w)
	if s := g.snap(); len(s.Orders) != 1 || g.chain.nonce(acct) != sent {
		t.Fatalf("restarted watch: %d orders, %d transactions (was %d):\n%s", len(s.Orders), g.chain.nonce(acct), sent, w.output())
	}

	k := g.start("devnet", "keeper", "--delay", "3", "--poll", "100ms")
	defer k.stop()
	maxOrders := 0
	s := g.waitFor("the keeper's execution", w, func(s *gmx.Snapshot) bool {
		maxOrders = max(maxOrders, len(s.Orders))
		return len(s.Orders) == 0 && g.shortETH(s).IsPositive()
	})
	if maxOrders > 1 {
		t.Fatalf("%d orders in flight at once", maxOrders)
	}
	if q := g.shortETH(s); q.LessThan(e2eD("1.9")) || q.GreaterThan(e2eD("2.1")) {
		t.Fatalf("short %s ETH for 2 ETH spot", q)
	}
	g.mine(10)
	g.settle(w)
	if n := g.chain.nonce(acct); n != sent {
		t.Fatalf("watch sent %d more transaction(s) after the execution:\n%s", n-sent, w.output())
	}
	w.stop()
}

// openLong opens a long of usd (whole USD) with usdc collateral from a new
// account, the other side of the market, built from the bindings (hedger
// compiles shorts only), and has the keeper execute it.
func (g *e2eGMX) openLong(usd, usdc int64) {
	g.t.Helper()
	ctx := context.Background()
	long := e2eNewAccount(g.t)
	g.ok("devnet", "fund", long.Addr.Hex(), "--eth", "1", "--usdc", strconv.FormatInt(usdc, 10))
	k, err := crypto.HexToECDSA(strings.TrimPrefix(long.Key, "0x"))
	if err != nil {
		g.t.Fatal(err)
	}
	signer := chain.NewKeySigner(k)
	c := g.reader.Chain
	cr, col := g.book.Contracts, g.book.Collateral.Address
	amount := new(big.Int).Mul(big.NewInt(usdc), big.NewInt(1e6))
	if _, err := gmx.SendFixedGas(ctx, c, signer, col, cgmx.NewMintableToken().PackApprove(cr.Router, amount), nil, 200_000); err != nil {
		g.t.Fatal(err)
	}
	m, _ := g.book.Market("ETH")
	er := cgmx.NewExchangeRouter()
	fee := big.NewInt(1e16)
	size := new(big.Int).Mul(big.NewInt(usd), new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil))
	params := cgmx.IBaseOrderUtilsCreateOrderParams{
		Addresses: cgmx.IBaseOrderUtilsCreateOrderParamsAddresses{Receiver: long.Addr, CancellationReceiver: long.Addr, Market: m.MarketToken,
			InitialCollateralToken: col, SwapPath: []common.Address{}},
		Numbers: cgmx.IBaseOrderUtilsCreateOrderParamsNumbers{SizeDeltaUsd: size, InitialCollateralDeltaAmount: new(big.Int), TriggerPrice: new(big.Int),
			AcceptablePrice: new(big.Int).Mul(big.NewInt(10_000), big.NewInt(1e12)), ExecutionFee: fee, CallbackGasLimit: new(big.Int),
			MinOutputAmount: new(big.Int), ValidFromTime: new(big.Int)},
		OrderType: gmx.OrderMarketIncrease, IsLong: true, DataList: [][32]byte{},
	}
	data := er.PackMulticall([][]byte{er.PackSendWnt(cr.OrderVault, fee), er.PackSendTokens(col, cr.OrderVault, amount), er.PackCreateOrder(params)})
	rcpt, err := gmx.SendFixedGas(ctx, c, signer, cr.ExchangeRouter, data, fee, 10_000_000)
	if err != nil {
		g.t.Fatal(err)
	}
	g.settleForeignOrder(rcpt)
}

// settleForeignOrder gets an order created outside hedger executed: by a
// keeper the test already runs in the background, or else by one keeper
// pass. Both may race for the order; the loser reverts with EmptyOrder,
// so the verdict is the order's outcome on chain, not the keeper's exit.
func (g *e2eGMX) settleForeignOrder(rcpt *types.Receipt) {
	g.t.Helper()
	evs, err := gmx.DecodeEvents(g.book, rcpt.Logs)
	if err != nil {
		g.t.Fatal(err)
	}
	var key common.Hash
	for _, e := range evs {
		if e.Name == "OrderCreated" {
			key = e.Topic1
		}
	}
	if key == (common.Hash{}) {
		g.t.Fatalf("transaction %s created no order", rcpt.TxHash.Hex())
	}
	keeper := g.run("devnet", "keeper", "--once")
	out, err := g.reader.WaitOrder(context.Background(), key, rcpt.BlockNumber.Uint64(), 30*time.Second, 100*time.Millisecond, 0)
	if err != nil {
		g.t.Fatalf("order %s not settled: %v\nkeeper pass:\n%s", key.Hex(), err, keeper)
	}
	if out.Status != gmx.OrderExecuted {
		g.t.Fatalf("order %s %v, not executed: %s", key.Hex(), out.Status, out.Reason)
	}
}

// TestE2EGMXFundingClaim: a short against a larger long receives funding
// while a day passes (time travel); status counts it; a reduce realises it
// as claimable; `hedger claim` pays it to the account.
func TestE2EGMXFundingClaim(t *testing.T) {
	g := e2eStartGMX(t)
	keeper := g.startKeeper()
	defer keeper.stop()
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("hedge:\n%s", r)
	}
	g.openLong(30_000, 3_000)
	g.ok("devnet", "advance", "1d")
	// status shows the day's funding and borrowing apart, as the Reader has them.
	g.checkStatusCarry()
	// The cold wallet sends 1 ETH away: the reduce realises the funding.
	k, err := crypto.HexToECDSA(strings.TrimPrefix(g.cold.Key, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gmx.SendFixedGas(context.Background(), g.reader.Chain, chain.NewKeySigner(k), common.HexToAddress("0xdead"), nil, big.NewInt(1e18), 21_000); err != nil {
		t.Fatal(err)
	}
	if r := g.hedge("--settle-timeout", "60s"); r.code != 0 {
		t.Fatalf("reduce:\n%s", r)
	}
	s := g.snap()
	m, _ := g.book.Market("ETH")
	claimable := s.Markets[m.MarketToken].ClaimableFundingShort
	if claimable == nil || claimable.Sign() <= 0 {
		t.Fatalf("no claimable funding after a day against a larger long")
	}
	// Realised into the DataStore, the funding is a claimable: status lists
	// it and counts it in the account's equity.
	g.checkStatusClaimables()
	before := s.Collateral
	r := g.ok("claim", "--yes", "--private-key", g.trader.Key)
	if !strings.Contains(r.stdout, "claimable:") {
		t.Fatalf("claim output:\n%s", r)
	}
	s = g.snap()
	if got := new(big.Int).Sub(s.Collateral, before); got.Cmp(claimable) != 0 {
		t.Fatalf("claim paid %s, claimable was %s", got, claimable)
	}
	t.Logf("a day of a 10k short vs a 30k long: claimed %s USDC", decimal.NewFromBigInt(claimable, -6))
	if r := g.ok("claim", "--yes", "--private-key", g.trader.Key); !strings.Contains(r.stdout, "nothing to claim") {
		t.Fatalf("second claim:\n%s", r)
	}
}

// e2eGMXStatus is the part of `status --json` the GMX carry checks read.
type e2eGMXStatus struct {
	Block  e2eUint `json:"block"`
	Assets []struct {
		Asset                string `json:"asset"`
		ShortSize            e2eDec `json:"short_size"`
		FundingRatePerHour   e2eDec `json:"funding_rate_per_hour"`
		BorrowingRatePerHour e2eDec `json:"borrowing_rate_per_hour"`
		AccruedFunding       e2eDec `json:"accrued_funding"`
		AccruedBorrowing     e2eDec `json:"accrued_borrowing"`
		Equity               e2eDec `json:"equity"`
	} `json:"assets"`
	Margin struct {
		Collateral      e2eDec `json:"collateral"`
		PositionsEquity e2eDec `json:"positions_equity"`
		Claimables      []struct {
			Market   string `json:"market"`
			Token    string `json:"token"`
			Asset    string `json:"asset"`
			Amount   e2eDec `json:"amount"`
			Price    e2eDec `json:"price_usd"`
			ValueUSD e2eDec `json:"value_usd"`
		} `json:"claimables"`
		ClaimablesUSD e2eDec `json:"claimables_usd"`
		Equity        e2eDec `json:"equity"`
	} `json:"margin_account"`
}

// status runs `status --json` for the cold wallet and the trader's account
// and reads the GMX state at the block it reports.
func (g *e2eGMX) status() (e2eGMXStatus, *gmx.Snapshot) {
	g.t.Helper()
	var st e2eGMXStatus
	r := g.ok("status", "--json", "--wallet", g.cold.Addr.Hex(), "--from", g.trader.Addr.Hex())
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		g.t.Fatalf("status --json: %v\n%s", err, r)
	}
	ctx := context.Background()
	hdr, err := g.chain.ec.HeaderByNumber(ctx, new(big.Int).SetUint64(uint64(st.Block)))
	if err != nil {
		g.t.Fatal(err)
	}
	s, err := g.reader.SnapshotAt(ctx, hdr)
	if err != nil {
		g.t.Fatal(err)
	}
	return st, s
}

// checkStatusCarry: status's ETH short shows the Reader's funding and
// borrowing rates and the position's pending funding and borrowing fees
// (getAccountPositionInfoList) as separate figures, from the user's side.
func (g *e2eGMX) checkStatusCarry() {
	g.t.Helper()
	st, s := g.status()
	m, _ := g.book.Market("ETH")
	p, ok := s.Short(m, g.book.Collateral.Address)
	if !ok {
		g.t.Fatal("no ETH short on chain")
	}
	ms := s.Markets[m.MarketToken]
	price := gmx.PriceUSD(ms.IndexPrice, m.Index.Decimals)
	f := p.Info.Fees
	funding := decimal.NewFromBigInt(f.Funding.ClaimableShortTokenAmount, -int32(m.Short.Decimals)).
		Add(decimal.NewFromBigInt(f.Funding.ClaimableLongTokenAmount, -int32(m.Long.Decimals)).Mul(price)).
		Sub(decimal.NewFromBigInt(f.Funding.FundingFeeAmount, -int32(g.book.Collateral.Decimals)))
	borrowing := decimal.NewFromBigInt(f.Borrowing.BorrowingFeeUsd, -30).Neg()
	carry := gmx.ShortCarryPerDay(ms, nil)
	for _, a := range st.Assets {
		if a.Asset != "ETH" {
			continue
		}
		if !funding.IsPositive() || !borrowing.IsNegative() {
			g.t.Fatalf("a day against a larger long: Reader funding %s, borrowing %s (want + and −)", funding, borrowing)
		}
		if !a.AccruedFunding.Decimal.Equal(funding) || !a.AccruedBorrowing.Decimal.Equal(borrowing) {
			g.t.Fatalf("status accrued funding %s borrowing %s; Reader at block %d: funding %s, borrowing %s",
				a.AccruedFunding.Decimal, a.AccruedBorrowing.Decimal, st.Block, funding, borrowing)
		}
		tol := decimal.New(1, -15)
		if a.FundingRatePerHour.Decimal.Mul(decimal.NewFromInt(24)).Sub(carry.FundingPerDay).Abs().GreaterThan(tol) ||
			a.BorrowingRatePerHour.Decimal.Mul(decimal.NewFromInt(24)).Sub(carry.BorrowingPerDay).Abs().GreaterThan(tol) {
			g.t.Fatalf("status rates per hour: funding %s borrowing %s; Reader per day: funding %s borrowing %s",
				a.FundingRatePerHour.Decimal, a.BorrowingRatePerHour.Decimal, carry.FundingPerDay, carry.BorrowingPerDay)
		}
		if !carry.FundingPerDay.IsPositive() || !carry.BorrowingPerDay.IsNegative() {
			g.t.Fatalf("rates from the short's side: funding %s/day, borrowing %s/day (want + and −)", carry.FundingPerDay, carry.BorrowingPerDay)
		}
		g.t.Logf("status at block %d: ETH short funding %+s/h borrowing %s/h, accrued funding %s USD, borrowing %s USD",
			st.Block, a.FundingRatePerHour.Decimal, a.BorrowingRatePerHour.Decimal, funding, borrowing)
		return
	}
	g.t.Fatalf("status has no ETH")
}

// checkStatusClaimables: status lists the DataStore's claimable funding of
// the account per token with its USD value, and counts it in the account's
// equity (free USDC + positions' equity + claimables).
func (g *e2eGMX) checkStatusClaimables() {
	g.t.Helper()
	st, s := g.status()
	var want []string
	total := decimal.Zero
	for _, m := range g.book.Markets {
		ms := s.Markets[m.MarketToken]
		if ms == nil {
			continue
		}
		price := gmx.PriceUSD(ms.IndexPrice, m.Index.Decimals)
		for _, c := range []struct {
			tok gmx.Token
			amt *big.Int
		}{{m.Long, ms.ClaimableFundingLong}, {m.Short, ms.ClaimableFundingShort}} {
			if c.amt == nil || c.amt.Sign() <= 0 {
				continue
			}
			amt := decimal.NewFromBigInt(c.amt, -int32(c.tok.Decimals))
			value := amt
			if c.tok.Address != g.book.Collateral.Address {
				value = amt.Mul(price)
			}
			want = append(want, m.MarketToken.Hex()+" "+c.tok.Symbol+" "+amt.String()+" "+value.String())
			total = total.Add(value)
		}
	}
	var got []string
	for _, c := range st.Margin.Claimables {
		got = append(got, c.Market+" "+c.Token+" "+c.Amount.Decimal.String()+" "+c.ValueUSD.Decimal.String())
	}
	if len(want) == 0 || strings.Join(got, "; ") != strings.Join(want, "; ") {
		g.t.Fatalf("status claimables %v; DataStore at block %d: %v", got, st.Block, want)
	}
	free := decimal.NewFromBigInt(s.Collateral, -int32(g.book.Collateral.Decimals))
	positions := decimal.Zero
	for _, a := range st.Assets {
		positions = positions.Add(a.Equity.Decimal)
	}
	if !st.Margin.ClaimablesUSD.Decimal.Equal(total) || !st.Margin.Collateral.Decimal.Equal(free) ||
		!st.Margin.PositionsEquity.Decimal.Equal(positions) || !st.Margin.Equity.Decimal.Equal(free.Add(positions).Add(total)) {
		g.t.Fatalf("status account: free %s positions %s claimables %s equity %s; want free %s (chain) + positions %s + claimables %s",
			st.Margin.Collateral.Decimal, st.Margin.PositionsEquity.Decimal, st.Margin.ClaimablesUSD.Decimal, st.Margin.Equity.Decimal,
			free, positions, total)
	}
	r := g.ok("status", "--wallet", g.cold.Addr.Hex(), "--from", g.trader.Addr.Hex())
	if !strings.Contains(r.stdout, "claimable (received funding") || !strings.Contains(r.stdout, "claimables "+total.StringFixed(2)) {
		g.t.Fatalf("status text lacks the claimables (%s USD):\n%s", total.StringFixed(2), r)
	}
	g.t.Logf("status at block %d: claimables %v, account equity %s USD; text:\n%s", st.Block, got, st.Margin.Equity.Decimal, r.stdout)
}

// logGas logs the gas of every transaction of the trader and of the keeper
// in blocks (from, head], and the blocks from each order to its execution,
// for the README's figures.
func (g *e2eGMX) logGas(what string, from uint64) {
	g.t.Helper()
	ctx := context.Background()
	head := g.chain.block()
	keeper := g.book.Local.KeeperKey
	kk, _ := crypto.HexToECDSA(strings.TrimPrefix(keeper, "0x"))
	keeperAddr := crypto.PubkeyToAddress(kk.PublicKey)
	var created uint64
	for n := from + 1; n <= head; n++ {
		b, err := g.chain.ec.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			g.t.Fatal(err)
		}
		for _, tx := range b.Transactions() {
			sender, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
			if err != nil || (sender != g.trader.Addr && sender != keeperAddr) {
				continue
			}
			r, err := g.chain.ec.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				g.t.Fatal(err)
			}
			who := "hedger"
			if sender == keeperAddr {
				who = "keeper"
			}
			sel := ""
			if len(tx.Data()) >= 4 {
				sel = common.Bytes2Hex(tx.Data()[:4])
			}
			extra := ""
			if who == "hedger" && tx.To() != nil && *tx.To() == g.book.Contracts.ExchangeRouter {
				created = n
			}
			if who == "keeper" && created > 0 {
				extra = " (" + strconv.FormatUint(n-created, 10) + " block(s) after the order)"
			}
			g.t.Logf("gas %s: %s tx %s in block %d: %d gas%s", what, who, sel, n, r.GasUsed, extra)
		}
	}
}
