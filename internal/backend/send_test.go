package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/gen"
)

var (
	resetErr = &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	dialErr  = &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
)

var okPR = answer(201, prBody)

// sendOutcomeCases are TestSendOutcomes' cases: each call's script, and what it must end with.
var sendOutcomeCases = []struct {
	name     string
	class    RetryClass
	steps    []step
	want     errs.Outcome // 0: success
	sentinel error        // also matched, when set
	sent     int
}{
	{"read ok", Read, []step{answer(200, prBody)}, 0, nil, 1},
	{"read 500 until retries run out", Read, []step{answer(500, ""), answer(500, ""), answer(500, ""), answer(502, "")}, errs.NotApplied, errs.ErrServer, 4},
	{"read reset until retries run out", Read, []step{{err: resetErr}, {err: resetErr}, {err: resetErr}, {err: resetErr}}, errs.NotApplied, nil, 4},
	{"read cut body is retried", Read, []step{{status: 200, body: prBody, cutAt: 9}, answer(200, prBody)}, 0, nil, 2},
	{"read cut body every time", Read, []step{{status: 200, body: prBody, cutAt: 9}, {status: 200, body: prBody, cutAt: 9}, {status: 200, body: prBody, cutAt: 9}, {status: 200, body: prBody, cutAt: 9}}, errs.NotApplied, errs.ErrMalformedResponse, 4},
	{"read 404", Read, []step{answer(404, `{"title":"Not found"}`)}, errs.NotApplied, errs.ErrNotFound, 1},
	{"idempotent 500 then ok", Idempotent, []step{answer(500, ""), okPR}, 0, nil, 2},
	{"idempotent empty object then ok", Idempotent, []step{answer(201, `{}`), okPR}, 0, nil, 2},
	{"idempotent 500 until retries run out", Idempotent, []step{answer(500, ""), answer(500, ""), answer(500, ""), answer(500, "")}, errs.Unknown, nil, 4},
	{"idempotent 422", Idempotent, []step{answer(422, `{"invalidFields":[{"field":"amount","message":"bad"}]}`)}, errs.NotApplied, errs.ErrValidation, 1},
	{"idempotent 422 after 502 is unknown, not validation", Idempotent, []step{answer(502, ""), answer(422, "")}, errs.Unknown, nil, 2},
	{"idempotent 429 after reset is unknown", Idempotent, []step{{err: resetErr}, answer(429, ""), answer(429, ""), answer(429, "")}, errs.Unknown, nil, 4},
	{"unsafe ok", Unsafe, []step{okPR}, 0, nil, 1},
	{"unsafe dial error then ok", Unsafe, []step{{err: dialErr}, okPR}, 0, nil, 2},
	{"unsafe 503 then ok", Unsafe, []step{answer(503, ""), okPR}, 0, nil, 2},
	{"unsafe 503 until retries run out", Unsafe, []step{answer(503, ""), answer(503, ""), answer(503, ""), answer(503, "")}, errs.NotApplied, errs.ErrServer, 4},
	{"unsafe 500 is unknown at once", Unsafe, []step{answer(500, ""), okPR}, errs.Unknown, nil, 1},
	{"unsafe reset is unknown at once", Unsafe, []step{{err: resetErr}, okPR}, errs.Unknown, nil, 1},
	{"unsafe 201 cut mid-body", Unsafe, []step{{status: 201, body: prBody, cutAt: 30}, okPR}, errs.Unknown, nil, 1},
	{"unsafe 201 without an id", Unsafe, []step{answer(201, `{}`), okPR}, errs.Unknown, nil, 1},
	{"unsafe 201 of html", Unsafe, []step{{status: 201, header: http.Header{"Content-Type": {"text/html"}}, body: "<html>"}}, errs.Unknown, nil, 1},
	{"unsafe 201 null", Unsafe, []step{answer(201, `null`)}, errs.Unknown, nil, 1},
	{"unsafe 201 too large", Unsafe, []step{answer(201, `{"id":"pout_req_1","description":"`+strings.Repeat("x", 1<<16)+`"}`)}, errs.Unknown, nil, 1},
	{"unsafe 422", Unsafe, []step{answer(422, "")}, errs.NotApplied, errs.ErrValidation, 1},
	{"unsafe permanent 501", Unsafe, []step{answer(501, "")}, errs.NotApplied, errs.ErrServer, 1},
}

// classOf checks that err belongs to exactly one outcome class, agreeing with OutcomeOf, and
// that no status sentinel matches an error that is not NotApplied. It returns the class.
func classOf(t *testing.T, err error) errs.Outcome {
	t.Helper()
	var matched []errs.Outcome
	for o, s := range map[errs.Outcome]error{errs.NotApplied: errs.ErrNotApplied, errs.Applied: errs.ErrApplied, errs.Unknown: errs.ErrOutcomeUnknown} {
		if errors.Is(err, s) {
			matched = append(matched, o)
		}
	}
	if len(matched) != 1 {
		t.Fatalf("%v (%T) matches classes %v, want exactly one", err, err, matched)
	}
	if got := errs.OutcomeOf(err); got != matched[0] {
		t.Fatalf("OutcomeOf = %v, sentinel says %v", got, matched[0])
	}
	if matched[0] != errs.NotApplied {
		for _, s := range []error{errs.ErrUnauthorized, errs.ErrForbidden, errs.ErrNotFound, errs.ErrConflict, errs.ErrValidation, errs.ErrRateLimited, errs.ErrServer, errs.ErrInvalidParams, errs.ErrMalformedResponse} {
			if errors.Is(err, s) {
				t.Fatalf("%v is %v, yet matches %v", err, matched[0], s)
			}
		}
	}
	return matched[0]
}

func TestSendOutcomes(t *testing.T) {
	tests := sendOutcomeCases
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{steps: tt.steps}
			pr, err := sendPR(context.Background(), testBackend(s, nil), tt.class)
			if got := s.sent(); got != tt.sent {
				t.Errorf("sent %d requests, want %d", got, tt.sent)
			}
			if tt.want == 0 {
				if err != nil || pr == nil || pr.ID != "pout_req_1" || pr.Amount.String() != "10.50" {
					t.Fatalf("got %+v, %v; want the payout request", pr, err)
				}
				return
			}
			if pr != nil {
				t.Fatalf("a result (%+v) with an error", pr)
			}
			if got := classOf(t, err); got != tt.want {
				t.Fatalf("%v: class %v, want %v", err, got, tt.want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("%v does not match %v", err, tt.sentinel)
			}
		})
	}
}

func TestUnusableSuccessCarriesWhatIsKnown(t *testing.T) {
	loc := "https://rebilly.test/organizations/o/payout-requests/pout_req_9"
	cut := step{status: 201, header: http.Header{"Location": {loc}}, body: prBody, cutAt: 30}
	s := &script{steps: []step{cut}}
	_, err := sendPR(context.Background(), testBackend(s, nil), Unsafe)
	var u *errs.OutcomeUnknownError
	if !errors.As(err, &u) {
		t.Fatalf("err = %v", err)
	}
	if u.StatusCode != 201 || u.Location != loc || u.ResourceID != "pout_req_9" || string(u.Body) != prBody[:30] || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("OutcomeUnknownError = %+v", u)
	}
	if !strings.Contains(u.Recovery, "took effect: do not repeat it") || !strings.Contains(u.Recovery, "pout_req_9") {
		t.Errorf("Recovery = %q", u.Recovery)
	}

	// Without a Location, the id comes from the part of the body that arrived.
	s = &script{steps: []step{{status: 201, header: http.Header{}, body: prBody, cutAt: 30}}}
	_, err = sendPR(context.Background(), testBackend(s, nil), Unsafe)
	if !errors.As(err, &u) || u.ResourceID != "pout_req_1" || u.Location != "" {
		t.Fatalf("err = %#v", err)
	}
}

func TestUnusableSuccessIsReadBackThroughLocation(t *testing.T) {
	loc := "/organizations/o/payout-requests/pout_req_1"
	s := &script{steps: []step{{status: 201, header: http.Header{"Location": {loc}}, body: `{}`}}}
	b := testBackend(s, nil)
	var refetched string
	call := Call[gen.PayoutRequest]{Op: "POST /payout-requests", Class: Unsafe, Collection: "payout-requests", ID: prID,
		Refetch: func(ctx context.Context, id string) (*gen.PayoutRequest, error) {
			refetched = id
			return &gen.PayoutRequest{ID: id}, nil
		}}
	pr, err := Send(context.Background(), b, call, nil, func(server string) (*http.Request, error) {
		return http.NewRequest(http.MethodPost, server+"payout-requests", strings.NewReader(`{}`))
	})
	if err != nil || refetched != "pout_req_1" || pr.ID != "pout_req_1" {
		t.Fatalf("got %v, %v; refetched %q", pr, err, refetched)
	}

	// When reading it back fails too, the caller gets the unknown outcome, saying so.
	s = &script{steps: []step{{status: 201, header: http.Header{"Location": {loc}}, body: `{}`}}}
	call.Refetch = func(context.Context, string) (*gen.PayoutRequest, error) { return nil, errors.New("network down") }
	_, err = Send(context.Background(), testBackend(s, nil), call, nil, func(server string) (*http.Request, error) {
		return http.NewRequest(http.MethodPost, server+"payout-requests", strings.NewReader(`{}`))
	})
	var u *errs.OutcomeUnknownError
	if !errors.As(err, &u) || u.ResourceID != "pout_req_1" || !strings.Contains(u.Recovery, "network down") {
		t.Fatalf("err = %v", err)
	}
}

func TestConflictIsADuplicateOnlyWhenItCanBe(t *testing.T) {
	conflict := answer(409, `{"title":"Conflict"}`)
	tests := []struct {
		name       string
		fromCaller bool
		steps      []step
		duplicate  bool
	}{
		{"first attempt, SDK requestId", false, []step{conflict}, false},
		{"first attempt, caller's requestId", true, []step{conflict}, true},
		{"after 503 (refused: did nothing)", false, []step{answer(503, ""), conflict}, false},
		{"after 429 (refused: did nothing)", false, []step{answer(429, ""), conflict}, false},
		{"after a dial error", false, []step{{err: dialErr}, conflict}, false},
		{"after 500 (may have been applied)", false, []step{answer(500, ""), conflict}, true},
		{"after a reset", false, []step{{err: resetErr}, conflict}, true},
		{"after a cut 201", false, []step{{status: 201, body: `{"id":"tx`, cutAt: 5}, conflict}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{steps: tt.steps}
			call := Call[gen.Transaction]{Op: "POST /payouts", Class: Idempotent, RequestID: "r-1", RequestIDFromCaller: tt.fromCaller,
				ID: func(tx *gen.Transaction) string { return tx.ID }, Recovery: "repeat with {requestId}"}
			_, err := Send(context.Background(), testBackend(s, nil), call, nil, func(server string) (*http.Request, error) {
				return http.NewRequest(http.MethodPost, server+"payouts", strings.NewReader(`{}`))
			})
			if got := errors.Is(err, errs.ErrDuplicateRequest); got != tt.duplicate {
				t.Fatalf("%v: duplicate = %v, want %v", err, got, tt.duplicate)
			}
			want := errs.NotApplied
			if tt.duplicate {
				want = errs.Applied
			}
			if got := classOf(t, err); got != want {
				t.Fatalf("class %v, want %v", got, want)
			}
			if !tt.duplicate && !errors.Is(err, errs.ErrConflict) {
				t.Errorf("%v does not match ErrConflict", err)
			}
		})
	}
}

func TestServerHints(t *testing.T) {
	ts := func(d time.Duration) string { return strconv.FormatInt(testNow.Add(d).Unix(), 10) }
	tests := []struct {
		name      string
		first     step
		wantWaits []time.Duration
		wantErr   bool
	}{
		{"no hint: backoff", answer(429, ""), []time.Duration{50 * time.Millisecond}, false},
		{"hint 7s", answer(429, "", "X-RateLimit-Retry-After", ts(7*time.Second)), []time.Duration{7 * time.Second}, false},
		{"hint in the past: never below the backoff", answer(429, "", "X-RateLimit-Retry-After", ts(-time.Hour)), []time.Duration{50 * time.Millisecond}, false},
		{"Retry-After seconds on 503", answer(503, "", "Retry-After", "3"), []time.Duration{3 * time.Second}, false},
		{"hint beyond MaxServerWait ends the call", answer(429, "", "X-RateLimit-Retry-After", ts(time.Hour)), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var waits []time.Duration
			s := &script{steps: []step{tt.first, answer(201, prBody)}}
			b := testBackend(s, &waits)
			// Jitter 0 halves the first backoff (100 ms) to its floor of 50 ms... which the
			// minimum then lifts: "equal jitter" never goes below min.
			b.cfg.RetryWaitMin = 50 * time.Millisecond
			_, err := sendPR(context.Background(), b, Unsafe)
			if fmt.Sprint(waits) != fmt.Sprint(tt.wantWaits) {
				t.Errorf("waits = %v, want %v", waits, tt.wantWaits)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if tt.wantErr {
				var apiErr *errs.APIError
				if !errors.As(err, &apiErr) || !errors.Is(err, errs.ErrRateLimited) || !apiErr.RetryAfter.Equal(testNow.Add(time.Hour)) || s.sent() != 1 {
					t.Fatalf("err = %+v after %d requests", err, s.sent())
				}
			}
		})
	}
}

func TestBackoffStaysWithinBounds(t *testing.T) {
	for attempt := range 30 {
		for _, j := range []float64{0, 0.25, 0.5, 0.75, 0.999} {
			got := backoff(attempt, time.Second, 8*time.Second, func() float64 { return j })
			if got < time.Second || got > 8*time.Second {
				t.Fatalf("attempt %d jitter %v: wait %v outside [1s, 8s]", attempt, j, got)
			}
		}
	}
	if got := backoff(2, 100*time.Millisecond, 2*time.Second, func() float64 { return 0.5 }); got != 300*time.Millisecond {
		t.Errorf("third retry, half jitter = %v", got)
	}
}

func TestRetryAfterTimeRejectsNonsense(t *testing.T) {
	for _, v := range []string{"", "-5", "abc", "99999999999999999999", "1e9"} {
		h := http.Header{}
		h.Set("X-RateLimit-Retry-After", v)
		if at, ok := RetryAfterTime(h, testNow); ok {
			t.Errorf("X-RateLimit-Retry-After %q read as %v", v, at)
		}
	}
	h := http.Header{}
	h.Set("Retry-After", testNow.Add(4*time.Second).Format(http.TimeFormat))
	if at, ok := RetryAfterTime(h, testNow); !ok || !at.Equal(testNow.Add(4*time.Second)) {
		t.Errorf("HTTP date read as %v, %v", at, ok)
	}
}

func TestClassifyError(t *testing.T) {
	tls := fmt.Errorf("tls: handshake failure")
	proxy := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("Forbidden")}}
	dns := &url.Error{Op: "Get", URL: "https://x", Err: &net.DNSError{Err: "no such host", Name: "x"}}
	tests := []struct {
		name string
		err  error
		sent sendState
		want failure
	}{
		{"handshake failure before writing", tls, sendNotWritten, notSent},
		{"reset after writing", resetErr, sendWritten, ambiguous},
		{"anything before writing", resetErr, sendNotWritten, notSent},
		{"untraced dial", dialErr, sendUntraced, notSent},
		{"untraced proxy CONNECT refused", proxy, sendUntraced, notSent},
		{"untraced dns", dns, sendUntraced, notSent},
		{"untraced reset", resetErr, sendUntraced, ambiguous},
		{"untraced handshake failure", tls, sendUntraced, ambiguous},
		{"timeout after writing", context.DeadlineExceeded, sendWritten, ambiguous},
	}
	for _, tt := range tests {
		if got := classifyError(tt.err, tt.sent); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	for _, f := range []failure{notSent, refused} {
		for _, c := range []RetryClass{Read, Idempotent, Unsafe} {
			if !c.retryable(f) {
				t.Errorf("class %d does not retry %v", c, f)
			}
		}
	}
	for _, f := range []failure{ambiguous, unusable} {
		if Unsafe.retryable(f) || !Idempotent.retryable(f) || !Read.retryable(f) {
			t.Errorf("%v: retry policy wrong", f)
		}
	}
}

// TestCancelMidBody: the context ends while a 201 body is being read. For a write, that is
// an unknown outcome that wraps the context's error.
func TestCancelMidBody(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		body := io.MultiReader(strings.NewReader(`{"id":"pout_`), ctxReader{req.Context(), cancel})
		return &http.Response{StatusCode: 201, Header: http.Header{}, Body: io.NopCloser(body)}, nil
	})
	b := testBackend(nil, nil)
	b.transport = rt
	_, err := sendPR(ctx, b, Idempotent)
	if classOf(t, err) != errs.Unknown || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestAttemptTimeoutCoversTheBody: a body that never ends is cut by the attempt timeout, and
// an idempotent call is repeated.
func TestAttemptTimeoutCoversTheBody(t *testing.T) {
	n := 0
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(ctxReader{ctx: req.Context()})}, nil
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(prBody))}, nil
	})
	b := testBackend(nil, nil)
	b.transport = rt
	b.cfg.AttemptTimeout = time.Millisecond
	if pr, err := sendPR(context.Background(), b, Idempotent); err != nil || n != 2 || pr.ID != "pout_req_1" {
		t.Fatalf("got %v, %v after %d attempts", pr, err, n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// ctxReader blocks until ctx ends (calling cancel first, if set) and returns its error.
type ctxReader struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (r ctxReader) Read([]byte) (int, error) {
	if r.cancel != nil {
		r.cancel()
	}
	<-r.ctx.Done()
	return 0, r.ctx.Err()
}

func TestSendRefusesBeforeSending(t *testing.T) {
	s := &script{}
	b := testBackend(s, nil)
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	invalid := &errs.InvalidParamsError{Op: "x", InvalidFields: []errs.InvalidField{{Field: "amount", Message: "bad"}}}
	build := func(string) (*http.Request, error) { return nil, errors.New("json: unsupported type: chan int") }
	call := Call[gen.PayoutRequest]{Op: "POST /payout-requests", Class: Unsafe, ID: prID}
	for name, err := range map[string]error{
		"nil backend": func() error { _, err := Send(context.Background(), nil, call, nil, build); return err }(),
		//lint:ignore SA1012 a nil context is what this case is about
		"nil context":   func() error { _, err := Send(nil, b, call, nil, build); return err }(),
		"ended context": func() error { _, err := Send(ended, b, call, nil, build); return err }(),
		"invalid":       func() error { _, err := Send(context.Background(), b, call, invalid, build); return err }(),
		"unencodable":   func() error { _, err := Send(context.Background(), b, call, nil, build); return err }(),
	} {
		if classOf(t, err) != errs.NotApplied {
			t.Errorf("%s: %v", name, err)
		}
	}
	if s.sent() != 0 {
		t.Fatalf("sent %d requests", s.sent())
	}
}

// TestConfirmSettlesAConflictAfterALostAnswer: a state change repeated after its answer was
// lost meets 409; reading the resource back decides.
func TestConfirmSettlesAConflictAfterALostAnswer(t *testing.T) {
	conflict := answer(409, `{"title":"Conflict"}`)
	canceled := &gen.PayoutRequest{ID: "pout_req_1", Status: "canceled"}
	fulfilled := &gen.PayoutRequest{ID: "pout_req_1", Status: "fulfilled"}
	tests := []struct {
		name    string
		steps   []step
		read    *gen.PayoutRequest
		readErr error
		want    errs.Outcome // 0: success
		reads   int
	}{
		{"lost answer, 409, read shows it applied", []step{{err: resetErr}, conflict}, canceled, nil, 0, 1},
		{"lost answer, 409, read shows another state", []step{{err: resetErr}, conflict}, fulfilled, nil, errs.NotApplied, 1},
		{"lost answer, 409, read fails", []step{{err: resetErr}, conflict}, nil, errors.New("down"), errs.Unknown, 1},
		{"409 at once is a plain conflict", []step{conflict}, canceled, nil, errs.NotApplied, 0},
		{"503, then 409: nothing was applied before", []step{answer(503, ""), conflict}, canceled, nil, errs.NotApplied, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{steps: tt.steps}
			reads := 0
			call := Call[gen.PayoutRequest]{Op: "POST /payout-requests/{id}/cancel", Class: Idempotent, ID: prID,
				Confirm: func(context.Context) (*gen.PayoutRequest, bool, error) {
					reads++
					if tt.readErr != nil {
						return nil, false, tt.readErr
					}
					return tt.read, tt.read.Status == "canceled", nil
				}}
			pr, err := Send(context.Background(), testBackend(s, nil), call, nil, func(server string) (*http.Request, error) {
				return http.NewRequest(http.MethodPost, server+"payout-requests/pout_req_1/cancel", strings.NewReader(`{}`))
			})
			if reads != tt.reads {
				t.Errorf("%d reads, want %d", reads, tt.reads)
			}
			if tt.want == 0 {
				if err != nil || pr.Status != "canceled" {
					t.Fatalf("got %+v, %v", pr, err)
				}
				return
			}
			if got := classOf(t, err); got != tt.want {
				t.Fatalf("%v: class %v, want %v", err, got, tt.want)
			}
			if tt.want == errs.NotApplied && !errors.Is(err, errs.ErrConflict) {
				t.Errorf("%v is not ErrConflict", err)
			}
		})
	}
}

// TestCallStatesAreReusedClean runs every case of TestSendOutcomes one after another, forwards
// and backwards, through one Backend, so that each call takes a callState another call has
// used (an unknown outcome, a wait, a result, a cut body): every call must end exactly as it
// does on a fresh Backend.
func TestCallStatesAreReusedClean(t *testing.T) {
	s := &script{}
	b := testBackend(s, nil)
	order := make([]int, 0, 2*len(sendOutcomeCases))
	for i := range sendOutcomeCases {
		order = append(order, i)
	}
	for i := range sendOutcomeCases {
		order = append(order, len(sendOutcomeCases)-1-i)
	}
	for _, i := range order {
		tt := sendOutcomeCases[i]
		s.mu.Lock()
		s.steps = append([]step(nil), tt.steps...)
		s.bodies = nil
		s.mu.Unlock()
		pr, err := sendPR(context.Background(), b, tt.class)
		if got := s.sent(); got != tt.sent {
			t.Fatalf("%s: sent %d requests, want %d", tt.name, got, tt.sent)
		}
		switch {
		case tt.want == 0 && (err != nil || pr == nil || pr.ID != "pout_req_1"):
			t.Fatalf("%s: got %+v, %v; want the payout request", tt.name, pr, err)
		case tt.want != 0 && (pr != nil || classOf(t, err) != tt.want):
			t.Fatalf("%s: got %+v, %v; want class %v", tt.name, pr, err, tt.want)
		}
	}
}

// TestNoAttemptAfterTheContextEnds: a context that ends between attempts (here in the
// observer, as a crash would) stops the call before another request is handed to the
// transport, even when the wait before it is zero.
func TestNoAttemptAfterTheContextEnds(t *testing.T) {
	for range 50 { // go-retryablehttp's wait picks at random between a ready timer and ctx
		s := &script{steps: []step{answer(503, ""), answer(201, prBody)}}
		b := testBackend(s, nil)
		ctx, cancel := context.WithCancel(context.Background())
		b.cfg.Observer = func(context.Context, AttemptInfo) { cancel() }
		_, err := sendPR(ctx, b, Unsafe)
		if s.sent() != 1 || !errors.Is(err, context.Canceled) || classOf(t, err) != errs.NotApplied {
			t.Fatalf("sent %d requests; err %v", s.sent(), err)
		}
	}
}

// TestNoContentSuccessIgnoresItsBody: a 204 (or any 2xx) to an operation without a result is
// a success even when a body arrives cut: there was nothing to read.
func TestNoContentSuccessIgnoresItsBody(t *testing.T) {
	s := &script{steps: []step{{status: 204, header: http.Header{}, body: "garbage", cutAt: 3}}}
	call := Call[NoContent]{Op: "POST /payout-request-allocations/auto", Class: Unsafe}
	_, err := Send(context.Background(), testBackend(s, nil), call, nil, func(server string) (*http.Request, error) {
		return http.NewRequest(http.MethodPost, server+"payout-request-allocations/auto", strings.NewReader(`{}`))
	})
	if err != nil || s.sent() != 1 {
		t.Fatalf("err %v after %d requests", err, s.sent())
	}
}
