// Package validate checks call parameters on the client, before anything is sent, and collects
// every bad field into one *errs.InvalidParamsError. The rules are Rebilly's own limits from
// openapi.yaml; the checks are plain loops rather than regular expressions, so they cost next
// to nothing per call.
package validate

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/money"
)

// Limits from Rebilly's definitions.
const (
	MaxIDLength        = 50   // resource ids: ^[@~\-\.\w]+$, at most 50
	MaxRequestIDLength = 50   // requestId: ^[\-\w]+$, at most 50
	MaxURLLength       = 2083 // redirect and notification URLs
)

// Fields collects the problems found in one call's parameters.
type Fields struct {
	list []errs.InvalidField
}

// Add records a problem with a field.
func (f *Fields) Add(field, message string) {
	f.list = append(f.list, errs.InvalidField{Field: field, Message: message})
}

// Err returns nil when nothing was recorded, else an *errs.InvalidParamsError for op naming
// every field.
func (f *Fields) Err(op string) error {
	if len(f.list) == 0 {
		return nil
	}
	return &errs.InvalidParamsError{Op: op, InvalidFields: f.list}
}

// Required records field as missing when v is empty.
func (f *Fields) Required(field, v string) bool {
	if v == "" {
		f.Add(field, "is required")
		return false
	}
	return true
}

// Presence says whether a field must be given.
type Presence bool

const (
	// Required fields must not be empty.
	Required Presence = true
	// Optional fields may be empty.
	Optional Presence = false
)

// ID checks a resource id: at most 50 characters of letters, digits and _ @ ~ - . (and never
// "." or "..", which would walk the URL path). Empty passes when it is Optional.
func (f *Fields) ID(field, v string, presence Presence) {
	if v == "" {
		if presence == Required {
			f.Add(field, "is required")
		}
		return
	}
	if msg := IDProblem(v); msg != "" {
		f.Add(field, msg)
	}
}

// IDProblem returns what is wrong with a resource id, or "" when it is valid.
func IDProblem(v string) string {
	switch {
	case v == "":
		return "is empty"
	case len(v) > MaxIDLength:
		return fmt.Sprintf("is %d characters long; the limit is %d", len(v), MaxIDLength)
	case v == "." || v == "..":
		return "must not be a path segment such as \".\" or \"..\""
	}
	for i := 0; i < len(v); i++ {
		if !IsIDByte(v[i]) {
			return fmt.Sprintf("has %s at position %d; only letters, digits and _ @ ~ - . are allowed", describeByte(v, i), i)
		}
	}
	return ""
}

// RequestID checks a requestId: at most 50 characters of letters, digits, _ and -.
func (f *Fields) RequestID(field, v string) {
	if v == "" {
		return
	}
	if msg := RequestIDProblem(v); msg != "" {
		f.Add(field, msg)
	}
}

// RequestIDProblem returns what is wrong with a requestId, or "" when it is valid.
func RequestIDProblem(v string) string {
	if len(v) > MaxRequestIDLength {
		return fmt.Sprintf("is %d characters long; the limit is %d", len(v), MaxRequestIDLength)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !isWord(c) && c != '-' {
			return fmt.Sprintf("has %s at position %d; only letters, digits, _ and - are allowed", describeByte(v, i), i)
		}
	}
	return ""
}

// Currency checks an ISO 4217 code: three upper-case letters.
func (f *Fields) Currency(field, v string) {
	if !f.Required(field, v) {
		return
	}
	if len(v) != 3 || !isUpper(v[0]) || !isUpper(v[1]) || !isUpper(v[2]) {
		f.Add(field, fmt.Sprintf("%q is not a three-letter upper-case ISO 4217 code such as USD", clip(v)))
	}
}

// PositiveAmount checks that an amount is set, greater than zero (compared exactly), and one
// that Rebilly can carry: Rebilly holds amounts as doubles, so an amount that a double would
// change ([money.Amount.ExactInFloat64] is false) is refused rather than silently altered.
func (f *Fields) PositiveAmount(field string, a money.Amount) {
	switch {
	case a.IsZero():
		f.Add(field, "is required")
	case a.Sign() <= 0:
		f.Add(field, fmt.Sprintf("must be greater than 0, got %s", a))
	case !a.ExactInFloat64():
		f.Add(field, fmt.Sprintf("%s cannot be sent exactly: Rebilly carries amounts as double-precision numbers, %s", a, asDouble(a)))
	}
}

// asDouble says what a double makes of a, which a double does not carry exactly.
func asDouble(a money.Amount) string {
	d, err := strconv.ParseFloat(a.String(), 64)
	if err != nil { // ±Inf: only arithmetic can make an Amount beyond a double's range
		return "and it is beyond their range"
	}
	// The text a JSON encoder writes for that double: what the amount would come back as.
	text, _ := json.Marshal(d)
	return "which would change it to " + string(text)
}

// Text checks free text: valid UTF-8, no control characters other than tab and newlines, and
// at most maxRunes characters (0 means no limit).
func (f *Fields) Text(field, v string, maxRunes int) {
	if v == "" {
		return
	}
	if !utf8.ValidString(v) {
		f.Add(field, "is not valid UTF-8")
		return
	}
	if n := utf8.RuneCountInString(v); maxRunes > 0 && n > maxRunes {
		f.Add(field, fmt.Sprintf("is %d characters long; the limit is %d", n, maxRunes))
		return
	}
	for i, r := range v {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			f.Add(field, fmt.Sprintf("has control character %U at byte %d", r, i))
			return
		}
	}
}

// URL checks a redirect or notification URL: absolute http or https, at most 2083
// characters, with no spaces or control characters. The placeholders given (such as "{{id}}")
// may appear anywhere; Rebilly replaces them, so they are checked as if they were plain text.
func (f *Fields) URL(field, v string, placeholders ...string) {
	if v == "" {
		return
	}
	if msg := URLProblem(v, placeholders...); msg != "" {
		f.Add(field, msg)
	}
}

// URLProblem returns what is wrong with a redirect or notification URL, or "" when it is valid.
func URLProblem(v string, placeholders ...string) string {
	if len(v) > MaxURLLength {
		return fmt.Sprintf("is %d characters long; the limit is %d", len(v), MaxURLLength)
	}
	if !utf8.ValidString(v) {
		return "is not valid UTF-8"
	}
	for i, r := range v {
		if r <= ' ' || r == 0x7f {
			return fmt.Sprintf("has a space or control character at byte %d", i)
		}
	}
	probe := v
	for _, p := range placeholders {
		probe = strings.ReplaceAll(probe, p, "placeholder")
	}
	if strings.ContainsAny(probe, "{}") {
		return fmt.Sprintf("has a brace that is not one of the placeholders %s", strings.Join(placeholders, " "))
	}
	u, err := url.Parse(probe)
	if err != nil {
		return "is not a valid URL"
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http or https URL"
	}
	return ""
}

// IsIDByte reports whether c may appear in a resource id.
func IsIDByte(c byte) bool {
	return isWord(c) || c == '@' || c == '~' || c == '-' || c == '.'
}

func isWord(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// describeByte names the character at byte i without echoing control bytes into messages.
func describeByte(v string, i int) string {
	r, _ := utf8.DecodeRuneInString(v[i:])
	if r == utf8.RuneError || unicode.IsControl(r) || !unicode.IsPrint(r) {
		return fmt.Sprintf("byte 0x%02x", v[i])
	}
	return fmt.Sprintf("%q", r)
}

func clip(v string) string {
	if len(v) > 12 {
		return v[:12] + "…"
	}
	return v
}
