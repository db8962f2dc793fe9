package rebilly

import "github.com/paysdk/rebilly/internal/errs"

// Sentinel errors, matched with errors.Is. Errors from the server are *APIError values that
// match the sentinel of their status; the wrapping errors below unwrap to them.
var (
	// ErrUnauthorized matches a 401: the API key or JWT was missing, wrong or expired.
	ErrUnauthorized = errs.ErrUnauthorized
	// ErrForbidden matches a 403: the credential may not perform the operation.
	ErrForbidden = errs.ErrForbidden
	// ErrNotFound matches a 404: no such resource in the organization.
	ErrNotFound = errs.ErrNotFound
	// ErrConflict matches a 409, and every *DuplicateRequestError.
	ErrConflict = errs.ErrConflict
	// ErrValidation matches a 422: the server rejected the data; see APIError.InvalidFields.
	ErrValidation = errs.ErrValidation
	// ErrRateLimited matches a 429 that was still refused when retries ran out; see
	// APIError.RetryAfter.
	ErrRateLimited = errs.ErrRateLimited
	// ErrServer matches any 5xx answer.
	ErrServer = errs.ErrServer
	// ErrInvalidParams matches client-side validation failures (*InvalidParamsError): nothing
	// was sent.
	ErrInvalidParams = errs.ErrInvalidParams
	// ErrOutcomeUnknown matches calls that may or may not have taken effect
	// (*OutcomeUnknownError): read the resource back, or repeat the call with the same
	// requestId or id, before doing anything else.
	ErrOutcomeUnknown = errs.ErrOutcomeUnknown
	// ErrDuplicateRequest matches a POST /payouts that answered 409 to a repeated attempt: an
	// earlier attempt with the same requestId went through (*DuplicateRequestError).
	ErrDuplicateRequest = errs.ErrDuplicateRequest
	// ErrMalformedResponse matches a 2xx answer that could not be decoded
	// (*MalformedResponseError); the operation may have taken effect.
	ErrMalformedResponse = errs.ErrMalformedResponse
)

// APIError is a non-2xx answer from Rebilly, with its problem details. Use errors.As to get
// it, or errors.Is with a sentinel to test its status class.
type APIError = errs.APIError

// InvalidField names one rejected field and says why.
type InvalidField = errs.InvalidField

// InvalidParamsError lists every parameter that failed client-side validation.
type InvalidParamsError = errs.InvalidParamsError

// OutcomeUnknownError says a call may or may not have taken effect, and how to find out.
type OutcomeUnknownError = errs.OutcomeUnknownError

// DuplicateRequestError says a payout's requestId was already used by an attempt that went
// through: the payout exists; do not pay again.
type DuplicateRequestError = errs.DuplicateRequestError

// MalformedResponseError says a 2xx answer could not be decoded.
type MalformedResponseError = errs.MalformedResponseError

// MaxErrorBody bounds the raw body an APIError keeps.
const MaxErrorBody = errs.MaxErrorBody
