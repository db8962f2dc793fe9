// Package bench measures what the SDK costs on top of plain net/http.
//
// It holds no SDK code: only benchmarks and tests. Each benchmark starts its own in-process
// loopback httptest.Server that answers with canned JSON bodies like Rebilly's (a payout
// request for the payout-request operations, a credit transaction for POST /payouts) and
// counts the TCP connections it accepts. Every SDK benchmark (sub-benchmark impl=sdk) is
// paired with a hand-written baseline (impl=raw) that makes the same HTTP exchange with
// net/http and encoding/json only: same method, path, headers (REB-APIKEY, Content-Type,
// Accept, User-Agent) and JSON body, response decoded into map[string]any, over a transport
// built by the same function and an http.Client with the SDK's default timeout.
// TestBenchmarkBodies checks that the two exchanges are identical.
//
//	BenchmarkPayoutRequestCreate, BenchmarkPayoutRequestUpsert, BenchmarkPayoutRequestGet,
//	BenchmarkPayoutCreate           one call at a time over loopback
//	BenchmarkPayoutCreateRetry      a payout answered 503, 503, then 201, with no backoff wait
//	BenchmarkParallelPayoutCreate,
//	BenchmarkParallelPayoutRequestGet  64 goroutines sharing one client; ops/s and conns
//	BenchmarkNoNetwork...           the serial four with the handler called in-process, no
//	                                connection: the client's own CPU cost
//	BenchmarkAllPayoutRequests      PayoutRequests.All through 10,000 payout requests served
//	                                by rebillytest over loopback (no raw baseline: net/http
//	                                alone cannot page past the offset cap); requests/op
//
// The connection bound is asserted by TestPoolBoundsConnections, since it is a count and not
// a time. Run the benchmarks and compare the two implementations with
//
//	go test -run=NONE -bench=. -benchmem -count=6 ./bench/ | tee /tmp/bench.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl /tmp/bench.txt
//
// BENCHMARKS.md at the repository root records the results.
package bench
