package main

// `hedger demo --venue gmx`: the scripted rehearsal on GMX v2 — the fixture
// as genesis of the embedded chain, the keeper in process — through the
// same engine `hedge` uses.

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/gmx"
	"github.com/hedger/hedger/hedge/gmxvenue"
)

type gmxDemoStep struct {
	Step         int             `json:"step"`
	Name         string          `json:"name"`
	ETHPrice     decimal.Decimal `json:"eth_price"`
	SpotETH      decimal.Decimal `json:"spot_eth"`
	ShortETH     decimal.Decimal `json:"short_eth"`
	CarryPerDay  decimal.Decimal `json:"short_carry_per_day"` // funding − borrowing, fraction of notional, from your side
	Orders       []string        `json:"orders"`
	Transactions int             `json:"transactions"`
}

type gmxDemoResult struct {
	Steps        []gmxDemoStep   `json:"steps"`
	Transactions int             `json:"transactions"`
	GasUsed      uint64          `json:"gas_used"`
	FeesUSD      decimal.Decimal `json:"venue_fees_usd"` // position and borrowing fees charged, − paid
	USDCStart    decimal.Decimal `json:"usdc_start"`
	USDCEnd      decimal.Decimal `json:"usdc_end"`
}

func runGMXDemo(ctx context.Context, quiet bool) (*gmxDemoResult, error) {
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
	key, err := crypto.GenerateKey()
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
	if err := dev.Fund(ctx, "USDC", signer.Address(), decimal.NewFromInt(100_000)); err != nil {
		return nil, err
	}
	logf("cold wallet %s holds 10 ETH; signer %s holds 100000 USDC and 10 ETH for execution fees", wallet.Hex(), signer.Address().Hex())
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

	res := &gmxDemoResult{FeesUSD: decimal.Zero}
	first, err := v.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	res.USDCStart = first.Collateral
	run := func(n int, name string, setup func() error, close bool) error {
		if setup != nil {
			if err := setup(); err != nil {
				return err
			}
		}
		e := &engine.Engine{Venue: v, Policies: pol, Settle: true, ApproveMax: true}
		c, err := e.Read(ctx, nil)
		if err != nil {
			return err
		}
		if close {
			err = e.PlanClose(ctx, c, pol.Default.Policy(), nil)
		} else {
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
			if err == nil {
				res.GasUsed += r.GasUsed
			}
			if sub.Pending {
				line := fmt.Sprintf("%s: order %s…", describe(out.Steps[i]), sub.Ref[:10])
				for _, set := range out.Settlements {
					if set.Ref == sub.Ref {
						line += fmt.Sprintf(" %s at %s, fees %s USDC", set.Status, set.Fill.StringFixed(2), set.Fee.StringFixed(2))
						res.FeesUSD = res.FeesUSD.Sub(set.Fee)
					}
				}
				st.Orders = append(st.Orders, line)
			}
		}
		res.Transactions += len(out.Submissions)
		after, err := v.Snapshot(ctx)
		if err != nil {
			return err
		}
		mk := after.Markets["ETH"]
		st.ETHPrice, st.ShortETH, st.CarryPerDay = mk.IndexPrice, after.PositionOf("ETH").Size.Neg(), mk.ShortCarryPerDay()
		for _, h := range after.Holdings {
			if h.Asset == "ETH" {
				st.SpotETH = st.SpotETH.Add(h.Amount)
			}
		}
		res.Steps = append(res.Steps, st)
		logf("%d. %s: ETH %s, spot %s ETH, short %s ETH, %d transaction(s)", n, name, st.ETHPrice.StringFixed(2), st.SpotETH, st.ShortETH.StringFixed(4), st.Transactions)
		for _, o := range st.Orders {
			logf("   %s", o)
		}
		return nil
	}
	if err := run(1, "hedge 10 ETH", nil, false); err != nil {
		return nil, err
	}
	if err := run(2, "rerun: nothing to do", nil, false); err != nil {
		return nil, err
	}
	if err := run(3, "5 more ETH arrive in the cold wallet", func() error { return send(wallet, 5) }, false); err != nil {
		return nil, err
	}
	if err := run(4, "ETH rallies to 5400, a day passes", func() error {
		if err := emb.AdvanceTime(ctx, 24*time.Hour); err != nil {
			return err
		}
		return dev.SetPrice(ctx, "WETH", decimal.NewFromInt(5400))
	}, false); err != nil {
		return nil, err
	}
	if err := run(5, "close: collateral back", nil, true); err != nil {
		return nil, err
	}
	last, err := v.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	res.USDCEnd = last.Collateral
	return res, nil
}

func gmxDemoCmd(c *cli.Context) error {
	res, err := runGMXDemo(c.Context, c.Bool("json"))
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return printJSON(res)
	}
	say("")
	say("summary: %d transactions, %d gas; GMX fees %s USD (from your side); USDC %s -> %s",
		res.Transactions, res.GasUsed, res.FeesUSD.StringFixed(2), res.USDCStart.StringFixed(2), res.USDCEnd.StringFixed(2))
	return nil
}
