package backend

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/paysdk/rebilly/errs"
)

// AttemptInfo describes one attempt for an observer: enough for metrics and traces, and
// nothing secret (no credential, no body, no raw path with ids).
type AttemptInfo struct {
	Operation          string
	Attempt            int
	StatusCode         int
	Failure            string
	Duration           time.Duration
	RateLimitLimit     int
	RateLimitRemaining int
	RetryAfter         time.Time
	RequestID          string
	Outcome            errs.Outcome
	WillRetry          bool
}

// observe hands the attempt that just ended to the configured observer.
func (b *Backend) observe(ctx context.Context, st *callState, willRetry bool) {
	if b.cfg.Observer == nil {
		return
	}
	a := &st.last
	info := AttemptInfo{
		Operation:  st.call.op,
		Attempt:    st.attempts,
		StatusCode: a.status,
		Duration:   b.cfg.Now().Sub(a.start),
		RequestID:  st.call.requestID,
		Outcome:    attemptOutcome(st.call.class, a),
		WillRetry:  willRetry,

		RateLimitLimit:     -1,
		RateLimitRemaining: -1,
	}
	if a.f != noFailure {
		info.Failure = a.f.String()
	}
	if a.header != nil {
		info.RateLimitLimit = headerInt(a.header, "X-RateLimit-Limit")
		info.RateLimitRemaining = headerInt(a.header, "X-RateLimit-Remaining")
		if at, ok := RetryAfterTime(a.header, b.cfg.Now()); ok {
			info.RetryAfter = at
		}
	}
	b.cfg.Observer(ctx, info)
}

// attemptOutcome is what the attempt alone did: the call's outcome can still change with the
// attempts after it.
func attemptOutcome(class RetryClass, a *attempt) errs.Outcome {
	switch {
	case a.f == noFailure && a.status >= 200 && a.status <= 299:
		return errs.Applied
	case a.f.mayHaveApplied() && class != Read:
		return errs.Unknown
	}
	return errs.NotApplied
}

// headerInt reads a non-negative integer header, -1 when it is absent or not a number.
func headerInt(h http.Header, key string) int {
	v := h.Get(key)
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
