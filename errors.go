package rebilly

import (
	"errors"

	"github.com/paysdk/rebilly/errs"
)

// Outcome is what a call did: every error the SDK returns belongs to exactly one outcome
// class, and each class has its own sentinel ([ErrNotApplied], [ErrApplied],
// [ErrOutcomeUnknown]), so errors.Is gives the same answer in whatever order a caller tests.
// [OutcomeOf] returns the class of an error.
type Outcome = errs.Outcome

// The outcome classes.
const (
	// OutcomeNotApplied: the call had no effect. Nothing reached Rebilly, Rebilly refused it,
	// or it only reads. Fix the cause, if any, and send it again.
	OutcomeNotApplied = errs.NotApplied
	// OutcomeApplied: the call took effect. The error names the resource it acted on (a
	// [DuplicateRequestError] names the requestId of the payout that exists).
	OutcomeApplied = errs.Applied
	// OutcomeUnknown: the call may have taken effect. Settle it as the error's Recovery
	// says before doing anything else.
	OutcomeUnknown = errs.Unknown
)

// OutcomeOf returns the outcome class of an error returned by the SDK: [OutcomeNotApplied],
// [OutcomeApplied] or [OutcomeUnknown]. It returns OutcomeApplied for nil, and
// OutcomeUnknown for an error that did not come from the SDK, the class never wrong to
// assume.
func OutcomeOf(err error) Outcome { return errs.OutcomeOf(err) }

// The class sentinels: each matches every error of its outcome class and no other.
var (
	// ErrNotApplied matches every error whose outcome is [OutcomeNotApplied]: an
	// [*APIError], [*InvalidParamsError], [*NotAppliedError], [*MalformedResponseError] or
	// [*PagingError].
	ErrNotApplied = errs.ErrNotApplied
	// ErrApplied matches every error whose outcome is [OutcomeApplied]: a
	// [*DuplicateRequestError].
	ErrApplied = errs.ErrApplied
	// ErrOutcomeUnknown matches every error whose outcome is [OutcomeUnknown]: an
	// [*OutcomeUnknownError]. Read its Recovery: repeat the call with the same requestId or
	// id, or read the resource back, before doing anything else.
	ErrOutcomeUnknown = errs.ErrOutcomeUnknown
)

// The status sentinels. Each matches an [*APIError] of its status, whose outcome is always
// [OutcomeNotApplied] (the status says Rebilly did not apply the call, or the call only
// reads). None of them ever matches an error whose outcome is applied or unknown, even when
// the last answer had that status: such an error carries the answer in a field instead.
var (
	// ErrUnauthorized matches a 401: the API key or JWT was missing, wrong or expired.
	ErrUnauthorized = errs.ErrUnauthorized
	// ErrForbidden matches a 403: the credential may not perform the operation.
	ErrForbidden = errs.ErrForbidden
	// ErrNotFound matches a 404: no such resource in the organization.
	ErrNotFound = errs.ErrNotFound
	// ErrConflict matches a 409 that is not a [*DuplicateRequestError].
	ErrConflict = errs.ErrConflict
	// ErrValidation matches a 422: Rebilly rejected the data; see [FieldErrors].
	ErrValidation = errs.ErrValidation
	// ErrRateLimited matches a 429 that was still refused when retries ran out, or that
	// asked for a wait longer than [WithMaxServerWait]; see APIError.RetryAfter.
	ErrRateLimited = errs.ErrRateLimited
	// ErrServer matches a 5xx answer to a call that was not applied: a read, or a write
	// Rebilly refused with 503.
	ErrServer = errs.ErrServer
)

// Kind sentinels, each within one outcome class.
var (
	// ErrInvalidParams matches client-side validation failures ([*InvalidParamsError]):
	// nothing was sent. Outcome: not applied.
	ErrInvalidParams = errs.ErrInvalidParams
	// ErrMalformedResponse matches a read whose 2xx answer could not be used on any attempt
	// ([*MalformedResponseError]). Outcome: not applied. A write's unusable 2xx is an
	// [*OutcomeUnknownError].
	ErrMalformedResponse = errs.ErrMalformedResponse
	// ErrDuplicateRequest matches a POST /payouts answered 409 for a requestId that an
	// earlier attempt of the call, or an earlier call with your RequestID, used
	// ([*DuplicateRequestError]). Outcome: applied; do not pay again.
	ErrDuplicateRequest = errs.ErrDuplicateRequest
	// ErrPaging matches an iteration over a collection (PayoutRequests.All, Allocations.All)
	// that stopped rather than yield an item twice, skip one or never end ([*PagingError]).
	// Outcome: not applied; start it again.
	ErrPaging = errs.ErrPaging
)

// APIError is an answer from Rebilly with a status other than 2xx that ended a call whose
// outcome is [OutcomeNotApplied]. Get it with errors.As; test its status with the status
// sentinels ([ErrValidation], [ErrNotFound], …). Its fields:
//
//   - StatusCode int: the HTTP status.
//   - Method, Path string: the operation, such as "POST" and "/payouts".
//   - Type, Title, Detail, Instance string: the problem-details (RFC 9457) members.
//   - InvalidFields [][InvalidField]: what a 422 rejected; [FieldErrors] reads them.
//   - RequestID string: the requestId of a POST /payouts call.
//   - RetryAfter time.Time: when a 429 or 503 said the call may be repeated, zero if not.
//   - Attempts int: how many times the call was sent.
//   - Body []byte: the raw body, at most [MaxErrorBody] bytes.
type APIError = errs.APIError

// InvalidField names one field that Rebilly or the client-side validation rejected: Field
// (its JSON name, dotted for nested fields) and Message (what is wrong with it).
type InvalidField = errs.InvalidField

// InvalidParamsError lists every parameter that failed client-side validation: nothing was
// sent. Fields: Op string (the operation) and InvalidFields [][InvalidField]. It matches
// [ErrInvalidParams] and [ErrNotApplied].
type InvalidParamsError = errs.InvalidParamsError

// NotAppliedError says a call failed without taking effect and without an answer to show:
// nothing was sent (dial, DNS, proxy or TLS failure; the context ended first), or the call
// only reads. Fields: Op string, Attempts int, Err error (the cause; errors.Is finds
// context.Canceled or a net error through it) and LastAnswer *[APIError] (the last refusal,
// when the context ended while waiting to repeat it). It matches [ErrNotApplied].
type NotAppliedError = errs.NotAppliedError

// OutcomeUnknownError says a call may or may not have taken effect. It matches
// [ErrOutcomeUnknown] and no status sentinel. Fields:
//
//   - Op string: the operation.
//   - RequestID string: for POST /payouts, the requestId to repeat the call with.
//   - Attempts int: how many times the request was sent.
//   - StatusCode int: the last answer's status, 0 if none arrived.
//   - Location string: the Location of a 2xx answer whose body could not be used.
//   - ResourceID string: the id of the resource the call acted on, when known.
//   - Body []byte: the raw body of a 2xx answer that could not be used (capped).
//   - LastAnswer *[APIError]: the last non-2xx answer, nil if none.
//   - Recovery string: how to settle the outcome.
//   - Err error: the cause (a net, decoding or context error).
type OutcomeUnknownError = errs.OutcomeUnknownError

// DuplicateRequestError says a payout's requestId was already used by a request that went
// through: the payout exists; do not pay again. Fields: RequestID string, Attempts int and
// Answer *[APIError] (the 409). It matches [ErrDuplicateRequest] and [ErrApplied], not
// [ErrConflict].
type DuplicateRequestError = errs.DuplicateRequestError

// MalformedResponseError says a read's 2xx answer could not be used on any attempt. Fields:
// Op string, StatusCode int, Attempts int, Err error (the decoding failure). It matches
// [ErrMalformedResponse] and [ErrNotApplied].
type MalformedResponseError = errs.MalformedResponseError

// PagingError says an iteration over a collection (PayoutRequests.All, Allocations.All)
// stopped because its pages disagreed (an item twice, items out of order, a total that
// shrank) or the collection cannot be paged exactly (too many items in one createdTime
// second). Fields: Op, Filter string, Offset int (of the request whose answer showed it),
// Requests int (pages asked for) and Reason string. It matches [ErrPaging] and [ErrNotApplied]: listing changes nothing.
type PagingError = errs.PagingError

// MaxErrorBody bounds the raw body an error keeps.
const MaxErrorBody = errs.MaxErrorBody

// FieldErrors returns the fields that were rejected, whether the client's validation found
// them before sending ([*InvalidParamsError], [ErrInvalidParams]) or Rebilly did (an
// [*APIError] matching [ErrValidation]): one shape for "which fields were bad". It returns
// nil for any other error.
func FieldErrors(err error) []InvalidField {
	var f interface{ Fields() []errs.InvalidField }
	if errors.As(err, &f) {
		return f.Fields()
	}
	return nil
}
