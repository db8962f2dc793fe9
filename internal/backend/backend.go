// Package backend sends the SDK's HTTP requests: it adds credentials and the User-Agent,
// retries through go-retryablehttp by each operation's retry class, reads responses through a
// size limit, and turns every outcome into a decoded result or one of the typed errors of
// internal/errs. The service packages build requests with gen/ and hand them here; nothing
// else in the SDK touches the network.
package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/paysdk/rebilly/internal/errs"
	"github.com/paysdk/rebilly/internal/redact"
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
	// HTTPClient sends each attempt. The backend uses a shallow copy, never the caller's value.
	HTTPClient *http.Client
	// AttemptTimeout bounds one attempt, from dialing to the last byte of the body.
	AttemptTimeout time.Duration
	// MaxRetries is how many times a call may be repeated after its first attempt.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between attempts.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxServerWait caps a wait the server asks for; 0 means never wait for a hint longer
	// than the ordinary backoff would.
	MaxServerWait time.Duration
	// MaxResponseBytes bounds how much of a response body is read.
	MaxResponseBytes int64
	// Logger receives debug records of attempts and retries. Never nil.
	Logger *slog.Logger
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
	attempt   *http.Client
	transport http.RoundTripper // the real transport under keepIdle
}

// New returns a Backend for cfg.
func New(cfg Config) *Backend {
	base := cfg.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	attempt := *base // a copy: the caller's client is never changed
	transport := attempt.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	// go-retryablehttp closes the pool's idle connections whenever a call finally fails,
	// which under an error burst would make every other goroutine sharing the client dial
	// again. Hiding CloseIdleConnections keeps the pool warm.
	attempt.Transport = keepIdle{transport}
	if cfg.AttemptTimeout > 0 {
		attempt.Timeout = cfg.AttemptTimeout
	}
	// Never follow redirects: the API has no reason to send one, Go would replay a POST's
	// body to wherever it points, and it would carry the REB-APIKEY header (which, unlike
	// Authorization, Go does not strip) to another host. A 3xx comes back as an *APIError.
	attempt.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
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
	return &Backend{cfg: cfg, attempt: &attempt, transport: transport}
}

// CloseIdleConnections closes the idle connections of the transport requests go through
// (go-retryablehttp is kept from doing so after every failed call; see New).
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

// Check returns an error when b is nil, as it is in a service value that NewClient did not
// build (a zero payouts.Service, say), so that such a call fails instead of panicking.
func (b *Backend) Check(op string) error {
	if b == nil {
		return fmt.Errorf("rebilly: %s: the service was not created by rebilly.NewClient", op)
	}
	return nil
}

// RequestError reports that gen/ could not build the request for op, which happens only when
// a parameter cannot be encoded as JSON (a channel or a NaN inside CustomFields, say). Nothing
// was sent; the error matches ErrInvalidParams.
func RequestError(op string, err error) error {
	return &errs.InvalidParamsError{Op: op, Fields: []errs.InvalidField{{Field: "(request body)", Message: err.Error()}}}
}

// Call describes one logical operation, however many attempts it takes.
type Call struct {
	// Op names the operation for errors and logs, such as "POST /payouts".
	Op string
	// Class says when the call may be repeated.
	Class RetryClass
	// RequestID is the requestId of a POST /payouts call, carried into every error.
	RequestID string
	// RequestIDFromCaller is set when the caller chose RequestID (rather than the SDK
	// generating one for this call): then even a first attempt's 409 means the key was used.
	RequestIDFromCaller bool
	// FreeForm names the result's free-form members (map[string]any and the like), such as
	// "customFields". When the body holds one of them, it is decoded with UseNumber so that
	// their numbers keep their exact text rather than becoming float64. That costs a
	// json.Decoder, so bodies without them take json.Unmarshal.
	FreeForm []string
	// Recovery tells the caller how to settle an unknown outcome. "{requestId}" in it is
	// replaced by the quoted RequestID, only when an error needs the text.
	Recovery string
}

// recovery returns the Recovery text with the call's requestId filled in.
func (c Call) recovery() string {
	return strings.Replace(c.Recovery, "{requestId}", strconv.Quote(c.RequestID), 1)
}

// callState follows one call across its attempts.
type callState struct {
	attempts     int
	maybeApplied bool // an attempt reached the server and its outcome is unknown
}

// Do sends req (built by gen/ without a context) under ctx, retrying by call.Class, and
// decodes a 2xx body into out. It returns nil, an error from internal/errs, or one wrapping
// the context's error.
func (b *Backend) Do(ctx context.Context, call Call, req *http.Request, out any) error {
	if ctx == nil {
		return fmt.Errorf("rebilly: %s: nil context: pass context.Background() or a request's context", call.Op)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("rebilly: %s: %w", call.Op, err)
	}
	req = req.WithContext(ctx)
	b.cfg.Authorize(req.Header)
	req.Header.Set("User-Agent", b.cfg.UserAgent)
	req.Header.Set("Accept", "application/json")

	rreq, err := toRetryable(req)
	if err != nil {
		return fmt.Errorf("rebilly: %s: %w", call.Op, err)
	}
	st := &callState{}
	rc := b.retryClient(call, st)
	resp, err := rc.Do(rreq)
	if resp == nil {
		return b.transportError(ctx, call, st, err)
	}
	// err is set alongside resp only when CheckRetry stopped because ctx ended: the caller
	// gave up on an answer that would otherwise have been retried.
	return b.finish(call, st, resp, err, out)
}

// retryClient builds the go-retryablehttp client for one call. It is built per call so that
// its policy closures can see the call's class and state: CheckRetry alone cannot tell a
// POST from a GET when the connection failed (there is no response to look at).
func (b *Backend) retryClient(call Call, st *callState) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   b.attempt,
		Logger:       nil, // its default logger prints every request to stderr; we log ourselves
		RetryWaitMin: b.cfg.RetryWaitMin,
		RetryWaitMax: b.cfg.RetryWaitMax,
		RetryMax:     b.cfg.MaxRetries,
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, _ int) {
			st.attempts++
			b.logRequest(call, st, req)
		},
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			f := classify(resp, err)
			if f == ambiguous {
				st.maybeApplied = true
			}
			b.logAttempt(ctx, call, st, resp, err, f)
			if ctxErr := ctx.Err(); ctxErr != nil {
				return false, ctxErr
			}
			return call.Class.retryable(f), nil
		},
		Backoff: func(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
			d := waitFor(attempt, resp, min, max, b.cfg.MaxServerWait, b.cfg.Now(), b.cfg.Jitter)
			if b.cfg.Logger.Enabled(context.Background(), slog.LevelDebug) {
				b.cfg.Logger.Debug("rebilly retry", "op", call.Op, "next_attempt", st.attempts+1, "wait", d)
			}
			return b.cfg.Wait(d)
		},
		// Hand back the last response when retries run out (the default drains and closes it),
		// so the caller gets the server's problem details, not just "giving up".
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// logRequest logs an attempt about to be sent: the operation, the URL path and the headers,
// with credentials redacted. Bodies are never logged.
func (b *Backend) logRequest(call Call, st *callState, req *http.Request) {
	if !b.cfg.Logger.Enabled(req.Context(), slog.LevelDebug) {
		return
	}
	b.cfg.Logger.DebugContext(req.Context(), "rebilly request", "op", call.Op, "attempt", st.attempts,
		"method", req.Method, "path", req.URL.Path, "headers", redact.Header(req.Header))
}

func (b *Backend) logAttempt(ctx context.Context, call Call, st *callState, resp *http.Response, err error, f failure) {
	if !b.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []any{"op", call.Op, "attempt", st.attempts}
	if resp != nil {
		attrs = append(attrs, "status", resp.StatusCode)
	}
	if err != nil {
		attrs = append(attrs, "error_class", failureNames[f])
	}
	b.cfg.Logger.DebugContext(ctx, "rebilly attempt", attrs...)
}

var failureNames = [...]string{noFailure: "none", notSent: "not-sent", refused: "refused", ambiguous: "ambiguous", permanent: "permanent"}

// transportError turns a call that ended with no response into the caller's error.
func (b *Backend) transportError(ctx context.Context, call Call, st *callState, err error) error {
	if err == nil {
		err = errors.New("no response")
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w: %w", ctxErr, err)
	}
	if st.maybeApplied && call.Recovery != "" {
		return &errs.OutcomeUnknownError{Op: call.Op, RequestID: call.RequestID, Attempts: st.attempts, Recovery: call.recovery(), Err: err}
	}
	if st.attempts > 1 {
		return fmt.Errorf("rebilly: %s: giving up after %d attempts: %w", call.Op, st.attempts, err)
	}
	return fmt.Errorf("rebilly: %s: %w", call.Op, err)
}

// finish reads the final response and decodes it into out or into a typed error.
func (b *Backend) finish(call Call, st *callState, resp *http.Response, stopErr error, out any) error {
	defer resp.Body.Close()
	body, readErr := readLimited(resp.Body, b.cfg.MaxResponseBytes)

	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		if readErr == nil {
			readErr = checkJSONContentType(resp.Header.Get("Content-Type"))
		}
		if readErr == nil {
			readErr = decodeJSON(body, out, hasMember(body, call.FreeForm))
		}
		if readErr != nil {
			return &errs.MalformedResponseError{Op: call.Op, StatusCode: resp.StatusCode, RequestID: call.RequestID, Err: readErr}
		}
		return nil
	}

	apiErr := newAPIError(call, resp, body, b.cfg.Now())
	apiErr.Attempts = st.attempts
	var cause error = apiErr
	if stopErr != nil {
		cause = fmt.Errorf("%w (last answer: %w)", stopErr, apiErr)
	}
	switch {
	case resp.StatusCode == http.StatusConflict && call.RequestID != "" && (st.attempts > 1 || call.RequestIDFromCaller):
		return &errs.DuplicateRequestError{RequestID: call.RequestID, Attempts: st.attempts, Err: apiErr}
	case call.Recovery != "" && st.maybeApplied:
		return &errs.OutcomeUnknownError{Op: call.Op, RequestID: call.RequestID, Attempts: st.attempts, Recovery: call.recovery(), Err: cause}
	case stopErr != nil:
		return fmt.Errorf("rebilly: %s: %w", call.Op, cause)
	}
	return apiErr
}

// errTooLarge is returned when a response body exceeds the configured limit.
var errTooLarge = errors.New("response body exceeds the size limit")

// readLimited reads at most limit bytes; a longer body yields what was read and errTooLarge.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return body, err
	}
	if int64(len(body)) > limit {
		return body[:limit], fmt.Errorf("%w (%d bytes)", errTooLarge, limit)
	}
	return body, nil
}

// decodeJSON decodes a 2xx body. An empty body is an error: every operation here answers
// with the resource, and an empty "success" must not become a zero-valued result.
func decodeJSON(body []byte, out any, freeForm bool) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return errors.New("empty body")
	case trimmed[0] != '{':
		// null, an array or a bare value would leave out zero-valued without an error.
		return errors.New("body is not a JSON object")
	}
	if !freeForm {
		return json.Unmarshal(body, out) // also rejects data after the object
	}
	// UseNumber keeps numbers in free-form members (customFields, _embedded) as their exact
	// text, as money.Amount does for amounts; a float64 would turn 10.50 into 10.5.
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}

// FreeFormMembers returns the top-level JSON members of the struct type t under which an
// any-typed value sits, sorted: what a service must name in Call.FreeForm. Tests use it to
// keep those lists in step with the generated types.
func FreeFormMembers(t reflect.Type) []string {
	found := map[string]bool{}
	var walk func(reflect.Type, string, map[reflect.Type]bool)
	walk = func(typ reflect.Type, top string, seen map[reflect.Type]bool) {
		switch typ.Kind() {
		case reflect.Interface:
			found[top] = true
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(typ.Elem(), top, seen)
		case reflect.Struct:
			if seen[typ] {
				return
			}
			seen[typ] = true
			for i := range typ.NumField() {
				f := typ.Field(i)
				if !f.IsExported() {
					continue
				}
				name := top
				if name == "" {
					name, _, _ = strings.Cut(f.Tag.Get("json"), ",")
				}
				walk(f.Type, name, seen)
			}
		}
	}
	walk(t, "", map[reflect.Type]bool{})
	return slices.Sorted(maps.Keys(found))
}

// hasMember reports whether body may hold one of the named members: it looks for the quoted
// name, so a string value with that text also says yes, which only costs the slower decoder.
func hasMember(body []byte, names []string) bool {
	for _, name := range names {
		if len(name)+2 <= len(body) && bytes.Contains(body, []byte(`"`+name+`"`)) {
			return true
		}
	}
	return false
}

// checkJSONContentType accepts a missing Content-Type and any JSON media type
// (application/json, application/problem+json); anything else, such as the HTML page of a
// captive proxy answering 200, is not a result.
func checkJSONContentType(ct string) error {
	if ct == "" || ct == "application/json" {
		return nil
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("unreadable Content-Type %q", ct)
	}
	if mediaType == "application/json" || strings.HasSuffix(mediaType, "+json") {
		return nil
	}
	return fmt.Errorf("Content-Type %q is not JSON", mediaType)
}

// problem is the problem-details body (RFC 9457) as Rebilly sends it. Fields that arrive with
// an unexpected JSON type are ignored rather than failing the whole error.
type problem struct {
	Type          json.RawMessage `json:"type"`
	Title         json.RawMessage `json:"title"`
	Detail        json.RawMessage `json:"detail"`
	Instance      json.RawMessage `json:"instance"`
	InvalidFields json.RawMessage `json:"invalidFields"`
}

func newAPIError(call Call, resp *http.Response, body []byte, now time.Time) *errs.APIError {
	e := &errs.APIError{StatusCode: resp.StatusCode, RequestID: call.RequestID}
	e.Method, e.Path = splitOp(call.Op)
	if at, ok := RetryAfterTime(resp.Header, now); ok {
		e.RetryAfter = at
	}
	e.Body = body[:min(len(body), errs.MaxErrorBody)]
	var p problem
	if json.Unmarshal(body, &p) == nil {
		e.Type, e.Title, e.Detail, e.Instance = str(p.Type), str(p.Title), str(p.Detail), str(p.Instance)
		var fields []errs.InvalidField
		if json.Unmarshal(p.InvalidFields, &fields) == nil {
			e.InvalidFields = fields
		}
	}
	return e
}

func str(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func splitOp(op string) (method, path string) {
	for i := 0; i < len(op); i++ {
		if op[i] == ' ' {
			return op[:i], op[i+1:]
		}
	}
	return "", op
}

// toRetryable wraps req for go-retryablehttp without copying its body: the body gen/ built is
// replayed from req.GetBody on every attempt, byte for byte.
func toRetryable(req *http.Request) (*retryablehttp.Request, error) {
	getBody, length := req.GetBody, req.ContentLength
	req.Body, req.GetBody = nil, nil
	rreq, err := retryablehttp.FromRequest(req)
	if err != nil {
		return nil, err
	}
	if getBody != nil {
		if err := rreq.SetBody(retryablehttp.ReaderFunc(func() (io.Reader, error) { return getBody() })); err != nil {
			return nil, err
		}
		rreq.ContentLength = length
	}
	return rreq, nil
}

// keepIdle hides the wrapped transport's CloseIdleConnections (see New).
type keepIdle struct{ http.RoundTripper }
