package gmxvenue

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/venuetest"
)

// countingTransport counts HTTP round trips and the JSON-RPC calls in each.
type countingTransport struct {
	mu    sync.Mutex
	calls []int
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	n := 1
	var arr []json.RawMessage
	if json.Unmarshal(body, &arr) == nil {
		n = len(arr)
	}
	t.mu.Lock()
	t.calls = append(t.calls, n)
	t.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (t *countingTransport) take() []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.calls
	t.calls = nil
	return out
}

// TestMeasure measures, on the fixture with Arbitrum's ETH market config
// and the in-process keeper: JSON-RPC round trips of one snapshot, the
// transactions and gas of open / adjust / reduce / close, the keeper's
// execution gas and the blocks from order to execution. Figures go to the
// README (go test ./hedge/gmxvenue -run TestMeasure -v).
func TestMeasure(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	e := newEnvServing(t, addr)
	v := e.venue(e.wallets[:2])

	// Round trips of one snapshot, read as a read-only process over HTTP.
	ct := &countingTransport{}
	rc, err := chain.Dial(ctx, "http://"+addr, chain.DialOptions{HTTPClient: &http.Client{Transport: ct}})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ro := New(gmx.NewClient(rc, e.book, e.acct, nil), e.wallets[:2])
	if _, err := ro.Snapshot(ctx); err != nil { // the first one discovers the feeds
		t.Fatal(err)
	}
	t.Logf("dial (eth_chainId) and first snapshot (feeds discovered, once per process): %d round trips %v", len(ct.calls), ct.calls)
	ct.take()
	snap, err := ro.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	trips := ct.take()
	// The header, the GMX reads and the spot wallets' reads in one batch.
	if len(trips) != 1 {
		t.Fatalf("snapshot took %d round trips %v, want 1", len(trips), trips)
	}
	if snap.Block == 0 || snap.Time.IsZero() || len(snap.Holdings) == 0 {
		t.Fatalf("snapshot missing its block or holdings: block %d time %v holdings %d", snap.Block, snap.Time, len(snap.Holdings))
	}
	t.Logf("snapshot: %d round trip %v (header + GMX + spot in one batch)", len(trips), trips)
	// watch: pinned to the head it was told of, also one round trip, and at that block.
	head, err := e.emb.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	ct.take()
	at, err := ro.SnapshotAt(ctx, head)
	if err != nil {
		t.Fatal(err)
	}
	if trips := ct.take(); len(trips) != 1 || at.Block != head.Number.Uint64() {
		t.Fatalf("snapshot at head %d: %d round trips %v, block %d", head.Number, len(trips), trips, at.Block)
	} else {
		t.Logf("snapshot at a given head: %d round trip %v", len(trips), trips)
	}

	gasOf := func(tx string) uint64 {
		r, err := e.emb.Client.TransactionReceipt(ctx, common.HexToHash(tx))
		if err != nil {
			t.Fatal(err)
		}
		return r.GasUsed
	}
	step := func(what string, spot int, close bool) {
		t.Helper()
		v.Wallets = e.wallets[:spot]
		eng := &engine.Engine{Venue: v, Policies: venuetest.Policies(), ApproveMax: true}
		c, err := eng.Read(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if close {
			err = eng.PlanClose(ctx, c, venuetest.Policies().Default.Policy(), nil)
		} else {
			err = eng.Plan(ctx, c)
		}
		if err != nil {
			t.Fatal(err)
		}
		res, err := eng.Submit(ctx, c, engine.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		var created uint64
		var key common.Hash
		for i, s := range res.Submissions {
			t.Logf("%s: tx %d/%d %s gas %d", what, i+1, len(res.Submissions), res.Steps[i].Kind, gasOf(s.Tx))
			if s.Pending {
				r, _ := e.emb.Client.TransactionReceipt(ctx, common.HexToHash(s.Tx))
				created, key = r.BlockNumber.Uint64(), common.HexToHash(s.Ref)
			}
		}
		ex, err := e.dev.Keeper.Once(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ex {
			if x.Key == key {
				t.Logf("%s: keeper execution gas %d, blocks from order to execution %d", what, x.Receipt.GasUsed, x.Receipt.BlockNumber.Uint64()-created)
			}
		}
	}
	step("open 2 ETH", 2, false)
	step("adjust to 3 ETH", 3, false)
	step("reduce to 1 ETH", 1, false)
	step("close", 1, true)
	if p := snapOf(t, v).PositionOf("ETH"); !p.Size.IsZero() {
		t.Fatalf("after close: %+v", p)
	}
}

// straddleTransport answers the first batch that reads the header at
// "latest" as a node that spreads a batch over blocks would: all but its
// last element, then a new block is sealed, then the last element. The
// requests it forwards are kept.
type straddleTransport struct {
	mine     func() error
	mu       sync.Mutex
	done     bool
	requests [][]map[string]any
}

func (t *straddleTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	var elems []map[string]any
	if json.Unmarshal(body, &elems) != nil || len(elems) < 2 {
		r.Body = io.NopCloser(bytes.NewReader(body))
		return http.DefaultTransport.RoundTrip(r)
	}
	t.mu.Lock()
	t.requests = append(t.requests, elems)
	split := !t.done && elems[0]["method"] == "eth_getBlockByNumber"
	if split {
		t.done = true
	}
	t.mu.Unlock()
	if !split {
		r.Body = io.NopCloser(bytes.NewReader(body))
		return http.DefaultTransport.RoundTrip(r)
	}
	first, err := t.forward(r, elems[:len(elems)-1])
	if err != nil {
		return nil, err
	}
	if err := t.mine(); err != nil {
		return nil, err
	}
	last, err := t.forward(r, elems[len(elems)-1:])
	if err != nil {
		return nil, err
	}
	out, _ := json.Marshal(append(first, last...))
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(out)), ContentLength: int64(len(out)), Request: r}, nil
}

func (t *straddleTransport) forward(r *http.Request, elems []map[string]any) ([]json.RawMessage, error) {
	body, _ := json.Marshal(elems)
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, r.URL.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// TestSnapshotHeadMovesMidBatch: when a block lands while the node answers
// the batch that reads the header at "latest", the snapshot is read once
// more pinned to the newer block and reports that block, never a mix.
func TestSnapshotHeadMovesMidBatch(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	e := newEnvServing(t, addr)
	st := &straddleTransport{mine: func() error { return e.emb.Client.Mine(ctx) }}
	rc, err := chain.Dial(ctx, "http://"+addr, chain.DialOptions{HTTPClient: &http.Client{Transport: st}})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ro := New(gmx.NewClient(rc, e.book, e.acct, nil), e.wallets[:1])
	before, err := e.emb.Client.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.mu.Lock()
	st.requests = nil // Discover's reads
	st.mu.Unlock()
	s, err := ro.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := before.Number.Uint64() + 1
	if s.Block != want {
		t.Fatalf("snapshot at block %d, want the newer block %d", s.Block, want)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var reads [][]map[string]any
	for _, r := range st.requests {
		if r[0]["method"] == "eth_getBlockByNumber" {
			reads = append(reads, r)
		}
	}
	if len(reads) != 2 {
		t.Fatalf("%d snapshot batches, want the straddled one and one re-read", len(reads))
	}
	tag := fmt.Sprintf("0x%x", want)
	for _, el := range reads[1] {
		args, _ := el["params"].([]any)
		if el["method"] == "eth_blockNumber" {
			t.Fatal("the re-read is pinned: it needs no eth_blockNumber")
		}
		if len(args) == 0 {
			t.Fatalf("%v has no block argument", el)
		}
		pos := len(args) - 1
		if el["method"] == "eth_getBlockByNumber" {
			pos = 0
		}
		if args[pos] != tag {
			t.Fatalf("re-read %v not pinned to %s", el, tag)
		}
	}
}
