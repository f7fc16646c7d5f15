package rehearse_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/internal/devnode"
	"github.com/hedger/hedger/hedge/multiread"
	"github.com/hedger/hedger/hedge/rehearse"
)

// The built-in books of mainnet and Arbitrum pass their own on-chain check
// against the project's contracts installed at the real addresses, through
// Multicall3 and through plain JSON-RPC batches.
func TestBuiltinBooksAgainstInstalledContracts(t *testing.T) {
	ctx := context.Background()
	for _, id := range []uint64{1, 42161} {
		for _, mc := range []bool{true, false} {
			_, rc := devnode.Anvil(t, id)
			c, _ := books.Builtin().Chain(id)
			if _, err := rehearse.Install(ctx, rc, c, rehearse.Options{NoMulticall: !mc,
				Prices: map[string]decimal.Decimal{"ETH/USD": decimal.NewFromInt(3000)},
				Rates:  map[string]decimal.Decimal{"wstETH": decimal.RequireFromString("1.2")}}); err != nil {
				t.Fatal(err)
			}
			r := &multiread.Reader{RPC: rc, Label: "chain"}
			if err := r.Detect(ctx); err != nil {
				t.Fatal(err)
			}
			if (r.Multicall != nil) != mc {
				t.Fatalf("chain %d: Multicall3 detected %v, installed %v", id, r.Multicall != nil, mc)
			}
			before := r.RoundTrips()
			got, err := books.Verify(ctx, r, c, nil)
			if err != nil {
				t.Fatalf("chain %d (multicall %v): %v", id, mc, err)
			}
			if rt := r.RoundTrips() - before; (mc && rt != 1) || (!mc && rt != 2) {
				t.Fatalf("chain %d: the check took %d round trips (multicall %v)", id, rt, mc)
			}
			for _, tk := range got.Tokens {
				if tk.Decimals != *tk.Token.Decimals {
					t.Fatalf("%s: decimals %d", tk.Symbol, tk.Decimals)
				}
			}
			// The installed contracts answer through their own getters: the
			// storage layout the installer wrote is the one solc laid out.
			w, _ := c.Token("wstETH")
			var out hexutil.Bytes
			rc.CallContext(ctx, &out, "eth_call", map[string]any{"to": w.RateContract(), "input": hexutil.Bytes(books.RateCall(w.Rate.Kind))}, "latest")
			rate, err := books.DecodeRate(w.Rate.Kind, out)
			if err != nil || rate.Cmp(new(big.Int).Mul(big.NewInt(12), big.NewInt(1e17))) != 0 {
				t.Fatalf("chain %d: wstETH rate %v %v", id, rate, err)
			}
			rc.CallContext(ctx, &out, "eth_call", map[string]any{"to": w.Address, "input": hexutil.Bytes(contracts.NewTestToken().PackOwner())}, "latest")
			if common.BytesToAddress(out) != rehearse.DefaultOwner {
				t.Fatalf("owner slot: %x", out)
			}
		}
	}
}

// A book that does not match the chain is refused in one line, naming the
// token and what differs; decimals come from the chain.
func TestVerifyRefusesMismatches(t *testing.T) {
	ctx := context.Background()
	_, rc := devnode.Anvil(t, 1)
	c, _ := books.Builtin().Chain(1)
	if _, err := rehearse.Install(ctx, rc, c, rehearse.Options{}); err != nil {
		t.Fatal(err)
	}
	r := &multiread.Reader{RPC: rc, Label: "chain 1"}
	if err := r.Detect(ctx); err != nil {
		t.Fatal(err)
	}
	wbtc, _ := c.Token("WBTC")
	six := int32(6)
	cases := []struct {
		name string
		over books.Chain
		want string
	}{
		{"symbol", books.Chain{ChainID: 1, Tokens: []books.Token{{Symbol: "WETH", Address: wbtc.Address, Asset: "ETH"}}}, `symbol() is "WBTC", the book says "WETH"`},
		{"decimals", books.Chain{ChainID: 1, Tokens: []books.Token{{Symbol: "WBTC", Address: wbtc.Address, Asset: "BTC", Decimals: &six}}}, "decimals() is 8, the book says 6"},
		{"no contract", books.Chain{ChainID: 1, Tokens: []books.Token{{Symbol: "LDO", Address: common.HexToAddress("0x5A98FcBEA516Cf06857215779Fd812CA3beF1B32"), Asset: "LDO"}}}, "no contract there"},
	}
	for _, tc := range cases {
		m := books.Merge(books.Builtin(), &books.File{Format: books.Format, Chains: []books.Chain{tc.over}})
		if tc.name == "symbol" {
			// WETH moved onto WBTC's address: drop WBTC so the book is consistent.
			mc, _ := m.Chain(1)
			var keep []books.Token
			for _, tk := range mc.Tokens {
				if tk.Symbol != "WBTC" {
					keep = append(keep, tk)
				}
			}
			mc.Tokens = keep
		}
		mc, _ := m.Chain(1)
		_, err := books.Verify(ctx, r, mc, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("%s: want one line with %q, got %v", tc.name, tc.want, err)
		}
	}
	// A user token without decimals takes the chain's.
	m := books.Merge(books.Builtin(), &books.File{Format: books.Format, Chains: []books.Chain{{ChainID: 1,
		Tokens: []books.Token{{Symbol: "WBTC", Address: wbtc.Address, Asset: "BTC"}}}}})
	mc, _ := m.Chain(1)
	got, err := books.Verify(ctx, r, mc, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range got.Tokens {
		if tk.Symbol == "WBTC" && tk.Decimals != 8 {
			t.Fatalf("WBTC decimals %d, want 8 from the chain", tk.Decimals)
		}
	}
}

func TestInstallRefusesAnotherChain(t *testing.T) {
	_, rc := devnode.Anvil(t, 31337)
	c, _ := books.Builtin().Chain(1)
	_, err := rehearse.Install(context.Background(), rc, c, rehearse.Options{})
	if err == nil || !strings.Contains(err.Error(), "--chain-id 1") {
		t.Fatalf("want a chain ID refusal, got %v", err)
	}
}
