package errs

import (
	"fmt"
	"strconv"
	"strings"
)

// PagingError says an iterator over a collection (payoutrequests.Service.All,
// allocations.Service.All) stopped because going on could have yielded an item twice,
// skipped one, or never ended: Rebilly's pages disagreed with each other (an item seen twice,
// items out of order, a total that shrank), or the collection cannot be paged exactly at all
// (more items share one createdTime second than offset paging can reach). Listing changes nothing: its outcome is NotApplied.
// Start the iteration again, later or with a narrower filter; Reason says what was seen. It
// matches ErrPaging and ErrNotApplied.
type PagingError struct {
	// Op names the operation, such as "GET /payout-requests".
	Op string
	// Filter and Offset are those of the request whose answer showed the problem.
	Filter string
	Offset int
	// Requests is how many pages the iteration had asked for, that one included.
	Requests int
	// Reason says what was wrong.
	Reason string
}

// Error names the request and says what was wrong with its answer.
func (e *PagingError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rebilly: %s: cannot page on exactly (page %d, offset %d", e.Op, e.Requests, e.Offset)
	if e.Filter != "" {
		b.WriteString(", filter " + strconv.Quote(e.Filter))
	}
	b.WriteString("): " + e.Reason)
	return b.String()
}

// Outcome returns NotApplied.
func (e *PagingError) Outcome() Outcome { return NotApplied }

// Is matches ErrPaging and ErrNotApplied.
func (e *PagingError) Is(target error) bool {
	return target == ErrPaging || isClass(target, NotApplied)
}
