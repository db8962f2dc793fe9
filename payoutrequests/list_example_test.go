package payoutrequests_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/rebillytest"
)

// exampleFake returns a client of the built-in fake, seeded with n payout requests of
// cus_1 and cus_2 in turn, 500 per second of createdTime from 2026-11-24T12:00:00Z, with
// the ids pr_0000, pr_0001...
func exampleFake(n int) (*rebilly.Client, func()) {
	fake := rebillytest.StartServer()
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	seeds := make([]payoutrequests.PayoutRequest, n)
	for i := range seeds {
		seeds[i] = payoutrequests.PayoutRequest{
			ID: fmt.Sprintf("pr_%04d", i), WebsiteID: "web_1", CustomerID: fmt.Sprintf("cus_%d", 1+i%2),
			Currency: "EUR", Amount: money.FromMinorUnits(int64(1000+i), 2),
			CreatedTime: start.Add(time.Duration(i/500) * time.Second),
		}
	}
	if _, err := fake.SeedPayoutRequests(seeds...); err != nil {
		log.Fatal(err)
	}
	client, err := rebilly.NewClient(fake.ClientOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	return client, fake.Close
}

// List reads one page, with Rebilly's totals; Next gives the params of the next one.
func ExampleService_List() {
	client, done := exampleFake(250)
	defer done()

	params := payoutrequests.ListParams{Sort: []string{"createdTime"}, Limit: 100}
	for {
		page, err := client.PayoutRequests.List(context.Background(), params)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("offset %d: %d of %d\n", page.Offset, len(page.Items), page.Total)
		next, ok := page.Next()
		if !ok {
			break // the end, or the offset cap: All goes past it
		}
		params = next
	}
	// Output:
	// offset 0: 100 of 250
	// offset 100: 100 of 250
	// offset 200: 50 of 250
}

// All goes through every matching payout request once, past the offset cap of 1000 too:
// here 3,000, 500 of them per second of createdTime.
func ExampleService_All() {
	client, done := exampleFake(3000)
	defer done()

	params := payoutrequests.ListParams{
		Where: []payoutrequests.Condition{payoutrequests.CustomerIDIn("cus_2")},
		Limit: 200,
	}
	n, sum := 0, money.Amount{}
	for pr, err := range client.PayoutRequests.All(context.Background(), params) {
		if errors.Is(err, rebilly.ErrPaging) {
			log.Fatal(err) // the pages shifted under All: start again
		}
		if err != nil {
			log.Fatal(err)
		}
		n, sum = n+1, sum.Add(pr.Amount)
	}
	fmt.Println(n, "payout requests of cus_2, for", sum, "EUR")
	// Output: 1500 payout requests of cus_2, for 37500.00 EUR
}

// Cancel is safe to repeat: a second Cancel is a 409, which is ErrConflict.
func ExampleService_Cancel() {
	client, done := exampleFake(1)
	defer done()
	ctx := context.Background()

	pr, err := client.PayoutRequests.Cancel(ctx, "pr_0000", payoutrequests.CancelParams{
		CanceledBy:  payoutrequests.CanceledByCustomer, // the customer withdrew it
		Description: "withdrawn by the customer",
	})
	if err != nil {
		log.Fatal(err) // ErrOutcomeUnknown: follow its Recovery, or simply Cancel again
	}
	fmt.Println(pr.Status, pr.CancellationReason.CanceledBy)

	_, err = client.PayoutRequests.Cancel(ctx, "pr_0000", payoutrequests.CancelParams{})
	fmt.Println(errors.Is(err, rebilly.ErrConflict))
	// Output:
	// canceled customer
	// true
}

// Conditions write Rebilly's filter syntax for you; FilterText shows what they send.
func ExampleFilterText() {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	text, err := payoutrequests.FilterText(
		payoutrequests.CustomerIDIn("cus_1", "cus_2"),
		payoutrequests.Not(payoutrequests.StatusIn(payoutrequests.StatusCanceled, payoutrequests.StatusFulfilled)),
		payoutrequests.AmountBetween(money.MustParse("100"), money.Amount{}),
		payoutrequests.CreatedBetween(from, from.AddDate(0, 1, 0)),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(text)

	// A value the syntax cannot carry is refused, not escaped by guesswork.
	_, err = payoutrequests.FilterText(payoutrequests.CustomerIDIn("cus_1;status:paid"))
	fmt.Println(rebilly.FieldErrors(err)[0].Field)
	// Output:
	// customerId:cus_1,cus_2;status:!canceled,fulfilled;amount:100..;createdTime:2026-01-01T00:00:00Z..2026-02-01T00:00:00Z
	// filter.customerId
}
