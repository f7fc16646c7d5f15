package main

import (
	"slices"
	"testing"
)

func TestInterspersed(t *testing.T) {
	app := newApp()
	cases := []struct{ in, want []string }{
		{[]string{"hedger", "devnet", "fund", "0xabc", "--usdc", "5", "--json"},
			[]string{"hedger", "devnet", "fund", "--usdc", "5", "--json", "--", "0xabc"}},
		{[]string{"hedger", "devnet", "skew", "ETH", "-3000", "--private-key=k"},
			[]string{"hedger", "devnet", "skew", "--private-key=k", "--", "ETH", "-3000"}},
		{[]string{"hedger", "status", "--wallet", "0x1", "--json"},
			[]string{"hedger", "status", "--wallet", "0x1", "--json"}},
		{[]string{"hedger", "devnet", "set-price", "--", "ETH", "-1"},
			[]string{"hedger", "devnet", "set-price", "--", "ETH", "-1"}},
		{[]string{"hedger", "devnet"}, []string{"hedger", "devnet"}},
		{[]string{"hedger", "nosuch", "--x"}, []string{"hedger", "nosuch", "--x"}},
	}
	for _, c := range cases {
		if got := interspersed(app, c.in); !slices.Equal(got, c.want) {
			t.Errorf("interspersed(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
