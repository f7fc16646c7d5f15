package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/hedge/books"
	"github.com/hedger/hedger/hedge/config"
	"github.com/hedger/hedger/hedge/spot"
)

// Spot-chain flags of status, plan, hedge and watch: every cycle reads each
// chain through hedge/spot (the engine's Spot source). A command without
// them (close, deploy, devnet) does not depend on spot, so [[spot]] tables
// of --config are not applied to it.
var (
	spotRPCFlag = &cli.StringSliceFlag{Name: "spot-rpc", Usage: "JSON-RPC endpoint of a chain whose watch-only wallets are read (repeatable); its chain ID comes from the node",
		EnvVars: []string{"HEDGER_SPOT_RPC"}}
	batchLimitFlag = &cli.IntFlag{Name: "batch-limit", Usage: "most calls per JSON-RPC batch on every chain (the node's limit; default 1000)",
		EnvVars: []string{"HEDGER_BATCH_LIMIT"}}
)

func spotFlags() []cli.Flag { return []cli.Flag{spotRPCFlag, batchLimitFlag, booksFileFlag} }

// spotChainsFrom dials every --spot-rpc, pins its chain ID, detects
// Multicall3 and checks its book (built-in plus --books-file) on chain, all
// before anything is planned. venueChainID, when non-zero, may not be among
// them: the venue chain's spot is read with the venue's snapshot.
func spotChainsFrom(ctx context.Context, c *cli.Context, venueChainID uint64) ([]*spot.Chain, error) {
	urls := c.StringSlice("spot-rpc")
	if len(urls) == 0 {
		return nil, nil
	}
	bf, err := books.WithUser(c.String("books-file"))
	if err != nil {
		return nil, err
	}
	var out []*spot.Chain
	seen := map[uint64]bool{}
	// A [[spot]] table of --config whose variable holds this URL gives the
	// chain's own batch limit and chain ID pin.
	perURL := map[string]config.SpotChain{}
	if configFile != nil {
		if scs, err := configFile.SpotChains(os.LookupEnv); err == nil {
			for _, sc := range scs {
				perURL[sc.URL] = sc
			}
		}
	}
	for _, u := range urls {
		o := spot.Options{BatchLimit: c.Int("batch-limit"), Books: bf}
		if sc, ok := perURL[u]; ok {
			o.ChainID = sc.ChainID
			if sc.BatchLimit != 0 && !c.IsSet("batch-limit") {
				o.BatchLimit = sc.BatchLimit
			}
		}
		ch, err := spot.Dial(ctx, u, o)
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			return nil, fmt.Errorf("--spot-rpc: %w", err)
		}
		if seen[ch.ID] || ch.ID == venueChainID {
			ch.Close()
			for _, o := range out {
				o.Close()
			}
			return nil, fmt.Errorf("--spot-rpc: chain %d is given twice (the venue's chain is read already)", ch.ID)
		}
		seen[ch.ID] = true
		out = append(out, ch)
	}
	return out, nil
}

// spotWalletsFrom lists the wallets the spot reader reads: every --wallet
// (on every chain, unless the config file limits that address to some
// chains), and the config file's wallets limited to chains other than the
// venue's (which --wallet leaves out).
func spotWalletsFrom(c *cli.Context) ([]spot.Wallet, error) {
	limits := map[common.Address][]uint64{}
	var order []common.Address
	if configFile != nil {
		for _, w := range configFile.Wallets {
			a := common.HexToAddress(w.Address) // checked when the file was loaded
			if len(w.Chains) > 0 {
				limits[a] = w.Chains
				order = append(order, a)
			}
		}
	}
	seen := map[common.Address]bool{}
	var out []spot.Wallet
	for _, raw := range c.StringSlice("wallet") {
		for _, s := range strings.Split(raw, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			a, err := parseAddress("--wallet", s)
			if err != nil {
				return nil, err
			}
			if !seen[a] {
				seen[a] = true
				out = append(out, spot.Wallet{Address: a, Chains: limits[a]})
			}
		}
	}
	for _, a := range order {
		if !seen[a] {
			seen[a] = true
			out = append(out, spot.Wallet{Address: a, Chains: limits[a]})
		}
	}
	return out, nil
}
