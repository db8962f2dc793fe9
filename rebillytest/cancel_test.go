package rebillytest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/rebillytest"
)

// TestCancelAnswers checks the fake's POST /payout-requests/{id}/cancel: 200 with the payout
// request canceled and Location, 409 for one already canceled or fulfilled, 404, and 422 for a
// body Rebilly would refuse.
func TestCancelAnswers(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t, rebillytest.WithClock(newClock().Now))
		got, err := f.SeedPayoutRequests(
			payoutrequests.PayoutRequest{ID: "pr_open", WebsiteID: "w", CustomerID: "c", Currency: "EUR", Amount: money.MustParse("5")},
			payoutrequests.PayoutRequest{ID: "pr_mine", WebsiteID: "w", CustomerID: "c", Currency: "EUR", Amount: money.MustParse("5")},
			payoutrequests.PayoutRequest{ID: "pr_paid", WebsiteID: "w", CustomerID: "c", Currency: "EUR", Amount: money.MustParse("5"), Status: payoutrequests.StatusFulfilled},
		)
		if err != nil {
			t.Fatal(err, got)
		}
		status, header, body := f.raw(t, "POST", org+"/payout-requests/pr_open/cancel", `{}`)
		if status != 200 || header.Get("Location") != f.base+org+"/payout-requests/pr_open" || !strings.Contains(string(body), `"status":"canceled"`) {
			t.Errorf("cancel: %d %v %s", status, header, body)
		}
		if pr, _ := f.PayoutRequest("pr_open"); pr.CancellationReason.CanceledBy != "customer" {
			t.Errorf("canceledBy left out = %q, want Rebilly's default, customer", pr.CancellationReason.CanceledBy)
		}
		status, _, _ = f.raw(t, "POST", org+"/payout-requests/pr_mine/cancel", `{"canceledBy":"merchant","description":"withdrawn"}`)
		if pr, _ := f.PayoutRequest("pr_mine"); status != 200 || pr.CancellationReason.CanceledBy != "merchant" || pr.CancellationReason.Description != "withdrawn" {
			t.Errorf("cancel with a reason: %d %+v", status, pr.CancellationReason)
		}
		for _, tt := range []struct {
			id, body string
			status   int
			field    string
		}{
			{"pr_open", `{}`, 409, ""},
			{"pr_paid", `{}`, 409, ""},
			{"pr_none", `{}`, 404, ""},
			{"pr_paid", `{"canceledBy":"admin"}`, 422, "canceledBy"},
			{"pr_paid", `{"description":"` + strings.Repeat("x", 256) + `"}`, 422, "description"},
		} {
			status, header, body := f.raw(t, "POST", org+"/payout-requests/"+tt.id+"/cancel", tt.body)
			if status != tt.status {
				t.Errorf("%s %s: %d, want %d: %s", tt.id, clipBody(tt.body), status, tt.status, body)
				continue
			}
			p := decodeProblem(t, header, body)
			if tt.field != "" && !slices.Contains(fieldNames(p.InvalidFields), tt.field) {
				t.Errorf("%s: invalid fields %v, want %s", tt.body, p.InvalidFields, tt.field)
			}
		}
		if err := f.CancelPayoutRequest("pr_open", "again"); err == nil || !strings.Contains(err.Error(), "already canceled") {
			t.Errorf("CancelPayoutRequest of a canceled one: %v", err)
		}
	})
}

func clipBody(s string) string { return s[:min(len(s), 30)] }

// TestCancelThroughFaults cancels through every kind of fault, once and persistently: a
// cancel that took effect never ends in a plain error, and the SDK's outcome is the fake's.
func TestCancelThroughFaults(t *testing.T) {
	faults := []struct {
		name  string
		fault rebillytest.Fault
	}{
		{"503 before commit", rebillytest.StatusBeforeCommit(503)},
		{"500 before commit", rebillytest.StatusBeforeCommit(500)},
		{"drop before commit", rebillytest.DropBeforeCommit()},
		{"500 after commit", rebillytest.StatusAfterCommit(500)},
		{"drop after commit", rebillytest.DropAfterCommit()},
		{"reset after commit", rebillytest.ResetAfterCommit()},
		{"body cut mid-way", rebillytest.CutSuccessBody()},
		{"success without id", rebillytest.SuccessWithoutID()},
	}
	forEachTransport(t, func(t *testing.T, tr transport) {
		for _, ft := range faults {
			for _, times := range []int{1, 10} {
				t.Run(fmt.Sprintf("%s x%d", ft.name, times), func(t *testing.T) {
					f := tr.start(t)
					id := seedCrowd(t, f.Handler, 2)[1].ID // the first is seeded canceled
					f.FailNext(times, ft.fault.For(rebillytest.OpCancelPayoutRequest))
					pr, err := f.faultyClient(t).PayoutRequests.Cancel(context.Background(), id, payoutrequests.CancelParams{Description: "withdrawn"})
					stored, _ := f.PayoutRequest(id)
					canceled := stored.Status == payoutrequests.StatusCanceled
					switch {
					case canceled && err != nil && !errors.Is(err, rebilly.ErrOutcomeUnknown):
						t.Fatalf("the cancel took effect, but the error is %v (%v)", err, rebilly.OutcomeOf(err))
					case canceled && err == nil && (pr.Status != payoutrequests.StatusCanceled || pr.CancellationReason.CanceledBy != "merchant"):
						t.Errorf("result %+v", pr)
					case !canceled && err == nil:
						t.Fatal("success, but the fake did not cancel it")
					case times == 1 && err != nil:
						t.Errorf("one fault, and still %v", err)
					}
				})
			}
		}
	})
}

// TestCancelUnderRandomFaults cancels 40 payout requests while 30% of all requests fail at
// random (reads back included): every cancel that took effect ends in a success or an
// unknown outcome, and settling the unknown ones cancels every payout request.
func TestCancelUnderRandomFaults(t *testing.T) {
	all := []rebillytest.Fault{
		rebillytest.StatusBeforeCommit(500), rebillytest.Unavailable(0), rebillytest.DropBeforeCommit(),
		rebillytest.StatusAfterCommit(502), rebillytest.DropAfterCommit(), rebillytest.ResetAfterCommit(),
		rebillytest.CutSuccessBody(), rebillytest.SuccessWithoutID(),
	}
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		prs := seedCrowd(t, f.Handler, 40)
		c := f.faultyClient(t)
		f.FailRandomly(0.3, all, 13)
		ctx := context.Background()
		var unknown []string
		for _, pr := range prs {
			if pr.Status == payoutrequests.StatusCanceled {
				continue // seeded canceled
			}
			_, err := c.PayoutRequests.Cancel(ctx, pr.ID, payoutrequests.CancelParams{})
			stored, _ := f.PayoutRequest(pr.ID)
			switch canceled := stored.Status == payoutrequests.StatusCanceled; {
			case canceled && err != nil && !errors.Is(err, rebilly.ErrOutcomeUnknown):
				t.Errorf("%s: the cancel took effect, but the error is %v", pr.ID, err)
			case !canceled && err == nil:
				t.Errorf("%s: success, but not canceled", pr.ID)
			case errors.Is(err, rebilly.ErrOutcomeUnknown):
				unknown = append(unknown, pr.ID)
			case err != nil:
				unknown = append(unknown, pr.ID) // not applied: send it again
			}
		}
		// Settle: as Recovery says, repeat Cancel, which is safe, until it is done.
		f.FailRandomly(0, nil, 0)
		for _, id := range unknown {
			if _, err := c.PayoutRequests.Cancel(ctx, id, payoutrequests.CancelParams{}); err != nil && !errors.Is(err, rebilly.ErrConflict) {
				t.Errorf("%s: settling: %v", id, err)
			}
		}
		for _, pr := range f.PayoutRequests() {
			if pr.Status != payoutrequests.StatusCanceled {
				t.Errorf("%s is %s", pr.ID, pr.Status)
			}
		}
		faulted := 0
		for _, r := range f.Requests() {
			if r.Fault != "" {
				faulted++
			}
		}
		if faulted < 10 {
			t.Errorf("only %d faults struck", faulted)
		}
	})
}

// TestFailureClassesOfListAndCancel: each failure, before commit, after commit and mid-body,
// persistent, ends List and Cancel in its outcome class, and the fake agrees.
func TestFailureClassesOfListAndCancel(t *testing.T) {
	type result struct {
		outcome  rebilly.Outcome
		sentinel error
	}
	notApplied := func(s error) result { return result{rebilly.OutcomeNotApplied, s} }
	tests := []struct {
		name   string
		fault  rebillytest.Fault
		list   result
		cancel result // OutcomeApplied: success
	}{
		{"422 before commit", rebillytest.StatusBeforeCommit(422), notApplied(rebilly.ErrValidation), notApplied(rebilly.ErrValidation)},
		{"503 before commit", rebillytest.StatusBeforeCommit(503), notApplied(rebilly.ErrServer), notApplied(rebilly.ErrServer)},
		{"500 before commit", rebillytest.StatusBeforeCommit(500), notApplied(rebilly.ErrServer), result{rebilly.OutcomeUnknown, nil}},
		{"drop before commit", rebillytest.DropBeforeCommit(), notApplied(nil), result{rebilly.OutcomeUnknown, nil}},
		{"500 after commit", rebillytest.StatusAfterCommit(500), notApplied(rebilly.ErrServer), result{rebilly.OutcomeApplied, nil}},
		{"drop after commit", rebillytest.DropAfterCommit(), notApplied(nil), result{rebilly.OutcomeApplied, nil}},
		{"body cut mid-way", rebillytest.CutSuccessBody(), notApplied(nil), result{rebilly.OutcomeApplied, nil}},
		{"success without id", rebillytest.SuccessWithoutID(), notApplied(rebilly.ErrMalformedResponse), result{rebilly.OutcomeApplied, nil}},
	}
	forEachTransport(t, func(t *testing.T, tr transport) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tr.start(t)
				seedCrowd(t, f.Handler, 2)
				c := f.faultyClient(t)
				f.FailNext(10, tt.fault.For(rebillytest.OpListPayoutRequests))
				_, err := c.PayoutRequests.List(context.Background(), payoutrequests.ListParams{})
				checkResult(t, "List", err, tt.list.outcome, tt.list.sentinel)

				f.Reset() // forgets the faults left
				id := seedCrowd(t, f.Handler, 2)[1].ID
				f.FailNext(10, tt.fault.For(rebillytest.OpCancelPayoutRequest))
				_, err = c.PayoutRequests.Cancel(context.Background(), id, payoutrequests.CancelParams{})
				checkResult(t, "Cancel", err, tt.cancel.outcome, tt.cancel.sentinel)
				stored, _ := f.PayoutRequest(id)
				if canceled := stored.Status == payoutrequests.StatusCanceled; canceled != (tt.cancel.outcome == rebilly.OutcomeApplied) {
					t.Errorf("Cancel: the fake says canceled=%v", canceled)
				}
			})
		}
	})
}

func checkResult(t *testing.T, op string, err error, outcome rebilly.Outcome, sentinel error) {
	t.Helper()
	if got := rebilly.OutcomeOf(err); got != outcome {
		t.Errorf("%s: %v: outcome %v, want %v", op, err, got, outcome)
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Errorf("%s: %v does not match %v", op, err, sentinel)
	}
}

// faultyClient is f.client without the check of every answer against openapi.yaml, which the
// injected faults break on purpose.
func (f *fake) faultyClient(t *testing.T, opts ...rebilly.Option) *rebilly.Client {
	t.Helper()
	base := append(f.ClientOptions(f.base, f.plain), rebilly.WithRetryWait(0, 0), rebilly.WithMaxServerWait(time.Millisecond))
	c, err := rebilly.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
