package rebillytest

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/redact"
)

// Operation names one of the operations the Handler serves, as "METHOD /path".
type Operation string

// The operations of openapi.yaml.
const (
	OpCreatePayoutRequest Operation = "POST /payout-requests"
	OpUpsertPayoutRequest Operation = "PUT /payout-requests/{id}"
	OpGetPayoutRequest    Operation = "GET /payout-requests/{id}"
	OpCreatePayout        Operation = "POST /payouts"
	OpGetTransaction      Operation = "GET /transactions/{id}"

	// The payout request allocation operations (see allocations.go; the collection,
	// allocationlist.go).
	OpCreateAllocation   Operation = "POST /payout-request-allocations"
	OpAutoAllocate       Operation = "POST /payout-request-allocations/auto"
	OpProcessAllocations Operation = "POST /payout-request-allocations/process"
	OpGetAllocation      Operation = "GET /payout-request-allocations/{id}"
	OpUpdateAllocation   Operation = "PATCH /payout-request-allocations/{id}"
	OpListAllocations    Operation = "GET /payout-request-allocations"
)

// Request is one request the Handler received, as Handler.Requests returns it.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the escaped URL path, from /organizations on.
	Path string
	// RawQuery is the URL's query, without the "?".
	RawQuery string
	// Operation is the operation the request was routed to, empty when it matched none.
	Operation Operation
	// Header holds the request headers, with the values of REB-APIKEY and Authorization
	// replaced by "[REDACTED]".
	Header http.Header
	// Body is the request body (at most MaxRequestBytes of it).
	Body []byte
	// Time is when the request arrived, by the Handler's clock.
	Time time.Time
	// Status is the status answered, 0 while the request is in progress and when the
	// connection was dropped or the answer reset (DropBeforeCommit, DropAfterCommit,
	// ResetAfterCommit). For CutSuccessBody it is the status sent before the body was cut.
	Status int
	// Fault describes the fault injected into the request ([Fault.String]), empty when none
	// and while the request is in progress. A success-shaped fault (see [Fault]) is only
	// recorded for the requests it struck, those that succeeded.
	Fault string
}

// Redacted replaces credential header values in Request.Header.
const Redacted = redact.Text

// Handler is an in-memory, stateful fake of Rebilly's payout operations: an http.Handler
// that serves the operations the package documentation lists under
// /organizations/{organizationId}. Create it with NewHandler (or NewServer, which serves one
// over HTTP). It is safe for concurrent use: every request is processed under one lock, so
// concurrent payouts and allocations against one payout request never over-allocate it. A
// Handler that delivers notifications (see [Handler.SettlePayout]) should be closed when
// done with ([Handler.Close]; [Server.Close] does it).
type Handler struct {
	cfg       config
	validator func() (*validator, error)

	mu         sync.Mutex
	seq        uint64
	prs        map[string]*gen.PayoutRequest
	prOrder    []string
	txs        map[string]*gen.Transaction
	txOrder    []string
	requestIDs map[string]seenRequestID
	requests   []*Request
	queued     []queuedFault
	queueSeq   uint64 // the seq of the last fault queued
	gen        uint64 // counts Resets, so that a fault taken before one is not requeued after it
	random     *randomFaults
	rateStart  time.Time
	rateUsed   int
	settle     settlement // payouts whose result is not final yet, and their rule
	notify     notifier   // notifications delivered or being delivered
}

// seenRequestID remembers which transaction a requestId created, and when.
type seenRequestID struct {
	txID string
	at   time.Time
}

// response is an answer before it is written, or a dropped connection, or a reset.
type response struct {
	status int
	header http.Header
	body   []byte
	drop   bool // close the connection unanswered
	reset  bool // abort the answer before any byte of it: a reset stream on HTTP/2
	cut    bool // send status, headers and body[:cutAt], then abort
	cutAt  int
}

// NewHandler returns a Handler configured by opts, with no resources. It panics when an
// option is given a value it cannot use.
func NewHandler(opts ...Option) *Handler {
	h, err := newHandler(opts...)
	if err != nil {
		panic(err)
	}
	return h
}

func newHandler(opts ...Option) (*Handler, error) {
	cfg := defaultConfig()
	var problems []error
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			problems = append(problems, err)
		}
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	h := &Handler{cfg: cfg, validator: sync.OnceValues(newValidator)}
	if h.cfg.newID == nil {
		h.cfg.newID = h.defaultID
	}
	h.notify.init()
	h.resetLocked()
	return h, nil
}

// Reset forgets every payout request, transaction, requestId, recorded request, queued or
// random fault, spent rate limit, payout outcome rule set by [Handler.SetPayoutOutcome] and
// delivery record, as if the Handler were new. Its options stay. Deliveries in progress go
// on (until [Handler.Close]), but are no longer listed.
func (h *Handler) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.resetLocked()
}

func (h *Handler) resetLocked() {
	h.seq = 0
	h.prs = map[string]*gen.PayoutRequest{}
	h.prOrder = nil
	h.txs = map[string]*gen.Transaction{}
	h.txOrder = nil
	h.requestIDs = map[string]seenRequestID{}
	h.requests = nil
	h.queued = nil
	h.gen++
	h.random = nil
	h.rateStart, h.rateUsed = time.Time{}, 0
	h.settle.reset()
	h.notify.resetLocked()
}

// ServeHTTP answers one request. A dropped connection (DropBeforeCommit, DropAfterCommit) is
// closed through http.Hijacker; on a ResponseWriter that cannot be hijacked (HTTP/2,
// httptest.ResponseRecorder) ServeHTTP panics with [http.ErrAbortHandler], which net/http
// servers turn into a reset stream. ResetAfterCommit always panics so, and CutSuccessBody
// does after it flushed the first half of the body: net/http servers close an HTTP/1
// connection and reset an HTTP/2 stream on that panic, without logging it. Anything else
// that calls ServeHTTP must expect the panic.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	resp := h.serve(r, r.URL.EscapedPath(), scheme+"://"+r.Host)
	switch {
	case resp.reset:
		panic(http.ErrAbortHandler)
	case resp.drop:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		_ = conn.Close()
		return
	}
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	if _, ok := resp.header["Content-Type"]; !ok {
		// A nil value stops net/http from sniffing a Content-Type from the body, so that an
		// answer without one (SuccessWithBody("", ...)) is the same as over httpmock.
		w.Header()["Content-Type"] = nil
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	if !resp.cut {
		_, _ = w.Write(resp.body)
		return
	}
	// The flush puts the status, headers and half body on the wire before the panic aborts
	// the rest: without it they would sit in the ResponseWriter's buffer and be discarded.
	_, _ = w.Write(resp.body[:resp.cutAt])
	_ = http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler)
}

// serve records the request, injects a fault or processes it, and returns the answer.
// escapedPath starts at /organizations; origin is the scheme, host and any path prefix the
// client used, for the URLs in links and Location headers.
func (h *Handler) serve(r *http.Request, escapedPath, origin string) *response {
	body, readErr := readBody(r.Body)
	rt := parseRoute(r.Method, escapedPath)
	rec := &Request{
		Method:    r.Method,
		Path:      escapedPath,
		RawQuery:  r.URL.RawQuery,
		Operation: rt.op,
		Header:    redact.Header(r.Header),
		Body:      body,
	}

	h.mu.Lock()
	rec.Time = h.cfg.clock()
	h.requests = append(h.requests, rec)
	taken, struck := h.takeFault(rt.op) // until a success-shaped fault finds no success
	h.mu.Unlock()

	var resp *response
	switch {
	case struck && taken.f.beforeCommit():
		resp = taken.f.response(nil)
	default:
		resp = h.process(r, rt, escapedPath, body, readErr, origin)
		if struck && taken.f.successShaped() && (resp.status < 200 || resp.status > 299) {
			// There is no success to break: the client gets the real failure.
			struck = false
			h.mu.Lock()
			h.requeueLocked(taken)
			h.mu.Unlock()
		}
		if struck {
			resp = taken.f.response(resp)
		}
	}

	h.mu.Lock()
	if struck {
		rec.Fault = taken.f.String()
	}
	if !resp.drop && !resp.reset {
		rec.Status = resp.status
	}
	h.mu.Unlock()
	return resp
}

// response is the answer a fault gives instead of normal, the Handler's (nil for the
// faults before commit).
func (f Fault) response(normal *response) *response {
	var r *response
	switch {
	case f.drops():
		return &response{drop: true}
	case f.kind == faultResetAfter:
		return &response{reset: true}
	case f.successShaped():
		// The status and headers (Location, X-RateLimit-*) stay those of the success: only
		// the body is broken, which is what code reading the answer has to notice.
		r = &response{status: normal.status, header: normal.header.Clone(), body: normal.body}
		if f.kind == faultNoID {
			r.header.Set("Content-Type", "application/json")
			r.body = []byte("{}")
		}
		if f.hasBody {
			r.header.Del("Content-Type")
			if f.contentType != "" {
				r.header.Set("Content-Type", f.contentType)
			}
			r.body = f.body
		}
		if f.kind == faultCutBody {
			r.cut, r.cutAt = true, len(r.body)/2
		}
	case f.hasBody:
		r = &response{status: f.status, header: http.Header{}, body: f.body}
		if f.contentType != "" {
			r.header.Set("Content-Type", f.contentType)
		}
	default:
		when := "before the request was processed"
		if f.kind == faultStatusAfter {
			when = "after the request was processed"
		}
		r = newProblem(f.status, "injected fault: status "+strconv.Itoa(f.status)+" "+when).response()
	}
	replaced := map[string]bool{}
	for _, kv := range f.headers {
		key := http.CanonicalHeaderKey(kv[0])
		if !replaced[key] {
			r.header.Del(key)
			replaced[key] = true
		}
		r.header.Add(key, kv[1])
	}
	return r
}

// process authenticates, routes, validates and carries out a request.
func (h *Handler) process(r *http.Request, rt route, escapedPath string, body []byte, readErr error, origin string) *response {
	if p := h.authenticate(r.Header); p != nil {
		return p.response()
	}
	switch {
	case !rt.found:
		return newProblem(http.StatusNotFound, "no resource at "+escapedPath).response()
	case rt.org != h.cfg.organizationID:
		return newProblem(http.StatusUnauthorized, fmt.Sprintf("the credential is not valid for organization %q", rt.org)).response()
	case rt.op == "":
		p := newProblem(http.StatusMethodNotAllowed, r.Method+" is not allowed here; allowed: "+rt.allow)
		p.header = http.Header{"Allow": {rt.allow}}
		return p.response()
	case errors.Is(readErr, errTooLarge):
		return newProblem(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body exceeds %d bytes", MaxRequestBytes)).response()
	case readErr != nil:
		return newProblem(http.StatusBadRequest, "the request body cannot be read: "+readErr.Error()).response()
	}

	h.mu.Lock()
	now := h.cfg.clock().UTC().Truncate(time.Second)
	var rate http.Header
	if r.Method != http.MethodGet {
		var p *problem
		if rate, p = h.spendRateLimit(now); p != nil {
			h.mu.Unlock()
			return p.response()
		}
	}
	h.mu.Unlock()

	if h.cfg.strict {
		v, err := h.validator()
		if err != nil {
			return newProblem(http.StatusInternalServerError, err.Error()).response()
		}
		query := r.URL.RawQuery
		if rt.op == OpListPayoutRequests || rt.op == OpListAllocations {
			query = h.listQueryForValidation(query)
		}
		if p := v.validate(r.Context(), r.Method, escapedPath, query, r.Header, body); p != nil {
			p.header = rate
			return p.response()
		}
	}

	links := linkBase{origin: origin, org: rt.org}
	h.mu.Lock()
	defer h.mu.Unlock()
	var resp *response
	switch rt.op {
	case OpCreatePayoutRequest:
		resp = h.createPayoutRequest(body, now, links)
	case OpUpsertPayoutRequest:
		resp = h.upsertPayoutRequest(rt.id, body, now, links)
	case OpGetPayoutRequest:
		resp = h.getPayoutRequest(rt.id)
	case OpCreatePayout:
		resp = h.createPayout(body, now, links)
	case OpGetTransaction:
		resp = h.getTransaction(rt.id, r.Header.Get("Accept"), now)
	case OpListPayoutRequests:
		resp = h.listPayoutRequests(r.URL.RawQuery)
	case OpCancelPayoutRequest:
		resp = h.cancelPayoutRequest(rt.id, body, now, links)
	case OpCreateAllocation:
		resp = h.createAllocation(body, now, links)
	case OpAutoAllocate:
		resp = h.autoAllocate(body, now, links)
	case OpProcessAllocations:
		resp = h.processAllocations(body, now)
	case OpGetAllocation:
		resp = h.getAllocation(rt.id, now)
	case OpUpdateAllocation:
		resp = h.updateAllocation(rt.id, body, now)
	case OpListAllocations:
		resp = h.listAllocations(r.URL.RawQuery)
	}
	for k, v := range rate {
		resp.header[k] = v
	}
	return resp
}

// authenticate accepts the configured API key in REB-APIKEY, or the configured JWT as a
// bearer token.
func (h *Handler) authenticate(header http.Header) *problem {
	if key := header.Get("REB-APIKEY"); key != "" && h.cfg.apiKey != "" &&
		subtle.ConstantTimeCompare([]byte(key), []byte(h.cfg.apiKey)) == 1 {
		return nil
	}
	if auth := header.Get("Authorization"); h.cfg.jwt != "" && len(auth) > len("Bearer ") &&
		strings.EqualFold(auth[:len("Bearer ")], "Bearer ") &&
		subtle.ConstantTimeCompare([]byte(auth[len("Bearer "):]), []byte(h.cfg.jwt)) == 1 {
		return nil
	}
	detail := "the request carries no valid credential: send the API key in the REB-APIKEY header"
	if h.cfg.jwt != "" {
		detail += ", or the JWT as Authorization: Bearer <token>"
	}
	return newProblem(http.StatusUnauthorized, detail)
}

// spendRateLimit counts a non-GET request against the budget and returns the headers that
// report it, or the 429 to answer when the budget is enforced and spent. h.mu must be held.
func (h *Handler) spendRateLimit(now time.Time) (http.Header, *problem) {
	if h.rateStart.IsZero() || !now.Before(h.rateStart.Add(h.cfg.rateWindow)) {
		h.rateStart, h.rateUsed = now, 0
	}
	limit := strconv.Itoa(h.cfg.rateLimit)
	if h.cfg.enforceRateLimit && h.rateUsed >= h.cfg.rateLimit {
		p := newProblem(http.StatusTooManyRequests, fmt.Sprintf("the organization has used its %d requests of this period", h.cfg.rateLimit))
		p.header = http.Header{
			"X-Ratelimit-Limit":       {limit},
			"X-Ratelimit-Remaining":   {"0"},
			"X-Ratelimit-Retry-After": {strconv.FormatInt(h.rateStart.Add(h.cfg.rateWindow).Unix(), 10)},
		}
		return nil, p
	}
	h.rateUsed++
	return http.Header{
		"X-Ratelimit-Limit":     {limit},
		"X-Ratelimit-Remaining": {strconv.Itoa(max(h.cfg.rateLimit-h.rateUsed, 0))},
	}, nil
}

// route is where a request goes.
type route struct {
	found bool      // the path is one of the API's
	org   string    // the organization in the path
	id    string    // the {id} path parameter, unescaped
	op    Operation // the operation, empty when the method is not allowed
	allow string    // the methods the path allows
}

func parseRoute(method, escapedPath string) route {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	if len(segs) < 3 || segs[0] != "organizations" {
		return route{}
	}
	org, err := url.PathUnescape(segs[1])
	if err != nil || org == "" {
		return route{}
	}
	rt := route{found: true, org: org}
	if segs[2] == "payout-request-allocations" {
		return allocationRoute(rt, method, segs[3:])
	}
	switch {
	case len(segs) == 3 && segs[2] == "payout-requests":
		rt.allow = "GET, POST"
		switch method {
		case http.MethodGet:
			rt.op = OpListPayoutRequests
		case http.MethodPost:
			rt.op = OpCreatePayoutRequest
		}
	case len(segs) == 5 && segs[2] == "payout-requests" && segs[3] != "" && segs[4] == "cancel":
		id, err := url.PathUnescape(segs[3])
		if err != nil {
			return route{}
		}
		rt.id, rt.allow = id, http.MethodPost
		if method == http.MethodPost {
			rt.op = OpCancelPayoutRequest
		}
	case len(segs) == 4 && segs[2] == "payout-requests" && segs[3] != "":
		id, err := url.PathUnescape(segs[3])
		if err != nil {
			return route{}
		}
		rt.id, rt.allow = id, "GET, PUT"
		switch method {
		case http.MethodGet:
			rt.op = OpGetPayoutRequest
		case http.MethodPut:
			rt.op = OpUpsertPayoutRequest
		}
	case len(segs) == 3 && segs[2] == "payouts":
		rt.allow = http.MethodPost
		if method == http.MethodPost {
			rt.op = OpCreatePayout
		}
	case len(segs) == 4 && segs[2] == "transactions" && segs[3] != "":
		id, err := url.PathUnescape(segs[3])
		if err != nil {
			return route{}
		}
		rt.id, rt.allow = id, http.MethodGet
		if method == http.MethodGet {
			rt.op = OpGetTransaction
		}
	default:
		return route{}
	}
	return rt
}

var errTooLarge = errors.New("request body too large")

func readBody(body io.Reader) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(body, MaxRequestBytes+1))
	if err != nil {
		return b, err
	}
	if len(b) > MaxRequestBytes {
		return b[:MaxRequestBytes], errTooLarge
	}
	return b, nil
}

// Requests returns a copy of every request received since the Handler was created or Reset,
// in the order they arrived, credentials redacted.
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Request, len(h.requests))
	for i, r := range h.requests {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		out[i].Body = bytes.Clone(r.Body)
	}
	return out
}

// crockford is the alphabet of the default ids: digits and upper-case letters without I, L,
// O and U.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// defaultID returns prefix and 26 characters: 10 for the clock's milliseconds and 16 for a
// counter, as in a ULID. h.mu is held.
func (h *Handler) defaultID(prefix string) string {
	h.seq++
	var b [26]byte
	ms := uint64(max(h.cfg.clock().UnixMilli(), 0))
	for i := 9; i >= 0; i-- {
		b[i] = crockford[ms&31]
		ms >>= 5
	}
	n := h.seq
	for i := 25; i >= 10; i-- {
		b[i] = crockford[n&31]
		n >>= 5
	}
	return prefix + string(b[:])
}
