package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	rebilly "github.com/paysdk/rebilly"
)

// inMemory is a RoundTripper that hands each request to the server's handler directly, with
// no connection at all: the benchmarks that use it measure the client's own CPU cost, the
// figure a merchant would see if the network and Rebilly were free.
type inMemory struct{ s *server }

func (t inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	if r.Body == nil { // a server's request always has a body
		sr := *r
		sr.Body = http.NoBody
		t.s.serve(rec, &sr)
	} else {
		t.s.serve(rec, r)
		r.Body.Close()
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// noNetURL is a loopback root that nothing listens on; inMemory never dials it.
const noNetURL = "http://127.0.0.1:9"

func newNoNetSDK(tb testing.TB, s *server, opts ...rebilly.Option) *rebilly.Client {
	tb.Helper()
	base := []rebilly.Option{rebilly.WithAPIKey(apiKey), rebilly.WithOrganizationID(orgID),
		rebilly.WithBaseURL(noNetURL), rebilly.WithHTTPClient(&http.Client{Transport: inMemory{s}})}
	c, err := rebilly.NewClient(append(base, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func newNoNetRaw(s *server) *rawClient {
	return &rawClient{
		hc:   &http.Client{Transport: inMemory{s}, Timeout: rebilly.DefaultAttemptTimeout},
		base: noNetURL + prefix,
		ua:   sdkUserAgent,
	}
}

// noNetCompare is compare without the network: the same handler answers in the same
// goroutine.
func noNetCompare(b *testing.B, sdk sdkOp, typed, raw rawOp) {
	for _, im := range noNetImpls(sdk, typed, raw) {
		b.Run("impl="+im.name, func(b *testing.B) {
			s := &server{}
			serial(b, s, im.call(b, s))
		})
	}
}

// noNetImpls is impls with clients that call the handler in-process.
func noNetImpls(sdk sdkOp, typed, raw rawOp, opts ...rebilly.Option) []impl {
	var out []impl
	if typed != nil {
		out = append(out, impl{"typed", func(_ testing.TB, s *server) func(context.Context, int) (result, error) {
			c := newNoNetRaw(s)
			return func(ctx context.Context, i int) (result, error) { return typed(ctx, c, i) }
		}})
	}
	return append(out,
		impl{"sdk", func(tb testing.TB, s *server) func(context.Context, int) (result, error) {
			c := newNoNetSDK(tb, s, opts...)
			return func(ctx context.Context, i int) (result, error) { return sdk(ctx, c, i) }
		}},
		impl{"map", func(_ testing.TB, s *server) func(context.Context, int) (result, error) {
			c := newNoNetRaw(s)
			return func(ctx context.Context, i int) (result, error) { return raw(ctx, c, i) }
		}})
}

func BenchmarkNoNetworkPayoutRequestCreate(b *testing.B) {
	noNetCompare(b, sdkCreatePR, typedCreatePR, rawCreatePR)
}

func BenchmarkNoNetworkPayoutRequestUpsert(b *testing.B) {
	noNetCompare(b, sdkUpsertPR, typedUpsertPR, rawUpsertPR)
}

func BenchmarkNoNetworkPayoutRequestGet(b *testing.B) {
	noNetCompare(b, sdkGetPR, typedGetPR, rawGetPR)
}

func BenchmarkNoNetworkPayoutCreate(b *testing.B) {
	noNetCompare(b, sdkCreatePayout, typedCreatePayout, rawCreatePayout)
}

func BenchmarkNoNetworkPayoutGet(b *testing.B) {
	noNetCompare(b, sdkGetPayout, typedGetPayout, rawGetPayout)
}
