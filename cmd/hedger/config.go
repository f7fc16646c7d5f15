package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/config"
)

// --config FILE (HEDGER_CONFIG) feeds every command's flags from one TOML
// file: a flag given on the command line or through its environment twin
// wins over the file, and the file over the built-in default.
var configFlag = &cli.StringFlag{Name: "config", Usage: "TOML config file (README: One config file); flags and their env twins override it",
	EnvVars: []string{"HEDGER_CONFIG"}}

// configPolicies is the config file's [policy.*] tables, used by
// policiesFrom when no --policy-file is given.
var configPolicies *hedge.Policies

// configFile is the file --config loaded for this command, nil without one:
// the spot reader takes per-chain batch limits and per-wallet chain limits
// from it.
var configFile *config.File

// withConfig gives every leaf command --config and applies the file before
// the command runs.
func withConfig(cs []*cli.Command) {
	for _, c := range cs {
		if len(c.Subcommands) > 0 {
			withConfig(c.Subcommands)
			continue
		}
		if c.Name == "config" || hasFlag(c, "config") {
			continue
		}
		c.Flags = append(c.Flags, configFlag)
		prev := c.Before
		c.Before = func(ctx *cli.Context) error {
			if err := applyConfig(ctx); err != nil {
				return err
			}
			if prev != nil {
				return prev(ctx)
			}
			return nil
		}
	}
}

func hasFlag(c *cli.Command, name string) bool {
	for _, f := range c.Flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// applyConfig sets each flag the file gives a value for, unless the command
// line or the environment already did.
func applyConfig(c *cli.Context) error {
	configPolicies, configFile = nil, nil
	path := c.String("config")
	if path == "" {
		return nil
	}
	f, err := config.Load(path)
	if err != nil {
		return err
	}
	values, err := f.FlagValues(os.LookupEnv)
	if err != nil {
		return err
	}
	cmd := c.Command
	if v := values["venue"]; len(v) > 0 && v[0] != "local" && !hasFlag(cmd, "venue") {
		return fmt.Errorf("config %s: venue %q is not available to `hedger %s` in this build", path, v[0], cmd.Name)
	}
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if !hasFlag(cmd, name) || c.IsSet(name) {
			continue
		}
		for _, v := range values[name] {
			if err := c.Set(name, v); err != nil {
				return fmt.Errorf("config %s: %s = %q: %v", path, name, v, err)
			}
		}
	}
	configPolicies, configFile = f.Policies, f
	return nil
}

func configCommand() *cli.Command {
	return &cli.Command{
		Name:  "config",
		Usage: "work with the TOML config file",
		Subcommands: []*cli.Command{
			{
				Name: "convert", ArgsUsage: "OLDFILE", Usage: "convert an old policy file into the config file's [policy.*] tables (stdout, or --out FILE)",
				Flags: []cli.Flag{&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write here instead of stdout (refuses to overwrite)"}},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return errors.New("usage: hedger config convert OLDFILE [--out FILE]")
					}
					old, err := os.ReadFile(c.Args().First())
					if err != nil {
						return fmt.Errorf("config convert: %w", err)
					}
					out, err := config.ConvertPolicy(old, c.Args().First())
					if err != nil {
						return fmt.Errorf("config convert: %w", err)
					}
					if p := c.String("out"); p != "" {
						fh, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
						if err != nil {
							return fmt.Errorf("config convert: %w", err)
						}
						defer fh.Close()
						_, err = fh.WriteString(out)
						return err
					}
					_, err = fmt.Fprint(c.App.Writer, out)
					return err
				},
			},
			{
				Name: "check", ArgsUsage: "FILE", Usage: "check a config file and print the flag values it gives (URLs as scheme and host)",
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return errors.New("usage: hedger config check FILE")
					}
					f, err := config.Load(c.Args().First())
					if err != nil {
						return err
					}
					values, err := f.FlagValues(os.LookupEnv)
					if err != nil {
						return err
					}
					names := make([]string, 0, len(values))
					for n := range values {
						names = append(names, n)
					}
					sort.Strings(names)
					for _, n := range names {
						for _, v := range values[n] {
							fmt.Fprintf(c.App.Writer, "--%s %s\n", n, redactURLs(v))
						}
					}
					if f.Policies != nil {
						assets := make([]string, 0, len(f.Policies.Assets))
						for a := range f.Policies.Assets {
							assets = append(assets, a)
						}
						sort.Strings(assets)
						fmt.Fprintf(c.App.Writer, "policy: default%s\n", strings.Join(append([]string{""}, assets...), ", "))
					}
					return nil
				},
			},
		},
	}
}
