package payoutrequests_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/payoutrequests"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// item is a payout request of a scripted collection: its id and the second after t0 it was
// created in.
type item struct {
	id  string
	sec int
}

// crowd returns items created in consecutive seconds, counts[i] of them in second i.
func crowd(counts ...int) []item {
	var out []item
	for sec, n := range counts {
		for range n {
			out = append(out, item{id: fmt.Sprintf("pr_%04d", len(out)), sec: sec})
		}
	}
	return out
}

func itemIDs(items []item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.id
	}
	return out
}

// listServer answers GET /payout-requests from items, which are in ascending createdTime order,
// as Rebilly would: createdTime ranges of the filter, sort createdTime or -createdTime, offset,
// limit and the Pagination-* headers. bug, when set, may change each answer.
type listServer struct {
	items []item
	bug   func(n int, q url.Values, page []item, h http.Header) ([]item, http.Header)

	mu       sync.Mutex
	requests []url.Values
}

func (s *listServer) register(mt *httpmock.MockTransport) {
	mt.RegisterResponder(http.MethodGet, collection, s.respond)
}

func (s *listServer) queries() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

func (s *listServer) respond(req *http.Request) (*http.Response, error) {
	q := req.URL.Query()
	s.mu.Lock()
	s.requests = append(s.requests, q)
	n := len(s.requests)
	s.mu.Unlock()

	matched := slices.Clone(s.items)
	for _, term := range strings.Split(q.Get("filter"), ";") {
		if expr, ok := strings.CutPrefix(term, "createdTime:"); ok {
			lo, hi, _ := strings.Cut(expr, "..")
			matched = slices.DeleteFunc(matched, func(it item) bool {
				at := t0.Add(time.Duration(it.sec) * time.Second).Format(time.RFC3339)
				return lo != "" && at < lo || hi != "" && at > hi
			})
		}
	}
	if q.Get("sort") == "-createdTime" {
		slices.SortStableFunc(matched, func(a, b item) int { return b.sec - a.sec })
	}
	limit, offset := 100, 0
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	if v := q.Get("offset"); v != "" {
		offset, _ = strconv.Atoi(v)
	}
	page := matched[min(offset, len(matched)):min(offset+limit, len(matched))]
	h := http.Header{}
	h.Set("Pagination-Total", strconv.Itoa(len(matched)))
	h.Set("Pagination-Limit", strconv.Itoa(limit))
	h.Set("Pagination-Offset", strconv.Itoa(offset))
	if s.bug != nil {
		page, h = s.bug(n, q, slices.Clone(page), h)
	}
	return pageResponse(page, h), nil
}

func pageResponse(page []item, h http.Header) *http.Response {
	body := make([]map[string]any, len(page))
	for i, it := range page {
		body[i] = map[string]any{"id": it.id, "websiteId": "web_1", "customerId": "cus_1", "currency": "EUR", "amount": 1, "status": "pending"}
		if it.sec >= 0 {
			body[i]["createdTime"] = t0.Add(time.Duration(it.sec) * time.Second).Format(time.RFC3339)
		}
	}
	b, _ := json.Marshal(body)
	resp := httpmock.NewBytesResponse(200, b)
	resp.Header = h
	resp.Header.Set("Content-Type", "application/json")
	return resp
}

// drain runs All and returns the ids yielded, how many errors, and the last error.
func drain(c *rebilly.Client, params payoutrequests.ListParams) (ids []string, errCount int, err error) {
	for pr, e := range c.PayoutRequests.All(context.Background(), params) {
		if e != nil {
			errCount++
			err = e
			if pr != nil {
				ids = append(ids, "non-nil with error")
			}
			continue
		}
		ids = append(ids, pr.ID)
	}
	return ids, errCount, err
}

func TestListSendsItsQuery(t *testing.T) {
	tests := []struct {
		name   string
		params payoutrequests.ListParams
		want   url.Values
	}{
		{"nothing", payoutrequests.ListParams{}, url.Values{}},
		{"everything", payoutrequests.ListParams{
			Filter: "batchId:b_1",
			Where:  []payoutrequests.Condition{payoutrequests.StatusIn(payoutrequests.StatusPending, payoutrequests.StatusReady), payoutrequests.CustomerIDIn("cus_1")},
			Sort:   []string{"-createdTime", "amount"},
			Limit:  50,
			Offset: 1000,
		}, url.Values{
			"filter": {"batchId:b_1;status:pending,ready;customerId:cus_1"},
			"sort":   {"-createdTime,amount"},
			"limit":  {"50"},
			"offset": {"1000"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			rec := testutil.Register(mt, http.MethodGet, collection, func(*http.Request) (*http.Response, error) {
				return pageResponse(nil, http.Header{}), nil
			})
			if _, err := c.PayoutRequests.List(context.Background(), tt.params); err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(rec.Requests()[0].URL)
			if got := u.Query(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("query %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListReadsThePage(t *testing.T) {
	tests := []struct {
		name                 string
		header               http.Header
		params               payoutrequests.ListParams
		items                int
		total, offset, limit int
		next                 int // the Offset of Next, -1 for none
	}{
		{"headers", http.Header{"Pagination-Total": {"250"}, "Pagination-Limit": {"100"}, "Pagination-Offset": {"100"}}, payoutrequests.ListParams{Offset: 100, Limit: 100}, 100, 250, 100, 100, 200},
		{"last page", http.Header{"Pagination-Total": {"250"}, "Pagination-Limit": {"100"}, "Pagination-Offset": {"200"}}, payoutrequests.ListParams{Offset: 200, Limit: 100}, 50, 250, 200, 100, -1},
		{"at the offset cap", http.Header{"Pagination-Total": {"5000"}, "Pagination-Limit": {"100"}, "Pagination-Offset": {"1000"}}, payoutrequests.ListParams{Offset: 1000, Limit: 100}, 100, 5000, 1000, 100, -1},
		{"no headers: what was asked", http.Header{}, payoutrequests.ListParams{Offset: 10, Limit: 5}, 5, -1, 10, 5, 15},
		{"no headers, short page", http.Header{}, payoutrequests.ListParams{Offset: 10, Limit: 5}, 4, -1, 10, 5, -1},
		{"no headers, no limit", http.Header{}, payoutrequests.ListParams{}, 3, -1, 0, -1, 3},
		{"empty page", http.Header{}, payoutrequests.ListParams{}, 0, -1, 0, -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			testutil.Register(mt, http.MethodGet, collection, func(*http.Request) (*http.Response, error) {
				return pageResponse(crowd(tt.items), tt.header.Clone()), nil
			})
			page, err := c.PayoutRequests.List(context.Background(), tt.params)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != tt.items || page.Total != tt.total || page.Offset != tt.offset || page.Limit != tt.limit {
				t.Errorf("page: %d items, total %d, offset %d, limit %d", len(page.Items), page.Total, page.Offset, page.Limit)
			}
			next, ok := page.Next()
			switch {
			case tt.next < 0 && ok:
				t.Errorf("Next = %+v, want none", next)
			case tt.next >= 0 && (!ok || next.Offset != tt.next || next.Limit != tt.params.Limit):
				t.Errorf("Next = %+v, %v; want offset %d", next, ok, tt.next)
			}
		})
	}
}

func TestListRefusesBadParams(t *testing.T) {
	tests := []struct {
		name   string
		params payoutrequests.ListParams
		fields []string
	}{
		{"negative limit", payoutrequests.ListParams{Limit: -1}, []string{"limit"}},
		{"limit past 1000", payoutrequests.ListParams{Limit: 1001}, []string{"limit"}},
		{"offset past 1000", payoutrequests.ListParams{Offset: 1001}, []string{"offset"}},
		{"negative offset", payoutrequests.ListParams{Offset: -5}, []string{"offset"}},
		{"sort with a comma", payoutrequests.ListParams{Sort: []string{"createdTime", "id,amount"}}, []string{"sort[1]"}},
		{"sort empty", payoutrequests.ListParams{Sort: []string{"-"}}, []string{"sort[0]"}},
		{"filter with a control character", payoutrequests.ListParams{Filter: "status:pending\x00"}, []string{"filter"}},
		{"a bad condition", payoutrequests.ListParams{Where: []payoutrequests.Condition{payoutrequests.CustomerIDIn("cus;1")}}, []string{"filter.customerId"}},
		{"the zero condition", payoutrequests.ListParams{Where: []payoutrequests.Condition{{}}}, []string{"filter"}},
		{"a field twice", payoutrequests.ListParams{Where: []payoutrequests.Condition{payoutrequests.StatusIn("pending"), payoutrequests.StatusIn("ready")}}, []string{"filter.status"}},
		{"a field in Filter and Where", payoutrequests.ListParams{Filter: "status:ready", Where: []payoutrequests.Condition{payoutrequests.StatusIn("pending")}}, []string{"filter.status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			_, err := c.PayoutRequests.List(context.Background(), tt.params)
			if got := fieldNames(rebilly.FieldErrors(err)); !errors.Is(err, rebilly.ErrInvalidParams) || !slices.Equal(got, tt.fields) {
				t.Errorf("err = %v, fields %v, want %v", err, got, tt.fields)
			}
			if mt.GetTotalCallCount() != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

func fieldNames(fields []rebilly.InvalidField) []string {
	var out []string
	for _, f := range fields {
		out = append(out, f.Field)
	}
	return out
}

func TestListUnusablePages(t *testing.T) {
	for name, resp := range map[string]httpmock.Responder{
		"an object":                   httpmock.NewStringResponder(200, `{"id":"pr_1"}`),
		"a null item":                 httpmock.NewStringResponder(200, `[null]`),
		"an item without id":          httpmock.NewStringResponder(200, `[{"id":"pr_1"},{"amount":1}]`),
		"cut":                         httpmock.NewStringResponder(200, `[{"id":"pr_1"},`),
		"html":                        httpmock.NewStringResponder(200, `<html>`).HeaderSet(http.Header{"Content-Type": {"text/html"}}),
		"a total that is not a count": httpmock.NewStringResponder(200, `[]`).HeaderSet(http.Header{"Pagination-Total": {"lots"}}),
		"two totals":                  httpmock.NewStringResponder(200, `[]`).HeaderSet(http.Header{"Pagination-Total": {"1", "2"}}),
		"a negative offset":           httpmock.NewStringResponder(200, `[]`).HeaderSet(http.Header{"Pagination-Offset": {"-1"}}),
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := setup(t)
			rec := testutil.Register(mt, http.MethodGet, collection, resp)
			_, err := c.PayoutRequests.List(context.Background(), payoutrequests.ListParams{})
			var mal *rebilly.MalformedResponseError
			if !errors.As(err, &mal) || !errors.Is(err, rebilly.ErrNotApplied) {
				t.Fatalf("err = %v (%T), want *MalformedResponseError", err, err)
			}
			if rec.Count() != 4 {
				t.Errorf("%d attempts, want 4 (a read is retried)", rec.Count())
			}
		})
	}
}

// TestAllPagesPastTheCap pages through 3,000 payout requests, more than offset paging reaches.
func TestAllPagesPastTheCap(t *testing.T) {
	for _, tt := range []struct {
		name   string
		counts []int
		params payoutrequests.ListParams
	}{
		{"one per second", []int{}, payoutrequests.ListParams{}},
		{"crowded seconds", []int{700, 1500, 3, 797}, payoutrequests.ListParams{Limit: 120}},
		{"crowded seconds, descending", []int{700, 1500, 3, 797}, payoutrequests.ListParams{Sort: []string{"-createdTime"}, Limit: 1000}},
		{"one second of 2,000", []int{2000, 1000}, payoutrequests.ListParams{Limit: 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			items := crowd(tt.counts...)
			if len(items) == 0 {
				items = crowd(slices.Repeat([]int{1}, 3000)...)
			}
			c, mt := setup(t)
			s := &listServer{items: items}
			s.register(mt)
			got, errs, err := drain(c, tt.params)
			if errs != 0 {
				t.Fatalf("after %d: %v", len(got), err)
			}
			want := itemIDs(items)
			if len(tt.params.Sort) > 0 {
				slices.SortStableFunc(items, func(a, b item) int { return b.sec - a.sec })
				want = itemIDs(items)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("yielded %d, want the %d in order", len(got), len(want))
			}
			for _, q := range s.queries() {
				if n, _ := strconv.Atoi(q.Get("offset")); n > payoutrequests.MaxOffset {
					t.Fatalf("sent offset %d", n)
				}
				if n, _ := strconv.Atoi(q.Get("limit")); n > payoutrequests.MaxLimit {
					t.Fatalf("sent limit %d", n)
				}
			}
		})
	}
}

// TestAllEndsWithErrPaging serves pages that would make All repeat or skip a payout request,
// or never end, and expects one *PagingError, after the good payout requests only.
func TestAllEndsWithErrPaging(t *testing.T) {
	tests := []struct {
		name   string
		items  []item
		bug    func(n int, q url.Values, page []item, h http.Header) ([]item, http.Header)
		params payoutrequests.ListParams
		reason string
		good   int // payout requests yielded before the error
	}{
		{"a payout request twice in a page", crowd(5), func(n int, _ url.Values, p []item, h http.Header) ([]item, http.Header) {
			return append(p, p[1]), h
		}, payoutrequests.ListParams{Limit: 10}, "was already yielded", 0},
		{"out of createdTime order", crowd(2, 2), func(n int, _ url.Values, p []item, h http.Header) ([]item, http.Header) {
			p[2], p[1] = p[1], p[2]
			return p, h
		}, payoutrequests.ListParams{Limit: 10}, "not in createdTime order", 0},
		{"a page longer than asked", crowd(30), func(n int, _ url.Values, p []item, h http.Header) ([]item, http.Header) {
			return append(p, item{"pr_extra", 0}), h
		}, payoutrequests.ListParams{Limit: 10}, "returned 11 payout requests for a limit of 10", 0},
		{"no createdTime", crowd(3), func(n int, _ url.Values, p []item, h http.Header) ([]item, http.Header) {
			p[2].sec = -1
			return p, h
		}, payoutrequests.ListParams{}, "has no createdTime", 0},
		{"outside the range asked", crowd(3, 3, 3), func(n int, _ url.Values, p []item, h http.Header) ([]item, http.Header) {
			return append([]item{{"pr_early", -0}}, p...)[:len(p)], h
		}, payoutrequests.ListParams{Where: []payoutrequests.Condition{payoutrequests.CreatedBetween(t0.Add(time.Second), time.Time{})}}, "outside the range asked", 0},
		{"a page that ends before the total", crowd(5), func(n int, _ url.Values, p []item, h http.Header) ([]item, http.Header) {
			h.Set("Pagination-Total", "9")
			return p, h
		}, payoutrequests.ListParams{}, "Pagination-Total says 9", 5},
		{"a server that ignores offset", crowd(50), func(n int, _ url.Values, p []item, h http.Header) ([]item, http.Header) {
			return crowd(50)[:10], h
		}, payoutrequests.ListParams{Limit: 10}, "Pagination-Total says 50", 10},
		{"Pagination-Offset other than asked, at 0", crowd(5), func(n int, _ url.Values, p []item, h http.Header) ([]item, http.Header) {
			h.Set("Pagination-Offset", "3")
			return p, h
		}, payoutrequests.ListParams{}, "Pagination-Offset says 3 for a request at offset 0", 0},
		{"a payout request before the position stops matching", crowd(30), func(n int, q url.Values, p []item, h http.Header) ([]item, http.Header) {
			if n == 1 {
				return p, h
			}
			all := slices.Delete(crowd(30), 3, 4) // canceled while All paged
			off, _ := strconv.Atoi(q.Get("offset"))
			return all[off:min(off+11, len(all))], h
		}, payoutrequests.ListParams{Limit: 10}, "stopped matching the filter", 10},
		{"a second of 2,001", crowd(2001), nil, payoutrequests.ListParams{Limit: 1000}, "2001 payout requests match with createdTime", 2000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			(&listServer{items: tt.items, bug: tt.bug}).register(mt)
			got, errCount, err := drain(c, tt.params)
			var pe *rebilly.PagingError
			if !errors.As(err, &pe) || !errors.Is(err, rebilly.ErrPaging) || rebilly.OutcomeOf(err) != rebilly.OutcomeNotApplied {
				t.Fatalf("err = %v (%T), want a *PagingError", err, err)
			}
			if errCount != 1 || !strings.Contains(pe.Reason, tt.reason) || pe.Op != "GET /payout-requests" || pe.Requests < 1 {
				t.Errorf("%d errors; %+v; want reason %q", errCount, pe, tt.reason)
			}
			if len(got) != tt.good || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Errorf("yielded %v, want the first %d once", got, tt.good)
			}
		})
	}
}

// TestAllCopesWithALowerCap plays servers that cap the offset below 1000: All pages on by
// keyset from the last offset that worked.
func TestAllCopesWithALowerCap(t *testing.T) {
	const realCap = 300
	for _, tt := range []struct {
		name string
		bug  func(n int, q url.Values, page []item, h http.Header) ([]item, http.Header)
	}{
		{"422 naming offset", nil},
		{"the page at the cap again, silently", nil},
		{"the page at the cap again, with its offset", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			items := crowd(400, 700, 500, 900)
			c, mt := setup(t)
			s := &listServer{items: items}
			mt.RegisterResponder(http.MethodGet, collection, func(req *http.Request) (*http.Response, error) {
				q := req.URL.Query()
				off, _ := strconv.Atoi(q.Get("offset"))
				if off <= realCap {
					return s.respond(req)
				}
				switch tt.name {
				case "422 naming offset":
					return testutil.Problem(422, "Invalid", "", map[string]any{"invalidFields": []map[string]string{{"field": "offset", "message": "must be at most 300"}}})(req)
				}
				q.Set("offset", strconv.Itoa(realCap))
				r2 := req.Clone(req.Context())
				r2.URL.RawQuery = q.Encode()
				resp, err := s.respond(r2)
				if tt.name == "the page at the cap again, silently" {
					resp.Header.Set("Pagination-Offset", strconv.Itoa(off))
				}
				return resp, err
			})
			got, errCount, err := drain(c, payoutrequests.ListParams{Limit: 100})
			if errCount != 0 {
				t.Fatalf("after %d: %v", len(got), err)
			}
			if !slices.Equal(got, itemIDs(items)) {
				t.Fatalf("yielded %d, want the %d in order", len(got), len(items))
			}
		})
	}
}

func TestAllStopsWhenTheLoopBreaks(t *testing.T) {
	c, mt := setup(t)
	s := &listServer{items: crowd(slices.Repeat([]int{1}, 500)...)}
	s.register(mt)
	n := 0
	for _, err := range c.PayoutRequests.All(context.Background(), payoutrequests.ListParams{Limit: 50}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 120 {
			break
		}
	}
	if got := len(s.queries()); got != 3 {
		t.Errorf("%d requests for 120 payout requests in pages of 50, want 3", got)
	}
}

func TestAllNeverChangesItsParams(t *testing.T) {
	c, mt := setup(t)
	(&listServer{items: crowd(1500, 500)}).register(mt)
	params := payoutrequests.ListParams{
		Where: make([]payoutrequests.Condition, 0, 8),
		Sort:  append(make([]string, 0, 4), "createdTime"),
		Limit: 200,
	}
	params.Where = append(params.Where, payoutrequests.CustomerIDIn("cus_1"), payoutrequests.CreatedBetween(t0, t0.Add(time.Hour)))
	before := fmt.Sprintf("%#v", params)
	whereArray, sortArray := params.Where[:cap(params.Where)], params.Sort[:cap(params.Sort)]
	beforeArrays := fmt.Sprintf("%#v %#v", whereArray, sortArray)
	got, _, err := drain(c, params)
	if err != nil || len(got) != 2000 {
		t.Fatalf("%d, %v", len(got), err)
	}
	if after := fmt.Sprintf("%#v", params); after != before {
		t.Errorf("params changed:\n%s\n%s", before, after)
	}
	if after := fmt.Sprintf("%#v %#v", whereArray, sortArray); after != beforeArrays {
		t.Error("the arrays behind params changed")
	}
}

func TestAllYieldsAnErrorOnceAndEnds(t *testing.T) {
	t.Run("a read that fails", func(t *testing.T) {
		c, mt := setup(t)
		rec := testutil.Register(mt, http.MethodGet, collection, httpmock.NewStringResponder(500, `{}`))
		got, errCount, err := drain(c, payoutrequests.ListParams{})
		if errCount != 1 || len(got) != 0 || !errors.Is(err, rebilly.ErrServer) || rec.Count() != 4 {
			t.Errorf("%v, %d errors, %v, %d attempts", got, errCount, err, rec.Count())
		}
	})
	t.Run("a 422 naming offset on the first page", func(t *testing.T) {
		c, mt := setup(t)
		testutil.Register(mt, http.MethodGet, collection, testutil.Problem(422, "Invalid", "", map[string]any{"invalidFields": []map[string]string{{"field": "offset", "message": "no"}}}))
		got, errCount, err := drain(c, payoutrequests.ListParams{})
		if errCount != 1 || len(got) != 0 || !errors.Is(err, rebilly.ErrValidation) || errors.Is(err, rebilly.ErrPaging) {
			t.Errorf("%v, %d errors, %v", got, errCount, err)
		}
	})
	t.Run("a context that ends", func(t *testing.T) {
		c, mt := setup(t)
		(&listServer{items: crowd(300)}).register(mt)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		var last error
		for _, err := range c.PayoutRequests.All(ctx, payoutrequests.ListParams{Limit: 100}) {
			if err != nil {
				last = err
				continue
			}
			if n++; n == 150 {
				cancel()
			}
		}
		if n != 200 || !errors.Is(last, context.Canceled) || !errors.Is(last, rebilly.ErrNotApplied) {
			t.Errorf("%d yielded, then %v", n, last)
		}
	})
	t.Run("invalid params", func(t *testing.T) {
		for name, params := range map[string]payoutrequests.ListParams{
			"sort by amount":                  {Sort: []string{"amount"}},
			"an offset":                       {Offset: 10},
			"createdTime in Filter":           {Filter: "createdTime:2026-01-01T00:00:00Z.."},
			"two CreatedBetween":              {Where: []payoutrequests.Condition{payoutrequests.CreatedBetween(t0, time.Time{}), payoutrequests.CreatedBetween(time.Time{}, t0)}},
			"a limit past 1000":               {Limit: 5000},
			"a condition that cannot be sent": {Where: []payoutrequests.Condition{payoutrequests.StatusIn("pending,ready")}},
		} {
			c, mt := setup(t)
			got, errCount, err := drain(c, params)
			if errCount != 1 || len(got) != 0 || !errors.Is(err, rebilly.ErrInvalidParams) || mt.GetTotalCallCount() != 0 {
				t.Errorf("%s: %v, %d errors, %v, %d requests", name, got, errCount, err, mt.GetTotalCallCount())
			}
		}
	})
}

func TestAllWithoutPaginationHeaders(t *testing.T) {
	c, mt := setup(t)
	(&listServer{items: crowd(1234), bug: func(_ int, _ url.Values, p []item, _ http.Header) ([]item, http.Header) {
		return p, http.Header{}
	}}).register(mt)
	got, _, err := drain(c, payoutrequests.ListParams{Limit: 100})
	if err != nil || len(got) != 1234 {
		t.Errorf("%d, %v", len(got), err)
	}
}

func TestAllOfNothing(t *testing.T) {
	c, mt := setup(t)
	s := &listServer{}
	s.register(mt)
	got, _, err := drain(c, payoutrequests.ListParams{})
	if err != nil || len(got) != 0 || len(s.queries()) != 1 {
		t.Errorf("%v, %v, %d requests", got, err, len(s.queries()))
	}
}
