package payouts_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/payouts"
)

const txEndpoint = base + "/organizations/org_1/transactions/txn_1"

func txAnswer(result, status string) httpmock.Responder {
	return httpmock.NewStringResponder(200, fmt.Sprintf(`{"id":"txn_1","type":"credit","result":%q,"status":%q,"amount":10.00,"currency":"USD"}`, result, status))
}

func TestIsFinal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		result payouts.Result
		status payouts.Status
		final  bool
	}{
		{payouts.ResultApproved, payouts.StatusCompleted, true},
		{payouts.ResultDeclined, payouts.StatusCompleted, true},
		{payouts.ResultCanceled, payouts.StatusVoided, true},
		{payouts.ResultAbandoned, payouts.StatusNeverSent, true},
		{payouts.ResultUnknown, payouts.StatusNeverSent, false},
		{payouts.ResultAbandoned, "", true},
		{payouts.ResultApproved, payouts.StatusRefunded, true},
		{payouts.ResultUnknown, payouts.StatusTimeout, false},
		{payouts.ResultUnknown, payouts.StatusCompleted, false},
		{payouts.ResultApproved, payouts.StatusWaitingGateway, false},
		{payouts.ResultApproved, payouts.StatusPending, false},
		{payouts.ResultApproved, payouts.StatusSending, false},
		{payouts.ResultApproved, payouts.StatusOffsite, false},
		{payouts.ResultApproved, payouts.StatusConnError, false},
		{"", "", false},
		{"something-new", payouts.StatusCompleted, false},
		{payouts.ResultApproved, "something-new", true},
	}
	for _, tt := range tests {
		tx := &payouts.Transaction{Result: tt.result, Status: tt.status}
		if got := payouts.IsFinal(tx); got != tt.final {
			t.Errorf("IsFinal(result %q, status %q) = %v, want %v", tt.result, tt.status, got, tt.final)
		}
	}
	if payouts.IsFinal(nil) {
		t.Error("IsFinal(nil) = true")
	}
}

func TestGetReadsTheTransaction(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := testutil.Register(mt, http.MethodGet, txEndpoint, txAnswer("approved", "completed"))
	tx, err := c.Payouts.Get(context.Background(), "txn_1")
	if err != nil || tx.ID != "txn_1" || tx.Result != payouts.ResultApproved || tx.Amount.String() != "10.00" {
		t.Fatalf("got %+v, %v", tx, err)
	}
	if rec.Count() != 1 || rec.Requests()[0].Header.Get("REB-APIKEY") != "sk_test" {
		t.Errorf("requests %+v", rec.Requests())
	}
	if _, err := c.Payouts.Get(context.Background(), "../x"); !errors.Is(err, rebilly.ErrInvalidParams) || mt.GetTotalCallCount() != 1 {
		t.Errorf("bad id: %v", err)
	}
}

func TestWaitForResult(t *testing.T) {
	t.Parallel()
	t.Run("already final: one read", func(t *testing.T) {
		c, mt := setup(t)
		rec := testutil.Register(mt, http.MethodGet, txEndpoint, txAnswer("declined", "completed"))
		tx, err := c.Payouts.WaitForResult(context.Background(), "txn_1")
		if err != nil || tx.Result != payouts.ResultDeclined || rec.Count() != 1 {
			t.Fatalf("got %+v, %v after %d reads", tx, err, rec.Count())
		}
	})
	t.Run("unknown, then approved", func(t *testing.T) {
		c, mt := setup(t)
		rec := testutil.Register(mt, http.MethodGet, txEndpoint,
			txAnswer("unknown", "timeout"), txAnswer("unknown", "waiting-gateway"), httpmock.NewStringResponder(503, ""),
			txAnswer("approved", "completed"))
		tx, err := c.Payouts.WaitForResult(context.Background(), "txn_1")
		if err != nil || tx.Result != payouts.ResultApproved || rec.Count() != 4 {
			t.Fatalf("got %+v, %v after %d reads", tx, err, rec.Count())
		}
	})
	t.Run("context ends first: the last transaction seen", func(t *testing.T) {
		c, mt := setup(t)
		testutil.Register(mt, http.MethodGet, txEndpoint, txAnswer("unknown", "timeout"))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := c.Payouts.WaitForResult(ctx, "txn_1")
		var nf *payouts.NotFinalError
		if !errors.As(err, &nf) || !errors.Is(err, context.DeadlineExceeded) || nf.Last == nil || nf.Last.Status != payouts.StatusTimeout {
			t.Fatalf("err = %v", err)
		}
		if rebilly.OutcomeOf(err) != rebilly.OutcomeNotApplied || !errors.Is(err, rebilly.ErrNotApplied) {
			t.Errorf("class of %v", err)
		}
	})
	t.Run("not found ends it", func(t *testing.T) {
		c, mt := setup(t)
		rec := testutil.Register(mt, http.MethodGet, txEndpoint, httpmock.NewStringResponder(404, `{"title":"Not found"}`))
		_, err := c.Payouts.WaitForResult(context.Background(), "txn_1")
		if !errors.Is(err, rebilly.ErrNotFound) || rec.Count() != 1 {
			t.Fatalf("err = %v after %d reads", err, rec.Count())
		}
	})
}

// TestCreateReadsBackAnUnusableAnswer: a 201 to POST /payouts whose body is cut on every
// attempt, with a Location, is read back with GET /transactions/{id}.
func TestCreateReadsBackAnUnusableAnswer(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	cut := func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(201, `{"id":"txn_1","am`)
		resp.Header.Set("Location", base+"/organizations/org_1/transactions/txn_1")
		return resp, nil
	}
	post := testutil.Register(mt, http.MethodPost, endpoint, cut)
	get := testutil.Register(mt, http.MethodGet, txEndpoint, txAnswer("approved", "completed"))
	tx, err := c.Payouts.Create(context.Background(), validParams())
	if err != nil || tx.ID != "txn_1" || post.Count() != 4 || get.Count() != 1 {
		t.Fatalf("got %+v, %v; %d POSTs, %d GETs", tx, err, post.Count(), get.Count())
	}
}
