// Package payouts creates Rebilly payouts: credit transactions that send money to a customer,
// optionally allocated in full to a payout request.
//
// Use it through rebilly.Client.Payouts:
//
//	tx, err := client.Payouts.Create(ctx, payouts.CreateParams{...})
//
// # Exactly once
//
// Every Create carries a requestId, Rebilly's de-duplication key: a second request with the
// same requestId within 24 hours creates nothing. Create uses the RequestID you give, or
// generates one per call, and sends the same one on every retry, so its own retries can never
// pay twice. To be safe across crashes and restarts too, give each payout the requestId
// RequestIDFor(yourPayoutKey) and repeat Create with it until you get an answer.
package payouts
