package rebilly_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// faultyServer is a stateful fake Rebilly on a real loopback socket that, on 30% of requests,
// drops the connection after committing, answers 500 after committing, answers 503 before
// processing, or closes the connection before processing.
func faultyServer(t *testing.T, seed int64) (*rebillytest.Server, *rebilly.Client) {
	t.Helper()
	srv := rebillytest.NewServer(t)
	srv.FailRandomly(0.30, []rebillytest.Fault{
		rebillytest.DropAfterCommit(),
		rebillytest.StatusAfterCommit(http.StatusInternalServerError),
		rebillytest.StatusBeforeCommit(http.StatusServiceUnavailable),
		rebillytest.DropBeforeCommit(),
	}, seed)
	c, err := rebilly.NewClient(
		rebilly.WithAPIKey(rebillytest.DefaultAPIKey),
		rebilly.WithOrganizationID(rebillytest.DefaultOrganizationID),
		rebilly.WithBaseURL(srv.URL()),
		rebilly.WithRetryWait(0, 0),
	)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestExactlyOnceUnderFaults is the merchant's exactly-once loop run against a server that
// fails 30% of requests in the four ways that matter: every payout is keyed by the merchant's
// own id, repeated until it has an answer, and paid exactly once.
func TestExactlyOnceUnderFaults(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("1,000 payouts against a faulty server")
	}
	ctx := context.Background()
	srv, c := faultyServer(t, 1)

	const payoutCount = 1000
	calls, unknown, duplicates := 0, 0, 0
	for i := range payoutCount {
		requestID, err := payouts.RequestIDFor(fmt.Sprintf("withdrawal-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		params := payouts.CreateParams{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD",
			Amount: money.FromMinorUnits(int64(100+i), 2), RequestID: requestID}
		for {
			calls++
			tx, err := c.Payouts.Create(ctx, params)
			if err == nil {
				if tx.RequestID != requestID {
					t.Fatalf("payout %d: result carries requestId %s, want %s", i, tx.RequestID, requestID)
				}
				break
			}
			if errors.Is(err, rebilly.ErrDuplicateRequest) {
				duplicates++
				break
			}
			if !errors.Is(err, rebilly.ErrOutcomeUnknown) && !errors.Is(err, rebilly.ErrServer) {
				t.Fatalf("payout %d: %v", i, err)
			}
			unknown++
			if calls > 3*payoutCount {
				t.Fatal("the loop does not converge")
			}
		}
	}
	txs := srv.Transactions()
	perRequestID := map[string]int{}
	for _, tx := range txs {
		perRequestID[tx.RequestID]++
	}
	for id, n := range perRequestID {
		if n != 1 {
			t.Errorf("requestId %s paid %d times", id, n)
		}
	}
	if len(txs) != payoutCount || len(perRequestID) != payoutCount {
		t.Errorf("%d transactions for %d distinct requestIds, want %d", len(txs), len(perRequestID), payoutCount)
	}
	faults := 0
	for _, r := range srv.Requests() {
		if r.Fault != "" {
			faults++
		}
	}
	t.Logf("payouts: %d payouts, %d calls, %d HTTP requests, %d injected faults, %d calls ended unknown and were repeated, %d repeats answered duplicate; %d transactions, 0 duplicates",
		payoutCount, calls, len(srv.Requests()), faults, unknown, duplicates, len(txs))
}

func TestPayoutRequestsUnderFaults(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("payout requests against a faulty server")
	}
	ctx := context.Background()
	params := func(i int) payoutrequests.CreateParams {
		return payoutrequests.CreateParams{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD",
			Amount: money.MustParse("25.00"), Description: fmt.Sprintf("withdrawal-%d", i)}
	}
	const count = 300

	t.Run("upserts keyed by the merchant's id", func(t *testing.T) {
		srv, c := faultyServer(t, 2)
		calls := 0
		for i := range count {
			id, err := payoutrequests.IDFor(fmt.Sprintf("withdrawal-%d", i))
			if err != nil {
				t.Fatal(err)
			}
			for {
				calls++
				_, err := c.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams(params(i)))
				if err == nil {
					break
				}
				if !errors.Is(err, rebilly.ErrOutcomeUnknown) && !errors.Is(err, rebilly.ErrServer) {
					t.Fatalf("upsert %d: %v", i, err)
				}
			}
		}
		if got := len(srv.PayoutRequests()); got != count {
			t.Errorf("%d payout requests, want %d", got, count)
		}
		t.Logf("upserts: %d payout requests, %d calls, %d HTTP requests; %d stored, 0 duplicates", count, calls, len(srv.Requests()), len(srv.PayoutRequests()))
	})

	t.Run("creates without a key", func(t *testing.T) {
		srv, c := faultyServer(t, 3)
		succeeded, unknown := map[string]bool{}, 0
		for i := range count {
			pr, err := c.PayoutRequests.Create(ctx, params(i))
			switch {
			case err == nil:
				succeeded[pr.Description] = true
			case errors.Is(err, rebilly.ErrOutcomeUnknown):
				unknown++
			default:
				t.Errorf("create %d failed without ErrOutcomeUnknown: %v", i, err)
			}
		}
		stored := map[string]int{}
		for _, pr := range srv.PayoutRequests() {
			stored[pr.Description]++
		}
		for key, n := range stored {
			if n > 1 {
				t.Errorf("%s created %d times", key, n)
			}
		}
		for key := range succeeded {
			if stored[key] != 1 {
				t.Errorf("%s succeeded but is stored %d times", key, stored[key])
			}
		}
		t.Logf("creates: %d calls, %d succeeded, %d ended ErrOutcomeUnknown (of which %d had in fact been created); %d stored, 0 duplicates",
			count, len(succeeded), unknown, len(srv.PayoutRequests())-len(succeeded), len(srv.PayoutRequests()))
	})
}
