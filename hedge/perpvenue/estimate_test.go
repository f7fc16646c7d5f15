package perpvenue

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
)

// noSimulate answers eth_simulateV1 with "method not found", as nodes
// without it do, and passes everything else on.
type noSimulate struct{ simulateCalls int }

func (n *noSimulate) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	if bytes.Contains(body, []byte("eth_simulateV1")) {
		n.simulateCalls++
		var req struct {
			ID json.RawMessage `json:"id"`
		}
		_ = json.Unmarshal(body, &req)
		resp := `{"jsonrpc":"2.0","id":` + string(req.ID) + `,"error":{"code":-32601,"message":"the method eth_simulateV1 does not exist/is not available"}}`
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(resp)), Request: r}, nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return http.DefaultTransport.RoundTrip(r)
}

// A read-only venue (plan --from, no signer) on a node without
// eth_simulateV1 estimates through eth_estimateGas as the account; it used
// to dereference a nil transaction manager there.
func TestEstimateReadOnlyWithoutSimulate(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	ns := &noSimulate{}
	c, err := chain.Dial(ctx, "http://"+httpAddrOf(t, e), chain.DialOptions{HTTPClient: &http.Client{Transport: ns}, ChainID: 1337})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	key, _ := crypto.GenerateKey()
	acct := crypto.PubkeyToAddress(key.PublicKey)
	if err := e.dev.Mint(ctx, "USDC", acct, decimal.NewFromInt(1000)); err != nil {
		t.Fatal(err)
	}
	v := &Venue{Client: c, Book: e.book, Account: acct} // no Tx: read-only
	steps := []hedge.Step{{Kind: hedge.StepApprove, Amount: decimal.NewFromInt(100)}}
	est, err := v.Estimate(ctx, steps)
	if err != nil {
		t.Fatal(err)
	}
	if ns.simulateCalls == 0 {
		t.Fatal("eth_simulateV1 was never tried")
	}
	if len(est) != 1 || est[0].Gas == 0 || est[0].Err != "" {
		t.Fatalf("estimates %+v", est)
	}
}
