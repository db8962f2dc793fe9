package rebillytest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// notifySecret is the merchant's notification secret in these tests.
const notifySecret = "notify-secret-0123456789"

// noWait makes the fake repeat a notification at once: no test sleeps.
var noWait = rebillytest.WithNotificationRetry(3, func(int) time.Duration { return 0 })

// merchant is a merchant's notification endpoint: payouts.NewNotificationHandler served on
// the loopback interface by an httptest server, reading payouts back through an SDK client
// of the fake.
type merchant struct {
	base string // the server's URL

	mu        sync.Mutex
	results   []payouts.Transaction // what onResult received, in order
	failFirst int                   // onResult fails this many calls first
}

func newMerchant(t *testing.T, api payouts.API, failFirst int) *merchant {
	t.Helper()
	m := &merchant{failFirst: failFirst}
	ts := httptest.NewServer(payouts.NewNotificationHandler(api, notifySecret, m.onResult))
	t.Cleanup(ts.Close)
	m.base = ts.URL
	return m
}

func (m *merchant) onResult(_ context.Context, tx *payouts.Transaction) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.results = append(m.results, *tx)
	if len(m.results) <= m.failFirst {
		return errors.New("the ledger is down")
	}
	return nil
}

func (m *merchant) received() []payouts.Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []payouts.Result
	for _, tx := range m.results {
		out = append(out, tx.Result)
	}
	return out
}

// notificationURL returns the notificationUrl of the merchant's endpoint, with the proof of
// secret.
func (m *merchant) notificationURL(t *testing.T, secret string) string {
	t.Helper()
	u, err := payouts.NotificationURL(m.base+"/hooks/payout", secret)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestNotifications: on every transport, a payout whose result is unknown at first ends in
// its real result through the notification, which payouts.NewNotificationHandler confirms
// with a GET to the fake before onResult sees it; a forged one never reaches onResult; one
// whose onResult fails is delivered again.
func TestNotifications(t *testing.T) {
	tests := []struct {
		name      string
		outcome   rebillytest.Outcome
		secret    string                                                // the secret of the notificationUrl
		failFirst int                                                   // onResult failures before it succeeds
		settle    func(t *testing.T, f *fake, c payouts.API, id string) // makes the result final
		want      []payouts.Result                                      // what onResult receives
		statuses  []int                                                 // the answers to the fake's POSTs
		gets      int                                                   // GET /transactions the merchant makes
	}{
		{
			name: "unknown/timeout, settled approved by the test", outcome: rebillytest.Unknown(payouts.StatusTimeout),
			settle: settleAs(""), want: []payouts.Result{payouts.ResultApproved}, statuses: []int{204}, gets: 1,
		},
		{
			name: "waiting-gateway, declined after a read", outcome: rebillytest.Unknown(payouts.StatusWaitingGateway).AfterReads(0).Then(payouts.ResultDeclined),
			settle: func(t *testing.T, _ *fake, c payouts.API, id string) {
				if tx, err := c.Get(context.Background(), id); err != nil || tx.Result != payouts.ResultDeclined {
					t.Fatalf("the read that settles: %+v, %v", tx, err)
				}
			},
			want: []payouts.Result{payouts.ResultDeclined}, statuses: []int{204}, gets: 1,
		},
		{
			name: "unknown/timeout, WaitForResult and the notification agree", outcome: rebillytest.Unknown(payouts.StatusTimeout).AfterReads(2).Then(payouts.ResultCanceled),
			settle: func(t *testing.T, _ *fake, c payouts.API, id string) {
				if tx, err := c.WaitForResult(context.Background(), id); err != nil || tx.Result != payouts.ResultCanceled {
					t.Fatalf("WaitForResult: %+v, %v", tx, err)
				}
			},
			want: []payouts.Result{payouts.ResultCanceled}, statuses: []int{204}, gets: 1,
		},
		{
			name: "onResult fails: delivered again, then acknowledged", outcome: rebillytest.Unknown(payouts.StatusTimeout), failFirst: 1,
			settle: settleAs(payouts.ResultDeclined), want: []payouts.Result{payouts.ResultDeclined, payouts.ResultDeclined}, statuses: []int{500, 204}, gets: 2,
		},
		{
			name: "forged: another secret's proof never reaches onResult", outcome: rebillytest.Unknown(payouts.StatusTimeout), secret: "not-the-merchant-secret",
			settle: settleAs(payouts.ResultApproved), statuses: []int{403, 403, 403}, gets: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachTransport(t, func(t *testing.T, tr transport) {
				f := tr.start(t, noWait, rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return tt.outcome }))
				c := f.client(t)
				m := newMerchant(t, f.client(t, rebilly.WithUserAgent(merchantAgent)).Payouts, tt.failFirst)
				secret := notifySecret
				if tt.secret != "" {
					secret = tt.secret
				}
				params := payoutParams("10.00", "", "")
				params.NotificationURL = m.notificationURL(t, secret)
				tx, err := c.Payouts.Create(context.Background(), params)
				if err != nil {
					t.Fatal(err)
				}
				if tx.Result != payouts.ResultUnknown || payouts.IsFinal(tx) {
					t.Fatalf("POST answered %s/%s, want a result that is not final", tx.Result, tx.Status)
				}
				if d := f.Deliveries(); len(d) != 0 {
					t.Fatalf("deliveries before the result is final: %+v", d)
				}
				tt.settle(t, f, c.Payouts, tx.ID)

				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				ds, err := f.WaitDeliveries(ctx, 1)
				if err != nil {
					t.Fatal(err)
				}
				stored, _ := f.Transaction(tx.ID)
				d := ds[0]
				if len(ds) != 1 || d.TransactionID != tx.ID || d.Result != stored.Result || !slices.Equal(d.Statuses, tt.statuses) || d.Delivered != (tt.want != nil) || !d.Done {
					t.Errorf("delivery %+v; want statuses %v", ds, tt.statuses)
				}
				wantURL := strings.NewReplacer("{id}", tx.ID, "{result}", string(stored.Result)).Replace(params.NotificationURL)
				if d.URL != wantURL {
					t.Errorf("delivered to %s, want %s", d.URL, wantURL)
				}
				if got := m.received(); !slices.Equal(got, tt.want) {
					t.Errorf("onResult received %v, want %v", got, tt.want)
				}
				if got := merchantReads(f); got != tt.gets {
					t.Errorf("the merchant's handler made %d GET /transactions, want %d", got, tt.gets)
				}
			})
		})
	}
}

// merchantAgent marks the requests of the merchant's notification handler.
const merchantAgent = "merchant-notification-handler"

// merchantReads counts the GET /transactions/{id} of the merchant's notification handler.
func merchantReads(f *fake) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Operation == rebillytest.OpGetTransaction && strings.Contains(r.Header.Get("User-Agent"), merchantAgent) {
			n++
		}
	}
	return n
}

func settleAs(result payouts.Result) func(t *testing.T, f *fake, _ payouts.API, id string) {
	return func(t *testing.T, f *fake, _ payouts.API, id string) {
		t.Helper()
		if err := f.SettlePayout(id, result); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNoNotificationWhenFinalAtOnce: Rebilly notifies only a result that became final after
// a timeout or an offsite step.
func TestNoNotificationWhenFinalAtOnce(t *testing.T) {
	for _, o := range []rebillytest.Outcome{{}, rebillytest.Final(payouts.ResultDeclined)} {
		f := transports[1].start(t, rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return o }))
		params := payoutParams("1", "", "")
		params.NotificationURL = "http://127.0.0.1:1/hook?tx={id}"
		if _, err := f.client(t).Payouts.Create(context.Background(), params); err != nil {
			t.Fatal(err)
		}
		if d := f.Deliveries(); len(d) != 0 {
			t.Errorf("%v: deliveries %+v", o, d)
		}
	}
}

// TestNotificationTargets: the fake fills in the placeholders, sends only to loopback
// addresses, and records what it would not send.
func TestNotificationTargets(t *testing.T) {
	reached := make(chan string, 10)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached <- r.Method + " " + r.URL.RequestURI() + " " + r.Header.Get("Content-Type")
		w.WriteHeader(http.StatusOK)
	}))
	defer ts.Close()
	port := ts.URL[strings.LastIndex(ts.URL, ":"):]
	tests := []struct {
		url      string
		want     string // the URL delivered to; "" when refused
		notLoop  bool
		received string
	}{
		{url: ts.URL + "/hook/{id}?result={result}", want: ts.URL + "/hook/TXN?result=approved", received: "POST /hook/TXN?result=approved application/json"},
		{url: "http://localhost" + port + "/hook?tx={id}", want: "http://localhost" + port + "/hook?tx=TXN", received: "POST /hook?tx=TXN application/json"},
		{url: "https://shop.example/hook?tx={id}", want: "https://shop.example/hook?tx=TXN", notLoop: true},
		{url: "http://10.1.2.3" + port + "/hook", want: "http://10.1.2.3" + port + "/hook", notLoop: true},
		{url: "http://127.0.0.1.nip.io" + port + "/hook", want: "http://127.0.0.1.nip.io" + port + "/hook", notLoop: true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			f := transports[1].start(t, noWait, rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome {
				return rebillytest.Unknown(payouts.StatusOffsite)
			}))
			params := payoutParams("1", "", "")
			params.NotificationURL = tt.url
			tx, err := f.client(t).Payouts.Create(context.Background(), params)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SettlePayout(tx.ID, ""); err != nil {
				t.Fatal(err)
			}
			ds, err := f.WaitDeliveries(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			d := ds[0]
			if want := strings.ReplaceAll(tt.want, "TXN", tx.ID); d.URL != want {
				t.Errorf("URL %s, want %s", d.URL, want)
			}
			if tt.notLoop {
				if !errors.Is(d.Err, rebillytest.ErrNotLoopback) || len(d.Statuses) != 0 || d.Delivered {
					t.Errorf("delivery %+v, want refused with ErrNotLoopback", d)
				}
				return
			}
			if !d.Delivered || !slices.Equal(d.Statuses, []int{200}) {
				t.Errorf("delivery %+v", d)
			}
			if got := <-reached; got != strings.ReplaceAll(tt.received, "TXN", tx.ID) {
				t.Errorf("the endpoint received %q", got)
			}
		})
	}
}

// TestNotificationGivesUp: an endpoint that cannot be reached gets the bounded number of
// attempts, and the delivery says why it failed.
func TestNotificationGivesUp(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	gone := ts.URL
	ts.Close()
	var waits []int
	f := transports[1].start(t,
		rebillytest.WithNotificationRetry(4, func(retry int) time.Duration { waits = append(waits, retry); return 0 }),
		rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return rebillytest.Unknown(payouts.StatusTimeout) }))
	params := payoutParams("1", "", "")
	params.NotificationURL = gone + "/hook?tx={id}"
	tx, err := f.client(t).Payouts.Create(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SettlePayout(tx.ID, payouts.ResultApproved); err != nil {
		t.Fatal(err)
	}
	ds, err := f.WaitDeliveries(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if !d.Done || d.Delivered || !slices.Equal(d.Statuses, []int{0, 0, 0, 0}) || d.Err == nil || !strings.Contains(d.Err.Error(), "after 4 attempts") {
		t.Errorf("delivery %+v", d)
	}
	if !slices.Equal(waits, []int{1, 2, 3}) {
		t.Errorf("waits before retries %v, want 1, 2, 3", waits)
	}
}

// TestCloseStopsDeliveries: Close ends a POST in flight and a wait between attempts at once,
// and later notifications are not sent; no goroutine is left (goleak checks the package).
func TestCloseStopsDeliveries(t *testing.T) {
	arrived := make(chan struct{}, 10)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server notices a closed connection
		arrived <- struct{}{}
		if r.URL.Query().Get("mode") == "hang" {
			<-r.Context().Done() // answers only when the fake gives up the request
			return
		}
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer ts.Close()
	h := rebillytest.NewHandler(
		rebillytest.WithNotificationRetry(5, func(int) time.Duration { return time.Hour }),
		rebillytest.WithPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome { return rebillytest.Unknown(payouts.StatusTimeout) }))
	defer h.Close() // before ts.Close, which waits for the hanging POST, if a check fails
	srv := httptest.NewServer(h)
	defer srv.Close()
	f := &fake{Handler: h, base: srv.URL, http: srv.Client(), plain: srv.Client()}
	c := f.client(t)

	var ids []string
	for _, mode := range []string{"hang", "fail", "late"} {
		params := payoutParams("1", "", "")
		params.NotificationURL = ts.URL + "/hook?mode=" + mode + "&tx={id}"
		tx, err := c.Payouts.Create(context.Background(), params)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tx.ID)
	}
	for _, id := range ids[:2] {
		if err := h.SettlePayout(id, ""); err != nil {
			t.Fatal(err)
		}
		<-arrived
	}
	h.Close() // one POST hangs, the other waits an hour before its retry
	if err := h.SettlePayout(ids[2], ""); err != nil {
		t.Fatal(err)
	}
	ds := h.Deliveries()
	if len(ds) != 3 {
		t.Fatalf("deliveries %+v", ds)
	}
	for i, d := range ds {
		if !d.Done || d.Delivered || !errors.Is(d.Err, rebillytest.ErrHandlerClosed) {
			t.Errorf("delivery %d: %+v, want stopped by Close", i, d)
		}
	}
	if len(ds[2].Statuses) != 0 {
		t.Errorf("a notification due after Close was sent: %+v", ds[2])
	}
	if _, err := c.Payouts.Get(context.Background(), ids[0]); err != nil {
		t.Errorf("a closed Handler still answers: %v", err)
	}
	h.Close() // again: nothing happens
}

func TestWaitDeliveriesEndsWithTheContext(t *testing.T) {
	h := rebillytest.NewHandler()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ds, err := h.WaitDeliveries(ctx, 1)
	if !errors.Is(err, context.Canceled) || len(ds) != 0 {
		t.Errorf("got %v, %v", ds, err)
	}
	if ds, err := h.WaitDeliveries(ctx, 0); err != nil || len(ds) != 0 {
		t.Errorf("none to wait for: %v, %v", ds, err)
	}
}
