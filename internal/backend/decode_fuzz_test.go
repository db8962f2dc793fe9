package backend

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/gen"
)

// FuzzErrorBody feeds arbitrary error bodies through the whole pipeline: never a panic,
// always an error of exactly one class carrying an *APIError of the status (directly, or as
// LastAnswer), keeping at most MaxErrorBody bytes.
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
		for _, class := range []RetryClass{Read, Idempotent, Unsafe} {
			s := &script{steps: []step{{status: status, header: http.Header{"Content-Type": {"application/problem+json"}}, body: string(body)}}}
			b := testBackend(s, nil)
			b.cfg.MaxRetries = 0
			_, err := sendPR(context.Background(), b, class)
			classOf(t, err)
			apiErr := lastAnswer(err)
			if apiErr == nil || apiErr.StatusCode != status || len(apiErr.Body) > errs.MaxErrorBody {
				t.Fatalf("class %d: err = %v, answer %+v", class, err, apiErr)
			}
			_ = err.Error()
		}
	})
}

func lastAnswer(err error) *errs.APIError {
	var apiErr *errs.APIError
	var unknown *errs.OutcomeUnknownError
	switch {
	case errors.As(err, &unknown):
		return unknown.LastAnswer
	case errors.As(err, &apiErr):
		return apiErr
	}
	return nil
}

// FuzzSuccessBody feeds arbitrary 2xx bodies to the decoders: a result with its id and no
// error, or for a read a *MalformedResponseError and for a write an *OutcomeUnknownError that
// keeps the status; never a panic, never a result without an id.
func FuzzSuccessBody(f *testing.F) {
	f.Add([]byte(`{"id":"pout_req_1","amount":150.25,"availableAmount":150.25,"status":"pending","currency":"USD","websiteId":"w","customerId":"c"}`), "application/json")
	f.Add([]byte(`{"id":"txn_1","type":"credit","amount":1e2,"requestId":"r"}`), "application/json; charset=utf-8")
	f.Add([]byte(`{"amount":"10"}`), "application/json")
	f.Add([]byte(`{"amount":1`), "")
	f.Add([]byte(`<html></html>`), "text/html")
	f.Add([]byte(``), "application/json")
	f.Add([]byte(`{}`), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		for _, class := range []RetryClass{Read, Unsafe} {
			s := &script{steps: []step{{status: 200, header: http.Header{"Content-Type": {contentType}}, body: string(body)}}}
			b := testBackend(s, nil)
			b.cfg.MaxRetries = 0
			pr, err := sendPR(context.Background(), b, class)
			if err == nil {
				if pr == nil || prID(pr) == "" {
					t.Fatalf("success without a resource: %+v", pr)
				}
				continue
			}
			var mre *errs.MalformedResponseError
			var unknown *errs.OutcomeUnknownError
			switch {
			case class == Read && errors.As(err, &mre) && mre.StatusCode == 200:
			case class == Unsafe && errors.As(err, &unknown) && unknown.StatusCode == 200 && len(unknown.Body) <= errs.MaxErrorBody:
			default:
				t.Fatalf("class %d: err = %v (%T)", class, err, err)
			}
			classOf(t, err)
		}
	})
}

// TestFreeFormNumbersStayExact: free-form members keep their numbers' text.
func TestFreeFormNumbersStayExact(t *testing.T) {
	body := `{"id":"txn_1","customFields":{"rate":10.50,"big":12345678901234567}}`
	s := &script{steps: []step{answer(201, body)}}
	call := Call[gen.Transaction]{Op: "POST /payouts", Class: Idempotent, ID: func(tx *gen.Transaction) string { return tx.ID }, FreeForm: []string{"customFields"}}
	tx, err := Send(context.Background(), testBackend(s, nil), call, nil, func(server string) (*http.Request, error) {
		return http.NewRequest(http.MethodPost, server+"payouts", nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	cf := tx.CustomFields
	if cf["rate"].(interface{ String() string }).String() != "10.50" || cf["big"].(interface{ String() string }).String() != "12345678901234567" {
		t.Errorf("customFields = %v", cf)
	}
	if hasMember([]byte(`{"id":"txn_1","amount":1}`), []string{"customFields", "_embedded"}) {
		t.Error("no free-form member, yet hasMember says yes")
	}
}
