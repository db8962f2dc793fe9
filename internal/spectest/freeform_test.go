package spectest

import (
	"reflect"
	"testing"

	"github.com/paysdk/rebilly/freeform"
	"github.com/paysdk/rebilly/gen"
)

// TestResultTypesKeepNumbersExact: every value an answer can decode into either has a type
// of its own (money.Amount for amounts) or is free-form through the freeform types, which
// keep numbers exact. A bare interface, map[string]any or []any reachable from a result
// would decode its numbers as float64: x-go-type it (docs/spec-notes.md).
func TestResultTypesKeepNumbersExact(t *testing.T) {
	exact := map[reflect.Type]bool{reflect.TypeOf(freeform.Object{}): true, reflect.TypeOf(freeform.Array{}): true}
	for _, root := range []any{gen.Transaction{}, gen.PayoutRequest{}, gen.PayoutRequestAllocation{}} {
		seen := map[reflect.Type]bool{}
		var walk func(reflect.Type, string)
		walk = func(typ reflect.Type, path string) {
			if exact[typ] || seen[typ] {
				return
			}
			seen[typ] = true
			switch typ.Kind() {
			case reflect.Interface:
				t.Errorf("%s is %s: its numbers would decode as float64", path, typ)
			case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
				walk(typ.Elem(), path+"[]")
			case reflect.Struct:
				for i := range typ.NumField() {
					f := typ.Field(i)
					if f.IsExported() && f.Tag.Get("json") != "-" {
						walk(f.Type, path+"."+f.Name)
					}
				}
			}
		}
		walk(reflect.TypeOf(root), reflect.TypeOf(root).Name())
	}
}
