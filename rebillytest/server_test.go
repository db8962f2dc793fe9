package rebillytest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/rebillytest"
)

// TestTLS checks that WithTLS serves HTTPS, that the server's HTTPClient trusts it and
// speaks HTTP/2 to it, and that links and Location name https.
func TestTLS(t *testing.T) {
	srv := rebillytest.NewServer(t, rebillytest.WithTLS())
	if !strings.HasPrefix(srv.URL(), "https://127.0.0.1:") {
		t.Errorf("URL() = %q, want https://127.0.0.1:port", srv.URL())
	}
	req, err := http.NewRequestWithContext(context.Background(), "POST", srv.URL()+org+"/payout-requests",
		strings.NewReader(`{"websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":25}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("REB-APIKEY", rebillytest.DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var alpn string
	if resp.TLS != nil {
		alpn = resp.TLS.NegotiatedProtocol
	}
	if resp.ProtoMajor != 2 || alpn != "h2" {
		t.Errorf("answered over %s, ALPN %q; want HTTP/2 negotiated as h2", resp.Proto, alpn)
	}
	prs := srv.PayoutRequests()
	if want := srv.URL() + org + "/payout-requests/" + prs[0].ID; resp.StatusCode != 201 || resp.Header.Get("Location") != want {
		t.Errorf("status %d, Location %q; want 201, %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}

	// The SDK reaches it with nothing but ClientOptions.
	c, err := rebilly.NewClient(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := c.PayoutRequests.Get(context.Background(), prs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if href := pr.Links[0].Href; !strings.HasPrefix(href, srv.URL()+"/") {
		t.Errorf("self link %q, want it under %s", href, srv.URL())
	}
}

// TestClientOptions checks that ClientOptions is all a client needs to reach a Handler,
// whatever its credential and organization and however it is served.
func TestClientOptions(t *testing.T) {
	configs := []struct {
		name    string
		opts    []rebillytest.Option
		refused bool // NewClient refuses the options: the Handler accepts no credential
	}{
		{name: "defaults"},
		{name: "another organization and API key", opts: []rebillytest.Option{rebillytest.WithOrganizationID("org_shop"), rebillytest.WithAPIKey("sk_test_1")}},
		{name: "API key and JWT", opts: []rebillytest.Option{rebillytest.WithJWT("a.b.c")}},
		{name: "JWT only", opts: []rebillytest.Option{rebillytest.WithAPIKey(""), rebillytest.WithJWT("a.b.c")}},
		{name: "no credential", opts: []rebillytest.Option{rebillytest.WithAPIKey("")}, refused: true},
	}
	reaches := []struct {
		name    string
		options func(t *testing.T, opts ...rebillytest.Option) (*rebillytest.Handler, []rebilly.Option)
	}{
		{"Server", func(t *testing.T, opts ...rebillytest.Option) (*rebillytest.Handler, []rebilly.Option) {
			srv := rebillytest.NewServer(t, opts...)
			return srv.Handler, srv.ClientOptions()
		}},
		{"Server WithTLS", func(t *testing.T, opts ...rebillytest.Option) (*rebillytest.Handler, []rebilly.Option) {
			srv := rebillytest.NewServer(t, append(opts, rebillytest.WithTLS())...)
			return srv.Handler, srv.ClientOptions()
		}},
		{"Handler on httpmock", func(t *testing.T, opts ...rebillytest.Option) (*rebillytest.Handler, []rebilly.Option) {
			h := rebillytest.NewHandler(opts...)
			mt := httpmock.NewMockTransport()
			h.RegisterOn(mt, mockBase+"/v1")
			return h, h.ClientOptions(mockBase+"/v1", &http.Client{Transport: mt})
		}},
		{"Handler on a server of one's own, without an http.Client", func(t *testing.T, opts ...rebillytest.Option) (*rebillytest.Handler, []rebilly.Option) {
			h := rebillytest.NewHandler(opts...)
			ts := httptest.NewServer(h)
			t.Cleanup(ts.Close)
			return h, h.ClientOptions(ts.URL, nil)
		}},
	}
	for _, cfg := range configs {
		for _, reach := range reaches {
			t.Run(cfg.name+"/"+reach.name, func(t *testing.T) {
				h, opts := reach.options(t, cfg.opts...)
				c, err := rebilly.NewClient(opts...)
				if cfg.refused {
					if err == nil {
						t.Error("NewClient accepted options without a credential")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				// A 404, not a 401: the credential and the organization were accepted.
				if _, err := c.PayoutRequests.Get(context.Background(), "pout_req_nope"); !errors.Is(err, rebilly.ErrNotFound) {
					t.Errorf("err = %v, want rebilly.ErrNotFound", err)
				}
				if n := len(h.Requests()); n != 1 {
					t.Errorf("the Handler received %d requests, want 1", n)
				}
			})
		}
	}
}
