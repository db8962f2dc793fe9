package allocations_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/money"
)

const collectionURL = root + "/payout-request-allocations"

func TestListSendsItsQuery(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		params allocations.ListParams
		want   url.Values
	}{
		{"nothing", allocations.ListParams{}, url.Values{}},
		{"everything", allocations.ListParams{
			Filter: "gatewayAccountId:gw_1",
			Where: []allocations.Condition{
				allocations.PayoutRequestIDIn("pr_1", "pr_2"),
				allocations.Not(allocations.StatusIn(allocations.StatusCanceled, allocations.StatusDeclined)),
				allocations.CreatedBetween(at, time.Time{}),
			},
			Sort:   []string{"-createdTime"},
			Limit:  50,
			Offset: 1000,
		}, url.Values{
			"filter": {"gatewayAccountId:gw_1;payoutRequestId:pr_1,pr_2;status:!canceled,declined;createdTime:2026-04-02T10:00:00Z.."},
			"sort":   {"-createdTime"},
			"limit":  {"50"},
			"offset": {"1000"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			rec := testutil.Register(mt, http.MethodGet, collectionURL, httpmock.NewStringResponder(200, `[]`))
			if _, err := c.Allocations.List(context.Background(), tt.params); err != nil {
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
	t.Parallel()
	c, mt := setup(t)
	page := httpmock.NewStringResponder(200, "["+allocBody+","+strings.Replace(allocBody, "alloc_1", "alloc_2", 1)+"]").
		HeaderSet(http.Header{"Pagination-Total": {"7"}, "Pagination-Limit": {"2"}, "Pagination-Offset": {"4"}})
	testutil.Register(mt, http.MethodGet, collectionURL, page)
	params := allocations.ListParams{Where: []allocations.Condition{allocations.StatusIn(allocations.StatusPending)}, Limit: 2, Offset: 4}
	got, err := c.Allocations.List(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 2 || got.Items[1].ID != "alloc_2" || got.Items[0].Amount.String() != "10.00" || got.Total != 7 || got.Offset != 4 || got.Limit != 2 {
		t.Fatalf("page %+v", got)
	}
	next, ok := got.Next()
	if !ok || next.Offset != 6 || next.Limit != 2 || len(next.Where) != 1 {
		t.Fatalf("Next = %+v, %v", next, ok)
	}
	next.Where[0] = allocations.IDIn("x")
	if again, _ := got.Next(); !reflect.DeepEqual(again.Where, params.Where) {
		t.Error("Next shares its Where with the page")
	}
}

func TestListRefusesBadParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params allocations.ListParams
		fields []string
	}{
		{"limit past 1000", allocations.ListParams{Limit: 1001}, []string{"limit"}},
		{"offset past 1000", allocations.ListParams{Offset: 1001}, []string{"offset"}},
		{"sort with a comma", allocations.ListParams{Sort: []string{"createdTime,id"}}, []string{"sort[0]"}},
		{"a bad condition", allocations.ListParams{Where: []allocations.Condition{allocations.PayoutRequestIDIn("pr;1")}}, []string{"filter.payoutRequestId"}},
		{"the zero condition", allocations.ListParams{Where: []allocations.Condition{{}}}, []string{"filter"}},
		{"a field in Filter and Where", allocations.ListParams{Filter: "status:queued", Where: []allocations.Condition{allocations.StatusIn(allocations.StatusPending)}}, []string{"filter.status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			_, err := c.Allocations.List(context.Background(), tt.params)
			var got []string
			for _, f := range rebilly.FieldErrors(err) {
				got = append(got, f.Field)
			}
			if !errors.Is(err, rebilly.ErrInvalidParams) || !slices.Equal(got, tt.fields) || !strings.Contains(err.Error(), "GET /payout-request-allocations") {
				t.Errorf("err = %v, fields %v, want %v", err, got, tt.fields)
			}
			if mt.GetTotalCallCount() != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

func TestFilterText(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name  string
		conds []allocations.Condition
		want  string
	}{
		{"ids", []allocations.Condition{
			allocations.IDIn("pout_alloc_1"), allocations.PayoutRequestIDIn("pr_1"), allocations.BatchIDIn("b-1"),
			allocations.PaymentInstrumentIDIn("inst_1"), allocations.GatewayAccountIDIn("gw_1"), allocations.TransactionIDIn("txn_1", "txn_2"),
		}, "id:pout_alloc_1;payoutRequestId:pr_1;batchId:b-1;paymentInstrumentId:inst_1;gatewayAccountId:gw_1;transactionId:txn_1,txn_2"},
		{"statuses", []allocations.Condition{allocations.StatusIn(allocations.StatusWaitingCompletion, allocations.StatusQueued)}, "status:waiting-completion,queued"},
		{"currency and amount", []allocations.Condition{allocations.CurrencyIn("USD"), allocations.AmountBetween(money.MustParse("1.5"), money.Amount{})}, "currency:USD;amount:1.5.."},
		{"times", []allocations.Condition{allocations.CreatedBetween(time.Time{}, at), allocations.UpdatedBetween(at.Add(time.Millisecond), time.Time{})},
			"createdTime:..2026-01-02T03:04:05Z;updatedTime:2026-01-02T03:04:06Z.."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := allocations.FilterText(tt.conds...)
			if err != nil || got != tt.want {
				t.Errorf("FilterText = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	for name, bad := range map[string]allocations.Condition{
		"filter.paymentInstrumentId": allocations.PaymentInstrumentIDIn("@saved"),
		"filter.status":              allocations.StatusIn("pending;x"),
		"filter.amount":              allocations.Not(allocations.AmountBetween(money.MustParse("1"), money.Amount{})),
		"filter.transactionId":       allocations.TransactionIDIn(),
	} {
		_, err := allocations.FilterText(bad)
		if fields := rebilly.FieldErrors(err); len(fields) != 1 || fields[0].Field != name || !strings.Contains(err.Error(), "allocations.FilterText") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestAllEndsWithErrPaging: the allocations' All is the engine payoutrequests' tests prove;
// here it names its own operation and items.
func TestAllEndsWithErrPaging(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	twice := `[{"id":"a1","createdTime":"2026-01-01T00:00:00Z"},{"id":"a1","createdTime":"2026-01-01T00:00:00Z"}]`
	testutil.Register(mt, http.MethodGet, collectionURL, httpmock.NewStringResponder(200, twice))
	var got []string
	var errs []error
	for a, err := range c.Allocations.All(context.Background(), allocations.ListParams{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, a.ID)
	}
	var pe *rebilly.PagingError
	if len(errs) != 1 || !errors.As(errs[0], &pe) || pe.Op != "GET /payout-request-allocations" || !strings.Contains(pe.Reason, "a1, was already yielded") {
		t.Fatalf("errors %v", errs)
	}
	if len(got) != 0 {
		t.Errorf("yielded %v before the error", got)
	}
}

func TestAllRefusesWhatItCannotPage(t *testing.T) {
	t.Parallel()
	for name, params := range map[string]allocations.ListParams{
		"sort by amount":        {Sort: []string{"amount"}},
		"an offset":             {Offset: 10},
		"createdTime in Filter": {Filter: "createdTime:2026-01-01T00:00:00Z.."},
	} {
		c, mt := setup(t)
		n := 0
		for a, err := range c.Allocations.All(context.Background(), params) {
			n++
			if a != nil || !errors.Is(err, rebilly.ErrInvalidParams) {
				t.Errorf("%s: %v, %v", name, a, err)
			}
		}
		if n != 1 || mt.GetTotalCallCount() != 0 {
			t.Errorf("%s: %d yields, %d requests", name, n, mt.GetTotalCallCount())
		}
	}
}
