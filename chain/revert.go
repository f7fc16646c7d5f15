package chain

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

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
	return CleanNodeText(err.Error(), abis...)
}

// customErrorText is how anvil and some nodes word a custom error in the
// message itself: the selector in hex, then the raw ABI-encoded arguments.
var customErrorText = regexp.MustCompile(`custom error (0x[0-9a-fA-F]{8})(: ?)?`)

// CleanNodeText makes a node's message printable: a custom error quoted in
// it ("custom error 0x69616b87: " and raw argument bytes) is decoded with
// abis, or else shown in hex, and any other byte that is not printable
// text is escaped. Nothing raw reaches a terminal, a log or the journal.
func CleanNodeText(msg string, abis ...*abi.ABI) string {
	if m := customErrorText.FindStringSubmatchIndex(msg); m != nil {
		sel, _ := hexutil.Decode(msg[m[2]:m[3]])
		data := append(sel, msg[m[1]:]...)
		decoded := DecodeRevertData(data, abis...)
		if strings.HasPrefix(decoded, "unknown revert") {
			decoded = fmt.Sprintf("custom error %s (data 0x%x)", msg[m[2]:m[3]], data[4:])
		}
		msg = msg[:m[0]] + decoded
	}
	var b strings.Builder
	for i := 0; i < len(msg); {
		r, n := utf8.DecodeRuneInString(msg[i:])
		switch {
		case r == utf8.RuneError && n <= 1, !unicode.IsPrint(r) && r != ' ':
			for _, c := range []byte(msg[i : i+n]) {
				fmt.Fprintf(&b, "\\x%02x", c)
			}
		default:
			b.WriteString(msg[i : i+n])
		}
		i += n
	}
	return b.String()
}

// DecodeRevertData decodes raw revert bytes.
func DecodeRevertData(data []byte, abis ...*abi.ABI) string {
	if len(data) < 4 {
		return "unknown revert 0x" + fmt.Sprintf("%x", data)
	}
	if reason, err := abi.UnpackRevert(data); err == nil {
		return CleanNodeText(reason)
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
