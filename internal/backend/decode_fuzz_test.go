package backend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/errs"
)

func response(status int, contentType string, body []byte) *http.Response {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
}

func testBackend() *Backend {
	return New(Config{Server: "https://rebilly.test/organizations/o/", MaxResponseBytes: 1 << 16})
}

// FuzzErrorBody feeds arbitrary error bodies through the problem-details decoder: it must
// never panic, always yield an *APIError of the status, and keep at most MaxErrorBody bytes.
func FuzzErrorBody(f *testing.F) {
	f.Add(422, []byte(`{"title":"Invalid","invalidFields":[{"field":"amount","message":"bad"}]}`))
	f.Add(502, []byte(`<html>Bad gateway</html>`))
	f.Add(409, []byte(`{"title":7,"invalidFields":{"a":1}}`))
	f.Add(429, []byte(``))
	f.Add(500, []byte(`{"detail":"\ud800"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 300 || status > 599 {
			return
		}
		b := testBackend()
		call := Call{Op: "POST /payouts", Class: Idempotent, RequestID: "r-1"}
		err := b.finish(call, &callState{attempts: 1}, response(status, "application/problem+json", body), nil, &gen.Transaction{})
		var apiErr *errs.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("err = %v (%T), want *APIError", err, err)
		}
		if apiErr.StatusCode != status || len(apiErr.Body) > errs.MaxErrorBody || apiErr.RequestID != "r-1" {
			t.Fatalf("APIError = %+v", apiErr)
		}
		_ = err.Error()
	})
}

// FuzzSuccessBody feeds arbitrary 2xx bodies to the result decoders: either a result comes
// back and no error, or a *MalformedResponseError; never a panic.
func FuzzSuccessBody(f *testing.F) {
	f.Add([]byte(`{"id":"pout_req_1","amount":150.25,"availableAmount":150.25,"status":"pending","currency":"USD","websiteId":"w","customerId":"c"}`), "application/json")
	f.Add([]byte(`{"id":"txn_1","type":"credit","amount":1e2,"requestId":"r"}`), "application/json; charset=utf-8")
	f.Add([]byte(`{"amount":"10"}`), "application/json")
	f.Add([]byte(`{"amount":1`), "")
	f.Add([]byte(`<html></html>`), "text/html")
	f.Add([]byte(``), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		b := testBackend()
		for _, tc := range []struct {
			out      any
			freeForm bool
		}{{&gen.PayoutRequest{}, false}, {&gen.Transaction{}, true}, {&gen.Transaction{}, false}} {
			out, freeForm := tc.out, []string(nil)
			if tc.freeForm {
				freeForm = []string{"customFields", "_embedded"}
			}
			err := b.finish(Call{Op: "GET /x", FreeForm: freeForm}, &callState{attempts: 1}, response(200, contentType, body), nil, out)
			if err == nil {
				continue
			}
			var mre *errs.MalformedResponseError
			if !errors.As(err, &mre) || mre.StatusCode != 200 {
				t.Fatalf("err = %v (%T), want *MalformedResponseError", err, err)
			}
		}
	})
}

func TestFinishRejectsOversizedSuccess(t *testing.T) {
	b := New(Config{MaxResponseBytes: 10})
	err := b.finish(Call{Op: "GET /x"}, &callState{}, response(200, "application/json", []byte(`{"id":"0123456789"}`)), nil, &gen.PayoutRequest{})
	if !errors.Is(err, errs.ErrMalformedResponse) || !errors.Is(err, errTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestRetryAfterOnAPIError(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	resp := response(429, "application/json", []byte(`{}`))
	resp.Header.Set("X-RateLimit-Retry-After", "1700000030")
	e := newAPIError(Call{Op: "POST /payouts"}, resp, []byte(`{}`), now)
	if !e.RetryAfter.Equal(now.Add(30*time.Second)) || e.Method != "POST" || e.Path != "/payouts" {
		t.Fatalf("APIError = %+v", e)
	}
}

func TestSuccessBodyMustBeAnObject(t *testing.T) {
	for _, body := range []string{"null", " null ", "[]", `"x"`, "1", "true"} {
		err := testBackend().finish(Call{Op: "GET /x"}, &callState{}, response(200, "application/json", []byte(body)), nil, &gen.PayoutRequest{})
		if !errors.Is(err, errs.ErrMalformedResponse) {
			t.Errorf("body %s: err = %v", body, err)
		}
	}
}

func TestFreeFormNumbersStayExact(t *testing.T) {
	body := []byte(`{"id":"txn_1","customFields":{"rate":10.50,"big":12345678901234567}}`)
	var tx gen.Transaction
	if err := testBackend().finish(Call{Op: "POST /payouts", FreeForm: []string{"customFields"}}, &callState{}, response(201, "application/json", body), nil, &tx); err != nil {
		t.Fatal(err)
	}
	cf := *tx.CustomFields
	if got := fmt.Sprint(cf["rate"], " ", cf["big"]); got != "10.50 12345678901234567" {
		t.Errorf("customFields = %s", got)
	}
	var pr gen.PayoutRequest
	err := testBackend().finish(Call{Op: "GET /x"}, &callState{}, response(200, "application/json", []byte(`{"id":"a"} {"id":"b"}`)), nil, &pr)
	if !errors.Is(err, errs.ErrMalformedResponse) {
		t.Errorf("trailing data: err = %v", err)
	}
}

func TestFreeFormMembers(t *testing.T) {
	if got := FreeFormMembers(reflect.TypeOf(gen.PayoutRequest{})); len(got) != 0 {
		t.Errorf("PayoutRequest free-form members %v", got)
	}
	got := FreeFormMembers(reflect.TypeOf(gen.Transaction{}))
	if !slices.Equal(got, []string{"_embedded", "customFields"}) {
		t.Errorf("Transaction free-form members %v", got)
	}
}

func TestSuccessBodiesWithoutFreeFormMembersTakeUnmarshal(t *testing.T) {
	if hasMember([]byte(`{"id":"txn_1","amount":1}`), []string{"customFields", "_embedded"}) {
		t.Error("no free-form member, yet hasMember says yes")
	}
	if !hasMember([]byte(`{"customFields":{"a":1}}`), []string{"customFields"}) {
		t.Error("customFields not found")
	}
}
