package allocations_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
)

// All goes through every matching allocation, of every payout request, once, past the offset
// cap of 1000 too: here 2,400 allocations of 480 payout requests, 500 of them per second of
// createdTime, two in three to inst_1.
func ExampleService_All() {
	client, srv := exampleClient()
	defer srv.Close()
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	prs := make([]payoutrequests.PayoutRequest, 480)
	for i := range prs {
		prs[i] = payoutrequests.PayoutRequest{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "EUR", Amount: money.MustParse("50.00")}
	}
	prIDs, err := srv.SeedPayoutRequests(prs...)
	if err != nil {
		log.Fatal(err)
	}
	seeds := make([]allocations.Allocation, 2400)
	for i := range seeds {
		seeds[i] = allocations.Allocation{
			PayoutRequestID: prIDs[i/5], PaymentInstrumentID: fmt.Sprintf("inst_%d", 1+i%3/2), GatewayAccountID: "gw_1",
			Amount: money.MustParse("10.00"), CreatedTime: start.Add(time.Duration(i/500) * time.Second),
		}
	}
	if _, err := srv.SeedAllocations(seeds...); err != nil {
		log.Fatal(err)
	}

	params := allocations.ListParams{
		Where: []allocations.Condition{
			allocations.PaymentInstrumentIDIn("inst_1"),
			allocations.StatusIn(allocations.StatusPending),
		},
		Limit: 200,
	}
	n, sum := 0, money.MustParse("0")
	for a, err := range client.Allocations.All(context.Background(), params) {
		if errors.Is(err, rebilly.ErrPaging) {
			log.Fatal(err) // the pages shifted under All: start again
		}
		if err != nil {
			log.Fatal(err)
		}
		n, sum = n+1, sum.Add(a.Amount)
	}
	fmt.Printf("%d pending allocations to inst_1, %s EUR\n", n, sum)
	// Output:
	// 1600 pending allocations to inst_1, 16000.00 EUR
}
