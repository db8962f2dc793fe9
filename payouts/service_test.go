package payouts_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/internal/sdktest"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
)

const (
	base     = "https://rebilly.test"
	endpoint = base + "/organizations/org_1/payouts"
)

func setup(t *testing.T) (*rebilly.Client, *httpmock.MockTransport) {
	t.Helper()
	return sdktest.Client(t, nil)
}

func validParams() payouts.CreateParams {
	return payouts.CreateParams{
		WebsiteID:  "web_1",
		CustomerID: "cus_1",
		Currency:   "USD",
		Amount:     money.MustParse("1234567.89"),
	}
}

const txBody = `{"id":"txn_1","type":"credit","status":"completed","result":"approved","amount":12345678901234567.89,"currency":"USD","customerId":"cus_1","websiteId":"web_1","requestId":"%s"}`

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestCreateSendsTheWholeRequest(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := testutil.Register(mt, http.MethodPost, endpoint, func(req *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(201, strings.Replace(txBody, "%s", "merchant-key-1", 1)), nil
	})
	p := validParams()
	p.RequestID = "merchant-key-1"
	p.PayoutRequestID = "pout_req_1"
	p.Description = "Withdrawal #1"
	p.InvoiceIDs = []string{"inv_1"}
	p.RedirectURL = "https://shop.example/done?tx={id}&r={result}"
	p.NotificationURL = "https://shop.example/hook/{id}"
	p.CustomFields = map[string]any{"ledger": "L-1"}
	p.IsMerchantInitiated = true

	tx, err := c.Payouts.Create(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	if got := reqs[0].Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := reqs[0].Header.Get("REB-APIKEY"); got != "sk_test" {
		t.Errorf("REB-APIKEY = %q", got)
	}
	want := `{"amount":1234567.89,"currency":"USD","customFields":{"ledger":"L-1"},"customerId":"cus_1","description":"Withdrawal #1","invoiceIds":["inv_1"],"isMerchantInitiated":true,"notificationUrl":"https://shop.example/hook/{id}","payoutRequestId":"pout_req_1","redirectUrl":"https://shop.example/done?tx={id}\u0026r={result}","requestId":"merchant-key-1","websiteId":"web_1"}`
	if got := string(reqs[0].Body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(string(reqs[0].Body), "{id}") || strings.Contains(string(reqs[0].Body), "%7B") {
		t.Errorf("placeholders did not arrive unescaped: %s", reqs[0].Body)
	}
	if tx.ID != "txn_1" || tx.Amount.String() != "12345678901234567.89" {
		t.Errorf("result not decoded exactly: %+v", tx)
	}
	if tx.RequestID != "merchant-key-1" {
		t.Errorf("RequestID = %v", tx.RequestID)
	}
}

func TestCreateGeneratesARequestIDPerCall(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := testutil.Register(mt, http.MethodPost, endpoint, httpmock.NewStringResponder(201, `{"id":"txn_1"}`))
	var ids []string
	for range 2 {
		tx, err := c.Payouts.Create(context.Background(), validParams())
		if err != nil {
			t.Fatal(err)
		}
		if !uuidPattern.MatchString(tx.RequestID) {
			t.Fatalf("result RequestID = %v, want a UUID", tx.RequestID)
		}
		ids = append(ids, tx.RequestID)
	}
	if ids[0] == ids[1] {
		t.Fatal("two calls shared a requestId")
	}
	for i, r := range rec.Requests() {
		if got := testutil.JSON(t, r.Body)["requestId"]; got != ids[i] {
			t.Errorf("request %d carried requestId %v, result says %s", i, got, ids[i])
		}
	}
}

func TestCreateValidatesBeforeSending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(*payouts.CreateParams)
		fields []string
	}{
		{"zero value", func(p *payouts.CreateParams) { *p = payouts.CreateParams{} }, []string{"websiteId", "customerId", "currency", "amount"}},
		{"lower-case currency", func(p *payouts.CreateParams) { p.Currency = "usd" }, []string{"currency"}},
		{"four-letter currency", func(p *payouts.CreateParams) { p.Currency = "USDT" }, []string{"currency"}},
		{"zero amount", func(p *payouts.CreateParams) { p.Amount = money.MustParse("0.00") }, []string{"amount"}},
		{"negative amount", func(p *payouts.CreateParams) { p.Amount = money.MustParse("-1") }, []string{"amount"}},
		{"request id too long", func(p *payouts.CreateParams) { p.RequestID = strings.Repeat("a", 51) }, []string{"requestId"}},
		{"request id with a dot", func(p *payouts.CreateParams) { p.RequestID = "a.b" }, []string{"requestId"}},
		{"customer id with a slash", func(p *payouts.CreateParams) { p.CustomerID = "../x" }, []string{"customerId"}},
		{"payout request id dot-dot", func(p *payouts.CreateParams) { p.PayoutRequestID = ".." }, []string{"payoutRequestId"}},
		{"description too long", func(p *payouts.CreateParams) { p.Description = strings.Repeat("é", 256) }, []string{"description"}},
		{"description not UTF-8", func(p *payouts.CreateParams) { p.Description = "bad \xff" }, []string{"description"}},
		{"description with NUL", func(p *payouts.CreateParams) { p.Description = "a\x00b" }, []string{"description"}},
		{"relative redirect URL", func(p *payouts.CreateParams) { p.RedirectURL = "/done" }, []string{"redirectUrl"}},
		{"javascript notification URL", func(p *payouts.CreateParams) { p.NotificationURL = "javascript:alert(1)" }, []string{"notificationUrl"}},
		{"wrong placeholder", func(p *payouts.CreateParams) { p.RedirectURL = "https://x.example/?id={{id}}" }, []string{"redirectUrl"}},
		{"empty invoice id", func(p *payouts.CreateParams) { p.InvoiceIDs = []string{"inv_1", ""} }, []string{"invoiceIds[1]"}},
		{"several at once", func(p *payouts.CreateParams) { p.Currency = ""; p.RequestID = "x y" }, []string{"currency", "requestId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			rec := testutil.Register(mt, http.MethodPost, endpoint, httpmock.NewStringResponder(201, `{}`))
			p := validParams()
			tt.mutate(&p)
			_, err := c.Payouts.Create(context.Background(), p)
			if !errors.Is(err, rebilly.ErrInvalidParams) {
				t.Fatalf("err = %v, want ErrInvalidParams", err)
			}
			var ipe *rebilly.InvalidParamsError
			if !errors.As(err, &ipe) {
				t.Fatalf("err is %T", err)
			}
			var got []string
			for _, f := range ipe.InvalidFields {
				got = append(got, f.Field)
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.fields, err)
			}
			if rec.Count() != 0 || mt.GetTotalCallCount() != 0 {
				t.Errorf("a request was sent")
			}
		})
	}
}

func TestCreateMapsStatusesToErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   int
		body     string
		sentinel error
		attempts int
	}{
		{401, `{"title":"Unauthorized","status":401}`, rebilly.ErrUnauthorized, 1},
		{403, `{"title":"Forbidden","status":403}`, rebilly.ErrForbidden, 1},
		{404, `{"title":"Not found","status":404}`, rebilly.ErrNotFound, 1},
		{409, `{"title":"Conflict","status":409}`, rebilly.ErrDuplicateRequest, 1}, // the caller chose the requestId
		{422, `{"title":"Invalid data","status":422,"invalidFields":[{"field":"amount","message":"too big"}]}`, rebilly.ErrValidation, 1},
		{429, `{"title":"Too many requests","status":429}`, rebilly.ErrRateLimited, 4},
		{500, `{"title":"Oops","status":500}`, rebilly.ErrOutcomeUnknown, 4},
		{502, `<html><body>Bad gateway</body></html>`, rebilly.ErrOutcomeUnknown, 4},
		{501, `{"title":"Not implemented"}`, rebilly.ErrServer, 1},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			c, mt := setup(t)
			rec := testutil.Register(mt, http.MethodPost, endpoint, httpmock.NewStringResponder(tt.status, tt.body))
			p := validParams()
			p.RequestID = "key-1"
			_, err := c.Payouts.Create(context.Background(), p)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			apiErr := answerOf(err)
			if apiErr == nil {
				t.Fatalf("err %T carries no *APIError", err)
			}
			if apiErr.StatusCode != tt.status || apiErr.RequestID != "key-1" || string(apiErr.Body) != tt.body {
				t.Errorf("APIError = %+v", apiErr)
			}
			if !strings.Contains(err.Error(), "key-1") {
				t.Errorf("error does not name the requestId: %v", err)
			}
			if rec.Count() != tt.attempts {
				t.Errorf("%d attempts, want %d", rec.Count(), tt.attempts)
			}
			if tt.status == 422 && (len(apiErr.InvalidFields) != 1 || apiErr.InvalidFields[0].Field != "amount") {
				t.Errorf("InvalidFields = %+v", apiErr.InvalidFields)
			}
		})
	}
}

func TestURLWithPlaceholders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, idParam, resultParam, want string
	}{
		{"https://shop.example/payout", "tx", "result", "https://shop.example/payout?tx={id}&result={result}"},
		{"https://shop.example/payout?from=app", "tx", "", "https://shop.example/payout?from=app&tx={id}"},
		{"https://shop.example/payout?", "", "r", "https://shop.example/payout?r={result}"},
		{"https://shop.example/payout#top", "tx", "", "https://shop.example/payout?tx={id}#top"},
		{"https://shop.example/p?a=1&", "my id", "", "https://shop.example/p?a=1&my+id={id}"},
	}
	for _, tt := range tests {
		got, err := payouts.URLWithPlaceholders(tt.raw, tt.idParam, tt.resultParam)
		if err != nil || got != tt.want {
			t.Errorf("URLWithPlaceholders(%q, %q, %q) = %q, %v; want %q", tt.raw, tt.idParam, tt.resultParam, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "/relative", "ftp://x/", "https://x/ y"} {
		if _, err := payouts.URLWithPlaceholders(bad, "tx", ""); !errors.Is(err, rebilly.ErrInvalidParams) {
			t.Errorf("URLWithPlaceholders(%q): err = %v, want ErrInvalidParams", bad, err)
		}
	}
}

func TestRequestIDFor(t *testing.T) {
	t.Parallel()
	a, err := payouts.RequestIDFor("withdrawal-42")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := payouts.RequestIDFor("withdrawal-42")
	other, _ := payouts.RequestIDFor("withdrawal-43")
	if a != again {
		t.Errorf("not deterministic: %s then %s", a, again)
	}
	if a == other {
		t.Errorf("two keys share requestId %s", a)
	}
	if !uuidPattern.MatchString(a) || a[14] != '5' {
		t.Errorf("%s is not a version 5 UUID", a)
	}
	// Pinned: a changed namespace would give every stored key a new requestId.
	if a != pinnedRequestID {
		t.Errorf("RequestIDFor(withdrawal-42) = %s, want %s: the namespace changed", a, pinnedRequestID)
	}
	if _, err := payouts.RequestIDFor(""); !errors.Is(err, rebilly.ErrInvalidParams) {
		t.Errorf("empty key: err = %v", err)
	}
}

// pinnedRequestID is RequestIDFor("withdrawal-42") under the SDK's namespace, computed once.
const pinnedRequestID = "c228ca77-2f48-5629-9415-85b6df8f4e5b"

func TestCreateRejectsUnencodableCustomFields(t *testing.T) {
	t.Parallel()
	for name, value := range map[string]any{"channel": make(chan int), "function": func() {}} {
		t.Run(name, func(t *testing.T) {
			c, mt := setup(t)
			p := validParams()
			p.CustomFields = map[string]any{"bad": value}
			_, err := c.Payouts.Create(context.Background(), p)
			if !errors.Is(err, rebilly.ErrInvalidParams) || mt.GetTotalCallCount() != 0 {
				t.Fatalf("err = %v after %d calls", err, mt.GetTotalCallCount())
			}
		})
	}
}

// answerOf returns the answer an error carries: itself, or the last answer of an unknown
// outcome, or the 409 of a duplicate.
func answerOf(err error) *rebilly.APIError {
	var apiErr *rebilly.APIError
	var unknown *rebilly.OutcomeUnknownError
	var dup *rebilly.DuplicateRequestError
	switch {
	case errors.As(err, &unknown):
		return unknown.LastAnswer
	case errors.As(err, &dup):
		return dup.Answer
	case errors.As(err, &apiErr):
		return apiErr
	}
	return nil
}
