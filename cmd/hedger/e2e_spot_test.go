package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hedger/hedger/chain/faultrpc"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/spot"
)

// A cold wallet on another chain (anvil with Ethereum's chain ID and the
// real Ethereum book installed at its addresses) is hedged on the venue's
// chain through --spot-rpc: every cycle reads that chain in one pinned
// request. A second hedge sends nothing. With the spot chain failing after
// the dial, plan and hedge refuse in one line and send nothing, and watch
// raises the spot-unknown alert and trades nothing; with its node stopped,
// plan and hedge refuse too.
func TestE2ESpotChainHedged(t *testing.T) {
	rig := e2eStartSpotRig(t, "", []string{"ETH/USD=3000", "BTC/USD=60000"}, "ETH=10", "WBTC=0.5")
	venueNode, spotNode, cli, chain, signer, cold := rig.venue, rig.spot, rig.cli, rig.chain, rig.signer, rig.cold

	// The spot chain is reached through a fault proxy (transparent until
	// told otherwise).
	px, err := faultrpc.New(spotNode.URL, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { px.Close() })
	args := func(cmd string, extra ...string) []string {
		out := []string{cmd, "--rpc-url", venueNode.URL, "--wallet", cold, "--spot-rpc", px.URL(), "--private-key", signer.Key}
		return append(out, extra...)
	}
	nonce0 := chain.nonce(signer.Addr)
	var hedged e2ePlan
	cli.okJSON(&hedged, args("hedge", "--yes", "--json")...)
	if hedged.NothingToDo || len(hedged.Actions) == 0 {
		t.Fatalf("first hedge did nothing: %+v", hedged)
	}
	chain.checkReceipts(hedged.Actions)
	if got := chain.nonce(signer.Addr); got != nonce0+uint64(len(hedged.Actions)) {
		t.Errorf("hedge reported %d actions but the nonce moved %d", len(hedged.Actions), got-nonce0)
	}

	var st struct {
		e2eStatus
		Holdings []struct {
			Asset   string  `json:"asset"`
			Token   string  `json:"token"`
			Amount  e2eDec  `json:"amount"`
			ChainID e2eUint `json:"chain_id"`
			Block   e2eUint `json:"block"`
		} `json:"holdings"`
		SpotChains []e2eSpotChainJSON `json:"spot_chains"`
		SpotTotals map[string]e2eDec  `json:"spot_totals"`
	}
	cli.okJSON(&st, args("status", "--json")...)
	if len(st.SpotChains) != 1 || st.SpotChains[0].ChainID != 1 || st.SpotChains[0].RoundTrips != 1 || st.SpotChains[0].Block == 0 {
		t.Fatalf("spot_chains %+v, want chain 1 read in 1 round trip", st.SpotChains)
	}
	for _, h := range st.Holdings {
		if h.Amount.IsPositive() && (h.ChainID != 1 || h.Block != st.SpotChains[0].Block) {
			t.Errorf("holding %+v without chain 1 block %d provenance", h, st.SpotChains[0].Block)
		}
	}
	if !st.SpotTotals["ETH"].Equal(e2eD("10")) || !st.SpotTotals["BTC"].Equal(e2eD("0.5")) {
		t.Errorf("spot_totals %v, want 10 ETH and 0.5 BTC", st.SpotTotals)
	}
	for asset, want := range map[string]string{"ETH": "10", "BTC": "0.5"} {
		if a := st.asset(t, asset); !e2eNear(a.ShortSize.Decimal, e2eD(want), "0.05") || !a.WithinBand {
			t.Errorf("%s short %s (within band %v), want ~%s for the cold wallet on chain 1", asset, a.ShortSize, a.WithinBand, want)
		}
	}
	r := cli.ok(args("status")...)
	if !strings.Contains(r.stdout, "spot per chain:") || !strings.Contains(r.stdout, "chain 1 (http://127.0.0.1:") {
		t.Errorf("status does not show spot per chain:\n%s", r)
	}

	// Within band: nothing sent.
	nonce1 := chain.nonce(signer.Addr)
	var again e2ePlan
	cli.okJSON(&again, args("hedge", "--yes", "--json")...)
	if !again.NothingToDo || len(again.Actions) != 0 || chain.nonce(signer.Addr) != nonce1 {
		t.Errorf("second hedge: nothing_to_do=%v actions=%d, nonce moved %d", again.NothingToDo, len(again.Actions), chain.nonce(signer.Addr)-nonce1)
	}

	// More spot on chain 1 that no cycle can read: the node answers the
	// dial (chain ID, Multicall3, the book's check) and then fails, so the
	// engine's read of the cycle is what fails. k is how many requests the
	// dial takes, measured by dialing through the proxy here.
	rig.mint("ETH=5")
	ctx := e2eCtx(t)
	px.ResetStats()
	probe, err := spot.Dial(ctx, px.URL(), spot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	probe.Close()
	k := px.Stats().HTTPRequests
	t.Logf("dial: %d requests; calls %v", k, px.Stats().Calls)
	yesFor := func(cmd string) []string {
		if cmd == "hedge" {
			return []string{"--yes"}
		}
		return nil
	}
	failAfterDial := func() { px.SetRules(faultrpc.Rule{Kind: faultrpc.HTTP5xx, Skip: k}) }
	for _, cmd := range []string{"plan", "hedge"} {
		failAfterDial()
		before := px.Stats().HTTPRequests
		r := cli.fails(args(cmd, yesFor(cmd)...)...)
		t.Logf("%s: %d requests to the spot chain (dial takes %d)", cmd, px.Stats().HTTPRequests-before, k)
		if !strings.Contains(r.stderr, "spot exposure unknown: chain 1 (http://127.0.0.1:") || !strings.Contains(r.stderr, "nothing planned or sent") {
			t.Errorf("%s with the spot chain failing: want a spot-exposure refusal naming chain 1, got\n%s", cmd, r)
		}
	}
	if got := chain.nonce(signer.Addr); got != nonce1 {
		t.Errorf("with the spot chain failing %d transaction(s) were sent", got-nonce1)
	}

	// watch: each cycle raises the typed alert and trades nothing.
	failAfterDial()
	// watch cycles on new heads and anvil mines only on demand: every
	// request watch sends to the spot chain mines a block on the venue
	// chain, so its next cycle has a head whatever the machine's speed.
	px.OnRequest(func(uint64) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := chain.rc.CallContext(ctx, nil, "evm_mine"); err != nil {
			t.Errorf("evm_mine on the venue chain: %v", err)
		}
	})
	r = cli.run(args("watch", "--yes", "--log-format", "json", "--max-cycles", "2", "--poll-interval", "200ms")...)
	px.OnRequest(nil)
	if len(e2eRiskAlerts(r.stderr, hedge.AlertSpotUnknown)) == 0 {
		t.Errorf("watch with the spot chain failing raised no %s alert:\n%s", hedge.AlertSpotUnknown, r)
	}
	if got := chain.nonce(signer.Addr); got != nonce1 {
		t.Errorf("watch with the spot chain failing sent %d transaction(s)", got-nonce1)
	}

	// The node stopped: the dial itself fails, in one line, nothing sent.
	px.SetRules()
	spotNode.cmd.Process.Kill()
	<-spotNode.exited
	for _, cmd := range []string{"plan", "hedge"} {
		r := cli.fails(args(cmd, yesFor(cmd)...)...)
		if !strings.Contains(r.stderr, "spot") || !strings.Contains(r.stderr, "127.0.0.1") {
			t.Errorf("%s with the spot node stopped: want a refusal naming the spot chain, got\n%s", cmd, r)
		}
	}
	if got := chain.nonce(signer.Addr); got != nonce1 {
		t.Errorf("with the spot node stopped %d transaction(s) were sent", got-nonce1)
	}
}
