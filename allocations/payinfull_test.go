package allocations_test

import (
	"context"
	"errors"
	"testing"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
)

var dest = allocations.PayParams{PaymentInstrumentID: "inst_1", GatewayAccountID: "gw_1"}

func TestPayInFull(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	l := newLedger("100.10")
	l.register(mt)
	final, err := c.Allocations.PayInFull(context.Background(), "pr_1", dest)
	if err != nil || len(final) != 1 || final[0].Status != allocations.StatusCompleted || final[0].Amount.String() != "100.10" {
		t.Fatalf("got %+v, %v", final, err)
	}
	if l.paid.String() != "100.10" || l.created != 1 {
		t.Errorf("paid %s through %d allocations", l.paid, l.created)
	}
	// Running it again finds everything done: nothing allocated, nothing paid again.
	again, err := c.Allocations.PayInFull(context.Background(), "pr_1", dest)
	if err != nil || len(again) != 1 || l.created != 1 || l.paid.String() != "100.10" {
		t.Fatalf("second run: %+v, %v; %d allocations, paid %s", again, err, l.created, l.paid)
	}
}

// TestPayInFullSettlesALostAllocation: the create took effect but its answer was lost; the
// next read finds the allocation, and nothing is allocated twice.
func TestPayInFullSettlesALostAllocation(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	l := newLedger("50.00")
	l.dropAfter = func(op string, n int) bool { return op == "POST alloc" && n == 1 }
	l.register(mt)
	final, err := c.Allocations.PayInFull(context.Background(), "pr_1", dest)
	if err != nil || len(final) != 1 || l.created != 1 || l.paid.String() != "50.00" {
		t.Fatalf("got %+v, %v; %d allocations, paid %s", final, err, l.created, l.paid)
	}
}

// TestPayInFullAcrossCrashes kills the run after every step in turn (its context ends), then
// runs it again in a "new process": never more allocated or paid than the amount.
func TestPayInFullAcrossCrashes(t *testing.T) {
	t.Parallel()
	for crashAt := 1; crashAt <= 6; crashAt++ {
		c, mt := setup(t)
		l := newLedger("75.25")
		l.register(mt)
		ctx, cancel := context.WithCancel(context.Background())
		steps := 0
		l.dropAfter = func(op string, n int) bool {
			if steps++; steps == crashAt {
				cancel() // the process dies with this request in flight, after it took effect
				return true
			}
			return false
		}
		_, err := c.Allocations.PayInFull(ctx, "pr_1", dest)
		if err == nil {
			t.Logf("crash at step %d came after the run had finished", crashAt)
		} else if !errors.Is(err, context.Canceled) {
			t.Fatalf("crash at %d: %v", crashAt, err)
		}
		l.dropAfter = nil
		final, err := c.Allocations.PayInFull(context.Background(), "pr_1", dest)
		if err != nil {
			t.Fatalf("crash at %d, rerun: %v", crashAt, err)
		}
		if l.created != 1 || l.paid.String() != "75.25" || l.heldAmount().String() != "75.25" || len(final) != 1 {
			t.Fatalf("crash at %d: %d allocations, paid %s, final %+v", crashAt, l.created, l.paid, final)
		}
	}
}

func TestPayInFullReturnsDeclinesAndAllocatesThemAnewOnRequest(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	l := newLedger("20.00")
	l.decline = true
	l.register(mt)
	final, err := c.Allocations.PayInFull(context.Background(), "pr_1", dest)
	if err != nil || len(final) != 1 || final[0].Status != allocations.StatusDeclined || l.paid.String() != "0" {
		t.Fatalf("got %+v, %v, paid %s", final, err, l.paid)
	}
	l.decline = false
	final, err = c.Allocations.PayInFull(context.Background(), "pr_1", dest)
	if err != nil || len(final) != 2 || l.created != 2 || l.paid.String() != "20.00" {
		t.Fatalf("second run: %+v, %v; %d allocations, paid %s", final, err, l.created, l.paid)
	}
}

func TestUnfinishedErrorIsUnknown(t *testing.T) {
	t.Parallel()
	err := &allocations.UnfinishedError{PayoutRequestID: "pr_1", Err: &rebilly.APIError{StatusCode: 422}}
	if !errors.Is(err, rebilly.ErrOutcomeUnknown) || errors.Is(err, rebilly.ErrValidation) || errors.Is(err, rebilly.ErrNotApplied) || rebilly.OutcomeOf(err) != rebilly.OutcomeUnknown {
		t.Fatalf("%v", err)
	}
}
