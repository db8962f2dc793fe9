package rebillytest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// The payout request allocation operations: the flow Rebilly recommends for paying a payout
// request. An allocation is stored in its payout request's allocations, which are the only
// record of it: GET /payout-requests/{id} and GET /payout-request-allocations/{id} show the
// same allocation, and the allocations that POST /payouts records are served too.

// PaymentInstrumentID is the payment instrument of an automatic allocation
// (POST /payout-request-allocations/auto) of a payout request that names none.
const PaymentInstrumentID = "inst_rebillytest"

// allocationRoute routes a path under /organizations/{org}/payout-request-allocations;
// segs are the segments after that one.
func allocationRoute(rt route, method string, segs []string) route {
	op := func(m string, o Operation) {
		if method == m {
			rt.op = o
		}
	}
	switch {
	case len(segs) == 0:
		rt.allow = "GET, POST"
		op(http.MethodGet, OpListAllocations)
		op(http.MethodPost, OpCreateAllocation)
	case len(segs) == 1 && segs[0] == "auto":
		rt.allow = http.MethodPost
		op(http.MethodPost, OpAutoAllocate)
	case len(segs) == 1 && segs[0] == "process":
		rt.allow = http.MethodPost
		op(http.MethodPost, OpProcessAllocations)
	case len(segs) == 1 && segs[0] != "":
		id, err := url.PathUnescape(segs[0])
		if err != nil {
			return route{}
		}
		rt.id, rt.allow = id, "GET, PATCH"
		op(http.MethodGet, OpGetAllocation)
		op(http.MethodPatch, OpUpdateAllocation)
	default:
		return route{}
	}
	return rt
}

// createAllocation serves POST /payout-request-allocations. h.mu is held.
func (h *Handler) createAllocation(body []byte, now time.Time, links linkBase) *response {
	var in gen.PayoutRequestAllocationCreate
	if p := decodeBody(body, &in); p != nil {
		return p.response()
	}
	if p := checkAllocationBody(in); p != nil {
		return p.response()
	}
	pr, p := h.allocatable(in.PayoutRequestID)
	if p != nil {
		return p.response()
	}
	if in.Amount.Cmp(pr.AvailableAmount) > 0 {
		return fieldProblem("amount", fmt.Sprintf("exceeds the %s %s of the payout request not yet allocated", pr.AvailableAmount, pr.Currency)).response()
	}
	a := h.newAllocationLocked(pr, in.PaymentInstrumentID, in.GatewayAccountID, in.Amount, now, links)
	return created(a, links.url("payout-request-allocations", a.ID))
}

// checkAllocationBody checks the members an allocation is created with: a 422 naming each
// one missing, or an amount that is not positive.
func checkAllocationBody(in gen.PayoutRequestAllocationCreate) *problem {
	var f fieldChecks
	f.required("payoutRequestId", in.PayoutRequestID)
	f.required("paymentInstrumentId", in.PaymentInstrumentID)
	f.required("gatewayAccountId", in.GatewayAccountID)
	f.positiveAmount("amount", in.Amount)
	return f.problem()
}

// autoAllocate serves POST /payout-request-allocations/auto: one allocation of all that is
// not yet allocated, to the payout request's paymentInstrumentId (PaymentInstrumentID when
// it names none) through GatewayAccountID. h.mu is held.
func (h *Handler) autoAllocate(body []byte, now time.Time, links linkBase) *response {
	var in gen.PayoutRequestAutoAllocation
	if p := decodeBody(body, &in); p != nil {
		return p.response()
	}
	if in.PayoutRequestID == "" {
		return fieldProblem("payoutRequestId", "is required").response()
	}
	pr, p := h.allocatable(in.PayoutRequestID)
	if p != nil {
		return p.response()
	}
	if pr.AvailableAmount.Sign() <= 0 {
		return newProblem(http.StatusConflict, fmt.Sprintf("payout request %q has nothing left to allocate", pr.ID)).response()
	}
	instrument := pr.PaymentInstrumentID
	if instrument == "" {
		instrument = PaymentInstrumentID
	}
	h.newAllocationLocked(pr, instrument, GatewayAccountID, pr.AvailableAmount, now, links)
	return &response{status: http.StatusNoContent, header: http.Header{}}
}

// allocatable finds a payout request that may be allocated: 404 when there is none, 409
// when it is canceled, blocked or fulfilled. h.mu is held.
func (h *Handler) allocatable(id string) (*gen.PayoutRequest, *problem) {
	pr, ok := h.prs[id]
	switch {
	case !ok:
		return nil, newProblem(http.StatusNotFound, fmt.Sprintf("no payout request has the id %q", id))
	case pr.Status == gen.PayoutRequestStatusCanceled, pr.Status == gen.PayoutRequestStatusFulfilled:
		return nil, newProblem(http.StatusConflict, fmt.Sprintf("payout request %q is %s: it cannot be allocated", id, pr.Status))
	case isBlocked(pr):
		return nil, newProblem(http.StatusConflict, fmt.Sprintf("payout request %q is blocked: its allocations cannot be created", id))
	}
	return pr, nil
}

func isBlocked(pr *gen.PayoutRequest) bool { return pr.Blocked != nil && *pr.Blocked }

// newAllocationLocked stores a pending allocation of amount to instrument through gateway:
// the payout request's availableAmount is lowered exactly and its status becomes
// in-progress. It returns a copy of the allocation. h.mu is held.
func (h *Handler) newAllocationLocked(pr *gen.PayoutRequest, instrument, gateway string, amount money.Amount, now time.Time, links linkBase) gen.PayoutRequestAllocation {
	id := h.cfg.newID(AllocationIDPrefix)
	a := gen.PayoutRequestAllocation{
		ID:                  id,
		PayoutRequestID:     pr.ID,
		BatchID:             pr.BatchID,
		PaymentInstrumentID: instrument,
		GatewayAccountID:    gateway,
		GatewayName:         string(GatewayName),
		Amount:              amount,
		Currency:            pr.Currency,
		Status:              allocations.StatusPending,
		CreatedTime:         now,
		UpdatedTime:         now,
	}
	setAllocationLinks(&a, links)
	pr.Allocations = append(pr.Allocations, a)
	pr.AvailableAmount = pr.AvailableAmount.Sub(amount)
	pr.Status = gen.PayoutRequestStatusInProgress
	pr.UpdatedTime = now
	return a
}

// inProgressStatus is the status of a payout request that the allocation operations have
// allocated: in-progress until its completed allocations pay its amount, then fulfilled.
func inProgressStatus(pr *gen.PayoutRequest) gen.PayoutRequestStatus {
	var paid money.Amount
	for _, a := range pr.Allocations {
		if a.Status == allocations.StatusCompleted {
			paid = paid.Add(a.Amount)
		}
	}
	if paid.Cmp(pr.Amount) >= 0 {
		return gen.PayoutRequestStatusFulfilled
	}
	return gen.PayoutRequestStatusInProgress
}

// processAllocations serves POST /payout-request-allocations/process: every pending
// allocation named is queued, unless its payout request is blocked or canceled; the others
// are left alone. An id that names no allocation makes it a 422 that processes nothing.
// h.mu is held.
func (h *Handler) processAllocations(body []byte, now time.Time) *response {
	var in gen.PayoutRequestAllocationsProcess
	if p := decodeBody(body, &in); p != nil {
		return p.response()
	}
	var f fieldChecks
	switch {
	case len(in.AllocationIDs) == 0:
		f.add("allocationIds", "is required: name 1 to 1000 allocations")
	case len(in.AllocationIDs) > 1000:
		f.add("allocationIds", fmt.Sprintf("names %d allocations; at most 1000 can be processed at once", len(in.AllocationIDs)))
	}
	for i, id := range in.AllocationIDs {
		if _, a := h.findAllocation(id); a == nil {
			f.add(fmt.Sprintf("allocationIds[%d]", i), fmt.Sprintf("names no allocation: %q does not exist", id))
		}
	}
	if p := f.problem(); p != nil {
		return p.response()
	}
	for _, id := range in.AllocationIDs {
		pr, a := h.findAllocation(id)
		if a.Status == allocations.StatusPending && !isBlocked(pr) && pr.Status != gen.PayoutRequestStatusCanceled {
			a.Status, a.UpdatedTime = allocations.StatusQueued, now
			pr.UpdatedTime = now
		}
	}
	return &response{status: http.StatusNoContent, header: http.Header{}}
}

// findAllocation returns the allocation with the given id, in its payout request's
// allocations, and that payout request; nil when there is none. h.mu is held.
func (h *Handler) findAllocation(id string) (*gen.PayoutRequest, *gen.PayoutRequestAllocation) {
	for _, prID := range h.prOrder {
		pr := h.prs[prID]
		for i := range pr.Allocations {
			if pr.Allocations[i].ID == id {
				return pr, &pr.Allocations[i]
			}
		}
	}
	return nil, nil
}

// getAllocation serves GET /payout-request-allocations/{id}: a read, which moves a queued
// allocation to processing, pays a processing one (its transaction is created) and counts
// as a read of the payout of one waiting for completion (see [Outcome.AfterReads]). h.mu is
// held.
func (h *Handler) getAllocation(id string, now time.Time) *response {
	pr, a := h.findAllocation(id)
	if a == nil {
		return newProblem(http.StatusNotFound, fmt.Sprintf("no payout request allocation has the id %q", id)).response()
	}
	switch a.Status {
	case allocations.StatusQueued:
		a.Status, a.UpdatedTime = allocations.StatusProcessing, now
		pr.UpdatedTime = now
	case allocations.StatusProcessing:
		h.payAllocationLocked(pr, a, now)
	case allocations.StatusWaitingCompletion:
		if tx := h.txs[a.TransactionID]; tx != nil {
			h.readPayoutLocked(tx, now)
		}
	}
	return jsonResponse(http.StatusOK, a)
}

// payAllocationLocked creates the credit transaction of an allocation being processed, with
// the outcome the payout rule chooses, and moves the allocation to the state of its result
// (see allocationState): waiting-completion while unknown, else completed, declined or
// failed, giving its amount back when it paid nothing. h.mu is held.
func (h *Handler) payAllocationLocked(pr *gen.PayoutRequest, a *gen.PayoutRequestAllocation, now time.Time) {
	in := gen.CreditTransaction{
		WebsiteID:        pr.WebsiteID,
		CustomerID:       pr.CustomerID,
		Currency:         a.Currency,
		Amount:           a.Amount,
		GatewayAccountID: a.GatewayAccountID,
		PayoutRequestID:  pr.ID,
	}
	links := h.linksOf(a)
	a.UpdatedTime, pr.UpdatedTime = now, now
	tx, p := h.newPayoutLocked(&in, a.ID, now, links)
	if p != nil { // the id generator repeated itself: the allocation fails, paying nothing
		a.Status = allocations.StatusFailed
		pr.AvailableAmount = pr.AvailableAmount.Add(a.Amount)
		pr.Status = statusOf(pr)
		return
	}
	a.TransactionID = tx.ID
	a.Status, a.TransactionResult, a.TransactionStatus = allocationState(tx)
	setAllocationLinks(a, links)
	if released(a) {
		pr.AvailableAmount = pr.AvailableAmount.Add(a.Amount)
	}
	pr.Status = statusOf(pr)
}

// setAllocationLinks links an allocation of the allocation operations to itself, its
// payout request and, once processed, its transaction.
func setAllocationLinks(a *gen.PayoutRequestAllocation, links linkBase) {
	all := []link{
		{Href: links.url("payout-request-allocations", a.ID), Rel: "self"},
		{Href: links.url("payout-requests", a.PayoutRequestID), Rel: "payoutRequest"},
	}
	if a.TransactionID != "" {
		all = append(all, link{Href: links.url("transactions", a.TransactionID), Rel: "transaction"})
	}
	setLinks(&a.Links, all...)
}

// linksOf returns the link base of the request that created an allocation, from its self
// link, so that the transaction its processing creates links to the same origin.
func (h *Handler) linksOf(a *gen.PayoutRequestAllocation) linkBase {
	lb := linkBase{org: h.cfg.organizationID}
	for _, l := range a.Links {
		if l.Rel == gen.PayoutRequestAllocationLinksRelSelf {
			lb.origin, _, _ = strings.Cut(l.Href, "/organizations/")
		}
	}
	return lb
}

// updateAllocation serves PATCH /payout-request-allocations/{id}: a pending allocation
// moves to processing (paid on its next read) or to canceled (its amount is freed); any
// other transition, and any for a blocked or canceled payout request, is a 409. h.mu is
// held.
func (h *Handler) updateAllocation(id string, body []byte, now time.Time) *response {
	var in gen.PayoutRequestAllocationUpdate
	if p := decodeBody(body, &in); p != nil {
		return p.response()
	}
	switch in.Status {
	case gen.PayoutRequestAllocationUpdateStatusProcessing, gen.PayoutRequestAllocationUpdateStatusCanceled:
	default:
		return fieldProblem("status", "must be processing or canceled").response()
	}
	pr, a := h.findAllocation(id)
	switch {
	case a == nil:
		return newProblem(http.StatusNotFound, fmt.Sprintf("no payout request allocation has the id %q", id)).response()
	case a.Status != allocations.StatusPending:
		return newProblem(http.StatusConflict, fmt.Sprintf("allocation %q is %s: only a pending allocation can become %s", id, a.Status, in.Status)).response()
	case isBlocked(pr):
		return newProblem(http.StatusConflict, fmt.Sprintf("payout request %q is blocked: its pending allocations can be neither processed nor canceled", pr.ID)).response()
	case pr.Status == gen.PayoutRequestStatusCanceled:
		return newProblem(http.StatusConflict, fmt.Sprintf("payout request %q is canceled", pr.ID)).response()
	}
	if in.Status == gen.PayoutRequestAllocationUpdateStatusCanceled {
		cancelAllocation(pr, a, now)
	} else {
		a.Status, a.UpdatedTime = allocations.StatusProcessing, now
		pr.UpdatedTime = now
	}
	return jsonResponse(http.StatusOK, a)
}

// cancelAllocation cancels a pending allocation, giving its amount back. h.mu is held.
func cancelAllocation(pr *gen.PayoutRequest, a *gen.PayoutRequestAllocation, now time.Time) {
	a.Status, a.UpdatedTime = allocations.StatusCanceled, now
	pr.AvailableAmount = pr.AvailableAmount.Add(a.Amount)
	pr.Status = statusOf(pr)
	pr.UpdatedTime = now
}

// cancelPendingAllocations cancels the pending allocations of a payout request being
// canceled. h.mu is held.
func cancelPendingAllocations(pr *gen.PayoutRequest, now time.Time) {
	for i := range pr.Allocations {
		if pr.Allocations[i].Status == allocations.StatusPending {
			cancelAllocation(pr, &pr.Allocations[i], now)
		}
	}
}

// ProcessQueuedAllocations carries out now what Rebilly's processing does in the
// background for the allocations with the given ids, or for every one when none is given:
// each queued or processing allocation (see POST /payout-request-allocations/process) gets
// its credit transaction, with the [Outcome] the payout rule ([WithPayoutOutcome]) chooses,
// and the status of its result: completed, declined, failed, or waiting-completion until
// the payout settles ([Handler.SettlePayout] with the allocation's TransactionID, or its
// reads). Without it, reads do the same (see the package documentation).
//
// It fails, processing nothing, when an id names no allocation or one that is neither
// queued nor processing.
func (h *Handler) ProcessQueuedAllocations(ids ...string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.cfg.clock().UTC().Truncate(time.Second)
	queued := func(a *gen.PayoutRequestAllocation) bool {
		return a.Status == allocations.StatusQueued || a.Status == allocations.StatusProcessing
	}
	for _, id := range ids {
		_, a := h.findAllocation(id)
		switch {
		case a == nil:
			return fmt.Errorf("rebillytest: ProcessQueuedAllocations: no allocation has the id %q", id)
		case !queued(a):
			return fmt.Errorf("rebillytest: ProcessQueuedAllocations: allocation %q is %s, neither queued nor processing", id, a.Status)
		}
	}
	for _, prID := range h.prOrder {
		pr := h.prs[prID]
		for i := range pr.Allocations {
			a := &pr.Allocations[i]
			if queued(a) && (len(ids) == 0 || slices.Contains(ids, a.ID)) {
				h.payAllocationLocked(pr, a, now)
			}
		}
	}
	return nil
}

// Allocation returns a copy of the payout request allocation with the given id, and whether
// it exists. Unlike GET /payout-request-allocations/{id}, it does not move the allocation's
// processing on.
func (h *Handler) Allocation(id string) (allocations.Allocation, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, a := h.findAllocation(id)
	if a == nil {
		return allocations.Allocation{}, false
	}
	return clone(a), true
}
