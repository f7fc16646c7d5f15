//go:build hedger_crashtest

package chain

func init() { crashHook = crashFromEnv() }
