package chain

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
)

func writeKey(t *testing.T, dir, name, pass string) common.Address {
	t.Helper()
	k, _ := crypto.GenerateKey()
	id, _ := uuid.NewRandom()
	a := crypto.PubkeyToAddress(k.PublicKey)
	blob, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: a, PrivateKey: k}, pass, keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), blob, 0o600); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLoadKeystore(t *testing.T) {
	dir := t.TempDir()
	a := writeKey(t, dir, "a.json", "pa55")
	file := filepath.Join(dir, "a.json")

	s, err := LoadKeystore(file, common.Address{}, "pa55")
	if err != nil || s.Address() != a {
		t.Fatalf("single file: %v %v", s, err)
	}
	if _, err := LoadKeystore(file, common.Address{}, "wrong"); err == nil ||
		err.Error() != "keystore: wrong passphrase for "+a.Hex() || strings.Contains(err.Error(), "wrong\"") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	b := writeKey(t, dir, "b.json", "other")
	os.WriteFile(filepath.Join(dir, "README"), []byte("not a key"), 0o600)
	if _, err := LoadKeystore(dir, common.Address{}, "pa55"); err == nil || !strings.Contains(err.Error(), "holds 2 keys: pick one with --from") {
		t.Fatalf("ambiguous folder: %v", err)
	}
	if s, err := LoadKeystore(dir, b, "other"); err != nil || s.Address() != b {
		t.Fatalf("folder with --from: %v %v", s, err)
	}
	if _, err := LoadKeystore(dir, common.HexToAddress("0x01"), "x"); err == nil || !strings.Contains(err.Error(), "has no key for") {
		t.Fatalf("unknown --from: %v", err)
	}
	if _, err := LoadKeystore(filepath.Join(dir, "README"), common.Address{}, "x"); err == nil || !strings.Contains(err.Error(), "not a Web3 Secret Storage JSON file") {
		t.Fatalf("not a key file: %v", err)
	}
	if s := (&KeySigner{addr: a}).String(); strings.Contains(s, "pa55") || !strings.Contains(s, a.Hex()) {
		t.Fatalf("String() = %q", s)
	}
}

// writeFoundryKey writes a key as `cast wallet import` does: Web3 Secret
// Storage v3 without the optional address field.
func writeFoundryKey(t *testing.T, dir, name, pass string) common.Address {
	t.Helper()
	a := writeKey(t, dir, name, pass)
	p := filepath.Join(dir, name)
	raw, _ := os.ReadFile(p)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "address")
	raw, _ = json.Marshal(m)
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestFoundryKeystore(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home) // os.UserHomeDir on Windows
	dir := filepath.Join(home, ".foundry", "keystores")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	a := writeFoundryKey(t, dir, "hot", "pa55")

	// A bare account name and ~/ resolve as cast --account does.
	for _, arg := range []string{"hot", "~/.foundry/keystores/hot", filepath.Join(dir, "hot")} {
		p, err := ResolveKeystore(arg)
		if err != nil || p != filepath.Join(dir, "hot") {
			t.Fatalf("ResolveKeystore(%q) = %q, %v", arg, p, err)
		}
	}
	file := filepath.Join(dir, "hot")
	// The file and the folder load: the address comes from decrypting.
	for _, p := range []string{file, dir} {
		s, err := LoadKeystore(p, common.Address{}, "pa55")
		if err != nil || s.Address() != a {
			t.Fatalf("LoadKeystore(%s): %v %v", p, s, err)
		}
		if s, err := LoadKeystore(p, a, "pa55"); err != nil || s.Address() != a {
			t.Fatalf("LoadKeystore(%s, from): %v %v", p, s, err)
		}
	}
	// Listing without the passphrase says why it cannot.
	if _, err := KeystoreAccounts(file); !errors.Is(err, ErrKeystoreNeedsPassphrase) {
		t.Fatalf("KeystoreAccounts: %v", err)
	}
	if got, err := KeystoreAddresses(dir, "pa55"); err != nil || got[a] != file {
		t.Fatalf("KeystoreAddresses: %v %v", got, err)
	}
	if _, err := LoadKeystore(file, common.Address{}, "nope"); err == nil || strings.Contains(err.Error(), "nope") ||
		!strings.Contains(err.Error(), "wrong passphrase") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	// A geth key beside it still lists without a passphrase.
	b := writeKey(t, dir, "geth.json", "x")
	if got, err := KeystoreAccounts(dir); err != nil || got[b] == "" || len(got) != 1 {
		t.Fatalf("mixed folder: %v %v", got, err)
	}
}
