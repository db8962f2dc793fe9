package payouts

import (
	"reflect"
	"slices"
	"testing"

	"github.com/paysdk/rebilly/internal/backend"
)

// TestFreeFormMembersAreDeclared keeps the members decoded with exact numbers in step with
// the generated Transaction: a new free-form member would otherwise decode its numbers as
// float64.
func TestFreeFormMembersAreDeclared(t *testing.T) {
	declared := freeForm
	for _, member := range backend.FreeFormMembers(reflect.TypeOf(Transaction{})) {
		if !slices.Contains(declared, member) {
			t.Errorf("Transaction member %q holds free-form JSON but is not in the service's freeForm list %v", member, declared)
		}
	}
}
