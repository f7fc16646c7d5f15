package chain

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// anvil account #1 of the default mnemonic: the other user whose
// transaction runs first in the block.
const anvilKey1 = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"

// gateCode is the runtime code of a contract with one flag in slot 0:
// empty calldata sets it; any other call stops when it is clear and
// reverts with InsufficientMargin(7) when it is set (sel is that error's
// selector).
func gateCode(sel []byte) []byte {
	code := []byte{
		0x36, 0x60, 0x0a, 0x57, // CALLDATASIZE PUSH1 check JUMPI
		0x60, 0x01, 0x60, 0x00, 0x55, 0x00, // SSTORE(0, 1) STOP
		0x5b, 0x60, 0x00, 0x54, 0x60, 0x12, 0x57, 0x00, // check: SLOAD(0) PUSH1 fail JUMPI STOP
		0x5b, 0x63, // fail: PUSH4 sel
	}
	code = append(code, sel[:4]...)
	return append(code,
		0x60, 0xe0, 0x1b, 0x60, 0x00, 0x52, // MSTORE(0, sel << 224)
		0x60, 0x07, 0x60, 0x04, 0x52, // MSTORE(4, 7)
		0x60, 0x24, 0x60, 0x00, 0xfd, // REVERT(0, 36)
	)
}

// A transaction that reverts only because of one before it in its block
// (another user's, higher tip) gets its reason from debug_traceTransaction:
// the fallback, a call at the parent block, succeeds there and cannot say
// why. Removing the trace path turns the reason into "reason unknown".
func TestTraceRevertSameBlockAnvil(t *testing.T) {
	a, err := abi.JSON(strings.NewReader(marginErrorABI))
	if err != nil {
		t.Fatal(err)
	}
	node := startAnvil(t, "--no-mining")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	gate := common.HexToAddress("0x00000000000000000000000000000000000a0030")
	rpcCall(t, node, nil, "anvil_setCode", gate, "0x"+common.Bytes2Hex(gateCode(a.Errors["InsufficientMargin"].ID.Bytes())))

	other, err := crypto.HexToECDSA(anvilKey1)
	if err != nil {
		t.Fatal(err)
	}
	otherAddr := crypto.PubkeyToAddress(other.PublicKey)
	var mu sync.Mutex
	var setter *types.Transaction
	// When the manager's transaction reaches the node (after its
	// estimate, which passes), the other user's flag-setting transaction
	// is already pending with a higher tip; one block then mines both.
	url := rewriteProxy(t, node.URL, func(method string, id json.RawMessage, forward func() []byte) ([]byte, int) {
		if method != "eth_sendRawTransaction" {
			return nil, 0
		}
		mu.Lock()
		defer mu.Unlock()
		if setter == nil {
			nonce, err := node.PendingNonceAt(ctx, otherAddr)
			if err != nil {
				t.Errorf("nonce: %v", err)
				return nil, 0
			}
			tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{ChainID: node.ChainID, Nonce: nonce,
				GasTipCap: big.NewInt(50e9), GasFeeCap: big.NewInt(100e9), Gas: 60000, To: &gate}),
				types.LatestSignerForChainID(node.ChainID), other)
			if err == nil {
				err = node.SendTransaction(ctx, tx)
			}
			if err != nil {
				t.Errorf("setter: %v", err)
				return nil, 0
			}
			setter = tx
		}
		ans := forward()
		if err := node.CallContext(ctx, nil, "evm_mine"); err != nil {
			t.Errorf("evm_mine: %v", err)
		}
		return ans, 0
	})
	c, err := Dial(ctx, url, DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sg, _ := anvilSigner(t)
	m := testTx(Config{Backend: c, Signer: sg, PollInterval: 20 * time.Millisecond, ABIs: []*abi.ABI{&a}})
	m.cfg.Journal = openTestJournal(t, c, sg.Address())

	rcpt, err := m.Send(ctx, TxRequest{To: &gate, Data: []byte{0x01}})
	var re *RevertError
	if !errors.As(err, &re) || !re.Mined || rcpt == nil || rcpt.Status != types.ReceiptStatusFailed {
		t.Fatalf("send: rcpt %v, err %v", rcpt, err)
	}
	// The setup held: the setter ran first in the same block, and the
	// call at the parent block (the fallback's replay) does not revert.
	mu.Lock()
	st := setter
	mu.Unlock()
	srcpt, err := node.TransactionReceipt(ctx, st.Hash())
	if err != nil || srcpt.BlockNumber.Cmp(rcpt.BlockNumber) != 0 || srcpt.TransactionIndex >= rcpt.TransactionIndex || srcpt.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("setter receipt %+v (%v), trade in block %s index %d", srcpt, err, rcpt.BlockNumber, rcpt.TransactionIndex)
	}
	parent := new(big.Int).Sub(rcpt.BlockNumber, big.NewInt(1))
	if _, err := node.CallContract(ctx, ethereum.CallMsg{From: sg.Address(), To: &gate, Data: []byte{0x01}}, parent); err != nil {
		t.Fatalf("the call at the parent block reverts (%v): the test would not force the trace", err)
	}
	want := "was sent and mined in block " + rcpt.BlockNumber.String() + ", and reverted: InsufficientMargin(need=7)"
	if !strings.Contains(re.Error(), want) {
		t.Fatalf("err = %q, want %q", re.Error(), want)
	}
	if o := entriesOf(t, m.cfg.Journal, EntryOutcome); len(o) != 1 || o[0].Outcome != OutcomeReverted {
		t.Fatalf("outcome %+v", o)
	}
}
