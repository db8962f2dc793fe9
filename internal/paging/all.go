package paging

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/internal/validate"
)

// All yields every item that params select, exactly once, in createdTime order (ascending,
// or descending with Sort "-createdTime"), and always ends. The services' All documents
// what it does for the caller; in short:
//
// It pages by offset up to [MaxOffset], then by keyset: it narrows the filter to the items
// created at or after the second of the last one it yielded (at or before it, descending)
// and skips by offset the ones of that second it has already yielded; when too many share
// the last second to skip by offset, it skips MaxOffset and drops the rest from a page of
// [MaxLimit], which reaches 2,000 items per second. Every page after the first starts with
// the last item yielded, read again, so that a page that shifted is seen before any of it is
// yielded. Every page is checked before any of it is yielded; what would repeat or skip an
// item ends the iteration with an *errs.PagingError, but a shift, a 422 naming offset or a
// Pagination-Offset other than asked at an offset above every one that worked, which is
// taken for a cap lower than documented: All goes on by keyset from the largest offset that
// worked.
func (c *Collection[T]) All(ctx context.Context, params Params) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		p, err := newPager(c, params)
		if err != nil {
			yield(nil, err)
			return
		}
		p.run(ctx, yield)
	}
}

// pager is one run of All.
type pager[T any] struct {
	c       *Collection[T]
	base    Params    // the caller's params without the createdTime condition
	from    time.Time // the caller's createdTime range, zero where open
	to      time.Time
	desc    bool
	sort    []string
	limit   int // new items per page: the caller's Limit or DefaultAllLimit
	cap     int // the largest offset to send: MaxOffset, or less once Rebilly showed less
	goodMax int // the largest offset whose page checked out

	// The window being paged: the items created at or after bound (at or before,
	// descending), or all of them while bound is zero.
	bound time.Time
	// The next request, and how many of its first items were already yielded, read again to
	// check that the pages did not shift: the last one yielded, and, when too many share its
	// second to skip them by offset, the ones before it.
	offset, skip, pageLimit int

	// The tail: the id and second of the last item yielded, and the ids of those yielded in
	// that second.
	lastID    string
	second    time.Time
	tail      map[string]struct{}
	subSecond bool // a createdTime of the tail has a fraction of a second

	requests int
	filter   string // the filter of the last request
}

func newPager[T any](c *Collection[T], params Params) (*pager[T], error) {
	var f validate.Fields
	base := params
	base.Where = nil
	p := &pager[T]{c: c, limit: params.Limit, cap: MaxOffset, tail: map[string]struct{}{}}
	for _, cond := range params.Where {
		if cond.field == FieldCreatedTime && cond.problem == "" && !cond.negate {
			if !p.from.IsZero() || !p.to.IsZero() {
				continue // Join (in Query) reports the field named twice
			}
			p.from, p.to = cond.from, cond.to
			continue
		}
		base.Where = append(base.Where, cond)
	}
	q := params.Query(&f) // checks every field, the createdTime condition too
	if slices.Contains(RawFields(params.Filter), FieldCreatedTime) {
		f.Add("filter", "names createdTime, which All pages on: give the range with CreatedBetween in Where, and All keeps to it")
	}
	if params.Offset != 0 {
		f.Add("offset", fmt.Sprintf("is %d; All starts at the first matching %s: narrow it with CreatedBetween instead", params.Offset, c.One))
	}
	switch {
	case len(q.Sort) == 0:
		p.sort = []string{FieldCreatedTime}
	case q.Sort[0] == FieldCreatedTime:
		p.sort = q.Sort
	case q.Sort[0] == "-"+FieldCreatedTime:
		p.sort, p.desc = q.Sort, true
	default:
		f.Add("sort", fmt.Sprintf("starts with %q; All pages on createdTime, so its first field must be createdTime or -createdTime", clip(q.Sort[0])))
	}
	if p.limit == 0 {
		p.limit = DefaultAllLimit
	}
	if err := f.Err(c.Op); err != nil {
		return nil, err
	}
	p.base, p.pageLimit = base, p.limit
	return p, nil
}

// run pages until the end, an error, or yield returns false.
func (p *pager[T]) run(ctx context.Context, yield func(*T, error) bool) {
	for {
		q, empty := p.query()
		if empty {
			return
		}
		p.requests++
		p.filter = q.Filter
		page, err := p.c.fetch(ctx, q, nil)
		var shifted string
		switch {
		case err != nil && refusedOffset(err) && p.lowerCap(q.Offset):
			if err := p.rebase(ctx); err != nil {
				yield(nil, err)
				return
			}
			continue
		case err != nil:
			yield(nil, err)
			return
		default:
			shifted = p.shifted(page, q)
		}
		if shifted != "" {
			if !p.lowerCap(q.Offset) {
				yield(nil, p.fail(q, shifted+": "+p.c.Many+" before this position were added or stopped matching the filter while All paged (or Rebilly ignored the offset), so going on could skip or repeat some"))
				return
			}
			if err := p.rebase(ctx); err != nil {
				yield(nil, err)
				return
			}
			continue
		}
		if err := p.accept(page, q); err != nil {
			yield(nil, err)
			return
		}
		for _, item := range page.Items[p.skip:] {
			if !yield(item, nil) {
				return
			}
		}
		done, err := p.advance(ctx, page, q)
		if err != nil {
			yield(nil, err)
			return
		}
		if done {
			return
		}
	}
}

// query returns the next request, or empty when the window cannot hold anything.
func (p *pager[T]) query() (q Query, empty bool) {
	from, to := p.from, p.to
	if !p.bound.IsZero() {
		if p.desc && (to.IsZero() || p.bound.Before(to)) {
			to = p.bound
		}
		if !p.desc && p.bound.After(from) {
			from = p.bound
		}
	}
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return Query{}, true
	}
	params := p.base
	if !from.IsZero() || !to.IsZero() {
		params.Where = append(slices.Clip(params.Where), Times(FieldCreatedTime, from, to))
	}
	var f validate.Fields // newPager checked everything this can find
	params.Limit, params.Offset, params.Sort = p.pageLimit, p.offset, p.sort
	return params.Query(&f), false
}

// refusedOffset reports whether err is a 422 that names the offset.
func refusedOffset(err error) bool {
	var apiErr *errs.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 {
		return false
	}
	for _, f := range apiErr.InvalidFields {
		if f.Field == "offset" {
			return true
		}
	}
	return false
}

// shifted says why a page is not where the pages before it put it ("" when it is): its
// Pagination-Offset is not the offset asked, or its first items are not the items already
// yielded that it was to read again.
func (p *pager[T]) shifted(page *Page[T], q Query) string {
	if page.ReportedOffset >= 0 && page.ReportedOffset != q.Offset {
		return fmt.Sprintf("Pagination-Offset says %d for a request at offset %d", page.ReportedOffset, q.Offset)
	}
	if p.skip == 0 {
		return ""
	}
	if len(page.Items) < p.skip {
		return fmt.Sprintf("the page has %d %s where %d already yielded were to come first", len(page.Items), p.c.Many, p.skip)
	}
	for i, item := range page.Items[:p.skip] {
		if _, ok := p.tail[p.c.ID(item)]; !ok || !p.c.Created(item).UTC().Truncate(time.Second).Equal(p.second) {
			return fmt.Sprintf("item %d, %s, is not one of the %s of %s already yielded", i, p.c.ID(item), p.c.Many, formatTime(p.second))
		}
	}
	if id := p.c.ID(page.Items[p.skip-1]); id != p.lastID {
		return fmt.Sprintf("item %d is %s where the last %s yielded, %s, was to be", p.skip-1, id, p.c.One, p.lastID)
	}
	return ""
}

// lowerCap takes a shifted page at offset for a sign that Rebilly's offset cap is lower than
// documented: a server past its cap refuses the offset, or answers the page at the cap (so
// with items already yielded). That holds only for an offset above every one that worked;
// then the cap becomes the largest that did, and lowerCap reports true. Each call that
// reports true lowers the cap, so there are finitely many.
func (p *pager[T]) lowerCap(offset int) bool {
	if offset == 0 || p.goodMax >= offset {
		return false
	}
	p.cap = p.goodMax
	return true
}

// before reports whether second a comes before b in the iteration's order.
func (p *pager[T]) before(a, b time.Time) bool {
	if p.desc {
		return a.After(b)
	}
	return a.Before(b)
}

// accept checks the new items of a page against everything yielded so far, and moves the
// tail past them. It returns a *PagingError when yielding them could repeat an item, or
// skip one.
func (p *pager[T]) accept(page *Page[T], q Query) error {
	if n := len(page.Items); n > q.Limit {
		return p.fail(q, fmt.Sprintf("Rebilly returned %d %s for a limit of %d", n, p.c.Many, q.Limit))
	}
	for i, item := range page.Items[p.skip:] {
		i += p.skip
		id, created := p.c.ID(item), p.c.Created(item)
		if created.IsZero() {
			return p.fail(q, fmt.Sprintf("item %d, %s, has no createdTime, which All pages on", i, id))
		}
		sec := created.UTC().Truncate(time.Second)
		switch {
		case !p.inRange(sec):
			return p.fail(q, fmt.Sprintf("item %d, %s, was created at %s, outside the range asked for", i, id, formatTime(created)))
		case p.lastID != "" && p.before(sec, p.second):
			return p.fail(q, fmt.Sprintf("item %d, %s, created at %s, comes after one created at %s: the pages are not in createdTime order", i, id, formatTime(created), formatTime(p.second)))
		case !sec.Equal(p.second):
			p.second, p.subSecond = sec, false
			clear(p.tail)
		}
		if _, dup := p.tail[id]; dup {
			return p.fail(q, fmt.Sprintf("item %d, %s, was already yielded", i, id))
		}
		p.tail[id] = struct{}{}
		p.lastID = id
		p.subSecond = p.subSecond || !created.Equal(sec)
	}
	p.goodMax = max(p.goodMax, q.Offset)
	return nil
}

// inRange reports whether a second lies in the window and in the caller's range.
func (p *pager[T]) inRange(sec time.Time) bool {
	lo, hi := p.from, p.to
	if !p.bound.IsZero() {
		if p.desc {
			hi = p.bound
		} else {
			lo = p.bound
		}
	}
	return (lo.IsZero() || !sec.Before(lo)) && (hi.IsZero() || !sec.After(hi))
}

// advance decides what comes after an accepted page: the end, the next page of the window,
// or a new window.
func (p *pager[T]) advance(ctx context.Context, page *Page[T], q Query) (done bool, err error) {
	end := q.Offset + len(page.Items) // the window's items up to the page's last one
	switch {
	case len(page.Items) < q.Limit:
		if page.Total >= 0 && end < page.Total {
			return true, p.fail(q, fmt.Sprintf("the page ends at item %d, but Pagination-Total says %d", end, page.Total))
		}
		return true, nil
	case page.Total >= 0 && end >= page.Total:
		return true, nil
	case end-1 <= p.cap && p.skip <= 1:
		// The next page starts with the last item yielded again.
		p.offset, p.skip, p.pageLimit = end-1, 1, min(p.limit+1, MaxLimit)
		return false, nil
	}
	return false, p.rebase(ctx)
}

// rebase starts a new window at the second of the last item yielded: the items of that
// second come first in it, the tail first of all.
func (p *pager[T]) rebase(ctx context.Context) error {
	q := Query{Filter: p.filter, Offset: p.offset}
	if p.lastID == "" {
		return p.fail(q, "Rebilly refused an offset before the first page") // offsets above 0 come after a page
	}
	if p.desc && p.subSecond {
		return p.fail(q, fmt.Sprintf("createdTime %s has a fraction of a second, which a descending filter cannot bound exactly", formatTime(p.second)))
	}
	p.bound = p.second
	n := len(p.tail) // the tail takes the window's first n places; the last yielded is at n-1
	p.offset, p.skip, p.pageLimit = n-1, 1, min(p.limit+1, MaxLimit)
	if p.offset <= p.cap {
		return nil
	}
	p.offset, p.skip, p.pageLimit = p.cap, n-p.cap, MaxLimit
	if p.skip < p.pageLimit {
		return nil
	}
	// The tail is too long to skip. If it is the whole second, the next window starts at the
	// next second; otherwise the rest of this second cannot be reached.
	count, err := p.countSecond(ctx)
	switch {
	case err != nil:
		return err
	case count == n:
		step := time.Second
		if p.desc {
			step = -step
		}
		p.bound = p.second.Add(step)
		p.offset, p.skip, p.pageLimit = 0, 0, p.limit
		return nil
	case count < n:
		return p.fail(Query{Filter: p.filter}, fmt.Sprintf("Pagination-Total says %d %s match with createdTime %s, but %d were yielded", count, p.c.Many, formatTime(p.second), n))
	}
	return p.fail(Query{Filter: p.filter}, fmt.Sprintf("%d %s match with createdTime %s; offset paging reaches only %d of them (an offset of at most %d plus a page of %d), and no other documented sortable field tells them apart: narrow the filter",
		count, p.c.Many, formatTime(p.second), p.cap+MaxLimit, p.cap, MaxLimit))
}

// countSecond asks how many items match in the second of the tail.
func (p *pager[T]) countSecond(ctx context.Context) (int, error) {
	params := p.base
	params.Where = append(slices.Clip(params.Where), Times(FieldCreatedTime, p.second, p.second))
	params.Limit, params.Sort = 1, p.sort
	var f validate.Fields
	q := params.Query(&f)
	p.requests++
	p.filter = q.Filter
	page, err := p.c.fetch(ctx, q, nil)
	switch {
	case err != nil:
		return 0, err
	case page.Total < 0:
		return 0, p.fail(q, fmt.Sprintf("more %s share createdTime %s than offset paging can skip, and Rebilly did not say how many (no Pagination-Total)", p.c.Many, formatTime(p.second)))
	}
	return page.Total, nil
}

func (p *pager[T]) fail(q Query, reason string) error {
	return &errs.PagingError{Op: p.c.Op, Filter: q.Filter, Offset: q.Offset, Requests: p.requests, Reason: reason}
}
