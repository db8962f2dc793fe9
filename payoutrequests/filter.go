package payoutrequests

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/validate"
	"github.com/paysdk/rebilly/money"
)

// SplitReason says why a payout request was split.
type SplitReason = gen.PayoutRequestSplitReason

// Condition is one condition of a list's filter: a field of the payout request and the values,
// or the range, it must match. Build conditions with [IDIn], [CustomerIDIn], [WebsiteIDIn],
// [BatchIDIn], [StatusIn], [CurrencyIn], [BlockedIs], [BlockReasonIn], [SplitReasonIn],
// [AmountBetween], [CreatedBetween], [UpdatedBetween] and [Not], and give them to
// ListParams.Where. The zero Condition is not valid.
//
// Rebilly's filter syntax ("field:value", "," between the values of a field, ";" between
// fields, ".." in ranges, a leading "!" to negate, a leading "@" to name a saved list) has no
// documented way to escape those characters inside a value. So a condition never writes a
// value that contains them: ids are checked against Rebilly's id pattern, statuses and reasons
// must be plain words, currencies three upper-case letters, amounts plain decimals, and times
// are formatted by the SDK. A value that does not pass is refused before anything is sent
// (List and All return an error matching rebilly.ErrInvalidParams that names the field),
// never sent in a form Rebilly could read differently.
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

// Field names of the filter, as Rebilly spells them.
const (
	fieldID          = "id"
	fieldCustomerID  = "customerId"
	fieldWebsiteID   = "websiteId"
	fieldBatchID     = "batchId"
	fieldStatus      = "status"
	fieldBlocked     = "blocked"
	fieldBlockReason = "blockReason"
	fieldSplitReason = "splitReason"
	fieldCurrency    = "currency"
	fieldAmount      = "amount"
	fieldCreatedTime = "createdTime"
	fieldUpdatedTime = "updatedTime"
)

// IDIn matches the payout requests whose id is one of ids.
func IDIn(ids ...string) Condition { return idCondition(fieldID, ids) }

// CustomerIDIn matches the payout requests of any of the given customers.
func CustomerIDIn(ids ...string) Condition { return idCondition(fieldCustomerID, ids) }

// WebsiteIDIn matches the payout requests of any of the given websites.
func WebsiteIDIn(ids ...string) Condition { return idCondition(fieldWebsiteID, ids) }

// BatchIDIn matches the payout requests of any of the given batches.
func BatchIDIn(ids ...string) Condition { return idCondition(fieldBatchID, ids) }

// StatusIn matches the payout requests in any of the given statuses, such as
// StatusIn(StatusPending, StatusReady).
func StatusIn(statuses ...Status) Condition {
	return wordCondition(fieldStatus, statuses)
}

// BlockReasonIn matches the payout requests blocked for any of the given reasons.
func BlockReasonIn(reasons ...BlockReason) Condition {
	return wordCondition(fieldBlockReason, reasons)
}

// SplitReasonIn matches the payout requests split for any of the given reasons.
func SplitReasonIn(reasons ...SplitReason) Condition {
	return wordCondition(fieldSplitReason, reasons)
}

// CurrencyIn matches the payout requests in any of the given currencies (ISO 4217 codes such
// as "USD").
func CurrencyIn(codes ...string) Condition {
	c := Condition{field: fieldCurrency}
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

// BlockedIs matches the payout requests that are blocked (true) or not (false).
func BlockedIs(blocked bool) Condition {
	return Condition{field: fieldBlocked, values: []string{fmt.Sprint(blocked)}}
}

// AmountBetween matches the payout requests whose amount lies in [min, max], both included.
// A zero Amount (money.Amount{}) leaves that end open: AmountBetween(money.MustParse("100"),
// money.Amount{}) is "at least 100". Amounts are sent as plain decimals; one written with an
// exponent (1e3) is refused.
func AmountBetween(min, max money.Amount) Condition {
	c := Condition{field: fieldAmount, isRange: true}
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

// CreatedBetween matches the payout requests created in [from, to], both included. A zero
// time leaves that end open. Rebilly keeps times to the second, so from is rounded up and to
// down to whole seconds, in UTC: the range never takes in a payout request outside it.
//
// All pages on createdTime; it keeps to this range as it does.
func CreatedBetween(from, to time.Time) Condition { return timeCondition(fieldCreatedTime, from, to) }

// UpdatedBetween matches the payout requests last updated in [from, to], both included, with
// the same rules as [CreatedBetween].
func UpdatedBetween(from, to time.Time) Condition { return timeCondition(fieldUpdatedTime, from, to) }

// Not matches the payout requests that c does not match: Not(StatusIn(StatusCanceled,
// StatusFulfilled)). Rebilly documents negation for lists of values, so Not of a range
// (AmountBetween, CreatedBetween, UpdatedBetween) is refused, and so is Not(Not(c)).
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

// FilterText returns the filter the conditions make, in Rebilly's syntax, as List and All
// send it ("status:pending;customerId:cus_1"), or an error matching rebilly.ErrInvalidParams
// naming each condition that cannot be sent. Use it to log a filter, or to combine conditions
// with a hand-written ListParams.Filter.
func FilterText(conditions ...Condition) (string, error) {
	var f validate.Fields
	text := joinFilter("", conditions, &f)
	if err := f.Err("payoutrequests.FilterText"); err != nil {
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
		f.Add("filter", "a Condition is the zero value: build conditions with StatusIn, CustomerIDIn, CreatedBetween…")
	case c.problem != "":
		f.Add("filter."+c.field, c.problem)
	}
}

// joinFilter joins a hand-written filter and the conditions with ";", recording every
// condition that cannot be sent and every field named twice.
func joinFilter(raw string, conditions []Condition, f *validate.Fields) string {
	var b strings.Builder
	b.WriteString(raw)
	seen := map[string]string{}
	for _, name := range rawFields(raw) {
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

// rawFields returns the fields a hand-written filter names, by the documented syntax: terms
// separated by ";", each "field:value".
func rawFields(raw string) []string {
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

// checkRawFilter checks a hand-written filter for what could never be meant: invalid UTF-8
// and control characters.
func checkRawFilter(f *validate.Fields, raw string) {
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

func idCondition(field string, ids []string) Condition {
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

// wordCondition builds a condition on an enumerated field: each value must be a plain word of
// letters, digits, "-" and "_", as every documented value is.
func wordCondition[T ~string](field string, words []T) Condition {
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

func timeCondition(field string, from, to time.Time) Condition {
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
