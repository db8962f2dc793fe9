package bench

import (
	"context"
	"testing"

	rebilly "github.com/paysdk/rebilly"
)

// allocBudget is how many more allocations per call the SDK may make than the typed
// baseline (impl=typed), on every operation: issue 15's target.
const allocBudget = 10

// TestAllocationBudget enforces allocBudget. Allocation counts are exact (a time is not), so
// this is a test that `go test ./...` runs, not a benchmark: each client makes the call
// budgetRuns times, serially, after a warm-up call, and testing.AllocsPerRun gives the
// allocations per call of the whole process (client, both ends of loopback and the fake
// server, which are the same for both clients: TestBenchmarkBodies checks that the requests
// are). Under the race detector, sync.Pool drops some of what is put back and counts move by
// a few for both clients; the margin under the budget holds there too.
func TestAllocationBudget(t *testing.T) {
	const budgetRuns = 200
	for _, op := range operations {
		for _, mode := range modes {
			t.Run(op.name+"/"+mode.name, func(t *testing.T) {
				allocs := map[string]float64{}
				for _, im := range mode.impls(op.sdk, op.typed, op.raw, rebilly.WithRetryWait(0, 0)) {
					call := im.call(t, mode.server(t, op.failFirst))
					ctx, n := context.Background(), 0
					var err error
					allocs[im.name] = testing.AllocsPerRun(budgetRuns, func() {
						if _, e := call(ctx, n); e != nil && err == nil {
							err = e
						}
						n++
					})
					if err != nil {
						t.Fatalf("%s: %v", im.name, err)
					}
				}
				extra := allocs["sdk"] - allocs["typed"]
				t.Logf("allocs per call: typed %.0f, sdk %.0f (%+.0f), map %.0f", allocs["typed"], allocs["sdk"], extra, allocs["map"])
				if extra > allocBudget {
					t.Errorf("the SDK allocates %.0f times per call, %.0f more than the typed baseline's %.0f: the budget is %d more",
						allocs["sdk"], extra, allocs["typed"], allocBudget)
				}
			})
		}
	}
}
