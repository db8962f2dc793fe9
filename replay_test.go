package rebilly

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/paysdk/rebilly/payoutrequests"
)

// replayingTransport stands for any transport under the client that repeats a request on
// its own when it can rewind the body, as Go's HTTP/2 transport does after a stream reset
// (and its HTTP/1 transport for requests it deems replayable).
type replayingTransport struct {
	next          http.RoundTripper
	sent, rewound atomic.Int32
}

func (t *replayingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.sent.Add(1)
	_, seekable := req.Body.(io.Seeker)
	if req.GetBody != nil || seekable {
		// It could replay: do so, as a transport would after a reset it blames on the peer.
		t.rewound.Add(1)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			again := req.Clone(req.Context())
			again.Body = body
			if resp, err := t.next.RoundTrip(again); err == nil {
				resp.Body.Close()
			}
		}
	}
	return t.next.RoundTrip(req)
}

// TestNoTransportCanReplayACall: the request a transport gets has no GetBody and a body it
// cannot seek, for every operation, so nothing under the retry policy can send it twice.
func TestNoTransportCanReplayACall(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	rt := &replayingTransport{next: mt}
	c, _, _ := setup(t, WithHTTPClient(&http.Client{Transport: rt}))
	mt.RegisterResponder(http.MethodPost, testServer+"/payout-requests", httpmock.NewStringResponder(201, created))
	mt.RegisterResponder(http.MethodPut, testServer+"/payout-requests/pr_1", httpmock.NewStringResponder(200, created))
	mt.RegisterResponder(http.MethodGet, testServer+"/payout-requests/pr_1", httpmock.NewStringResponder(200, created))
	mt.RegisterResponder(http.MethodPost, testServer+"/payouts", httpmock.NewStringResponder(201, created))
	mt.RegisterResponder(http.MethodPost, testServer+"/payout-requests/pr_1/cancel", httpmock.NewStringResponder(200, created))

	ctx := context.Background()
	if _, err := c.PayoutRequests.Create(ctx, payoutRequest()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayoutRequests.Upsert(ctx, "pr_1", payoutRequestUpsert()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayoutRequests.Get(ctx, "pr_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Payouts.Create(ctx, payout()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayoutRequests.Cancel(ctx, "pr_1", payoutrequests.CancelParams{}); err != nil {
		t.Fatal(err)
	}
	if rt.rewound.Load() != 0 || rt.sent.Load() != 5 || mt.GetTotalCallCount() != 5 {
		t.Fatalf("the transport could rewind %d of %d requests; the server saw %d", rt.rewound.Load(), rt.sent.Load(), mt.GetTotalCallCount())
	}
}
