package payoutrequests

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/validate"
)

const (
	opCancel = "POST /payout-requests/{id}/cancel"

	cancelRecovery = "read the payout request {id} with Get: status canceled means the cancel took effect; " +
		"any other status means it has not (yet), and repeating Cancel is safe"
)

// Who cancels a payout request: the values of CancelParams.CanceledBy.
const (
	CanceledByMerchant = string(gen.PayoutRequestCancellationCanceledByMerchant)
	CanceledByCustomer = string(gen.PayoutRequestCancellationCanceledByCustomer)
	CanceledBySystem   = string(gen.PayoutRequestCancellationCanceledBySystem)
)

// MaxCancelDescription is the longest CancelParams.Description Rebilly accepts, in characters.
const MaxCancelDescription = 255

// CancelParams say who cancels a payout request, and why. The JSON tags name the members of
// the request body.
type CancelParams struct {
	// CanceledBy is who cancels: [CanceledByMerchant], [CanceledByCustomer] or
	// [CanceledBySystem]. Empty means CanceledByMerchant. Rebilly itself records "customer"
	// when the member is left out, but a call through this SDK is made by the merchant's
	// server with the merchant's credential, so the SDK always sends who cancels, and
	// "merchant" unless told otherwise: say CanceledByCustomer when you cancel on your
	// customer's behalf (they withdrew the request).
	CanceledBy string `json:"canceledBy"`
	// Description is the reason, free text of at most [MaxCancelDescription] characters.
	Description string `json:"description"`
}

// Cancel cancels the payout request with the given id and returns it, canceled.
// POST /payout-requests/{id}/cancel
//
// Canceling is safe to repeat: Rebilly cancels a payout request once, and answers 409 to a
// cancel of one that is already canceled (or fulfilled, which cannot be canceled). So Cancel
// is retried after any transient failure, and it settles the outcome itself: when an attempt
// may have gone through (the connection broke, the answer was a 5xx or could not be read),
// Cancel reads the payout request back, and status canceled makes the call a success,
// whoever canceled it. Otherwise a 409 is rebilly.ErrConflict: the payout request is
// fulfilled, or it was canceled before this call. When even the read fails, the error matches
// rebilly.ErrOutcomeUnknown, and its Recovery says what to do.
//
// Params are checked before anything is sent: CanceledBy must be empty or one of the
// CanceledBy constants, and Description at most [MaxCancelDescription] characters of text.
// Rebilly marks the operation as experimental.
func (s *Service) Cancel(ctx context.Context, id string, params CancelParams) (*PayoutRequest, error) {
	var f validate.Fields
	f.ID("id", id, validate.Required)
	switch params.CanceledBy {
	case "", CanceledByMerchant, CanceledByCustomer, CanceledBySystem:
	default:
		f.Add("canceledBy", fmt.Sprintf("is %q; it must be %s, %s or %s", clip(params.CanceledBy), CanceledByMerchant, CanceledByCustomer, CanceledBySystem))
	}
	f.Text("description", params.Description, MaxCancelDescription)
	call := backend.Call[PayoutRequest]{
		Op: opCancel, Class: backend.Idempotent, ResourceID: id, Collection: collection,
		ID: prID, Refetch: s.Get, Recovery: cancelRecovery,
	}
	pr, err := backend.Send(ctx, s.backend(), call, f.Err(opCancel), func(server string) (*http.Request, error) {
		return gen.NewPostPayoutRequestCancellationRequest(server, id, params.toGen())
	})
	var unknown *errs.OutcomeUnknownError
	if err == nil || !errors.As(err, &unknown) {
		return pr, err
	}
	// An attempt may have canceled it: the payout request says whether one did.
	got, getErr := s.Get(ctx, id)
	switch {
	case getErr != nil:
		unknown.Recovery += fmt.Sprintf("; reading it back failed too (%v)", getErr)
		return nil, err
	case got.Status == StatusCanceled:
		return got, nil
	case unknown.LastAnswer != nil && unknown.LastAnswer.StatusCode == http.StatusConflict:
		// Not canceled, and Rebilly refused to cancel it: no attempt took effect.
		return nil, unknown.LastAnswer
	}
	unknown.Recovery = fmt.Sprintf("the payout request was still %s when read back, so no attempt has canceled it yet; one may still be in progress: ", got.Status) + unknown.Recovery
	return nil, err
}

// toGen is the one place the parameters become the generated request body.
func (p CancelParams) toGen() gen.PayoutRequestCancellation {
	by := p.CanceledBy
	if by == "" {
		by = CanceledByMerchant
	}
	return gen.PayoutRequestCancellation{CanceledBy: gen.PayoutRequestCancellationCanceledBy(by), Description: p.Description}
}

// clip shortens a caller's value for an error message.
func clip(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}
