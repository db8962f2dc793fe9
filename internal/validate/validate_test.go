package validate

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/money"
)

func TestFieldsCollectsEveryProblemInOrder(t *testing.T) {
	var f Fields
	f.ID("websiteId", "", Required)
	f.ID("customerId", "../etc", Required)
	f.Currency("currency", "usd")
	f.PositiveAmount("amount", money.MustParse("0"))
	f.RequestID("requestId", "a b")
	f.URL("redirectUrl", "ftp://x", "{id}")
	f.Text("description", "x\x01", 0)
	err := f.Err("POST /payouts")
	var ipe *errs.InvalidParamsError
	if !errors.As(err, &ipe) || !errors.Is(err, errs.ErrInvalidParams) {
		t.Fatalf("err = %v", err)
	}
	var names []string
	for _, fe := range ipe.InvalidFields {
		names = append(names, fe.Field)
		if !strings.Contains(err.Error(), fe.Field+": "+fe.Message) {
			t.Errorf("message lacks %s", fe.Field)
		}
	}
	want := []string{"websiteId", "customerId", "currency", "amount", "requestId", "redirectUrl", "description"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("fields = %v, want %v", names, want)
	}
}

func TestNoProblemsIsNil(t *testing.T) {
	var f Fields
	f.ID("id", "pout_req_1", Required)
	f.Currency("currency", "USD")
	f.PositiveAmount("amount", money.MustParse("0.01"))
	f.RequestID("requestId", "")
	f.URL("u", "")
	if err := f.Err("op"); err != nil {
		t.Fatalf("err = %v", err)
	}
}

func TestMessagesNeverEchoControlBytes(t *testing.T) {
	for _, v := range []string{"a\x1bb", "a\nb", "\xff"} {
		if msg := IDProblem(v); strings.ContainsAny(msg, "\x1b\n") || strings.Contains(msg, "\xff") {
			t.Errorf("IDProblem(%q) echoes the byte: %q", v, msg)
		}
	}
}

func TestPositiveAmount(t *testing.T) {
	max := money.MustParse("1.7976931348623157e308")
	underflow := money.MustParse("2.5e-324").Sub(money.MustParse("2.48e-324")) // 2e-326
	const double = " cannot be sent exactly: Rebilly carries amounts as double-precision numbers, "
	tests := []struct {
		field string
		a     money.Amount
		want  string // the whole message, "" when the amount passes
	}{
		{"amount", money.MustParse("10.50"), ""},
		{"amount", money.MustParse("0.1"), ""},
		{"amount", money.MustParse("1e-7"), ""},
		{"amount", money.MustParse("123456789.12"), ""},
		{"amount", money.MustParse("9007199254740992"), ""},
		{"amount", max, ""},
		{"amount", money.MustParse("5e-324"), ""},
		{"amount", money.FromMinorUnits(1050, 2), ""},

		{"amount", money.Amount{}, "is required"},
		{"amount", money.MustParse("0.00"), "must be greater than 0, got 0.00"},
		{"amount", money.MustParse("-9007199254740993"), "must be greater than 0, got -9007199254740993"},
		{"amount", money.MustParse("9007199254740993"), "9007199254740993" + double + "which would change it to 9007199254740992"},
		{"payout.amount", money.MustParse("0.30000000000000000001"), "0.30000000000000000001" + double + "which would change it to 0.3"},
		{"amount", money.MustParse("12345678901234567.89"), "12345678901234567.89" + double + "which would change it to 12345678901234568"},
		{"amount", money.MustParse("4.9e-324"), "4.9e-324" + double + "which would change it to 5e-324"},
		{"amount", underflow, underflow.String() + double + "which would change it to 0"},
		{"amount", max.Add(max), max.Add(max).String() + double + "and it is beyond their range"},
	}
	for _, tc := range tests {
		var f Fields
		f.PositiveAmount(tc.field, tc.a)
		err := f.Err("POST /payouts")
		if tc.want == "" {
			if err != nil {
				t.Errorf("PositiveAmount(%q, %s) = %v, want no problem", tc.field, tc.a, err)
			}
			continue
		}
		var ipe *errs.InvalidParamsError
		if !errors.As(err, &ipe) || len(ipe.InvalidFields) != 1 {
			t.Fatalf("PositiveAmount(%q, %.40s) = %v, want one invalid field", tc.field, tc.a, err)
		}
		if got := ipe.InvalidFields[0]; got.Field != tc.field || got.Message != tc.want {
			t.Errorf("PositiveAmount(%q, %.40s) = %q: %q\nwant %q: %q", tc.field, tc.a, got.Field, got.Message, tc.field, tc.want)
		}
		if !strings.Contains(err.Error(), tc.field+": "+tc.want) {
			t.Errorf("error %q does not name the field %q with its message", err, tc.field)
		}
	}
}
