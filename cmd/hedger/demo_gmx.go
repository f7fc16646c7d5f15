package main

// `hedger demo --venue gmx`: the scripted rehearsal on GMX v2 — the fixture
// as genesis of the embedded chain, the keeper in process — through the
// same engine `hedge` uses. A cold wallet holds ETH and WBTC; both are
// hedged on their own GMX market (WETH/USD and WBTC/USD, USDC collateral).

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/gmxvenue"
	"github.com/hedger/hedger/hedge/record"
)

// gmxDemoAssets are the demo wallet's assets, in the order they are shown.
var gmxDemoAssets = []string{"ETH", "BTC"}

// gmxDemoAsset is where one asset stood after a step, from the adapter's
// snapshot of the chain.
type gmxDemoAsset struct {
	Asset       string          `json:"asset"`
	Market      string          `json:"market"`
	Price       decimal.Decimal `json:"price"`
	Spot        decimal.Decimal `json:"spot"`
	Short       decimal.Decimal `json:"short"`
	Pending     int             `json:"pending_orders"`
	CarryPerDay decimal.Decimal `json:"short_carry_per_day"` // funding − borrowing, fraction of notional, from your side
}

type gmxDemoStep struct {
	Step         int            `json:"step"`
	Name         string         `json:"name"`
	Assets       []gmxDemoAsset `json:"assets"`
	Orders       []string       `json:"orders"` // what was sent and what became of it
	Transactions int            `json:"transactions"`
	// Executed counts the account's orders the keeper executed in this step.
	Executed int `json:"executed"`
}

type gmxDemoResult struct {
	Steps        []gmxDemoStep   `json:"steps"`
	Transactions int             `json:"transactions"`
	GasUsed      uint64          `json:"gas_used"`          // of hedger's transactions (the keeper pays its own)
	FeesUSD      decimal.Decimal `json:"venue_fees_usd"`    // position and borrowing fees charged, − paid
	ClaimedUSD   decimal.Decimal `json:"claimed_usd"`       // funding received and claimed, + received
	BlocksToExec []uint64        `json:"blocks_to_execute"` // per executed order: blocks from its creation
	// SpotPnLUSD is what the wallet's holdings gained from price moves
	// (each step's holdings × the next step's price change): the result
	// unhedged. HedgedPnLUSD adds the margin account's USDC change.
	SpotPnLUSD   decimal.Decimal `json:"spot_pnl_usd"`
	HedgedPnLUSD decimal.Decimal `json:"hedged_pnl_usd"`
	USDCStart    decimal.Decimal `json:"usdc_start"`
	USDCEnd      decimal.Decimal `json:"usdc_end"`
	// Record is the margin account's hedge record of the demo, from chain
	// logs (demo --venue gmx --report).
	Record *record.Report `json:"-"`
}

// gmxDemoChain is what a caller may inspect after each step, while the
// embedded chain still runs (the test reads the positions from it).
type gmxDemoChain struct {
	Client  *chain.Client
	Book    *gmx.Book
	Account common.Address // the margin account
	Wallet  common.Address // the cold wallet
}

func (a gmxDemoAsset) String() string {
	s := fmt.Sprintf("%s %s: spot %s, short %s, carry %s%%/day", a.Asset, a.Price.StringFixed(2), a.Spot, a.Short.StringFixed(4), signed(a.CarryPerDay.Shift(2).StringFixed(4)))
	if a.Pending > 0 {
		s += fmt.Sprintf(", %d order(s) pending", a.Pending)
	}
	return s
}

// runGMXDemo plays the script; after, when set, is called after every step.
func runGMXDemo(ctx context.Context, quiet bool, after func(gmxDemoStep, gmxDemoChain) error) (*gmxDemoResult, error) {
	logf := func(format string, args ...any) {
		if !quiet {
			say(format, args...)
		}
	}
	alloc, err := gmx.GenesisAlloc(nil)
	if err != nil {
		return nil, err
	}
	emb, err := chain.NewEmbedded(alloc, "")
	if err != nil {
		return nil, err
	}
	defer emb.Close()
	book, err := gmx.BookFor(emb.ChainID.Uint64())
	if err != nil {
		return nil, err
	}
	dev, err := gmx.NewDevnet(emb.Client, book)
	if err != nil {
		return nil, err
	}
	m, _ := book.Market("ETH")
	logf("embedded chain %s with the GMX v2 fixture: seeding %s with 1000 WETH + 5000000 USDC, Arbitrum's ETH market config", emb.ChainID, m.Name)
	if err := dev.Setup(ctx, m, decimal.NewFromInt(1000), decimal.NewFromInt(5_000_000)); err != nil {
		return nil, err
	}
	// The fixture's WBTC has no reference feed: install one (as `devnet
	// setup` does) and seed the BTC pool with the same configuration.
	bm, err := dev.SetupBTC(ctx, decimal.NewFromInt(60_000), decimal.NewFromInt(50), decimal.NewFromInt(3_000_000))
	if err != nil {
		return nil, err
	}
	logf("WBTC reference feed at 60000 USD; seeding %s with 50 WBTC + 3000000 USDC, same config", bm.Name)
	// A fixed key (the embedded chain only): the same addresses, hence the
	// same calldata gas, in every run.
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("hedger demo --venue gmx: margin account")))
	if err != nil {
		return nil, err
	}
	signer := chain.NewKeySigner(key)
	wallet := common.HexToAddress("0x000000000000000000000000000000000000c01d")
	send := func(to common.Address, eth int64) error {
		_, err := gmx.SendFixedGas(ctx, emb.Client, dev.Keeper.Signer(), to, nil, new(big.Int).Mul(big.NewInt(eth), big.NewInt(1e18)), 21_000)
		return err
	}
	if err := send(signer.Address(), 10); err != nil {
		return nil, err
	}
	if err := send(wallet, 10); err != nil {
		return nil, err
	}
	if err := dev.Fund(ctx, "WBTC", wallet, decimal.RequireFromString("0.5")); err != nil {
		return nil, err
	}
	if err := dev.Fund(ctx, "USDC", signer.Address(), decimal.NewFromInt(100_000)); err != nil {
		return nil, err
	}
	logf("cold wallet %s holds 10 ETH and 0.5 WBTC; signer %s holds 100000 USDC and 10 ETH for execution fees", wallet.Hex(), signer.Address().Hex())
	s := &session{ctx: ctx, client: emb.Client, signer: signer, json: true}
	cfg := s.txConfig(signer)
	cfg.ABIs, cfg.Recipients = gmx.ABIs(), book.Recipients()
	tx, err := chain.NewTxManager(cfg)
	if err != nil {
		return nil, err
	}
	v := gmxvenue.New(gmx.NewClient(emb.Client, book, signer.Address(), tx), []common.Address{wallet})
	v.Keep = func(ctx context.Context) error { _, err := dev.Keeper.Once(ctx); return err }
	v.SettleTimeout = time.Minute
	pol := hedge.Policies{Default: hedge.DefaultAssetPolicy()}
	pol.Default.MaxOracleAge = 0 // the demo's clock jumps
	view := gmxDemoChain{Client: emb.Client, Book: book, Account: signer.Address(), Wallet: wallet}

	res := &gmxDemoResult{}
	startBlock, err := emb.Client.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	startBlock++ // the record starts with the demo's first transaction
	first, err := v.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	res.USDCStart = first.Collateral
	created := map[string]uint64{} // order key -> block of its creation
	settled := func(st *gmxDemoStep, set hedge.Settlement) string {
		res.FeesUSD = res.FeesUSD.Sub(set.Fee)
		line := fmt.Sprintf(" %s", set.Status)
		if set.Status == hedge.OrderExecuted {
			st.Executed++
			line += fmt.Sprintf(" at %s, fees %s USDC", set.Fill.StringFixed(2), set.Fee.StringFixed(2))
		} else if set.Reason != "" {
			line += ": " + set.Reason
		}
		return line
	}
	// finish reads where the assets stand, logs the step and hands it on.
	var snap *hedge.Snapshot // the last step's
	finish := func(st gmxDemoStep) error {
		if snap, err = v.Snapshot(ctx); err != nil {
			return err
		}
		for _, asset := range gmxDemoAssets {
			mk := snap.Markets[asset]
			a := gmxDemoAsset{Asset: asset, Market: mk.Key, Price: mk.IndexPrice, Short: snap.PositionOf(asset).Size.Neg(),
				Pending: len(snap.PendingOf(asset)), CarryPerDay: mk.ShortCarryPerDay()}
			for _, h := range snap.Holdings {
				if h.Asset == asset {
					a.Spot = a.Spot.Add(h.Amount)
				}
			}
			st.Assets = append(st.Assets, a)
		}
		if n := len(res.Steps); n > 0 {
			for i, a := range st.Assets {
				was := res.Steps[n-1].Assets[i]
				res.SpotPnLUSD = res.SpotPnLUSD.Add(was.Spot.Mul(a.Price.Sub(was.Price)))
			}
		}
		res.Steps = append(res.Steps, st)
		res.Transactions += st.Transactions
		logf("%d. %s: %d transaction(s)", st.Step, st.Name, st.Transactions)
		for _, a := range st.Assets {
			logf("   %s", a)
		}
		for _, o := range st.Orders {
			logf("   %s", o)
		}
		if after != nil {
			return after(st, view)
		}
		return nil
	}
	// run plans one cycle (close: close everything; claim: claim funding)
	// and submits it; settle waits for the in-process keeper.
	type mode int
	const (
		rebalance mode = iota
		closeAll
		claim
	)
	run := func(n int, name string, setup func() error, md mode, settle bool) error {
		if setup != nil {
			if err := setup(); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		e := &engine.Engine{Venue: v, Policies: pol, Settle: settle, ApproveMax: true}
		c, err := e.Read(ctx, nil)
		if err != nil {
			return err
		}
		switch md {
		case closeAll:
			err = e.PlanClose(ctx, c, pol.Default.Policy(), nil)
		case claim:
			var ok bool
			if ok, err = e.PlanClaim(c); err == nil && !ok {
				err = fmt.Errorf("the venue offers no claim")
			}
		default:
			err = e.Plan(ctx, c)
		}
		if err == nil {
			err = e.Check(c)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		out, err := e.Submit(ctx, c, engine.Hooks{})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		st := gmxDemoStep{Step: n, Name: name, Transactions: len(out.Submissions)}
		for i, sub := range out.Submissions {
			r, err := emb.Client.TransactionReceipt(ctx, common.HexToHash(sub.Tx))
			if err != nil {
				return fmt.Errorf("%s: receipt of %s: %w", name, sub.Tx, err)
			}
			res.GasUsed += r.GasUsed
			if !sub.Pending {
				if md == claim {
					st.Orders = append(st.Orders, fmt.Sprintf("%s: %d gas", describe(out.Steps[i]), r.GasUsed))
				}
				continue
			}
			created[sub.Ref] = r.BlockNumber.Uint64()
			line := fmt.Sprintf("%s: order %s… created in block %d", describe(out.Steps[i]), sub.Ref[:10], r.BlockNumber)
			for _, set := range out.Settlements {
				if set.Ref == sub.Ref {
					line += settled(&st, set)
				}
			}
			if !settle {
				line += ", pending: no keeper has run yet"
			}
			st.Orders = append(st.Orders, line)
		}
		if md != claim && len(out.Submissions) == 0 {
			for _, ap := range c.Plan.Assets {
				if ap.Pending > 0 {
					st.Orders = append(st.Orders, fmt.Sprintf("%s held: %s", ap.Asset, ap.Note))
				}
			}
		}
		if err := finish(st); err != nil {
			return err
		}
		if md == claim {
			res.ClaimedUSD = snap.Collateral.Sub(c.Snap.Collateral)
		}
		return nil
	}
	// keep runs the in-process keeper once and settles what it executed.
	keep := func(n int, name string) error {
		execs, err := dev.Keeper.Once(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		st := gmxDemoStep{Step: n, Name: name}
		for _, x := range execs {
			blk, ok := created[x.Key.Hex()]
			if !ok || x.Kind != "order" {
				continue // another account's request
			}
			set, err := v.Settle(ctx, x.Key.Hex())
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			d := x.Receipt.BlockNumber.Uint64() - blk
			res.BlocksToExec = append(res.BlocksToExec, d)
			st.Orders = append(st.Orders, fmt.Sprintf("keeper: order %s…%s in block %d (%d block(s) after its creation, %d gas)",
				x.Key.Hex()[:10], settled(&st, set), x.Receipt.BlockNumber, d, x.Receipt.GasUsed))
		}
		return finish(st)
	}

	steps := []func() error{
		func() error { return run(1, "hedge 10 ETH and 0.5 WBTC: orders created", nil, rebalance, false) },
		func() error {
			return run(2, "rerun while both orders are pending: nothing sent", nil, rebalance, false)
		},
		func() error { return keep(3, "the in-process keeper executes them") },
		func() error { return run(4, "rerun after execution: nothing to do", nil, rebalance, true) },
		func() error {
			return run(5, "5 more ETH and 0.25 WBTC arrive in the cold wallet", func() error {
				if err := send(wallet, 5); err != nil {
					return err
				}
				return dev.Fund(ctx, "WBTC", wallet, decimal.RequireFromString("0.25"))
			}, rebalance, true)
		},
		func() error {
			return run(6, "a trader opens a 150000 USD ETH long; ETH 5400, BTC 63000; a day passes", func() error {
				if err := gmxDemoLong(ctx, emb.Client, dev, m, 150_000, 30_000); err != nil {
					return err
				}
				if err := emb.AdvanceTime(ctx, 24*time.Hour); err != nil {
					return err
				}
				if err := dev.SetPrice(ctx, "WETH", decimal.NewFromInt(5400)); err != nil {
					return err
				}
				return dev.SetPrice(ctx, "WBTC", decimal.NewFromInt(63_000))
			}, rebalance, true)
		},
		func() error { return run(7, "close both: collateral back, funding realised", nil, closeAll, true) },
		func() error { return run(8, "claim the funding the ETH short received", nil, claim, true) },
	}
	for _, f := range steps {
		if err := f(); err != nil {
			return nil, err
		}
	}
	last, err := v.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	res.USDCEnd = last.Collateral
	res.HedgedPnLUSD = res.SpotPnLUSD.Add(res.USDCEnd.Sub(res.USDCStart))
	if res.Record, err = gmxDemoRecord(ctx, v.Client, signer.Address(), startBlock); err != nil {
		return nil, fmt.Errorf("the demo's record: %w", err)
	}
	return res, nil
}

// gmxDemoRecord is the account's hedge record over blocks [from, head],
// rebuilt from chain logs by the GMX record source, as `hedger report
// --venue gmx --rebuild` does.
func gmxDemoRecord(ctx context.Context, c *gmx.Client, account common.Address, from uint64) (*record.Report, error) {
	return rebuildToHead(ctx, gmxRecord{gmxvenue.NewRecordSource(c, account)}, c.Chain, account, from, "ETH")
}

// gmxDemoLong opens a long of usd with usdc collateral from a new account
// (the other side of the market, so the short receives funding), built
// from the bindings (hedger compiles shorts only), and has the keeper
// execute it.
func gmxDemoLong(ctx context.Context, c *chain.Client, dev *gmx.Devnet, m gmx.Market, usd, usdc int64) error {
	k, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	long := chain.NewKeySigner(k)
	if _, err := gmx.SendFixedGas(ctx, c, dev.Keeper.Signer(), long.Address(), nil, big.NewInt(1e18), 21_000); err != nil {
		return err
	}
	if err := dev.Fund(ctx, "USDC", long.Address(), decimal.NewFromInt(usdc)); err != nil {
		return err
	}
	b := dev.Book
	cr, col := b.Contracts, b.Collateral.Address
	amount := new(big.Int).Mul(big.NewInt(usdc), big.NewInt(1e6))
	if _, err := gmx.SendFixedGas(ctx, c, long, col, cgmx.NewMintableToken().PackApprove(cr.Router, amount), nil, 200_000); err != nil {
		return err
	}
	er := cgmx.NewExchangeRouter()
	fee := big.NewInt(1e16)
	size := new(big.Int).Mul(big.NewInt(usd), new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil))
	// A long's acceptable price is a maximum: twice the index price, in
	// GMX's units (USD per smallest index unit × 1e30).
	p, ok := dev.Prices.Price(m.Index.Address)
	if !ok {
		return fmt.Errorf("no keeper price for %s", m.Index.Symbol)
	}
	acceptable := new(big.Int).Mul(p, big.NewInt(2))
	params := cgmx.IBaseOrderUtilsCreateOrderParams{
		Addresses: cgmx.IBaseOrderUtilsCreateOrderParamsAddresses{Receiver: long.Address(), CancellationReceiver: long.Address(), Market: m.MarketToken,
			InitialCollateralToken: col, SwapPath: []common.Address{}},
		Numbers: cgmx.IBaseOrderUtilsCreateOrderParamsNumbers{SizeDeltaUsd: size, InitialCollateralDeltaAmount: new(big.Int), TriggerPrice: new(big.Int),
			AcceptablePrice: acceptable, ExecutionFee: fee, CallbackGasLimit: new(big.Int),
			MinOutputAmount: new(big.Int), ValidFromTime: new(big.Int)},
		OrderType: gmx.OrderMarketIncrease, IsLong: true, DataList: [][32]byte{},
	}
	data := er.PackMulticall([][]byte{er.PackSendWnt(cr.OrderVault, fee), er.PackSendTokens(col, cr.OrderVault, amount), er.PackCreateOrder(params)})
	if _, err := gmx.SendFixedGas(ctx, c, long, cr.ExchangeRouter, data, fee, 10_000_000); err != nil {
		return err
	}
	_, err = dev.Keeper.Once(ctx)
	return err
}

func gmxDemoCmd(c *cli.Context) error {
	res, err := runGMXDemo(c.Context, c.Bool("json"), nil)
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
	say("  spot alone (unhedged)  %s", susd(res.SpotPnLUSD))
	say("  spot + shorts (hedged) %s  (margin account USDC %s -> %s)", susd(res.HedgedPnLUSD), usd(res.USDCStart), usd(res.USDCEnd))
	say("  of which GMX fees      %s  (position fees, price impact, borrowing)", susd(res.FeesUSD))
	say("  funding claimed        %s", susd(res.ClaimedUSD))
	say("  %d transactions, %d gas (hedger's; the keeper pays its own)", res.Transactions, res.GasUsed)
	return nil
}
