package rebilly

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

const (
	testBase   = "https://rebilly.test"
	testOrg    = "org_test"
	testServer = testBase + "/organizations/" + testOrg
	testKey    = "sk_sandbox_secret_key_123"
)

// waits records the backoff waits the client computed, and makes every wait zero so that
// no test sleeps.
type waits struct {
	mu  sync.Mutex
	all []time.Duration
}

func (w *waits) record(d time.Duration) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all = append(w.all, d)
	return 0
}

func (w *waits) list() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.all...)
}

// withTestClock fixes the client's clock and jitter, and records waits instead of sleeping.
func withTestClock(now time.Time, w *waits) Option {
	return func(c *config) error {
		c.now = func() time.Time { return now }
		c.jitter = func() float64 { return 0 }
		c.wait = w.record
		return nil
	}
}

// setup returns a client whose requests go to an httpmock transport, with retries that never
// sleep.
func setup(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport, *waits) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	w := &waits{}
	base := []Option{
		WithAPIKey(testKey),
		WithOrganizationID(testOrg),
		WithBaseURL(testBase),
		WithHTTPClient(&http.Client{Transport: mt}),
		withTestClock(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), w),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, mt, w
}
