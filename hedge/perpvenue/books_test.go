package perpvenue

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/multiread"
)

// The books file written for a deployment loads with hedge/books and passes
// its on-chain check: every token's symbol() and decimals(), each feed's
// decimals and latestRoundData, and wstETH's rate. A file with one symbol
// changed is refused, so the check is real.
func TestDeployBooksVerify(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	dir := t.TempDir()
	path, err := e.book.SaveBooks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if path != BooksPath(dir, e.book.ChainID) {
		t.Fatalf("written to %s", path)
	}
	f, err := books.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := f.Chain(e.book.ChainID)
	if !ok {
		t.Fatalf("no chain %d in %s", e.book.ChainID, path)
	}
	rc, err := rpc.Dial("http://" + e.emb.HTTPAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r := &multiread.Reader{RPC: rc, Label: "embedded"}
	if err := r.Detect(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := books.Verify(ctx, r, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Every deployed token and feed is in the book, at the chain's decimals.
	if len(got.Tokens) != len(e.book.Tokens)+1 {
		t.Fatalf("%d tokens checked; deployed %d spot tokens and the collateral", len(got.Tokens), len(e.book.Tokens))
	}
	for _, tk := range got.Tokens {
		want, ok := e.book.Token(tk.Symbol)
		if !ok || want.Address != tk.Address || want.Decimals != tk.Decimals {
			t.Errorf("token %s %s: %d decimals; deployed %+v", tk.Symbol, tk.Address.Hex(), tk.Decimals, want)
		}
		if (want.Rate != nil) != (tk.Rate != nil) {
			t.Errorf("token %s: rate %v, deployed %v", tk.Symbol, tk.Rate, want.Rate)
		}
	}
	for _, m := range e.book.Markets {
		fd, ok := got.Feed(m.Asset + "/USD")
		if !ok || fd.Address != m.Feed || fd.Decimals != m.FeedDecimals {
			t.Errorf("market %s: feed %+v, deployed %s at %d decimals", m.Asset, fd, m.Feed.Hex(), m.FeedDecimals)
		}
	}
	if got.Native == nil || got.Native.Asset != e.book.NativeAsset {
		t.Errorf("native %+v, deployed %q", got.Native, e.book.NativeAsset)
	}

	raw, _ := os.ReadFile(path)
	bad, err := books.Parse([]byte(strings.Replace(string(raw), `"symbol": "WBTC"`, `"symbol": "XBTC"`, 1)), "tampered")
	if err != nil {
		t.Fatal(err)
	}
	bc, _ := bad.Chain(e.book.ChainID)
	if _, err := books.Verify(ctx, r, bc, nil); err == nil || !strings.Contains(err.Error(), "symbol()") {
		t.Fatalf("a wrong symbol passed the check: %v", err)
	}
}
