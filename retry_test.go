package rebilly

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
)

var (
	errRefused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	errReset   = &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
)

func status(code int) httpmock.Responder {
	return testutil.Problem(code, http.StatusText(code), "", nil)
}

func failWith(err error) httpmock.Responder { return httpmock.NewErrorResponder(err) }

func payout() payouts.CreateParams {
	return payouts.CreateParams{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("10.00")}
}

func payoutRequest() payoutrequests.CreateParams {
	return payoutrequests.CreateParams{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("10.00")}
}

func payoutRequestUpsert() payoutrequests.UpsertParams {
	return payoutrequests.UpsertParams(payoutRequest())
}

func mustRead(req *http.Request) []byte {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		panic(err)
	}
	return b
}

const created = `{"id":"res_1","websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":10.00}`

func TestPayoutRetriesWithTheSameRequestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps []httpmock.Responder
	}{
		{"500, 503, success", []httpmock.Responder{status(500), status(503), httpmock.NewStringResponder(201, created)}},
		{"reset, refused, success", []httpmock.Responder{failWith(errReset), failWith(errRefused), httpmock.NewStringResponder(201, created)}},
		{"timeout, 502, success", []httpmock.Responder{failWith(context.DeadlineExceeded), status(502), httpmock.NewStringResponder(201, created)}},
		{"429, 504, success", []httpmock.Responder{status(429), status(504), httpmock.NewStringResponder(201, created)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt, _ := setup(t)
			rec := testutil.Register(mt, http.MethodPost, testServer+"/payouts", tt.steps...)
			tx, err := c.Payouts.Create(context.Background(), payout())
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			reqs := rec.Requests()
			if len(reqs) != 3 {
				t.Fatalf("%d attempts, want 3", len(reqs))
			}
			for i, r := range reqs[1:] {
				if string(r.Body) != string(reqs[0].Body) {
					t.Errorf("attempt %d body differs:\n%s\n%s", i+2, r.Body, reqs[0].Body)
				}
			}
			if id := testutil.JSON(t, reqs[0].Body)["requestId"]; id != tx.RequestID {
				t.Errorf("requestId sent %v, result %s", id, tx.RequestID)
			}
		})
	}
}

func TestPayoutRequestCreateIsRetriedOnlyWhenNothingHappened(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		steps    []httpmock.Responder
		attempts int
		unknown  bool  // the error must match ErrOutcomeUnknown
		also     error // and this too
	}{
		{"refused, then created", []httpmock.Responder{failWith(errRefused), httpmock.NewStringResponder(201, created)}, 2, false, nil},
		{"429, then created", []httpmock.Responder{status(429), httpmock.NewStringResponder(201, created)}, 2, false, nil},
		{"503, then created", []httpmock.Responder{status(503), httpmock.NewStringResponder(201, created)}, 2, false, nil},
		{"500", []httpmock.Responder{status(500), httpmock.NewStringResponder(201, created)}, 1, true, nil},
		{"502", []httpmock.Responder{status(502), httpmock.NewStringResponder(201, created)}, 1, true, nil},
		{"504", []httpmock.Responder{status(504), httpmock.NewStringResponder(201, created)}, 1, true, nil},
		{"reset after write", []httpmock.Responder{failWith(errReset), httpmock.NewStringResponder(201, created)}, 1, true, syscall.ECONNRESET},
		{"attempt timeout", []httpmock.Responder{failWith(context.DeadlineExceeded), httpmock.NewStringResponder(201, created)}, 1, true, nil},
		{"503 then 500", []httpmock.Responder{status(503), status(500), httpmock.NewStringResponder(201, created)}, 2, true, nil},
		{"422 is final", []httpmock.Responder{status(422), httpmock.NewStringResponder(201, created)}, 1, false, ErrValidation},
		{"501 is final", []httpmock.Responder{status(501), httpmock.NewStringResponder(201, created)}, 1, false, ErrServer},
		{"refused until retries run out", []httpmock.Responder{failWith(errRefused)}, 4, false, syscall.ECONNREFUSED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt, _ := setup(t)
			rec := testutil.Register(mt, http.MethodPost, testServer+"/payout-requests", tt.steps...)
			pr, err := c.PayoutRequests.Create(context.Background(), payoutRequest())
			if rec.Count() != tt.attempts {
				t.Errorf("%d attempts, want %d", rec.Count(), tt.attempts)
			}
			if tt.also == nil && !tt.unknown {
				if err != nil || pr == nil {
					t.Fatalf("Create: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Create succeeded, want an error")
			}
			if got := errors.Is(err, ErrOutcomeUnknown); got != tt.unknown {
				t.Errorf("errors.Is(ErrOutcomeUnknown) = %v, want %v: %v", got, tt.unknown, err)
			}
			if tt.also != nil && !errors.Is(err, tt.also) {
				t.Errorf("err = %v, want it to match %v", err, tt.also)
			}
			if tt.unknown && !strings.Contains(err.Error(), "Upsert") {
				t.Errorf("error does not say how to recover: %v", err)
			}
			var unknown *OutcomeUnknownError
			if tt.unknown && errors.As(err, &unknown) && unknown.StatusCode >= 500 && (unknown.LastAnswer == nil || errors.Is(err, ErrServer)) {
				t.Errorf("the last answer must be in LastAnswer, and ErrServer must not match: %+v", unknown)
			}
		})
	}
}

func TestClientErrorsAreNeverRetried(t *testing.T) {
	t.Parallel()
	for _, code := range []int{400, 401, 403, 404, 409, 422} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			c, mt, _ := setup(t)
			get := testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", status(code))
			put := testutil.Register(mt, http.MethodPut, testServer+"/payout-requests/pr_1", status(code))
			post := testutil.Register(mt, http.MethodPost, testServer+"/payouts", status(code))
			_, err1 := c.PayoutRequests.Get(context.Background(), "pr_1")
			_, err2 := c.PayoutRequests.Upsert(context.Background(), "pr_1", payoutrequests.UpsertParams(payoutRequest()))
			_, err3 := c.Payouts.Create(context.Background(), payout())
			for _, err := range []error{err1, err2, err3} {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != code {
					t.Errorf("err = %v", err)
				}
				if errors.Is(err, ErrOutcomeUnknown) {
					t.Errorf("a %d is a definite answer, not an unknown outcome: %v", code, err)
				}
			}
			if get.Count()+put.Count()+post.Count() != 3 {
				t.Errorf("attempts: get %d, put %d, post %d; want one each", get.Count(), put.Count(), post.Count())
			}
		})
	}
}

func TestServerHintsAreObeyed(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	withHeader := func(code int, k, v string) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			resp, err := status(code)(req)
			resp.Header.Set(k, v)
			return resp, err
		}
	}
	tests := []struct {
		name string
		step httpmock.Responder
		want time.Duration
		opts []Option
	}{
		{"X-RateLimit-Retry-After timestamp", withHeader(429, "X-RateLimit-Retry-After", strconv.FormatInt(now.Add(42*time.Second).Unix(), 10)), 42 * time.Second, nil},
		{"Retry-After seconds", withHeader(503, "Retry-After", "7"), 7 * time.Second, nil},
		{"Retry-After date", withHeader(429, "Retry-After", now.Add(3*time.Second).Format(http.TimeFormat)), 3 * time.Second, nil},
		{"hint in the past: the ordinary backoff", withHeader(429, "X-RateLimit-Retry-After", strconv.FormatInt(now.Add(-time.Hour).Unix(), 10)), DefaultRetryWaitMin, nil},
		{"hint of now with a zero cap: the ordinary backoff", withHeader(429, "Retry-After", "0"), DefaultRetryWaitMin, []Option{WithMaxServerWait(0)}},
		{"no hint: backoff", status(503), DefaultRetryWaitMin, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt, w := setup(t, tt.opts...)
			testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", tt.step, httpmock.NewStringResponder(200, created))
			if _, err := c.PayoutRequests.Get(context.Background(), "pr_1"); err != nil {
				t.Fatal(err)
			}
			if got := w.list(); len(got) != 1 || got[0] != tt.want {
				t.Errorf("waits = %v, want [%v]", got, tt.want)
			}
		})
	}
}

// TestHintBeyondTheCapEndsTheCall: retrying before the time the server named would only meet
// another 429, so the call ends with it, RetryAfter set.
func TestHintBeyondTheCapEndsTheCall(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		after time.Duration
		opts  []Option
	}{
		{"an hour, default cap", time.Hour, nil},
		{"30 s, zero cap", 30 * time.Second, []Option{WithMaxServerWait(0)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt, w := setup(t, tt.opts...)
			rec := testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", func(req *http.Request) (*http.Response, error) {
				resp, err := status(429)(req)
				resp.Header.Set("X-RateLimit-Retry-After", strconv.FormatInt(now.Add(tt.after).Unix(), 10))
				return resp, err
			}, httpmock.NewStringResponder(200, created))
			_, err := c.PayoutRequests.Get(context.Background(), "pr_1")
			var apiErr *APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, ErrRateLimited) || !apiErr.RetryAfter.Equal(now.Add(tt.after)) {
				t.Fatalf("err = %v", err)
			}
			if rec.Count() != 1 || len(w.list()) != 0 {
				t.Errorf("%d requests, waits %v; want 1 request and no wait", rec.Count(), w.list())
			}
		})
	}
}

func TestBackoffGrowsBetweenMinAndMax(t *testing.T) {
	t.Parallel()
	c, mt, w := setup(t, WithMaxRetries(5), WithRetryWait(100*time.Millisecond, 1*time.Second))
	testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", status(500))
	_, err := c.PayoutRequests.Get(context.Background(), "pr_1")
	if !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v", err)
	}
	// Jitter is fixed at 0 in tests: each wait is half its ceiling, never below min.
	want := []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 500 * time.Millisecond}
	if got := w.list(); !equalDurations(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestExhaustedRetriesWrapTheLastCause(t *testing.T) {
	t.Parallel()
	t.Run("status", func(t *testing.T) {
		c, mt, _ := setup(t, WithMaxRetries(2))
		rec := testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", status(503))
		_, err := c.PayoutRequests.Get(context.Background(), "pr_1")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 3 || !errors.Is(err, ErrServer) {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(err.Error(), "after 3 attempts") || rec.Count() != 3 {
			t.Errorf("err = %v after %d attempts", err, rec.Count())
		}
	})
	t.Run("connection", func(t *testing.T) {
		c, mt, _ := setup(t, WithMaxRetries(2))
		testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", failWith(errReset))
		_, err := c.PayoutRequests.Get(context.Background(), "pr_1")
		if !errors.Is(err, syscall.ECONNRESET) || !strings.Contains(err.Error(), "after 3 attempts") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("payout outcome unknown keeps its requestId", func(t *testing.T) {
		c, mt, _ := setup(t, WithMaxRetries(1))
		testutil.Register(mt, http.MethodPost, testServer+"/payouts", status(500))
		p := payout()
		p.RequestID = "wd-7"
		_, err := c.Payouts.Create(context.Background(), p)
		var unknown *OutcomeUnknownError
		if !errors.As(err, &unknown) || unknown.RequestID != "wd-7" || unknown.Attempts != 2 || errors.Is(err, ErrServer) || unknown.LastAnswer.StatusCode != 500 {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(err.Error(), `RequestID "wd-7"`) {
			t.Errorf("error does not say how to recover: %v", err)
		}
	})
	t.Run("retries disabled", func(t *testing.T) {
		c, mt, _ := setup(t, WithMaxRetries(0))
		rec := testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", status(503))
		if _, err := c.PayoutRequests.Get(context.Background(), "pr_1"); !errors.Is(err, ErrServer) || rec.Count() != 1 {
			t.Fatalf("err = %v after %d attempts", err, rec.Count())
		}
	})
}

func TestConflictOnARetryIsADuplicate(t *testing.T) {
	t.Parallel()
	t.Run("409 after a lost answer", func(t *testing.T) {
		c, mt, _ := setup(t)
		testutil.Register(mt, http.MethodPost, testServer+"/payouts", failWith(errReset), status(409))
		p := payout()
		p.RequestID = "wd-9"
		_, err := c.Payouts.Create(context.Background(), p)
		var dup *DuplicateRequestError
		if !errors.As(err, &dup) || dup.RequestID != "wd-9" {
			t.Fatalf("err = %v", err)
		}
		if !errors.Is(err, ErrDuplicateRequest) || !errors.Is(err, ErrApplied) || errors.Is(err, ErrConflict) {
			t.Errorf("err must match ErrDuplicateRequest and ErrApplied, not ErrConflict: %v", err)
		}
		if dup.Answer == nil || dup.Answer.StatusCode != 409 {
			t.Errorf("no 409 answer inside: %+v", dup)
		}
	})
	t.Run("409 on the first attempt with a generated requestId is a plain conflict", func(t *testing.T) {
		c, mt, _ := setup(t)
		testutil.Register(mt, http.MethodPost, testServer+"/payouts", status(409))
		_, err := c.Payouts.Create(context.Background(), payout())
		if !errors.Is(err, ErrConflict) || errors.Is(err, ErrDuplicateRequest) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("409 on the first attempt with the caller's requestId is a duplicate", func(t *testing.T) {
		// The caller repeats, as OutcomeUnknownError advises, a payout an earlier call made.
		c, mt, _ := setup(t)
		rec := testutil.Register(mt, http.MethodPost, testServer+"/payouts", status(409))
		p := payout()
		p.RequestID = "wd-9"
		_, err := c.Payouts.Create(context.Background(), p)
		var dup *DuplicateRequestError
		if !errors.As(err, &dup) || dup.RequestID != "wd-9" || errors.Is(err, ErrConflict) || rec.Count() != 1 {
			t.Fatalf("err = %v after %d attempts", err, rec.Count())
		}
	})
	t.Run("the first transaction returned on a repeat is a success", func(t *testing.T) {
		c, mt, _ := setup(t)
		first := `{"id":"txn_first","requestId":"wd-9","amount":10.00}`
		testutil.Register(mt, http.MethodPost, testServer+"/payouts", failWith(errReset), httpmock.NewStringResponder(201, first))
		p := payout()
		p.RequestID = "wd-9"
		tx, err := c.Payouts.Create(context.Background(), p)
		if err != nil || tx.ID != "txn_first" {
			t.Fatalf("tx = %v, err = %v", tx, err)
		}
	})
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	// Real waits of an hour: only cancellation can end this call in time.
	c, err := NewClient(WithAPIKey("k"), WithOrganizationID(testOrg), WithBaseURL(testBase),
		WithHTTPClient(&http.Client{Transport: mt}), WithRetryWait(time.Hour, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	attempted := make(chan struct{}, 1)
	mt.RegisterResponder(http.MethodPost, testServer+"/payouts", func(req *http.Request) (*http.Response, error) {
		attempted <- struct{}{}
		return status(500)(req)
	})
	go func() {
		<-attempted
		cancel()
	}()
	watchdog, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	_, err = c.Payouts.Create(watchdog, payout())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("the 500 left the payout's outcome unknown; err = %v", err)
	}
	if mt.GetTotalCallCount() != 1 {
		t.Errorf("%d attempts", mt.GetTotalCallCount())
	}
}

func TestCancelInFlightCreateIsAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, mt, _ := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	mt.RegisterResponder(http.MethodPost, testServer+"/payout-requests", func(req *http.Request) (*http.Response, error) {
		cancel() // the server has the request; the caller gives up before the answer
		return nil, req.Context().Err()
	})
	_, err := c.PayoutRequests.Create(ctx, payoutRequest())
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestJWTIsRedactedInLogs(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mt := httpmock.NewMockTransport()
	c, err := NewClient(WithJWT("eyJhbGciOi.secret-payload.sig"), WithOrganizationID(testOrg), WithBaseURL(testBase),
		WithHTTPClient(&http.Client{Transport: mt}), WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	testutil.Register(mt, http.MethodGet, testServer+"/payout-requests/pr_1", httpmock.NewStringResponder(200, created))
	if _, err := c.PayoutRequests.Get(context.Background(), "pr_1"); err != nil {
		t.Fatal(err)
	}
	if out := logs.String(); strings.Contains(out, "secret-payload") || !strings.Contains(out, "Authorization:[[REDACTED]]") {
		t.Errorf("log:\n%s", out)
	}
}

func TestRetriesAreLoggedWithoutSecrets(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt, _ := setup(t, WithLogger(logger))
	testutil.Register(mt, http.MethodPost, testServer+"/payouts", status(503), httpmock.NewStringResponder(201, created))
	p := payout()
	p.Description = "secret-description"
	if _, err := c.Payouts.Create(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, want := range []string{`op="POST /payouts"`, "attempt=1", "status=503", "rebilly retry", "wait=", "attempt=2", "status=201",
		"rebilly request", "path=/organizations/org_test/payouts", "Reb-Apikey:[[REDACTED]]", "User-Agent:[rebilly-go/"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{testKey, "sk_sandbox", "secret-description", "10.00"} {
		if strings.Contains(out, secret) {
			t.Errorf("log leaks %q:\n%s", secret, out)
		}
	}
}
