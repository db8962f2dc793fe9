package rebillytest_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

var (
	payoutRequestID = regexp.MustCompile(`^pout_req_[0-9A-Z]{26}$`)
	transactionID   = regexp.MustCompile(`^txn_[0-9A-Z]{26}$`)
)

// TestFullFlow creates a payout request, reads it, pays it in two parts and reads it back
// fulfilled.
func TestFullFlow(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t, rebillytest.WithClock(newClock().Now))
		c := f.client(t)
		ctx := context.Background()

		redirect, err := payoutrequests.RedirectURLWithID("https://shop.example/payouts/done", "payoutRequest")
		if err != nil {
			t.Fatal(err)
		}
		params := payoutRequestParams("100.10")
		params.Description = "Withdrawal W-1"
		params.SelectedPaymentInstrumentRedirectURL = redirect
		pr, err := c.PayoutRequests.Create(ctx, params)
		if err != nil {
			t.Fatal(err)
		}
		id := pr.ID
		if !payoutRequestID.MatchString(id) {
			t.Errorf("id = %q, want pout_req_ and 26 upper-case letters and digits", id)
		}
		if got := pr.Status; got != payoutrequests.StatusPending {
			t.Errorf("status = %q, want pending", got)
		}
		if pr.Amount.String() != "100.10" || pr.AvailableAmount.String() != "100.10" {
			t.Errorf("amount %s, availableAmount %s, want 100.10 both", pr.Amount, pr.AvailableAmount)
		}
		if got := pr.SelectedPaymentInstrumentRedirectURL; got != "https://shop.example/payouts/done?payoutRequest={{id}}" {
			t.Errorf("selectedPaymentInstrumentRedirectUrl = %q", got)
		}
		if got, want := pr.SelectPaymentInstrumentURL, "https://portal.rebilly.test/payout-requests/"+id+"/select"; got != want {
			t.Errorf("selectPaymentInstrumentUrl = %q, want %q", got, want)
		}
		if !pr.CreatedTime.Equal(start) || !pr.UpdatedTime.Equal(start) {
			t.Errorf("createdTime %v, updatedTime %v, want %v", pr.CreatedTime, pr.UpdatedTime, start)
		}
		if len(pr.Links) != 1 || pr.Links[0].Href != f.base+org+"/payout-requests/"+id {
			t.Errorf("_links = %+v", pr.Links)
		}

		got, err := c.PayoutRequests.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != id || !got.Amount.Equal(pr.Amount) {
			t.Errorf("Get = %+v", got)
		}

		var txIDs []string
		for i, step := range []struct {
			amount, available string
			status            payoutrequests.Status
		}{
			{"60.05", "40.05", payoutrequests.StatusPartiallyFulfilled},
			{"40.05", "0.00", payoutrequests.StatusFulfilled},
		} {
			tx, err := c.Payouts.Create(ctx, payoutParams(step.amount, id, ""))
			if err != nil {
				t.Fatalf("payout %d: %v", i+1, err)
			}
			if !transactionID.MatchString(tx.ID) || tx.Type != payouts.TypeCredit ||
				tx.Result != payouts.ResultApproved || tx.Status != "completed" ||
				tx.Amount.String() != step.amount || tx.Currency != "EUR" ||
				tx.PayoutRequestID != id || tx.RequestID == "" {
				t.Errorf("payout %d: transaction = %+v", i+1, tx)
			}
			txIDs = append(txIDs, tx.ID)
			now, ok := f.PayoutRequest(id)
			if !ok {
				t.Fatal("payout request gone")
			}
			if now.AvailableAmount.String() != step.available || now.Status != step.status {
				t.Errorf("after payout %d: availableAmount %s, status %s; want %s, %s",
					i+1, now.AvailableAmount, now.Status, step.available, step.status)
			}
		}

		final, err := c.PayoutRequests.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if final.Status != payoutrequests.StatusFulfilled || final.AvailableAmount.Sign() != 0 {
			t.Errorf("final status %s, availableAmount %s; want fulfilled, 0", final.Status, final.AvailableAmount)
		}
		if len(final.Allocations) != 2 {
			t.Fatalf("allocations = %+v, want 2", final.Allocations)
		}
		var sum money.Amount
		for i, a := range final.Allocations {
			if a.TransactionID != txIDs[i] || a.Currency != "EUR" || a.PayoutRequestID != id {
				t.Errorf("allocation %d = %+v", i, a)
			}
			sum = sum.Add(a.Amount)
		}
		if !sum.Equal(final.Amount) {
			t.Errorf("allocations add up to %s, want %s", sum, final.Amount)
		}
		if n := len(f.Transactions()); n != 2 {
			t.Errorf("%d transactions stored, want 2", n)
		}
		if got, want := statuses(f.Handler), []int{201, 200, 201, 201, 200}; !slices.Equal(got, want) {
			t.Errorf("statuses = %v, want %v", got, want)
		}
	})
}

// TestHeadersOfCreation checks Location and the rate-limit headers.
func TestHeadersOfCreation(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		status, header, body := f.raw(t, http.MethodPost, org+"/payout-requests",
			`{"websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":25}`)
		if status != http.StatusCreated {
			t.Fatalf("status %d: %s", status, body)
		}
		prs := f.PayoutRequests()
		if len(prs) != 1 {
			t.Fatalf("%d payout requests", len(prs))
		}
		if got, want := header.Get("Location"), f.base+org+"/payout-requests/"+prs[0].ID; got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
		if header.Get("X-RateLimit-Limit") != "3000" || header.Get("X-RateLimit-Remaining") != "2999" {
			t.Errorf("rate limit headers: %v", header)
		}
		if ct := header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
	})
}

// TestUpsert creates a payout request with PUT (201), then updates it (200).
func TestUpsert(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		clk := newClock()
		f := tr.start(t, rebillytest.WithClock(clk.Now))
		c := f.client(t)
		ctx := context.Background()
		id, err := payoutrequests.IDFor("withdrawal/2026/000123")
		if err != nil {
			t.Fatal(err)
		}

		first, err := c.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams(payoutRequestParams("50.00")))
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		update := payoutRequestParams("80.00")
		update.Description = "raised"
		second, err := c.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams(update))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := statuses(f.Handler), []int{201, 200}; !slices.Equal(got, want) {
			t.Errorf("statuses = %v, want %v", got, want)
		}
		if first.ID != id || second.ID != id {
			t.Errorf("ids %q, %q, want %q", first.ID, second.ID, id)
		}
		if !second.CreatedTime.Equal(start) || !second.UpdatedTime.Equal(start.Add(time.Minute)) {
			t.Errorf("createdTime %v updatedTime %v", second.CreatedTime, second.UpdatedTime)
		}
		if second.Amount.String() != "80.00" || second.AvailableAmount.String() != "80.00" || second.Description != "raised" {
			t.Errorf("updated = amount %s available %s description %q", second.Amount, second.AvailableAmount, second.Description)
		}

		// Allocate 30, then update: availableAmount is the new amount minus 30.
		if _, err := c.Payouts.Create(ctx, payoutParams("30", id, "")); err != nil {
			t.Fatal(err)
		}
		third, err := c.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams(payoutRequestParams("70.00")))
		if err != nil {
			t.Fatal(err)
		}
		if third.AvailableAmount.String() != "40.00" || third.Status != payoutrequests.StatusPartiallyFulfilled ||
			len(third.Allocations) != 1 {
			t.Errorf("after allocation = available %s status %s allocations %v", third.AvailableAmount, third.Status, third.Allocations)
		}

		// An amount below what is allocated is refused.
		_, err = c.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams(payoutRequestParams("29.99")))
		var apiErr *rebilly.APIError
		if !errors.Is(err, rebilly.ErrValidation) || !errors.As(err, &apiErr) || !slices.Equal(fieldNames(apiErr.InvalidFields), []string{"amount"}) {
			t.Errorf("amount below allocated: err = %v", err)
		}
		// Exactly what is allocated fulfils it.
		fourth, err := c.PayoutRequests.Upsert(ctx, id, payoutrequests.UpsertParams(payoutRequestParams("30")))
		if err != nil {
			t.Fatal(err)
		}
		if fourth.Status != payoutrequests.StatusFulfilled || fourth.AvailableAmount.Sign() != 0 {
			t.Errorf("amount = allocated: status %s available %s", fourth.Status, fourth.AvailableAmount)
		}
	})
}

// TestInstrumentSelected: a payout request that names an instrument starts
// instrument-selected, and its allocations use that instrument.
func TestInstrumentSelected(t *testing.T) {
	f := transports[1].start(t)
	c := f.client(t)
	ctx := context.Background()
	p := payoutRequestParams("10")
	p.PaymentInstrumentID = "inst_1"
	pr, err := c.PayoutRequests.Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Status != payoutrequests.StatusInstrumentSelected {
		t.Errorf("status = %q", pr.Status)
	}
	if _, err := c.Payouts.Create(ctx, payoutParams("4", pr.ID, "")); err != nil {
		t.Fatal(err)
	}
	got, _ := f.PayoutRequest(pr.ID)
	if a := got.Allocations; len(a) != 1 || a[0].PaymentInstrumentID != "inst_1" || a[0].GatewayAccountID != rebillytest.GatewayAccountID {
		t.Errorf("allocations = %+v", a)
	}
}

// TestRequestIDDeduplication: a repeated requestId creates nothing and returns the first
// transaction, for 24 hours of the fake's clock.
func TestRequestIDDeduplication(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		clk := newClock()
		f := tr.start(t, rebillytest.WithClock(clk.Now))
		c := f.client(t)
		ctx := context.Background()
		pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("100"))
		if err != nil {
			t.Fatal(err)
		}
		requestID, err := payouts.RequestIDFor("ledger-entry-42")
		if err != nil {
			t.Fatal(err)
		}
		params := payoutParams("25", pr.ID, requestID)

		first, err := c.Payouts.Create(ctx, params)
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(23 * time.Hour)
		second, err := c.Payouts.Create(ctx, params)
		if err != nil {
			t.Fatal(err)
		}
		if first.ID != second.ID || second.RequestID != requestID {
			t.Errorf("ids %q and %q, want the same", first.ID, second.ID)
		}
		if !second.CreatedTime.Equal(start) {
			t.Errorf("the repeat answered createdTime %v, want the first's %v", second.CreatedTime, start)
		}
		if n := len(f.Transactions()); n != 1 {
			t.Errorf("%d transactions, want 1", n)
		}
		got, _ := f.PayoutRequest(pr.ID)
		if got.AvailableAmount.String() != "75" || len(got.Allocations) != 1 {
			t.Errorf("availableAmount %s with %d allocations, want 75 and 1", got.AvailableAmount, len(got.Allocations))
		}

		// After 24 hours the requestId is forgotten.
		clk.Advance(time.Hour)
		third, err := c.Payouts.Create(ctx, params)
		if err != nil {
			t.Fatal(err)
		}
		if third.ID == first.ID || len(f.Transactions()) != 2 {
			t.Errorf("after 24h: id %q (first %q), %d transactions", third.ID, first.ID, len(f.Transactions()))
		}
		if got, want := statuses(f.Handler), []int{201, 201, 201, 201}; !slices.Equal(got, want) {
			t.Errorf("statuses = %v, want %v", got, want)
		}
	})
}

// TestDuplicateRequestIDConflict: with WithConflictOnDuplicateRequestID a repeated
// requestId is a 409.
func TestDuplicateRequestIDConflict(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t, rebillytest.WithConflictOnDuplicateRequestID())
		c := f.client(t)
		params := payoutParams("5", "", "req-1")
		if _, err := c.Payouts.Create(context.Background(), params); err != nil {
			t.Fatal(err)
		}
		_, err := c.Payouts.Create(context.Background(), params)
		if !errors.Is(err, rebilly.ErrDuplicateRequest) || errors.Is(err, rebilly.ErrConflict) {
			t.Errorf("err = %v, want ErrDuplicateRequest (the caller chose the requestId), not ErrConflict", err)
		}
		if n := len(f.Transactions()); n != 1 {
			t.Errorf("%d transactions", n)
		}
	})
}

// TestErrors checks the typed errors the SDK returns for the fake's problems.
func TestErrors(t *testing.T) {
	type env struct {
		f  *fake
		c  *rebilly.Client
		pr string // a payout request of 50 EUR
	}
	tests := []struct {
		name     string
		opts     []rebillytest.Option
		cred     rebilly.Option // default: the default API key
		orgID    string         // default: the default organization
		call     func(ctx context.Context, e env) error
		sentinel error
		fields   []string
	}{
		{name: "wrong API key", cred: rebilly.WithAPIKey("wrong"),
			call: func(ctx context.Context, e env) error {
				_, err := e.c.PayoutRequests.Get(ctx, e.pr)
				return err
			}, sentinel: rebilly.ErrUnauthorized},
		{name: "JWT not configured", cred: rebilly.WithJWT("a.b.c"),
			call: func(ctx context.Context, e env) error {
				_, err := e.c.PayoutRequests.Get(ctx, e.pr)
				return err
			}, sentinel: rebilly.ErrUnauthorized},
		{name: "JWT configured", opts: []rebillytest.Option{rebillytest.WithJWT("a.b.c")}, cred: rebilly.WithJWT("a.b.c"),
			call: func(ctx context.Context, e env) error {
				_, err := e.c.PayoutRequests.Get(ctx, e.pr)
				return err
			}},
		{name: "another organization", orgID: "other-org",
			call: func(ctx context.Context, e env) error {
				_, err := e.c.PayoutRequests.Get(ctx, e.pr)
				return err
			}, sentinel: rebilly.ErrUnauthorized},
		{name: "not found",
			call: func(ctx context.Context, e env) error {
				_, err := e.c.PayoutRequests.Get(ctx, "pout_req_nope")
				return err
			}, sentinel: rebilly.ErrNotFound},
		{name: "payout above availableAmount",
			call: func(ctx context.Context, e env) error {
				_, err := e.c.Payouts.Create(ctx, payoutParams("50.01", e.pr, ""))
				return err
			}, sentinel: rebilly.ErrValidation, fields: []string{"amount"}},
		{name: "payout to an unknown payout request",
			call: func(ctx context.Context, e env) error {
				_, err := e.c.Payouts.Create(ctx, payoutParams("1", "pout_req_nope", ""))
				return err
			}, sentinel: rebilly.ErrValidation, fields: []string{"payoutRequestId"}},
		{name: "payout in another currency",
			call: func(ctx context.Context, e env) error {
				p := payoutParams("1", e.pr, "")
				p.Currency = "USD"
				_, err := e.c.Payouts.Create(ctx, p)
				return err
			}, sentinel: rebilly.ErrValidation, fields: []string{"currency"}},
		{name: "payout to a fulfilled payout request",
			call: func(ctx context.Context, e env) error {
				if _, err := e.c.Payouts.Create(ctx, payoutParams("50", e.pr, "")); err != nil {
					return err
				}
				_, err := e.c.Payouts.Create(ctx, payoutParams("0.01", e.pr, ""))
				return err
			}, sentinel: rebilly.ErrValidation, fields: []string{"payoutRequestId"}},
		{name: "payout to a canceled payout request",
			call: func(ctx context.Context, e env) error {
				if err := e.f.CancelPayoutRequest(e.pr, "customer changed their mind"); err != nil {
					return err
				}
				_, err := e.c.Payouts.Create(ctx, payoutParams("1", e.pr, ""))
				return err
			}, sentinel: rebilly.ErrValidation, fields: []string{"payoutRequestId"}},
		{name: "payout to a blocked payout request",
			call: func(ctx context.Context, e env) error {
				p := payoutRequestParams("50")
				p.Blocking, p.BlockReason = payoutrequests.Block, "risk-review"
				if _, err := e.c.PayoutRequests.Upsert(ctx, e.pr, payoutrequests.UpsertParams(p)); err != nil {
					return err
				}
				_, err := e.c.Payouts.Create(ctx, payoutParams("1", e.pr, ""))
				return err
			}, sentinel: rebilly.ErrValidation, fields: []string{"payoutRequestId"}},
		{name: "update of a canceled payout request",
			call: func(ctx context.Context, e env) error {
				if err := e.f.CancelPayoutRequest(e.pr, ""); err != nil {
					return err
				}
				_, err := e.c.PayoutRequests.Upsert(ctx, e.pr, payoutrequests.UpsertParams(payoutRequestParams("60")))
				return err
			}, sentinel: rebilly.ErrValidation, fields: []string{"id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t, tt.opts...)
				ctx := context.Background()
				pr, err := f.client(t).PayoutRequests.Create(ctx, payoutRequestParams("50"))
				if err != nil {
					t.Fatal(err)
				}
				cred, orgID := tt.cred, tt.orgID
				if cred == nil {
					cred = rebilly.WithAPIKey(rebillytest.DefaultAPIKey)
				}
				if orgID == "" {
					orgID = rebillytest.DefaultOrganizationID
				}
				err = tt.call(ctx, env{f: f, c: f.clientAs(t, cred, orgID), pr: pr.ID})
				if tt.sentinel == nil {
					if err != nil {
						t.Fatalf("err = %v", err)
					}
					return
				}
				if !errors.Is(err, tt.sentinel) {
					t.Fatalf("err = %v, want %v", err, tt.sentinel)
				}
				var apiErr *rebilly.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %T, want *rebilly.APIError", err)
				}
				if apiErr.Title == "" || apiErr.Detail == "" || apiErr.Type == "" {
					t.Errorf("problem without type, title or detail: %+v", apiErr)
				}
				if got := fieldNames(apiErr.InvalidFields); !slices.Equal(got, tt.fields) {
					t.Errorf("invalid fields = %v, want %v (%v)", got, tt.fields, err)
				}
			})
		})
	}
}

// TestCancelPayoutRequest checks the seeding helper.
func TestCancelPayoutRequest(t *testing.T) {
	h := rebillytest.NewHandler()
	if err := h.CancelPayoutRequest("nope", ""); err == nil {
		t.Error("canceling an unknown payout request succeeded")
	}
}
