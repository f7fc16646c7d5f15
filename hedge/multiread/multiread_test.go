package multiread_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge/internal/devnode"
	"github.com/hedger/hedger/hedge/multiread"
)

// proxy forwards JSON-RPC over HTTP to a real node and misbehaves on batches.
type proxy struct {
	target string
	mode   string // "drop": answer only the first keep elements; "413": refuse batches above keep; "noisy": fail with a huge body
	keep   int
	mu     sync.Mutex
	reqs   int
}

func (p *proxy) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.reqs++
	p.mu.Unlock()
	var arr []json.RawMessage
	isBatch := json.Unmarshal(body, &arr) == nil
	if isBatch && p.mode == "413" && len(arr) > p.keep {
		return &http.Response{StatusCode: 413, Status: "413 Request Entity Too Large", Body: io.NopCloser(strings.NewReader(string(body))), Header: http.Header{}, Request: r}, nil
	}
	if isBatch && p.mode == "noisy" {
		return &http.Response{StatusCode: 500, Status: "500 Internal Server Error", Body: io.NopCloser(strings.NewReader("upstream failed on\n" + strings.Repeat(string(body), 3))), Header: http.Header{}, Request: r}, nil
	}
	req, _ := http.NewRequestWithContext(r.Context(), "POST", p.target, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || !isBatch || p.mode != "drop" {
		return resp, err
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var answers []json.RawMessage
	json.Unmarshal(out, &answers)
	if len(answers) > p.keep {
		answers = answers[:p.keep]
	}
	b, _ := json.Marshal(answers)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Del("Content-Length")
	return resp, nil
}

func items(n int) []multiread.Item {
	out := make([]multiread.Item, n)
	for i := range out {
		out[i] = multiread.Item{To: common.BigToAddress(big.NewInt(int64(1000 + i))), Balance: true}
	}
	return out
}

func reader(t *testing.T, p *proxy) *multiread.Reader {
	rc, err := rpc.DialOptions(context.Background(), "http://proxy.invalid/key-in-path", rpc.WithHTTPClient(&http.Client{Transport: p}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Close)
	return &multiread.Reader{RPC: rc, Label: "chain 31337"}
}

// A node that drops the tail of every batch: the reader sends the missing
// reads again, learns the node's size, and keeps it.
func TestDroppedPartOfBatchIsRetried(t *testing.T) {
	url, _ := devnode.Anvil(t, 31337)
	p := &proxy{target: url, mode: "drop", keep: 60}
	r := reader(t, p)
	res, at, err := r.Read(context.Background(), items(300), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range res {
		if x.Err != nil || x.Balance == nil {
			t.Fatalf("item %d: %+v", i, x)
		}
	}
	if at != 0 {
		t.Fatalf("block %d on a fresh anvil", at)
	}
	// head + 300 (60 answered) + 240 at 60 each = 1 + 1 + 4.
	if n := r.RoundTrips(); n != 6 || r.EffectiveLimit() != 60 {
		t.Fatalf("%d round trips, limit %d; want 6 and 60", n, r.EffectiveLimit())
	}
	before := r.RoundTrips()
	if _, _, err := r.Read(context.Background(), items(300), nil); err != nil {
		t.Fatal(err)
	}
	if n := r.RoundTrips() - before; n != 1+5 {
		t.Fatalf("second read took %d round trips, want 6 (head + 5 × 60)", n)
	}
}

// HTTP 413 for a large batch: split down the rungs until it fits.
func TestHTTP413Splits(t *testing.T) {
	url, _ := devnode.Anvil(t, 31337)
	p := &proxy{target: url, mode: "413", keep: 150}
	r := reader(t, p)
	if _, _, err := r.Read(context.Background(), items(700), nil); err != nil {
		t.Fatal(err)
	}
	if r.EffectiveLimit() != 100 {
		t.Fatalf("limit %d, want 100 (the rung under 150)", r.EffectiveLimit())
	}
}

// A failing node's answer can quote the whole batch: the error stays one
// short line, and the URL's path (an API key) is not in it.
func TestErrorIsOneShortLine(t *testing.T) {
	url, _ := devnode.Anvil(t, 31337)
	p := &proxy{target: url, mode: "noisy"}
	r := reader(t, p)
	_, _, err := r.Read(context.Background(), items(500), nil)
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || len(msg) > 220 || strings.Contains(msg, "key-in-path") || !strings.HasPrefix(msg, "chain 31337: ") {
		t.Fatalf("error is not one short line: %d chars: %q", len(msg), msg)
	}
}

// anvil answers a body over 2 MiB with one error object instead of an array:
// that too is a batch to split, not a failed read.
func TestBodyTooLargeObjectAnswerSplits(t *testing.T) {
	_, rc := devnode.Anvil(t, 31337)
	r := &multiread.Reader{RPC: rc, Label: "chain 31337", MaxRequestBytes: 64 << 20}
	its := make([]multiread.Item, 15)
	for i := range its {
		its[i] = multiread.Item{To: common.BytesToAddress([]byte{1}), Data: make([]byte, 200_000)}
	}
	res, _, err := r.Read(context.Background(), its, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 15 || r.EffectiveLimit() >= 15 {
		t.Fatalf("%d results, limit %d", len(res), r.EffectiveLimit())
	}
}

// The reader reads over the connection its caller already has (here
// chain's *Client, which the rest of hedger uses for the same chain): no
// second connection, and the splitting of a node's dropped batch tail works
// the same through it. Every request the proxy saw is one the reader or the
// client sent on that one connection.
func TestReadsOverCallersChainClient(t *testing.T) {
	url, _ := devnode.Anvil(t, 31337)
	p := &proxy{target: url, mode: "drop", keep: 60}
	cl, err := chain.Dial(context.Background(), "http://proxy.invalid/key-in-path", chain.DialOptions{HTTPClient: &http.Client{Transport: p}})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var _ multiread.Caller = cl
	r := &multiread.Reader{RPC: cl, Label: "chain 31337"}
	p.mu.Lock()
	dialReqs := p.reqs // eth_chainId of chain.Dial
	p.mu.Unlock()
	res, _, err := r.Read(context.Background(), items(300), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range res {
		if x.Err != nil || x.Balance == nil {
			t.Fatalf("item %d: %+v", i, x)
		}
	}
	if n := r.RoundTrips(); n != 6 || r.EffectiveLimit() != 60 {
		t.Fatalf("%d round trips, limit %d; want 6 and 60", n, r.EffectiveLimit())
	}
	if _, err := cl.BlockNumber(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if got := p.reqs - dialReqs; got != 6+1 {
		t.Fatalf("the connection carried %d requests after the dial, want 7 (6 reads + 1 head)", got)
	}
}
