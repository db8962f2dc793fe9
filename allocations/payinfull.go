package allocations

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
)

// PayParams say where [Service.PayInFull] pays what is not yet allocated: to
// PaymentInstrumentID through GatewayAccountID, or, when both are empty, where Rebilly's
// rules choose ([Service.AutoAllocate]).
type PayParams struct {
	// PaymentInstrumentID is the customer's instrument to pay to.
	PaymentInstrumentID string
	// GatewayAccountID is the gateway account to pay through.
	GatewayAccountID string
}

// maxAllocateRounds bounds how often PayInFull allocates and reads back before giving up:
// each round either allocates, or learns from Rebilly that an earlier attempt did.
const maxAllocateRounds = 4

// PayInFull pays the payout request with the given id in full, exactly once, even across
// restarts, through the allocation flow:
//
//  1. It reads the payout request, and from its own allocations what earlier runs did: the
//     amount held by allocations that are not failed, declined or canceled.
//  2. It allocates what is left, if anything ([Service.Create], or [Service.AutoAllocate]
//     when params names no instrument and gateway), and reads the payout request again. An
//     allocation whose outcome is unknown is settled by that read, never by allocating
//     blind.
//  3. It processes the pending allocations ([Service.Process], safe to repeat) and waits for
//     every allocation to reach a terminal status ([Service.WaitForResult]).
//
// It returns the payout request's allocations, all terminal: completed ones paid, and
// declined or failed ones paid nothing (run PayInFull again to allocate their amount anew).
// Because every run starts from what Rebilly holds, a process that crashes at any point and
// runs PayInFull again never allocates or pays more than the payout request's amount.
//
// When it stops early after it allocated or processed anything, the error is an
// [*UnfinishedError] (outcome unknown) naming the allocations that are not final: run
// PayInFull again to go on. An error before anything took effect is the call's own.
func (s *Service) PayInFull(ctx context.Context, payoutRequestID string, params PayParams) ([]Allocation, error) {
	if (params.PaymentInstrumentID == "") != (params.GatewayAccountID == "") {
		return nil, invalidPayParams()
	}
	prs := (*payoutrequests.Service)(s)
	acted := false
	unfinished := func(pending []Allocation, err error) error {
		if !acted {
			return err
		}
		return &UnfinishedError{PayoutRequestID: payoutRequestID, NotFinal: pending, Err: err}
	}

	var pr *payoutrequests.PayoutRequest
	for round := 0; ; round++ {
		var err error
		if pr, err = prs.Get(ctx, payoutRequestID); err != nil {
			return nil, unfinished(nil, err)
		}
		if pr.Status == payoutrequests.StatusCanceled {
			return nil, unfinished(nil, fmt.Errorf("rebilly: PayInFull: payout request %s is canceled", payoutRequestID))
		}
		left := pr.Amount.Sub(held(pr.Allocations))
		if left.Sign() <= 0 {
			break
		}
		if round == maxAllocateRounds {
			return nil, unfinished(nil, fmt.Errorf("rebilly: PayInFull: %s of payout request %s is still not allocated after %d attempts", left, payoutRequestID, round))
		}
		err = s.allocate(ctx, payoutRequestID, left, params)
		switch errs.OutcomeOf(err) {
		case errs.Applied:
			acted = true
		case errs.Unknown:
			acted = true // settled by the next read
		default:
			return nil, unfinished(nil, err)
		}
	}

	var pending []string
	for _, a := range pr.Allocations {
		if a.Status == StatusPending {
			pending = append(pending, a.ID)
		}
	}
	for start := 0; start < len(pending); start += maxProcess {
		if err := s.Process(ctx, pending[start:min(start+maxProcess, len(pending))]...); err != nil {
			return nil, unfinished(notFinal(pr.Allocations), err)
		}
		acted = true
	}

	final := make([]Allocation, 0, len(pr.Allocations))
	for _, a := range pr.Allocations {
		if IsTerminal(&a) {
			final = append(final, a)
			continue
		}
		done, err := s.WaitForResult(ctx, a.ID)
		if err != nil {
			return nil, unfinished(notFinal(pr.Allocations[len(final):]), err)
		}
		final = append(final, *done)
	}
	return final, nil
}

// allocate allocates amount of the payout request.
func (s *Service) allocate(ctx context.Context, payoutRequestID string, amount money.Amount, params PayParams) error {
	if params.PaymentInstrumentID == "" {
		return s.AutoAllocate(ctx, payoutRequestID)
	}
	_, err := s.Create(ctx, CreateParams{
		PayoutRequestID:     payoutRequestID,
		PaymentInstrumentID: params.PaymentInstrumentID,
		GatewayAccountID:    params.GatewayAccountID,
		Amount:              amount,
	})
	return err
}

// held sums the amounts that allocations hold against their payout request.
func held(all []Allocation) money.Amount {
	sum := money.FromMinorUnits(0, 0)
	for i := range all {
		if holdsAmount(&all[i]) {
			sum = sum.Add(all[i].Amount)
		}
	}
	return sum
}

func notFinal(all []Allocation) []Allocation {
	var out []Allocation
	for _, a := range all {
		if !IsTerminal(&a) {
			out = append(out, a)
		}
	}
	return out
}

func invalidPayParams() error {
	return &errs.InvalidParamsError{Op: "PayInFull", InvalidFields: []errs.InvalidField{{
		Field:   "paymentInstrumentId",
		Message: "give paymentInstrumentId and gatewayAccountId together, or neither (to let Rebilly allocate)",
	}}}
}

// UnfinishedError says [Service.PayInFull] stopped after it allocated or processed something,
// before every allocation was terminal. Money may be moving: its outcome is unknown, and the
// way to settle it is to run PayInFull again for the same payout request, which goes on from
// what Rebilly holds. It matches rebilly.ErrOutcomeUnknown (and context.Canceled or
// context.DeadlineExceeded when the context ended), and keeps the cause in Err.
type UnfinishedError struct {
	// PayoutRequestID is the payout request being paid.
	PayoutRequestID string
	// NotFinal lists the allocations that were not terminal, as last read (empty when the
	// run stopped before it knew them).
	NotFinal []Allocation
	// Err is why it stopped.
	Err error
}

// Error names the payout request, the allocations that are not final, and the cause.
func (e *UnfinishedError) Error() string {
	ids := make([]string, len(e.NotFinal))
	for i, a := range e.NotFinal {
		ids[i] = a.ID + " (" + string(a.Status) + ")"
	}
	list := "unknown yet"
	if len(ids) > 0 {
		list = strings.Join(ids, ", ")
	}
	return fmt.Sprintf("rebilly: PayInFull: payout request %s is not paid in full yet; not final: %s: %v; run PayInFull again to go on",
		e.PayoutRequestID, list, e.Err)
}

// Unwrap returns the context's error when that is why it stopped, and nothing else: the
// cause keeps its own outcome class, and this error's class is unknown.
func (e *UnfinishedError) Unwrap() error {
	for _, ctxErr := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(e.Err, ctxErr) {
			return ctxErr
		}
	}
	return nil
}

// Outcome returns unknown.
func (e *UnfinishedError) Outcome() errs.Outcome { return errs.Unknown }

// Is matches rebilly.ErrOutcomeUnknown.
func (e *UnfinishedError) Is(target error) bool { return target == errs.ErrOutcomeUnknown }
