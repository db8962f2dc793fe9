// Command reconcile answers a merchant's daily questions about payout requests: which are
// still pending for this customer, and for how much, and then cancels one the customer
// withdrew.
//
//	go run ./examples/reconcile
//
// Against the built-in fake it first seeds 2,400 payout requests, 600 per second of
// createdTime, so that the listing goes past Rebilly's offset cap of 1000, where a pager that
// trusts offsets alone would repeat or stop. It runs against Rebilly's sandbox instead when
// REBILLY_API_KEY and REBILLY_ORGANIZATION_ID (with REBILLY_WEBSITE_ID and
// REBILLY_CUSTOMER_ID) are set; there it lists what the sandbox holds.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/examples/internal/demo"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "reconcile:", err)
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

	if env.Fake != nil {
		n, err := seed(env)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Seeded the fake with %d payout requests, 600 per second of createdTime.\n", n)
	}

	// The customer asks to be paid; we record it under our own withdrawal id, exactly once.
	id, err := payoutrequests.IDFor("reconcile-demo/withdrawal-42")
	if err != nil {
		return err
	}
	withdrawal, err := c.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams{
		WebsiteID: env.WebsiteID, CustomerID: env.CustomerID, Currency: "EUR", Amount: money.MustParse("42.00"),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "1. Withdrawal 42 is payout request %s: %s %s, %s\n", withdrawal.ID, withdrawal.Amount, withdrawal.Currency, withdrawal.Status)

	// Which payout requests are still pending for this customer, and for how much?
	pending := payoutrequests.ListParams{Where: []payoutrequests.Condition{
		payoutrequests.CustomerIDIn(env.CustomerID),
		payoutrequests.StatusIn(payoutrequests.StatusPending),
	}}
	count, totals, err := reconcile(ctx, c, pending)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "2. Pending payout requests of %s: %d, for %s\n", env.CustomerID, count, totals)

	// The customer withdrew the request: cancel it on their behalf. Cancel is safe to repeat;
	// a cancel that may have gone through is settled by reading the payout request back.
	canceled, err := c.PayoutRequests.Cancel(ctx, withdrawal.ID, payoutrequests.CancelParams{
		CanceledBy:  payoutrequests.CanceledByCustomer,
		Description: "withdrawn by the customer",
	})
	var unknown *rebilly.OutcomeUnknownError
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("not sure it was canceled; %s: %w", unknown.Recovery, err)
	case errors.Is(err, rebilly.ErrConflict):
		fmt.Fprintf(out, "3. %s could not be canceled: it is already canceled or fulfilled\n", withdrawal.ID)
	case err != nil:
		return err
	default:
		fmt.Fprintf(out, "3. Canceled %s: status %s, by %s (%s)\n", canceled.ID, canceled.Status,
			canceled.CancellationReason.CanceledBy, canceled.CancellationReason.Description)
	}

	count, totals, err = reconcile(ctx, c, pending)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "4. Pending payout requests of %s now: %d, for %s\n", env.CustomerID, count, totals)
	return nil
}

// reconcile goes through every payout request params select, once, and sums them by
// currency.
func reconcile(ctx context.Context, c *rebilly.Client, params payoutrequests.ListParams) (int, sums, error) {
	totals := sums{}
	n := 0
	for pr, err := range c.PayoutRequests.All(ctx, params) {
		if err != nil {
			// errors.Is(err, rebilly.ErrPaging): the list changed under the iteration in a
			// way that could repeat or skip one; run it again.
			return 0, nil, err
		}
		n++
		totals[pr.Currency] = totals[pr.Currency].Add(pr.Amount)
	}
	return n, totals, nil
}

// sums are amounts by currency.
type sums map[string]money.Amount

func (s sums) String() string {
	if len(s) == 0 {
		return "nothing"
	}
	var out string
	for _, cur := range slices.Sorted(maps.Keys(s)) {
		if out != "" {
			out += " and "
		}
		out += s[cur].String() + " " + cur
	}
	return out
}

// seed fills the fake with payout requests of this customer and two others, some of them
// already fulfilled or canceled.
func seed(env *demo.Env) (int, error) {
	start := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	prs := make([]payoutrequests.PayoutRequest, 2400)
	for i := range prs {
		pr := payoutrequests.PayoutRequest{
			WebsiteID:   env.WebsiteID,
			CustomerID:  []string{env.CustomerID, "cus_other_1", "cus_other_2"}[i%3],
			Currency:    []string{"EUR", "USD"}[i%2],
			Amount:      money.FromMinorUnits(int64(1000+i%7*250), 2),
			CreatedTime: start.Add(time.Duration(i/600) * time.Second),
		}
		switch i % 10 {
		case 3:
			pr.Status = payoutrequests.StatusFulfilled
		case 7:
			pr.Status = payoutrequests.StatusCanceled
		}
		prs[i] = pr
	}
	_, err := env.Fake.SeedPayoutRequests(prs...)
	return len(prs), err
}
