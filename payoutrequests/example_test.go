package payoutrequests_test

import (
	"context"
	"fmt"
	"log"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/rebillytest"
)

// exampleClient returns a client talking to the built-in fake Rebilly, whose ids are the same
// on every run.
func exampleClient() (*rebilly.Client, func()) {
	fake := rebillytest.StartServer(rebillytest.WithClock(func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }))
	client, err := rebilly.NewClient(
		rebilly.WithAPIKey(rebillytest.DefaultAPIKey),
		rebilly.WithOrganizationID(rebillytest.DefaultOrganizationID),
		rebilly.WithBaseURL(fake.URL()),
		rebilly.WithHTTPClient(fake.HTTPClient()),
	)
	if err != nil {
		log.Fatal(err)
	}
	return client, fake.Close
}

func ExampleService_Create() {
	client, done := exampleClient()
	defer done()

	redirect, err := payoutrequests.RedirectURLWithID("https://shop.example/payouts/done", "pr")
	if err != nil {
		log.Fatal(err)
	}
	pr, err := client.PayoutRequests.Create(context.Background(), payoutrequests.CreateParams{
		WebsiteID:                            "web_1",
		CustomerID:                           "cus_1",
		Currency:                             "USD",
		Amount:                               money.MustParse("75.00"),
		SelectedPaymentInstrumentRedirectURL: redirect,
	})
	if err != nil {
		log.Fatal(err) // errors.Is(err, rebilly.ErrOutcomeUnknown): it may exist; see Upsert
	}
	fmt.Println(pr.Status, pr.Amount, pr.SelectedPaymentInstrumentRedirectURL)
	// Output: pending 75.00 https://shop.example/payouts/done?pr={{id}}
}

// Upsert with an id derived from your own withdrawal id creates the payout request exactly
// once, however often it is repeated.
func ExampleService_Upsert() {
	client, done := exampleClient()
	defer done()

	id, err := payoutrequests.IDFor("withdrawal/2026/000123")
	if err != nil {
		log.Fatal(err)
	}
	params := payoutrequests.UpsertParams{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("20.00")}
	for range 3 {
		pr, err := client.PayoutRequests.Upsert(context.Background(), id, params)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(pr.ID, pr.Status)
	}
	// Output:
	// withdrawal2026000123-4e2019bcdb187dd10ab42ca33f11 pending
	// withdrawal2026000123-4e2019bcdb187dd10ab42ca33f11 pending
	// withdrawal2026000123-4e2019bcdb187dd10ab42ca33f11 pending
}

func ExampleService_Get() {
	client, done := exampleClient()
	defer done()
	ctx := context.Background()

	created, err := client.PayoutRequests.Create(ctx, payoutrequests.CreateParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "EUR", Amount: money.MustParse("12.30"),
	})
	if err != nil {
		log.Fatal(err)
	}
	pr, err := client.PayoutRequests.Get(ctx, created.ID)
	if err != nil {
		log.Fatal(err) // errors.Is(err, rebilly.ErrNotFound) when there is no such id
	}
	fmt.Println(pr.ID == created.ID, pr.AvailableAmount, pr.Currency)
	// Output: true 12.30 EUR
}

func ExampleRedirectURLWithID() {
	u, err := payoutrequests.RedirectURLWithID("https://shop.example/payouts/done?from=app#top", "payoutRequest")
	fmt.Println(u, err)
	// Output: https://shop.example/payouts/done?from=app&payoutRequest={{id}}#top <nil>
}

func ExampleIDFor() {
	id, _ := payoutrequests.IDFor("withdrawal/2026/000123")
	fmt.Println(id, len(id))
	// Output: withdrawal2026000123-4e2019bcdb187dd10ab42ca33f11 49
}
