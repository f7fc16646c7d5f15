package spot_test

import (
	"context"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/internal/devnode"
	"github.com/hedger/hedger/hedge/spot"
)

// devSend sends a transaction from geth --dev's unlocked account and waits for its receipt.
func devSend(t *testing.T, rc *rpc.Client, tx map[string]any) common.Address {
	t.Helper()
	ctx := context.Background()
	var accts []common.Address
	if err := rc.CallContext(ctx, &accts, "eth_accounts"); err != nil || len(accts) == 0 {
		t.Fatalf("geth --dev has no account: %v", err)
	}
	tx["from"] = accts[0]
	var h common.Hash
	if err := rc.CallContext(ctx, &h, "eth_sendTransaction", tx); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		var r *struct {
			Status          hexutil.Uint64  `json:"status"`
			ContractAddress *common.Address `json:"contractAddress"`
		}
		if err := rc.CallContext(ctx, &r, "eth_getTransactionReceipt", h); err != nil {
			if strings.Contains(err.Error(), "indexing is in progress") {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			t.Fatal(err)
		}
		if r != nil {
			if r.Status != 1 {
				t.Fatalf("transaction %s reverted", h)
			}
			if r.ContractAddress != nil {
				return *r.ContractAddress
			}
			return common.Address{}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("transaction %s not mined", h)
	return common.Address{}
}

// geth --dev capped at 100 calls per batch: 700 wallets × (native + one
// token) = 1400 reads take exactly ceil(1400/100) = 14 batches plus the head
// read with the limit configured, and still succeed (three refused batches
// more, once) when the reader starts from the default 1000.
func TestBatchLimitGethDev700Wallets(t *testing.T) {
	ctx := context.Background()
	url, rc := devnode.GethDev(t, "--rpc.batch-request-limit", "100")
	tt := contracts.NewTestToken()
	tok := devSend(t, rc, map[string]any{"input": hexutil.Bytes(append(common.FromHex(contracts.TestTokenMetaData.Bin), tt.PackConstructor("Wrapped Ether", "WETH", 18)...)), "gas": hexutil.Uint64(3_000_000)})
	wallets := make([]spot.Wallet, 700)
	for i := range wallets {
		wallets[i].Address = common.BigToAddress(big.NewInt(int64(0x10000 + i)))
	}
	devSend(t, rc, map[string]any{"to": tok, "input": hexutil.Bytes(tt.PackMint(wallets[0].Address, big.NewInt(5e17)))})
	devSend(t, rc, map[string]any{"to": wallets[699].Address, "value": hexutil.EncodeBig(big.NewInt(2e18)), "gas": hexutil.Uint64(21_000)})
	bf := books.Merge(books.Builtin(), &books.File{Format: books.Format, Chains: []books.Chain{{ChainID: 1337,
		Native: &books.Native{Symbol: "ETH", Asset: "ETH"},
		Tokens: []books.Token{{Symbol: "WETH", Address: tok, Asset: "ETH"}}}}})

	for _, tc := range []struct {
		name       string
		limit      int
		roundTrips int // of the first read
		afterwards int // of every read after it
	}{
		{"limit 100 configured", 100, 1 + 14, 1 + 14},
		{"default 1000, node caps at 100", 0, 1 + 3 + 14, 1 + 14},
	} {
		cnt := &counter{}
		src, err := spot.Dial(ctx, url, spot.Options{ChainID: 1337, BatchLimit: tc.limit, Books: bf,
			HTTPClient: rpc.WithHTTPClient(&http.Client{Transport: cnt})})
		if err != nil {
			t.Fatal(err)
		}
		if src.Reader.Multicall != nil {
			t.Fatal("geth --dev has no Multicall3; the reader must use batches")
		}
		for round, want := range []int{tc.roundTrips, tc.afterwards} {
			cnt.take()
			snap, err := spot.Read(ctx, []*spot.Chain{src}, wallets)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			n, calls := cnt.take()
			cr := snap.Chains[0]
			t.Logf("%s, read %d: %d wallets × 2 reads = %d items in %d round trips (batches of %v)", tc.name, round+1, len(wallets), cr.Items, n, calls)
			if cr.Items != 1400 || n != want || int(cr.RoundTrips) != want {
				t.Fatalf("%s, read %d: %d items in %d round trips (reader counted %d), want 1400 in %d", tc.name, round+1, cr.Items, n, cr.RoundTrips, want)
			}
			for _, c := range calls {
				if c > 100 && round > 0 {
					t.Fatalf("a batch of %d calls after the limit was learnt", c)
				}
			}
			tot := snap.Totals()
			if !tot["ETH"].Equal(d("2.5")) {
				t.Fatalf("total %s ETH, want 2.5 (0.5 WETH + 2 native)", tot["ETH"])
			}
		}
	}
}
