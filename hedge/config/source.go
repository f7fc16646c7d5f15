package config

import (
	"strconv"
	"strings"
)

// source indexes the file's lines by table and key, so that errors found
// after decoding can name their line, and so that numbers can be read from
// their text (a TOML decoder hands floats over as float64). It understands
// the subset hedger's files use: [table], [[array]] and key = value lines.
type source struct {
	entries []entry
}

type entry struct {
	path []string // table path (array tables carry their index), then the key; a header has no key
	line int
	raw  string // the value's text, unquoted; "" for headers
	bare bool   // the value was not a string
}

func newSource(raw []byte) *source {
	s := &source{}
	var table []string
	counts := map[string]int{}
	for i, line := range strings.Split(string(raw), "\n") {
		t := strings.TrimSpace(stripComment(line))
		switch {
		case t == "":
		case strings.HasPrefix(t, "[["):
			name := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, "[["), "]]"))
			n := counts[name]
			counts[name] = n + 1
			table = append(splitKey(name), strconv.Itoa(n))
			s.entries = append(s.entries, entry{path: append([]string(nil), table...), line: i + 1})
		case strings.HasPrefix(t, "["):
			table = splitKey(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, "["), "]")))
			s.entries = append(s.entries, entry{path: append([]string(nil), table...), line: i + 1})
		default:
			k, v, ok := strings.Cut(t, "=")
			if !ok {
				continue
			}
			path := append(append([]string(nil), table...), splitKey(strings.TrimSpace(k))...)
			v = strings.TrimSpace(v)
			u := unquote(v)
			s.entries = append(s.entries, entry{path: path, line: i + 1, raw: u, bare: u == v})
		}
	}
	return s
}

func splitKey(k string) []string {
	parts := strings.Split(k, ".")
	for i := range parts {
		parts[i] = unquote(strings.TrimSpace(parts[i]))
	}
	return parts
}

// stripComment cuts a # comment that is not inside a string.
func stripComment(line string) string {
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0 && c == '\\' && q == '"':
			i++
		case q != 0 && c == q:
			q = 0
		case q == 0 && (c == '"' || c == '\''):
			q = c
		case q == 0 && c == '#':
			return line[:i]
		}
	}
	return line
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		if u, err := strconv.Unquote(`"` + v[1:len(v)-1] + `"`); err == nil && v[0] == '"' {
			return u
		}
		return v[1 : len(v)-1]
	}
	return v
}

// find returns the entry of path: exactly, or ignoring array indices (the
// decoder names keys of array tables without their index).
func (s *source) find(path []string) (entry, bool) {
	for _, e := range s.entries {
		if equal(e.path, path) {
			return e, true
		}
	}
	for _, e := range s.entries {
		if equal(dropIndices(e.path), dropIndices(path)) {
			return e, true
		}
	}
	return entry{}, false
}

func (s *source) line(path []string) int {
	if e, ok := s.find(path); ok {
		return e.line
	}
	return 0
}

func (s *source) value(path []string) (string, bool) {
	e, ok := s.find(path)
	if !ok || e.raw == "" {
		return "", false
	}
	if e.bare {
		return strings.ReplaceAll(e.raw, "_", ""), true // TOML allows 1_000 in numbers
	}
	return e.raw, true
}

func dropIndices(p []string) []string {
	var out []string
	for _, x := range p {
		if _, err := strconv.Atoi(x); err != nil {
			out = append(out, x)
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
