package backend

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	dial := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	reset := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	dns := &url.Error{Op: "Get", URL: "https://x", Err: &net.DNSError{Err: "no such host", Name: "x"}}
	timeout := &url.Error{Op: "Post", URL: "https://x", Err: context.DeadlineExceeded}
	cert := &url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}
	status := func(code int) *http.Response { return &http.Response{StatusCode: code} }
	tests := []struct {
		name       string
		resp       *http.Response
		err        error
		want       failure
		idempotent bool // retried for GET, PUT, POST /payouts
		unsafe     bool // retried for POST /payout-requests
	}{
		{"200", status(200), nil, noFailure, false, false},
		{"201", status(201), nil, noFailure, false, false},
		{"400", status(400), nil, noFailure, false, false},
		{"401", status(401), nil, noFailure, false, false},
		{"404", status(404), nil, noFailure, false, false},
		{"409", status(409), nil, noFailure, false, false},
		{"422", status(422), nil, noFailure, false, false},
		{"429", status(429), nil, refused, true, true},
		{"500", status(500), nil, ambiguous, true, false},
		{"501", status(501), nil, permanent, false, false},
		{"502", status(502), nil, ambiguous, true, false},
		{"503", status(503), nil, refused, true, true},
		{"504", status(504), nil, ambiguous, true, false},
		{"dial refused", nil, dial, notSent, true, true},
		{"dns failure", nil, dns, notSent, true, true},
		{"reset after write", nil, reset, ambiguous, true, false},
		{"attempt timeout", nil, timeout, ambiguous, true, false},
		{"unknown certificate authority", nil, cert, permanent, false, false},
		{"wrapped dial", nil, fmt.Errorf("x: %w", dial), notSent, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.resp, tt.err)
			if got != tt.want {
				t.Fatalf("classify = %s, want %s", failureNames[got], failureNames[tt.want])
			}
			if r := Idempotent.retryable(got); r != tt.idempotent {
				t.Errorf("Idempotent.retryable = %v, want %v", r, tt.idempotent)
			}
			if r := Unsafe.retryable(got); r != tt.unsafe {
				t.Errorf("Unsafe.retryable = %v, want %v", r, tt.unsafe)
			}
		})
	}
}

func TestWaitFor(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	withHeader := func(code int, k, v string) *http.Response {
		h := http.Header{}
		h.Set(k, v)
		return &http.Response{StatusCode: code, Header: h}
	}
	const (
		min = 100 * time.Millisecond
		max = 2 * time.Second
		cap = 30 * time.Second
	)
	tests := []struct {
		name    string
		attempt int
		resp    *http.Response
		jitter  float64
		want    time.Duration
	}{
		{"first retry, no jitter", 0, nil, 0, min},
		{"first retry, full jitter", 0, nil, 0.999999999, min},
		{"second retry, low jitter", 1, nil, 0, 100 * time.Millisecond},
		{"second retry, full jitter", 1, nil, 1, 200 * time.Millisecond},
		{"third retry, half jitter", 2, nil, 0.5, 300 * time.Millisecond},
		{"capped at max", 10, nil, 1, max},
		{"capped at max, low jitter", 10, nil, 0, max / 2},
		{"Rebilly's unix timestamp", 0, withHeader(429, "X-RateLimit-Retry-After", strconv.FormatInt(now.Add(7*time.Second).Unix(), 10)), 0, 7 * time.Second},
		{"timestamp in the past", 0, withHeader(429, "X-RateLimit-Retry-After", strconv.FormatInt(now.Add(-time.Minute).Unix(), 10)), 0, 0},
		{"timestamp beyond the cap", 0, withHeader(429, "X-RateLimit-Retry-After", strconv.FormatInt(now.Add(time.Hour).Unix(), 10)), 0, cap},
		{"Retry-After seconds", 0, withHeader(503, "Retry-After", "3"), 0.9, 3 * time.Second},
		{"Retry-After HTTP date", 0, withHeader(429, "Retry-After", now.Add(4*time.Second).Format(http.TimeFormat)), 0, 4 * time.Second},
		{"Retry-After garbage falls back to backoff", 0, withHeader(429, "Retry-After", "soon"), 0, min},
		{"hint ignored on a 500", 0, withHeader(500, "Retry-After", "9"), 0, min},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := waitFor(tt.attempt, tt.resp, min, max, cap, now, func() float64 { return tt.jitter })
			if got != tt.want {
				t.Errorf("waitFor = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWaitForStaysWithinBounds(t *testing.T) {
	for attempt := range 30 {
		for _, j := range []float64{0, 0.25, 0.5, 0.75, 0.999} {
			got := waitFor(attempt, nil, time.Second, 8*time.Second, time.Minute, time.Now(), func() float64 { return j })
			if got < time.Second || got > 8*time.Second {
				t.Fatalf("attempt %d jitter %v: wait %v outside [1s, 8s]", attempt, j, got)
			}
		}
	}
}

func TestRetryAfterTimeRejectsNonsense(t *testing.T) {
	now := time.Now()
	for _, v := range []string{"", "-5", "abc", "99999999999999999999", "1e9"} {
		h := http.Header{}
		h.Set("X-RateLimit-Retry-After", v)
		if at, ok := RetryAfterTime(h, now); ok {
			t.Errorf("X-RateLimit-Retry-After %q read as %v", v, at)
		}
	}
	if _, ok := RetryAfterTime(http.Header{}, now); ok {
		t.Error("no header read as a hint")
	}
}
