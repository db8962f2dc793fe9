// Package paging lists Rebilly's collections: the filter conditions, the checks of a list
// call's params, one page (List) and every item exactly once past the offset cap (All). The
// services (payoutrequests, allocations) wrap it in their own types; each gives a
// [Collection] what differs between them: the item type, its id and createdTime, and how
// one page is requested.
package paging

import (
	"fmt"
	"slices"
	"strings"

	"github.com/paysdk/rebilly/internal/validate"
)

// Paging limits of Rebilly's collections (collectionLimit and collectionOffset).
const (
	// MaxLimit is the largest page Rebilly serves.
	MaxLimit = 1000
	// MaxOffset is the largest offset Rebilly accepts. Past it Rebilly answers 422, or (as it
	// once documented) the page at offset 1000 again.
	MaxOffset = 1000
	// DefaultAllLimit is the page size All asks for when Params.Limit is 0.
	DefaultAllLimit = 100
)

// Params are the params of a list call, as every service's ListParams holds them (with its
// own Condition type in Where).
type Params struct {
	Filter string
	Where  []Condition
	Sort   []string
	Limit  int
	Offset int
}

// Query is what one list request sends.
type Query struct {
	Filter        string
	Sort          []string
	Limit, Offset int // Limit 0: not sent
}

// Query checks params (but Offset, which List and All treat differently) and returns the
// request they make.
func (p Params) Query(f *validate.Fields) Query {
	CheckRaw(f, p.Filter)
	filter := Join(p.Filter, p.Where, f)
	switch {
	case p.Limit < 0:
		f.Add("limit", fmt.Sprintf("is %d; it must not be negative", p.Limit))
	case p.Limit > MaxLimit:
		f.Add("limit", fmt.Sprintf("is %d; Rebilly serves at most %d per page", p.Limit, MaxLimit))
	}
	for i, field := range p.Sort {
		if msg := sortProblem(field); msg != "" {
			f.Add(fmt.Sprintf("sort[%d]", i), msg)
		}
	}
	return Query{Filter: filter, Sort: slices.Clone(p.Sort), Limit: p.Limit, Offset: p.Offset}
}

// Pointers returns the query as the generated collection params hold it: nil for what is not
// sent.
func (q Query) Pointers() (filter *string, sort *[]string, limit, offset *int) {
	if q.Filter != "" {
		filter = &q.Filter
	}
	if len(q.Sort) > 0 {
		sort = &q.Sort
	}
	if q.Limit > 0 {
		limit = &q.Limit
	}
	if q.Offset > 0 {
		offset = &q.Offset
	}
	return filter, sort, limit, offset
}

// CheckOffset checks the Offset of a List call.
func CheckOffset(f *validate.Fields, offset int) {
	switch {
	case offset < 0:
		f.Add("offset", fmt.Sprintf("is %d; it must not be negative", offset))
	case offset > MaxOffset:
		f.Add("offset", fmt.Sprintf("is %d; Rebilly accepts at most %d (past it, it refuses the request or repeats the page at %d): use All to go further", offset, MaxOffset, MaxOffset))
	}
}

// sortProblem says what is wrong with a sort field: it must be a field name (letters, digits,
// "_" and ".") with an optional "-" before it, since "," separates the fields on the wire.
func sortProblem(field string) string {
	name := strings.TrimPrefix(field, "-")
	if name == "" {
		return fmt.Sprintf("%q is not a field name", field)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !(letter || (i > 0 && (('0' <= c && c <= '9') || c == '_' || c == '.'))) {
			return fmt.Sprintf("%q is not a field name (with an optional \"-\" before it)", clip(field))
		}
	}
	return ""
}
