package rebillytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/rebillytest"
)

// TestInspection checks Requests, the copies of stored resources, and Reset.
func TestInspection(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t, rebillytest.WithClock(newClock().Now))
		c := f.client(t, rebilly.WithUserAgent("inspection-test/1"))
		ctx := context.Background()
		pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("10"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Payouts.Create(ctx, payoutParams("4", pr.ID, "r-1")); err != nil {
			t.Fatal(err)
		}
		f.raw(t, "GET", org+"/payout-requests/"+pr.ID+"?expand=x", "", "Authorization", "Bearer secret.jwt")

		reqs := f.Requests()
		if len(reqs) != 3 {
			t.Fatalf("%d requests", len(reqs))
		}
		r := reqs[0]
		if r.Method != "POST" || r.Path != org+"/payout-requests" || r.Operation != rebillytest.OpCreatePayoutRequest ||
			!r.Time.Equal(start) || r.Status != 201 || !strings.Contains(string(r.Body), `"amount":10`) ||
			!strings.HasSuffix(r.Header.Get("User-Agent"), "inspection-test/1") {
			t.Errorf("request 0 = %+v", r)
		}
		for i, r := range reqs {
			if v := r.Header.Get("REB-APIKEY"); v != rebillytest.Redacted {
				t.Errorf("request %d: REB-APIKEY = %q", i, v)
			}
			for _, v := range r.Header {
				for _, s := range v {
					if strings.Contains(s, rebillytest.DefaultAPIKey) || strings.Contains(s, "secret.jwt") {
						t.Errorf("request %d leaks a credential: %v", i, r.Header)
					}
				}
			}
		}
		if reqs[2].Header.Get("Authorization") != rebillytest.Redacted || reqs[2].RawQuery != "expand=x" || reqs[2].Operation != rebillytest.OpGetPayoutRequest {
			t.Errorf("request 2 = %+v", reqs[2])
		}

		// Copies: changing them changes nothing stored.
		reqs[0].Body[0] = 'X'
		reqs[0].Header.Set("X-Mine", "1")
		got, ok := f.PayoutRequest(pr.ID)
		if !ok {
			t.Fatal("PayoutRequest: not found")
		}
		// What a copy could share: its slices and its one pointer, Blocked.
		got.Allocations[0].Amount = money.MustParse("999")
		got.Links[0].Href = "https://elsewhere.test/"
		*got.Blocked = true
		txs := f.Transactions()
		txs[0].Amount = money.MustParse("999")
		txs[0].Links[0].Href = "https://elsewhere.test/"
		again, _ := f.PayoutRequest(pr.ID)
		if f.Requests()[0].Body[0] != '{' || f.Requests()[0].Header.Get("X-Mine") != "" ||
			again.Allocations[0].Amount.String() != "4" || again.AvailableAmount.String() != "6" ||
			again.Links[0].Href == "https://elsewhere.test/" || again.Blocked == nil || *again.Blocked ||
			f.Transactions()[0].Amount.String() != "4" || f.Transactions()[0].Links[0].Href == "https://elsewhere.test/" {
			t.Error("a returned copy shares memory with the Handler")
		}
		if tx, ok := f.Transaction(txs[0].ID); !ok || tx.RequestID != "r-1" {
			t.Errorf("Transaction = %+v, %v", tx, ok)
		}
		if _, ok := f.Transaction("txn_nope"); ok {
			t.Error("Transaction found an unknown id")
		}
		if _, ok := f.PayoutRequest("nope"); ok {
			t.Error("PayoutRequest found an unknown id")
		}
		if prs := f.PayoutRequests(); len(prs) != 1 || prs[0].ID != pr.ID {
			t.Errorf("PayoutRequests = %+v", prs)
		}

		f.FailNext(2, rebillytest.DropAfterCommit())
		f.Reset()
		if len(f.Requests()) != 0 || len(f.PayoutRequests()) != 0 || len(f.Transactions()) != 0 || f.PendingFaults() != 0 {
			t.Error("Reset kept something")
		}
		// The requestId is forgotten too: the same payout creates a new transaction.
		pr2, err := c.PayoutRequests.Create(ctx, payoutRequestParams("10"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Payouts.Create(ctx, payoutParams("4", pr2.ID, "r-1")); err != nil {
			t.Fatal(err)
		}
		if len(f.Transactions()) != 1 {
			t.Errorf("%d transactions after Reset", len(f.Transactions()))
		}
	})
}

// TestIDs checks the default ids and WithIDGenerator.
func TestIDs(t *testing.T) {
	f := transports[1].start(t, rebillytest.WithClock(newClock().Now))
	g := transports[1].start(t, rebillytest.WithIDGenerator(func() func(string) string {
		n := 0
		return func(prefix string) string {
			n++
			return fmt.Sprintf("%smine%d", prefix, n)
		}
	}()))
	ctx := context.Background()
	for _, fk := range []*fake{f, g} {
		c := fk.client(t)
		pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("10"))
		if err != nil {
			t.Fatal(err)
		}
		tx, err := c.Payouts.Create(ctx, payoutParams("10", pr.ID, ""))
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := fk.PayoutRequest(pr.ID)
		t.Logf("%s %s %s", pr.ID, tx.ID, stored.Allocations[0].ID)
	}
	// A fixed clock gives the same ids on every run.
	if prs := f.PayoutRequests(); prs[0].ID != "pout_req_01KF0K8Y200000000000000001" {
		t.Errorf("default id = %s", prs[0].ID)
	}
	if txs := g.Transactions(); txs[0].ID != "txn_mine2" {
		t.Errorf("generated id = %s", txs[0].ID)
	}
}

// TestRateLimit: WithRateLimit enforces a budget per window of the fake's clock.
func TestRateLimit(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		clk := newClock()
		f := tr.start(t, rebillytest.WithClock(clk.Now), rebillytest.WithRateLimit(2, time.Minute))
		c := f.client(t, rebilly.WithMaxRetries(0))
		ctx := context.Background()
		for i := range 2 {
			if _, err := c.PayoutRequests.Create(ctx, payoutRequestParams("1")); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		// GETs do not count.
		if _, err := c.PayoutRequests.Get(ctx, f.PayoutRequests()[0].ID); err != nil {
			t.Fatal(err)
		}
		_, err := c.PayoutRequests.Create(ctx, payoutRequestParams("1"))
		var apiErr *rebilly.APIError
		if !errors.Is(err, rebilly.ErrRateLimited) || !errors.As(err, &apiErr) || !apiErr.RetryAfter.Equal(start.Add(time.Minute)) {
			t.Fatalf("err = %v", err)
		}
		clk.Advance(time.Minute)
		if _, err := c.PayoutRequests.Create(ctx, payoutRequestParams("1")); err != nil {
			t.Fatalf("next window: %v", err)
		}
		if n := len(f.PayoutRequests()); n != 3 {
			t.Errorf("%d payout requests", n)
		}
		status, header, _ := f.raw(t, "POST", org+"/payout-requests", `{"websiteId":"w","customerId":"c","currency":"USD","amount":1}`)
		if status != 201 || header.Get("X-RateLimit-Remaining") != "0" || header.Get("X-RateLimit-Limit") != "2" {
			t.Errorf("status %d, headers %v", status, header)
		}
	})
}

// TestDroppedConnections checks how a drop reaches the client on each transport.
func TestDroppedConnections(t *testing.T) {
	t.Run("httpmock returns ErrDropped", func(t *testing.T) {
		h := rebillytest.NewHandler()
		mt := httpmock.NewMockTransport()
		h.RegisterOn(mt, "https://rebilly.test/v1/")
		h.FailNext(1, rebillytest.DropBeforeCommit())
		_, err := (&http.Client{Transport: mt}).Get("https://rebilly.test/v1/organizations/test-org/payout-requests/x")
		if !errors.Is(err, rebillytest.ErrDropped) {
			t.Errorf("err = %v", err)
		}
		// The path prefix of the base URL is stripped.
		req, _ := http.NewRequest("GET", "https://rebilly.test/v1/organizations/test-org/payout-requests/x", nil)
		req.Header.Set("REB-APIKEY", rebillytest.DefaultAPIKey)
		resp, err := (&http.Client{Transport: mt}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 || h.Requests()[1].Path != "/organizations/test-org/payout-requests/x" {
			t.Errorf("status %d, path %q", resp.StatusCode, h.Requests()[1].Path)
		}
	})
	t.Run("httptest closes the connection", func(t *testing.T) {
		srv := rebillytest.NewServer(t)
		srv.FailNext(1, rebillytest.DropAfterCommit())
		req, _ := http.NewRequest("POST", srv.URL()+org+"/payout-requests",
			strings.NewReader(`{"websiteId":"w","customerId":"c","currency":"USD","amount":1}`))
		req.Header.Set("REB-APIKEY", rebillytest.DefaultAPIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.HTTPClient().Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("status %d, want a dropped connection", resp.StatusCode)
		}
		if n := len(srv.PayoutRequests()); n != 1 {
			t.Errorf("%d payout requests stored, want 1", n)
		}
	})
	t.Run("a ResponseWriter that cannot be hijacked aborts the handler", func(t *testing.T) {
		h := rebillytest.NewHandler()
		h.FailNext(1, rebillytest.DropBeforeCommit())
		defer func() {
			if r := recover(); r != http.ErrAbortHandler {
				t.Errorf("recovered %v, want http.ErrAbortHandler", r)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", org+"/payout-requests/x", nil))
	})
}

// TestOptions checks the options that are refused.
func TestOptions(t *testing.T) {
	for name, opt := range map[string]rebillytest.Option{
		"empty JWT":              rebillytest.WithJWT(""),
		"empty organization":     rebillytest.WithOrganizationID(""),
		"nil clock":              rebillytest.WithClock(nil),
		"nil id generator":       rebillytest.WithIDGenerator(nil),
		"zero rate limit":        rebillytest.WithRateLimit(0, time.Minute),
		"zero rate-limit window": rebillytest.WithRateLimit(1, 0),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("NewHandler accepted it")
				}
			}()
			rebillytest.NewHandler(opt)
		})
	}
}

// TestLargeBody: a body beyond MaxRequestBytes is a 413.
func TestLargeBody(t *testing.T) {
	f := transports[1].start(t)
	body := `{"description":"` + strings.Repeat("x", rebillytest.MaxRequestBytes) + `"}`
	status, header, b := f.raw(t, "POST", org+"/payout-requests", body)
	if p := decodeProblem(t, header, b); status != 413 || p.Status != 413 {
		t.Errorf("status %d: %s", status, b)
	}
	if got := f.Requests()[0]; len(got.Body) != rebillytest.MaxRequestBytes || got.Status != 413 {
		t.Errorf("recorded %d bytes, status %d", len(got.Body), got.Status)
	}
}
