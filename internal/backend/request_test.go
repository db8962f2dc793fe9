package backend

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/validate"
	"github.com/paysdk/rebilly/money"
)

// builtBoth is one operation's request built both ways: by gen's builder from the server as
// NewClient makes it, and by NewRequest from that server resolved once, as Send does.
type builtBoth func(server, id string) (genReq, ours *http.Request, err1, err2 error)

// requestOps are the SDK's operations, each with gen's builder and the NewRequest call the
// service makes in its place.
var requestOps = map[string]builtBoth{
	"POST /payout-requests": func(server, _ string) (*http.Request, *http.Request, error, error) {
		g, err1 := gen.NewPostPayoutRequestRequest(server, samplePR)
		o, err2 := NewRequest(resolveServer(server), http.MethodPost, samplePR, "payout-requests")
		return g, o, err1, err2
	},
	"PUT /payout-requests/{id}": func(server, id string) (*http.Request, *http.Request, error, error) {
		g, err1 := gen.NewPutPayoutRequestRequest(server, id, samplePR)
		o, err2 := NewRequest(resolveServer(server), http.MethodPut, samplePR, "payout-requests", id)
		return g, o, err1, err2
	},
	"GET /payout-requests/{id}": func(server, id string) (*http.Request, *http.Request, error, error) {
		g, err1 := gen.NewGetPayoutRequestRequest(server, id)
		o, err2 := NewRequest(resolveServer(server), http.MethodGet, nil, "payout-requests", id)
		return g, o, err1, err2
	},
	"POST /payouts": func(server, _ string) (*http.Request, *http.Request, error, error) {
		g, err1 := gen.NewPostPayoutRequest(server, sampleTx)
		o, err2 := NewRequest(resolveServer(server), http.MethodPost, sampleTx, "payouts")
		return g, o, err1, err2
	},
	"GET /transactions/{id}": func(server, id string) (*http.Request, *http.Request, error, error) {
		g, err1 := gen.NewGetTransactionRequest(server, id, nil)
		o, err2 := NewRequest(resolveServer(server), http.MethodGet, nil, "transactions", id)
		return g, o, err1, err2
	},
}

var (
	samplePR = gen.PayoutRequest{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("1250.50"),
		Description: "Withdrawal <W-1> & \u00e9", SelectedPaymentInstrumentRedirectURL: "https://shop.example/done?pr={{id}}"}
	sampleTx = gen.CreditTransaction{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "EUR", Amount: money.MustParse("0.10"),
		RequestID: "req-1", NotificationURL: "https://shop.example/hook?id={id}&result={result}"}
)

// sameRequest fails unless gen's request and ours are the same: the same bytes on the wire
// (request line, Host, headers, body), the same URL and ContentLength, and a GetBody that
// gives the same body again.
func sameRequest(t *testing.T, what string, g, o *http.Request) {
	t.Helper()
	if g.Method != o.Method || g.URL.String() != o.URL.String() || g.Host != o.Host || g.ContentLength != o.ContentLength ||
		(g.GetBody == nil) != (o.GetBody == nil) || *g.URL != *o.URL {
		t.Fatalf("%s: gen %s %#v (length %d), ours %s %#v (length %d)", what, g.Method, g.URL, g.ContentLength, o.Method, o.URL, o.ContentLength)
	}
	if g.GetBody != nil {
		gb, ob := readAll(t, g.GetBody), readAll(t, o.GetBody)
		if !bytes.Equal(gb, ob) {
			t.Fatalf("%s: GetBody gives\n gen  %s\n ours %s", what, gb, ob)
		}
	}
	var gw, ow bytes.Buffer
	if err := g.Write(&gw); err != nil {
		t.Fatal(err)
	}
	if err := o.Write(&ow); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gw.Bytes(), ow.Bytes()) {
		t.Fatalf("%s: on the wire\n gen  %q\n ours %q", what, gw.String(), ow.String())
	}
}

func readAll(t *testing.T, getBody func() (io.ReadCloser, error)) []byte {
	t.Helper()
	rc, err := getBody()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serverFor builds the server URL as rebilly.NewClient does: the base URL as WithBaseURL
// keeps it (parsed, printed, trailing slashes cut), then "/organizations/{id}/". It reports
// false for a base URL or organization id that NewClient refuses.
func serverFor(rawBase, org string) (string, bool) {
	u, err := url.Parse(rawBase)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil ||
		strings.ContainsAny(rawBase, "?#") || validate.IDProblem(org) != "" {
		return "", false
	}
	return strings.TrimRight(u.String(), "/") + "/organizations/" + org + "/", true
}

// TestNewRequestMatchesGen builds every operation's request both ways for base URLs with
// ports, paths, dot segments, escapes and IPv6 hosts, and ids made of every byte an id may
// hold, and requires the same request.
func TestNewRequestMatchesGen(t *testing.T) {
	bases := []string{
		"https://api-sandbox.rebilly.com", "https://api.rebilly.com/", "http://127.0.0.1:8080",
		"http://[::1]:9/v1", "https://h.example/a/b/", "https://h.example/a/./b/../c",
		"https://h.example/..", "https://h.example/%7Euser/x%2Fy", "https://h.example/sp%20ace/caf%C3%A9",
		"https://h.example/caf\u00e9", "https://H.Example:443//double//slash", "https://h.example/a;b=c/@x",
	}
	ids := []string{"pr_1", "pout_req_01HZX3Q8Y7", "a.b", "a..", "...", ".a", "-", "~user@host",
		"_", "A-Z.a-z_0-9@~", strings.Repeat("x", validate.MaxIDLength)}
	for _, base := range bases {
		for _, org := range []string{"org_1", "org.with.dots", "o@~-"} {
			server, ok := serverFor(base, org)
			if !ok {
				t.Fatalf("NewClient would refuse %q with organization %q", base, org)
			}
			for op, build := range requestOps {
				for _, id := range ids {
					g, o, err1, err2 := build(server, id)
					if err1 != nil || err2 != nil {
						t.Fatalf("%s on %s: gen: %v, ours: %v", op, server, err1, err2)
					}
					sameRequest(t, op+" "+id+" on "+server, g, o)
				}
			}
		}
	}
}

// FuzzNewRequestMatchesGen is TestNewRequestMatchesGen for any base URL, organization id and
// id that NewClient and the services accept.
func FuzzNewRequestMatchesGen(f *testing.F) {
	f.Add("https://api-sandbox.rebilly.com", "org_1", "pr_1")
	f.Add("http://[::1]:9/a/../b/%2F", "o.o", "a..b")
	f.Add("https://h.example/x/./y/", "org", "~@-_.")
	f.Fuzz(func(t *testing.T, base, org, id string) {
		server, ok := serverFor(base, org)
		if !ok || validate.IDProblem(id) != "" {
			t.Skip()
		}
		for op, build := range requestOps {
			g, o, err1, err2 := build(server, id)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s on %q: gen: %v, ours: %v", op, server, err1, err2)
			}
			if err1 == nil {
				sameRequest(t, op+" "+id+" on "+server, g, o)
			}
		}
	})
}
