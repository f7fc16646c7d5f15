package chain

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
)

// ErrKeystoreNeedsPassphrase is returned (wrapped) by KeystoreAccounts when a
// key file has no address field (Foundry's `cast wallet import` omits the
// optional field): its address is known only by decrypting it.
var ErrKeystoreNeedsPassphrase = errors.New("key file without an address field: its address is known only after decrypting it")

// keyFile is what is read of a Web3 Secret Storage v3 file without
// decrypting it.
type keyFile struct {
	Address string          `json:"address"`
	Crypto  json.RawMessage `json:"crypto"`
	Crypto2 json.RawMessage `json:"Crypto"`
	Version int             `json:"version"`
}

// ResolveKeystore turns what the user gave --keystore into a path, the way
// cast --account does: an existing file or folder (a leading ~/ is the home
// folder), else a bare account name under ~/.foundry/keystores/.
func ResolveKeystore(arg string) (string, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return "", errors.New("keystore: empty path")
	}
	home, _ := os.UserHomeDir()
	if strings.HasPrefix(arg, "~/") && home != "" {
		arg = filepath.Join(home, arg[2:])
	}
	if _, err := os.Stat(arg); err == nil {
		return arg, nil
	}
	if home != "" && !strings.ContainsAny(arg, `/\`) {
		p := filepath.Join(home, ".foundry", "keystores", arg)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return arg, nil // Stat's error names it below
}

// keystoreFiles reads the key files at path (the one file, or every key
// file of a folder): those with an address, and those without one.
func keystoreFiles(path string) (map[common.Address]string, []string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("keystore %s: %w", path, err)
	}
	files := []string{path}
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, nil, fmt.Errorf("keystore %s: %w", path, err)
		}
		files = files[:0]
		for _, e := range entries {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
		sort.Strings(files)
	}
	out := map[common.Address]string{}
	var anon []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, fmt.Errorf("keystore %s: %w", f, err)
		}
		var k keyFile
		isKey := json.Unmarshal(raw, &k) == nil && (len(k.Crypto) > 0 || len(k.Crypto2) > 0)
		switch {
		case isKey && common.IsHexAddress(k.Address):
			out[common.HexToAddress(k.Address)] = f
		case isKey && k.Address == "":
			anon = append(anon, f)
		case !st.IsDir():
			return nil, nil, fmt.Errorf("keystore %s: not a Web3 Secret Storage JSON file", f)
		}
		// other files in a keystore folder are not keys
	}
	if len(out) == 0 && len(anon) == 0 {
		return nil, nil, fmt.Errorf("keystore %s: no key files", path)
	}
	return out, anon, nil
}

// KeystoreAccounts lists the addresses of the Web3 Secret Storage files at
// path: the one file, or every key file in a keystore folder. Files without
// an address field are not listed: with ErrKeystoreNeedsPassphrase when no
// file has one, so the caller can ask for the passphrase (KeystoreAddresses).
func KeystoreAccounts(path string) (map[common.Address]string, error) {
	out, anon, err := keystoreFiles(path)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("keystore %s: %d %w", path, len(anon), ErrKeystoreNeedsPassphrase)
	}
	return out, nil
}

// KeystoreAddresses lists every key's address at path, decrypting with
// passphrase the files that do not say theirs. A file the passphrase does
// not open is an error naming it.
func KeystoreAddresses(path, passphrase string) (map[common.Address]string, error) {
	out, anon, err := keystoreFiles(path)
	if err != nil {
		return nil, err
	}
	for _, f := range anon {
		k, err := decryptFile(f, passphrase)
		if err != nil {
			return nil, err
		}
		out[k.Address] = f
	}
	return out, nil
}

func decryptFile(file, passphrase string) (*keystore.Key, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("keystore %s: %w", file, err)
	}
	key, err := keystore.DecryptKey(raw, passphrase)
	if errors.Is(err, keystore.ErrDecrypt) {
		return nil, fmt.Errorf("keystore: wrong passphrase for %s", filepath.Base(file))
	}
	if err != nil {
		return nil, fmt.Errorf("keystore %s: cannot decrypt: %v", file, err)
	}
	return key, nil
}

// LoadKeystore decrypts the key of `from` (or of the only key at path, when
// from is zero) with passphrase. A file without an address field (Foundry)
// is decrypted to learn its address. Errors never carry the passphrase.
func LoadKeystore(path string, from common.Address, passphrase string) (*KeySigner, error) {
	accts, anon, err := keystoreFiles(path)
	if err != nil {
		return nil, err
	}
	file := ""
	switch {
	case from == (common.Address{}) && len(accts)+len(anon) > 1:
		return nil, fmt.Errorf("keystore %s holds %d keys: pick one with --from", path, len(accts)+len(anon))
	case from == (common.Address{}) && len(anon) == 1:
		key, err := decryptFile(anon[0], passphrase)
		if err != nil {
			return nil, err
		}
		return NewKeySigner(key.PrivateKey), nil
	case from == (common.Address{}):
		for a, f := range accts {
			from, file = a, f
		}
	case accts[from] != "":
		file = accts[from]
	default:
		for _, f := range anon {
			key, err := decryptFile(f, passphrase)
			if err == nil && key.Address == from {
				return NewKeySigner(key.PrivateKey), nil
			}
		}
		return nil, fmt.Errorf("keystore %s has no key for %s", path, from.Hex())
	}
	key, err := decryptFile(file, passphrase)
	if err != nil {
		if strings.HasPrefix(err.Error(), "keystore: wrong passphrase") {
			return nil, fmt.Errorf("keystore: wrong passphrase for %s", from.Hex())
		}
		return nil, err
	}
	if key.Address != from {
		return nil, fmt.Errorf("keystore %s: file says %s but the key is %s", file, from.Hex(), key.Address.Hex())
	}
	return NewKeySigner(key.PrivateKey), nil
}
