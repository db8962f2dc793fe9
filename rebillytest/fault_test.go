package rebillytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// TestFaults injects each kind of fault into a call of the SDK and checks what the SDK
// returns and what the fake stored.
func TestFaults(t *testing.T) {
	retryAt := time.Date(2026, 1, 15, 10, 31, 0, 0, time.UTC)
	tests := []struct {
		name    string
		fault   rebillytest.Fault
		times   int
		opts    []rebillytest.Option
		client  []rebilly.Option
		call    func(ctx context.Context, c *rebilly.Client, pr string) error
		check   func(t *testing.T, r faultResult)
		wantErr []error
		waits   bool // the fault does not strike the call
		// statuses of the requests after the setup's POST /payout-requests
		statuses []int
	}{
		{
			name: "503 with Retry-After before commit: Get is retried", fault: rebillytest.Unavailable(0),
			call:     get,
			statuses: []int{503, 200},
		},
		{
			name: "429 with X-RateLimit-Retry-After before commit: Create is retried", fault: rebillytest.RateLimited(time.Unix(1, 0)),
			call:     createPayoutRequest,
			statuses: []int{429, 201},
			check:    payoutRequestsStored(2),
		},
		{
			name: "429 when retries run out: ErrRateLimited with RetryAfter", fault: rebillytest.RateLimited(retryAt),
			client: []rebilly.Option{rebilly.WithMaxRetries(0)},
			call:   get, wantErr: []error{rebilly.ErrRateLimited},
			statuses: []int{429},
			check: func(t *testing.T, r faultResult) {
				var apiErr *rebilly.APIError
				if !errors.As(r.err, &apiErr) || !apiErr.RetryAfter.Equal(retryAt) {
					t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, retryAt)
				}
			},
		},
		{
			name: "500 before commit: Create of a payout request is not repeated", fault: rebillytest.StatusBeforeCommit(500),
			call: createPayoutRequest, wantErr: []error{rebilly.ErrOutcomeUnknown},
			statuses: []int{500},
			check:    payoutRequestsStored(1),
		},
		{
			name: "502 with an HTML body before commit", fault: rebillytest.StatusBeforeCommit(502).WithBody("text/html", []byte("<html>bad gateway</html>")),
			client: []rebilly.Option{rebilly.WithMaxRetries(0)},
			call:   get, wantErr: []error{rebilly.ErrServer},
			statuses: []int{502},
			check: func(t *testing.T, r faultResult) {
				var apiErr *rebilly.APIError
				if !errors.As(r.err, &apiErr) || string(apiErr.Body) != "<html>bad gateway</html>" || apiErr.StatusCode != 502 {
					t.Errorf("err = %#v", r.err)
				}
			},
		},
		{
			name: "drop before commit: Upsert is retried", fault: rebillytest.DropBeforeCommit(),
			call:     upsert("wd-1"),
			statuses: []int{0, 201},
			check:    payoutRequestsStored(2),
		},
		{
			name: "drop before commit: Create of a payout request is an unknown outcome", fault: rebillytest.DropBeforeCommit(),
			call: createPayoutRequest, wantErr: []error{rebilly.ErrOutcomeUnknown},
			statuses: []int{0},
			check:    payoutRequestsStored(1),
		},
		{
			name: "drop after commit: Create of a payout request is an unknown outcome, and it exists", fault: rebillytest.DropAfterCommit(),
			call: createPayoutRequest, wantErr: []error{rebilly.ErrOutcomeUnknown},
			statuses: []int{0},
			check:    payoutRequestsStored(2),
		},
		{
			name: "drop after commit: Upsert is retried and updates", fault: rebillytest.DropAfterCommit(),
			call:     upsert("wd-1"),
			statuses: []int{0, 200},
			check:    payoutRequestsStored(2),
		},
		{
			name: "drop after commit: the payout's retry pays once", fault: rebillytest.DropAfterCommit(),
			call:     pay("r-1"),
			statuses: []int{0, 201},
			check:    paidOnce("r-1"),
		},
		{
			name: "reset after commit: the payout's retry pays once", fault: rebillytest.ResetAfterCommit(),
			call:     pay("r-1"),
			statuses: []int{0, 201},
			check:    paidOnce("r-1"),
		},
		{
			name: "reset after commit: Create of a payout request is an unknown outcome, and it exists", fault: rebillytest.ResetAfterCommit(),
			call: createPayoutRequest, wantErr: []error{rebilly.ErrOutcomeUnknown},
			statuses: []int{0},
			check:    payoutRequestsStored(2),
		},
		{
			name: "500 after commit: the payout's retry pays once", fault: rebillytest.StatusAfterCommit(500),
			call:     pay("r-1"),
			statuses: []int{500, 201},
			check:    paidOnce("r-1"),
		},
		{
			name:  "500 after commit until retries run out: unknown outcome, paid once, and repeating settles it",
			fault: rebillytest.StatusAfterCommit(500), times: 3,
			client: []rebilly.Option{rebilly.WithMaxRetries(2)},
			call:   pay("r-1"), wantErr: []error{rebilly.ErrOutcomeUnknown},
			statuses: []int{500, 500, 500},
			check: func(t *testing.T, r faultResult) {
				paidOnce("r-1")(t, r)
				var unknown *rebilly.OutcomeUnknownError
				if !errors.As(r.err, &unknown) || unknown.RequestID != "r-1" {
					t.Fatalf("err = %v", r.err)
				}
				tx, err := r.f.client(t).Payouts.Create(context.Background(), payoutParams("10", r.pr, unknown.RequestID))
				if err != nil {
					t.Fatal(err)
				}
				if tx.ID != r.f.Transactions()[0].ID || len(r.f.Transactions()) != 1 {
					t.Errorf("repeating the payout created another transaction")
				}
			},
		},
		{
			name: "drop after commit, repeat answered 409: ErrDuplicateRequest, paid once", fault: rebillytest.DropAfterCommit(),
			opts: []rebillytest.Option{rebillytest.WithConflictOnDuplicateRequestID()},
			call: pay("r-1"), wantErr: []error{rebilly.ErrDuplicateRequest, rebilly.ErrApplied},
			statuses: []int{0, 409},
			check:    paidOnce("r-1"),
		},
		{
			name: "503 after commit: Upsert is retried and updates", fault: rebillytest.StatusAfterCommit(503),
			call:     upsert("wd-1"),
			statuses: []int{503, 200},
			check:    payoutRequestsStored(2),
		},
		{
			name: "a fault For another operation waits", fault: rebillytest.StatusBeforeCommit(500).For(rebillytest.OpCreatePayout),
			call: get, waits: true,
			statuses: []int{200},
			check: func(t *testing.T, r faultResult) {
				if n := r.f.PendingFaults(); n != 1 {
					t.Errorf("%d pending faults, want 1", n)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t, append([]rebillytest.Option{rebillytest.WithClock(newClock().Now)}, tt.opts...)...)
				c := f.client(t, tt.client...)
				ctx := context.Background()
				pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("100"))
				if err != nil {
					t.Fatal(err)
				}
				times := tt.times
				if times == 0 {
					times = 1
				}
				f.FailNext(times, tt.fault)
				err = tt.call(ctx, c, pr.ID)
				switch {
				case tt.wantErr == nil && err != nil:
					t.Fatalf("err = %v", err)
				case tt.wantErr != nil && err == nil:
					t.Fatalf("no error, want %v", tt.wantErr)
				}
				for _, want := range tt.wantErr {
					if !errors.Is(err, want) {
						t.Errorf("err = %v, want it to match %v", err, want)
					}
				}
				if got := statuses(f.Handler)[1:]; !slices.Equal(got, tt.statuses) {
					t.Errorf("statuses = %v, want %v", got, tt.statuses)
				}
				for _, r := range f.Requests()[1 : 1+times] {
					if !tt.waits && r.Fault != tt.fault.String() {
						t.Errorf("recorded fault %q, want %q", r.Fault, tt.fault.String())
					}
				}
				if tt.check != nil {
					tt.check(t, faultResult{err: err, f: f, pr: pr.ID})
				}
			})
		})
	}
}

// faultResult is what a TestFaults check looks at.
type faultResult struct {
	err error
	f   *fake
	pr  string // the payout request created before the fault, 100 EUR
}

func get(ctx context.Context, c *rebilly.Client, pr string) error {
	_, err := c.PayoutRequests.Get(ctx, pr)
	return err
}

func createPayoutRequest(ctx context.Context, c *rebilly.Client, _ string) error {
	_, err := c.PayoutRequests.Create(ctx, payoutRequestParams("20"))
	return err
}

func upsert(id string) func(context.Context, *rebilly.Client, string) error {
	return func(ctx context.Context, c *rebilly.Client, _ string) error {
		_, err := c.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams(payoutRequestParams("30")))
		return err
	}
}

func pay(requestID string) func(context.Context, *rebilly.Client, string) error {
	return func(ctx context.Context, c *rebilly.Client, pr string) error {
		tx, err := c.Payouts.Create(ctx, payoutParams("10", pr, requestID))
		if err == nil && tx.RequestID != requestID {
			return fmt.Errorf("requestId %q, want %q", tx.RequestID, requestID)
		}
		return err
	}
}

func payoutRequestsStored(n int) func(t *testing.T, r faultResult) {
	return func(t *testing.T, r faultResult) {
		t.Helper()
		if got := len(r.f.PayoutRequests()); got != n {
			t.Errorf("%d payout requests stored, want %d", got, n)
		}
	}
}

// paidOnce checks that the payouts with requestID made one transaction and one allocation,
// although every attempt carried the same requestId.
func paidOnce(requestID string) func(t *testing.T, r faultResult) {
	return func(t *testing.T, r faultResult) {
		t.Helper()
		txs := r.f.Transactions()
		if len(txs) != 1 || txs[0].RequestID != requestID {
			t.Fatalf("transactions = %+v, want one with requestId %s", txs, requestID)
		}
		pr, _ := r.f.PayoutRequest(r.pr)
		if len(pr.Allocations) != 1 || pr.AvailableAmount.String() != "90" {
			t.Errorf("payout request: %d allocations, availableAmount %s; want 1 and 90", len(pr.Allocations), pr.AvailableAmount)
		}
		for _, req := range r.f.Requests() {
			if req.Operation != rebillytest.OpCreatePayout {
				continue
			}
			var body struct {
				RequestID string `json:"requestId"`
			}
			if err := json.Unmarshal(req.Body, &body); err != nil || body.RequestID != requestID {
				t.Errorf("an attempt carried requestId %q, want %q", body.RequestID, requestID)
			}
		}
	}
}

// TestSameResultsOnBothTransports runs one scenario, faults included, through an httptest
// server and through httpmock, and compares everything the fake recorded and stored.
func TestSameResultsOnBothTransports(t *testing.T) {
	type outcome struct {
		Statuses       []int
		Faults         []string
		Operations     []rebillytest.Operation
		Bodies         []string
		Results        []string
		PayoutRequests string
		Transactions   string
	}
	run := func(t *testing.T, tr transport) outcome {
		f := tr.start(t, rebillytest.WithClock(newClock().Now))
		c := f.client(t)
		ctx := context.Background()
		var out outcome
		note := func(v any, err error) {
			if err != nil {
				// The error's text names the fake's URL on some transports only when it
				// carries a transport error; keep its kind.
				var apiErr *rebilly.APIError
				if errors.As(err, &apiErr) {
					out.Results = append(out.Results, fmt.Sprintf("error %d %v", apiErr.StatusCode, fieldNames(apiErr.InvalidFields)))
				} else {
					out.Results = append(out.Results, fmt.Sprintf("error unknown outcome: %v", errors.Is(err, rebilly.ErrOutcomeUnknown)))
				}
				return
			}
			out.Results = append(out.Results, normalize(t, v, f.base))
		}

		pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("100.00"))
		note(pr, err)
		f.FailNext(1, rebillytest.DropAfterCommit())
		note(c.Payouts.Create(ctx, payoutParams("30.00", pr.ID, "req-1")))
		f.FailNext(1, rebillytest.StatusAfterCommit(500))
		note(c.Payouts.Create(ctx, payoutParams("30.00", pr.ID, "req-2")))
		f.FailNext(1, rebillytest.Unavailable(0))
		note(c.PayoutRequests.Get(ctx, pr.ID))
		note(c.Payouts.Create(ctx, payoutParams("40.01", pr.ID, "req-3")))
		note(c.Payouts.Create(ctx, payoutParams("40", pr.ID, "req-3")))
		f.FailNext(1, rebillytest.DropBeforeCommit())
		note(c.PayoutRequests.Create(ctx, payoutRequestParams("5")))
		note(c.PayoutRequests.Upsert(ctx, "wd-1", payoutrequests.UpsertParams(payoutRequestParams("5"))))
		note(c.PayoutRequests.Get(ctx, pr.ID))

		for _, r := range f.Requests() {
			out.Statuses = append(out.Statuses, r.Status)
			out.Faults = append(out.Faults, r.Fault)
			out.Operations = append(out.Operations, r.Operation)
			out.Bodies = append(out.Bodies, string(r.Body))
		}
		out.PayoutRequests = normalize(t, f.PayoutRequests(), f.base)
		out.Transactions = normalize(t, f.Transactions(), f.base)
		return out
	}
	a := run(t, transports[0])
	b := run(t, transports[1])
	if !slices.Equal(a.Statuses, []int{201, 0, 201, 500, 201, 503, 200, 422, 201, 0, 201, 200}) {
		t.Errorf("statuses = %v", a.Statuses)
	}
	ja, _ := json.MarshalIndent(a, "", "  ")
	jb, _ := json.MarshalIndent(b, "", "  ")
	if string(ja) != string(jb) {
		t.Errorf("the transports differ:\nhttptest: %s\nhttpmock: %s", ja, jb)
	}
	if !strings.Contains(a.PayoutRequests, `"status":"fulfilled"`) || !strings.Contains(a.PayoutRequests, `"availableAmount":0.00`) {
		t.Errorf("payout request not fulfilled: %s", a.PayoutRequests)
	}
}

// TestConcurrentPayoutsNeverOverAllocate sends more payouts than a payout request can take,
// at once: exactly as many as fit succeed.
func TestConcurrentPayoutsNeverOverAllocate(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		c := f.client(t)
		ctx := context.Background()
		pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("100"))
		if err != nil {
			t.Fatal(err)
		}
		const workers = 20
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = c.Payouts.Create(ctx, payoutParams("10.00", pr.ID, ""))
			}()
		}
		wg.Wait()
		ok, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, rebilly.ErrValidation):
				refused++
			default:
				t.Errorf("err = %v", err)
			}
		}
		got, _ := f.PayoutRequest(pr.ID)
		if ok != 10 || refused != 10 || len(got.Allocations) != 10 || got.AvailableAmount.Sign() != 0 ||
			got.Status != payoutrequests.StatusFulfilled || len(f.Transactions()) != 10 {
			t.Errorf("%d paid, %d refused; %d allocations, availableAmount %s, status %s",
				ok, refused, len(got.Allocations), got.AvailableAmount, got.Status)
		}
	})
}

// TestSoakWithRandomFaults pays concurrently through random faults of every kind, repeating
// each failed payout with its requestId, and checks that every payout was paid exactly once.
func TestSoakWithRandomFaults(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		c := f.client(t, rebilly.WithMaxRetries(4))
		ctx := context.Background()
		pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("1000.00"))
		if err != nil {
			t.Fatal(err)
		}
		f.FailRandomly(0.3, []rebillytest.Fault{
			rebillytest.Unavailable(0),
			rebillytest.RateLimited(time.Unix(1, 0)),
			rebillytest.StatusBeforeCommit(502),
			rebillytest.DropBeforeCommit(),
			rebillytest.DropAfterCommit(),
			rebillytest.StatusAfterCommit(500),
			rebillytest.ResetAfterCommit(),
		}, 42)
		const workers, each = 6, 10
		var wg sync.WaitGroup
		var mu sync.Mutex
		txByRequestID := map[string]string{}
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					requestID := fmt.Sprintf("w%d-%d", w, i)
					var tx *payouts.Transaction
					var err error
					for try := 0; try < 10; try++ { // repeat with the same requestId until answered
						if tx, err = c.Payouts.Create(ctx, payoutParams("1.25", pr.ID, requestID)); err == nil {
							break
						}
					}
					if err != nil {
						t.Errorf("%s: %v", requestID, err)
						return
					}
					mu.Lock()
					txByRequestID[requestID] = tx.ID
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		f.FailRandomly(0, nil, 0)

		txs := f.Transactions()
		if len(txs) != workers*each || len(txByRequestID) != workers*each {
			t.Fatalf("%d transactions, %d answered payouts; want %d", len(txs), len(txByRequestID), workers*each)
		}
		for _, tx := range txs {
			if txByRequestID[tx.RequestID] != tx.ID {
				t.Errorf("requestId %s: stored %s, answered %s", tx.RequestID, tx.ID, txByRequestID[tx.RequestID])
			}
		}
		got, _ := f.PayoutRequest(pr.ID)
		if want := money.MustParse("925.00"); !got.AvailableAmount.Equal(want) || len(got.Allocations) != workers*each {
			t.Errorf("availableAmount %s with %d allocations, want %s and %d", got.AvailableAmount, len(got.Allocations), want, workers*each)
		}
		faults := 0
		for _, r := range f.Requests() {
			if r.Fault != "" {
				faults++
			}
		}
		if faults == 0 {
			t.Error("no fault was injected")
		}
		t.Logf("%d requests, %d faults", len(f.Requests()), faults)
	})
}

// TestFailRandomlyIsDeterministic: one seed, one sequence of faults.
func TestFailRandomlyIsDeterministic(t *testing.T) {
	sequence := func() []string {
		f := transports[1].start(t)
		f.FailRandomly(0.5, []rebillytest.Fault{rebillytest.StatusBeforeCommit(500), rebillytest.StatusBeforeCommit(503)}, 7)
		for range 20 {
			f.raw(t, "GET", org+"/payout-requests/x", "")
		}
		var out []string
		for _, r := range f.Requests() {
			out = append(out, r.Fault)
		}
		return out
	}
	a, b := sequence(), sequence()
	if !slices.Equal(a, b) {
		t.Errorf("two runs differ:\n%q\n%q", a, b)
	}
	if !slices.Contains(a, "") || !slices.Contains(a, "status 500 before commit") || !slices.Contains(a, "status 503 before commit") {
		t.Errorf("sequence = %q", a)
	}
}

// TestFaultArguments checks the panics that catch misuse.
func TestFaultArguments(t *testing.T) {
	h := rebillytest.NewHandler()
	for name, f := range map[string]func(){
		"status below 400":   func() { rebillytest.StatusBeforeCommit(200) },
		"negative count":     func() { h.FailNext(-1, rebillytest.DropAfterCommit()) },
		"zero fault":         func() { h.FailNext(1, rebillytest.Fault{}) },
		"rate above 1":       func() { h.FailRandomly(1.5, []rebillytest.Fault{rebillytest.DropAfterCommit()}, 1) },
		"NaN rate":           func() { h.FailRandomly(zero/zero, nil, 1) },
		"zero random fault":  func() { h.FailRandomly(0.5, []rebillytest.Fault{{}}, 1) },
		"status above 599":   func() { rebillytest.StatusAfterCommit(600) },
		"relative base URLs": func() { h.RegisterOn(nil, "/v1") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

var zero float64
