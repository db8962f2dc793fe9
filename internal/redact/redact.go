// Package redact hides credentials in what the SDK prints or logs. It is the one place that
// decides which headers are secret, shared by the client's debug log and rebillytest's
// record of requests.
package redact

import (
	"net/http"
	"strings"
)

// Text replaces a credential wherever one would be shown.
const Text = "[REDACTED]"

// Header returns a copy of h with every credential header replaced by Text: REB-APIKEY,
// Authorization, and any other whose name says key, token, secret, auth or cookie.
func Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		if isSecret(name) {
			out[name] = []string{Text}
			continue
		}
		out[name] = append([]string(nil), values...)
	}
	return out
}

func isSecret(name string) bool {
	lower := strings.ToLower(name)
	for _, word := range []string{"key", "token", "secret", "auth", "cookie"} {
		if strings.Contains(lower, word) {
			return true
		}
	}
	return false
}
