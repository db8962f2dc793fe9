package errs

import (
	"fmt"
	"strings"
)

// NotAppliedError says a call failed without taking effect and without an answer from
// Rebilly to show for it: nothing was sent (a dial, DNS, proxy or TLS failure; the context
// ended first; the client was not usable), or the call only reads and its answer was lost. It
// matches ErrNotApplied, and unwraps to its cause (a net error, or the context's error) and
// to LastAnswer.
type NotAppliedError struct {
	// Op names the operation, such as "GET /payout-requests/{id}".
	Op string
	// Attempts is how many times the request was sent or tried.
	Attempts int
	// Err is the last failure.
	Err error
	// LastAnswer is the last answer, when the context ended while a refused or failed call
	// waited to be repeated; nil otherwise.
	LastAnswer *APIError
}

// Error names the operation and the cause.
func (e *NotAppliedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rebilly: %s: ", e.Op)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, "giving up after %d attempts: ", e.Attempts)
	}
	fmt.Fprintf(&b, "%v", e.Err)
	if e.LastAnswer != nil {
		fmt.Fprintf(&b, " (last answer: %v)", e.LastAnswer)
	}
	return b.String()
}

// Outcome returns NotApplied.
func (e *NotAppliedError) Outcome() Outcome { return NotApplied }

// Is matches ErrNotApplied.
func (e *NotAppliedError) Is(target error) bool { return isClass(target, NotApplied) }

// Unwrap returns the last failure and the last answer.
func (e *NotAppliedError) Unwrap() []error {
	if e.LastAnswer == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.LastAnswer}
}

// OutcomeUnknownError says a call may or may not have taken effect: the request was sent,
// and then the connection failed, the attempt timed out, the context ended, the server
// answered with an error that does not prove it did nothing (500, 502, 504), or it answered
// 2xx with a body that could not be used. Recovery says how to settle it. It matches
// ErrOutcomeUnknown, and unwraps to its cause (a net or decoding error, or the context's
// error) but never to an *APIError, so no status sentinel matches it: LastAnswer holds the
// last non-2xx answer.
type OutcomeUnknownError struct {
	// Op names the operation, such as "POST /payout-requests".
	Op string
	// RequestID is the requestId of a POST /payouts call: repeat the call with it to settle
	// the outcome without paying twice. Empty for other operations.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// StatusCode is the status of the last answer, 0 when the last attempt got none.
	StatusCode int
	// Location is the Location header of a 2xx answer whose body could not be used: the
	// resource the call created or changed.
	Location string
	// ResourceID is the id of the resource the call acted on, when known (from Location, the
	// body of a 2xx answer that could not otherwise be used, or the call's own path).
	ResourceID string
	// Body is the raw body of a 2xx answer that could not be used, at most MaxErrorBody bytes.
	Body []byte
	// LastAnswer is the last non-2xx answer, nil when there was none.
	LastAnswer *APIError
	// Recovery says how to find out what happened.
	Recovery string
	// Err is the last failure.
	Err error
}

// Error says what failed, that the outcome is unknown, and how to recover.
func (e *OutcomeUnknownError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rebilly: %s: outcome unknown after %d attempt(s)", e.Op, e.Attempts)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [requestId %s]", e.RequestID)
	}
	if e.ResourceID != "" {
		fmt.Fprintf(&b, " [id %s]", e.ResourceID)
	}
	switch {
	case e.Err != nil && e.LastAnswer != nil:
		fmt.Fprintf(&b, ": %v (last answer: %v)", e.Err, e.LastAnswer)
	case e.Err != nil:
		fmt.Fprintf(&b, ": %v", e.Err)
	case e.LastAnswer != nil:
		fmt.Fprintf(&b, ": %v", e.LastAnswer)
	}
	if e.Recovery != "" {
		b.WriteString("; " + e.Recovery)
	}
	return b.String()
}

// Outcome returns Unknown.
func (e *OutcomeUnknownError) Outcome() Outcome { return Unknown }

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return isClass(target, Unknown) }

// Unwrap returns the last failure, never an *APIError.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// DuplicateRequestError says POST /payouts answered 409 Conflict for a requestId that an
// earlier request used: an earlier attempt of this call that may have gone through, or an
// earlier call with the requestId the caller chose. The payout exists: do not pay again;
// read it (by the transaction id you kept, or through the payout request's allocations). Its
// outcome is Applied; it matches ErrDuplicateRequest and ErrApplied, not ErrConflict.
type DuplicateRequestError struct {
	// RequestID is the requestId every attempt carried.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// Answer is the 409 answer.
	Answer *APIError
}

// Error names the requestId and says what it means.
func (e *DuplicateRequestError) Error() string {
	return fmt.Sprintf("rebilly: POST /payouts: requestId %s was already used by an earlier request (409 after %d attempt(s)); the payout exists, do not pay again: %v",
		e.RequestID, e.Attempts, e.Answer)
}

// Outcome returns Applied.
func (e *DuplicateRequestError) Outcome() Outcome { return Applied }

// Is matches ErrDuplicateRequest and ErrApplied.
func (e *DuplicateRequestError) Is(target error) bool {
	return target == ErrDuplicateRequest || isClass(target, Applied)
}

// MalformedResponseError says a read (a GET) answered 2xx with a body that could not be used,
// on every attempt. Reads change nothing: its outcome is NotApplied. (A write whose 2xx answer
// cannot be used ends in an *OutcomeUnknownError instead.) It matches ErrMalformedResponse and
// ErrNotApplied, and unwraps to the decoding failure.
type MalformedResponseError struct {
	// Op names the operation.
	Op string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the decoding failure.
	Err error
}

// Error says which answer could not be used and why.
func (e *MalformedResponseError) Error() string {
	return fmt.Sprintf("rebilly: %s: cannot use the %d answer: %v", e.Op, e.StatusCode, e.Err)
}

// Outcome returns NotApplied.
func (e *MalformedResponseError) Outcome() Outcome { return NotApplied }

// Is matches ErrMalformedResponse and ErrNotApplied.
func (e *MalformedResponseError) Is(target error) bool {
	return target == ErrMalformedResponse || isClass(target, NotApplied)
}

// Unwrap returns the decoding failure.
func (e *MalformedResponseError) Unwrap() error { return e.Err }
