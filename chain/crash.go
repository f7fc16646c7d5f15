package chain

// Crash points, for tests only. The release binary has no hook (crashHook
// stays nil and the code that kills the process is not compiled in): a
// binary built with -tags hedger_crashtest (crashhook_test.go's twin,
// crashhook.go) reads HEDGER_TEST_CRASH=<point>[:<n>] and kills itself the
// n-th time (default 1) it reaches <point>: before-send (the signed line is
// on disk, nothing broadcast), after-send (broadcast, no receipt yet) or
// after-receipt (confirmed, no outcome line). It simulates a power cut at
// the worst moments.
var crashHook func(point string)

func crashPoint(point string) {
	if crashHook != nil {
		crashHook(point)
	}
}
