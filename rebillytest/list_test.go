package rebillytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/rebillytest"
)

// seedCrowd seeds payout requests whose createdTimes crowd into a few seconds: counts[i] of
// them in second i after start. Every third is cus_b's, the others cus_a's; every fifth is
// canceled. It returns the payout requests as stored, in order of creation.
func seedCrowd(t testing.TB, h *rebillytest.Handler, counts ...int) []payoutrequests.PayoutRequest {
	t.Helper()
	var seeds []payoutrequests.PayoutRequest
	for sec, n := range counts {
		for range n {
			i := len(seeds)
			pr := payoutrequests.PayoutRequest{
				WebsiteID:   "web_1",
				CustomerID:  "cus_a",
				Currency:    "EUR",
				Amount:      money.FromMinorUnits(int64(100+i), 2),
				CreatedTime: start.Add(time.Duration(sec) * time.Second),
			}
			if i%3 == 0 {
				pr.CustomerID = "cus_b"
			}
			if i%5 == 0 {
				pr.Status = payoutrequests.StatusCanceled
			}
			seeds = append(seeds, pr)
		}
	}
	ids, err := h.SeedPayoutRequests(seeds...)
	if err != nil {
		t.Fatal(err)
	}
	for i := range seeds {
		seeds[i].ID = ids[i]
	}
	return seeds
}

// ids returns the ids of payout requests.
func ids(prs []payoutrequests.PayoutRequest) []string {
	out := make([]string, len(prs))
	for i, pr := range prs {
		out[i] = pr.ID
	}
	return out
}

// collect runs All and returns the ids it yielded and its error.
func collect(t *testing.T, c *rebilly.Client, params payoutrequests.ListParams) ([]string, error) {
	t.Helper()
	var got []string
	for pr, err := range c.PayoutRequests.All(context.Background(), params) {
		if err != nil {
			return got, err
		}
		got = append(got, pr.ID)
	}
	return got, nil
}

// checkOnce fails the test unless got holds every id of want exactly once, and nothing else.
func checkOnce(t *testing.T, got, want []string) {
	t.Helper()
	seen := make(map[string]int, len(got))
	for _, id := range got {
		seen[id]++
	}
	var dups, missing []string
	for id, n := range seen {
		if n > 1 {
			dups = append(dups, id)
		}
	}
	for _, id := range want {
		if seen[id] == 0 {
			missing = append(missing, id)
		}
		delete(seen, id)
	}
	if len(dups) > 0 || len(missing) > 0 || len(seen) > 0 || len(got) != len(want) {
		t.Fatalf("yielded %d, want %d: %d twice, %d missing, %d not matching", len(got), len(want), len(dups), len(missing), len(seen))
	}
}

// listPage sends GET /payout-requests with a raw query and returns the status, the ids of the
// page and its headers.
func listPage(t *testing.T, f *fake, query string) (int, []string, map[string]string) {
	t.Helper()
	return listIDs(t, f, "/payout-requests?"+query, func(pr *payoutrequests.PayoutRequest) string { return pr.ID })
}

// listIDs sends a list request (path with its query) and returns the status, the ids of the
// page (a JSON array of T) and its Pagination-* headers.
func listIDs[T any](t *testing.T, f *fake, path string, id func(*T) string) (int, []string, map[string]string) {
	t.Helper()
	status, header, body := f.raw(t, "GET", org+path, "")
	h := map[string]string{}
	for _, k := range []string{"Pagination-Total", "Pagination-Limit", "Pagination-Offset"} {
		h[k] = header.Get(k)
	}
	if status != 200 {
		return status, nil, h
	}
	var page []T
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(page))
	for i := range page {
		out[i] = id(&page[i])
	}
	return status, out, h
}

// checkCreatedOrder fails the test unless got is in createdTime order, descending when desc.
func checkCreatedOrder(t *testing.T, got []string, created map[string]time.Time, desc bool) {
	t.Helper()
	if !slices.IsSortedFunc(got, func(a, b string) int {
		if desc {
			return created[b].Compare(created[a])
		}
		return created[a].Compare(created[b])
	}) {
		t.Error("not in createdTime order")
	}
}

// checkOffsets fails the test unless every request f received was a list request of op with
// an offset of at most 1000.
func checkOffsets(t *testing.T, f *fake, op rebillytest.Operation) {
	t.Helper()
	for _, r := range f.Requests() {
		v, _ := url.ParseQuery(r.RawQuery)
		if n, _ := strconv.Atoi(v.Get("offset")); r.Operation != op || n > 1000 {
			t.Fatalf("%s with offset %d", r.Operation, n)
		}
	}
}

func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

// TestListFiltersSortsAndPages checks the fake's GET /payout-requests against a reference: the
// stored payout requests filtered, sorted and cut by hand.
func TestListFiltersSortsAndPages(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t, rebillytest.WithClock(newClock().Now))
		all := seedCrowd(t, f.Handler, 4, 3, 5)
		blocked := true
		extra, err := f.SeedPayoutRequests(payoutrequests.PayoutRequest{
			ID: "pr_usd", WebsiteID: "web_2", CustomerID: "cus_c", Currency: "USD", Amount: money.MustParse("1000"),
			Blocked: &blocked, BatchID: "batch_1", CreatedTime: start.Add(-time.Hour),
		})
		if err != nil || extra[0] != "pr_usd" {
			t.Fatalf("seed: %v %v", extra, err)
		}
		usd, _ := f.PayoutRequest("pr_usd")
		all = append(all, usd)

		where := func(keep func(i int, pr payoutrequests.PayoutRequest) bool) []string {
			var out []string
			for i, pr := range all {
				if keep(i, pr) {
					out = append(out, pr.ID)
				}
			}
			return out
		}
		byCreated := func(desc bool) []string {
			s := slices.Clone(all)
			slices.SortStableFunc(s, func(a, b payoutrequests.PayoutRequest) int {
				if desc {
					return b.CreatedTime.Compare(a.CreatedTime)
				}
				return a.CreatedTime.Compare(b.CreatedTime)
			})
			return ids(s)
		}
		t1 := start.Add(time.Second).Format(time.RFC3339)
		tests := []struct {
			name, query string
			want        []string
			total       int
		}{
			{"everything, in order of creation", "", ids(all), len(all)},
			{"status", q("filter", "status:canceled"), where(func(_ int, pr payoutrequests.PayoutRequest) bool { return pr.Status == "canceled" }), -1},
			{"status, any case", q("filter", "status:CANCELED"), where(func(_ int, pr payoutrequests.PayoutRequest) bool { return pr.Status == "canceled" }), -1},
			{"not canceled", q("filter", "status:!canceled"), where(func(_ int, pr payoutrequests.PayoutRequest) bool { return pr.Status != "canceled" }), -1},
			{"customers", q("filter", "customerId:cus_b,cus_c"), where(func(_ int, pr payoutrequests.PayoutRequest) bool { return pr.CustomerID != "cus_a" }), -1},
			{"two fields", q("filter", "customerId:cus_b;status:canceled"), where(func(_ int, pr payoutrequests.PayoutRequest) bool {
				return pr.CustomerID == "cus_b" && pr.Status == "canceled"
			}), -1},
			{"amount range", q("filter", "amount:1.02..1.05"), where(func(i int, pr payoutrequests.PayoutRequest) bool { return i >= 2 && i <= 5 }), -1},
			{"amount at least", q("filter", "amount:100.."), []string{"pr_usd"}, 1},
			{"createdTime range", q("filter", "createdTime:"+t1+".."+t1), where(func(i int, _ payoutrequests.PayoutRequest) bool { return i >= 4 && i < 7 }), 3},
			{"createdTime from", q("filter", "createdTime:"+t1+".."), where(func(i int, _ payoutrequests.PayoutRequest) bool { return i >= 4 && i < 12 }), 8},
			{"blocked", q("filter", "blocked:true"), []string{"pr_usd"}, 1},
			{"batch, website, currency, id", q("filter", "batchId:batch_1;websiteId:web_2;currency:USD;id:pr_usd"), []string{"pr_usd"}, 1},
			{"sort createdTime", q("sort", "createdTime"), byCreated(false), -1},
			{"sort -createdTime", q("sort", "-createdTime"), byCreated(true), -1},
			{"limit and offset", q("sort", "createdTime", "limit", "3", "offset", "2"), byCreated(false)[2:5], len(all)},
			{"offset past the end", q("offset", "50"), nil, len(all)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, got, h := listPage(t, f, tt.query)
				if status != 200 {
					t.Fatalf("status %d", status)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("ids\n got %v\nwant %v", got, tt.want)
				}
				total := tt.total
				if total < 0 {
					total = len(tt.want)
				}
				if h["Pagination-Total"] != strconv.Itoa(total) {
					t.Errorf("Pagination-Total = %q, want %d", h["Pagination-Total"], total)
				}
			})
		}

		_, _, h := listPage(t, f, q("limit", "2", "offset", "3"))
		if want := map[string]string{"Pagination-Total": "13", "Pagination-Limit": "2", "Pagination-Offset": "3"}; !mapsEqual(h, want) {
			t.Errorf("headers %v, want %v", h, want)
		}
		_, _, h = listPage(t, f, "")
		if h["Pagination-Limit"] != strconv.Itoa(rebillytest.DefaultListLimit) || h["Pagination-Offset"] != "0" {
			t.Errorf("headers without limit or offset: %v", h)
		}
	})
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestListRefusesWhatItCannotRead answers 422 naming the parameter, in both modes.
func TestListRefusesWhatItCannotRead(t *testing.T) {
	for _, strict := range []bool{true, false} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) {
			f := transports[0].start(t, rebillytest.WithStrict(strict))
			for _, tt := range []struct{ query, field string }{
				{q("filter", "nickname:x"), "filter"},
				{q("filter", "status"), "filter"},
				{q("filter", "status:"), "filter"},
				{q("filter", "status:a..b"), "filter"},
				{q("filter", "customerId:@vip"), "filter"},
				{q("filter", "createdTime:yesterday.."), "filter"},
				{q("filter", "amount:ten"), "filter"},
				{q("filter", "blocked:yes"), "filter"},
				{q("sort", "nickname"), "sort"},
				{q("limit", "1001"), "limit"},
				{q("offset", "1001"), "offset"},
				{q("offset", "-1"), "offset"},
			} {
				status, header, body := f.raw(t, "GET", org+"/payout-requests?"+tt.query, "")
				if status != 422 {
					t.Errorf("%s: status %d, want 422", tt.query, status)
					continue
				}
				if p := decodeProblem(t, header, body); !slices.Contains(fieldNames(p.InvalidFields), tt.field) {
					t.Errorf("%s: invalid fields %v, want %s", tt.query, p.InvalidFields, tt.field)
				}
			}
		})
	}
}

// TestListOffsetCap answers past the cap with a 422, or with the page at the cap again, and a
// client that pages by offset alone falls into the second.
func TestListOffsetCap(t *testing.T) {
	for _, tt := range []struct {
		name       string
		opts       []rebillytest.Option
		cap        int
		wantRepeat bool
	}{
		{"default: 422 past 1000", nil, 1000, false},
		{"repeat past 1000", []rebillytest.Option{rebillytest.WithOffsetCap(1000, rebillytest.RepeatPageAtCap)}, 1000, true},
		{"422 past 250", []rebillytest.Option{rebillytest.WithOffsetCap(250, rebillytest.RefuseOffset)}, 250, false},
		{"repeat past 250, lenient", []rebillytest.Option{rebillytest.WithOffsetCap(250, rebillytest.RepeatPageAtCap), rebillytest.WithStrict(false)}, 250, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := transports[1].start(t, tt.opts...)
			seedCrowd(t, f.Handler, 1300)
			_, atCap, _ := listPage(t, f, q("limit", "10", "offset", strconv.Itoa(tt.cap)))
			if len(atCap) != 10 {
				t.Fatalf("page at the cap: %d items", len(atCap))
			}
			status, past, h := listPage(t, f, q("limit", "10", "offset", strconv.Itoa(tt.cap+10)))
			switch {
			case tt.wantRepeat && (status != 200 || !slices.Equal(past, atCap) || h["Pagination-Offset"] != strconv.Itoa(tt.cap+10)):
				t.Errorf("past the cap: %d %v %v, want the page at the cap again, silently", status, past, h)
			case !tt.wantRepeat && status != 422:
				t.Errorf("past the cap: %d, want 422", status)
			}

			// A pager that trusts offsets alone repeats the page at the cap, or stops.
			seen := map[string]int{}
			var stopped int
			for offset := 0; offset < 1300; offset += 100 {
				status, page, _ := listPage(t, f, q("limit", "100", "offset", strconv.Itoa(offset)))
				if status != 200 {
					stopped = status
					break
				}
				for _, id := range page {
					seen[id]++
				}
			}
			twice := 0
			for _, n := range seen {
				if n > 1 {
					twice++
				}
			}
			if tt.wantRepeat && twice == 0 || !tt.wantRepeat && stopped != 422 {
				t.Errorf("naive pager: %d seen twice, stopped with %d", twice, stopped)
			}
		})
	}
}

func TestWithOffsetCapRefusesNonsense(t *testing.T) {
	for _, opt := range []rebillytest.Option{rebillytest.WithOffsetCap(-1, rebillytest.RefuseOffset), rebillytest.WithOffsetCap(1001, rebillytest.RefuseOffset), rebillytest.WithOffsetCap(10, 7)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("NewHandler accepted a bad WithOffsetCap")
				}
			}()
			rebillytest.NewHandler(opt)
		}()
	}
}

// TestSeedPayoutRequests fills in what a create would, and stores nothing when one is refused.
func TestSeedPayoutRequests(t *testing.T) {
	h := rebillytest.NewHandler(rebillytest.WithClock(newClock().Now))
	at := start.Add(90*time.Minute + 500*time.Millisecond)
	got, err := h.SeedPayoutRequests(
		payoutrequests.PayoutRequest{WebsiteID: "w", CustomerID: "c", Currency: "EUR", Amount: money.MustParse("5.5"), CreatedTime: at.In(time.FixedZone("X", 3600))},
		payoutrequests.PayoutRequest{ID: "mine", WebsiteID: "w", CustomerID: "c", Currency: "EUR", Amount: money.MustParse("1"), Status: payoutrequests.StatusFulfilled},
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !payoutRequestID.MatchString(got[0]) || got[1] != "mine" {
		t.Fatalf("ids %v", got)
	}
	first, _ := h.PayoutRequest(got[0])
	want := at.UTC().Truncate(time.Second)
	if !first.CreatedTime.Equal(want) || first.CreatedTime.Location() != time.UTC || !first.UpdatedTime.Equal(want) {
		t.Errorf("times %v %v, want %v in UTC", first.CreatedTime, first.UpdatedTime, want)
	}
	if first.Status != payoutrequests.StatusPending || first.AvailableAmount.String() != "5.5" || first.Blocked == nil || *first.Blocked || first.SelectPaymentInstrumentURL == "" {
		t.Errorf("defaults not filled in: %+v", first)
	}
	second, _ := h.PayoutRequest("mine")
	if second.Status != payoutrequests.StatusFulfilled || !second.CreatedTime.Equal(start) {
		t.Errorf("second: %+v", second)
	}

	for name, bad := range map[string]payoutrequests.PayoutRequest{
		"no customer":  {WebsiteID: "w", Currency: "EUR", Amount: money.MustParse("1")},
		"duplicate id": {ID: "mine", WebsiteID: "w", CustomerID: "c", Currency: "EUR", Amount: money.MustParse("1")},
	} {
		_, err := h.SeedPayoutRequests(payoutrequests.PayoutRequest{ID: "ok", WebsiteID: "w", CustomerID: "c", Currency: "EUR", Amount: money.MustParse("1")}, bad)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, stored := h.PayoutRequest("ok"); stored {
			t.Errorf("%s: the valid one was stored", name)
		}
	}
	if n := len(h.PayoutRequests()); n != 2 {
		t.Errorf("%d stored", n)
	}
}

// TestAllYieldsEachOnce is the acceptance test: 2,600 payout requests crowded into a
// few seconds (one of them holds 1,300, more than the offset cap), under both behaviours past
// the cap and caps lower than documented, on every transport.
func TestAllYieldsEachOnce(t *testing.T) {
	// A cap lower than documented lowers what All can reach in one second (see All), so the
	// crowd is thinner there.
	crowd, thinner := []int{300, 1300, 1, 400, 250, 349}, []int{300, 900, 1, 400, 250, 349, 400}
	caps := []struct {
		name   string
		opts   []rebillytest.Option
		counts []int
	}{
		{"422 past 1000", nil, crowd},
		{"repeat past 1000", []rebillytest.Option{rebillytest.WithOffsetCap(1000, rebillytest.RepeatPageAtCap)}, crowd},
		{"422 past 250", []rebillytest.Option{rebillytest.WithOffsetCap(250, rebillytest.RefuseOffset)}, thinner},
		{"repeat past 250", []rebillytest.Option{rebillytest.WithOffsetCap(250, rebillytest.RepeatPageAtCap)}, thinner},
	}
	forEachTransport(t, func(t *testing.T, tr transport) {
		for i, cp := range caps {
			if i >= 2 && tr.name != "httpmock" {
				continue // a lower cap is the SDK's concern, not the transport's: once is enough
			}
			t.Run(cp.name, func(t *testing.T) {
				f := tr.start(t, cp.opts...)
				all := seedCrowd(t, f.Handler, cp.counts...)
				created := make(map[string]time.Time, len(all))
				for _, pr := range all {
					created[pr.ID] = pr.CreatedTime
				}
				// TestListFiltersSortsAndPages checks the fake's pages against openapi.yaml;
				// checking thousands of them again here would only take time.
				c := f.faultyClient(t)
				byCustomerB := func() []string {
					var out []string
					for _, pr := range all {
						if pr.CustomerID == "cus_b" && pr.Status != payoutrequests.StatusCanceled {
							out = append(out, pr.ID)
						}
					}
					return out
				}()
				for _, tt := range []struct {
					name   string
					params payoutrequests.ListParams
					want   []string
				}{
					{"everything", payoutrequests.ListParams{}, ids(all)},
					{"everything, pages of 1000", payoutrequests.ListParams{Limit: 1000}, ids(all)},
					{"everything, descending, pages of 333", payoutrequests.ListParams{Sort: []string{"-createdTime"}, Limit: 333}, ids(all)},
					{"a filter", payoutrequests.ListParams{Where: []payoutrequests.Condition{
						payoutrequests.CustomerIDIn("cus_b"),
						payoutrequests.Not(payoutrequests.StatusIn(payoutrequests.StatusCanceled)),
					}, Limit: 50}, byCustomerB},
				} {
					t.Run(tt.name, func(t *testing.T) {
						got, err := collect(t, c, tt.params)
						if err != nil {
							t.Fatalf("after %d: %v", len(got), err)
						}
						checkOnce(t, got, tt.want)
						checkCreatedOrder(t, got, created, len(tt.params.Sort) > 0)
					})
				}
				checkOffsets(t, f, rebillytest.OpListPayoutRequests)
			})
		}
	})
}

// TestAllDenseSeconds pages through a second as full as offset paging can reach, and ends with
// ErrPaging on one fuller still.
func TestAllDenseSeconds(t *testing.T) {
	t.Run("2,000 in one second, then more", func(t *testing.T) {
		f := transports[1].start(t)
		all := seedCrowd(t, f.Handler, 3, 2000, 5)
		got, err := collect(t, f.client(t), payoutrequests.ListParams{Limit: 250})
		if err != nil {
			t.Fatal(err)
		}
		checkOnce(t, got, ids(all))
	})
	t.Run("2,001 in one second", func(t *testing.T) {
		f := transports[1].start(t)
		seedCrowd(t, f.Handler, 3, 2001, 5)
		got, err := collect(t, f.client(t), payoutrequests.ListParams{Limit: 250})
		var pe *rebilly.PagingError
		if !errors.As(err, &pe) || !errors.Is(err, rebilly.ErrPaging) || !errors.Is(err, rebilly.ErrNotApplied) {
			t.Fatalf("after %d: %v, want a *PagingError", len(got), err)
		}
		if !strings.Contains(pe.Reason, "2001 payout requests match with createdTime") {
			t.Errorf("reason: %s", pe.Reason)
		}
		if len(got) != 2003 {
			t.Errorf("yielded %d before the error, want the 2,003 it could reach", len(got))
		}
	})
}

// TestAllKeepsToCreatedBetween combines the caller's createdTime range with the keyset.
func TestAllKeepsToCreatedBetween(t *testing.T) {
	f := transports[1].start(t)
	all := seedCrowd(t, f.Handler, 500, 1200, 700, 10)
	from, to := start.Add(time.Second), start.Add(2*time.Second)
	var want []string
	for _, pr := range all {
		if !pr.CreatedTime.Before(from) && !pr.CreatedTime.After(to) {
			want = append(want, pr.ID)
		}
	}
	for _, sort := range []string{"createdTime", "-createdTime"} {
		got, err := collect(t, f.client(t), payoutrequests.ListParams{Sort: []string{sort}, Where: []payoutrequests.Condition{payoutrequests.CreatedBetween(from, to)}})
		if err != nil {
			t.Fatal(err)
		}
		checkOnce(t, got, want)
	}
}
