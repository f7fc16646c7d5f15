package chain

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// DecodeRevert turns a node error into a readable reason: Error(string),
// Panic(uint256), or a custom error of one of abis with its arguments.
// Without revert data it returns the node's message.
func DecodeRevert(err error, abis ...*abi.ABI) string {
	if err == nil {
		return ""
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if data := revertData(de.ErrorData()); len(data) >= 4 {
			return DecodeRevertData(data, abis...)
		}
	}
	return err.Error()
}

// DecodeRevertData decodes raw revert bytes.
func DecodeRevertData(data []byte, abis ...*abi.ABI) string {
	if reason, err := abi.UnpackRevert(data); err == nil {
		return reason
	}
	for _, a := range abis {
		for _, e := range a.Errors {
			if !bytes.Equal(e.ID[:4], data[:4]) {
				continue
			}
			vals, err := e.Unpack(data)
			if err != nil {
				return e.Name
			}
			args, _ := vals.([]any)
			parts := make([]string, len(args))
			for i, v := range args {
				parts[i] = fmt.Sprintf("%s=%v", e.Inputs[i].Name, v)
			}
			return fmt.Sprintf("%s(%s)", e.Name, strings.Join(parts, ", "))
		}
	}
	return "unknown revert 0x" + fmt.Sprintf("%x", data)
}

func revertData(v any) []byte {
	switch d := v.(type) {
	case string:
		b, err := hexutil.Decode(d)
		if err == nil {
			return b
		}
	case []byte:
		return d
	}
	return nil
}
