package payoutrequests

import (
	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// PayoutRequest is a payout request as Rebilly returns it.
type PayoutRequest = gen.PayoutRequest

// Allocation is a part of a payout request's amount assigned to a payment instrument.
type Allocation = gen.PayoutRequestAllocation

// Status is where a payout request is in its life cycle. It is an open set: Rebilly may send
// a status not listed here, and it decodes as that string.
type Status = gen.PayoutRequestStatus

// Statuses. Rebilly's current definitions use Pending, Ready, Approved, InProgress,
// Fulfilled, Canceled, Split and Merged; its earlier documentation used InstrumentSelected and
// PartiallyFulfilled. All of them decode.
const (
	StatusPending            = gen.PayoutRequestStatusPending
	StatusReady              = gen.PayoutRequestStatusReady
	StatusApproved           = gen.PayoutRequestStatusApproved
	StatusInProgress         = gen.PayoutRequestStatusInProgress
	StatusFulfilled          = gen.PayoutRequestStatusFulfilled
	StatusCanceled           = gen.PayoutRequestStatusCanceled
	StatusSplit              = gen.PayoutRequestStatusSplit
	StatusMerged             = gen.PayoutRequestStatusMerged
	StatusInstrumentSelected = gen.PayoutRequestStatusInstrumentSelected
	StatusPartiallyFulfilled = gen.PayoutRequestStatusPartiallyFulfilled
)

// BlockReason says why a payout request is blocked.
type BlockReason = gen.PayoutRequestBlockReason

// IDPlaceholder is the placeholder Rebilly replaces with the payout request's id in
// SelectedPaymentInstrumentRedirectURL. See RedirectURLWithID.
const IDPlaceholder = "{{id}}"

// CreateParams are the fields of a new payout request. WebsiteID, CustomerID, Currency and a
// positive Amount are required.
type CreateParams struct {
	// WebsiteID is the website the customer belongs to. Required.
	WebsiteID string
	// CustomerID is the customer to be paid. Required.
	CustomerID string
	// Currency is the ISO 4217 code of the payout, such as "USD". Required.
	Currency string
	// Amount is how much to pay, in major units. Required, greater than zero.
	Amount money.Amount
	// Description is free text about the request.
	Description string
	// PaymentInstrumentID is the instrument the customer asked to be paid to.
	PaymentInstrumentID string
	// SelectedPaymentInstrumentRedirectURL is where the customer goes after choosing an
	// instrument; it may contain IDPlaceholder.
	SelectedPaymentInstrumentRedirectURL string
	// Blocking blocks or unblocks the request; the zero value leaves blocked out of the
	// request.
	Blocking Blocking
	// BlockReason says why the request is blocked.
	BlockReason BlockReason
}

// UpsertParams are the fields of a payout request created or replaced with an id of yours.
// They are the same as CreateParams.
type UpsertParams CreateParams

// Blocking says whether a request sets the payout request's blocked flag. Upsert replaces
// the whole payout request, so leaving the flag out and sending false are different
// requests: this type can say either.
type Blocking int

const (
	// BlockingUnset leaves blocked out of the request (the zero value).
	BlockingUnset Blocking = iota
	// Block sends blocked: true. A blocked payout request cannot be allocated or paid.
	Block
	// Unblock sends blocked: false.
	Unblock
)

// flag returns the blocked member to send, nil to leave it out.
func (b Blocking) flag() *bool {
	switch b {
	case Block:
		t := true
		return &t
	case Unblock:
		f := false
		return &f
	}
	return nil
}
