package bench

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
)

const (
	orgID  = "org_bench"
	apiKey = "sk_sandbox_bench_0123456789abcdef"
	prID   = "pr_bench_01HZX3Q8Y7"
	txID   = "txn_01HZX3Q8Y7"

	// poolSize bounds the connections each client may open to the server: it is both
	// MaxIdleConnsPerHost and MaxConnsPerHost of every transport here, and the goroutine count
	// of the parallel benchmarks.
	poolSize = 64
)

// payoutRequestBody is a payout request as Rebilly returns it from POST, PUT and GET
// /payout-requests.
const payoutRequestBody = `{"id":"` + prID + `","websiteId":"web_bench","customerId":"cus_01HZX3Q8Y7","currency":"USD",` +
	`"amount":1250.50,"availableAmount":1250.50,"status":"ready","blocked":false,` +
	`"description":"Withdrawal W-000123","paymentInstrumentId":"inst_01HZX3Q8Y7",` +
	`"selectPaymentInstrumentUrl":"https://payouts.secure-link.rebilly.com/` + prID + `",` +
	`"selectedPaymentInstrumentRedirectUrl":"https://shop.example/payouts/done?pr={{id}}",` +
	`"allocations":[],"createdTime":"2026-11-24T12:00:00Z","updatedTime":"2026-11-24T12:00:01Z",` +
	`"_links":[{"rel":"self","href":"https://api-sandbox.rebilly.com/organizations/` + orgID + `/payout-requests/` + prID + `"}]}`

// transactionBody is the credit transaction Rebilly returns from POST /payouts and GET
// /transactions/{id}.
const transactionBody = `{"id":"txn_01HZX3Q8Y7","type":"credit","status":"completed","result":"approved",` +
	`"amount":1250.50,"currency":"USD","requestAmount":1250.50,"requestCurrency":"USD",` +
	`"purchaseAmount":1250.50,"purchaseCurrency":"USD","customerId":"cus_01HZX3Q8Y7","websiteId":"web_bench",` +
	`"organizationId":"` + orgID + `","requestId":"bench-0","payoutRequestId":"` + prID + `",` +
	`"gatewayAccountId":"gw_acc_01HZX3Q8Y7","gatewayName":"TestProcessor","gatewayTransactionId":"gw-txn-9f2c",` +
	`"description":"Withdrawal W-000123","notificationUrl":"https://shop.example/hooks/payouts/{id}?result={result}",` +
	`"billingAddress":{"firstName":"Ada","lastName":"Lovelace","address":"1 Main St","city":"London","country":"GB","postalCode":"N1 9GU"},` +
	`"isProcessedOutside":false,"isMerchantInitiated":true,"isRebill":false,"isRetry":false,"hadDiscrepancy":false,` +
	`"riskScore":12,"revision":1,"velocity":1,` +
	`"createdTime":"2026-11-24T12:00:00Z","updatedTime":"2026-11-24T12:00:01Z","processedTime":"2026-11-24T12:00:01Z",` +
	`"_links":[{"rel":"self","href":"https://api-sandbox.rebilly.com/organizations/` + orgID + `/transactions/txn_01HZX3Q8Y7"}]}`

// problemBody is what Rebilly sends with a 503.
const problemBody = `{"type":"https://api.rebilly.com/errors/service-unavailable","title":"Service Unavailable","status":503}`

// server is a loopback stand-in for Rebilly's API.
type server struct {
	*httptest.Server
	conns    atomic.Int64 // TCP connections accepted
	closed   atomic.Int64 // TCP connections closed (by either end)
	requests atomic.Int64 // requests answered
	// failFirst makes POST /payouts answer 503 to that many attempts before each success,
	// counting requests in arrival order (so it is only meaningful for serial callers).
	failFirst int64
	// record, when set, sees each request with its body (tests only).
	record func(r *http.Request, body []byte)
}

// newServer starts a server that is closed when tb ends.
func newServer(tb testing.TB, failFirst int) *server {
	tb.Helper()
	s := &server{failFirst: int64(failFirst)}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			s.conns.Add(1)
		case http.StateClosed, http.StateHijacked:
			s.closed.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

const prefix = "/organizations/" + orgID

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if s.record != nil {
		s.record(r, body)
	}
	if r.Header.Get("REB-APIKEY") != apiKey {
		writeJSON(w, http.StatusUnauthorized, `{"title":"Unauthorized","status":401}`)
		return
	}
	path := r.URL.Path
	switch {
	case path == prefix+"/payouts" && r.Method == http.MethodPost:
		if s.failFirst > 0 && (n-1)%(s.failFirst+1) < s.failFirst {
			writeJSON(w, http.StatusServiceUnavailable, problemBody)
			return
		}
		writeJSON(w, http.StatusCreated, transactionBody)
	case path == prefix+"/payout-requests" && r.Method == http.MethodPost:
		writeJSON(w, http.StatusCreated, payoutRequestBody)
	case strings.HasPrefix(path, prefix+"/payout-requests/") && (r.Method == http.MethodGet || r.Method == http.MethodPut):
		writeJSON(w, http.StatusOK, payoutRequestBody)
	case path == prefix+"/transactions/"+txID && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, transactionBody)
	default:
		writeJSON(w, http.StatusNotFound, `{"title":"Not Found","status":404}`)
	}
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	h := w.Header()
	if code >= 400 {
		h.Set("Content-Type", "application/problem+json")
	} else {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

// withinPool reports whether the server accepted no more connections than the pool holds,
// beyond one for each connection that was closed, and whether few were: a transport never
// has more than poolSize open (MaxConnsPerHost), but it may give one up and dial another.
// net/http's transport does so, rarely, when it has read a whole answer yet its write
// goroutine has not reported the request written within 50 ms (maxWriteWaitBeforeConnReuse,
// which Go's own tests raise "to avoid flakiness from inconsistent recycling of
// connections"): with 64 goroutines on 2 busy cores that happens, and a client then accepted
// 65 connections over a run, never more than 64 at a time. A client that dialed per request
// would close thousands; at most maxReplaced may be. The server learns of a close a moment
// after the client's transport has counted it, so withinPool waits up to a second for the
// counts to settle.
func (s *server) withinPool() (accepted, closed int64, ok bool) {
	deadline := time.Now().Add(time.Second)
	for {
		accepted, closed = s.conns.Load(), s.closed.Load()
		if accepted <= poolSize+min(closed, maxReplaced) {
			return accepted, closed, true
		}
		if time.Now().After(deadline) {
			return accepted, closed, false
		}
		time.Sleep(time.Millisecond)
	}
}

// maxReplaced is how many connections withinPool lets a run replace.
const maxReplaced = 8

// newTransport is the one transport configuration that SDK and raw clients share: a pool of
// poolSize connections to the host, none beyond it.
func newTransport(tb testing.TB) *http.Transport {
	tb.Helper()
	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          poolSize,
		MaxIdleConnsPerHost:   poolSize,
		MaxConnsPerHost:       poolSize,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second,
	}
	// Registered after the server's Close, so it runs first: the client's keep-alive
	// goroutines end before the test's goroutines are checked for leaks.
	tb.Cleanup(tr.CloseIdleConnections)
	return tr
}

// newSDK returns an SDK client talking to s through its own transport.
func newSDK(tb testing.TB, s *server, opts ...rebilly.Option) *rebilly.Client {
	tb.Helper()
	base := []rebilly.Option{
		rebilly.WithAPIKey(apiKey),
		rebilly.WithOrganizationID(orgID),
		rebilly.WithBaseURL(s.URL),
		rebilly.WithHTTPClient(&http.Client{Transport: newTransport(tb)}),
	}
	c, err := rebilly.NewClient(append(base, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// sdkUserAgent is the User-Agent the SDK sends; the raw client sends the same.
var sdkUserAgent = fmt.Sprintf("rebilly-go/%s (%s; %s/%s)", rebilly.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)

// newRaw returns the hand-written baseline client talking to s through its own transport.
// Its http.Client has the SDK's default per-attempt timeout, as the SDK's has.
func newRaw(tb testing.TB, s *server) *rawClient {
	tb.Helper()
	return &rawClient{
		hc:   &http.Client{Transport: newTransport(tb), Timeout: rebilly.DefaultAttemptTimeout},
		base: s.URL + prefix,
		ua:   sdkUserAgent,
	}
}

// parallelism returns the b.SetParallelism argument that gives poolSize goroutines.
func parallelism() int {
	procs := runtime.GOMAXPROCS(0)
	return max(1, (poolSize+procs-1)/procs)
}

// firstErr keeps the first error that goroutines report.
type firstErr struct {
	once sync.Once
	err  error
}

func (f *firstErr) set(err error) {
	if err != nil {
		f.once.Do(func() { f.err = err })
	}
}
