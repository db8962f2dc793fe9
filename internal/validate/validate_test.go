package validate

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/paysdk/rebilly/internal/errs"
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
