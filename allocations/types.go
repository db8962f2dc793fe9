package allocations

import (
	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// Allocation assigns part (or all) of a payout request's amount to a payment instrument
// and gateway account; processing it creates the payout transaction. It is the generated
// [gen.PayoutRequestAllocation]; its fields: ID, PayoutRequestID, Amount (an exact
// [money.Amount]), Currency, PaymentInstrumentID, GatewayAccountID, Status ([IsTerminal]),
// TransactionID, TransactionResult and TransactionStatus (the payout's, once processing
// created it), CreatedTime and UpdatedTime.
type Allocation = gen.PayoutRequestAllocation

// Status is where an allocation is in its life cycle. It is an open set: a value not listed
// here decodes as that string.
type Status = gen.PayoutRequestAllocationStatus

// Statuses. An allocation starts [StatusPending]; processing moves it through
// [StatusQueued], [StatusProcessing] and [StatusWaitingCompletion] to one of the terminal
// statuses ([IsTerminal]).
const (
	StatusPending           = gen.PayoutRequestAllocationStatusPending
	StatusQueued            = gen.PayoutRequestAllocationStatusQueued
	StatusProcessing        = gen.PayoutRequestAllocationStatusProcessing
	StatusWaitingCompletion = gen.PayoutRequestAllocationStatusWaitingCompletion
	StatusCompleted         = gen.PayoutRequestAllocationStatusCompleted
	StatusFailed            = gen.PayoutRequestAllocationStatusFailed
	StatusDeclined          = gen.PayoutRequestAllocationStatusDeclined
	StatusCanceled          = gen.PayoutRequestAllocationStatusCanceled
)

// IsTerminal reports whether an allocation's status is final: [StatusCompleted] (its
// transaction was approved: the customer was paid), [StatusFailed], [StatusDeclined] or
// [StatusCanceled]. Only a completed allocation paid anything.
func IsTerminal(a *Allocation) bool {
	if a == nil {
		return false
	}
	switch a.Status {
	case StatusCompleted, StatusFailed, StatusDeclined, StatusCanceled:
		return true
	}
	return false
}

// holdsAmount reports whether an allocation's amount counts against its payout request's:
// every allocation that is not failed, declined or canceled (those paid nothing, and their
// amount may be allocated again).
func holdsAmount(a *Allocation) bool {
	switch a.Status {
	case StatusFailed, StatusDeclined, StatusCanceled:
		return false
	}
	return true
}

// CreateParams are the fields of a new allocation. All are required; Amount must be
// positive, in the payout request's currency, and at most what is not yet allocated.
type CreateParams struct {
	// PayoutRequestID is the payout request to pay.
	PayoutRequestID string
	// PaymentInstrumentID is the customer's instrument to pay to.
	PaymentInstrumentID string
	// GatewayAccountID is the gateway account to pay through.
	GatewayAccountID string
	// Amount is how much of the payout request this allocation pays, in major units.
	Amount money.Amount
}
