// Package errs defines the SDK's error types and sentinels. It is internal so that the root
// package (which re-exports everything here) and the service packages can share one set of
// errors without an import cycle.
package errs

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinels, matched with errors.Is. Each status-class sentinel matches an *APIError of that
// status, and also the wrapping errors below (OutcomeUnknownError, DuplicateRequestError)
// whose cause is such an *APIError.
var (
	ErrUnauthorized      = errors.New("rebilly: unauthorized (401)")
	ErrForbidden         = errors.New("rebilly: forbidden (403)")
	ErrNotFound          = errors.New("rebilly: not found (404)")
	ErrConflict          = errors.New("rebilly: conflict (409)")
	ErrValidation        = errors.New("rebilly: validation failed (422)")
	ErrRateLimited       = errors.New("rebilly: rate limited (429)")
	ErrServer            = errors.New("rebilly: server error (5xx)")
	ErrInvalidParams     = errors.New("rebilly: invalid parameters")
	ErrOutcomeUnknown    = errors.New("rebilly: outcome unknown")
	ErrDuplicateRequest  = errors.New("rebilly: duplicate request")
	ErrMalformedResponse = errors.New("rebilly: malformed response")
)

// MaxErrorBody bounds the raw response body an *APIError keeps, so that a huge error page
// never stays in memory through an error value.
const MaxErrorBody = 8 << 10

// InvalidField names one field the server (or the client-side validation) rejected.
type InvalidField struct {
	// Field is the field's JSON name, in dot notation for nested fields.
	Field string `json:"field"`
	// Message says what is wrong with it.
	Message string `json:"message"`
}

// APIError is an answer from Rebilly with a status other than 2xx. Its fields hold the
// problem-details body (RFC 9457) when the server sent one; Body keeps the raw bytes (at most
// MaxErrorBody of them) whether it was JSON or not, such as an HTML page from a proxy.
type APIError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Method and Path name the operation that failed, such as "POST /payouts".
	Method, Path string
	// Type, Title, Detail and Instance are the problem-details members, empty when absent.
	Type, Title, Detail, Instance string
	// InvalidFields lists the rejected fields of a 422 answer.
	InvalidFields []InvalidField
	// RequestID is the requestId that POST /payouts carried, empty for other operations.
	RequestID string
	// RetryAfter is when the server said a rate-limited (429) or unavailable (503) call may be
	// repeated, from X-RateLimit-Retry-After or Retry-After; zero when it did not say.
	RetryAfter time.Time
	// Attempts is how many times the call was sent before this answer was accepted as final.
	Attempts int
	// Body is the raw response body, truncated to MaxErrorBody bytes.
	Body []byte
}

// Error describes the failure in one line: operation, status, and the problem's words.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rebilly: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Title != "" {
		b.WriteString(": " + e.Title)
	}
	if e.Detail != "" && e.Detail != e.Title {
		b.WriteString(": " + e.Detail)
	}
	for i, f := range e.InvalidFields {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", f.Field, f.Message)
		if i == len(e.InvalidFields)-1 {
			b.WriteString(")")
		}
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [requestId %s]", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Is matches the sentinel of the error's status class.
func (e *APIError) Is(target error) bool {
	return target != nil && target == StatusSentinel(e.StatusCode)
}

// StatusSentinel returns the sentinel for an HTTP status, or nil when there is none.
func StatusSentinel(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusUnprocessableEntity:
		return ErrValidation
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500 && status <= 599:
		return ErrServer
	}
	return nil
}

// InvalidParamsError reports every field of a call's parameters that failed client-side
// validation. Nothing was sent. It matches ErrInvalidParams.
type InvalidParamsError struct {
	// Op names the operation, such as "POST /payouts".
	Op string
	// Fields lists each bad field with what is wrong, in the order they were checked.
	Fields []InvalidField
}

// Error lists every bad field in one line.
func (e *InvalidParamsError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("rebilly: %s: invalid parameters: %s", e.Op, strings.Join(parts, "; "))
}

// Is matches ErrInvalidParams.
func (e *InvalidParamsError) Is(target error) bool { return target == ErrInvalidParams }

// OutcomeUnknownError says a call may or may not have taken effect: the request was sent, and
// then the connection failed, the attempt timed out, the context ended, or the server answered
// with an error that does not prove it did nothing (500, 502, 504). It matches
// ErrOutcomeUnknown, and unwraps to its cause (so ErrServer or context.Canceled match too).
type OutcomeUnknownError struct {
	// Op names the operation, such as "POST /payout-requests".
	Op string
	// RequestID is the requestId of a POST /payouts call: repeat the call with it to settle
	// the outcome without paying twice. Empty for other operations.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
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
	fmt.Fprintf(&b, ": %v", e.Err)
	if e.Recovery != "" {
		b.WriteString("; " + e.Recovery)
	}
	return b.String()
}

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the last failure.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// DuplicateRequestError says POST /payouts answered 409 Conflict to a repeated attempt, or to
// a call whose requestId the caller chose: an earlier request with the same requestId went
// through, so the payout exists. Do not pay again; reconcile by the requestId. It matches
// ErrDuplicateRequest and ErrConflict.
type DuplicateRequestError struct {
	// RequestID is the requestId every attempt carried.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the 409 *APIError.
	Err error
}

// Error names the requestId and says what it means.
func (e *DuplicateRequestError) Error() string {
	return fmt.Sprintf("rebilly: POST /payouts: requestId %s was already used by an earlier request that went through (409 after %d attempt(s)); do not pay again: %v",
		e.RequestID, e.Attempts, e.Err)
}

// Is matches ErrDuplicateRequest (and, through Unwrap, ErrConflict).
func (e *DuplicateRequestError) Is(target error) bool { return target == ErrDuplicateRequest }

// Unwrap returns the 409 *APIError.
func (e *DuplicateRequestError) Unwrap() error { return e.Err }

// MalformedResponseError says a 2xx answer could not be decoded. The operation may have taken
// effect. It matches ErrMalformedResponse.
type MalformedResponseError struct {
	// Op names the operation.
	Op string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// RequestID is the requestId of a POST /payouts call, empty otherwise.
	RequestID string
	// Err is the decoding failure.
	Err error
}

// Error says which answer could not be decoded and why.
func (e *MalformedResponseError) Error() string {
	s := fmt.Sprintf("rebilly: %s: cannot decode %d response: %v", e.Op, e.StatusCode, e.Err)
	if e.RequestID != "" {
		s += " [requestId " + e.RequestID + "]"
	}
	return s
}

// Is matches ErrMalformedResponse.
func (e *MalformedResponseError) Is(target error) bool { return target == ErrMalformedResponse }

// Unwrap returns the decoding failure.
func (e *MalformedResponseError) Unwrap() error { return e.Err }
