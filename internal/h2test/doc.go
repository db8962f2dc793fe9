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
//
// # What net/http's HTTP/2 client does (Go 1.26)
//
// Each stream below fails after the server has received the whole request; the tests in
// this package assert every point, except the limits said to come from the source
// (net/http/h2_bundle.go: http2canRetryError, http2shouldRetryRequest,
// processResetStream, setGoAway; net/http/transport.go: Transport.roundTrip).
//
// A request is replayable when its body is nil or http.NoBody, or when GetBody is set.
// GET, and a POST without a body, are therefore replayed even with GetBody nil; and
// http.NewRequest sets GetBody for a *bytes.Reader, *bytes.Buffer or *strings.Reader
// body, and gives an empty one http.NoBody. An Idempotency-Key header plays no part
// (from the source: only the HTTP/1 path consults it).
//
//   - RST_STREAM(PROTOCOL_ERROR): a replayable request is sent again. The client stops
//     reusing the connection, so the replay goes out at once on a new connection; and
//     because net/http's outer loop redials and the HTTP/2 retry count starts again, the
//     replays have no limit but the request's context (20 resets in a row: 21 POSTs on
//     21 connections, then success). Not replayable: Do fails with "http2: Transport:
//     cannot retry err [stream error: stream ID 1; PROTOCOL_ERROR; received from peer]
//     after Request.Body was written; define Request.GetBody to avoid this error".
//   - RST_STREAM(REFUSED_STREAM): a replayable request is sent again on the same
//     connection: the first replay at once, then after about 1s, 2s, 4s ... 32s, at
//     most 7 replays (from the source). Not replayable: Do fails the same way.
//   - GOAWAY(NO_ERROR) whose last-stream-ID is below the stream (Reply.GoAway): like
//     PROTOCOL_ERROR, a replayable request is sent again at once, on a new connection,
//     without limit. Not replayable: Do fails the same way, the error naming "Server's
//     graceful shutdown GOAWAY".
//   - RST_STREAM with any other code (INTERNAL_ERROR, CANCEL, ..., HTTP_1_1_REQUIRED):
//     never replayed; Do fails with "stream error: stream ID N; CODE; received from
//     peer". errors.As with golang.org/x/net/http2.StreamError works on that error:
//     net/http's bundled copy of the type converts itself.
//   - A body cut part way (Reply.CutAfter, then RST_STREAM(INTERNAL_ERROR)): Do returns
//     the response, reading the body fails with the INTERNAL_ERROR stream error, and
//     nothing is replayed.
package h2test
