// Package devnode starts the real dev nodes the tests of hedge's sub-packages
// run against: anvil (with any chain ID, to rehearse a real network) and geth
// --dev. A missing tool fails the test under CI=true and skips it elsewhere.
package devnode

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
)

func missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func repoRoot() string {
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return dir
}

func find(t testing.TB, name, env string, extra ...string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s=%s: %v", env, p, err)
		}
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range extra {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	missing(t, fmt.Sprintf("%s not found: set %s or put it on PATH (README: Two commands on a fresh machine)", name, env))
	return ""
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func start(t testing.TB, bin string, args []string, url string) *rpc.Client {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		rc, err := rpc.DialContext(ctx, url)
		if err == nil {
			var id string
			err = rc.CallContext(ctx, &id, "eth_chainId")
			if err == nil {
				cancel()
				t.Cleanup(rc.Close)
				return rc
			}
			rc.Close()
		}
		cancel()
		if i > 300 {
			t.Fatalf("%s did not answer at %s: %v", filepath.Base(bin), url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Anvil starts anvil with chainID and returns its URL and a client.
func Anvil(t testing.TB, chainID uint64, extra ...string) (string, *rpc.Client) {
	t.Helper()
	bin := find(t, "anvil", "ANVIL_BIN", filepath.Join(repoRoot(), "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"))
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	args := append([]string{"--host", "127.0.0.1", "--port", fmt.Sprint(port), "--silent", "--chain-id", fmt.Sprint(chainID)}, extra...)
	return url, start(t, bin, args, url)
}

// GethDev starts geth --dev (chain 1337) over HTTP with extra flags.
func GethDev(t testing.TB, extra ...string) (string, *rpc.Client) {
	t.Helper()
	home, _ := os.UserHomeDir()
	bin := find(t, "geth", "GETH_BIN", filepath.Join(home, "go/bin/geth"))
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	args := append([]string{"--dev", "--dev.period", "0", "--datadir", t.TempDir(), "--http", "--http.addr", "127.0.0.1",
		"--http.port", fmt.Sprint(port), "--http.api", "eth,net,web3,debug", "--port", "0", "--authrpc.port", fmt.Sprint(freePort(t)),
		"--ipcdisable", "--nodiscover", "--verbosity", "1"}, extra...)
	return url, start(t, bin, args, url)
}
