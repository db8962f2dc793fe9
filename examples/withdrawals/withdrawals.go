// Package withdrawals is a merchant's own payout code, the kind this example shows how to
// unit-test: run `go test -v ./examples/withdrawals`.
//
// It depends on payouts.API, not on a concrete client, so its tests can use the real client
// against rebillytest (over a loopback socket or an httpmock transport) or a fake of their own.
package withdrawals

import (
	"context"
	"errors"
	"fmt"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
)

// Withdrawal is a customer's request, as the merchant's own ledger records it.
type Withdrawal struct {
	ID         string // the ledger's id: the payout's idempotency key
	CustomerID string
	Cents      int64
	Currency   string
}

// Receipt says how the payout call of a withdrawal ended: the payout exists, which is not
// "paid" until its result is final and approved. Settle that with
// payouts.API.WaitForResult(ctx, TransactionID), or take the notification with
// payouts.NewNotificationHandler (see examples/payout-flow and examples/notifications).
type Receipt struct {
	TransactionID string // empty when Rebilly reported the payout as already made
	RequestID     string
	AlreadyPaid   bool
}

// Payer pays withdrawals.
type Payer struct {
	Payouts   payouts.API
	WebsiteID string
}

// ErrTryLater means the payout may or may not have been made: call Pay again with the same
// withdrawal (it is safe: the requestId is derived from its id).
var ErrTryLater = errors.New("withdrawals: outcome unknown, pay again later")

// Pay pays w exactly once, however often it is called.
func (p *Payer) Pay(ctx context.Context, w Withdrawal) (Receipt, error) {
	requestID, err := payouts.RequestIDFor(w.ID)
	if err != nil {
		return Receipt{}, err
	}
	tx, err := p.Payouts.Create(ctx, payouts.CreateParams{
		WebsiteID:  p.WebsiteID,
		CustomerID: w.CustomerID,
		Currency:   w.Currency,
		Amount:     money.FromMinorUnits(w.Cents, 2),
		RequestID:  requestID,
	})
	switch {
	case err == nil:
		return Receipt{TransactionID: tx.ID, RequestID: requestID}, nil
	case errors.Is(err, rebilly.ErrDuplicateRequest):
		return Receipt{RequestID: requestID, AlreadyPaid: true}, nil
	case errors.Is(err, rebilly.ErrOutcomeUnknown):
		return Receipt{RequestID: requestID}, fmt.Errorf("%w: %v", ErrTryLater, err)
	default:
		return Receipt{}, fmt.Errorf("withdrawal %s: %w", w.ID, err)
	}
}
