package config

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hedger/hedger/hedge"
)

// ConvertPolicy turns an old policy file (INI-like sections of key = value,
// see hedge.ParsePolicies) into the config file's [policy.*] tables, keeping
// its comments. The old file is checked first, so a file the old parser
// refuses is refused here with the same line.
func ConvertPolicy(old []byte, name string) (string, error) {
	if _, err := hedge.ParsePolicies(bytes.NewReader(old)); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# converted from %s by `hedger config convert`\n", name)
	sc := bufio.NewScanner(bytes.NewReader(old))
	started := false
	header := func(sec string) {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n\n") {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[policy.%s]\n", sec)
		started = true
	}
	for sc.Scan() {
		line := sc.Text()
		comment := ""
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line, comment = line[:i], strings.TrimSpace(line[i:])
		}
		t := strings.TrimSpace(line)
		suffix := ""
		if comment != "" {
			suffix = "  " + comment
		}
		switch {
		case t == "":
			if comment != "" {
				b.WriteString(comment + "\n")
			}
		case strings.HasPrefix(t, "["):
			sec := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, "["), "]"))
			if strings.EqualFold(sec, "default") {
				sec = "default"
			} else {
				sec = strings.ToUpper(sec)
			}
			header(sec)
			if suffix != "" {
				b.WriteString(strings.TrimSpace(suffix) + "\n")
			}
		default:
			if !started {
				header("default")
			}
			k, v, _ := strings.Cut(t, "=")
			fmt.Fprintf(&b, "%s = %s%s\n", strings.ToLower(strings.TrimSpace(k)), tomlValue(strings.TrimSpace(v)), suffix)
		}
	}
	return b.String(), sc.Err()
}

var tomlNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// tomlValue writes a number bare (TOML reads it as a number, hedger as its
// text) and anything else as a quoted string.
func tomlValue(v string) string {
	if tomlNumber.MatchString(v) {
		return v
	}
	return strconv.Quote(v)
}
