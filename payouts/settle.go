package payouts

import (
	"context"
	"fmt"
	"net/http"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/validate"
)

const opGet = "GET /transactions/{id}"

// Get reads the transaction with the given id: a payout, to see whether its result is
// final yet. GET /transactions/{id}
//
// It is a read, retried after any transient failure; its errors are never "outcome
// unknown".
func (s *Service) Get(ctx context.Context, id string) (*Transaction, error) {
	var f validate.Fields
	f.ID("id", id, validate.Required)
	call := backend.Call[Transaction]{Op: opGet, Class: backend.Read, ResourceID: id, ID: txID}
	return backend.Send(ctx, s.backend(), call, f.Err(opGet), func(server string) (*http.Request, error) {
		return backend.NewRequest(server, http.MethodGet, nil, "transactions", id)
	})
}

// IsFinal reports whether a payout's result is final: its Result is [ResultApproved],
// [ResultDeclined], [ResultCanceled] or [ResultAbandoned], and its Status is not one that is
// still in progress (see [InProgress]). A transaction whose result is [ResultUnknown] is not
// final, whatever its status: when a gateway is slow, Rebilly answers a payout with result
// unknown and status timeout, and settles it later on its own.
//
// Only an approved final result means the customer was paid. A 201 to [Service.Create] is
// not "paid": wait with [Service.WaitForResult], or take the notification with
// [NewNotificationHandler].
func IsFinal(tx *Transaction) bool {
	if tx == nil || InProgress(tx.Status) {
		return false
	}
	switch tx.Result {
	case ResultApproved, ResultDeclined, ResultCanceled, ResultAbandoned:
		return true
	}
	return false
}

// InProgress reports whether a transaction status means Rebilly has not settled the
// transaction yet: [StatusPending], [StatusSending], [StatusWaitingGateway],
// [StatusWaitingApproval], [StatusWaitingCapture], [StatusOffsite], [StatusConnError] and
// [StatusTimeout]. The others of Rebilly's statuses (completed, voided, refunded,
// partially-refunded, waiting-refund, disputed, and never-sent, which ends a transaction that
// never reached a gateway) come with a result that was reached. A status this SDK does not
// know counts as settled, so that the result decides.
func InProgress(status Status) bool {
	switch status {
	case StatusPending, StatusSending, StatusWaitingGateway, StatusWaitingApproval, StatusWaitingCapture,
		StatusOffsite, StatusConnError, StatusTimeout:
		return true
	}
	return false
}

// WaitForResult reads the payout until its result is final ([IsFinal]) and returns it; it
// returns at once when the result already is. Between reads it waits the client's backoff
// (rebilly.WithRetryWait: the minimum, doubling up to the maximum, with jitter), and longer
// when Rebilly says when to come back (X-RateLimit-Retry-After), so it never reads more
// often than that. Transient read failures are waited out; others (a 404, say) end it.
//
// Bound it with ctx. When ctx ends first, the error is a [*NotFinalError] that wraps ctx's
// error and carries the last transaction read.
func (s *Service) WaitForResult(ctx context.Context, id string) (*Transaction, error) {
	return backend.WaitFor(ctx, s.backend(), "payout", id, s.Get, IsFinal, func(tx *Transaction) string {
		return fmt.Sprintf("result %q, status %q", tx.Result, tx.Status)
	})
}

// NotFinalError says [Service.WaitForResult] stopped before the payout's result was final:
// its context ended, or a read failed for good. Its outcome is not applied (waiting changes
// nothing); Last is the last transaction read. It matches rebilly.ErrNotApplied and unwraps
// to the cause. See [errs.NotFinalError] for its fields.
type NotFinalError = errs.NotFinalError[Transaction]
