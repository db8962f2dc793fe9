package rebilly_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	rebilly "github.com/paysdk/rebilly"
)

// TestFailuresKeepThePoolWarm checks that a call whose retries run out does not close the
// shared pool's idle connections (go-retryablehttp would), so the next call reuses the
// connection instead of dialing again.
func TestFailuresKeepThePoolWarm(t *testing.T) {
	t.Parallel()
	var conns atomic.Int32
	var fail atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"title":"down"}`))
			return
		}
		w.Write([]byte(`{"id":"pr_1"}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	hc := srv.Client()
	defer hc.CloseIdleConnections()

	c, err := rebilly.NewClient(rebilly.WithAPIKey("k"), rebilly.WithOrganizationID("org_1"),
		rebilly.WithBaseURL(srv.URL), rebilly.WithHTTPClient(hc), rebilly.WithRetryWait(0, 0), rebilly.WithMaxRetries(2))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.PayoutRequests.Get(ctx, "pr_1"); err != nil {
		t.Fatal(err)
	}
	fail.Store(true)
	if _, err := c.PayoutRequests.Get(ctx, "pr_1"); !errors.Is(err, rebilly.ErrServer) {
		t.Fatalf("err = %v", err)
	}
	fail.Store(false)
	if _, err := c.PayoutRequests.Get(ctx, "pr_1"); err != nil {
		t.Fatal(err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections accepted for 5 sequential requests, want 1", n)
	}
}

// TestDefaultTransportKeepsAPool checks the client's own transport (no WithHTTPClient): 32
// goroutines of sequential calls reuse their connections instead of dialing for most calls,
// as net/http's default of 2 idle connections per host would.
func TestDefaultTransportKeepsAPool(t *testing.T) {
	t.Parallel()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"pr_1"}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := rebilly.NewClient(rebilly.WithAPIKey("k"), rebilly.WithOrganizationID("org_1"), rebilly.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()

	const goroutines, calls = 32, 20
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range calls {
				if _, err := c.PayoutRequests.Get(context.Background(), "pr_1"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := conns.Load(); n > rebilly.DefaultMaxIdleConnsPerHost {
		t.Errorf("%d connections for %d calls from %d goroutines, want at most %d", n, goroutines*calls, goroutines, rebilly.DefaultMaxIdleConnsPerHost)
	}
}
