package rebillytest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/rebillytest"
)

// plainClient is an SDK client that reaches the fake without checking its answers against
// the spec: the faults here break answers on purpose.
func (f *fake) plainClient(t *testing.T) *rebilly.Client {
	t.Helper()
	opts := append(f.ClientOptions(f.base, f.plain), rebilly.WithRetryWait(0, 0), rebilly.WithMaxServerWait(time.Millisecond))
	c, err := rebilly.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSDKSettlesBrokenAnswers drives the SDK into each answer-level fault, after commit, on
// every transport, and checks what the caller gets and what the fake holds: a create whose
// 201 cannot be used is read back through its Location; a payout whose 201 is cut is
// repeated with its requestId and paid once; a reset after commit is an unknown outcome.
func TestSDKSettlesBrokenAnswers(t *testing.T) {
	html := rebillytest.SuccessWithBody("text/html", []byte("<html>proxy</html>"))
	tests := []struct {
		name         string
		fault        rebillytest.Fault
		payout       bool  // POST /payouts, else POST /payout-requests
		wantErr      error // nil: a result
		payoutReqs   int
		transactions int
	}{
		{"payout request, body cut", rebillytest.CutSuccessBody(), false, nil, 1, 0},
		{"payout request, {}", rebillytest.SuccessWithoutID(), false, nil, 1, 0},
		{"payout request, html", html, false, nil, 1, 0},
		{"payout request, reset after commit", rebillytest.ResetAfterCommit(), false, rebilly.ErrOutcomeUnknown, 1, 0},
		{"payout, body cut", rebillytest.CutSuccessBody(), true, nil, 0, 1},
		{"payout, {}", rebillytest.SuccessWithoutID(), true, nil, 0, 1},
		{"payout, html", html, true, nil, 0, 1},
		{"payout, reset after commit", rebillytest.ResetAfterCommit(), true, nil, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t)
				c := f.plainClient(t)
				f.FailNext(1, tt.fault)
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				var id string
				var err error
				if tt.payout {
					tx, e := c.Payouts.Create(ctx, payoutParams("5", "", ""))
					if e == nil {
						id = tx.ID
					}
					err = e
				} else {
					pr, e := c.PayoutRequests.Create(ctx, payoutRequestParams("5"))
					if e == nil {
						id = pr.ID
					}
					err = e
				}
				if tt.wantErr == nil && (err != nil || id == "") {
					t.Fatalf("err = %v, id %q; want the resource", err, id)
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if got := len(f.PayoutRequests()); got != tt.payoutReqs {
					t.Errorf("%d payout requests stored, want %d", got, tt.payoutReqs)
				}
				if got := len(f.Transactions()); got != tt.transactions {
					t.Errorf("%d transactions stored, want %d", got, tt.transactions)
				}
				if f.PendingFaults() != 0 {
					t.Errorf("the fault never struck")
				}
			})
		})
	}
}
