package errs

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// MaxErrorBody bounds the raw response body an error keeps, so that a huge error page
// never stays in memory through an error value.
const MaxErrorBody = 8 << 10

// InvalidField names one field that Rebilly or the client-side validation rejected.
type InvalidField struct {
	// Field is the field's JSON name, in dot notation for nested fields.
	Field string `json:"field"`
	// Message says what is wrong with it.
	Message string `json:"message"`
}

// APIError is an answer from Rebilly with a status other than 2xx that ended a call whose
// outcome is NotApplied: the status says Rebilly did not apply it (4xx, 429), or the call only
// reads. Its fields hold the problem-details body (RFC 9457) when the server sent one; Body
// keeps the raw bytes (at most MaxErrorBody of them) whether it was JSON or not.
//
// When such an answer comes after an attempt that may have taken effect, the call's error is
// an *OutcomeUnknownError instead, which carries the answer in LastAnswer.
type APIError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Method and Path name the operation that failed, such as "POST" and "/payouts".
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
	writeFields(&b, e.InvalidFields)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [requestId %s]", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Outcome returns NotApplied.
func (e *APIError) Outcome() Outcome { return NotApplied }

// Is matches the sentinel of the error's status class, and ErrNotApplied.
func (e *APIError) Is(target error) bool {
	return target != nil && (target == StatusSentinel(e.StatusCode) || isClass(target, NotApplied))
}

// Fields returns the fields Rebilly rejected (InvalidFields).
func (e *APIError) Fields() []InvalidField { return e.InvalidFields }

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
// validation. Nothing was sent: its outcome is NotApplied. It matches ErrInvalidParams.
type InvalidParamsError struct {
	// Op names the operation, such as "POST /payouts".
	Op string
	// InvalidFields lists each bad field with what is wrong, in the order they were checked.
	InvalidFields []InvalidField
}

// Error lists every bad field in one line.
func (e *InvalidParamsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rebilly: %s: invalid parameters", e.Op)
	writeFields(&b, e.InvalidFields)
	return b.String()
}

// Outcome returns NotApplied.
func (e *InvalidParamsError) Outcome() Outcome { return NotApplied }

// Is matches ErrInvalidParams and ErrNotApplied.
func (e *InvalidParamsError) Is(target error) bool {
	return target == ErrInvalidParams || isClass(target, NotApplied)
}

// Fields returns the rejected fields (InvalidFields).
func (e *InvalidParamsError) Fields() []InvalidField { return e.InvalidFields }

func writeFields(b *strings.Builder, fields []InvalidField) {
	for i, f := range fields {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field + ": " + f.Message)
		if i == len(fields)-1 {
			b.WriteString(")")
		}
	}
}
