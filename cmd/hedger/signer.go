package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/hedger/hedger/chain"
)

// Signer flags follow foundry's cast. Exactly one signer at a time.
var (
	unsafeKeyFlag = &cli.BoolFlag{Name: "unsafe-private-key",
		Usage: "accept --private-key on a chain that is not a dev chain (prints a warning)"}
	keystoreFlag = &cli.StringFlag{Name: "keystore", Usage: "Web3 Secret Storage JSON file, or a keystore folder with --from",
		EnvVars: []string{"HEDGER_KEYSTORE", "ETH_KEYSTORE"}}
	passwordFileFlag = &cli.StringFlag{Name: "password-file",
		Usage:   "file holding the keystore passphrase (else an interactive prompt; never a flag value)",
		EnvVars: []string{"HEDGER_PASSWORD_FILE"}}
)

func signerFlags() []cli.Flag {
	return append([]cli.Flag{keyFlag, unsafeKeyFlag, keystoreFlag, passwordFileFlag, fromFlag}, deviceFlags()...)
}

// signerKind says which signer the flags select, or "" for none.
func signerKind(c *cli.Context) (string, error) {
	var set []string
	for _, k := range []struct{ flag, kind string }{
		{"private-key", "key"}, {"keystore", "keystore"}, {"ledger", "ledger"}, {"trezor", "trezor"}, {"signer", "external"},
	} {
		if c.IsSet(k.flag) || (c.String(k.flag) != "" && c.String(k.flag) != "false") {
			set = append(set, "--"+k.flag)
		}
	}
	if len(set) > 1 {
		return "", fmt.Errorf("choose one signer: %s are all set", strings.Join(set, ", "))
	}
	if len(set) == 0 {
		return "", nil
	}
	return map[string]string{"--private-key": "key", "--keystore": "keystore", "--ledger": "ledger",
		"--trezor": "trezor", "--signer": "external"}[set[0]], nil
}

// preparedSigner is a signer whose input was checked before dialing; open
// finishes it once the chain is known.
type preparedSigner struct {
	kind string
	key  *chain.KeySigner // raw key, checked for dev chains after dialing
}

// prepareSigner validates signer input that needs no node.
func prepareSigner(c *cli.Context, from common.Address) (*preparedSigner, error) {
	kind, err := signerKind(c)
	if err != nil || kind == "" {
		return nil, err
	}
	p := &preparedSigner{kind: kind}
	switch kind {
	case "key":
		if p.key, err = chain.ParsePrivateKey(c.String("private-key")); err != nil {
			return nil, err
		}
		if from != (common.Address{}) && from != p.key.Address() {
			return nil, fmt.Errorf("--from %s is not the address of --private-key (%s)", from.Hex(), p.key.Address().Hex())
		}
	case "keystore":
		path, err := chain.ResolveKeystore(c.String("keystore"))
		if err != nil {
			return nil, err
		}
		// Checked before asking for the passphrase; a Foundry key file has
		// no address to list and is opened by the passphrase.
		if _, err := chain.KeystoreAccounts(path); err != nil && !errors.Is(err, chain.ErrKeystoreNeedsPassphrase) {
			return nil, err
		}
		pass, err := readPassphrase(c, path)
		if err != nil {
			return nil, err
		}
		if p.key, err = chain.LoadKeystore(path, from, pass); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// finish turns the prepared signer into a chain.Signer for client's chain.
func (p *preparedSigner) finish(c *cli.Context, client *chain.Client, from common.Address) (chain.Signer, func(), error) {
	switch p.kind {
	case "key":
		if !client.IsDev() {
			if !c.Bool("unsafe-private-key") {
				return nil, nil, fmt.Errorf("--private-key is accepted only on dev chains (1337, 31337); chain %s is not one: use --keystore, --ledger, --trezor or --signer (or --unsafe-private-key)", client.ChainID)
			}
			fmt.Fprintf(os.Stderr, "WARNING: signing on chain %s with a raw private key from the command line or environment; it may be in your shell history and process list. Prefer --keystore or a hardware wallet.\n", client.ChainID)
		}
		return p.key, func() {}, nil
	case "keystore":
		return p.key, func() {}, nil
	}
	return finishDevice(c, p.kind, client, from)
}

// readPassphrase reads the keystore passphrase from --password-file, or from
// the terminal without echo. It is never taken from a flag value.
func readPassphrase(c *cli.Context, path string) (string, error) {
	if f := c.String("password-file"); f != "" {
		raw, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("--password-file: %v", errors.Unwrap(err))
		}
		return strings.TrimRight(string(raw), "\r\n"), nil
	}
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return "", errors.New("keystore passphrase: stdin is not a terminal; pass --password-file")
	}
	fmt.Fprintf(os.Stderr, "passphrase for %s: ", path)
	pass, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", fmt.Errorf("reading the passphrase: %v", err)
	}
	return string(pass), nil
}
