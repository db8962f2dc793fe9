package allocations

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/paging"
	"github.com/paysdk/rebilly/payoutrequests"
)

const opList = "GET /payout-request-allocations"

// Paging limits of GET /payout-request-allocations: those of every Rebilly collection.
const (
	// MaxLimit is the largest page Rebilly serves: ListParams.Limit may not exceed it.
	MaxLimit = payoutrequests.MaxLimit
	// MaxOffset is the largest offset Rebilly accepts: ListParams.Offset may not exceed it.
	// Past it Rebilly answers 422, or (as it once documented) the page at offset 1000 again,
	// so offset paging alone cannot reach beyond item 1000 + limit; [Service.All] goes
	// further by paging on createdTime.
	MaxOffset = payoutrequests.MaxOffset
	// DefaultAllLimit is the page size [Service.All] asks for when ListParams.Limit is 0.
	DefaultAllLimit = payoutrequests.DefaultAllLimit
)

// ListParams selects allocations for [Service.List] and [Service.All], across payout
// requests.
type ListParams struct {
	// Filter is a filter in Rebilly's own syntax, such as "status:pending", sent as written.
	// Prefer Where, whose conditions check and write their values for you. When both are
	// given, both must hold (they are joined with ";"), and they may not name the same field.
	Filter string
	// Where narrows the list to the allocations that match every condition:
	// PayoutRequestIDIn, StatusIn, CreatedBetween... (see [Condition]). Each field may be
	// named once.
	Where []Condition
	// Sort orders the list by fields, each prefixed with "-" for descending order, such as
	// []string{"-createdTime"}. Empty leaves the order to Rebilly (List); All sorts by
	// createdTime, and accepts only "createdTime" or "-createdTime" first.
	Sort []string
	// Limit is the largest number of allocations per page, at most [MaxLimit]. 0 leaves it to
	// Rebilly (List), or asks for [DefaultAllLimit] (All).
	Limit int
	// Offset is how many matching allocations List skips, at most [MaxOffset]. All starts at
	// the first one and refuses an Offset: narrow it with CreatedBetween instead.
	Offset int
}

// Page is one page of allocations, as [Service.List] returns it.
type Page struct {
	// Items are the allocations of the page, in the order asked for.
	Items []*Allocation
	// Total is how many allocations match the filter in all (Pagination-Total), -1 when
	// Rebilly did not say.
	Total int
	// Offset is how many matching allocations come before Items[0]: Pagination-Offset, or the
	// offset asked for when Rebilly did not say.
	Offset int
	// Limit is the largest number of items the page could hold: Pagination-Limit, or the
	// limit asked for when Rebilly did not say; -1 when neither is known.
	Limit int

	params ListParams // what was asked, for Next
}

// Next returns the params of the page after p, by offset, and true; or false when p is the
// last page, or when the next page would start past [MaxOffset], which offset paging cannot
// reach (compare Offset+len(Items) with Total to tell the two apart). [Service.All] pages on
// past the offset cap.
func (p *Page) Next() (ListParams, bool) {
	if p == nil {
		return ListParams{}, false
	}
	return paging.Next(p.params.at, p.Offset, len(p.Items), p.Total, p.Limit)
}

// List reads one page of allocations, of every payout request. GET
// /payout-request-allocations
//
// It is a read: it is retried after any transient failure, and its errors are never "outcome
// unknown". Params are checked before anything is sent (Limit up to [MaxLimit], Offset up to
// [MaxOffset], every condition of Where). Page.Next gives the params of the next page; to go
// through every matching allocation, past the offset cap too, use [Service.All].
//
// Rebilly marks the operation as experimental.
func (s *Service) List(ctx context.Context, params ListParams) (*Page, error) {
	page, err := s.collection().List(ctx, params.shared())
	if err != nil {
		return nil, err
	}
	p := &Page{Items: page.Items, Total: page.Total, Offset: page.Offset, Limit: page.Limit}
	p.params = params.at(params.Offset)
	return p, nil
}

// All yields every allocation that params select, of every payout request, exactly once, in
// createdTime order (ascending, or descending with Sort "-createdTime"), and always ends.
// GET /payout-request-allocations, a page at a time.
//
// It pages the way payoutrequests.Service.All does, with the same guarantees. Rebilly
// accepts offsets up to [MaxOffset] only, so All pages by offset up to it and then by
// keyset on createdTime (Rebilly documents it as sortable), skipping by offset the
// allocations of the last second that it has already yielded; it reaches 2,000 allocations
// per second of createdTime, and never sends an offset above MaxOffset. Every page after the
// first reads the last allocation yielded again, and every page is checked before any of it
// is yielded: All ends with an error matching rebilly.ErrPaging ([*rebilly.PagingError])
// instead of yielding an allocation twice, skipping one or going on forever (a page that
// shifted because allocations before the position stopped matching the filter while All
// paged, such as pending ones processed meanwhile under StatusIn(StatusPending), say). A cap
// lower than documented, seen as a 422 naming offset or a repeated page, is paged past by
// keyset too. Start it again after an error, later or with a narrower filter.
//
// All checks params as List does, before anything is sent, and also refuses a Sort whose
// first field is not createdTime or -createdTime, an Offset, and a hand-written Filter that
// names createdTime (give the range with [CreatedBetween] in Where, which All keeps to). It
// never changes params. Its memory is about one page (Limit, [DefaultAllLimit] by default)
// and the ids of the allocations yielded in the last second. When the loop body breaks, All
// sends no further request. An error is yielded once, with a nil allocation, and ends the
// iteration.
func (s *Service) All(ctx context.Context, params ListParams) iter.Seq2[*Allocation, error] {
	return s.collection().All(ctx, params.shared())
}

// collection is GET /payout-request-allocations, as List and All page it.
func (s *Service) collection() *paging.Collection[Allocation] {
	return &paging.Collection[Allocation]{
		Op: opList, One: "allocation", Many: "allocations",
		ID: allocationID, Created: func(a *Allocation) time.Time { return a.CreatedTime },
		Backend: s.backend(),
		Request: func(server string, q paging.Query) (*http.Request, error) {
			var params gen.GetPayoutRequestAllocationCollectionParams
			params.Filter, params.Sort, params.Limit, params.Offset = q.Pointers()
			return gen.NewGetPayoutRequestAllocationCollectionRequest(server, &params)
		},
	}
}

// shared returns params as package paging takes them.
func (p ListParams) shared() paging.Params {
	return paging.Params{
		Filter: p.Filter, Where: paging.Unwrap(p.Where, Condition.shared),
		Sort: p.Sort, Limit: p.Limit, Offset: p.Offset,
	}
}

// at returns a copy of p at offset, with slices of its own.
func (p ListParams) at(offset int) ListParams {
	p.Where, p.Sort, p.Offset = slices.Clone(p.Where), slices.Clone(p.Sort), offset
	return p
}
