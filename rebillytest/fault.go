package rebillytest

import (
	"cmp"
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
// dropped connection (DropBeforeCommit, DropAfterCommit), and that [ErrReset] wraps. On a
// real server (NewServer) the connection is closed instead, and the client sees an EOF.
var ErrDropped = errors.New("rebillytest: connection dropped by an injected fault")

// ErrReset is the error an httpmock responder of the Handler (RegisterOn) returns for
// ResetAfterCommit, where a real HTTP/2 server resets the request's stream. It wraps
// ErrDropped, so that errors.Is(err, [ErrDropped]) holds for every request the Handler left
// unanswered, while errors.Is(err, ErrReset) tells a reset from a drop.
var ErrReset = fmt.Errorf("rebillytest: stream reset by an injected fault: %w", ErrDropped)

// faultKind says when a fault strikes and what it does.
type faultKind int

const (
	faultStatusBefore faultKind = iota + 1 // answer a status without processing
	faultDropBefore                        // close the connection without processing
	faultDropAfter                         // process, then close the connection unanswered
	faultStatusAfter                       // process, then answer a status
	faultResetAfter                        // process, then abort the answer (RST_STREAM on HTTP/2)
	faultCutBody                           // process, then send part of the success body and abort
	faultNoID                              // process, then answer the success status with {}
	faultSuccessBody                       // process, then answer the success status with another body
)

// Fault is a failure the Handler injects instead of its normal answer (see
// [Handler.FailNext] and [Handler.FailRandomly]). Build one with [StatusBeforeCommit],
// [RateLimited], [Unavailable], [DropBeforeCommit], [DropAfterCommit], [StatusAfterCommit],
// [ResetAfterCommit], [CutSuccessBody], [SuccessWithoutID] or [SuccessWithBody], and refine
// it with the With... and For methods. A Fault is an immutable value: its methods return
// modified copies.
//
// "Before commit" faults strike before the request is processed: nothing is stored, and
// the request's credentials are not even looked at. "After commit" faults strike after the
// request was processed and its effect stored (a payout request created, a payout paid),
// which is the failure that makes retries dangerous.
//
// CutSuccessBody, SuccessWithoutID and SuccessWithBody are success-shaped: they break the
// answer of a request that succeeded, keeping its 2xx status and headers (Location,
// X-RateLimit-*), to test the code that reads answers. They strike only requests whose
// normal answer is 2xx: a request that fails (a 401, a 422, a 404...) gets its real answer,
// and the fault is not recorded for it. A queued one (FailNext) then stays queued, in its
// place, for a later request; a random one (FailRandomly) is simply not injected.
type Fault struct {
	kind        faultKind
	status      int
	headers     [][2]string
	hasBody     bool // WithBody or SuccessWithBody gave the body
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

// ResetAfterCommit processes the request and stores its effect, then aborts the answer
// before any byte of it is sent: the handler panics with [http.ErrAbortHandler], which an
// HTTP/2 server (see [WithTLS]) turns into a RST_STREAM of the request's stream (code
// INTERNAL_ERROR, which Go's client never retries by itself) while the connection and its
// other streams live on. On HTTP/1 the server closes the connection, as DropAfterCommit
// does, and the client sees an EOF (see DropBeforeCommit for how Go's transport repeats a
// GET on its own then). Over httpmock (RegisterOn) the responder returns [ErrReset].
func ResetAfterCommit() Fault { return Fault{kind: faultResetAfter} }

// CutSuccessBody processes the request and stores its effect, then sends the normal 2xx
// status and headers, with the Content-Length of the whole body, but only the first half of
// the body before it aborts the answer. On HTTP/1 the server closes the connection after
// that half and the client's read of the body ends in [io.ErrUnexpectedEOF]; on HTTP/2 (see
// [WithTLS]) the stream is reset after it, and the read ends in a stream error. Over
// httpmock (RegisterOn) the response's Body yields the half and then io.ErrUnexpectedEOF.
// The request's Status is recorded, as it was sent. It is success-shaped (see [Fault]); with
// WithBody, the body given is cut instead of the normal one.
func CutSuccessBody() Fault { return Fault{kind: faultCutBody} }

// SuccessWithoutID processes the request and stores its effect, then answers the normal 2xx
// status and headers (Location included) with the body {}: valid JSON that holds no
// resource, so no id. It is success-shaped (see [Fault]).
func SuccessWithoutID() Fault { return Fault{kind: faultNoID} }

// SuccessWithBody processes the request and stores its effect, then answers the normal 2xx
// status and headers (Location included) with body as contentType instead of the resource:
// something that is not JSON, JSON cut short, the HTML page of a proxy... An empty
// contentType sends no Content-Type header at all (the server does not sniff one). It is
// success-shaped (see [Fault]).
func SuccessWithBody(contentType string, body []byte) Fault {
	return Fault{kind: faultSuccessBody}.WithBody(contentType, body)
}

// WithHeader returns a copy of f that also sets the response header key to value, for the
// faults that answer (the status and success-shaped ones; a dropped or reset request has no
// headers). The first WithHeader of a key replaces the value the answer would have had (a
// Location, a Content-Type); a second one of the same key adds a value.
func (f Fault) WithHeader(key, value string) Fault {
	f.headers = append(slices.Clip(f.headers), [2]string{key, value})
	return f
}

// WithBody returns a copy of f that answers body with the given Content-Type (none when
// contentType is empty) instead of a problem-details body for the status faults, such as
// the HTML page of a proxy, or instead of the resource for the success-shaped ones.
func (f Fault) WithBody(contentType string, body []byte) Fault {
	f.hasBody, f.contentType, f.body = true, contentType, slices.Clone(body)
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

// successShaped reports whether f breaks only answers that would have been 2xx.
func (f Fault) successShaped() bool {
	return f.kind == faultCutBody || f.kind == faultNoID || f.kind == faultSuccessBody
}

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
	case faultResetAfter:
		s = "reset after commit"
	case faultCutBody:
		s = "cut success body after commit"
	case faultNoID:
		s = "success without id after commit"
	case faultSuccessBody:
		s = fmt.Sprintf("success with %d-byte %q body after commit", len(f.body), f.contentType)
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
		h.queueSeq++
		h.queued = append(h.queued, queuedFault{f: f, seq: h.queueSeq})
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

// queuedFault is a fault of FailNext and its place in the queue, which a success-shaped fault
// taken by a request that failed returns to (see requeueLocked).
type queuedFault struct {
	f   Fault
	seq uint64
}

// takenFault is the fault a request took, and where it came from.
type takenFault struct {
	f      Fault
	queued bool   // taken from FailNext's queue
	seq    uint64 // its place there
	gen    uint64 // the Handler's generation (see Reset) when it was taken
}

// takeFault returns the fault that strikes a request for op, if any. h.mu must be held.
func (h *Handler) takeFault(op Operation) (takenFault, bool) {
	for i, q := range h.queued {
		if q.f.appliesTo(op) {
			h.queued = slices.Delete(h.queued, i, i+1)
			return takenFault{f: q.f, queued: true, seq: q.seq, gen: h.gen}, true
		}
	}
	if r := h.random; r != nil {
		// Always draw twice, so that the sequence does not depend on which faults apply.
		hit := r.rng.Float64() < r.rate
		pick := r.rng.Uint64()
		if !hit {
			return takenFault{}, false
		}
		var candidates []Fault
		for _, f := range r.faults {
			if f.appliesTo(op) {
				candidates = append(candidates, f)
			}
		}
		if len(candidates) > 0 {
			return takenFault{f: candidates[pick%uint64(len(candidates))], gen: h.gen}, true
		}
	}
	return takenFault{}, false
}

// requeueLocked puts back a queued fault that a request took but did not strike (a
// success-shaped fault on a request that failed), in the place it had, so that it strikes
// the next request it applies to as if the failed request had never taken it. A fault
// taken before a Reset is not put back: Reset forgot the queue it came from. h.mu must be
// held.
func (h *Handler) requeueLocked(t takenFault) {
	if !t.queued || t.gen != h.gen {
		return
	}
	i, _ := slices.BinarySearchFunc(h.queued, t.seq, func(q queuedFault, seq uint64) int { return cmp.Compare(q.seq, seq) })
	h.queued = slices.Insert(h.queued, i, queuedFault{f: t.f, seq: t.seq})
}
