package rebillytest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
)

// The operations of listing and canceling payout requests.
const (
	OpListPayoutRequests  Operation = "GET /payout-requests"
	OpCancelPayoutRequest Operation = "POST /payout-requests/{id}/cancel"
)

// Paging of the collections: GET /payout-requests and GET /payout-request-allocations.
const (
	// DefaultListLimit is the page size of a list request without a limit.
	DefaultListLimit = 100
	// MaxListLimit is the largest limit a list request may ask for, as openapi.yaml says.
	MaxListLimit = 1000
	// MaxListOffset is the default offset cap (see WithOffsetCap): the largest offset
	// openapi.yaml allows.
	MaxListOffset = 1000
)

// PastOffsetCap is how the Handler answers a list request whose offset is above its offset
// cap (WithOffsetCap). Rebilly has done both.
type PastOffsetCap int

const (
	// RefuseOffset answers 422 with an invalidFields entry for offset, as a validator of
	// openapi.yaml (offset maximum 1000) does. The default.
	RefuseOffset PastOffsetCap = iota
	// RepeatPageAtCap answers as if the offset were the cap, as Rebilly once documented
	// ("?offset=1001 or ?offset=2000 returns the same results as if you used ?offset=1000"),
	// silently: Pagination-Offset repeats the offset asked for. A client that pages by offset
	// alone then sees the page at the cap again and again.
	RepeatPageAtCap
)

// WithOffsetCap sets the largest offset a list request may have (default MaxListOffset) and
// how a request past it is answered: RefuseOffset (the default) or RepeatPageAtCap. A cap
// below 1000 plays a server that caps lower than it documents. In strict mode an offset above
// 1000 is refused by openapi.yaml itself unless past is RepeatPageAtCap.
func WithOffsetCap(maxOffset int, past PastOffsetCap) Option {
	return func(c *config) error {
		if maxOffset < 0 || maxOffset > MaxListOffset {
			return fmt.Errorf("rebillytest: WithOffsetCap: cap %d is outside 0..%d", maxOffset, MaxListOffset)
		}
		if past != RefuseOffset && past != RepeatPageAtCap {
			return fmt.Errorf("rebillytest: WithOffsetCap: unknown PastOffsetCap %d", past)
		}
		c.offsetCap, c.pastOffsetCap = maxOffset, past
		return nil
	}
}

// listQueryForValidation returns the query that strict mode validates for a list request:
// with RepeatPageAtCap an offset past the cap is not an error, so it is validated as the cap.
func (h *Handler) listQueryForValidation(rawQuery string) string {
	if h.cfg.pastOffsetCap != RepeatPageAtCap {
		return rawQuery
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return rawQuery
	}
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n > h.cfg.offsetCap {
		q.Set("offset", strconv.Itoa(h.cfg.offsetCap))
		return q.Encode()
	}
	return rawQuery
}

// listPayoutRequests serves GET /payout-requests. h.mu is held.
func (h *Handler) listPayoutRequests(rawQuery string) *response {
	prs := make([]*gen.PayoutRequest, len(h.prOrder))
	for i, id := range h.prOrder {
		prs[i] = h.prs[id]
	}
	return listPage(h, rawQuery, prs, payoutRequestFields)
}

// listPage answers a list request of a collection whose items, in their default order, are
// all: Rebilly's filter syntax, sort, limit, offset (with the offset cap) and the
// Pagination-* headers. h.mu is held.
func listPage[T any](h *Handler, rawQuery string, all []*T, fields listFields[T]) *response {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return newProblem(http.StatusBadRequest, "the query cannot be parsed: "+err.Error()).response()
	}
	var f fieldChecks
	limit := intParam(&f, q, "limit", DefaultListLimit, MaxListLimit)
	offset := intParam(&f, q, "offset", 0, -1)
	match, problem := fields.parseFilter(q.Get("filter"))
	if problem != "" {
		f.add("filter", problem)
	}
	order, problem := fields.parseSort(q.Get("sort"))
	if problem != "" {
		f.add("sort", problem)
	}
	if p := f.problem(); p != nil {
		return p.response()
	}
	applied := offset
	if offset > h.cfg.offsetCap {
		if h.cfg.pastOffsetCap == RefuseOffset {
			return fieldProblem("offset", fmt.Sprintf("must be at most %d", h.cfg.offsetCap)).response()
		}
		applied = h.cfg.offsetCap
	}

	matched := make([]*T, 0, len(all))
	for _, item := range all {
		if match(item) {
			matched = append(matched, item)
		}
	}
	if order != nil && !slices.IsSortedFunc(matched, order) {
		slices.SortStableFunc(matched, order) // ties keep the default order, on every request
	}
	page := matched[min(applied, len(matched)):min(applied+limit, len(matched))]
	resp := jsonResponse(http.StatusOK, page)
	resp.header.Set("Pagination-Total", strconv.Itoa(len(matched)))
	resp.header.Set("Pagination-Limit", strconv.Itoa(limit))
	resp.header.Set("Pagination-Offset", strconv.Itoa(offset)) // RepeatPageAtCap: silently
	return resp
}

// intParam reads a non-negative integer query parameter, at most maxValue (unless it is -1).
func intParam(f *fieldChecks, q url.Values, name string, def, maxValue int) int {
	v := q.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil || n < 0:
		f.add(name, "must be a non-negative integer")
	case maxValue >= 0 && n > maxValue:
		f.add(name, fmt.Sprintf("must be at most %d", maxValue))
	}
	return n
}

// filterField says how a field of the filter is read from an item of type T.
type filterField[T any] struct {
	text   func(*T) string    // a string field, matched without regard to case
	time   func(*T) time.Time // a time field
	amount func(*T) money.Amount
	bool   func(*T) bool
}

// listFields says what a collection's list request can filter and sort on.
type listFields[T any] struct {
	filter     func(name string) (filterField[T], bool)
	filterable string // the names of filter's fields, for a 422
	sort       func(name string) (func(a, b *T) int, bool)
	sortable   string // the names of sort's fields
}

// payoutRequestFields are those of GET /payout-requests: the fields openapi.yaml lists as
// filterable, and the sortable ones.
var payoutRequestFields = listFields[gen.PayoutRequest]{
	filter:     payoutRequestFilterField,
	filterable: "id, customerId, websiteId, batchId, status, blocked, blockReason, splitReason, createdTime, updatedTime, currency and amount",
	sort:       payoutRequestSortKey,
	sortable:   "id, customerId, websiteId, status, currency, amount, createdTime and updatedTime",
}

// payoutRequestFilterField returns how the field name of a filter is read from a payout
// request.
func payoutRequestFilterField(name string) (filterField[gen.PayoutRequest], bool) {
	type field = filterField[gen.PayoutRequest]
	switch name {
	case "id":
		return field{text: func(pr *gen.PayoutRequest) string { return pr.ID }}, true
	case "customerId":
		return field{text: func(pr *gen.PayoutRequest) string { return pr.CustomerID }}, true
	case "websiteId":
		return field{text: func(pr *gen.PayoutRequest) string { return pr.WebsiteID }}, true
	case "batchId":
		return field{text: func(pr *gen.PayoutRequest) string { return pr.BatchID }}, true
	case "status":
		return field{text: func(pr *gen.PayoutRequest) string { return string(pr.Status) }}, true
	case "blockReason":
		return field{text: func(pr *gen.PayoutRequest) string { return string(pr.BlockReason) }}, true
	case "splitReason":
		return field{text: func(pr *gen.PayoutRequest) string { return string(pr.SplitReason) }}, true
	case "currency":
		return field{text: func(pr *gen.PayoutRequest) string { return pr.Currency }}, true
	case "blocked":
		return field{bool: func(pr *gen.PayoutRequest) bool { return pr.Blocked != nil && *pr.Blocked }}, true
	case "amount":
		return field{amount: func(pr *gen.PayoutRequest) money.Amount { return pr.Amount }}, true
	case "createdTime":
		return field{time: func(pr *gen.PayoutRequest) time.Time { return pr.CreatedTime }}, true
	case "updatedTime":
		return field{time: func(pr *gen.PayoutRequest) time.Time { return pr.UpdatedTime }}, true
	}
	return field{}, false
}

// parseFilter reads a filter in Rebilly's syntax (terms "field:value" joined by ";", values
// joined by ",", ranges "lo..hi" with either end open, a leading "!" to negate) into a
// predicate, or says why it cannot.
func (fields listFields[T]) parseFilter(filter string) (func(*T) bool, string) {
	if filter == "" {
		return func(*T) bool { return true }, ""
	}
	var terms []func(*T) bool
	for _, term := range strings.Split(filter, ";") {
		name, expr, ok := strings.Cut(term, ":")
		if !ok {
			return nil, fmt.Sprintf("%q is not field:value", term)
		}
		field, known := fields.filter(name)
		if !known {
			return nil, fmt.Sprintf("%q cannot be filtered on; the fields are %s", name, fields.filterable)
		}
		negate := strings.HasPrefix(expr, "!")
		expr = strings.TrimPrefix(expr, "!")
		var pred func(*T) bool
		var problem string
		switch {
		case strings.HasPrefix(expr, "@"):
			problem = "saved lists (@name) are not supported by rebillytest"
		case strings.Contains(expr, ".."):
			pred, problem = rangePredicate(field, expr)
		default:
			pred, problem = valuesPredicate(field, strings.Split(expr, ","))
		}
		if problem != "" {
			return nil, name + ": " + problem
		}
		if negate {
			inner := pred
			pred = func(item *T) bool { return !inner(item) }
		}
		terms = append(terms, pred)
	}
	return func(item *T) bool {
		for _, t := range terms {
			if !t(item) {
				return false
			}
		}
		return true
	}, ""
}

func rangePredicate[T any](field filterField[T], expr string) (func(*T) bool, string) {
	lo, hi, _ := strings.Cut(expr, "..")
	if lo == "" && hi == "" {
		return nil, "a range needs a start, an end or both"
	}
	switch {
	case field.time != nil:
		var from, to time.Time
		var err error
		if lo != "" {
			if from, err = time.Parse(time.RFC3339, lo); err != nil {
				return nil, fmt.Sprintf("%q is not an RFC 3339 time", lo)
			}
		}
		if hi != "" {
			if to, err = time.Parse(time.RFC3339, hi); err != nil {
				return nil, fmt.Sprintf("%q is not an RFC 3339 time", hi)
			}
		}
		return func(item *T) bool {
			t := field.time(item)
			return (lo == "" || !t.Before(from)) && (hi == "" || !t.After(to))
		}, ""
	case field.amount != nil:
		var min, max money.Amount
		var err error
		if lo != "" {
			if min, err = money.Parse(lo); err != nil {
				return nil, fmt.Sprintf("%q is not a number", lo)
			}
		}
		if hi != "" {
			if max, err = money.Parse(hi); err != nil {
				return nil, fmt.Sprintf("%q is not a number", hi)
			}
		}
		return func(item *T) bool {
			a := field.amount(item)
			return (lo == "" || a.Cmp(min) >= 0) && (hi == "" || a.Cmp(max) <= 0)
		}, ""
	}
	return nil, "only createdTime, updatedTime and amount take a range"
}

func valuesPredicate[T any](field filterField[T], values []string) (func(*T) bool, string) {
	for _, v := range values {
		if v == "" {
			return nil, "has an empty value"
		}
	}
	switch {
	case field.text != nil:
		return func(item *T) bool {
			got := field.text(item)
			return slices.ContainsFunc(values, func(v string) bool { return strings.EqualFold(v, got) })
		}, ""
	case field.bool != nil:
		var want []bool
		for _, v := range values {
			b, err := strconv.ParseBool(v)
			if err != nil || (v != "true" && v != "false") {
				return nil, fmt.Sprintf("%q is not true or false", v)
			}
			want = append(want, b)
		}
		return func(item *T) bool { return slices.Contains(want, field.bool(item)) }, ""
	case field.amount != nil:
		var want []money.Amount
		for _, v := range values {
			a, err := money.Parse(v)
			if err != nil {
				return nil, fmt.Sprintf("%q is not a number", v)
			}
			want = append(want, a)
		}
		return func(item *T) bool {
			got := field.amount(item)
			return slices.ContainsFunc(want, got.Equal)
		}, ""
	}
	var want []time.Time
	for _, v := range values {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, fmt.Sprintf("%q is not an RFC 3339 time", v)
		}
		want = append(want, t)
	}
	return func(item *T) bool {
		got := field.time(item)
		return slices.ContainsFunc(want, got.Equal)
	}, ""
}

// payoutRequestSortKey returns the comparison of a field a list of payout requests can be
// sorted by.
func payoutRequestSortKey(name string) (func(a, b *gen.PayoutRequest) int, bool) {
	switch name {
	case "id":
		return func(a, b *gen.PayoutRequest) int { return strings.Compare(a.ID, b.ID) }, true
	case "customerId":
		return func(a, b *gen.PayoutRequest) int { return strings.Compare(a.CustomerID, b.CustomerID) }, true
	case "websiteId":
		return func(a, b *gen.PayoutRequest) int { return strings.Compare(a.WebsiteID, b.WebsiteID) }, true
	case "status":
		return func(a, b *gen.PayoutRequest) int { return strings.Compare(string(a.Status), string(b.Status)) }, true
	case "currency":
		return func(a, b *gen.PayoutRequest) int { return strings.Compare(a.Currency, b.Currency) }, true
	case "amount":
		return func(a, b *gen.PayoutRequest) int { return a.Amount.Cmp(b.Amount) }, true
	case "createdTime":
		return func(a, b *gen.PayoutRequest) int { return a.CreatedTime.Compare(b.CreatedTime) }, true
	case "updatedTime":
		return func(a, b *gen.PayoutRequest) int { return a.UpdatedTime.Compare(b.UpdatedTime) }, true
	}
	return nil, false
}

// parseSort reads the sort parameter (fields joined by ",", "-" for descending) into a
// comparison, nil when there is none.
func (fields listFields[T]) parseSort(sort string) (func(a, b *T) int, string) {
	if sort == "" {
		return nil, ""
	}
	var keys []func(a, b *T) int
	for _, name := range strings.Split(sort, ",") {
		desc := strings.HasPrefix(name, "-")
		key, ok := fields.sort(strings.TrimPrefix(name, "-"))
		if !ok {
			return nil, fmt.Sprintf("%q cannot be sorted on; the fields are %s", name, fields.sortable)
		}
		if desc {
			asc := key
			key = func(a, b *T) int { return asc(b, a) }
		}
		keys = append(keys, key)
	}
	return func(a, b *T) int {
		for _, k := range keys {
			if c := k(a, b); c != 0 {
				return c
			}
		}
		return 0
	}, ""
}

// Values of PayoutRequestCancellation.
const (
	maxCancelDescription = 255
	defaultCanceledBy    = gen.PayoutRequestCancellationCanceledByCustomer // openapi.yaml's default
)

// cancelPayoutRequest serves POST /payout-requests/{id}/cancel. h.mu is held.
func (h *Handler) cancelPayoutRequest(id string, body []byte, now time.Time, links linkBase) *response {
	var in gen.PayoutRequestCancellation
	if p := decodeBody(body, &in); p != nil {
		return p.response()
	}
	var f fieldChecks
	switch in.CanceledBy {
	case "", gen.PayoutRequestCancellationCanceledByMerchant, gen.PayoutRequestCancellationCanceledByCustomer, gen.PayoutRequestCancellationCanceledBySystem:
	default:
		f.add("canceledBy", "must be merchant, customer or system")
	}
	if n := utf8.RuneCountInString(in.Description); n > maxCancelDescription {
		f.add("description", fmt.Sprintf("is %d characters long; the limit is %d", n, maxCancelDescription))
	}
	if p := f.problem(); p != nil {
		return p.response()
	}
	pr, ok := h.prs[id]
	if !ok {
		return newProblem(http.StatusNotFound, fmt.Sprintf("no payout request has the id %q", id)).response()
	}
	if p := cancelLocked(pr, in, now); p != nil {
		return p.response()
	}
	resp := jsonResponse(http.StatusOK, pr)
	resp.header.Set("Location", links.url("payout-requests", id))
	return resp
}

// cancelLocked cancels a stored payout request, or returns the 409 of one that is already
// canceled or fulfilled. h.mu is held.
func cancelLocked(pr *gen.PayoutRequest, in gen.PayoutRequestCancellation, now time.Time) *problem {
	switch pr.Status {
	case gen.PayoutRequestStatusCanceled:
		return newProblem(http.StatusConflict, fmt.Sprintf("the payout request %s is already canceled", pr.ID))
	case gen.PayoutRequestStatusFulfilled:
		return newProblem(http.StatusConflict, fmt.Sprintf("the payout request %s is fulfilled and cannot be canceled", pr.ID))
	}
	if in.CanceledBy == "" {
		in.CanceledBy = defaultCanceledBy
	}
	cancelPendingAllocations(pr, now)
	pr.Status = gen.PayoutRequestStatusCanceled
	pr.CancellationReason = in
	pr.UpdatedTime = now
	return nil
}

// SeedPayoutRequests stores payout requests as they are given, without a request and without
// the rate limit: a fast way to fill the Handler for tests of listing (thousands sharing one
// createdTime second, say). It returns their ids, in order. Each needs WebsiteID, CustomerID,
// Currency and a positive Amount; the Handler fills in the rest as a create would:
//
//   - ID: the id generator's when empty (an id already stored is an error);
//   - CreatedTime: the clock's when zero; UpdatedTime: CreatedTime when zero (both in UTC,
//     to the second, as Rebilly keeps them);
//   - AvailableAmount: Amount minus the allocations when zero; Status: computed as for a
//     create when empty, kept as given otherwise; Blocked: false when nil; Allocations:
//     empty when nil; SelectPaymentInstrumentURL: the usual one when empty.
//
// Seeded payout requests have no _links, since no request says which host they are served
// from. Everything else behaves as for a payout request created through the API. Nothing is
// stored when any of them is refused.
func (h *Handler) SeedPayoutRequests(prs ...payoutrequests.PayoutRequest) ([]string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	stored := make([]*gen.PayoutRequest, 0, len(prs))
	seen := make(map[string]bool, len(prs))
	var problems []error
	for i := range prs {
		pr := copyPayoutRequest(&prs[i])
		if pr.ID == "" {
			pr.ID = h.cfg.newID(PayoutRequestIDPrefix)
		}
		if p := checkPayoutRequestBody(pr); p != nil {
			problems = append(problems, fmt.Errorf("payout request %d: %s", i, describeFields(p)))
			continue
		}
		if _, taken := h.prs[pr.ID]; taken || seen[pr.ID] {
			problems = append(problems, fmt.Errorf("payout request %d: the id %q is already stored", i, pr.ID))
			continue
		}
		seen[pr.ID] = true
		pr.CreatedTime, pr.UpdatedTime = h.seedTimes(pr.CreatedTime, pr.UpdatedTime)
		if pr.AvailableAmount.IsZero() {
			pr.AvailableAmount = pr.Amount
			if sum := allocated(pr); sum.Sign() != 0 {
				pr.AvailableAmount = pr.Amount.Sub(sum)
			}
		}
		if pr.Blocked == nil {
			unblocked := false
			pr.Blocked = &unblocked
		}
		if pr.Allocations == nil {
			pr.Allocations = []gen.PayoutRequestAllocation{}
		}
		if pr.SelectPaymentInstrumentURL == "" {
			pr.SelectPaymentInstrumentURL = fmt.Sprintf(SelectPaymentInstrumentURLFormat, url.PathEscape(pr.ID))
		}
		if pr.Status == "" {
			pr.Status = statusOf(pr)
		}
		stored = append(stored, pr)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("rebillytest: SeedPayoutRequests: %w", errors.Join(problems...))
	}
	ids := make([]string, len(stored))
	for i, pr := range stored {
		h.prs[pr.ID] = pr
		h.prOrder = append(h.prOrder, pr.ID)
		ids[i] = pr.ID
	}
	return ids, nil
}

// seedTimes returns the createdTime and updatedTime of a seeded resource: the clock's and
// the createdTime when zero, in UTC, to the second. h.mu is held.
func (h *Handler) seedTimes(created, updated time.Time) (time.Time, time.Time) {
	if created.IsZero() {
		created = h.cfg.clock()
	}
	created = created.UTC().Truncate(time.Second)
	if updated.IsZero() {
		updated = created
	}
	return created, updated.UTC().Truncate(time.Second)
}

// copyPayoutRequest copies a payout request so that the stored one shares nothing with the
// caller's.
func copyPayoutRequest(in *gen.PayoutRequest) *gen.PayoutRequest {
	pr := *in
	if in.Blocked != nil {
		b := *in.Blocked
		pr.Blocked = &b
	}
	pr.Links = slices.Clone(in.Links)
	pr.Allocations = slices.Clone(in.Allocations)
	for i := range pr.Allocations {
		pr.Allocations[i].Links = slices.Clone(in.Allocations[i].Links)
	}
	return &pr
}

// describeFields says what a 422 problem rejected, for an error of the Go API.
func describeFields(p *problem) string {
	parts := make([]string, len(p.InvalidFields))
	for i, f := range p.InvalidFields {
		parts[i] = f.Field + " " + f.Message
	}
	return strings.Join(parts, "; ")
}
