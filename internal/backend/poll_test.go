package backend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/paysdk/rebilly/gen"
)

func getPR(b *Backend) func(context.Context) (*gen.PayoutRequest, error) {
	return func(ctx context.Context) (*gen.PayoutRequest, error) {
		call := Call[gen.PayoutRequest]{Op: "GET /payout-requests/{id}", Class: Read, ID: prID}
		return Send(ctx, b, call, nil, func(server string) (*http.Request, error) {
			return http.NewRequest(http.MethodGet, server+"payout-requests/pout_req_1", nil)
		})
	}
}

func pending(n int) []step {
	var steps []step
	for range n {
		steps = append(steps, answer(200, `{"id":"pout_req_1","status":"pending"}`))
	}
	return steps
}

func isFulfilled(pr *gen.PayoutRequest) bool { return pr.Status == "fulfilled" }

// TestPollReadsNoMoreThanTheBackoffImplies: with an injected clock, each wait is the
// client's backoff (min doubling to max), and the number of reads is one per wait plus one.
func TestPollReadsNoMoreThanTheBackoffImplies(t *testing.T) {
	var waits []time.Duration
	s := &script{steps: append(pending(6), answer(200, `{"id":"pout_req_1","status":"fulfilled"}`))}
	b := testBackend(s, &waits)
	b.cfg.MaxRetries = 0
	pr, err := Poll(context.Background(), b, getPR(b), isFulfilled)
	if err != nil || pr.Status != "fulfilled" {
		t.Fatalf("got %+v, %v", pr, err)
	}
	// Jitter 0: half of each ceiling, never below min (100 ms); ceilings 100, 200, 400, 800,
	// 1600, 2000 ms.
	want := "[100ms 100ms 200ms 400ms 800ms 1s]"
	if fmt.Sprint(waits) != want || s.sent() != 7 {
		t.Fatalf("waits %v after %d reads; want %s after 7", waits, s.sent(), want)
	}
}

func TestPollReturnsAtOnceWhenDone(t *testing.T) {
	var waits []time.Duration
	s := &script{steps: []step{answer(200, `{"id":"pout_req_1","status":"fulfilled"}`)}}
	b := testBackend(s, &waits)
	if _, err := Poll(context.Background(), b, getPR(b), isFulfilled); err != nil || s.sent() != 1 || len(waits) != 0 {
		t.Fatalf("err %v, %d reads, waits %v", err, s.sent(), waits)
	}
}

// TestPollHonoursHintsAndWaitsOutTransientFailures: a 429 asking for 7 s makes that wait 7 s;
// a 500 and a reset are waited out; a 404 ends the poll.
func TestPollHonoursHintsAndWaitsOutTransientFailures(t *testing.T) {
	var waits []time.Duration
	hint := strconv.FormatInt(testNow.Add(7*time.Second).Unix(), 10)
	s := &script{steps: []step{
		answer(429, "", "X-RateLimit-Retry-After", hint),
		answer(500, ""),
		{err: resetErr},
		answer(200, `{"id":"pout_req_1","status":"fulfilled"}`),
	}}
	b := testBackend(s, &waits)
	b.cfg.MaxRetries = 0
	if _, err := Poll(context.Background(), b, getPR(b), isFulfilled); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(waits) != "[7s 100ms 200ms]" {
		t.Errorf("waits %v", waits)
	}

	s = &script{steps: []step{answer(404, `{"title":"Not found"}`)}}
	b = testBackend(s, nil)
	b.cfg.MaxRetries = 0
	if _, err := Poll(context.Background(), b, getPR(b), isFulfilled); err == nil || s.sent() != 1 {
		t.Fatalf("404: err %v after %d reads", err, s.sent())
	}
}

func TestPollStopsWhenTheContextEnds(t *testing.T) {
	s := &script{steps: pending(100)}
	b := testBackend(s, nil)
	ctx, cancel := context.WithCancel(context.Background())
	reads := 0
	read := func(ctx context.Context) (*gen.PayoutRequest, error) {
		reads++
		if reads == 3 {
			cancel()
		}
		return getPR(b)(ctx)
	}
	last, err := Poll(ctx, b, read, isFulfilled)
	if !errors.Is(err, context.Canceled) || last == nil || last.Status != "pending" || reads != 3 {
		t.Fatalf("last %+v, err %v after %d reads", last, err, reads)
	}
}
