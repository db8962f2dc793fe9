package h2test_test

// These tests pin down what net/http's HTTP/2 client does when a stream fails after the
// server has received the whole request. The package documentation summarizes them; if a
// Go release changes the behaviour, these fail and the summary must change with them.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"github.com/paysdk/rebilly/internal/h2test"
)

// newPost builds a POST the way the SDK does: a bytes.Reader body, for which
// http.NewRequest sets GetBody. withGetBody false removes it, leaving a body the
// transport cannot rewind.
func newPost(t *testing.T, ctx context.Context, url string, withGetBody bool) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/payout-requests", bytes.NewReader([]byte(`{"amount":10}`)))
	if err != nil {
		t.Fatal(err)
	}
	if req.GetBody == nil {
		t.Fatal("http.NewRequest did not set GetBody for a bytes.Reader")
	}
	if !withGetBody {
		req.GetBody = nil
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// failFirst resets or goes away on the first request and answers 201 after that.
func failFirst(first h2test.Reply) h2test.Script {
	return func(n int, _ h2test.Request) h2test.Reply {
		if n == 1 {
			return first
		}
		return h2test.Reply{Status: http.StatusCreated, Body: []byte(`{"id":"pr_1"}`)}
	}
}

// TestResetAfterRequestReceived covers RST_STREAM sent once the server holds the whole
// POST: PROTOCOL_ERROR and REFUSED_STREAM are replayed when GetBody is set, and fail
// when it is not.
func TestResetAfterRequestReceived(t *testing.T) {
	for _, tc := range []struct {
		code http2.ErrCode
		// sameConn: REFUSED_STREAM leaves the connection in use; PROTOCOL_ERROR makes the
		// transport stop reusing it, so the replay dials a new one.
		sameConn bool
	}{
		{http2.ErrCodeProtocol, false},
		{http2.ErrCodeRefusedStream, true},
	} {
		t.Run(tc.code.String()+"/GetBody", func(t *testing.T) {
			ctx := testContext(t)
			srv := h2test.NewServer(t, failFirst(h2test.Reply{Reset: tc.code}))
			status, body, err := do(srv.Client(), newPost(t, ctx, srv.URL(), true))
			if err != nil {
				t.Fatalf("Do: %v; want the transport to replay the request and succeed", err)
			}
			if status != http.StatusCreated || string(body) != `{"id":"pr_1"}` {
				t.Errorf("got %d %q; want 201 from the replay", status, body)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 {
				t.Fatalf("server saw %d requests; want 2: the original and the transport's own replay", len(reqs))
			}
			for i, r := range reqs {
				if r.Method != http.MethodPost || string(r.Body) != `{"amount":10}` {
					t.Errorf("request %d: %s %q; want the same POST and body each time", i+1, r.Method, r.Body)
				}
			}
			if got := reqs[0].Conn == reqs[1].Conn; got != tc.sameConn {
				t.Errorf("replay on connection %d after %d; want same connection %v", reqs[1].Conn, reqs[0].Conn, tc.sameConn)
			}
		})
		t.Run(tc.code.String()+"/NoGetBody", func(t *testing.T) {
			ctx := testContext(t)
			srv := h2test.NewServer(t, failFirst(h2test.Reply{Reset: tc.code}))
			_, _, err := do(srv.Client(), newPost(t, ctx, srv.URL(), false))
			if err == nil {
				t.Fatal("Do succeeded; want an error, as the body cannot be rewound")
			}
			if !strings.Contains(err.Error(), tc.code.String()) || !strings.Contains(err.Error(), "cannot retry") {
				t.Errorf("error %q; want it to name %s and say the request cannot be retried", err, tc.code)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("server saw %d requests; want 1", n)
			}
		})
	}
}

// TestReplayOnNewConnectionIsUnbounded: after PROTOCOL_ERROR or GOAWAY the connection is
// not reused, so net/http's outer retry loop dials a new one and the HTTP/2 layer's retry
// count starts again at zero. Each replay is immediate, and only the request's context
// stops them: here 20 failures in a row still end in success, after 21 POSTs.
func TestReplayOnNewConnectionIsUnbounded(t *testing.T) {
	const failures = 20
	for _, tc := range []struct {
		name string
		fail h2test.Reply
	}{
		{"PROTOCOL_ERROR", h2test.Reply{Reset: http2.ErrCodeProtocol}},
		{"GOAWAY", h2test.Reply{GoAway: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			srv := h2test.NewServer(t, func(n int, _ h2test.Request) h2test.Reply {
				if n <= failures {
					return tc.fail
				}
				return h2test.Reply{Status: http.StatusCreated}
			})
			status, _, err := do(srv.Client(), newPost(t, ctx, srv.URL(), true))
			if err != nil || status != http.StatusCreated {
				t.Fatalf("Do: %d, %v; want 201 at the end of the replays", status, err)
			}
			reqs := srv.Requests()
			if len(reqs) != failures+1 {
				t.Errorf("server saw %d requests; want %d", len(reqs), failures+1)
			}
			conns := map[int]bool{}
			for _, r := range reqs {
				conns[r.Conn] = true
			}
			if len(conns) != len(reqs) {
				t.Errorf("%d requests on %d connections; want each on its own", len(reqs), len(conns))
			}
		})
	}
}

// TestResetWithoutBodyIsReplayed shows that GetBody is not what protects a request with
// no body: the transport treats a nil (or http.NoBody) body as replayable, so a GET and
// a body-less POST are both sent twice even with GetBody nil.
func TestResetWithoutBodyIsReplayed(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			ctx := testContext(t)
			srv := h2test.NewServer(t, failFirst(h2test.Reply{Reset: http2.ErrCodeProtocol}))
			req, err := http.NewRequestWithContext(ctx, method, srv.URL()+"/payouts/p_1", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.GetBody = nil
			status, _, err := do(srv.Client(), req)
			if err != nil || status != http.StatusCreated {
				t.Fatalf("Do: %d, %v; want the replay's 201", status, err)
			}
			if n := len(srv.Requests()); n != 2 {
				t.Errorf("server saw %d requests; want 2", n)
			}
		})
	}
}

// TestOtherResetCodesAreNotReplayed checks every other error code, with GetBody set,
// which is the most the transport could want before replaying.
func TestOtherResetCodesAreNotReplayed(t *testing.T) {
	for code := http2.ErrCodeInternal; code <= http2.ErrCodeHTTP11Required; code++ {
		if code == http2.ErrCodeRefusedStream {
			continue
		}
		t.Run(code.String(), func(t *testing.T) {
			ctx := testContext(t)
			srv := h2test.NewServer(t, failFirst(h2test.Reply{Reset: code}))
			_, _, err := do(srv.Client(), newPost(t, ctx, srv.URL(), true))
			if err == nil || !strings.Contains(err.Error(), code.String()) {
				t.Errorf("Do: %v; want a stream error naming %s", err, code)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("server saw %d requests; want 1", n)
			}
		})
	}
}

// TestGoAwayAfterRequestReceived covers a GOAWAY whose last-stream-ID says the request was
// not processed: the transport replays it on a new connection when it can rewind the body.
func TestGoAwayAfterRequestReceived(t *testing.T) {
	t.Run("GetBody", func(t *testing.T) {
		ctx := testContext(t)
		srv := h2test.NewServer(t, failFirst(h2test.Reply{GoAway: true}))
		status, _, err := do(srv.Client(), newPost(t, ctx, srv.URL(), true))
		if err != nil || status != http.StatusCreated {
			t.Fatalf("Do: %d, %v; want the replay's 201", status, err)
		}
		reqs := srv.Requests()
		if len(reqs) != 2 {
			t.Fatalf("server saw %d requests; want 2", len(reqs))
		}
		if reqs[0].Conn == reqs[1].Conn {
			t.Errorf("replay on connection %d, the one that went away; want a new one", reqs[1].Conn)
		}
	})
	t.Run("NoGetBody", func(t *testing.T) {
		ctx := testContext(t)
		srv := h2test.NewServer(t, failFirst(h2test.Reply{GoAway: true}))
		_, _, err := do(srv.Client(), newPost(t, ctx, srv.URL(), false))
		if err == nil || !strings.Contains(err.Error(), "GOAWAY") {
			t.Errorf("Do: %v; want an error about the GOAWAY", err)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("server saw %d requests; want 1", n)
		}
	})
}

// TestRefusedStreamReplaysBackOff: REFUSED_STREAM keeps the connection, so the HTTP/2
// layer's own retry count applies: the first replay is immediate, the next waits about a
// second (then 2s, 4s, ... 32s; at most 7 replays, about 63s in all).
func TestRefusedStreamReplaysBackOff(t *testing.T) {
	ctx := testContext(t)
	srv := h2test.NewServer(t, func(n int, _ h2test.Request) h2test.Reply {
		if n <= 2 {
			return h2test.Reply{Reset: http2.ErrCodeRefusedStream}
		}
		return h2test.Reply{Status: http.StatusCreated}
	})
	start := time.Now()
	status, _, err := do(srv.Client(), newPost(t, ctx, srv.URL(), true))
	if err != nil || status != http.StatusCreated {
		t.Fatalf("Do: %d, %v; want the second replay's 201", status, err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("server saw %d requests; want 3", n)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("took %v; want at least the transport's 1s backoff before the second replay", d)
	}
}

// TestCutBody: the status and headers arrive, then reading the body fails.
func TestCutBody(t *testing.T) {
	ctx := testContext(t)
	full := bytes.Repeat([]byte("x"), 1000)
	srv := h2test.NewServer(t, func(int, h2test.Request) h2test.Reply {
		return h2test.Reply{Status: http.StatusCreated, Body: full, CutAfter: 100}
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("Do: %v; want the response, whose body fails later", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusCreated || resp.ContentLength != int64(len(full)) {
		t.Errorf("got %d with Content-Length %d; want 201 and %d", resp.StatusCode, resp.ContentLength, len(full))
	}
	got, err := io.ReadAll(resp.Body)
	if err == nil || !strings.Contains(err.Error(), "INTERNAL_ERROR") {
		t.Errorf("reading the body: %v; want the INTERNAL_ERROR reset", err)
	}
	if !bytes.Equal(got, full[:100]) {
		t.Errorf("read %d bytes before the error; want the 100 sent", len(got))
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("server saw %d requests; want 1: a failure reading the body is never replayed", n)
	}
}

// TestStreamErrorType: net/http's bundled copy of StreamError has an As method that fills
// in golang.org/x/net/http2.StreamError, so a caller can read the code with errors.As.
func TestStreamErrorType(t *testing.T) {
	ctx := testContext(t)
	srv := h2test.NewServer(t, failFirst(h2test.Reply{Reset: http2.ErrCodeInternal}))
	_, _, err := do(srv.Client(), newPost(t, ctx, srv.URL(), true))
	var se http2.StreamError
	if !errors.As(err, &se) {
		t.Fatalf("errors.As found no http2.StreamError in %v", err)
	}
	if se.Code != http2.ErrCodeInternal || se.StreamID != 1 {
		t.Errorf("StreamError %+v; want INTERNAL_ERROR on stream 1", se)
	}
	want := fmt.Sprintf("stream error: stream ID 1; %v; received from peer", http2.ErrCodeInternal)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q; want it to contain %q", err, want)
	}
}
