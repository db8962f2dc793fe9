// Package payoutrequests creates, upserts and reads Rebilly payout requests: a customer's
// request to be paid, which a merchant later fulfils with one or more payouts.
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
package payoutrequests
