package rebillytest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// listAllocations serves GET /payout-request-allocations: the allocations of every payout
// request, as GET /payout-requests serves payout requests. Their default order is that of
// creation: by createdTime, ties in the order of their payout requests' creation, then of
// their own. A list is not a read of each allocation: it does not move processing on. h.mu
// is held.
func (h *Handler) listAllocations(rawQuery string) *response {
	var all []*gen.PayoutRequestAllocation
	for _, id := range h.prOrder {
		pr := h.prs[id]
		for i := range pr.Allocations {
			all = append(all, &pr.Allocations[i])
		}
	}
	slices.SortStableFunc(all, func(a, b *gen.PayoutRequestAllocation) int { return a.CreatedTime.Compare(b.CreatedTime) })
	return listPage(h, rawQuery, all, allocationFields)
}

// allocationFields are those of GET /payout-request-allocations. Rebilly lists no filterable
// fields for it; these are the allocation's ids, words, amount and times.
var allocationFields = listFields[gen.PayoutRequestAllocation]{
	filter:     allocationFilterField,
	filterable: "id, payoutRequestId, batchId, paymentInstrumentId, gatewayAccountId, transactionId, status, currency, amount, createdTime and updatedTime",
	sort:       allocationSortKey,
	sortable:   "id, payoutRequestId, status, currency, amount, createdTime and updatedTime",
}

// allocationFilterField returns how the field name of a filter is read from an allocation.
func allocationFilterField(name string) (filterField[gen.PayoutRequestAllocation], bool) {
	type (
		a     = gen.PayoutRequestAllocation
		field = filterField[a]
	)
	if text, ok := allocationTexts[name]; ok {
		return field{text: text}, true
	}
	switch name {
	case "amount":
		return field{amount: func(x *a) money.Amount { return x.Amount }}, true
	case "createdTime":
		return field{time: func(x *a) time.Time { return x.CreatedTime }}, true
	case "updatedTime":
		return field{time: func(x *a) time.Time { return x.UpdatedTime }}, true
	}
	return field{}, false
}

// allocationTexts reads the string fields of an allocation, by name.
var allocationTexts = map[string]func(*gen.PayoutRequestAllocation) string{
	"id":                  func(x *gen.PayoutRequestAllocation) string { return x.ID },
	"payoutRequestId":     func(x *gen.PayoutRequestAllocation) string { return x.PayoutRequestID },
	"batchId":             func(x *gen.PayoutRequestAllocation) string { return x.BatchID },
	"paymentInstrumentId": func(x *gen.PayoutRequestAllocation) string { return x.PaymentInstrumentID },
	"gatewayAccountId":    func(x *gen.PayoutRequestAllocation) string { return x.GatewayAccountID },
	"transactionId":       func(x *gen.PayoutRequestAllocation) string { return x.TransactionID },
	"status":              func(x *gen.PayoutRequestAllocation) string { return string(x.Status) },
	"currency":            func(x *gen.PayoutRequestAllocation) string { return x.Currency },
}

// allocationSortKey returns the comparison of a field a list of allocations can be sorted by.
func allocationSortKey(name string) (func(a, b *gen.PayoutRequestAllocation) int, bool) {
	switch name {
	case "amount":
		return func(a, b *gen.PayoutRequestAllocation) int { return a.Amount.Cmp(b.Amount) }, true
	case "createdTime":
		return func(a, b *gen.PayoutRequestAllocation) int { return a.CreatedTime.Compare(b.CreatedTime) }, true
	case "updatedTime":
		return func(a, b *gen.PayoutRequestAllocation) int { return a.UpdatedTime.Compare(b.UpdatedTime) }, true
	case "id", "payoutRequestId", "status", "currency":
		text := allocationTexts[name]
		return func(a, b *gen.PayoutRequestAllocation) int { return strings.Compare(text(a), text(b)) }, true
	}
	return nil, false
}

// SeedAllocations stores allocations of stored payout requests as they are given, without a
// request and without the rate limit: a fast way to fill the Handler for tests of listing
// allocations (thousands sharing one createdTime second, say). It returns their ids, in
// order. Each needs the PayoutRequestID of a stored payout request that can be allocated
// (not canceled, fulfilled or blocked), a PaymentInstrumentID, a GatewayAccountID and a
// positive Amount; the Handler fills in the rest as POST /payout-request-allocations would:
//
//   - ID: the id generator's when empty (an id already stored is an error);
//   - Currency: the payout request's when empty (another is an error); BatchID: the payout
//     request's; GatewayName: [GatewayName] when empty;
//   - Status: pending when empty, kept as given otherwise (queued and processing ones are
//     paid on their next read, or by [Handler.ProcessQueuedAllocations]); TransactionID and
//     the transaction's result and status are kept as given: no transaction is created;
//   - CreatedTime: the clock's when zero; UpdatedTime: CreatedTime when zero (both in UTC,
//     to the second, as Rebilly keeps them).
//
// An allocation that is not failed, declined or canceled takes its amount from the payout
// request's availableAmount, which it may not exceed, and the payout request becomes
// in-progress (fulfilled once completed allocations pay its amount), as for a create.
// Seeded allocations have no _links. Nothing is stored when any of them is refused.
func (h *Handler) SeedAllocations(as ...allocations.Allocation) ([]string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	taken := map[string]bool{}
	for _, id := range h.prOrder {
		for _, a := range h.prs[id].Allocations {
			taken[a.ID] = true
		}
	}
	available := map[string]money.Amount{} // what is left of each payout request, as seeded
	stored := make([]gen.PayoutRequestAllocation, 0, len(as))
	var problems []error
	for i := range as {
		a, err := h.seedAllocation(clone(&as[i]), taken, available)
		if err != nil {
			problems = append(problems, fmt.Errorf("allocation %d: %w", i, err))
			continue
		}
		stored = append(stored, a)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("rebillytest: SeedAllocations: %w", errors.Join(problems...))
	}
	ids := make([]string, len(stored))
	for i, a := range stored {
		pr := h.prs[a.PayoutRequestID]
		pr.Allocations = append(pr.Allocations, a)
		pr.AvailableAmount = available[pr.ID]
		pr.Status = gen.PayoutRequestStatusInProgress
		pr.Status = statusOf(pr)
		ids[i] = a.ID
	}
	return ids, nil
}

// seedAllocation checks an allocation for SeedAllocations and fills it in; taken holds the
// ids in use, available what is left of each payout request. h.mu is held.
func (h *Handler) seedAllocation(a gen.PayoutRequestAllocation, taken map[string]bool, available map[string]money.Amount) (gen.PayoutRequestAllocation, error) {
	if p := checkAllocationBody(gen.PayoutRequestAllocationCreate{
		PayoutRequestID: a.PayoutRequestID, PaymentInstrumentID: a.PaymentInstrumentID,
		GatewayAccountID: a.GatewayAccountID, Amount: a.Amount,
	}); p != nil {
		return a, errors.New(describeFields(p))
	}
	pr, p := h.allocatable(a.PayoutRequestID)
	if p != nil {
		return a, errors.New(p.Detail)
	}
	switch {
	case a.Currency == "":
		a.Currency = pr.Currency
	case a.Currency != pr.Currency:
		return a, fmt.Errorf("currency %s is not the payout request's, %s", a.Currency, pr.Currency)
	}
	if a.ID == "" {
		a.ID = h.cfg.newID(AllocationIDPrefix)
	}
	if taken[a.ID] {
		return a, fmt.Errorf("the id %q is already stored", a.ID)
	}
	left, ok := available[pr.ID]
	if !ok {
		left = pr.AvailableAmount
	}
	if a.Status == "" {
		a.Status = allocations.StatusPending
	}
	if !released(&a) {
		if a.Amount.Cmp(left) > 0 {
			return a, fmt.Errorf("amount %s exceeds the %s %s of payout request %q not yet allocated", a.Amount, left, pr.Currency, pr.ID)
		}
		left = left.Sub(a.Amount)
	}
	taken[a.ID], available[pr.ID] = true, left
	a.BatchID = pr.BatchID
	if a.GatewayName == "" {
		a.GatewayName = string(GatewayName)
	}
	a.CreatedTime, a.UpdatedTime = h.seedTimes(a.CreatedTime, a.UpdatedTime)
	a.Links = nil
	return a, nil
}
