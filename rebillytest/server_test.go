package rebillytest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/rebillytest"
)

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
