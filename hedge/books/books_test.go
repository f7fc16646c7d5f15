package books

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// Every address in the embedded file is written in its EIP-55 form, so a
// one-character typo cannot pass the checksum check silently.
func TestBuiltinAddressesAreChecksummed(t *testing.T) {
	re := regexp.MustCompile(`0x[0-9a-fA-F]{40}`)
	n := 0
	for _, a := range re.FindAllString(string(builtinJSON), -1) {
		if !common.IsHexAddress(a) || common.HexToAddress(a).Hex() != a {
			t.Errorf("%s is not checksummed (want %s)", a, common.HexToAddress(a).Hex())
		}
		n++
	}
	if n < 60 {
		t.Fatalf("only %d addresses in the built-in books", n)
	}
}

func TestBuiltinCoversTheNetworks(t *testing.T) {
	b := Builtin()
	want := map[uint64][]string{
		1:     {"WETH", "WBTC", "cbBTC", "tBTC", "stETH", "wstETH", "rETH", "cbETH", "weETH"},
		42161: {"WETH", "WBTC", "cbBTC", "tBTC", "wstETH", "rETH", "cbETH", "weETH"},
		8453:  {"WETH", "cbBTC", "tBTC", "wstETH", "rETH", "cbETH", "weETH"},
		10:    {"WETH", "WBTC", "wstETH", "rETH", "cbETH", "weETH"},
		43114: {"WAVAX", "WETH.e", "WBTC.e"},
	}
	for id, syms := range want {
		c, ok := b.Chain(id)
		if !ok {
			t.Fatalf("no book for chain %d", id)
		}
		if c.Native == nil {
			t.Errorf("chain %d: no native coin", id)
		}
		for _, s := range syms {
			tok, ok := c.Token(s)
			if !ok {
				t.Errorf("chain %d: no %s", id, s)
				continue
			}
			if tok.Source == "" {
				t.Errorf("chain %d: %s names no source", id, s)
			}
		}
		for _, p := range []string{"ETH/USD", "BTC/USD"} {
			if _, ok := c.Feed(p); !ok {
				t.Errorf("chain %d: no %s feed", id, p)
			}
		}
	}
	eth, _ := b.Chain(1)
	for sym, kind := range map[string]string{"wstETH": RateStEthPerToken, "rETH": RateGetExchangeRate, "cbETH": RateExchangeRate, "weETH": RateGetRate} {
		tok, _ := eth.Token(sym)
		if tok.Rate == nil || tok.Rate.Kind != kind || tok.RateContract() != tok.Address {
			t.Errorf("mainnet %s: rate %+v, want %s on the token", sym, tok.Rate, kind)
		}
	}
	if st, _ := eth.Token("stETH"); st.Rate != nil {
		t.Errorf("stETH rebases and counts 1:1, got rate %+v", st.Rate)
	}
	arb, _ := b.Chain(42161)
	if w, _ := arb.Token("wstETH"); w.Rate == nil || w.Rate.Kind != RateFeed {
		t.Errorf("bridged wstETH on Arbitrum has no stEthPerToken; want its exchange-rate feed, got %+v", w.Rate)
	}
}

func TestParseRefusesBadAddressesWithTheLine(t *testing.T) {
	good := string(builtinJSON)
	// Flip the case of one letter of WETH's checksummed address.
	bad := strings.Replace(good, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", 1)
	_, err := Parse([]byte(bad), "x.json")
	if err == nil || !strings.Contains(err.Error(), "EIP-55") || !strings.Contains(err.Error(), "line ") {
		t.Fatalf("want a checksum error naming the line, got %v", err)
	}
	_, err = Parse([]byte(`{"format": "hedger-books/1", "chains": [{"chain_id": 1,
 "tokens": [{"symbol": "X", "address": }]}]}`), "y.json")
	if err == nil || !strings.Contains(err.Error(), "y.json: line 2") {
		t.Fatalf("want a syntax error on line 2, got %v", err)
	}
	_, err = Parse([]byte(`{"format": "hedger-books/1", "chains": [{"chain_id": 1, "tokens": [{"symbol": "X", "address": "0x0000000000000000000000000000000000000001", "asset": "ETH", "rate": {"kind": "price"}}]}]}`), "z.json")
	if err == nil || !strings.Contains(err.Error(), "unknown rate kind") {
		t.Fatalf("want an unknown rate kind error, got %v", err)
	}
}

func TestUserFileOverridesAndAdds(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "books.json")
	os.WriteFile(p, []byte(`{
  "format": "hedger-books/1",
  "chains": [
    {"chain_id": 1, "tokens": [
      {"symbol": "weth", "address": "0x0000000000000000000000000000000000000abc", "asset": "ETH"},
      {"symbol": "LDO", "address": "0x5A98FcBEA516Cf06857215779Fd812CA3beF1B32", "asset": "LDO"}
    ], "feeds": [{"pair": "LDO/USD", "address": "0x4e844125952D32AcdF339BE976c98E22F6F318dB"}]},
    {"chain_id": 31337, "native": {"symbol": "ETH", "asset": "ETH"}}
  ]
}`), 0o644)
	m, err := WithUser(p)
	if err != nil {
		t.Fatal(err)
	}
	eth, _ := m.Chain(1)
	w, _ := eth.Token("WETH")
	if w.Address != common.HexToAddress("0xabc") || w.Decimals != nil {
		t.Fatalf("WETH not overridden: %+v", w)
	}
	if _, ok := eth.Token("LDO"); !ok {
		t.Fatal("LDO not added")
	}
	if _, ok := eth.Feed("LDO/USD"); !ok {
		t.Fatal("LDO/USD not added")
	}
	if _, ok := eth.Token("WBTC"); !ok {
		t.Fatal("WBTC lost in the merge")
	}
	if _, ok := m.Chain(31337); !ok {
		t.Fatal("chain 31337 not added")
	}
	// The built-in books are untouched by the merge.
	b := Builtin()
	bw, _ := b.Chain(1)
	if w0, _ := bw.Token("WETH"); w0.Address == w.Address {
		t.Fatal("merge changed the built-in books")
	}
	// A user token at an address another token already uses is refused.
	os.WriteFile(p, []byte(`{"format": "hedger-books/1", "chains": [{"chain_id": 1, "tokens": [
  {"symbol": "FAKE", "address": "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "asset": "ETH"}]}]}`), 0o644)
	if _, err := WithUser(p); err == nil || !strings.Contains(err.Error(), "same address") {
		t.Fatalf("want a duplicate address error, got %v", err)
	}
}

// The file round-trips through Marshal, the form `deploy` can write.
func TestMarshalRoundTrip(t *testing.T) {
	b := Builtin()
	raw, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	b2, err := Parse(raw, "round trip")
	if err != nil {
		t.Fatal(err)
	}
	if len(b2.Chains) != len(b.Chains) {
		t.Fatal("chains lost")
	}
}
