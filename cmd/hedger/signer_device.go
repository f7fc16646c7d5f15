package main

import (
	"fmt"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge/perpvenue"
)

var (
	ledgerFlag   = &cli.BoolFlag{Name: "ledger", Usage: "sign with a Ledger (Ethereum app; enable blind signing for contract calls)"}
	trezorFlag   = &cli.BoolFlag{Name: "trezor", Usage: "sign with a Trezor (legacy transactions only)"}
	hdPathFlag   = &cli.StringFlag{Name: "hd-path", Usage: "derivation path of the hardware wallet account", Value: "m/44'/60'/0'/0/0"}
	mnemonicFlag = &cli.UintFlag{Name: "mnemonic-index", Usage: "account index on the hardware wallet (last path component)"}
	liveFlag     = &cli.BoolFlag{Name: "ledger-live", Usage: "Ledger Live paths: m/44'/60'/N'/0/0"}
	signerURL    = &cli.StringFlag{Name: "signer", Usage: "external signer URL speaking Clef's account_ API",
		EnvVars: []string{"HEDGER_SIGNER"}}
	confirmTimeoutFlag = &cli.DurationFlag{Name: "confirm-timeout", Value: 2 * time.Minute,
		Usage: "how long to wait for confirmation on a hardware wallet"}
)

func deviceFlags() []cli.Flag {
	return []cli.Flag{ledgerFlag, trezorFlag, hdPathFlag, mnemonicFlag, liveFlag, signerURL, confirmTimeoutFlag}
}

// hardwareOptions reads the device flags.
func hardwareOptions(c *cli.Context, kind string) (chain.HardwareOptions, error) {
	path, err := chain.ParseHDPath(c.String("hd-path"), uint32(c.Uint("mnemonic-index")), c.Bool("ledger-live"))
	if err != nil {
		return chain.HardwareOptions{}, err
	}
	return chain.HardwareOptions{Kind: chain.HardwareKind(kind), Path: path, LedgerLive: c.Bool("ledger-live"),
		ConfirmTimeout: c.Duration("confirm-timeout"), OnState: newDevicePrompt(os.Stderr).OnState}, nil
}

// finishDevice opens a hardware wallet or dials an external signer.
func finishDevice(c *cli.Context, kind string, client *chain.Client, from common.Address) (chain.Signer, func(), error) {
	switch kind {
	case "ledger", "trezor":
		o, err := hardwareOptions(c, kind)
		if err != nil {
			return nil, nil, err
		}
		h, err := chain.OpenHardware(c.Context, o)
		if err != nil {
			return nil, nil, err
		}
		if err := h.CheckChainID(client.ChainID); err != nil {
			h.Close()
			return nil, nil, err
		}
		if from != (common.Address{}) && from != h.Address() {
			h.Close()
			return nil, nil, fmt.Errorf("--from %s is not the %s account at %s (%s): pick it with --mnemonic-index or --hd-path",
				from.Hex(), kind, c.String("hd-path"), h.Address().Hex())
		}
		return h, func() { h.Close() }, nil
	case "external":
		s, err := chain.DialExternal(c.Context, c.String("signer"), from)
		if err != nil {
			return nil, nil, err
		}
		// Clef approves only calls it can decode: give it our method signatures.
		s.AddABIs(perpvenue.ABIs()...)
		return s, func() { s.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unknown signer %q", kind)
}
