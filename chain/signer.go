package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Signer signs transactions for one account. The transaction manager uses
// only this; keystores, hardware wallets and external signers implement it.
type Signer interface {
	Address() common.Address
	SignTx(ctx context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error)
}

// KeySigner signs with a raw private key held in memory. It is for dev
// chains; its String never prints the key.
type KeySigner struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// ParsePrivateKey reads a hex key (with or without 0x). The error never
// echoes the input, which may be a real secret.
func ParsePrivateKey(hexkey string) (*KeySigner, error) {
	k, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(hexkey), "0x"))
	if err != nil {
		return nil, errors.New("invalid private key: expected 32 bytes of hex")
	}
	return NewKeySigner(k), nil
}

// NewKeySigner wraps an existing key.
func NewKeySigner(k *ecdsa.PrivateKey) *KeySigner {
	return &KeySigner{key: k, addr: crypto.PubkeyToAddress(k.PublicKey)}
}

func (s *KeySigner) Address() common.Address { return s.addr }
func (s *KeySigner) String() string          { return "key:" + s.addr.Hex() }

func (s *KeySigner) SignTx(_ context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(chainID), s.key)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return signed, nil
}
