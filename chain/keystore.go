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

// KeystoreAccounts lists the addresses of the Web3 Secret Storage files at
// path: the one file, or every key file in a keystore folder.
func KeystoreAccounts(path string) (map[common.Address]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("keystore %s: %w", path, err)
	}
	files := []string{path}
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, fmt.Errorf("keystore %s: %w", path, err)
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
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("keystore %s: %w", f, err)
		}
		var head struct {
			Address string `json:"address"`
		}
		if json.Unmarshal(raw, &head) != nil || !common.IsHexAddress(head.Address) {
			if !st.IsDir() {
				return nil, fmt.Errorf("keystore %s: not a Web3 Secret Storage JSON file", f)
			}
			continue // other files in a keystore folder are not keys
		}
		out[common.HexToAddress(head.Address)] = f
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("keystore %s: no key files", path)
	}
	return out, nil
}

// LoadKeystore decrypts the key of `from` (or of the only key at path, when
// from is zero) with passphrase. Errors never carry the passphrase.
func LoadKeystore(path string, from common.Address, passphrase string) (*KeySigner, error) {
	accts, err := KeystoreAccounts(path)
	if err != nil {
		return nil, err
	}
	file := ""
	if from == (common.Address{}) {
		if len(accts) > 1 {
			return nil, fmt.Errorf("keystore %s holds %d keys: pick one with --from", path, len(accts))
		}
		for a, f := range accts {
			from, file = a, f
		}
	} else if file = accts[from]; file == "" {
		return nil, fmt.Errorf("keystore %s has no key for %s", path, from.Hex())
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("keystore %s: %w", file, err)
	}
	key, err := keystore.DecryptKey(raw, passphrase)
	if errors.Is(err, keystore.ErrDecrypt) {
		return nil, fmt.Errorf("keystore: wrong passphrase for %s", from.Hex())
	}
	if err != nil {
		return nil, fmt.Errorf("keystore %s: cannot decrypt: %v", file, err)
	}
	if key.Address != from {
		return nil, fmt.Errorf("keystore %s: file says %s but the key is %s", file, from.Hex(), key.Address.Hex())
	}
	return NewKeySigner(key.PrivateKey), nil
}
