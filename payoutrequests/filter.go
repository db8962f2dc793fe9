package payoutrequests

import (
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/paging"
	"github.com/paysdk/rebilly/money"
)

// SplitReason says why a payout request was split.
type SplitReason = gen.PayoutRequestSplitReason

// Condition is one condition of a list's filter: a field of the payout request and the values,
// or the range, it must match. Build conditions with [IDIn], [CustomerIDIn], [WebsiteIDIn],
// [BatchIDIn], [StatusIn], [CurrencyIn], [BlockedIs], [BlockReasonIn], [SplitReasonIn],
// [AmountBetween], [CreatedBetween], [UpdatedBetween] and [Not], and give them to
// ListParams.Where. The zero Condition is not valid.
//
// Rebilly's filter syntax ("field:value", "," between the values of a field, ";" between
// fields, ".." in ranges, a leading "!" to negate, a leading "@" to name a saved list) has no
// documented way to escape those characters inside a value. So a condition never writes a
// value that contains them: ids are checked against Rebilly's id pattern, statuses and reasons
// must be plain words, currencies three upper-case letters, amounts plain decimals, and times
// are formatted by the SDK. A value that does not pass is refused before anything is sent
// (List and All return an error matching rebilly.ErrInvalidParams that names the field),
// never sent in a form Rebilly could read differently.
type Condition struct{ c paging.Condition }

// IDIn matches the payout requests whose id is one of ids.
func IDIn(ids ...string) Condition { return Condition{paging.IDs("id", ids)} }

// CustomerIDIn matches the payout requests of any of the given customers.
func CustomerIDIn(ids ...string) Condition { return Condition{paging.IDs("customerId", ids)} }

// WebsiteIDIn matches the payout requests of any of the given websites.
func WebsiteIDIn(ids ...string) Condition { return Condition{paging.IDs("websiteId", ids)} }

// BatchIDIn matches the payout requests of any of the given batches.
func BatchIDIn(ids ...string) Condition { return Condition{paging.IDs("batchId", ids)} }

// StatusIn matches the payout requests in any of the given statuses, such as
// StatusIn(StatusPending, StatusReady).
func StatusIn(statuses ...Status) Condition { return Condition{paging.Words("status", statuses)} }

// BlockReasonIn matches the payout requests blocked for any of the given reasons.
func BlockReasonIn(reasons ...BlockReason) Condition {
	return Condition{paging.Words("blockReason", reasons)}
}

// SplitReasonIn matches the payout requests split for any of the given reasons.
func SplitReasonIn(reasons ...SplitReason) Condition {
	return Condition{paging.Words("splitReason", reasons)}
}

// CurrencyIn matches the payout requests in any of the given currencies (ISO 4217 codes such
// as "USD").
func CurrencyIn(codes ...string) Condition { return Condition{paging.Currencies("currency", codes)} }

// BlockedIs matches the payout requests that are blocked (true) or not (false).
func BlockedIs(blocked bool) Condition { return Condition{paging.Bool("blocked", blocked)} }

// AmountBetween matches the payout requests whose amount lies in [min, max], both included.
// A zero Amount (money.Amount{}) leaves that end open: AmountBetween(money.MustParse("100"),
// money.Amount{}) is "at least 100". Amounts are sent as plain decimals; one written with an
// exponent (1e3) is refused.
func AmountBetween(min, max money.Amount) Condition {
	return Condition{paging.Amounts("amount", min, max)}
}

// CreatedBetween matches the payout requests created in [from, to], both included. A zero
// time leaves that end open. Rebilly keeps times to the second, so from is rounded up and to
// down to whole seconds, in UTC: the range never takes in a payout request outside it.
//
// All pages on createdTime; it keeps to this range as it does.
func CreatedBetween(from, to time.Time) Condition {
	return Condition{paging.Times(paging.FieldCreatedTime, from, to)}
}

// UpdatedBetween matches the payout requests last updated in [from, to], both included, with
// the same rules as [CreatedBetween].
func UpdatedBetween(from, to time.Time) Condition {
	return Condition{paging.Times("updatedTime", from, to)}
}

// Not matches the payout requests that c does not match: Not(StatusIn(StatusCanceled,
// StatusFulfilled)). Rebilly documents negation for lists of values, so Not of a range
// (AmountBetween, CreatedBetween, UpdatedBetween) is refused, and so is Not(Not(c)).
func Not(c Condition) Condition { return Condition{paging.Not(c.c)} }

// FilterText returns the filter the conditions make, in Rebilly's syntax, as List and All
// send it ("status:pending;customerId:cus_1"), or an error matching rebilly.ErrInvalidParams
// naming each condition that cannot be sent. Use it to log a filter, or to combine conditions
// with a hand-written ListParams.Filter.
func FilterText(conditions ...Condition) (string, error) {
	return paging.Text("payoutrequests.FilterText", paging.Unwrap(conditions, Condition.shared))
}

// shared is the condition as package paging builds filters from it.
func (c Condition) shared() paging.Condition { return c.c }
