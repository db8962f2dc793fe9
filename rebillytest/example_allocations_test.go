package rebillytest_test

import (
	"context"
	"fmt"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// Processing an allocation is asynchronous: reads of the allocation drive it, or the test
// does at once with ProcessQueuedAllocations. Here the payout times out, and the test
// settles it with SettlePayout; the allocation and its payout request follow.
func ExampleHandler_ProcessQueuedAllocations() {
	srv := rebillytest.StartServer(
		rebillytest.WithClock(fixedClock),
		rebillytest.WithPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
			return rebillytest.Unknown(payouts.StatusTimeout) // p.AllocationID names the allocation
		}),
	)
	defer srv.Close()
	client, err := rebilly.NewClient(srv.ClientOptions()...)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	pr, err := client.PayoutRequests.Create(ctx, payoutrequests.CreateParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("25.00"),
	})
	if err != nil {
		panic(err)
	}
	a, err := client.Allocations.Create(ctx, allocations.CreateParams{
		PayoutRequestID: pr.ID, PaymentInstrumentID: "inst_1", GatewayAccountID: "gw_1", Amount: pr.Amount,
	})
	if err != nil {
		panic(err)
	}
	if err := client.Allocations.Process(ctx, a.ID); err != nil {
		panic(err)
	}
	queued, _ := srv.Allocation(a.ID) // inspection moves nothing on
	fmt.Println(queued.Status)

	if err := srv.ProcessQueuedAllocations(); err != nil {
		panic(err)
	}
	waiting, _ := srv.Allocation(a.ID)
	fmt.Println(waiting.Status, waiting.TransactionID, waiting.TransactionResult, waiting.TransactionStatus)

	if err := srv.SettlePayout(waiting.TransactionID, payouts.ResultApproved); err != nil {
		panic(err)
	}
	done, err := client.Allocations.Get(ctx, a.ID)
	if err != nil {
		panic(err)
	}
	pr, err = client.PayoutRequests.Get(ctx, pr.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(done.Status, done.TransactionResult, pr.Status, pr.AvailableAmount)
	// Output:
	// queued
	// waiting-completion txn_01KF0K8Y200000000000000003 unknown timeout
	// completed approved fulfilled 0.00
}
