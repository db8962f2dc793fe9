package rebilly

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/paysdk/rebilly/internal/testutil"
)

func TestNewClientValidatesOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []Option
		wantErr string // substring; "" means success
	}{
		{"api key and organization", []Option{WithAPIKey("k"), WithOrganizationID("org_1")}, ""},
		{"jwt and organization", []Option{WithJWT("a.b.c"), WithOrganizationID("org_1")}, ""},
		{"no credential", []Option{WithOrganizationID("org_1")}, "a credential is required"},
		{"two credentials", []Option{WithAPIKey("k"), WithJWT("j"), WithOrganizationID("org_1")}, "exactly one credential"},
		{"api key twice", []Option{WithAPIKey("k"), WithAPIKey("k2"), WithOrganizationID("org_1")}, "exactly one credential"},
		{"empty api key", []Option{WithAPIKey(""), WithOrganizationID("org_1")}, "WithAPIKey: the credential is empty"},
		{"api key with newline", []Option{WithAPIKey("k\nX-Evil: 1"), WithOrganizationID("org_1")}, "cannot be sent in a header"},
		{"empty jwt", []Option{WithJWT("  "), WithOrganizationID("org_1")}, "WithJWT: the credential is empty"},
		{"no organization", []Option{WithAPIKey("k")}, "an organization id is required"},
		{"organization with a slash", []Option{WithAPIKey("k"), WithOrganizationID("org/../x")}, "WithOrganizationID"},
		{"organization dot-dot", []Option{WithAPIKey("k"), WithOrganizationID("..")}, "WithOrganizationID"},
		{"organization too long", []Option{WithAPIKey("k"), WithOrganizationID(strings.Repeat("o", 51))}, "limit is 50"},
		{"unknown environment", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithEnvironment(Environment(7))}, "unknown environment"},
		{"relative base URL", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithBaseURL("/api")}, "must start with https:// or http://"},
		{"ftp base URL", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithBaseURL("ftp://x")}, "must start with https:// or http://"},
		{"base URL with query", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithBaseURL("https://x/?a=1")}, "carries a query or fragment"},
		{"nil HTTP client", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithHTTPClient(nil)}, "is nil"},
		{"negative retries", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithMaxRetries(-1)}, "outside 0..20"},
		{"retry wait max below min", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithRetryWait(2, 1)}, "min <= max"},
		{"zero timeout", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithAttemptTimeout(0)}, "not positive"},
		{"nil logger", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithLogger(nil)}, "is nil"},
		{"user agent with newline", []Option{WithAPIKey("k"), WithOrganizationID("o"), WithUserAgent("app\r\n")}, "cannot be sent"},
		{"every problem at once", []Option{WithAttemptTimeout(-1)}, "a credential is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.opts...)
			if tt.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("NewClient: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("NewClient succeeded, want error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %q does not contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "k\nX-Evil") {
				t.Fatalf("error repeats the credential: %q", err)
			}
		})
	}
}

// TestBaseURLErrorsNeverRepeatTheURL: a key put in the user info, the query or the fragment
// must not reach an error message (and so a log), nor may url.Parse's own error quote it; an
// empty query or fragment would cut /organizations/{id} off every request.
func TestBaseURLErrorsNeverRepeatTheURL(t *testing.T) {
	t.Parallel()
	const secretText = "sk_live_SECRET"
	tests := []struct {
		url, want string
	}{
		{"https://user:" + secretText + "@api.example", "for host api.example carries user info"},
		{"https://api.example/?key=" + secretText, "for host api.example carries a query or fragment"},
		{"https://api.example/#" + secretText, "for host api.example carries a query or fragment"},
		{"https://api.example?", "for host api.example carries a query or fragment"},
		{"https://api.example#", "for host api.example carries a query or fragment"},
		{"https://api.example/v1?", "for host api.example carries a query or fragment"},
		{"https://user:" + secretText + " x@api.example", "cannot be parsed"},
		{"https://api.example:" + secretText, "cannot be parsed"},
		{"https://" + secretText + "%zz", "cannot be parsed"},
		{"https:///path-" + secretText, "has no host"},
	}
	for _, tt := range tests {
		_, err := NewClient(WithAPIKey("k"), WithOrganizationID("o"), WithBaseURL(tt.url))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("WithBaseURL(%q): err = %v, want %q", tt.url, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), secretText) {
			t.Errorf("WithBaseURL(%q): the error repeats the secret: %v", tt.url, err)
		}
	}
}

func TestServerSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"sandbox by default", nil, "https://api-sandbox.rebilly.com/organizations/org_1/payout-requests/pr_1"},
		{"sandbox explicitly", []Option{WithEnvironment(Sandbox)}, "https://api-sandbox.rebilly.com/organizations/org_1/payout-requests/pr_1"},
		{"production", []Option{WithEnvironment(Production)}, "https://api.rebilly.com/organizations/org_1/payout-requests/pr_1"},
		{"base URL", []Option{WithBaseURL("http://127.0.0.1:8080")}, "http://127.0.0.1:8080/organizations/org_1/payout-requests/pr_1"},
		{"base URL with path and slash", []Option{WithBaseURL("https://proxy.example/rebilly/")}, "https://proxy.example/rebilly/organizations/org_1/payout-requests/pr_1"},
		{"base URL wins over environment", []Option{WithEnvironment(Production), WithBaseURL("https://fake.test")}, "https://fake.test/organizations/org_1/payout-requests/pr_1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			rec := testutil.Register(mt, http.MethodGet, tt.want, httpmock.NewStringResponder(200, `{"id":"pr_1","websiteId":"w","customerId":"c","currency":"USD","amount":1}`))
			opts := append([]Option{WithAPIKey("k"), WithOrganizationID("org_1"), WithHTTPClient(&http.Client{Transport: mt})}, tt.opts...)
			c, err := NewClient(opts...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.PayoutRequests.Get(context.Background(), "pr_1"); err != nil {
				t.Fatalf("Get: %v", err)
			}
			if rec.Count() != 1 {
				t.Fatalf("%d requests reached %s", rec.Count(), tt.want)
			}
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	wantUA := fmt.Sprintf("rebilly-go/%s (%s; %s/%s) shop/2.1", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	tests := []struct {
		name       string
		credential Option
		header     string
		want       string
		absent     string
	}{
		{"api key", WithAPIKey(testKey), "REB-APIKEY", testKey, "Authorization"},
		{"jwt", WithJWT("eyJ.payload.sig"), "Authorization", "Bearer eyJ.payload.sig", "REB-APIKEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			rec := testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", httpmock.NewStringResponder(200, `{"id":"pr_1"}`))
			c, err := NewClient(tt.credential, WithOrganizationID(testOrg), WithBaseURL(testBase),
				WithHTTPClient(&http.Client{Transport: mt}), WithUserAgent("shop/2.1"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.PayoutRequests.Get(context.Background(), "pr_1"); err != nil {
				t.Fatal(err)
			}
			h := rec.Requests()[0].Header
			if got := h.Get(tt.header); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.header, got, tt.want)
			}
			if got := h.Get(tt.absent); got != "" {
				t.Errorf("%s = %q, want it absent", tt.absent, got)
			}
			if got := h.Get("User-Agent"); got != wantUA {
				t.Errorf("User-Agent = %q, want %q", got, wantUA)
			}
			if got := h.Get("Accept"); got != "application/json" {
				t.Errorf("Accept = %q", got)
			}
		})
	}
}

func TestHTTPClientIsNotMutated(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mt}
	before := *hc
	if _, err := NewClient(WithAPIKey("k"), WithOrganizationID("o"), WithHTTPClient(hc), WithAttemptTimeout(5)); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != before.Transport || hc.Timeout != before.Timeout || hc.CheckRedirect != nil || hc.Jar != nil {
		t.Fatalf("NewClient changed the caller's *http.Client: %+v", hc)
	}
}

func TestClientNeverPrintsItsCredential(t *testing.T) {
	t.Parallel()
	for _, opt := range []Option{WithAPIKey(testKey), WithJWT(testKey)} {
		c, err := NewClient(opt, WithOrganizationID(testOrg))
		if err != nil {
			t.Fatal(err)
		}
		var logged strings.Builder
		slog.New(slog.NewTextHandler(&logged, nil)).Info("client", "c", c)
		//lint:ignore S1025 the test is about what the %s verb prints
		withS := fmt.Sprintf("%s", c)
		for _, out := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), withS, logged.String()} {
			if strings.Contains(out, testKey) {
				t.Fatalf("credential printed: %s", out)
			}
			if !strings.Contains(out, testOrg) {
				t.Fatalf("description lacks the organization: %s", out)
			}
		}
	}
}

func TestSecretRedactsEveryVerb(t *testing.T) {
	t.Parallel()
	s := secret(testKey)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s"} {
		if out := fmt.Sprintf(verb, s); strings.Contains(out, testKey) || strings.Contains(out, fmt.Sprintf("%x", testKey)) {
			t.Errorf("%s printed the secret: %s", verb, out)
		}
	}
	cfg := config{apiKey: s}
	if out := fmt.Sprintf("%+v %#v", cfg, cfg); strings.Contains(out, testKey) {
		t.Errorf("config printed the secret: %s", out)
	}
}

func TestCanceledContextSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt, _ := setup(t)
	rec := testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", httpmock.NewStringResponder(200, `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.PayoutRequests.Get(ctx, "pr_1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if rec.Count() != 0 {
		t.Fatalf("%d requests sent", rec.Count())
	}
}
