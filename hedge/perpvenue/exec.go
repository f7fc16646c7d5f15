package perpvenue

// Execution: actions to transactions, sending, and gas estimates for plans.

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
)

// Compile turns orders planned on s into this venue's transactions: one
// approval of the total deposit when the allowance s read is short of it,
// then each order's deposit and trade, then the withdrawals.
func (v *Venue) Compile(s *hedge.Snapshot, orders []hedge.Order) ([]hedge.Step, error) {
	allowance := decimal.Zero
	if st, ok := s.Adapter.(*state); ok && st != nil {
		allowance = st.allowance
	}
	for _, o := range orders {
		m, ok := v.Book.Market(o.Asset)
		if !ok {
			return nil, fmt.Errorf("unknown market %q", o.Asset)
		}
		if o.Market != "" && o.Market != MarketKey(m.ID) {
			return nil, fmt.Errorf("order for market %s, but %s is market %s here", o.Market, o.Asset, MarketKey(m.ID))
		}
	}
	return hedge.IsolatedSteps(orders, allowance, v.Book.Collateral.Symbol), nil
}

// request turns a step into the transaction that performs it.
func (v *Venue) request(a hedge.Step) (chain.TxRequest, error) {
	b := v.Book
	if a.Kind == hedge.StepApprove {
		return chain.TxRequest{To: &b.Collateral.Address,
			Data: tokenABI.PackApprove(b.Venue, toUnitsUp(a.Amount, b.Collateral.Decimals))}, nil
	}
	m, ok := b.Market(a.Asset)
	if !ok {
		return chain.TxRequest{}, fmt.Errorf("unknown market %q", a.Asset)
	}
	id := new(big.Int).SetUint64(m.ID)
	var data []byte
	switch a.Kind {
	case hedge.StepDeposit:
		data = venueABI.PackDeposit(id, toUnitsUp(a.Amount, b.Collateral.Decimals))
	case hedge.StepWithdraw:
		if a.All {
			data = venueABI.PackWithdrawAll(id)
		} else {
			data = venueABI.PackWithdraw(id, toUnits(a.Amount, b.Collateral.Decimals))
		}
	case hedge.StepTrade:
		if a.SizeDelta.IsZero() {
			return chain.TxRequest{}, fmt.Errorf("trade of zero size in %s", a.Asset)
		}
		data = venueABI.PackModifyPosition(id, toWad(a.SizeDelta), toWad(a.AcceptablePrice))
	default:
		return chain.TxRequest{}, fmt.Errorf("unknown step %q", a.Kind)
	}
	return chain.TxRequest{To: &b.Venue, Data: data}, nil
}

// Submit sends one step and waits for it to be mined: PerpVenue fills in
// the same transaction, so the submission is settled (Ref is the hash).
func (v *Venue) Submit(ctx context.Context, st hedge.Step) (hedge.Submission, error) {
	h, err := v.Execute(ctx, st)
	if err != nil {
		return hedge.Submission{}, err
	}
	return hedge.Submission{Ref: h, Tx: h}, nil
}

// Execute sends one step and waits for it to be mined. The step's
// description goes to the transaction manager's journal with it.
func (v *Venue) Execute(ctx context.Context, a hedge.Step) (string, error) {
	if v.Tx == nil {
		return "", fmt.Errorf("no signer: this command is read-only")
	}
	req, err := v.request(a)
	if err != nil {
		return "", err
	}
	req.Action = ActionMeta(a)
	rcpt, err := v.Tx.Send(ctx, req)
	if err != nil {
		return "", fmt.Errorf("%s: %w", strings.TrimSpace(string(a.Kind)+" "+a.Asset), AsReverted(err))
	}
	return rcpt.TxHash.Hex(), nil
}

// ActionMeta describes a step for the journal: kind, intent, market,
// signed size, acceptable price and notional (trades: the worst-case
// notional the caps count; other steps: the collateral amount).
func ActionMeta(a hedge.Step) chain.ActionMeta {
	m := chain.ActionMeta{Kind: string(a.Kind), Intent: string(a.Intent), Market: a.Asset, Description: a.Reason}
	if a.Kind == hedge.StepTrade {
		m.Size, m.Price, m.Notional = a.SizeDelta.String(), a.AcceptablePrice.String(), hedge.StepNotional(a).String()
	} else if !a.Amount.IsZero() {
		m.Notional = a.Amount.String()
	}
	return m
}

// ApproveMax turns an approve step into an approval of the largest
// amount the token accepts (max uint256), for users who ask for it with
// --approve-max instead of approving exactly what each plan needs.
func (v *Venue) ApproveMax(a hedge.Step) (hedge.Step, bool) {
	if a.Kind != hedge.StepApprove {
		return a, false
	}
	a.Amount = decimal.NewFromBigInt(math.MaxBig256, -v.Book.Collateral.Decimals)
	a.Reason = "allow the venue to pull any amount of " + v.Book.Collateral.Symbol + " (--approve-max)"
	a.Unlimited = true
	return a, true
}

// IsMaxApproval reports whether an approve step is ApproveMax's.
func (v *Venue) IsMaxApproval(a hedge.Step) bool {
	return a.Kind == hedge.StepApprove && toUnitsUp(a.Amount, v.Book.Collateral.Decimals).Cmp(math.MaxBig256) == 0
}

// DecodeFill reads the fill price and venue fee of the account's trade from
// a receipt's PositionModified event, for the journal. Both are "" when the
// receipt holds no trade of the account on this venue.
func (v *Venue) DecodeFill(rcpt *types.Receipt) (fillPrice, fee string) {
	if rcpt == nil || v.Book == nil {
		return "", ""
	}
	for _, l := range rcpt.Logs {
		if l.Address != v.Book.Venue {
			continue
		}
		ev, err := venueABI.UnpackPositionModifiedEvent(l)
		if err != nil || ev.Account != v.Account {
			continue
		}
		return fromWad(ev.FillPrice).String(), fromWad(ev.Fee).String()
	}
	return "", ""
}

// GasEstimate is the gas of one planned step.
type GasEstimate = hedge.Estimate

// Estimate estimates the gas of each step as if the earlier ones had
// already run (a deposit after its approve), with eth_simulateV1 where the
// node has it, else one eth_estimateGas per step. It needs no signer: a
// read-only session (plan --from) estimates as the account.
func (v *Venue) Estimate(ctx context.Context, actions []hedge.Step) ([]hedge.Estimate, error) {
	if len(actions) == 0 {
		return nil, nil
	}
	reqs := make([]chain.TxRequest, len(actions))
	for i, a := range actions {
		r, err := v.request(a)
		if err != nil {
			return nil, err
		}
		reqs[i] = r
	}
	if out, err := v.simulate(ctx, reqs); err == nil {
		return out, nil
	}
	est := v.Tx
	if est == nil {
		// Estimates only need the sender's address, never a signature.
		var err error
		if est, err = chain.NewTxManager(chain.Config{Backend: v.Client, Signer: addressOnly(v.Account), ABIs: ABIs()}); err != nil {
			return nil, err
		}
	}
	out := make([]GasEstimate, len(reqs))
	for i, r := range reqs {
		gas, err := est.Estimate(ctx, r)
		out[i] = GasEstimate{Gas: gas}
		if err != nil {
			out[i].Err = err.Error()
		}
	}
	return out, nil
}

func (v *Venue) simulate(ctx context.Context, reqs []chain.TxRequest) ([]GasEstimate, error) {
	type call struct {
		From  common.Address  `json:"from"`
		To    *common.Address `json:"to"`
		Input hexutil.Bytes   `json:"input"`
	}
	calls := make([]call, len(reqs))
	for i, r := range reqs {
		calls[i] = call{From: v.Account, To: r.To, Input: r.Data}
	}
	payload := map[string]any{"blockStateCalls": []any{map[string]any{"calls": calls}}}
	var res []struct {
		Calls []struct {
			Status     hexutil.Uint64 `json:"status"`
			GasUsed    hexutil.Uint64 `json:"gasUsed"`
			ReturnData hexutil.Bytes  `json:"returnData"`
			Error      *struct {
				Message string `json:"message"`
			} `json:"error"`
		} `json:"calls"`
	}
	if err := v.Client.CallContext(ctx, &res, "eth_simulateV1", payload, "latest"); err != nil {
		return nil, err
	}
	if len(res) != 1 || len(res[0].Calls) != len(reqs) {
		return nil, fmt.Errorf("eth_simulateV1: unexpected answer shape")
	}
	out := make([]GasEstimate, len(reqs))
	for i, c := range res[0].Calls {
		g := uint64(c.GasUsed)
		out[i] = GasEstimate{Gas: g + g/4}
		if c.Status != 1 {
			out[i].Err = "would revert: " + chain.DecodeRevertData(c.ReturnData, ABIs()...)
			if len(c.ReturnData) < 4 && c.Error != nil {
				out[i].Err = "would revert: " + c.Error.Message
			}
		}
	}
	return out, nil
}

// addressOnly names an account for estimates; it refuses to sign.
type addressOnly common.Address

func (a addressOnly) Address() common.Address { return common.Address(a) }
func (a addressOnly) SignTx(context.Context, *types.Transaction, *big.Int) (*types.Transaction, error) {
	return nil, errors.New("read-only: nothing is signed")
}

// AsReverted turns the transaction manager's error for a transaction that
// was mined and reverted into a *hedge.RevertedError (the engine counts it
// as sent); any other error is returned as it is.
func AsReverted(err error) error {
	var re *chain.RevertError
	if !errors.As(err, &re) || !re.Mined {
		return err
	}
	return &hedge.RevertedError{Tx: re.Hash.Hex(), Block: re.Block, Reason: re.Reason, Err: err}
}
