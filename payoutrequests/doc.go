// Package payoutrequests creates, upserts, reads, lists and cancels Rebilly payout requests:
// a customer's request to be paid, which a merchant later fulfils with one or more payouts.
//
// Use it through rebilly.Client.PayoutRequests:
//
//	pr, err := client.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams{...})
//
// # Exactly once
//
// POST /payout-requests has no idempotency key: if the connection breaks after the request
// was sent, nobody knows whether the payout request exists, and Create says so with an error
// matching rebilly.ErrOutcomeUnknown instead of guessing. To create payout requests exactly
// once, derive the id from your own withdrawal id with IDFor and call Upsert (PUT): repeating
// it, after any failure, on any machine, updates the same payout request instead of creating
// another one.
//
// # Listing and cancelling
//
// [Service.List] reads one page; [Service.All] yields every payout request a filter selects,
// exactly once, past Rebilly's offset cap of 1000 too (it pages by createdTime there).
// Build filters from conditions, which write Rebilly's filter syntax and refuse values it
// cannot carry:
//
//	params := payoutrequests.ListParams{Where: []payoutrequests.Condition{
//		payoutrequests.CustomerIDIn("cus_1"),
//		payoutrequests.StatusIn(payoutrequests.StatusPending),
//	}}
//	for pr, err := range client.PayoutRequests.All(ctx, params) { ... }
//
// [Service.Cancel] cancels one, and is safe to repeat: a cancel that may have gone through
// is settled by reading the payout request back.
package payoutrequests
