package hedge

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// A spot-chain asset the venue cannot price takes the spot chain's feed with
// its chain and block; the venue's own market or feed wins; no price
// anywhere is ErrNoPrice naming the asset and chain; USD needs none.
func TestApplySpotPrices(t *testing.T) {
	at := time.Unix(1_700_000_000, 0).UTC()
	d := decimal.RequireFromString
	reads := []SpotRead{{ChainID: 1, Block: 77,
		Holdings: []Holding{{Asset: "UNI", Amount: d("10")}, {Asset: "ETH", Amount: d("1")}, {Asset: "LDO", Amount: d("3")}, {Asset: "USD", Amount: d("5")}},
		Prices:   map[string]FeedPrice{"UNI": {Price: d("9"), UpdatedAt: at}, "LDO": {Price: d("2")}, "ETH": {Price: d("1")}}}}
	s := &Snapshot{Markets: map[string]Market{"ETH": {}}, Prices: map[string]FeedPrice{"LDO": {Price: d("1.5")}}}
	if err := ApplySpotPrices(s, reads); err != nil {
		t.Fatal(err)
	}
	if p := s.Prices["UNI"]; !p.Price.Equal(d("9")) || p.ChainID != 1 || p.Block != 77 || !p.UpdatedAt.Equal(at) {
		t.Fatalf("UNI %+v, want 9 from chain 1 block 77", p)
	}
	if p := s.Prices["LDO"]; !p.Price.Equal(d("1.5")) || p.ChainID != 0 {
		t.Fatalf("LDO %+v: the venue chain's feed must win", p)
	}
	if _, ok := s.Prices["ETH"]; ok {
		t.Fatal("ETH has a market: no feed price needed")
	}
	reads[0].Holdings = append(reads[0].Holdings, Holding{Asset: "AAVE", Amount: d("1")})
	err := ApplySpotPrices(&Snapshot{Markets: map[string]Market{"ETH": {}}}, reads)
	if !errors.Is(err, ErrNoPrice) || !strings.Contains(err.Error(), "no price for AAVE (held on chain 1)") || strings.Contains(err.Error(), "UNI") {
		t.Fatalf("err = %v", err)
	}
}
