package rebillytest

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
)

// Outcome says how the result of a new payout unfolds: final at once (approved, the
// default, or another final result), or first answered with result unknown and a status
// still in progress, and final later, when the test calls [Handler.SettlePayout] or after a
// number of reads of GET /transactions/{id}. Choose it per payout with [WithPayoutOutcome]
// or [Handler.SetPayoutOutcome]. Build one with [Final] or [Unknown], and refine an
// unknown one with [Outcome.Then] and [Outcome.AfterReads]. Like [Fault], it is an
// immutable value whose methods return modified copies.
//
// The zero Outcome is Final(payouts.ResultApproved): an approved, completed payout, as
// every payout was before outcomes could be chosen.
type Outcome struct {
	status     payouts.Status // the in-progress status answered first; "" when final at once
	result     payouts.Result // the final result; "" is approved
	afterReads int            // reads that see it in progress before it settles, when auto
	auto       bool           // it settles on its own after afterReads reads
}

// Final returns the Outcome of a payout whose result is final from the start: its
// POST /payouts is answered with result and status completed (voided for
// payouts.ResultCanceled). It panics unless result is final: payouts.ResultApproved,
// payouts.ResultDeclined, payouts.ResultCanceled or payouts.ResultAbandoned.
//
// A declined, canceled or abandoned payout pays nothing: against a payout request, its
// allocation is recorded (status declined, or failed) and does not lower the payout
// request's availableAmount, which can be paid again. No notification is sent for a result
// that is final at once, as Rebilly sends one only after a timeout or an offsite step.
func Final(result payouts.Result) Outcome {
	checkFinal("Final", result)
	return Outcome{result: result}
}

// Unknown returns the Outcome of a payout whose result is not known at first, as when
// Rebilly's gateway is slow: its POST /payouts is answered 201 with result unknown and the
// given status, which must be one still in progress ([payouts.InProgress]), such as
// payouts.StatusTimeout or payouts.StatusWaitingGateway. It stays so until the test calls
// [Handler.SettlePayout], or until [Outcome.AfterReads] reads; then its result becomes
// payouts.ResultApproved, or the one [Outcome.Then] gives, and its notificationUrl, if
// any, is notified (see [Handler.SettlePayout]). It panics when status is not in progress.
//
// Against a payout request, its allocation has status waiting-completion and holds its
// amount (the payout request's availableAmount is lowered) until the result is final.
func Unknown(status payouts.Status) Outcome {
	if !payouts.InProgress(status) {
		panic(fmt.Sprintf("rebillytest: Unknown: status %q is not one still in progress (see payouts.InProgress)", status))
	}
	return Outcome{status: status}
}

// Then returns a copy of o that settles with result instead of payouts.ResultApproved. It
// panics when o is final at once (use [Final]) or result is not final.
func (o Outcome) Then(result payouts.Result) Outcome {
	if o.status == "" {
		panic("rebillytest: Outcome.Then: the outcome is final at once; use Final(result)")
	}
	checkFinal("Outcome.Then", result)
	o.result = result
	return o
}

// AfterReads returns a copy of o that settles on its own: the first n reads of the payout
// (GET /transactions/{id}) see it in progress, and the next one finds its final result
// (AfterReads(0): the first read does). Every read the Handler processes counts, also one
// whose answer a fault after commit breaks; a fault before commit strikes before the read
// is processed, so it does not count. [Handler.SettlePayout] can still settle it sooner.
// It panics when o is final at once or n is negative.
func (o Outcome) AfterReads(n int) Outcome {
	switch {
	case o.status == "":
		panic("rebillytest: Outcome.AfterReads: the outcome is final at once")
	case n < 0:
		panic(fmt.Sprintf("rebillytest: Outcome.AfterReads: negative count %d", n))
	}
	o.afterReads, o.auto = n, true
	return o
}

// String describes the outcome, such as "unknown/timeout, then declined after 2 reads".
func (o Outcome) String() string {
	if o.status == "" {
		return string(o.finalResult()) + " at once"
	}
	s := fmt.Sprintf("unknown/%s, then %s", o.status, o.finalResult())
	if o.auto {
		return s + " after " + strconv.Itoa(o.afterReads) + " reads"
	}
	return s + " when settled"
}

// finalResult is the result the payout ends with.
func (o Outcome) finalResult() payouts.Result {
	if o.result == "" {
		return payouts.ResultApproved
	}
	return o.result
}

func checkFinal(fn string, result payouts.Result) {
	switch result {
	case payouts.ResultApproved, payouts.ResultDeclined, payouts.ResultCanceled, payouts.ResultAbandoned:
		return
	}
	panic(fmt.Sprintf("rebillytest: %s: result %q is not final (approved, declined, canceled or abandoned)", fn, result))
}

// finalStatus is the status a payout has once its result is final.
func finalStatus(result payouts.Result) payouts.Status {
	if result == payouts.ResultCanceled {
		return payouts.StatusVoided
	}
	return payouts.StatusCompleted
}

// PayoutInfo is what a rule of [WithPayoutOutcome] or [Handler.SetPayoutOutcome] sees of a
// new payout, to choose its [Outcome]: the id the Handler gave it and the fields of its
// POST /payouts.
type PayoutInfo struct {
	// TransactionID is the id of the new transaction.
	TransactionID string
	// RequestID is the payout's requestId (the SDK always sends one).
	RequestID string
	// WebsiteID, CustomerID, Currency and Amount are the payout's.
	WebsiteID, CustomerID, Currency string
	Amount                          money.Amount
	// PayoutRequestID is the payout request it is allocated to, if any.
	PayoutRequestID string
	// AllocationID is the allocation whose processing creates the payout
	// (POST /payout-request-allocations/process), empty for POST /payouts.
	AllocationID string
	// Description is the payout's description, handy to mark payouts in a test.
	Description string
	// NotificationURL is the payout's notificationUrl, with its placeholders.
	NotificationURL string
}

// WithPayoutOutcome sets the rule that chooses the [Outcome] of every new payout (a
// POST /payouts that creates a transaction; a repeated requestId creates none and calls no
// rule). Without it, or when rule returns the zero Outcome, a payout is approved at once.
// The rule is called under the Handler's lock, so it need not be safe for concurrent use
// (it may count payouts), and it must not call the Handler. [Handler.SetPayoutOutcome]
// replaces it for a while.
//
//	srv := rebillytest.NewServer(t, rebillytest.WithPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
//		if p.CustomerID == "cus_slow_bank" {
//			return rebillytest.Unknown(payouts.StatusTimeout).AfterReads(2)
//		}
//		return rebillytest.Outcome{} // approved at once
//	}))
func WithPayoutOutcome(rule func(PayoutInfo) Outcome) Option {
	return func(c *config) error {
		if rule == nil {
			return errors.New("rebillytest: WithPayoutOutcome: the rule is nil")
		}
		c.outcome = rule
		return nil
	}
}

// SetPayoutOutcome replaces the rule that chooses the [Outcome] of new payouts (see
// [WithPayoutOutcome]) until it is called again; nil restores the rule of
// WithPayoutOutcome, or the default (approved at once). Reset restores it too. Payouts
// made before keep their outcome.
func (h *Handler) SetPayoutOutcome(rule func(PayoutInfo) Outcome) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.settle.rule = rule
}

// settlement is the Handler's state about payouts whose result is not final yet.
type settlement struct {
	rule    func(PayoutInfo) Outcome // set by SetPayoutOutcome; nil: the option's
	pending map[string]*pendingPayout
}

// pendingPayout is a payout whose result is not final yet.
type pendingPayout struct {
	outcome Outcome
	reads   int // reads of it processed so far
}

func (s *settlement) reset() {
	s.rule = nil
	s.pending = map[string]*pendingPayout{}
}

// outcomeFor chooses the outcome of a new payout, made for the allocation with the given id
// or by POST /payouts (""). h.mu is held.
func (h *Handler) outcomeFor(txID string, in *gen.CreditTransaction, allocationID string) Outcome {
	rule := h.settle.rule
	if rule == nil {
		rule = h.cfg.outcome
	}
	if rule == nil {
		return Outcome{}
	}
	return rule(PayoutInfo{
		TransactionID:   txID,
		RequestID:       in.RequestID,
		WebsiteID:       in.WebsiteID,
		CustomerID:      in.CustomerID,
		Currency:        in.Currency,
		Amount:          in.Amount,
		PayoutRequestID: in.PayoutRequestID,
		AllocationID:    allocationID,
		Description:     in.Description,
		NotificationURL: in.NotificationURL,
	})
}

// applyOutcome gives a new transaction the result and status of its outcome, and
// remembers it when its result is not final yet. h.mu is held.
func (h *Handler) applyOutcome(tx *gen.Transaction, o Outcome) {
	if o.status == "" {
		tx.Result, tx.Status = o.finalResult(), finalStatus(o.finalResult())
		return
	}
	tx.Result, tx.Status = payouts.ResultUnknown, o.status
	h.settle.pending[tx.ID] = &pendingPayout{outcome: o}
}

// SettlePayout makes the result of a payout whose result is not final yet (see [Unknown])
// final now: result, or with "" the result its Outcome planned. Its status becomes
// completed (voided when canceled), its revision and updatedTime change, and its
// allocation, if any, follows: completed when approved, else declined (failed for
// canceled and abandoned), giving its amount back to the payout request's
// availableAmount. Then, when the payout has a notificationUrl, the Handler delivers the
// notification in the background (see [Delivery] and [Handler.WaitDeliveries]).
//
// It fails when no transaction has the id, when its result is already final, and when
// result is neither "" nor final.
func (h *Handler) SettlePayout(id string, result payouts.Result) error {
	switch result {
	case "", payouts.ResultApproved, payouts.ResultDeclined, payouts.ResultCanceled, payouts.ResultAbandoned:
	default:
		return fmt.Errorf("rebillytest: SettlePayout: result %q is not final (approved, declined, canceled or abandoned)", result)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	tx, ok := h.txs[id]
	if !ok {
		return fmt.Errorf("rebillytest: SettlePayout: no transaction has the id %q", id)
	}
	p, ok := h.settle.pending[id]
	if !ok {
		return fmt.Errorf("rebillytest: SettlePayout: the result of transaction %q is already final (%s)", id, tx.Result)
	}
	if result == "" {
		result = p.outcome.finalResult()
	}
	h.settleLocked(tx, result, h.cfg.clock().UTC().Truncate(time.Second))
	return nil
}

// settleLocked makes a pending payout's result final, updates its allocation and starts
// its notification. h.mu is held.
func (h *Handler) settleLocked(tx *gen.Transaction, result payouts.Result, now time.Time) {
	delete(h.settle.pending, tx.ID)
	tx.Result, tx.Status = result, finalStatus(result)
	tx.Revision++
	tx.UpdatedTime = now
	if pr := h.prs[tx.PayoutRequestID]; pr != nil {
		for i := range pr.Allocations {
			a := &pr.Allocations[i]
			if a.TransactionID != tx.ID {
				continue
			}
			held := !released(a)
			a.Status, a.TransactionResult, a.TransactionStatus = allocationState(tx)
			a.UpdatedTime = now
			freed := held && released(a)
			if freed {
				pr.AvailableAmount = pr.AvailableAmount.Add(a.Amount)
			}
			// An allocation that completes can pay an in-progress payout request in full.
			if status := statusOf(pr); freed || status != pr.Status {
				pr.Status, pr.UpdatedTime = status, now
			}
		}
	}
	if tx.NotificationURL != "" {
		h.startDeliveryLocked(tx)
	}
}

// allocationState is the status, transaction result and transaction status of the
// allocation that a transaction pays: waiting-completion while its result is unknown,
// completed when approved, declined when declined, and failed when canceled or abandoned
// (the allocation was processed, so it was not "canceled before processing", which is what
// an allocation's canceled means).
func allocationState(tx *gen.Transaction) (gen.PayoutRequestAllocationStatus, gen.PayoutRequestAllocationTransactionResult, gen.PayoutRequestAllocationTransactionStatus) {
	status := gen.PayoutRequestAllocationStatusCompleted
	switch tx.Result {
	case payouts.ResultUnknown:
		status = gen.PayoutRequestAllocationStatusWaitingCompletion
	case payouts.ResultDeclined:
		status = gen.PayoutRequestAllocationStatusDeclined
	case payouts.ResultCanceled, payouts.ResultAbandoned:
		status = gen.PayoutRequestAllocationStatusFailed
	}
	return status, gen.PayoutRequestAllocationTransactionResult(tx.Result), gen.PayoutRequestAllocationTransactionStatus(tx.Status)
}

// released reports whether an allocation no longer holds its amount: its payout paid
// nothing.
func released(a *gen.PayoutRequestAllocation) bool {
	switch a.Status {
	case gen.PayoutRequestAllocationStatusDeclined, gen.PayoutRequestAllocationStatusCanceled, gen.PayoutRequestAllocationStatusFailed:
		return true
	}
	return false
}

// getTransaction serves GET /transactions/{id}: a read, which may settle a payout whose
// outcome settles after a number of reads. h.mu is held.
func (h *Handler) getTransaction(id, accept string, now time.Time) *response {
	tx, ok := h.txs[id]
	if !ok {
		return newProblem(http.StatusNotFound, fmt.Sprintf("no transaction has the id %q", id)).response()
	}
	if mt, _, err := mime.ParseMediaType(accept); err == nil && mt == "application/pdf" {
		return newProblem(http.StatusNotAcceptable, "rebillytest renders no PDF: ask for application/json").response()
	}
	h.readPayoutLocked(tx, now)
	return jsonResponse(http.StatusOK, tx)
}

// readPayoutLocked counts a read of a payout whose result is not final yet, a read of its
// transaction or of the allocation it pays, and settles it when its outcome says this read
// finds it final. h.mu is held.
func (h *Handler) readPayoutLocked(tx *gen.Transaction, now time.Time) {
	if p := h.settle.pending[tx.ID]; p != nil && p.outcome.auto {
		if p.reads >= p.outcome.afterReads {
			h.settleLocked(tx, p.outcome.finalResult(), now)
		} else {
			p.reads++
		}
	}
}
