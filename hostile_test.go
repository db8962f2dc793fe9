package rebilly

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/money"
)

func TestHostileSuccessResponsesAreTypedErrors(t *testing.T) {
	t.Parallel()
	withType := func(code int, ct, body string) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(code, body)
			if ct != "" {
				resp.Header.Set("Content-Type", ct)
			}
			return resp, nil
		}
	}
	tests := []struct {
		name string
		step httpmock.Responder
		opts []Option
	}{
		{"empty body", withType(200, "application/json", ""), nil},
		{"truncated JSON", withType(200, "application/json", `{"id":"pr_1","amount":1`), nil},
		{"not an object", withType(200, "application/json", `[1,2,3]`), nil},
		{"wrong field type", withType(200, "application/json", `{"id":17}`), nil},
		{"amount as a string", withType(200, "application/json", `{"amount":"10.00"}`), nil},
		{"amount NaN", withType(200, "application/json", `{"amount":NaN}`), nil},
		{"HTML page", withType(200, "text/html; charset=utf-8", `<html>captive portal</html>`), nil},
		{"JSON under an HTML type", withType(200, "text/html", `{"id":"pr_1"}`), nil},
		{"garbage Content-Type", withType(200, "???", `{"id":"pr_1"}`), nil},
		{"body over the limit", withType(200, "application/json", `{"id":"`+strings.Repeat("x", 2000)+`"}`), []Option{WithMaxResponseBytes(1024)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt, _ := setup(t, tt.opts...)
			testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", tt.step)
			pr, err := c.PayoutRequests.Get(context.Background(), "pr_1")
			if pr != nil {
				t.Errorf("a result was returned with the error: %+v", pr)
			}
			var mre *MalformedResponseError
			if !errors.As(err, &mre) || !errors.Is(err, ErrMalformedResponse) || mre.StatusCode != 200 {
				t.Fatalf("err = %v (%T), want *MalformedResponseError", err, err)
			}
		})
	}
}

func TestHostileErrorResponsesStayTyped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		check      func(*testing.T, *APIError)
	}{
		{"HTML 502", `<html><h1>502 Bad Gateway</h1></html>`, func(t *testing.T, e *APIError) {
			if e.Title != "" || !strings.Contains(string(e.Body), "Bad Gateway") {
				t.Errorf("%+v", e)
			}
		}},
		{"problem with wrong types", `{"title":42,"detail":["x"],"invalidFields":"amount"}`, func(t *testing.T, e *APIError) {
			if e.Title != "" || e.Detail != "" || e.InvalidFields != nil {
				t.Errorf("%+v", e)
			}
		}},
		{"invalid fields of the wrong shape", `{"title":"Invalid","invalidFields":[{"field":1}]}`, func(t *testing.T, e *APIError) {
			if e.Title != "Invalid" {
				t.Errorf("%+v", e)
			}
		}},
		{"huge body is cut", strings.Repeat("E", 100_000), func(t *testing.T, e *APIError) {
			if len(e.Body) != MaxErrorBody {
				t.Errorf("kept %d bytes", len(e.Body))
			}
		}},
		{"empty body", "", func(t *testing.T, e *APIError) {
			if len(e.Body) != 0 || e.StatusCode != 422 {
				t.Errorf("%+v", e)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt, _ := setup(t)
			testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", httpmock.NewStringResponder(422, tt.body))
			_, err := c.PayoutRequests.Get(context.Background(), "pr_1")
			var apiErr *APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, ErrValidation) {
				t.Fatalf("err = %v", err)
			}
			tt.check(t, apiErr)
			_ = err.Error() // must not panic on any of these
		})
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	var leaked []string
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.Header.Get("REB-APIKEY"))
		w.WriteHeader(201)
	}))
	defer elsewhere.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer api.Close()

	c, err := NewClient(WithAPIKey(testKey), WithOrganizationID(testOrg), WithBaseURL(api.URL), WithRetryWait(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Payouts.Create(context.Background(), payout())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("err = %v, want the 307 as an *APIError", err)
	}
	if len(leaked) != 0 {
		t.Fatalf("the redirect was followed %d time(s), credential %q sent elsewhere", len(leaked), leaked)
	}
}

func TestClearTextBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []Option
		wantErr bool
	}{
		{"https anywhere", []Option{WithBaseURL("https://proxy.internal")}, false},
		{"http loopback v4", []Option{WithBaseURL("http://127.0.0.1:8080")}, false},
		{"http loopback v6", []Option{WithBaseURL("http://[::1]:8080")}, false},
		{"http localhost", []Option{WithBaseURL("http://localhost:8080")}, false},
		{"http to another host", []Option{WithBaseURL("http://proxy.internal")}, true},
		{"http to a private address", []Option{WithBaseURL("http://10.0.0.5")}, true},
		{"http with opt-in", []Option{WithBaseURL("http://proxy.internal"), WithInsecureHTTP()}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(append([]Option{WithAPIKey(testKey), WithOrganizationID(testOrg)}, tt.opts...)...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), testKey) {
				t.Fatalf("error leaks the key: %v", err)
			}
		})
	}
}

// TestExtremeAmountsDecode: a 201 whose amount is any double, such as what an OpenAPI mock of
// Rebilly's definitions answers (-1.7976931348623157e+308), is a created resource with its
// exact amount, not a failure.
func TestExtremeAmountsDecode(t *testing.T) {
	t.Parallel()
	for _, amount := range []string{"-1.7976931348623157e+308", "1.7976931348623157E308", "4.9e-324", "0e999999", "12345678901234567.89"} {
		c, mt, _ := setup(t)
		body := `{"id":"pr_1","websiteId":"w","customerId":"c","currency":"USD","amount":` + amount + `,"availableAmount":` + amount + `}`
		rec := testutil.Register(mt, http.MethodPost, testServer+"/payout-requests", httpmock.NewStringResponder(201, body))
		pr, err := c.PayoutRequests.Create(context.Background(), payoutRequest())
		if err != nil || pr.Amount.String() != amount || pr.AvailableAmount.String() != amount || rec.Count() != 1 {
			t.Errorf("amount %s: got %v, %v", amount, pr, err)
		}
	}
}

// TestAmountsADoubleWouldChangeAreRefused: Rebilly carries amounts as doubles, so an amount a
// double cannot hold exactly is refused before sending, naming the field.
func TestAmountsADoubleWouldChangeAreRefused(t *testing.T) {
	t.Parallel()
	c, mt, _ := setup(t)
	for _, amount := range []string{"9007199254740993", "0.30000000000000000001", "12345678901234567.89"} {
		p := payout()
		p.Amount = money.MustParse(amount)
		_, err := c.Payouts.Create(context.Background(), p)
		fields := FieldErrors(err)
		if !errors.Is(err, ErrInvalidParams) || len(fields) != 1 || fields[0].Field != "amount" || !strings.Contains(fields[0].Message, "double") {
			t.Errorf("amount %s: err = %v", amount, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
