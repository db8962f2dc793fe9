package backend

// The go-retryablehttp glue: the only file that knows the library. It runs the attempt loop
// and the waits; what an attempt means is decided in attempt.go and retry.go.
//
// Upstream traps this file works around (go-retryablehttp v0.7.8):
//   - Request.SetBody installs http.Request.GetBody. Go's HTTP/2 transport uses GetBody to
//     replay a request on its own after a peer's PROTOCOL_ERROR or REFUSED_STREAM reset, and
//     its HTTP/1 transport to replay "replayable" requests; a replay underneath us could
//     create a payout request twice. We never call SetBody: the request the loop gets has
//     no body and no GetBody, so the loop neither rewinds nor installs one. callState's
//     RoundTrip gives each attempt its body (the one the request was built with, then a
//     fresh copy from the builder's GetBody) on its own copy of the request, which has no
//     GetBody: nothing under it can replay.
//   - CheckRetry sees the response before its body is read, so a 2xx cut mid-body would be a
//     success. Our RoundTripper (callState) reads and decodes the whole answer first.
//   - CheckRetry cannot tell a POST from a GET when the connection failed: there is no
//     response. Each client is bound to one callState (its hooks close over it, and its
//     HTTPClient's transport is it) and serves one call at a time: a call takes a callState
//     from the Backend's pool and resets it, so the hooks see that call's class and state.
//   - Logger defaults to one that prints every request to stderr: it is nil, and callState
//     logs through slog.
//   - ErrorHandler defaults to draining the last response and returning "giving up": we pass
//     it through and build our own error from the last attempt.
//   - When a call finally fails, and when the context ends during a wait, the loop calls
//     HTTPClient.CloseIdleConnections, which would close the pool shared by every other call.
//     The per-call client's transport is callState, which has no CloseIdleConnections.
//   - A context that ends during a wait returns (nil, ctx.Err()): the last attempt's answer
//     is kept in callState, not in the returned response.

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/paysdk/rebilly/internal/redact"
)

// run sends req through go-retryablehttp, one attempt at a time through st, until an attempt
// is final, the call's retries run out, or ctx ends. The outcome is in st.
func (b *Backend) run(st *callState, req *http.Request) error {
	st.rreq = retryablehttp.Request{Request: req} // no body: RoundTrip gives each attempt one
	resp, err := st.rc.Do(&st.rreq)
	if resp != nil {
		resp.Body.Close() // empty: callState read it
	}
	return err
}

// wait is the Backoff hook: the ordinary backoff, or a server's hint when it is longer.
func (b *Backend) wait(st *callState, lo, hi time.Duration, attempt int) time.Duration {
	d := backoff(attempt, lo, hi, b.cfg.Jitter)
	if st.last.hasHint {
		// A server's hint may make the wait longer, never shorter: a timestamp in the past
		// (a client clock running fast) must not make retries fire at once.
		d = max(d, st.last.hint)
	}
	b.logWait(st, d)
	return b.cfg.Wait(d)
}

// checkRetry classifies the attempt that just ended and decides whether to send another.
func (b *Backend) checkRetry(ctx context.Context, st *callState) (bool, error) {
	f := st.classify()
	if f.mayHaveApplied() {
		st.maybeApplied = true
	}
	b.logAttempt(ctx, st)
	retry, err := b.decide(ctx, st, f)
	b.observe(ctx, st, retry && st.attempts <= b.cfg.MaxRetries)
	return retry, err
}

func (b *Backend) decide(ctx context.Context, st *callState, f failure) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if f == refused && st.last.hasHint && st.last.hint > b.cfg.MaxServerWait {
		// Retrying before the time the server named would only meet another refusal.
		st.stoppedLong = true
		return false, nil
	}
	return st.call.class.retryable(f), nil
}

// noRedirects stops net/http from following a redirect: the API has no reason to send one,
// Go would replay a POST's body to wherever it points, and it would carry the REB-APIKEY
// header (which, unlike Authorization, Go does not strip) to another host. A 3xx comes back
// as an *APIError.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// logRequest logs an attempt about to be sent: the operation, the URL path and the headers,
// with credentials redacted. Bodies are never logged.
func (b *Backend) logRequest(op string, n int, req *http.Request) {
	if !b.cfg.Logger.Enabled(req.Context(), slog.LevelDebug) {
		return
	}
	b.cfg.Logger.DebugContext(req.Context(), "rebilly request", "op", op, "attempt", n,
		"method", req.Method, "path", req.URL.Path, "headers", redact.Header(req.Header))
}

func (b *Backend) logAttempt(ctx context.Context, st *callState) {
	if !b.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []any{"op", st.call.op, "attempt", st.attempts}
	if st.last.status != 0 {
		attrs = append(attrs, "status", st.last.status)
	}
	if st.last.f != noFailure {
		attrs = append(attrs, "error_class", st.last.f.String())
	}
	b.cfg.Logger.DebugContext(ctx, "rebilly attempt", attrs...)
}

func (b *Backend) logWait(st *callState, d time.Duration) {
	if b.cfg.Logger.Enabled(context.Background(), slog.LevelDebug) {
		b.cfg.Logger.Debug("rebilly retry", "op", st.call.op, "next_attempt", st.attempts+1, "wait", d)
	}
}
