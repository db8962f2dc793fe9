package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
)

// result is what each operation hands back for the tests to check that a response decoded.
type result struct {
	ID, Status string
}

// operation is one benchmarked operation, made each way impls lists.
type operation struct {
	name       string
	failFirst  int // POST /payouts answers 503 this many times before each success
	sdk        sdkOp
	typed, raw rawOp
	want       result // what every client decodes
	attempts   int    // requests per call
}

// operations are the operations the tests check: TestBenchmarkBodies that every client
// makes the same exchange, TestAllocationBudget the SDK's allocations against the typed
// baseline's.
var operations = []operation{
	{"PayoutRequestCreate", 0, sdkCreatePR, typedCreatePR, rawCreatePR, result{prID, "ready"}, 1},
	{"PayoutRequestUpsert", 0, sdkUpsertPR, typedUpsertPR, rawUpsertPR, result{prID, "ready"}, 1},
	{"PayoutRequestGet", 0, sdkGetPR, typedGetPR, rawGetPR, result{prID, "ready"}, 1},
	{"PayoutCreate", 0, sdkCreatePayout, typedCreatePayout, rawCreatePayout, result{txID, "completed"}, 1},
	{"PayoutCreateRetry", 2, sdkCreatePayout, typedCreatePayoutRetry, rawCreatePayoutRetry, result{txID, "completed"}, 3},
	{"PayoutGet", 0, sdkGetPayout, typedGetPayout, rawGetPayout, result{txID, "completed"}, 1},
}

// mode is where the tests send: over loopback, or to the handler in-process.
type mode struct {
	name   string
	server func(tb testing.TB, failFirst int) *server
	impls  func(sdk sdkOp, typed, raw rawOp, opts ...rebilly.Option) []impl
}

var modes = []mode{
	{"loopback", newServer, impls},
	{"no-network", func(_ testing.TB, failFirst int) *server { return &server{failFirst: int64(failFirst)} }, noNetImpls},
}

// The request the SDK is given, and the same request as the raw client writes it.
var (
	prParams = payoutrequests.CreateParams{
		WebsiteID:                            "web_bench",
		CustomerID:                           "cus_01HZX3Q8Y7",
		Currency:                             "USD",
		Amount:                               money.MustParse("1250.50"),
		Description:                          "Withdrawal W-000123",
		SelectedPaymentInstrumentRedirectURL: "https://shop.example/payouts/done?pr={{id}}",
	}

	rawPRBody = rawPayoutRequest{
		WebsiteID:                            "web_bench",
		CustomerID:                           "cus_01HZX3Q8Y7",
		Currency:                             "USD",
		Amount:                               json.Number("1250.50"),
		Description:                          "Withdrawal W-000123",
		SelectedPaymentInstrumentRedirectURL: "https://shop.example/payouts/done?pr={{id}}",
	}
)

type rawPayoutRequest struct {
	WebsiteID                            string      `json:"websiteId"`
	CustomerID                           string      `json:"customerId"`
	Currency                             string      `json:"currency"`
	Amount                               json.Number `json:"amount"`
	Description                          string      `json:"description,omitempty"`
	SelectedPaymentInstrumentRedirectURL string      `json:"selectedPaymentInstrumentRedirectUrl,omitempty"`
}

type rawPayout struct {
	WebsiteID       string      `json:"websiteId"`
	CustomerID      string      `json:"customerId"`
	Currency        string      `json:"currency"`
	Amount          json.Number `json:"amount"`
	RequestID       string      `json:"requestId"`
	PayoutRequestID string      `json:"payoutRequestId,omitempty"`
	Description     string      `json:"description,omitempty"`
	NotificationURL string      `json:"notificationUrl,omitempty"`
}

// requestID is the payout's de-duplication key. Both clients are handed the same one, as a
// merchant using payouts.RequestIDFor would hand it over, so neither pays for making one.
func requestID(i int) string { return "bench-" + strconv.Itoa(i) }

func payoutParams(i int) payouts.CreateParams {
	p := payouts.CreateParams{
		WebsiteID:       "web_bench",
		CustomerID:      "cus_01HZX3Q8Y7",
		Currency:        "USD",
		Amount:          money.MustParse("1250.50"),
		RequestID:       requestID(i),
		Description:     "Withdrawal W-000123",
		NotificationURL: "https://shop.example/hooks/payouts/{id}?result={result}",
	}
	//lint:ignore SA1019 the benchmark keeps the body its figures (BENCHMARKS.md) were measured with; the raw client sends it too
	p.PayoutRequestID = prID
	return p
}

func rawPayoutBody(i int) rawPayout {
	return rawPayout{
		WebsiteID:       "web_bench",
		CustomerID:      "cus_01HZX3Q8Y7",
		Currency:        "USD",
		Amount:          json.Number("1250.50"),
		RequestID:       requestID(i),
		PayoutRequestID: prID,
		Description:     "Withdrawal W-000123",
		NotificationURL: "https://shop.example/hooks/payouts/{id}?result={result}",
	}
}

// The four operations through the SDK.

func sdkCreatePR(ctx context.Context, c *rebilly.Client, _ int) (result, error) {
	pr, err := c.PayoutRequests.Create(ctx, prParams)
	if err != nil {
		return result{}, err
	}
	return prResult(pr), nil
}

func sdkUpsertPR(ctx context.Context, c *rebilly.Client, _ int) (result, error) {
	pr, err := c.PayoutRequests.Upsert(ctx, prID, payoutrequests.UpsertParams(prParams))
	if err != nil {
		return result{}, err
	}
	return prResult(pr), nil
}

func sdkGetPR(ctx context.Context, c *rebilly.Client, _ int) (result, error) {
	pr, err := c.PayoutRequests.Get(ctx, prID)
	if err != nil {
		return result{}, err
	}
	return prResult(pr), nil
}

func sdkCreatePayout(ctx context.Context, c *rebilly.Client, i int) (result, error) {
	tx, err := c.Payouts.Create(ctx, payoutParams(i))
	if err != nil {
		return result{}, err
	}
	return txResult(tx), nil
}

func sdkGetPayout(ctx context.Context, c *rebilly.Client, _ int) (result, error) {
	tx, err := c.Payouts.Get(ctx, txID)
	if err != nil {
		return result{}, err
	}
	return txResult(tx), nil
}

func txResult(tx *payouts.Transaction) result {
	var r result
	r.ID = tx.ID
	r.Status = string(tx.Status)
	return r
}

func prResult(pr *payoutrequests.PayoutRequest) result {
	var r result
	r.ID = pr.ID
	r.Status = string(pr.Status)
	return r
}

// rawClient is what both hand-written baselines call through: an http.Client with the SDK's
// default timeout, and nothing else of the SDK.
type rawClient struct {
	hc   *http.Client
	base string // server root + "/organizations/{org}"
	ua   string
}

// do is the map baseline: it sends one request and decodes a 2xx JSON answer into
// map[string]any, reading the body without a bound. attempts > 1 repeats the request after
// a 429 or 503, with no wait, as the SDK does under WithRetryWait(0, 0).
func (c *rawClient) do(ctx context.Context, method, path string, body any, attempts int) (map[string]any, error) {
	buf, err := marshalBody(body)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.send(ctx, method, path, buf, body != nil)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		code := resp.StatusCode
		if (code == http.StatusServiceUnavailable || code == http.StatusTooManyRequests) && attempt < attempts {
			continue
		}
		if code < 200 || code > 299 {
			return nil, fmt.Errorf("%s %s: status %d: %s", method, path, code, data)
		}
		var out map[string]any
		if err := json.Unmarshal(data, &out); err != nil {
			return nil, err
		}
		return out, nil
	}
}

func mapResult(m map[string]any, err error) (result, error) {
	if err != nil {
		return result{}, err
	}
	id, _ := m["id"].(string)
	status, _ := m["status"].(string)
	if id == "" {
		return result{}, errors.New("response has no id")
	}
	return result{ID: id, Status: status}, nil
}

// The same operations by hand, decoding into map[string]any (the second reference).

func rawCreatePR(ctx context.Context, c *rawClient, _ int) (result, error) {
	return mapResult(c.do(ctx, http.MethodPost, "/payout-requests", rawPRBody, 1))
}

func rawUpsertPR(ctx context.Context, c *rawClient, _ int) (result, error) {
	return mapResult(c.do(ctx, http.MethodPut, "/payout-requests/"+prID, rawPRBody, 1))
}

func rawGetPR(ctx context.Context, c *rawClient, _ int) (result, error) {
	return mapResult(c.do(ctx, http.MethodGet, "/payout-requests/"+prID, nil, 1))
}

func rawCreatePayout(ctx context.Context, c *rawClient, i int) (result, error) {
	return mapResult(c.do(ctx, http.MethodPost, "/payouts", rawPayoutBody(i), 1))
}

func rawGetPayout(ctx context.Context, c *rawClient, _ int) (result, error) {
	return mapResult(c.do(ctx, http.MethodGet, "/transactions/"+txID, nil, 1))
}

// rawCreatePayoutRetry makes up to four attempts, as the SDK does by default.
func rawCreatePayoutRetry(ctx context.Context, c *rawClient, i int) (result, error) {
	return mapResult(c.do(ctx, http.MethodPost, "/payouts", rawPayoutBody(i), 1+rebilly.DefaultMaxRetries))
}

// maxBody is the bound on a response body that the typed baseline reads, the SDK's default
// (WithMaxResponseBytes).
const maxBody = 10 << 20

// typedDo is the typed baseline, the call a Go developer would write by hand for one
// operation: marshal the body, set the same headers, send through an http.Client whose
// Timeout is the SDK's default, read at most maxBody bytes, check the status and
// json.Unmarshal into the SDK's own result type. attempts > 1 repeats the request after a 429
// or 503, with no wait, as the SDK does under WithRetryWait(0, 0). It is the baseline that
// BENCHMARKS.md's targets refer to.
func typedDo[T any](ctx context.Context, c *rawClient, method, path string, body any, attempts int) (*T, error) {
	buf, err := marshalBody(body)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.send(ctx, method, path, buf, body != nil)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if len(data) > maxBody {
			return nil, fmt.Errorf("%s %s: the answer is over %d bytes", method, path, maxBody)
		}
		code := resp.StatusCode
		if (code == http.StatusServiceUnavailable || code == http.StatusTooManyRequests) && attempt < attempts {
			continue
		}
		if code < 200 || code > 299 {
			return nil, fmt.Errorf("%s %s: status %d: %s", method, path, code, data)
		}
		out := new(T)
		if err := json.Unmarshal(data, out); err != nil {
			return nil, err
		}
		return out, nil
	}
}

// The same operations by hand, decoding into the SDK's result types (the baseline).

func typedCreatePR(ctx context.Context, c *rawClient, _ int) (result, error) {
	return typedPR(typedDo[payoutrequests.PayoutRequest](ctx, c, http.MethodPost, "/payout-requests", rawPRBody, 1))
}

func typedUpsertPR(ctx context.Context, c *rawClient, _ int) (result, error) {
	return typedPR(typedDo[payoutrequests.PayoutRequest](ctx, c, http.MethodPut, "/payout-requests/"+prID, rawPRBody, 1))
}

func typedGetPR(ctx context.Context, c *rawClient, _ int) (result, error) {
	return typedPR(typedDo[payoutrequests.PayoutRequest](ctx, c, http.MethodGet, "/payout-requests/"+prID, nil, 1))
}

func typedCreatePayout(ctx context.Context, c *rawClient, i int) (result, error) {
	return typedTx(typedDo[payouts.Transaction](ctx, c, http.MethodPost, "/payouts", rawPayoutBody(i), 1))
}

// typedCreatePayoutRetry makes up to four attempts, as the SDK does by default.
func typedCreatePayoutRetry(ctx context.Context, c *rawClient, i int) (result, error) {
	return typedTx(typedDo[payouts.Transaction](ctx, c, http.MethodPost, "/payouts", rawPayoutBody(i), 1+rebilly.DefaultMaxRetries))
}

func typedGetPayout(ctx context.Context, c *rawClient, _ int) (result, error) {
	return typedTx(typedDo[payouts.Transaction](ctx, c, http.MethodGet, "/transactions/"+txID, nil, 1))
}

func typedPR(pr *payoutrequests.PayoutRequest, err error) (result, error) {
	if err != nil {
		return result{}, err
	}
	if pr.ID == "" {
		return result{}, errors.New("response has no id")
	}
	return prResult(pr), nil
}

func typedTx(tx *payouts.Transaction, err error) (result, error) {
	if err != nil {
		return result{}, err
	}
	if tx.ID == "" {
		return result{}, errors.New("response has no id")
	}
	return txResult(tx), nil
}

// marshalBody encodes a request body, nil for none.
func marshalBody(body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	return json.Marshal(body)
}

// send makes one hand-written request with the three headers (and Content-Type with a
// body), as both baselines do.
func (c *rawClient) send(ctx context.Context, method, path string, buf []byte, hasBody bool) (*http.Response, error) {
	var rd io.Reader
	if hasBody {
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("REB-APIKEY", apiKey)
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	return c.hc.Do(req)
}
