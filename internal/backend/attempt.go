package backend

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
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
	start   time.Time // when the attempt began; set only when there is an observer
}

// callState follows one call across its attempts. It is the RoundTripper under the call's
// *http.Client, so that each attempt's answer is read before go-retryablehttp looks at it.
//
// A callState, with the go-retryablehttp Client, http.Client and Request wrapper it holds and
// the hooks bound to it, is built once and then reused from Backend.states: a call takes one,
// fills in what is its own (reset), and puts it back clean (release). Nothing outside the
// call keeps a reference to it: the transport's trace hooks, which can fire from the
// transport's goroutines, write to the call's own tracer, never to the callState.
type callState struct {
	b    *Backend
	call callInfo

	// dec decodes a 2xx body into the call's result, or says why it cannot be used. It is
	// nil for operations whose answer has no body.
	dec decoder

	// The request body: first is the body the request was built with, for the first
	// attempt; getBody makes a fresh copy for each later one. The request go-retryablehttp
	// and net/http's client see has neither, so nothing but RoundTrip can send a body, and
	// the request the transport gets has no GetBody.
	first         io.ReadCloser
	getBody       func() (io.ReadCloser, error)
	contentLength int64

	attempts     int
	maybeApplied bool // some attempt so far may have taken effect
	stoppedLong  bool // the server asked for a wait longer than MaxServerWait
	last         attempt
	tr           *tracer

	// Built once per callState, reused by every call that takes it.
	rc   retryablehttp.Client
	hc   http.Client
	rreq retryablehttp.Request
}

// decoder is a call's result: it decodes a 2xx answer into itself.
type decoder interface {
	decode(header http.Header, body []byte) error
}

// result holds a call's decoded answer, and decodes into it.
type result[T any] struct {
	v  T
	id func(*T) string
}

func (r *result[T]) decode(_ http.Header, body []byte) error {
	var zero T
	r.v = zero // an earlier attempt's answer must not show through
	if err := decodeJSON(body, &r.v); err != nil {
		return err
	}
	if r.id(&r.v) == "" {
		return errNoID
	}
	return nil
}

// decoded holds the answer of a call whose Call.Decode turns it into the result (a page of
// a collection, whose headers count too).
type decoded[T any] struct {
	v *T
	f func(http.Header, []byte) (*T, error)
}

func (d *decoded[T]) decode(header http.Header, body []byte) error {
	v, err := d.f(header, body)
	d.v = v // an earlier attempt's answer must not show through
	return err
}

// newCallState builds a callState for b, with the go-retryablehttp client bound to it.
func newCallState(b *Backend) *callState {
	st := &callState{b: b}
	st.hc = http.Client{Transport: st, CheckRedirect: noRedirects, Jar: b.jar}
	st.rc = retryablehttp.Client{
		HTTPClient:   &st.hc,
		Logger:       nil,
		RetryWaitMin: b.cfg.RetryWaitMin,
		RetryWaitMax: b.cfg.RetryWaitMax,
		RetryMax:     b.cfg.MaxRetries,
		CheckRetry: func(ctx context.Context, _ *http.Response, _ error) (bool, error) {
			return b.checkRetry(ctx, st)
		},
		Backoff: func(lo, hi time.Duration, attempt int, _ *http.Response) time.Duration {
			return b.wait(st, lo, hi, attempt)
		},
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return st
}

// reset readies st for a call.
func (st *callState) reset(call callInfo, dec decoder) {
	st.call, st.dec = call, dec
	st.attempts, st.maybeApplied, st.stoppedLong = 0, false, false
	st.last = attempt{}
	st.tr = new(tracer)
	st.tr.init()
}

// release drops everything st holds of the call that used it, so that a pooled callState
// keeps no request, answer or result alive.
func (st *callState) release() {
	st.call, st.dec = callInfo{}, nil
	st.first, st.getBody, st.contentLength = nil, nil, 0
	st.last = attempt{}
	st.tr = nil
	st.rreq = retryablehttp.Request{}
}

// tracer is one call's httptrace hooks: they tell whether an attempt wrote its request. It
// is the call's own, never pooled: net/http's transport can call a hook from its own
// goroutines after the attempt ended.
type tracer struct {
	trace   httptrace.ClientTrace
	traced  atomic.Bool // the transport took (or tried to take) a connection
	written atomic.Bool // the request's headers were written
}

func (t *tracer) init() {
	t.trace.GetConn = func(string) { t.traced.Store(true) }
	t.trace.WroteHeaders = func() { t.written.Store(true) }
}

// trace returns ctx with hooks that tell whether an attempt wrote its request. Hooks the
// caller put on ctx still run.
func (st *callState) trace(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &st.tr.trace)
}

// sent reports what the trace says of the current attempt.
func (st *callState) sent() sendState {
	switch {
	case st.tr.written.Load():
		return sendWritten
	case st.tr.traced.Load():
		return sendNotWritten
	}
	return sendUntraced
}

// RoundTrip sends one attempt through the backend's transport and reads its whole answer
// under the attempt timeout. The response it returns has an empty body: the answer is in
// st.last, for the retry hook to classify.
func (st *callState) RoundTrip(req *http.Request) (*http.Response, error) {
	st.attempts++
	st.tr.traced.Store(false)
	st.tr.written.Store(false)
	st.last = attempt{}
	if st.b.cfg.Observer != nil {
		st.last.start = st.b.cfg.Now() // for the observer's Duration, and only for it
	}
	st.b.logRequest(st.call.op, st.attempts, req)

	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		// The call's context ended during the wait before this attempt (go-retryablehttp's
		// wait can pick its timer over a context that ended at the same moment): send
		// nothing. A transport handed a dead context may still deliver the request.
		st.tr.traced.Store(true) // nothing was written: the attempt is "not sent"
		st.last.err = err
		return nil, err
	}
	if d := st.b.cfg.AttemptTimeout; d > 0 {
		// The attempt timeout rides on the context rather than http.Client.Timeout: the body
		// is read right here, so the attempt ends with this function.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	req = req.WithContext(ctx) // our own copy, to give a body
	if st.getBody != nil {
		body := st.first
		if st.attempts > 1 || body == nil {
			var err error
			if body, err = st.getBody(); err != nil {
				st.tr.traced.Store(true) // nothing was written: the attempt is "not sent"
				st.last.err = err
				return nil, err
			}
		}
		st.first = nil
		req.Body, req.ContentLength = body, st.contentLength
	}
	resp, err := st.b.transport.RoundTrip(req)
	if err != nil {
		st.last.err = err
		return nil, err
	}
	body, readErr := readLimited(resp.Body, resp.ContentLength, st.b.cfg.MaxResponseBytes)
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
	case a.status >= 200 && a.status <= 299 && st.dec == nil:
		// An operation that answers 204 has nothing to read: the status says it took
		// effect, and a body that breaks off does not change that.
		a.f, a.err = noFailure, nil
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
	if st.dec == nil {
		return nil
	}
	if err := checkJSONContentType(a.header.Get("Content-Type")); err != nil {
		return err
	}
	return st.dec.decode(a.header, a.body)
}
