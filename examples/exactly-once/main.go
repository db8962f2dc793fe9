// Command exactly-once pays a withdrawal exactly once although the network fails around it,
// and settles every answer it gets until it knows the payout's final result.
//
// The payout is keyed by the merchant's own withdrawal id (payouts.RequestIDFor) and
// allocated to the withdrawal's payout request (payoutrequests.IDFor). The fake Rebilly
// loses the answers of every attempt of the first call after paying, so the call ends in
// rebilly.ErrOutcomeUnknown: the program repeats it with the same requestId, which pays
// nothing again, and waits for the result (the fake's gateway times out at first). Then a
// "restarted process" repeats the call, and Rebilly answers 409, rebilly.ErrDuplicateRequest:
// the payout exists, so the program finds it the way Rebilly documents, through the payout
// request's allocations, which carry the transactionId, and reads it. One transaction,
// never two, and "paid" only once its result is final and approved.
//
// It pays through POST /payouts with a payoutRequestId, which Rebilly deprecated on
// 2026-04-02 and which still works: this example is about that call's requestId. To pay a
// payout request, prefer the allocation flow: allocations.Service.PayInFull is exactly once
// across restarts too, without a key of your own (go run ./examples/payout-flow).
//
//	go run ./examples/exactly-once
//
// Against the real sandbox (REBILLY_API_KEY and friends set) no faults can be injected: it
// makes the payout and repeats it with the same key, settling whatever Rebilly answers.
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
	"github.com/paysdk/rebilly/payoutrequests"
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
	c := env.Client

	// Our ledger knows this withdrawal as "withdrawal-2026-000123". The payout request's id and
	// the payout's requestId are derived from it, so every process, before and after a
	// crash, uses the same ones.
	const withdrawalID = "withdrawal-2026-000123"
	prID, err := payoutrequests.IDFor(withdrawalID)
	if err != nil {
		return err
	}
	requestID, err := payouts.RequestIDFor(withdrawalID + "/payout")
	if err != nil {
		return err
	}
	amount := money.FromMinorUnits(250_00, 2) // 250.00 from integer cents
	pr, err := c.PayoutRequests.Upsert(ctx, prID, payoutrequests.UpsertParams{
		WebsiteID:  env.WebsiteID,
		CustomerID: env.CustomerID,
		Currency:   "USD",
		Amount:     amount,
	})
	if err != nil {
		return fmt.Errorf("payout request: %w", err)
	}
	params := payouts.CreateParams{
		WebsiteID:  env.WebsiteID,
		CustomerID: env.CustomerID,
		Currency:   "USD",
		Amount:     amount,
		RequestID:  requestID,
	}
	//lint:ignore SA1019 this example shows POST /payouts' requestId, and finds a payout through its payout request's allocations
	params.PayoutRequestID = pr.ID
	fmt.Fprintf(out, "Paying %s %s for %s (payout request %s) with requestId %s\n", params.Amount, params.Currency, withdrawalID, pr.ID, requestID)

	if env.Fake != nil {
		// Every attempt of the first call pays (the first) or finds the payout (the
		// repeats), and its answer is lost. And the gateway is slow: result unknown,
		// status timeout, approved on the third read.
		env.Fake.FailNext(4, rebillytest.DropAfterCommit().For(rebillytest.OpCreatePayout))
		env.Fake.SetPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome {
			return rebillytest.Unknown(payouts.StatusTimeout).AfterReads(2)
		})
		fmt.Fprintln(out, "The fake will drop the answers to all 4 attempts of the first call, after paying, and time the payout out at first.")
	}
	tx, err := settle(ctx, out, c, params)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "First process: transaction %s, final result %s: %s\n", tx.ID, tx.Result, paid(tx))

	// The process crashes before recording the result, and a new one pays the same withdrawal
	// again from its queue. All the two share is our withdrawal id.
	if env.Fake != nil {
		// Rebilly may answer a repeated requestId with 409 rather than with the first
		// transaction; the fake is told to, for this call.
		env.Fake.FailNext(1, rebillytest.StatusBeforeCommit(http.StatusConflict).For(rebillytest.OpCreatePayout).
			WithBody("application/json", []byte(`{"title":"Conflict","status":409,"detail":"requestId has already been used"}`)))
		fmt.Fprintln(out, "Restarted process: the fake answers 409 to the repeated requestId.")
	}
	again, err := settle(ctx, out, c, params)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Restarted process: transaction %s, final result %s: %s\n", again.ID, again.Result, paid(again))

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

// settle is the merchant's loop: pay, and do not stop before the payout's final result is
// known.
//
//   - A result: the payout exists; a 201 is not "paid", so wait for its final result.
//   - ErrOutcomeUnknown: it may or may not exist. Repeat with the same params (and so the
//     same requestId): Rebilly ignores a repeated requestId for 24 hours, so this cannot
//     pay twice, and answers with the first transaction, or with 409.
//   - ErrDuplicateRequest (a 409): the payout exists, but the answer does not say which
//     transaction it is. Find it the documented way: the payout request's allocations carry
//     the transactionId of the payouts made against it. (A payout without a payout request
//     can be found only from the transaction id of an earlier result: keep it.)
func settle(ctx context.Context, out io.Writer, c *rebilly.Client, params payouts.CreateParams) (*payouts.Transaction, error) {
	for try := 1; ; try++ {
		tx, err := c.Payouts.Create(ctx, params)
		var id string
		switch {
		case err == nil:
			fmt.Fprintf(out, "  call %d: transaction %s answered %s/%s; waiting for the final result\n", try, tx.ID, tx.Result, tx.Status)
			id = tx.ID
		case errors.Is(err, rebilly.ErrDuplicateRequest):
			fmt.Fprintf(out, "  call %d: ErrDuplicateRequest: requestId %s was already used; finding its transaction\n", try, params.RequestID)
			if id, err = findByPayoutRequest(ctx, c, params); err != nil {
				return nil, err
			}
			fmt.Fprintf(out, "  the payout request's allocations name transaction %s\n", id)
		case errors.Is(err, rebilly.ErrOutcomeUnknown) && try < 5:
			var unknown *rebilly.OutcomeUnknownError
			errors.As(err, &unknown)
			fmt.Fprintf(out, "  call %d: ErrOutcomeUnknown after %d attempts; %s\n", try, unknown.Attempts, unknown.Recovery)
			continue
		default:
			return nil, err
		}
		return c.Payouts.WaitForResult(ctx, id)
	}
}

// findByPayoutRequest returns the id of the transaction that params' requestId created,
// among the transactions of the payout request's allocations.
func findByPayoutRequest(ctx context.Context, c *rebilly.Client, params payouts.CreateParams) (string, error) {
	//lint:ignore SA1019 the payout was allocated to its payout request on purpose: its allocations are how Rebilly documents finding it
	prID := params.PayoutRequestID
	if prID == "" {
		return "", errors.New("the payout has no payout request to look it up by: use the transaction id kept from an earlier result")
	}
	pr, err := c.PayoutRequests.Get(ctx, prID)
	if err != nil {
		return "", err
	}
	for _, a := range pr.Allocations {
		if a.TransactionID == "" {
			continue
		}
		tx, err := c.Payouts.Get(ctx, a.TransactionID)
		if err != nil {
			return "", err
		}
		if tx.RequestID == params.RequestID {
			return tx.ID, nil
		}
	}
	return "", fmt.Errorf("no allocation of payout request %s names a transaction of requestId %s", pr.ID, params.RequestID)
}

func paid(tx *payouts.Transaction) string {
	if tx.Result == payouts.ResultApproved {
		return "paid"
	}
	return "not paid"
}
