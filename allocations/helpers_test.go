package allocations_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/internal/sdktest"
	"github.com/paysdk/rebilly/money"
)

const (
	base = "https://rebilly.test"
	root = base + "/organizations/org_1"
)

func setup(t *testing.T) (*rebilly.Client, *httpmock.MockTransport) {
	t.Helper()
	return sdktest.Client(t, nil)
}

// ledger is a small stateful stand-in for Rebilly's allocation flow, for PayInFull's tests:
// one payout request, its allocations, processing that completes an allocation after one
// read, and faults that strike a chosen request after it took effect.
type ledger struct {
	mu       sync.Mutex
	amount   money.Amount
	allocs   []*allocations.Allocation
	reads    map[string]int
	decline  bool // processing declines instead of completing
	created  int  // allocations created, ever
	paid     money.Amount
	requests []string
	// dropAfter, when it returns true for a request ("POST /payout-request-allocations", its
	// number), makes that request take effect and then fail with a reset.
	dropAfter func(op string, n int) bool
}

func newLedger(amount string) *ledger {
	return &ledger{amount: money.MustParse(amount), reads: map[string]int{}, paid: money.MustParse("0")}
}

func (l *ledger) register(mt *httpmock.MockTransport) {
	handle := func(op string, f func(req *http.Request) (int, any)) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.requests = append(l.requests, op)
			n := 0
			for _, r := range l.requests {
				if r == op {
					n++
				}
			}
			status, body := f(req)
			if l.dropAfter != nil && l.dropAfter(op, n) {
				return nil, fmt.Errorf("connection reset after %s #%d took effect", op, n)
			}
			if body == nil {
				return httpmock.NewBytesResponse(status, nil), nil
			}
			b, _ := json.Marshal(body)
			resp := httpmock.NewBytesResponse(status, b)
			resp.Header.Set("Content-Type", "application/json")
			return resp, nil
		}
	}
	mt.RegisterResponder(http.MethodGet, root+"/payout-requests/pr_1", handle("GET pr", func(*http.Request) (int, any) {
		all := make([]allocations.Allocation, len(l.allocs))
		for i, a := range l.allocs {
			all[i] = *a
		}
		return 200, map[string]any{"id": "pr_1", "websiteId": "w", "customerId": "c", "currency": "USD", "amount": l.amount, "status": "in-progress", "allocations": all}
	}))
	mt.RegisterResponder(http.MethodPost, root+"/payout-request-allocations", handle("POST alloc", func(req *http.Request) (int, any) {
		var in struct {
			Amount money.Amount `json:"amount"`
		}
		body, _ := io.ReadAll(req.Body)
		_ = json.Unmarshal(body, &in)
		var held = money.MustParse("0")
		for _, a := range l.allocs {
			if a.Status != allocations.StatusDeclined && a.Status != allocations.StatusCanceled && a.Status != allocations.StatusFailed {
				held = held.Add(a.Amount)
			}
		}
		if held.Add(in.Amount).Cmp(l.amount) > 0 {
			return 422, map[string]any{"title": "amount exceeds what is not yet allocated"}
		}
		l.created++
		a := &allocations.Allocation{ID: fmt.Sprintf("alloc_%d", l.created), PayoutRequestID: "pr_1", Amount: in.Amount, Currency: "USD", Status: allocations.StatusPending}
		l.allocs = append(l.allocs, a)
		return 201, a
	}))
	mt.RegisterResponder(http.MethodPost, root+"/payout-request-allocations/process", handle("POST process", func(req *http.Request) (int, any) {
		var in struct {
			IDs []string `json:"allocationIds"`
		}
		body, _ := io.ReadAll(req.Body)
		_ = json.Unmarshal(body, &in)
		for _, id := range in.IDs {
			for _, a := range l.allocs {
				if a.ID == id && a.Status == allocations.StatusPending {
					a.Status = allocations.StatusProcessing
				}
			}
		}
		return 204, nil
	}))
	mt.RegisterResponder(http.MethodGet, `=~^`+root+`/payout-request-allocations/(alloc_\d+)\z`, handle("GET alloc", func(req *http.Request) (int, any) {
		id := req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:]
		for _, a := range l.allocs {
			if a.ID == id {
				if a.Status == allocations.StatusProcessing {
					if l.reads[id]++; l.reads[id] >= 1 {
						a.Status = allocations.StatusCompleted
						if l.decline {
							a.Status = allocations.StatusDeclined
						} else {
							l.paid = l.paid.Add(a.Amount)
						}
					}
				}
				return 200, a
			}
		}
		return 404, map[string]any{"title": "Not found"}
	}))
}

// settle runs what the processing would finish without the client (a crashed run's
// allocations still complete on Rebilly's side).
func (l *ledger) heldAmount() money.Amount {
	l.mu.Lock()
	defer l.mu.Unlock()
	held := money.MustParse("0")
	for _, a := range l.allocs {
		if a.Status != allocations.StatusDeclined && a.Status != allocations.StatusCanceled && a.Status != allocations.StatusFailed {
			held = held.Add(a.Amount)
		}
	}
	return held
}
