package allocations_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/money"
)

const allocBody = `{"id":"alloc_1","payoutRequestId":"pr_1","paymentInstrumentId":"inst_1","gatewayAccountId":"gw_1","amount":10.00,"currency":"USD","status":"pending"}`

var (
	errReset   = errors.New("connection reset by peer")
	createArgs = allocations.CreateParams{PayoutRequestID: "pr_1", PaymentInstrumentID: "inst_1", GatewayAccountID: "gw_1", Amount: money.MustParse("10.00")}
)

func TestCreate(t *testing.T) {
	t.Parallel()
	cut := func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(201, allocBody[:20])
		resp.Header.Set("Location", root+"/payout-request-allocations/alloc_1")
		return resp, nil
	}
	tests := []struct {
		name  string
		steps []httpmock.Responder
		posts int
		want  error // nil: the allocation
	}{
		{"created", []httpmock.Responder{httpmock.NewStringResponder(201, allocBody)}, 1, nil},
		{"503 then created: nothing was done before", []httpmock.Responder{httpmock.NewStringResponder(503, ""), httpmock.NewStringResponder(201, allocBody)}, 2, nil},
		{"500: unknown at once, never repeated", []httpmock.Responder{httpmock.NewStringResponder(500, ""), httpmock.NewStringResponder(201, allocBody)}, 1, rebilly.ErrOutcomeUnknown},
		{"reset: unknown at once", []httpmock.Responder{httpmock.NewErrorResponder(errReset)}, 1, rebilly.ErrOutcomeUnknown},
		{"201 cut mid-body: read back through Location", []httpmock.Responder{cut}, 1, nil},
		{"422", []httpmock.Responder{httpmock.NewStringResponder(422, `{"title":"too much"}`)}, 1, rebilly.ErrValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			post := testutil.Register(mt, http.MethodPost, root+"/payout-request-allocations", tt.steps...)
			testutil.Register(mt, http.MethodGet, root+"/payout-request-allocations/alloc_1", httpmock.NewStringResponder(200, allocBody))
			a, err := c.Allocations.Create(context.Background(), createArgs)
			if post.Count() != tt.posts {
				t.Errorf("%d POSTs, want %d", post.Count(), tt.posts)
			}
			if tt.want == nil {
				if err != nil || a.ID != "alloc_1" || a.Status != allocations.StatusPending {
					t.Fatalf("got %+v, %v", a, err)
				}
				body := testutil.JSON(t, post.Requests()[0].Body)
				if fmt.Sprint(body) != "map[amount:10.00 gatewayAccountId:gw_1 paymentInstrumentId:inst_1 payoutRequestId:pr_1]" {
					t.Errorf("body %v", body)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if errors.Is(err, rebilly.ErrOutcomeUnknown) && !strings.Contains(err.Error(), "allocations") {
				t.Errorf("no recovery in %v", err)
			}
		})
	}
}

func TestValidationSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	ctx := context.Background()
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("alloc_%d", i)
	}
	for name, call := range map[string]func() error{
		"create without instrument": func() error {
			p := createArgs
			p.PaymentInstrumentID = ""
			_, err := c.Allocations.Create(ctx, p)
			return err
		},
		"create with a zero amount": func() error {
			p := createArgs
			p.Amount = money.Amount{}
			_, err := c.Allocations.Create(ctx, p)
			return err
		},
		"auto without payout request": func() error { return c.Allocations.AutoAllocate(ctx, "") },
		"process nothing":             func() error { return c.Allocations.Process(ctx) },
		"process 1001":                func() error { return c.Allocations.Process(ctx, many...) },
		"process a bad id":            func() error { return c.Allocations.Process(ctx, "alloc_1", "../x") },
		"get a bad id":                func() error { _, err := c.Allocations.Get(ctx, "a/b"); return err },
		"cancel a bad id":             func() error { _, err := c.Allocations.Cancel(ctx, ""); return err },
		"pay with half a destination": func() error {
			_, err := c.Allocations.PayInFull(ctx, "pr_1", allocations.PayParams{PaymentInstrumentID: "inst_1"})
			return err
		},
	} {
		err := call()
		if !errors.Is(err, rebilly.ErrInvalidParams) || len(rebilly.FieldErrors(err)) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

func TestAutoAllocateAndProcess(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	auto := testutil.Register(mt, http.MethodPost, root+"/payout-request-allocations/auto", httpmock.NewStringResponder(204, ""))
	if err := c.Allocations.AutoAllocate(context.Background(), "pr_1"); err != nil || string(auto.Requests()[0].Body) != `{"payoutRequestId":"pr_1"}` {
		t.Fatalf("auto: %v, %s", err, auto.Requests()[0].Body)
	}
	testutil.Register(mt, http.MethodPost, root+"/payout-request-allocations/auto", httpmock.NewStringResponder(502, ""))
	if err := c.Allocations.AutoAllocate(context.Background(), "pr_1"); !errors.Is(err, rebilly.ErrOutcomeUnknown) {
		t.Errorf("auto after 502: %v", err)
	}

	// Process only acts on pending allocations, so it is repeated after a lost answer, with
	// the same body.
	proc := testutil.Register(mt, http.MethodPost, root+"/payout-request-allocations/process",
		httpmock.NewErrorResponder(errReset), httpmock.NewStringResponder(500, ""), httpmock.NewStringResponder(204, ""))
	if err := c.Allocations.Process(context.Background(), "alloc_1", "alloc_2"); err != nil || proc.Count() != 3 {
		t.Fatalf("process: %v after %d requests", err, proc.Count())
	}
	for _, r := range proc.Requests() {
		if string(r.Body) != `{"allocationIds":["alloc_1","alloc_2"]}` {
			t.Errorf("body %s", r.Body)
		}
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	canceled := strings.Replace(allocBody, `"pending"`, `"canceled"`, 1)
	processing := strings.Replace(allocBody, `"pending"`, `"processing"`, 1)
	tests := []struct {
		name  string
		steps []httpmock.Responder
		get   string
		want  error
	}{
		{"canceled", []httpmock.Responder{httpmock.NewStringResponder(200, canceled)}, canceled, nil},
		{"lost answer, then 409: it took effect", []httpmock.Responder{httpmock.NewErrorResponder(errReset), httpmock.NewStringResponder(409, "")}, canceled, nil},
		{"lost answer, then 409, but it is processing", []httpmock.Responder{httpmock.NewErrorResponder(errReset), httpmock.NewStringResponder(409, "")}, processing, rebilly.ErrConflict},
		{"409 at once", []httpmock.Responder{httpmock.NewStringResponder(409, "")}, canceled, rebilly.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			patch := testutil.Register(mt, http.MethodPatch, root+"/payout-request-allocations/alloc_1", tt.steps...)
			testutil.Register(mt, http.MethodGet, root+"/payout-request-allocations/alloc_1", httpmock.NewStringResponder(200, tt.get))
			a, err := c.Allocations.Cancel(context.Background(), "alloc_1")
			if string(patch.Requests()[0].Body) != `{"status":"canceled"}` {
				t.Errorf("body %s", patch.Requests()[0].Body)
			}
			if tt.want == nil {
				if err != nil || a.Status != allocations.StatusCanceled {
					t.Fatalf("got %+v, %v", a, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || rebilly.OutcomeOf(err) != rebilly.OutcomeNotApplied {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestWaitForResult(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	get := testutil.Register(mt, http.MethodGet, root+"/payout-request-allocations/alloc_1",
		httpmock.NewStringResponder(200, allocBody),
		httpmock.NewStringResponder(200, strings.Replace(allocBody, `"pending"`, `"waiting-completion"`, 1)),
		httpmock.NewStringResponder(200, strings.Replace(allocBody, `"pending"`, `"completed"`, 1)))
	a, err := c.Allocations.WaitForResult(context.Background(), "alloc_1")
	if err != nil || a.Status != allocations.StatusCompleted || get.Count() != 3 {
		t.Fatalf("got %+v, %v after %d reads", a, err, get.Count())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Allocations.WaitForResult(ctx, "alloc_1")
	var nf *allocations.NotFinalError
	if !errors.As(err, &nf) || !errors.Is(err, context.Canceled) || !errors.Is(err, rebilly.ErrNotApplied) {
		t.Fatalf("err = %v", err)
	}
}
