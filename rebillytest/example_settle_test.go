package rebillytest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// The payouts of one customer time out at first and are approved on the third read; the
// others are approved at once. A 201 is not "paid": WaitForResult reads the payout until
// its result is final.
func ExampleWithPayoutOutcome() {
	srv := rebillytest.StartServer(rebillytest.WithPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
		if p.CustomerID == "cus_slow_bank" {
			return rebillytest.Unknown(payouts.StatusTimeout).AfterReads(2)
		}
		return rebillytest.Outcome{} // approved at once
	}))
	defer srv.Close()
	client, err := rebilly.NewClient(append(srv.ClientOptions(), rebilly.WithRetryWait(time.Millisecond, 10*time.Millisecond))...)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	for _, customer := range []string{"cus_1", "cus_slow_bank"} {
		tx, err := client.Payouts.Create(ctx, payouts.CreateParams{
			WebsiteID: "web_1", CustomerID: customer, Currency: "USD", Amount: money.MustParse("25.00"),
		})
		if err != nil {
			panic(err)
		}
		final, err := client.Payouts.WaitForResult(ctx, tx.ID)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: answered %s/%s, final %s/%s\n", customer, tx.Result, tx.Status, final.Result, final.Status)
	}
	// Output:
	// cus_1: answered approved/completed, final approved/completed
	// cus_slow_bank: answered unknown/timeout, final approved/completed
}

// A payout answered unknown/timeout is settled by the test. The fake then POSTs the
// notification to the payout's notificationUrl, where the merchant's
// payouts.NewNotificationHandler checks its proof, reads the payout back and hands the
// confirmed, final transaction to onResult.
func ExampleHandler_SettlePayout() {
	srv := rebillytest.StartServer(
		rebillytest.WithClock(fixedClock),
		rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome {
			return rebillytest.Unknown(payouts.StatusTimeout)
		}),
		rebillytest.WithNotificationRetry(3, func(int) time.Duration { return 0 }),
	)
	defer srv.Close()
	client, err := rebilly.NewClient(srv.ClientOptions()...)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// The merchant's endpoint, on the loopback interface.
	const secret = "merchant-notification-secret"
	results := make(chan *payouts.Transaction, 1)
	hook := httptest.NewServer(payouts.NewNotificationHandler(client.Payouts, secret, func(_ context.Context, tx *payouts.Transaction) error {
		results <- tx // record it in the ledger, keyed by tx.ID
		return nil
	}))
	defer hook.Close()
	notificationURL, err := payouts.NotificationURL(hook.URL+"/hooks/payout", secret)
	if err != nil {
		panic(err)
	}

	tx, err := client.Payouts.Create(ctx, payouts.CreateParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("25.00"),
		NotificationURL: notificationURL,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(tx.ID, tx.Result, tx.Status)

	if err := srv.SettlePayout(tx.ID, payouts.ResultDeclined); err != nil {
		panic(err)
	}
	got := <-results
	fmt.Println("onResult:", got.ID == tx.ID, got.Result, got.Status)
	deliveries, err := srv.WaitDeliveries(ctx, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println("delivery:", deliveries[0].Statuses, deliveries[0].Delivered)
	// Output:
	// txn_01KF0K8Y200000000000000001 unknown timeout
	// onResult: true declined completed
	// delivery: [204] true
}
