package allocations

import (
	"time"

	"github.com/paysdk/rebilly/internal/paging"
	"github.com/paysdk/rebilly/money"
)

// Condition is one condition of a list's filter: a field of the allocation and the values,
// or the range, it must match. Build conditions with [PayoutRequestIDIn], [StatusIn],
// [PaymentInstrumentIDIn], [GatewayAccountIDIn], [TransactionIDIn], [BatchIDIn], [IDIn],
// [CurrencyIn], [AmountBetween], [CreatedBetween], [UpdatedBetween] and [Not], and give them
// to ListParams.Where. The zero Condition is not valid.
//
// Rebilly lists no filterable fields for GET /payout-request-allocations (it does for payout
// requests); these are the fields of its allocation that the filter syntax can carry, named
// as Rebilly names them. Rebilly may refuse a field it does not filter on, with a 422
// (rebilly.ErrValidation) naming filter.
//
// The values are checked and written exactly as payoutrequests.Condition's are: Rebilly's
// filter syntax has no escape, so a value with ",", ";", ":", "..", a leading "!" or "@" (or
// that is not a plain id, status, currency code or decimal) is refused before anything is
// sent, with an error matching rebilly.ErrInvalidParams that names the field.
type Condition struct{ c paging.Condition }

// PayoutRequestIDIn matches the allocations of any of the given payout requests.
func PayoutRequestIDIn(ids ...string) Condition {
	return Condition{paging.IDs("payoutRequestId", ids)}
}

// StatusIn matches the allocations in any of the given statuses, such as
// StatusIn(StatusPending, StatusQueued).
func StatusIn(statuses ...Status) Condition { return Condition{paging.Words("status", statuses)} }

// PaymentInstrumentIDIn matches the allocations paid to any of the given payment instruments.
func PaymentInstrumentIDIn(ids ...string) Condition {
	return Condition{paging.IDs("paymentInstrumentId", ids)}
}

// GatewayAccountIDIn matches the allocations paid through any of the given gateway accounts.
func GatewayAccountIDIn(ids ...string) Condition {
	return Condition{paging.IDs("gatewayAccountId", ids)}
}

// TransactionIDIn matches the allocations whose processing created any of the given
// transactions.
func TransactionIDIn(ids ...string) Condition {
	return Condition{paging.IDs("transactionId", ids)}
}

// BatchIDIn matches the allocations of the payout requests of any of the given batches.
func BatchIDIn(ids ...string) Condition { return Condition{paging.IDs("batchId", ids)} }

// IDIn matches the allocations whose id is one of ids.
func IDIn(ids ...string) Condition { return Condition{paging.IDs("id", ids)} }

// CurrencyIn matches the allocations in any of the given currencies (ISO 4217 codes such as
// "USD").
func CurrencyIn(codes ...string) Condition { return Condition{paging.Currencies("currency", codes)} }

// AmountBetween matches the allocations whose amount lies in [min, max], both included. A
// zero Amount (money.Amount{}) leaves that end open. Amounts are sent as plain decimals; one
// written with an exponent (1e3) is refused.
func AmountBetween(min, max money.Amount) Condition {
	return Condition{paging.Amounts("amount", min, max)}
}

// CreatedBetween matches the allocations created in [from, to], both included. A zero time
// leaves that end open. Rebilly keeps times to the second, so from is rounded up and to down
// to whole seconds, in UTC: the range never takes in an allocation outside it.
//
// All pages on createdTime; it keeps to this range as it does.
func CreatedBetween(from, to time.Time) Condition {
	return Condition{paging.Times(paging.FieldCreatedTime, from, to)}
}

// UpdatedBetween matches the allocations last updated in [from, to], both included, with the
// same rules as [CreatedBetween].
func UpdatedBetween(from, to time.Time) Condition {
	return Condition{paging.Times("updatedTime", from, to)}
}

// Not matches the allocations that c does not match: Not(StatusIn(StatusCanceled)). Rebilly
// documents negation for lists of values, so Not of a range (AmountBetween, CreatedBetween,
// UpdatedBetween) is refused, and so is Not(Not(c)).
func Not(c Condition) Condition { return Condition{paging.Not(c.c)} }

// FilterText returns the filter the conditions make, in Rebilly's syntax, as List and All
// send it ("payoutRequestId:pr_1;status:pending"), or an error matching
// rebilly.ErrInvalidParams naming each condition that cannot be sent.
func FilterText(conditions ...Condition) (string, error) {
	return paging.Text("allocations.FilterText", paging.Unwrap(conditions, Condition.shared))
}

// shared is the condition as package paging builds filters from it.
func (c Condition) shared() paging.Condition { return c.c }
