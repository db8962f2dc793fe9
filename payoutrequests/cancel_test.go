package payoutrequests_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/payoutrequests"
)

const (
	canceledBody  = `{"id":"pr_1","websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":5,"status":"canceled","cancellationReason":{"canceledBy":"merchant"}}`
	fulfilledBody = `{"id":"pr_1","websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":5,"status":"fulfilled"}`
	pendingBody   = `{"id":"pr_1","websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":5,"status":"pending"}`
)

var errConnReset = errors.New("read tcp: connection reset by peer")

func reset(*http.Request) (*http.Response, error) { return nil, errConnReset }

func conflict() httpmock.Responder { return testutil.Problem(409, "Conflict", "already canceled", nil) }

func TestCancelSendsItsBody(t *testing.T) {
	tests := []struct {
		name   string
		params payoutrequests.CancelParams
		want   string
	}{
		{"the merchant by default", payoutrequests.CancelParams{}, `{"canceledBy":"merchant"}`},
		{"the customer, with a reason", payoutrequests.CancelParams{CanceledBy: payoutrequests.CanceledByCustomer, Description: "withdrew W-1"}, `{"canceledBy":"customer","description":"withdrew W-1"}`},
		{"the system", payoutrequests.CancelParams{CanceledBy: payoutrequests.CanceledBySystem}, `{"canceledBy":"system"}`},
		{"255 characters", payoutrequests.CancelParams{Description: strings.Repeat("é", 255)}, `{"canceledBy":"merchant","description":"` + strings.Repeat("é", 255) + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			rec := testutil.Register(mt, http.MethodPost, collection+"/pr_1/cancel", httpmock.NewStringResponder(200, canceledBody))
			pr, err := c.PayoutRequests.Cancel(context.Background(), "pr_1", tt.params)
			if err != nil || pr.Status != payoutrequests.StatusCanceled {
				t.Fatalf("%+v, %v", pr, err)
			}
			req := rec.Requests()[0]
			if string(req.Body) != tt.want || req.Header.Get("Content-Type") != "application/json" {
				t.Errorf("body %s (%s), want %s", req.Body, req.Header.Get("Content-Type"), tt.want)
			}
		})
	}
}

func TestCancelRefusesBadParams(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		params payoutrequests.CancelParams
		fields []string
	}{
		{"no id", "", payoutrequests.CancelParams{}, []string{"id"}},
		{"an id with a slash", "a/b", payoutrequests.CancelParams{}, []string{"id"}},
		{"an unknown party", "pr_1", payoutrequests.CancelParams{CanceledBy: "admin"}, []string{"canceledBy"}},
		{"a party in capitals", "pr_1", payoutrequests.CancelParams{CanceledBy: "Merchant"}, []string{"canceledBy"}},
		{"256 characters", "pr_1", payoutrequests.CancelParams{Description: strings.Repeat("x", 256)}, []string{"description"}},
		{"a control character", "pr_1", payoutrequests.CancelParams{Description: "a\x07"}, []string{"description"}},
		{"not UTF-8", "pr_1", payoutrequests.CancelParams{Description: "\xff"}, []string{"description"}},
		{"everything", "", payoutrequests.CancelParams{CanceledBy: "x", Description: strings.Repeat("x", 300)}, []string{"id", "canceledBy", "description"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			_, err := c.PayoutRequests.Cancel(context.Background(), tt.id, tt.params)
			if got := fieldNames(rebilly.FieldErrors(err)); !errors.Is(err, rebilly.ErrInvalidParams) || !slices.Equal(got, tt.fields) {
				t.Errorf("err = %v, want fields %v", err, tt.fields)
			}
			if mt.GetTotalCallCount() != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

// TestCancelSettlesItsOutcome: a cancel that may have gone through is settled by reading the
// payout request back; a 409 is a conflict only when no attempt can have canceled it.
func TestCancelSettlesItsOutcome(t *testing.T) {
	cut := func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(io.MultiReader(strings.NewReader(canceledBody[:20]), errorReader{io.ErrUnexpectedEOF})), Request: req}, nil
	}
	tests := []struct {
		name     string
		cancel   []httpmock.Responder
		get      []httpmock.Responder // nil: no GET expected
		outcome  rebilly.Outcome      // OutcomeApplied: success
		sentinel error
		recovery string // in the OutcomeUnknownError's Recovery
		posts    int
	}{
		{"canceled at once", []httpmock.Responder{httpmock.NewStringResponder(200, canceledBody)}, nil, rebilly.OutcomeApplied, nil, "", 1},
		{"503, then canceled", []httpmock.Responder{httpmock.NewStringResponder(503, `{}`), httpmock.NewStringResponder(200, canceledBody)}, nil, rebilly.OutcomeApplied, nil, "", 2},
		{"a first 409 is a conflict", []httpmock.Responder{conflict()}, nil, rebilly.OutcomeNotApplied, rebilly.ErrConflict, "", 1},
		{"503, then 409, is a conflict", []httpmock.Responder{httpmock.NewStringResponder(503, `{}`), conflict()}, nil, rebilly.OutcomeNotApplied, rebilly.ErrConflict, "", 2},
		{"reset, then 409, read back canceled", []httpmock.Responder{reset, conflict()}, []httpmock.Responder{httpmock.NewStringResponder(200, canceledBody)}, rebilly.OutcomeApplied, nil, "", 2},
		{"cut answer, then 409, read back canceled", []httpmock.Responder{cut, conflict()}, []httpmock.Responder{httpmock.NewStringResponder(200, canceledBody)}, rebilly.OutcomeApplied, nil, "", 2},
		{"reset, then 409, read back fulfilled", []httpmock.Responder{reset, conflict()}, []httpmock.Responder{httpmock.NewStringResponder(200, fulfilledBody)}, rebilly.OutcomeNotApplied, rebilly.ErrConflict, "", 2},
		{"500 every time, read back canceled", []httpmock.Responder{httpmock.NewStringResponder(500, `{}`)}, []httpmock.Responder{httpmock.NewStringResponder(200, canceledBody)}, rebilly.OutcomeApplied, nil, "", 4},
		{"500 every time, read back pending", []httpmock.Responder{httpmock.NewStringResponder(500, `{}`)}, []httpmock.Responder{httpmock.NewStringResponder(200, pendingBody)}, rebilly.OutcomeUnknown, nil, "still pending", 4},
		{"reset, then 409, and the read fails", []httpmock.Responder{reset, conflict()}, []httpmock.Responder{httpmock.NewStringResponder(404, `{}`)}, rebilly.OutcomeUnknown, nil, "reading it back failed too", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			posts := testutil.Register(mt, http.MethodPost, collection+"/pr_1/cancel", tt.cancel...)
			var gets *testutil.Recorder
			if tt.get != nil {
				gets = testutil.Register(mt, http.MethodGet, collection+"/pr_1", tt.get...)
			}
			pr, err := c.PayoutRequests.Cancel(context.Background(), "pr_1", payoutrequests.CancelParams{})
			if got := rebilly.OutcomeOf(err); got != tt.outcome {
				t.Fatalf("outcome %v (%v), want %v", got, err, tt.outcome)
			}
			if tt.outcome == rebilly.OutcomeApplied && (pr == nil || pr.Status != payoutrequests.StatusCanceled) {
				t.Errorf("result %+v", pr)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("%v does not match %v", err, tt.sentinel)
			}
			var unknown *rebilly.OutcomeUnknownError
			if tt.recovery != "" && (!errors.As(err, &unknown) || !strings.Contains(unknown.Recovery, tt.recovery) || unknown.ResourceID != "pr_1") {
				t.Errorf("recovery of %v lacks %q", err, tt.recovery)
			}
			if posts.Count() != tt.posts {
				t.Errorf("%d POSTs, want %d", posts.Count(), tt.posts)
			}
			if tt.get == nil && mt.GetTotalCallCount() != tt.posts {
				t.Errorf("%d requests: a read that was not needed", mt.GetTotalCallCount())
			}
			if gets != nil && gets.Count() == 0 {
				t.Error("no read back")
			}
		})
	}
}

type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }
