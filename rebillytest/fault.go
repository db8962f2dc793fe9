package rebillytest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrDropped is the error an httpmock responder of the Handler (RegisterOn) returns for a
// dropped connection (DropBeforeCommit, DropAfterCommit). On a real server (NewServer) the
// connection is closed instead, and the client sees an EOF.
var ErrDropped = errors.New("rebillytest: connection dropped by an injected fault")

// faultKind says when a fault strikes and what it does.
type faultKind int

const (
	faultStatusBefore faultKind = iota + 1 // answer a status without processing
	faultDropBefore                        // close the connection without processing
	faultDropAfter                         // process, then close the connection unanswered
	faultStatusAfter                       // process, then answer a status
)

// Fault is a failure the Handler injects instead of its normal answer (see Handler.FailNext
// and Handler.FailRandomly). Build one with StatusBeforeCommit, RateLimited, Unavailable,
// DropBeforeCommit, DropAfterCommit or StatusAfterCommit, and refine it with the With...
// and For methods. A Fault is an immutable value: its methods return modified copies.
//
// "Before commit" faults strike before the request is processed: nothing is stored, and
// the request's credentials are not even looked at. "After commit" faults strike after the
// request was processed and its effect stored (a payout request created, a payout paid),
// which is the failure that makes retries dangerous.
type Fault struct {
	kind        faultKind
	status      int
	headers     [][2]string
	contentType string
	body        []byte
	ops         []Operation
}

// StatusBeforeCommit answers status (4xx or 5xx) without processing the request, with a
// problem-details body unless WithBody gives another.
func StatusBeforeCommit(status int) Fault {
	checkStatus("StatusBeforeCommit", status)
	return Fault{kind: faultStatusBefore, status: status}
}

// StatusAfterCommit processes the request and stores its effect, then answers status (4xx
// or 5xx) instead of the result, with a problem-details body unless WithBody gives another.
func StatusAfterCommit(status int) Fault {
	checkStatus("StatusAfterCommit", status)
	return Fault{kind: faultStatusAfter, status: status}
}

// RateLimited answers 429 Too Many Requests without processing the request, with Rebilly's
// X-RateLimit-Retry-After header set to retryAt (in Unix seconds), and X-RateLimit-Limit and
// X-RateLimit-Remaining reporting a spent budget. A retryAt in the past (such as time.Unix(1,
// 0)) tells clients to retry at once.
func RateLimited(retryAt time.Time) Fault {
	return StatusBeforeCommit(http.StatusTooManyRequests).
		WithHeader("X-RateLimit-Retry-After", strconv.FormatInt(retryAt.Unix(), 10)).
		WithHeader("X-RateLimit-Limit", strconv.Itoa(DefaultRateLimit)).
		WithHeader("X-RateLimit-Remaining", "0")
}

// Unavailable answers 503 Service Unavailable without processing the request, with a
// Retry-After header of retryAfter in whole seconds (0 tells clients to retry at once).
func Unavailable(retryAfter time.Duration) Fault {
	return StatusBeforeCommit(http.StatusServiceUnavailable).
		WithHeader("Retry-After", strconv.FormatInt(int64(retryAfter/time.Second), 10))
}

// DropBeforeCommit closes the connection without processing the request or answering it.
//
// On a real server (NewServer), Go's http.Transport itself repeats a GET (or HEAD, OPTIONS,
// or a request with an Idempotency-Key header) whose reused keep-alive connection closes
// before any byte of the answer, before its caller sees an error: the Handler then records
// the dropped request and the transport's repeat, and the call may succeed with no retry of
// the SDK's. Over httpmock (RegisterOn) every drop reaches the client as an error. Drops of
// POST and PUT behave the same on both.
func DropBeforeCommit() Fault { return Fault{kind: faultDropBefore} }

// DropAfterCommit processes the request and stores its effect, then closes the connection
// without answering: the client cannot tell whether it went through. See DropBeforeCommit
// for how Go's transport repeats a GET on its own.
func DropAfterCommit() Fault { return Fault{kind: faultDropAfter} }

// WithHeader returns a copy of f that also sets the response header key to value (for the
// status faults; a dropped connection has no headers).
func (f Fault) WithHeader(key, value string) Fault {
	f.headers = append(slices.Clip(f.headers), [2]string{key, value})
	return f
}

// WithBody returns a copy of f that answers body with the given Content-Type instead of a
// problem-details body (for the status faults), such as the HTML page of a proxy.
func (f Fault) WithBody(contentType string, body []byte) Fault {
	f.contentType, f.body = contentType, slices.Clone(body)
	return f
}

// For returns a copy of f that strikes only requests for the given operations. A queued
// fault that does not apply to a request stays queued for a later one.
func (f Fault) For(ops ...Operation) Fault {
	f.ops = slices.Clone(ops)
	return f
}

// appliesTo reports whether f strikes a request for op.
func (f Fault) appliesTo(op Operation) bool {
	return len(f.ops) == 0 || slices.Contains(f.ops, op)
}

func (f Fault) beforeCommit() bool { return f.kind == faultStatusBefore || f.kind == faultDropBefore }

func (f Fault) drops() bool { return f.kind == faultDropBefore || f.kind == faultDropAfter }

// String describes the fault, as recorded in Request.Fault.
func (f Fault) String() string {
	var s string
	switch f.kind {
	case faultStatusBefore:
		s = fmt.Sprintf("status %d before commit", f.status)
	case faultStatusAfter:
		s = fmt.Sprintf("status %d after commit", f.status)
	case faultDropBefore:
		s = "drop before commit"
	case faultDropAfter:
		s = "drop after commit"
	default:
		return "no fault"
	}
	if len(f.ops) > 0 {
		names := make([]string, len(f.ops))
		for i, op := range f.ops {
			names[i] = string(op)
		}
		s += " for " + strings.Join(names, ", ")
	}
	return s
}

func checkStatus(fn string, status int) {
	if status < 400 || status > 599 {
		panic(fmt.Sprintf("rebillytest: %s: %d is not an error status (400..599)", fn, status))
	}
}

// FailNext queues f for the next n requests it applies to (every request, unless f.For
// narrows it). Queued faults strike in the order they were queued, before any random fault
// of FailRandomly. It panics when n is negative.
func (h *Handler) FailNext(n int, f Fault) {
	if n < 0 {
		panic(fmt.Sprintf("rebillytest: FailNext: negative count %d", n))
	}
	if f.kind == 0 {
		panic("rebillytest: FailNext: the zero Fault; build one with StatusBeforeCommit, DropAfterCommit...")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for range n {
		h.queued = append(h.queued, f)
	}
}

// FailRandomly makes each request that no queued fault strikes fail, with probability rate,
// with one of faults picked at random (the ones whose For admits the request). The draws
// come from a generator seeded with seed and are made under the Handler's lock, so a test
// that sends its requests one at a time sees the same faults on every run. A rate of 0 (or
// no faults) turns random faults off. It panics when rate is outside [0, 1].
func (h *Handler) FailRandomly(rate float64, faults []Fault, seed int64) {
	if !(rate >= 0 && rate <= 1) {
		panic(fmt.Sprintf("rebillytest: FailRandomly: rate %v is outside [0, 1]", rate))
	}
	for _, f := range faults {
		if f.kind == 0 {
			panic("rebillytest: FailRandomly: the zero Fault; build one with StatusBeforeCommit, DropAfterCommit...")
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if rate == 0 || len(faults) == 0 {
		h.random = nil
		return
	}
	h.random = &randomFaults{
		rate:   rate,
		faults: slices.Clone(faults),
		rng:    rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)),
	}
}

// PendingFaults returns how many faults FailNext queued that have not struck yet.
func (h *Handler) PendingFaults() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.queued)
}

type randomFaults struct {
	rate   float64
	faults []Fault
	rng    *rand.Rand
}

// takeFault returns the fault that strikes a request for op, if any. h.mu must be held.
func (h *Handler) takeFault(op Operation) (Fault, bool) {
	for i, f := range h.queued {
		if f.appliesTo(op) {
			h.queued = slices.Delete(h.queued, i, i+1)
			return f, true
		}
	}
	if r := h.random; r != nil {
		// Always draw twice, so that the sequence does not depend on which faults apply.
		hit := r.rng.Float64() < r.rate
		pick := r.rng.Uint64()
		if !hit {
			return Fault{}, false
		}
		var candidates []Fault
		for _, f := range r.faults {
			if f.appliesTo(op) {
				candidates = append(candidates, f)
			}
		}
		if len(candidates) > 0 {
			return candidates[pick%uint64(len(candidates))], true
		}
	}
	return Fault{}, false
}
