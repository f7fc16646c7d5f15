package main

// The fault proxy over the GMX path: the real binary runs `hedge --venue gmx`
// and `watch --venue gmx` against anvil with the GMX fixture THROUGH
// chain/faultrpc, one round per fault kind of the PerpVenue suite
// (faultCases), while the project's keeper executes orders straight on
// anvil, in this process, paced by the hedger's requests (a block and a
// keeper round every faultPaceWatch-th request, see faultRig.pace), never by
// the clock. A run that fails is rerun, as a user would. Afterwards every block
// is read back with historical eth_calls: the short plus the worst case of
// every pending increase order never above h·E·(1+band)/price, never a long,
// never two orders in flight for one market; and the journal agrees with
// the chain (every transaction, every order key created on chain, every
// order's outcome).

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/chain/faultrpc"
	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge/gmx"
)

// gmxFaultRig is the GMX rig and the PerpVenue fault rig's reusable parts
// (proxy, rerun bookkeeping, background mining, the journal check).
type gmxFaultRig struct {
	*e2eGMX
	fr      *faultRig
	keeper  *gmx.Devnet     // its keeper executes orders in keeperStep
	spot    decimal.Decimal // the cold wallet's ETH, as funded
	price   decimal.Decimal
	from    uint64
	hedges  int
	watches int
	closes  int
	stats   faultrpc.Stats // injected over the rounds
}

func newGMXFaultRig(t *testing.T, seed int64) *gmxFaultRig {
	g := e2eStartGMX(t)
	p, err := faultrpc.New(g.node.URL, seed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	fr := &faultRig{t: t, name: "gmx", node: g.node, proxy: p, cli: g.cli, chain: g.chain, signer: g.trader,
		seed: seed, mineBetween: true}
	c, err := chain.Dial(context.Background(), g.node.URL, chain.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	d, err := gmx.NewDevnet(c, g.book)
	if err != nil {
		t.Fatal(err)
	}
	d.Keeper.Delay = 2 // blocks an order stays pending: the window a rerun must respect
	r := &gmxFaultRig{e2eGMX: g, fr: fr, keeper: d, spot: e2eD("2"), price: e2eD("5000"), from: g.chain.block()}
	fr.step = r.keeperStep
	return r
}

// keeperStep mines a block and lets the keeper execute what is due, at the
// prices the feeds show (what `devnet keeper` does each poll). A keeper
// error leaves the order pending, as on GMX; it is logged.
func (r *gmxFaultRig) keeperStep() {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := r.chain.rc.CallContext(ctx, nil, "evm_mine"); err != nil {
		r.t.Errorf("evm_mine: %v", err)
		return
	}
	err := feedPrices(ctx, r.keeper.Client, r.book, r.keeper.Prices)
	if err == nil {
		_, err = r.keeper.Keeper.Once(ctx)
	}
	if err != nil {
		r.t.Logf("keeper: %s", oneLine(err))
	}
}

// args is a hedger command through the proxy, with the fault suite's policy.
func (r *gmxFaultRig) args(cmd string, more ...string) []string {
	return append([]string{cmd, "--venue", "gmx", "--rpc-url", r.fr.proxy.URL(), "--private-key", r.trader.Key,
		"--hedge-ratio", faultRatio.String(), "--band", faultBand.String(), "--max-leverage", faultMaxLev.String()}, more...)
}

// state is the trader's ETH short and pending orders at the head, read
// straight from anvil (the Reader has been seen to revert at the block of
// an execution: the next block reads fine).
func (r *gmxFaultRig) state() (short decimal.Decimal, orders int) {
	r.t.Helper()
	for i := 0; ; i++ {
		s, err := r.reader.Snapshot(context.Background())
		if err == nil {
			return r.shortETH(s), len(s.Orders)
		}
		if i == 5 {
			r.t.Fatalf("snapshot: %v", err)
		}
		r.mine(1)
	}
}

// settled is the short and the orders still pending once the keeper has
// had up to 50 steps to execute what a run left pending (watch leaves its
// last orders to the next cycle).
func (r *gmxFaultRig) settled() (short decimal.Decimal, orders int) {
	r.t.Helper()
	q, n := r.state()
	for i := 0; n > 0 && i < 50; i++ {
		r.keeperStep()
		q, n = r.state()
	}
	return q, n
}

// offTarget is "" when no order is pending and the short is within the band
// of h·spot ETH.
func (r *gmxFaultRig) offTarget() string {
	r.t.Helper()
	q, n := r.settled()
	if n > 0 {
		return fmt.Sprintf("%d order(s) still pending", n)
	}
	tgt := faultRatio.Mul(r.spot)
	if drift := q.Sub(tgt).Abs().Div(tgt); drift.GreaterThan(faultBand) {
		return fmt.Sprintf("short %s ETH, target %s (drift %s)", q.StringFixed(6), tgt, drift.StringFixed(4))
	}
	return ""
}

// hedgeOnce is one `hedge` run through the proxy for the cold wallet.
func (r *gmxFaultRig) hedgeOnce() e2eResult {
	r.hedges++
	return r.cli.run(r.args("hedge", "--yes", "--approve-max", "--wallet", r.cold.Addr.Hex(), "--settle-timeout", "20s")...)
}

// hedge reruns `hedge` until it exits 0 on target. Every command is paced
// at faultPaceWatch: the keeper steps with the blocks.
func (r *gmxFaultRig) hedge() {
	r.t.Helper()
	r.fr.rerun("hedge", faultPaceWatch, r.hedgeOnce, r.offTarget)
}

// hedgeAgain: right after a successful hedge, one more run under the same
// faults may fail but must send nothing.
func (r *gmxFaultRig) hedgeAgain() {
	r.t.Helper()
	r.fr.sendsNothing("hedge right after a successful hedge", faultPaceWatch, r.hedgeOnce)
}

func (r *gmxFaultRig) watch(cycles int) {
	r.t.Helper()
	r.fr.rerun(fmt.Sprintf("watch --max-cycles %d", cycles), faultPaceWatch, func() e2eResult {
		res := r.cli.run(r.args("watch", "--approve-max", "--wallet", r.cold.Addr.Hex(), "--max-cycles", strconv.Itoa(cycles),
			"--poll-interval", "50ms")...)
		r.watches += watchCycles(res)
		return res
	}, r.offTarget)
}

// closeAll runs `close` through the proxy until the short is gone and no
// order is pending; a rerun after a lost answer must not open a long.
func (r *gmxFaultRig) closeAll() {
	r.t.Helper()
	r.fr.rerun("close", faultPaceWatch, func() e2eResult {
		r.closes++
		return r.cli.run("close", "--venue", "gmx", "--rpc-url", r.fr.proxy.URL(), "--private-key", r.trader.Key, "--yes", "--settle-timeout", "20s")
	}, func() string {
		if q, n := r.settled(); !q.IsZero() || n > 0 {
			return fmt.Sprintf("left short %s, %d order(s)", q, n)
		}
		return ""
	})
}

func (r *gmxFaultRig) fundSpot(eth decimal.Decimal) {
	r.t.Helper()
	r.ok("devnet", "fund", r.cold.Addr.Hex(), "--eth", eth.String())
	r.spot = r.spot.Add(eth)
}

func (r *gmxFaultRig) movePrice(factor decimal.Decimal) {
	r.t.Helper()
	r.price = r.price.Mul(factor).Round(2)
	r.ok("devnet", "set-price", "ETH", r.price.String())
}

// ------------------------------------------------------------ block scan

// gmxFaultBlock is what the invariants need at one block.
type gmxFaultBlock struct {
	number    uint64
	spot      decimal.Decimal // cold wallet: native + WETH
	short     decimal.Decimal // ETH tokens
	long      bool            // any long position of the trader
	pending   decimal.Decimal // worst case ETH of pending increase orders: sizeDeltaUsd / acceptablePrice
	perMarket map[common.Address]int
	orders    int
}

func (r *gmxFaultRig) readBlocks(from, to uint64) []gmxFaultBlock {
	r.t.Helper()
	rd, tk := cgmx.NewReader(), cgmx.NewMintableToken()
	ds, acct := r.book.Contracts.DataStore, r.trader.Addr
	m, _ := r.book.Market("ETH")
	out := make([]gmxFaultBlock, 0, to-from+1)
	r.chain.history(from, to, func(q *e2eHistBatch, n uint64) {
		out = append(out, gmxFaultBlock{number: n, perMarket: map[common.Address]int{}})
		fb := &out[len(out)-1]
		q.balance(r.cold.Addr, func(wei *big.Int) { fb.spot = fb.spot.Add(decimal.NewFromBigInt(wei, -18)) })
		q.call(r.book.Native.Address, tk.PackBalanceOf(r.cold.Addr), func(b []byte) error {
			v, err := tk.UnpackBalanceOf(b)
			if err == nil {
				fb.spot = fb.spot.Add(decimal.NewFromBigInt(v, -18))
			}
			return err
		})
		q.call(r.book.Contracts.Reader, rd.PackGetAccountPositions(ds, acct, big.NewInt(0), big.NewInt(100)), func(b []byte) error {
			ps, err := rd.UnpackGetAccountPositions(b)
			for _, p := range ps {
				if p.Flags.IsLong && p.Numbers.SizeInUsd.Sign() > 0 {
					fb.long = true
				}
				if !p.Flags.IsLong && p.Addresses.Market == m.MarketToken {
					fb.short = fb.short.Add(decimal.NewFromBigInt(p.Numbers.SizeInTokens, -18))
				}
			}
			return err
		})
		q.call(r.book.Contracts.Reader, rd.PackGetAccountOrders(ds, acct, big.NewInt(0), big.NewInt(100)), func(b []byte) error {
			ords, err := rd.UnpackGetAccountOrders(b)
			for _, o := range ords {
				fb.orders++
				fb.perMarket[o.Order.Addresses.Market]++
				n := o.Order.Numbers
				if n.OrderType == gmx.OrderMarketIncrease && o.Order.Flags.IsLong {
					fb.long = true
				}
				if n.OrderType == gmx.OrderMarketIncrease && n.SizeDeltaUsd.Sign() > 0 && o.Order.Addresses.Market == m.MarketToken {
					if n.AcceptablePrice.Sign() <= 0 {
						return fmt.Errorf("increase order %x with acceptable price %s", o.OrderKey, n.AcceptablePrice)
					}
					// USD·1e30 / (USD·1e30 per wei) = wei: the most tokens
					// the order can add (a short fills at or above it).
					wei := new(big.Int).Quo(n.SizeDeltaUsd, n.AcceptablePrice)
					fb.pending = fb.pending.Add(decimal.NewFromBigInt(wei, -18))
				}
			}
			return err
		})
	})
	return out
}

// checkHistory scans every block since the rig started.
func (r *gmxFaultRig) checkHistory() {
	r.t.Helper()
	end := r.chain.block()
	blocks := r.readBlocks(r.from, end)
	tol := e2eD("0.000001")
	var worst decimal.Decimal
	worstAt, violations, withOrders := "", 0, 0
	fail := func(format string, a ...any) {
		violations++
		if violations <= 10 {
			r.t.Errorf(format, a...)
		}
	}
	for _, b := range blocks {
		if b.long {
			fail("block %d: a long position or a long increase order", b.number)
		}
		if b.orders > 0 {
			withOrders++
		}
		for mk, n := range b.perMarket {
			if n > 1 {
				fail("block %d: %d orders in flight for market %s", b.number, n, mk.Hex())
			}
		}
		// h·E·(1+band)/price in ETH: h·spot·(1+band).
		cap := faultRatio.Mul(b.spot).Mul(decimal.NewFromInt(1).Add(faultBand))
		exp := b.short.Add(b.pending)
		if exp.IsPositive() {
			ratio := exp.Div(cap)
			if ratio.GreaterThan(worst) {
				worst, worstAt = ratio, fmt.Sprintf("block %d", b.number)
			}
			if ratio.GreaterThan(decimal.NewFromInt(1).Add(tol)) {
				fail("block %d: short %s + pending increases %s ETH exceed the cap h·E·(1+band)/price = %s ETH (spot %s): a doubled short",
					b.number, b.short.StringFixed(8), b.pending.StringFixed(8), cap.StringFixed(8), b.spot)
			}
		}
	}
	r.t.Logf("scanned %d blocks (%d..%d) with historical reads: %d with an order in flight, %d violations, largest (short+pending)/cap %s (%s)",
		len(blocks), r.from, end, withOrders, violations, worst.StringFixed(4), worstAt)
	r.fr.checkJournal()
	r.checkOrderJournal(end)
}

// checkOrderJournal: the order keys the journal says it created are exactly
// the trader's OrderCreated events on chain, each once, and each order's
// journaled outcome (executed / cancelled) is the chain's.
func (r *gmxFaultRig) checkOrderJournal(end uint64) {
	r.t.Helper()
	files, _ := filepath.Glob(filepath.Join(r.cli.dataDir, "journal", "*.jsonl"))
	created := map[common.Hash]int{}
	outcome := map[common.Hash]string{}
	lines := map[common.Hash][]string{} // the intent lines of each order, for a failure's message
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			r.t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var e chain.JournalEntry
			if json.Unmarshal(sc.Bytes(), &e) != nil || len(e.Action) == 0 || e.Type != "intent" {
				continue
			}
			var meta chain.ActionMeta
			if json.Unmarshal(e.Action, &meta) != nil || !strings.HasPrefix(meta.Kind, "gmx-order-") {
				continue
			}
			const prefix = "GMX order "
			if !strings.HasPrefix(meta.Description, prefix) || len(meta.Description) < len(prefix)+66 {
				r.t.Errorf("%s: %s entry without an order key: %q", path, meta.Kind, meta.Description)
				continue
			}
			key := common.HexToHash(meta.Description[len(prefix) : len(prefix)+66])
			lines[key] = append(lines[key], sc.Text())
			switch meta.Kind {
			case "gmx-order-created":
				created[key]++
			default:
				got := strings.TrimPrefix(meta.Kind, "gmx-order-")
				if o, ok := outcome[key]; ok {
					// A lagging node listed a settled order as pending again
					// and its outcome was journaled twice (fixed in
					// gmxvenue.loadUnsettled).
					r.t.Errorf("order %s journaled as %s and again as %s; the journal's lines of it:\n%s",
						key.Hex(), o, got, strings.Join(lines[key], "\n"))
				}
				outcome[key] = got
			}
		}
		f.Close()
	}
	evs := r.events(r.from, end)
	onChain := map[common.Hash]bool{}
	for _, e := range evs {
		if e.Name == "OrderCreated" && e.Account == r.trader.Addr {
			onChain[e.Topic1] = true
			if created[e.Topic1] == 0 {
				r.t.Errorf("order %s created on chain in block %d (tx %s) is not in the journal: an orphan order", e.Topic1.Hex(), e.Block, e.TxHash.Hex())
			}
		}
	}
	outs := gmx.OrderOutcomes(evs)
	for k, n := range created {
		if n > 1 {
			r.t.Errorf("order %s journaled as created %d times", k.Hex(), n)
		}
		if !onChain[k] {
			r.t.Errorf("the journal says order %s was created; the chain has no such order", k.Hex())
			continue
		}
		want := map[gmx.OrderStatus]string{gmx.OrderExecuted: "executed", gmx.OrderCancelled: "cancelled", gmx.OrderFrozen: "frozen"}[outs[k].Status]
		if outcome[k] != want {
			r.t.Errorf("order %s: the chain says %q (block %d), the journal %q", k.Hex(), want, outs[k].Block, outcome[k])
		}
	}
	counts := map[string]int{}
	for _, o := range outcome {
		counts[o]++
	}
	r.t.Logf("journal and chain agree on %d GMX orders (%v)", len(onChain), counts)
}

// TestE2EGMXFaults: one round per fault kind of the PerpVenue suite over the
// GMX path, hedge and watch, the keeper running; then a clean hedge that must
// send nothing, a close under faults, and the block scan.
func TestE2EGMXFaults(t *testing.T) {
	r := newGMXFaultRig(t, 20261202)
	r.hedge()
	for i, fc := range faultCases {
		r.t.Logf("round %d: %s at block %d", i+1, fc.kind, r.chain.block())
		r.fr.proxy.ResetStats()
		r.fr.proxy.SetRules(fc.rules...)
		r.fundSpot(e2eD("0.5"))
		r.movePrice([]decimal.Decimal{e2eD("1.02"), e2eD("0.98")}[i%2])
		r.hedge()
		r.hedgeAgain()
		r.fundSpot(e2eD("0.4"))
		r.watch(4)
		st := r.fr.proxy.Stats()
		if n := r.fr.proxy.Injected(fc.kind); n == 0 {
			t.Errorf("%s: no fault injected", fc.kind)
		}
		t.Logf("round %d %s: %s", i+1, fc.kind, st)
		r.stats = r.stats.Add(st)
	}
	// A last run on a clean network must find nothing to do.
	r.fr.proxy.Pause(true)
	n := r.chain.nonce(r.trader.Addr)
	stop := r.fr.pace(faultPaceWatch) // the keeper stays on, as it would on a real chain
	res := r.hedgeOnce()
	stop()
	if got := r.chain.nonce(r.trader.Addr); res.code != 0 || got != n {
		t.Errorf("a clean hedge after the faulty runs sent %d transaction(s) (exit %d):\n%s", got-n, res.code, res)
	}
	// Close under lost answers to the send: a rerun must not open a long.
	r.fr.proxy.Pause(false)
	r.fr.proxy.ResetStats()
	r.fr.proxy.SetRules(faultCases[1].rules...)
	r.closeAll()
	r.fr.proxy.Pause(true)
	r.stats = r.stats.Add(r.fr.proxy.Stats())
	r.checkHistory()
	t.Logf("GMX fault injection: %d runs in %d attempts (%d hedge runs, %d watch cycles, %d close runs); %s",
		r.fr.runs, r.fr.attempts, r.hedges, r.watches, r.closes, r.stats)
}
