package rebillytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/jarcoal/httpmock"
	"go.uber.org/goleak"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// mockBase is the base URL of the httpmock fakes.
const mockBase = "https://rebilly.test"

// start is the fixed time the test clocks start at.
var start = time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)

// clock is a settable clock for WithClock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: start} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fake is a Handler reached over one transport: an httptest server (plain HTTP/1, or TLS
// and HTTP/2) or an httpmock transport.
type fake struct {
	*rebillytest.Handler
	kind  string
	base  string       // what the client's WithBaseURL gets
	http  *http.Client // reaches the fake; validates every answer against openapi.yaml
	plain *http.Client // reaches the fake without looking at its answers, which faults break
}

// transport names a way to reach a Handler.
type transport struct {
	name  string
	start func(t *testing.T, opts ...rebillytest.Option) *fake
}

// transports lists the ways to reach a Handler; tests that compare two of them rely on the
// first being plain HTTP/1 and the second httpmock.
var transports = []transport{
	{"httptest", func(t *testing.T, opts ...rebillytest.Option) *fake {
		srv := rebillytest.NewServer(t, opts...)
		return &fake{Handler: srv.Handler, kind: "httptest", base: srv.URL(), plain: srv.HTTPClient(),
			http: &http.Client{Transport: &specCheck{t: t, base: srv.HTTPClient().Transport}}}
	}},
	{"httpmock", func(t *testing.T, opts ...rebillytest.Option) *fake {
		h := rebillytest.NewHandler(opts...)
		t.Cleanup(h.Close) // stops its notifications, as Server.Close does
		mt := httpmock.NewMockTransport()
		h.RegisterOn(mt, mockBase)
		return &fake{Handler: h, kind: "httpmock", base: mockBase, plain: &http.Client{Transport: mt},
			http: &http.Client{Transport: &specCheck{t: t, base: mt}}}
	}},
	{"https-h2", func(t *testing.T, opts ...rebillytest.Option) *fake {
		srv := rebillytest.NewServer(t, append(opts, rebillytest.WithTLS())...)
		h2 := &requireH2{t: t, base: srv.HTTPClient().Transport}
		return &fake{Handler: srv.Handler, kind: "https-h2", base: srv.URL(), plain: &http.Client{Transport: h2},
			http: &http.Client{Transport: &specCheck{t: t, base: h2}}}
	}},
}

// requireH2 fails the test when an answer did not come over HTTP/2, so that the https-h2
// transport cannot silently fall back to HTTP/1.1.
type requireH2 struct {
	t    *testing.T
	base http.RoundTripper
}

func (r *requireH2) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err == nil && resp.ProtoMajor != 2 {
		r.t.Errorf("%s %s answered over %s, want HTTP/2", req.Method, req.URL.Path, resp.Proto)
	}
	return resp, err
}

// forEachTransport runs test once per transport.
func forEachTransport(t *testing.T, test func(t *testing.T, tr transport)) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) { test(t, tr) })
	}
}

// client returns an SDK client of the fake's organization and credential
// (Handler.ClientOptions), whose retries never sleep.
func (f *fake) client(t *testing.T, opts ...rebilly.Option) *rebilly.Client {
	t.Helper()
	base := append(f.ClientOptions(f.base, f.http), rebilly.WithRetryWait(0, 0), rebilly.WithMaxServerWait(time.Millisecond))
	c, err := rebilly.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clientAs returns an SDK client with the given credential and organization, which may
// not be the fake's.
func (f *fake) clientAs(t *testing.T, credential rebilly.Option, orgID string, opts ...rebilly.Option) *rebilly.Client {
	t.Helper()
	base := []rebilly.Option{
		credential,
		rebilly.WithOrganizationID(orgID),
		rebilly.WithBaseURL(f.base),
		rebilly.WithHTTPClient(f.http),
		rebilly.WithRetryWait(0, 0),
		rebilly.WithMaxServerWait(time.Millisecond),
	}
	c, err := rebilly.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// raw sends a request with the default API key (unless header overrides it) and returns
// the answer.
func (f *fake) raw(t *testing.T, method, path, body string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, f.base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("REB-APIKEY", rebillytest.DefaultAPIKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := f.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// send sends a request with the default API key through the plain client, and returns the
// answer with as much of its body as could be read, and the error of sending it or of
// reading the body.
func (f *fake) send(t *testing.T, method, path, body string) (*http.Response, []byte, error) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, f.base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("REB-APIKEY", rebillytest.DefaultAPIKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.plain.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// org is the path of the default organization.
const org = "/organizations/" + rebillytest.DefaultOrganizationID

// statuses lists the status of every request the fake received (0 for a dropped one).
func statuses(h *rebillytest.Handler) []int {
	var out []int
	for _, r := range h.Requests() {
		out = append(out, r.Status)
	}
	return out
}

func payoutRequestParams(amount string) payoutrequests.CreateParams {
	return payoutrequests.CreateParams{
		WebsiteID:  "web_1",
		CustomerID: "cus_1",
		Currency:   "EUR",
		Amount:     money.MustParse(amount),
	}
}

// payoutParams are the params of a payout, allocated to payoutRequestID unless it is empty:
// the fake keeps serving payoutRequestId on POST /payouts, deprecated but still used.
func payoutParams(amount, payoutRequestID, requestID string) payouts.CreateParams {
	p := payouts.CreateParams{
		WebsiteID:  "web_1",
		CustomerID: "cus_1",
		Currency:   "EUR",
		Amount:     money.MustParse(amount),
		RequestID:  requestID,
	}
	//lint:ignore SA1019 the tests of POST /payouts with a payoutRequestId, which still works
	p.PayoutRequestID = payoutRequestID
	return p
}

// problemBody decodes a problem-details answer.
type problemBody struct {
	Type          string                 `json:"type"`
	Title         string                 `json:"title"`
	Status        int                    `json:"status"`
	Detail        string                 `json:"detail"`
	InvalidFields []rebilly.InvalidField `json:"invalidFields"`
}

func decodeProblem(t *testing.T, header http.Header, body []byte) problemBody {
	t.Helper()
	if ct := header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var p problemBody
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, body)
	}
	return p
}

func fieldNames(fields []rebilly.InvalidField) []string {
	var out []string
	for _, f := range fields {
		out = append(out, f.Field)
	}
	return out
}

// loadTestSpec parses the repository's openapi.yaml (not the package's copy) once.
var loadTestSpec = sync.OnceValues(func() (routers.Router, error) {
	b, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

// specCheck is a RoundTripper that validates every answer of the fake against
// openapi.yaml (statuses the specification does not declare, such as 400 or 500, are not
// checked), so that the fake cannot drift from what the SDK is generated from.
type specCheck struct {
	t    *testing.T
	base http.RoundTripper
}

func (s *specCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	resp, err := s.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err := validateAnswer(req, reqBody, resp, body); err != nil {
		s.t.Errorf("the fake's answer to %s %s does not match openapi.yaml: %v\n%s", req.Method, req.URL.Path, err, body)
	}
	return resp, nil
}

func validateAnswer(req *http.Request, reqBody []byte, resp *http.Response, body []byte) error {
	router, err := loadTestSpec()
	if err != nil {
		return err
	}
	u := *req.URL
	u.Scheme, u.Host = "https", "api-sandbox.rebilly.com"
	vreq, err := http.NewRequestWithContext(req.Context(), req.Method, u.String(), bytes.NewReader(reqBody))
	if err != nil {
		return err
	}
	vreq.Header = req.Header.Clone()
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		return nil // not an API path: nothing to check
	}
	return openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{MultiError: true},
	})
}

// normalize replaces the fake's origin in a JSON document, so that the answers of two
// transports can be compared.
func normalize(t *testing.T, v any, origin string) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), origin, "ORIGIN")
}
