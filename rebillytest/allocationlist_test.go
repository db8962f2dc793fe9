package rebillytest_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/rebillytest"
)

var allocationID = regexp.MustCompile(`^pout_alloc_[0-9A-Z]{26}$`)

// seedAllocationCrowd seeds allocations whose createdTimes crowd into a few seconds: counts[i]
// of them in second i after start, five to a payout request of 5.00 (batch_1 for the first
// payout request, none for the others), each of 1.00. Every third goes to inst_b, the others
// to inst_a; every other through gw_2; every seventh is canceled and every eleventh
// completed (with its transaction txn_<n>). It returns the allocations as stored, in order of
// creation.
func seedAllocationCrowd(t testing.TB, h *rebillytest.Handler, counts ...int) []allocations.Allocation {
	t.Helper()
	n := 0
	for _, c := range counts {
		n += c
	}
	prs := make([]payoutrequests.PayoutRequest, (n+4)/5)
	for i := range prs {
		prs[i] = payoutrequests.PayoutRequest{WebsiteID: "web_1", CustomerID: "cus_a", Currency: "EUR", Amount: money.MustParse("5.00"), CreatedTime: start.Add(-time.Hour)}
	}
	if len(prs) > 0 {
		prs[0].BatchID = "batch_1"
	}
	prIDs, err := h.SeedPayoutRequests(prs...)
	if err != nil {
		t.Fatal(err)
	}
	seeds := make([]allocations.Allocation, 0, n)
	for sec, count := range counts {
		for range count {
			i := len(seeds)
			a := allocations.Allocation{
				PayoutRequestID: prIDs[i/5], PaymentInstrumentID: "inst_a", GatewayAccountID: "gw_1",
				Amount: money.MustParse("1.00"), CreatedTime: start.Add(time.Duration(sec) * time.Second),
			}
			if i%3 == 0 {
				a.PaymentInstrumentID = "inst_b"
			}
			if i%2 == 1 {
				a.GatewayAccountID = "gw_2"
			}
			switch {
			case i%7 == 0:
				a.Status = allocations.StatusCanceled
			case i%11 == 0:
				a.Status, a.TransactionID = allocations.StatusCompleted, fmt.Sprintf("txn_%d", i)
			}
			seeds = append(seeds, a)
		}
	}
	ids, err := h.SeedAllocations(seeds...)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]allocations.Allocation, len(ids))
	for i, id := range ids {
		out[i], _ = h.Allocation(id)
	}
	return out
}

func allocationIDs(as []allocations.Allocation) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// listAllocationPage sends GET /payout-request-allocations with a raw query and returns the
// status, the ids of the page and its Pagination-* headers.
func listAllocationPage(t *testing.T, f *fake, query string) (int, []string, map[string]string) {
	t.Helper()
	return listIDs(t, f, "/payout-request-allocations?"+query, func(a *allocations.Allocation) string { return a.ID })
}

// TestListAllocationsFiltersSortsAndPages checks the fake's GET /payout-request-allocations
// against a reference: the stored allocations filtered, sorted and cut by hand.
func TestListAllocationsFiltersSortsAndPages(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		clk := newClock()
		f := tr.start(t, rebillytest.WithClock(clk.Now))
		// One created through the API first, later than the seeded ones: the default order is
		// by createdTime, not by payout request.
		c := f.client(t)
		prID := f.newPayoutRequest(t, c, "3.00")
		clk.Advance(time.Hour)
		api, err := c.Allocations.Create(context.Background(), allocationTo(prID, "2.50"))
		if err != nil {
			t.Fatal(err)
		}
		all := append(seedAllocationCrowd(t, f.Handler, 4, 3, 5), f.allocation(t, api.ID))

		where := func(keep func(i int, a allocations.Allocation) bool) []string {
			var out []string
			for i, a := range all {
				if keep(i, a) {
					out = append(out, a.ID)
				}
			}
			return out
		}
		reversed := slices.Clone(all)
		slices.SortStableFunc(reversed, func(a, b allocations.Allocation) int { return b.CreatedTime.Compare(a.CreatedTime) })
		t1 := start.Add(time.Second).Format(time.RFC3339)
		tests := []struct {
			name, query string
			want        []string
		}{
			{"everything, in order of creation", "", allocationIDs(all)},
			{"status", q("filter", "status:canceled"), where(func(_ int, a allocations.Allocation) bool { return a.Status == allocations.StatusCanceled })},
			{"not canceled", q("filter", "status:!canceled"), where(func(_ int, a allocations.Allocation) bool { return a.Status != allocations.StatusCanceled })},
			{"payout request", q("filter", "payoutRequestId:"+all[5].PayoutRequestID+","+prID), where(func(i int, _ allocations.Allocation) bool { return i >= 5 && i < 10 || i == 12 })},
			{"instrument and gateway", q("filter", "paymentInstrumentId:inst_b;gatewayAccountId:gw_2"), where(func(i int, _ allocations.Allocation) bool { return i < 12 && i%3 == 0 && i%2 == 1 })},
			{"transaction", q("filter", "transactionId:txn_11"), []string{all[11].ID}},
			{"batch", q("filter", "batchId:batch_1"), allocationIDs(all[:5])},
			{"id and currency", q("filter", "id:"+api.ID+";currency:EUR"), []string{api.ID}},
			{"amount at least", q("filter", "amount:2.."), []string{api.ID}},
			{"createdTime range", q("filter", "createdTime:"+t1+".."+t1), allocationIDs(all[4:7])},
			{"updatedTime from", q("filter", "updatedTime:"+t1+".."), allocationIDs(all[4:])},
			{"sort -createdTime", q("sort", "-createdTime"), allocationIDs(reversed)},
			{"sort amount, then -createdTime", q("sort", "-amount,-createdTime"), append([]string{api.ID}, allocationIDs(reversed[1:])...)},
			{"limit and offset", q("limit", "3", "offset", "2"), allocationIDs(all[2:5])},
			{"offset past the end", q("offset", "50"), nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, got, h := listAllocationPage(t, f, tt.query)
				if status != 200 {
					t.Fatalf("status %d", status)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("ids\n got %v\nwant %v", got, tt.want)
				}
				if tt.name != "limit and offset" && tt.name != "offset past the end" && h["Pagination-Total"] != strconv.Itoa(len(tt.want)) {
					t.Errorf("Pagination-Total = %q, want %d", h["Pagination-Total"], len(tt.want))
				}
			})
		}
		_, _, h := listAllocationPage(t, f, q("limit", "2", "offset", "3"))
		if want := map[string]string{"Pagination-Total": "13", "Pagination-Limit": "2", "Pagination-Offset": "3"}; !mapsEqual(h, want) {
			t.Errorf("headers %v, want %v", h, want)
		}
	})
}

// TestListAllocationsRefusesWhatItCannotRead answers 422 naming the parameter, in both modes,
// and past the offset cap as GET /payout-requests does.
func TestListAllocationsRefusesWhatItCannotRead(t *testing.T) {
	for _, strict := range []bool{true, false} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) {
			f := transports[0].start(t, rebillytest.WithStrict(strict))
			for _, tt := range []struct{ query, field string }{
				{q("filter", "customerId:cus_1"), "filter"}, // a payout request's field
				{q("filter", "status:a..b"), "filter"},
				{q("filter", "amount:ten"), "filter"},
				{q("sort", "gatewayAccountId"), "sort"},
				{q("limit", "1001"), "limit"},
				{q("offset", "1001"), "offset"},
			} {
				status, header, body := f.raw(t, "GET", org+"/payout-request-allocations?"+tt.query, "")
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

// TestListAllocationsOffsetCap: past the cap the collection answers as GET /payout-requests
// does, 422 or the page at the cap again, silently.
func TestListAllocationsOffsetCap(t *testing.T) {
	for _, tt := range []struct {
		name       string
		opts       []rebillytest.Option
		wantRepeat bool
	}{
		{"default: 422 past 1000", nil, false},
		{"repeat past 1000", []rebillytest.Option{rebillytest.WithOffsetCap(1000, rebillytest.RepeatPageAtCap)}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := transports[1].start(t, tt.opts...)
			seedAllocationCrowd(t, f.Handler, 1020)
			_, atCap, _ := listAllocationPage(t, f, q("limit", "10", "offset", "1000"))
			status, past, h := listAllocationPage(t, f, q("limit", "10", "offset", "1010"))
			switch {
			case len(atCap) != 10:
				t.Errorf("page at the cap: %d items", len(atCap))
			case tt.wantRepeat && (status != 200 || !slices.Equal(past, atCap) || h["Pagination-Offset"] != "1010"):
				t.Errorf("past the cap: %d %v %v, want the page at the cap again, silently", status, past, h)
			case !tt.wantRepeat && status != 422:
				t.Errorf("past the cap: %d, want 422", status)
			}
		})
	}
}

// TestAllAllocationsYieldsEachOnce: 2,500 allocations crowded into a few seconds (one of them
// holds 1,300, more than the offset cap) come out of allocations.All exactly once, in
// createdTime order, under both behaviours past the cap, on every transport; a filter yields
// exactly the matching ones.
func TestAllAllocationsYieldsEachOnce(t *testing.T) {
	caps := []struct {
		name string
		opts []rebillytest.Option
	}{
		{"422 past 1000", nil},
		{"repeat past 1000", []rebillytest.Option{rebillytest.WithOffsetCap(1000, rebillytest.RepeatPageAtCap)}},
	}
	forEachTransport(t, func(t *testing.T, tr transport) {
		for _, cp := range caps {
			t.Run(cp.name, func(t *testing.T) {
				f := tr.start(t, cp.opts...)
				all := seedAllocationCrowd(t, f.Handler, 300, 1300, 1, 400, 250, 249)
				created := make(map[string]time.Time, len(all))
				for _, a := range all {
					created[a.ID] = a.CreatedTime
				}
				matching := func(keep func(a allocations.Allocation) bool) []string {
					var out []string
					for _, a := range all {
						if keep(a) {
							out = append(out, a.ID)
						}
					}
					return out
				}
				c := f.faultyClient(t)
				for _, tt := range []struct {
					name   string
					params allocations.ListParams
					want   []string
				}{
					{"everything", allocations.ListParams{}, allocationIDs(all)},
					{"everything, pages of 1000", allocations.ListParams{Limit: 1000}, allocationIDs(all)},
					{"everything, descending, pages of 333", allocations.ListParams{Sort: []string{"-createdTime"}, Limit: 333}, allocationIDs(all)},
					{"an instrument, not canceled", allocations.ListParams{Where: []allocations.Condition{
						allocations.PaymentInstrumentIDIn("inst_b"),
						allocations.Not(allocations.StatusIn(allocations.StatusCanceled)),
					}, Limit: 50}, matching(func(a allocations.Allocation) bool {
						return a.PaymentInstrumentID == "inst_b" && a.Status != allocations.StatusCanceled
					})},
					{"completed through gw_2, in a range", allocations.ListParams{Where: []allocations.Condition{
						allocations.StatusIn(allocations.StatusCompleted),
						allocations.GatewayAccountIDIn("gw_2"),
						allocations.CreatedBetween(start.Add(time.Second), start.Add(3*time.Second)),
					}}, matching(func(a allocations.Allocation) bool {
						sec := a.CreatedTime.Sub(start)
						return a.Status == allocations.StatusCompleted && a.GatewayAccountID == "gw_2" && sec >= time.Second && sec <= 3*time.Second
					})},
				} {
					t.Run(tt.name, func(t *testing.T) {
						got, err := collectAllocations(c, tt.params)
						if err != nil {
							t.Fatalf("after %d: %v", len(got), err)
						}
						checkOnce(t, got, tt.want)
						checkCreatedOrder(t, got, created, len(tt.params.Sort) > 0)
					})
				}
				checkOffsets(t, f, rebillytest.OpListAllocations)
			})
		}
	})
}

// TestAllAllocationsThroughFaults: faults strike GET /payout-request-allocations like any
// other operation, and All, a read, waits them out: each allocation once.
func TestAllAllocationsThroughFaults(t *testing.T) {
	faults := []rebillytest.Fault{
		rebillytest.StatusBeforeCommit(503), rebillytest.DropBeforeCommit(), rebillytest.StatusAfterCommit(500),
		rebillytest.DropAfterCommit(), rebillytest.CutSuccessBody(),
	}
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		all := seedAllocationCrowd(t, f.Handler, 700, 800)
		c := f.faultyClient(t, rebilly.WithMaxRetries(4))
		f.FailRandomly(0.3, faults, 7)
		got, err := collectAllocations(c, allocations.ListParams{Limit: 200})
		if err != nil {
			t.Fatalf("after %d: %v", len(got), err)
		}
		checkOnce(t, got, allocationIDs(all))
		struck := 0
		for _, r := range f.Requests() {
			if r.Fault != "" && r.Operation == rebillytest.OpListAllocations {
				struck++
			}
		}
		if struck == 0 {
			t.Error("no fault struck a list request")
		}
	})
}

// collectAllocations runs allocations.All and returns the ids it yielded and its error.
func collectAllocations(c *rebilly.Client, params allocations.ListParams) ([]string, error) {
	var got []string
	for a, err := range c.Allocations.All(context.Background(), params) {
		if err != nil {
			return got, err
		}
		got = append(got, a.ID)
	}
	return got, nil
}

// TestSeedAllocations fills in what a create would, keeps the payout request in step, and
// stores nothing when one is refused.
func TestSeedAllocations(t *testing.T) {
	h := rebillytest.NewHandler(rebillytest.WithClock(newClock().Now))
	prIDs, err := h.SeedPayoutRequests(
		payoutrequests.PayoutRequest{ID: "pr_1", WebsiteID: "w", CustomerID: "c", Currency: "USD", Amount: money.MustParse("10"), BatchID: "b_1"},
		payoutrequests.PayoutRequest{ID: "pr_2", WebsiteID: "w", CustomerID: "c", Currency: "USD", Amount: money.MustParse("1"), Status: payoutrequests.StatusCanceled},
	)
	if err != nil {
		t.Fatal(err)
	}
	at := start.Add(90*time.Minute + 500*time.Millisecond)
	ids, err := h.SeedAllocations(
		allocations.Allocation{PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("4"), CreatedTime: at},
		allocations.Allocation{ID: "mine", PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("6"), Status: allocations.StatusCompleted},
		allocations.Allocation{PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("3"), Status: allocations.StatusDeclined},
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || !allocationID.MatchString(ids[0]) || ids[1] != "mine" {
		t.Fatalf("ids %v", ids)
	}
	first, _ := h.Allocation(ids[0])
	want := at.UTC().Truncate(time.Second)
	if first.Status != allocations.StatusPending || first.Currency != "USD" || first.BatchID != "b_1" || first.GatewayName == "" ||
		!first.CreatedTime.Equal(want) || !first.UpdatedTime.Equal(want) || first.CreatedTime.Location() != time.UTC {
		t.Errorf("defaults not filled in: %+v", first)
	}
	if mine, _ := h.Allocation("mine"); mine.Status != allocations.StatusCompleted || !mine.CreatedTime.Equal(start) {
		t.Errorf("second: %+v", mine)
	}
	pr, _ := h.PayoutRequest(prIDs[0])
	if pr.AvailableAmount.Sign() != 0 || pr.Status != payoutrequests.StatusInProgress || len(pr.Allocations) != 3 {
		t.Errorf("payout request not in step: available %s, status %s, %d allocations", pr.AvailableAmount, pr.Status, len(pr.Allocations))
	}

	ok := allocations.Allocation{ID: "ok", PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("0.01"), Status: allocations.StatusCanceled}
	for name, bad := range map[string]allocations.Allocation{
		"more than is left":        {PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("0.01")},
		"no such payout request":   {PayoutRequestID: "pr_none", PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("1")},
		"a canceled one":           {PayoutRequestID: prIDs[1], PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("1")},
		"another currency":         {PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("1"), Currency: "EUR", Status: allocations.StatusFailed},
		"an id already stored":     {ID: "mine", PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", GatewayAccountID: "g", Amount: money.MustParse("1"), Status: allocations.StatusFailed},
		"no gateway account":       {PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", Amount: money.MustParse("1"), Status: allocations.StatusFailed},
		"an amount that is not >0": {PayoutRequestID: prIDs[0], PaymentInstrumentID: "i", GatewayAccountID: "g", Status: allocations.StatusFailed},
	} {
		if _, err := h.SeedAllocations(ok, bad); err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, stored := h.Allocation("ok"); stored {
			t.Errorf("%s: the valid one was stored", name)
		}
	}
}
