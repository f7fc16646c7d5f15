// Command hedger keeps a short perpetual position matching the spot crypto
// held in self-custodied wallets, signing with the user's own key.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/joho/godotenv"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
)

func main() {
	// .env fills only what the real environment does not set.
	if err := godotenv.Load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "hedger: reading .env: %v\n", oneLine(err))
		os.Exit(1)
	}
	app := newApp()
	if err := app.Run(interspersed(app, os.Args)); err != nil {
		fmt.Fprintf(os.Stderr, "hedger: %s\n", oneLine(err))
		os.Exit(1)
	}
}

func newApp() *cli.App {
	app := &cli.App{
		Name:  "hedger",
		Usage: "hedge spot crypto in self-custodied wallets with a short on a decentralized perpetual exchange",
		Description: "Reads your wallets' balances on chain, keeps a matching short on the venue, and signs with your own key.\n" +
			"Funding is shown from your side: + received, − paid (positive funding means longs pay shorts).",
		Commands: []*cli.Command{
			statusCommand(), planCommand(), hedgeCommand(), closeCommand(), accountsCommand(),
			deployCommand(), devnetCommand(), demoCommand(), watchCommand(), journalCommand(), claimCommand(),
			configCommand(),
			backtestCommand(),
			reportCommand(), designationsCommand(),
		},
		HideHelpCommand: true,
		// Without an Action, urfave/cli answers an unknown command with its
		// help command's "No help topic for 'setup'".
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return unknownCommand(c.App, c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
		// Errors are printed once, by main, as one line.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   usageError,
	}
	// Commands do not inherit OnUsageError: without it, a bad flag prints
	// the whole help text to stdout besides the error.
	var quiet func([]*cli.Command)
	quiet = func(cs []*cli.Command) {
		for _, c := range cs {
			c.OnUsageError = usageError
			quiet(c.Subcommands)
		}
	}
	quiet(app.Commands)
	withConfig(app.Commands)
	return app
}

// unknownCommand is the one-line answer to `hedger setup`.
func unknownCommand(app *cli.App, name string) error {
	var names []string
	for _, c := range app.VisibleCommands() {
		names = append(names, c.Name)
	}
	return fmt.Errorf("unknown command %q; the commands are: %s (see hedger --help)", name, strings.Join(names, ", "))
}

func usageError(_ *cli.Context, err error, _ bool) error {
	return fmt.Errorf("usage: %w (see --help)", err)
}

// oneLine keeps an error to one line on stderr: joined errors and node
// messages can carry newlines. URLs lose their credentials, path and query:
// RPC providers put API keys there (https://host/v3/KEY), and Go's HTTP
// errors quote the whole URL.
func oneLine(err error) string {
	return redactURLs(strings.Join(strings.Fields(err.Error()), " "))
}

// redactURLs keeps each URL's scheme and host only.
func redactURLs(s string) string { return chain.RedactURLs(s) }
