package chain

import (
	"github.com/ethereum/go-ethereum/crypto"
)

// testKey signs where a test needs a manager but never sends.
var testKey, _ = crypto.GenerateKey()

// testTx builds a manager from cfg for tests; a bad test config panics.
func testTx(cfg Config) *TxManager {
	m, err := NewTxManager(cfg)
	if err != nil {
		panic(err)
	}
	return m
}
