package payoutrequests

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

// All yields every payout request that params select, exactly once, in createdTime order
// (ascending, or descending with Sort "-createdTime"), and always ends. GET /payout-requests,
// a page at a time.
//
// Rebilly accepts offsets up to [MaxOffset] only (past it, it answers 422, or repeats the
// page at the cap), so All pages by offset up to it and then by keyset: it narrows the
// filter to the payout requests created at or after the second of the last one it yielded
// (at or before it, descending) and skips by offset the ones of that second it has already
// yielded. Thousands of payout requests can share a second; when too many share the last
// one to skip by offset, it skips [MaxOffset] and drops the rest from a page of [MaxLimit],
// which reaches 2,000 payout requests per second. It never sends an offset above MaxOffset.
//
// Every page after the first starts with the last payout request yielded, read again, so
// that a page that shifted is seen before any of it is yielded. All checks every page
// before yielding it, and ends with an error matching rebilly.ErrPaging
// ([*rebilly.PagingError]) instead of yielding a payout request twice, skipping one or going
// on forever: a page longer than asked, items out of createdTime order, outside the range
// asked or already yielded, a page that shifted (payout requests before the position added
// to or removed from the filter while All paged, such as pending ones canceled meanwhile),
// a page that ends before Pagination-Total says, or more than 2,000 payout requests in one
// second. A shift, a 422 naming offset or a Pagination-Offset other than asked, at an offset
// above every one that worked, is taken for a cap lower than documented instead: All goes on
// by keyset from the largest offset that worked. Payout requests created while All runs are
// yielded when they sort after its position. Start it again after an error, later or with a
// narrower filter.
//
// All checks params as List does, before anything is sent, and also refuses a Sort whose
// first field is not createdTime or -createdTime, an Offset, and a hand-written Filter that
// names createdTime (give the range with [CreatedBetween] in Where, which All keeps to). It
// never changes params. Its memory is about one page (Limit, [DefaultAllLimit] by default,
// plus the payout request read again) and the ids of the payout requests yielded in the
// last second. When the loop body breaks, All sends no further request. An error is
// yielded once, with a nil payout request, and ends the iteration: an error of List, or a
// *rebilly.PagingError.
func (s *Service) All(ctx context.Context, params ListParams) iter.Seq2[*PayoutRequest, error] {
	return func(yield func(*PayoutRequest, error) bool) {
		p, err := newPager(s, params)
		if err != nil {
			yield(nil, err)
			return
		}
		p.run(ctx, yield)
	}
}

// pager is one run of All.
type pager struct {
	s       *Service
	base    ListParams // the caller's params without the createdTime condition
	from    time.Time  // the caller's createdTime range, zero where open
	to      time.Time
	desc    bool
	sort    []string
	limit   int // new payout requests per page: the caller's Limit or DefaultAllLimit
	cap     int // the largest offset to send: MaxOffset, or less once Rebilly showed less
	goodMax int // the largest offset whose page checked out

	// The window being paged: the payout requests created at or after bound (at or before,
	// descending), or all of them while bound is zero.
	bound time.Time
	// The next request, and how many of its first items are payout requests already yielded
	// that it reads again to check that the pages did not shift: the last one yielded, and,
	// when too many share its second to skip them by offset, the ones before it.
	offset, skip, pageLimit int

	// The tail: the id and second of the last payout request yielded, and the ids of those
	// yielded in that second.
	lastID    string
	second    time.Time
	tail      map[string]struct{}
	subSecond bool // a createdTime of the tail has a fraction of a second

	requests int
	filter   string // the filter of the last request
}

func newPager(s *Service, params ListParams) (*pager, error) {
	var f validate.Fields
	base := params
	base.Where = nil
	p := &pager{s: s, limit: params.Limit, cap: MaxOffset, tail: map[string]struct{}{}}
	for _, c := range params.Where {
		if c.field == fieldCreatedTime && c.problem == "" && !c.negate {
			if !p.from.IsZero() || !p.to.IsZero() {
				continue // joinFilter (in query) reports the field named twice
			}
			p.from, p.to = c.from, c.to
			continue
		}
		base.Where = append(base.Where, c)
	}
	q := params.query(&f) // checks every field, the createdTime condition too
	if slices.Contains(rawFields(params.Filter), fieldCreatedTime) {
		f.Add("filter", "names createdTime, which All pages on: give the range with CreatedBetween in Where, and All keeps to it")
	}
	if params.Offset != 0 {
		f.Add("offset", fmt.Sprintf("is %d; All starts at the first matching payout request: narrow it with CreatedBetween instead", params.Offset))
	}
	switch {
	case len(q.sort) == 0:
		p.sort = []string{fieldCreatedTime}
	case q.sort[0] == fieldCreatedTime:
		p.sort = q.sort
	case q.sort[0] == "-"+fieldCreatedTime:
		p.sort, p.desc = q.sort, true
	default:
		f.Add("sort", fmt.Sprintf("starts with %q; All pages on createdTime, so its first field must be createdTime or -createdTime", clip(q.sort[0])))
	}
	if p.limit == 0 {
		p.limit = DefaultAllLimit
	}
	if err := f.Err(opList); err != nil {
		return nil, err
	}
	p.base, p.pageLimit = base, p.limit
	return p, nil
}

// run pages until the end, an error, or yield returns false.
func (p *pager) run(ctx context.Context, yield func(*PayoutRequest, error) bool) {
	for {
		q, empty := p.query()
		if empty {
			return
		}
		p.requests++
		p.filter = q.filter
		page, err := p.s.fetch(ctx, q, nil)
		var shifted string
		switch {
		case err != nil && refusedOffset(err) && p.lowerCap(q.offset):
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
			if !p.lowerCap(q.offset) {
				yield(nil, p.fail(q, shifted+": payout requests before this position were added or stopped matching the filter while All paged (or Rebilly ignored the offset), so going on could skip or repeat some"))
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
		for _, pr := range page.Items[p.skip:] {
			if !yield(pr, nil) {
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
func (p *pager) query() (q query, empty bool) {
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
		return query{}, true
	}
	params := p.base
	if !from.IsZero() || !to.IsZero() {
		params.Where = append(slices.Clip(params.Where), timeCondition(fieldCreatedTime, from, to))
	}
	var f validate.Fields // newPager checked everything this can find
	params.Limit, params.Offset, params.Sort = p.pageLimit, p.offset, p.sort
	return params.query(&f), false
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
// Pagination-Offset is not the offset asked, or its first items are not the payout requests
// already yielded that it was to read again.
func (p *pager) shifted(page *Page, q query) string {
	if page.reportedOffset >= 0 && page.reportedOffset != q.offset {
		return fmt.Sprintf("Pagination-Offset says %d for a request at offset %d", page.reportedOffset, q.offset)
	}
	if p.skip == 0 {
		return ""
	}
	if len(page.Items) < p.skip {
		return fmt.Sprintf("the page has %d payout requests where %d already yielded were to come first", len(page.Items), p.skip)
	}
	for i, pr := range page.Items[:p.skip] {
		if _, ok := p.tail[pr.ID]; !ok || !pr.CreatedTime.UTC().Truncate(time.Second).Equal(p.second) {
			return fmt.Sprintf("item %d, %s, is not one of the payout requests of %s already yielded", i, pr.ID, formatTime(p.second))
		}
	}
	if id := page.Items[p.skip-1].ID; id != p.lastID {
		return fmt.Sprintf("item %d is %s where the last payout request yielded, %s, was to be", p.skip-1, id, p.lastID)
	}
	return ""
}

// lowerCap takes a shifted page at offset for a sign that Rebilly's offset cap is lower than
// documented: a server past its cap refuses the offset, or answers the page at the cap (so
// with payout requests already yielded). That holds only for an offset above every one that
// worked; then the cap becomes the largest that did, and lowerCap reports true. Each call that
// reports true lowers the cap, so there are finitely many.
func (p *pager) lowerCap(offset int) bool {
	if offset == 0 || p.goodMax >= offset {
		return false
	}
	p.cap = p.goodMax
	return true
}

// before reports whether second a comes before b in the iteration's order.
func (p *pager) before(a, b time.Time) bool {
	if p.desc {
		return a.After(b)
	}
	return a.Before(b)
}

// accept checks the new payout requests of a page against everything yielded so far, and
// moves the tail past them. It returns a *PagingError when yielding them could repeat a
// payout request, or skip one.
func (p *pager) accept(page *Page, q query) error {
	if n := len(page.Items); n > q.limit {
		return p.fail(q, fmt.Sprintf("Rebilly returned %d payout requests for a limit of %d", n, q.limit))
	}
	for i, pr := range page.Items[p.skip:] {
		i += p.skip
		if pr.CreatedTime.IsZero() {
			return p.fail(q, fmt.Sprintf("item %d, %s, has no createdTime, which All pages on", i, pr.ID))
		}
		sec := pr.CreatedTime.UTC().Truncate(time.Second)
		switch {
		case !p.inRange(sec):
			return p.fail(q, fmt.Sprintf("item %d, %s, was created at %s, outside the range asked for", i, pr.ID, formatTime(pr.CreatedTime)))
		case p.lastID != "" && p.before(sec, p.second):
			return p.fail(q, fmt.Sprintf("item %d, %s, created at %s, comes after one created at %s: the pages are not in createdTime order", i, pr.ID, formatTime(pr.CreatedTime), formatTime(p.second)))
		case !sec.Equal(p.second):
			p.second, p.subSecond = sec, false
			clear(p.tail)
		}
		if _, dup := p.tail[pr.ID]; dup {
			return p.fail(q, fmt.Sprintf("item %d, %s, was already yielded", i, pr.ID))
		}
		p.tail[pr.ID] = struct{}{}
		p.lastID = pr.ID
		p.subSecond = p.subSecond || !pr.CreatedTime.Equal(sec)
	}
	p.goodMax = max(p.goodMax, q.offset)
	return nil
}

// inRange reports whether a second lies in the window and in the caller's range.
func (p *pager) inRange(sec time.Time) bool {
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
func (p *pager) advance(ctx context.Context, page *Page, q query) (done bool, err error) {
	end := q.offset + len(page.Items) // the window's items up to the page's last one
	switch {
	case len(page.Items) < q.limit:
		if page.Total >= 0 && end < page.Total {
			return true, p.fail(q, fmt.Sprintf("the page ends at item %d, but Pagination-Total says %d", end, page.Total))
		}
		return true, nil
	case page.Total >= 0 && end >= page.Total:
		return true, nil
	case end-1 <= p.cap && p.skip <= 1:
		// The next page starts with the last payout request yielded again.
		p.offset, p.skip, p.pageLimit = end-1, 1, min(p.limit+1, MaxLimit)
		return false, nil
	}
	return false, p.rebase(ctx)
}

// rebase starts a new window at the second of the last payout request yielded: the payout
// requests of that second come first in it, the tail first of all.
func (p *pager) rebase(ctx context.Context) error {
	q := query{filter: p.filter, offset: p.offset}
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
		return p.fail(query{filter: p.filter}, fmt.Sprintf("Pagination-Total says %d payout requests match with createdTime %s, but %d were yielded", count, formatTime(p.second), n))
	}
	return p.fail(query{filter: p.filter}, fmt.Sprintf("%d payout requests match with createdTime %s; offset paging reaches only %d of them (an offset of at most %d plus a page of %d), and no other documented sortable field tells them apart: narrow the filter",
		count, formatTime(p.second), p.cap+MaxLimit, p.cap, MaxLimit))
}

// countSecond asks how many payout requests match in the second of the tail.
func (p *pager) countSecond(ctx context.Context) (int, error) {
	params := p.base
	params.Where = append(slices.Clip(params.Where), timeCondition(fieldCreatedTime, p.second, p.second))
	params.Limit, params.Sort = 1, p.sort
	var f validate.Fields
	q := params.query(&f)
	p.requests++
	p.filter = q.filter
	page, err := p.s.fetch(ctx, q, nil)
	switch {
	case err != nil:
		return 0, err
	case page.Total < 0:
		return 0, p.fail(q, fmt.Sprintf("more payout requests share createdTime %s than offset paging can skip, and Rebilly did not say how many (no Pagination-Total)", formatTime(p.second)))
	}
	return page.Total, nil
}

func (p *pager) fail(q query, reason string) error {
	return &errs.PagingError{Op: opList, Filter: q.filter, Offset: q.offset, Requests: p.requests, Reason: reason}
}
