// Package backend sends the SDK's HTTP requests: it adds credentials and the User-Agent,
// sends each attempt and reads its whole answer inside the attempt, retries through
// go-retryablehttp by each operation's retry class, and turns every call into a decoded
// result or one error of internal/errs whose outcome class (not applied, applied, unknown)
// is exact. The service packages describe their operations with Call and hand them to Send;
// nothing else in the SDK touches the network.
package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paysdk/rebilly/errs"
)

// DefaultMaxResponseBytes bounds how much of a response body the client reads.
const DefaultMaxResponseBytes = 10 << 20

// Config is what the root package's options resolve to. Every field is set by NewClient.
type Config struct {
	// Server is the API root for the organization, ending in "/organizations/{id}/".
	Server string
	// Authorize sets the credential header on a request.
	Authorize func(http.Header)
	// UserAgent is the full User-Agent header value.
	UserAgent string
	// HTTPClient supplies the transport (and cookie jar) each attempt goes through. Its
	// Timeout, CheckRedirect and the rest are not used: the backend sets its own.
	HTTPClient *http.Client
	// AttemptTimeout bounds one attempt, from dialing to the last byte of the body.
	AttemptTimeout time.Duration
	// MaxRetries is how many times a call may be repeated after its first attempt.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between attempts.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxServerWait is the longest wait a server's hint may ask for; a call asked to wait
	// longer ends with the server's answer.
	MaxServerWait time.Duration
	// MaxResponseBytes bounds how much of a response body is read.
	MaxResponseBytes int64
	// Logger receives debug records of attempts and retries. Never nil.
	Logger *slog.Logger
	// Observer, when set, is told of every attempt.
	Observer func(context.Context, AttemptInfo)
	// Now tells the time, for reading X-RateLimit-Retry-After. Tests replace it.
	Now func() time.Time
	// Jitter returns a number in [0, 1) that spreads backoff waits. Tests replace it.
	Jitter func() float64
	// Wait turns a computed backoff into the wait actually slept. Tests replace it with one
	// that records the wait and returns 0, so no test sleeps.
	Wait func(time.Duration) time.Duration
}

// Backend sends calls for one client. It is safe for concurrent use.
type Backend struct {
	cfg       Config
	server    string // cfg.Server resolved once (resolveServer): what requests are built on
	transport http.RoundTripper
	jar       http.CookieJar
	states    sync.Pool // of *callState, each with its go-retryablehttp client built
}

// New returns a Backend for cfg.
func New(cfg Config) *Backend {
	b := &Backend{transport: http.DefaultTransport}
	if cfg.HTTPClient != nil {
		if cfg.HTTPClient.Transport != nil {
			b.transport = cfg.HTTPClient.Transport
		}
		b.jar = cfg.HTTPClient.Jar
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Jitter == nil {
		cfg.Jitter = defaultJitter
	}
	if cfg.Wait == nil {
		cfg.Wait = func(d time.Duration) time.Duration { return d }
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.Authorize == nil {
		cfg.Authorize = func(http.Header) {}
	}
	b.cfg = cfg
	b.server = resolveServer(cfg.Server)
	b.states.New = func() any { return newCallState(b) }
	return b
}

// CloseIdleConnections closes the idle connections of the transport requests go through.
func (b *Backend) CloseIdleConnections() {
	if b == nil {
		return
	}
	if ci, ok := b.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// Server returns the organization's API root that requests are built against.
func (b *Backend) Server() string { return b.cfg.Server }

// Call describes one logical operation, however many attempts it takes. T is the decoded
// answer: a generated resource type, or NoContent for operations that answer 204.
type Call[T any] struct {
	// Op names the operation by its template, such as "POST /payouts" or
	// "GET /payout-requests/{id}": in errors, logs and the attempt observer.
	Op string
	// Class says what the call does and when it may be repeated.
	Class RetryClass
	// RequestID is the requestId of a POST /payouts call, carried into every error.
	RequestID string
	// RequestIDFromCaller is set when the caller chose RequestID (rather than the SDK
	// generating one for this call): then even a first attempt's 409 means the key was used.
	RequestIDFromCaller bool
	// ResourceID is the id the call's path names (PUT, GET), for errors.
	ResourceID string
	// Collection is the path segment under which the created resource's Location lies, such
	// as "payout-requests": it lets a 2xx answer whose body cannot be used still name it.
	Collection string
	// ID returns the resource id of a decoded answer; an answer without one is not a
	// success. Nil when T is NoContent.
	ID func(*T) string
	// Refetch reads the resource with the given id. When a write's 2xx answer cannot be used
	// but names the resource (Location), Send returns what Refetch reads.
	Refetch func(ctx context.Context, id string) (*T, error)
	// Confirm settles a 409 that answers a repeat of an attempt that may have been applied:
	// a state change such as a cancel, repeated after its answer was lost, conflicts with
	// the state it made. Confirm reads the resource and reports whether the call's effect is
	// there: if so, Send returns what it read as the result; if the read shows it is not,
	// the 409 stands as the answer (not applied); if the read fails, the outcome stays
	// unknown.
	Confirm func(ctx context.Context) (v *T, applied bool, err error)
	// Decode, when set, turns a 2xx answer into the result in place of ID, for answers that
	// are not one resource: a page of a collection, say, which is a JSON array whose
	// Pagination-* headers belong to the result. An error makes the answer unusable, exactly
	// as a body that is not JSON would.
	Decode func(header http.Header, body []byte) (*T, error)
	// Recovery tells the caller how to settle an unknown outcome. "{requestId}" and "{id}"
	// in it are replaced by the quoted RequestID and resource id, only when an error needs it.
	Recovery string
}

// NoContent is the result of an operation that answers 204 without a body.
type NoContent struct{}

// callInfo is the part of a Call the attempts and settle need, whatever T is.
type callInfo struct {
	op                  string
	class               RetryClass
	requestID           string
	requestIDFromCaller bool
	resourceID          string
	collection          string
	recoveryText        string
}

// Send runs one operation: it refuses a nil service, a nil or ended context and invalid
// parameters (problems, from the service's validation) before anything is sent, builds the
// request with build, sends it under the call's retry class, and returns the decoded answer
// or an error of exactly one outcome class.
func Send[T any](ctx context.Context, b *Backend, call Call[T], problems error, build func(server string) (*http.Request, error)) (*T, error) {
	switch {
	case b == nil:
		return nil, &errs.NotAppliedError{Op: call.Op, Err: errors.New("the service was not created by rebilly.NewClient")}
	case ctx == nil:
		return nil, &errs.NotAppliedError{Op: call.Op, Err: errors.New("nil context: pass context.Background() or a request's context")}
	case problems != nil:
		return nil, problems
	}
	if err := ctx.Err(); err != nil {
		return nil, &errs.NotAppliedError{Op: call.Op, Err: err}
	}
	req, err := build(b.server)
	if err != nil {
		// The body cannot be encoded: a channel or a NaN inside CustomFields, say.
		return nil, &errs.InvalidParamsError{Op: call.Op, InvalidFields: []errs.InvalidField{{Field: "(request body)", Message: err.Error()}}}
	}

	var res *result[T]
	var dec decoder
	var custom *decoded[T]
	switch {
	case call.Decode != nil:
		custom = &decoded[T]{f: call.Decode}
		dec = custom
	case call.ID != nil:
		res = &result[T]{id: call.ID}
		dec = res
	}
	st := b.states.Get().(*callState)
	st.reset(callInfo{op: call.Op, class: call.Class, requestID: call.RequestID, requestIDFromCaller: call.RequestIDFromCaller,
		resourceID: call.ResourceID, collection: call.Collection, recoveryText: call.Recovery}, dec)
	if req.Body != nil && req.Body != http.NoBody {
		// RoundTrip gives each attempt its body; nothing above or below it holds one.
		st.first, st.getBody, st.contentLength = req.Body, req.GetBody, req.ContentLength
		if st.getBody == nil {
			st.getBody = noRewind
		}
		req.Body, req.GetBody, req.ContentLength = nil, nil, 0
	}
	req = req.WithContext(st.trace(ctx))
	b.cfg.Authorize(req.Header)
	req.Header.Set("User-Agent", b.cfg.UserAgent)
	req.Header.Set("Accept", "application/json")

	runErr := b.run(st, req)
	if st.attempts > 0 && st.last.f == noFailure && st.last.status >= 200 && st.last.status <= 299 {
		st.release()
		b.states.Put(st)
		switch {
		case custom != nil:
			return custom.v, nil
		case res == nil:
			return new(T), nil // NoContent
		}
		return &res.v, nil
	}
	failure := b.settle(ctx, st, runErr)
	var conflict *errs.APIError
	if call.Confirm != nil && st.maybeApplied && st.last.status == http.StatusConflict {
		conflict = newAPIError(call.Op, call.RequestID, st.last.status, st.last.header, st.last.body, b.cfg.Now())
		conflict.Attempts = st.attempts
	}
	st.release()
	b.states.Put(st)
	if conflict != nil {
		// A repeat met the state an earlier attempt may have made: read it to decide.
		v, applied, err := call.Confirm(ctx)
		switch {
		case err == nil && applied:
			return v, nil
		case err == nil:
			return nil, conflict
		}
		var u *errs.OutcomeUnknownError
		if errors.As(failure, &u) {
			u.Recovery += fmt.Sprintf("; reading it back failed too (%v)", err)
		}
		return nil, failure
	}
	var unknown *errs.OutcomeUnknownError
	if call.Refetch != nil && errors.As(failure, &unknown) && unknown.StatusCode/100 == 2 && unknown.Location != "" && unknown.ResourceID != "" {
		// The answer said the resource exists and where: read it instead of guessing.
		if v, err := call.Refetch(ctx, unknown.ResourceID); err == nil {
			return v, nil
		} else {
			unknown.Recovery += fmt.Sprintf("; reading it back failed too (%v)", err)
		}
	}
	return nil, failure
}

// errNoRewind is the error of a retry whose request body cannot be made again. The services
// build every body with GetBody, so no call meets it.
var errNoRewind = errors.New("the request body cannot be sent again")

func noRewind() (io.ReadCloser, error) { return nil, errNoRewind }

// settle turns a call that did not end in a usable 2xx into its error: one class, exactly.
func (b *Backend) settle(ctx context.Context, st *callState, runErr error) error {
	call := &st.call
	op, last := call.op, &st.last
	if st.attempts == 0 {
		// The request could not even be prepared (go-retryablehttp refused it).
		return &errs.NotAppliedError{Op: op, Err: runErr}
	}
	ctxErr := ctx.Err()
	var answer *errs.APIError
	if last.status != 0 && last.status/100 != 2 {
		answer = newAPIError(op, call.requestID, last.status, last.header, last.body, b.cfg.Now())
		answer.Attempts = st.attempts
	}

	if answer != nil && answer.StatusCode == http.StatusConflict && call.requestID != "" && (st.maybeApplied || call.requestIDFromCaller) {
		return &errs.DuplicateRequestError{RequestID: call.requestID, Attempts: st.attempts, Answer: answer}
	}
	if st.maybeApplied && call.class != Read {
		u := &errs.OutcomeUnknownError{Op: op, RequestID: call.requestID, Attempts: st.attempts, StatusCode: last.status, LastAnswer: answer, ResourceID: call.resourceID}
		switch {
		case ctxErr != nil && last.err != nil && !errors.Is(last.err, ctxErr):
			u.Err = fmt.Errorf("%w: %w", ctxErr, last.err)
		case ctxErr != nil:
			u.Err = ctxErr
		default:
			u.Err = last.err
		}
		if last.status/100 == 2 {
			u.Location = last.header.Get("Location")
			u.Body = capBody(last.body)
			if id := idFromLocation(u.Location, call.collection); id != "" {
				u.ResourceID = id
			} else if id := idFromBody(last.body); id != "" {
				u.ResourceID = id
			}
			u.Err = fmt.Errorf("the %d answer cannot be used: %w", last.status, last.err)
		}
		u.Recovery = call.recovery(u.ResourceID)
		if last.status/100 == 2 && call.class == Unsafe {
			// A 2xx says it took effect: repeating would do it twice.
			u.Recovery = fmt.Sprintf("Rebilly answered %d, so the call took effect: do not repeat it; read the resource back", last.status)
			if u.ResourceID != "" {
				u.Recovery += " (id " + strconv.Quote(u.ResourceID) + ")"
			}
		}
		return u
	}

	// Nothing was applied: the call only reads, or no attempt may have taken effect.
	switch {
	case last.status/100 == 2:
		return &errs.MalformedResponseError{Op: op, StatusCode: last.status, Attempts: st.attempts, Err: last.err}
	case answer != nil && ctxErr == nil:
		return answer
	case answer != nil:
		return &errs.NotAppliedError{Op: op, Attempts: st.attempts, Err: ctxErr, LastAnswer: answer}
	case ctxErr != nil && last.err != nil && !errors.Is(last.err, ctxErr):
		return &errs.NotAppliedError{Op: op, Attempts: st.attempts, Err: fmt.Errorf("%w: %w", ctxErr, last.err)}
	case ctxErr != nil:
		return &errs.NotAppliedError{Op: op, Attempts: st.attempts, Err: ctxErr}
	}
	err := last.err
	if err == nil {
		err = runErr
	}
	return &errs.NotAppliedError{Op: op, Attempts: st.attempts, Err: err}
}

// recovery returns the Recovery text with the call's requestId and the resource id filled in.
func (c *callInfo) recovery(id string) string {
	r := strings.Replace(c.recoveryText, "{requestId}", strconv.Quote(c.requestID), 1)
	return strings.Replace(r, "{id}", strconv.Quote(id), 1)
}
