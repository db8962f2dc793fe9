// Package payouts creates and reads Rebilly payouts: credit transactions that send money to
// a customer. To pay a payout request, prefer the allocation flow (package allocations),
// which Rebilly recommends; [CreateParams.PayoutRequestID] is deprecated.
//
// Use it through the Payouts field of a rebilly.Client:
//
//	tx, err := client.Payouts.Create(ctx, payouts.CreateParams{...})
//	tx, err = client.Payouts.WaitForResult(ctx, tx.ID)
//	if err == nil && tx.Result == payouts.ResultApproved { /* paid */ }
//
// # Paid means final and approved
//
// Rebilly answers 201 to a payout even when nothing is decided yet: a slow gateway gives
// result unknown and status timeout, and Rebilly settles it later. [IsFinal] says whether a
// transaction's result is final; [Service.WaitForResult] polls [Service.Get] until it is; a
// handler from [NewNotificationHandler] takes the notification Rebilly sends to the
// notificationUrl made by [NotificationURL], and confirms it with a GET.
//
// # Exactly once
//
// Every Create carries a requestId, Rebilly's de-duplication key: a second request with the
// same requestId within 24 hours creates nothing. Create uses the RequestID you give, or
// generates one per call, and sends the same one on every retry, so its own retries can never
// pay twice. To be safe across crashes and restarts too, give each payout the requestId
// [RequestIDFor](yourPayoutKey) and repeat Create with it until you get an answer. After the
// 24-hour window, find the payout from what you kept (the transaction id of a result, or a
// payout request's allocations, which carry transactionId) instead of repeating Create.
package payouts
