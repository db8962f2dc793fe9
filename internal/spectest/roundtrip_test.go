package spectest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// responseSchema returns the application/json schema of one response of one operation.
func responseSchema(t *testing.T, doc *openapi3.T, method, path string, code int) *openapi3.Schema {
	t.Helper()
	item := doc.Paths.Value(path)
	if item == nil {
		t.Fatalf("openapi.yaml has no path %s", path)
	}
	op := item.GetOperation(method)
	if op == nil {
		t.Fatalf("openapi.yaml has no %s %s", method, path)
	}
	resp := op.Responses.Status(code)
	if resp == nil || resp.Value == nil {
		t.Fatalf("%s %s has no %d response", method, path, code)
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		t.Fatalf("%s %s %d has no application/json schema", method, path, code)
	}
	return mt.Schema.Value
}

// validateSample checks a generic document against a response schema, reporting every error.
func validateSample(t *testing.T, schema *openapi3.Schema, doc any) {
	t.Helper()
	err := schema.VisitJSON(doc, openapi3.VisitAsResponse(), openapi3.MultiErrors())
	if err == nil {
		return
	}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			t.Errorf("sample does not match the spec: %v", e)
		}
		return
	}
	t.Errorf("sample does not match the spec: %v", err)
}

// roundTripSamples are response bodies as Rebilly sends them. Each must match the spec's
// response schema, decode into its generated type with no unknown member, and encode back
// to the same document.
var roundTripSamples = []struct {
	name   string
	file   string
	method string
	path   string
	code   int
	newOut func() any
	check  func(t *testing.T, v any)
}{
	{
		name: "payout request (seed doc sample, verbatim)", file: "payout-request-seed.json",
		method: http.MethodGet, path: "/payout-requests/{id}", code: http.StatusOK,
		newOut: func() any { return new(gen.PayoutRequest) },
		check: func(t *testing.T, v any) {
			pr := v.(*gen.PayoutRequest)
			if got := pr.Amount.String(); got != "0.1" {
				t.Errorf("amount = %s, want 0.1", got)
			}
		},
	},
	{
		name: "payout request (full)", file: "payout-request.json",
		method: http.MethodGet, path: "/payout-requests/{id}", code: http.StatusOK,
		newOut: func() any { return new(gen.PayoutRequest) },
		check: func(t *testing.T, v any) {
			pr := v.(*gen.PayoutRequest)
			if pr.Allocations == nil || len(*pr.Allocations) != 2 {
				t.Fatalf("allocations not decoded: %+v", val(pr.Allocations))
			}
			a0, a1 := (*pr.Allocations)[0], (*pr.Allocations)[1]
			for _, c := range []struct{ name, got, want string }{
				{"amount", pr.Amount.String(), "150.25"},
				{"allocations[0].amount", a0.Amount.String(), "100.00"},
				{"allocations[0].exposureAmount", amountText(a0.ExposureAmount), "12345678901234567.89"},
				{"allocations[1].exposureAmount", amountText(a1.ExposureAmount), "0.00"},
			} {
				if c.got != c.want {
					t.Errorf("%s = %s, want exactly %s", c.name, c.got, c.want)
				}
			}
			if pr.Status == nil || *pr.Status != gen.PayoutRequestStatusCanceled {
				t.Errorf("status = %v, want canceled", val(pr.Status))
			}
			if pr.BlockReason == nil || *pr.BlockReason != gen.PayoutRequestBlockReasonFraudSuspected {
				t.Errorf("blockReason = %v, want fraud-suspected", val(pr.BlockReason))
			}
			if cr := pr.CancellationReason; cr == nil || cr.CanceledBy == nil || *cr.CanceledBy != gen.PayoutRequestCancellationCanceledByMerchant {
				t.Errorf("cancellationReason = %+v, want canceledBy merchant", val(cr))
			}
		},
	},
	{
		name: "credit transaction", file: "transaction.json",
		method: http.MethodPost, path: "/payouts", code: http.StatusCreated,
		newOut: func() any { return new(gen.Transaction) },
		check: func(t *testing.T, v any) {
			tx := v.(*gen.Transaction)
			if tx.Type == nil || *tx.Type != gen.TransactionTypeCredit {
				t.Errorf("type = %v, want credit", val(tx.Type))
			}
			if got := amountText(tx.Amount); got != "150.25" {
				t.Errorf("amount = %s, want exactly 150.25", got)
			}
			if tx.Limits == nil || amountText(tx.Limits.Amount) != "12345678901234567.89" {
				t.Errorf("limits.amount lost digits: %+v", val(tx.Limits))
			}
			if tx.RiskMetadata == nil || tx.RiskMetadata.BrowserData == nil || tx.RiskMetadata.ExtraData == nil {
				t.Errorf("riskMetadata browserData/extraData not decoded: %+v", val(tx.RiskMetadata))
			}
			if tx.PaymentInstrument == nil {
				t.Fatal("paymentInstrument not decoded")
			}
			vi, err := tx.PaymentInstrument.AsVaultedInstrument()
			if err != nil || vi.Method != gen.VaultedInstrumentMethodPaymentCard {
				t.Errorf("paymentInstrument as VaultedInstrument = %+v, %v", vi, err)
			}
		},
	},
	{
		// The credit transaction of a processed allocation, read with
		// ?expand=gatewayAccount,customer.
		name: "transaction (GET, expanded)", file: "transaction-get.json",
		method: http.MethodGet, path: "/transactions/{id}", code: http.StatusOK,
		newOut: func() any { return new(gen.Transaction) },
		check: func(t *testing.T, v any) {
			tx := v.(*gen.Transaction)
			if tx.ID == nil || *tx.ID != "txn_0YVB8KPKNXCBR9EDX7JHSED75N" {
				t.Errorf("id = %v", val(tx.ID))
			}
			for _, c := range []struct{ name, got, want string }{
				{"amount", amountText(tx.Amount), "100.00"},
				{"reportAmount", amountText(tx.ReportAmount), "92.40"},
			} {
				if c.got != c.want {
					t.Errorf("%s = %s, want exactly %s", c.name, c.got, c.want)
				}
			}
			if tx.PayoutRequestID == nil || *tx.PayoutRequestID != "pout_req_0YVDMDE2BMC6KBB5MX76RF6T80" {
				t.Errorf("payoutRequestId = %v", val(tx.PayoutRequestID))
			}
			if tx.Limits != nil || tx.RiskMetadata != nil || tx.Dcc != nil {
				t.Errorf("null limits/riskMetadata/dcc decoded as values: %+v %+v %+v", val(tx.Limits), val(tx.RiskMetadata), val(tx.Dcc))
			}
			if tx.Embedded == nil || tx.Embedded.GatewayAccount == nil || tx.Embedded.Customer == nil {
				t.Fatalf("_embedded gatewayAccount/customer not decoded: %+v", val(tx.Embedded))
			}
			if id := (*tx.Embedded.GatewayAccount)["id"]; id != "gateway_0YVB8KPKNXCBR9EDX7JHSED75N" {
				t.Errorf("_embedded.gatewayAccount.id = %v", id)
			}
		},
	},
	{
		// Built from the official property examples of PayoutRequestAllocation.
		name: "payout request allocation", file: "payout-request-allocation.json",
		method: http.MethodGet, path: "/payout-request-allocations/{id}", code: http.StatusOK,
		newOut: func() any { return new(gen.PayoutRequestAllocation) },
		check: func(t *testing.T, v any) {
			a := v.(*gen.PayoutRequestAllocation)
			if got := a.Amount.String(); got != "100.00" {
				t.Errorf("amount = %s, want exactly 100.00", got)
			}
			if got := amountText(a.ExposureAmount); got != "2" {
				t.Errorf("exposureAmount = %s, want exactly 2", got)
			}
			if a.Status == nil || *a.Status != gen.PayoutRequestAllocationStatusCompleted {
				t.Errorf("status = %v, want completed", val(a.Status))
			}
			if a.GatewayPayoutInstruction == nil || *a.GatewayPayoutInstruction != gen.PayoutRequestAllocationGatewayPayoutInstructionCoveredPayout {
				t.Errorf("gatewayPayoutInstruction = %v, want covered-payout", val(a.GatewayPayoutInstruction))
			}
			if a.TransactionResult == nil || *a.TransactionResult != gen.PayoutRequestAllocationTransactionResultApproved {
				t.Errorf("transactionResult = %v, want approved", val(a.TransactionResult))
			}
			if a.Links == nil || len(*a.Links) != 5 || (*a.Links)[1].Rel == nil || *(*a.Links)[1].Rel != gen.PayoutRequestAllocationLinksRelTransaction {
				t.Errorf("_links = %+v", val(a.Links))
			}
		},
	},
	{
		name: "payout request allocations (collection)", file: "payout-request-allocations.json",
		method: http.MethodGet, path: "/payout-request-allocations", code: http.StatusOK,
		newOut: func() any { return new([]gen.PayoutRequestAllocation) },
		check: func(t *testing.T, v any) {
			list := *v.(*[]gen.PayoutRequestAllocation)
			if len(list) != 2 {
				t.Fatalf("%d allocations, want 2", len(list))
			}
			pending := list[1]
			if pending.Status == nil || *pending.Status != gen.PayoutRequestAllocationStatusPending {
				t.Errorf("[1].status = %v, want pending", val(pending.Status))
			}
			if pending.TransactionID != nil || pending.TransactionResult != nil || pending.TransactionStatus != nil ||
				pending.GatewayPayoutInstruction != nil || pending.BatchID != nil {
				t.Errorf("[1]: null members decoded as values: %+v", pending)
			}
			if got := amountText(pending.ExposureAmount); got != "12345678901234567.89" {
				t.Errorf("[1].exposureAmount = %s, want exactly 12345678901234567.89", got)
			}
			if got := pending.Amount.String(); got != "50.25" {
				t.Errorf("[1].amount = %s, want exactly 50.25", got)
			}
		},
	},
}

// val returns *p, or nil, for messages.
func val[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// amountText returns the exact text of an optional amount.
func amountText(a *money.Amount) string {
	if a == nil {
		return "<nil>"
	}
	return a.String()
}

// TestResponseSamplesRoundTrip proves that every member of realistic responses is
// modelled by the generated types and survives decode and re-encode exactly (amounts keep
// every digit), and that the samples themselves are valid against openapi.yaml.
func TestResponseSamplesRoundTrip(t *testing.T) {
	doc := loadSpec(t)
	for _, tt := range roundTripSamples {
		t.Run(tt.name, func(t *testing.T) {
			raw := readTestdata(t, tt.file)
			want := decodeGeneric(t, raw)

			t.Run("valid against spec", func(t *testing.T) {
				validateSample(t, responseSchema(t, doc, tt.method, tt.path, tt.code), want)
			})

			out := tt.newOut()
			if err := decodeStrict(raw, out); err != nil {
				t.Fatalf("decoding into %T (unknown fields disallowed): %v", out, err)
			}
			tt.check(t, out)

			encoded, err := json.Marshal(out)
			if err != nil {
				t.Fatalf("re-encoding %T: %v", out, err)
			}
			got := decodeGeneric(t, encoded)
			for _, d := range diffJSON("$", want, got) {
				t.Error(d)
			}
		})
	}
}

// TestUnknownEnumValuesSurvive checks that values the spec does not list (Rebilly adds
// statuses over time) decode without error and are kept as sent, in the struct and when
// encoded again.
func TestUnknownEnumValuesSurvive(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		path  string // dot path into the sample; numeric segments index arrays
		value string
		read  func(v any) (got string, known bool)
	}{
		{
			name: "allocation status (GET allocation)", file: "payout-request-allocation.json", path: "status", value: "on-hold",
			read: func(v any) (string, bool) { s := v.(*gen.PayoutRequestAllocation).Status; return string(*s), s.Valid() },
		},
		{
			name: "allocation gateway payout instruction", file: "payout-request-allocation.json", path: "gatewayPayoutInstruction", value: "limited",
			read: func(v any) (string, bool) {
				s := v.(*gen.PayoutRequestAllocation).GatewayPayoutInstruction
				return string(*s), s.Valid()
			},
		},
		{
			name: "payout request status", file: "payout-request.json", path: "status", value: "on-hold",
			read: func(v any) (string, bool) { s := v.(*gen.PayoutRequest).Status; return string(*s), s.Valid() },
		},
		{
			name: "payout request block reason", file: "payout-request.json", path: "blockReason", value: "sanctions-screening",
			read: func(v any) (string, bool) { s := v.(*gen.PayoutRequest).BlockReason; return string(*s), s.Valid() },
		},
		{
			name: "allocation status", file: "payout-request.json", path: "allocations.0.status", value: "on-hold",
			read: func(v any) (string, bool) {
				s := (*v.(*gen.PayoutRequest).Allocations)[0].Status
				return string(*s), s.Valid()
			},
		},
		{
			name: "transaction status", file: "transaction.json", path: "status", value: "waiting-review",
			read: func(v any) (string, bool) { s := v.(*gen.Transaction).Status; return string(*s), s.Valid() },
		},
		{
			name: "transaction result", file: "transaction.json", path: "result", value: "pending-review",
			read: func(v any) (string, bool) { s := v.(*gen.Transaction).Result; return string(*s), s.Valid() },
		},
		{
			name: "transaction gateway name", file: "transaction.json", path: "gatewayName", value: "BrandNewGateway",
			read: func(v any) (string, bool) { s := v.(*gen.Transaction).GatewayName; return string(*s), s.Valid() },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decodeGeneric(t, readTestdata(t, tt.file))
			setAt(t, doc, tt.path, tt.value)
			body, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}

			var out any = new(gen.PayoutRequest)
			switch {
			case strings.HasPrefix(tt.file, "transaction"):
				out = new(gen.Transaction)
			case strings.HasPrefix(tt.file, "payout-request-allocation"):
				out = new(gen.PayoutRequestAllocation)
			}
			if err := decodeStrict(body, out); err != nil {
				t.Fatalf("decoding a response with %s %q: %v", tt.path, tt.value, err)
			}
			got, known := tt.read(out)
			if got != tt.value {
				t.Errorf("decoded %s = %q, want %q", tt.path, got, tt.value)
			}
			if known {
				t.Errorf("Valid() reports %q as a known value; pick a value the spec does not list", tt.value)
			}

			encoded, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			if back := getAt(t, decodeGeneric(t, encoded), tt.path); back != tt.value {
				t.Errorf("re-encoded %s = %v, want %q", tt.path, back, tt.value)
			}
		})
	}
}

// walkTo follows a dot path (numeric segments index arrays) and returns the container
// holding the last segment, and that segment.
func walkTo(t *testing.T, doc any, path string) (any, string) {
	t.Helper()
	segs := strings.Split(path, ".")
	cur := doc
	for _, seg := range segs[:len(segs)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i >= len(c) {
				t.Fatalf("bad index %q in %s", seg, path)
			}
			cur = c[i]
		default:
			t.Fatalf("cannot walk %s at %q", path, seg)
		}
	}
	return cur, segs[len(segs)-1]
}

func setAt(t *testing.T, doc any, path string, value any) {
	t.Helper()
	parent, last := walkTo(t, doc, path)
	m, ok := parent.(map[string]any)
	if !ok {
		t.Fatalf("%s: parent is not an object", path)
	}
	if _, ok := m[last]; !ok {
		t.Fatalf("%s: the sample has no such member", path)
	}
	m[last] = value
}

func getAt(t *testing.T, doc any, path string) any {
	t.Helper()
	parent, last := walkTo(t, doc, path)
	m, ok := parent.(map[string]any)
	if !ok {
		t.Fatalf("%s: parent is not an object", path)
	}
	return m[last]
}

// TestDiffJSON checks the comparator the round-trip test relies on.
func TestDiffJSON(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		diffs     int
	}{
		{"identical", `{"a":1.50,"b":[{"c":"x"}],"d":true}`, `{"d":true,"b":[{"c":"x"}],"a":1.50}`, 0},
		{"number text differs", `{"a":1.50}`, `{"a":1.5}`, 1},
		{"digits lost", `{"a":12345678901234567.89}`, `{"a":12345678901234568}`, 1},
		{"member lost", `{"a":1,"b":"x"}`, `{"a":1}`, 1},
		{"nested member lost", `{"a":[{"b":1,"c":2}]}`, `{"a":[{"b":1}]}`, 1},
		{"null may be dropped", `{"a":1,"b":null}`, `{"a":1}`, 0},
		{"null kept", `{"b":null}`, `{"b":null}`, 0},
		{"null became a value", `{"b":null}`, `{"b":false}`, 1},
		{"member added", `{"a":1}`, `{"a":1,"b":false}`, 1},
		{"array length", `{"a":[1,2]}`, `{"a":[1]}`, 1},
		{"type changed", `{"a":"1"}`, `{"a":1}`, 1},
		{"empty array kept", `{"a":[]}`, `{"a":[]}`, 0},
		{"empty array dropped", `{"a":[]}`, `{}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := diffJSON("$", decodeGeneric(t, []byte(tt.want)), decodeGeneric(t, []byte(tt.got)))
			if len(d) != tt.diffs {
				t.Errorf("diffJSON(%s, %s) = %q, want %d difference(s)", tt.want, tt.got, d, tt.diffs)
			}
		})
	}
}

// TestNullAcceptedWhereOfficial checks that the members the official definitions make
// nullable accept null in openapi.yaml too, whichever way the 3.0 conversion expresses it
// (nullable on the component, on an allOf wrapper, or on the property).
func TestNullAcceptedWhereOfficial(t *testing.T) {
	doc := loadSpec(t)
	tests := []struct {
		file, method, path string
		code               int
		member             string
	}{
		{"payout-request.json", http.MethodGet, "/payout-requests/{id}", http.StatusOK, "cancellationReason"}, // nullable component, readOnly wrapper
		{"payout-request.json", http.MethodGet, "/payout-requests/{id}", http.StatusOK, "blockReason"},        // nullable component
		{"payout-request.json", http.MethodGet, "/payout-requests/{id}", http.StatusOK, "splitReason"},        // nullable component
		{"payout-request.json", http.MethodGet, "/payout-requests/{id}", http.StatusOK, "batchId"},            // nullable property
		{"transaction-get.json", http.MethodGet, "/transactions/{id}", http.StatusOK, "riskMetadata"},         // nullable wrapper
		{"transaction-get.json", http.MethodGet, "/transactions/{id}", http.StatusOK, "parentTransactionId"},  // nullable wrapper
		{"payout-request-allocation.json", http.MethodGet, "/payout-request-allocations/{id}", http.StatusOK, "gatewayPayoutInstruction"},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.member, func(t *testing.T) {
			sample := decodeGeneric(t, readTestdata(t, tt.file))
			sample.(map[string]any)[tt.member] = nil
			validateSample(t, responseSchema(t, doc, tt.method, tt.path, tt.code), sample)
		})
	}
}
