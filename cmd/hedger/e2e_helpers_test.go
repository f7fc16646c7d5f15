package main

// Helpers for the end-to-end tests in e2e_test.go: build the hedger binary
// once, start anvil or geth --dev on a free loopback port, run the CLI with a
// clean environment, and read chain state independently of the CLI.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge"
)

// anvil's default accounts (mnemonic "test test ... junk").
const (
	e2eAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" // deployer
	e2eAnvilKey1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" // hedger signer
)

var (
	e2eBuildOnce sync.Once
	e2eBuildDir  string
	e2eBuildBin  string
	e2eBuildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if e2eBuildDir != "" {
		os.RemoveAll(e2eBuildDir)
	}
	os.Exit(code)
}

// e2eInCI reports whether the CI runner set CI=true: there a missing tool fails
// the test instead of skipping it.
func e2eInCI() bool { return os.Getenv("CI") == "true" }

// e2eSkipIfShort lets a developer run `go test -short` without nodes; CI
// always runs the end-to-end tests.
func e2eSkipIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() && !e2eInCI() {
		t.Skip("end-to-end test skipped with -short")
	}
}

// e2eHedgerBin builds ./ (cmd/hedger) once per test binary run.
func e2eHedgerBin(t *testing.T) string {
	t.Helper()
	e2eBuildOnce.Do(func() {
		e2eBuildDir, e2eBuildErr = os.MkdirTemp("", "hedger-e2e-bin-")
		if e2eBuildErr != nil {
			return
		}
		e2eBuildBin = filepath.Join(e2eBuildDir, "hedger")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		// The crash tests need the test-only crash hook (chain/crash.go),
		// which a release build leaves out.
		cmd := exec.CommandContext(ctx, "go", "build", "-tags", "hedger_crashtest", "-o", e2eBuildBin, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			e2eBuildErr = fmt.Errorf("go build ./cmd/hedger: %v\n%s", err, out)
		}
	})
	if e2eBuildErr != nil {
		t.Fatal(e2eBuildErr)
	}
	return e2eBuildBin
}

// e2eFindTool locates an external binary: $envVar, then PATH, then the
// fallback paths. Missing: fatal under CI=true, otherwise a skip naming the
// install command.
func e2eFindTool(t *testing.T, name, envVar, install string, fallbacks ...string) string {
	t.Helper()
	if p := os.Getenv(envVar); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s=%s: %v", envVar, p, err)
		}
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range fallbacks {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	// Provision it, as the README promises for a fresh machine: the install
	// commands fetch from npm or the Go module proxy only.
	e2eInstallMu.Lock()
	defer e2eInstallMu.Unlock()
	for _, p := range fallbacks {
		if st, err := os.Stat(p); p != "" && err == nil && !st.IsDir() {
			return p // installed by a parallel test while we waited
		}
	}
	root, _ := filepath.Abs("../..")
	t.Logf("%s not found: installing it with `%s` (once)", name, install)
	cmd := exec.Command("bash", "-c", install)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err == nil {
		for _, p := range fallbacks {
			if st, serr := os.Stat(p); p != "" && serr == nil && !st.IsDir() {
				return p
			}
		}
	}
	msg := fmt.Sprintf("%s not found and `%s` did not provide it (%v): %s", name, install, err, e2eTail(out, 500))
	if e2eInCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// e2eInstallMu serialises tool installs between parallel tests.
var e2eInstallMu sync.Mutex

func e2eAnvilPath(t *testing.T) string {
	t.Helper()
	root, _ := filepath.Abs("../..")
	return e2eFindTool(t, "anvil", "ANVIL_BIN", "npm --prefix contracts ci --no-audit --no-fund",
		filepath.Join(root, "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"))
}

func e2eGethPath(t *testing.T) string {
	t.Helper()
	var gopathBin string
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, p := range filepath.SplitList(strings.TrimSpace(string(out))) {
			gopathBin = filepath.Join(p, "bin", "geth")
			break
		}
	}
	return e2eFindTool(t, "geth", "GETH_BIN",
		"go install github.com/ethereum/go-ethereum/cmd/geth@$(go list -m -f '{{.Version}}' github.com/ethereum/go-ethereum)",
		gopathBin)
}

func e2eFreePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// node is a chain process started by a test.
type e2eNode struct {
	URL     string
	ChainID uint64
	cmd     *exec.Cmd
	log     string
	exited  chan struct{}
}

// e2eStartNode runs argsFor(port) on a free port until eth_chainId answers,
// retrying on another port if the first one was taken meanwhile.
func e2eStartNode(t *testing.T, what, bin string, argsFor func(port int) []string) *e2eNode {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port := e2eFreePort(t)
		logPath := filepath.Join(t.TempDir(), what+".log")
		logf, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, argsFor(port)...)
		cmd.Stdout, cmd.Stderr = logf, logf
		cmd.Dir = t.TempDir()
		if err := cmd.Start(); err != nil {
			logf.Close()
			t.Fatalf("starting %s: %v", what, err)
		}
		n := &e2eNode{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, log: logPath, exited: make(chan struct{})}
		go func() { cmd.Wait(); logf.Close(); close(n.exited) }()
		stop := func() {
			select {
			case <-n.exited:
				return
			default:
			}
			cmd.Process.Kill()
			select {
			case <-n.exited:
			case <-time.After(10 * time.Second):
				t.Logf("%s (pid %d) did not exit after kill", what, cmd.Process.Pid)
			}
		}
		id, err := e2eWaitRPC(n, 30*time.Second)
		if err != nil {
			stop()
			raw, _ := os.ReadFile(logPath)
			lastErr = fmt.Errorf("%s on port %d: %v\n--- %s log ---\n%s", what, port, err, what, e2eTail(raw, 4000))
			continue
		}
		n.ChainID = id
		t.Cleanup(func() {
			stop()
			if t.Failed() {
				raw, _ := os.ReadFile(logPath)
				t.Logf("--- %s log (tail) ---\n%s", what, e2eTail(raw, 4000))
			}
		})
		return n
	}
	t.Fatal(lastErr)
	return nil
}

func e2eTail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

func e2eWaitRPC(n *e2eNode, timeout time.Duration) (uint64, error) {
	deadline := time.Now().Add(timeout)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case <-n.exited:
			return 0, errors.New("exited before answering eth_chainId")
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := rpc.DialContext(ctx, n.URL)
		if err == nil {
			var id hexutil.Uint64
			err = c.CallContext(ctx, &id, "eth_chainId")
			c.Close()
			if err == nil {
				cancel()
				return uint64(id), nil
			}
		}
		cancel()
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	return 0, fmt.Errorf("eth_chainId did not answer within %s: %v", timeout, lastErr)
}

// e2eStartAnvil starts anvil (chain 31337 unless extra sets --chain-id).
func e2eStartAnvil(t *testing.T, extra ...string) *e2eNode {
	t.Helper()
	bin := e2eAnvilPath(t)
	return e2eStartNode(t, "anvil", bin, func(port int) []string {
		return append([]string{"--host", "127.0.0.1", "--port", fmt.Sprint(port), "--silent"}, extra...)
	})
}

// e2eStartGethDev starts geth --dev (chain 1337), mining on every transaction.
func e2eStartGethDev(t *testing.T) *e2eNode {
	t.Helper()
	bin := e2eGethPath(t)
	return e2eStartNode(t, "geth", bin, func(port int) []string {
		return []string{
			"--dev", "--dev.period", "0",
			"--datadir", t.TempDir(),
			"--http", "--http.addr", "127.0.0.1", "--http.port", fmt.Sprint(port),
			"--http.api", "eth,net,web3,debug,dev",
			"--authrpc.port", "0", "--port", "0", "--nodiscover", "--maxpeers", "0",
			"--ipcdisable", "--verbosity", "2",
		}
	})
}

// ---------------------------------------------------------------- the CLI

// e2eCLI runs the built binary with an environment built from scratch:
// only PATH, HOME, TMPDIR, HEDGER_DATA_DIR and what a test adds.
type e2eCLI struct {
	t       *testing.T
	bin     string
	dataDir string
	workDir string
	rpcURL  string
}

type e2eResult struct {
	args   []string
	code   int
	stdout string
	stderr string
	took   time.Duration
}

func (r e2eResult) String() string {
	return fmt.Sprintf("hedger %s\nexit %d after %s\n--- stdout ---\n%s--- stderr ---\n%s",
		strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond), r.stdout, r.stderr)
}

func e2eNewCLI(t *testing.T, rpcURL string) *e2eCLI {
	t.Helper()
	return &e2eCLI{t: t, bin: e2eHedgerBin(t), dataDir: t.TempDir(), workDir: t.TempDir(), rpcURL: rpcURL}
}

func (c *e2eCLI) env(extra []string) []string {
	home := filepath.Join(c.workDir, "home")
	os.MkdirAll(home, 0o755)
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"TMPDIR=" + os.TempDir(),
		"HEDGER_DATA_DIR=" + c.dataDir,
		"NO_COLOR=1",
	}
	return append(env, extra...)
}

// runEnv runs `hedger args...` with extra environment entries.
func (c *e2eCLI) runEnv(extra []string, args ...string) e2eResult {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Dir = c.workDir
	cmd.Env = c.env(extra)
	cmd.Stdin = nil
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := e2eResult{args: args, stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	if ctx.Err() != nil {
		c.t.Fatalf("timed out after %s:\n%s", r.took, r)
	}
	if r.took > 2*time.Second {
		c.t.Logf("slow: hedger %s took %s", strings.Join(args, " "), r.took.Round(time.Millisecond))
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		c.t.Fatalf("running hedger: %v", err)
	}
	return r
}

func (c *e2eCLI) run(args ...string) e2eResult { c.t.Helper(); return c.runEnv(nil, args...) }

// ok runs a command that must succeed.
func (c *e2eCLI) ok(args ...string) e2eResult {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("command failed:\n%s", r)
	}
	return r
}

// okJSON runs a command that must succeed and print one JSON document on
// stdout, decoded into v; it returns the result for more checks.
func (c *e2eCLI) okJSON(v any, args ...string) e2eResult {
	c.t.Helper()
	r := c.ok(args...)
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	if err := dec.Decode(v); err != nil {
		c.t.Fatalf("stdout is not the expected JSON (%v):\n%s", err, r)
	}
	return r
}

// fails runs a command that must exit non-zero with exactly one line on
// stderr starting "hedger: ".
func (c *e2eCLI) failsEnv(extra []string, args ...string) e2eResult {
	c.t.Helper()
	r := c.runEnv(extra, args...)
	if r.code == 0 {
		c.t.Errorf("expected a non-zero exit:\n%s", r)
		return r
	}
	e2eCheckOneLineError(c.t, r)
	return r
}

func (c *e2eCLI) fails(args ...string) e2eResult { c.t.Helper(); return c.failsEnv(nil, args...) }

func e2eCheckOneLineError(t *testing.T, r e2eResult) {
	t.Helper()
	msg := strings.TrimRight(r.stderr, "\r\n")
	switch {
	case msg == "":
		t.Errorf("stderr is empty; want one line starting \"hedger: \":\n%s", r)
	case strings.Contains(msg, "\n"):
		t.Errorf("stderr has %d lines; want exactly one starting \"hedger: \":\n%s", strings.Count(msg, "\n")+1, r)
	case !strings.HasPrefix(msg, "hedger: "):
		t.Errorf("stderr does not start with \"hedger: \":\n%s", r)
	}
}

// --------------------------------------------------------- JSON decoding

// e2eDec is a decimal the CLI must print as a JSON string; null is allowed and
// leaves Valid false.
type e2eDec struct {
	decimal.Decimal
	Valid bool
}

func (d *e2eDec) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("decimal %s is not a JSON string (spec: decimals are JSON strings)", b)
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("decimal string %q: %v", s, err)
	}
	d.Decimal, d.Valid = v, true
	return nil
}

// e2eUint accepts a number or a decimal string (the spec does not say which).
type e2eUint uint64

func (u *e2eUint) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	var v uint64
	if _, err := fmt.Sscan(s, &v); err != nil {
		return fmt.Errorf("integer %s: %v", b, err)
	}
	*u = e2eUint(v)
	return nil
}

type e2eBook struct {
	ChainID    e2eUint `json:"chain_id"`
	Venue      string  `json:"venue"`
	Collateral struct {
		Symbol   string `json:"symbol"`
		Address  string `json:"address"`
		Decimals int    `json:"decimals"`
	} `json:"collateral"`
	Tokens []struct {
		Symbol   string `json:"symbol"`
		Address  string `json:"address"`
		Decimals int    `json:"decimals"`
		Asset    string `json:"asset"`
	} `json:"tokens"`
	Markets []struct {
		Asset        string `json:"asset"`
		ID           uint64 `json:"id"`
		Feed         string `json:"feed"`
		FeedDecimals int    `json:"feed_decimals"`
	} `json:"markets"`
}

func (b *e2eBook) token(sym string) (common.Address, int, bool) {
	for _, tk := range b.Tokens {
		if strings.EqualFold(tk.Symbol, sym) {
			return common.HexToAddress(tk.Address), tk.Decimals, true
		}
	}
	return common.Address{}, 0, false
}

func (b *e2eBook) marketID(asset string) (uint64, bool) {
	for _, m := range b.Markets {
		if strings.EqualFold(m.Asset, asset) {
			return m.ID, true
		}
	}
	return 0, false
}

// e2eAssetKeys are the fields the spec lists for each asset of
// `status --json`. "note" is left out: the CLI omits it when empty.
var e2eAssetKeys = []string{
	"asset", "spot_amount", "spot_value_usd", "short_size", "short_notional_usd", "target_size",
	"hedge_ratio", "drift", "within_band", "index_price", "mark_price", "basis_bps",
	"funding_rate_per_hour", "funding_apr", "margin", "accrued_funding", "equity", "leverage",
	"liquidation_price", "liquidation_distance", "unrealized_pnl", "paused", "funding_suspended",
}

type e2eAsset struct {
	Asset              string `json:"asset"`
	SpotAmount         e2eDec `json:"spot_amount"`
	SpotValueUSD       e2eDec `json:"spot_value_usd"`
	ShortSize          e2eDec `json:"short_size"`
	TargetSize         e2eDec `json:"target_size"`
	HedgeRatio         e2eDec `json:"hedge_ratio"`
	Drift              e2eDec `json:"drift"`
	WithinBand         bool   `json:"within_band"`
	IndexPrice         e2eDec `json:"index_price"`
	MarkPrice          e2eDec `json:"mark_price"`
	BasisBps           e2eDec `json:"basis_bps"`
	FundingRatePerHour e2eDec `json:"funding_rate_per_hour"`
	FundingAPR         e2eDec `json:"funding_apr"`
	AccruedFunding     e2eDec `json:"accrued_funding"`
	Margin             e2eDec `json:"margin"`
	Equity             e2eDec `json:"equity"`
	Leverage           e2eDec `json:"leverage"`
	UnrealizedPnL      e2eDec `json:"unrealized_pnl"`
	Paused             bool   `json:"paused"`
	Note               string `json:"note"`
}

type e2eStatus struct {
	ChainID          e2eUint `json:"chain_id"`
	Block            e2eUint `json:"block"`
	Account          string  `json:"account"`
	Collateral       e2eDec  `json:"collateral"`
	CollateralSymbol string  `json:"collateral_symbol"`
	Holdings         []struct {
		Wallet string `json:"wallet"`
		Asset  string `json:"asset"`
		Token  string `json:"token"`
		Amount e2eDec `json:"amount"`
	} `json:"holdings"`
	Assets []e2eAsset `json:"assets"`
}

func (s e2eStatus) asset(t *testing.T, sym string) e2eAsset {
	t.Helper()
	for _, a := range s.Assets {
		if strings.EqualFold(a.Asset, sym) {
			return a
		}
	}
	t.Fatalf("status has no asset %q (assets: %+v)", sym, s.Assets)
	return e2eAsset{}
}

type e2eAction struct {
	Kind            string `json:"kind"`
	Asset           string `json:"asset"`
	Amount          e2eDec `json:"amount"`
	SizeDelta       e2eDec `json:"size_delta"`
	AcceptablePrice e2eDec `json:"acceptable_price"`
	Reason          string `json:"reason"`
	Tx              string `json:"tx"`
	Gas             uint64 `json:"gas"`
}

type e2ePlan struct {
	Block       e2eUint     `json:"block"`
	NothingToDo bool        `json:"nothing_to_do"`
	Assets      []e2eAsset  `json:"assets"`
	Actions     []e2eAction `json:"actions"`
}

// e2eCheckKeys fails when the JSON object raw lacks any of keys.
func e2eCheckKeys(t *testing.T, what string, raw []byte, keys ...string) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Errorf("%s: not a JSON object: %v", what, err)
		return
	}
	var missing []string
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s: missing spec fields %v", what, missing)
	}
}

// e2eCheckShape checks the spec's field names in a status or plan output.
func e2eCheckShape(t *testing.T, what, stdout string, top ...string) {
	t.Helper()
	e2eCheckKeys(t, what, []byte(stdout), top...)
	var doc struct {
		Assets []json.RawMessage `json:"assets"`
	}
	if json.Unmarshal([]byte(stdout), &doc) != nil {
		return
	}
	for i, a := range doc.Assets {
		e2eCheckKeys(t, fmt.Sprintf("%s assets[%d]", what, i), a, e2eAssetKeys...)
	}
}

// ------------------------------------------------------- chain, read-only

// e2eChain reads state straight from the node, independently of the CLI.
type e2eChain struct {
	t  *testing.T
	ec *ethclient.Client
	rc *rpc.Client
}

func e2eNewChain(t *testing.T, url string) *e2eChain {
	t.Helper()
	rc, err := rpc.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Close)
	return &e2eChain{t: t, ec: ethclient.NewClient(rc), rc: rc}
}

func e2eCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func (c *e2eChain) nonce(a common.Address) uint64 {
	c.t.Helper()
	n, err := c.ec.PendingNonceAt(e2eCtx(c.t), a)
	if err != nil {
		c.t.Fatalf("nonce of %s: %v", a.Hex(), err)
	}
	return n
}

func (c *e2eChain) block() uint64 {
	c.t.Helper()
	n, err := c.ec.BlockNumber(e2eCtx(c.t))
	if err != nil {
		c.t.Fatalf("block number: %v", err)
	}
	return n
}

// e2eHistBatch is one JSON-RPC batch of historical reads over many blocks:
// each call is tagged with the block being queued (tag), and decoders run
// once the whole batch is answered.
type e2eHistBatch struct {
	tag    string
	elems  []rpc.BatchElem
	decode []func() error
}

// add queues method(args...) into result, then decode (nil: nothing to do).
func (b *e2eHistBatch) add(method string, args []any, result any, decode func() error) {
	if decode == nil {
		decode = func() error { return nil }
	}
	b.elems = append(b.elems, rpc.BatchElem{Method: method, Args: args, Result: result})
	b.decode = append(b.decode, decode)
}

// call queues eth_call of data on to at the block; dec gets the return data.
func (b *e2eHistBatch) call(to common.Address, data []byte, dec func([]byte) error) {
	var res hexutil.Bytes
	b.add("eth_call", []any{map[string]any{"to": to, "input": hexutil.Bytes(data)}, b.tag}, &res, func() error { return dec(res) })
}

// balance queues eth_getBalance of a at the block into dst.
func (b *e2eHistBatch) balance(a common.Address, dst func(wei *big.Int)) {
	var res hexutil.Big
	b.add("eth_getBalance", []any{a, b.tag}, &res, func() error { dst((*big.Int)(&res)); return nil })
}

// history reads blocks from..to (inclusive), 40 blocks per JSON-RPC batch:
// queue adds one block's calls; any error or undecodable answer is fatal.
func (c *e2eChain) history(from, to uint64, queue func(b *e2eHistBatch, block uint64)) {
	c.t.Helper()
	for lo := from; lo <= to; lo += 40 {
		hi := min(lo+39, to)
		var b e2eHistBatch
		for n := lo; n <= hi; n++ {
			b.tag = hexutil.EncodeUint64(n)
			queue(&b, n)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		err := c.rc.BatchCallContext(ctx, b.elems)
		cancel()
		if err != nil {
			c.t.Fatalf("reading blocks %d..%d: %v", lo, hi, err)
		}
		for k, e := range b.elems {
			if e.Error != nil {
				c.t.Fatalf("reading blocks %d..%d: %s: %v", lo, hi, e.Method, e.Error)
			}
			if err := b.decode[k](); err != nil {
				c.t.Fatalf("reading blocks %d..%d: decoding %s: %v", lo, hi, e.Method, err)
			}
		}
	}
}

func (c *e2eChain) nativeBalance(a common.Address) decimal.Decimal {
	c.t.Helper()
	b, err := c.ec.BalanceAt(e2eCtx(c.t), a, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return decimal.NewFromBigInt(b, -18)
}

func (c *e2eChain) call(to common.Address, data []byte) []byte {
	c.t.Helper()
	out, err := c.ec.CallContract(e2eCtx(c.t), ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		c.t.Fatalf("eth_call %s: %v", to.Hex(), err)
	}
	return out
}

func (c *e2eChain) tokenBalance(token common.Address, decimals int, holder common.Address) decimal.Decimal {
	c.t.Helper()
	tk := contracts.NewTestToken()
	v, err := tk.UnpackBalanceOf(c.call(token, tk.PackBalanceOf(holder)))
	if err != nil {
		c.t.Fatal(err)
	}
	return decimal.NewFromBigInt(v, -int32(decimals))
}

// position returns the venue's own view of account's position: signed size
// and margin, both in whole units (wad on chain).
func (c *e2eChain) position(venue common.Address, account common.Address, market uint64) (size, margin decimal.Decimal) {
	c.t.Helper()
	pv := contracts.NewPerpVenue()
	v, err := pv.UnpackGetPosition(c.call(venue, pv.PackGetPosition(account, new(big.Int).SetUint64(market))))
	if err != nil {
		c.t.Fatal(err)
	}
	return decimal.NewFromBigInt(v.Size, -18), decimal.NewFromBigInt(v.Margin, -18)
}

// checkReceipts checks that every tx hash exists and succeeded.
func (c *e2eChain) checkReceipts(actions []e2eAction) {
	c.t.Helper()
	for i, a := range actions {
		if len(a.Tx) != 66 || !strings.HasPrefix(a.Tx, "0x") {
			c.t.Errorf("action %d (%s %s): tx %q is not a 0x-prefixed 32-byte hash", i, a.Kind, a.Asset, a.Tx)
			continue
		}
		r, err := c.ec.TransactionReceipt(e2eCtx(c.t), common.HexToHash(a.Tx))
		if err != nil {
			c.t.Errorf("action %d (%s %s): receipt of %s: %v", i, a.Kind, a.Asset, a.Tx, err)
			continue
		}
		if r.Status != 1 {
			c.t.Errorf("action %d (%s %s): tx %s reverted", i, a.Kind, a.Asset, a.Tx)
		}
	}
}

// ------------------------------------------------------------------ keys

type e2eAccount struct {
	Key  string // 0x-prefixed hex private key
	Addr common.Address
}

func e2eAccountFromHex(t *testing.T, hexKey string) e2eAccount {
	t.Helper()
	k, err := crypto.HexToECDSA(strings.TrimPrefix(hexKey, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return e2eAccount{Key: hexKey, Addr: crypto.PubkeyToAddress(k.PublicKey)}
}

func e2eNewAccount(t *testing.T) e2eAccount {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return e2eAccount{Key: hexutil.Encode(crypto.FromECDSA(k)), Addr: crypto.PubkeyToAddress(k.PublicKey)}
}

// ------------------------------------------------------------ decimals

func e2eD(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// e2eNear reports whether got is within rel (fraction) of want.
func e2eNear(got, want decimal.Decimal, rel string) bool {
	if want.IsZero() {
		return got.IsZero()
	}
	return got.Sub(want).Abs().Div(want.Abs()).LessThanOrEqual(e2eD(rel))
}

// e2eBadChecksum flips the case of one letter of a checksummed address, so
// that it is mixed-case but fails EIP-55.
func e2eBadChecksum(t *testing.T, a common.Address) string {
	t.Helper()
	s := []byte(a.Hex())
	for i := 2; i < len(s); i++ {
		switch {
		case s[i] >= 'a' && s[i] <= 'f':
			s[i] -= 'a' - 'A'
		case s[i] >= 'A' && s[i] <= 'F':
			s[i] += 'a' - 'A'
		default:
			continue
		}
		out := string(s)
		if out == a.Hex() || strings.ToLower(out) == out || strings.ToUpper(out[2:]) == out[2:] {
			t.Fatalf("could not make a bad checksum from %s", a.Hex())
		}
		return out
	}
	t.Fatalf("address %s has no letter to flip", a.Hex())
	return ""
}

// ------------------------------------------------- a spot chain beside it

// e2eSpotRig is a venue chain (anvil, PerpVenue deployed, the signer funded
// with 100000 USDC) and a spot chain beside it: anvil with Ethereum's chain
// ID and the real Ethereum book (plus a books file's tokens, when given)
// installed at its addresses, where a watch-only cold wallet holds.
type e2eSpotRig struct {
	t                *testing.T
	venue, spot      *e2eNode
	cli              *e2eCLI
	chain            *e2eChain // the venue chain
	deployer, signer e2eAccount
	cold             string
	booksFile        string // "" for the built-in book alone
}

// e2eStartSpotRig installs the books on chain 1 with the feed prices given
// ("ETH/USD=3000"), mints the cold wallet's holdings there ("WBTC=0.5"),
// and deploys the venue.
func e2eStartSpotRig(t *testing.T, booksFile string, prices []string, holdings ...string) *e2eSpotRig {
	t.Helper()
	e2eSkipIfShort(t)
	venue := e2eStartAnvil(t)
	s := &e2eSpotRig{t: t, venue: venue, spot: e2eStartAnvil(t, "--chain-id", "1"), cli: e2eNewCLI(t, venue.URL),
		chain: e2eNewChain(t, venue.URL), deployer: e2eAccountFromHex(t, e2eAnvilKey0), signer: e2eAccountFromHex(t, e2eAnvilKey1),
		cold: e2eNewAccount(t).Addr.Hex(), booksFile: booksFile}
	install := []string{"devnet", "install-books", "--rpc-url", s.spot.URL}
	if booksFile != "" {
		install = append(install, "--books-file", booksFile)
	}
	for _, p := range prices {
		install = append(install, "--price", p)
	}
	s.cli.ok(install...)
	s.mint(holdings...)
	s.cli.ok("deploy", "--rpc-url", venue.URL, "--private-key", s.deployer.Key)
	s.cli.ok("devnet", "fund", s.signer.Addr.Hex(), "--rpc-url", venue.URL, "--private-key", s.deployer.Key, "--usdc", "100000")
	return s
}

// mint adds holdings ("ETH=5") to the cold wallet on chain 1.
func (s *e2eSpotRig) mint(holdings ...string) {
	s.t.Helper()
	args := []string{"devnet", "mint-real", "--rpc-url", s.spot.URL}
	if s.booksFile != "" {
		args = append(args, "--books-file", s.booksFile)
	}
	s.cli.ok(append(append(args, s.cold), holdings...)...)
}

// e2eSpotChainJSON is one entry of `status --json`'s spot_chains.
type e2eSpotChainJSON struct {
	ChainID    e2eUint `json:"chain_id"`
	Block      e2eUint `json:"block"`
	RoundTrips int64   `json:"round_trips"`
}

// e2eRiskAlerts are the JSON log lines of `watch --log-format json` that
// raise a risk alert of kind.
func e2eRiskAlerts(stderr string, kind hedge.AlertKind) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(stderr))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Msg  string `json:"msg"`
			Kind string `json:"kind"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "risk alert" && line.Kind == string(kind) {
			out = append(out, sc.Text())
		}
	}
	return out
}
