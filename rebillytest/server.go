package rebillytest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	rebilly "github.com/paysdk/rebilly"
)

// Server is a Handler served over HTTP on the loopback interface by an httptest.Server. Its
// embedded *Handler gives the inspection and fault-injection methods (srv.Transactions(),
// srv.FailNext(...)).
type Server struct {
	*Handler
	ts *httptest.Server
}

// NewServer starts a Server configured by opts and closes it when the test ends
// (tb.Cleanup). Point the SDK at it with [Server.ClientOptions]. With [WithTLS] it serves
// HTTPS and HTTP/2.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	h, err := newHandler(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Handler: h, ts: start(h)}
	tb.Cleanup(s.Close)
	return s
}

// StartServer starts a Server configured by opts, for use outside a test function (in an
// example, or a TestMain shared by many tests); the caller must Close it. It panics when an
// option is given a value it cannot use. In a test, prefer NewServer.
func StartServer(opts ...Option) *Server {
	h := NewHandler(opts...)
	return &Server{Handler: h, ts: start(h)}
}

// start serves h on the loopback interface, over TLS and HTTP/2 when h was configured
// WithTLS.
func start(h *Handler) *httptest.Server {
	ts := httptest.NewUnstartedServer(h)
	if !h.cfg.tls {
		ts.Start()
		return ts
	}
	ts.EnableHTTP2 = true
	ts.StartTLS()
	return ts
}

// URL returns the server's root, such as "http://127.0.0.1:40123" (or
// "https://127.0.0.1:40123" [WithTLS]), for rebilly.WithBaseURL: the client appends
// /organizations/{organizationId} itself.
func (s *Server) URL() string { return s.ts.URL }

// HTTPClient returns an *http.Client whose connections are closed with the server, for
// rebilly.WithHTTPClient. Without [WithTLS] it is optional: any client reaches the server.
// With WithTLS it is the client that trusts the server's certificate, and it speaks HTTP/2.
func (s *Server) HTTPClient() *http.Client { return s.ts.Client() }

// ClientOptions returns what a rebilly.Client needs to call the server: its URL
// (rebilly.WithBaseURL), organization (rebilly.WithOrganizationID), credential
// (rebilly.WithAPIKey, or rebilly.WithJWT when the server accepts no API key) and
// [Server.HTTPClient] (rebilly.WithHTTPClient). Append your own options to the slice, which
// is new on every call:
//
//	client, err := rebilly.NewClient(append(srv.ClientOptions(), rebilly.WithRetryWait(0, 0))...)
//
// It replaces the embedded [Handler.ClientOptions] with the server's own base URL and
// client.
func (s *Server) ClientOptions() []rebilly.Option {
	return s.Handler.ClientOptions(s.URL(), s.HTTPClient())
}

// Close stops the notifications being delivered ([Handler.Close]), then shuts the server
// down and waits for the requests in progress to finish. It may be called more than once.
func (s *Server) Close() {
	s.Handler.Close()
	s.ts.Close()
}
