package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge/perpvenue"
)

func devnetCommand() *cli.Command {
	return &cli.Command{
		Name:  "devnet",
		Usage: "rehearsal tools for local chains (1337, 31337): prices, faucet, skew, time travel",
		Subcommands: append([]*cli.Command{
			{
				Name: "set-price", Usage: "push a new index price to an asset's feed", ArgsUsage: "ASSET PRICE",
				Flags: devnetFlags(),
				Action: func(c *cli.Context) error {
					if g, _ := venueOf(c); g {
						return gmxSetPrice(c)
					}
					if c.NArg() != 2 {
						return errors.New("usage: hedger devnet set-price ASSET PRICE")
					}
					asset := strings.ToUpper(c.Args().Get(0))
					price, err := parseDecimal("price", c.Args().Get(1))
					if err != nil {
						return err
					}
					return withDevnet(c, true, func(d *perpvenue.Devnet, s *session) error {
						if err := d.SetPrice(s.ctx, asset, price); err != nil {
							return err
						}
						say("%s index price set to %s", asset, price)
						return nil
					})
				},
			},
			{
				Name: "fund", Usage: "mint local tokens and send native coin to an address (default 10 ETH, 100000 USDC)",
				ArgsUsage: "ADDRESS",
				Flags: append(devnetFlags(),
					&cli.StringFlag{Name: "eth", Usage: "native coin to send"},
					&cli.StringFlag{Name: "usdc", Usage: "USDC to mint"},
					&cli.StringFlag{Name: "weth", Usage: "WETH to mint"},
					&cli.StringFlag{Name: "wbtc", Usage: "WBTC to mint"},
					&cli.StringFlag{Name: "wsteth", Usage: "wstETH (local liquid-staking token, counts as ETH × its rate) to mint"},
					&cli.StringFlag{Name: "ldo", Usage: "LDO (local token with a feed and no market, for cross-asset hedges) to mint"},
					&cli.BoolFlag{Name: "from-node", Usage: "send --eth from the node's unlocked dev account (geth --dev); needs no key and no deployment"}),
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return errors.New("usage: hedger devnet fund ADDRESS [--eth N] [--usdc N] [--weth N] [--wbtc N] [--wsteth N] [--ldo N]")
					}
					to, err := parseAddress("address", c.Args().Get(0))
					if err != nil {
						return err
					}
					amounts := map[string]decimal.Decimal{}
					any := false
					for _, k := range fundKeys {
						if !c.IsSet(k) {
							continue
						}
						any = true
						if amounts[k], err = parseNonNegative("--"+k, c.String(k)); err != nil {
							return err
						}
					}
					if c.Bool("from-node") {
						return fundFromNode(c, to, amounts)
					}
					if !any {
						amounts["eth"], amounts["usdc"] = decimal.NewFromInt(10), decimal.NewFromInt(100_000)
					}
					if g, _ := venueOf(c); g {
						return gmxFund(c, to, amounts)
					}
					return withDevnet(c, true, func(d *perpvenue.Devnet, s *session) error {
						if err := d.SendNative(s.ctx, to, amounts["eth"]); err != nil {
							return err
						}
						for _, k := range fundKeys[1:] {
							if amounts[k].IsZero() {
								continue // also when an older address book lacks the token
							}
							if err := d.Mint(s.ctx, fundSymbol(k), to, amounts[k]); err != nil {
								return err
							}
						}
						var parts []string
						for _, k := range fundKeys {
							if amounts[k].IsPositive() {
								parts = append(parts, amounts[k].String()+" "+fundSymbol(k))
							}
						}
						say("funded %s with %s", to.Hex(), strings.Join(parts, ", "))
						return nil
					})
				},
			},
			{
				Name: "skew", ArgsUsage: "MARKET SIZE",
				Usage: "set the dev skew account's position to SIZE (+ long, − short) to move basis and funding",
				Flags: devnetFlags(),
				Action: func(c *cli.Context) error {
					if c.NArg() != 2 {
						return errors.New("usage: hedger devnet skew MARKET SIZE")
					}
					asset := strings.ToUpper(c.Args().Get(0))
					size, err := parseDecimal("size", c.Args().Get(1))
					if err != nil {
						return err
					}
					return withDevnet(c, true, func(d *perpvenue.Devnet, s *session) error {
						if err := d.Skew(s.ctx, asset, size); err != nil {
							return err
						}
						say("skew account now holds %s %s (+ long)", size, asset)
						return nil
					})
				},
			},
			{
				Name: "set-rate", ArgsUsage: "TOKEN RATE",
				Usage: "set a liquid-staking token's underlying per token (wstETH's stEthPerToken), e.g. 1.15",
				Flags: devnetFlags(),
				Action: func(c *cli.Context) error {
					if c.NArg() != 2 {
						return errors.New("usage: hedger devnet set-rate TOKEN RATE")
					}
					sym := c.Args().Get(0)
					rate, err := parseDecimal("rate", c.Args().Get(1))
					if err != nil {
						return err
					}
					return withDevnet(c, true, func(d *perpvenue.Devnet, s *session) error {
						if err := d.SetRate(s.ctx, sym, rate); err != nil {
							return err
						}
						say("%s rate set to %s underlying per token", sym, rate)
						return nil
					})
				},
			},
			{
				Name: "push-history", ArgsUsage: "ASSET PRICE...",
				Usage: "push a price history to an asset's feed, one round per price, the last now and the others --every apart before it (to rehearse beta = auto)",
				Flags: append(devnetFlags(), &cli.StringFlag{Name: "every", Usage: "time between rounds (e.g. 1h, 1d)", Value: "1h"}),
				Action: func(c *cli.Context) error {
					if c.NArg() < 2 {
						return errors.New("usage: hedger devnet push-history ASSET PRICE... [--every 1h]")
					}
					asset := strings.ToUpper(c.Args().Get(0))
					every, err := parseDuration(c.String("every"))
					if err != nil {
						return err
					}
					var prices []decimal.Decimal
					for _, raw := range c.Args().Slice()[1:] {
						for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' }) {
							p, err := parseDecimal("price", f)
							if err != nil {
								return err
							}
							prices = append(prices, p)
						}
					}
					return withDevnet(c, true, func(d *perpvenue.Devnet, s *session) error {
						if err := d.PushHistory(s.ctx, asset, prices, every); err != nil {
							return err
						}
						say("pushed %d %s rounds, %s apart, the last at the head", len(prices), asset, every)
						return nil
					})
				},
			},
			{
				Name: "advance", ArgsUsage: "DURATION", Usage: "move the chain clock forward and mine (e.g. 8h, 3d, 1d12h)",
				Description: "With the deployer's key (the feeds' owner) every feed then re-publishes its latest answer,\n" +
					"as a live oracle's heartbeat would, so the risk policy's max oracle age does not gate trading.\n" +
					"Without a key the feeds keep their old updatedAt: that rehearses a stale oracle.",
				Flags: devnetFlags(),
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return errors.New("usage: hedger devnet advance DURATION")
					}
					d, err := parseDuration(c.Args().Get(0))
					if err != nil {
						return err
					}
					if g, _ := venueOf(c); g {
						return gmxAdvance(c, d)
					}
					return withDevnet(c, false, func(dev *perpvenue.Devnet, s *session) error {
						if err := s.client.AdvanceTime(s.ctx, d); err != nil {
							return err
						}
						h, err := s.client.Head(s.ctx)
						if err != nil {
							return err
						}
						say("advanced %s: block %d at %s", d, h.Number, time.Unix(int64(h.Time), 0).UTC().Format(time.RFC3339))
						if dev == nil {
							say("feeds not refreshed (no key): they are now at least %s old; pass the deployer's key to keep them live", d)
							return nil
						}
						n, err := heartbeat(s.ctx, dev, s)
						if err != nil {
							return fmt.Errorf("advanced %s, but refreshing the feeds failed: %w", d, err)
						}
						say("refreshed %d feed(s) at their latest answers", n)
						return nil
					})
				},
			},
		}, append(devnetBooksCommands(), gmxDevnetCommands()...)...),
	}
}

// fundFromNode sends native coin from the node's own unlocked account.
func fundFromNode(c *cli.Context, to common.Address, amounts map[string]decimal.Decimal) error {
	if slices.ContainsFunc(fundKeys[1:], func(k string) bool { return amounts[k].IsPositive() }) {
		return errors.New("--from-node sends native coin only; mint tokens with --private-key of the deployer")
	}
	eth, ok := amounts["eth"]
	if !ok {
		eth = decimal.NewFromInt(100)
	}
	if !eth.IsPositive() {
		return errors.New("--eth must be positive with --from-node")
	}
	s, err := open(c, openOpts{})
	if err != nil {
		return err
	}
	defer s.close()
	h, err := s.client.FundFromNode(s.ctx, to, eth.Shift(18).BigInt())
	if err != nil {
		return err
	}
	say("sent %s ETH to %s from the node's dev account (tx %s)", eth, to.Hex(), h.Hex())
	return nil
}

// fundKeys are `devnet fund`'s amount flags; all but eth are minted tokens.
var fundKeys = []string{"eth", "usdc", "weth", "wbtc", "wsteth", "ldo"}

// fundSymbol is the token symbol of a fund flag ("wsteth" -> "wstETH").
func fundSymbol(k string) string {
	if k == "wsteth" {
		return "wstETH"
	}
	return strings.ToUpper(k)
}

// heartbeat re-publishes every feed's latest answer at the current block
// time, as a live oracle does on its heartbeat, and returns how many.
func heartbeat(ctx context.Context, dev *perpvenue.Devnet, s *session) (int, error) {
	v := &perpvenue.Venue{Client: s.client, Book: s.book}
	snap, err := v.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range s.book.Markets {
		px := snap.Markets[m.Asset].IndexPrice
		if !px.IsPositive() {
			continue // a broken feed stays broken
		}
		if err := dev.SetPrice(ctx, m.Asset, px); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func devnetFlags() []cli.Flag {
	return append(append(connFlags(), signerFlags()...), feeFlags()...)
}

// withDevnet opens a session on a dev chain, with the owner's key if needed.
func withDevnet(c *cli.Context, needKey bool, f func(*perpvenue.Devnet, *session) error) error {
	s, err := open(c, openOpts{needBook: true, needSigner: needKey})
	if err != nil {
		return err
	}
	defer s.close()
	if s.gmx != nil {
		return errors.New("this devnet command is for PerpVenue; on the local GMX (--venue gmx): set-price, fund, setup, keeper, advance")
	}
	if !s.client.IsDev() {
		return fmt.Errorf("devnet commands run only on dev chains (1337, 31337); chain %s is not one", s.client.ChainID)
	}
	var d *perpvenue.Devnet
	if s.signer != nil {
		owner, err := s.txManager(s.signer)
		if err != nil {
			return err
		}
		d = &perpvenue.Devnet{Book: s.book, Owner: owner}
	}
	return f(d, s)
}

// parseDuration accepts Go durations plus a leading day count ("3d", "1d12h").
func parseDuration(s string) (time.Duration, error) {
	var days time.Duration
	rest := strings.TrimSpace(s)
	if i := strings.Index(rest, "d"); i > 0 {
		n, err := strconv.ParseUint(rest[:i], 10, 32)
		if err != nil || n > 36500 { // beyond 100 years time.Duration overflows
			return 0, fmt.Errorf("duration %q: bad day count (0..36500)", s)
		}
		days, rest = time.Duration(n)*24*time.Hour, rest[i+1:]
	}
	var d time.Duration
	if rest != "" {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, fmt.Errorf("duration %q: use forms like 90s, 8h, 3d, 1d12h", s)
		}
	}
	if total := days + d; total >= time.Second {
		return total, nil
	}
	return 0, fmt.Errorf("duration %q must be at least one second", s)
}
