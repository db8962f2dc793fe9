// Package h2test is an HTTP/2-over-TLS server on 127.0.0.1 whose answer to each request
// a test scripts: a response, a response whose body breaks off, an RST_STREAM with any
// error code, or a GOAWAY. It exists to test what the SDK does when a server or proxy
// has received (and perhaps processed) a payout request and then fails the stream,
// which Go's HTTP/2 client may answer by sending the request again on its own. Only
// _test files import it.
//
// Go's own HTTP/2 server cannot send those failures on demand, so this one speaks the
// protocol itself with golang.org/x/net/http2's Framer and hpack. It handles several
// connections and concurrent streams, SETTINGS, PING, WINDOW_UPDATE in both directions,
// CONTINUATION and request trailers. Server.Client returns a client whose transport is
// a clone of http.DefaultTransport, so the transport's real ALPN-negotiated HTTP/2 path
// runs.
//
//	srv := h2test.NewServer(t, func(n int, r h2test.Request) h2test.Reply {
//		if n == 1 {
//			return h2test.Reply{Reset: http2.ErrCodeProtocol}
//		}
//		return h2test.Reply{Status: http.StatusCreated, Body: []byte(`{}`)}
//	})
//	resp, err := srv.Client().Post(srv.URL()+"/payout-requests", "application/json", body)
//	// srv.Requests() now tells how many times the POST arrived.
package h2test
