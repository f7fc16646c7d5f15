package gmx

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/contracts/gmx"
)

// PriceSource gives the keeper the price of a token in GMX's unit: USD per
// smallest token unit × 1e30 (USD × 10^(30−decimals)).
type PriceSource interface {
	Price(token common.Address) (*big.Int, bool)
}

// Prices is a PriceSource a test or devnet sets token by token. Safe for
// concurrent use (the keeper may run in its own goroutine).
type Prices struct {
	mu sync.Mutex
	m  map[common.Address]*big.Int
}

// NewPrices returns an empty price table.
func NewPrices() *Prices { return &Prices{m: map[common.Address]*big.Int{}} }

// Set sets a token's price in USD per whole token.
func (p *Prices) Set(t Token, usd decimal.Decimal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[t.Address] = PriceUnits(usd, t.Decimals)
}

// Price implements PriceSource.
func (p *Prices) Price(token common.Address) (*big.Int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.m[token]
	if !ok {
		return nil, false
	}
	return new(big.Int).Set(v), true
}

// PriceUnits converts USD per whole token into GMX's price unit, rounded down.
func PriceUnits(usd decimal.Decimal, decimals uint8) *big.Int {
	return usd.Shift(int32(30) - int32(decimals)).Floor().BigInt()
}

// PriceUSD converts GMX's price unit back into USD per whole token.
func PriceUSD(units *big.Int, decimals uint8) decimal.Decimal {
	return decimal.NewFromBigInt(units, -(30 - int32(decimals)))
}

// OracleSalt is GmOracleProvider._getSalt() on chain chainID:
// keccak256(abi.encode(block.chainid, "xget-oracle-v1")).
func OracleSalt(chainID uint64) common.Hash {
	enc, err := abi.Arguments{{Type: tUint256}, {Type: tString}}.Pack(new(big.Int).SetUint64(chainID), "xget-oracle-v1")
	if err != nil {
		panic(err)
	}
	return crypto.Keccak256Hash(enc)
}

// tokenOracleType is the only type GmOracleProvider reports use.
var tokenOracleType = HashString("one-percent-per-minute")

// gmReport is GmOracleUtils.Report; field order is the ABI's.
type gmReport struct {
	Token                common.Address
	SignerInfo           *big.Int
	Precision            *big.Int
	MinOracleBlockNumber *big.Int
	MaxOracleBlockNumber *big.Int
	OracleTimestamp      *big.Int
	BlockHash            [32]byte
	MinPrices            []*big.Int
	MaxPrices            []*big.Int
	Signatures           [][]byte
}

var reportArgs = func() abi.Arguments {
	t, err := abi.NewType("tuple", "", []abi.ArgumentMarshaling{
		{Name: "token", Type: "address"}, {Name: "signerInfo", Type: "uint256"}, {Name: "precision", Type: "uint256"},
		{Name: "minOracleBlockNumber", Type: "uint256"}, {Name: "maxOracleBlockNumber", Type: "uint256"},
		{Name: "oracleTimestamp", Type: "uint256"}, {Name: "blockHash", Type: "bytes32"},
		{Name: "minPrices", Type: "uint256[]"}, {Name: "maxPrices", Type: "uint256[]"}, {Name: "signatures", Type: "bytes[]"},
	})
	if err != nil {
		panic(err)
	}
	return abi.Arguments{{Type: t}}
}()

var digestArgs = abi.Arguments{
	{Type: tBytes32}, {Type: tUint256}, {Type: tUint256}, {Type: tUint256}, {Type: tBytes32},
	{Type: tAddress}, {Type: tBytes32}, {Type: tUint256}, {Type: tUint256}, {Type: tUint256},
}

// OracleSigner signs GmOracleProvider reports as GMX's oracle keepers do.
type OracleSigner struct {
	Key     *ecdsa.PrivateKey
	Index   uint // index in OracleStore's signer list
	ChainID uint64
}

// Report signs one token's price (min = max = price, precision 0: the full
// value is the on-chain price) as of block head: minOracleBlockNumber =
// maxOracleBlockNumber = head, timestamp = head's. The executing transaction
// must land in a later block.
func (s *OracleSigner) Report(token common.Address, price *big.Int, head *types.Header) ([]byte, error) {
	if price == nil || price.Sign() <= 0 {
		return nil, fmt.Errorf("oracle report: no positive price for token %s", token.Hex())
	}
	blk, ts, one := new(big.Int).Set(head.Number), new(big.Int).SetUint64(head.Time), big.NewInt(1)
	digestData, err := digestArgs.Pack([32]byte(OracleSalt(s.ChainID)), blk, blk, ts, [32]byte(head.Hash()),
		token, [32]byte(tokenOracleType), one, price, price)
	if err != nil {
		return nil, err
	}
	digest := crypto.Keccak256(digestData)
	sig, err := crypto.Sign(accounts.TextHash(digest), s.Key) // EIP-191 personal_sign of the 32-byte digest
	if err != nil {
		return nil, fmt.Errorf("oracle report: signing: %w", err)
	}
	sig[64] += 27
	signerInfo := new(big.Int).Or(big.NewInt(1), new(big.Int).Lsh(new(big.Int).SetUint64(uint64(s.Index)), 16))
	return reportArgs.Pack(gmReport{
		Token: token, SignerInfo: signerInfo, Precision: big.NewInt(0),
		MinOracleBlockNumber: blk, MaxOracleBlockNumber: blk, OracleTimestamp: ts, BlockHash: head.Hash(),
		MinPrices: []*big.Int{price}, MaxPrices: []*big.Int{price}, Signatures: [][]byte{sig},
	})
}

// SetPricesParams builds OracleUtils.SetPricesParams for tokens, each priced
// by prices and reported through provider (GmOracleProvider).
func (s *OracleSigner) SetPricesParams(tokens []common.Address, prices PriceSource, provider common.Address, head *types.Header) (gmx.OracleUtilsSetPricesParams, error) {
	var p gmx.OracleUtilsSetPricesParams
	for _, t := range tokens {
		price, ok := prices.Price(t)
		if !ok {
			return p, fmt.Errorf("keeper: no price for token %s", t.Hex())
		}
		data, err := s.Report(t, price, head)
		if err != nil {
			return p, err
		}
		p.Tokens = append(p.Tokens, t)
		p.Providers = append(p.Providers, provider)
		p.Data = append(p.Data, data)
	}
	return p, nil
}
