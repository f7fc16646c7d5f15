package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

const testConfig = `
[chain]
rpc_url_env = "TEST_VENUE_RPC"
chain_id = 42161

[[wallet]]
address = "0x000000000000000000000000000000000000bEEF"

[caps]
max_fee_gwei = 7.5

[policy.default]
band = 0.07
[policy.BTC]
liq_floor = 0.4
`

// probe is a command with real hedger flags that records what it got.
func probe(got map[string]string) *cli.App {
	cmd := &cli.Command{Name: "probe",
		Flags: append(append([]cli.Flag{rpcFlag, chainIDFlag, walletFlag, dataDirFlag, maxFeeFlag}, policyFlags()...), riskFlags()...),
		Action: func(c *cli.Context) error {
			got["rpc-url"] = c.String("rpc-url")
			got["chain-id"] = c.String("chain-id")
			got["wallet"] = strings.Join(c.StringSlice("wallet"), ",")
			got["max-fee-gwei"] = c.String("max-fee-gwei")
			pol, err := policiesFrom(c)
			if err != nil {
				return err
			}
			got["band"] = pol.Default.Band.String()
			got["btc-liq-floor"] = pol.Assets["BTC"].LiqFloor.String()
			return nil
		}}
	app := &cli.App{Name: "hedger", Commands: []*cli.Command{cmd}}
	withConfig(app.Commands)
	return app
}

func writeConfig(t *testing.T, text string) string {
	p := filepath.Join(t.TempDir(), "hedger.toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// flag > env > file > built-in, per setting.
func TestConfigPrecedence(t *testing.T) {
	p := writeConfig(t, testConfig)
	t.Setenv("TEST_VENUE_RPC", "http://127.0.0.1:9/venue")
	for _, k := range []string{"ETH_RPC_URL", "HEDGER_RPC_URL", "HEDGER_CHAIN_ID", "HEDGER_WALLETS", "HEDGER_MAX_FEE_GWEI", "HEDGER_BAND", "HEDGER_CONFIG", "HEDGER_POLICY_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	got := map[string]string{}
	if err := probe(got).Run([]string{"hedger", "probe", "--config", p}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"rpc-url": "http://127.0.0.1:9/venue", "chain-id": "42161", "wallet": "0x000000000000000000000000000000000000bEEF",
		"max-fee-gwei": "7.5", "band": "0.07", "btc-liq-floor": "0.4"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("file: %s = %q, want %q", k, got[k], v)
		}
	}
	// The environment beats the file.
	t.Setenv("HEDGER_CHAIN_ID", "10")
	t.Setenv("HEDGER_MAX_FEE_GWEI", "3")
	got = map[string]string{}
	if err := probe(got).Run([]string{"hedger", "probe", "--config", p}); err != nil {
		t.Fatal(err)
	}
	if got["chain-id"] != "10" || got["max-fee-gwei"] != "3" || got["rpc-url"] != "http://127.0.0.1:9/venue" {
		t.Errorf("env over file: %v", got)
	}
	// The flag beats both; --band applies to every asset over the file.
	got = map[string]string{}
	if err := probe(got).Run([]string{"hedger", "probe", "--config", p, "--chain-id", "1", "--band", "0.02"}); err != nil {
		t.Fatal(err)
	}
	if got["chain-id"] != "1" || got["band"] != "0.02" || got["btc-liq-floor"] != "0.4" {
		t.Errorf("flag over env and file: %v", got)
	}
	// Without --config nothing of it applies: the built-in default.
	// (urfave/cli's flag objects keep earlier runs' values, so only the
	// policy, which the file alone set, is checked here.)
	got = map[string]string{}
	if err := probe(got).Run([]string{"hedger", "probe"}); err != nil {
		t.Fatal(err)
	}
	if got["band"] != "0.05" || got["btc-liq-floor"] != "0" {
		t.Errorf("built-in: %v", got)
	}
}

func TestConfigConvertCommand(t *testing.T) {
	old := filepath.Join(t.TempDir(), "policy.ini")
	os.WriteFile(old, []byte("[default]\nfunding_action = reduce\nband = 0.04\n[eth]\nstaking_apr = 0.03\n"), 0o644)
	app := newApp()
	var out bytes.Buffer
	app.Writer = &out
	if err := app.Run([]string{"hedger", "config", "convert", old}); err != nil {
		t.Fatal(err)
	}
	conv := writeConfig(t, out.String())
	app = newApp()
	app.Writer = &bytes.Buffer{}
	if err := app.Run([]string{"hedger", "config", "check", conv}); err != nil {
		t.Fatalf("converted file does not check: %v\n%s", err, out.String())
	}
	for _, want := range []string{"[policy.default]", `funding_action = "reduce"`, "band = 0.04", "[policy.ETH]", "staking_apr = 0.03"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("converted file lacks %q:\n%s", want, out.String())
		}
	}
}
