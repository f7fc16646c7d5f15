package chain

import (
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
