package h2test_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/paysdk/rebilly/internal/h2test"
)

// TestMain fails the package if a test leaves a goroutine behind: the server's, or a
// client connection it failed to close.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testContext bounds a test, so a server or transport bug fails it instead of hanging CI.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// do sends req and reads the whole body, returning the status.
func do(c *http.Client, req *http.Request) (int, []byte, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

func TestRoundTrip(t *testing.T) {
	ctx := testContext(t)
	srv := h2test.NewServer(t, func(n int, r h2test.Request) h2test.Reply {
		if n == 2 {
			return h2test.Reply{Status: http.StatusNoContent}
		}
		return h2test.Reply{
			Status: http.StatusAccepted,
			Header: http.Header{"X-Reply": {"a", "b"}, "Content-Type": {"application/json"}},
			Body:   []byte(`{"echo":` + string(r.Body) + `}`),
		}
	})
	c := srv.Client()

	req, err := http.NewRequestWithContext(ctx, http.MethodPut, srv.URL()+"/payouts/p_1?expand=x", strings.NewReader(`"hi"`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Test", "value")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.ProtoMajor != 2 {
		t.Errorf("protocol %s; want HTTP/2", resp.Proto)
	}
	if resp.StatusCode != http.StatusAccepted || string(body) != `{"echo":"hi"}` {
		t.Errorf("got %d %q", resp.StatusCode, body)
	}
	if got := resp.Header.Values("X-Reply"); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("X-Reply %q; want [a b]", got)
	}
	if resp.ContentLength != int64(len(body)) {
		t.Errorf("Content-Length %d; want %d", resp.ContentLength, len(body))
	}

	req, err = http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/empty", nil)
	if err != nil {
		t.Fatal(err)
	}
	status, body, err := do(c, req)
	if err != nil || status != http.StatusNoContent || len(body) != 0 {
		t.Errorf("second request: %d %q %v; want an empty 204", status, body, err)
	}

	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests; want 2", len(reqs))
	}
	r := reqs[0]
	host := strings.TrimPrefix(srv.URL(), "https://")
	if r.Method != http.MethodPut || r.Path != "/payouts/p_1?expand=x" || r.Authority != host ||
		r.Header.Get("X-Test") != "value" || string(r.Body) != `"hi"` || r.Conn != 1 || r.StreamID != 1 {
		t.Errorf("first request recorded as %+v", r)
	}
	if reqs[1].Method != http.MethodGet || reqs[1].Body != nil || reqs[1].Conn != 1 || reqs[1].StreamID != 3 {
		t.Errorf("second request recorded as %+v; want a bodiless GET on stream 3 of the same connection", reqs[1])
	}
}

// TestConcurrentStreams sends many requests at once from two clients, so several
// connections each carry many streams, sharing one HPACK state per connection.
func TestConcurrentStreams(t *testing.T) {
	ctx := testContext(t)
	srv := h2test.NewServer(t, func(n int, r h2test.Request) h2test.Reply {
		return h2test.Reply{Header: http.Header{"X-N": {strconv.Itoa(n)}, "X-Echo": {r.Header.Get("X-I")}}, Body: r.Body}
	})
	const perClient = 25
	clients := []*http.Client{srv.Client(), srv.Client()}
	errs := make(chan error, len(clients)*perClient)
	var wg sync.WaitGroup
	for ci, c := range clients {
		for i := range perClient {
			wg.Go(func() {
				id := fmt.Sprintf("%d-%d", ci, i)
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+"/", strings.NewReader(id))
				if err != nil {
					errs <- err
					return
				}
				req.Header.Set("X-I", id)
				resp, err := c.Do(req)
				if err != nil {
					errs <- err
					return
				}
				defer func() { _ = resp.Body.Close() }()
				body, err := io.ReadAll(resp.Body)
				if err != nil || string(body) != id || resp.Header.Get("X-Echo") != id {
					errs <- fmt.Errorf("request %s: body %q, X-Echo %q, err %v", id, body, resp.Header.Get("X-Echo"), err)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	reqs := srv.Requests()
	if len(reqs) != len(clients)*perClient {
		t.Fatalf("server saw %d requests; want %d", len(reqs), len(clients)*perClient)
	}
	conns := map[int]bool{}
	for _, r := range reqs {
		conns[r.Conn] = true
	}
	if len(conns) < len(clients) {
		t.Errorf("requests came on %d connections; want at least one per client", len(conns))
	}
}

// TestFlowControl moves bodies larger than the windows on both sides: the server must
// credit the client's upload back, and must wait for the client's credit when sending.
func TestFlowControl(t *testing.T) {
	ctx := testContext(t)
	srv := h2test.NewServer(t, func(_ int, r h2test.Request) h2test.Reply {
		return h2test.Reply{Body: r.Body}
	})
	c := srv.Client()
	// Small client windows make the server's sender stop and wait for WINDOW_UPDATE.
	c.Transport.(*http.Transport).HTTP2 = &http.HTTP2Config{
		MaxReceiveBufferPerConnection: 64 << 10,
		MaxReceiveBufferPerStream:     16 << 10,
	}
	// Three times the server's receive window, so the upload needs its WINDOW_UPDATEs too.
	big := make([]byte, 3<<20)
	for i := range big {
		big[i] = byte(i % 251)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+"/", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	status, body, err := do(c, req)
	if err != nil || status != http.StatusOK {
		t.Fatalf("Do: %d %v", status, err)
	}
	if !bytes.Equal(body, big) {
		t.Errorf("echoed body of %d bytes differs from the %d sent", len(body), len(big))
	}
}

// TestLargeHeaders sends header blocks larger than one frame both ways, so they travel
// as HEADERS plus CONTINUATION.
func TestLargeHeaders(t *testing.T) {
	ctx := testContext(t)
	bigValue := strings.Repeat("v", 40<<10)
	srv := h2test.NewServer(t, func(_ int, r h2test.Request) h2test.Reply {
		return h2test.Reply{Header: http.Header{"X-Big": {r.Header.Get("X-Big")}}}
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Big", bigValue)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.Header.Get("X-Big") != bigValue {
		t.Errorf("response X-Big of %d bytes; want the %d-byte request header echoed", len(resp.Header.Get("X-Big")), len(bigValue))
	}
}

// TestRawFrames drives the server with hand-written frames, covering what net/http's
// client does not do on its own: PING, padded DATA, a CONTINUATION it chose to split, and
// request trailers.
func TestRawFrames(t *testing.T) {
	ctx := testContext(t)
	srv := h2test.NewServer(t, func(_ int, r h2test.Request) h2test.Reply {
		return h2test.Reply{Status: http.StatusCreated, Body: r.Body}
	})
	host := strings.TrimPrefix(srv.URL(), "https://")
	d := tls.Dialer{Config: &tls.Config{RootCAs: srv.RootCAs(), NextProtos: []string{http2.NextProtoTLS}}}
	nc, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = nc.Close() }()
	// The deadline bounds every read below.
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	if _, err := io.WriteString(nc, http2.ClientPreface); err != nil {
		t.Fatal(err)
	}
	fr := http2.NewFramer(nc, nc)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)

	var block bytes.Buffer
	enc := hpack.NewEncoder(&block)
	for _, f := range [][2]string{{":method", "POST"}, {":scheme", "https"}, {":path", "/raw"}, {":authority", host}, {"x-a", "1"}} {
		_ = enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]})
	}
	split := block.Len() / 2
	ping := [8]byte{1, 2, 3, 4, 5, 6, 7, 8}
	for _, err := range []error{
		fr.WriteSettings(),
		fr.WritePing(false, ping),
		fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: block.Bytes()[:split]}),
		fr.WriteContinuation(1, true, block.Bytes()[split:]),
		fr.WriteDataPadded(1, false, []byte("hello "), make([]byte, 10)),
		fr.WriteData(1, false, []byte("world")),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	block.Reset()
	_ = enc.WriteField(hpack.HeaderField{Name: "x-trailer", Value: "t"})
	if err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: block.Bytes(), EndHeaders: true, EndStream: true}); err != nil {
		t.Fatal(err)
	}

	var sawSettings, sawPingAck, sawStreamCredit bool
	var status string
	var body []byte
	// The server sends well under 20 frames for this exchange; the bound stops a bug from
	// looping until the deadline.
	for i := 0; i < 20; i++ {
		f, err := fr.ReadFrame()
		if err != nil {
			t.Fatalf("after %d frames: %v", i, err)
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				sawSettings = true
				_ = fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			sawPingAck = f.IsAck() && f.Data == ping
		case *http2.WindowUpdateFrame:
			sawStreamCredit = sawStreamCredit || f.StreamID == 1
		case *http2.MetaHeadersFrame:
			status = f.PseudoValue("status")
		case *http2.DataFrame:
			body = append(body, f.Data()...)
		}
		if f.Header().Type == http2.FrameData && f.Header().Flags.Has(http2.FlagDataEndStream) {
			break
		}
	}
	if !sawSettings || !sawPingAck || !sawStreamCredit {
		t.Errorf("SETTINGS %v, PING ACK %v, stream WINDOW_UPDATE %v; want all", sawSettings, sawPingAck, sawStreamCredit)
	}
	if status != "201" || string(body) != "hello world" {
		t.Errorf("response %s %q; want 201 and the echoed body", status, body)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Header.Get("X-A") != "1" || reqs[0].Header.Get("X-Trailer") != "t" || string(reqs[0].Body) != "hello world" {
		t.Errorf("server recorded %+v", reqs)
	}
}

// TestBlockedScriptAndCancel holds a reply back until the client has given up, then
// checks the connection still serves the next request and nothing leaks.
func TestBlockedScriptAndCancel(t *testing.T) {
	ctx := testContext(t)
	started := make(chan struct{})
	release := make(chan struct{})
	// Deferred, so it runs before the server's Close in Cleanup waits for the script.
	defer close(release)
	srv := h2test.NewServer(t, func(n int, _ h2test.Request) h2test.Reply {
		if n == 1 {
			close(started)
			<-release
		}
		return h2test.Reply{Body: []byte("late")}
	})
	c := srv.Client()
	reqCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, srv.URL()+"/slow", nil)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, _, err := do(c, req)
		errc <- err
	}()
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("the request never reached the script")
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Do: %v; want context.Canceled", err)
	}

	req, err = http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/next", nil)
	if err != nil {
		t.Fatal(err)
	}
	if status, body, err := do(c, req); err != nil || string(body) != "late" {
		t.Errorf("next request: %d %q %v", status, body, err)
	}
}

// recordingTB captures the errors the server reports, so misuse can be tested without
// failing this test.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recordingTB) reported() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n")
}

// TestMisuseIsReported: a bad script or client fails the test with a reason rather than
// hanging it or crashing the binary.
func TestMisuseIsReported(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply h2test.Reply
		want  string
	}{
		{"two actions", h2test.Reply{Reset: http2.ErrCodeCancel, Body: []byte("ab"), CutAfter: 1}, "more than one"},
		{"cut beyond body", h2test.Reply{Body: []byte("ab"), CutAfter: 2}, "CutAfter 2"},
		{"panic", h2test.Reply{}, "panicked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			tb := &recordingTB{TB: t}
			srv := h2test.NewServer(tb, func(int, h2test.Request) h2test.Reply {
				if tc.want == "panicked" {
					panic("boom")
				}
				return tc.reply
			})
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := do(srv.Client(), req); err == nil || !strings.Contains(err.Error(), "INTERNAL_ERROR") {
				t.Errorf("Do: %v; want the INTERNAL_ERROR reset a bad reply turns into", err)
			}
			if got := tb.reported(); !strings.Contains(got, tc.want) {
				t.Errorf("server reported %q; want %q", got, tc.want)
			}
		})
	}

	t.Run("HTTP/1 client", func(t *testing.T) {
		ctx := testContext(t)
		tb := &recordingTB{TB: t}
		srv := h2test.NewServer(tb, func(int, h2test.Request) h2test.Reply { return h2test.Reply{} })
		// A custom TLSClientConfig without ForceAttemptHTTP2 leaves the transport on HTTP/1.1.
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.RootCAs()}}
		defer tr.CloseIdleConnections()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := do(&http.Client{Transport: tr}, req); err == nil {
			t.Error("an HTTP/1.1 request succeeded against the h2-only server")
		}
		srv.Close() // waits for the connection goroutine, which reports the problem
		if got := tb.reported(); !strings.Contains(got, "not h2") {
			t.Errorf("server reported %q; want the ALPN mismatch", got)
		}
	})
}
