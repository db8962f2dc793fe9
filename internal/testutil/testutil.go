// Package testutil holds the httpmock helpers the SDK's own tests share: a recorder that
// captures every request and answers from a scripted list of responders.
package testutil

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
)

// Recorded is one request as the mock transport saw it.
type Recorded struct {
	Method, URL string
	Header      http.Header
	Body        []byte
}

// Recorder captures requests and answers each from its list of steps in turn; the last step
// repeats. It is safe for concurrent use.
type Recorder struct {
	mu    sync.Mutex
	reqs  []Recorded
	steps []httpmock.Responder
}

// Register answers method and url on mt with steps in turn, and returns the recorder.
func Register(mt *httpmock.MockTransport, method, url string, steps ...httpmock.Responder) *Recorder {
	r := &Recorder{steps: steps}
	mt.RegisterResponder(method, url, r.respond)
	return r
}

func (r *Recorder) respond(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, Recorded{req.Method, req.URL.String(), req.Header.Clone(), body})
	step := r.steps[min(len(r.reqs), len(r.steps))-1]
	r.mu.Unlock()
	return step(req)
}

// Requests returns a copy of the requests received so far.
func (r *Recorder) Requests() []Recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Recorded(nil), r.reqs...)
}

// Count returns how many requests were received.
func (r *Recorder) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// JSON decodes a body into a generic map, keeping numbers as their exact text.
func JSON(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, b)
	}
	return m
}

// Problem returns a responder answering status with a problem-details body.
func Problem(status int, title, detail string, extra map[string]any) httpmock.Responder {
	body := map[string]any{"type": "https://api.rebilly.com/errors/" + http.StatusText(status), "title": title, "status": status}
	if detail != "" {
		body["detail"] = detail
	}
	for k, v := range extra {
		body[k] = v
	}
	return func(*http.Request) (*http.Response, error) {
		resp, err := httpmock.NewJsonResponse(status, body)
		if err == nil {
			resp.Header.Set("Content-Type", "application/problem+json")
		}
		return resp, err
	}
}
