// Command vulnsummary reads govulncheck -format json on stdin and prints one
// line per vulnerability the code calls. It exits 1 when there is any: in a
// module (fix: upgrade it) or in the standard library (fix: raise the
// toolchain line of go.mod to a fixed Go release).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
}

type message struct {
	Finding *struct {
		OSV          string  `json:"osv"`
		FixedVersion string  `json:"fixed_version"`
		Trace        []frame `json:"trace"`
	} `json:"finding"`
}

func main() {
	dec := json.NewDecoder(os.Stdin)
	called := map[string]string{} // osv -> line
	stdlib := map[string]bool{}
	for {
		var m message
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "vulnsummary: reading govulncheck output:", err)
			os.Exit(2)
		}
		f := m.Finding
		if f == nil || len(f.Trace) == 0 || f.Trace[0].Function == "" {
			continue // imported or required only: not called
		}
		t := f.Trace[0]
		called[f.OSV] = fmt.Sprintf("%s: %s %s %s, fixed in %s", f.OSV, t.Module, t.Version, t.Package, f.FixedVersion)
		stdlib[f.OSV] = t.Module == "stdlib"
	}
	ids := make([]string, 0, len(called))
	for id := range called {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	failMods, failStd := 0, 0
	for _, id := range ids {
		kind := "module"
		if stdlib[id] {
			kind = "standard library"
			failStd++
		} else {
			failMods++
		}
		fmt.Printf("called vulnerability (%s): %s\n", kind, called[id])
	}
	fmt.Printf("govulncheck: %d called in modules, %d in the standard library\n", failMods, failStd)
	if failMods > 0 || failStd > 0 {
		os.Exit(1)
	}
}
