package payoutrequests

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/paging"
)

const opList = "GET /payout-requests"

// Paging limits of GET /payout-requests.
const (
	// MaxLimit is the largest page Rebilly serves: ListParams.Limit may not exceed it.
	MaxLimit = 1000
	// MaxOffset is the largest offset Rebilly accepts. Past it Rebilly answers 422, or (as it
	// once documented) the page at offset 1000 again, so offset paging alone cannot reach
	// beyond item 1000 + limit. ListParams.Offset may not exceed it; [Service.All] goes further
	// by paging on createdTime.
	MaxOffset = 1000
	// DefaultAllLimit is the page size [Service.All] asks for when ListParams.Limit is 0.
	DefaultAllLimit = 100
)

// ListParams selects payout requests for [Service.List] and [Service.All].
type ListParams struct {
	// Filter is a filter in Rebilly's own syntax, such as "status:pending;customerId:cus_1",
	// sent as written. Prefer Where, whose conditions check and write their values for you.
	// When both are given, both must hold (they are joined with ";"), and they may not name the
	// same field.
	Filter string
	// Where narrows the list to the payout requests that match every condition: StatusIn,
	// CustomerIDIn, CreatedBetween... (see [Condition]). Each field may be named once.
	Where []Condition
	// Sort orders the list by fields, each prefixed with "-" for descending order, such as
	// []string{"-createdTime"}. Empty leaves the order to Rebilly (List); All sorts by
	// createdTime, and accepts only "createdTime" or "-createdTime" first.
	Sort []string
	// Limit is the largest number of payout requests per page, at most [MaxLimit]. 0 leaves it
	// to Rebilly (List), or asks for [DefaultAllLimit] (All).
	Limit int
	// Offset is how many matching payout requests List skips, at most [MaxOffset]. All starts
	// at the first one and refuses an Offset: narrow it with CreatedBetween instead.
	Offset int
}

// Page is one page of payout requests, as [Service.List] returns it.
type Page struct {
	// Items are the payout requests of the page, in the order asked for.
	Items []*PayoutRequest
	// Total is how many payout requests match the filter in all (Pagination-Total), -1 when
	// Rebilly did not say.
	Total int
	// Offset is how many matching payout requests come before Items[0]: Pagination-Offset, or
	// the offset asked for when Rebilly did not say.
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

// List reads one page of payout requests. GET /payout-requests
//
// It is a read: it is retried after any transient failure, and its errors are never "outcome
// unknown". Params are checked before anything is sent (Limit up to [MaxLimit], Offset up to
// [MaxOffset], every condition of Where). Page.Next gives the params of the next page; to go
// through every matching payout request, past the offset cap too, use [Service.All].
//
// Rebilly marks the operation as experimental.
func (s *Service) List(ctx context.Context, params ListParams) (*Page, error) {
	page, err := s.collection().List(ctx, params.shared())
	if err != nil {
		return nil, err
	}
	return &Page{Items: page.Items, Total: page.Total, Offset: page.Offset, Limit: page.Limit, params: params.at(params.Offset)}, nil
}

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
	return s.collection().All(ctx, params.shared())
}

// at returns a copy of p at offset, with slices of its own.
func (p ListParams) at(offset int) ListParams {
	p.Where, p.Sort, p.Offset = slices.Clone(p.Where), slices.Clone(p.Sort), offset
	return p
}

// shared returns params as package paging takes them.
func (p ListParams) shared() paging.Params {
	where := paging.Unwrap(p.Where, Condition.shared)
	return paging.Params{Filter: p.Filter, Where: where, Sort: p.Sort, Limit: p.Limit, Offset: p.Offset}
}

// collection is GET /payout-requests, as List and All page it.
func (s *Service) collection() *paging.Collection[PayoutRequest] {
	return &paging.Collection[PayoutRequest]{
		Op: opList, One: "payout request", Many: "payout requests",
		ID: prID, Created: func(pr *PayoutRequest) time.Time { return pr.CreatedTime },
		Backend: s.backend(), Request: listRequest,
	}
}

func listRequest(server string, q paging.Query) (*http.Request, error) {
	var params gen.GetPayoutRequestCollectionParams
	params.Filter, params.Sort, params.Limit, params.Offset = q.Pointers()
	return gen.NewGetPayoutRequestCollectionRequest(server, &params)
}
