package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	rebilly "github.com/paysdk/rebilly"
)

// exchange is one request as the server saw it.
type exchange struct {
	method, path string
	header       http.Header
	body         any // decoded JSON with json.Number amounts, nil when there was none
}

func recorder(s *server) func() []exchange {
	var mu sync.Mutex
	var seen []exchange
	s.record = func(r *http.Request, body []byte) {
		e := exchange{method: r.Method, path: r.URL.Path, header: http.Header{}}
		for _, k := range []string{"REB-APIKEY", "Content-Type", "Accept", "User-Agent"} {
			if v := r.Header.Values(k); len(v) > 0 {
				e.header[k] = v
			}
		}
		if len(body) > 0 {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber() // compare amounts as the exact text sent
			if err := dec.Decode(&e.body); err != nil {
				e.body = "not JSON: " + string(body)
			}
		}
		mu.Lock()
		seen = append(seen, e)
		mu.Unlock()
	}
	return func() []exchange {
		mu.Lock()
		defer mu.Unlock()
		return append([]exchange(nil), seen...)
	}
}

// TestBenchmarkBodies runs every benchmark body once, over loopback and without a network,
// checks that every client decodes the answer, and that the SDK and both hand-written
// baselines make the same exchange: same requests (method, path, the four headers, JSON
// body), same number of attempts, one connection.
func TestBenchmarkBodies(t *testing.T) {
	for _, tt := range operations {
		for _, mode := range modes {
			t.Run(tt.name+"/"+mode.name, func(t *testing.T) {
				ctx := context.Background()
				var first []exchange
				for _, im := range mode.impls(tt.sdk, tt.typed, tt.raw, rebilly.WithRetryWait(0, 0)) {
					s := mode.server(t, tt.failFirst)
					seen := recorder(s)
					got, err := im.call(t, s)(ctx, 7)
					if err != nil {
						t.Fatalf("%s: %v", im.name, err)
					}
					if got != tt.want {
						t.Errorf("%s decoded %+v, want %+v", im.name, got, tt.want)
					}
					ex := seen()
					if len(ex) != tt.attempts {
						t.Fatalf("%s: %d attempts, want %d", im.name, len(ex), tt.attempts)
					}
					if first == nil {
						first = ex
					}
					for i := range ex {
						if !reflect.DeepEqual(ex[i], first[i]) {
							t.Errorf("attempt %d differs:\n %s %+v\n typed %+v", i+1, im.name, ex[i], first[i])
						}
					}
					if n := s.conns.Load(); s.Server != nil && n != 1 {
						t.Errorf("%s: the server accepted %d connections for one call, want 1", im.name, n)
					}
				}
			})
		}
	}
}

// TestPoolBoundsConnections makes 2,000 Gets from poolSize goroutines through one client and
// checks that the server accepted at most poolSize connections, plus one for each that was
// closed (see withinPool): the SDK reuses its transport's pool instead of dialing per request.
func TestPoolBoundsConnections(t *testing.T) {
	const calls = 2000
	for _, tt := range []struct {
		name string
		get  func(t *testing.T, s *server) func(context.Context) (result, error)
	}{
		{"sdk", func(t *testing.T, s *server) func(context.Context) (result, error) {
			c := newSDK(t, s)
			return func(ctx context.Context) (result, error) { return sdkGetPR(ctx, c, 0) }
		}},
		{"raw", func(t *testing.T, s *server) func(context.Context) (result, error) {
			c := newRaw(t, s)
			return func(ctx context.Context) (result, error) { return rawGetPR(ctx, c, 0) }
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, 0)
			get := tt.get(t, s)
			var next atomic.Int64
			var fail firstErr
			var wg sync.WaitGroup
			for range poolSize {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= calls {
						r, err := get(context.Background())
						if err == nil && r.ID != prID {
							err = &unexpected{r}
						}
						if err != nil {
							fail.set(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			if fail.err != nil {
				t.Fatal(fail.err)
			}
			if n := s.requests.Load(); n != calls {
				t.Errorf("the server answered %d requests, want %d", n, calls)
			}
			conns, closed, ok := s.withinPool()
			t.Logf("%s: %d calls from %d goroutines over %d connections (%d closed)", tt.name, calls, poolSize, conns, closed)
			if !ok {
				t.Errorf("the server accepted %d connections, more than the pool size %d and at most %d that replaced one of the %d closed", conns, poolSize, maxReplaced, closed)
			}
		})
	}
}

type unexpected struct{ r result }

func (u *unexpected) Error() string { return "unexpected result " + u.r.ID + " " + u.r.Status }
