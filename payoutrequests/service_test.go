package payoutrequests_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/internal/sdktest"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
)

const (
	base       = "https://rebilly.test"
	collection = base + "/organizations/org_1/payout-requests"
)

func setup(t *testing.T) (*rebilly.Client, *httpmock.MockTransport) {
	t.Helper()
	return sdktest.Client(t, rebilly.WithJWT("jwt.token.sig"))
}

func validParams() payoutrequests.CreateParams {
	return payoutrequests.CreateParams{
		WebsiteID:                            "web_1",
		CustomerID:                           "cus_1",
		Currency:                             "EUR",
		Amount:                               money.MustParse("150.10"),
		Description:                          "Withdrawal W-1",
		SelectedPaymentInstrumentRedirectURL: "https://shop.example/payouts/done?pr={{id}}",
	}
}

const prBody = `{"id":"pout_req_1","websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":150.10,"availableAmount":150.10,"status":"pending","selectPaymentInstrumentUrl":"https://portal.example/select/pout_req_1","selectedPaymentInstrumentRedirectUrl":"https://shop.example/payouts/done?pr={{id}}"}`

const wantBody = `{"amount":150.10,"currency":"EUR","customerId":"cus_1","description":"Withdrawal W-1","selectedPaymentInstrumentRedirectUrl":"https://shop.example/payouts/done?pr={{id}}","websiteId":"web_1"}`

func TestOperationsSendTheirRequest(t *testing.T) {
	tests := []struct {
		name, method, url, wantBody string
		status                      int
		call                        func(context.Context, *rebilly.Client) (*payoutrequests.PayoutRequest, error)
	}{
		{"Create", http.MethodPost, collection, wantBody, 201, func(ctx context.Context, c *rebilly.Client) (*payoutrequests.PayoutRequest, error) {
			return c.PayoutRequests.Create(ctx, validParams())
		}},
		{"Upsert created", http.MethodPut, collection + "/wd-42", wantBody, 201, func(ctx context.Context, c *rebilly.Client) (*payoutrequests.PayoutRequest, error) {
			return c.PayoutRequests.Upsert(ctx, "wd-42", payoutrequests.UpsertParams(validParams()))
		}},
		{"Upsert updated", http.MethodPut, collection + "/wd-42", wantBody, 200, func(ctx context.Context, c *rebilly.Client) (*payoutrequests.PayoutRequest, error) {
			return c.PayoutRequests.Upsert(ctx, "wd-42", payoutrequests.UpsertParams(validParams()))
		}},
		{"Get", http.MethodGet, collection + "/pout_req_1", "", 200, func(ctx context.Context, c *rebilly.Client) (*payoutrequests.PayoutRequest, error) {
			return c.PayoutRequests.Get(ctx, "pout_req_1")
		}},
		{"Get with an id of every allowed character", http.MethodGet, collection + "/a@b~c-d.e_F9", "", 200, func(ctx context.Context, c *rebilly.Client) (*payoutrequests.PayoutRequest, error) {
			return c.PayoutRequests.Get(ctx, "a@b~c-d.e_F9")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			rec := testutil.Register(mt, tt.method, tt.url, httpmock.NewStringResponder(tt.status, prBody))
			pr, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			reqs := rec.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests to %s %s", len(reqs), tt.method, tt.url)
			}
			if got := string(reqs[0].Body); got != tt.wantBody {
				t.Errorf("body\n got %s\nwant %s", got, tt.wantBody)
			}
			if got := reqs[0].Header.Get("Authorization"); got != "Bearer jwt.token.sig" {
				t.Errorf("Authorization = %q", got)
			}
			if pr.ID != "pout_req_1" || pr.Amount.String() != "150.10" || pr.AvailableAmount.String() != "150.10" {
				t.Errorf("result = %+v", pr)
			}
			if pr.Status != payoutrequests.StatusPending {
				t.Errorf("status = %v", pr.Status)
			}
		})
	}
}

func TestUnknownStatusDecodes(t *testing.T) {
	c, mt := setup(t)
	testutil.Register(mt, http.MethodGet, collection+"/pr_1", httpmock.NewStringResponder(200, `{"id":"pr_1","status":"on-hold","amount":1}`))
	pr, err := c.PayoutRequests.Get(context.Background(), "pr_1")
	if err != nil {
		t.Fatal(err)
	}
	if pr.Status != "on-hold" {
		t.Errorf("status = %q", pr.Status)
	}
}

func TestValidationSendsNothing(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		mutate func(*payoutrequests.CreateParams)
		fields []string
	}{
		{"zero value", "ok", func(p *payoutrequests.CreateParams) { *p = payoutrequests.CreateParams{} }, []string{"websiteId", "customerId", "currency", "amount"}},
		{"id with a slash", "../x", nil, []string{"id"}},
		{"id dot-dot", "..", nil, []string{"id"}},
		{"id empty", "", nil, []string{"id"}},
		{"id too long", strings.Repeat("x", 51), nil, []string{"id"}},
		{"id with a space", "a b", nil, []string{"id"}},
		{"id with unicode", "wd-é", nil, []string{"id"}},
		{"redirect with {id}", "ok", func(p *payoutrequests.CreateParams) {
			p.SelectedPaymentInstrumentRedirectURL = "https://x.example/?pr={id}"
		}, []string{"selectedPaymentInstrumentRedirectUrl"}},
		{"redirect relative", "ok", func(p *payoutrequests.CreateParams) { p.SelectedPaymentInstrumentRedirectURL = "done?pr={{id}}" }, []string{"selectedPaymentInstrumentRedirectUrl"}},
		{"amount with more digits than allowed still exact", "ok", func(p *payoutrequests.CreateParams) { p.Amount = money.MustParse("-0.000001") }, []string{"amount"}},
		{"description with control character", "ok", func(p *payoutrequests.CreateParams) { p.Description = "bell\a" }, []string{"description"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			p := validParams()
			if tt.mutate != nil {
				tt.mutate(&p)
			}
			_, err := c.PayoutRequests.Upsert(context.Background(), tt.id, payoutrequests.UpsertParams(p))
			var ipe *rebilly.InvalidParamsError
			if !errors.As(err, &ipe) || !errors.Is(err, rebilly.ErrInvalidParams) {
				t.Fatalf("err = %v, want *InvalidParamsError", err)
			}
			var got []string
			for _, f := range ipe.InvalidFields {
				got = append(got, f.Field)
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.fields, err)
			}
			if tt.id != "ok" {
				if _, err := c.PayoutRequests.Get(context.Background(), tt.id); !errors.Is(err, rebilly.ErrInvalidParams) {
					t.Errorf("Get(%q): err = %v", tt.id, err)
				}
			}
			if mt.GetTotalCallCount() != 0 {
				t.Errorf("%d requests sent", mt.GetTotalCallCount())
			}
		})
	}
}

func TestErrorsAreTyped(t *testing.T) {
	tests := []struct {
		status   int
		body     string
		sentinel error
	}{
		{401, `{"title":"Unauthorized"}`, rebilly.ErrUnauthorized},
		{403, `{"title":"Forbidden"}`, rebilly.ErrForbidden},
		{404, `{"title":"Not found","detail":"PayoutRequest not found"}`, rebilly.ErrNotFound},
		{422, `{"title":"Invalid","invalidFields":[{"field":"currency","message":"bad"}]}`, rebilly.ErrValidation},
		{502, `<!doctype html><h1>502 Bad Gateway</h1>`, rebilly.ErrServer},
		{418, `not json at all`, nil},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			c, mt := setup(t)
			testutil.Register(mt, http.MethodGet, collection+"/pr_1", httpmock.NewStringResponder(tt.status, tt.body))
			_, err := c.PayoutRequests.Get(context.Background(), "pr_1")
			var apiErr *rebilly.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err %v (%T) is not an *APIError", err, err)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("err = %v, want %v", err, tt.sentinel)
			}
			if apiErr.StatusCode != tt.status || string(apiErr.Body) != tt.body || apiErr.Method != "GET" || apiErr.Path != "/payout-requests/{id}" {
				t.Errorf("APIError = %+v", apiErr)
			}
		})
	}
}

func TestRedirectURLWithID(t *testing.T) {
	tests := []struct{ raw, param, want string }{
		{"https://shop.example/done", "pr", "https://shop.example/done?pr={{id}}"},
		{"https://shop.example/done?from=app", "payoutRequest", "https://shop.example/done?from=app&payoutRequest={{id}}"},
		{"https://shop.example/done#frag", "pr", "https://shop.example/done?pr={{id}}#frag"},
	}
	for _, tt := range tests {
		got, err := payoutrequests.RedirectURLWithID(tt.raw, tt.param)
		if err != nil || got != tt.want {
			t.Errorf("RedirectURLWithID(%q, %q) = %q, %v; want %q", tt.raw, tt.param, got, err, tt.want)
		}
	}
	for _, bad := range []struct{ raw, param string }{{"", "pr"}, {"https://x/", ""}, {"mailto:a@b", "pr"}} {
		if _, err := payoutrequests.RedirectURLWithID(bad.raw, bad.param); !errors.Is(err, rebilly.ErrInvalidParams) {
			t.Errorf("RedirectURLWithID(%q, %q): err = %v", bad.raw, bad.param, err)
		}
	}
}

func TestIDFor(t *testing.T) {
	tests := []string{"withdrawal/2026/000123", "W-1", strings.Repeat("long key ", 40), "ключ", "..", "a"}
	seen := map[string]string{}
	for _, key := range tests {
		id, err := payoutrequests.IDFor(key)
		if err != nil {
			t.Fatalf("IDFor(%q): %v", key, err)
		}
		again, _ := payoutrequests.IDFor(key)
		if id != again {
			t.Errorf("IDFor(%q) not deterministic", key)
		}
		if len(id) > 50 || id == "." || id == ".." {
			t.Errorf("IDFor(%q) = %q is not a valid id", key, id)
		}
		for i := 0; i < len(id); i++ {
			if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@~-.", rune(id[i])) {
				t.Errorf("IDFor(%q) = %q has %q", key, id, id[i])
			}
		}
		if prev, dup := seen[id]; dup {
			t.Errorf("IDFor(%q) and IDFor(%q) collide", key, prev)
		}
		seen[id] = key
	}
	if id, _ := payoutrequests.IDFor("withdrawal/2026/000123"); !strings.HasPrefix(id, "withdrawal2026000123-") {
		t.Errorf("IDFor lost the readable prefix: %q", id)
	}
	if _, err := payoutrequests.IDFor(""); !errors.Is(err, rebilly.ErrInvalidParams) {
		t.Errorf("empty key: %v", err)
	}
}
