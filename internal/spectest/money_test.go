package spectest

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/paysdk/rebilly/gen"
)

// moneyHolders maps every schema that has a money property (or is money) to its generated
// Go type: component schemas by name, inline schemas of operations as "<METHOD> <path>
// requestBody" (see specNumbers). A new schema with a money property must be added here.
var moneyHolders = map[string]reflect.Type{
	"CreditTransaction":       reflect.TypeFor[gen.CreditTransaction](),
	"Money":                   reflect.TypeFor[gen.Money](),
	"MoneyAmount":             reflect.TypeFor[gen.MoneyAmount](),
	"PayoutRequest":           reflect.TypeFor[gen.PayoutRequest](),
	"PayoutRequestAllocation": reflect.TypeFor[gen.PayoutRequestAllocation](),
	"RiskMetadata":            reflect.TypeFor[gen.RiskMetadata](),
	"Transaction":             reflect.TypeFor[gen.Transaction](),
	"TransactionLimitAmount":  reflect.TypeFor[gen.TransactionLimitAmount](),

	"POST /payout-request-allocations requestBody": reflect.TypeFor[gen.PayoutRequestAllocationCreate](),
}

// floatNumbers are the only numbers that are not money (docs/spec-notes.md).
var floatNumbers = map[string]bool{
	"RiskMetadata.latitude":  true,
	"RiskMetadata.longitude": true,
}

// isMoney reports whether the schema (or the one it wraps in allOf) maps to money.Amount.
func isMoney(s *openapi3.Schema) bool {
	for _, c := range []*openapi3.Schema{s, effective(s)} {
		if v, ok := c.Extensions["x-go-type"].(string); ok && v == "money.Amount" {
			return true
		}
	}
	return false
}

// numberSite is a number in the spec: a component, and a path of property names and "[]".
type numberSite struct {
	component string
	path      []string
	money     bool
}

func (n numberSite) String() string {
	return strings.Join(append([]string{n.component}, n.path...), ".")
}

// specNumbers lists every number of every component schema and of every inline schema of
// an operation (parameters, request bodies, responses), with whether it is money. $refs
// are not followed (each component is listed on its own), but a property that refers to a
// money component, such as `$ref: MoneyAmount`, counts as money. An inline schema is named
// "<METHOD> <path> requestBody", "<METHOD> <path> <status>" or "<METHOD> <path> <in>
// <name>".
func specNumbers(doc *openapi3.T) []numberSite {
	var out []numberSite
	var visit func(component string, path []string, ref *openapi3.SchemaRef)
	var walk func(component string, path []string, s *openapi3.Schema)
	visit = func(component string, path []string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil {
			return
		}
		if t := effective(ref.Value).Type; t != nil && t.Is(openapi3.TypeNumber) {
			out = append(out, numberSite{component, slicesClone(path), isMoney(ref.Value)})
		}
		if ref.Ref != "" {
			return
		}
		walk(component, path, ref.Value)
		visit(component, append(slicesClone(path), "[]"), ref.Value.Items)
	}
	walk = func(component string, path []string, s *openapi3.Schema) {
		for name, p := range s.Properties {
			visit(component, append(slicesClone(path), name), p)
		}
		for _, list := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, m := range list {
				if m.Ref == "" && m.Value != nil {
					walk(component, path, m.Value)
				}
			}
		}
	}
	for name, ref := range doc.Components.Schemas {
		// The component itself, inline: its own number-ness and its properties.
		visit(name, nil, &openapi3.SchemaRef{Value: ref.Value})
	}
	// Inline schemas of operations; a $ref to a component is covered by the component.
	// Component parameters, request bodies and responses are inlined by kin-openapi at
	// each use, so they are reached here too.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			for _, p := range append(slicesCloneParams(item.Parameters), op.Parameters...) {
				if p.Value != nil {
					visit(where+" "+p.Value.In+" "+p.Value.Name, nil, p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					visit(where+" requestBody", nil, mt.Schema)
				}
			}
			for code, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					visit(where+" "+code, nil, mt.Schema)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

func slicesCloneParams(p openapi3.Parameters) openapi3.Parameters {
	return append(openapi3.Parameters(nil), p...)
}

// goFieldType follows a path of JSON names and "[]" through a Go type.
func goFieldType(typ reflect.Type, path []string) (reflect.Type, bool) {
	for _, seg := range path {
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if seg == "[]" {
			if typ.Kind() != reflect.Slice {
				return nil, false
			}
			typ = typ.Elem()
			continue
		}
		if typ.Kind() != reflect.Struct {
			return nil, false
		}
		f, ok := jsonFields(typ)[seg]
		if !ok {
			return nil, false
		}
		typ = f.Type
	}
	return typ, true
}

// goAmounts lists the JSON paths of every money.Amount inside typ, without entering
// another type of moneyHolders (it is checked on its own).
func goAmounts(typ reflect.Type, path []string, holders map[reflect.Type]bool, out *[]string) {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		if typ.Kind() == reflect.Slice {
			path = append(slicesClone(path), "[]")
		}
		typ = typ.Elem()
	}
	if typ == amountType {
		*out = append(*out, strings.Join(path, "."))
		return
	}
	if typ.Kind() != reflect.Struct || (len(path) > 1 && holders[typ]) {
		return
	}
	for name, f := range jsonFields(typ) {
		goAmounts(f.Type, append(slicesClone(path), name), holders, out)
	}
}

// TestMoneyFieldsAreExact checks that every money property of the spec (x-go-type
// money.Amount) is a money.Amount or *money.Amount in the generated code, that no other
// generated field is a money.Amount, and that the only numbers that are not money are the
// listed geo-coordinates.
func TestMoneyFieldsAreExact(t *testing.T) {
	doc := loadSpec(t)
	sites := specNumbers(doc)
	moneyPaths := map[string]bool{}
	for _, site := range sites {
		if site.money {
			moneyPaths[site.String()] = true
		}
	}
	if len(moneyPaths) == 0 {
		t.Fatal("no x-go-type money.Amount found in the spec; the walk is broken")
	}
	t.Logf("%d money properties and %d other numbers in the spec", len(moneyPaths), len(sites)-len(moneyPaths))

	for _, site := range sites {
		t.Run(site.String(), func(t *testing.T) {
			if !site.money {
				if !floatNumbers[site.String()] {
					t.Errorf("%s is a number without x-go-type money.Amount; amounts must be exact", site)
				}
				return
			}
			root, ok := moneyHolders[site.component]
			if !ok {
				t.Fatalf("component %s has money at %s but is not in moneyHolders; add its generated type", site.component, site)
			}
			typ, ok := goFieldType(root, site.path)
			if !ok {
				t.Fatalf("%s: no such field in %s", site, root)
			}
			if typ != amountType && (typ.Kind() != reflect.Pointer || typ.Elem() != amountType) {
				t.Errorf("%s is generated as %s, want money.Amount or *money.Amount", site, typ)
			}
		})
	}
	t.Run("no other money.Amount fields", func(t *testing.T) {
		holders := map[reflect.Type]bool{}
		for _, typ := range moneyHolders {
			holders[typ] = true
		}
		var names []string
		for name := range moneyHolders {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			var found []string
			goAmounts(moneyHolders[name], []string{name}, holders, &found)
			for _, p := range found {
				if !moneyPaths[p] {
					t.Errorf("%s is a money.Amount in gen, but the spec does not say x-go-type money.Amount there", p)
				}
			}
		}
	})
}
