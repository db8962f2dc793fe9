package bench

import (
	"context"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
)

type (
	sdkOp func(context.Context, *rebilly.Client, int) (result, error)
	rawOp func(context.Context, *rawClient, int) (result, error)
)

// pair runs one operation by hand (b.Run "impl=raw") and through the SDK (b.Run "impl=sdk"),
// serially, each against a server of its own. The key=value sub-names let benchstat put the
// two side by side (benchstat -col /impl). failFirst makes POST /payouts answer 503 that many
// times before each success.
func pair(b *testing.B, failFirst int, sdk sdkOp, raw rawOp, opts ...rebilly.Option) {
	b.Run("impl=raw", func(b *testing.B) {
		s := newServer(b, failFirst)
		c := newRaw(b, s)
		serial(b, s, func(ctx context.Context, i int) (result, error) { return raw(ctx, c, i) })
	})
	b.Run("impl=sdk", func(b *testing.B) {
		s := newServer(b, failFirst)
		c := newSDK(b, s, opts...)
		serial(b, s, func(ctx context.Context, i int) (result, error) { return sdk(ctx, c, i) })
	})
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

func BenchmarkPayoutRequestCreate(b *testing.B) { pair(b, 0, sdkCreatePR, rawCreatePR) }
func BenchmarkPayoutRequestUpsert(b *testing.B) { pair(b, 0, sdkUpsertPR, rawUpsertPR) }
func BenchmarkPayoutRequestGet(b *testing.B)    { pair(b, 0, sdkGetPR, rawGetPR) }
func BenchmarkPayoutCreate(b *testing.B)        { pair(b, 0, sdkCreatePayout, rawCreatePayout) }

// BenchmarkPayoutCreateRetry is a payout that succeeds on its third attempt (503, 503, 201),
// with no backoff wait, so that what is measured is the retry machinery itself.
func BenchmarkPayoutCreateRetry(b *testing.B) {
	pair(b, 2, sdkCreatePayout, rawCreatePayoutRetry, rebilly.WithRetryWait(0, 0))
}

// parallelPair runs one operation from poolSize goroutines sharing one client, by hand and
// through the SDK, and reports throughput and the connections the server accepted. Each
// goroutine numbers its own payouts, so requestIds repeat across goroutines; the canned
// server does not mind.
func parallelPair(b *testing.B, sdk sdkOp, raw rawOp) {
	b.Run("impl=raw", func(b *testing.B) {
		s := newServer(b, 0)
		c := newRaw(b, s)
		parallel(b, s, func(ctx context.Context, i int) (result, error) { return raw(ctx, c, i) })
	})
	b.Run("impl=sdk", func(b *testing.B) {
		s := newServer(b, 0)
		c := newSDK(b, s)
		parallel(b, s, func(ctx context.Context, i int) (result, error) { return sdk(ctx, c, i) })
	})
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
	conns := s.conns.Load()
	b.ReportMetric(float64(conns), "conns")
	if conns > poolSize {
		b.Errorf("the server accepted %d connections, more than the pool's %d", conns, poolSize)
	}
}

func BenchmarkParallelPayoutCreate(b *testing.B) {
	parallelPair(b, sdkCreatePayout, rawCreatePayout)
}

func BenchmarkParallelPayoutRequestGet(b *testing.B) {
	parallelPair(b, sdkGetPR, rawGetPR)
}
