package main

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/perpvenue"
	"github.com/hedger/hedger/hedge/record"
)

func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "hedge a wallet on the embedded chain through a scripted market: no setup, nothing leaves this process",
		Flags: []cli.Flag{jsonFlag, venueFlag, &cli.BoolFlag{Name: "report", Usage: "end with the margin account's hedge record of the demo (hedger report, from chain logs)"}},
		Action: func(c *cli.Context) error {
			if g, err := venueOf(c); err != nil || g {
				if err != nil {
					return err
				}
				return gmxDemoCmd(c)
			}
			res, err := runDemo(c.Context, c.Bool("json"))
			if err != nil {
				return err
			}
			if c.Bool("report") {
				if c.Bool("json") {
					return printJSON(res.Record)
				}
				printReport(os.Stdout, res.Record, 0)
				return nil
			}
			if c.Bool("json") {
				return printJSON(res)
			}
			say("")
			say("summary (USD, from your side: + gained/received, − lost/paid)")
			say("  spot alone (unhedged)  %s", susd(res.UnhedgedPnL))
			say("  spot + short (hedged)  %s", susd(res.HedgedPnL))
			say("  of which funding       %s", susd(res.FundingUSD))
			say("  of which trading fees  %s", susd(res.FeesUSD))
			say("  %d transactions, %d gas", res.Transactions, res.GasUsed)
			return nil
		},
	}
}

// demoStep is one scene of the scripted market and where it left the books.
type demoStep struct {
	Step             int             `json:"step"`
	Name             string          `json:"name"`
	ETHPrice         decimal.Decimal `json:"eth_price"`
	BTCPrice         decimal.Decimal `json:"btc_price"`
	SpotValueUSD     decimal.Decimal `json:"spot_value_usd"`
	ShortNotionalUSD decimal.Decimal `json:"short_notional_usd"`
	FundingAPR       decimal.Decimal `json:"eth_funding_apr"` // short's side
	BasisBps         decimal.Decimal `json:"eth_basis_bps"`
	UnhedgedPnL      decimal.Decimal `json:"unhedged_pnl_usd"` // cumulative
	HedgedPnL        decimal.Decimal `json:"hedged_pnl_usd"`   // cumulative
	Actions          []string        `json:"actions"`
}

type demoResult struct {
	UnhedgedPnL  decimal.Decimal `json:"unhedged_pnl_usd"`
	HedgedPnL    decimal.Decimal `json:"hedged_pnl_usd"`
	FundingUSD   decimal.Decimal `json:"funding_usd"` // + received, − paid
	FeesUSD      decimal.Decimal `json:"fees_usd"`    // − paid
	Transactions int             `json:"transactions"`
	GasUsed      uint64          `json:"gas_used"`
	Steps        []demoStep      `json:"steps"`
	// Record is the margin account's hedge record of the demo (demo --report).
	Record *record.Report `json:"-"`
}

// demo holds the running state of the scripted market.
type demo struct {
	ctx      context.Context
	quiet    bool
	emb      *chain.Embedded
	s        *session
	dev      *perpvenue.Devnet
	wallet   common.Address
	policy   hedge.Policy
	last     *hedge.Snapshot
	start    decimal.Decimal // collateral + margin equity at the start
	unhedged decimal.Decimal
	txs      int
	res      demoResult
}

func runDemo(ctx context.Context, quiet bool) (*demoResult, error) {
	ownerKey, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	signerKey, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	owner, signer := chain.NewKeySigner(ownerKey), chain.NewKeySigner(signerKey)
	eth := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }
	emb, err := chain.NewEmbedded(types.GenesisAlloc{
		owner.Address():  {Balance: eth(1_000_000)},
		signer.Address(): {Balance: eth(10)},
	}, "")
	if err != nil {
		return nil, err
	}
	defer emb.Close()

	d := &demo{ctx: ctx, quiet: quiet, emb: emb, policy: hedge.DefaultPolicy(),
		wallet: common.HexToAddress("0x000000000000000000000000000000000000c01d")}
	s := &session{ctx: ctx, client: emb.Client, signer: signer, json: true}
	d.s = s
	ownerTx, err := s.txManager(owner)
	if err != nil {
		return nil, err
	}
	d.logf("embedded chain %s: deploying the venue, feeds and tokens", emb.ChainID)
	book, err := perpvenue.Deploy(ctx, ownerTx, perpvenue.DefaultMarkets())
	if err != nil {
		return nil, err
	}
	s.book = book
	d.dev = &perpvenue.Devnet{Book: book, Owner: ownerTx}
	s.venue = &perpvenue.Venue{Client: emb.Client, Book: book, Wallets: []common.Address{d.wallet},
		Account: signer.Address()}
	if s.venue.Tx, err = s.txManager(signer); err != nil {
		return nil, err
	}

	d.logf("cold wallet %s holds 10 ETH and 0.5 WBTC; signer %s holds 100000 USDC for margin",
		d.wallet.Hex(), signer.Address().Hex())
	if err := d.dev.SendNative(ctx, d.wallet, decimal.NewFromInt(10)); err != nil {
		return nil, err
	}
	if err := d.dev.Mint(ctx, "WBTC", d.wallet, decimal.RequireFromString("0.5")); err != nil {
		return nil, err
	}
	if err := d.dev.Mint(ctx, "USDC", signer.Address(), decimal.NewFromInt(100_000)); err != nil {
		return nil, err
	}
	if d.last, err = s.venue.Snapshot(ctx); err != nil {
		return nil, err
	}
	d.start = perpValue(d.last)
	startBlock := d.last.Block

	scenes := []struct {
		name  string
		setup func() error
		close bool
	}{
		{"open the hedge", nil, false},
		{"ETH and BTC fall 20% over a day", d.prices("2400", "48000", 24*time.Hour), false},
		{"rally: +40% over two days", d.prices("3360", "67200", 48*time.Hour), false},
		{"longs crowd in: positive funding for 3 days (shorts receive)", d.skew("6000", "300", 72*time.Hour), false},
		{"shorts crowd in: negative funding for 2 days (shorts pay)", d.skew("-6000", "-300", 48*time.Hour), false},
		{"the wallet buys 5 more ETH: rebalance", d.buyETH("5"), false},
		{"the crowd leaves, prices drift back to the start", d.unwind("3000", "60000", 24*time.Hour), false},
		{"close the hedge and withdraw margin", nil, true},
	}
	for i, sc := range scenes {
		if sc.setup != nil {
			if err := sc.setup(); err != nil {
				return nil, fmt.Errorf("step %d (%s): %w", i+1, sc.name, err)
			}
		}
		if err := d.cycle(i+1, sc.name, sc.close); err != nil {
			return nil, fmt.Errorf("step %d (%s): %w", i+1, sc.name, err)
		}
	}
	if err := d.tally(startBlock); err != nil {
		return nil, err
	}
	if d.res.Record, err = demoRecord(ctx, s, startBlock); err != nil {
		return nil, fmt.Errorf("the demo's record: %w", err)
	}
	return &d.res, nil
}

func (d *demo) logf(format string, args ...any) {
	if !d.quiet {
		say(format, args...)
	}
}

func (d *demo) prices(eth, btc string, after time.Duration) func() error {
	return func() error {
		if err := d.emb.AdvanceTime(d.ctx, after); err != nil {
			return err
		}
		if err := d.dev.SetPrice(d.ctx, "ETH", decimal.RequireFromString(eth)); err != nil {
			return err
		}
		return d.dev.SetPrice(d.ctx, "BTC", decimal.RequireFromString(btc))
	}
}

// skew opens the other side's positions, then lets funding run.
func (d *demo) skew(eth, btc string, run time.Duration) func() error {
	return func() error {
		if err := d.dev.Skew(d.ctx, "ETH", decimal.RequireFromString(eth)); err != nil {
			return err
		}
		if err := d.dev.Skew(d.ctx, "BTC", decimal.RequireFromString(btc)); err != nil {
			return err
		}
		return d.emb.AdvanceTime(d.ctx, run)
	}
}

// unwind closes the skew account's positions, then moves prices.
func (d *demo) unwind(eth, btc string, after time.Duration) func() error {
	return func() error {
		if err := d.dev.Skew(d.ctx, "ETH", decimal.Zero); err != nil {
			return err
		}
		if err := d.dev.Skew(d.ctx, "BTC", decimal.Zero); err != nil {
			return err
		}
		return d.prices(eth, btc, after)()
	}
}

func (d *demo) buyETH(n string) func() error {
	return func() error { return d.dev.SendNative(d.ctx, d.wallet, decimal.RequireFromString(n)) }
}

// cycle is what `hedger hedge --yes` does: read, plan, apply. Then it marks
// both books to market.
func (d *demo) cycle(n int, name string, closing bool) error {
	d.logf("\n%d. %s", n, name)
	e := d.s.engine(hedge.Policies{Default: hedge.DefaultAssetPolicy()})
	e.AllowPartial = true
	c, err := e.Read(d.ctx, nil)
	if err != nil {
		return err
	}
	if closing {
		err = e.PlanClose(d.ctx, c, d.policy, []string{})
	} else {
		err = e.PlanWith(d.ctx, c, func(s *hedge.Snapshot) (*hedge.Plan, error) { return hedge.BuildPlan(s, d.policy) })
	}
	if err != nil {
		return err
	}
	txs, err := d.s.apply(e, c, true)
	if err != nil {
		return err
	}
	d.txs += len(txs)
	step := demoStep{Step: n, Name: name, Actions: []string{}}
	for _, a := range c.Steps {
		step.Actions = append(step.Actions, describe(a))
		d.logf("   -> %s", describe(a))
	}
	if len(c.Steps) == 0 {
		d.logf("   -> within band, nothing to do")
	}
	snap, err := d.s.venue.Snapshot(d.ctx)
	if err != nil {
		return err
	}
	// Spot PnL counts price moves on what was held, not coins added.
	prevSpot := spotByAsset(d.last)
	for asset, amount := range prevSpot {
		d.unhedged = d.unhedged.Add(amount.Mul(snap.Markets[asset].IndexPrice.Sub(d.last.Markets[asset].IndexPrice)))
	}
	st, err := hedge.Assess(snap, d.policy)
	if err != nil {
		return err
	}
	step.ETHPrice, step.BTCPrice = snap.Markets["ETH"].IndexPrice, snap.Markets["BTC"].IndexPrice
	for _, a := range st {
		step.SpotValueUSD = step.SpotValueUSD.Add(a.SpotValueUSD)
		step.ShortNotionalUSD = step.ShortNotionalUSD.Add(a.ShortNotionalUSD)
		if a.Asset == "ETH" {
			step.FundingAPR, step.BasisBps = a.FundingAPR, a.BasisBps
		}
	}
	step.UnhedgedPnL = d.unhedged.Round(2)
	step.HedgedPnL = d.unhedged.Add(perpValue(snap).Sub(d.start)).Round(2)
	d.logf("   ETH %s  BTC %s  spot %s  short %s  ETH basis %s  funding %s APR",
		usd(step.ETHPrice), usd(step.BTCPrice), usd(step.SpotValueUSD), usd(step.ShortNotionalUSD),
		sbps(step.BasisBps), spct(step.FundingAPR))
	d.logf("   PnL so far: unhedged %s, hedged %s", susd(step.UnhedgedPnL), susd(step.HedgedPnL))
	d.res.Steps = append(d.res.Steps, step)
	d.last = snap
	return nil
}

// tally reads the venue's events for the signer: funding settled and fees.
func (d *demo) tally(fromBlock uint64) error {
	venueABI := contracts.NewPerpVenue()
	parsed := venueABI.GetABI()
	acct := common.BytesToHash(d.s.venue.Account.Bytes())
	logs, err := d.emb.FilterLogs(d.ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(fromBlock),
		Addresses: []common.Address{d.s.book.Venue},
		Topics: [][]common.Hash{{parsed.Events["FundingSettled"].ID, parsed.Events["PositionModified"].ID},
			{acct}},
	})
	if err != nil {
		return fmt.Errorf("reading venue events: %w", err)
	}
	for i := range logs {
		switch logs[i].Topics[0] {
		case parsed.Events["FundingSettled"].ID:
			ev, err := venueABI.UnpackFundingSettledEvent(&logs[i])
			if err != nil {
				return err
			}
			d.res.FundingUSD = d.res.FundingUSD.Add(decimal.NewFromBigInt(ev.Amount, -18))
		case parsed.Events["PositionModified"].ID:
			ev, err := venueABI.UnpackPositionModifiedEvent(&logs[i])
			if err != nil {
				return err
			}
			d.res.FeesUSD = d.res.FeesUSD.Sub(decimal.NewFromBigInt(ev.Fee, -18))
		}
	}
	head, err := d.emb.Head(d.ctx)
	if err != nil {
		return err
	}
	for n := fromBlock; n <= head.Number.Uint64(); n++ {
		blk, err := d.emb.BlockByNumber(d.ctx, new(big.Int).SetUint64(n))
		if err != nil {
			return err
		}
		for _, tx := range blk.Transactions() {
			from, err := types.Sender(types.LatestSignerForChainID(d.emb.ChainID), tx)
			if err == nil && from == d.s.venue.Account {
				rcpt, err := d.emb.TransactionReceipt(d.ctx, tx.Hash())
				if err != nil {
					return err
				}
				d.res.GasUsed += rcpt.GasUsed
			}
		}
	}
	d.res.FundingUSD, d.res.FeesUSD = d.res.FundingUSD.Round(2), d.res.FeesUSD.Round(2)
	d.res.Transactions = d.txs
	last := d.res.Steps[len(d.res.Steps)-1]
	d.res.UnhedgedPnL, d.res.HedgedPnL = last.UnhedgedPnL, last.HedgedPnL
	return nil
}

// perpValue is what the margin account is worth: free collateral plus the
// equity of every position.
func perpValue(s *hedge.Snapshot) decimal.Decimal {
	v := s.Collateral
	for _, p := range s.Positions {
		v = v.Add(p.Equity())
	}
	return v
}

func spotByAsset(s *hedge.Snapshot) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for _, h := range s.Holdings {
		out[h.Asset] = out[h.Asset].Add(h.Amount)
	}
	return out
}
