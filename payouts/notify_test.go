package payouts_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/paysdk/rebilly/payouts"
)

const secret = "whsec_0123456789abcdef"

// fakeAPI is a payouts.API whose Get answers from a map and counts reads.
type fakeAPI struct {
	payouts.API
	mu    sync.Mutex
	txs   map[string]*payouts.Transaction
	err   error
	reads atomic.Int32
}

func (f *fakeAPI) Get(_ context.Context, id string) (*payouts.Transaction, error) {
	f.reads.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	tx, ok := f.txs[id]
	if !ok {
		return nil, errors.New("not found")
	}
	cp := *tx
	return &cp, nil
}

// deliver fills in Rebilly's placeholders of a notificationUrl and sends it to h.
func deliver(h http.Handler, notificationURL, id, result string) *httptest.ResponseRecorder {
	u := strings.NewReplacer(payouts.IDPlaceholder, id, payouts.ResultPlaceholder, result).Replace(notificationURL)
	req := httptest.NewRequest(http.MethodPost, u, strings.NewReader(`{"result":"approved"}`))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestNotificationURL(t *testing.T) {
	t.Parallel()
	u, err := payouts.NotificationURL("https://shop.example/hooks/payout?shop=1", secret)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u, "transaction={id}") || !strings.Contains(u, "result={result}") || !strings.HasPrefix(u, "https://shop.example/hooks/payout?shop=1&") {
		t.Errorf("url = %s", u)
	}
	if strings.Contains(u, secret) {
		t.Fatalf("the secret is in the URL: %s", u)
	}
	again, _ := payouts.NotificationURL("https://shop.example/hooks/payout?shop=1", secret)
	if again == u {
		t.Error("two calls made the same proof: no nonce")
	}
	for _, bad := range []struct{ url, secret, field string }{
		{"https://shop.example/hook", "short", "secret"},
		{"ftp://shop.example/hook", secret, "rawURL"},
		{"/relative", secret, "rawURL"},
	} {
		_, err := payouts.NotificationURL(bad.url, bad.secret)
		if err == nil || !strings.Contains(err.Error(), bad.field) || strings.Contains(err.Error(), secret) {
			t.Errorf("NotificationURL(%q, %q): %v", bad.url, bad.secret, err)
		}
	}
}

func TestNotificationHandler(t *testing.T) {
	t.Parallel()
	notifyURL, err := payouts.NotificationURL("https://shop.example/hook", secret)
	if err != nil {
		t.Fatal(err)
	}
	final := &payouts.Transaction{ID: "txn_1", Result: payouts.ResultApproved, Status: payouts.StatusCompleted}
	pendingTx := &payouts.Transaction{ID: "txn_2", Result: payouts.ResultUnknown, Status: payouts.StatusTimeout}
	forged, _ := payouts.NotificationURL("https://shop.example/hook", "another-secret-of-16+")
	tamper := func(u string) string {
		parsed, _ := url.Parse(u)
		q := parsed.Query()
		q.Set("proof", q.Get("proof")+"x")
		return strings.NewReplacer("%7Bid%7D", "{id}", "%7Bresult%7D", "{result}").Replace(parsed.Scheme + "://" + parsed.Host + parsed.Path + "?" + q.Encode())
	}
	tests := []struct {
		name      string
		url, id   string
		getErr    error
		onErr     error
		want      int
		reads     int32
		callbacks int32
	}{
		{"final: confirmed and acknowledged", notifyURL, "txn_1", nil, nil, http.StatusNoContent, 1, 1},
		{"forged proof: no GET, no callback", forged, "txn_1", nil, nil, http.StatusForbidden, 0, 0},
		{"tampered proof", tamper(notifyURL), "txn_1", nil, nil, http.StatusForbidden, 0, 0},
		{"no proof", "https://shop.example/hook?transaction={id}", "txn_1", nil, nil, http.StatusForbidden, 0, 0},
		{"bad id", notifyURL, "../x", nil, nil, http.StatusBadRequest, 0, 0},
		{"not final yet: Rebilly must deliver again", notifyURL, "txn_2", nil, nil, http.StatusServiceUnavailable, 1, 0},
		{"GET fails: deliver again", notifyURL, "txn_1", errors.New("network down"), nil, http.StatusServiceUnavailable, 1, 0},
		{"merchant side fails: deliver again", notifyURL, "txn_1", nil, errors.New("db down"), http.StatusInternalServerError, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &fakeAPI{txs: map[string]*payouts.Transaction{"txn_1": final, "txn_2": pendingTx}, err: tt.getErr}
			var callbacks atomic.Int32
			h := payouts.NewNotificationHandler(api, secret, func(_ context.Context, tx *payouts.Transaction) error {
				callbacks.Add(1)
				if !payouts.IsFinal(tx) {
					t.Errorf("onResult got a transaction that is not final: %+v", tx)
				}
				return tt.onErr
			})
			// The {result} Rebilly put in the URL is never trusted: say "approved" for all.
			w := deliver(h, tt.url, tt.id, "approved")
			if w.Code != tt.want || api.reads.Load() != tt.reads || callbacks.Load() != tt.callbacks {
				t.Fatalf("status %d, %d reads, %d callbacks; want %d, %d, %d", w.Code, api.reads.Load(), callbacks.Load(), tt.want, tt.reads, tt.callbacks)
			}
		})
	}
}

func TestNotificationHandlerBoundsAndConfiguration(t *testing.T) {
	t.Parallel()
	notifyURL, _ := payouts.NotificationURL("https://shop.example/hook", secret)
	u := strings.NewReplacer(payouts.IDPlaceholder, "txn_1", payouts.ResultPlaceholder, "approved").Replace(notifyURL)
	api := &fakeAPI{txs: map[string]*payouts.Transaction{"txn_1": {ID: "txn_1", Result: payouts.ResultApproved, Status: payouts.StatusCompleted}}}
	h := payouts.NewNotificationHandler(api, secret, func(context.Context, *payouts.Transaction) error { return nil })

	big := httptest.NewRequest(http.MethodPost, u, io.LimitReader(zeros{}, 1<<20))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, big)
	if w.Code != http.StatusRequestEntityTooLarge || api.reads.Load() != 0 {
		t.Errorf("1 MiB body: %d after %d reads", w.Code, api.reads.Load())
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodDelete, u, nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", w.Code)
	}
	for name, h := range map[string]http.Handler{
		"nil api":      payouts.NewNotificationHandler(nil, secret, func(context.Context, *payouts.Transaction) error { return nil }),
		"nil callback": payouts.NewNotificationHandler(api, secret, nil),
		"short secret": payouts.NewNotificationHandler(api, "x", func(context.Context, *payouts.Transaction) error { return nil }),
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, u, nil))
		if w.Code != http.StatusInternalServerError {
			t.Errorf("%s: %d", name, w.Code)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestConcurrentDeliveriesAreSerialized: many concurrent deliveries of one notification reach
// onResult one at a time, each with the confirmed transaction.
func TestConcurrentDeliveriesAreSerialized(t *testing.T) {
	t.Parallel()
	notifyURL, _ := payouts.NotificationURL("https://shop.example/hook", secret)
	api := &fakeAPI{txs: map[string]*payouts.Transaction{"txn_1": {ID: "txn_1", Result: payouts.ResultApproved, Status: payouts.StatusCompleted}}}
	var inside, maxInside, calls atomic.Int32
	h := payouts.NewNotificationHandler(api, secret, func(context.Context, *payouts.Transaction) error {
		n := inside.Add(1)
		for {
			m := maxInside.Load()
			if n <= m || maxInside.CompareAndSwap(m, n) {
				break
			}
		}
		calls.Add(1)
		inside.Add(-1)
		return nil
	})
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			if w := deliver(h, notifyURL, "txn_1", "approved"); w.Code != http.StatusNoContent {
				t.Errorf("status %d", w.Code)
			}
		})
	}
	wg.Wait()
	if maxInside.Load() != 1 || calls.Load() != 32 {
		t.Fatalf("%d callbacks at once at most, %d in all", maxInside.Load(), calls.Load())
	}
}
