// Package allocations pays payout requests the way Rebilly recommends: an allocation assigns
// part of a payout request's amount to an instrument and gateway account, and processing it
// creates the payout transaction. Rebilly marks these operations Experimental; this package
// holds them to the same outcome model as the rest of the SDK.
//
// Use it through the Allocations field of a rebilly.Client. The whole job, exactly once
// even across restarts, is one call:
//
//	final, err := client.Allocations.PayInFull(ctx, payoutRequestID, allocations.PayParams{
//		PaymentInstrumentID: instrumentID, GatewayAccountID: gatewayAccountID,
//	})
//
// Or step by step: [Service.Create] (or [Service.AutoAllocate]), [Service.Process],
// [Service.WaitForResult]. Create and AutoAllocate have no idempotency key: after an
// unknown outcome, read the payout request's allocations (payoutrequests.Service.Get) before
// allocating again. Process only acts on pending allocations, so it is safe to repeat.
//
// [Service.List] reads one page of the allocations of every payout request and
// [Service.All] goes through all that match, past Rebilly's offset cap: they page exactly as
// payoutrequests.Service.List and payoutrequests.Service.All do, with conditions on the
// allocation's fields ([PayoutRequestIDIn], [StatusIn], [CreatedBetween]...).
package allocations
