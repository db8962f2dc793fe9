package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// NewRequest builds an operation's request as gen's request builders do, from the server URL
// that New resolved once: the URL is server followed by segments joined with "/", each
// path-escaped as gen escapes a path parameter; a non-nil body is marshalled as JSON, with
// GetBody and "Content-Type: application/json". gen's builders parse the server URL, format
// the path, resolve one against the other and print the result, on every call; this
// concatenates. TestNewRequestMatchesGen (and FuzzNewRequestMatchesGen) prove the two give the
// same request, byte for byte, for every operation and every id the services accept.
func NewRequest(server, method string, body any, segments ...string) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(buf)
	}
	var u strings.Builder
	n := len(server)
	for _, s := range segments {
		n += len(s) + 1 // escapes grow it; Builder copes
	}
	u.Grow(n)
	u.WriteString(server)
	for i, s := range segments {
		if i > 0 {
			u.WriteByte('/')
		}
		u.WriteString(url.PathEscape(s))
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// resolveServer returns server as gen's builders read it: parsed, with dot segments removed
// and escapes normalized, as resolving "./" against it leaves it. A relative path resolved
// against the result is the result followed by that path, which is what NewRequest relies on.
// A server that cannot be parsed is returned as it is (gen's builders would fail on it).
func resolveServer(server string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	return u.ResolveReference(&url.URL{Path: "./"}).String()
}
