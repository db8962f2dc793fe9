package rebillytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// payRaw pays 10 EUR by a raw POST /payouts and returns the transaction answered.
func payRaw(t *testing.T, f *fake, extra string) payouts.Transaction {
	t.Helper()
	status, _, body := f.raw(t, "POST", org+"/payouts", `{"websiteId":"web_1","customerId":"cus_1","currency":"EUR","amount":10`+extra+`}`)
	if status != http.StatusCreated {
		t.Fatalf("POST /payouts: %d %s", status, body)
	}
	var tx payouts.Transaction
	if err := json.Unmarshal(body, &tx); err != nil {
		t.Fatal(err)
	}
	return tx
}

// TestGetTransaction reads transactions over every transport: the stored one, 404 for an
// unknown id, expand accepted (and without effect), PDF refused, credentials and strict
// validation as for the other operations.
func TestGetTransaction(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t, rebillytest.WithClock(newClock().Now))
		tx := payRaw(t, f, `,"requestId":"r-1","description":"W-1"`)
		path := org + "/transactions/" + tx.ID

		for _, query := range []string{"", "?expand=customer,gatewayAccount"} {
			status, header, body := f.raw(t, "GET", path+query, "", "Accept", "application/json")
			if status != http.StatusOK || header.Get("Content-Type") != "application/json" {
				t.Fatalf("GET%s: %d %v %s", query, status, header, body)
			}
			stored, _ := f.Transaction(tx.ID)
			if want, _ := json.Marshal(stored); string(body) != string(want) {
				t.Errorf("GET%s answered\n%s\nwant the stored transaction\n%s", query, body, want)
			}
			if strings.Contains(string(body), "_embedded") {
				t.Errorf("expand filled _embedded: %s", body)
			}
		}

		tests := []struct {
			name, method, path string
			header             []string
			status             int
			fields             []string
		}{
			{"unknown id", "GET", org + "/transactions/txn_nope", nil, http.StatusNotFound, nil},
			{"as PDF", "GET", path, []string{"Accept", "application/pdf"}, http.StatusNotAcceptable, nil},
			{"wrong key", "GET", path, []string{"REB-APIKEY", "nope"}, http.StatusUnauthorized, nil},
			{"another organization", "GET", "/organizations/other/transactions/" + tx.ID, nil, http.StatusUnauthorized, nil},
			{"POST", "POST", path, nil, http.StatusMethodNotAllowed, nil},
			{"strict: an id outside the pattern", "GET", org + "/transactions/txn%20nope", nil, http.StatusUnprocessableEntity, []string{"id"}},
			{"strict: Accept outside the enum", "GET", path, []string{"Accept", "text/html"}, http.StatusUnprocessableEntity, []string{"Accept"}},
		}
		for _, tt := range tests {
			status, header, body := f.raw(t, tt.method, tt.path, "", tt.header...)
			if status != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.name, status, tt.status, body)
				continue
			}
			p := decodeProblem(t, header, body)
			if got := fieldNames(p.InvalidFields); !slices.Equal(got, tt.fields) {
				t.Errorf("%s: invalid fields %v, want %v", tt.name, got, tt.fields)
			}
			if status == http.StatusMethodNotAllowed && header.Get("Allow") != "GET" {
				t.Errorf("%s: Allow = %q, want GET", tt.name, header.Get("Allow"))
			}
		}
		for _, r := range f.Requests() {
			if r.Method == "GET" && r.Operation != rebillytest.OpGetTransaction {
				t.Errorf("GET %s recorded as operation %q", r.Path, r.Operation)
			}
		}
	})
}

// TestGetTransactionLenient: without strict mode, an Accept outside the enum is answered
// JSON, and a malformed id is simply not found.
func TestGetTransactionLenient(t *testing.T) {
	f := transports[1].start(t, rebillytest.WithStrict(false))
	tx := payRaw(t, f, "")
	if status, _, body := f.raw(t, "GET", org+"/transactions/"+tx.ID, "", "Accept", "*/*"); status != http.StatusOK {
		t.Errorf("Accept */*: %d %s", status, body)
	}
	if status, _, body := f.raw(t, "GET", org+"/transactions/txn%20nope", ""); status != http.StatusNotFound {
		t.Errorf("malformed id: %d %s", status, body)
	}
}

// TestPayoutOutcomes pays with each kind of outcome and follows the transaction, and the
// payout request it is allocated to, through the reads that settle it.
func TestPayoutOutcomes(t *testing.T) {
	type state struct {
		result    payouts.Result
		status    payouts.Status
		available string                                       // the payout request's availableAmount
		prStatus  payoutrequests.Status                        // and status
		alloc     gen.PayoutRequestAllocationStatus            // the allocation's status
		allocTx   gen.PayoutRequestAllocationTransactionResult // and transactionResult
	}
	approved := state{payouts.ResultApproved, payouts.StatusCompleted, "0.00", payoutrequests.StatusFulfilled, "completed", "approved"}
	declined := state{payouts.ResultDeclined, payouts.StatusCompleted, "100.00", payoutrequests.StatusPending, "declined", "declined"}
	tests := []struct {
		name    string
		outcome rebillytest.Outcome
		settle  payouts.Result // SettlePayout after the reads; "" for none
		states  []state        // the POST's answer, then each GET's
	}{
		{"default: approved at once", rebillytest.Outcome{}, "", []state{approved, approved}},
		{"declined at once frees the amount", rebillytest.Final(payouts.ResultDeclined), "", []state{declined, declined}},
		{"canceled at once: the allocation failed (it was processed)", rebillytest.Final(payouts.ResultCanceled), "", []state{
			{payouts.ResultCanceled, payouts.StatusVoided, "100.00", payoutrequests.StatusPending, "failed", "canceled"},
		}},
		{"unknown/timeout until settled: the amount is held", rebillytest.Unknown(payouts.StatusTimeout), "", []state{
			{payouts.ResultUnknown, payouts.StatusTimeout, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			{payouts.ResultUnknown, payouts.StatusTimeout, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			{payouts.ResultUnknown, payouts.StatusTimeout, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
		}},
		{"unknown/timeout, settled declined by the test", rebillytest.Unknown(payouts.StatusTimeout), payouts.ResultDeclined, []state{
			{payouts.ResultUnknown, payouts.StatusTimeout, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			declined,
		}},
		{"waiting-gateway, approved after 2 reads", rebillytest.Unknown(payouts.StatusWaitingGateway).AfterReads(2), "", []state{
			{payouts.ResultUnknown, payouts.StatusWaitingGateway, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			{payouts.ResultUnknown, payouts.StatusWaitingGateway, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			{payouts.ResultUnknown, payouts.StatusWaitingGateway, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			approved, approved,
		}},
		{"timeout, declined on the first read", rebillytest.Unknown(payouts.StatusTimeout).AfterReads(0).Then(payouts.ResultDeclined), "", []state{
			{payouts.ResultUnknown, payouts.StatusTimeout, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			declined, declined,
		}},
		{"timeout, abandoned after 1 read", rebillytest.Unknown(payouts.StatusTimeout).Then(payouts.ResultAbandoned).AfterReads(1), "", []state{
			{payouts.ResultUnknown, payouts.StatusTimeout, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			{payouts.ResultUnknown, payouts.StatusTimeout, "0.00", payoutrequests.StatusFulfilled, "waiting-completion", "unknown"},
			{payouts.ResultAbandoned, payouts.StatusCompleted, "100.00", payoutrequests.StatusPending, "failed", "abandoned"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				clk := newClock()
				f := tr.start(t, rebillytest.WithClock(clk.Now), rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return tt.outcome }))
				c := f.client(t)
				ctx := context.Background()
				pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("100.00"))
				if err != nil {
					t.Fatal(err)
				}
				tx, err := c.Payouts.Create(ctx, payoutParams("100.00", pr.ID, ""))
				if err != nil {
					t.Fatal(err)
				}
				check := func(step string, tx *payouts.Transaction, want state) {
					t.Helper()
					prNow, _ := f.PayoutRequest(pr.ID)
					a := prNow.Allocations[0]
					if tx.Result != want.result || tx.Status != want.status || prNow.AvailableAmount.String() != want.available ||
						prNow.Status != want.prStatus || a.Status != want.alloc || a.TransactionResult != want.allocTx ||
						string(a.TransactionStatus) != string(want.status) {
						t.Errorf("%s: transaction %s/%s, payout request %s available %s, allocation %s/%s/%s; want %+v",
							step, tx.Result, tx.Status, prNow.Status, prNow.AvailableAmount, a.Status, a.TransactionResult, a.TransactionStatus, want)
					}
				}
				check("POST", tx, tt.states[0])
				reads := tt.states[1:]
				if tt.settle != "" {
					clk.Advance(90e9)
					if err := f.SettlePayout(tx.ID, tt.settle); err != nil {
						t.Fatal(err)
					}
				}
				for i, want := range reads {
					got, err := c.Payouts.Get(ctx, tx.ID)
					if err != nil {
						t.Fatal(err)
					}
					check(fmt.Sprintf("read %d", i+1), got, want)
					if payouts.IsFinal(got) && got.Revision == tx.Revision && tt.states[0].result == payouts.ResultUnknown {
						t.Errorf("read %d: settled without a new revision: %d", i+1, got.Revision)
					}
				}
			})
		})
	}
}

// TestDeclinedPayoutCanBePaidAgain: the amount a declined payout held goes back to the payout
// request, which a new payout then fulfils; a PUT may lower the amount to what approved
// payouts took.
func TestDeclinedPayoutCanBePaidAgain(t *testing.T) {
	f := transports[1].start(t, rebillytest.WithPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
		if p.Description == "slow" {
			return rebillytest.Unknown(payouts.StatusTimeout)
		}
		return rebillytest.Outcome{}
	}))
	c := f.client(t)
	ctx := context.Background()
	pr, err := c.PayoutRequests.Create(ctx, payoutRequestParams("100.00"))
	if err != nil {
		t.Fatal(err)
	}
	first := payoutParams("70.00", pr.ID, "")
	first.Description = "slow"
	tx, err := c.Payouts.Create(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Payouts.Create(ctx, payoutParams("40.00", pr.ID, "")); err == nil {
		t.Fatal("a payout beyond what the pending one leaves was accepted")
	}
	if err := f.SettlePayout(tx.ID, payouts.ResultDeclined); err != nil {
		t.Fatal(err)
	}
	if now, _ := f.PayoutRequest(pr.ID); now.AvailableAmount.String() != "100.00" || now.Status != payoutrequests.StatusPending {
		t.Fatalf("after the decline: %s available, %s", now.AvailableAmount, now.Status)
	}
	if _, err := c.Payouts.Create(ctx, payoutParams("40.00", pr.ID, "")); err != nil {
		t.Fatal(err)
	}
	up, err := c.PayoutRequests.Upsert(ctx, pr.ID, payoutrequests.UpsertParams{WebsiteID: "web_1", CustomerID: "cus_1", Currency: "EUR", Amount: money.MustParse("40.00")})
	if err != nil {
		t.Fatal(err)
	}
	if up.Status != payoutrequests.StatusFulfilled || up.AvailableAmount.Sign() != 0 || len(up.Allocations) != 2 {
		t.Errorf("after lowering the amount to the approved 40.00: %+v", up)
	}
}

// TestPayoutOutcomeRules: the rule sees the payout, SetPayoutOutcome replaces it until nil or
// Reset, and a repeated requestId calls no rule.
func TestPayoutOutcomeRules(t *testing.T) {
	var seen []rebillytest.PayoutInfo
	f := transports[1].start(t, rebillytest.WithPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
		seen = append(seen, p)
		return rebillytest.Final(payouts.ResultDeclined)
	}))
	c := f.client(t)
	ctx := context.Background()
	params := payoutParams("12.34", "", "req-1")
	params.Description = "W-1"
	params.NotificationURL = "http://127.0.0.1:1/hook?tx={id}"
	tx, err := c.Payouts.Create(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Payouts.Create(ctx, params); err != nil { // the same requestId
		t.Fatal(err)
	}
	want := rebillytest.PayoutInfo{TransactionID: tx.ID, RequestID: "req-1", WebsiteID: "web_1", CustomerID: "cus_1",
		Currency: "EUR", Amount: params.Amount, Description: "W-1", NotificationURL: params.NotificationURL}
	if len(seen) != 1 || seen[0] != want {
		t.Fatalf("rule saw %+v, want once %+v", seen, want)
	}
	if tx.Result != payouts.ResultDeclined {
		t.Errorf("result %s, want the rule's declined", tx.Result)
	}

	results := func() payouts.Result {
		tx, err := c.Payouts.Create(ctx, payoutParams("1", "", ""))
		if err != nil {
			t.Fatal(err)
		}
		return tx.Result
	}
	f.SetPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return rebillytest.Unknown(payouts.StatusPending) })
	if got := results(); got != payouts.ResultUnknown {
		t.Errorf("after SetPayoutOutcome: %s", got)
	}
	f.SetPayoutOutcome(nil)
	if got := results(); got != payouts.ResultDeclined {
		t.Errorf("after SetPayoutOutcome(nil): %s, want the option's declined", got)
	}
	f.SetPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return rebillytest.Final(payouts.ResultCanceled) })
	f.Reset()
	if got := results(); got != payouts.ResultDeclined {
		t.Errorf("after Reset: %s, want the option's declined", got)
	}
}

func TestSettlePayoutErrors(t *testing.T) {
	f := transports[1].start(t)
	approved := payRaw(t, f, "")
	f.SetPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return rebillytest.Unknown(payouts.StatusTimeout) })
	pending := payRaw(t, f, "")
	tests := []struct {
		id     string
		result payouts.Result
		want   string
	}{
		{"txn_nope", "", "no transaction"},
		{approved.ID, payouts.ResultDeclined, "already final (approved)"},
		{pending.ID, payouts.ResultUnknown, `result "unknown" is not final`},
		{pending.ID, "refunded", `result "refunded" is not final`},
	}
	for _, tt := range tests {
		if err := f.SettlePayout(tt.id, tt.result); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("SettlePayout(%s, %q) = %v, want %q", tt.id, tt.result, err, tt.want)
		}
	}
	if err := f.SettlePayout(pending.ID, ""); err != nil {
		t.Fatal(err)
	}
	if tx, _ := f.Transaction(pending.ID); tx.Result != payouts.ResultApproved || tx.Status != payouts.StatusCompleted || tx.Revision != 2 {
		t.Errorf("settled with the planned result: %s/%s revision %d", tx.Result, tx.Status, tx.Revision)
	}
	if err := f.SettlePayout(pending.ID, ""); err == nil {
		t.Error("settled twice")
	}
}

func TestOutcomeArguments(t *testing.T) {
	panics := map[string]func(){
		"Final(unknown)":            func() { rebillytest.Final(payouts.ResultUnknown) },
		"Final(\"\")":               func() { rebillytest.Final("") },
		"Unknown(completed)":        func() { rebillytest.Unknown(payouts.StatusCompleted) },
		"Unknown(\"\")":             func() { rebillytest.Unknown("") },
		"Then of a final outcome":   func() { rebillytest.Final(payouts.ResultApproved).Then(payouts.ResultDeclined) },
		"Then(unknown)":             func() { rebillytest.Unknown(payouts.StatusTimeout).Then(payouts.ResultUnknown) },
		"AfterReads of a final one": func() { rebillytest.Outcome{}.AfterReads(1) },
		"AfterReads(-1)":            func() { rebillytest.Unknown(payouts.StatusTimeout).AfterReads(-1) },
		"WithPayoutOutcome(nil)":    func() { rebillytest.NewHandler(rebillytest.WithPayoutOutcome(nil)) },
		"WithNotificationRetry(0)": func() {
			rebillytest.NewHandler(rebillytest.WithNotificationRetry(0, func(int) time.Duration { return 0 }))
		},
		"WithNotificationRetry(nil)": func() { rebillytest.NewHandler(rebillytest.WithNotificationRetry(1, nil)) },
	}
	for name, f := range panics {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
	for o, want := range map[rebillytest.Outcome]string{
		{}: "approved at once",
		rebillytest.Final(payouts.ResultDeclined):                                                    "declined at once",
		rebillytest.Unknown(payouts.StatusTimeout):                                                   "unknown/timeout, then approved when settled",
		rebillytest.Unknown(payouts.StatusWaitingGateway).AfterReads(2).Then(payouts.ResultDeclined): "unknown/waiting-gateway, then declined after 2 reads",
	} {
		if got := o.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}
