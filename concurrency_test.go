package rebilly

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/paysdk/rebilly/internal/testutil"
)

// TestOneClientManyGoroutines shares one client between goroutines that use every operation,
// with failures and retries in the mix; -race checks that nothing is shared unsafely, and each
// payout's retries keep their own requestId.
func TestOneClientManyGoroutines(t *testing.T) {
	t.Parallel()
	c, mt, _ := setup(t)
	var mu sync.Mutex
	seen := map[string]int{} // requestId -> attempts
	mt.RegisterResponder(http.MethodPost, testServer+"/payouts", func(req *http.Request) (*http.Response, error) {
		id := fmt.Sprint(testutil.JSON(t, mustRead(req))["requestId"])
		mu.Lock()
		seen[id]++
		n := seen[id]
		mu.Unlock()
		if n == 1 {
			return status(503)(req)
		}
		return httpmock.NewStringResponse(201, `{"id":"txn_`+id+`","requestId":"`+id+`"}`), nil
	})
	testutil.Register(mt, http.MethodGet, `=~^`+testServer+`/payout-requests/pr_\d+$`, httpmock.NewStringResponder(200, created))
	testutil.Register(mt, http.MethodPut, `=~^`+testServer+`/payout-requests/pr_\d+$`, httpmock.NewStringResponder(200, created))

	const workers = 32
	var wg sync.WaitGroup
	errs := make(chan error, workers*3)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("pr_%d", i)
			if _, err := c.PayoutRequests.Get(context.Background(), id); err != nil {
				errs <- err
			}
			if _, err := c.PayoutRequests.Upsert(context.Background(), id, payoutRequestUpsert()); err != nil {
				errs <- err
			}
			tx, err := c.Payouts.Create(context.Background(), payout())
			if err != nil {
				errs <- err
			} else if tx.ID != "txn_"+tx.RequestID {
				errs <- fmt.Errorf("transaction %s came back for requestId %s", tx.ID, tx.RequestID)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(seen) != workers {
		t.Errorf("%d distinct requestIds, want %d", len(seen), workers)
	}
	for id, n := range seen {
		if n != 2 {
			t.Errorf("requestId %s sent %d times, want 2 (503, then success)", id, n)
		}
	}
}
