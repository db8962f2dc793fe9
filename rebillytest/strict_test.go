package rebillytest_test

import (
	"bytes"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/paysdk/rebilly/rebillytest"
)

// TestSpecCopyIsCurrent guards the embedded copy; CI's go generate check does the same.
func TestSpecCopyIsCurrent(t *testing.T) {
	want, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("rebillytest/openapi.yaml differs from ../openapi.yaml: run go generate ./rebillytest/")
	}
}

const validPayout = `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":10.5,"requestId":"r-1"}`

// TestStrictMode sends raw requests the specification rejects, and some it accepts.
func TestStrictMode(t *testing.T) {
	long := strings.Repeat("x", 51)
	tests := []struct {
		name         string
		method, path string
		body         string
		header       []string
		status       int
		fields       []string // the invalid fields of a 422
	}{
		{name: "payout without currency", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","amount":10}`,
			status: 422, fields: []string{"currency"}},
		{name: "payout with the amount as a string", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":"10.00"}`,
			status: 422, fields: []string{"amount"}},
		{name: "payout with a bad requestId and a nested error", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"requestId":"has space","billingAddress":{"postalCode":"$$"},"invoiceIds":["in_1",2]}`,
			status: 422, fields: []string{"billingAddress.postalCode", "invoiceIds[1]", "requestId"}},
		{name: "payout with a currency of four letters", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USDX","amount":1}`,
			status: 422, fields: []string{"currency"}},
		{name: "payout with an unknown payment instruction", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"paymentInstruction":{"methods":"payment-card"}}`,
			status: 422, fields: []string{"paymentInstruction"}},
		// PaymentInstruction is anyOf in openapi.yaml: its variants overlap.
		{name: "payout with a payment token", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"paymentInstruction":{"token":"tok_1"}}`,
			status: 201},
		{name: "payout to a stored instrument", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"paymentInstruction":{"paymentInstrumentId":"inst_1"}}`,
			status: 201},
		{name: "payout request with an unknown enum value and a read-only id", method: "POST", path: "/payout-requests",
			body:   `{"id":"mine","websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"blockReason":"boredom"}`,
			status: 422, fields: []string{"id", "blockReason"}},
		{name: "payout request with a wrong type", method: "POST", path: "/payout-requests",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"blocked":"yes"}`,
			status: 422, fields: []string{"blocked"}},
		{name: "get with an id too long", method: "GET", path: "/payout-requests/" + long,
			status: 422, fields: []string{"id"}},
		{name: "put with an id of a forbidden character", method: "PUT", path: "/payout-requests/a%20b",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1}`,
			status: 422, fields: []string{"id"}},
		{name: "body that is not JSON", method: "POST", path: "/payouts", body: `{"amount":`, status: 400},
		{name: "empty body", method: "POST", path: "/payouts", body: "", status: 400},
		{name: "body that is not sent as JSON", method: "POST", path: "/payouts", body: validPayout,
			header: []string{"Content-Type", "text/plain"}, status: 415},
		// The Handler's own rules apply on top of the specification's.
		{name: "negative amount", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":-1}`,
			status: 422, fields: []string{"amount"}},
		{name: "lower-case currency", method: "POST", path: "/payout-requests",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"usd","amount":1}`,
			status: 422, fields: []string{"currency"}},
		// Placeholders pass: the specification has no format: uri on these fields.
		{name: "payout with {id} and {result} placeholders", method: "POST", path: "/payouts",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"redirectUrl":"https://shop.example/r?tx={id}&result={result}","notificationUrl":"https://shop.example/n/{id}/{result}"}`,
			status: 201},
		{name: "payout request with the {{id}} placeholder", method: "POST", path: "/payout-requests",
			body:   `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"selectedPaymentInstrumentRedirectUrl":"https://shop.example/done?pr={{id}}"}`,
			status: 201},
		{name: "put without a body is a 422 on the required fields", method: "PUT", path: "/payout-requests/pr-1",
			status: 422, fields: []string{"websiteId", "customerId", "currency", "amount"}},
		{name: "unknown operation", method: "DELETE", path: "/payout-requests/pr-1", status: 405},
		{name: "unknown path", method: "GET", path: "/customers/cus_1", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t)
				status, header, body := f.raw(t, tt.method, org+tt.path, tt.body, tt.header...)
				if status != tt.status {
					t.Fatalf("status %d, want %d: %s", status, tt.status, body)
				}
				if status < 400 {
					return
				}
				p := decodeProblem(t, header, body)
				if p.Status != status || p.Title == "" || p.Detail == "" || !strings.HasPrefix(p.Type, rebillytest.ProblemTypeBase) {
					t.Errorf("problem = %+v", p)
				}
				var got []string
				for _, f := range p.InvalidFields {
					if !slices.Contains(got, f.Field) {
						got = append(got, f.Field)
					}
					if f.Message == "" {
						t.Errorf("field %s without a message", f.Field)
					}
				}
				if !slices.Equal(got, tt.fields) {
					t.Errorf("invalid fields = %v, want %v: %s", got, tt.fields, body)
				}
				if status == http.StatusMethodNotAllowed && header.Get("Allow") != "GET, PUT" {
					t.Errorf("Allow = %q", header.Get("Allow"))
				}
				if n := len(f.PayoutRequests()) + len(f.Transactions()); n != 0 {
					t.Errorf("a rejected request stored %d resources", n)
				}
			})
		})
	}
}

// TestLenientMode: WithStrict(false) skips the specification but keeps the fake's rules.
func TestLenientMode(t *testing.T) {
	f := transports[1].start(t, rebillytest.WithStrict(false))
	status, _, body := f.raw(t, "POST", org+"/payout-requests",
		`{"id":"mine","websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1,"blockReason":"boredom"}`)
	if status != http.StatusCreated {
		t.Fatalf("status %d: %s", status, body)
	}
	if prs := f.PayoutRequests(); len(prs) != 1 || prs[0].ID == "mine" {
		t.Errorf("the server did not assign the id: %+v", prs)
	}
	status, header, body := f.raw(t, "POST", org+"/payouts", `{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":"10"}`)
	if status != http.StatusBadRequest {
		t.Errorf("amount as a string: status %d: %s", status, body)
	}
	decodeProblem(t, header, body)
	status, header, body = f.raw(t, "POST", org+"/payouts", `{"websiteId":"web_1","customerId":"cus_1","amount":0}`)
	if p := decodeProblem(t, header, body); status != 422 || !slices.Equal(fieldNames(p.InvalidFields), []string{"currency", "amount"}) {
		t.Errorf("status %d: %s", status, body)
	}
}

// TestAuthentication checks credentials on raw requests.
func TestAuthentication(t *testing.T) {
	tests := []struct {
		name   string
		opts   []rebillytest.Option
		header []string
		path   string
		status int
	}{
		{"default key", nil, nil, org, 201},
		{"no credential", nil, []string{"REB-APIKEY", ""}, org, 401},
		{"wrong key", nil, []string{"REB-APIKEY", "nope"}, org, 401},
		{"custom key", []rebillytest.Option{rebillytest.WithAPIKey("sk_1")}, []string{"REB-APIKEY", "sk_1"}, org, 201},
		{"default key refused when another is set", []rebillytest.Option{rebillytest.WithAPIKey("sk_1")}, nil, org, 401},
		{"JWT", []rebillytest.Option{rebillytest.WithJWT("h.p.s")}, []string{"REB-APIKEY", "", "Authorization", "Bearer h.p.s"}, org, 201},
		{"JWT, lower-case scheme", []rebillytest.Option{rebillytest.WithJWT("h.p.s")}, []string{"REB-APIKEY", "", "Authorization", "bearer h.p.s"}, org, 201},
		{"wrong JWT", []rebillytest.Option{rebillytest.WithJWT("h.p.s")}, []string{"REB-APIKEY", "", "Authorization", "Bearer x.y.z"}, org, 401},
		{"JWT only", []rebillytest.Option{rebillytest.WithAPIKey(""), rebillytest.WithJWT("h.p.s")}, nil, org, 401},
		{"other organization", nil, nil, "/organizations/org_2", 401},
		{"custom organization", []rebillytest.Option{rebillytest.WithOrganizationID("org_2")}, nil, "/organizations/org_2", 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t, tt.opts...)
				status, header, body := f.raw(t, "POST", tt.path+"/payout-requests",
					`{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":1}`, tt.header...)
				if status != tt.status {
					t.Fatalf("status %d, want %d: %s", status, tt.status, body)
				}
				if status == 401 {
					if p := decodeProblem(t, header, body); p.Status != 401 || p.Title != "Unauthorized" {
						t.Errorf("problem = %+v", p)
					}
				}
			})
		})
	}
}
