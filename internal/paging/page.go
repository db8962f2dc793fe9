package paging

import (
	"context"
	"net/http"
	"time"

	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/validate"
)

// Collection is one of Rebilly's collections, as List and All page it.
type Collection[T any] struct {
	// Op names the list operation, such as "GET /payout-requests", in errors.
	Op string
	// One and Many name an item and items in messages: "payout request", "payout requests".
	One, Many string
	// ID returns an item's id; an item without one makes the page unusable.
	ID func(*T) string
	// Created returns an item's createdTime, which All pages on.
	Created func(*T) time.Time
	// Backend sends the requests; nil makes every call fail, as for a service that
	// rebilly.NewClient did not build.
	Backend *backend.Backend
	// Request builds the request of one page (see [Query.Pointers]).
	Request func(server string, q Query) (*http.Request, error)
}

// Page is one page of a collection.
type Page[T any] struct {
	Items []*T
	// Total is Pagination-Total, -1 when Rebilly did not say.
	Total int
	// Offset is Pagination-Offset, or the offset asked for when Rebilly did not say.
	Offset int
	// Limit is Pagination-Limit, or the limit asked for when Rebilly did not say; -1 when
	// neither is known.
	Limit int
	// ReportedOffset is Pagination-Offset as sent, -1 when absent.
	ReportedOffset int
}

// NextOffset returns the offset of the page after one of n items at offset, of a collection
// of total items (-1: unknown) in pages of limit (-1: unknown), and true; or false when that
// page is the last one, or when the next would start past [MaxOffset], which offset paging
// cannot reach.
func NextOffset(offset, n, total, limit int) (int, bool) {
	next := offset + n
	switch {
	case n == 0:
		return 0, false
	case total >= 0 && next >= total:
		return 0, false
	case total < 0 && limit > 0 && n < limit:
		return 0, false
	case next > MaxOffset:
		return 0, false
	}
	return next, true
}

// Next returns at(the offset of the page after a page of n items at offset), as NextOffset
// finds it, and true; or the zero P and false when there is none: the Next of every
// service's Page.
func Next[P any](at func(offset int) P, offset, n, total, limit int) (P, bool) {
	next, ok := NextOffset(offset, n, total, limit)
	if !ok {
		var zero P
		return zero, false
	}
	return at(next), true
}

// List reads one page. params are checked before anything is sent: Limit up to [MaxLimit],
// Offset up to [MaxOffset], every condition of Where.
func (c *Collection[T]) List(ctx context.Context, params Params) (*Page[T], error) {
	var f validate.Fields
	q := params.Query(&f)
	CheckOffset(&f, params.Offset)
	return c.fetch(ctx, q, f.Err(c.Op))
}

// fetch sends one list request (a read), or returns problems.
func (c *Collection[T]) fetch(ctx context.Context, q Query, problems error) (*Page[T], error) {
	call := backend.Call[Page[T]]{Op: c.Op, Class: backend.Read, Decode: c.decode}
	page, err := backend.Send(ctx, c.Backend, call, problems, func(server string) (*http.Request, error) {
		return c.Request(server, q)
	})
	if err != nil {
		return nil, err
	}
	if page.Offset < 0 {
		page.Offset = q.Offset
	}
	if page.Limit < 0 && q.Limit > 0 {
		page.Limit = q.Limit
	}
	return page, nil
}

// decode reads a page: a JSON array of items, each with an id, and the Pagination-* headers,
// which must be counts when they are present.
func (c *Collection[T]) decode(h http.Header, body []byte) (*Page[T], error) {
	items, err := backend.DecodeList(body, c.ID)
	if err != nil {
		return nil, err
	}
	p := &Page[T]{Items: items}
	if p.Total, err = backend.HeaderCount(h, "Pagination-Total"); err != nil {
		return nil, err
	}
	if p.Limit, err = backend.HeaderCount(h, "Pagination-Limit"); err != nil {
		return nil, err
	}
	if p.ReportedOffset, err = backend.HeaderCount(h, "Pagination-Offset"); err != nil {
		return nil, err
	}
	p.Offset = p.ReportedOffset
	return p, nil
}
