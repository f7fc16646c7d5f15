package main

// GMX v2 through the venue seam: --venue gmx (HEDGER_VENUE) selects the
// adapter (hedge/gmxvenue) with the GMX address book of the chain.

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/gmxvenue"
)

var (
	venueFlag = &cli.StringFlag{Name: "venue", Value: "perp", EnvVars: []string{"HEDGER_VENUE"},
		Usage: "venue to hedge on: perp (hedger's PerpVenue, from the deployment's address book) or gmx (GMX v2, from the address book shipped for the chain)"}
	maxExecFeeFlag = &cli.StringFlag{Name: "max-execution-fee", EnvVars: []string{"HEDGER_MAX_EXECUTION_FEE"},
		Usage: "GMX: most native coin (e.g. 0.002 ETH) one order may pay its keeper; an order needing more is refused before anything is sent"}
	settleTimeoutFlag = &cli.StringFlag{Name: "settle-timeout", Value: "2m", EnvVars: []string{"HEDGER_SETTLE_TIMEOUT"},
		Usage: "GMX: how long `hedge`/`close` wait for the keeper to execute or cancel each order"}
)

// gmxFlags are the GMX flags of the commands that trade.
func gmxFlags() []cli.Flag { return []cli.Flag{maxExecFeeFlag, settleTimeoutFlag} }

// venueOf validates --venue; true for gmx.
func venueOf(c *cli.Context) (bool, error) {
	switch v := strings.ToLower(strings.TrimSpace(c.String("venue"))); v {
	case "", "perp", "perpvenue":
		return false, nil
	case "gmx":
		return true, nil
	default:
		return false, fmt.Errorf("--venue %q: choose perp or gmx", c.String("venue"))
	}
}

// gmxOptions are the parsed GMX flags.
type gmxOptions struct {
	maxExecFee    *big.Int
	settleTimeout time.Duration
}

func gmxOptionsFrom(c *cli.Context) (gmxOptions, error) {
	var o gmxOptions
	if s := c.String("max-execution-fee"); s != "" {
		d, err := parseNonNegative("--max-execution-fee", s)
		if err != nil {
			return o, err
		}
		o.maxExecFee = d.Shift(18).Floor().BigInt()
	}
	o.settleTimeout = 2 * time.Minute
	if s := c.String("settle-timeout"); s != "" {
		d, err := parseDuration(s)
		if err != nil {
			return o, fmt.Errorf("--settle-timeout: %w", err)
		}
		o.settleTimeout = d
	}
	return o, nil
}

// openGMX builds the GMX adapter of the session: the book of the chain
// (refused in one line when there is none), the client and, with a
// signer, its transaction manager restricted to GMX's routers and tokens.
func (s *session) openGMX(c *cli.Context, wallets []common.Address, from common.Address) error {
	o, err := gmxOptionsFrom(c)
	if err != nil {
		return err
	}
	book, err := gmx.BookFor(s.client.ChainID.Uint64())
	if err != nil {
		return fmt.Errorf("--venue gmx: %w", err)
	}
	var tx *chain.TxManager
	if s.signer != nil {
		cfg := s.txConfig(s.signer)
		cfg.ABIs, cfg.Recipients = gmx.ABIs(), book.Recipients()
		if tx, err = chain.NewTxManager(cfg); err != nil {
			return err
		}
	}
	v := gmxvenue.New(gmx.NewClient(s.client, book, from, tx), wallets)
	v.MaxExecutionFee = o.maxExecFee
	v.SettleTimeout = o.settleTimeout
	v.Logf = func(format string, args ...any) { fmt.Fprintln(os.Stderr, "note: "+fmt.Sprintf(format, args...)) }
	s.gmx, s.gmxBook = v, book
	return nil
}

// checkGMXAssets refuses, in one line, an asset the GMX book has no market for.
func checkGMXAssets(book *gmx.Book, assets []string) error {
	for _, a := range assets {
		if _, ok := book.Market(a); !ok {
			return fmt.Errorf("GMX on %s has no market for %s (markets: %s)", book.Network, strings.ToUpper(a), strings.Join(book.Assets(), ", "))
		}
	}
	return nil
}

func claimCommand() *cli.Command {
	return &cli.Command{
		Name:  "claim",
		Usage: "claim what the venue owes the account (GMX: claimable funding) (asks for confirmation unless --yes)",
		Flags: append(append(append(connFlags(), yesFlag), signerFlags()...), txFlags()...),
		Action: func(c *cli.Context) error {
			s, err := open(c, openOpts{needBook: true, needSigner: true})
			if err != nil {
				return err
			}
			defer s.close()
			e := s.engine(hedge.Policies{Default: hedge.DefaultAssetPolicy()})
			cy, err := e.Read(s.ctx, nil)
			if err != nil {
				return err
			}
			ok, err := e.PlanClaim(cy)
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("this venue has nothing to claim (no claimables)")
			}
			if len(cy.Steps) == 0 {
				say("nothing to claim")
				return nil
			}
			for _, cl := range cy.Snap.Claimables {
				say("claimable: %s %s (%s) in %s", cl.Amount, cl.Token, cl.Asset, cl.Market)
			}
			txs, err := s.apply(e, cy, c.Bool("yes"))
			if err == nil {
				say("done: %d transaction(s) mined", len(txs))
			}
			return err
		},
	}
}

// gmxDevnet opens a dev-chain session on the local GMX fixture and its
// devnet helpers (keeper/CONTROLLER account from the fixture's book).
func gmxDevnet(c *cli.Context, f func(*gmx.Devnet, *session) error) error {
	s, err := open(c, openOpts{})
	if err != nil {
		return err
	}
	defer s.close()
	if !s.client.IsDev() {
		return fmt.Errorf("devnet commands run only on dev chains (1337, 31337); chain %s is not one", s.client.ChainID)
	}
	book, err := gmx.BookFor(s.client.ChainID.Uint64())
	if err != nil {
		return fmt.Errorf("--venue gmx: %w", err)
	}
	d, err := gmx.NewDevnet(s.client, book)
	if err != nil {
		return err
	}
	if err := feedPrices(s.ctx, s.client, book, d.Prices); err != nil {
		return err
	}
	return f(d, s)
}

// feedPrices sets the keeper's prices from the chain's reference feeds, so
// a keeper in another process signs what `devnet set-price` set.
func feedPrices(ctx context.Context, c *chain.Client, b *gmx.Book, p *gmx.Prices) error {
	var batch chain.Batch
	type q struct {
		tok gmx.Token
		ans *big.Int
	}
	var qs []*q
	feed := cgmx.NewMockPriceFeed()
	for _, t := range b.Tokens {
		if t.PriceFeed == (common.Address{}) {
			continue
		}
		x := &q{tok: t}
		qs = append(qs, x)
		batch.Call(t.PriceFeed, feed.PackLatestRoundData(), func(out []byte) error {
			r, err := feed.UnpackLatestRoundData(out)
			if err == nil {
				x.ans = r.Arg1
			}
			return err
		})
	}
	if err := c.Read(ctx, &batch, nil); err != nil {
		return fmt.Errorf("reading the fixture's feeds: %w", err)
	}
	for _, x := range qs {
		if x.ans != nil && x.ans.Sign() > 0 {
			p.Set(x.tok, decimal.NewFromBigInt(x.ans, -8)) // MockPriceFeed: 8 decimals
		}
	}
	return nil
}

// gmxToken is the fixture token an asset or symbol names (ETH -> WETH).
func gmxToken(b *gmx.Book, name string) (string, error) {
	n := strings.ToUpper(name)
	if m, ok := b.Market(n); ok {
		return m.Index.Symbol, nil
	}
	for sym := range b.Tokens {
		if strings.EqualFold(sym, n) {
			return sym, nil
		}
	}
	return "", fmt.Errorf("the local GMX has no token or market %s", n)
}

func gmxSetPrice(c *cli.Context) error {
	if c.NArg() != 2 {
		return errors.New("usage: hedger devnet set-price --venue gmx ASSET PRICE")
	}
	price, err := parseDecimal("price", c.Args().Get(1))
	if err != nil {
		return err
	}
	return gmxDevnet(c, func(d *gmx.Devnet, s *session) error {
		sym, err := gmxToken(d.Book, c.Args().Get(0))
		if err != nil {
			return err
		}
		if err := d.SetPrice(s.ctx, sym, price); err != nil {
			return err
		}
		say("%s reference price set to %s (the keeper signs it too)", sym, price)
		return nil
	})
}

func gmxFund(c *cli.Context, to common.Address, amounts map[string]decimal.Decimal) error {
	return gmxDevnet(c, func(d *gmx.Devnet, s *session) error {
		var parts []string
		if eth := amounts["eth"]; eth.IsPositive() {
			if _, err := gmx.SendFixedGas(s.ctx, s.client, d.Keeper.Signer(), to, nil, eth.Shift(18).Floor().BigInt(), 21_000); err != nil {
				return fmt.Errorf("fund ETH: %w", err)
			}
			parts = append(parts, eth.String()+" ETH")
		}
		for _, k := range fundKeys[1:] {
			if !amounts[k].IsPositive() {
				continue
			}
			sym, err := gmxToken(d.Book, k)
			if err != nil {
				return err
			}
			if err := d.Fund(s.ctx, sym, to, amounts[k]); err != nil {
				return err
			}
			parts = append(parts, amounts[k].String()+" "+sym)
		}
		say("funded %s with %s", to.Hex(), strings.Join(parts, ", "))
		return nil
	})
}

func gmxDevnetCommands() []*cli.Command {
	return []*cli.Command{
		{
			Name: "setup", Usage: "local GMX (--venue gmx): seed the ETH market's pool and apply Arbitrum's ETH market configuration",
			Flags: append(connFlags(),
				&cli.StringFlag{Name: "long", Value: "1000", Usage: "WETH to deposit into the pool"},
				&cli.StringFlag{Name: "short", Value: "5000000", Usage: "USDC to deposit into the pool"}),
			Action: func(c *cli.Context) error {
				if g, err := venueOf(c); err != nil || !g {
					if err == nil {
						err = errors.New("devnet setup is for the local GMX: pass --venue gmx")
					}
					return err
				}
				long, err := parseNonNegative("--long", c.String("long"))
				if err != nil {
					return err
				}
				short, err := parseNonNegative("--short", c.String("short"))
				if err != nil {
					return err
				}
				return gmxDevnet(c, func(d *gmx.Devnet, s *session) error {
					m, ok := d.Book.Market("ETH")
					if !ok {
						return errors.New("the local GMX book has no ETH market")
					}
					if err := d.Setup(s.ctx, m, long, short); err != nil {
						return err
					}
					say("seeded %s with %s %s and %s %s; Arbitrum's ETH market configuration applied", m.Name, long, m.Long.Symbol, short, m.Short.Symbol)
					return nil
				})
			},
		},
		{
			Name: "keeper", Usage: "local GMX (--venue gmx): execute pending orders with signed oracle prices until interrupted",
			Flags: append(connFlags(),
				&cli.Uint64Flag{Name: "delay", Usage: "blocks to leave each request pending before executing it (rehearses slow keepers)"},
				&cli.BoolFlag{Name: "once", Usage: "handle what is due once and exit"},
				&cli.StringFlag{Name: "poll", Value: "500ms", Usage: "how often to look for requests"}),
			Action: func(c *cli.Context) error {
				if g, err := venueOf(c); err != nil || !g {
					if err == nil {
						err = errors.New("devnet keeper is for the local GMX: pass --venue gmx")
					}
					return err
				}
				poll, err := time.ParseDuration(c.String("poll"))
				if err != nil || poll <= 0 {
					return fmt.Errorf("--poll %q: use a duration like 500ms", c.String("poll"))
				}
				ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
				defer stop()
				c.Context = ctx
				return gmxDevnet(c, func(d *gmx.Devnet, s *session) error {
					k := d.Keeper
					k.Delay = c.Uint64("delay")
					k.Logf = func(format string, args ...any) { say(format, args...) }
					round := func() error {
						if err := feedPrices(s.ctx, s.client, d.Book, d.Prices); err != nil {
							return err
						}
						_, err := k.Once(s.ctx)
						return err
					}
					if c.Bool("once") {
						return round()
					}
					say("keeper %s running on chain %s (delay %d blocks); interrupt to stop", k.Address().Hex(), s.client.ChainID, k.Delay)
					t := time.NewTicker(poll)
					defer t.Stop()
					for {
						if err := round(); err != nil {
							if s.ctx.Err() != nil {
								return nil
							}
							warn("keeper: %s", oneLine(err))
						}
						select {
						case <-s.ctx.Done():
							return nil
						case <-t.C:
						}
					}
				})
			},
		},
	}
}

// gmxAdvance moves the clock and re-publishes the fixture's feeds at their
// latest answers (a live oracle's heartbeat), so the oracle's age does not
// gate trading after time travel.
func gmxAdvance(c *cli.Context, d time.Duration) error {
	return gmxDevnet(c, func(dev *gmx.Devnet, s *session) error {
		if err := s.client.AdvanceTime(s.ctx, d); err != nil {
			return err
		}
		h, err := s.client.Head(s.ctx)
		if err != nil {
			return err
		}
		say("advanced %s: block %d at %s", d, h.Number, time.Unix(int64(h.Time), 0).UTC().Format(time.RFC3339))
		n := 0
		for sym, t := range dev.Book.Tokens {
			p, ok := dev.Prices.Price(t.Address)
			if t.PriceFeed == (common.Address{}) || !ok {
				continue
			}
			if err := dev.SetPrice(s.ctx, sym, gmx.PriceUSD(p, t.Decimals)); err != nil {
				return err
			}
			n++
		}
		say("refreshed %d feed(s) at their latest answers", n)
		return nil
	})
}

// checkGMXPolicies refuses a policy that hedges on a market the GMX book
// does not have (a section's hedge_with, or a section of an asset with no
// market and no hedge_with).
func checkGMXPolicies(book *gmx.Book, pol hedge.Policies) error {
	for a, p := range pol.Assets {
		target := a
		if p.HedgeWith != "" {
			target = p.HedgeWith
		}
		if err := checkGMXAssets(book, []string{target}); err != nil {
			return fmt.Errorf("policy [%s]: %w", a, err)
		}
	}
	return nil
}
