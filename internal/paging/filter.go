package paging

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/paysdk/rebilly/internal/validate"
	"github.com/paysdk/rebilly/money"
)

// Condition is one condition of a list's filter: a field of the collection's items and the
// values, or the range, it must match. The zero Condition is not valid. Each service wraps it
// in its own Condition type, whose constructors name the fields it can filter on.
//
// Rebilly's filter syntax ("field:value", "," between the values of a field, ";" between
// fields, ".." in ranges, a leading "!" to negate, a leading "@" to name a saved list) has no
// documented way to escape those characters inside a value. So a condition never writes a
// value that contains them: ids are checked against Rebilly's id pattern, enumerated values
// must be plain words, currencies three upper-case letters, amounts plain decimals, and times
// are formatted here. A value that does not pass makes a condition that records why
// (Join reports it, naming the field), never one that is sent in a form Rebilly could read
// differently.
type Condition struct {
	field   string
	values  []string // alternatives, as they are written in the filter
	isRange bool
	lo, hi  string // range bounds as written; either may be empty, not both
	negate  bool
	problem string // why the condition cannot be sent; "" when it can

	// The range of a time condition, for All, which narrows createdTime as it pages.
	from, to time.Time
}

// FieldCreatedTime is the field All pages on: every collection it pages has it, sortable and
// filterable, with one-second resolution.
const FieldCreatedTime = "createdTime"

// Currencies matches the items whose field holds any of the given ISO 4217 codes.
func Currencies(field string, codes []string) Condition {
	c := Condition{field: field}
	if len(codes) == 0 {
		return c.refuse("needs at least one currency")
	}
	for _, code := range codes {
		if len(code) != 3 || !isUpperASCII(code) {
			return c.refuse(fmt.Sprintf("%q is not a three-letter upper-case ISO 4217 code such as USD", clip(code)))
		}
		c.values = append(c.values, code)
	}
	return c
}

// Bool matches the items whose field is b.
func Bool(field string, b bool) Condition {
	return Condition{field: field, values: []string{fmt.Sprint(b)}}
}

// Amounts matches the items whose field lies in [min, max], both included; a zero Amount
// leaves that end open. Amounts are sent as plain decimals; one written with an exponent
// (1e3) is refused.
func Amounts(field string, min, max money.Amount) Condition {
	c := Condition{field: field, isRange: true}
	switch {
	case min.IsZero() && max.IsZero():
		return c.refuse("needs a minimum, a maximum or both")
	case !min.IsZero() && !max.IsZero() && min.Cmp(max) > 0:
		return c.refuse(fmt.Sprintf("minimum %s is above maximum %s", min, max))
	}
	for _, a := range []money.Amount{min, max} {
		if s := a.String(); !a.IsZero() && strings.ContainsAny(s, "eE") {
			return c.refuse(fmt.Sprintf("%s has an exponent; write it as a plain decimal", s))
		}
	}
	if !min.IsZero() {
		c.lo = min.String()
	}
	if !max.IsZero() {
		c.hi = max.String()
	}
	return c
}

// Not matches the items that c does not match. Rebilly documents negation for lists of
// values, so Not of a range is refused, and so is Not(Not(c)).
func Not(c Condition) Condition {
	switch {
	case c.problem != "":
		return c
	case c.field == "":
		return c.refuse("is the zero Condition")
	case c.isRange:
		return c.refuse("a range cannot be negated: Rebilly documents negation for values only")
	case c.negate:
		return c.refuse("is negated twice")
	}
	c.negate = true
	return c
}

// Text returns the filter the conditions make, in Rebilly's syntax, or an error matching
// rebilly.ErrInvalidParams for op naming each condition that cannot be sent: the FilterText
// of every service.
func Text(op string, conditions []Condition) (string, error) {
	var f validate.Fields
	text := Join("", conditions, &f)
	if err := f.Err(op); err != nil {
		return "", err
	}
	return text, nil
}

func (c Condition) refuse(problem string) Condition {
	c.problem = problem
	return c
}

// term is the condition in the filter's syntax. It is only called on a valid condition.
func (c Condition) term() string {
	var b strings.Builder
	b.WriteString(c.field)
	b.WriteByte(':')
	if c.negate {
		b.WriteByte('!')
	}
	if c.isRange {
		b.WriteString(c.lo + ".." + c.hi)
	} else {
		b.WriteString(strings.Join(c.values, ","))
	}
	return b.String()
}

// check records what is wrong with the condition, if anything.
func (c Condition) check(f *validate.Fields) {
	switch {
	case c.field == "":
		f.Add("filter", "a Condition is the zero value: build conditions with StatusIn, CreatedBetween…")
	case c.problem != "":
		f.Add("filter."+c.field, c.problem)
	}
}

// Join joins a hand-written filter and the conditions with ";", recording every
// condition that cannot be sent and every field named twice.
func Join(raw string, conditions []Condition, f *validate.Fields) string {
	var b strings.Builder
	b.WriteString(raw)
	seen := map[string]string{}
	for _, name := range RawFields(raw) {
		seen[name] = "Filter"
	}
	for _, c := range conditions {
		c.check(f)
		if c.field == "" || c.problem != "" {
			continue
		}
		if by, ok := seen[c.field]; ok {
			f.Add("filter."+c.field, fmt.Sprintf("is named by Where and by %s: give one condition with all its values", by))
			continue
		}
		seen[c.field] = "another condition of Where"
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(c.term())
	}
	return b.String()
}

// RawFields returns the fields a hand-written filter names, by the documented syntax: terms
// separated by ";", each "field:value".
func RawFields(raw string) []string {
	if raw == "" {
		return nil
	}
	var out []string
	for _, term := range strings.Split(raw, ";") {
		name, _, _ := strings.Cut(term, ":")
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// CheckRaw checks a hand-written filter for what could never be meant: invalid UTF-8
// and control characters.
func CheckRaw(f *validate.Fields, raw string) {
	if !utf8.ValidString(raw) {
		f.Add("filter", "is not valid UTF-8")
		return
	}
	for i, r := range raw {
		if unicode.IsControl(r) {
			f.Add("filter", fmt.Sprintf("has control character %U at byte %d", r, i))
			return
		}
	}
}

// IDs matches the items whose field holds any of the given ids.
func IDs(field string, ids []string) Condition {
	c := Condition{field: field}
	if len(ids) == 0 {
		return c.refuse("needs at least one id")
	}
	for _, id := range ids {
		if msg := validate.IDProblem(id); msg != "" {
			return c.refuse(fmt.Sprintf("id %q %s", clip(id), msg))
		}
		// The id pattern allows "@", "." and "~", but in a filter a leading "@" names a saved
		// list, and ".." makes a range.
		switch {
		case id[0] == '@':
			return c.refuse(fmt.Sprintf("id %q starts with \"@\", which Rebilly's filter syntax reads as the name of a saved list, and the syntax has no escape", clip(id)))
		case strings.Contains(id, ".."):
			return c.refuse(fmt.Sprintf("id %q has \"..\", which Rebilly's filter syntax reads as a range, and the syntax has no escape", clip(id)))
		}
		c.values = append(c.values, id)
	}
	return c
}

// Words matches the items whose enumerated field holds any of the given words: each must be
// a plain word of letters, digits, "-" and "_", as every documented value is.
func Words[T ~string](field string, words []T) Condition {
	c := Condition{field: field}
	if len(words) == 0 {
		return c.refuse("needs at least one value")
	}
	for _, w := range words {
		s := string(w)
		if s == "" {
			return c.refuse("has an empty value")
		}
		for i := 0; i < len(s); i++ {
			if ch := s[i]; !(ch == '-' || ch == '_' || ('0' <= ch && ch <= '9') || ('a' <= ch && ch <= 'z') || ('A' <= ch && ch <= 'Z')) {
				return c.refuse(fmt.Sprintf("value %q has %q; only letters, digits, - and _ can be sent, since Rebilly's filter syntax has no escape", clip(s), describe(s, i)))
			}
		}
		c.values = append(c.values, s)
	}
	return c
}

// Times matches the items whose time field lies in [from, to], both included; a zero time
// leaves that end open. Rebilly keeps times to the second, so from is rounded up and to down
// to whole seconds, in UTC: the range never takes in an item outside it.
func Times(field string, from, to time.Time) Condition {
	c := Condition{field: field, isRange: true}
	if from.IsZero() && to.IsZero() {
		return c.refuse("needs a start, an end or both")
	}
	if !from.IsZero() {
		c.from = ceilSecond(from)
		c.lo = formatTime(c.from)
	}
	if !to.IsZero() {
		c.to = to.UTC().Truncate(time.Second)
		c.hi = formatTime(c.to)
	}
	if !c.from.IsZero() && !c.to.IsZero() && c.from.After(c.to) {
		return c.refuse(fmt.Sprintf("the range %s..%s is empty in whole seconds", c.lo, c.hi))
	}
	return c
}

// ceilSecond rounds t up to a whole second, in UTC.
func ceilSecond(t time.Time) time.Time {
	t = t.UTC()
	if s := t.Truncate(time.Second); !s.Equal(t) {
		return s.Add(time.Second)
	}
	return t
}

// formatTime writes a time as the filter's examples do: 2026-01-01T00:00:00Z.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}

// describe names the character at byte i of s.
func describe(s string, i int) string {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return string(r)
}

// Unwrap returns the conditions that a service's own Condition values hold.
func Unwrap[C any](conditions []C, shared func(C) Condition) []Condition {
	if conditions == nil {
		return nil
	}
	out := make([]Condition, len(conditions))
	for i, c := range conditions {
		out[i] = shared(c)
	}
	return out
}
