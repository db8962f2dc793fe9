// Command exactly-once pays a withdrawal exactly once although the network fails around it.
// The payout is keyed by the merchant's own withdrawal id (payouts.RequestIDFor), the fake
// Rebilly loses the answers of the first attempts after paying, and a "restarted process"
// (a second client) repeats the call: one transaction, never two.
//
//	go run ./examples/exactly-once
//
// Against the real sandbox (REBILLY_API_KEY and friends set) no faults can be injected: it
// makes the payout and repeats it with the same key, showing the same outcome.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/examples/internal/demo"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "exactly-once:", err)
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

	// Our ledger knows this payout as "withdrawal-2026-000123". The requestId is derived from
	// it, so every process, before and after a crash, sends the same one.
	const withdrawalID = "withdrawal-2026-000123"
	requestID, err := payouts.RequestIDFor(withdrawalID)
	if err != nil {
		return err
	}
	params := payouts.CreateParams{
		WebsiteID:  env.WebsiteID,
		CustomerID: env.CustomerID,
		Currency:   "USD",
		Amount:     money.FromMinorUnits(250_00, 2), // 250.00 from integer cents
		RequestID:  requestID,
	}
	fmt.Fprintf(out, "Paying %s %s for %s with requestId %s\n", params.Amount, params.Currency, withdrawalID, requestID)

	if env.Fake != nil {
		// Attempt 1 is paid but its answer is lost; attempt 2 (same requestId, so nothing is
		// paid again) is answered 500; attempt 3 gets the transaction.
		env.Fake.FailNext(1, rebillytest.DropAfterCommit())
		env.Fake.FailNext(1, rebillytest.StatusAfterCommit(http.StatusInternalServerError))
		fmt.Fprintln(out, "The fake will drop the answer to attempt 1 and answer 500 to attempt 2, after paying.")
	}

	tx, err := pay(ctx, out, env.Client, params)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "First process: paid, transaction %s\n", describe(tx))

	// The process crashes before recording the result, and a new one pays the same withdrawal
	// again from its queue. All the two share is the requestId derived from our own key.
	if env.Fake != nil {
		env.Fake.FailNext(1, rebillytest.DropAfterCommit())
		fmt.Fprintln(out, "Restarted process: the fake drops the answer to its first attempt too.")
	}
	again, err := pay(ctx, out, env.Client, params)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Restarted process: transaction %s\n", describe(again))

	if env.Fake != nil {
		attempts := 0
		for _, r := range env.Fake.Requests() {
			if r.Operation == rebillytest.OpCreatePayout {
				attempts++
			}
		}
		fmt.Fprintf(out, "The fake received %d POST /payouts and holds %d transaction(s): paid exactly once.\n", attempts, len(env.Fake.Transactions()))
	}
	return nil
}

// pay is the merchant's loop: repeat with the same params (and so the same requestId) until
// Rebilly gives an answer. Rebilly answers a repeated requestId with the first transaction,
// or with 409, which the SDK reports as ErrDuplicateRequest: either way, paid once. A nil
// transaction with a nil error means "already paid; reconcile by requestId".
func pay(ctx context.Context, out io.Writer, c *rebilly.Client, params payouts.CreateParams) (*payouts.Transaction, error) {
	for try := 1; ; try++ {
		tx, err := c.Payouts.Create(ctx, params)
		switch {
		case err == nil:
			return tx, nil
		case errors.Is(err, rebilly.ErrDuplicateRequest):
			fmt.Fprintf(out, "  call %d: Rebilly says requestId %s was already paid\n", try, params.RequestID)
			return nil, nil
		case errors.Is(err, rebilly.ErrOutcomeUnknown) && try < 5:
			fmt.Fprintf(out, "  call %d: outcome unknown, repeating with the same requestId\n", try)
		default:
			return nil, err
		}
	}
}

func describe(tx *payouts.Transaction) string {
	if tx == nil {
		return "(already paid earlier; not returned again)"
	}
	return tx.ID
}
