package rebillytest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"time"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// fixedClock makes the examples' ids and times the same on every run.
func fixedClock() time.Time { return time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC) }

// In a test, NewServer(t) starts the server and closes it when the test ends. StartServer
// does the same for code that has no *testing.T, such as this example, which pays a payout
// request through allocations: one made by hand, the rest by PayInFull.
func ExampleStartServer() {
	srv := rebillytest.StartServer(rebillytest.WithClock(fixedClock))
	defer srv.Close()

	client, err := rebilly.NewClient(append(srv.ClientOptions(), rebilly.WithRetryWait(0, 0))...)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	redirect, _ := payoutrequests.RedirectURLWithID("https://shop.example/payouts/done", "payoutRequest")
	pr, err := client.PayoutRequests.Create(ctx, payoutrequests.CreateParams{
		WebsiteID:                            "web_1",
		CustomerID:                           "cus_1",
		Currency:                             "EUR",
		Amount:                               money.MustParse("100.00"),
		SelectedPaymentInstrumentRedirectURL: redirect,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(pr.ID, pr.Status, pr.AvailableAmount)

	dest := allocations.PayParams{PaymentInstrumentID: "inst_1", GatewayAccountID: "gw_1"}
	a, err := client.Allocations.Create(ctx, allocations.CreateParams{
		PayoutRequestID: pr.ID, PaymentInstrumentID: dest.PaymentInstrumentID, GatewayAccountID: dest.GatewayAccountID,
		Amount: money.MustParse("60.00"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.ID, a.Status, a.Amount)

	final, err := client.Allocations.PayInFull(ctx, pr.ID, dest) // allocates the other 40.00
	if err != nil {
		panic(err)
	}
	for _, a := range final {
		fmt.Println(a.ID, a.Status, a.Amount, a.TransactionID)
	}

	pr, err = client.PayoutRequests.Get(ctx, pr.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(pr.Status, pr.AvailableAmount, len(pr.Allocations), "allocations")
	// Output:
	// pout_req_01KF0K8Y200000000000000001 pending 100.00
	// pout_alloc_01KF0K8Y200000000000000002 pending 60.00
	// pout_alloc_01KF0K8Y200000000000000002 completed 60.00 txn_01KF0K8Y200000000000000004
	// pout_alloc_01KF0K8Y200000000000000003 completed 40.00 txn_01KF0K8Y200000000000000005
	// fulfilled 0.00 2 allocations
}

// A Handler is an http.Handler: serve it however you like.
func ExampleNewHandler() {
	h := rebillytest.NewHandler(rebillytest.WithOrganizationID("org_shop"), rebillytest.WithAPIKey("sk_test_1"))
	ts := httptest.NewServer(h)
	defer ts.Close()

	// The same as rebilly.WithAPIKey("sk_test_1"), rebilly.WithOrganizationID("org_shop"),
	// rebilly.WithBaseURL(ts.URL) and rebilly.WithHTTPClient(ts.Client()).
	client, err := rebilly.NewClient(h.ClientOptions(ts.URL, ts.Client())...)
	if err != nil {
		panic(err)
	}
	_, err = client.PayoutRequests.Get(context.Background(), "pout_req_unknown")
	fmt.Println(errors.Is(err, rebilly.ErrNotFound))
	fmt.Println(len(h.Requests()), h.Requests()[0].Header.Get("REB-APIKEY"))
	// Output:
	// true
	// 1 [REDACTED]
}

// Without any network: the Handler answers an httpmock transport.
func ExampleHandler_RegisterOn() {
	h := rebillytest.NewHandler()
	mt := httpmock.NewMockTransport()
	h.RegisterOn(mt, "https://rebilly.test")

	client, err := rebilly.NewClient(h.ClientOptions("https://rebilly.test", &http.Client{Transport: mt})...)
	if err != nil {
		panic(err)
	}
	id, _ := payoutrequests.IDFor("withdrawal-42")
	pr, err := client.PayoutRequests.Upsert(context.Background(), id, payoutrequests.UpsertParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("25"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(pr.ID, pr.Status, h.Requests()[0].Status)
	// Output:
	// withdrawal-42-a2832d750da4304b9402144ece19 pending 201
}

// The answer to a payout is lost after Rebilly paid it: the SDK repeats the call with the
// same requestId, and the payout is made once.
func ExampleHandler_FailNext() {
	h := rebillytest.NewHandler()
	mt := httpmock.NewMockTransport()
	h.RegisterOn(mt, "https://rebilly.test")
	opts := h.ClientOptions("https://rebilly.test", &http.Client{Transport: mt})
	client, err := rebilly.NewClient(append(opts, rebilly.WithRetryWait(0, 0))...)
	if err != nil {
		panic(err)
	}

	h.FailNext(1, rebillytest.DropAfterCommit().For(rebillytest.OpCreatePayout))
	tx, err := client.Payouts.Create(context.Background(), payouts.CreateParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("10"),
		RequestID: "withdrawal-42",
	})
	if err != nil {
		panic(err)
	}
	for _, r := range h.Requests() {
		fmt.Printf("%s: status %d, fault %q\n", r.Operation, r.Status, r.Fault)
	}
	fmt.Println(len(h.Transactions()), "transaction;", h.Transactions()[0].ID == tx.ID)
	// Output:
	// POST /payouts: status 0, fault "drop after commit for POST /payouts"
	// POST /payouts: status 201, fault ""
	// 1 transaction; true
}

// WithTLS serves HTTPS and HTTP/2; ClientOptions includes the HTTPClient that trusts the
// server's certificate.
func ExampleWithTLS() {
	srv := rebillytest.StartServer(rebillytest.WithTLS(), rebillytest.WithClock(fixedClock))
	defer srv.Close()

	client, err := rebilly.NewClient(srv.ClientOptions()...)
	if err != nil {
		panic(err)
	}
	pr, err := client.PayoutRequests.Create(context.Background(), payoutrequests.CreateParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "EUR", Amount: money.MustParse("100"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(pr.ID, strings.HasPrefix(pr.Links[0].Href, "https://127.0.0.1:"))

	resp, err := srv.HTTPClient().Get(srv.URL())
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Proto)
	// Output:
	// pout_req_01KF0K8Y200000000000000001 true
	// HTTP/2.0
}

// A Handler that accepts only a JWT, on httpmock: ClientOptions gives the client the JWT,
// the organization, the base URL and the http.Client.
func ExampleHandler_ClientOptions() {
	h := rebillytest.NewHandler(
		rebillytest.WithAPIKey(""), rebillytest.WithJWT("eyJ.test.jwt"), rebillytest.WithOrganizationID("org_shop"))
	mt := httpmock.NewMockTransport()
	h.RegisterOn(mt, "https://rebilly.test")

	opts := h.ClientOptions("https://rebilly.test", &http.Client{Transport: mt})
	client, err := rebilly.NewClient(append(opts, rebilly.WithMaxRetries(0))...)
	if err != nil {
		panic(err)
	}
	_, err = client.PayoutRequests.Get(context.Background(), "pout_req_unknown")
	fmt.Println(errors.Is(err, rebilly.ErrNotFound))
	r := h.Requests()[0]
	fmt.Println(r.Path, r.Header.Get("Authorization"))
	// Output:
	// true
	// /organizations/org_shop/payout-requests/pout_req_unknown [REDACTED]
}

// The payout request is created, and its 201 answer arrives with its Location, but the
// connection is cut halfway through the body: code that reads answers must see the error,
// and can still learn the id from the Location.
func ExampleCutSuccessBody() {
	srv := rebillytest.StartServer(rebillytest.WithClock(fixedClock))
	defer srv.Close()
	srv.FailNext(1, rebillytest.CutSuccessBody().For(rebillytest.OpCreatePayoutRequest))

	req, _ := http.NewRequest("POST", srv.URL()+"/organizations/"+rebillytest.DefaultOrganizationID+"/payout-requests",
		strings.NewReader(`{"websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":100}`))
	req.Header.Set("REB-APIKEY", rebillytest.DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, path.Base(resp.Header.Get("Location")))
	fmt.Println(len(body) == int(resp.ContentLength)/2, err)

	r := srv.Requests()[0]
	fmt.Printf("stored %d; recorded status %d, fault %q\n", len(srv.PayoutRequests()), r.Status, r.Fault)
	// Output:
	// 201 pout_req_01KF0K8Y200000000000000001
	// true unexpected EOF
	// stored 1; recorded status 201, fault "cut success body after commit for POST /payout-requests"
}
