package payoutrequests_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
)

func TestFilterText(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		name  string
		conds []payoutrequests.Condition
		want  string
	}{
		{"nothing", nil, ""},
		{"ids", []payoutrequests.Condition{payoutrequests.IDIn("pr_1", "a@b~c-d.e_F9")}, "id:pr_1,a@b~c-d.e_F9"},
		{"customer, website, batch", []payoutrequests.Condition{payoutrequests.CustomerIDIn("cus_1"), payoutrequests.WebsiteIDIn("web_1"), payoutrequests.BatchIDIn("b-1")},
			"customerId:cus_1;websiteId:web_1;batchId:b-1"},
		{"statuses", []payoutrequests.Condition{payoutrequests.StatusIn(payoutrequests.StatusPending, payoutrequests.StatusInProgress)}, "status:pending,in-progress"},
		{"an unknown status is a word too", []payoutrequests.Condition{payoutrequests.StatusIn("on_hold")}, "status:on_hold"},
		{"not", []payoutrequests.Condition{payoutrequests.Not(payoutrequests.StatusIn(payoutrequests.StatusCanceled, payoutrequests.StatusFulfilled))}, "status:!canceled,fulfilled"},
		{"reasons", []payoutrequests.Condition{payoutrequests.BlockReasonIn("risk-review"), payoutrequests.SplitReasonIn("processor-limit")}, "blockReason:risk-review;splitReason:processor-limit"},
		{"currency and blocked", []payoutrequests.Condition{payoutrequests.CurrencyIn("USD", "EUR"), payoutrequests.BlockedIs(false)}, "currency:USD,EUR;blocked:false"},
		{"amount range", []payoutrequests.Condition{payoutrequests.AmountBetween(money.MustParse("10.50"), money.MustParse("100"))}, "amount:10.50..100"},
		{"amount at least", []payoutrequests.Condition{payoutrequests.AmountBetween(money.MustParse("10"), money.Amount{})}, "amount:10.."},
		{"amount at most", []payoutrequests.Condition{payoutrequests.AmountBetween(money.Amount{}, money.MustParse("-0.5"))}, "amount:..-0.5"},
		{"created, in UTC", []payoutrequests.Condition{payoutrequests.CreatedBetween(at.In(paris), at.Add(time.Hour))}, "createdTime:2026-01-02T03:04:05Z..2026-01-02T04:04:05Z"},
		{"created, rounded inward", []payoutrequests.Condition{payoutrequests.CreatedBetween(at.Add(time.Millisecond), at.Add(2*time.Second-time.Nanosecond))}, "createdTime:2026-01-02T03:04:06Z..2026-01-02T03:04:06Z"},
		{"updated since", []payoutrequests.Condition{payoutrequests.UpdatedBetween(at, time.Time{})}, "updatedTime:2026-01-02T03:04:05Z.."},
		{"updated until", []payoutrequests.Condition{payoutrequests.UpdatedBetween(time.Time{}, at)}, "updatedTime:..2026-01-02T03:04:05Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := payoutrequests.FilterText(tt.conds...)
			if err != nil || got != tt.want {
				t.Errorf("FilterText = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestFilterRefusesWhatTheSyntaxCannotCarry: Rebilly's filter syntax has no documented
// escape, so a value with its characters is refused, naming the field.
func TestFilterRefusesWhatTheSyntaxCannotCarry(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name  string
		cond  payoutrequests.Condition
		field string
		msg   string
	}{
		{"the zero Condition", payoutrequests.Condition{}, "filter", "zero value"},
		{"no ids", payoutrequests.CustomerIDIn(), "filter.customerId", "at least one"},
		{"an id with ;", payoutrequests.CustomerIDIn("cus_1;status:x"), "filter.customerId", "';'"},
		{"an id with ,", payoutrequests.IDIn("a,b"), "filter.id", "','"},
		{"an id with :", payoutrequests.WebsiteIDIn("a:b"), "filter.websiteId", "':'"},
		{"an id starting with @", payoutrequests.CustomerIDIn("@vips"), "filter.customerId", "saved list"},
		{"an id with ..", payoutrequests.BatchIDIn("a..z"), "filter.batchId", "range"},
		{"an id starting with !", payoutrequests.IDIn("!x"), "filter.id", "'!'"},
		{"an empty id", payoutrequests.IDIn(""), "filter.id", "empty"},
		{"a status with a comma", payoutrequests.StatusIn("pending,ready"), "filter.status", `","`},
		{"a status with a space", payoutrequests.StatusIn("in progress"), "filter.status", `" "`},
		{"an empty status", payoutrequests.StatusIn(""), "filter.status", "empty"},
		{"no status", payoutrequests.StatusIn(), "filter.status", "at least one"},
		{"a lower-case currency", payoutrequests.CurrencyIn("usd"), "filter.currency", "ISO 4217"},
		{"no currency", payoutrequests.CurrencyIn(), "filter.currency", "at least one"},
		{"an open amount range", payoutrequests.AmountBetween(money.Amount{}, money.Amount{}), "filter.amount", "minimum, a maximum or both"},
		{"an amount range upside down", payoutrequests.AmountBetween(money.MustParse("2"), money.MustParse("1")), "filter.amount", "above maximum"},
		{"an amount with an exponent", payoutrequests.AmountBetween(money.MustParse("1e3"), money.Amount{}), "filter.amount", "exponent"},
		{"an open time range", payoutrequests.CreatedBetween(time.Time{}, time.Time{}), "filter.createdTime", "start, an end or both"},
		{"a time range upside down", payoutrequests.UpdatedBetween(at, at.Add(-time.Second)), "filter.updatedTime", "empty"},
		{"a time range within one second", payoutrequests.CreatedBetween(at.Add(time.Millisecond), at.Add(999*time.Millisecond)), "filter.createdTime", "empty"},
		{"not a range", payoutrequests.Not(payoutrequests.AmountBetween(money.MustParse("1"), money.Amount{})), "filter.amount", "cannot be negated"},
		{"not twice", payoutrequests.Not(payoutrequests.Not(payoutrequests.BlockedIs(true))), "filter.blocked", "negated twice"},
		{"not of nothing", payoutrequests.Not(payoutrequests.Condition{}), "filter", "zero value"},
		{"not of a bad one", payoutrequests.Not(payoutrequests.IDIn("a;b")), "filter.id", "';'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := payoutrequests.FilterText(payoutrequests.StatusIn("pending"), tt.cond)
			fields := rebilly.FieldErrors(err)
			if !errors.Is(err, rebilly.ErrInvalidParams) || len(fields) != 1 || fields[0].Field != tt.field || !strings.Contains(fields[0].Message, tt.msg) {
				t.Errorf("FilterText = %q, %v; want one problem with %s mentioning %s", got, err, tt.field, tt.msg)
			}
		})
	}
}
