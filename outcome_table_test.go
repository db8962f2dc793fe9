package rebilly

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/internal/testutil"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
)

// outcomeRow is one row of the README's outcome table: an error kind, the sentinels it
// matches, and its class.
type outcomeRow struct {
	kind      string // as the README's first column writes it
	sentinels []error
	outcome   Outcome
}

var outcomeTable = []outcomeRow{
	{"`*InvalidParamsError`", []error{ErrInvalidParams, ErrNotApplied}, OutcomeNotApplied},
	{"`*APIError` 401", []error{ErrUnauthorized, ErrNotApplied}, OutcomeNotApplied},
	{"`*APIError` 403", []error{ErrForbidden, ErrNotApplied}, OutcomeNotApplied},
	{"`*APIError` 404", []error{ErrNotFound, ErrNotApplied}, OutcomeNotApplied},
	{"`*APIError` 409", []error{ErrConflict, ErrNotApplied}, OutcomeNotApplied},
	{"`*APIError` 422", []error{ErrValidation, ErrNotApplied}, OutcomeNotApplied},
	{"`*APIError` 429", []error{ErrRateLimited, ErrNotApplied}, OutcomeNotApplied},
	{"`*APIError` 5xx", []error{ErrServer, ErrNotApplied}, OutcomeNotApplied},
	{"`*APIError` other", []error{ErrNotApplied}, OutcomeNotApplied},
	{"`*NotAppliedError`", []error{ErrNotApplied}, OutcomeNotApplied},
	{"`*MalformedResponseError`", []error{ErrMalformedResponse, ErrNotApplied}, OutcomeNotApplied},
	{"`*PagingError`", []error{ErrPaging, ErrNotApplied}, OutcomeNotApplied},
	{"`*DuplicateRequestError`", []error{ErrDuplicateRequest, ErrApplied}, OutcomeApplied},
	{"`*OutcomeUnknownError`", []error{ErrOutcomeUnknown}, OutcomeUnknown},
}

var allSentinels = []error{ErrNotApplied, ErrApplied, ErrOutcomeUnknown, ErrUnauthorized, ErrForbidden, ErrNotFound,
	ErrConflict, ErrValidation, ErrRateLimited, ErrServer, ErrInvalidParams, ErrMalformedResponse, ErrDuplicateRequest, ErrPaging}

// rowOf finds the table row of an error, by its type and, for an *APIError, its status.
func rowOf(t *testing.T, err error) outcomeRow {
	t.Helper()
	kind := ""
	var (
		apiErr  *APIError
		invalid *InvalidParamsError
		notApp  *NotAppliedError
		mal     *MalformedResponseError
		dup     *DuplicateRequestError
		unknown *OutcomeUnknownError
		paging  *PagingError
	)
	// The order matters only for types that wrap others; each error has one outer type.
	switch {
	case errors.As(err, &unknown):
		kind = "`*OutcomeUnknownError`"
	case errors.As(err, &dup):
		kind = "`*DuplicateRequestError`"
	case errors.As(err, &notApp):
		kind = "`*NotAppliedError`"
	case errors.As(err, &mal):
		kind = "`*MalformedResponseError`"
	case errors.As(err, &paging):
		kind = "`*PagingError`"
	case errors.As(err, &invalid):
		kind = "`*InvalidParamsError`"
	case errors.As(err, &apiErr):
		switch code := apiErr.StatusCode; {
		case code == 401, code == 403, code == 404, code == 409, code == 422, code == 429:
			kind = "`*APIError` " + strconv.Itoa(code)
		case code >= 500:
			kind = "`*APIError` 5xx"
		default:
			kind = "`*APIError` other"
		}
	default:
		t.Fatalf("%v (%T) is of no kind the outcome table knows", err, err)
	}
	for _, r := range outcomeTable {
		if r.kind == kind {
			if kind == "`*NotAppliedError`" && notApp.LastAnswer != nil {
				r.sentinels = append(slices.Clone(r.sentinels), errs.StatusSentinel(notApp.LastAnswer.StatusCode))
			}
			return r
		}
	}
	t.Fatalf("no row %s", kind)
	return outcomeRow{}
}

// checkRow asserts that err matches exactly its row's sentinels and class.
func checkRow(t *testing.T, err error) outcomeRow {
	t.Helper()
	r := rowOf(t, err)
	for _, s := range allSentinels {
		if got, want := errors.Is(err, s), slices.Contains(r.sentinels, s); got != want {
			t.Errorf("%v: errors.Is(%v) = %v, the table says %v", err, s, got, want)
		}
	}
	if got := OutcomeOf(err); got != r.outcome {
		t.Errorf("%v: OutcomeOf = %v, the table says %v", err, got, r.outcome)
	}
	return r
}

// TestEveryErrorFallsIntoOneRow walks every operation through every kind of failure and
// checks each error against the outcome table.
func TestEveryErrorFallsIntoOneRow(t *testing.T) {
	t.Parallel()
	type op struct {
		name, method, url string
		write             bool
		noBody            bool // answers 204: any 2xx is a success
		call              func(context.Context, *Client) error
	}
	ops := []op{
		{"PayoutRequests.Create", http.MethodPost, testServer + "/payout-requests", true, false, func(ctx context.Context, c *Client) error {
			_, err := c.PayoutRequests.Create(ctx, payoutRequest())
			return err
		}},
		{"PayoutRequests.Upsert", http.MethodPut, testServer + "/payout-requests/pr_1", true, false, func(ctx context.Context, c *Client) error {
			_, err := c.PayoutRequests.Upsert(ctx, "pr_1", payoutRequestUpsert())
			return err
		}},
		{"PayoutRequests.Get", http.MethodGet, testServer + "/payout-requests/pr_1", false, false, func(ctx context.Context, c *Client) error {
			_, err := c.PayoutRequests.Get(ctx, "pr_1")
			return err
		}},
		{"PayoutRequests.List", http.MethodGet, testServer + "/payout-requests", false, false, func(ctx context.Context, c *Client) error {
			_, err := c.PayoutRequests.List(ctx, payoutrequests.ListParams{})
			return err
		}},
		{"PayoutRequests.All", http.MethodGet, testServer + "/payout-requests", false, false, func(ctx context.Context, c *Client) error {
			for _, err := range c.PayoutRequests.All(ctx, payoutrequests.ListParams{}) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{"PayoutRequests.Cancel", http.MethodPost, testServer + "/payout-requests/pr_1/cancel", true, false, func(ctx context.Context, c *Client) error {
			_, err := c.PayoutRequests.Cancel(ctx, "pr_1", payoutrequests.CancelParams{})
			return err
		}},
		{"Payouts.Create", http.MethodPost, testServer + "/payouts", true, false, func(ctx context.Context, c *Client) error {
			_, err := c.Payouts.Create(ctx, payout())
			return err
		}},
		{"Payouts.Create with a requestId of ours", http.MethodPost, testServer + "/payouts", true, false, func(ctx context.Context, c *Client) error {
			p := payout()
			p.RequestID = "wd-1"
			_, err := c.Payouts.Create(ctx, p)
			return err
		}},
		{"Payouts.Get", http.MethodGet, testServer + "/transactions/txn_1", false, false, func(ctx context.Context, c *Client) error {
			_, err := c.Payouts.Get(ctx, "txn_1")
			return err
		}},
		{"Allocations.Create", http.MethodPost, testServer + "/payout-request-allocations", true, false, func(ctx context.Context, c *Client) error {
			_, err := c.Allocations.Create(ctx, allocations.CreateParams{PayoutRequestID: "pr_1", PaymentInstrumentID: "in_1", GatewayAccountID: "gw_1", Amount: money.MustParse("1")})
			return err
		}},
		{"Allocations.AutoAllocate", http.MethodPost, testServer + "/payout-request-allocations/auto", true, true, func(ctx context.Context, c *Client) error {
			return c.Allocations.AutoAllocate(ctx, "pr_1")
		}},
		{"Allocations.Process", http.MethodPost, testServer + "/payout-request-allocations/process", true, true, func(ctx context.Context, c *Client) error {
			return c.Allocations.Process(ctx, "alloc_1")
		}},
		{"Allocations.Get", http.MethodGet, testServer + "/payout-request-allocations/alloc_1", false, false, func(ctx context.Context, c *Client) error {
			_, err := c.Allocations.Get(ctx, "alloc_1")
			return err
		}},
		{"Allocations.List", http.MethodGet, testServer + "/payout-request-allocations", false, false, func(ctx context.Context, c *Client) error {
			_, err := c.Allocations.List(ctx, allocations.ListParams{})
			return err
		}},
		{"Allocations.All", http.MethodGet, testServer + "/payout-request-allocations", false, false, func(ctx context.Context, c *Client) error {
			for _, err := range c.Allocations.All(ctx, allocations.ListParams{}) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{"Allocations.Cancel", http.MethodPatch, testServer + "/payout-request-allocations/alloc_1", true, false, func(ctx context.Context, c *Client) error {
			_, err := c.Allocations.Cancel(ctx, "alloc_1")
			return err
		}},
	}
	cut := func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 201, Header: http.Header{}, Body: io.NopCloser(io.MultiReader(strings.NewReader(`{"id":"res_1",`), errorReader{io.ErrUnexpectedEOF})), Request: req}, nil
	}
	faults := map[string][]httpmock.Responder{
		"dial refused":  {failWith(errRefused)},
		"reset":         {failWith(errReset)},
		"empty object":  {httpmock.NewStringResponder(201, `{}`)},
		"cut 2xx":       {cut},
		"html 2xx":      {httpmock.NewStringResponder(200, `<html>`).HeaderSet(http.Header{"Content-Type": {"text/html"}})},
		"reset, 409":    {failWith(errReset), status(409)},
		"503, 409":      {status(503), status(409)},
		"500, 422":      {status(500), status(422)},
		"429, 429":      {status(429)},
		"503, 503":      {status(503)},
		"307 redirect":  {status(307)},
		"400":           {status(400)},
		"not found 404": {status(404)},
	}
	for _, code := range []int{401, 403, 409, 422, 500, 501, 502, 504} {
		faults[http.StatusText(code)] = []httpmock.Responder{status(code)}
	}
	seen := map[string]bool{}
	for _, o := range ops {
		for name, steps := range faults {
			if o.noBody && (name == "empty object" || name == "cut 2xx" || name == "html 2xx") {
				continue // a 204 operation's success has no body to break
			}
			t.Run(o.name+"/"+name, func(t *testing.T) {
				c, mt, _ := setup(t, WithMaxRetries(1))
				testutil.Register(mt, o.method, o.url, steps...)
				// Reads back (Location, a 409's confirmation) find nothing usable.
				mt.RegisterNoResponder(httpmock.NewStringResponder(404, `{"title":"Not found"}`))
				err := o.call(context.Background(), c)
				if err == nil {
					t.Fatalf("no error")
				}
				r := checkRow(t, err)
				seen[r.kind] = true
				if !o.write && r.outcome != OutcomeNotApplied {
					t.Errorf("a read ended %v: %v", r.outcome, err)
				}
			})
		}
	}
	// The failures that happen before anything is sent.
	c, _, _ := setup(t)
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for name, err := range map[string]error{
		"invalid": func() error {
			p := payout()
			p.Amount = money.MustParse("-1")
			_, err := c.Payouts.Create(context.Background(), p)
			return err
		}(),
		"ended context": func() error { _, err := c.PayoutRequests.Get(ended, "pr_1"); return err }(),
		"pages that repeat a payout request": func() error {
			c, mt, _ := setup(t)
			twice := `[{"id":"pr_1","createdTime":"2026-01-01T00:00:00Z"},{"id":"pr_1","createdTime":"2026-01-01T00:00:00Z"}]`
			testutil.Register(mt, http.MethodGet, testServer+"/payout-requests", httpmock.NewStringResponder(200, twice))
			for _, err := range c.PayoutRequests.All(context.Background(), payoutrequests.ListParams{}) {
				if err != nil {
					return err
				}
			}
			return nil
		}(),
	} {
		r := checkRow(t, err)
		seen[r.kind] = true
		if r.outcome != OutcomeNotApplied {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, r := range outcomeTable {
		if !seen[r.kind] {
			t.Errorf("no failure produced the row %s: the table lists an error the walk never met", r.kind)
		}
	}
}

type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

// TestREADMEOutcomeTableMatchesTheCode reads the table in README.md and compares it with
// outcomeTable, which TestEveryErrorFallsIntoOneRow checks against the code.
func TestREADMEOutcomeTableMatchesTheCode(t *testing.T) {
	t.Parallel()
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string][]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "outcome-table") {
			in = true
			continue
		}
		if in && !strings.HasPrefix(line, "|") {
			if len(rows) > 0 {
				break
			}
			continue
		}
		if in && strings.HasPrefix(line, "| `*") {
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			rows[cells[0]] = cells[1:]
		}
	}
	if len(rows) != len(outcomeTable) {
		t.Errorf("README has %d rows, the code %d", len(rows), len(outcomeTable))
	}
	sentinelRE := regexp.MustCompile("`(Err[A-Za-z]+)`")
	for _, r := range outcomeTable {
		cells, ok := rows[r.kind]
		if !ok {
			t.Errorf("README lacks the row %s", r.kind)
			continue
		}
		var got []string
		matches := cells[0]
		if i := strings.Index(matches, "(and"); i >= 0 {
			matches = matches[:i] // the note on LastAnswer
		}
		for _, m := range sentinelRE.FindAllStringSubmatch(matches, -1) {
			got = append(got, m[1])
		}
		var want []string
		for _, s := range r.sentinels {
			want = append(want, sentinelName(s))
		}
		if !slices.Equal(got, want) {
			t.Errorf("README row %s lists %v, the code matches %v", r.kind, got, want)
		}
		if cells[1] != r.outcome.String() {
			t.Errorf("README row %s says %q, the code %q", r.kind, cells[1], r.outcome)
		}
	}
}

func sentinelName(s error) string {
	for name, v := range map[string]error{"ErrNotApplied": ErrNotApplied, "ErrApplied": ErrApplied, "ErrOutcomeUnknown": ErrOutcomeUnknown,
		"ErrUnauthorized": ErrUnauthorized, "ErrForbidden": ErrForbidden, "ErrNotFound": ErrNotFound, "ErrConflict": ErrConflict,
		"ErrValidation": ErrValidation, "ErrRateLimited": ErrRateLimited, "ErrServer": ErrServer, "ErrInvalidParams": ErrInvalidParams,
		"ErrMalformedResponse": ErrMalformedResponse, "ErrDuplicateRequest": ErrDuplicateRequest, "ErrPaging": ErrPaging} {
		if v == s {
			return name
		}
	}
	return "?"
}
