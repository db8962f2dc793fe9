package spectest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// allowedAdditions lists what openapi.yaml may have that the official definitions do not,
// keyed "enum <path>" or "property <path>". docs/spec-notes.md explains each.
var allowedAdditions = map[string]bool{
	// Older seed-doc statuses, kept so that responses using them stay valid.
	"enum PayoutRequest.status: instrument-selected": true,
	"enum PayoutRequest.status: partially-fulfilled": true,
}

// structure is what the faithfulness test compares: by path (a component name, then
// property names, "[]" for array items, "{}" for additionalProperties and "!not" for a
// not-schema; allOf, oneOf and anyOf are looked through), the property names, required
// names, non-null enum values and $ref targets found there.
type structure map[string]map[string]bool // "<kind> <path>" -> set of names

func (s structure) add(kind, path, name string) {
	key := kind + " " + path
	if s[key] == nil {
		s[key] = map[string]bool{}
	}
	s[key][name] = true
}

// collectSchema records the structure of a raw (YAML-decoded) schema. It does not follow
// $ref: each referenced component is collected under its own name.
func collectSchema(node any, path string, out structure) {
	m, ok := node.(map[string]any)
	if !ok {
		return
	}
	if ref, ok := m["$ref"].(string); ok {
		out.add("$ref", path, ref[strings.LastIndex(ref, "/")+1:])
	}
	if props, ok := m["properties"].(map[string]any); ok {
		for name, p := range props {
			out.add("property", path, name)
			collectSchema(p, path+"."+name, out)
		}
	}
	if req, ok := m["required"].([]any); ok {
		for _, r := range req {
			out.add("required", path, fmt.Sprint(r))
		}
	}
	if enum, ok := m["enum"].([]any); ok {
		for _, v := range enum {
			if v != nil { // 3.1 lists null as a value; 3.0 says nullable instead
				out.add("enum", path, fmt.Sprint(v))
			}
		}
	}
	collectSchema(m["items"], path+"[]", out)
	collectSchema(m["additionalProperties"], path+"{}", out)
	collectSchema(m["not"], path+"!not", out)
	for _, key := range []string{"allOf", "oneOf", "anyOf"} {
		if list, ok := m[key].([]any); ok {
			for _, member := range list {
				collectSchema(member, path, out)
			}
		}
	}
}

// collectRefs appends every $ref string found anywhere under node.
func collectRefs(node any, out *[]string) {
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			if s, ok := v.(string); ok && k == "$ref" {
				*out = append(*out, s)
				continue
			}
			collectRefs(v, out)
		}
	case []any:
		for _, v := range n {
			collectRefs(v, out)
		}
	}
}

// dig follows map keys through a YAML-decoded document.
func dig(node any, keys ...string) any {
	for _, k := range keys {
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[k]
	}
	return node
}

func loadYAML(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			t.Skipf("official reference %s is absent (CI keeps it beside the repository): %v", path, err)
		}
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	return doc
}

// reachableComponents returns every component ("section/Name") that the four operations
// use, directly or through other components.
func reachableComponents(t *testing.T, doc map[string]any) map[string]bool {
	t.Helper()
	var queue []string
	for _, want := range officialOperations {
		pathItem := dig(doc, "paths", want.path)
		op := dig(pathItem, strings.ToLower(want.method))
		if id, _ := dig(op, "operationId").(string); id != want.id {
			t.Fatalf("official file: %s %s has operationId %q, want %q", want.method, want.path, id, want.id)
		}
		collectRefs(op, &queue)
		collectRefs(dig(pathItem, "parameters"), &queue)
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		name, ok := strings.CutPrefix(ref, "#/components/")
		if !ok {
			t.Fatalf("official file: unexpected $ref %q", ref)
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		section, comp, _ := strings.Cut(name, "/")
		node := dig(doc, "components", section, comp)
		if node == nil {
			t.Fatalf("official file: $ref %q does not resolve", ref)
		}
		collectRefs(node, &queue)
	}
	return seen
}

// TestFaithfulToOfficial checks openapi.yaml against the official definitions: every
// component the four operations use exists, and every property name, required name,
// enum value and $ref of every schema they use is carried over. In the other direction,
// openapi.yaml may not add properties, required names, enum values or $refs beyond
// allowedAdditions.
func TestFaithfulToOfficial(t *testing.T) {
	official := loadYAML(t, officialPath)
	ours := loadYAML(t, specPath)
	reachable := reachableComponents(t, official)
	if len(reachable) < 10 {
		t.Fatalf("only %d components reachable from the four operations; the walk is broken", len(reachable))
	}

	offStruct, ourStruct := structure{}, structure{}
	var roots []string
	for name := range reachable {
		section, comp, _ := strings.Cut(name, "/")
		if dig(ours, "components", section, comp) == nil {
			t.Errorf("openapi.yaml lacks component %s used by the official operations", name)
			continue
		}
		if section == "schemas" {
			roots = append(roots, comp)
			collectSchema(dig(official, "components", section, comp), comp, offStruct)
			collectSchema(dig(ours, "components", section, comp), comp, ourStruct)
		}
	}
	// The official request body holds its schema inline; openapi.yaml moved it to
	// components/schemas/CreditTransaction (docs/spec-notes.md, "Structural changes").
	if reachable["requestBodies/CreditTransactionRequest"] {
		roots = append(roots, "CreditTransaction")
		collectSchema(dig(official, "components", "requestBodies", "CreditTransactionRequest",
			"content", "application/json", "schema"), "CreditTransaction", offStruct)
		collectSchema(dig(ours, "components", "schemas", "CreditTransaction"), "CreditTransaction", ourStruct)
	} else {
		t.Error("official operations no longer use requestBodies/CreditTransactionRequest; update this test")
	}
	sort.Strings(roots)
	t.Logf("compared %d schemas: %s", len(roots), strings.Join(roots, ", "))

	for _, kind := range []string{"property", "required", "enum", "$ref"} {
		t.Run(kind, func(t *testing.T) {
			var missing, added []string
			var compared int
			for key, names := range offStruct {
				if !strings.HasPrefix(key, kind+" ") {
					continue
				}
				for name := range names {
					compared++
					if !ourStruct[key][name] {
						missing = append(missing, key+": "+name)
					}
				}
			}
			for key, names := range ourStruct {
				if !strings.HasPrefix(key, kind+" ") {
					continue
				}
				for name := range names {
					if !offStruct[key][name] && !allowedAdditions[key+": "+name] {
						added = append(added, key+": "+name)
					}
				}
			}
			sort.Strings(missing)
			sort.Strings(added)
			for _, m := range missing {
				t.Errorf("missing from openapi.yaml: %s", m)
			}
			for _, a := range added {
				t.Errorf("not in the official definitions: %s", a)
			}
			if compared == 0 {
				t.Errorf("no %s entries found in the official schemas; the walk is broken", kind)
			}
			t.Logf("%d official %s entries compared", compared, kind)
		})
	}
}
