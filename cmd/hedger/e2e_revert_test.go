package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/hedger/hedger/chain/faultrpc"
)

// A hedge trade that is sent, mined and reverted (the mark moved past its
// acceptable price between the estimate and the block) is reported as sent,
// mined in its block and reverted, with the venue's decoded reason, and it
// counts among the steps sent: it used a nonce and paid gas.
func TestE2EMinedRevertReported(t *testing.T) {
	e2eSkipIfShort(t)
	r := e2eNewJournalRig(t)
	venue := common.HexToAddress(r.book.Venue)
	deployer := e2eAccountFromHex(t, e2eAnvilKey0)
	p, err := faultrpc.New(r.n.URL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	// When the first trade reaches the node (after its estimate), both
	// marks drop 30% on the node first, so the trade's fill is below the
	// short's acceptable price and PerpVenue reverts it.
	var once sync.Once
	var moved []e2eResult
	p.SetRules(faultrpc.Rule{Kind: faultrpc.Delay, Methods: []string{"eth_sendRawTransaction"}, Count: 1,
		Match: func(c faultrpc.Call) bool {
			var params []hexutil.Bytes
			tx := new(types.Transaction)
			if json.Unmarshal(c.Params, &params) != nil || len(params) != 1 || tx.UnmarshalBinary(params[0]) != nil {
				return false
			}
			if tx.To() == nil || *tx.To() != venue || len(tx.Data()) < 4 || !bytes.Equal(tx.Data()[:4], e2eModifyPositionSelector()) {
				return false
			}
			once.Do(func() {
				for _, a := range []struct{ asset, price string }{{"ETH", "2100"}, {"BTC", "42000"}} {
					moved = append(moved, r.cli.run("devnet", "set-price", a.asset, a.price, "--rpc-url", r.n.URL, "--private-key", deployer.Key))
				}
			})
			return true
		}})
	nonce0 := r.ch.nonce(r.signer.Addr)
	args := r.hedgeArgs()
	args[2] = p.URL() // --rpc-url through the proxy
	res := r.cli.fails(args...)
	for _, m := range moved {
		if m.code != 0 {
			t.Fatalf("moving the price: %s", m)
		}
	}
	if len(moved) == 0 {
		t.Fatalf("no trade reached the node:\n%s", res)
	}
	sent := r.ch.nonce(r.signer.Addr) - nonce0
	errLine := ""
	for _, l := range strings.Split(strings.TrimSpace(res.stderr), "\n") {
		if strings.HasPrefix(l, "hedger: ") {
			errLine = l
		}
	}
	t.Logf("%d transactions on chain; error: %s", sent, errLine)
	if strings.Contains(errLine, "failed after") || strings.Contains(errLine, "reason unknown") {
		t.Errorf("a mined revert reads as a step that was not sent, or without its reason: %s", errLine)
	}
	for _, want := range []string{"(trade ", "was sent and mined in block", "and reverted", "SlippageExceeded(", " steps sent)"} {
		if !strings.Contains(errLine, want) {
			t.Errorf("error line lacks %q: %s", want, errLine)
		}
	}
	// The reverted trade is counted: as many steps sent as transactions
	// the signer has on chain since the start.
	if want := " " + strconv.FormatUint(sent, 10) + " of "; !strings.Contains(errLine, want) {
		t.Errorf("error line does not count %d sent (%q): %s", sent, want, errLine)
	}
}
