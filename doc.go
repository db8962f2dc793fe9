// Package rebilly is a Go client for Rebilly's payouts API: payout requests (a customer asks
// to be paid), allocations (the way Rebilly recommends paying them) and payouts (credit
// transactions that move the money).
//
// Create one client per organization with [NewClient] and share it between goroutines:
//
//	client, err := rebilly.NewClient(
//		rebilly.WithAPIKey(os.Getenv("REBILLY_API_KEY")),
//		rebilly.WithOrganizationID(os.Getenv("REBILLY_ORGANIZATION_ID")),
//		// rebilly.WithEnvironment(rebilly.Production), // the default is Sandbox
//	)
//
// Then call the services, [Client.PayoutRequests] ([payoutrequests.Service]),
// [Client.Allocations] ([allocations.Service]) and [Client.Payouts] ([payouts.Service]):
//
//	id, err := payoutrequests.IDFor(withdrawalID) // the same id on every run: exactly once
//	pr, err := client.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams{...})
//	paid, err := client.Allocations.PayInFull(ctx, pr.ID, allocations.PayParams{...})
//	tx, err := client.Payouts.Get(ctx, paid[0].TransactionID)
//
// A payout is paid only when its result is final and approved: a 201 to
// [payouts.Service.Create] is not "paid". Wait with [payouts.Service.WaitForResult] or
// [allocations.Service.WaitForResult], or take Rebilly's notification with
// [payouts.NewNotificationHandler].
//
// # Money
//
// Amounts are [money.Amount] values: exact decimals in major units that never pass through
// float64. Build them with [money.Parse] or [money.FromMinorUnits].
//
// # Outcomes and errors
//
// Every call ends in exactly one outcome ([Outcome], [OutcomeOf]): not applied (safe to fix
// and send again: [ErrNotApplied]), applied (it took effect: [ErrApplied]) or unknown (it
// may have taken effect; the error's Recovery says how to settle it: [ErrOutcomeUnknown]).
// Parameters are checked before anything is sent ([ErrInvalidParams], [FieldErrors]); a
// refusal is an [*APIError] whose status sentinel ([ErrValidation], [ErrNotFound], …)
// matches only errors whose outcome is not applied.
//
// # Retries that cannot pay twice
//
// Calls are retried with exponential backoff and jitter ([WithMaxRetries], [WithRetryWait]),
// and Rebilly's X-RateLimit-Retry-After and the standard Retry-After are obeyed, up to
// [WithMaxServerWait]. Only calls that cannot take effect twice are repeated, and no
// transport underneath can replay one on its own:
//   - reads, PUT and POST /payout-request-allocations/process are repeated after any
//     transient failure;
//   - POST /payouts always carries a requestId, the same on every attempt, which Rebilly
//     de-duplicates for 24 hours; a 409 after an attempt that may have gone through is a
//     [*DuplicateRequestError] (applied);
//   - POST /payout-requests and the allocation creates have no idempotency key: they are
//     repeated only when Rebilly provably did nothing (never written, 429, 503); any other
//     failure after sending is an [*OutcomeUnknownError].
//
// The context passed to each call bounds the whole call, retries included: a per-call
// timeout is its deadline. [WithAttemptTimeout] bounds each attempt, answer included.
// [WithAttemptObserver] sees every attempt, for metrics and traces.
package rebilly
