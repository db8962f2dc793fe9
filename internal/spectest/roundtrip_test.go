package spectest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
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
// to the same document, but for members that decode to a zero value (see diffJSON).
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
			if len(pr.Allocations) != 2 {
				t.Fatalf("allocations not decoded: %+v", pr.Allocations)
			}
			a0, a1 := pr.Allocations[0], pr.Allocations[1]
			for _, c := range []struct{ name, got, want string }{
				{"amount", pr.Amount.String(), "150.25"},
				{"allocations[0].amount", a0.Amount.String(), "100.00"},
				{"allocations[0].exposureAmount", amountText(a0.ExposureAmount), "12345678901234567.89"},
				// 0.00 is an amount that was sent, not an absent one: it must survive.
				{"allocations[1].exposureAmount", amountText(a1.ExposureAmount), "0.00"},
			} {
				if c.got != c.want {
					t.Errorf("%s = %s, want exactly %s", c.name, c.got, c.want)
				}
			}
			if pr.Status != gen.PayoutRequestStatusCanceled {
				t.Errorf("status = %q, want canceled", pr.Status)
			}
			if pr.Blocked == nil || !*pr.Blocked {
				t.Errorf("blocked = %v, want a pointer to true", pr.Blocked)
			}
			if pr.BlockReason != gen.PayoutRequestBlockReasonFraudSuspected {
				t.Errorf("blockReason = %q, want fraud-suspected", pr.BlockReason)
			}
			if cr := pr.CancellationReason; cr.CanceledBy != gen.PayoutRequestCancellationCanceledByMerchant {
				t.Errorf("cancellationReason = %+v, want canceledBy merchant", cr)
			}
			if pr.MergedIntoPayoutRequestID != "" {
				t.Errorf("null mergedIntoPayoutRequestId decoded as %q", pr.MergedIntoPayoutRequestID)
			}
		},
	},
	{
		name: "credit transaction", file: "transaction.json",
		method: http.MethodPost, path: "/payouts", code: http.StatusCreated,
		newOut: func() any { return new(gen.Transaction) },
		check: func(t *testing.T, v any) {
			tx := v.(*gen.Transaction)
			if tx.Type != gen.TransactionTypeCredit {
				t.Errorf("type = %q, want credit", tx.Type)
			}
			if got := amountText(tx.Amount); got != "150.25" {
				t.Errorf("amount = %s, want exactly 150.25", got)
			}
			if got := amountText(tx.Limits.Amount); got != "12345678901234567.89" {
				t.Errorf("limits.amount = %s, want exactly 12345678901234567.89", got)
			}
			if rm := tx.RiskMetadata; reflect.ValueOf(rm.BrowserData).IsZero() || reflect.ValueOf(rm.ExtraData).IsZero() {
				t.Errorf("riskMetadata browserData/extraData not decoded: %+v", rm)
			}
			if reflect.ValueOf(tx.PaymentInstrument).IsZero() {
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
			if tx.ID != "txn_0YVB8KPKNXCBR9EDX7JHSED75N" {
				t.Errorf("id = %q", tx.ID)
			}
			for _, c := range []struct{ name, got, want string }{
				{"amount", amountText(tx.Amount), "100.00"},
				{"reportAmount", amountText(tx.ReportAmount), "92.40"},
			} {
				if c.got != c.want {
					t.Errorf("%s = %s, want exactly %s", c.name, c.got, c.want)
				}
			}
			if tx.PayoutRequestID != "pout_req_0YVDMDE2BMC6KBB5MX76RF6T80" {
				t.Errorf("payoutRequestId = %q", tx.PayoutRequestID)
			}
			for _, null := range []struct {
				name  string
				value any
			}{{"limits", tx.Limits}, {"riskMetadata", tx.RiskMetadata}, {"dcc", tx.Dcc}, {"parentTransactionId", tx.ParentTransactionID}} {
				if !reflect.ValueOf(null.value).IsZero() {
					t.Errorf("null %s decoded as %+v, want the zero value", null.name, null.value)
				}
			}
			if tx.Embedded.GatewayAccount == nil || tx.Embedded.Customer == nil {
				t.Fatalf("_embedded gatewayAccount/customer not decoded: %+v", tx.Embedded)
			}
			if id := tx.Embedded.GatewayAccount["id"]; id != "gateway_0YVB8KPKNXCBR9EDX7JHSED75N" {
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
			if a.Status != gen.PayoutRequestAllocationStatusCompleted {
				t.Errorf("status = %q, want completed", a.Status)
			}
			if a.GatewayPayoutInstruction != gen.PayoutRequestAllocationGatewayPayoutInstructionCoveredPayout {
				t.Errorf("gatewayPayoutInstruction = %q, want covered-payout", a.GatewayPayoutInstruction)
			}
			if a.TransactionResult != gen.PayoutRequestAllocationTransactionResultApproved {
				t.Errorf("transactionResult = %q, want approved", a.TransactionResult)
			}
			if len(a.Links) != 5 || a.Links[1].Rel != gen.PayoutRequestAllocationLinksRelTransaction {
				t.Errorf("_links = %+v", a.Links)
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
			if pending.Status != gen.PayoutRequestAllocationStatusPending {
				t.Errorf("[1].status = %q, want pending", pending.Status)
			}
			if pending.TransactionID != "" || pending.TransactionResult != "" || pending.TransactionStatus != "" ||
				pending.GatewayPayoutInstruction != "" || pending.BatchID != "" {
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

// amountText returns the exact text of an optional amount, or <unset> for the zero
// value, which String would print as 0.
func amountText(a money.Amount) string {
	if a.IsZero() {
		return "<unset>"
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

			// Compact first: a union keeps its member's raw JSON, and encoding compacts it,
			// so only a compact sample can decode to the same value twice.
			var compact bytes.Buffer
			if err := json.Compact(&compact, raw); err != nil {
				t.Fatal(err)
			}
			out := tt.newOut()
			if err := decodeStrict(compact.Bytes(), out); err != nil {
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
			// diffJSON lets zero members go; the Go value must not lose any of its own.
			again := tt.newOut()
			if err := decodeStrict(encoded, again); err != nil {
				t.Fatalf("decoding the re-encoded %T: %v", out, err)
			}
			if !sameValue(reflect.ValueOf(out), reflect.ValueOf(again)) {
				t.Errorf("%T changed through encoding and decoding again:\n%+v\n%+v", out, out, again)
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
			read: func(v any) (string, bool) { s := v.(*gen.PayoutRequestAllocation).Status; return string(s), s.Valid() },
		},
		{
			name: "allocation gateway payout instruction", file: "payout-request-allocation.json", path: "gatewayPayoutInstruction", value: "limited",
			read: func(v any) (string, bool) {
				s := v.(*gen.PayoutRequestAllocation).GatewayPayoutInstruction
				return string(s), s.Valid()
			},
		},
		{
			name: "payout request status", file: "payout-request.json", path: "status", value: "on-hold",
			read: func(v any) (string, bool) { s := v.(*gen.PayoutRequest).Status; return string(s), s.Valid() },
		},
		{
			name: "payout request block reason", file: "payout-request.json", path: "blockReason", value: "sanctions-screening",
			read: func(v any) (string, bool) { s := v.(*gen.PayoutRequest).BlockReason; return string(s), s.Valid() },
		},
		{
			name: "allocation status", file: "payout-request.json", path: "allocations.0.status", value: "on-hold",
			read: func(v any) (string, bool) {
				s := v.(*gen.PayoutRequest).Allocations[0].Status
				return string(s), s.Valid()
			},
		},
		{
			name: "transaction status", file: "transaction.json", path: "status", value: "waiting-review",
			read: func(v any) (string, bool) { s := v.(*gen.Transaction).Status; return string(s), s.Valid() },
		},
		{
			name: "transaction result", file: "transaction.json", path: "result", value: "pending-review",
			read: func(v any) (string, bool) { s := v.(*gen.Transaction).Result; return string(s), s.Valid() },
		},
		{
			name: "transaction gateway name", file: "transaction.json", path: "gatewayName", value: "BrandNewGateway",
			read: func(v any) (string, bool) { s := v.(*gen.Transaction).GatewayName; return string(s), s.Valid() },
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
		{"empty array dropped", `{"a":[]}`, `{}`, 0},
		{"array lost", `{"a":[null]}`, `{}`, 1},
		{"false dropped", `{"a":false}`, `{}`, 0},
		{"true lost", `{"a":true}`, `{}`, 1},
		{"empty string dropped", `{"a":""}`, `{}`, 0},
		{"string lost", `{"a":"0"}`, `{}`, 1},
		{"zeros dropped", `{"a":0,"b":-0.00,"c":0e5,"d":0.0E-3}`, `{}`, 0},
		{"numbers lost", `{"a":0.001,"b":-1,"c":1e-400,"d":10}`, `{}`, 4},
		{"empty object dropped", `{"a":{}}`, `{}`, 0},
		{"object of zeros dropped", `{"a":{"b":null,"c":false,"d":{"e":[]}}}`, `{}`, 0},
		{"object with a value lost", `{"a":{"b":null,"c":{"d":1}}}`, `{}`, 1},
		{"nested zero dropped", `{"a":{"b":1,"c":0}}`, `{"a":{"b":1}}`, 0},
		{"zero became a value", `{"a":0}`, `{"a":1}`, 1},
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

// TestSameValue checks the comparison the round-trip test makes on decoded values.
func TestSameValue(t *testing.T) {
	var union1, union2 gen.PaymentInstruction
	if err := union1.FromPaymentInstructionToken(gen.PaymentInstructionToken{Token: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := union2.FromPaymentInstructionToken(gen.PaymentInstructionToken{Token: "b"}); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	tests := []struct {
		name string
		a, b any
		same bool
	}{
		{"nil and empty slice", gen.PayoutRequest{Allocations: nil}, gen.PayoutRequest{Allocations: []gen.PayoutRequestAllocation{}}, true},
		{"nil and empty map", gen.CreditTransaction{CustomFields: nil}, gen.CreditTransaction{CustomFields: gen.ResourceCustomFields{}}, true},
		{"0.00 and no amount", gen.PayoutRequest{AvailableAmount: money.MustParse("0.00")}, gen.PayoutRequest{}, false},
		{"1.5 and 1.50", gen.PayoutRequest{Amount: money.MustParse("1.5")}, gen.PayoutRequest{Amount: money.MustParse("1.50")}, false},
		{"nil and false", gen.PayoutRequest{}, gen.PayoutRequest{Blocked: &no}, false},
		{"true and false", gen.PayoutRequest{Blocked: &yes}, gen.PayoutRequest{Blocked: new(bool)}, false},
		{"false behind two pointers", gen.PayoutRequest{Blocked: &no}, gen.PayoutRequest{Blocked: new(bool)}, true},
		{"slice element", []string{"a"}, []string{"b"}, false},
		{"union members", gen.CreditTransaction{PaymentInstruction: union1}, gen.CreditTransaction{PaymentInstruction: union2}, false},
		{"same union", gen.CreditTransaction{PaymentInstruction: union1}, gen.CreditTransaction{PaymentInstruction: union1}, true},
		{"map value", map[string]any{"a": 1.0}, map[string]any{"a": 2.0}, false},
		{"map key", map[string]any{"a": 1.0}, map[string]any{"b": 1.0}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameValue(reflect.ValueOf(tt.a), reflect.ValueOf(tt.b)); got != tt.same {
				t.Errorf("sameValue(%+v, %+v) = %v, want %v", tt.a, tt.b, got, tt.same)
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
