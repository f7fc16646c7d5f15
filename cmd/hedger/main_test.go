package main

import (
	"errors"
	"strings"
	"testing"
)

// Errors never carry an RPC provider's API key or credentials: Go quotes
// the whole URL in transport errors.
func TestOneLineRedactsURLs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`Post "https://mainnet.infura.io/v3/0123456789abcdef": dial tcp: lookup failed`, `Post "https://mainnet.infura.io/…": dial tcp: lookup failed`},
		{"dial wss://user:secret@node.example:8546/ws?key=abc failed", "dial wss://node.example:8546/… failed"},
		{"node at http://127.0.0.1:8545 is down", "node at http://127.0.0.1:8545 is down"},
		{"webhook https://hooks.example/T000/B000/XXXX refused\nsecond line", "webhook https://hooks.example/… refused second line"},
	} {
		got := oneLine(errors.New(c.in))
		if got != c.want {
			t.Errorf("oneLine(%q) = %q, want %q", c.in, got, c.want)
		}
		for _, secret := range []string{"0123456789abcdef", "secret", "key=abc", "XXXX"} {
			if strings.Contains(got, secret) {
				t.Errorf("%q leaks %q", got, secret)
			}
		}
	}
}

// An unknown command is one line naming it and listing the commands, and an
// error (main exits 1), not urfave/cli's "No help topic".
func TestUnknownCommand(t *testing.T) {
	err := newApp().Run([]string{"hedger", "setup"})
	if err == nil {
		t.Fatal("hedger setup succeeded")
	}
	got := oneLine(err)
	if !strings.Contains(got, `unknown command "setup"`) || strings.Contains(got, "help topic") || got != err.Error() {
		t.Fatalf("error = %q", got)
	}
	for _, c := range []string{"status", "plan", "hedge", "close", "accounts", "deploy", "devnet", "demo", "watch", "journal"} {
		if !strings.Contains(got, c) {
			t.Errorf("%q does not list %s", got, c)
		}
	}
}
