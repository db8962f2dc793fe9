package payouts

import (
	"context"
	"errors"
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
// [StatusWaitingApproval], [StatusWaitingCapture], [StatusOffsite], [StatusConnError],
// [StatusTimeout] and [StatusNeverSent]. The others of Rebilly's statuses (completed,
// voided, refunded, partially-refunded, waiting-refund, disputed) come after a result was
// reached. A status this SDK does not know counts as settled, so that the result decides.
func InProgress(status Status) bool {
	switch status {
	case StatusPending, StatusSending, StatusWaitingGateway, StatusWaitingApproval, StatusWaitingCapture,
		StatusOffsite, StatusConnError, StatusTimeout, StatusNeverSent:
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
	if ctx == nil {
		return nil, &errs.NotAppliedError{Op: "WaitForResult", Err: errors.New("nil context")}
	}
	tx, err := backend.Poll(ctx, s.backend(), func(ctx context.Context) (*Transaction, error) { return s.Get(ctx, id) }, IsFinal)
	if err != nil {
		return nil, &NotFinalError{ID: id, Last: tx, Err: err}
	}
	return tx, nil
}

// NotFinalError says [Service.WaitForResult] stopped before the payout's result was final:
// its context ended, or a read failed for good. Its outcome is not applied: waiting changes
// nothing, and the payout is whatever Last (or a later read) says. It matches
// rebilly.ErrNotApplied and unwraps to the cause (context.DeadlineExceeded, say).
type NotFinalError struct {
	// ID is the transaction waited for.
	ID string
	// Last is the last transaction read, nil when no read succeeded.
	Last *Transaction
	// Err is why the wait stopped.
	Err error
}

// Error says which payout is not final yet, and its last known result.
func (e *NotFinalError) Error() string {
	if e.Last == nil {
		return fmt.Sprintf("rebilly: payout %s: result not final yet: %v", e.ID, e.Err)
	}
	return fmt.Sprintf("rebilly: payout %s: result not final yet (last seen: result %q, status %q): %v", e.ID, e.Last.Result, e.Last.Status, e.Err)
}

// Unwrap returns why the wait stopped.
func (e *NotFinalError) Unwrap() error { return e.Err }

// Outcome returns not applied: waiting changes nothing.
func (e *NotFinalError) Outcome() errs.Outcome { return errs.NotApplied }

// Is matches rebilly.ErrNotApplied.
func (e *NotFinalError) Is(target error) bool { return target == errs.ErrNotApplied }
