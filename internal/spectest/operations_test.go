package spectest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/paysdk/rebilly/gen"
)

// specOperation returns an operation of openapi.yaml, failing the test if it is absent.
func specOperation(t *testing.T, doc *openapi3.T, method, path string) *openapi3.Operation {
	t.Helper()
	item := doc.Paths.Value(path)
	if item == nil {
		t.Fatalf("openapi.yaml has no path %s", path)
	}
	op := item.GetOperation(method)
	if op == nil {
		t.Fatalf("openapi.yaml has no %s %s", method, path)
	}
	return op
}

// requestBodySchema returns the application/json schema of an operation's request body.
func requestBodySchema(t *testing.T, doc *openapi3.T, method, path string) *openapi3.Schema {
	t.Helper()
	op := specOperation(t, doc, method, path)
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		t.Fatalf("%s %s has no request body", method, path)
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		t.Fatalf("%s %s: the request body has no application/json schema", method, path)
	}
	return mt.Schema.Value
}

// operationParameters returns an operation's parameters, path-level ones first.
func operationParameters(doc *openapi3.T, path string, op *openapi3.Operation) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, list := range []openapi3.Parameters{doc.Paths.Value(path).Parameters, op.Parameters} {
		for _, p := range list {
			if p != nil && p.Value != nil {
				out = append(out, p.Value)
			}
		}
	}
	return out
}

// operationParameter returns one parameter of an operation.
func operationParameter(t *testing.T, doc *openapi3.T, method, path, in, name string) *openapi3.Parameter {
	t.Helper()
	for _, p := range operationParameters(doc, path, specOperation(t, doc, method, path)) {
		if p.In == in && p.Name == name {
			if p.Schema == nil || p.Schema.Value == nil {
				t.Fatalf("%s %s: parameter %s %s has no schema", method, path, in, name)
			}
			return p
		}
	}
	t.Fatalf("%s %s has no %s parameter %s", method, path, in, name)
	return nil
}

// specOperations lists openapi.yaml's operations by operationId.
func specOperations(doc *openapi3.T) map[string]struct {
	method, path string
	op           *openapi3.Operation
} {
	out := map[string]struct {
		method, path string
		op           *openapi3.Operation
	}{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[op.OperationID] = struct {
				method, path string
				op           *openapi3.Operation
			}{method, path, op}
		}
	}
	return out
}

// requestBodyTypes pairs every operation that has a JSON request body with the type its
// generated request builder takes (gen.<operationId>JSONRequestBody) and the named type
// that alias stands for, which the SDK's services use.
var requestBodyTypes = []struct {
	operationID string
	body        reflect.Type // gen.<operationId>JSONRequestBody
	named       reflect.Type
}{
	{"PostPayoutRequest", reflect.TypeFor[gen.PostPayoutRequestJSONRequestBody](), reflect.TypeFor[gen.PayoutRequest]()},
	{"PutPayoutRequest", reflect.TypeFor[gen.PutPayoutRequestJSONRequestBody](), reflect.TypeFor[gen.PayoutRequest]()},
	{"PostPayout", reflect.TypeFor[gen.PostPayoutJSONRequestBody](), reflect.TypeFor[gen.CreditTransaction]()},
	{"PostPayoutRequestCancellation", reflect.TypeFor[gen.PostPayoutRequestCancellationJSONRequestBody](), reflect.TypeFor[gen.PayoutRequestCancellation]()},
	{"PostPayoutRequestAllocation", reflect.TypeFor[gen.PostPayoutRequestAllocationJSONRequestBody](), reflect.TypeFor[gen.PayoutRequestAllocationCreate]()},
	{"PostPayoutRequestAutoAllocation", reflect.TypeFor[gen.PostPayoutRequestAutoAllocationJSONRequestBody](), reflect.TypeFor[gen.PayoutRequestAutoAllocation]()},
	{"PostPayoutRequestAllocationsProcess", reflect.TypeFor[gen.PostPayoutRequestAllocationsProcessJSONRequestBody](), reflect.TypeFor[gen.PayoutRequestAllocationsProcess]()},
	{"PatchPayoutRequestAllocation", reflect.TypeFor[gen.PatchPayoutRequestAllocationJSONRequestBody](), reflect.TypeFor[gen.PayoutRequestAllocationUpdate]()},
}

// TestRequestBodyTypesMatchSpec compares every request body schema (components and inline
// ones) with its generated type, field by field, like TestGeneratedStructsMatchSpec.
func TestRequestBodyTypesMatchSpec(t *testing.T) {
	doc := loadSpec(t)
	consts := generatedConstants(t)
	ops := specOperations(doc)

	var withBody, listed []string
	for id, at := range ops {
		if at.op.RequestBody != nil {
			withBody = append(withBody, id)
		}
	}
	for _, tt := range requestBodyTypes {
		listed = append(listed, tt.operationID)
	}
	sort.Strings(withBody)
	sort.Strings(listed)
	if !slices.Equal(withBody, listed) {
		t.Errorf("operations with a request body = %v, but requestBodyTypes lists %v", withBody, listed)
	}

	for _, tt := range requestBodyTypes {
		t.Run(tt.operationID, func(t *testing.T) {
			at, ok := ops[tt.operationID]
			if !ok {
				t.Fatalf("openapi.yaml has no operation %s", tt.operationID)
			}
			if tt.body != tt.named {
				t.Errorf("gen.%sJSONRequestBody is %s, want an alias of %s", tt.operationID, tt.body, tt.named)
			}
			c := &structChecker{consts: consts, seen: map[structKey]bool{}}
			c.compare(tt.operationID+" body", requestBodySchema(t, doc, at.method, at.path), tt.named)
			for _, p := range c.problems {
				t.Error(p)
			}
		})
	}
}

// paramsTypes pairs every operation that has query or header parameters with its
// generated gen.<operationId>Params struct.
var paramsTypes = map[string]reflect.Type{
	"GetTransaction":                       reflect.TypeFor[gen.GetTransactionParams](),
	"GetPayoutRequestCollection":           reflect.TypeFor[gen.GetPayoutRequestCollectionParams](),
	"GetPayoutRequestAllocationCollection": reflect.TypeFor[gen.GetPayoutRequestAllocationCollectionParams](),
}

// wantParamPointer says whether oapi-codegen, configured as gen/oapi-codegen.yaml is,
// generates a query or header parameter's field as a pointer, and why. An optional
// parameter is a plain value (prefer-skip-optional-pointer) unless
// x-go-type-skip-optional-pointer says otherwise, on the parameter or, failing that, on its
// schema. openapi.yaml sets it to false on every optional parameter, so that an unset one
// is not sent (docs/spec-notes.md); TestPointersWhereAbsenceMatters checks that.
func wantParamPointer(p *openapi3.Parameter) (bool, string) {
	if p.Required {
		return false, "required"
	}
	if v, ok := p.Extensions[skipOptionalPointerKey]; ok {
		skip, _ := v.(bool)
		return !skip, fmt.Sprintf("the parameter says %s: %v", skipOptionalPointerKey, v)
	}
	if skip, ok := skipOptionalPointer(p.Schema); ok {
		return !skip, fmt.Sprintf("its schema says %s: %v", skipOptionalPointerKey, skip)
	}
	return false, "optional, generated as a plain value by prefer-skip-optional-pointer"
}

// TestParamsTypesMatchSpec checks that each gen.<operationId>Params struct has exactly one
// field per query or header parameter, named by the parameter in its json (and, for a
// query parameter, form) tag, a pointer or not as wantParamPointer says, with omitempty
// when optional, and with a Go type that fits the parameter's schema (enum constants
// included).
func TestParamsTypesMatchSpec(t *testing.T) {
	doc := loadSpec(t)
	consts := generatedConstants(t)
	ops := specOperations(doc)

	for id, at := range ops {
		var params []*openapi3.Parameter
		for _, p := range operationParameters(doc, at.path, at.op) {
			if p.In == openapi3.ParameterInQuery || p.In == openapi3.ParameterInHeader {
				params = append(params, p)
			}
		}
		typ, listed := paramsTypes[id]
		switch {
		case len(params) == 0 && listed:
			t.Errorf("paramsTypes lists %s, which has no query or header parameters", id)
			continue
		case len(params) == 0:
			continue
		case !listed:
			t.Errorf("%s has query or header parameters; add its gen.%sParams to paramsTypes", id, id)
			continue
		}
		t.Run(id, func(t *testing.T) {
			fields := jsonFields(typ)
			c := &structChecker{consts: consts, seen: map[structKey]bool{}}
			for _, p := range params {
				at := fmt.Sprintf("%s %s", p.In, p.Name)
				f, ok := fields[p.Name]
				if !ok {
					t.Errorf("%s: no field of %s has json tag %q", at, typ.Name(), p.Name)
					continue
				}
				delete(fields, p.Name)
				if p.In == openapi3.ParameterInQuery {
					if name, _, _ := strings.Cut(f.Tag.Get("form"), ","); name != p.Name {
						t.Errorf("%s: field %s has form tag %q, want %q", at, f.Name, name, p.Name)
					}
				}
				want, why := wantParamPointer(p)
				switch isPointer := f.Type.Kind() == reflect.Pointer; {
				case isPointer && !want:
					t.Errorf("%s: field %s is a pointer (%s), want a plain value: %s", at, f.Name, f.Type, why)
				case !isPointer && want:
					t.Errorf("%s: field %s is a %s, want a pointer: %s", at, f.Name, f.Type, why)
				case !p.Required && !hasOmitempty(f):
					t.Errorf("%s: optional, but field %s has no omitempty", at, f.Name)
				case !p.Required && !isPointer && !hasOmitzero(f):
					t.Errorf("%s: optional plain field %s has no omitzero", at, f.Name)
				}
				c.compareValue(at, p.Schema.Value, f.Type)
			}
			for name, f := range fields {
				t.Errorf("field %s (json %q) of %s is not a parameter in the spec", f.Name, name, typ.Name())
			}
			for _, p := range c.problems {
				t.Error(p)
			}
		})
	}
}

// TestRequestBuildersMatchSpec checks, in the generated source, that every operation has
// its request builder gen.New<operationId>Request, taking the server, then each path
// parameter in order, then *<operationId>Params when the operation has query or header
// parameters, then <operationId>JSONRequestBody when it has a JSON body.
func TestRequestBuildersMatchSpec(t *testing.T) {
	doc := loadSpec(t)
	f, err := parser.ParseFile(token.NewFileSet(), genPath, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	builders := map[string][]string{} // function name -> "name type" per parameter
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "New") {
			continue
		}
		var params []string
		for _, field := range fn.Type.Params.List {
			for _, name := range field.Names {
				params = append(params, name.Name+" "+types.ExprString(field.Type))
			}
		}
		builders[fn.Name.Name] = params
	}

	ops := specOperations(doc)
	ids := make([]string, 0, len(ops))
	for id := range ops {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		at := ops[id]
		want := []string{"server string"}
		var hasParams bool
		for _, p := range operationParameters(doc, at.path, at.op) {
			switch p.In {
			case openapi3.ParameterInPath:
				// Every path parameter is the resourceId component, generated as ID.
				want = append(want, p.Name+" ID")
			case openapi3.ParameterInQuery, openapi3.ParameterInHeader:
				hasParams = true
			}
		}
		if hasParams {
			want = append(want, "params *"+id+"Params")
		}
		if at.op.RequestBody != nil {
			want = append(want, "body "+id+"JSONRequestBody")
		}
		name := "New" + id + "Request"
		got, ok := builders[name]
		if !ok {
			t.Errorf("%s %s: gen has no %s", at.method, at.path, name)
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("gen.%s(%s), want (%s)", name, strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
	if len(ids) != len(officialOperations) {
		t.Errorf("%d operations in openapi.yaml, %d in officialOperations", len(ids), len(officialOperations))
	}
}

// The request builders and types the SDK's services call, named here so that renaming
// one breaks this package's build, not only theirs.
var (
	_ = gen.NewGetTransactionRequest
	_ = gen.NewGetPayoutRequestCollectionRequest
	_ = gen.NewPostPayoutRequestCancellationRequest
	_ = gen.NewPostPayoutRequestAllocationRequest
	_ = gen.NewPostPayoutRequestAutoAllocationRequest
	_ = gen.NewPostPayoutRequestAllocationsProcessRequest
	_ = gen.NewGetPayoutRequestAllocationRequest
	_ = gen.NewGetPayoutRequestAllocationCollectionRequest
	_ = gen.NewPatchPayoutRequestAllocationRequest
	_ = gen.NewPostPayoutRequestRequest
	_ = gen.NewGetPayoutRequestRequest
	_ = gen.NewPutPayoutRequestRequest
	_ = gen.NewPostPayoutRequest
)
