package allocations

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/validate"
)

// API is what [Service] does, for merchants who want to put a fake in its place in their
// tests.
type API interface {
	Create(ctx context.Context, params CreateParams) (*Allocation, error)
	AutoAllocate(ctx context.Context, payoutRequestID string) error
	Process(ctx context.Context, ids ...string) error
	Get(ctx context.Context, id string) (*Allocation, error)
	List(ctx context.Context, params ListParams) (*Page, error)
	All(ctx context.Context, params ListParams) iter.Seq2[*Allocation, error]
	Cancel(ctx context.Context, id string) (*Allocation, error)
	WaitForResult(ctx context.Context, id string) (*Allocation, error)
	PayInFull(ctx context.Context, payoutRequestID string, params PayParams) ([]Allocation, error)
}

var _ API = (*Service)(nil)

// Service calls the payout request allocation operations, the flow Rebilly recommends for
// paying payout requests (its operations are marked Experimental by Rebilly). Get one from
// the Allocations field of a rebilly.Client; a Service made any other way returns an error
// from every call.
type Service backend.Handle

func (s *Service) backend() *backend.Backend { return (*backend.Handle)(s).Backend() }

const (
	opCreate  = "POST /payout-request-allocations"
	opAuto    = "POST /payout-request-allocations/auto"
	opProcess = "POST /payout-request-allocations/process"
	opGet     = "GET /payout-request-allocations/{id}"
	opCancel  = "PATCH /payout-request-allocations/{id}"

	collection = "payout-request-allocations"

	// maxProcess is Rebilly's limit on the allocations one Process call names.
	maxProcess = 1000

	allocateRecovery = "the allocation may or may not exist: read the payout request (PayoutRequests.Get) and look at its allocations " +
		"before allocating again, or use PayInFull, which does that"
	processRecovery = "repeat Process with the same ids: Rebilly only processes allocations that are still pending, so this is safe"
	cancelRecovery  = "repeat Cancel, or read the allocation (id {id}): a cancel that took effect shows status canceled"
)

// Create allocates part of a payout request's amount to a payment instrument and gateway
// account. POST /payout-request-allocations
//
// The payout request moves to in-progress and the allocation starts pending; nothing is
// paid until [Service.Process]. Rebilly has no idempotency key for this operation, so Create
// repeats it only when Rebilly provably did nothing (the request was never written, 429,
// 503). After any other failure the allocation may exist and the error matches
// rebilly.ErrOutcomeUnknown: read the payout request's allocations before allocating again
// ([Service.PayInFull] does).
func (s *Service) Create(ctx context.Context, params CreateParams) (*Allocation, error) {
	var f validate.Fields
	f.ID("payoutRequestId", params.PayoutRequestID, validate.Required)
	f.ID("paymentInstrumentId", params.PaymentInstrumentID, validate.Required)
	f.ID("gatewayAccountId", params.GatewayAccountID, validate.Required)
	f.PositiveAmount("amount", params.Amount)
	call := backend.Call[Allocation]{
		Op: opCreate, Class: backend.Unsafe, Collection: collection,
		ID: allocationID, Refetch: s.Get, Recovery: allocateRecovery,
	}
	return backend.Send(ctx, s.backend(), call, f.Err(opCreate), func(server string) (*http.Request, error) {
		return gen.NewPostPayoutRequestAllocationRequest(server, gen.PayoutRequestAllocationCreate{
			PayoutRequestID:     params.PayoutRequestID,
			PaymentInstrumentID: params.PaymentInstrumentID,
			GatewayAccountID:    params.GatewayAccountID,
			Amount:              params.Amount,
		})
	})
}

// AutoAllocate lets Rebilly allocate what is not yet allocated of a payout request, by its
// rules. POST /payout-request-allocations/auto
//
// Like [Service.Create], it has no idempotency key: it is repeated only when Rebilly provably
// did nothing, and otherwise ends in rebilly.ErrOutcomeUnknown; read the payout request's
// allocations to see what it did.
func (s *Service) AutoAllocate(ctx context.Context, payoutRequestID string) error {
	var f validate.Fields
	f.ID("payoutRequestId", payoutRequestID, validate.Required)
	call := backend.Call[backend.NoContent]{Op: opAuto, Class: backend.Unsafe, ResourceID: payoutRequestID, Recovery: allocateRecovery}
	_, err := backend.Send(ctx, s.backend(), call, f.Err(opAuto), func(server string) (*http.Request, error) {
		return gen.NewPostPayoutRequestAutoAllocationRequest(server, gen.PayoutRequestAutoAllocation{PayoutRequestID: payoutRequestID})
	})
	return err
}

// Process starts processing the given allocations (1 to 1000 of them): Rebilly creates
// each one's payout transaction, asynchronously. POST /payout-request-allocations/process
//
// Rebilly only processes allocations that are still pending, so repeating Process cannot pay
// twice: it is retried after any transient failure, and is safe to call again after a
// crash. A nil error means processing has started, not that anyone was paid: wait for each
// allocation with [Service.WaitForResult].
func (s *Service) Process(ctx context.Context, ids ...string) error {
	var f validate.Fields
	switch {
	case len(ids) == 0:
		f.Add("allocationIds", "is empty; give at least one id")
	case len(ids) > maxProcess:
		f.Add("allocationIds", fmt.Sprintf("has %d ids; the limit is %d", len(ids), maxProcess))
	}
	for i, id := range ids {
		f.ID(fmt.Sprintf("allocationIds[%d]", i), id, validate.Required)
	}
	call := backend.Call[backend.NoContent]{Op: opProcess, Class: backend.Idempotent, Recovery: processRecovery}
	_, err := backend.Send(ctx, s.backend(), call, f.Err(opProcess), func(server string) (*http.Request, error) {
		return gen.NewPostPayoutRequestAllocationsProcessRequest(server, gen.PayoutRequestAllocationsProcess{AllocationIDs: ids})
	})
	return err
}

// Get reads the allocation with the given id. GET /payout-request-allocations/{id}
func (s *Service) Get(ctx context.Context, id string) (*Allocation, error) {
	var f validate.Fields
	f.ID("id", id, validate.Required)
	call := backend.Call[Allocation]{Op: opGet, Class: backend.Read, ResourceID: id, ID: allocationID}
	return backend.Send(ctx, s.backend(), call, f.Err(opGet), func(server string) (*http.Request, error) {
		return gen.NewGetPayoutRequestAllocationRequest(server, id)
	})
}

// Cancel cancels a pending allocation, freeing its amount. PATCH
// /payout-request-allocations/{id} with status canceled.
//
// It is safe to repeat: when an attempt may have been applied and a repeat meets 409 (the
// allocation is canceled already), Cancel reads the allocation, and status canceled makes the
// call a success. A 409 for another reason (it is being processed, or completed) matches
// rebilly.ErrConflict.
func (s *Service) Cancel(ctx context.Context, id string) (*Allocation, error) {
	var f validate.Fields
	f.ID("id", id, validate.Required)
	call := backend.Call[Allocation]{
		Op: opCancel, Class: backend.Idempotent, ResourceID: id, Collection: collection,
		ID: allocationID, Refetch: s.Get, Recovery: cancelRecovery,
		Confirm: func(ctx context.Context) (*Allocation, bool, error) {
			a, err := s.Get(ctx, id)
			if err != nil {
				return nil, false, err
			}
			return a, a.Status == StatusCanceled, nil
		},
	}
	return backend.Send(ctx, s.backend(), call, f.Err(opCancel), func(server string) (*http.Request, error) {
		return gen.NewPatchPayoutRequestAllocationRequest(server, id, gen.PayoutRequestAllocationUpdate{Status: gen.PayoutRequestAllocationUpdateStatusCanceled})
	})
}

// WaitForResult reads the allocation until its status is terminal ([IsTerminal]) and returns
// it, at once when it already is. It polls the way payouts.Service.WaitForResult does: the
// client's backoff between reads, longer when Rebilly says when to come back, transient read
// failures waited out. When ctx ends first, the error is a [*NotFinalError] that wraps ctx's
// error and carries the last allocation read.
func (s *Service) WaitForResult(ctx context.Context, id string) (*Allocation, error) {
	return backend.WaitFor(ctx, s.backend(), "allocation", id, s.Get, IsTerminal, func(a *Allocation) string {
		return fmt.Sprintf("status %q", a.Status)
	})
}

// NotFinalError says [Service.WaitForResult] stopped before the allocation's status was
// terminal. Its outcome is not applied (waiting changes nothing); Last is the last
// allocation read. It matches rebilly.ErrNotApplied and unwraps to the cause. See
// [errs.NotFinalError] for its fields.
type NotFinalError = errs.NotFinalError[Allocation]

// allocationID is the id of a decoded allocation: a success without one is not a success.
func allocationID(a *Allocation) string { return a.ID }
