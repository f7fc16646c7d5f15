package main

// Fault injection end to end: the real hedger binary runs `hedge --yes` and
// `watch --max-cycles N` against anvil THROUGH chain/faultrpc, a JSON-RPC
// proxy that drops requests and responses, delays, answers HTTP 5xx and
// JSON-RPC errors, truncates bodies, serves a lagging head, and reorders or
// splits batch answers. The environment (prices, spot) is moved straight on
// anvil between runs. A run may fail under faults; it is rerun, as a user
// would, until it succeeds. After every run the position must be at its
// target within the band, and a scan of every block with historical eth_call
// reads checks that no short ever exceeded h·E·(1+band)/mark and that the
// hedger never pushed leverage above the cap: a doubled short fails here.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain/faultrpc"
	"github.com/hedger/hedger/contracts"
)

// The policy every run uses (the CLI's defaults, spelled out).
var (
	faultRatio  = e2eD("1")
	faultBand   = e2eD("0.05")
	faultMaxLev = e2eD("2")
)

// faultTotals adds up what every fault test ran, for the summary line.
var faultTotals struct {
	sync.Mutex
	runs, attempts, hedgeRuns, watchCycles, closeRuns, blocks int
	stats                                                     faultrpc.Stats
}

// faultRig is one anvil with the venue deployed, a watch-only spot wallet,
// the hedger's signer, and a proxy in front of anvil.
type faultRig struct {
	t        *testing.T
	name     string
	node     *e2eNode
	proxy    *faultrpc.Proxy
	cli      *e2eCLI
	chain    *e2eChain
	deployer e2eAccount
	signer   e2eAccount
	spot     common.Address
	book     e2eBook
	venue    common.Address
	markets  []faultMarket
	weth     common.Address
	wbtc     common.Address
	start    uint64 // first block the scan covers
	seed     int64
	// mineBetween mines a block straight on anvil before each rerun: on a
	// real chain time passes and blocks come before a user retries. Off
	// where a rerun must find the last run's transactions still pending.
	mineBetween bool
	// step is what pace runs every k-th request; nil: mine a block.
	step func()

	runs, attempts, hedgeRuns, watchCycles, closeRuns int
	spotETH, spotBTC                                  decimal.Decimal // what the test funded
	price                                             map[string]decimal.Decimal
}

type faultMarket struct {
	asset string
	id    *big.Int
	feed  common.Address
	fdec  int32
}

func newFaultRig(t *testing.T, name string, seed int64, anvilArgs ...string) *faultRig {
	t.Helper()
	n := e2eStartAnvil(t, anvilArgs...)
	r := &faultRig{t: t, name: name, node: n, cli: e2eNewCLI(t, n.URL), chain: e2eNewChain(t, n.URL),
		deployer: e2eAccountFromHex(t, e2eAnvilKey0), signer: e2eAccountFromHex(t, e2eAnvilKey1),
		spot: e2eNewAccount(t).Addr, price: map[string]decimal.Decimal{"ETH": e2eD("3000"), "BTC": e2eD("60000")},
		mineBetween: true, seed: seed}
	r.cli.okJSON(&r.book, "deploy", "--rpc-url", n.URL, "--private-key", r.deployer.Key, "--json")
	r.venue = common.HexToAddress(r.book.Venue)
	for _, m := range r.book.Markets {
		r.markets = append(r.markets, faultMarket{asset: m.Asset, id: new(big.Int).SetUint64(m.ID),
			feed: common.HexToAddress(m.Feed), fdec: int32(m.FeedDecimals)})
	}
	var ok1, ok2 bool
	r.weth, _, ok1 = r.book.token("WETH")
	r.wbtc, _, ok2 = r.book.token("WBTC")
	if !ok1 || !ok2 || len(r.markets) != 2 {
		t.Fatalf("address book: %+v", r.book)
	}
	r.devnet("fund", r.spot.Hex(), "--eth", "10", "--wbtc", "0.5")
	r.spotETH, r.spotBTC = e2eD("10"), e2eD("0.5")
	r.devnet("fund", r.signer.Addr.Hex(), "--usdc", "100000000")
	r.start = r.chain.block()
	p, err := faultrpc.New(n.URL, seed)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	r.proxy = p
	t.Cleanup(func() { r.report() })
	return r
}

// devnet runs `hedger devnet ...` straight to anvil (no proxy, no faults).
func (r *faultRig) devnet(args ...string) {
	r.t.Helper()
	r.cli.ok(append(append([]string{"devnet"}, args...), "--rpc-url", r.node.URL, "--private-key", r.deployer.Key)...)
}

// moveSpot funds the spot wallet with more ETH (as WETH) and WBTC: the cap
// only ever rises, so any short above it is the hedger's doing.
func (r *faultRig) moveSpot(eth, btc decimal.Decimal) {
	r.t.Helper()
	args := []string{"fund", r.spot.Hex()}
	if eth.IsPositive() {
		args = append(args, "--weth", eth.String())
		r.spotETH = r.spotETH.Add(eth)
	}
	if btc.IsPositive() {
		args = append(args, "--wbtc", btc.StringFixed(8))
		r.spotBTC = r.spotBTC.Add(btc.Round(8))
	}
	if len(args) > 2 {
		r.devnet(args...)
	}
}

// movePrice multiplies asset's index by factor.
func (r *faultRig) movePrice(asset string, factor decimal.Decimal) {
	r.t.Helper()
	p := r.price[asset].Mul(factor).Round(2)
	r.devnet("set-price", asset, p.String())
	r.price[asset] = p
}

func (r *faultRig) hedgerArgs(cmd string, more ...string) []string {
	return append([]string{cmd, "--rpc-url", r.proxy.URL(), "--wallet", r.spot.Hex(), "--private-key", r.signer.Key,
		"--hedge-ratio", faultRatio.String(), "--band", faultBand.String(), "--max-leverage", faultMaxLev.String()}, more...)
}

var watchCyclesRe = regexp.MustCompile(`max-cycles reached.*cycles=(\d+)`)

// faultMaxAttempts bounds the reruns of one command: a run under these fault
// rates succeeds far more often than 1 in 40.
const faultMaxAttempts = 40

// hedge runs `hedge --yes` through the proxy until it exits 0 with every
// asset within band (a rerun, as a user would, after any failure).
func (r *faultRig) hedge() {
	r.t.Helper()
	r.rerun("hedge", faultPaceHedge, func() e2eResult {
		r.hedgeRuns++
		return r.cli.run(r.hedgerArgs("hedge", "--yes")...)
	}, r.offTarget)
}

// hedgeAgain runs `hedge --yes` once more right after a successful run, as
// the README promises "running hedge twice in a row sends nothing the second
// time": under faults it may fail, but it must not send anything.
func (r *faultRig) hedgeAgain() {
	r.t.Helper()
	r.hedgeRuns++
	r.sendsNothing("hedge right after a successful hedge", faultPaceHedge, func() e2eResult {
		return r.cli.run(r.hedgerArgs("hedge", "--yes")...)
	})
}

// watch runs `watch --max-cycles n` through the proxy while blocks are mined
// straight on anvil (so that every cycle has a new head), rerun until the
// hedge is within band.
func (r *faultRig) watch(n int) {
	r.t.Helper()
	r.rerun(fmt.Sprintf("watch --max-cycles %d", n), faultPaceWatch, func() e2eResult {
		res := r.cli.run(r.hedgerArgs("watch", "--max-cycles", strconv.Itoa(n), "--poll-interval", "50ms")...)
		r.watchCycles += watchCycles(res)
		return res
	}, r.offTarget)
}

// watchCycles is how many cycles a `watch --max-cycles` run says it ran.
func watchCycles(res e2eResult) int {
	if m := watchCyclesRe.FindStringSubmatch(res.stderr); m != nil {
		c, _ := strconv.Atoi(m[1])
		return c
	}
	return 0
}

// closeAll runs `close --yes` through the proxy until it exits 0 with every
// position closed and its margin withdrawn, rerunning after failures as a
// user would. A rerun after a close whose answer was lost must not open a
// long (checkHistory fails on any long position at any block).
func (r *faultRig) closeAll() {
	r.t.Helper()
	r.rerun("close", faultPaceHedge, func() e2eResult {
		r.closeRuns++
		return r.cli.run("close", "--rpc-url", r.proxy.URL(), "--private-key", r.signer.Key, "--yes")
	}, func() string {
		head := r.chain.block()
		b := r.readBlocks(head, head)[0]
		var open []string
		for _, m := range r.markets {
			if a := b.assets[m.asset]; !a.short.IsZero() || a.equity.IsPositive() {
				open = append(open, fmt.Sprintf("%s size %s equity %s", m.asset, a.short.Neg(), a.equity.StringFixed(2)))
			}
		}
		if len(open) == 0 {
			return ""
		}
		return "left " + strings.Join(open, "; ")
	})
}

// rerun runs cmd through the proxy, the chain paced every k-th request,
// until it exits 0 and check (what is off on chain afterwards; "" when
// nothing) passes, as a user reruns a failed command; at most
// faultMaxAttempts times, each drawing its faults from its own seed, so a
// run's faults do not depend on how many requests earlier runs happened to
// make. With mineBetween the chain moves on between attempts.
func (r *faultRig) rerun(what string, k uint64, cmd func() e2eResult, check func() string) {
	r.t.Helper()
	r.runs++
	var last e2eResult
	for attempt := 1; attempt <= faultMaxAttempts; attempt++ {
		r.attempts++
		r.proxy.Seed(r.seed + int64(r.runs)*1000 + int64(attempt))
		stop := r.pace(k)
		last = cmd()
		stop()
		off := check()
		if last.code == 0 && off == "" {
			if attempt > 1 {
				r.t.Logf("%s: %s succeeded on attempt %d", r.name, what, attempt)
			}
			return
		}
		why := fmt.Sprintf("exit %d: %s", last.code, e2eTail([]byte(strings.TrimSpace(last.stderr)), 300))
		switch {
		case last.code == 0:
			why = off + "; the run exited 0:\n" + e2eTail([]byte(last.String()), 3000)
		case off != "":
			why = off + "; " + why
		}
		r.t.Logf("%s: %s attempt %d failed (rerunning): %s", r.name, what, attempt, why)
		if r.mineBetween {
			r.stepNow()
		}
	}
	r.t.Fatalf("%s: %s did not succeed in %d attempts; last run:\n%s", r.name, what, faultMaxAttempts, last)
}

// sendsNothing runs cmd once through the proxy (paced every k-th request):
// it may fail under the faults, but the signer's nonce must not move.
func (r *faultRig) sendsNothing(what string, k uint64, cmd func() e2eResult) {
	r.t.Helper()
	nonce := r.chain.nonce(r.signer.Addr)
	r.attempts++
	stop := r.pace(k)
	res := cmd()
	stop()
	if got := r.chain.nonce(r.signer.Addr); got != nonce {
		r.t.Errorf("%s: %s sent %d transaction(s) (exit %d): it planned from a state without the first run's trades\n%s",
			r.name, what, got-nonce, res.code, res)
	}
}

// Blocks per request while a command runs: a block every faultPaceHedge-th
// HTTP request of hedge and close, every faultPaceWatch-th of watch (watch
// polls the head every 50ms, so it asks more often between cycles).
const (
	faultPaceHedge = 20
	faultPaceWatch = 10
)

// pace runs stepNow (by default: mine a block straight on anvil) before
// every k-th HTTP request the hedger sends through the proxy, until stopped:
// on a real chain blocks keep coming while a command runs (a transaction
// manager that waits for confirmations, or a lagging head, needs them).
// Counted in the hedger's requests, not in wall time, so a run on a loaded
// machine sees the same chain at each request as on an idle one, and a
// waiting hedger always makes the chain move (it polls).
func (r *faultRig) pace(k uint64) (stop func()) {
	r.proxy.OnRequest(func(n uint64) {
		if n%k == 0 {
			r.stepNow()
		}
	})
	return func() { r.proxy.OnRequest(nil) }
}

// stepNow moves the chain on by one step: r.step, or a block mined.
func (r *faultRig) stepNow() {
	if r.step != nil {
		r.step()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.chain.rc.CallContext(ctx, nil, "evm_mine"); err != nil {
		r.t.Errorf("%s: evm_mine: %v", r.name, err)
	}
}

// ------------------------------------------------------------ chain reads

// faultBlock is what the checks need at one block, read straight from anvil.
type faultBlock struct {
	number uint64
	nonce  uint64 // the signer's
	assets map[string]faultAsset
}

type faultAsset struct {
	spot, index, mark, short, equity decimal.Decimal
}

// cap is the largest short the policy allows: h · E · (1+band) / mark.
func (a faultAsset) cap() decimal.Decimal {
	if !a.mark.IsPositive() {
		return decimal.Zero
	}
	return faultRatio.Mul(a.spot).Mul(a.index).Mul(decimal.NewFromInt(1).Add(faultBand)).Div(a.mark)
}

func (a faultAsset) target() decimal.Decimal {
	if !a.mark.IsPositive() {
		return decimal.Zero
	}
	return faultRatio.Mul(a.spot).Mul(a.index).Div(a.mark)
}

func (a faultAsset) leverage() decimal.Decimal {
	if a.short.IsZero() || !a.equity.IsPositive() {
		return decimal.Zero
	}
	return a.short.Abs().Mul(a.mark).Div(a.equity)
}

// readBlocks reads blocks from..to (inclusive) with historical reads.
func (r *faultRig) readBlocks(from, to uint64) []faultBlock {
	r.t.Helper()
	pv, tk, fd := contracts.NewPerpVenue(), contracts.NewTestToken(), contracts.NewPriceFeed()
	out := make([]faultBlock, 0, to-from+1)
	r.chain.history(from, to, func(q *e2eHistBatch, n uint64) {
		out = append(out, faultBlock{number: n, assets: map[string]faultAsset{}})
		fb := &out[len(out)-1]
		set := func(asset string, f func(a *faultAsset)) {
			a := fb.assets[asset]
			f(&a)
			fb.assets[asset] = a
		}
		native := new(big.Int)
		q.balance(r.spot, func(wei *big.Int) { native.Set(wei) })
		var nonce hexutil.Uint64
		q.add("eth_getTransactionCount", []any{r.signer.Addr, q.tag}, &nonce, func() error { fb.nonce = uint64(nonce); return nil })
		// Spot ETH is native + WETH (the balance above is decoded first).
		q.call(r.weth, tk.PackBalanceOf(r.spot), func(b []byte) error {
			v, err := tk.UnpackBalanceOf(b)
			if err == nil {
				set("ETH", func(a *faultAsset) { a.spot = decimal.NewFromBigInt(v, -18).Add(decimal.NewFromBigInt(native, -18)) })
			}
			return err
		})
		q.call(r.wbtc, tk.PackBalanceOf(r.spot), func(b []byte) error {
			v, err := tk.UnpackBalanceOf(b)
			if err == nil {
				set("BTC", func(a *faultAsset) { a.spot = decimal.NewFromBigInt(v, -8) })
			}
			return err
		})
		for _, m := range r.markets {
			m := m
			q.call(r.venue, pv.PackGetMarket(m.id), func(b []byte) error {
				v, err := pv.UnpackGetMarket(b)
				if err == nil {
					set(m.asset, func(a *faultAsset) { a.mark = decimal.NewFromBigInt(v.MarkPrice, -18) })
				}
				return err
			})
			q.call(m.feed, fd.PackLatestRoundData(), func(b []byte) error {
				v, err := fd.UnpackLatestRoundData(b)
				if err == nil {
					set(m.asset, func(a *faultAsset) { a.index = decimal.NewFromBigInt(v.Answer, -m.fdec) })
				}
				return err
			})
			q.call(r.venue, pv.PackGetPosition(r.signer.Addr, m.id), func(b []byte) error {
				v, err := pv.UnpackGetPosition(b)
				if err == nil {
					set(m.asset, func(a *faultAsset) {
						a.short = decimal.NewFromBigInt(v.Size, -18).Neg()
						a.equity = decimal.NewFromBigInt(v.Equity, -18)
					})
				}
				return err
			})
		}
	})
	return out
}

// offTarget is "" when every asset's short is at its target within the band
// at the head, else what is off.
func (r *faultRig) offTarget() string {
	r.t.Helper()
	head := r.chain.block()
	b := r.readBlocks(head, head)[0]
	var off []string
	for _, m := range r.markets {
		a := b.assets[m.asset]
		q, tgt := a.short, a.target()
		if tgt.IsZero() {
			continue
		}
		if drift := q.Sub(tgt).Abs().Div(tgt); drift.GreaterThan(faultBand) {
			off = append(off, fmt.Sprintf("%s short %s target %s (drift %s) at block %d", m.asset, q.StringFixed(6), tgt.StringFixed(6), drift.StringFixed(4), head))
		}
	}
	return strings.Join(off, "; ")
}

// checkHistory scans every block since the rig started: no short above the
// cap at any block, and no block where a transaction of the hedger raised
// leverage and left it above the cap. Leverage above the cap caused by a
// price move (before the hedger had a chance to top up) is counted, not failed.
func (r *faultRig) checkHistory() {
	r.t.Helper()
	end := r.chain.block()
	blocks := r.readBlocks(r.start, end)
	tol := e2eD("0.000001")
	var worst decimal.Decimal
	var worstAt string
	envLev, hedgerBlocks, violations := 0, 0, 0
	for k, b := range blocks {
		hedgerTx := k > 0 && b.nonce != blocks[k-1].nonce
		if hedgerTx {
			hedgerBlocks++
		}
		for _, m := range r.markets {
			a := b.assets[m.asset]
			if a.short.IsNegative() {
				r.t.Errorf("%s: block %d: %s position is long %s", r.name, b.number, m.asset, a.short.Neg())
				violations++
			}
			if c := a.cap(); a.short.IsPositive() {
				ratio := a.short.Div(c)
				if ratio.GreaterThan(worst) {
					worst, worstAt = ratio, fmt.Sprintf("%s at block %d", m.asset, b.number)
				}
				if ratio.GreaterThan(decimal.NewFromInt(1).Add(tol)) {
					violations++
					if violations <= 10 {
						r.t.Errorf("%s: block %d: %s short %s exceeds the cap h·E·(1+band)/mark = %s (spot %s index %s mark %s): a doubled short",
							r.name, b.number, m.asset, a.short.StringFixed(8), c.StringFixed(8), a.spot, a.index.StringFixed(2), a.mark.StringFixed(4))
					}
				}
			}
			lev := a.leverage()
			if lev.GreaterThan(faultMaxLev.Mul(decimal.NewFromInt(1).Add(tol))) {
				prev := decimal.Zero
				if k > 0 {
					prev = blocks[k-1].assets[m.asset].leverage()
				}
				if hedgerTx && lev.GreaterThan(prev.Mul(decimal.NewFromInt(1).Add(tol))) {
					violations++
					if violations <= 10 {
						r.t.Errorf("%s: block %d: a hedger transaction left %s leverage at %s (was %s), above the cap %s",
							r.name, b.number, m.asset, lev.StringFixed(4), prev.StringFixed(4), faultMaxLev)
					}
				} else {
					envLev++
				}
			}
		}
	}
	r.t.Logf("%s: scanned %d blocks (%d..%d) with historical reads: %d with hedger transactions, %d cap violations, largest short/cap %s (%s), %d asset-blocks with leverage above the cap from price moves alone",
		r.name, len(blocks), r.start, end, hedgerBlocks, violations, worst.StringFixed(4), worstAt, envLev)
	faultTotals.Lock()
	faultTotals.blocks += len(blocks)
	faultTotals.Unlock()
	r.checkJournal()
}

// journalLine is the subset of chain.JournalEntry the check reads.
type journalLine struct {
	Type      string  `json:"type"`
	ID        string  `json:"id"`
	Account   string  `json:"account"`
	Hash      string  `json:"hash"`
	Nonce     *uint64 `json:"nonce"`
	Outcome   string  `json:"outcome"`
	MinedHash string  `json:"mined_hash"`
	Block     uint64  `json:"block"`
	BlockHash string  `json:"block_hash"`
}

// checkJournal checks <data-dir>/journal/*.jsonl against the chain, when the
// hedger writes one: every "mined" outcome has a successful receipt in the
// block it names, every action that was signed has an outcome (all runs
// ended in a success), and the signer's journal accounts for every
// transaction the signer has on chain. Without a journal it says so.
func (r *faultRig) checkJournal() bool {
	r.t.Helper()
	files, _ := filepath.Glob(filepath.Join(r.cli.dataDir, "journal", "*.jsonl"))
	if len(files) == 0 {
		r.t.Logf("%s: no journal under %s: journal checks skipped", r.name, filepath.Join(r.cli.dataDir, "journal"))
		return false
	}
	signerOutcomes := 0
	sawSigner := false
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			r.t.Fatal(err)
		}
		type action struct {
			signed  bool
			hashes  []string
			outcome *journalLine
		}
		actions := map[string]*action{}
		var order []string
		minedBy := map[string]string{} // hash -> action whose "mined"/"reverted" outcome names it
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		line := 0
		for sc.Scan() {
			line++
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var e journalLine
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				r.t.Errorf("%s:%d: not JSON: %v", path, line, err)
				continue
			}
			a := actions[e.ID]
			if a == nil {
				a = &action{}
				actions[e.ID] = a
				order = append(order, e.ID)
			}
			switch e.Type {
			case "signed", "bumped":
				a.signed = true
				a.hashes = append(a.hashes, e.Hash)
			case "outcome":
				if a.outcome != nil {
					r.t.Errorf("%s:%d: action %s has a second outcome", path, line, e.ID)
				}
				a.outcome = &e
			}
			if e.Type == "outcome" && (e.Outcome == "mined" || e.Outcome == "reverted") {
				h := e.MinedHash
				if h == "" && len(a.hashes) > 0 {
					h = a.hashes[len(a.hashes)-1]
				}
				minedBy[strings.ToLower(h)] = e.ID
			}
		}
		f.Close()
		isSigner := strings.Contains(strings.ToLower(filepath.Base(path)), strings.ToLower(r.signer.Addr.Hex()))
		sawSigner = sawSigner || isSigner
		for _, id := range order {
			a := actions[id]
			if a.signed && a.outcome == nil {
				r.t.Errorf("%s: action %s was signed (%v) but has no outcome after a successful rerun", path, id, a.hashes)
				continue
			}
			if a.outcome == nil {
				continue
			}
			o := a.outcome
			if o.Outcome == "failed" || o.Outcome == "dropped" {
				// Never broadcast or gone: none of its hashes may be on chain,
				// unless a later action signed the very same transaction
				// (same nonce, fees and data give the same hash) and says so.
				for _, h := range a.hashes {
					if other, ok := minedBy[strings.ToLower(h)]; ok && other != id {
						continue
					}
					if rc, err := r.chain.ec.TransactionReceipt(e2eCtx(r.t), common.HexToHash(h)); err == nil {
						r.t.Errorf("%s: action %s says %q but its transaction %s was mined in block %s (status %d): a lost answer was taken for a refusal",
							path, id, o.Outcome, h, rc.BlockNumber, rc.Status)
					}
				}
			}
			if o.Outcome == "mined" || o.Outcome == "reverted" {
				if isSigner {
					signerOutcomes++
				}
				h := o.MinedHash
				if h == "" && len(a.hashes) > 0 {
					h = a.hashes[len(a.hashes)-1]
				}
				rc, err := r.chain.ec.TransactionReceipt(e2eCtx(r.t), common.HexToHash(h))
				switch {
				case err != nil:
					r.t.Errorf("%s: action %s says %s in %s but the chain has no receipt: %v", path, id, o.Outcome, h, err)
				case (rc.Status == 1) != (o.Outcome == "mined"):
					r.t.Errorf("%s: action %s says %s but the receipt of %s has status %d", path, id, o.Outcome, h, rc.Status)
				case o.Block != 0 && rc.BlockNumber.Uint64() != o.Block:
					r.t.Errorf("%s: action %s says block %d, receipt says %s", path, id, o.Block, rc.BlockNumber)
				case o.BlockHash != "" && !strings.EqualFold(rc.BlockHash.Hex(), o.BlockHash):
					r.t.Errorf("%s: action %s says block hash %s, receipt says %s", path, id, o.BlockHash, rc.BlockHash.Hex())
				}
			}
		}
	}
	if sawSigner {
		if onChain := int(r.chain.nonce(r.signer.Addr)); onChain != signerOutcomes {
			r.t.Errorf("%s: the signer has %d transactions on chain, its journal accounts for %d mined or reverted", r.name, onChain, signerOutcomes)
		}
	}
	r.t.Logf("%s: journal checked (%d files, %d signer outcomes)", r.name, len(files), signerOutcomes)
	return true
}

func (r *faultRig) report() {
	st := r.proxy.Stats()
	r.t.Logf("%s: %d runs (%d attempts: %d hedge runs, %d watch cycles, %d close runs); %s", r.name, r.runs, r.attempts, r.hedgeRuns, r.watchCycles, r.closeRuns, st)
	if s := st.MethodString(); s != "" {
		r.t.Logf("%s: faults by method: %s", r.name, s)
	}
	faultTotals.Lock()
	defer faultTotals.Unlock()
	faultTotals.runs += r.runs
	faultTotals.attempts += r.attempts
	faultTotals.hedgeRuns += r.hedgeRuns
	faultTotals.watchCycles += r.watchCycles
	faultTotals.closeRuns += r.closeRuns
	faultTotals.stats = faultTotals.stats.Add(st)
}

// ------------------------------------------------------------------ tests

// TestE2EFaults runs the fault scenarios (one per kind, the dropped send on
// a chain that mines once a second, and the seeded random mix) in parallel,
// then logs the totals the README quotes. -short shrinks the round counts;
// it skips nothing.
func TestE2EFaults(t *testing.T) {
	t.Parallel()
	faultTotals.Lock()
	faultTotals.runs, faultTotals.attempts, faultTotals.hedgeRuns, faultTotals.watchCycles, faultTotals.closeRuns, faultTotals.blocks = 0, 0, 0, 0, 0, 0
	faultTotals.stats = faultrpc.Stats{}
	faultTotals.Unlock()
	t.Run("group", func(t *testing.T) {
		t.Run("kinds", func(t *testing.T) { t.Parallel(); testFaultKinds(t) })
		t.Run("slow_chain", func(t *testing.T) { t.Parallel(); testFaultDroppedSendSlowChain(t) })
		t.Run("random_mix", func(t *testing.T) { t.Parallel(); testFaultRandomMix(t) })
	})
	faultSummary(t)
}

func sendRaw() []string { return []string{"eth_sendRawTransaction"} }

// faultCases are the single-kind scenarios: a deterministic script on the
// transaction path (where a lost answer is dangerous) and, for some, a
// random rate on every other call.
var faultCases = []struct {
	kind  faultrpc.Kind
	rules []faultrpc.Rule
	anvil []string
}{
	{faultrpc.DropRequest, []faultrpc.Rule{
		{Kind: faultrpc.DropRequest, Methods: sendRaw(), Every: 2},
		{Kind: faultrpc.DropRequest, Prob: 0.03},
	}, nil},
	{faultrpc.DropResponse, []faultrpc.Rule{
		{Kind: faultrpc.DropResponse, Methods: sendRaw(), Every: 2},
		{Kind: faultrpc.DropResponse, Prob: 0.03},
	}, nil},
	{faultrpc.Delay, []faultrpc.Rule{
		{Kind: faultrpc.Delay, Methods: sendRaw(), Delay: 300 * time.Millisecond},
		{Kind: faultrpc.Delay, Prob: 0.2, Delay: 100 * time.Millisecond},
	}, nil},
	{faultrpc.HTTP5xx, []faultrpc.Rule{
		{Kind: faultrpc.HTTP5xx, Methods: sendRaw(), Every: 3, Forward: true, Status: 502},
		{Kind: faultrpc.HTTP5xx, Methods: sendRaw(), Skip: 1, Every: 3},
		{Kind: faultrpc.HTTP5xx, Prob: 0.03},
	}, nil},
	{faultrpc.RPCError, []faultrpc.Rule{
		{Kind: faultrpc.RPCError, Methods: sendRaw(), Every: 3},
		{Kind: faultrpc.RPCError, Methods: []string{"eth_getTransactionReceipt"}, Prob: 0.3},
		{Kind: faultrpc.RPCError, Methods: []string{"eth_call"}, BatchOnly: true, Prob: 0.2},
		{Kind: faultrpc.RPCError, Prob: 0.02},
	}, nil},
	{faultrpc.Truncate, []faultrpc.Rule{
		{Kind: faultrpc.Truncate, Methods: sendRaw(), Every: 2},
		{Kind: faultrpc.Truncate, BatchOnly: true, Prob: 0.3},
		{Kind: faultrpc.Truncate, Prob: 0.02},
	}, nil},
	// Half the requests lagging: a load balancer in front of a fresh and a
	// lagging node. (A head that always lags is self-consistent: the
	// confirmation wait then outlasts the lag.)
	{faultrpc.StaleHead, []faultrpc.Rule{{Kind: faultrpc.StaleHead, Lag: 3, Prob: 0.5}}, nil},
	{faultrpc.ReorderBatch, []faultrpc.Rule{{Kind: faultrpc.ReorderBatch}}, nil},
	{faultrpc.SplitBatch, []faultrpc.Rule{
		{Kind: faultrpc.SplitBatch, Prob: 0.3},
		{Kind: faultrpc.SplitBatch, Prob: 0.3, AsErrors: true},
	}, nil},
}

// testFaultKinds runs, for each fault kind, a first hedge and then rounds
// of spot and price moves answered alternately by `watch` and `hedge`, all
// through the proxy, and then scans every block.
func testFaultKinds(t *testing.T) {
	rounds := 4
	if testing.Short() {
		rounds = 2
	}
	for i, fc := range faultCases {
		fc := fc
		t.Run(string(fc.kind), func(t *testing.T) {
			r := newFaultRig(t, string(fc.kind), int64(100+i), fc.anvil...)
			if fc.kind == faultrpc.StaleHead {
				// Deterministic: a clean hedge, then at once a second run
				// whose node is 3 blocks behind, so it cannot see the first
				// run's last transactions.
				r.hedge()
				r.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.StaleHead, Lag: 3})
				r.hedgeAgain()
			}
			r.proxy.SetRules(fc.rules...)
			r.hedge()
			r.hedgeAgain()
			for round := 1; round <= rounds; round++ {
				r.moveSpot(r.spotETH.Mul(e2eD("0.2")).Round(4), r.spotBTC.Mul(e2eD("0.2")).Round(6))
				asset := []string{"ETH", "BTC"}[round%2]
				r.movePrice(asset, []decimal.Decimal{e2eD("1.02"), e2eD("0.97")}[round/2%2])
				if round%2 == 1 {
					r.watch(3)
				} else {
					r.hedge()
					r.hedgeAgain()
				}
			}
			// A last run on a clean network: it must find nothing to do.
			r.proxy.Pause(true)
			nonce := r.chain.nonce(r.signer.Addr)
			res := r.cli.ok(r.hedgerArgs("hedge", "--yes")...)
			if got := r.chain.nonce(r.signer.Addr); got != nonce {
				t.Errorf("a clean hedge after the faulty runs sent %d transaction(s):\n%s", got-nonce, res)
			}
			// Close everything under the same faults: a rerun after a lost
			// answer must never turn the short into a long.
			r.proxy.Pause(false)
			r.closeAll()
			r.proxy.Pause(true)
			r.checkHistory()
			if n := r.proxy.Injected(fc.kind); n == 0 {
				t.Errorf("no %s fault was injected", fc.kind)
			}
		})
	}
}

// testFaultDroppedSendSlowChain is the dangerous case on a chain that
// does not mine at once (like a real network): the answer to
// eth_sendRawTransaction is lost, the command fails, and the user reruns it
// at once, while the first transaction is still pending. A rerun that plans
// from the latest mined state alone sends the trade a second time. Anvil's
// automine is off once the rig is set up; blocks come only from pace (every
// faultPaceHedge-th request), so how long a transaction stays pending is
// counted in the hedger's requests, not in seconds.
func testFaultDroppedSendSlowChain(t *testing.T) {
	r := newFaultRig(t, "drop_response_slow_chain", 7)
	r.mineBetween = false
	automine := func(on bool) {
		t.Helper()
		if err := r.chain.rc.CallContext(e2eCtx(t), nil, "evm_setAutomine", on); err != nil {
			t.Fatalf("evm_setAutomine %v: %v", on, err)
		}
	}
	automine(false)
	r.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.DropResponse, Methods: sendRaw(), Every: 2})
	r.hedge()
	// devnet fund waits for its own receipts: mine at once while it runs.
	automine(true)
	r.moveSpot(e2eD("3"), e2eD("0.1"))
	automine(false)
	r.hedge()
	r.proxy.Pause(true)
	// Let every pending transaction be mined before the scan.
	for i := 0; i < 3; i++ {
		r.chain.rc.CallContext(e2eCtx(t), nil, "evm_mine")
	}
	r.checkHistory()
	if r.proxy.Injected(faultrpc.DropResponse) == 0 {
		t.Error("no response was dropped")
	}
}

// testFaultRandomMix runs many rounds with a seeded random mix of every
// fault kind (HEDGER_FAULT_SEED overrides the seed): each round moves spot
// or prices on anvil, picks `hedge` or `watch --max-cycles 2..5` and a fresh
// set of fault rates, and reruns the command until the hedge is on target.
func testFaultRandomMix(t *testing.T) {
	seed := int64(20261125)
	if s := os.Getenv("HEDGER_FAULT_SEED"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("HEDGER_FAULT_SEED=%q: %v", s, err)
		}
		seed = v
	}
	rounds := 40
	if testing.Short() {
		rounds = 12
	}
	t.Logf("random mix: seed %d, %d rounds (HEDGER_FAULT_SEED=%d reproduces it)", seed, rounds, seed)
	rng := rand.New(rand.NewSource(seed))
	r := newFaultRig(t, "random_mix", seed)
	r.hedge() // clean-ish start: rules are set below, before each round
	for round := 1; round <= rounds; round++ {
		// The environment: more spot (the cap only rises) or a price move.
		if rng.Float64() < 0.5 {
			eth := r.spotETH.Mul(decimal.NewFromFloat(0.08 + 0.15*rng.Float64())).Round(4)
			btc := decimal.Zero
			if rng.Float64() < 0.5 {
				btc = r.spotBTC.Mul(decimal.NewFromFloat(0.08 + 0.15*rng.Float64())).Round(6)
			}
			r.moveSpot(eth, btc)
		}
		if rng.Float64() < 0.6 {
			asset := []string{"ETH", "BTC"}[rng.Intn(2)]
			r.movePrice(asset, decimal.NewFromFloat(0.97+0.06*rng.Float64()).Round(4))
		}
		rules := randomRules(rng)
		r.proxy.SetRules(rules...)
		var kinds []string
		for _, ru := range rules {
			kinds = append(kinds, fmt.Sprintf("%s@%.3f", ru.Kind, ru.Prob))
		}
		t.Logf("round %d at block %d: faults %s", round, r.chain.block(), strings.Join(kinds, " "))
		if rng.Float64() < 0.35 {
			r.hedge()
			if rng.Float64() < 0.5 {
				r.hedgeAgain()
			}
		} else {
			r.watch(2 + rng.Intn(4))
		}
	}
	// Close everything under one more random network.
	r.proxy.SetRules(randomRules(rng)...)
	r.closeAll()
	r.proxy.Pause(true)
	r.checkHistory()
}

// randomRules draws one round's network: each kind with some probability,
// at a per-request rate low enough that a run of ~50 calls often succeeds.
func randomRules(rng *rand.Rand) []faultrpc.Rule {
	var rules []faultrpc.Rule
	rate := func() float64 { return 0.005 + 0.02*rng.Float64() }
	maybe := func(p float64, r faultrpc.Rule) {
		if rng.Float64() < p {
			rules = append(rules, r)
		}
	}
	maybe(0.3, faultrpc.Rule{Kind: faultrpc.StaleHead, Lag: uint64(1 + rng.Intn(3)), Prob: 0.5})
	maybe(0.5, faultrpc.Rule{Kind: faultrpc.DropResponse, Methods: sendRaw(), Prob: 0.3})
	maybe(0.3, faultrpc.Rule{Kind: faultrpc.HTTP5xx, Methods: sendRaw(), Forward: true, Prob: 0.2})
	maybe(0.5, faultrpc.Rule{Kind: faultrpc.DropRequest, Prob: rate()})
	maybe(0.5, faultrpc.Rule{Kind: faultrpc.DropResponse, Prob: rate()})
	maybe(0.5, faultrpc.Rule{Kind: faultrpc.Delay, Prob: 0.1, Delay: time.Duration(20+rng.Intn(150)) * time.Millisecond})
	maybe(0.5, faultrpc.Rule{Kind: faultrpc.HTTP5xx, Prob: rate()})
	maybe(0.5, faultrpc.Rule{Kind: faultrpc.RPCError, Prob: rate()})
	maybe(0.5, faultrpc.Rule{Kind: faultrpc.Truncate, Prob: rate()})
	maybe(0.6, faultrpc.Rule{Kind: faultrpc.ReorderBatch, Prob: 0.7})
	maybe(0.4, faultrpc.Rule{Kind: faultrpc.SplitBatch, Prob: 0.1, AsErrors: rng.Intn(2) == 0})
	return rules
}

func faultSummary(t *testing.T) {
	faultTotals.Lock()
	defer faultTotals.Unlock()
	st := faultTotals.stats
	t.Logf("fault injection summary: %d runs in %d attempts, %d cycles (%d hedge runs + %d watch cycles + %d close runs), %d blocks scanned; %s",
		faultTotals.runs, faultTotals.attempts, faultTotals.hedgeRuns+faultTotals.watchCycles+faultTotals.closeRuns, faultTotals.hedgeRuns,
		faultTotals.watchCycles, faultTotals.closeRuns, faultTotals.blocks, st)
	if s := st.MethodString(); s != "" {
		t.Logf("fault injection by method: %s", s)
	}
}
