package rebillytest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// TestWaitForResultSettlesPayouts: on every transport, a payout answered with a result that
// is not final ends, through payouts.WaitForResult, in the result the fake settles it with:
// after a number of reads, or when the test settles it while the SDK polls.
func TestWaitForResultSettlesPayouts(t *testing.T) {
	tests := []struct {
		name     string
		outcome  rebillytest.Outcome
		settleAt int            // SettlePayout after this GET attempt; 0: never
		settleAs payouts.Result // with this result
		want     payouts.Result
		reads    int // GET /transactions/{id} in all
	}{
		{name: "approved at once: one read", outcome: rebillytest.Outcome{}, want: payouts.ResultApproved, reads: 1},
		{name: "declined at once: one read", outcome: rebillytest.Final(payouts.ResultDeclined), want: payouts.ResultDeclined, reads: 1},
		{name: "unknown/timeout, approved after 3 reads", outcome: rebillytest.Unknown(payouts.StatusTimeout).AfterReads(3), want: payouts.ResultApproved, reads: 4},
		{name: "waiting-gateway, declined after 1 read", outcome: rebillytest.Unknown(payouts.StatusWaitingGateway).AfterReads(1).Then(payouts.ResultDeclined), want: payouts.ResultDeclined, reads: 2},
		{name: "unknown/timeout, settled canceled by the test while polling", outcome: rebillytest.Unknown(payouts.StatusTimeout), settleAt: 2, settleAs: payouts.ResultCanceled, want: payouts.ResultCanceled, reads: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t, rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return tt.outcome }))
				var txID string // set before WaitForResult, read by the observer on the same goroutine
				gets := 0
				c := f.client(t, rebilly.WithAttemptObserver(func(_ context.Context, a rebilly.Attempt) {
					if a.Operation != string(rebillytest.OpGetTransaction) {
						return
					}
					if gets++; gets == tt.settleAt {
						if err := f.SettlePayout(txID, tt.settleAs); err != nil {
							t.Error(err)
						}
					}
				}))
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				tx, err := c.Payouts.Create(ctx, payoutParams("10.00", "", ""))
				if err != nil {
					t.Fatal(err)
				}
				txID = tx.ID
				got, err := c.Payouts.WaitForResult(ctx, tx.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.ID != tx.ID || got.Result != tt.want || !payouts.IsFinal(got) {
					t.Errorf("WaitForResult = %s %s/%s, want %s", got.ID, got.Result, got.Status, tt.want)
				}
				if gets != tt.reads || countOp(f, rebillytest.OpGetTransaction) != tt.reads {
					t.Errorf("%d GET attempts, %d received; want %d", gets, countOp(f, rebillytest.OpGetTransaction), tt.reads)
				}
			})
		})
	}
}

// TestWaitForResultWaitsOutFaults: faults on GET /transactions/{id}, before the read is
// processed, after it, or in the middle of its answer, are waited out by WaitForResult,
// which ends with the payout's real result.
func TestWaitForResultWaitsOutFaults(t *testing.T) {
	faults := []rebillytest.Fault{
		rebillytest.StatusBeforeCommit(http.StatusInternalServerError),
		rebillytest.Unavailable(0),
		rebillytest.RateLimited(time.Unix(1, 0)),
		rebillytest.DropBeforeCommit(),
		rebillytest.StatusAfterCommit(http.StatusBadGateway),
		rebillytest.DropAfterCommit(),
		rebillytest.ResetAfterCommit(),
		rebillytest.CutSuccessBody(),
		rebillytest.SuccessWithoutID(),
		rebillytest.SuccessWithBody("text/html", []byte("<html>proxy</html>")),
	}
	for _, fault := range faults {
		t.Run(fault.String(), func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t, rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome {
					return rebillytest.Unknown(payouts.StatusTimeout).AfterReads(1).Then(payouts.ResultDeclined)
				}))
				c := f.plainClient(t)
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				tx, err := c.Payouts.Create(ctx, payoutParams("10.00", "", ""))
				if err != nil {
					t.Fatal(err)
				}
				// More faults than one Get retries: WaitForResult itself must wait them out.
				f.FailNext(6, fault.For(rebillytest.OpGetTransaction))
				got, err := c.Payouts.WaitForResult(ctx, tx.ID)
				if err != nil {
					t.Fatalf("WaitForResult: %v", err)
				}
				if got.Result != payouts.ResultDeclined || got.Status != payouts.StatusCompleted {
					t.Errorf("WaitForResult = %s/%s, want declined/completed", got.Result, got.Status)
				}
				if n := f.PendingFaults(); n != 0 {
					t.Errorf("%d faults never struck", n)
				}
				if stored, _ := f.Transaction(tx.ID); stored.Result != payouts.ResultDeclined {
					t.Errorf("stored result %s", stored.Result)
				}
				if n := countOp(f, rebillytest.OpGetTransaction); n < 7 {
					t.Errorf("%d GET /transactions received, want the 6 that faults struck and more", n)
				}
			})
		})
	}
}

// TestWaitForResultStopsWithTheContext: a payout that never settles keeps WaitForResult
// polling until its context ends; the error wraps the context's and carries the last
// transaction read.
func TestWaitForResultStopsWithTheContext(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t, rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome {
			return rebillytest.Unknown(payouts.StatusWaitingGateway)
		}))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		gets := 0
		c := f.client(t, rebilly.WithAttemptObserver(func(_ context.Context, a rebilly.Attempt) {
			if a.Operation == string(rebillytest.OpGetTransaction) {
				if gets++; gets == 3 {
					cancel()
				}
			}
		}))
		tx, err := c.Payouts.Create(ctx, payoutParams("10.00", "", ""))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Payouts.WaitForResult(ctx, tx.ID)
		var nf *payouts.NotFinalError
		if !errors.As(err, &nf) || !errors.Is(err, context.Canceled) || !errors.Is(err, rebilly.ErrNotApplied) {
			t.Fatalf("err = %v", err)
		}
		if nf.ID != tx.ID || nf.Last == nil || nf.Last.Result != payouts.ResultUnknown || nf.Last.Status != payouts.StatusWaitingGateway {
			t.Errorf("NotFinalError %+v, last %+v", nf, nf.Last)
		}
		if gets != 3 {
			t.Errorf("%d reads after the context ended", gets-3)
		}
	})
}

// countOp counts the requests the fake received for op.
func countOp(f *fake, op rebillytest.Operation) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Operation == op {
			n++
		}
	}
	return n
}
