package main

import (
	"crypto/ecdsa"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
)

// TestE2EKeystore signs a real hedge on anvil with an encrypted keystore
// key, checks that a wrong passphrase sends nothing, and greps every byte
// hedger printed during the run for the key and the passphrase.
func TestE2EKeystore(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartAnvil(t)
	cli := e2eNewCLI(t, n.URL)
	ch := e2eNewChain(t, n.URL)
	var outputs []string
	keep := func(r e2eResult) e2eResult { outputs = append(outputs, r.stdout, r.stderr); return r }
	with := func(args ...string) []string { return append(append([]string{}, args...), "--rpc-url", n.URL) }

	// An encrypted key in a keystore folder, and its passphrase in a file.
	const pass = "correct horse battery staple 7f3a"
	key, blob := e2eEncryptedKey(t, pass)
	addr := crypto.PubkeyToAddress(key.PublicKey)
	dir := t.TempDir()
	ks := filepath.Join(dir, "keystore")
	if err := os.MkdirAll(ks, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ks, "UTC--key--"+strings.ToLower(addr.Hex()[2:])), blob, 0o600); err != nil {
		t.Fatal(err)
	}
	// A second key in the folder makes --from necessary.
	_, blob2 := e2eEncryptedKey(t, "x")
	if err := os.WriteFile(filepath.Join(ks, "UTC--other"), blob2, 0o600); err != nil {
		t.Fatal(err)
	}
	passFile, badFile := filepath.Join(dir, "pass"), filepath.Join(dir, "bad")
	os.WriteFile(passFile, []byte(pass+"\n"), 0o600)
	os.WriteFile(badFile, []byte("not the passphrase\n"), 0o600)

	deployer := e2eAccountFromHex(t, e2eAnvilKey0)
	spot := e2eNewAccount(t).Addr.Hex()
	keep(cli.ok(with("deploy", "--private-key", deployer.Key)...))
	keep(cli.ok(with("devnet", "fund", spot, "--eth", "4", "--private-key", deployer.Key)...))
	keep(cli.ok(with("devnet", "fund", addr.Hex(), "--eth", "1", "--usdc", "50000", "--private-key", deployer.Key)...))

	r := keep(cli.ok(with("accounts", "--keystore", ks)...))
	if !strings.Contains(r.stdout, addr.Hex()) {
		t.Fatalf("accounts does not list the keystore key:\n%s", r)
	}
	ksFlags := []string{"--keystore", ks, "--from", addr.Hex(), "--wallet", spot}

	// Wrong passphrase, no passphrase source, and an ambiguous folder: one line, nothing sent.
	nonce := ch.nonce(addr)
	for _, bad := range []struct {
		args []string
		want string
	}{
		{append(with("hedge", "--yes", "--password-file", badFile), ksFlags...), "wrong passphrase"},
		{append(with("hedge", "--yes"), ksFlags...), "stdin is not a terminal; pass --password-file"},
		{with("hedge", "--yes", "--keystore", ks, "--password-file", passFile, "--wallet", spot), "pick one with --from"},
		{append(with("hedge", "--yes", "--password-file", passFile, "--private-key", deployer.Key), ksFlags...), "choose one signer"},
	} {
		r := keep(cli.fails(bad.args...))
		e2eCheckOneLineError(t, r)
		if !strings.Contains(r.stderr, bad.want) {
			t.Errorf("want %q in stderr:\n%s", bad.want, r)
		}
	}
	if got := ch.nonce(addr); got != nonce {
		t.Fatalf("nonce moved %d -> %d after refused runs", nonce, got)
	}

	// The real hedge, signed with the keystore key.
	keep(cli.ok(append(with("hedge", "--yes", "--password-file", passFile), ksFlags...)...))
	if got := ch.nonce(addr); got <= nonce {
		t.Fatalf("hedge with the keystore sent nothing (nonce %d)", got)
	}
	var st e2eStatus
	keep(cli.okJSON(&st, append(with("status", "--json", "--password-file", passFile), ksFlags...)...))
	if a := st.asset(t, "ETH"); !a.ShortSize.Equal(e2eD("4")) {
		t.Fatalf("ETH short %s after the keystore hedge, want 4", a.ShortSize)
	}
	sent := ch.nonce(addr)
	r = keep(cli.ok(append(with("hedge", "--yes", "--password-file", passFile), ksFlags...)...))
	if !strings.Contains(r.stdout, "within band, nothing to do") || ch.nonce(addr) != sent {
		t.Fatalf("second hedge was not a no-op:\n%s", r)
	}
	keep(cli.ok(append(with("plan", "--json", "--password-file", passFile), ksFlags...)...))
	keep(cli.ok(with("close", "--yes", "--keystore", ks, "--from", addr.Hex(), "--password-file", passFile)...))

	// No key material or passphrase in anything hedger printed.
	all := strings.ToLower(strings.Join(outputs, "\n"))
	keyHex := strings.ToLower(crypto.PubkeyToAddress(key.PublicKey).Hex()) // sanity: addresses do appear
	if !strings.Contains(all, keyHex) {
		t.Fatal("the leak check saw none of the output")
	}
	secretHex := hexutil.Encode(crypto.FromECDSA(key))
	for what, secret := range map[string]string{"private key": secretHex[2:], "passphrase": strings.ToLower(pass)} {
		if strings.Contains(all, secret) {
			t.Errorf("the %s appears in hedger's output", what)
		}
	}
}

// TestE2EFoundryKeystore: a key as `cast wallet import hot` writes it
// (~/.foundry/keystores/hot, Web3 Secret Storage v3 without the optional
// address field) is taken by its bare account name and by its ~/ path; the
// address comes from decrypting it, so `accounts` without a passphrase
// says why it cannot list it, and with one lists it; a hedge is signed
// with it.
func TestE2EFoundryKeystore(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	n := e2eStartAnvil(t)
	cli := e2eNewCLI(t, n.URL)
	ch := e2eNewChain(t, n.URL)
	with := func(args ...string) []string { return append(append([]string{}, args...), "--rpc-url", n.URL) }

	const pass = "foundry pass 91c2"
	key, blob := e2eEncryptedKey(t, pass)
	addr := crypto.PubkeyToAddress(key.PublicKey)
	var m map[string]any
	if err := json.Unmarshal(blob, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "address")
	blob, _ = json.Marshal(m)
	// The CLI's HOME (e2eCLI.env) is <workDir>/home.
	dir := filepath.Join(cli.workDir, "home", ".foundry", "keystores")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hot"), blob, 0o600); err != nil {
		t.Fatal(err)
	}
	passFile := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(passFile, []byte(pass+"\n"), 0o600)

	// Without a passphrase source: one line saying why, not a refusal of the file.
	r := cli.fails("accounts", "--keystore", "hot")
	if !strings.Contains(r.stderr, "--password-file") || strings.Contains(r.stdout, addr.Hex()) {
		t.Errorf("accounts without a passphrase: want a line naming --password-file:\n%s", r)
	}
	for _, ks := range []string{"hot", "~/.foundry/keystores/hot", filepath.Join(dir, "hot")} {
		r := cli.ok("accounts", "--keystore", ks, "--password-file", passFile)
		if !strings.Contains(r.stdout, addr.Hex()) {
			t.Errorf("accounts --keystore %s does not list %s:\n%s", ks, addr.Hex(), r)
		}
	}

	deployer := e2eAccountFromHex(t, e2eAnvilKey0)
	spot := e2eNewAccount(t).Addr.Hex()
	cli.ok(with("deploy", "--private-key", deployer.Key)...)
	cli.ok(with("devnet", "fund", spot, "--eth", "2", "--private-key", deployer.Key)...)
	cli.ok(with("devnet", "fund", addr.Hex(), "--eth", "1", "--usdc", "50000", "--private-key", deployer.Key)...)
	cli.ok(with("hedge", "--yes", "--keystore", "hot", "--password-file", passFile, "--wallet", spot)...)
	if got := ch.nonce(addr); got == 0 {
		t.Fatal("hedge with the Foundry key sent nothing")
	}
	var st e2eStatus
	cli.okJSON(&st, with("status", "--json", "--keystore", "hot", "--password-file", passFile, "--wallet", spot)...)
	if a := st.asset(t, "ETH"); !a.ShortSize.Equal(e2eD("2")) {
		t.Fatalf("ETH short %s after the Foundry-key hedge, want 2", a.ShortSize)
	}
}

// e2eEncryptedKey is a fresh key and its Web3 Secret Storage v3 file
// (geth's format, light scrypt) encrypted with pass.
func e2eEncryptedKey(t *testing.T, pass string) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	id, _ := uuid.NewRandom()
	blob, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}, pass, keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	return key, blob
}
