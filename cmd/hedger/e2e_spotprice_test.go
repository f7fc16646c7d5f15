package main

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/rehearse"
)

// An asset held on a spot chain that the venue's chain has no market or
// feed for (UNI, added on chain 1 by a books file) is priced from chain 1's
// own UNI/USD feed, read in chain 1's one pinned request: status and plan
// JSON say the price came from chain 1 at the block of its balances, and
// the ETH short covers it (hedge_with = ETH). A stale UNI feed on chain 1
// gates the ETH market with the oracle alert and nothing is sent; a token
// with no feed anywhere (AAVE) makes the exposure unknown and hedge refuses
// in one line.
func TestE2ESpotChainFeedPricesExposure(t *testing.T) {
	uni := common.HexToAddress("0x00000000000000000000000000000000000a0001")
	uniFeed := common.HexToAddress("0x00000000000000000000000000000000000a0002")
	aave := common.HexToAddress("0x00000000000000000000000000000000000a0003")
	dir := t.TempDir()
	booksPath := filepath.Join(dir, "books.json")
	raw := fmt.Sprintf(`{"format": "hedger-books/1", "chains": [{"chain_id": 1,
  "tokens": [{"symbol": "UNI", "address": %q, "asset": "UNI"}, {"symbol": "AAVE", "address": %q, "asset": "AAVE"}],
  "feeds": [{"pair": "UNI/USD", "address": %q, "decimals": 8}]}]}`, uni.Hex(), aave.Hex(), uniFeed.Hex())
	if err := os.WriteFile(booksPath, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	polPath := filepath.Join(dir, "p.policy")
	if err := os.WriteFile(polPath, []byte("[UNI]\nhedge_with = ETH\nbeta = 1\nmax_oracle_age = 1h\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	rig := e2eStartSpotRig(t, booksPath, []string{"ETH/USD=3000", "BTC/USD=60000", "UNI/USD=9"}, "ETH=1", "UNI=1000")
	venueNode, spotNode, cli, chain, signer, cold := rig.venue, rig.spot, rig.cli, rig.chain, rig.signer, rig.cold
	args := func(cmd string, extra ...string) []string {
		out := []string{cmd, "--rpc-url", venueNode.URL, "--wallet", cold, "--spot-rpc", spotNode.URL,
			"--books-file", booksPath, "--policy-file", polPath, "--private-key", signer.Key}
		return append(out, extra...)
	}
	type priceOut struct {
		Asset   string  `json:"asset"`
		Price   e2eDec  `json:"price"`
		ChainID e2eUint `json:"chain_id"`
		Block   e2eUint `json:"block"`
		Source  string  `json:"source"`
	}
	var st struct {
		e2eStatus
		SpotChains []e2eSpotChainJSON `json:"spot_chains"`
		Prices     []priceOut         `json:"prices"`
	}
	uniPrice := func(ps []priceOut) priceOut {
		for _, p := range ps {
			if p.Asset == "UNI" {
				return p
			}
		}
		t.Fatalf("no UNI price in %+v", ps)
		return priceOut{}
	}
	cli.okJSON(&st, args("status", "--json")...)
	if len(st.SpotChains) != 1 || st.SpotChains[0].RoundTrips != 1 {
		t.Fatalf("spot_chains %+v, want chain 1 read in 1 round trip (balances and feeds together)", st.SpotChains)
	}
	if p := uniPrice(st.Prices); !p.Price.Equal(e2eD("9")) || p.ChainID != 1 || p.Block != st.SpotChains[0].Block || p.Source != "spot chain" {
		t.Fatalf("UNI price %+v, want 9 from chain 1 at block %d", p, st.SpotChains[0].Block)
	}
	if r := cli.ok(args("status")...); !strings.Contains(r.stdout, "UNI") || !strings.Contains(r.stdout, "spot chain chain 1 block") {
		t.Errorf("status does not say where UNI's price came from:\n%s", r)
	}

	// 1 ETH + 1000 UNI × $9 / ETH mark (≈ 3000) ≈ 4 ETH of short.
	nonce0 := chain.nonce(signer.Addr)
	var hedged struct {
		e2ePlan
		Prices []priceOut `json:"prices"`
	}
	cli.okJSON(&hedged, args("hedge", "--yes", "--json")...)
	if len(hedged.Actions) == 0 || chain.nonce(signer.Addr) == nonce0 {
		t.Fatalf("first hedge did nothing: %+v", hedged)
	}
	if p := uniPrice(hedged.Prices); p.ChainID != 1 || p.Source != "spot chain" {
		t.Errorf("plan JSON UNI price %+v, want chain 1", p)
	}
	cli.okJSON(&st, args("status", "--json")...)
	if a := st.asset(t, "ETH"); !e2eNear(a.ShortSize.Decimal, e2eD("4"), "0.1") {
		t.Errorf("ETH short %s, want ≈ 4 (1 ETH + 1000 UNI at $9 from chain 1)", a.ShortSize)
	}

	// A stale UNI feed on chain 1 (updated 2h ago, limit 1h): more UNI,
	// but the ETH market is gated with the oracle alert and nothing is sent.
	ctx := e2eCtx(t)
	rc, err := rpc.DialContext(ctx, spotNode.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var head struct {
		Timestamp hexutil.Uint64 `json:"timestamp"`
	}
	if err := rc.CallContext(ctx, &head, "eth_getBlockByNumber", "latest", false); err != nil {
		t.Fatal(err)
	}
	stale := big.NewInt(int64(head.Timestamp) - int64(2*time.Hour/time.Second))
	data := contracts.NewPriceFeed().PackPushAnswerAt(big.NewInt(9e8), stale)
	var txh common.Hash
	if err := rc.CallContext(ctx, &txh, "eth_sendTransaction", map[string]any{"from": rehearse.DefaultOwner, "to": uniFeed, "data": hexutil.Bytes(data)}); err != nil {
		t.Fatal(err)
	}
	rig.mint("UNI=1000")
	nonce1 := chain.nonce(signer.Addr)
	r := cli.fails(args("hedge", "--yes", "--json")...)
	if !strings.Contains(r.stderr, "not hedged: ETH: UNI (hedged here): oracle stale") {
		t.Errorf("stale chain-1 feed: want the gate on stderr, got\n%s", r)
	}
	var gated struct {
		e2ePlan
		Alerts []struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &gated); err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	found := false
	for _, a := range gated.Alerts {
		found = found || strings.Contains(a.Message, "UNI (hedged here): oracle stale")
	}
	if !found || chain.nonce(signer.Addr) != nonce1 {
		t.Errorf("stale chain-1 feed: alerts %+v, %d sent; want the oracle-stale gate and nothing sent", gated.Alerts, chain.nonce(signer.Addr)-nonce1)
	}

	// A token with no feed on either chain: exposure unknown, one line, nothing sent.
	rig.mint("AAVE=5")
	for _, cmd := range []string{"plan", "hedge"} {
		extra := []string{}
		if cmd == "hedge" {
			extra = append(extra, "--yes")
		}
		r := cli.fails(args(cmd, extra...)...)
		line := strings.TrimSpace(r.stderr)
		if strings.Contains(line, "\n") || !strings.Contains(line, "spot exposure unknown: no price for AAVE (held on chain 1)") {
			t.Errorf("%s with an unpriced spot asset: want one line naming AAVE, got\n%s", cmd, r)
		}
	}
	// watch: the cycle raises the spot-unknown alert naming AAVE, as for a
	// spot chain that is down (one cycle: it runs at start, no new head needed).
	r = cli.run(args("watch", "--yes", "--log-format", "json", "--max-cycles", "1")...)
	alerted := false
	for _, line := range e2eRiskAlerts(r.stderr, hedge.AlertSpotUnknown) {
		alerted = alerted || strings.Contains(line, "AAVE")
	}
	if !alerted {
		t.Errorf("watch with an unpriced spot asset raised no %s alert naming AAVE:\n%s", hedge.AlertSpotUnknown, r)
	}
	if chain.nonce(signer.Addr) != nonce1 {
		t.Errorf("an unpriced exposure sent %d transaction(s)", chain.nonce(signer.Addr)-nonce1)
	}
}
