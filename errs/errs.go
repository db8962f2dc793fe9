// Package errs defines the errors every package of the SDK returns. The root package
// re-exports each of them (rebilly.APIError is [APIError], rebilly.ErrValidation is
// [ErrValidation]), and that is the name to use; this package exists so that the service
// packages can return the same types without an import cycle, and so that %T of an error
// names a package you can import.
//
// Every error the SDK returns belongs to exactly one outcome class ([Outcome]): the class
// sentinels [ErrNotApplied], [ErrApplied] and [ErrOutcomeUnknown] each match the errors of
// one class, and every other sentinel matches errors of one class only. That is what lets
// a caller test them in any order.
package errs

import "errors"

// Outcome is what a failed call did: nothing, something, or perhaps something.
type Outcome int

const (
	// NotApplied: the call had no effect. Nothing reached Rebilly, Rebilly refused it, or it
	// only reads. It is safe to fix the cause and send it again.
	NotApplied Outcome = iota + 1
	// Applied: the call took effect; the error names the resource it acted on.
	Applied
	// Unknown: the call may have taken effect. The error says how to settle it before
	// anything else is done.
	Unknown
)

// String returns "not applied", "applied" or "unknown".
func (o Outcome) String() string {
	switch o {
	case NotApplied:
		return "not applied"
	case Applied:
		return "applied"
	case Unknown:
		return "unknown"
	}
	return "Outcome(?)"
}

// OutcomeOf returns the outcome class of an error returned by the SDK, and Applied for nil
// (the call did what it was asked). An error that did not come from the SDK counts as Unknown,
// the class that is never wrong to assume.
func OutcomeOf(err error) Outcome {
	if err == nil {
		return Applied
	}
	var c interface{ Outcome() Outcome }
	if errors.As(err, &c) {
		return c.Outcome()
	}
	return Unknown
}

// Class sentinels: each matches every error of its outcome class and no other.
var (
	ErrNotApplied     = errors.New("rebilly: not applied")
	ErrApplied        = errors.New("rebilly: applied")
	ErrOutcomeUnknown = errors.New("rebilly: outcome unknown")
)

// Status sentinels: each matches an *APIError of its status, which is always NotApplied.
// They never match an error whose outcome is Applied or Unknown, even when the last answer
// had that status.
var (
	ErrUnauthorized = errors.New("rebilly: unauthorized (401)")
	ErrForbidden    = errors.New("rebilly: forbidden (403)")
	ErrNotFound     = errors.New("rebilly: not found (404)")
	ErrConflict     = errors.New("rebilly: conflict (409)")
	ErrValidation   = errors.New("rebilly: validation failed (422)")
	ErrRateLimited  = errors.New("rebilly: rate limited (429)")
	ErrServer       = errors.New("rebilly: server error (5xx)")
)

// Kind sentinels, each within one class.
var (
	// ErrInvalidParams (NotApplied) matches *InvalidParamsError: client-side validation.
	ErrInvalidParams = errors.New("rebilly: invalid parameters")
	// ErrMalformedResponse (NotApplied) matches *MalformedResponseError: a read whose 2xx
	// answer could not be used.
	ErrMalformedResponse = errors.New("rebilly: malformed response")
	// ErrDuplicateRequest (Applied) matches *DuplicateRequestError.
	ErrDuplicateRequest = errors.New("rebilly: duplicate request")
	// ErrPaging (NotApplied) matches *PagingError: an iteration that stopped rather than
	// yield an item twice or skip one.
	ErrPaging = errors.New("rebilly: inconsistent pages")
)

// isClass reports whether target is the class sentinel of o.
func isClass(target error, o Outcome) bool {
	switch target {
	case ErrNotApplied:
		return o == NotApplied
	case ErrApplied:
		return o == Applied
	case ErrOutcomeUnknown:
		return o == Unknown
	}
	return false
}
