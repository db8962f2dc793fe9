package payoutrequests

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/validate"
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

	params         ListParams // what was asked, for Next
	reportedOffset int        // Pagination-Offset as sent, -1 when absent
}

// Next returns the params of the page after p, by offset, and true; or false when p is the
// last page, or when the next page would start past [MaxOffset], which offset paging cannot
// reach (compare Offset+len(Items) with Total to tell the two apart). [Service.All] pages on
// past the offset cap.
func (p *Page) Next() (ListParams, bool) {
	if p == nil || len(p.Items) == 0 {
		return ListParams{}, false
	}
	next := p.Offset + len(p.Items)
	switch {
	case p.Total >= 0 && next >= p.Total:
		return ListParams{}, false
	case p.Total < 0 && p.Limit > 0 && len(p.Items) < p.Limit:
		return ListParams{}, false
	case next > MaxOffset:
		return ListParams{}, false
	}
	params := p.params
	params.Where, params.Sort = slices.Clone(params.Where), slices.Clone(params.Sort)
	params.Offset = next
	return params, true
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
	var f validate.Fields
	q := params.query(&f)
	checkOffset(&f, params.Offset)
	page, err := s.fetch(ctx, q, f.Err(opList))
	if err != nil {
		return nil, err
	}
	page.params = params
	page.params.Where, page.params.Sort = slices.Clone(params.Where), slices.Clone(params.Sort)
	return page, nil
}

// query is what one request of GET /payout-requests sends.
type query struct {
	filter        string
	sort          []string
	limit, offset int // limit 0: not sent
}

// query checks params (but Offset, which List and All treat differently) and returns the
// request they make.
func (p ListParams) query(f *validate.Fields) query {
	checkRawFilter(f, p.Filter)
	filter := joinFilter(p.Filter, p.Where, f)
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
	return query{filter: filter, sort: slices.Clone(p.Sort), limit: p.Limit, offset: p.Offset}
}

func checkOffset(f *validate.Fields, offset int) {
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

// fetch sends one request of GET /payout-requests, or returns problems.
func (s *Service) fetch(ctx context.Context, q query, problems error) (*Page, error) {
	call := backend.Call[Page]{Op: opList, Class: backend.Read, Decode: decodePage}
	page, err := backend.Send(ctx, s.backend(), call, problems, func(server string) (*http.Request, error) {
		var gp gen.GetPayoutRequestCollectionParams
		if q.filter != "" {
			gp.Filter = &q.filter
		}
		if len(q.sort) > 0 {
			gp.Sort = &q.sort
		}
		if q.limit > 0 {
			gp.Limit = &q.limit
		}
		if q.offset > 0 {
			gp.Offset = &q.offset
		}
		return gen.NewGetPayoutRequestCollectionRequest(server, &gp)
	})
	if err != nil {
		return nil, err
	}
	if page.Offset < 0 {
		page.Offset = q.offset
	}
	if page.Limit < 0 && q.limit > 0 {
		page.Limit = q.limit
	}
	return page, nil
}

// decodePage reads a page: a JSON array of payout requests, each with an id, and the
// Pagination-* headers, which must be counts when they are present.
func decodePage(h http.Header, body []byte) (*Page, error) {
	items, err := backend.DecodeList(body, prID)
	if err != nil {
		return nil, err
	}
	p := &Page{Items: items}
	if p.Total, err = backend.HeaderCount(h, "Pagination-Total"); err != nil {
		return nil, err
	}
	if p.Limit, err = backend.HeaderCount(h, "Pagination-Limit"); err != nil {
		return nil, err
	}
	if p.reportedOffset, err = backend.HeaderCount(h, "Pagination-Offset"); err != nil {
		return nil, err
	}
	p.Offset = p.reportedOffset
	return p, nil
}
