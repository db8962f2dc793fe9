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
// checks that both clients decode the answer, and that the SDK and the baseline make the same
// exchange: same requests (method, path, the four headers, JSON body), same number of
// attempts, one connection.
func TestBenchmarkBodies(t *testing.T) {
	tests := []struct {
		name      string
		failFirst int
		sdk       sdkOp
		raw       rawOp
		want      result
		attempts  int
	}{
		{"PayoutRequestCreate", 0, sdkCreatePR, rawCreatePR, result{prID, "ready"}, 1},
		{"PayoutRequestUpsert", 0, sdkUpsertPR, rawUpsertPR, result{prID, "ready"}, 1},
		{"PayoutRequestGet", 0, sdkGetPR, rawGetPR, result{prID, "ready"}, 1},
		{"PayoutCreate", 0, sdkCreatePayout, rawCreatePayout, result{"txn_01HZX3Q8Y7", "completed"}, 1},
		{"PayoutCreateRetry", 2, sdkCreatePayout, rawCreatePayoutRetry, result{"txn_01HZX3Q8Y7", "completed"}, 3},
	}
	type clients struct {
		sdk *rebilly.Client
		raw *rawClient
	}
	modes := []struct {
		name    string
		network bool
		make    func(t *testing.T, sdkServer, rawServer *server) clients
	}{
		{"loopback", true, func(t *testing.T, ss, rs *server) clients {
			return clients{newSDK(t, ss, rebilly.WithRetryWait(0, 0)), newRaw(t, rs)}
		}},
		{"no-network", false, func(t *testing.T, ss, rs *server) clients {
			return clients{newNoNetSDK(t, ss, rebilly.WithRetryWait(0, 0)), newNoNetRaw(rs)}
		}},
	}
	for _, tt := range tests {
		for _, mode := range modes {
			t.Run(tt.name+"/"+mode.name, func(t *testing.T) {
				ctx := context.Background()
				sdkServer, rawServer := &server{failFirst: int64(tt.failFirst)}, &server{failFirst: int64(tt.failFirst)}
				if mode.network {
					sdkServer, rawServer = newServer(t, tt.failFirst), newServer(t, tt.failFirst)
				}
				sdkSeen, rawSeen := recorder(sdkServer), recorder(rawServer)
				c := mode.make(t, sdkServer, rawServer)

				got, err := tt.sdk(ctx, c.sdk, 7)
				if err != nil {
					t.Fatalf("sdk: %v", err)
				}
				if got != tt.want {
					t.Errorf("sdk decoded %+v, want %+v", got, tt.want)
				}
				got, err = tt.raw(ctx, c.raw, 7)
				if err != nil {
					t.Fatalf("raw: %v", err)
				}
				if got != tt.want {
					t.Errorf("raw decoded %+v, want %+v", got, tt.want)
				}

				se, re := sdkSeen(), rawSeen()
				if len(se) != tt.attempts || len(re) != tt.attempts {
					t.Fatalf("attempts: sdk %d, raw %d, want %d", len(se), len(re), tt.attempts)
				}
				for i := range se {
					if !reflect.DeepEqual(se[i], re[i]) {
						t.Errorf("attempt %d differs:\n sdk %+v\n raw %+v", i+1, se[i], re[i])
					}
				}
				if mode.network {
					for _, s := range []*server{sdkServer, rawServer} {
						if n := s.conns.Load(); n != 1 {
							t.Errorf("the server accepted %d connections for one call, want 1", n)
						}
					}
				}
			})
		}
	}
}

// TestPoolBoundsConnections makes 2,000 Gets from poolSize goroutines through one client and
// checks that the server accepted at most poolSize connections: the SDK reuses its
// transport's pool instead of dialing per request.
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
			conns := s.conns.Load()
			t.Logf("%s: %d calls from %d goroutines over %d connections", tt.name, calls, poolSize, conns)
			if conns > poolSize {
				t.Errorf("the server accepted %d connections, more than the pool size %d", conns, poolSize)
			}
		})
	}
}

type unexpected struct{ r result }

func (u *unexpected) Error() string { return "unexpected result " + u.r.ID + " " + u.r.Status }
