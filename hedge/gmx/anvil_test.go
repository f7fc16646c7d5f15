package gmx

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hedger/hedger/chain"
)

// anvilBin finds anvil: $ANVIL_BIN, PATH, then the npm package of
// contracts/ (npm --prefix contracts ci). Under CI=true a missing anvil
// fails the test.
func anvilBin(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ANVIL_BIN"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("ANVIL_BIN=%s: %v", p, err)
		}
		return p
	}
	if p, err := exec.LookPath("anvil"); err == nil {
		return p
	}
	root, _ := filepath.Abs("../..")
	p := filepath.Join(root, "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	msg := "anvil not found: set ANVIL_BIN or run npm --prefix contracts ci --no-audit --no-fund"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startAnvil runs anvil for chain 31337 on a free port and dials it.
func startAnvil(t *testing.T, extra ...string) (*chain.Client, string) {
	t.Helper()
	bin := anvilBin(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	args := append([]string{"--host", "127.0.0.1", "--port", fmt.Sprint(port), "--silent", "--chain-id", "31337"}, extra...)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for i := 0; ; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := chain.Dial(ctx, url, chain.DialOptions{})
		cancel()
		if err == nil {
			t.Cleanup(c.Close)
			return c, url
		}
		if i > 150 {
			t.Fatalf("anvil did not answer: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAnvilShortLifecycle: the same flow as on the embedded chain, on anvil
// with the fixture loaded through anvil_loadState.
func TestAnvilShortLifecycle(t *testing.T) {
	ctx := context.Background()
	c, url := startAnvil(t)
	if err := LoadAnvil(ctx, c); err != nil {
		t.Fatal(err)
	}
	e := setupEnv(t, ctx, c)
	runLifecycle(t, ctx, e, url)
}

// TestAnvilLoadStateFile: the plain JSON loads with anvil --load-state and
// the deployment answers there.
func TestAnvilLoadStateFile(t *testing.T) {
	ctx := context.Background()
	raw, err := FixtureStateJSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "gmx-state.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ := startAnvil(t, "--load-state", path)
	book, err := BookFor(ChainAnvil)
	if err != nil {
		t.Fatal(err)
	}
	var b chain.Batch
	var markets int
	b.Call(book.Contracts.Reader, readerABI.PackGetMarkets(book.Contracts.DataStore, bigZero(), bigInt(100)), func(out []byte) error {
		ms, err := readerABI.UnpackGetMarkets(out)
		markets = len(ms)
		return err
	})
	if err := c.Read(ctx, &b, nil); err != nil {
		t.Fatal(err)
	}
	if markets != 9 {
		t.Fatalf("Reader.getMarkets: %d markets, want the fixture's 9", markets)
	}
}
