package config

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

const full = `# hedger config
venue = "local"
data_dir = "/tmp/hedger-data"
books_file = "books.json"

[chain]                       # the venue's chain
name = "arbitrum"
rpc_url_env = "ARB_RPC_URL"
chain_id = 42161
batch_limit = 500

[[spot]]
name = "mainnet"
rpc_url_env = "MAINNET_RPC_URL"
chain_id = 1
batch_limit = 100

[[spot]]
name = "base"
rpc_url_env = "BASE_RPC_URL"
chain_id = 8453

[[wallet]]
address = "0x000000000000000000000000000000000000bEEF"
label = "cold"

[[wallet]]
address = "0x000000000000000000000000000000000000dEaD"
chains = [1]                   # only read on mainnet

[signer]
keystore = "~/.foundry/keystores/hedger"
password_file = "~/.hedger/pass"
from = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

[caps]
max_fee_gwei = 0.5
max_trade_notional = 25_000
max_daily_notional = 100000.25
confirmations = 3
resubmit_after = "45s"

[watch]
poll_interval = "4s"
metrics_addr = "127.0.0.1:9464"
log_format = "json"

[policy.default]
funding_budget_apr = 0.20
funding_action = "reduce"
band = 0.05

[policy.BTC]
liq_floor = 0.40
funding_window = "12h"

[policy.LDO]
hedge_with = "ETH"
beta = "auto"
beta_csv = "ldo_daily.csv, eth_daily.csv"
`

func env(m map[string]string) Getenv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestFullExample(t *testing.T) {
	f, err := Parse([]byte(full), "hedger.toml")
	if err != nil {
		t.Fatal(err)
	}
	fv, err := f.FlagValues(env(map[string]string{"ARB_RPC_URL": "https://arb.example/v3/KEY", "MAINNET_RPC_URL": "https://eth.example", "BASE_RPC_URL": "https://base.example"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"venue": {"local"}, "data-dir": {"/tmp/hedger-data"}, "books-file": {"books.json"},
		"rpc-url": {"https://arb.example/v3/KEY"}, "chain-id": {"42161"}, "batch-limit": {"500"},
		"wallet":   {"0x000000000000000000000000000000000000bEEF"},
		"spot-rpc": {"https://eth.example", "https://base.example"},
		"keystore": {"~/.foundry/keystores/hedger"}, "password-file": {"~/.hedger/pass"}, "from": {"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
		"max-fee-gwei": {"0.5"}, "max-trade-notional": {"25000"}, "max-daily-notional": {"100000.25"},
		"confirmations": {"3"}, "resubmit-after": {"45s"},
		"poll-interval": {"4s"}, "metrics-addr": {"127.0.0.1:9464"}, "log-format": {"json"},
	}
	if !reflect.DeepEqual(fv, want) {
		t.Fatalf("flag values\n got %v\nwant %v", fv, want)
	}
	if got := f.WalletsOn(1); len(got) != 2 {
		t.Fatalf("wallets on chain 1: %v", got)
	}
	if got := f.WalletsOn(8453); len(got) != 1 {
		t.Fatalf("wallets on chain 8453: %v", got)
	}
	p := f.Policies
	if p == nil {
		t.Fatal("no policies")
	}
	if !p.Default.Band.Equal(decimal.RequireFromString("0.05")) || p.Default.Band.String() != "0.05" {
		t.Fatalf("band %s: must be exactly 0.05, read from the text", p.Default.Band)
	}
	btc := p.Assets["BTC"]
	if !btc.LiqFloor.Equal(decimal.RequireFromString("0.40")) || btc.FundingAction != p.Default.FundingAction {
		t.Fatalf("BTC must start from default and set liq_floor: %+v", btc)
	}
	if ldo := p.Assets["LDO"]; !ldo.BetaAuto || ldo.HedgeWith != "ETH" {
		t.Fatalf("LDO policy: %+v", ldo)
	}
}

func TestErrorsNameTheLine(t *testing.T) {
	cases := []struct{ name, edit, want string }{
		{"unknown key", strings.Replace(full, "confirmations = 3", "confirmation = 3", 1), "hedger.toml: line 40: caps.confirmation: unknown key"},
		{"bad address", strings.Replace(full, "0x000000000000000000000000000000000000dEaD", "0x000000000000000000000000000000000000DeaD", 1), "hedger.toml: line 28: wallet.1.address:"},
		{"private key", strings.Replace(full, `from = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"`, `private_key = "0xac09"`, 1), "line 34: signer.private_key: a raw private key is never read from a file"},
		{"bad policy value", strings.Replace(full, "liq_floor = 0.40", "liq_floor = \"lots\"", 1), "line 54: policy.BTC.liq_floor:"},
		{"url instead of env name", strings.Replace(full, `rpc_url_env = "BASE_RPC_URL"`, `rpc_url_env = "https://base.example/KEY"`, 1), "line 20: spot.1.rpc_url_env: is the name of an environment variable"},
		{"syntax", strings.Replace(full, `name = "base"`, `name = base`, 1), "hedger.toml: line 19:"},
		{"bad cap", strings.Replace(full, "max_fee_gwei = 0.5", "max_fee_gwei = -1", 1), "line 37: caps.max_fee_gwei:"},
		{"venue", strings.Replace(full, `venue = "local"`, `venue = "dydx"`, 1), `line 2: venue: "dydx" is not a venue`},
	}
	for _, tc := range cases {
		_, err := Parse([]byte(tc.edit), "hedger.toml")
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: want one line containing %q, got %v", tc.name, tc.want, err)
		}
	}
	f, _ := Parse([]byte(full), "hedger.toml")
	if _, err := f.FlagValues(env(map[string]string{"MAINNET_RPC_URL": "x", "BASE_RPC_URL": "y"})); err == nil ||
		!strings.Contains(err.Error(), "line 8: chain.rpc_url_env: environment variable ARB_RPC_URL is not set") {
		t.Errorf("missing env var: %v", err)
	}
}

const oldPolicy = `# hedger policy
[default]
funding_budget_apr = 0.20
funding_action = reduce
liq_floor = 0.25
[BTC]                    # starts from the whole [default] section
liq_floor = 0.40
funding_window = 12h
[ldo]
hedge_with = ETH
beta = 1.2
beta_csv = ldo_daily.csv, eth_daily.csv
`

// The old policy file converts in one go into [policy.*] tables that give
// exactly the policies the old parser gives.
func TestConvertPolicy(t *testing.T) {
	out, err := ConvertPolicy([]byte(oldPolicy), "policy.ini")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse([]byte(out), "converted.toml")
	if err != nil {
		t.Fatalf("converted file does not parse: %v\n%s", err, out)
	}
	old, err := hedge.ParsePolicies(bytes.NewReader([]byte(oldPolicy)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*f.Policies, old) {
		t.Fatalf("converted policies differ\n got %+v\nwant %+v\n%s", *f.Policies, old, out)
	}
	for _, want := range []string{"[policy.default]", `funding_action = "reduce"`, "[policy.BTC]", `funding_window = "12h"`, "[policy.LDO]", "beta = 1.2", "# starts from the whole [default] section"} {
		if !strings.Contains(out, want) {
			t.Fatalf("converted file lacks %q:\n%s", want, out)
		}
	}
	if _, err := ConvertPolicy([]byte("[default]\nband = lots\n"), "bad.ini"); err == nil || !strings.Contains(err.Error(), "bad.ini: line 2") {
		t.Fatalf("want the old parser's line, got %v", err)
	}
}
