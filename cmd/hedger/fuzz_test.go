package main

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// FuzzParseAddress: an accepted address round-trips, and mixed case is
// accepted only with a valid EIP-55 checksum; errors are one line.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"0x000000000000000000000000000000000000bEEF", "0x000000000000000000000000000000000000beef",
		"0x000000000000000000000000000000000000BeEF", "0x123", "", "0xZZ00000000000000000000000000000000000000",
		"000000000000000000000000000000000000bEEF", " 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := parseAddress("wallet", s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		body := strings.TrimSpace(s)[2:]
		if !strings.EqualFold(body, a.Hex()[2:]) {
			t.Fatalf("%q parsed as %s", s, a.Hex())
		}
		mixed := body != strings.ToLower(body) && body != strings.ToUpper(body)
		if mixed && common.HexToAddress(body).Hex()[2:] != body {
			t.Fatalf("%q accepted with a wrong checksum", s)
		}
	})
}

// FuzzParseAmount: amounts are decimals or refused with one line; negative
// amounts never pass parseNonNegative.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1", "0.5", "-5", "abc", "1e3", "1e-30", "", " 2 ", "NaN", "Inf", "0x10", "1,5", "99999999999999999999999999.123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseNonNegative("--usdc", s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if d.IsNegative() {
			t.Fatalf("%q accepted as negative %s", s, d)
		}
	})
}

// FuzzParseDuration: durations are at least a second or refused.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"8h", "3d", "1d12h", "0s", "-1h", "d", "99999999999d", "4294967295d", "106751d", "1.5h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDuration(s)
		if err == nil && (d.Seconds() < 1 || d.Hours() > 24*36501) {
			t.Fatalf("%q accepted as %s", s, d)
		}
	})
}
