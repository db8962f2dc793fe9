package rebilly

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"github.com/paysdk/rebilly/internal/h2test"
)

// TestHTTP2ResetsNeverReplayAWrite runs the client over real HTTP/2 (TLS, ALPN) against a
// server that processes each request and then resets its stream. Go's HTTP/2 transport
// replays a request after a peer's PROTOCOL_ERROR or REFUSED_STREAM whenever it can rewind
// the body; the client must give it no way to, so a POST /payout-requests arrives once and
// ends outcome-unknown, and a payout is repeated only by the retry policy, with its requestId.
func TestHTTP2ResetsNeverReplayAWrite(t *testing.T) {
	t.Parallel()
	const body = `{"id":"res_1","websiteId":"web_1","customerId":"cus_1","currency":"USD","amount":10.00}`
	for _, code := range []http2.ErrCode{http2.ErrCodeProtocol, http2.ErrCodeRefusedStream} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			tests := []struct {
				name    string
				resets  int // the first resets requests are reset after being received
				call    func(context.Context, *Client) error
				want    error
				arrived int
			}{
				{"payout request: one reset", 1, func(ctx context.Context, c *Client) error {
					_, err := c.PayoutRequests.Create(ctx, payoutRequest())
					return err
				}, ErrOutcomeUnknown, 1},
				{"payout request: a reset on every attempt", 1000, func(ctx context.Context, c *Client) error {
					_, err := c.PayoutRequests.Create(ctx, payoutRequest())
					return err
				}, ErrOutcomeUnknown, 1},
				{"payout: retried by the policy, same requestId", 1, func(ctx context.Context, c *Client) error {
					_, err := c.Payouts.Create(ctx, payout())
					return err
				}, nil, 2},
				{"upsert: retried by the policy", 2, func(ctx context.Context, c *Client) error {
					_, err := c.PayoutRequests.Upsert(ctx, "pr_1", payoutRequestUpsert())
					return err
				}, nil, 3},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					srv := h2test.NewServer(t, func(n int, r h2test.Request) h2test.Reply {
						if n <= tt.resets {
							return h2test.Reply{Reset: code}
						}
						return h2test.Reply{Status: http.StatusCreated, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}
					})
					w := &waits{}
					c, err := NewClient(WithAPIKey(testKey), WithOrganizationID(testOrg), WithBaseURL(srv.URL()),
						WithHTTPClient(srv.Client()), withTestClock(time.Now(), w))
					if err != nil {
						t.Fatal(err)
					}
					defer c.CloseIdleConnections()
					ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
					defer cancel()
					err = tt.call(ctx, c)
					if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
						t.Fatalf("err = %v, want %v", err, tt.want)
					}
					reqs := srv.Requests()
					if len(reqs) != tt.arrived {
						t.Fatalf("the server received %d requests, want %d", len(reqs), tt.arrived)
					}
					for _, r := range reqs[1:] {
						if r.Header.Get("REB-APIKEY") == "" || string(r.Body) != string(reqs[0].Body) {
							t.Errorf("attempts differ: %q vs %q", r.Body, reqs[0].Body)
						}
					}
				})
			}
		})
	}
}
