package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/rebillytest"
)

// listSize is how many payout requests BenchmarkAllPayoutRequests iterates: ten times the
// offset cap, crowded 500 to a second of createdTime, so that All pages by keyset for most of
// them and skips within seconds.
const listSize = 10_000

// seedList fills h with listSize payout requests, 500 per second of createdTime.
func seedList(tb testing.TB, h *rebillytest.Handler) {
	tb.Helper()
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	prs := make([]payoutrequests.PayoutRequest, listSize)
	for i := range prs {
		prs[i] = payoutrequests.PayoutRequest{
			WebsiteID: "web_bench", CustomerID: "cus_bench", Currency: "USD",
			Amount: money.FromMinorUnits(int64(100+i), 2), CreatedTime: start.Add(time.Duration(i/500) * time.Second),
		}
	}
	if _, err := h.SeedPayoutRequests(prs...); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkAllPayoutRequests iterates 10,000 payout requests with PayoutRequests.All against
// rebillytest over loopback HTTP/1, with the default page (100) and the largest (1000). The
// fake runs in the same process: sec/op, B/op and allocs/op count its work (filtering,
// sorting and encoding every page) as well as the client's. requests/op is the number of GET
// /payout-requests per iteration.
func BenchmarkAllPayoutRequests(b *testing.B) {
	for _, limit := range []int{0, 1000} {
		name := fmt.Sprintf("limit=%d", limit)
		if limit == 0 {
			name = fmt.Sprintf("limit=default(%d)", payoutrequests.DefaultAllLimit)
		}
		b.Run(name, func(b *testing.B) {
			srv := rebillytest.NewServer(b, rebillytest.WithStrict(false))
			c, err := rebilly.NewClient(srv.ClientOptions()...)
			if err != nil {
				b.Fatal(err)
			}
			defer c.CloseIdleConnections()
			requests := 0
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				srv.Reset() // forgets the requests recorded, which would pile up
				seedList(b, srv.Handler)
				b.StartTimer()
				n := 0
				for _, err := range c.PayoutRequests.All(context.Background(), payoutrequests.ListParams{Limit: limit}) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != listSize {
					b.Fatalf("yielded %d, want %d", n, listSize)
				}
				b.StopTimer()
				requests += len(srv.Requests())
				b.StartTimer()
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}

// TestAllHoldsAboutOnePage iterates 10,000 payout requests and measures the live heap as it
// goes: it must not grow with the payout requests yielded, only hold about a page.
func TestAllHoldsAboutOnePage(t *testing.T) {
	if testing.Short() {
		t.Skip("forces a garbage collection every 500 payout requests")
	}
	srv := rebillytest.NewServer(t, rebillytest.WithStrict(false))
	seedList(t, srv.Handler)
	c, err := rebilly.NewClient(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	live := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var first, peak uint64
	n := 0
	for _, err := range c.PayoutRequests.All(context.Background(), payoutrequests.ListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n%500 == 0 {
			h := live()
			if first == 0 {
				first = h
			}
			peak = max(peak, h)
		}
	}
	growth := int64(peak) - int64(first)
	t.Logf("live heap after 500 payout requests: %d KiB; most above that over 10,000: %d KiB", first>>10, growth>>10)
	if growth > 2<<20 {
		t.Errorf("the live heap grew by %d KiB while iterating: All holds more than a page", growth>>10)
	}
}
