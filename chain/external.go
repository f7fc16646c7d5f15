package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// ExternalSigner signs through an external signer speaking Clef's account_
// JSON-RPC API (account_version, account_list, account_signTransaction).
// The signer holds the keys and applies its own rules or asks its user;
// hedger only sees addresses and signed transactions.
//
// It talks to the signer directly rather than through go-ethereum's
// accounts/external.ExternalSigner, which builds the same request but (1)
// cannot pass the method selector that Clef uses to decode call data: a
// Clef in its default (non-advanced) mode refuses every call whose 4-byte
// selector is missing from its database, which is every PerpVenue method;
// (2) takes no context; (3) swallows account_list errors. EIP-1559
// transactions are sent as maxFeePerGas/maxPriorityFeePerGas, which Clef
// signs as dynamic-fee transactions, so no legacy fallback is needed.
type ExternalSigner struct {
	rpc     *rpc.Client
	display string // the URL without credentials, for messages
	secret  string // URL password, scrubbed from messages
	addr    common.Address
	accts   []common.Address

	mu        sync.RWMutex
	selectors map[[4]byte]string
}

// externalDialTimeout bounds the version and listing calls of DialExternal
// when ctx has no deadline. Listing may wait on a human approving it in
// Clef's UI, hence generous.
const externalDialTimeout = 2 * time.Minute

// DialExternal connects to the external signer at rawURL and picks the
// account from (the signer's first account when from is zero).
func DialExternal(ctx context.Context, rawURL string, from common.Address) (*ExternalSigner, error) {
	s := &ExternalSigner{selectors: map[[4]byte]string{}}
	s.display, s.secret = redactURL(rawURL)
	if strings.TrimSpace(rawURL) == "" {
		return nil, errors.New("external signer: empty URL")
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, externalDialTimeout)
		defer cancel()
	}
	c, err := rpc.DialContext(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("external signer at %s unreachable: %s", s.display, s.scrub(err))
	}
	s.rpc = c
	var version string
	if err := c.CallContext(ctx, &version, "account_version"); err != nil {
		c.Close()
		var re rpc.Error
		if errors.As(err, &re) {
			return nil, fmt.Errorf("%s does not look like an external signer (account_version: %s)", s.display, s.scrub(err))
		}
		return nil, fmt.Errorf("external signer at %s unreachable: %s", s.display, s.scrub(err))
	}
	var accts []common.Address
	if err := c.CallContext(ctx, &accts, "account_list"); err != nil {
		c.Close()
		return nil, s.callError("list accounts", err)
	}
	s.accts = accts
	switch {
	case from == (common.Address{}) && len(accts) == 0:
		c.Close()
		return nil, fmt.Errorf("external signer at %s offers no accounts", s.display)
	case from == (common.Address{}):
		s.addr = accts[0]
	default:
		found := false
		for _, a := range accts {
			if a == from {
				found = true
				break
			}
		}
		if !found {
			c.Close()
			return nil, fmt.Errorf("external signer at %s does not offer account %s", s.display, from.Hex())
		}
		s.addr = from
	}
	return s, nil
}

// Address is the signing account.
func (s *ExternalSigner) Address() common.Address { return s.addr }

// Accounts are the addresses the signer offered when dialled.
func (s *ExternalSigner) Accounts() []common.Address {
	return append([]common.Address(nil), s.accts...)
}

// String names the signer without credentials.
func (s *ExternalSigner) String() string { return "external:" + s.display + ":" + s.addr.Hex() }

// Close releases the connection.
func (s *ExternalSigner) Close() {
	if s.rpc != nil {
		s.rpc.Close()
	}
}

// AddABIs teaches the signer the method signatures of these contracts. A
// call to one of them is sent with its signature ("deposit(uint256,uint256)")
// so that Clef can verify and show the decoded call, and accept it without
// its 4-byte database knowing the method.
func (s *ExternalSigner) AddABIs(abis ...*abi.ABI) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range abis {
		if a == nil {
			continue
		}
		for _, m := range a.Methods {
			var id [4]byte
			copy(id[:], m.ID)
			s.selectors[id] = m.Sig
		}
	}
}

func (s *ExternalSigner) selector(data []byte) (string, bool) {
	if len(data) < 4 {
		return "", false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sig, ok := s.selectors[[4]byte(data[:4])]
	return sig, ok
}

// signTxResult is Clef's answer to account_signTransaction.
type signTxResult struct {
	Raw hexutil.Bytes `json:"raw"`
}

// SignTx asks the signer to sign tx for chainID. The answer is checked: it
// must be signed by Address() and be exactly the transaction asked for (a
// signer's UI can edit a request; hedger does not send an edited one).
func (s *ExternalSigner) SignTx(ctx context.Context, tx *types.Transaction, chainID *big.Int) (*types.Transaction, error) {
	data := hexutil.Bytes(tx.Data())
	args := apitypes.SendTxArgs{
		From:  common.NewMixedcaseAddress(s.addr),
		Gas:   hexutil.Uint64(tx.Gas()),
		Value: hexutil.Big(*tx.Value()),
		Nonce: hexutil.Uint64(tx.Nonce()),
		Input: &data,
	}
	if to := tx.To(); to != nil {
		t := common.NewMixedcaseAddress(*to)
		args.To = &t
	}
	switch tx.Type() {
	case types.LegacyTxType, types.AccessListTxType:
		args.GasPrice = (*hexutil.Big)(tx.GasPrice())
	case types.DynamicFeeTxType:
		args.MaxFeePerGas = (*hexutil.Big)(tx.GasFeeCap())
		args.MaxPriorityFeePerGas = (*hexutil.Big)(tx.GasTipCap())
	default:
		return nil, fmt.Errorf("external signer: transaction type %d is not supported", tx.Type())
	}
	if chainID != nil && chainID.Sign() != 0 {
		args.ChainID = (*hexutil.Big)(chainID)
	}
	if tx.Type() != types.LegacyTxType {
		if id := tx.ChainId(); id != nil && id.Sign() != 0 {
			args.ChainID = (*hexutil.Big)(id)
		}
		al := tx.AccessList()
		if al == nil {
			al = types.AccessList{}
		}
		args.AccessList = &al
	}
	params := []any{args}
	if tx.To() != nil {
		if sig, ok := s.selector(tx.Data()); ok {
			params = append(params, sig)
		}
	}
	var res signTxResult
	if err := s.rpc.CallContext(ctx, &res, "account_signTransaction", params...); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("waiting for the external signer at %s: %w", s.display, ctx.Err())
		}
		return nil, s.callError("sign", err)
	}
	signed := new(types.Transaction)
	if err := signed.UnmarshalBinary(res.Raw); err != nil {
		return nil, fmt.Errorf("external signer at %s returned an undecodable transaction: %v", s.display, err)
	}
	if chainID == nil {
		chainID = tx.ChainId()
	}
	ls := types.LatestSignerForChainID(chainID)
	if signed.Type() != tx.Type() || ls.Hash(signed) != ls.Hash(tx) {
		return nil, fmt.Errorf("external signer at %s returned a different transaction than requested (edited in its UI?); not sending it", s.display)
	}
	sender, err := types.Sender(ls, signed)
	if err != nil {
		return nil, fmt.Errorf("external signer at %s returned a badly signed transaction: %v", s.display, err)
	}
	if sender != s.addr {
		return nil, fmt.Errorf("external signer at %s signed with %s instead of %s", s.display, sender.Hex(), s.addr.Hex())
	}
	return signed, nil
}

// callError tells a refusal by the signer (a JSON-RPC error: its rules or its
// user rejected the request, or its validation failed) from a signer that
// could not be reached.
func (s *ExternalSigner) callError(what string, err error) error {
	var re rpc.Error
	if errors.As(err, &re) {
		reason := s.scrub(err)
		if strings.Contains(reason, "ABI signature could not be found") {
			reason += " (the signer cannot decode this call: start it with --advanced, or add the method to its --4bytedb-custom file)"
		}
		return fmt.Errorf("external signer refused to %s: %s", what, reason)
	}
	return fmt.Errorf("external signer at %s unreachable: %s", s.display, s.scrub(err))
}

// urlInText matches URLs that library errors repeat (net/http prints the
// request URL with its user name and query).
var urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"']+`)

// scrub renders err on one line without the URL's credentials.
func (s *ExternalSigner) scrub(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err // drop net/http's `Post "URL": ` prefix
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	msg = urlInText.ReplaceAllStringFunc(msg, func(u string) string {
		d, _ := redactURL(u)
		return d
	})
	if s.secret != "" {
		msg = strings.ReplaceAll(msg, s.secret, "xxxxx")
		msg = strings.ReplaceAll(msg, url.QueryEscape(s.secret), "xxxxx")
	}
	return msg
}

// redactURL returns raw without user info and query (which may carry
// credentials), and the password to scrub from library errors.
func redactURL(raw string) (display, secret string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if i := strings.LastIndex(raw, "@"); i >= 0 {
			return "xxxxx@" + raw[i+1:], raw[:i]
		}
		return raw, ""
	}
	if u.User != nil {
		secret, _ = u.User.Password()
		if secret == "" {
			secret = u.User.Username()
		}
		u.User = nil
	}
	if u.RawQuery != "" {
		u.RawQuery = "xxxxx"
	}
	return u.String(), secret
}
