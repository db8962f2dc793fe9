// Package bench measures what the SDK costs on top of plain net/http.
//
// It holds no SDK code: only benchmarks and tests. Each benchmark starts its own in-process
// loopback httptest.Server that answers with canned JSON bodies like Rebilly's (a payout
// request for the payout-request operations, a credit transaction for POST /payouts and GET
// /transactions/{id}) and counts the TCP connections it accepts. Every operation is made three
// ways, as sub-benchmarks:
//
//	impl=typed  the baseline: the call a Go developer writes by hand with net/http and
//	            encoding/json, with the same three headers (REB-APIKEY, Accept, User-Agent;
//	            Content-Type with a body), an http.Client whose Timeout is the SDK's default
//	            (30 s), a read bounded at 10 MiB, a status check and json.Unmarshal into the
//	            SDK's own result type (payoutrequests.PayoutRequest, payouts.Transaction)
//	impl=sdk    the SDK
//	impl=map    the same hand-written call reading the whole body and decoding into
//	            map[string]any: a second reference, slower than typed
//
// All three go over a transport built by the same function. TestBenchmarkBodies checks that
// their exchanges are identical, and TestAllocationBudget that the SDK allocates at most
// allocBudget (10) more times per call than the typed baseline, on every operation, over
// loopback and in-process.
//
//	BenchmarkPayoutRequestCreate, BenchmarkPayoutRequestUpsert, BenchmarkPayoutRequestGet,
//	BenchmarkPayoutCreate, BenchmarkPayoutGet   one call at a time over loopback
//	BenchmarkPayoutCreateRetry      a payout answered 503, 503, then 201, with no backoff wait
//	BenchmarkParallel...            the same five, 64 goroutines sharing one client; ops/s and
//	                                conns
//	BenchmarkNoNetwork...           the same five with the handler called in-process, no
//	                                connection: the client's own CPU cost
//	BenchmarkAllPayoutRequests      PayoutRequests.All through 10,000 payout requests served
//	                                by rebillytest over loopback (no raw baseline: net/http
//	                                alone cannot page past the offset cap); requests/op
//
// The connection bound is asserted by TestPoolBoundsConnections, since it is a count and not
// a time. BENCHMARKS.md at the repository root gives the commands (interleaved runs compared
// with benchstat -col /impl) and records the results.
package bench
