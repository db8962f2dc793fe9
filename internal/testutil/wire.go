package testutil

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Wire returns req as it goes on the wire (http.Request.Write: request line, Host, headers,
// body). It consumes the body.
func Wire(t testing.TB, req *http.Request) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := req.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Capture is a RoundTripper that keeps every request it gets, as it would go on the wire,
// and answers each with Status and Body as JSON.
type Capture struct {
	Status int
	Body   string

	mu   sync.Mutex
	sent [][]byte
}

func (c *Capture) RoundTrip(req *http.Request) (*http.Response, error) {
	var b bytes.Buffer
	if err := req.Write(&b); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.sent = append(c.sent, b.Bytes())
	c.mu.Unlock()
	return &http.Response{StatusCode: c.Status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(c.Body)), ContentLength: int64(len(c.Body)), Request: req}, nil
}

// Sent returns what the transport was sent so far, and forgets it.
func (c *Capture) Sent() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sent
	c.sent = nil
	return s
}

// SDKHeaders sets on req the headers the backend adds to every request, as a backend built
// with APIKey and UserAgent sets them.
func SDKHeaders(req *http.Request) *http.Request {
	req.Header.Set("REB-APIKEY", APIKey)
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "application/json")
	return req
}

// The credential and User-Agent of the backend behind Capture tests.
const (
	APIKey    = "sk_test_wire"
	UserAgent = "rebilly-go/test"
)

// Servers are organization API roots as rebilly.NewClient makes them from base URLs with a
// path, dot segments, escapes, a port and an IPv6 host: the request tests build on each.
var Servers = []string{
	"https://api-sandbox.rebilly.com/organizations/org_1/",
	"http://127.0.0.1:8080/organizations/org.1/",
	"http://[::1]:9/v1/organizations/o@~-/",
	"https://h.example/a/./b/../c/organizations/org_1/",
	"https://h.example/%7Euser/x%2Fy/caf%C3%A9/organizations/org_1/",
}
