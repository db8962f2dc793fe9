package bench

import (
	"context"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
)

type (
	sdkOp func(context.Context, *rebilly.Client, int) (result, error)
	// rawOp is a hand-written operation: typed (the baseline) or map (the second reference).
	rawOp func(context.Context, *rawClient, int) (result, error)
)

// impl is one way of making a call: its sub-benchmark name and a constructor of the call
// against a server.
type impl struct {
	name string
	call func(tb testing.TB, s *server) func(context.Context, int) (result, error)
}

// impls lists the ways one operation is made, the baseline first: by hand with a typed
// decode ("typed"), through the SDK ("sdk"), and by hand into map[string]any ("map", the
// second reference). Without a typed op, the baseline is left out.
func impls(sdk sdkOp, typed, raw rawOp, opts ...rebilly.Option) []impl {
	var out []impl
	if typed != nil {
		out = append(out, impl{"typed", func(tb testing.TB, s *server) func(context.Context, int) (result, error) {
			c := newRaw(tb, s)
			return func(ctx context.Context, i int) (result, error) { return typed(ctx, c, i) }
		}})
	}
	return append(out,
		impl{"sdk", func(tb testing.TB, s *server) func(context.Context, int) (result, error) {
			c := newSDK(tb, s, opts...)
			return func(ctx context.Context, i int) (result, error) { return sdk(ctx, c, i) }
		}},
		impl{"map", func(tb testing.TB, s *server) func(context.Context, int) (result, error) {
			c := newRaw(tb, s)
			return func(ctx context.Context, i int) (result, error) { return raw(ctx, c, i) }
		}})
}

// compare runs one operation each way impls lists, serially, each against a server of its
// own. The key=value sub-names (impl=typed, impl=sdk, impl=map) let benchstat put them side
// by side (benchstat -col /impl), with the first, typed, as the base. failFirst makes POST
// /payouts answer 503 that many times before each success.
func compare(b *testing.B, failFirst int, sdk sdkOp, typed, raw rawOp, opts ...rebilly.Option) {
	for _, im := range impls(sdk, typed, raw, opts...) {
		b.Run("impl="+im.name, func(b *testing.B) {
			s := newServer(b, failFirst)
			serial(b, s, im.call(b, s))
		})
	}
}

func serial(b *testing.B, s *server, call func(context.Context, int) (result, error)) {
	ctx := context.Background()
	b.ReportAllocs()
	cpu0, cpuOK := cpuTime()
	n := 0
	for ; b.Loop(); n++ {
		if _, err := call(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportCPU(b, cpu0, cpuOK, n)
	if s.Server != nil { // the no-network benchmarks have no listener
		b.ReportMetric(float64(s.conns.Load()), "conns")
	}
}

// reportCPU reports the process CPU time per operation (cpu-ns/op), both ends and the
// runtime included: 1e9 / cpu-ns/op is how many operations one core sustains.
func reportCPU(b *testing.B, cpu0 time.Duration, ok bool, n int) {
	cpu1, ok1 := cpuTime()
	if ok && ok1 && n > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/op")
	}
}

func BenchmarkPayoutRequestCreate(b *testing.B) {
	compare(b, 0, sdkCreatePR, typedCreatePR, rawCreatePR)
}

func BenchmarkPayoutRequestUpsert(b *testing.B) {
	compare(b, 0, sdkUpsertPR, typedUpsertPR, rawUpsertPR)
}

func BenchmarkPayoutRequestGet(b *testing.B) { compare(b, 0, sdkGetPR, typedGetPR, rawGetPR) }

func BenchmarkPayoutCreate(b *testing.B) {
	compare(b, 0, sdkCreatePayout, typedCreatePayout, rawCreatePayout)
}

func BenchmarkPayoutGet(b *testing.B) { compare(b, 0, sdkGetPayout, typedGetPayout, rawGetPayout) }

// BenchmarkPayoutCreateRetry is a payout that succeeds on its third attempt (503, 503, 201),
// with no backoff wait, so that what is measured is the retry machinery itself.
func BenchmarkPayoutCreateRetry(b *testing.B) {
	compare(b, 2, sdkCreatePayout, typedCreatePayoutRetry, rawCreatePayoutRetry, rebilly.WithRetryWait(0, 0))
}

// parallelCompare runs one operation from poolSize goroutines sharing one client, each way
// impls lists, and reports throughput and the connections the server accepted. Each
// goroutine numbers its own payouts, so requestIds repeat across goroutines; the canned
// server does not mind.
func parallelCompare(b *testing.B, sdk sdkOp, typed, raw rawOp) {
	for _, im := range impls(sdk, typed, raw) {
		b.Run("impl="+im.name, func(b *testing.B) {
			s := newServer(b, 0)
			parallel(b, s, im.call(b, s))
		})
	}
}

func parallel(b *testing.B, s *server, call func(context.Context, int) (result, error)) {
	ctx := context.Background()
	var fail firstErr
	b.ReportAllocs()
	b.SetParallelism(parallelism())
	b.ResetTimer()
	cpu0, cpuOK := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if _, err := call(ctx, i); err != nil {
				fail.set(err)
				return
			}
		}
	})
	b.StopTimer()
	reportCPU(b, cpu0, cpuOK, b.N)
	if fail.err != nil {
		b.Fatal(fail.err)
	}
	if secs := b.Elapsed().Seconds(); secs > 0 {
		b.ReportMetric(float64(b.N)/secs, "ops/s")
	}
	conns, closed, ok := s.withinPool()
	b.ReportMetric(float64(conns), "conns")
	if !ok {
		b.Errorf("the server accepted %d connections, more than the pool's %d and at most %d that replaced one of the %d closed", conns, poolSize, maxReplaced, closed)
	}
}

func BenchmarkParallelPayoutRequestCreate(b *testing.B) {
	parallelCompare(b, sdkCreatePR, typedCreatePR, rawCreatePR)
}

func BenchmarkParallelPayoutRequestUpsert(b *testing.B) {
	parallelCompare(b, sdkUpsertPR, typedUpsertPR, rawUpsertPR)
}

func BenchmarkParallelPayoutRequestGet(b *testing.B) {
	parallelCompare(b, sdkGetPR, typedGetPR, rawGetPR)
}

func BenchmarkParallelPayoutCreate(b *testing.B) {
	parallelCompare(b, sdkCreatePayout, typedCreatePayout, rawCreatePayout)
}

func BenchmarkParallelPayoutGet(b *testing.B) {
	parallelCompare(b, sdkGetPayout, typedGetPayout, rawGetPayout)
}
