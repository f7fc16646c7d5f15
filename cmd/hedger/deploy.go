package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge/perpvenue"
)

func deployCommand() *cli.Command {
	return &cli.Command{
		Name:  "deploy",
		Usage: "deploy the local venue, feeds and tokens to a dev chain and write its address book",
		Flags: append(append(connFlags(), signerFlags()...), feeFlags()...),
		Action: func(c *cli.Context) error {
			s, err := open(c, openOpts{needSigner: true})
			if err != nil {
				return err
			}
			defer s.close()
			tx, err := s.txManager(s.signer)
			if err != nil {
				return err
			}
			book, err := perpvenue.Deploy(s.ctx, tx, perpvenue.DefaultMarkets())
			if err != nil {
				return err
			}
			path, err := book.Save(c.String("data-dir"))
			if err != nil {
				return fmt.Errorf("writing the address book: %w", err)
			}
			// The same tokens and feeds in the books format (--books-file).
			booksPath, err := book.SaveBooks(c.String("data-dir"))
			if err != nil {
				return fmt.Errorf("writing the books file: %w", err)
			}
			if s.json {
				return printJSON(book)
			}
			say("deployed on chain %d at block %d (owner %s)", book.ChainID, book.Block, book.Owner.Hex())
			say("  venue       %s", book.Venue.Hex())
			say("  collateral  %s %s", book.Collateral.Symbol, book.Collateral.Address.Hex())
			for _, t := range book.Tokens {
				say("  spot token  %-5s %s (counts as %s)", t.Symbol, t.Address.Hex(), t.Asset)
			}
			for _, m := range book.Markets {
				say("  market %-4s id %d, feed %s", m.Asset, m.ID, m.Feed.Hex())
			}
			say("address book: %s (every command on chain %d reads it)", path, book.ChainID)
			say("books file:   %s (its tokens and feeds in the --books-file format)", booksPath)
			return nil
		},
	}
}
