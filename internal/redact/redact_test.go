package redact

import (
	"net/http"
	"testing"
)

func TestHeader(t *testing.T) {
	h := http.Header{}
	h.Set("REB-APIKEY", "sk_live_1")
	h.Set("Authorization", "Bearer eyJ")
	h.Set("X-Api-Token", "t")
	h.Set("Cookie", "c")
	h.Set("User-Agent", "rebilly-go/0.1.0")
	h.Add("Accept", "application/json")
	got := Header(h)
	for _, k := range []string{"REB-APIKEY", "Authorization", "X-Api-Token", "Cookie"} {
		if v := got.Values(k); len(v) != 1 || v[0] != Text {
			t.Errorf("%s = %v, want [%s]", k, v, Text)
		}
	}
	if got.Get("User-Agent") != "rebilly-go/0.1.0" || got.Get("Accept") != "application/json" {
		t.Errorf("plain headers changed: %v", got)
	}
	if h.Get("REB-APIKEY") != "sk_live_1" {
		t.Error("the original header was changed")
	}
}
