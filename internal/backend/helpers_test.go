package backend

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/paysdk/rebilly/gen"
)

// step is one scripted attempt: an answer, or a transport error.
type step struct {
	status int
	header http.Header
	body   string
	cutAt  int // >0: the body fails with io.ErrUnexpectedEOF after this many bytes
	err    error
}

func answer(status int, body string, kv ...string) step {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return step{status: status, header: h, body: body}
}

// script is an in-memory transport that plays steps in order and records each request.
type script struct {
	mu     sync.Mutex
	steps  []step
	bodies []string
}

func (s *script) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	s.bodies = append(s.bodies, string(body))
	if len(s.steps) == 0 {
		return nil, errors.New("script: no more steps")
	}
	st := s.steps[0]
	s.steps = s.steps[1:]
	if st.err != nil {
		return nil, st.err
	}
	var rb io.Reader = strings.NewReader(st.body)
	if st.cutAt > 0 {
		rb = io.MultiReader(strings.NewReader(st.body[:st.cutAt]), errReader{io.ErrUnexpectedEOF})
	}
	return &http.Response{StatusCode: st.status, Header: st.header.Clone(), Body: io.NopCloser(rb), Request: req}, nil
}

func (s *script) sent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// testBackend returns a Backend over the script whose waits are recorded, not slept.
func testBackend(s *script, waits *[]time.Duration) *Backend {
	return New(Config{
		Server:           "https://rebilly.test/organizations/o/",
		HTTPClient:       &http.Client{Transport: s},
		MaxRetries:       3,
		RetryWaitMin:     100 * time.Millisecond,
		RetryWaitMax:     2 * time.Second,
		MaxServerWait:    30 * time.Second,
		MaxResponseBytes: 1 << 16,
		Now:              func() time.Time { return testNow },
		Jitter:           func() float64 { return 0 },
		Wait: func(d time.Duration) time.Duration {
			if waits != nil {
				*waits = append(*waits, d)
			}
			return 0
		},
	})
}

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func prID(pr *gen.PayoutRequest) string { return pr.ID }

// sendPR sends a payout-request-shaped call of the class through b.
func sendPR(ctx context.Context, b *Backend, class RetryClass) (*gen.PayoutRequest, error) {
	call := Call[gen.PayoutRequest]{Op: "POST /payout-requests", Class: class, Collection: "payout-requests", ID: prID, Recovery: "look it up"}
	return Send(ctx, b, call, nil, func(server string) (*http.Request, error) {
		return http.NewRequest(http.MethodPost, server+"payout-requests", bytes.NewReader([]byte(`{"amount":1}`)))
	})
}

const prBody = `{"id":"pout_req_1","websiteId":"w","customerId":"c","currency":"USD","amount":10.50}`
