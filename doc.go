// Package rebilly is a Go client for Rebilly's payouts API: payout requests (a customer asks
// to be paid) and payouts (credit transactions that pay them).
//
// Create one client per organization and share it between goroutines:
//
//	client, err := rebilly.NewClient(
//		rebilly.WithAPIKey(os.Getenv("REBILLY_API_KEY")),
//		rebilly.WithOrganizationID(os.Getenv("REBILLY_ORGANIZATION_ID")),
//		// rebilly.WithEnvironment(rebilly.Production), // the default is Sandbox
//	)
//
// Then call the services:
//
//	pr, err := client.PayoutRequests.Create(ctx, payoutrequests.CreateParams{...}) // POST /payout-requests
//	pr, err = client.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams{...}) // PUT /payout-requests/{id}
//	pr, err = client.PayoutRequests.Get(ctx, id)                                     // GET /payout-requests/{id}
//	tx, err := client.Payouts.Create(ctx, payouts.CreateParams{...})                 // POST /payouts
//
// # Money
//
// Amounts are money.Amount values: exact decimals in major units that never pass through
// float64. Build them with money.Parse("10.50") or money.FromMinorUnits(1050, 2).
//
// # Errors
//
// Parameters are checked before anything is sent; a bad one yields an *InvalidParamsError
// (ErrInvalidParams) naming every bad field. A non-2xx answer is an *APIError that matches
// the sentinel of its status with errors.Is: ErrUnauthorized, ErrForbidden, ErrNotFound,
// ErrConflict, ErrValidation, ErrRateLimited, ErrServer.
//
// # Retries that cannot pay twice
//
// Calls are retried with exponential backoff and jitter (WithMaxRetries, WithRetryWait), and
// Rebilly's X-RateLimit-Retry-After and the standard Retry-After are obeyed (capped by
// WithMaxServerWait). Only calls that cannot take effect twice are repeated:
//   - GET and PUT (Get, Upsert) are repeated after any transient failure.
//   - POST /payouts (Payouts.Create) always carries a requestId, the same on every attempt,
//     which Rebilly de-duplicates for 24 hours; it is repeated like GET and PUT. A 409 to a
//     repeated attempt means an earlier one went through: *DuplicateRequestError.
//   - POST /payout-requests (PayoutRequests.Create) has no idempotency key: it is repeated
//     only when Rebilly provably did nothing (no connection, 429, 503). Any other failure
//     after sending is an *OutcomeUnknownError (ErrOutcomeUnknown). Use Upsert with
//     payoutrequests.IDFor(yourKey) to create payout requests exactly once.
//
// The context passed to each call bounds the whole call, retries included; WithAttemptTimeout bounds
// each attempt.
package rebilly
