package backend

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// attempt is everything one attempt ended with. The whole answer (status, headers and body)
// is read, and a 2xx decoded, inside the attempt, under its timeout: a failure anywhere in
// it is that attempt's failure, classified like any other.
type attempt struct {
	status  int         // 0 when no answer arrived
	header  http.Header // the answer's headers
	body    []byte      // the answer's body, as much as was read
	err     error       // the transport's, the body read's or the decoder's error
	f       failure     // the attempt's class
	hint    time.Duration
	hasHint bool
	start   time.Time
}

// callState follows one call across its attempts. It is the RoundTripper under the call's
// *http.Client, so that each attempt's answer is read before go-retryablehttp looks at it.
type callState struct {
	b    *Backend
	call *callInfo

	// decode decodes a 2xx answer into the call's result, or says why it cannot be used. It
	// is nil for operations whose answer has no body.
	decode func(header http.Header, body []byte) error

	attempts     int
	maybeApplied bool // some attempt so far may have taken effect
	stoppedLong  bool // the server asked for a wait longer than MaxServerWait
	last         attempt

	// Set by net/http's transport through httptrace, possibly from its own goroutines.
	traced  atomic.Bool // the transport took (or tried to take) a connection
	written atomic.Bool // the request's headers were written
}

// trace returns ctx with hooks that tell whether an attempt wrote its request. Hooks the
// caller put on ctx still run.
func (st *callState) trace(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:      func(string) { st.traced.Store(true) },
		WroteHeaders: func() { st.written.Store(true) },
	})
}

// sent reports what the trace says of the current attempt.
func (st *callState) sent() sendState {
	switch {
	case st.written.Load():
		return sendWritten
	case st.traced.Load():
		return sendNotWritten
	}
	return sendUntraced
}

// RoundTrip sends one attempt through the backend's transport and reads its whole answer
// under the attempt timeout. The response it returns has an empty body: the answer is in
// st.last, for the retry hook to classify.
func (st *callState) RoundTrip(req *http.Request) (*http.Response, error) {
	st.attempts++
	st.traced.Store(false)
	st.written.Store(false)
	st.last = attempt{start: st.b.cfg.Now()}
	st.b.logRequest(st.call.op, st.attempts, req)

	if d := st.b.cfg.AttemptTimeout; d > 0 {
		// The attempt timeout rides on the context rather than http.Client.Timeout: the body
		// is read right here, so the attempt ends with this function.
		ctx, cancel := context.WithTimeout(req.Context(), d)
		defer cancel()
		req = req.WithContext(ctx)
	}
	resp, err := st.b.transport.RoundTrip(req)
	if err != nil {
		st.last.err = err
		return nil, err
	}
	body, readErr := readLimited(resp.Body, st.b.cfg.MaxResponseBytes)
	resp.Body.Close()
	st.last.status, st.last.header, st.last.body, st.last.err = resp.StatusCode, resp.Header, body, readErr
	resp.Body = http.NoBody
	return resp, nil
}

// classify sorts the attempt that just ended, decoding a 2xx answer.
func (st *callState) classify() failure {
	a := &st.last
	switch {
	case a.status == 0:
		a.f = classifyError(a.err, st.sent())
	case a.status >= 200 && a.status <= 299:
		a.f = noFailure
		if a.err == nil {
			a.err = st.use(a)
		}
		if a.err != nil {
			a.f = unusable
		}
	default:
		// The status line says what happened, even when the body was cut: a refusal is a
		// refusal, and a 5xx is ambiguous either way.
		a.f = classifyStatus(a.status)
		a.hint, a.hasHint = serverHint(a.status, a.header, st.b.cfg.Now())
	}
	return a.f
}

// use checks a 2xx answer and decodes it into the call's result.
func (st *callState) use(a *attempt) error {
	if st.decode == nil {
		return nil
	}
	if err := checkJSONContentType(a.header.Get("Content-Type")); err != nil {
		return err
	}
	return st.decode(a.header, a.body)
}
