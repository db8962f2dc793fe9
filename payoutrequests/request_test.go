package payoutrequests

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/money"
)

// TestRequestsAreGens checks that every operation of the service sends, byte for byte, the
// request gen's builder makes from the same parameters (plus the backend's three headers),
// on every server of testutil.Servers: the services build requests with backend.NewRequest,
// which does not parse the server URL per call, and this is what lets them.
func TestRequestsAreGens(t *testing.T) {
	params := CreateParams{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("1250.50"),
		Description: "Withdrawal <W-1> & \u00e9", PaymentInstrumentID: "inst_1",
		SelectedPaymentInstrumentRedirectURL: "https://shop.example/done?pr={{id}}", Blocking: Unblock, BlockReason: "fraud"}
	const id = "~pr.1-@_"
	for _, server := range testutil.Servers {
		capture := &testutil.Capture{Status: 200, Body: `{"id":"pr_1","websiteId":"w","customerId":"c","currency":"USD","amount":1}`}
		s := (*Service)(backend.NewHandle(backend.New(backend.Config{
			Server: server, UserAgent: testutil.UserAgent, HTTPClient: &http.Client{Transport: capture},
			Authorize: func(h http.Header) { h.Set("REB-APIKEY", testutil.APIKey) },
		})))
		ctx := context.Background()
		for _, op := range []struct {
			name string
			call func() error
			gen  func() (*http.Request, error)
		}{
			{opCreate, func() error { _, err := s.Create(ctx, params); return err },
				func() (*http.Request, error) { return gen.NewPostPayoutRequestRequest(server, params.toGen()) }},
			{opUpsert, func() error { _, err := s.Upsert(ctx, id, UpsertParams(params)); return err },
				func() (*http.Request, error) { return gen.NewPutPayoutRequestRequest(server, id, params.toGen()) }},
			{opGet, func() error { _, err := s.Get(ctx, id); return err },
				func() (*http.Request, error) { return gen.NewGetPayoutRequestRequest(server, id) }},
		} {
			if err := op.call(); err != nil {
				t.Fatalf("%s on %s: %v", op.name, server, err)
			}
			want, err := op.gen()
			if err != nil {
				t.Fatal(err)
			}
			sent := capture.Sent()
			if len(sent) != 1 || !bytes.Equal(sent[0], testutil.Wire(t, testutil.SDKHeaders(want))) {
				t.Errorf("%s on %s sent\n%q\ngen builds\n%q", op.name, server, sent, testutil.Wire(t, testutil.SDKHeaders(mustGen(t, op.gen))))
			}
		}
	}
}

func mustGen(t *testing.T, build func() (*http.Request, error)) *http.Request {
	t.Helper()
	req, err := build()
	if err != nil {
		t.Fatal(err)
	}
	return req
}
