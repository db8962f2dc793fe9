package spectest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// testServer is the sandbox server of openapi.yaml with an organization filled in. The
// generated request builders resolve operation paths against it, so it ends with "/".
const testServer = "https://api-sandbox.rebilly.com/organizations/org-1/"

// validateRequest checks a request against a router's specification the way rebillytest's
// strict mode does (openapi3filter, every error, no defaults written into the request).
func validateRequest(t *testing.T, router routers.Router, req *http.Request) error {
	t.Helper()
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			t.Fatal(err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("no route for %s %s: %v", req.Method, req.URL, err)
	}
	return openapi3filter.ValidateRequest(t.Context(), &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
		},
	})
}

// jsonRequest builds a request with a raw JSON body.
func jsonRequest(method, path, body string) (*http.Request, error) {
	req, err := http.NewRequest(method, strings.TrimSuffix(testServer, "/")+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// allocationIDs returns n distinct allocation IDs.
func allocationIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("pra_%04d", i)
	}
	return ids
}

// TestRequestsValidate sends requests built by the generated builders (and a few raw ones)
// through kin-openapi's request validation against openapi.yaml: what the SDK sends must
// pass, and what the official limits forbid must not.
func TestRequestsValidate(t *testing.T) {
	router, err := gorillamux.NewRouter(loadSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	// The optional parameters of the generated params structs are pointers: unset, they
	// are not sent (TestPointersWhereAbsenceMatters).
	var (
		atMost, beyond = 1000, 1001
		filter         = "status:pending,ready;currency:USD"
		expand         = "gatewayAccount,customer"
		pdf            = gen.GetTransactionParamsAcceptApplicationPdf
		html           = gen.GetTransactionParamsAccept("text/html")
	)
	tests := []struct {
		name    string
		req     func() (*http.Request, error)
		refusal string // "" when the request is valid, else a part of kin-openapi's error
	}{
		{"cancel: merchant, with a reason", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestCancellationRequest(testServer, "pout_req_1", gen.PayoutRequestCancellation{
				CanceledBy:  gen.PayoutRequestCancellationCanceledByMerchant,
				Description: strings.Repeat("x", 255),
			})
		}, ""},
		{"cancel: empty body (canceledBy defaults to customer)", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestCancellationRequest(testServer, "pout_req_1", gen.PayoutRequestCancellation{})
		}, ""},
		{"cancel: unknown canceledBy", func() (*http.Request, error) {
			return jsonRequest(http.MethodPost, "/payout-requests/pout_req_1/cancel", `{"canceledBy":"robot"}`)
		}, `"/canceledBy": value is not one of the allowed values`},
		{"cancel: description of 256 characters", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestCancellationRequest(testServer, "pout_req_1", gen.PayoutRequestCancellation{
				Description: strings.Repeat("x", 256),
			})
		}, `"/description": maximum string length is 255`},
		{"payout request sent with cancellationReason (read-only)", func() (*http.Request, error) {
			return jsonRequest(http.MethodPost, "/payout-requests",
				`{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":10,"cancellationReason":{"canceledBy":"merchant"}}`)
		}, `readOnly property "cancellationReason" in request`},
		{"create allocation", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestAllocationRequest(testServer, gen.PayoutRequestAllocationCreate{
				PayoutRequestID:     "pout_req_1",
				PaymentInstrumentID: "inst_1",
				GatewayAccountID:    "gw_acc_1",
				Amount:              money.MustParse("12345678901234567.89"),
			})
		}, ""},
		{"create allocation without amount", func() (*http.Request, error) {
			return jsonRequest(http.MethodPost, "/payout-request-allocations",
				`{"payoutRequestId":"pout_req_1","paymentInstrumentId":"inst_1","gatewayAccountId":"gw_acc_1"}`)
		}, `property "amount" is missing`},
		{"create allocation with a 51-character payoutRequestId", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestAllocationRequest(testServer, gen.PayoutRequestAllocationCreate{
				PayoutRequestID:     strings.Repeat("p", 51),
				PaymentInstrumentID: "inst_1",
				GatewayAccountID:    "gw_acc_1",
				Amount:              money.MustParse("1"),
			})
		}, `"/payoutRequestId": maximum string length is 50`},
		{"auto-allocate", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestAutoAllocationRequest(testServer, gen.PayoutRequestAutoAllocation{PayoutRequestID: "pout_req_1"})
		}, ""},
		{"auto-allocate without payoutRequestId", func() (*http.Request, error) {
			return jsonRequest(http.MethodPost, "/payout-request-allocations/auto", `{}`)
		}, `property "payoutRequestId" is missing`},
		{"process 1 allocation", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestAllocationsProcessRequest(testServer, gen.PayoutRequestAllocationsProcess{AllocationIDs: allocationIDs(1)})
		}, ""},
		{"process 1000 allocations", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestAllocationsProcessRequest(testServer, gen.PayoutRequestAllocationsProcess{AllocationIDs: allocationIDs(1000)})
		}, ""},
		{"process no allocation", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestAllocationsProcessRequest(testServer, gen.PayoutRequestAllocationsProcess{AllocationIDs: []string{}})
		}, `minimum number of items is 1`},
		{"process 1001 allocations", func() (*http.Request, error) {
			return gen.NewPostPayoutRequestAllocationsProcessRequest(testServer, gen.PayoutRequestAllocationsProcess{AllocationIDs: allocationIDs(1001)})
		}, `maximum number of items is 1000`},
		{"update allocation to processing", func() (*http.Request, error) {
			return gen.NewPatchPayoutRequestAllocationRequest(testServer, "pra_1", gen.PayoutRequestAllocationUpdate{Status: gen.PayoutRequestAllocationUpdateStatusProcessing})
		}, ""},
		{"update allocation to canceled", func() (*http.Request, error) {
			return gen.NewPatchPayoutRequestAllocationRequest(testServer, "pra_1", gen.PayoutRequestAllocationUpdate{Status: gen.PayoutRequestAllocationUpdateStatusCanceled})
		}, ""},
		{"update allocation to completed (set by Rebilly only)", func() (*http.Request, error) {
			return gen.NewPatchPayoutRequestAllocationRequest(testServer, "pra_1", gen.PayoutRequestAllocationUpdate{Status: "completed"})
		}, `"/status": value is not one of the allowed values`},
		{"get allocation", func() (*http.Request, error) {
			return gen.NewGetPayoutRequestAllocationRequest(testServer, "pra_1")
		}, ""},
		{"list payout requests: page at offset 1000, filtered and sorted", func() (*http.Request, error) {
			return gen.NewGetPayoutRequestCollectionRequest(testServer, &gen.GetPayoutRequestCollectionParams{
				Limit:  &atMost,
				Offset: &atMost,
				Filter: &filter,
				Sort:   &gen.CollectionSort{"-createdTime", "id"},
			})
		}, ""},
		{"list payout requests: offset 1001", func() (*http.Request, error) {
			return gen.NewGetPayoutRequestCollectionRequest(testServer, &gen.GetPayoutRequestCollectionParams{Offset: &beyond})
		}, `parameter "offset" in query has an error: number must be at most 1000`},
		{"list payout requests: limit 1001", func() (*http.Request, error) {
			return gen.NewGetPayoutRequestCollectionRequest(testServer, &gen.GetPayoutRequestCollectionParams{Limit: &beyond})
		}, `parameter "limit" in query has an error: number must be at most 1000`},
		{"list allocations: no parameters", func() (*http.Request, error) {
			return gen.NewGetPayoutRequestAllocationCollectionRequest(testServer, nil)
		}, ""},
		{"list allocations: offset 1001", func() (*http.Request, error) {
			return gen.NewGetPayoutRequestAllocationCollectionRequest(testServer, &gen.GetPayoutRequestAllocationCollectionParams{Offset: &beyond})
		}, `parameter "offset" in query has an error: number must be at most 1000`},
		{"get transaction, expanded, as PDF", func() (*http.Request, error) {
			return gen.NewGetTransactionRequest(testServer, "txn_1", &gen.GetTransactionParams{
				Expand: &expand,
				Accept: &pdf,
			})
		}, ""},
		{"get transaction as text/html", func() (*http.Request, error) {
			return gen.NewGetTransactionRequest(testServer, "txn_1", &gen.GetTransactionParams{Accept: &html})
		}, `parameter "Accept" in header has an error: value is not one of the allowed values`},
		{"get transaction with an ID outside the pattern", func() (*http.Request, error) {
			return gen.NewGetTransactionRequest(testServer, "txn 1", nil)
		}, `parameter "id" in path has an error`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := tt.req()
			if err != nil {
				t.Fatalf("building the request: %v", err)
			}
			err = validateRequest(t, router, req)
			switch {
			case tt.refusal == "" && err != nil:
				t.Errorf("%s %s refused: %v", req.Method, req.URL, err)
			case tt.refusal != "" && err == nil:
				t.Errorf("%s %s accepted, want it refused (%s)", req.Method, req.URL, tt.refusal)
			case tt.refusal != "" && !strings.Contains(err.Error(), tt.refusal):
				t.Errorf("%s %s refused, but not for %q: %v", req.Method, req.URL, tt.refusal, err)
			}

		})
	}
}

// TestCancellationReadOnlyDeparture pins the facts behind docs/spec-notes.md,
// "PayoutRequestCancellation is not readOnly": openapi.yaml has the readOnly on the
// PayoutRequest.cancellationReason property, not on the component; and with the official
// root readOnly put back, kin-openapi v0.153.0 still accepts a cancellation body (it checks
// readOnly on properties only), while a payout request carrying cancellationReason is
// refused either way. If a kin-openapi upgrade starts refusing root-readOnly bodies, this
// test fails so that the notes can be updated.
func TestCancellationReadOnlyDeparture(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	cancellation := doc.Components.Schemas["PayoutRequestCancellation"].Value
	if cancellation.ReadOnly {
		t.Error("PayoutRequestCancellation is readOnly in openapi.yaml, but it is the cancel request body")
	}
	if !schemaAtDoc(t, doc, "PayoutRequest", "cancellationReason").ReadOnly {
		t.Error("PayoutRequest.cancellationReason is not readOnly in openapi.yaml")
	}

	cancellation.ReadOnly = true // as published
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	cancel, err := gen.NewPostPayoutRequestCancellationRequest(testServer, "pout_req_1", gen.PayoutRequestCancellation{
		CanceledBy:  gen.PayoutRequestCancellationCanceledByMerchant,
		Description: "requested twice",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := validateRequest(t, router, cancel); err != nil {
		t.Errorf("with the official root readOnly, kin-openapi now refuses a valid cancellation (update docs/spec-notes.md): %v", err)
	}
	create, err := jsonRequest(http.MethodPost, "/payout-requests",
		`{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":10,"cancellationReason":{"canceledBy":"merchant"}}`)
	if err != nil {
		t.Fatal(err)
	}
	if err := validateRequest(t, router, create); err == nil || !strings.Contains(err.Error(), `readOnly property "cancellationReason"`) {
		t.Errorf("with the official root readOnly, a payout request with cancellationReason: %v, want it refused as read-only", err)
	}
}

// schemaAtDoc is schemaAt for a document other than the shared one.
func schemaAtDoc(t *testing.T, doc *openapi3.T, path ...string) *openapi3.Schema {
	t.Helper()
	s := doc.Components.Schemas[path[0]].Value
	for _, seg := range path[1:] {
		p := mergedProperties(s)[seg]
		if p == nil || p.Value == nil {
			t.Fatalf("no schema at %s", strings.Join(path, "."))
		}
		s = p.Value
	}
	return s
}
