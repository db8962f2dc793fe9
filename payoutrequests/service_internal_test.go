package payoutrequests

import (
	"reflect"
	"testing"

	"github.com/paysdk/rebilly/internal/backend"
)

// TestNoFreeFormMembers guards the decision to decode payout requests without UseNumber: if
// the generated PayoutRequest gains a free-form member, its calls must set Call.FreeForm.
func TestNoFreeFormMembers(t *testing.T) {
	if got := backend.FreeFormMembers(reflect.TypeOf(PayoutRequest{})); len(got) != 0 {
		t.Errorf("PayoutRequest has free-form members %v: set backend.Call.FreeForm for its calls", got)
	}
}
