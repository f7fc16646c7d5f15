package gmx

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/hedger/hedger/chain"
)

// The local GMX v2 deployment (gmx-synthetics a5c0c883 on anvil, chain
// 31337), see fixture/README.md for its origin and licence.
var (
	//go:embed fixture/gmx-anvil-state.slim.json.gz
	fixtureStateGz []byte
	//go:embed fixture/addressbook.json
	fixtureBook []byte
	//go:embed fixture/errors.tsv
	fixtureErrors string
)

// FixtureStateGz is the gzipped anvil state dump (what anvil_loadState takes
// as "0x"+hex).
func FixtureStateGz() []byte { return fixtureStateGz }

// FixtureStateJSON is the plain JSON state, as `anvil --load-state FILE` reads it.
func FixtureStateJSON() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(fixtureStateGz))
	if err != nil {
		return nil, fmt.Errorf("GMX fixture: %w", err)
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// LoadAnvil loads the fixture into a running anvil with anvil_loadState. The
// node must have been started with --chain-id 31337 (the oracle salt and the
// book assume it); --accounts 20 is not needed: keys are in the book.
func LoadAnvil(ctx context.Context, c *chain.Client) error {
	if c.ChainID.Uint64() != ChainAnvil {
		return fmt.Errorf("GMX fixture: anvil runs chain %s; start it with --chain-id %d", c.ChainID, ChainAnvil)
	}
	var ok bool
	if err := c.CallContext(ctx, &ok, "anvil_loadState", "0x"+hex.EncodeToString(fixtureStateGz)); err != nil {
		return fmt.Errorf("anvil_loadState: %w", err)
	}
	if !ok {
		return fmt.Errorf("anvil_loadState: node answered false")
	}
	return nil
}

type stateAccount struct {
	Nonce   uint64            `json:"nonce"`
	Balance string            `json:"balance"`
	Code    string            `json:"code"`
	Storage map[string]string `json:"storage"`
}

var (
	allocOnce sync.Once
	allocVal  types.GenesisAlloc
	allocErr  error
)

// GenesisAlloc is the fixture's account state as a genesis alloc for the
// embedded chain (chain.NewEmbedded / ethclient/simulated, chain ID 1337).
// extra accounts (e.g. test wallets) are added with their balances. The
// decoded alloc is cached; callers get their own copy of the map.
func GenesisAlloc(extra types.GenesisAlloc) (types.GenesisAlloc, error) {
	allocOnce.Do(func() { allocVal, allocErr = decodeAlloc() })
	if allocErr != nil {
		return nil, allocErr
	}
	out := make(types.GenesisAlloc, len(allocVal)+len(extra))
	for a, acc := range allocVal {
		out[a] = acc
	}
	for a, acc := range extra {
		out[a] = acc
	}
	return out, nil
}

func decodeAlloc() (types.GenesisAlloc, error) {
	raw, err := FixtureStateJSON()
	if err != nil {
		return nil, err
	}
	var st struct {
		Accounts map[string]stateAccount `json:"accounts"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, fmt.Errorf("GMX fixture: %w", err)
	}
	alloc := types.GenesisAlloc{}
	for addr, a := range st.Accounts {
		bal, ok := new(big.Int).SetString(strings.TrimPrefix(a.Balance, "0x"), 16)
		if !ok {
			return nil, fmt.Errorf("GMX fixture: account %s: bad balance", addr)
		}
		code, err := hex.DecodeString(strings.TrimPrefix(a.Code, "0x"))
		if err != nil {
			return nil, fmt.Errorf("GMX fixture: account %s: bad code", addr)
		}
		acc := types.Account{Nonce: a.Nonce, Balance: bal, Code: code}
		if len(a.Storage) > 0 {
			acc.Storage = make(map[common.Hash]common.Hash, len(a.Storage))
			for k, v := range a.Storage {
				acc.Storage[common.HexToHash(k)] = common.HexToHash(v)
			}
		}
		alloc[common.HexToAddress(addr)] = acc
	}
	return alloc, nil
}

// LocalBook is the fixture's book for chain 31337 (anvil) or 1337 (the same
// state as genesis of the embedded chain: same addresses).
func LocalBook(chainID uint64) (*Book, error) {
	var f struct {
		Keeper struct {
			PrivateKey string `json:"privateKey"`
		} `json:"keeper"`
		Oracle struct {
			ProviderAddress common.Address `json:"providerAddress"`
			Signers         []struct {
				Index      int    `json:"index"`
				PrivateKey string `json:"privateKey"`
			} `json:"signers"`
		} `json:"oracle"`
		Contracts map[string]common.Address `json:"contracts"`
		Tokens    map[string]struct {
			Address   common.Address  `json:"address"`
			Decimals  uint8           `json:"decimals"`
			Synthetic bool            `json:"synthetic"`
			Wrapped   bool            `json:"wrappedNative"`
			PriceFeed *common.Address `json:"priceFeed"`
		} `json:"tokens"`
		Markets []struct {
			Name        string         `json:"name"`
			MarketToken common.Address `json:"marketToken"`
			IndexSymbol string         `json:"indexSymbol"`
			LongSymbol  string         `json:"longSymbol"`
			ShortSymbol string         `json:"shortSymbol"`
		} `json:"markets"`
		Commit string `json:"gmxSyntheticsCommit"`
	}
	if err := json.Unmarshal(fixtureBook, &f); err != nil {
		return nil, fmt.Errorf("GMX fixture book: %w", err)
	}
	b := &Book{
		ChainID: chainID, Network: "local GMX v2 fixture",
		Source: "hedge/gmx/fixture/addressbook.json (gmx-synthetics " + f.Commit + " deployed on anvil)",
		Tokens: map[string]Token{},
	}
	if chainID == ChainEmbedded {
		b.Network = "local GMX v2 fixture (embedded chain)"
	}
	if err := b.setContracts(f.Contracts); err != nil {
		return nil, fmt.Errorf("GMX fixture book: %w", err)
	}
	for sym, t := range f.Tokens {
		tok := Token{Symbol: sym, Address: t.Address, Decimals: t.Decimals, Synthetic: t.Synthetic}
		if t.PriceFeed != nil {
			tok.PriceFeed = *t.PriceFeed
		}
		b.Tokens[sym] = tok
		if t.Wrapped {
			b.Native = tok
		}
	}
	b.Collateral = b.Tokens["USDC"]
	// The market hedger offers on the fixture: ETH/USD [WETH-USDC]. The
	// fixture's WBTC has no reference feed (its WBTC-USDC market cannot be
	// valued from the chain), so BTC is latent: OfferLocal adds it once
	// Devnet.SetupBTC has registered a feed.
	offer := map[string]string{"WETH/USD [WETH-USDC]": "ETH"}
	latent := map[string]string{LocalBTCMarket: "BTC"}
	var later []Market
	for _, m := range f.Markets {
		mk := Market{Name: m.Name, MarketToken: m.MarketToken,
			Index: b.Tokens[m.IndexSymbol], Long: b.Tokens[m.LongSymbol], Short: b.Tokens[m.ShortSymbol]}
		if asset, ok := offer[m.Name]; ok {
			mk.Asset = asset
			b.Markets = append(b.Markets, mk)
		} else if asset, ok := latent[m.Name]; ok {
			mk.Asset = asset
			later = append(later, mk)
		}
	}
	l := &Local{KeeperKey: f.Keeper.PrivateKey, GmOracleProvider: f.Oracle.ProviderAddress, Latent: later}
	for _, s := range f.Oracle.Signers {
		if s.Index != len(l.OracleSigners) {
			return nil, fmt.Errorf("GMX fixture book: oracle signers out of order")
		}
		l.OracleSigners = append(l.OracleSigners, s.PrivateKey)
	}
	b.Local = l
	if b.Native.Address == (common.Address{}) || b.Collateral.Address == (common.Address{}) || len(b.Markets) != 1 {
		return nil, fmt.Errorf("GMX fixture book: WETH, USDC or the ETH market missing")
	}
	return b, nil
}

// NewEmbedded starts the embedded chain (chain ID 1337) with the fixture as
// genesis plus extra accounts; httpAddr as in chain.NewEmbedded.
func NewEmbedded(extra types.GenesisAlloc, httpAddr string) (*chain.Embedded, error) {
	alloc, err := GenesisAlloc(extra)
	if err != nil {
		return nil, err
	}
	return chain.NewEmbedded(alloc, httpAddr)
}
