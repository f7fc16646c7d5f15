package hedge

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// SpotRead is the spot of the watch-only wallets on one chain other than
// the venue's, read in one request pinned to Block.
type SpotRead struct {
	ChainID    uint64    `json:"chain_id"`
	Block      uint64    `json:"block"`
	Label      string    `json:"label"` // "chain 1 (https://host)", never a URL path
	Holdings   []Holding `json:"holdings"`
	Items      int       `json:"items"`       // reads sent
	RoundTrips int64     `json:"round_trips"` // requests they took
	// Prices are the chain's USD feeds by base asset ("ETH" for ETH/USD),
	// read in the same request as the holdings; ApplySpotPrices uses them
	// for assets the venue's chain cannot price.
	Prices map[string]FeedPrice `json:"-"`
}

// SpotSource reads spot held on other chains than the venue's. The engine
// calls it after the venue snapshot and adds its holdings to the
// snapshot's; an error means the exposure is unknown, and nothing is
// planned from a part of it.
type SpotSource interface {
	ReadSpot(ctx context.Context) ([]SpotRead, error)
}

// AlertSpotUnknown: a spot chain could not be read, so the exposure is
// unknown and the cycle trades nothing.
const AlertSpotUnknown AlertKind = "spot-unknown"

// ErrNoPrice is wrapped by ApplySpotPrices when an asset held on a spot
// chain has no price anywhere: its exposure is unknown.
var ErrNoPrice = errors.New("spot exposure unknown")

// ApplySpotPrices prices the assets held on spot chains that the venue's
// snapshot cannot price (no market and no feed on the venue's chain) from
// the USD feeds of the spot chains' books, read in the same pinned request
// as their balances; such a price keeps its chain and block. An asset with
// no price on either is exposure nobody can value: the error (wrapping
// ErrNoPrice) names it, and the cycle must not plan. Stablecoins counted
// as USD, or as the collateral, need no price.
func ApplySpotPrices(s *Snapshot, reads []SpotRead) error {
	var missing []string
	seen := map[string]bool{}
	for _, r := range reads {
		for _, h := range r.Holdings {
			a := h.Asset
			if seen[a] || a == "USD" || a == s.CollateralSymbol || !h.Amount.IsPositive() {
				continue
			}
			seen[a] = true
			if _, ok := s.Markets[a]; ok {
				continue
			}
			if _, ok := s.Prices[a]; ok {
				continue
			}
			found := false
			for _, o := range reads {
				if p, ok := o.Prices[a]; ok {
					if s.Prices == nil {
						s.Prices = map[string]FeedPrice{}
					}
					p.ChainID, p.Block = o.ChainID, o.Block
					s.Prices[a] = p
					found = true
					break
				}
			}
			if !found {
				missing = append(missing, fmt.Sprintf("%s (held on chain %d)", a, r.ChainID))
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("%w: no price for %s: no market or USD feed on the venue's chain, and no USD feed on any spot chain",
			ErrNoPrice, strings.Join(missing, ", "))
	}
	return nil
}
