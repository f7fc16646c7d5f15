package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/multiread"
	"github.com/hedger/hedger/hedge/rehearse"
)

var booksFileFlag = &cli.StringFlag{Name: "books-file", Usage: "token and feed books that add to or override the built-in ones (README: Real token and feed books)",
	EnvVars: []string{"HEDGER_BOOKS_FILE"}}

// devnetBooksCommands rehearse a real network on anvil: its book's tokens
// and feeds are installed at their real addresses.
func devnetBooksCommands() []*cli.Command {
	pairFlag := &cli.StringSliceFlag{Name: "price", Usage: "first answer of a feed, PAIR=PRICE (ETH/USD=3000; default 1), repeatable"}
	rateFlag := &cli.StringSliceFlag{Name: "rate", Usage: "liquid-staking rate, SYMBOL=RATE (wstETH=1.15; default 1), repeatable"}
	return []*cli.Command{
		{
			Name:  "install-books",
			Usage: "on anvil started with a real network's --chain-id, install that network's book (test tokens and feeds at the real addresses, Multicall3)",
			Flags: []cli.Flag{rpcFlag, booksFileFlag, pairFlag, rateFlag,
				&cli.BoolFlag{Name: "no-multicall", Usage: "leave Multicall3's address empty (rehearse a chain without it)"}},
			Action: func(c *cli.Context) error {
				prices, err := keyedDecimals("--price", c.StringSlice("price"))
				if err != nil {
					return err
				}
				rates, err := keyedDecimals("--rate", c.StringSlice("rate"))
				if err != nil {
					return err
				}
				return withAnvilBook(c, func(ctx context.Context, rc *rpc.Client, book *books.Chain) error {
					if _, err := rehearse.Install(ctx, rc, book, rehearse.Options{Prices: prices, Rates: rates, NoMulticall: c.Bool("no-multicall")}); err != nil {
						return err
					}
					r := &multiread.Reader{RPC: rc, Label: fmt.Sprintf("chain %d", book.ChainID)}
					if err := r.Detect(ctx); err != nil {
						return err
					}
					if _, err := books.Verify(ctx, r, book, nil); err != nil {
						return err
					}
					say("installed the book of chain %d (%s): %d tokens, %d feeds; it passes its on-chain check", book.ChainID, book.Name, len(book.Tokens), len(book.Feeds))
					return nil
				})
			},
		},
		{
			Name: "mint-real", ArgsUsage: "ADDRESS SYMBOL=AMOUNT...",
			Usage: "mint tokens installed by install-books (or give native coin: ETH=10) to ADDRESS",
			Flags: []cli.Flag{rpcFlag, booksFileFlag},
			Action: func(c *cli.Context) error {
				if c.NArg() < 2 {
					return errors.New("usage: hedger devnet mint-real ADDRESS SYMBOL=AMOUNT [SYMBOL=AMOUNT ...]")
				}
				to, err := parseAddress("address", c.Args().First())
				if err != nil {
					return err
				}
				amounts, err := keyedDecimals("amount", c.Args().Slice()[1:])
				if err != nil {
					return err
				}
				return withAnvilBook(c, func(ctx context.Context, rc *rpc.Client, book *books.Chain) error {
					if err := rehearse.Attach(rc, book).Fund(ctx, to, amounts); err != nil {
						return err
					}
					say("minted to %s on chain %d", to.Hex(), book.ChainID)
					return nil
				})
			},
		},
	}
}

// withAnvilBook dials --rpc-url, refuses anything but anvil (the commands
// overwrite code at real contract addresses), and finds the book of the
// node's chain ID.
func withAnvilBook(c *cli.Context, f func(context.Context, *rpc.Client, *books.Chain) error) error {
	ctx := c.Context
	url := c.String("rpc-url")
	if url == "" {
		return errors.New("no RPC URL: pass --rpc-url or set ETH_RPC_URL")
	}
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		return fmt.Errorf("cannot connect to %s: %w", url, err)
	}
	defer rc.Close()
	var client string
	if err := rc.CallContext(ctx, &client, "web3_clientVersion"); err != nil {
		return fmt.Errorf("RPC %s: %w", url, err)
	}
	if !strings.HasPrefix(strings.ToLower(client), "anvil") {
		return fmt.Errorf("this command runs only on anvil (it sets code at real contract addresses); the node is %q", client)
	}
	bf, err := books.WithUser(c.String("books-file"))
	if err != nil {
		return err
	}
	var id string
	if err := rc.CallContext(ctx, &id, "eth_chainId"); err != nil {
		return err
	}
	n, err := parseUint(id)
	if err != nil {
		return err
	}
	book, ok := bf.Chain(n)
	if !ok {
		return fmt.Errorf("no book for chain %d: start anvil with --chain-id 1, 10, 8453, 42161 or 43114, or add the chain to --books-file", n)
	}
	return f(ctx, rc, book)
}

func parseUint(hex string) (uint64, error) {
	var n uint64
	if _, err := fmt.Sscanf(hex, "0x%x", &n); err != nil {
		return 0, fmt.Errorf("bad chain ID %q", hex)
	}
	return n, nil
}

// keyedDecimals reads KEY=NUMBER items.
func keyedDecimals(what string, items []string) (map[string]decimal.Decimal, error) {
	out := map[string]decimal.Decimal{}
	for _, it := range items {
		k, v, ok := strings.Cut(it, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("%s %q: want KEY=NUMBER", what, it)
		}
		d, err := parseNonNegative(what+" "+k, v)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSpace(k)] = d
	}
	return out, nil
}
