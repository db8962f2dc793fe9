package freeform

import (
	"encoding/json"
	"testing"
)

func TestNumbersStayExact(t *testing.T) {
	var v struct {
		Fields Object `json:"customFields"`
		Items  Array  `json:"items"`
	}
	in := `{"customFields":{"rate":10.50,"big":12345678901234567,"nested":{"x":[1.10]}},"items":[0.30000000000000000001,{"a":2E3}]}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.Fields["rate"] != json.Number("10.50") || v.Fields["big"] != json.Number("12345678901234567") {
		t.Errorf("fields = %#v", v.Fields)
	}
	if nested := v.Fields["nested"].(map[string]any)["x"].([]any)[0]; nested != json.Number("1.10") {
		t.Errorf("nested = %#v", nested)
	}
	if v.Items[0] != json.Number("0.30000000000000000001") || v.Items[1].(map[string]any)["a"] != json.Number("2E3") {
		t.Errorf("items = %#v", v.Items)
	}
	out, err := json.Marshal(v)
	if err != nil || string(out) != `{"customFields":{"big":12345678901234567,"nested":{"x":[1.10]},"rate":10.50},"items":[0.30000000000000000001,{"a":2E3}]}` {
		t.Errorf("re-encoded %s, %v", out, err)
	}
}

func TestRejectsWhatIsNotItsKind(t *testing.T) {
	var o Object
	var a Array
	for _, in := range []string{`[1]`, `"x"`, `{"a":1} {}`, `{"a":`} {
		if err := json.Unmarshal([]byte(in), &o); err == nil {
			t.Errorf("Object accepted %s", in)
		}
	}
	if err := json.Unmarshal([]byte(`{"a":1}`), &a); err == nil {
		t.Error("Array accepted an object")
	}
	if err := json.Unmarshal([]byte(`null`), &o); err != nil || o != nil {
		t.Errorf("null: %v, %v", o, err)
	}
}
