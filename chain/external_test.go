package chain

// Tests of ExternalSigner against a real Clef (v1.17.3, the last release
// that ships it), initialised non-interactively in temp dirs. They skip when
// clef is missing, except under CI=true where .ci/run installs it.

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hedger/hedger/contracts"
)

const (
	clefTestMasterPW = "clef-master-password" // >= 10 characters, as clef requires
	clefTestAcctPW   = "clef-account-password"
	clefRulesApprove = `function ApproveListing(r) { return "Approve" }
function ApproveTx(r) { return "Approve" }
function OnSignerStartup(info) {}
function OnApprovedTx(r) {}
`
	clefRulesReject = `function ApproveListing(r) { return "Approve" }
function ApproveTx(r) { return "Reject" }
function OnSignerStartup(info) {}
`
)

func clefBin(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CLEF_BIN"); p != "" {
		return p
	}
	if p, err := exec.LookPath("clef"); err == nil {
		return p
	}
	gopathClef := func() string {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			for _, d := range filepath.SplitList(strings.TrimSpace(string(out))) {
				if p := filepath.Join(d, "bin", "clef"); fileExists(p) {
					return p
				}
			}
		}
		return ""
	}
	if p := gopathClef(); p != "" {
		return p
	}
	// Provision it as the README promises (Go module proxy only), once.
	const install = "github.com/ethereum/go-ethereum/cmd/clef@v1.17.3"
	t.Logf("clef not found: go install %s", install)
	out, err := exec.Command("go", "install", install).CombinedOutput()
	if p := gopathClef(); err == nil && p != "" {
		return p
	}
	msg := fmt.Sprintf("clef not found (CLEF_BIN, PATH, $GOPATH/bin) and go install %s failed: %v %s", install, err, out)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

type testClef struct {
	URL  string
	Addr common.Address
}

// startTestClef initialises a clef holding key, with rules auto-approving
// listings and approving or rejecting transactions, and serves it over HTTP.
func startTestClef(t *testing.T, key *ecdsa.PrivateKey, chainID uint64, rules string) *testClef {
	t.Helper()
	bin := clefBin(t)
	dir := t.TempDir()
	cfg, ksDir := filepath.Join(dir, "config"), filepath.Join(dir, "keystore")
	ks := keystore.NewKeyStore(ksDir, keystore.LightScryptN, keystore.LightScryptP)
	acct, err := ks.ImportECDSA(key, clefTestAcctPW)
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--configdir", cfg, "--keystore", ksDir, "--chainid", fmt.Sprint(chainID),
		"--lightkdf", "--suppress-bootwarn", "--loglevel", "3"}
	run := func(stdin string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, append(append([]string{}, base...), args...)...)
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("clef %s: %v\n%s", args[0], err, out)
		}
	}
	// Passwords are read line by line from stdin when it is not a terminal.
	run(clefTestMasterPW+"\n"+clefTestMasterPW+"\n", "init")
	run(clefTestAcctPW+"\n"+clefTestAcctPW+"\n"+clefTestMasterPW+"\n", "setpw", acct.Address.Hex())
	rulesPath := filepath.Join(dir, "rules.js")
	if err := os.WriteFile(rulesPath, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(rules))
	run(clefTestMasterPW+"\n", "attest", hex.EncodeToString(sum[:]))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	logPath := filepath.Join(dir, "clef.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append(append([]string{}, base...), "--nousb", "--ipcdisable", "--rules", rulesPath,
		"--http", "--http.addr", "127.0.0.1", "--http.port", fmt.Sprint(port),
		"--auditlog", "", "--4bytedb-custom", filepath.Join(dir, "4byte.json"))...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, logf, logf
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(exited) }()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			raw, _ := os.ReadFile(logPath)
			t.Logf("--- clef log ---\n%s", raw)
		}
	})
	// The master password unlocks the stored account password and the rule
	// attestation; stdin stays open (clef's console UI dies on EOF).
	io.WriteString(stdin, clefTestMasterPW+"\n")
	c := &testClef{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Addr: acct.Address}
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-exited:
			raw, _ := os.ReadFile(logPath)
			t.Fatalf("clef exited:\n%s", raw)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		rc, err := rpc.DialContext(ctx, c.URL)
		var accts []common.Address
		if err == nil {
			err = rc.CallContext(ctx, &accts, "account_list")
			rc.Close()
		}
		cancel()
		if err == nil && len(accts) == 1 && accts[0] == acct.Address {
			break
		}
		if time.Now().After(deadline) {
			raw, _ := os.ReadFile(logPath)
			t.Fatalf("clef did not list %s (got %v, %v):\n%s", acct.Address.Hex(), accts, err, raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if raw, _ := os.ReadFile(logPath); !strings.Contains(string(raw), "Rule engine configured") {
		t.Fatalf("clef runs without its rules:\n%s", raw)
	}
	return c
}

// newClefChain funds a fresh key on an embedded chain (chain ID 1337) and
// puts it in a clef with the given rules.
func newClefChain(t *testing.T, rules string) (*Embedded, *testClef, *ExternalSigner) {
	t.Helper()
	key, _ := crypto.GenerateKey()
	addr := crypto.PubkeyToAddress(key.PublicKey)
	emb, err := NewEmbedded(types.GenesisAlloc{addr: {Balance: new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))}}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	c := startTestClef(t, key, emb.Client.ChainID.Uint64(), rules)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := DialExternal(ctx, c.URL, common.Address{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if s.Address() != addr || len(s.Accounts()) != 1 {
		t.Fatalf("external signer address %s accounts %v, want %s", s.Address().Hex(), s.Accounts(), addr.Hex())
	}
	return emb, c, s
}

func deployFeed(t *testing.T, m *TxManager) common.Address {
	t.Helper()
	pf := contracts.NewPriceFeed()
	rcpt, err := m.Send(context.Background(), TxRequest{
		Data: append(common.FromHex(contracts.PriceFeedMetaData.Bin), pf.PackConstructor(8, "ETH / USD", big.NewInt(3000e8))...)})
	if err != nil {
		t.Fatalf("deploy through clef: %v", err)
	}
	return rcpt.ContractAddress
}

// Clef signs EIP-1559 transactions through the TxManager: a contract
// creation, and a call Clef's 4-byte database does not know, which it only
// accepts when told the method signature.
func TestExternalSignerClef(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("starts clef")
	}
	emb, _, s := newClefChain(t, clefRulesApprove)
	feedABI, _ := contracts.PriceFeedMetaData.ParseABI()
	m := testTx(Config{Backend: emb.Client, Signer: s, ABIs: []*abi.ABI{feedABI}})
	feed := deployFeed(t, m)
	tx, _, err := emb.TransactionByHash(context.Background(), headTx(t, emb))
	if err != nil {
		t.Fatal(err)
	}
	if tx.Type() != types.DynamicFeeTxType {
		t.Errorf("clef signed a type-%d transaction, want EIP-1559 (2)", tx.Type())
	}

	// pushAnswer(int256) is not in Clef's 4-byte database: refused without
	// the ABI, nothing sent.
	push := contracts.NewPriceFeed().PackPushAnswer(big.NewInt(3100e8))
	nonce, _ := emb.PendingNonceAt(context.Background(), s.Address())
	_, err = m.Send(context.Background(), TxRequest{To: &feed, Data: push})
	if err == nil || !strings.HasPrefix(err.Error(), "external signer refused to sign: ") || !strings.Contains(err.Error(), "ABI signature could not be found") {
		t.Fatalf("unknown selector without ABIs: err = %v", err)
	}
	if after, _ := emb.PendingNonceAt(context.Background(), s.Address()); after != nonce {
		t.Fatalf("nonce moved %d -> %d after a refusal", nonce, after)
	}
	s.AddABIs(feedABI)
	if _, err := m.Send(context.Background(), TxRequest{To: &feed, Data: push}); err != nil {
		t.Fatalf("pushAnswer with its signature: %v", err)
	}
	if after, _ := emb.PendingNonceAt(context.Background(), s.Address()); after != nonce+1 {
		t.Fatalf("nonce %d after pushAnswer, want %d", after, nonce+1)
	}
	// A plain transfer with value.
	to := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	if _, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(12345)}); err != nil {
		t.Fatalf("value transfer: %v", err)
	}
	if bal, _ := emb.BalanceAt(context.Background(), to, nil); bal.Int64() != 12345 {
		t.Fatalf("recipient balance %s", bal)
	}

	// A chain the signer is not configured for is refused by clef.
	bad := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(5), Nonce: 0, Gas: 21000, To: &to,
		GasFeeCap: big.NewInt(1e9), GasTipCap: big.NewInt(1), Value: big.NewInt(1)})
	if _, err := s.SignTx(context.Background(), bad, big.NewInt(5)); err == nil || !strings.Contains(err.Error(), "refused to sign: requested chainid 5") {
		t.Fatalf("wrong chain: err = %v", err)
	}
}

func headTx(t *testing.T, emb *Embedded) common.Hash {
	t.Helper()
	head, err := emb.BlockByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	txs := head.Transactions()
	if len(txs) == 0 {
		t.Fatal("head block has no transactions")
	}
	return txs[len(txs)-1].Hash()
}

// Rules that reject: a clear refusal, nothing sent.
func TestExternalSignerClefRejects(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("starts clef")
	}
	emb, _, s := newClefChain(t, clefRulesReject)
	m := testTx(Config{Backend: emb.Client, Signer: s})
	to := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	_, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err == nil || err.Error() != "external signer refused to sign: request denied" {
		t.Fatalf("err = %v", err)
	}
	if n, _ := emb.PendingNonceAt(context.Background(), s.Address()); n != 0 {
		t.Fatalf("nonce %d after a refusal", n)
	}
}

func TestDialExternalErrors(t *testing.T) {
	// Nothing answers: unreachable, and the URL's password is not echoed.
	// The port stays held by a listener that closes every connection
	// unanswered: a port closed and left free could be taken by another
	// process of a loaded machine before the dial, which then answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	addr := l.Addr().String()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = DialExternal(ctx, "http://alice:s3cretpw@"+addr+"/?token=abc123", common.Address{})
	if err == nil || !strings.HasPrefix(err.Error(), "external signer at http://"+addr+"/?xxxxx unreachable: ") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "s3cretpw") || strings.Contains(err.Error(), "abc123") || strings.Contains(err.Error(), "alice") {
		t.Fatalf("error leaks credentials: %v", err)
	}

	if testing.Short() && os.Getenv("CI") != "true" {
		return
	}
	// A clef that does not hold the account asked for.
	key, _ := crypto.GenerateKey()
	c := startTestClef(t, key, 1337, clefRulesApprove)
	// A deadline of its own, from now: starting clef (scrypt, three clef
	// runs) can take longer than a deadline set before it on a loaded machine.
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	other := common.HexToAddress("0x00000000000000000000000000000000000000bb")
	_, err = DialExternal(ctx, c.URL, other)
	want := fmt.Sprintf("external signer at %s does not offer account %s", c.URL, other.Hex())
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	s, err := DialExternal(ctx, c.URL, c.Addr)
	if err != nil || s.Address() != c.Addr {
		t.Fatalf("DialExternal with --from: %v", err)
	}
	s.Close()
}
