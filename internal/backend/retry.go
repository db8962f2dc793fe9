package backend

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// RetryClass says what a call does and so which failures it may be repeated after without
// risking a second effect.
type RetryClass int

const (
	// Read calls (GET) change nothing: they are repeated after any transient failure, and
	// their failures are never "outcome unknown".
	Read RetryClass = iota
	// Idempotent calls (PUT with an id of ours, POST /payouts with its requestId) change
	// something, but Rebilly applies them at most once however often they are sent: they are
	// repeated after any transient failure, and end "outcome unknown" when an attempt that
	// may have been applied is not followed by a usable answer.
	Idempotent
	// Unsafe calls (POST /payout-requests, which has no idempotency key) are repeated only
	// when Rebilly provably did nothing: the request was never written, or it answered 429
	// or 503.
	Unsafe
)

// failure classifies one attempt's outcome.
type failure int

const (
	noFailure failure = iota // a final answer: a usable 2xx, or a 3xx/4xx the caller must see
	notSent                  // nothing of the request was written: dial, DNS, proxy, TLS
	refused                  // the server said it did nothing and to come back: 429, 503
	ambiguous                // the request may have been processed: 5xx, reset, timeout
	unusable                 // a 2xx whose body was cut, unreadable or not the resource
	permanent                // repeating cannot help: a certificate error, 501
)

var failureNames = [...]string{noFailure: "none", notSent: "not-sent", refused: "refused",
	ambiguous: "ambiguous", unusable: "unusable-answer", permanent: "permanent"}

// String names the failure for logs and the attempt observer.
func (f failure) String() string { return failureNames[f] }

// mayHaveApplied reports whether an attempt that ended so may have taken effect.
func (f failure) mayHaveApplied() bool { return f == ambiguous || f == unusable }

// retryable reports whether a call of the class may be repeated after an attempt that ended so.
func (c RetryClass) retryable(f failure) bool {
	switch f {
	case notSent, refused:
		return true
	case ambiguous, unusable:
		return c != Unsafe
	}
	return false
}

// classifyStatus sorts an answer by its status alone.
func classifyStatus(code int) failure {
	switch {
	case code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable:
		return refused
	case code == http.StatusNotImplemented:
		return permanent
	case code >= 500 && code <= 599:
		return ambiguous
	}
	return noFailure
}

// sendState is what is known of whether an attempt that got no answer wrote its request.
type sendState int

const (
	// sendUntraced: the transport reported nothing (a caller's own RoundTripper, httpmock),
	// so only the error's type can tell.
	sendUntraced sendState = iota
	// sendNotWritten: net/http's transport took a connection (or tried to) and never wrote
	// the request's headers.
	sendNotWritten
	// sendWritten: the headers were written, so the request may have reached Rebilly.
	sendWritten
)

// classifyError sorts an attempt that ended without an answer. It never looks at the
// caller's context: the retry hook checks that first.
func classifyError(err error, sent sendState) failure {
	var certErr *tls.CertificateVerificationError
	var authorityErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	switch {
	case errors.As(err, &certErr), errors.As(err, &authorityErr), errors.As(err, &hostErr), errors.As(err, &invalidErr):
		return permanent
	case sent == sendNotWritten:
		// Nothing of this request left the process: a failed dial, DNS lookup, proxy CONNECT
		// or TLS handshake all end before the headers are written.
		return notSent
	case sent == sendWritten:
		return ambiguous
	}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return notSent
	case errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect"):
		return notSent
	}
	return ambiguous
}

// DefaultMaxServerWait caps how long the client waits when the server asks it to come back
// later (X-RateLimit-Retry-After or Retry-After). A call asked to wait longer ends with the
// server's answer instead.
const DefaultMaxServerWait = 60 * time.Second

// backoff returns the ordinary wait before retry number attempt (0 for the first retry):
// exponential from min, doubling up to max, with jitter so that many clients do not retry in
// step. A server's hint may lengthen it, never shorten it (see Send).
func backoff(attempt int, min, max time.Duration, jitter func() float64) time.Duration {
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

// serverHint reads how long a 429 or 503 answer asks the client to wait, from Rebilly's
// X-RateLimit-Retry-After (a Unix timestamp in seconds) or the standard Retry-After (delay
// seconds or an HTTP date). A time in the past is a hint of 0.
func serverHint(status int, h http.Header, now time.Time) (time.Duration, bool) {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return 0, false
	}
	if at, ok := RetryAfterTime(h, now); ok {
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
