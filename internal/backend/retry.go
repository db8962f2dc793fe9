package backend

import (
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// RetryClass says which failures a call may be repeated after without risking a second effect.
type RetryClass int

const (
	// Idempotent calls (GET, PUT, and POST /payouts, which always carries a requestId) may be
	// repeated after any transient failure: the server applies them at most once.
	Idempotent RetryClass = iota
	// Unsafe calls (POST /payout-requests, which has no idempotency key) may be repeated only
	// when the server provably did nothing: the connection could not be made, or it answered
	// 429 or 503.
	Unsafe
)

// failure classifies one attempt's outcome.
type failure int

const (
	noFailure failure = iota // a final answer: 2xx, or a 4xx the caller must see
	notSent                  // nothing reached the server: a dial or DNS error
	refused                  // the server said it did nothing and to come back: 429, 503
	ambiguous                // the request may have been processed: 5xx, reset, timeout
	permanent                // repeating cannot help: a TLS certificate error, 501
)

// classify sorts an attempt's response or error. It never looks at the caller's context:
// cancellation is checked before it.
func classify(resp *http.Response, err error) failure {
	if err != nil {
		var opErr *net.OpError
		var dnsErr *net.DNSError
		var certErr x509.UnknownAuthorityError
		var hostErr x509.HostnameError
		var invalidErr x509.CertificateInvalidError
		switch {
		case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &invalidErr):
			return permanent
		case errors.As(err, &dnsErr):
			return notSent
		case errors.As(err, &opErr) && opErr.Op == "dial":
			return notSent
		}
		return ambiguous
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable:
		return refused
	case code == http.StatusNotImplemented:
		return permanent
	case code >= 500 && code <= 599:
		return ambiguous
	}
	return noFailure
}

// retryable reports whether a call of the class may be repeated after an attempt that ended so.
func (c RetryClass) retryable(f failure) bool {
	switch f {
	case notSent, refused:
		return true
	case ambiguous:
		return c == Idempotent
	}
	return false
}

// DefaultMaxServerWait caps how long the client waits when the server asks it to come back
// later (X-RateLimit-Retry-After or Retry-After). A longer hint is cut to this.
const DefaultMaxServerWait = 60 * time.Second

// waitFor returns how long to wait before retry number attempt (0 for the first retry): the
// server's hint when it gave one (capped at maxServerWait), else exponential backoff from min
// doubling up to max, with jitter so that many clients do not retry in step.
func waitFor(attempt int, resp *http.Response, min, max, maxServerWait time.Duration, now time.Time, jitter func() float64) time.Duration {
	if hint, ok := serverHint(resp, now); ok {
		return clamp(hint, 0, maxServerWait)
	}
	if max < min {
		max = min
	}
	ceiling := min
	for i := 0; i < attempt && ceiling < max; i++ {
		ceiling *= 2
	}
	ceiling = clamp(ceiling, min, max)
	// "Equal jitter": at least half the ceiling, at most all of it, never below min.
	half := ceiling / 2
	d := half + time.Duration(jitter()*float64(ceiling-half))
	return clamp(d, min, max)
}

// serverHint reads Rebilly's X-RateLimit-Retry-After (a Unix timestamp in seconds) or the
// standard Retry-After (delay seconds or an HTTP date) from a 429 or 503 answer.
func serverHint(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	if at, ok := RetryAfterTime(resp.Header, now); ok {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// RetryAfterTime returns when the server said the call may be repeated, from
// X-RateLimit-Retry-After (Unix seconds) or Retry-After (seconds or HTTP date).
func RetryAfterTime(h http.Header, now time.Time) (time.Time, bool) {
	if v := h.Get("X-RateLimit-Retry-After"); v != "" {
		if ts, err := strconv.ParseInt(v, 10, 64); err == nil && ts > 0 && ts < 1<<40 {
			return time.Unix(ts, 0), true
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 && secs < 1<<31 {
			return now.Add(time.Duration(secs) * time.Second), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func clamp(d, lo, hi time.Duration) time.Duration {
	return min(max(d, lo), hi)
}

// defaultJitter draws from the runtime's per-goroutine random source (no shared state).
func defaultJitter() float64 { return rand.Float64() }
