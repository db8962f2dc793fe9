package h2test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
)

// Request is one request as the server received it, complete up to END_STREAM.
type Request struct {
	// Method, Path and Authority are the :method, :path and :authority pseudo-headers.
	Method, Path, Authority string
	// Header holds the regular header fields (and any trailers), keys canonicalized.
	Header http.Header
	// Body is the whole request body; nil when the request had none.
	Body []byte
	// Conn numbers the TCP connection the request came on, from 1 in accept order, so a
	// test can tell a replay on the same connection from one on a fresh connection.
	Conn int
	// StreamID is the HTTP/2 stream the request came on.
	StreamID uint32
}

// Reply is what the server does with one request once it has received all of it. At most
// one of Reset, GoAway and CutAfter may be set; with none set the server sends a normal
// response.
type Reply struct {
	// Reset, when not http2.ErrCodeNo, makes the server send RST_STREAM with this code
	// and no response: the request was received in full (and, as far as the client can
	// know, processed) and then the stream was reset.
	Reset http2.ErrCode

	// GoAway makes the server send GOAWAY(NO_ERROR) with a last-stream-ID below this
	// stream, which tells the client the request was never processed, and then close
	// the connection. Other streams still open on the connection fail with it.
	GoAway bool

	// Status is the response status; 0 means 200.
	Status int
	// Header is sent after :status. Content-Length is added from Body unless set here.
	Header http.Header
	// Body is the response body.
	Body []byte

	// CutAfter, when above 0, makes the server send the headers (with the Content-Length
	// of the whole Body) and only the first CutAfter bytes of Body, then RST_STREAM with
	// INTERNAL_ERROR: a response whose body breaks off part way. It must be below
	// len(Body).
	CutAfter int
}

// Script decides the reply to each request. n counts requests from 1 across all
// connections, in the order they were completely received. It runs on its own goroutine
// per request, so several may run at once; it may block (to hold a reply back), but must
// return before the test ends, and must report failures with Errorf rather than Fatal.
type Script func(n int, r Request) Reply

// Server is an HTTP/2-over-TLS server on 127.0.0.1 that answers each request as a Script
// says. Create it with NewServer; it is safe for concurrent use.
type Server struct {
	tb     testing.TB
	script Script
	ln     net.Listener
	url    string
	roots  *x509.CertPool

	// ctx is cancelled by Close, ending TLS handshakes still in progress.
	ctx    context.Context
	cancel context.CancelFunc
	// wg counts every goroutine the server starts, so Close can wait for all of them.
	wg sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	conns    map[*conn]struct{}
	nconns   int
	requests []Request
	once     sync.Once
}

// NewServer starts a server on 127.0.0.1 with a fresh self-signed certificate and answers
// each request with script. It is closed by tb.Cleanup.
func NewServer(tb testing.TB, script Script) *Server {
	tb.Helper()
	cert, roots, err := selfSigned()
	if err != nil {
		tb.Fatalf("h2test: certificate: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("h2test: listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		tb:     tb,
		script: script,
		// Only h2 is offered: a client that cannot speak it is a broken test, reported by
		// serveConn, not something to fall back from silently.
		ln: tls.NewListener(ln, &tls.Config{
			Certificates: []tls.Certificate{cert},
			NextProtos:   []string{http2.NextProtoTLS},
			MinVersion:   tls.VersionTLS12,
		}),
		url:    "https://" + ln.Addr().String(),
		roots:  roots,
		ctx:    ctx,
		cancel: cancel,
		conns:  make(map[*conn]struct{}),
	}
	s.wg.Add(1)
	go s.accept()
	tb.Cleanup(s.Close)
	return s
}

// URL returns the server's base URL, "https://127.0.0.1:port".
func (s *Server) URL() string { return s.url }

// RootCAs returns a pool that trusts the server's certificate.
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// Client returns a new client whose transport is a clone of http.DefaultTransport that
// trusts the server's certificate. ForceAttemptHTTP2 is set because a custom
// TLSClientConfig otherwise turns h2 off; with it, h2 is negotiated by ALPN and the
// transport's own HTTP/2 code path runs, as with the SDK's default transport. Its idle
// connections are closed by tb.Cleanup.
func (s *Server) Client() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: s.roots, MinVersion: tls.VersionTLS12}
	tr.ForceAttemptHTTP2 = true
	s.tb.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// Requests returns every request received so far, in the order the script saw them.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Close stops the server, closes every connection and waits for all its goroutines,
// including scripts still running. It may be called more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		conns := make([]*conn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		s.cancel()
		_ = s.ln.Close()
		for _, c := range conns {
			c.close()
		}
		s.wg.Wait()
	})
}

func (s *Server) accept() {
	defer s.wg.Done()
	// The loop ends when Close closes the listener; each pass either serves a connection
	// or returns.
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = nc.Close()
			return
		}
		s.nconns++
		c := newConn(s, nc.(*tls.Conn), s.nconns)
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			c.serve()
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// record numbers r and keeps it.
func (s *Server) record(r Request) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	return len(s.requests)
}

// run calls the script, turning a panic into a test error so one bad script fails its
// test instead of crashing the whole test binary from a server goroutine.
func (s *Server) run(n int, r Request) (rep Reply, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			s.tb.Errorf("h2test: script panicked on request %d: %v", n, p)
			ok = false
		}
	}()
	return s.script(n, r), true
}

// selfSigned makes an ECDSA certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"h2test"}},
		// An hour of slack either side keeps a skewed test clock from failing verification.
		NotBefore:   now.Add(-time.Hour),
		NotAfter:    now.Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		// The certificate is its own root, so it must be a CA for the verifier to accept it.
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots, nil
}
