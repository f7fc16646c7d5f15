package main

// End-to-end test of the external signer: hedger signs through a real Clef
// (v1.17.3, the last release that ships clef) on anvil. Clef is set up
// without a terminal: passwords go in line by line on stdin, which clef
// reads that way when stdin is not a TTY; auto-approval comes from an
// attested rules file.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
)

const (
	e2eClefVersion  = "v1.17.3"
	e2eClefMasterPW = "e2e-clef-master-pw-5b1c" // clef wants >= 10 characters
	e2eClefAcctPW   = "e2e-clef-account-pw-9d2e"
	e2eClefApprove  = `function ApproveListing(r) { return "Approve" }
function ApproveTx(r) { return "Approve" }
function OnSignerStartup(info) {}
function OnApprovedTx(r) {}
`
	e2eClefReject = `function ApproveListing(r) { return "Approve" }
function ApproveTx(r) { return "Reject" }
function OnSignerStartup(info) {}
`
)

// e2eClefPath finds clef ($CLEF_BIN, PATH, $GOBIN or $GOPATH/bin), installing
// it with go install when missing.
func e2eClefPath(t *testing.T) string {
	t.Helper()
	var fallbacks []string
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) > 0 && strings.TrimSpace(lines[0]) != "" {
			fallbacks = append(fallbacks, filepath.Join(strings.TrimSpace(lines[0]), "clef"))
		}
		if len(lines) > 1 {
			for _, p := range filepath.SplitList(strings.TrimSpace(lines[1])) {
				fallbacks = append(fallbacks, filepath.Join(p, "bin", "clef"))
				break
			}
		}
	}
	return e2eFindTool(t, "clef", "CLEF_BIN", "go install github.com/ethereum/go-ethereum/cmd/clef@"+e2eClefVersion, fallbacks...)
}

// e2eClef is a running clef serving one keystore account over HTTP.
type e2eClef struct {
	URL  string
	Addr common.Address
}

// e2eStartClef initialises clef in temp dirs with acct's key, stores the
// account password, attests rules and serves clef on a free port until
// account_list answers. It is killed at cleanup.
func e2eStartClef(t *testing.T, chainID uint64, acct e2eAccount, rules string) *e2eClef {
	t.Helper()
	bin := e2eClefPath(t)
	dir := t.TempDir()
	cfg, ksDir := filepath.Join(dir, "config"), filepath.Join(dir, "keystore")
	key, err := crypto.HexToECDSA(strings.TrimPrefix(acct.Key, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.NewKeyStore(ksDir, keystore.LightScryptN, keystore.LightScryptP).ImportECDSA(key, e2eClefAcctPW); err != nil {
		t.Fatal(err)
	}
	base := []string{"--configdir", cfg, "--keystore", ksDir, "--chainid", fmt.Sprint(chainID),
		"--lightkdf", "--suppress-bootwarn"}
	run := func(stdin string, args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append(append([]string{}, base...), args...)...)
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("clef %s: %v\n%s", args[0], err, out)
		}
	}
	// init: the master password, twice. setpw: the account password twice,
	// then the master password. attest: the master password.
	run(e2eClefMasterPW+"\n"+e2eClefMasterPW+"\n", "init")
	run(e2eClefAcctPW+"\n"+e2eClefAcctPW+"\n"+e2eClefMasterPW+"\n", "setpw", acct.Addr.Hex())
	rulesPath := filepath.Join(dir, "rules.js")
	if err := os.WriteFile(rulesPath, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(rules))
	run(e2eClefMasterPW+"\n", "attest", hex.EncodeToString(sum[:]))

	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port := e2eFreePort(t)
		c, err := e2eRunClef(t, bin, dir, append(append([]string{}, base...), "--nousb", "--ipcdisable", "--rules", rulesPath,
			"--http", "--http.addr", "127.0.0.1", "--http.port", fmt.Sprint(port),
			"--auditlog", filepath.Join(dir, "audit.log"), "--4bytedb-custom", filepath.Join(dir, "4byte.json")), port, acct.Addr)
		if err == nil {
			return c
		}
		lastErr = err
	}
	t.Fatal(lastErr)
	return nil
}

func e2eRunClef(t *testing.T, bin, dir string, args []string, port int, addr common.Address) (*e2eClef, error) {
	t.Helper()
	logPath := filepath.Join(dir, fmt.Sprintf("clef-%d.log", port))
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, logf, logf
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("starting clef: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(exited) }()
	stop := func() {
		stdin.Close()
		cmd.Process.Kill()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Logf("clef (pid %d) did not exit after kill", cmd.Process.Pid)
		}
	}
	// The master password unlocks the stored account password and the rules'
	// attestation. stdin stays open: clef's console UI exits on EOF.
	io.WriteString(stdin, e2eClefMasterPW+"\n")
	c := &e2eClef{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Addr: addr}
	fail := func(err error) (*e2eClef, error) {
		stop()
		raw, _ := os.ReadFile(logPath)
		return nil, fmt.Errorf("clef on port %d: %v\n--- clef log ---\n%s", port, err, e2eTail(raw, 4000))
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-exited:
			return fail(fmt.Errorf("exited before answering account_list"))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		var accts []common.Address
		rc, err := rpc.DialContext(ctx, c.URL)
		if err == nil {
			err = rc.CallContext(ctx, &accts, "account_list")
			rc.Close()
		}
		cancel()
		if err == nil {
			if len(accts) != 1 || accts[0] != addr {
				return fail(fmt.Errorf("account_list = %v, want [%s]", accts, addr.Hex()))
			}
			break
		}
		if time.Now().After(deadline) {
			return fail(fmt.Errorf("account_list did not answer: %v", err))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Without its rules clef would ask on stdin and the test would hang.
	if raw, _ := os.ReadFile(logPath); !strings.Contains(string(raw), "Rule engine configured") {
		return fail(fmt.Errorf("clef runs without its rules"))
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			raw, _ := os.ReadFile(logPath)
			t.Logf("--- clef log (tail) ---\n%s", e2eTail(raw, 4000))
		}
	})
	return c, nil
}

// TestE2EClef hedges through clef: listing its accounts, a hedge signed by
// clef, an idempotent re-hedge and a close; then a clef whose rules reject
// and an unreachable signer, neither of which sends anything.
func TestE2EClef(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	start := time.Now()
	defer func() { t.Logf("clef scenario took %s", time.Since(start).Round(time.Millisecond)) }()
	n := e2eStartAnvil(t)
	cli := e2eNewCLI(t, n.URL)
	ch := e2eNewChain(t, n.URL)
	var outputs []string
	keep := func(r e2eResult) e2eResult { outputs = append(outputs, r.stdout, r.stderr); return r }
	with := func(args ...string) []string { return append(append([]string{}, args...), "--rpc-url", n.URL) }

	acct, rejecter := e2eNewAccount(t), e2eNewAccount(t)
	clef := e2eStartClef(t, n.ChainID, acct, e2eClefApprove)
	deployer := e2eAccountFromHex(t, e2eAnvilKey0)
	spot := e2eNewAccount(t).Addr.Hex()
	keep(cli.ok(with("deploy", "--private-key", deployer.Key)...))
	keep(cli.ok(with("devnet", "fund", spot, "--eth", "4", "--private-key", deployer.Key)...))
	for _, a := range []e2eAccount{acct, rejecter} {
		keep(cli.ok(with("devnet", "fund", a.Addr.Hex(), "--eth", "10", "--usdc", "100000", "--private-key", deployer.Key)...))
	}

	// accounts lists what clef offers.
	r := keep(cli.ok("accounts", "--signer", clef.URL))
	if !strings.Contains(r.stdout, clef.Addr.Hex()) {
		t.Errorf("accounts --signer does not list %s:\n%s", clef.Addr.Hex(), r)
	}
	var listed struct {
		Accounts []struct {
			Address string `json:"address"`
		} `json:"accounts"`
	}
	r = keep(cli.okJSON(&listed, "accounts", "--signer", clef.URL, "--json"))
	if len(listed.Accounts) != 1 || !strings.EqualFold(listed.Accounts[0].Address, clef.Addr.Hex()) {
		t.Errorf("accounts --signer --json: %+v, want [%s]", listed.Accounts, clef.Addr.Hex())
	}

	// The hedge, signed by clef.
	signer := []string{"--signer", clef.URL, "--wallet", spot}
	nonce0 := ch.nonce(clef.Addr)
	var hedged e2ePlan
	keep(cli.okJSON(&hedged, append(with("hedge", "--yes", "--json"), signer...)...))
	if hedged.NothingToDo || len(hedged.Actions) == 0 {
		t.Fatalf("hedge through clef did nothing: %+v", hedged)
	}
	ch.checkReceipts(hedged.Actions)
	if got := ch.nonce(clef.Addr); got != nonce0+uint64(len(hedged.Actions)) {
		t.Errorf("hedge reported %d actions, clef's account nonce moved %d", len(hedged.Actions), got-nonce0)
	}
	var st e2eStatus
	keep(cli.okJSON(&st, append(with("status", "--json"), signer...)...))
	if !strings.EqualFold(st.Account, clef.Addr.Hex()) {
		t.Errorf("status account %q, want clef's %s", st.Account, clef.Addr.Hex())
	}
	if a := st.asset(t, "ETH"); !e2eNear(a.ShortSize.Decimal, e2eD("4"), "0.05") || !e2eNear(a.ShortSize.Decimal, a.TargetSize.Decimal, "0.05") {
		t.Errorf("ETH short %s target %s after the clef hedge, want ~4", a.ShortSize, a.TargetSize)
	}

	// Again, with the URL from HEDGER_SIGNER and --from: nothing to send.
	nonce1 := ch.nonce(clef.Addr)
	r = keep(cli.runEnv([]string{"HEDGER_SIGNER=" + clef.URL}, with("hedge", "--yes", "--wallet", spot, "--from", clef.Addr.Hex())...))
	if r.code != 0 || !strings.Contains(r.stdout+r.stderr, "within band, nothing to do") {
		t.Errorf("second hedge (HEDGER_SIGNER) was not a no-op:\n%s", r)
	}
	if got := ch.nonce(clef.Addr); got != nonce1 {
		t.Errorf("second hedge sent %d transaction(s)", got-nonce1)
	}

	// --from an account clef does not hold.
	r = keep(cli.fails(append(with("hedge", "--yes", "--from", rejecter.Addr.Hex()), signer...)...))
	if !strings.Contains(r.stderr, "does not offer account "+rejecter.Addr.Hex()) {
		t.Errorf("--from an account clef lacks:\n%s", r)
	}

	// close through clef.
	keep(cli.ok(with("close", "--yes", "--signer", clef.URL)...))
	keep(cli.okJSON(&st, append(with("status", "--json"), signer...)...))
	if a := st.asset(t, "ETH"); !a.ShortSize.IsZero() || !a.Margin.IsZero() {
		t.Errorf("after close through clef: ETH short %s margin %s, want 0", a.ShortSize, a.Margin)
	}

	// deploy and devnet through clef too (into a second data dir): contract
	// creations, and addMarket's tuple and pushAnswer, which clef's 4-byte
	// database lacks.
	cli2 := e2eNewCLI(t, n.URL)
	var book e2eBook
	keep(cli2.okJSON(&book, with("deploy", "--json", "--signer", clef.URL)...))
	if _, ok := book.marketID("ETH"); !ok {
		t.Errorf("deploy through clef: no ETH market in %+v", book.Markets)
	}
	keep(cli2.ok(with("devnet", "set-price", "ETH", "2500", "--signer", clef.URL)...))
	keep(cli2.okJSON(&st, append(with("status", "--json"), signer...)...))
	if a := st.asset(t, "ETH"); !a.IndexPrice.Equal(e2eD("2500")) {
		t.Errorf("ETH index %s after set-price through clef, want 2500", a.IndexPrice)
	}

	// A clef whose rules reject: one line, nothing sent.
	refuser := e2eStartClef(t, n.ChainID, rejecter, e2eClefReject)
	nonceR, block := ch.nonce(rejecter.Addr), ch.block()
	r = keep(cli.fails(with("hedge", "--yes", "--signer", refuser.URL, "--wallet", spot)...))
	t.Logf("rejected: %s", strings.TrimSpace(r.stderr))
	if !strings.Contains(r.stderr, "external signer refused to sign: request denied") {
		t.Errorf("rejection by clef's rules:\n%s", r)
	}
	if got := ch.nonce(rejecter.Addr); got != nonceR {
		t.Errorf("rejected hedge sent %d transaction(s)", got-nonceR)
	}
	if got := ch.block(); got != block {
		t.Errorf("rejected hedge: chain moved from block %d to %d", block, got)
	}

	// Nothing listens: unreachable.
	dead := fmt.Sprintf("http://127.0.0.1:%d", e2eFreePort(t))
	r = keep(cli.fails(with("hedge", "--yes", "--signer", dead, "--wallet", spot)...))
	t.Logf("unreachable: %s", strings.TrimSpace(r.stderr))
	if !strings.Contains(r.stderr, "external signer at "+dead+" unreachable") {
		t.Errorf("unreachable signer:\n%s", r)
	}

	// clef's passwords and keys never reach hedger's output.
	all := strings.ToLower(strings.Join(outputs, "\n"))
	for what, secret := range map[string]string{"master password": e2eClefMasterPW, "account password": e2eClefAcctPW,
		"key": strings.TrimPrefix(acct.Key, "0x"), "rejecter key": strings.TrimPrefix(rejecter.Key, "0x")} {
		if strings.Contains(all, strings.ToLower(secret)) {
			t.Errorf("the %s appears in hedger's output", what)
		}
	}
}
