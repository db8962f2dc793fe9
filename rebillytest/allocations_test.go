package rebillytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// allocationTo is an allocation of amount of the payout request to inst_1 through gw_1.
func allocationTo(prID, amount string) allocations.CreateParams {
	return allocations.CreateParams{PayoutRequestID: prID, PaymentInstrumentID: "inst_1", GatewayAccountID: "gw_1", Amount: money.MustParse(amount)}
}

// newPayoutRequest creates a payout request of amount EUR through the SDK.
func (f *fake) newPayoutRequest(t *testing.T, c *rebilly.Client, amount string) string {
	t.Helper()
	pr, err := c.PayoutRequests.Create(context.Background(), payoutRequestParams(amount))
	if err != nil {
		t.Fatal(err)
	}
	return pr.ID
}

// allocation reads an allocation from the fake without moving its processing on.
func (f *fake) allocation(t *testing.T, id string) allocations.Allocation {
	t.Helper()
	a, ok := f.Allocation(id)
	if !ok {
		t.Fatalf("no allocation %s", id)
	}
	return a
}

// payoutRequestState is a payout request's status, availableAmount and allocation statuses.
func (f *fake) payoutRequestState(t *testing.T, id string) string {
	t.Helper()
	pr, ok := f.PayoutRequest(id)
	if !ok {
		t.Fatalf("no payout request %s", id)
	}
	var statuses []string
	for _, a := range pr.Allocations {
		statuses = append(statuses, string(a.Status))
	}
	return fmt.Sprintf("%s %s [%s]", pr.Status, pr.AvailableAmount, strings.Join(statuses, " "))
}

// TestAllocationLifecycle follows a payout request paid through two allocations, one made by
// hand and one automatically, through processing to fulfilled, on every transport, checking
// the payout request, the allocation resources and the transactions at each step.
func TestAllocationLifecycle(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		c := f.client(t)
		ctx := context.Background()
		prID := f.newPayoutRequest(t, c, "100.00")

		a1, err := c.Allocations.Create(ctx, allocationTo(prID, "60.10"))
		if err != nil {
			t.Fatal(err)
		}
		if a1.Status != allocations.StatusPending || a1.PayoutRequestID != prID || a1.Currency != "EUR" || a1.Amount.String() != "60.10" ||
			a1.PaymentInstrumentID != "inst_1" || a1.GatewayAccountID != "gw_1" || a1.TransactionID != "" || !strings.HasPrefix(a1.ID, rebillytest.AllocationIDPrefix) {
			t.Fatalf("created %+v", a1)
		}
		if got := f.payoutRequestState(t, prID); got != "in-progress 39.90 [pending]" {
			t.Errorf("after Create: %s", got)
		}
		_, header, _ := f.raw(t, "GET", org+"/payout-request-allocations/"+a1.ID, "")
		if header.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type %q", header.Get("Content-Type"))
		}
		if reqs := f.Requests(); !strings.HasSuffix(reqs[1].Path, "/payout-request-allocations") || reqs[1].Status != http.StatusCreated {
			t.Errorf("POST recorded as %+v", reqs[1])
		}

		if err := c.Allocations.AutoAllocate(ctx, prID); err != nil {
			t.Fatal(err)
		}
		pr, err := c.PayoutRequests.Get(ctx, prID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pr.Allocations) != 2 || pr.AvailableAmount.String() != "0.00" || pr.Status != payoutrequests.StatusInProgress {
			t.Fatalf("after AutoAllocate: %s %s %+v", pr.Status, pr.AvailableAmount, pr.Allocations)
		}
		a2 := pr.Allocations[1]
		if a2.Amount.String() != "39.90" || a2.PaymentInstrumentID != rebillytest.PaymentInstrumentID || a2.GatewayAccountID != rebillytest.GatewayAccountID || a2.Status != allocations.StatusPending {
			t.Errorf("automatic allocation %+v", a2)
		}

		if err := c.Allocations.Process(ctx, a1.ID, a2.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.payoutRequestState(t, prID); got != "in-progress 0.00 [queued queued]" {
			t.Errorf("after Process: %s", got)
		}
		// Each read of an allocation moves its processing on: queued → processing → paid.
		for i, want := range []allocations.Status{allocations.StatusProcessing, allocations.StatusCompleted, allocations.StatusCompleted} {
			got, err := c.Allocations.Get(ctx, a1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != want {
				t.Errorf("read %d: %s, want %s", i+1, got.Status, want)
			}
		}
		got, _ := c.Allocations.Get(ctx, a1.ID)
		tx, err := c.Payouts.Get(ctx, got.TransactionID)
		if err != nil {
			t.Fatal(err)
		}
		if got.TransactionResult != "approved" || got.TransactionStatus != "completed" || tx.Type != "credit" || tx.Result != payouts.ResultApproved ||
			!tx.Amount.Equal(a1.Amount) || tx.PayoutRequestID != prID || tx.GatewayAccountID != "gw_1" || tx.CustomerID != "cus_1" || tx.Currency != "EUR" {
			t.Errorf("allocation %+v, transaction %+v", got, tx)
		}
		if got := f.payoutRequestState(t, prID); got != "in-progress 0.00 [completed queued]" {
			t.Errorf("one paid: %s", got)
		}

		done, err := c.Allocations.WaitForResult(ctx, a2.ID)
		if err != nil || done.Status != allocations.StatusCompleted {
			t.Fatalf("WaitForResult: %+v, %v", done, err)
		}
		pr, _ = c.PayoutRequests.Get(ctx, prID)
		if pr.Status != payoutrequests.StatusFulfilled || pr.AvailableAmount.String() != "0.00" {
			t.Errorf("paid in full: %s %s", pr.Status, pr.AvailableAmount)
		}
		// The payout request's allocations are the allocation resources.
		for _, a := range pr.Allocations {
			read, _ := c.Allocations.Get(ctx, a.ID)
			if normalize(t, read, f.base) != normalize(t, a, f.base) {
				t.Errorf("GET allocation %s differs from the payout request's:\n%s\n%s", a.ID, normalize(t, read, f.base), normalize(t, a, f.base))
			}
		}
		if n := len(f.Transactions()); n != 2 {
			t.Errorf("%d transactions, want 2", n)
		}
		if _, err := c.Allocations.Cancel(ctx, a1.ID); !errors.Is(err, rebilly.ErrConflict) {
			t.Errorf("cancel a completed allocation: %v", err)
		}
	})
}

// TestAllocationOutcomes processes one allocation under each payout outcome and follows it
// read by read: the allocation, its transaction and the payout request stay in step.
func TestAllocationOutcomes(t *testing.T) {
	type step struct {
		alloc     allocations.Status
		txResult  string // the allocation's transactionResult, "" before it has one
		available string
		prStatus  payoutrequests.Status
	}
	processing := step{allocations.StatusProcessing, "", "0.00", payoutrequests.StatusInProgress}
	waiting := step{allocations.StatusWaitingCompletion, "unknown", "0.00", payoutrequests.StatusInProgress}
	completed := step{allocations.StatusCompleted, "approved", "0.00", payoutrequests.StatusFulfilled}
	tests := []struct {
		name    string
		outcome rebillytest.Outcome
		settle  func(t *testing.T, f *fake, allocID string) // before the reads; nil for none
		reads   []step                                      // each GET of the allocation
		txs     int
	}{
		{"approved at once", rebillytest.Outcome{}, nil, []step{processing, completed, completed}, 1},
		{"declined: the amount is free again", rebillytest.Final(payouts.ResultDeclined), nil, []step{
			processing, {allocations.StatusDeclined, "declined", "25.00", payoutrequests.StatusInProgress},
		}, 1},
		{"abandoned: failed", rebillytest.Final(payouts.ResultAbandoned), nil, []step{
			processing, {allocations.StatusFailed, "abandoned", "25.00", payoutrequests.StatusInProgress},
		}, 1},
		{"timeout, approved after 2 reads (of the allocation)", rebillytest.Unknown(payouts.StatusTimeout).AfterReads(2), nil, []step{
			processing, waiting, waiting, waiting, completed,
		}, 1},
		{"timeout until the test settles it declined", rebillytest.Unknown(payouts.StatusTimeout), func(t *testing.T, f *fake, allocID string) {
			if err := f.ProcessQueuedAllocations(allocID); err != nil {
				t.Fatal(err)
			}
			if err := f.SettlePayout(f.allocation(t, allocID).TransactionID, payouts.ResultDeclined); err != nil {
				t.Fatal(err)
			}
		}, []step{{allocations.StatusDeclined, "declined", "25.00", payoutrequests.StatusInProgress}}, 1},
		{"processed on demand", rebillytest.Outcome{}, func(t *testing.T, f *fake, _ string) {
			if err := f.ProcessQueuedAllocations(); err != nil {
				t.Fatal(err)
			}
		}, []step{completed}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				var seen []rebillytest.PayoutInfo
				f := tr.start(t, rebillytest.WithPayoutOutcome(func(p rebillytest.PayoutInfo) rebillytest.Outcome {
					seen = append(seen, p)
					return tt.outcome
				}))
				c := f.client(t)
				ctx := context.Background()
				prID := f.newPayoutRequest(t, c, "25.00")
				a, err := c.Allocations.Create(ctx, allocationTo(prID, "25.00"))
				if err != nil {
					t.Fatal(err)
				}
				if err := c.Allocations.Process(ctx, a.ID); err != nil {
					t.Fatal(err)
				}
				if tt.settle != nil {
					tt.settle(t, f, a.ID)
				}
				for i, want := range tt.reads {
					got, err := c.Allocations.Get(ctx, a.ID)
					if err != nil {
						t.Fatal(err)
					}
					pr, _ := f.PayoutRequest(prID)
					if got.Status != want.alloc || string(got.TransactionResult) != want.txResult || pr.AvailableAmount.String() != want.available || pr.Status != want.prStatus {
						t.Errorf("read %d: allocation %s/%s, payout request %s %s; want %+v", i+1, got.Status, got.TransactionResult, pr.Status, pr.AvailableAmount, want)
					}
					if got.TransactionID != "" {
						tx, _ := f.Transaction(got.TransactionID)
						if string(tx.Result) != string(got.TransactionResult) || string(tx.Status) != string(got.TransactionStatus) {
							t.Errorf("read %d: transaction %s/%s, allocation says %s/%s", i+1, tx.Result, tx.Status, got.TransactionResult, got.TransactionStatus)
						}
					}
					if !slices.EqualFunc(pr.Allocations, []allocations.Allocation{*got}, func(x, y allocations.Allocation) bool { return normalize(t, x, f.base) == normalize(t, y, f.base) }) {
						t.Errorf("read %d: the payout request's allocations are not the allocation read", i+1)
					}
				}
				if len(f.Transactions()) != tt.txs || len(seen) != tt.txs {
					t.Fatalf("%d transactions, %d outcomes chosen; want %d", len(f.Transactions()), len(seen), tt.txs)
				}
				if p := seen[0]; p.AllocationID != a.ID || p.PayoutRequestID != prID || p.RequestID != "" || p.Amount.String() != "25.00" || p.CustomerID != "cus_1" {
					t.Errorf("the rule saw %+v", p)
				}
			})
		})
	}
}

// TestAllocationTransactionReadsSettleIt: a read of the transaction counts as much as a read
// of the allocation towards an outcome's AfterReads.
func TestAllocationTransactionReadsSettleIt(t *testing.T) {
	f := transports[1].start(t, rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome {
		return rebillytest.Unknown(payouts.StatusWaitingGateway).AfterReads(1)
	}))
	c := f.client(t)
	ctx := context.Background()
	prID := f.newPayoutRequest(t, c, "10.00")
	a, _ := c.Allocations.Create(ctx, allocationTo(prID, "10.00"))
	if err := c.Allocations.Process(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.ProcessQueuedAllocations(); err != nil {
		t.Fatal(err)
	}
	txID := f.allocation(t, a.ID).TransactionID
	if tx, _ := c.Payouts.Get(ctx, txID); tx.Result != payouts.ResultUnknown {
		t.Fatalf("first read: %s", tx.Result)
	}
	if got, _ := c.Allocations.Get(ctx, a.ID); got.Status != allocations.StatusCompleted {
		t.Fatalf("second read, of the allocation: %s", got.Status)
	}
}

// TestAllocationRefusals: what the allocation operations refuse, and how, in strict and
// lenient mode alike (the fake's own rules), and that nothing changes when they do.
func TestAllocationRefusals(t *testing.T) {
	tests := []struct {
		name          string
		method        func(s allocFixture) (string, string) // and the path below the collection
		body          func(s allocFixture) string
		status        int
		invalidFields []string
	}{
		{name: "create for no payout request",
			method: post(""), body: func(allocFixture) string {
				return `{"payoutRequestId":"pout_req_none","paymentInstrumentId":"i","gatewayAccountId":"g","amount":1}`
			},
			status: 404},
		{name: "create beyond what is not yet allocated",
			method: post(""), body: func(s allocFixture) string { return allocBody(s.prID, "20.01") },
			status: 422, invalidFields: []string{"amount"}},
		{name: "create for a canceled payout request",
			method: post(""), body: func(s allocFixture) string { return allocBody(s.canceled, "1") }, status: 409},
		{name: "create for a blocked payout request",
			method: post(""), body: func(s allocFixture) string { return allocBody(s.blocked, "1") }, status: 409},
		{name: "auto for no payout request",
			method: post("/auto"), body: func(allocFixture) string { return `{"payoutRequestId":"pout_req_none"}` }, status: 404},
		{name: "auto for a blocked payout request",
			method: post("/auto"), body: func(s allocFixture) string { return `{"payoutRequestId":"` + s.blocked + `"}` }, status: 409},
		{name: "process an allocation that does not exist",
			method: post("/process"), body: func(s allocFixture) string { return `{"allocationIds":["` + s.pending + `","pout_alloc_none"]}` },
			status: 422, invalidFields: []string{"allocationIds[1]"}},
		{name: "get none",
			method: func(allocFixture) (string, string) { return "GET", "/pout_alloc_none" }, status: 404},
		{name: "cancel none",
			method: patch(func(allocFixture) string { return "pout_alloc_none" }), body: statusBody("canceled"), status: 404},
		{name: "cancel a completed allocation",
			method: patch(func(s allocFixture) string { return s.completed }), body: statusBody("canceled"), status: 409},
		{name: "process (PATCH) a completed allocation",
			method: patch(func(s allocFixture) string { return s.completed }), body: statusBody("processing"), status: 409},
		{name: "cancel a pending allocation of a blocked payout request",
			method: patch(func(s allocFixture) string { return s.blockedAlloc }), body: statusBody("canceled"), status: 409},
		{name: "a method the collection does not allow",
			method: func(allocFixture) (string, string) { return "DELETE", "" }, status: 405},
	}
	for _, strict := range []bool{true, false} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("strict=%v/%s", strict, tt.name), func(t *testing.T) {
				f := transports[1].start(t, rebillytest.WithStrict(strict))
				c := f.client(t)
				ctx := context.Background()
				var s allocFixture
				s.prID = f.newPayoutRequest(t, c, "50.00")
				pending, _ := c.Allocations.Create(ctx, allocationTo(s.prID, "20.00"))
				done, _ := c.Allocations.Create(ctx, allocationTo(s.prID, "10.00"))
				s.pending, s.completed = pending.ID, done.ID
				if err := c.Allocations.Process(ctx, done.ID); err != nil {
					t.Fatal(err)
				}
				if err := f.ProcessQueuedAllocations(done.ID); err != nil {
					t.Fatal(err)
				}
				s.canceled = f.newPayoutRequest(t, c, "5.00")
				if err := f.CancelPayoutRequest(s.canceled, ""); err != nil {
					t.Fatal(err)
				}
				s.blocked = f.newPayoutRequest(t, c, "5.00")
				blockedAlloc, _ := c.Allocations.Create(ctx, allocationTo(s.blocked, "1.00"))
				s.blockedAlloc = blockedAlloc.ID
				blocked := payoutRequestParams("5.00")
				blocked.Blocking, blocked.BlockReason = payoutrequests.Block, "risk-review"
				if _, err := c.PayoutRequests.Upsert(ctx, s.blocked, payoutrequests.UpsertParams(blocked)); err != nil {
					t.Fatal(err)
				}

				before := snapshot(t, f)
				method, path := tt.method(s)
				body := ""
				if tt.body != nil {
					body = tt.body(s)
				}
				code, header, raw := f.raw(t, method, org+"/payout-request-allocations"+path, body)
				if code != tt.status {
					t.Fatalf("%s %s: %d %s, want %d", method, path, code, raw, tt.status)
				}
				p := decodeProblem(t, header, raw)
				if !slices.Equal(fieldNames(p.InvalidFields), tt.invalidFields) {
					t.Errorf("invalidFields %v, want %v", fieldNames(p.InvalidFields), tt.invalidFields)
				}
				if after := snapshot(t, f); after != before {
					t.Errorf("a refused request changed the fake:\n%s\n%s", before, after)
				}
			})
		}
	}
}

// allocFixture names what TestAllocationRefusals sets up: a payout request of 50.00 with
// 20.00 pending and 10.00 completed, a canceled payout request, and a blocked one with a
// pending allocation.
type allocFixture struct {
	prID, pending, completed string
	canceled, blocked        string
	blockedAlloc             string
}

func post(path string) func(allocFixture) (string, string) {
	return func(allocFixture) (string, string) { return "POST", path }
}

func patch(id func(allocFixture) string) func(allocFixture) (string, string) {
	return func(s allocFixture) (string, string) { return "PATCH", "/" + id(s) }
}

func statusBody(status string) func(allocFixture) string {
	return func(allocFixture) string { return `{"status":"` + status + `"}` }
}

func allocBody(prID, amount string) string {
	return fmt.Sprintf(`{"payoutRequestId":%q,"paymentInstrumentId":"inst_1","gatewayAccountId":"gw_1","amount":%s}`, prID, amount)
}

// snapshot is everything the fake holds, as JSON.
func snapshot(t *testing.T, f *fake) string {
	t.Helper()
	b, err := json.Marshal([]any{f.PayoutRequests(), f.Transactions()})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestUpdateAllocation: PATCH moves a pending allocation to processing (paid on its next
// read) or to canceled (its amount free again, once), and nothing else.
func TestUpdateAllocation(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		c := f.client(t)
		ctx := context.Background()
		prID := f.newPayoutRequest(t, c, "30.00")
		a1, _ := c.Allocations.Create(ctx, allocationTo(prID, "10.00"))
		a2, _ := c.Allocations.Create(ctx, allocationTo(prID, "20.00"))

		canceled, err := c.Allocations.Cancel(ctx, a1.ID)
		if err != nil || canceled.Status != allocations.StatusCanceled {
			t.Fatalf("Cancel: %+v, %v", canceled, err)
		}
		if got := f.payoutRequestState(t, prID); got != "in-progress 10.00 [canceled pending]" {
			t.Errorf("after Cancel: %s", got)
		}
		if _, err := c.Allocations.Cancel(ctx, a1.ID); !errors.Is(err, rebilly.ErrConflict) {
			t.Errorf("Cancel again: %v", err)
		}
		if got := f.payoutRequestState(t, prID); got != "in-progress 10.00 [canceled pending]" {
			t.Errorf("the second Cancel changed %s", got)
		}
		if err := c.Allocations.Process(ctx, a1.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.allocation(t, a1.ID).Status; got != allocations.StatusCanceled {
			t.Errorf("Process of a canceled allocation: %s", got)
		}

		code, _, body := f.raw(t, "PATCH", org+"/payout-request-allocations/"+a2.ID, `{"status":"processing"}`)
		var patched allocations.Allocation
		if err := json.Unmarshal(body, &patched); code != http.StatusOK || err != nil || patched.Status != allocations.StatusProcessing {
			t.Fatalf("PATCH processing: %d %s", code, body)
		}
		if code, _, body := f.raw(t, "PATCH", org+"/payout-request-allocations/"+a2.ID, `{"status":"canceled"}`); code != http.StatusConflict {
			t.Errorf("cancel while processing: %d %s", code, body)
		}
		if got, _ := c.Allocations.Get(ctx, a2.ID); got.Status != allocations.StatusCompleted || got.TransactionID == "" {
			t.Errorf("read after PATCH processing: %+v", got)
		}
		if got := f.payoutRequestState(t, prID); got != "in-progress 10.00 [canceled completed]" {
			t.Errorf("at the end: %s", got)
		}
	})
}

// TestAllocationsOfCanceledAndBlockedPayoutRequests: canceling a payout request cancels its
// pending allocations; a blocked one's pending allocations are not processed (they stay
// pending), while those already queued are paid, as Rebilly documents.
func TestAllocationsOfCanceledAndBlockedPayoutRequests(t *testing.T) {
	f := transports[1].start(t)
	c := f.client(t)
	ctx := context.Background()

	canceled := f.newPayoutRequest(t, c, "10.00")
	a, _ := c.Allocations.Create(ctx, allocationTo(canceled, "4.00"))
	if err := f.CancelPayoutRequest(canceled, "customer asked"); err != nil {
		t.Fatal(err)
	}
	if got := f.payoutRequestState(t, canceled); got != "canceled 10.00 [canceled]" {
		t.Errorf("canceled: %s", got)
	}
	if err := c.Allocations.Process(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Allocations.AutoAllocate(ctx, canceled); !errors.Is(err, rebilly.ErrConflict) {
		t.Errorf("AutoAllocate a canceled payout request: %v", err)
	}

	blocked := f.newPayoutRequest(t, c, "10.00")
	queued, _ := c.Allocations.Create(ctx, allocationTo(blocked, "4.00"))
	pending, _ := c.Allocations.Create(ctx, allocationTo(blocked, "6.00"))
	if err := c.Allocations.Process(ctx, queued.ID); err != nil {
		t.Fatal(err)
	}
	params := payoutRequestParams("10.00")
	params.Blocking = payoutrequests.Block
	if _, err := c.PayoutRequests.Upsert(ctx, blocked, payoutrequests.UpsertParams(params)); err != nil {
		t.Fatal(err)
	}
	if err := c.Allocations.Process(ctx, pending.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Allocations.WaitForResult(ctx, queued.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.payoutRequestState(t, blocked); got != "in-progress 0.00 [completed pending]" {
		t.Errorf("blocked: %s", got)
	}
	if len(f.Transactions()) != 1 {
		t.Errorf("%d transactions, want 1", len(f.Transactions()))
	}
}

// TestPayoutAllocationsAreAllocations: an allocation recorded by POST /payouts with a
// payoutRequestId is an allocation resource too: readable, and already past pending.
func TestPayoutAllocationsAreAllocations(t *testing.T) {
	forEachTransport(t, func(t *testing.T, tr transport) {
		f := tr.start(t)
		c := f.client(t)
		ctx := context.Background()
		prID := f.newPayoutRequest(t, c, "10.00")
		tx, err := c.Payouts.Create(ctx, payoutParams("4.00", prID, ""))
		if err != nil {
			t.Fatal(err)
		}
		pr, _ := f.PayoutRequest(prID)
		got, err := c.Allocations.Get(ctx, pr.Allocations[0].ID)
		if err != nil || got.TransactionID != tx.ID || got.Status != allocations.StatusCompleted {
			t.Fatalf("GET: %+v, %v", got, err)
		}
		if _, err := c.Allocations.Cancel(ctx, got.ID); !errors.Is(err, rebilly.ErrConflict) {
			t.Errorf("Cancel: %v", err)
		}
		// The two ways of paying share the amount.
		if _, err := c.Allocations.Create(ctx, allocationTo(prID, "6.01")); !errors.Is(err, rebilly.ErrValidation) {
			t.Errorf("allocating beyond what the payout left: %v", err)
		}
		if _, err := c.Allocations.PayInFull(ctx, prID, allocations.PayParams{}); err != nil {
			t.Fatal(err)
		}
		if got := f.payoutRequestState(t, prID); got != "fulfilled 0.00 [completed completed]" {
			t.Errorf("paid both ways: %s", got)
		}
	})
}

// TestAllocationRequestsInStrictMode: strict mode refuses what openapi.yaml refuses, and the
// fake's own rules refuse the same in lenient mode.
func TestAllocationRequestsInStrictMode(t *testing.T) {
	tests := []struct {
		name, method, path, body string
		field                    string
	}{
		{"no ids", "POST", "/process", `{"allocationIds":[]}`, "allocationIds"},
		{"a status that cannot be set", "PATCH", "/pout_alloc_1", `{"status":"completed"}`, "status"},
		{"no instrument", "POST", "", `{"payoutRequestId":"pr","gatewayAccountId":"g","amount":1}`, "paymentInstrumentId"},
		{"no payout request", "POST", "/auto", `{}`, "payoutRequestId"},
		{"a negative amount", "POST", "", `{"payoutRequestId":"pr","paymentInstrumentId":"i","gatewayAccountId":"g","amount":-1}`, "amount"},
	}
	for _, strict := range []bool{true, false} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("strict=%v/%s", strict, tt.name), func(t *testing.T) {
				f := transports[1].start(t, rebillytest.WithStrict(strict))
				code, header, body := f.raw(t, tt.method, org+"/payout-request-allocations"+tt.path, tt.body)
				if code != http.StatusUnprocessableEntity {
					t.Fatalf("%d %s", code, body)
				}
				if p := decodeProblem(t, header, body); !slices.Contains(fieldNames(p.InvalidFields), tt.field) {
					t.Errorf("invalidFields %v, want %s", fieldNames(p.InvalidFields), tt.field)
				}
			})
		}
	}
}
