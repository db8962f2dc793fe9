package rebillytest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/paysdk/rebilly/rebillytest"
)

// TestAnswerFaults breaks the answer of a request that was processed and stored, and checks
// on each transport what a plain net/http client sees, that the effect was stored, and
// that the request was recorded with its fault.
func TestAnswerFaults(t *testing.T) {
	const (
		createBody = `{"websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":25}`
		updateBody = `{"websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":30}`
		payBody    = `{"websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":10,"payoutRequestId":"{pr}","requestId":"r-1"}`
		html       = "<html><body>502 Bad Gateway</body></html>"
	)
	// Each test starts with one payout request of 100 EUR, {pr}.
	tests := []struct {
		name               string
		fault              rebillytest.Fault
		method, path, body string // path is under /organizations/test-org; {pr} is the payout request
		status             int    // 0: no answer at all
		location           func(f *fake) []string
		contentType        []string // nil: no Content-Type header
		answer             string   // the exact body; empty: the stored resource, cut in half
		stored             func(t *testing.T, f *fake, pr string) any
	}{
		{
			name:  "CutSuccessBody of a create",
			fault: rebillytest.CutSuccessBody(), method: "POST", path: "/payout-requests", body: createBody,
			status: 201, location: newPayoutRequestURL, contentType: []string{"application/json"},
			stored: newPayoutRequest,
		},
		{
			name:  "SuccessWithoutID of a create",
			fault: rebillytest.SuccessWithoutID(), method: "POST", path: "/payout-requests", body: createBody,
			status: 201, location: newPayoutRequestURL, contentType: []string{"application/json"}, answer: "{}",
			stored: newPayoutRequest,
		},
		{
			name:  "SuccessWithBody of a create: a proxy's HTML page",
			fault: rebillytest.SuccessWithBody("text/html; charset=utf-8", []byte(html)), method: "POST", path: "/payout-requests", body: createBody,
			status: 201, location: newPayoutRequestURL, contentType: []string{"text/html; charset=utf-8"}, answer: html,
			stored: newPayoutRequest,
		},
		{
			name:  "SuccessWithBody of a create: JSON cut short, no Content-Type, none sniffed",
			fault: rebillytest.SuccessWithBody("", []byte(`{"id":"pout_req_`)), method: "POST", path: "/payout-requests", body: createBody,
			status: 201, location: newPayoutRequestURL, answer: `{"id":"pout_req_`,
			stored: newPayoutRequest,
		},
		{
			name:   "SuccessWithoutID with WithHeader: the first one replaces the Location",
			fault:  rebillytest.SuccessWithoutID().WithHeader("Location", "https://elsewhere.test/a").WithHeader("location", "https://elsewhere.test/b"),
			method: "POST", path: "/payout-requests", body: createBody,
			status: 201, contentType: []string{"application/json"}, answer: "{}",
			location: func(*fake) []string { return []string{"https://elsewhere.test/a", "https://elsewhere.test/b"} },
			stored:   newPayoutRequest,
		},
		{
			name:  "ResetAfterCommit of a create",
			fault: rebillytest.ResetAfterCommit(), method: "POST", path: "/payout-requests", body: createBody,
			stored: newPayoutRequest,
		},
		{
			name:  "SuccessWithoutID of an update: its 200, without Location",
			fault: rebillytest.SuccessWithoutID(), method: "PUT", path: "/payout-requests/{pr}", body: updateBody,
			status: 200, contentType: []string{"application/json"}, answer: "{}",
			stored: updatedPayoutRequest,
		},
		{
			name:  "CutSuccessBody of a read",
			fault: rebillytest.CutSuccessBody(), method: "GET", path: "/payout-requests/{pr}",
			status: 200, contentType: []string{"application/json"},
			stored: func(t *testing.T, f *fake, pr string) any {
				got, _ := f.PayoutRequest(pr)
				return got
			},
		},
		{
			name:  "CutSuccessBody For payouts: the payout is made",
			fault: rebillytest.CutSuccessBody().For(rebillytest.OpCreatePayout), method: "POST", path: "/payouts", body: payBody,
			status: 201, location: transactionURL, contentType: []string{"application/json"},
			stored: paidTen,
		},
		{
			name:  "ResetAfterCommit For payouts: the payout is made",
			fault: rebillytest.ResetAfterCommit().For(rebillytest.OpCreatePayout), method: "POST", path: "/payouts", body: payBody,
			stored: paidTen,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t)
				status, _, b := f.raw(t, "POST", org+"/payout-requests", `{"websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":100}`)
				if status != 201 {
					t.Fatalf("setup: status %d: %s", status, b)
				}
				pr := f.PayoutRequests()[0].ID

				f.FailNext(1, tt.fault)
				path := strings.ReplaceAll(tt.path, "{pr}", pr)
				resp, body, err := f.send(t, tt.method, org+path, strings.ReplaceAll(tt.body, "{pr}", pr))

				stored := tt.stored(t, f, pr) // checks the effect, and returns the resource answered
				if rec := f.Requests()[1]; rec.Fault != tt.fault.String() || rec.Status != tt.status {
					t.Errorf("recorded fault %q, status %d; want %q, %d", rec.Fault, rec.Status, tt.fault.String(), tt.status)
				}
				if f.PendingFaults() != 0 {
					t.Errorf("%d faults still pending", f.PendingFaults())
				}

				if tt.status == 0 {
					if resp != nil {
						t.Fatalf("answered %d: %s", resp.StatusCode, body)
					}
					checkAborted(t, tr.name, err, rebillytest.ErrReset)
					return
				}
				if resp == nil {
					t.Fatalf("no answer: %v", err)
				}
				if resp.StatusCode != tt.status {
					t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
				}
				var wantLocation []string
				if tt.location != nil {
					wantLocation = tt.location(f)
				}
				if got := resp.Header.Values("Location"); !slices.Equal(got, wantLocation) {
					t.Errorf("Location = %q, want %q", got, wantLocation)
				}
				if got := resp.Header.Values("Content-Type"); !slices.Equal(got, tt.contentType) {
					t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
				}
				if tt.answer != "" {
					if err != nil || string(body) != tt.answer || resp.ContentLength != int64(len(tt.answer)) {
						t.Errorf("body %q (Content-Length %d), error %v; want %q", body, resp.ContentLength, err, tt.answer)
					}
					return
				}
				// The answer is the stored resource, cut in half: the Content-Length is the
				// whole body's, but half of it arrives before the error.
				full, jerr := json.Marshal(stored)
				if jerr != nil {
					t.Fatal(jerr)
				}
				if resp.ContentLength != int64(len(full)) || !bytes.Equal(body, full[:len(full)/2]) {
					t.Errorf("Content-Length %d, body %q; want %d and the first half of %s", resp.ContentLength, body, len(full), full)
				}
				checkAborted(t, tr.name, err, io.ErrUnexpectedEOF)
			})
		})
	}
}

// checkAborted checks the error of an answer that was aborted: on HTTP/1 the connection
// closed; on HTTP/2 the stream reset (Go's error for it is not exported, so its text is
// checked); over httpmock the error the fault gives, mock.
func checkAborted(t *testing.T, transport string, err, mock error) {
	t.Helper()
	var ok bool
	switch transport {
	case "httptest":
		ok = errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
	case "httpmock":
		ok = errors.Is(err, mock)
	case "https-h2":
		ok = err != nil && strings.Contains(err.Error(), "stream error") && strings.Contains(err.Error(), "INTERNAL_ERROR")
	}
	if !ok {
		t.Errorf("error %v, want the abort of the answer on %s", err, transport)
	}
}

// newPayoutRequest checks that the create was stored: a second payout request of 25 EUR.
func newPayoutRequest(t *testing.T, f *fake, _ string) any {
	t.Helper()
	prs := f.PayoutRequests()
	if len(prs) != 2 || prs[1].Amount.String() != "25" {
		t.Fatalf("payout requests stored: %+v, want a second one of 25", prs)
	}
	return prs[1]
}

func newPayoutRequestURL(f *fake) []string {
	return []string{f.base + org + "/payout-requests/" + f.PayoutRequests()[1].ID}
}

// updatedPayoutRequest checks that the update was stored: the amount is 30.
func updatedPayoutRequest(t *testing.T, f *fake, pr string) any {
	t.Helper()
	got, _ := f.PayoutRequest(pr)
	if len(f.PayoutRequests()) != 1 || got.Amount.String() != "30" {
		t.Fatalf("payout request %+v, want its amount updated to 30", got)
	}
	return got
}

// paidTen checks that the payout was stored: one transaction of 10, allocated.
func paidTen(t *testing.T, f *fake, pr string) any {
	t.Helper()
	txs := f.Transactions()
	got, _ := f.PayoutRequest(pr)
	if len(txs) != 1 || txs[0].Amount.String() != "10" || got.AvailableAmount.String() != "90" {
		t.Fatalf("transactions %+v, availableAmount %s; want one of 10, and 90", txs, got.AvailableAmount)
	}
	return txs[0]
}

func transactionURL(f *fake) []string {
	return []string{f.base + org + "/transactions/" + f.Transactions()[0].ID}
}

// TestSuccessShapedFaultsWaitForASuccess: a success-shaped fault does not strike a request
// that fails; the request gets its real answer, and a queued fault stays queued in its
// place, a random one is not injected.
func TestSuccessShapedFaultsWaitForASuccess(t *testing.T) {
	const valid = `{"websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":25}`
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		f.FailNext(1, rebillytest.SuccessWithoutID())
		f.FailNext(1, rebillytest.StatusBeforeCommit(500))
		type answer struct {
			status int
			body   string
		}
		var got []answer
		for _, body := range []string{`{"websiteId":"web_1"}`, valid, valid} {
			resp, b, err := f.send(t, "POST", org+"/payout-requests", body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 201 {
				b = nil // a problem: its text is checked elsewhere
			}
			got = append(got, answer{resp.StatusCode, string(b)})
		}
		// The 422 did not take SuccessWithoutID: it still struck before the 500 queued after it.
		if want := []answer{{422, ""}, {201, "{}"}, {500, ""}}; !slices.Equal(got, want) {
			t.Errorf("answers %v, want %v", got, want)
		}
		var faults []string
		for _, r := range f.Requests() {
			faults = append(faults, r.Fault)
		}
		if want := []string{"", "success without id after commit", "status 500 before commit"}; !slices.Equal(faults, want) {
			t.Errorf("recorded faults %q, want %q", faults, want)
		}

		f.Reset()
		f.FailRandomly(1, []rebillytest.Fault{rebillytest.SuccessWithBody("text/plain", []byte("ok"))}, 1)
		for i, req := range []struct {
			method, path, body string
			status             int
			answer, fault      string
		}{
			{"GET", "/payout-requests/pout_req_nope", "", 404, "", ""},
			{"POST", "/payout-requests", valid, 201, "ok", `success with 2-byte "text/plain" body after commit`},
		} {
			resp, b, err := f.send(t, req.method, org+req.path, req.body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 201 {
				b = nil
			}
			if resp.StatusCode != req.status || string(b) != req.answer || f.Requests()[i].Fault != req.fault {
				t.Errorf("random fault on %s %s: status %d, body %q, fault %q; want %d, %q, %q",
					req.method, req.path, resp.StatusCode, b, f.Requests()[i].Fault, req.status, req.answer, req.fault)
			}
		}
	})
}

// TestFaultString checks what Request.Fault records.
func TestFaultString(t *testing.T) {
	for _, tt := range []struct {
		fault rebillytest.Fault
		want  string
	}{
		{rebillytest.ResetAfterCommit(), "reset after commit"},
		{rebillytest.CutSuccessBody(), "cut success body after commit"},
		{rebillytest.SuccessWithoutID(), "success without id after commit"},
		{rebillytest.SuccessWithBody("text/html", []byte("<html></html>")), `success with 13-byte "text/html" body after commit`},
		{rebillytest.SuccessWithBody("", nil), `success with 0-byte "" body after commit`},
		{rebillytest.CutSuccessBody().For(rebillytest.OpCreatePayout, rebillytest.OpGetPayoutRequest),
			"cut success body after commit for POST /payouts, GET /payout-requests/{id}"},
		{rebillytest.ResetAfterCommit().For(rebillytest.OpUpsertPayoutRequest), "reset after commit for PUT /payout-requests/{id}"},
	} {
		if got := tt.fault.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
