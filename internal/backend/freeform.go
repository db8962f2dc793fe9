package backend

import (
	"maps"
	"reflect"
	"slices"
	"strings"
)

// FreeFormMembers returns the top-level JSON members of the struct type t under which an
// any-typed value sits, sorted: what a service must name in Call.FreeForm. Tests use it to
// keep those lists in step with the generated types.
func FreeFormMembers(t reflect.Type) []string {
	found := map[string]bool{}
	var walk func(reflect.Type, string, map[reflect.Type]bool)
	walk = func(typ reflect.Type, top string, seen map[reflect.Type]bool) {
		switch typ.Kind() {
		case reflect.Interface:
			found[top] = true
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(typ.Elem(), top, seen)
		case reflect.Struct:
			if seen[typ] {
				return
			}
			seen[typ] = true
			for i := range typ.NumField() {
				f := typ.Field(i)
				if !f.IsExported() {
					continue
				}
				name := top
				if name == "" {
					name, _, _ = strings.Cut(f.Tag.Get("json"), ",")
				}
				walk(f.Type, name, seen)
			}
		}
	}
	walk(t, "", map[reflect.Type]bool{})
	return slices.Sorted(maps.Keys(found))
}
