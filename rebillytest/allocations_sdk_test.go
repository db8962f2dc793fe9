package rebillytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// The SDK's allocations package against the fake, through faults on every transport: the
// outcome model of each allocation operation, proved on a stateful server.

// TestProcessIsSafeToRepeat: Process is repeated after any failure, and again by the
// caller, and each allocation is still paid once, because only pending allocations are
// processed.
func TestProcessIsSafeToRepeat(t *testing.T) {
	faults := []struct {
		name  string
		fault *rebillytest.Fault // nil: none
	}{
		{"no fault: processed twice", nil},
		{"dropped after commit", ptr(rebillytest.DropAfterCommit())},
		{"reset after commit", ptr(rebillytest.ResetAfterCommit())},
		{"500 after commit", ptr(rebillytest.StatusAfterCommit(http.StatusInternalServerError))},
		{"204 cut", ptr(rebillytest.CutSuccessBody())},
		{"204 with {}", ptr(rebillytest.SuccessWithoutID())},
		{"dropped before commit", ptr(rebillytest.DropBeforeCommit())},
		{"503", ptr(rebillytest.Unavailable(0))},
	}
	for _, tt := range faults {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t)
				c := f.plainClient(t)
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				prID := f.newPayoutRequest(t, c, "30.00")
				a1, _ := c.Allocations.Create(ctx, allocationTo(prID, "10.00"))
				a2, _ := c.Allocations.Create(ctx, allocationTo(prID, "20.00"))
				if tt.fault != nil {
					f.FailNext(1, tt.fault.For(rebillytest.OpProcessAllocations))
				}
				for i := range 2 {
					if err := c.Allocations.Process(ctx, a1.ID, a2.ID); err != nil {
						t.Fatalf("Process %d: %v", i+1, err)
					}
				}
				if _, err := c.Allocations.WaitForResult(ctx, a1.ID); err != nil {
					t.Fatal(err)
				}
				// A repeat while one is paid and the other is being processed.
				if err := c.Allocations.Process(ctx, a1.ID, a2.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := c.Allocations.WaitForResult(ctx, a2.ID); err != nil {
					t.Fatal(err)
				}
				if err := c.Allocations.Process(ctx, a2.ID, a1.ID); err != nil {
					t.Fatal(err)
				}
				assertPaidOnce(t, f, prID, "30.00")
				if f.PendingFaults() != 0 {
					t.Error("the fault did not strike")
				}
			})
		})
	}
}

func ptr[T any](v T) *T { return &v }

// assertPaidOnce checks that a payout request is fulfilled by completed allocations that
// sum to amount, each with its own transaction, approved, and that no other transaction
// pays it.
func assertPaidOnce(t *testing.T, f *fake, prID, amount string) {
	t.Helper()
	pr, _ := f.PayoutRequest(prID)
	completed, paid := money.MustParse("0"), money.MustParse("0")
	byTx := map[string]string{}
	for _, a := range pr.Allocations {
		if a.Status != allocations.StatusCompleted {
			continue
		}
		completed = completed.Add(a.Amount)
		if other, dup := byTx[a.TransactionID]; dup || a.TransactionID == "" {
			t.Errorf("allocation %s: transaction %q (also %q's)", a.ID, a.TransactionID, other)
		}
		byTx[a.TransactionID] = a.ID
	}
	for _, tx := range f.Transactions() {
		if tx.PayoutRequestID != prID {
			continue
		}
		if _, ok := byTx[tx.ID]; !ok && tx.Result == "approved" {
			t.Errorf("transaction %s paid %s outside the completed allocations", tx.ID, tx.Amount)
		}
		if tx.Result == "approved" {
			paid = paid.Add(tx.Amount)
		}
	}
	if want := money.MustParse(amount); !completed.Equal(want) || !paid.Equal(want) || pr.Status != "fulfilled" || pr.AvailableAmount.Sign() != 0 {
		t.Errorf("payout request %s: %s, available %s, completed allocations %s, approved transactions %s; want %s paid once",
			prID, pr.Status, pr.AvailableAmount, completed, paid, amount)
	}
}

// TestAllocateIsUnsafe: Create and AutoAllocate have no idempotency key, so the SDK repeats
// them only when the fake provably did nothing (503, 429); after any failure that may have
// been applied the call ends at once in ErrOutcomeUnknown, whether or not the allocation
// was made, and the payout request's allocations tell which. A create whose 201 cannot be
// used is read back through its Location.
func TestAllocateIsUnsafe(t *testing.T) {
	tests := []struct {
		name        string
		fault       rebillytest.Fault
		wantUnknown bool
		posts       int
		allocated   int
	}{
		{"dropped before commit", rebillytest.DropBeforeCommit(), true, 1, 0},
		{"500 before commit", rebillytest.StatusBeforeCommit(http.StatusInternalServerError), true, 1, 0},
		{"dropped after commit", rebillytest.DropAfterCommit(), true, 1, 1},
		{"reset after commit", rebillytest.ResetAfterCommit(), true, 1, 1},
		{"502 after commit", rebillytest.StatusAfterCommit(http.StatusBadGateway), true, 1, 1},
		{"503: repeated", rebillytest.Unavailable(0), false, 2, 1},
		{"429: repeated", rebillytest.RateLimited(time.Unix(1, 0)), false, 2, 1},
	}
	calls := []struct {
		name string
		op   rebillytest.Operation
		call func(ctx context.Context, c *rebilly.Client, prID string) error
	}{
		{"Create", rebillytest.OpCreateAllocation, func(ctx context.Context, c *rebilly.Client, prID string) error {
			_, err := c.Allocations.Create(ctx, allocationTo(prID, "7.00"))
			return err
		}},
		{"AutoAllocate", rebillytest.OpAutoAllocate, func(ctx context.Context, c *rebilly.Client, prID string) error {
			return c.Allocations.AutoAllocate(ctx, prID)
		}},
	}
	for _, call := range calls {
		for _, tt := range tests {
			t.Run(call.name+"/"+tt.name, func(t *testing.T) {
				forEachTransport(t, func(t *testing.T, tr transport) {
					f := tr.start(t)
					c := f.plainClient(t)
					ctx := context.Background()
					prID := f.newPayoutRequest(t, c, "7.00")
					f.FailNext(1, tt.fault.For(call.op))
					err := call.call(ctx, c, prID)
					switch {
					case tt.wantUnknown && (!errors.Is(err, rebilly.ErrOutcomeUnknown) || !strings.Contains(err.Error(), "allocations")):
						t.Errorf("err = %v, want ErrOutcomeUnknown with a recovery through the payout request's allocations", err)
					case !tt.wantUnknown && err != nil:
						t.Errorf("err = %v", err)
					}
					pr, _ := f.PayoutRequest(prID)
					if n := countOp(f, call.op); n != tt.posts || len(pr.Allocations) != tt.allocated {
						t.Errorf("%d requests, %d allocations; want %d and %d", n, len(pr.Allocations), tt.posts, tt.allocated)
					}
				})
			})
		}
	}
}

// TestAllocateReadsBackABrokenAnswer: a 201 to Create whose body cannot be used is read
// back through its Location; AutoAllocate is never repeated after a 204 whose body is
// broken.
// Either way one allocation is made.
func TestAllocateReadsBackABrokenAnswer(t *testing.T) {
	for _, fault := range []rebillytest.Fault{rebillytest.CutSuccessBody(), rebillytest.SuccessWithoutID()} {
		t.Run(fault.String(), func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t)
				c := f.plainClient(t)
				ctx := context.Background()
				prID := f.newPayoutRequest(t, c, "9.00")
				f.FailNext(1, fault.For(rebillytest.OpCreateAllocation))
				a, err := c.Allocations.Create(ctx, allocationTo(prID, "4.00"))
				if err != nil || a.Status != allocations.StatusPending || a.Amount.String() != "4.00" {
					t.Fatalf("Create: %+v, %v", a, err)
				}
				f.FailNext(1, fault.For(rebillytest.OpAutoAllocate))
				// A 204 whose empty body is cut, or carries {}, is complete on HTTP/1; over
				// HTTP/2 and httpmock the read of the body fails, and the SDK, which cannot
				// repeat AutoAllocate, reports an unknown outcome.
				if err := c.Allocations.AutoAllocate(ctx, prID); err != nil && !errors.Is(err, rebilly.ErrOutcomeUnknown) {
					t.Fatalf("AutoAllocate: %v", err)
				}
				pr, _ := f.PayoutRequest(prID)
				if countOp(f, rebillytest.OpCreateAllocation) != 1 || countOp(f, rebillytest.OpAutoAllocate) != 1 || len(pr.Allocations) != 2 || pr.AvailableAmount.Sign() != 0 {
					t.Errorf("%v", f.payoutRequestState(t, prID))
				}
			})
		})
	}
}

// TestCancelAfterALostAnswer: a cancel that took effect but whose answer was lost is
// repeated, meets 409 (the allocation is canceled already), and reads the allocation back:
// the call succeeds, and the amount is freed once.
func TestCancelAfterALostAnswer(t *testing.T) {
	for _, fault := range []rebillytest.Fault{
		rebillytest.DropAfterCommit(),
		rebillytest.ResetAfterCommit(),
		rebillytest.StatusAfterCommit(http.StatusInternalServerError),
		rebillytest.CutSuccessBody(),
		rebillytest.SuccessWithoutID(),
	} {
		t.Run(fault.String(), func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t)
				c := f.plainClient(t)
				ctx := context.Background()
				prID := f.newPayoutRequest(t, c, "30.00")
				a, _ := c.Allocations.Create(ctx, allocationTo(prID, "10.00"))
				if _, err := c.Allocations.Create(ctx, allocationTo(prID, "5.00")); err != nil {
					t.Fatal(err)
				}
				f.FailNext(1, fault.For(rebillytest.OpUpdateAllocation))
				got, err := c.Allocations.Cancel(ctx, a.ID)
				if err != nil || got.ID != a.ID || got.Status != allocations.StatusCanceled {
					t.Fatalf("Cancel: %+v, %v", got, err)
				}
				if s := f.payoutRequestState(t, prID); s != "in-progress 25.00 [canceled pending]" {
					t.Errorf("after Cancel: %s", s)
				}
				for _, r := range f.Requests() {
					if r.Operation == rebillytest.OpUpdateAllocation && r.Status != 0 && r.Status != http.StatusOK && r.Status != http.StatusConflict && r.Fault == "" {
						t.Errorf("PATCH answered %d", r.Status)
					}
				}
			})
		})
	}
}

// TestWaitForAllocationWaitsOutFaults: WaitForResult on an allocation waits out every
// fault of its reads and ends with its real status.
func TestWaitForAllocationWaitsOutFaults(t *testing.T) {
	faults := []rebillytest.Fault{
		rebillytest.StatusBeforeCommit(http.StatusInternalServerError),
		rebillytest.Unavailable(0),
		rebillytest.DropBeforeCommit(),
		rebillytest.StatusAfterCommit(http.StatusBadGateway),
		rebillytest.ResetAfterCommit(),
		rebillytest.CutSuccessBody(),
		rebillytest.SuccessWithoutID(),
	}
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		c := f.plainClient(t)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		prID := f.newPayoutRequest(t, c, "12.00")
		a, _ := c.Allocations.Create(ctx, allocationTo(prID, "12.00"))
		if err := c.Allocations.Process(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		for _, fault := range faults {
			f.FailNext(1, fault.For(rebillytest.OpGetAllocation))
		}
		got, err := c.Allocations.WaitForResult(ctx, a.ID)
		if err != nil || got.Status != allocations.StatusCompleted {
			t.Fatalf("WaitForResult: %+v, %v", got, err)
		}
		if f.PendingFaults() != 0 {
			t.Errorf("%d faults did not strike", f.PendingFaults())
		}
		assertPaidOnce(t, f, prID, "12.00")
	})
}

// TestPayInFullExactlyOnceThroughFaultsAndRestarts is issue 14's done-when: payout requests
// paid in full, exactly once, through allocations, with 30% of all requests failing (every
// kind of fault, before and after commit and in the answer) and the process killed after
// every step in turn.
//
// Each payout request is paid by a loop of "processes": process k is a new client whose
// context the test cancels right after its k-th attempt (a crash), and the next process
// runs PayInFull again from scratch, until a run returns with the request paid in full.
// Some requests start with part of the amount allocated by an earlier process; some are
// allocated automatically; some payouts time out and settle later; some are declined once,
// so that their amount is allocated anew. After every attempt the test checks that no
// payout request holds allocations beyond its amount, and at the end that each was paid
// its amount exactly, by completed allocations with one transaction each.
func TestPayInFullExactlyOnceThroughFaultsAndRestarts(t *testing.T) {
	const requests = 50
	faults := []rebillytest.Fault{
		rebillytest.StatusBeforeCommit(http.StatusInternalServerError),
		rebillytest.Unavailable(0),
		rebillytest.RateLimited(time.Unix(1, 0)),
		rebillytest.DropBeforeCommit(),
		rebillytest.DropAfterCommit(),
		rebillytest.StatusAfterCommit(http.StatusBadGateway),
		rebillytest.ResetAfterCommit(),
		rebillytest.CutSuccessBody(),
		rebillytest.SuccessWithoutID(),
		rebillytest.SuccessWithBody("text/html", []byte("<html>bad gateway</html>")),
	}
	forEachTransport(t, func(t *testing.T, tr transport) {
		declinedOnce := map[string]bool{} // by customer; the rule runs under the fake's lock
		f := tr.start(t, rebillytest.WithPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
			var i int
			if _, err := fmt.Sscanf(p.CustomerID, "cus_%d", &i); err != nil {
				panic(err)
			}
			switch {
			case i%5 == 0 && !declinedOnce[p.CustomerID]:
				declinedOnce[p.CustomerID] = true
				return rebillytest.Final(payouts.ResultDeclined)
			case i%3 == 1:
				return rebillytest.Unknown(payouts.StatusTimeout).AfterReads(2)
			}
			return rebillytest.Outcome{}
		}))
		setup := f.plainClient(t)
		ctx := context.Background()
		ids := make([]string, requests)
		amounts := make([]string, requests)
		for i := range requests {
			params := payoutRequestParams(fmt.Sprintf("%d.%02d", 20+i, i*7%100))
			params.CustomerID = fmt.Sprintf("cus_%d", i)
			if i%4 == 1 {
				params.PaymentInstrumentID = fmt.Sprintf("inst_%d", i)
			}
			pr, err := setup.PayoutRequests.Create(ctx, params)
			if err != nil {
				t.Fatal(err)
			}
			ids[i], amounts[i] = pr.ID, pr.Amount.String()
			if i%4 == 3 { // an earlier process allocated part of it, then died
				if _, err := setup.Allocations.Create(ctx, allocationTo(pr.ID, "5.00")); err != nil {
					t.Fatal(err)
				}
			}
		}

		f.FailRandomly(0.3, faults, 14)
		runs, crashes, failures, reruns := 0, 0, 0, 0
		for i, prID := range ids {
			params := allocations.PayParams{PaymentInstrumentID: "inst_x", GatewayAccountID: "gw_x"}
			if i%2 == 1 {
				params = allocations.PayParams{} // allocated automatically
			}
			for k := 1; ; k++ {
				if k > 300 {
					t.Fatalf("payout request %d (%s) is not paid after %d runs: %s", i, prID, k-1, f.payoutRequestState(t, prID))
				}
				runs++
				runCtx, crash := context.WithCancel(ctx)
				attempts := 0
				c, err := rebilly.NewClient(append(f.ClientOptions(f.base, f.plain),
					rebilly.WithRetryWait(0, 0), rebilly.WithMaxServerWait(time.Millisecond),
					rebilly.WithAttemptObserver(func(context.Context, rebilly.Attempt) {
						checkNeverOverAllocated(t, f, prID)
						if attempts++; attempts == k {
							crash() // the process dies here; the next one starts from what Rebilly holds
						}
					}))...)
				if err != nil {
					t.Fatal(err)
				}
				final, err := c.Allocations.PayInFull(runCtx, prID, params)
				crashed := runCtx.Err() != nil
				crash()
				c.CloseIdleConnections()
				switch {
				case err != nil && crashed:
					crashes++
					continue
				case err != nil:
					failures++ // a call failed for good through the faults: run again
					continue
				}
				if !paidInFull(final, amounts[i]) {
					reruns++ // a payout was declined: PayInFull allocates its amount anew
					continue
				}
				break
			}
		}
		f.FailRandomly(0, nil, 0)

		allocs, declined, faulted, refused := 0, 0, 0, 0
		for i, prID := range ids {
			assertPaidOnce(t, f, prID, amounts[i])
			checkNeverOverAllocated(t, f, prID)
			pr, _ := f.PayoutRequest(prID)
			allocs += len(pr.Allocations)
			for _, a := range pr.Allocations {
				if a.Status == allocations.StatusDeclined {
					declined++
				}
			}
		}
		byTx := map[string]int{}
		for _, pr := range f.PayoutRequests() {
			for _, a := range pr.Allocations {
				if a.TransactionID != "" {
					byTx[a.TransactionID]++
				}
			}
		}
		duplicates := len(f.Transactions()) - len(byTx)
		for _, n := range byTx {
			duplicates += n - 1
		}
		for _, r := range f.Requests() {
			if r.Fault != "" {
				faulted++
			}
			// PayInFull never asks for more than is left: no allocation is refused.
			if (r.Operation == rebillytest.OpCreateAllocation || r.Operation == rebillytest.OpAutoAllocate) && r.Status >= 400 && r.Fault == "" {
				refused++
				t.Errorf("%s answered %d: %s", r.Operation, r.Status, r.Body)
			}
		}
		if duplicates != 0 || len(declinedOnce) != requests/5 {
			t.Errorf("%d duplicate transactions; %d payout requests declined once, want %d", duplicates, len(declinedOnce), requests/5)
		}
		t.Logf("%d payout requests paid in full through %d runs (%d crashed, %d failed through faults, %d run again after a decline); "+
			"%d requests, %d faults injected; %d allocations (%d declined), %d transactions; %d refused allocations; %d duplicates",
			requests, runs, crashes, failures, reruns, len(f.Requests()), faulted, allocs, declined, len(f.Transactions()), refused, duplicates)
	})
}

// checkNeverOverAllocated fails the test when a payout request's allocations that hold
// their amount, or those that paid it, sum to more than its amount.
func checkNeverOverAllocated(t *testing.T, f *fake, prID string) {
	t.Helper()
	pr, _ := f.PayoutRequest(prID)
	held, paid := money.MustParse("0"), money.MustParse("0")
	for _, a := range pr.Allocations {
		switch a.Status {
		case allocations.StatusDeclined, allocations.StatusFailed, allocations.StatusCanceled:
		case allocations.StatusCompleted:
			paid = paid.Add(a.Amount)
			held = held.Add(a.Amount)
		default:
			held = held.Add(a.Amount)
		}
	}
	if held.Cmp(pr.Amount) > 0 || paid.Cmp(pr.Amount) > 0 || !pr.AvailableAmount.Equal(pr.Amount.Sub(held)) {
		t.Fatalf("payout request %s: %s held, %s paid, available %s of %s", prID, held, paid, pr.AvailableAmount, pr.Amount)
	}
}

// paidInFull reports whether PayInFull's final allocations pay amount: completed ones sum
// to it.
func paidInFull(final []allocations.Allocation, amount string) bool {
	paid := money.MustParse("0")
	for _, a := range final {
		if a.Status == allocations.StatusCompleted {
			paid = paid.Add(a.Amount)
		}
	}
	return paid.Equal(money.MustParse(amount))
}
