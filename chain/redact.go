package chain

import (
	"regexp"
	"strings"
)

var urlRe = regexp.MustCompile(`(?i)\b(https?|wss?)://(?:[^/\s"'@]*@)?([^/\s"'?#]+)([^\s"']*)`)

// RedactURLs keeps only the scheme and host of each URL in s. RPC providers
// put API keys in the path (https://host/v3/KEY) and signers' URLs can carry
// credentials, while Go's transport errors quote the whole URL; anything
// written to a log, an error or the journal goes through this.
func RedactURLs(s string) string {
	return urlRe.ReplaceAllStringFunc(s, func(u string) string {
		m := urlRe.FindStringSubmatch(u)
		if strings.Contains(u, "@") || (m[3] != "" && m[3] != "/") {
			return m[1] + "://" + m[2] + "/…"
		}
		return u
	})
}
