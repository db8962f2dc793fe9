package spectest

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// officialOperations is what Rebilly's official definitions publish for the operations
// the SDK wraps: method, path and the complete list of response status codes (sorted).
// TestOfficialOperationsTable checks the table against the official files.
var officialOperations = []struct {
	id     string
	method string
	path   string
	codes  []string
}{
	// rebilly-payouts-official.yaml
	{"PostPayoutRequest", http.MethodPost, "/payout-requests", []string{"201", "401", "403", "422", "429"}},
	{"GetPayoutRequest", http.MethodGet, "/payout-requests/{id}", []string{"200", "401", "403", "404"}},
	{"PutPayoutRequest", http.MethodPut, "/payout-requests/{id}", []string{"200", "201", "401", "403", "404", "422", "429"}},
	{"PostPayout", http.MethodPost, "/payouts", []string{"201", "401", "403", "409", "422", "429"}},
	// rebilly-payouts-more-official.yaml
	{"GetTransaction", http.MethodGet, "/transactions/{id}", []string{"200", "401", "403", "404"}},
	{"GetPayoutRequestCollection", http.MethodGet, "/payout-requests", []string{"200", "401", "403"}},
	{"PostPayoutRequestCancellation", http.MethodPost, "/payout-requests/{id}/cancel", []string{"200", "401", "403", "404", "409", "422", "429"}},
	{"PostPayoutRequestAllocation", http.MethodPost, "/payout-request-allocations", []string{"201", "401", "403", "404", "409", "422", "429"}},
	{"PostPayoutRequestAutoAllocation", http.MethodPost, "/payout-request-allocations/auto", []string{"204", "401", "403", "404", "409", "422", "429"}},
	{"PostPayoutRequestAllocationsProcess", http.MethodPost, "/payout-request-allocations/process", []string{"204", "401", "403", "422", "429"}},
	{"GetPayoutRequestAllocation", http.MethodGet, "/payout-request-allocations/{id}", []string{"200", "401", "403", "404"}},
	{"GetPayoutRequestAllocationCollection", http.MethodGet, "/payout-request-allocations", []string{"200", "401", "403"}},
	{"PatchPayoutRequestAllocation", http.MethodPatch, "/payout-request-allocations/{id}", []string{"200", "401", "403", "404", "409", "422", "429"}},
}

// TestSpecLoadsAndValidates loads openapi.yaml with kin-openapi, validates it (which also
// validates the schema example against its schema) and checks the operations, servers,
// security and rate-limit headers against the official definitions.
func TestSpecLoadsAndValidates(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile(specPath)
	if err != nil {
		t.Fatalf("LoadFromFile(%s): %v", specPath, err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		t.Errorf("openapi = %q, want 3.0.x (oapi-codegen reads 3.0)", doc.OpenAPI)
	}

	type opAt struct {
		method, path string
		op           *openapi3.Operation
	}
	ops := map[string]opAt{}
	var count int
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			count++
			if prev, dup := ops[op.OperationID]; dup {
				t.Errorf("operationId %q is used by %s %s and %s %s", op.OperationID, prev.method, prev.path, method, path)
			}
			ops[op.OperationID] = opAt{method, path, op}
		}
	}
	if count != len(officialOperations) {
		t.Errorf("spec has %d operations, want exactly %d", count, len(officialOperations))
	}

	for _, want := range officialOperations {
		t.Run(want.id, func(t *testing.T) {
			got, ok := ops[want.id]
			if !ok {
				t.Fatalf("no operation with operationId %q", want.id)
			}
			if got.method != want.method || got.path != want.path {
				t.Errorf("%s is %s %s, want %s %s", want.id, got.method, got.path, want.method, want.path)
			}
			var codes []string
			for code := range got.op.Responses.Map() {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			if !slices.Equal(codes, want.codes) {
				t.Errorf("response codes = %v, want %v", codes, want.codes)
			}
			for code, resp := range got.op.Responses.Map() {
				if resp.Value == nil {
					t.Errorf("response %s is not resolved", code)
					continue
				}
				if code != "429" {
					continue
				}
				h := resp.Value.Headers["X-RateLimit-Retry-After"]
				if h == nil || h.Value == nil {
					t.Errorf("429 response does not declare the X-RateLimit-Retry-After header")
					continue
				}
				if s := h.Value.Schema; s == nil || s.Value == nil || !s.Value.Type.Is(openapi3.TypeInteger) {
					t.Errorf("X-RateLimit-Retry-After is not an integer (Unix timestamp)")
				}
			}
		})
	}

	t.Run("servers", func(t *testing.T) {
		wantURLs := []string{
			"https://api-sandbox.rebilly.com/organizations/{organizationId}",
			"https://api.rebilly.com/organizations/{organizationId}",
		}
		var urls []string
		for _, s := range doc.Servers {
			urls = append(urls, s.URL)
			v := s.Variables["organizationId"]
			if v == nil {
				t.Errorf("server %s has no organizationId variable", s.URL)
			} else if v.Default == "" {
				t.Errorf("server %s: organizationId has no default", s.URL)
			}
			if len(s.Variables) != 1 {
				t.Errorf("server %s has %d variables, want only organizationId", s.URL, len(s.Variables))
			}
		}
		if !slices.Equal(urls, wantURLs) {
			t.Errorf("servers = %v, want %v", urls, wantURLs)
		}
	})

	t.Run("security", func(t *testing.T) {
		schemes := doc.Components.SecuritySchemes
		tests := []struct {
			name, typ, in, header, scheme string
		}{
			{name: "SecretApiKey", typ: "apiKey", in: "header", header: "REB-APIKEY"},
			{name: "JWT", typ: "http", scheme: "bearer"},
			{name: "ApplicationJWT", typ: "http", scheme: "bearer"},
		}
		for _, tt := range tests {
			ref := schemes[tt.name]
			if ref == nil || ref.Value == nil {
				t.Errorf("no security scheme %s", tt.name)
				continue
			}
			s := ref.Value
			if s.Type != tt.typ || s.In != tt.in || s.Name != tt.header || !strings.EqualFold(s.Scheme, tt.scheme) {
				t.Errorf("security scheme %s = {type %q, in %q, name %q, scheme %q}, want {%q, %q, %q, %q}",
					tt.name, s.Type, s.In, s.Name, s.Scheme, tt.typ, tt.in, tt.header, tt.scheme)
			}
		}
		// Top level: the secret key or a JWT. POST /payouts and GET /transactions/{id} also
		// take an application JWT; every other operation inherits the top level.
		if got := requirementNames(doc.Security); !slices.Equal(got, []string{"SecretApiKey", "JWT"}) {
			t.Errorf("top-level security = %v, want [SecretApiKey JWT]", got)
		}
		withAppJWT := map[string]bool{"PostPayout": true, "GetTransaction": true}
		for id, at := range ops {
			switch {
			case !withAppJWT[id] && at.op.Security != nil:
				t.Errorf("%s has security of its own (%v); the official file gives it none", id, requirementNames(*at.op.Security))
			case withAppJWT[id] && at.op.Security == nil:
				t.Errorf("%s has no security of its own", id)
			case withAppJWT[id]:
				if got := requirementNames(*at.op.Security); !slices.Equal(got, []string{"SecretApiKey", "JWT", "ApplicationJWT"}) {
					t.Errorf("%s security = %v, want [SecretApiKey JWT ApplicationJWT]", id, got)
				}
			}
		}
	})
}

// requirementNames lists security alternatives, each a single scheme with no scopes.
func requirementNames(reqs openapi3.SecurityRequirements) []string {
	var out []string
	for _, r := range reqs {
		for name := range r {
			if len(r) != 1 {
				name = "<combined:" + name + ">"
			}
			out = append(out, name)
		}
	}
	return out
}
