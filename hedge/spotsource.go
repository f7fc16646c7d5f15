package hedge

import "context"

// SpotRead is the spot of the watch-only wallets on one chain other than
// the venue's, read in one request pinned to Block.
type SpotRead struct {
	ChainID    uint64    `json:"chain_id"`
	Block      uint64    `json:"block"`
	Label      string    `json:"label"` // "chain 1 (https://host)", never a URL path
	Holdings   []Holding `json:"holdings"`
	Items      int       `json:"items"`       // reads sent
	RoundTrips int64     `json:"round_trips"` // requests they took
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
