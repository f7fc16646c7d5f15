package gmxvenue

import (
	"bytes"
	"context"
	"encoding/json"
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
	ct.take()
	if _, err := ro.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	trips := ct.take()
	total := 0
	for _, n := range trips {
		total += n
	}
	// The head, the GMX batch and the spot batch (the two batches go out
	// concurrently, both pinned to the head).
	if len(trips) != 3 {
		t.Fatalf("snapshot took %d round trips %v", len(trips), trips)
	}
	t.Logf("snapshot: %d round trips %v (%d JSON-RPC calls; the two batches concurrent)", len(trips), trips, total)

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
