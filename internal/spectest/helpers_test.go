package spectest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Files the tests read, relative to this package's directory (go test runs there).
const (
	specPath     = "../../openapi.yaml"
	genPath      = "../../gen/rebilly.gen.go"
	officialPath = "../../../shared/reference/rebilly-payouts-official.yaml"
	// officialMorePath is the companion extract with nine more operations (GET
	// /transactions/{id}, the payout-request collection and cancellation, and the
	// allocation operations); it carries its own copy of every component it uses.
	officialMorePath = "../../../shared/reference/rebilly-payouts-more-official.yaml"
)

// officialPaths are the official files openapi.yaml is checked against.
var officialPaths = []string{officialPath, officialMorePath}

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

// loadSpec returns openapi.yaml, loaded and validated once for the whole test binary.
// Callers must not modify the document.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	specOnce.Do(func() {
		specDoc, specErr = openapi3.NewLoader().LoadFromFile(specPath)
		if specErr == nil {
			specErr = specDoc.Validate(context.Background())
		}
	})
	if specErr != nil {
		t.Fatalf("loading %s: %v", specPath, specErr)
	}
	return specDoc
}

var (
	genOnce   sync.Once
	genConsts map[string][]string // Go type name -> string values of its constants
	genErr    error
)

// generatedConstants parses gen/rebilly.gen.go and returns, for every named type, the
// string values of the constants declared with that type. Go has no reflection over
// constants, so this is how the huge enums are compared with the spec.
func generatedConstants(t *testing.T) map[string][]string {
	t.Helper()
	genOnce.Do(func() {
		var f *ast.File
		f, genErr = parser.ParseFile(token.NewFileSet(), genPath, nil, parser.SkipObjectResolution)
		if genErr != nil {
			return
		}
		genConsts = map[string][]string{}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				typ, ok := vs.Type.(*ast.Ident)
				if !ok {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						genErr = fmt.Errorf("constant of type %s is not a string literal: %T", typ.Name, v)
						return
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						genErr = err
						return
					}
					genConsts[typ.Name] = append(genConsts[typ.Name], s)
				}
			}
		}
	})
	if genErr != nil {
		t.Fatalf("parsing %s: %v", genPath, genErr)
	}
	return genConsts
}

// componentSchema returns the component schema called name, failing the test if it is absent.
func componentSchema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	ref, ok := doc.Components.Schemas[name]
	if !ok || ref == nil || ref.Value == nil {
		t.Fatalf("openapi.yaml has no component schema %q", name)
	}
	return ref.Value
}

// schemaAt walks from a component schema through property names, "[]" for array items.
// Properties are looked up through allOf, the way oapi-codegen merges them.
func schemaAt(t *testing.T, doc *openapi3.T, path ...string) *openapi3.Schema {
	t.Helper()
	s := componentSchema(t, doc, path[0])
	for i, seg := range path[1:] {
		var next *openapi3.SchemaRef
		if seg == "[]" {
			next = effective(s).Items
		} else {
			next = mergedProperties(s)[seg]
		}
		if next == nil || next.Value == nil {
			t.Fatalf("openapi.yaml: no schema at %s", strings.Join(path[:i+2], "."))
		}
		s = next.Value
	}
	return s
}

// mergedProperties returns the properties of s together with those of its allOf members.
func mergedProperties(s *openapi3.Schema) openapi3.Schemas {
	out := openapi3.Schemas{}
	for name, p := range s.Properties {
		out[name] = p
	}
	for _, member := range s.AllOf {
		if member.Value == nil {
			continue
		}
		for name, p := range mergedProperties(member.Value) {
			if _, ok := out[name]; !ok {
				out[name] = p
			}
		}
	}
	return out
}

// mergedRequired returns the required property names of s and of its allOf members.
func mergedRequired(s *openapi3.Schema) map[string]bool {
	out := map[string]bool{}
	for _, r := range s.Required {
		out[r] = true
	}
	for _, member := range s.AllOf {
		if member.Value != nil {
			for r := range mergedRequired(member.Value) {
				out[r] = true
			}
		}
	}
	return out
}

// effective looks through a schema that only wraps others in allOf (`allOf: [$ref X]` plus
// sibling keywords such as readOnly or nullable) and returns the first member that says
// what the value is. Other schemas are returned unchanged.
func effective(s *openapi3.Schema) *openapi3.Schema {
	if s.Type != nil && len(s.Type.Slice()) > 0 || len(s.Properties) > 0 || len(s.AllOf) == 0 {
		return s
	}
	for _, member := range s.AllOf {
		if member.Value == nil {
			continue
		}
		if e := effective(member.Value); e.Type != nil && len(e.Type.Slice()) > 0 || len(e.Enum) > 0 {
			return e
		}
	}
	return s
}

// enumValues returns the enum of s, looking through allOf wrappers. null entries are dropped.
func enumValues(s *openapi3.Schema) []string {
	enum := effective(s).Enum
	out := make([]string, 0, len(enum))
	for _, v := range enum {
		if v == nil {
			continue
		}
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// setDiff returns the elements of a that are not in b, sorted.
func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// duplicates returns the values that occur more than once in vs.
func duplicates(vs []string) []string {
	seen := map[string]int{}
	var out []string
	for _, v := range vs {
		seen[v]++
		if seen[v] == 2 {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// strs converts enum constants to their string values.
func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// jsonFields maps the JSON names of t's fields (t a struct, or a pointer to one) to the
// fields. Fields tagged "-" are left out.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

// hasOmitempty reports whether the field's json tag carries omitempty.
func hasOmitempty(f reflect.StructField) bool {
	return hasJSONOption(f, "omitempty")
}

// hasOmitzero reports whether the field's json tag carries omitzero.
func hasOmitzero(f reflect.StructField) bool {
	return hasJSONOption(f, "omitzero")
}

func hasJSONOption(f reflect.StructField, option string) bool {
	_, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	return slices.Contains(strings.Split(opts, ","), option)
}

// readTestdata reads a file from testdata/.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeGeneric decodes a JSON document into maps, slices and json.Number, so numbers keep
// their exact text. It rejects trailing data.
func decodeGeneric(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding JSON: %v", err)
	}
	if dec.More() {
		t.Fatal("decoding JSON: trailing data")
	}
	return v
}

// decodeStrict decodes data into out the way the SDK does (plain encoding/json), but
// rejects any member that out has no field for, so a sample proves every field is modelled.
func decodeStrict(data []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

// diffJSON compares two generic documents (from decodeGeneric) and returns one line per
// difference, by path. Numbers compare as exact text. A member of want that is null or
// zero (see zeroJSON) may be absent in got: the generated types model an optional member
// as a plain value with omitzero, so null, false, 0, "", [] and {} all decode to the zero
// value, which is left out when encoded again. Whether a member decoded to the zero value
// at all (0.00 is a money.Amount that is set) is for the caller to check on the Go value.
// Every other member must come back unchanged, and got must not gain members.
func diffJSON(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %s", path, describe(got))}
		}
		var out []string
		for _, k := range sortedKeys(w) {
			gv, ok := g[k]
			if !ok {
				if !zeroJSON(w[k]) {
					out = append(out, fmt.Sprintf("%s.%s: lost (was %s)", path, k, describe(w[k])))
				}
				continue
			}
			out = append(out, diffJSON(path+"."+k, w[k], gv)...)
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s: added (%s)", path, k, describe(g[k])))
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an array, got %s", path, describe(got))}
		}
		if len(w) != len(g) {
			return []string{fmt.Sprintf("%s: want %d elements, got %d", path, len(w), len(g))}
		}
		var out []string
		for i := range w {
			out = append(out, diffJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return out
	default:
		// json.Number, string, bool or nil: compare type and exact value.
		if reflect.TypeOf(want) != reflect.TypeOf(got) || want != got {
			return []string{fmt.Sprintf("%s: want %s, got %s", path, describe(want), describe(got))}
		}
		return nil
	}
}

// zeroJSON reports whether a generic value (from decodeGeneric) may stand for a Go zero
// value: null, false, "", a number whose digits are all 0, an empty array, or an object
// whose members are all such (a struct of zero fields, or an empty map).
func zeroJSON(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case string:
		return v == ""
	case json.Number:
		mantissa, _, _ := strings.Cut(strings.ToLower(strings.TrimPrefix(v.String(), "-")), "e")
		return strings.Trim(mantissa, "0.") == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, m := range v {
			if !zeroJSON(m) {
				return false
			}
		}
		return true
	}
	return false
}

// sameValue is reflect.DeepEqual for two values of one type, except that a nil and an
// empty slice or map are the same: omitempty leaves both out, so decoding cannot tell
// them apart. Unexported fields (a union's raw JSON) are compared too.
func sameValue(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if bv := b.MapIndex(k); !bv.IsValid() || !sameValue(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Elem().Type() != b.Elem().Type() {
			return false
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	default:
		return a.Equal(b)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func describe(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return fmt.Sprintf("object with %d members", len(v))
	case []any:
		return fmt.Sprintf("array of %d", len(v))
	case json.Number:
		return "number " + v.String()
	case string:
		return strconv.Quote(v)
	default:
		return fmt.Sprintf("%v", v)
	}
}
