package allocations_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// exampleClient starts the built-in fake Rebilly and a client of it whose waits between
// reads are short; the caller closes the fake.
func exampleClient(opts ...rebillytest.Option) (*rebilly.Client, *rebillytest.Server) {
	srv := rebillytest.StartServer(opts...)
	client, err := rebilly.NewClient(append(srv.ClientOptions(), rebilly.WithRetryWait(0, 0))...)
	if err != nil {
		log.Fatal(err)
	}
	return client, srv
}

// PayInFull is the whole job in one call, exactly once even across restarts: it allocates
// what is not yet allocated, processes the pending allocations and waits for their final
// status. Run it again after a crash, or an error, and it goes on from what Rebilly holds.
func ExampleService_PayInFull() {
	client, srv := exampleClient()
	defer srv.Close()
	ctx := context.Background()

	id, err := payoutrequests.IDFor("withdrawal-2026-000123")
	if err != nil {
		log.Fatal(err)
	}
	pr, err := client.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("150.00"),
	})
	if err != nil {
		log.Fatal(err)
	}

	dest := allocations.PayParams{PaymentInstrumentID: "inst_1", GatewayAccountID: "gw_1"}
	final, err := client.Allocations.PayInFull(ctx, pr.ID, dest)
	var unfinished *allocations.UnfinishedError
	switch {
	case errors.As(err, &unfinished):
		log.Fatalf("not finished, run PayInFull again: %v", err) // unfinished.NotFinal: still moving
	case err != nil:
		log.Fatal(err)
	}
	for _, a := range final {
		fmt.Println(a.Status, a.Amount, a.TransactionResult) // only completed allocations paid
	}

	// A second run (after a restart, say) finds the payout request paid: nothing is
	// allocated or paid again.
	again, err := client.Allocations.PayInFull(ctx, pr.ID, dest)
	if err != nil {
		log.Fatal(err)
	}
	pr, err = client.PayoutRequests.Get(ctx, pr.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pr.Status, pr.AvailableAmount, len(again), "allocation,", len(srv.Transactions()), "payout")
	// Output:
	// completed 150.00 approved
	// fulfilled 0.00 1 allocation, 1 payout
}

// Step by step: allocate, process, wait. Process only acts on pending allocations, so it is
// safe to repeat (after a lost answer, or a restart); Create has no idempotency key, so
// after an unknown outcome read the payout request's allocations before allocating again.
// Here the fake's gateway is slow for the second allocation: its payout times out first,
// and WaitForResult reads it until it completes.
func ExampleService_Process() {
	client, srv := exampleClient(rebillytest.WithPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
		if p.Amount.Equal(money.MustParse("40.00")) {
			return rebillytest.Unknown(payouts.StatusTimeout).AfterReads(1)
		}
		return rebillytest.Outcome{} // approved at once
	}))
	defer srv.Close()
	ctx := context.Background()

	pr, err := client.PayoutRequests.Create(ctx, payoutrequests.CreateParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "EUR", Amount: money.MustParse("100.00"),
	})
	if err != nil {
		log.Fatal(err)
	}
	var ids []string
	for _, amount := range []string{"60.00", "40.00"} {
		a, err := client.Allocations.Create(ctx, allocations.CreateParams{
			PayoutRequestID:     pr.ID,
			PaymentInstrumentID: "inst_1",
			GatewayAccountID:    "gw_1",
			Amount:              money.MustParse(amount),
		})
		if err != nil {
			log.Fatal(err) // ErrOutcomeUnknown: read the payout request's allocations first
		}
		fmt.Println(a.Amount, a.Status)
		ids = append(ids, a.ID)
	}

	if err := client.Allocations.Process(ctx, ids...); err != nil {
		log.Fatal(err)
	}
	if err := client.Allocations.Process(ctx, ids...); err != nil { // a repeat processes nothing again
		log.Fatal(err)
	}
	for _, id := range ids {
		a, err := client.Allocations.WaitForResult(ctx, id)
		if err != nil {
			log.Fatal(err) // *allocations.NotFinalError: read it again later
		}
		fmt.Println(a.Amount, a.Status, a.TransactionResult)
	}
	pr, err = client.PayoutRequests.Get(ctx, pr.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pr.Status, len(srv.Transactions()), "payouts")
	// Output:
	// 60.00 pending
	// 40.00 pending
	// 60.00 completed approved
	// 40.00 completed approved
	// fulfilled 2 payouts
}
