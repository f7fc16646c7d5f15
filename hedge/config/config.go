// Package config reads hedger's one configuration file (TOML): the venue,
// the venue chain and the spot chains with their RPC URLs given by the name
// of an environment variable, the wallets (each optionally limited to some
// chains), the signer, the transaction caps and the per-asset policy. It
// checks everything before anything is dialed, and every error names the
// file's line. Applying it to the command line (flag > env > file >
// built-in) is the CLI's part: FlagValues says what each flag gets.
package config

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

// File is the decoded configuration.
type File struct {
	Venue     string   `toml:"venue"`
	DataDir   string   `toml:"data_dir"`
	BooksFile string   `toml:"books_file"`
	Chain     *Chain   `toml:"chain"`
	Spot      []Chain  `toml:"spot"`
	Wallets   []Wallet `toml:"wallet"`
	Signer    *Signer  `toml:"signer"`
	Caps      *Caps    `toml:"caps"`
	Watch     *Watch   `toml:"watch"`
	// Policy is decoded for its shape only; values are read from the text.
	Policy map[string]map[string]any `toml:"policy"`

	// Policies is the [policy.*] tables applied on the built-in defaults,
	// nil when the file has none.
	Policies *hedge.Policies `toml:"-"`

	path string
	src  *source
}

// Chain is the venue chain ([chain]) or a spot chain ([[spot]]).
type Chain struct {
	Name string `toml:"name"`
	// RPCURLEnv names the environment variable holding the URL: RPC URLs
	// carry API keys, which do not belong in a file that gets shared.
	RPCURLEnv  string `toml:"rpc_url_env"`
	ChainID    uint64 `toml:"chain_id"`
	BatchLimit int    `toml:"batch_limit"`
}

// Wallet is a watch-only spot wallet; Chains limits it to those chain IDs.
type Wallet struct {
	Address string   `toml:"address"`
	Label   string   `toml:"label"`
	Chains  []uint64 `toml:"chains"`
}

// Signer is the margin account's signer. A raw private key is never read from a file.
type Signer struct {
	Keystore      string `toml:"keystore"`
	PasswordFile  string `toml:"password_file"`
	From          string `toml:"from"`
	External      string `toml:"external"` // Clef URL
	Ledger        bool   `toml:"ledger"`
	Trezor        bool   `toml:"trezor"`
	HDPath        string `toml:"hd_path"`
	MnemonicIndex *int64 `toml:"mnemonic_index"`
}

// Caps are the transaction limits. Amounts are read from the file's text,
// never through float64.
type Caps struct {
	MaxFeeGwei       any    `toml:"max_fee_gwei"` // read from the text
	MaxTradeNotional any    `toml:"max_trade_notional"`
	MaxDailyNotional any    `toml:"max_daily_notional"`
	Confirmations    *int64 `toml:"confirmations"`
	ResubmitAfter    string `toml:"resubmit_after"`
	ApproveMax       bool   `toml:"approve_max"`
	Journal          string `toml:"journal"`
}

// Watch holds the daemon's settings.
type Watch struct {
	PollInterval string `toml:"poll_interval"`
	MetricsAddr  string `toml:"metrics_addr"`
	AlertWebhook string `toml:"alert_webhook"`
	LogFormat    string `toml:"log_format"`
	// Automatic claims (--claim-multiple, --claim-min-usd, --no-auto-claim).
	ClaimMultiple any  `toml:"claim_multiple"` // read from the text
	ClaimMinUSD   any  `toml:"claim_min_usd"`
	NoAutoClaim   bool `toml:"no_auto_claim"`
}

// Venues this build knows.
var Venues = []string{"local", "gmx"}

// Load reads and checks path.
func Load(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(raw, path)
}

// Parse decodes and checks a config file's text; name labels the errors.
func Parse(raw []byte, name string) (*File, error) {
	f := &File{path: name, src: newSource(raw)}
	md, err := toml.Decode(string(raw), f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: line %d: %s", name, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "toml: "))
	}
	if err := f.checkKeys(md); err != nil {
		return nil, err
	}
	if err := f.check(md); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *File) errAt(key []string, format string, args ...any) error {
	line := f.src.line(key)
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		return fmt.Errorf("%s: line %d: %s: %s", f.path, line, strings.Join(key, "."), msg)
	}
	return fmt.Errorf("%s: %s: %s", f.path, strings.Join(key, "."), msg)
}

// checkKeys refuses keys the format does not have: a typo must not be a
// silently ignored setting.
func (f *File) checkKeys(md toml.MetaData) error {
	for _, k := range md.Undecoded() {
		if len(k) > 0 && k[0] == "policy" {
			continue // policy keys are checked by the policy parser
		}
		if len(k) == 2 && k[0] == "signer" && (k[1] == "private_key" || k[1] == "key") {
			return f.errAt(k, "a raw private key is never read from a file: use a keystore, a hardware wallet or an external signer")
		}
		return f.errAt(k, "unknown key")
	}
	return nil
}

func (f *File) check(md toml.MetaData) error {
	if f.Venue != "" && !contains(Venues, f.Venue) {
		return f.errAt([]string{"venue"}, "%q is not a venue (known: %s)", f.Venue, strings.Join(Venues, ", "))
	}
	checkChain := func(key []string, c *Chain) error {
		if c.RPCURLEnv == "" {
			return f.errAt(append(key, "rpc_url_env"), "missing: name the environment variable that holds the RPC URL")
		}
		if strings.Contains(c.RPCURLEnv, "://") {
			return f.errAt(append(key, "rpc_url_env"), "is the name of an environment variable, not a URL (URLs carry API keys)")
		}
		if c.BatchLimit < 0 {
			return f.errAt(append(key, "batch_limit"), "must not be negative")
		}
		return nil
	}
	if f.Chain != nil {
		if err := checkChain([]string{"chain"}, f.Chain); err != nil {
			return err
		}
	}
	ids := map[uint64]bool{}
	for i := range f.Spot {
		key := []string{"spot", strconv.Itoa(i)}
		if err := checkChain(key, &f.Spot[i]); err != nil {
			return err
		}
		if id := f.Spot[i].ChainID; id != 0 {
			if ids[id] {
				return f.errAt(append(key, "chain_id"), "chain %d is listed twice", id)
			}
			ids[id] = true
		}
	}
	seen := map[common.Address]bool{}
	for i, w := range f.Wallets {
		key := []string{"wallet", strconv.Itoa(i), "address"}
		a, err := parseAddress(w.Address)
		if err != nil {
			return f.errAt(key, "%v", err)
		}
		if seen[a] {
			return f.errAt(key, "%s is listed twice", a.Hex())
		}
		seen[a] = true
	}
	if s := f.Signer; s != nil {
		n := 0
		for _, on := range []bool{s.Keystore != "", s.External != "", s.Ledger, s.Trezor} {
			if on {
				n++
			}
		}
		if n > 1 {
			return f.errAt([]string{"signer"}, "choose one of keystore, external, ledger and trezor")
		}
		if s.From != "" {
			if _, err := parseAddress(s.From); err != nil {
				return f.errAt([]string{"signer", "from"}, "%v", err)
			}
		}
		if s.MnemonicIndex != nil && *s.MnemonicIndex < 0 {
			return f.errAt([]string{"signer", "mnemonic_index"}, "must not be negative")
		}
	}
	if c := f.Caps; c != nil {
		for _, k := range []string{"max_fee_gwei", "max_trade_notional", "max_daily_notional"} {
			if v, ok := f.src.value([]string{"caps", k}); ok {
				d, err := decimal.NewFromString(v)
				if err != nil || d.IsNegative() {
					return f.errAt([]string{"caps", k}, "%q is not a non-negative number", v)
				}
			}
		}
		if c.Confirmations != nil && *c.Confirmations < 1 {
			return f.errAt([]string{"caps", "confirmations"}, "must be at least 1")
		}
	}
	if w := f.Watch; w != nil && w.LogFormat != "" && w.LogFormat != "text" && w.LogFormat != "json" {
		return f.errAt([]string{"watch", "log_format"}, "%q is neither text nor json", w.LogFormat)
	}
	return f.parsePolicy(md)
}

// parsePolicy applies [policy.default] and then each [policy.ASSET] (which
// starts from the whole default, as the old policy file's sections do). The
// values are taken from the file's text, so 0.05 stays exactly 0.05.
func (f *File) parsePolicy(md toml.MetaData) error {
	if !md.IsDefined("policy") {
		return nil
	}
	sections := map[string][]string{}
	for _, k := range md.Keys() {
		if len(k) == 3 && k[0] == "policy" {
			sections[k[1]] = append(sections[k[1]], k[2])
		} else if len(k) > 3 && k[0] == "policy" {
			return f.errAt(k, "policy tables are [policy.default] and [policy.ASSET] with plain keys")
		} else if len(k) == 2 && k[0] == "policy" && md.Type(k...) != "Hash" {
			return f.errAt(k, "put policy keys in [policy.default] or [policy.ASSET]")
		}
	}
	base := hedge.DefaultAssetPolicy()
	apply := func(p *hedge.AssetPolicy, sec string) error {
		for _, key := range sections[sec] {
			path := []string{"policy", sec, key}
			v, ok := f.src.value(path)
			if !ok {
				return f.errAt(path, "cannot read the value")
			}
			if err := p.Set(key, v); err != nil {
				return f.errAt(path, "%v", err)
			}
		}
		return nil
	}
	var def string
	for sec := range sections {
		if strings.EqualFold(sec, "default") {
			def = sec
		}
	}
	if def != "" {
		if err := apply(&base, def); err != nil {
			return err
		}
		if err := base.Validate(); err != nil {
			return f.errAt([]string{"policy", def}, "%v", err)
		}
	}
	ps := hedge.Policies{Default: base, Assets: map[string]hedge.AssetPolicy{}}
	var names []string
	for sec := range sections {
		if sec != def {
			names = append(names, sec)
		}
	}
	sort.Strings(names)
	for _, sec := range names {
		asset := strings.ToUpper(sec)
		if _, dup := ps.Assets[asset]; dup {
			return f.errAt([]string{"policy", sec}, "asset %s has two sections", asset)
		}
		p := base
		if err := apply(&p, sec); err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return f.errAt([]string{"policy", sec}, "%v", err)
		}
		ps.Assets[asset] = p
	}
	f.Policies = &ps
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseAddress(s string) (common.Address, error) {
	s = strings.TrimSpace(s)
	if !common.IsHexAddress(s) || !strings.HasPrefix(strings.ToLower(s), "0x") {
		return common.Address{}, fmt.Errorf("%q is not a 0x-prefixed 20-byte hex address", s)
	}
	a := common.HexToAddress(s)
	body := s[2:]
	if body != strings.ToLower(body) && body != strings.ToUpper(body) && a.Hex()[2:] != body {
		return common.Address{}, fmt.Errorf("%q has a wrong EIP-55 checksum (expected %s)", s, a.Hex())
	}
	return a, nil
}

// Getenv looks up an environment variable; os.LookupEnv in the CLI.
type Getenv func(string) (string, bool)

// FlagValues is what each command-line flag gets from the file, by flag
// name; the CLI sets a flag only when neither it nor its environment twin
// was given. The venue chain's URL comes from the variable rpc_url_env
// names, which must be set. Wallets limited to chains that exclude the
// venue chain are left out of --wallet (they are spot-chain wallets).
func (f *File) FlagValues(getenv Getenv) (map[string][]string, error) {
	out := map[string][]string{}
	set := func(flag string, v ...string) { out[flag] = append(out[flag], v...) }
	if f.Venue != "" {
		set("venue", f.Venue)
	}
	if f.DataDir != "" {
		set("data-dir", f.DataDir)
	}
	if f.BooksFile != "" {
		set("books-file", f.BooksFile)
	}
	if c := f.Chain; c != nil {
		url, ok := getenv(c.RPCURLEnv)
		if !ok || strings.TrimSpace(url) == "" {
			return nil, f.errAt([]string{"chain", "rpc_url_env"}, "environment variable %s is not set", c.RPCURLEnv)
		}
		set("rpc-url", url)
		if c.ChainID != 0 {
			set("chain-id", strconv.FormatUint(c.ChainID, 10))
		}
		if c.BatchLimit != 0 {
			set("batch-limit", strconv.Itoa(c.BatchLimit))
		}
	}
	var venueID uint64
	if f.Chain != nil {
		venueID = f.Chain.ChainID
	}
	for _, w := range f.Wallets {
		if len(w.Chains) == 0 || (venueID != 0 && containsID(w.Chains, venueID)) {
			set("wallet", w.Address)
		}
	}
	for i, s := range f.Spot {
		url, ok := getenv(s.RPCURLEnv)
		if !ok || strings.TrimSpace(url) == "" {
			return nil, f.errAt([]string{"spot", strconv.Itoa(i), "rpc_url_env"}, "environment variable %s is not set", s.RPCURLEnv)
		}
		set("spot-rpc", url)
	}
	if s := f.Signer; s != nil {
		for flag, v := range map[string]string{"keystore": s.Keystore, "password-file": s.PasswordFile, "from": s.From,
			"signer": s.External, "hd-path": s.HDPath} {
			if v != "" {
				set(flag, v)
			}
		}
		if s.Ledger {
			set("ledger", "true")
		}
		if s.Trezor {
			set("trezor", "true")
		}
		if s.MnemonicIndex != nil {
			set("mnemonic-index", strconv.FormatInt(*s.MnemonicIndex, 10))
		}
	}
	if c := f.Caps; c != nil {
		for key, flag := range map[string]string{"max_fee_gwei": "max-fee-gwei", "max_trade_notional": "max-trade-notional",
			"max_daily_notional": "max-daily-notional"} {
			if v, ok := f.src.value([]string{"caps", key}); ok {
				set(flag, v)
			}
		}
		if c.Confirmations != nil {
			set("confirmations", strconv.FormatInt(*c.Confirmations, 10))
		}
		if c.ResubmitAfter != "" {
			set("resubmit-after", c.ResubmitAfter)
		}
		if c.ApproveMax {
			set("approve-max", "true")
		}
		if c.Journal != "" {
			set("journal", c.Journal)
		}
	}
	if w := f.Watch; w != nil {
		for flag, v := range map[string]string{"poll-interval": w.PollInterval, "metrics-addr": w.MetricsAddr,
			"alert-webhook": w.AlertWebhook, "log-format": w.LogFormat} {
			if v != "" {
				set(flag, v)
			}
		}
		for key, flag := range map[string]string{"claim_multiple": "claim-multiple", "claim_min_usd": "claim-min-usd"} {
			if v, ok := f.src.value([]string{"watch", key}); ok {
				set(flag, v)
			}
		}
		if w.NoAutoClaim {
			set("no-auto-claim", "true")
		}
	}
	return out, nil
}

func containsID(ids []uint64, id uint64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// SpotChain is a spot chain with its URL resolved.
type SpotChain struct {
	Name       string
	URL        string
	ChainID    uint64 // 0: whatever the node reports
	BatchLimit int
}

// SpotChains resolves the [[spot]] tables' URLs.
func (f *File) SpotChains(getenv Getenv) ([]SpotChain, error) {
	var out []SpotChain
	for i, s := range f.Spot {
		url, ok := getenv(s.RPCURLEnv)
		if !ok || strings.TrimSpace(url) == "" {
			return nil, f.errAt([]string{"spot", strconv.Itoa(i), "rpc_url_env"}, "environment variable %s is not set", s.RPCURLEnv)
		}
		out = append(out, SpotChain{Name: s.Name, URL: url, ChainID: s.ChainID, BatchLimit: s.BatchLimit})
	}
	return out, nil
}

// WalletsOn lists the wallets read on chainID (those without a chain limit,
// and those whose limit names it).
func (f *File) WalletsOn(chainID uint64) []common.Address {
	var out []common.Address
	for _, w := range f.Wallets {
		if len(w.Chains) == 0 || containsID(w.Chains, chainID) {
			a, _ := parseAddress(w.Address)
			out = append(out, a)
		}
	}
	return out
}
