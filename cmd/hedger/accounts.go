package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
)

func accountsCommand() *cli.Command {
	return &cli.Command{
		Name:  "accounts",
		Usage: "list the addresses a signer offers (hardware wallets: the first --count paths, with balances when --rpc-url is set)",
		Flags: append([]cli.Flag{rpcFlag, chainIDFlag, jsonFlag,
			&cli.IntFlag{Name: "count", Value: 5, Usage: "hardware wallets: how many derivation paths to show"}},
			signerFlags()...),
		Action: func(c *cli.Context) error {
			kind, err := signerKind(c)
			if err != nil {
				return err
			}
			if kind == "" {
				return fmt.Errorf("choose a signer to list: --keystore, --ledger, --trezor, --signer or --private-key")
			}
			if n := c.Int("count"); n < 1 || n > 100 {
				return fmt.Errorf("--count %d is outside 1..100", n)
			}
			var rows []accountRow
			switch kind {
			case "key":
				k, err := chain.ParsePrivateKey(c.String("private-key"))
				if err != nil {
					return err
				}
				rows = []accountRow{{Address: k.Address()}}
			case "keystore": // addresses are in the clear: no passphrase needed to list
				path, err := chain.ResolveKeystore(c.String("keystore"))
				if err != nil {
					return err
				}
				accts, err := chain.KeystoreAccounts(path)
				if errors.Is(err, chain.ErrKeystoreNeedsPassphrase) {
					// Foundry key files do not say their address: decrypt
					// them, with --password-file or a prompt; otherwise
					// readPassphrase says why it cannot.
					pass, perr := readPassphrase(c, path)
					if perr != nil {
						return fmt.Errorf("%w (%v)", err, perr)
					}
					accts, err = chain.KeystoreAddresses(path, pass)
				}
				if err != nil {
					return err
				}
				for a, f := range accts {
					rows = append(rows, accountRow{Address: a, Source: f})
				}
				sort.Slice(rows, func(i, j int) bool { return rows[i].Source < rows[j].Source })
			case "external":
				s, err := chain.DialExternal(c.Context, c.String("signer"), common.Address{})
				if err != nil {
					return err
				}
				defer s.Close()
				for _, a := range s.Accounts() {
					rows = append(rows, accountRow{Address: a})
				}
			default: // ledger, trezor
				o, err := hardwareOptions(c, kind)
				if err != nil {
					return err
				}
				h, err := chain.OpenHardware(c.Context, o)
				if err != nil {
					return err
				}
				defer h.Close()
				accts, err := h.Derive(c.Int("count"))
				if err != nil {
					return err
				}
				for _, a := range accts {
					rows = append(rows, accountRow{Address: a.Address, Source: a.URL.Path})
				}
			}
			if c.String("rpc-url") != "" {
				if err := addBalances(c, rows); err != nil {
					return err
				}
			}
			if c.Bool("json") {
				return printJSON(map[string]any{"accounts": rows})
			}
			w := newTable(os.Stdout)
			fmt.Fprintln(w, "#\tADDRESS\tBALANCE\tSOURCE")
			for i, r := range rows {
				bal := "-"
				if r.Balance != nil {
					bal = r.Balance.String()
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", i, r.Address.Hex(), bal, r.Source)
			}
			return w.Flush()
		},
	}
}

type accountRow struct {
	Address common.Address   `json:"address"`
	Balance *decimal.Decimal `json:"balance,omitempty"` // native coin, whole units
	Source  string           `json:"source,omitempty"`  // key file or derivation path
}

// addBalances reads every native balance in one batch.
func addBalances(c *cli.Context, rows []accountRow) error {
	ctx, cancel := context.WithTimeout(c.Context, 20*time.Second)
	defer cancel()
	client, err := chain.Dial(ctx, c.String("rpc-url"), chain.DialOptions{ChainID: c.Uint64("chain-id")})
	if err != nil {
		return err
	}
	defer client.Close()
	var b chain.Batch
	bals := make([]*big.Int, len(rows))
	for i := range rows {
		bals[i] = new(big.Int)
		b.Balance(rows[i].Address, bals[i])
	}
	if err := client.Read(ctx, &b, nil); err != nil {
		return err
	}
	for i := range rows {
		d := decimal.NewFromBigInt(bals[i], -18)
		rows[i].Balance = &d
	}
	return nil
}
