package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/gmxvenue"
	"github.com/hedger/hedger/hedge/perpvenue"
	"github.com/hedger/hedger/hedge/spot"
)

// Flags shared by commands. Each command lists the ones it takes, so flags
// go after the command name, as with cast.
var (
	rpcFlag = &cli.StringFlag{Name: "rpc-url", Aliases: []string{"r"}, Usage: "JSON-RPC endpoint of the node",
		EnvVars: []string{"ETH_RPC_URL", "HEDGER_RPC_URL"}}
	chainIDFlag = &cli.Uint64Flag{Name: "chain-id", Usage: "refuse to act unless the node reports this chain ID",
		EnvVars: []string{"HEDGER_CHAIN_ID"}}
	walletFlag = &cli.StringSliceFlag{Name: "wallet", Aliases: []string{"w"}, Usage: "watch-only spot wallet (repeatable)",
		EnvVars: []string{"HEDGER_WALLETS"}}
	fromFlag = &cli.StringFlag{Name: "from", Usage: "margin (signing) account: picks the key in a keystore folder or external signer; read-only without a signer",
		EnvVars: []string{"HEDGER_FROM"}}
	keyFlag = &cli.StringFlag{Name: "private-key", Usage: "raw private key (dev chains 1337 and 31337 only)",
		EnvVars: []string{"HEDGER_PRIVATE_KEY"}}
	jsonFlag    = &cli.BoolFlag{Name: "json", Usage: "machine-readable output"}
	dataDirFlag = &cli.StringFlag{Name: "data-dir", Usage: "where address books live (deployments/<chainid>.json)",
		EnvVars: []string{"HEDGER_DATA_DIR"}, Value: defaultDataDir()}
	yesFlag = &cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "send without asking for confirmation"}
)

func connFlags() []cli.Flag {
	return []cli.Flag{rpcFlag, chainIDFlag, dataDirFlag, jsonFlag, venueFlag}
}

func defaultDataDir() string {
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".hedger")
	}
	return ".hedger"
}

// parseAddress accepts 0x-prefixed hex; mixed case must be a valid EIP-55
// checksum (all-lower and all-upper are accepted as unchecksummed).
func parseAddress(what, s string) (common.Address, error) {
	s = strings.TrimSpace(s)
	if !common.IsHexAddress(s) || !strings.HasPrefix(strings.ToLower(s), "0x") {
		return common.Address{}, fmt.Errorf("%s %q is not a 0x-prefixed 20-byte hex address", what, s)
	}
	a := common.HexToAddress(s)
	body := s[2:]
	if body != strings.ToLower(body) && body != strings.ToUpper(body) && a.Hex()[2:] != body {
		return common.Address{}, fmt.Errorf("%s %q has a wrong EIP-55 checksum (expected %s)", what, s, a.Hex())
	}
	return a, nil
}

// parseDecimal reads a plain decimal number (no float64 anywhere).
func parseDecimal(what, s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return decimal.Zero, fmt.Errorf("%s %q is not a number", what, s)
	}
	return d, nil
}

func parseNonNegative(what, s string) (decimal.Decimal, error) {
	d, err := parseDecimal(what, s)
	if err == nil && d.IsNegative() {
		err = fmt.Errorf("%s must not be negative, got %s", what, s)
	}
	return d, err
}

func walletsFrom(c *cli.Context) ([]common.Address, error) {
	var out []common.Address
	for _, raw := range c.StringSlice("wallet") {
		for _, s := range strings.Split(raw, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			a, err := parseAddress("wallet", s)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// session is what a command works with: a node, its address book, and
// optionally a signer.
type session struct {
	ctx    context.Context
	client *chain.Client
	book   *perpvenue.AddressBook
	venue  *perpvenue.Venue // the adapter, as constructed; commands use seam()
	// gmx is the GMX adapter when --venue gmx (then venue and book are nil).
	gmx     *gmxvenue.Venue
	gmxBook *gmx.Book
	spot    *spot.Source // --spot-rpc chains; nil without any
	signer  chain.Signer // nil when read-only
	release func()       // closes a hardware wallet
	json    bool
	// journal is the signing account's journal, open and locked for the
	// life of a command that sends; nil otherwise.
	journal *chain.Journal
	// journalPath is the account's journal file, also for commands that
	// only read it (plan's daily-cap preview); "" without an account.
	journalPath string
	tx          txOptions
}

type openOpts struct {
	needSigner bool
	needBook   bool
}

// open validates every flag before dialing, then dials, checks the chain
// and loads the address book: bad input fails before anything is sent.
func open(c *cli.Context, o openOpts) (*session, error) {
	ctx := c.Context
	txo, err := txOptionsFrom(c)
	if err != nil {
		return nil, err
	}
	onGMX, err := venueOf(c)
	if err != nil {
		return nil, err
	}
	if onGMX {
		if _, err := gmxOptionsFrom(c); err != nil {
			return nil, err
		}
	}
	var wallets []common.Address
	if c.IsSet("wallet") || len(c.StringSlice("wallet")) > 0 {
		w, err := walletsFrom(c)
		if err != nil {
			return nil, err
		}
		wallets = w
	}
	var from common.Address
	if f := c.String("from"); f != "" {
		a, err := parseAddress("--from", f)
		if err != nil {
			return nil, err
		}
		from = a
	}
	prep, err := prepareSigner(c, from)
	if err != nil {
		return nil, err
	}
	if prep == nil && o.needSigner {
		return nil, errors.New("this command sends transactions: choose a signer (--keystore, --ledger, --trezor, --signer, or --private-key on dev chains)")
	}
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	client, err := chain.Dial(dctx, c.String("rpc-url"), chain.DialOptions{ChainID: c.Uint64("chain-id")})
	if err != nil {
		return nil, err
	}
	s := &session{ctx: ctx, client: client, json: c.Bool("json"), release: func() {}, tx: txo}
	if prep != nil {
		sg, release, err := prep.finish(c, client, from)
		if err != nil {
			client.Close()
			return nil, err
		}
		s.signer, s.release, from = sg, release, sg.Address()
	}
	// A command that sends holds the account's journal (locked: a second
	// hedger on the account is refused) until it exits. Read-only commands
	// leave it alone, so `status` works beside a running `watch`.
	path := txo.journalPath
	if path == "" && from != (common.Address{}) {
		path = chain.JournalPath(c.String("data-dir"), client.ChainID.Uint64(), from)
	}
	s.journalPath = path
	if o.needSigner && s.signer != nil {
		// Besides the journal file's own lock, the account's fixed lock
		// file under --data-dir is taken, so --journal/HEDGER_JOURNAL
		// pointing elsewhere cannot run a second hedger on the account.
		// (Two different --data-dir values are not kept apart: see
		// chain.OpenAccountJournal.)
		j, err := chain.OpenAccountJournal(c.String("data-dir"), path, client.ChainID.Uint64(), from)
		if err != nil {
			s.close()
			return nil, err
		}
		s.journal = j
	}
	if o.needBook && onGMX {
		if err := s.openGMX(c, wallets, from); err != nil {
			s.close()
			return nil, err
		}
	} else if o.needBook {
		book, err := perpvenue.LoadBook(c.String("data-dir"), client.ChainID.Uint64())
		if err == nil {
			err = book.Verify(ctx, client)
		}
		if err != nil {
			s.close()
			return nil, err
		}
		s.book = book
		// The adapter builds its own transaction manager from the
		// session's configuration: it adds its fill decoder and the
		// recipient allowlist, and nothing changes the manager afterwards.
		var send *chain.Config
		if s.signer != nil {
			cfg := s.txConfig(s.signer)
			send = &cfg
		}
		if s.venue, err = perpvenue.New(client, book, wallets, from, send); err != nil {
			s.close()
			return nil, err
		}
	}
	if hasFlag(c.Command, "spot-rpc") {
		// Dialed, pinned and their books checked before anything is planned.
		chains, err := spotChainsFrom(ctx, c, client.ChainID.Uint64())
		if err != nil {
			s.close()
			return nil, err
		}
		if len(chains) > 0 {
			sw, err := spotWalletsFrom(c)
			if err != nil {
				s.spot = &spot.Source{Chains: chains}
				s.close()
				return nil, err
			}
			s.spot = &spot.Source{Chains: chains, Wallets: sw}
		}
	}
	// Unfinished entries of an earlier run are settled against the chain
	// before anything is planned, so no plan starts from a false picture.
	if s.journal != nil {
		var m *chain.TxManager
		if s.venue != nil {
			m = s.venue.Tx
		} else if s.gmx != nil {
			m = s.gmx.Client.Tx
		}
		if m == nil {
			if m, err = s.txManager(s.signer); err != nil {
				s.close()
				return nil, err
			}
		}
		sum, err := m.Reconcile(ctx)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("reconciling the journal %s: %w", s.journal.Path(), err)
		}
		if sum.Total() > 0 {
			fmt.Fprintln(os.Stderr, sum.String())
		}
	}
	if s.gmx != nil && s.journal != nil {
		// A market order no keeper executed before GMX's request
		// expiration is cancelled (and refunded) before planning.
		if _, err := s.gmx.CancelExpired(ctx); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

// txConfig is the transaction manager configuration of signer sg with the
// command's transaction flags; the session's signer also gets the journal.
func (s *session) txConfig(sg chain.Signer) chain.Config {
	cfg := chain.Config{Backend: s.client, Signer: sg, ABIs: perpvenue.ABIs()}
	s.tx.apply(&cfg)
	if s.journal != nil && s.signer != nil && sg != nil && sg.Address() == s.signer.Address() {
		cfg.Journal = s.journal
	}
	// Notes quote transport errors, whose URLs can carry an API key.
	cfg.Logf = func(format string, args ...any) {
		fmt.Fprintln(os.Stderr, "note: "+redactURLs(fmt.Sprintf(format, args...)))
	}
	return cfg
}

// txManager builds the transaction manager of txConfig(sg).
func (s *session) txManager(sg chain.Signer) (*chain.TxManager, error) {
	return chain.NewTxManager(s.txConfig(sg))
}

// seam is the session's venue behind the hedge.Venue seam: commands use it
// and its capabilities, never the concrete adapter (only open builds that).
func (s *session) seam() hedge.Venue {
	if s.gmx != nil {
		return s.gmx
	}
	if s.venue == nil {
		return nil
	}
	return s.venue
}

func (s *session) close() {
	if s.release != nil {
		s.release()
	}
	if s.journal != nil {
		s.journal.Close()
		s.journal = nil
	}
	if s.spot != nil {
		s.spot.Close()
		s.spot = nil
	}
	s.client.Close()
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
