package spectest

import (
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// generatedStructs pairs the spec's main component schemas with their generated Go
// types. The comparison follows nested objects, arrays of objects and $refs from there
// (ContactObject, RiskMetadata, Money, TransactionLimitAmount, ...). Request bodies,
// including the inline ones, are paired with their types in requestBodyTypes
// (operations_test.go).
var generatedStructs = []struct {
	schema string
	typ    reflect.Type
}{
	{"PayoutRequest", reflect.TypeFor[gen.PayoutRequest]()},
	{"PayoutRequestAllocation", reflect.TypeFor[gen.PayoutRequestAllocation]()},
	{"PayoutRequestCancellation", reflect.TypeFor[gen.PayoutRequestCancellation]()},
	{"CreditTransaction", reflect.TypeFor[gen.CreditTransaction]()},
	{"Transaction", reflect.TypeFor[gen.Transaction]()},
}

var (
	amountType = reflect.TypeFor[money.Amount]()
	timeType   = reflect.TypeFor[time.Time]()
	dateType   = reflect.TypeFor[openapi_types.Date]()
	genPkgPath = reflect.TypeFor[gen.PayoutRequest]().PkgPath()
)

// structChecker compares a schema with a generated struct, recursively.
type structChecker struct {
	consts   map[string][]string // from generatedConstants
	problems []string
	enums    int // enum properties compared with generated constants
	seen     map[structKey]bool
}

type structKey struct {
	schema *openapi3.Schema
	typ    reflect.Type
}

func (c *structChecker) errorf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// compare checks that every property of s has a field in typ with the same JSON name,
// the pointer-ness and omitempty/omitzero that gen/oapi-codegen.yaml gives its required or
// optional property (see wantPointer), a Go type that fits the property's type, and, for
// enums, generated constants for exactly the spec's values; and that typ has no field the
// spec does not describe.
func (c *structChecker) compare(path string, s *openapi3.Schema, typ reflect.Type) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		c.errorf("%s: object schema generated as %s, want a struct", path, typ)
		return
	}
	key := structKey{s, typ}
	if c.seen[key] {
		return
	}
	c.seen[key] = true

	props := mergedProperties(s)
	required := mergedRequired(s)
	fields := jsonFields(typ)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)

	for _, name := range names {
		at := path + "." + name
		ref := props[name]
		p := ref.Value
		f, ok := fields[name]
		if !ok {
			c.errorf("%s: no field of %s has json tag %q", at, typeName(typ), name)
			continue
		}
		// The flags of the property itself (through a $ref, of its target), as
		// oapi-codegen reads them.
		readOnly, writeOnly, nullable := p.ReadOnly, p.WriteOnly, p.Nullable
		// A required readOnly or writeOnly property is generated like an optional one, so
		// that the side that must not send it can leave it out (oapi-codegen issue #604;
		// gen/oapi-codegen.yaml does not set disable-required-readonly-as-pointer).
		optional := !required[name] || readOnly || writeOnly
		isPointer := f.Type.Kind() == reflect.Pointer
		want, why := wantPointer(ref, optional || nullable)
		switch {
		case isPointer && !want:
			c.errorf("%s: field %s is a pointer (%s), want a plain value: %s", at, f.Name, f.Type, why)
		case !isPointer && want:
			c.errorf("%s: field %s is a %s, want a pointer: %s", at, f.Name, f.Type, why)
		}
		omitempty, omitzero := hasOmitempty(f), hasOmitzero(f)
		switch {
		case optional && !omitempty:
			c.errorf("%s: optional, but field %s has no omitempty", at, f.Name)
		case optional && !isPointer && !omitzero:
			// omitempty never leaves out a struct, a time or a money.Amount: without
			// omitzero an unset one would be sent as {}, 0001-01-01T00:00:00Z or 0.
			c.errorf("%s: optional plain field %s has no omitzero, so its zero value would be sent", at, f.Name)
		case optional && isPointer && omitzero:
			c.errorf("%s: optional pointer field %s has omitzero; generated with the pointer, it should have only omitempty", at, f.Name)
		case !optional && (omitempty || omitzero):
			c.errorf("%s: required, but field %s has omitempty or omitzero", at, f.Name)
		}
		c.compareValue(at, p, f.Type)
	}

	var extra []string
	for name := range fields {
		if _, ok := props[name]; !ok {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		c.errorf("%s: field %s (json %q) of %s has no property in the spec", path, fields[name].Name, name, typeName(typ))
	}
}

// typeName names a struct type for messages; generated nested objects are anonymous.
func typeName(typ reflect.Type) string {
	if typ.Name() != "" {
		return typ.Name()
	}
	return "the anonymous struct"
}

// skipOptionalPointerKey is the extension by which openapi.yaml overrides, for one property
// or parameter, the prefer-skip-optional-pointer setting of gen/oapi-codegen.yaml.
const skipOptionalPointerKey = "x-go-type-skip-optional-pointer"

// wantPointer says whether oapi-codegen, configured as gen/oapi-codegen.yaml is
// (prefer-skip-optional-pointer with omitzero, also on container types), generates a
// property as a pointer, and why. mayBeAbsent is true for an optional, nullable, readOnly or
// writeOnly property: only those can be pointers at all.
//
// The setting makes every such property a plain value, unless x-go-type-skip-optional-pointer
// says otherwise: on the property, on the schema it $refs, or on the member of an allOf
// wrapper (the generator reads it in each of these places). openapi.yaml sets it to false
// where absence and the zero value mean different things (docs/spec-notes.md).
//
// One exception comes from the generator, not the spec: an inline object schema named with
// x-go-type-name is generated as a pointer whatever the setting (oapi-codegen v2.8.2 rebuilds
// the schema for the named type and loses the setting; Transaction.3ds). It is applied
// only when no x-go-type-skip-optional-pointer decides; setting the extension on such a
// property decides its pointer-ness like anywhere else.
func wantPointer(ref *openapi3.SchemaRef, mayBeAbsent bool) (bool, string) {
	if !mayBeAbsent {
		return false, "required, sent both ways"
	}
	if skip, ok := skipOptionalPointer(ref); ok {
		if skip {
			return false, skipOptionalPointerKey + ": true"
		}
		return true, skipOptionalPointerKey + ": false"
	}
	if s := ref.Value; ref.Ref == "" && s.Type.Is(openapi3.TypeObject) && len(s.Properties) > 0 {
		if _, named := s.Extensions["x-go-type-name"]; named {
			return true, "an inline object named with x-go-type-name, which oapi-codegen always generates as a pointer"
		}
	}
	return false, "optional, generated as a plain value by prefer-skip-optional-pointer"
}

// skipOptionalPointer returns the x-go-type-skip-optional-pointer that applies to a
// property, looking at the $ref site, the schema, and the members of an allOf wrapper.
func skipOptionalPointer(ref *openapi3.SchemaRef) (skip, ok bool) {
	for _, ext := range []map[string]any{ref.Extensions, ref.Value.Extensions} {
		if v, found := ext[skipOptionalPointerKey]; found {
			b, isBool := v.(bool)
			return b, isBool
		}
	}
	for _, m := range ref.Value.AllOf {
		if m.Value == nil {
			continue
		}
		if skip, ok := skipOptionalPointer(m); ok {
			return skip, ok
		}
	}
	return false, false
}

// compareValue checks the Go type of one value against its schema and descends into
// objects and arrays. Unions (oneOf/anyOf) are opaque generated types and are not entered.
func (c *structChecker) compareValue(path string, p *openapi3.Schema, typ reflect.Type) {
	e := effective(p)
	if len(e.OneOf) > 0 || len(e.AnyOf) > 0 {
		return
	}
	base := typ
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if enum := enumValues(p); len(enum) > 0 {
		c.compareEnum(path, enum, base)
	}
	switch {
	case e.Type == nil || len(e.Type.Slice()) == 0:
		// No type (such as `items: {}`): any Go type will do.
	case e.Type.Is(openapi3.TypeString):
		switch e.Format {
		case "date-time":
			if base != timeType {
				c.errorf("%s: date-time generated as %s, want time.Time", path, typ)
			}
		case "date":
			if base != dateType {
				c.errorf("%s: date generated as %s, want openapi_types.Date", path, typ)
			}
		default:
			if base.Kind() != reflect.String {
				c.errorf("%s: string generated as %s", path, typ)
			}
		}
	case e.Type.Is(openapi3.TypeInteger):
		switch base.Kind() {
		case reflect.Int, reflect.Int32, reflect.Int64:
		default:
			c.errorf("%s: integer generated as %s", path, typ)
		}
	case e.Type.Is(openapi3.TypeBoolean):
		if base.Kind() != reflect.Bool {
			c.errorf("%s: boolean generated as %s", path, typ)
		}
	case e.Type.Is(openapi3.TypeNumber):
		if base != amountType && base.Kind() != reflect.Float64 {
			c.errorf("%s: number generated as %s", path, typ)
		}
	case e.Type.Is(openapi3.TypeArray):
		if base.Kind() != reflect.Slice {
			c.errorf("%s: array generated as %s", path, typ)
			return
		}
		if e.Items != nil && e.Items.Value != nil {
			c.compareValue(path+"[]", e.Items.Value, base.Elem())
		}
	case e.Type.Is(openapi3.TypeObject):
		if len(mergedProperties(e)) > 0 {
			c.compare(path, e, base)
		} else if base.Kind() != reflect.Map && base.Kind() != reflect.Interface {
			c.errorf("%s: free-form object generated as %s, want a map", path, typ)
		}
	}
}

// compareEnum checks that an enum property has its own generated type whose constants are
// exactly the spec's values.
func (c *structChecker) compareEnum(path string, enum []string, typ reflect.Type) {
	if typ.PkgPath() != genPkgPath || typ.Kind() != reflect.String {
		c.errorf("%s: enum generated as %s, want a string type of package gen", path, typ)
		return
	}
	c.enums++
	consts := c.consts[typ.Name()]
	for _, v := range setDiff(enum, consts) {
		c.errorf("%s: spec value %q has no gen.%s constant", path, v, typ.Name())
	}
	for _, v := range setDiff(consts, enum) {
		c.errorf("%s: gen.%s constant %q is not in the spec", path, typ.Name(), v)
	}
}

// TestGeneratedStructsMatchSpec compares the generated structs with openapi.yaml, property
// by property, so that editing the spec without regenerating (or the reverse) fails.
func TestGeneratedStructsMatchSpec(t *testing.T) {
	doc := loadSpec(t)
	consts := generatedConstants(t)
	for _, tt := range generatedStructs {
		t.Run(tt.schema, func(t *testing.T) {
			c := &structChecker{consts: consts, seen: map[structKey]bool{}}
			c.compare(tt.schema, componentSchema(t, doc, tt.schema), tt.typ)
			for _, p := range c.problems {
				t.Error(p)
			}
			t.Logf("%d structs and %d enum properties compared", len(c.seen), c.enums)
		})
	}
}

// TestGeneratedEnumsMatchSpec checks, for the enums the SDK's callers switch on, that the
// generated constants are exactly the spec's values. The small enums are listed here by
// hand, so a constant that disappears breaks the build of this test; the huge ones are
// read from gen/rebilly.gen.go.
func TestGeneratedEnumsMatchSpec(t *testing.T) {
	doc := loadSpec(t)
	consts := generatedConstants(t)

	small := []struct {
		path   []string
		consts []string
	}{
		{[]string{"PayoutRequest", "status"}, strs(
			gen.PayoutRequestStatusPending, gen.PayoutRequestStatusReady, gen.PayoutRequestStatusApproved,
			gen.PayoutRequestStatusInProgress, gen.PayoutRequestStatusFulfilled, gen.PayoutRequestStatusCanceled,
			gen.PayoutRequestStatusSplit, gen.PayoutRequestStatusMerged,
			gen.PayoutRequestStatusInstrumentSelected, gen.PayoutRequestStatusPartiallyFulfilled)},
		{[]string{"PayoutRequestBlockReason"}, strs(
			gen.PayoutRequestBlockReasonFraudSuspected, gen.PayoutRequestBlockReasonKycVerificationRequired,
			gen.PayoutRequestBlockReasonAmlReview, gen.PayoutRequestBlockReasonAccountVerification,
			gen.PayoutRequestBlockReasonDuplicateRequest, gen.PayoutRequestBlockReasonInsufficientDocumentation,
			gen.PayoutRequestBlockReasonRiskReview, gen.PayoutRequestBlockReasonOther)},
		{[]string{"PayoutRequestCancellation", "canceledBy"}, strs(
			gen.PayoutRequestCancellationCanceledByMerchant, gen.PayoutRequestCancellationCanceledByCustomer,
			gen.PayoutRequestCancellationCanceledBySystem)},
		{[]string{"PayoutRequestSplitReason"}, strs(
			gen.PayoutRequestSplitReasonPaymentInstrumentLimit, gen.PayoutRequestSplitReasonProcessorLimit,
			gen.PayoutRequestSplitReasonRiskReview, gen.PayoutRequestSplitReasonComplianceReview,
			gen.PayoutRequestSplitReasonPartialProcessing, gen.PayoutRequestSplitReasonOperationalReconciliation,
			gen.PayoutRequestSplitReasonOther)},
		{[]string{"PayoutRequest", "_links", "[]", "rel"}, strs(
			gen.PayoutRequestLinksRelSelf, gen.PayoutRequestLinksRelSplitFrom, gen.PayoutRequestLinksRelMergedInto,
			gen.PayoutRequestLinksRelPaymentInstrument)},
		{[]string{"PayoutRequestAllocation", "status"}, strs(
			gen.PayoutRequestAllocationStatusPending, gen.PayoutRequestAllocationStatusQueued,
			gen.PayoutRequestAllocationStatusProcessing, gen.PayoutRequestAllocationStatusWaitingCompletion,
			gen.PayoutRequestAllocationStatusCompleted, gen.PayoutRequestAllocationStatusFailed,
			gen.PayoutRequestAllocationStatusCanceled, gen.PayoutRequestAllocationStatusDeclined)},
		{[]string{"PayoutRequestAllocation", "gatewayPayoutInstruction"}, strs(
			gen.PayoutRequestAllocationGatewayPayoutInstructionAll,
			gen.PayoutRequestAllocationGatewayPayoutInstructionCoveredPayout,
			gen.PayoutRequestAllocationGatewayPayoutInstructionApprovedPayment,
			gen.PayoutRequestAllocationGatewayPayoutInstructionNone)},
		{[]string{"PayoutRequestAllocation", "transactionResult"}, strs(
			gen.PayoutRequestAllocationTransactionResultAbandoned, gen.PayoutRequestAllocationTransactionResultApproved,
			gen.PayoutRequestAllocationTransactionResultCanceled, gen.PayoutRequestAllocationTransactionResultDeclined,
			gen.PayoutRequestAllocationTransactionResultUnknown)},
		{[]string{"PayoutRequestAllocation", "transactionStatus"}, strs(
			gen.PayoutRequestAllocationTransactionStatusCompleted, gen.PayoutRequestAllocationTransactionStatusConnError,
			gen.PayoutRequestAllocationTransactionStatusDisputed, gen.PayoutRequestAllocationTransactionStatusNeverSent,
			gen.PayoutRequestAllocationTransactionStatusOffsite, gen.PayoutRequestAllocationTransactionStatusPartiallyRefunded,
			gen.PayoutRequestAllocationTransactionStatusPending, gen.PayoutRequestAllocationTransactionStatusRefunded,
			gen.PayoutRequestAllocationTransactionStatusSending, gen.PayoutRequestAllocationTransactionStatusTimeout,
			gen.PayoutRequestAllocationTransactionStatusVoided, gen.PayoutRequestAllocationTransactionStatusWaitingApproval,
			gen.PayoutRequestAllocationTransactionStatusWaitingCapture, gen.PayoutRequestAllocationTransactionStatusWaitingGateway,
			gen.PayoutRequestAllocationTransactionStatusWaitingRefund)},
		{[]string{"Transaction", "type"}, strs(
			gen.TransactionTypeThreeDSAuthentication, gen.TransactionTypeAuthorize, gen.TransactionTypeCapture,
			gen.TransactionTypeCredit, gen.TransactionTypeRefund, gen.TransactionTypeSale, gen.TransactionTypeSetup,
			gen.TransactionTypeVoid)},
		{[]string{"Transaction", "status"}, strs(
			gen.TransactionStatusCompleted, gen.TransactionStatusConnError, gen.TransactionStatusDisputed,
			gen.TransactionStatusNeverSent, gen.TransactionStatusOffsite, gen.TransactionStatusPartiallyRefunded,
			gen.TransactionStatusPending, gen.TransactionStatusRefunded, gen.TransactionStatusSending,
			gen.TransactionStatusTimeout, gen.TransactionStatusVoided, gen.TransactionStatusWaitingApproval,
			gen.TransactionStatusWaitingCapture, gen.TransactionStatusWaitingGateway, gen.TransactionStatusWaitingRefund)},
		{[]string{"Transaction", "result"}, strs(
			gen.TransactionResultAbandoned, gen.TransactionResultApproved, gen.TransactionResultCanceled,
			gen.TransactionResultDeclined, gen.TransactionResultUnknown)},
		{[]string{"Transaction", "disputeStatus"}, strs(
			gen.TransactionDisputeStatusResponseNeeded, gen.TransactionDisputeStatusUnderReview,
			gen.TransactionDisputeStatusForfeited, gen.TransactionDisputeStatusWon, gen.TransactionDisputeStatusLost,
			gen.TransactionDisputeStatusUnknown)},
		{[]string{"VaultedInstrument", "method"}, strs(
			gen.VaultedInstrumentMethodPaymentCard, gen.VaultedInstrumentMethodAch, gen.VaultedInstrumentMethodPaypal)},
		{[]string{"PayoutRequestAllocation", "_links", "[]", "rel"}, strs(
			gen.PayoutRequestAllocationLinksRelSelf, gen.PayoutRequestAllocationLinksRelTransaction,
			gen.PayoutRequestAllocationLinksRelGatewayAccount, gen.PayoutRequestAllocationLinksRelPayoutRequest,
			gen.PayoutRequestAllocationLinksRelPaymentInstrument)},
	}
	for _, tt := range small {
		name := strings.Join(tt.path, ".")
		t.Run(name, func(t *testing.T) {
			compareEnumSets(t, name, enumValues(schemaAt(t, doc, tt.path...)), tt.consts)
		})
	}

	// Enums of operations: an inline request body and a header parameter.
	t.Run("PATCH /payout-request-allocations/{id} body status", func(t *testing.T) {
		body := requestBodySchema(t, doc, http.MethodPatch, "/payout-request-allocations/{id}")
		status := mergedProperties(body)["status"]
		if status == nil || status.Value == nil {
			t.Fatal("the PATCH body has no status property")
		}
		compareEnumSets(t, "status", enumValues(status.Value), strs(
			gen.PayoutRequestAllocationUpdateStatusProcessing, gen.PayoutRequestAllocationUpdateStatusCanceled))
	})
	t.Run("GET /transactions/{id} Accept", func(t *testing.T) {
		accept := operationParameter(t, doc, http.MethodGet, "/transactions/{id}", "header", "Accept")
		compareEnumSets(t, "Accept", enumValues(accept.Schema.Value), strs(
			gen.GetTransactionParamsAcceptApplicationJSON, gen.GetTransactionParamsAcceptApplicationPdf))
		compareEnumSets(t, "mediaTypeJsonPdf", enumValues(accept.Schema.Value), strs(
			gen.MediaTypeJSONPdfApplicationJSON, gen.MediaTypeJSONPdfApplicationPdf))
	})

	// Huge enums: the generated type is named through reflect, so renaming it breaks the
	// build; its constants are read from the generated source.
	huge := []struct {
		path []string
		typ  reflect.Type
	}{
		{[]string{"GatewayName"}, reflect.TypeFor[gen.GatewayName]()},
		{[]string{"Transaction", "gatewayName"}, reflect.TypeFor[gen.GatewayName]()},
		{[]string{"AcquirerName"}, reflect.TypeFor[gen.AcquirerName]()},
		{[]string{"Transaction", "acquirerName"}, reflect.TypeFor[gen.AcquirerName]()},
		{[]string{"PaymentMethod"}, reflect.TypeFor[gen.PaymentMethod]()},
		{[]string{"PayoutRequestAllocation", "paymentMethod"}, reflect.TypeFor[gen.PaymentMethod]()},
		{[]string{"Transaction", "method"}, reflect.TypeFor[gen.PaymentMethod]()},
		{[]string{"AlternativePaymentInstrument", "method"}, reflect.TypeFor[gen.AlternativePaymentInstrumentMethod]()},
	}
	for _, tt := range huge {
		name := strings.Join(tt.path, ".")
		t.Run(name, func(t *testing.T) {
			got := consts[tt.typ.Name()]
			if len(got) == 0 {
				t.Fatalf("no constants of type %s in %s", tt.typ.Name(), genPath)
			}
			compareEnumSets(t, name, enumValues(schemaAt(t, doc, tt.path...)), got)
		})
	}

	// x-enum-varnames must pair one name with each value, or oapi-codegen silently
	// mis-names constants.
	t.Run("x-enum-varnames", func(t *testing.T) {
		var found int
		var walk func(path string, s *openapi3.Schema, seen map[*openapi3.Schema]bool)
		walk = func(path string, s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
			if s == nil || seen[s] {
				return
			}
			seen[s] = true
			if raw, ok := s.Extensions["x-enum-varnames"]; ok {
				found++
				names, _ := raw.([]any)
				if len(names) != len(s.Enum) {
					t.Errorf("%s: %d x-enum-varnames for %d enum values", path, len(names), len(s.Enum))
				}
				var ns []string
				for _, n := range names {
					ns = append(ns, fmt.Sprint(n))
				}
				if d := duplicates(ns); len(d) > 0 {
					t.Errorf("%s: duplicate x-enum-varnames %v", path, d)
				}
			}
			for name, p := range s.Properties {
				walk(path+"."+name, p.Value, seen)
			}
			if s.Items != nil {
				walk(path+"[]", s.Items.Value, seen)
			}
			for _, list := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
				for _, m := range list {
					walk(path, m.Value, seen)
				}
			}
		}
		seen := map[*openapi3.Schema]bool{}
		for name, ref := range doc.Components.Schemas {
			walk(name, ref.Value, seen)
		}
		if found == 0 {
			t.Error("no x-enum-varnames found; the walk is broken")
		}
		t.Logf("%d x-enum-varnames lists checked", found)
	})
}

func compareEnumSets(t *testing.T, name string, spec, generated []string) {
	t.Helper()
	if len(spec) == 0 {
		t.Fatalf("%s has no enum in openapi.yaml", name)
	}
	for _, v := range setDiff(spec, generated) {
		t.Errorf("%s: spec value %q has no generated constant", name, v)
	}
	for _, v := range setDiff(generated, spec) {
		t.Errorf("%s: generated constant %q is not in the spec", name, v)
	}
	if d := duplicates(spec); len(d) > 0 {
		t.Errorf("%s: spec lists %v more than once", name, d)
	}
}

// TestPointersWhereAbsenceMatters pins the places where openapi.yaml keeps a pointer under
// prefer-skip-optional-pointer, because leaving a value out and sending its zero value are
// different requests: every optional query or header parameter (an unset limit is not
// limit=0), and PayoutRequest.blocked (a PUT replaces the payout request, so an absent
// blocked and false differ). Dropping x-go-type-skip-optional-pointer: false from one of
// them would still generate code that matches the spec, so this test names them.
func TestPointersWhereAbsenceMatters(t *testing.T) {
	doc := loadSpec(t)
	var params int
	for id, at := range specOperations(doc) {
		for _, p := range operationParameters(doc, at.path, at.op) {
			if p.Required || (p.In != openapi3.ParameterInQuery && p.In != openapi3.ParameterInHeader) {
				continue
			}
			params++
			if want, why := wantParamPointer(p); !want {
				t.Errorf("%s: optional %s parameter %s is generated as a plain value (%s), so an unset one cannot be told from its zero value", id, p.In, p.Name, why)
			}
		}
	}
	if params == 0 {
		t.Error("no optional query or header parameter found; the walk is broken")
	}

	blocked := mergedProperties(componentSchema(t, doc, "PayoutRequest"))["blocked"]
	if blocked == nil || blocked.Value == nil {
		t.Fatal("PayoutRequest has no blocked property")
	}
	if want, why := wantPointer(blocked, true); !want {
		t.Errorf("PayoutRequest.blocked is generated as a plain value (%s), so a PUT cannot leave it out", why)
	}
	if f, ok := reflect.TypeFor[gen.PayoutRequest]().FieldByName("Blocked"); !ok || f.Type != reflect.TypeFor[*bool]() {
		t.Errorf("gen.PayoutRequest.Blocked is %v, want *bool", f.Type)
	}
}
