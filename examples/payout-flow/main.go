// Command payout-flow walks through a whole payout the way Rebilly recommends, through
// allocations: a customer's payout request with a redirect URL carrying the {{id}}
// placeholder, read back, allocated in two parts to the customer's instrument, processed,
// each allocation waited for until its status is final, and read back fulfilled. Then
// PayInFull, the one call that does all of it exactly once even across restarts, finds
// nothing left to do.
//
// Processing an allocation creates its payout asynchronously, and a payout is not "paid"
// until its result is final and approved: when a gateway is slow, Rebilly answers result
// unknown and status timeout and decides later. allocations.WaitForResult reads an
// allocation until it is completed (paid), declined, failed or canceled. Here the built-in
// fake's gateway is slow for the second allocation.
//
//	go run ./examples/payout-flow
//
// It runs against the built-in fake Rebilly unless REBILLY_API_KEY and
// REBILLY_ORGANIZATION_ID (with REBILLY_WEBSITE_ID, REBILLY_CUSTOMER_ID,
// REBILLY_PAYMENT_INSTRUMENT_ID and REBILLY_GATEWAY_ACCOUNT_ID) are set.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/examples/internal/demo"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "payout-flow:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	env, err := demo.Setup(out)
	if err != nil {
		return err
	}
	defer env.Close()
	if env.PaymentInstrumentID == "" || env.GatewayAccountID == "" {
		return errors.New("against the sandbox, also set REBILLY_PAYMENT_INSTRUMENT_ID and REBILLY_GATEWAY_ACCOUNT_ID (the customer's instrument and a gateway account that pays out)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := env.Client

	// 1. The customer asks to be paid 100.10 EUR. Rebilly sends them back to our site after
	// they choose where to be paid, with the payout request's id in place of {{id}}.
	redirect, err := payoutrequests.RedirectURLWithID("https://shop.example/payouts/done?from=wallet", "payoutRequest")
	if err != nil {
		return err
	}
	pr, err := c.PayoutRequests.Create(ctx, payoutrequests.CreateParams{
		WebsiteID:                            env.WebsiteID,
		CustomerID:                           env.CustomerID,
		Currency:                             "EUR",
		Amount:                               money.MustParse("100.10"),
		Description:                          "Wallet withdrawal",
		SelectedPaymentInstrumentRedirectURL: redirect,
	})
	if err != nil {
		return fmt.Errorf("create payout request: %w", err)
	}
	fmt.Fprintf(out, "1. Created payout request %s: %s %s, status %s\n", pr.ID, pr.Amount, pr.Currency, pr.Status)
	fmt.Fprintf(out, "   redirect after instrument selection: %s\n", pr.SelectedPaymentInstrumentRedirectURL)
	if pr.SelectPaymentInstrumentURL != "" {
		fmt.Fprintf(out, "   send the customer to: %s\n", pr.SelectPaymentInstrumentURL)
	}

	// 2. Read it back.
	pr, err = c.PayoutRequests.Get(ctx, pr.ID)
	if err != nil {
		return fmt.Errorf("get payout request: %w", err)
	}
	fmt.Fprintf(out, "2. Read it back: available %s of %s %s\n", pr.AvailableAmount, pr.Amount, pr.Currency)

	// 3. Allocate it in two parts to the customer's instrument, through our gateway account.
	// Each allocation starts pending and holds its part of the amount; nothing is paid yet.
	// Create has no idempotency key: after ErrOutcomeUnknown, read the payout request's
	// allocations before allocating again (PayInFull, below, does).
	if env.Fake != nil {
		// The fake's gateway is slow for the second part: result unknown, status timeout,
		// approved on the third read.
		env.Fake.SetPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
			if p.Amount.Equal(money.MustParse("40.05")) {
				return rebillytest.Unknown(payouts.StatusTimeout).AfterReads(2)
			}
			return rebillytest.Outcome{} // approved at once
		})
	}
	var ids []string
	for i, amount := range []string{"60.05", "40.05"} {
		a, err := c.Allocations.Create(ctx, allocations.CreateParams{
			PayoutRequestID:     pr.ID,
			PaymentInstrumentID: env.PaymentInstrumentID,
			GatewayAccountID:    env.GatewayAccountID,
			Amount:              money.MustParse(amount),
		})
		if err != nil {
			return fmt.Errorf("allocation %d: %w", i+1, err)
		}
		fmt.Fprintf(out, "3.%d Allocated %s %s to %s through %s: allocation %s, %s\n",
			i+1, a.Amount, a.Currency, a.PaymentInstrumentID, a.GatewayAccountID, a.ID, a.Status)
		ids = append(ids, a.ID)
	}
	pr, err = c.PayoutRequests.Get(ctx, pr.ID)
	if err != nil {
		return fmt.Errorf("get payout request: %w", err)
	}
	fmt.Fprintf(out, "    payout request %s: available %s, %d allocations\n", pr.Status, pr.AvailableAmount, len(pr.Allocations))

	// 4. Process them: Rebilly creates one payout (a credit transaction) per allocation, in
	// the background. Process only acts on pending allocations, so repeating it is safe.
	if err := c.Allocations.Process(ctx, ids...); err != nil {
		return fmt.Errorf("process: %w", err)
	}
	fmt.Fprintf(out, "4. Processing %d allocations; waiting for each to be final\n", len(ids))
	if env.Fake != nil {
		fmt.Fprintln(out, "   (the fake's gateway times the second payout out at first: a payout is not paid until approved)")
	}
	for i, id := range ids {
		// ctx bounds the wait; a *allocations.NotFinalError says it ended first.
		a, err := c.Allocations.WaitForResult(ctx, id)
		if err != nil {
			return fmt.Errorf("allocation %d: %w", i+1, err)
		}
		if a.Status != allocations.StatusCompleted {
			return fmt.Errorf("allocation %d is %s (transaction %s/%s): not paid", i+1, a.Status, a.TransactionResult, a.TransactionStatus)
		}
		fmt.Fprintf(out, "4.%d Allocation %s %s: transaction %s %s/%s, paid %s %s\n",
			i+1, a.ID, a.Status, a.TransactionID, a.TransactionResult, a.TransactionStatus, a.Amount, a.Currency)
	}

	// 5. The payout request is now fulfilled.
	pr, err = c.PayoutRequests.Get(ctx, pr.ID)
	if err != nil {
		return fmt.Errorf("get payout request: %w", err)
	}
	fmt.Fprintf(out, "5. Payout request %s is %s: available %s, %d allocations\n", pr.ID, pr.Status, pr.AvailableAmount, len(pr.Allocations))

	// 6. All of the above in one call, exactly once even across restarts: PayInFull starts
	// from what Rebilly holds, so after a crash (or here, after the steps above) it pays
	// only what is left: nothing.
	final, err := c.Allocations.PayInFull(ctx, pr.ID, allocations.PayParams{
		PaymentInstrumentID: env.PaymentInstrumentID, GatewayAccountID: env.GatewayAccountID,
	})
	if err != nil {
		return fmt.Errorf("pay in full: %w", err) // *allocations.UnfinishedError: run it again
	}
	fmt.Fprintf(out, "6. PayInFull again: %d allocations, all final; nothing more allocated or paid\n", len(final))
	return nil
}
