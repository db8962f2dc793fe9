package money_test

import (
	"testing"

	"github.com/paysdk/rebilly/money"
)

// TestComparisonsDoNotAllocate: the SDK checks every amount it sends (Sign, ExactInFloat64)
// on every call, so comparing must cost no allocation.
func TestComparisonsDoNotAllocate(t *testing.T) {
	a, b := money.MustParse("1250.50"), money.MustParse("-1.2505e3")
	var sink int
	for name, f := range map[string]func(){
		"Sign":           func() { sink += a.Sign() },
		"Cmp":            func() { sink += a.Cmp(b) },
		"ExactInFloat64": func() { _ = a.ExactInFloat64() },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times", name, n)
		}
	}
	_ = sink
}
