package rebilly

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/paysdk/rebilly/internal/testutil"
)

func TestAttemptObserver(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []Attempt
	c, mt, _ := setup(t, WithAttemptObserver(func(_ context.Context, a Attempt) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, a)
	}))
	limited := func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, created)
		resp.Header.Set("X-RateLimit-Limit", "100")
		resp.Header.Set("X-RateLimit-Remaining", "97")
		return resp, nil
	}
	testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_secret_id", status(502), limited)
	testutil.Register(mt, http.MethodPost, testServer+"/payouts", failWith(errReset), httpmock.NewStringResponder(201, created))
	if _, err := c.PayoutRequests.Get(context.Background(), "pr_secret_id"); err != nil {
		t.Fatal(err)
	}
	p := payout()
	p.RequestID = "wd-1"
	if _, err := c.Payouts.Create(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"GET /payout-requests/{id} #1 502 ambiguous not applied retry=true limit=-1/-1 ",
		"GET /payout-requests/{id} #2 200  applied retry=false limit=100/97 ",
		"POST /payouts #1 0 ambiguous unknown retry=true limit=-1/-1 wd-1",
		"POST /payouts #2 201  applied retry=false limit=-1/-1 wd-1",
	}
	if len(seen) != len(want) {
		t.Fatalf("%d attempts observed: %+v", len(seen), seen)
	}
	for i, a := range seen {
		got := fmt.Sprintf("%s #%d %d %s %s retry=%t limit=%d/%d %s", a.Operation, a.Number, a.StatusCode, a.Failure, a.Outcome, a.WillRetry, a.RateLimitLimit, a.RateLimitRemaining, a.RequestID)
		if got != want[i] {
			t.Errorf("attempt %d:\n got %s\nwant %s", i, got, want[i])
		}
		if a.Duration < 0 {
			t.Errorf("attempt %d: duration %v", i, a.Duration)
		}
		// Nothing secret or high-cardinality: no key, no raw path with its id, no body.
		if s := fmt.Sprintf("%+v", a); strings.Contains(s, testKey) || strings.Contains(s, "pr_secret_id") || strings.Contains(s, "cus_1") {
			t.Errorf("attempt %d shows what it must not: %s", i, s)
		}
	}
}
