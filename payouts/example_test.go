package payouts_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

func ExampleService_Create() {
	fake := rebillytest.StartServer()
	defer fake.Close()
	client, err := rebilly.NewClient(
		rebilly.WithAPIKey(rebillytest.DefaultAPIKey),
		rebilly.WithOrganizationID(rebillytest.DefaultOrganizationID),
		rebilly.WithBaseURL(fake.URL()),
		rebilly.WithHTTPClient(fake.HTTPClient()),
	)
	if err != nil {
		log.Fatal(err)
	}

	// The requestId comes from the merchant's own key: repeating this call, from any process,
	// pays once.
	requestID, _ := payouts.RequestIDFor("withdrawal-2026-000123")
	redirect, _ := payouts.URLWithPlaceholders("https://shop.example/payouts/result", "tx", "result")
	params := payouts.CreateParams{
		WebsiteID:   "web_1",
		CustomerID:  "cus_1",
		Currency:    "USD",
		Amount:      money.FromMinorUnits(4999, 2),
		RequestID:   requestID,
		RedirectURL: redirect,
	}
	first, err := client.Payouts.Create(context.Background(), params)
	if err != nil {
		log.Fatal(err)
	}
	again, err := client.Payouts.Create(context.Background(), params)
	switch {
	case errors.Is(err, rebilly.ErrDuplicateRequest):
		fmt.Println("already paid")
	case err != nil:
		log.Fatal(err) // errors.Is(err, rebilly.ErrOutcomeUnknown): repeat with the same params
	default:
		fmt.Println(first.Amount, first.RequestID, again.ID == first.ID, len(fake.Transactions()))
	}
	// Output: 49.99 ce3dfd24-ae25-5fac-a4d4-c8f63e28f720 true 1
}

func ExampleRequestIDFor() {
	id, _ := payouts.RequestIDFor("withdrawal-2026-000123")
	fmt.Println(id)
	// Output: ce3dfd24-ae25-5fac-a4d4-c8f63e28f720
}

func ExampleURLWithPlaceholders() {
	u, _ := payouts.URLWithPlaceholders("https://shop.example/hooks/payout?shop=7", "tx", "result")
	fmt.Println(u)
	// Output: https://shop.example/hooks/payout?shop=7&tx={id}&result={result}
}
