package rebillytest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Server is a Handler served over HTTP on the loopback interface by an httptest.Server. Its
// embedded *Handler gives the inspection and fault-injection methods (srv.Transactions(),
// srv.FailNext(...)).
type Server struct {
	*Handler
	ts *httptest.Server
}

// NewServer starts a Server configured by opts and closes it when the test ends
// (tb.Cleanup). Point the SDK at it with rebilly.WithBaseURL(srv.URL()) and the same API key
// and organization id (DefaultAPIKey and DefaultOrganizationID unless opts change them).
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	h, err := newHandler(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Handler: h, ts: httptest.NewServer(h)}
	tb.Cleanup(s.Close)
	return s
}

// StartServer starts a Server configured by opts, for use outside a test function (in an
// example, or a TestMain shared by many tests); the caller must Close it. It panics when an
// option is given a value it cannot use. In a test, prefer NewServer.
func StartServer(opts ...Option) *Server {
	h := NewHandler(opts...)
	return &Server{Handler: h, ts: httptest.NewServer(h)}
}

// URL returns the server's root, such as "http://127.0.0.1:40123", for rebilly.WithBaseURL:
// the client appends /organizations/{organizationId} itself.
func (s *Server) URL() string { return s.ts.URL }

// HTTPClient returns an *http.Client whose connections are closed with the server, for
// rebilly.WithHTTPClient. It is optional: any client reaches the server.
func (s *Server) HTTPClient() *http.Client { return s.ts.Client() }

// Close shuts the server down and waits for the requests in progress to finish. It may be
// called more than once.
func (s *Server) Close() { s.ts.Close() }
