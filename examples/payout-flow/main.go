// Command payout-flow walks through a whole payout: a customer's payout request with a
// redirect URL carrying the {{id}} placeholder, read back, paid in two partial payouts
// allocated to it, each waited for until its result is final, and read back fulfilled.
//
// A 201 to POST /payouts is not "paid": when a gateway is slow, Rebilly answers with
// result unknown and status timeout and decides later. A payout is paid only once its
// result is final and approved; payouts.WaitForResult reads it until it is final. Here the
// built-in fake answers the second payout that way.
//
//	go run ./examples/payout-flow
//
// It runs against the built-in fake Rebilly unless REBILLY_API_KEY and
// REBILLY_ORGANIZATION_ID (with REBILLY_WEBSITE_ID and REBILLY_CUSTOMER_ID) are set.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

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

	// 3. Pay it in two parts, each allocated to the payout request. Each payout carries a
	// requestId derived from our own key, so repeating it can never pay twice.
	if env.Fake != nil {
		// The fake's gateway is slow for the second part: result unknown, status timeout,
		// approved on the third read.
		env.Fake.SetPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
			if p.Description == "Wallet withdrawal, part 2" {
				return rebillytest.Unknown(payouts.StatusTimeout).AfterReads(2)
			}
			return rebillytest.Outcome{} // approved at once
		})
	}
	for i, amount := range []string{"60.05", "40.05"} {
		requestID, err := payouts.RequestIDFor(fmt.Sprintf("%s/part-%d", pr.ID, i+1))
		if err != nil {
			return err
		}
		tx, err := c.Payouts.Create(ctx, payouts.CreateParams{
			WebsiteID:       env.WebsiteID,
			CustomerID:      env.CustomerID,
			Currency:        "EUR",
			Amount:          money.MustParse(amount),
			PayoutRequestID: pr.ID,
			RequestID:       requestID,
			Description:     fmt.Sprintf("Wallet withdrawal, part %d", i+1),
		})
		if err != nil {
			return fmt.Errorf("payout %d: %w", i+1, err)
		}
		fmt.Fprintf(out, "3.%d Payout of %s %s created (201): transaction %s, result %s/%s (requestId %s)\n",
			i+1, tx.Amount, tx.Currency, tx.ID, tx.Result, tx.Status, tx.RequestID)
		if !payouts.IsFinal(tx) {
			fmt.Fprintf(out, "    not paid yet: a 201 is not \"paid\" until the result is approved; waiting for the final result\n")
		}

		// A 201 is not "paid": wait for the final result, which WaitForResult returns at
		// once when it already is. ctx bounds the wait.
		final, err := c.Payouts.WaitForResult(ctx, tx.ID)
		if err != nil {
			return fmt.Errorf("payout %d: %w", i+1, err)
		}
		if final.Result != payouts.ResultApproved {
			return fmt.Errorf("payout %d: final result %s/%s: not paid", i+1, final.Result, final.Status)
		}
		fmt.Fprintf(out, "    final result %s/%s: paid %s %s\n", final.Result, final.Status, final.Amount, final.Currency)
	}

	// 4. The payout request is now fulfilled.
	pr, err = c.PayoutRequests.Get(ctx, pr.ID)
	if err != nil {
		return fmt.Errorf("get payout request: %w", err)
	}
	fmt.Fprintf(out, "4. Payout request %s is %s: available %s, %d allocations\n", pr.ID, pr.Status, pr.AvailableAmount, len(pr.Allocations))
	return nil
}
