package rebilly

import (
	"context"
	"errors"
	"time"

	"github.com/paysdk/rebilly/internal/backend"
)

// Attempt describes one attempt of a call, as an observer set with [WithAttemptObserver]
// receives it: enough to export metrics and traces, and nothing secret (no credential, no
// body, no path with ids in it).
type Attempt struct {
	// Operation is the operation's template, such as "POST /payouts" or
	// "GET /payout-requests/{id}": a low-cardinality name, fit for a metric label or a span.
	Operation string
	// Number counts the call's attempts from 1.
	Number int
	// StatusCode is the answer's HTTP status, 0 when no answer arrived.
	StatusCode int
	// Failure says why the attempt did not end the call with a usable answer: "" for a final
	// answer (a usable 2xx, or a 3xx/4xx), else "not-sent", "refused" (429, 503),
	// "ambiguous" (5xx, reset, timeout), "unusable-answer" (a 2xx whose body was cut or is
	// not the resource) or "permanent" (501, a certificate error).
	Failure string
	// Duration is how long the attempt took, answer body included.
	Duration time.Duration
	// RateLimitLimit and RateLimitRemaining are the X-RateLimit-Limit and
	// X-RateLimit-Remaining headers of the answer, -1 when absent.
	RateLimitLimit, RateLimitRemaining int
	// RetryAfter is when the answer said the call may be repeated, zero when it did not.
	RetryAfter time.Time
	// RequestID is the requestId of a POST /payouts call, empty for other operations.
	RequestID string
	// Outcome is what this attempt alone did; see [OutcomeOf] for the call's.
	Outcome Outcome
	// WillRetry says whether another attempt follows.
	WillRetry bool
}

// WithAttemptObserver calls observe after every attempt of every call, on the calling
// goroutine, before the next attempt or the call's return: keep it quick. It receives a copy
// of what happened and cannot change any request, so it cannot weaken retry safety. ctx is
// the call's context, which carries the caller's trace span, if any.
//
// A per-call timeout is the deadline of the context passed to the call; [WithAttemptTimeout]
// bounds each attempt within it.
func WithAttemptObserver(observe func(ctx context.Context, a Attempt)) Option {
	return func(c *config) error {
		if observe == nil {
			return errors.New("rebilly: WithAttemptObserver: the function is nil")
		}
		c.observer = func(ctx context.Context, a backend.AttemptInfo) {
			observe(ctx, Attempt{
				Operation:          a.Operation,
				Number:             a.Attempt,
				StatusCode:         a.StatusCode,
				Failure:            a.Failure,
				Duration:           a.Duration,
				RateLimitLimit:     a.RateLimitLimit,
				RateLimitRemaining: a.RateLimitRemaining,
				RetryAfter:         a.RetryAfter,
				RequestID:          a.RequestID,
				Outcome:            a.Outcome,
				WillRetry:          a.WillRetry,
			})
		}
		return nil
	}
}
