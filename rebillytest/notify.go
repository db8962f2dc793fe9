package rebillytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/payouts"
)

// Defaults of WithNotificationRetry, and the bounds of one delivery attempt.
const (
	// DefaultNotificationAttempts is how many POSTs the Handler makes, at most, to deliver
	// one notification.
	DefaultNotificationAttempts = 8
	// NotificationAttemptTimeout bounds one POST of a notification, answer included.
	NotificationAttemptTimeout = 10 * time.Second
	// maxNotificationAnswer bounds what the Handler reads of an answer to a notification.
	maxNotificationAnswer = 64 << 10
)

// defaultNotificationWait waits 100 ms before the first retry, doubling up to 5 s.
func defaultNotificationWait(retry int) time.Duration {
	return min(100*time.Millisecond<<min(retry-1, 6), 5*time.Second)
}

// ErrNotLoopback is the [Delivery.Err] of a notification whose notificationUrl is not on
// the loopback interface: the Handler sends nothing there.
var ErrNotLoopback = errors.New("rebillytest: the notificationUrl is not on a loopback address (127.0.0.0/8, ::1, localhost): nothing was sent")

// ErrHandlerClosed is the [Delivery.Err] of a notification that [Handler.Close] stopped, or
// that was due after it.
var ErrHandlerClosed = errors.New("rebillytest: the Handler was closed before the notification was delivered")

// WithNotificationRetry sets how the Handler repeats a notification that was not answered
// 2xx: at most attempts POSTs in all (at least 1), waiting wait(n) before retry n (n from
// 1). The default is DefaultNotificationAttempts, waiting 100 ms doubling up to 5 s. Tests
// that must not sleep pass a wait that returns 0:
//
//	rebillytest.WithNotificationRetry(3, func(int) time.Duration { return 0 })
//
// wait is called on the delivering goroutine, outside the Handler's lock.
func WithNotificationRetry(attempts int, wait func(retry int) time.Duration) Option {
	return func(c *config) error {
		switch {
		case attempts < 1:
			return fmt.Errorf("rebillytest: WithNotificationRetry: need at least 1 attempt, got %d", attempts)
		case wait == nil:
			return errors.New("rebillytest: WithNotificationRetry: the wait function is nil")
		}
		c.notifyAttempts, c.notifyWait = attempts, wait
		return nil
	}
}

// Delivery is a notification the Handler delivered, or is delivering, or would not
// deliver, as [Handler.Deliveries] and [Handler.WaitDeliveries] return it.
//
// When the result of a payout that was not final (see [Unknown]) becomes final, and the
// payout has a notificationUrl, the Handler fills in its {id} and {result} placeholders
// and POSTs to it, in the background, until it is answered 2xx, as Rebilly does. The body
// is the transaction as JSON (Rebilly does not document one; a handler must not trust it,
// and payouts.NewNotificationHandler reads the transaction back with a GET instead). It
// sends only to the loopback interface (a host of localhost, 127.0.0.0/8 or ::1; the
// connection is also refused unless it reaches a loopback address): any other URL is
// recorded with [ErrNotLoopback] and nothing is sent. It follows no redirect and uses no
// proxy. An https URL must present a certificate the system trusts, which
// httptest.NewTLSServer's does not: serve the handler under test over plain HTTP.
type Delivery struct {
	// TransactionID is the payout whose result the notification announces.
	TransactionID string
	// Result is the payout's final result, put in place of {result}.
	Result payouts.Result
	// URL is the notificationUrl with its placeholders filled in.
	URL string
	// Statuses holds the status of each POST made so far, in order; 0 for one that got no
	// answer.
	Statuses []int
	// Delivered reports that a POST was answered 2xx: no more are made.
	Delivered bool
	// Done reports that no more POSTs will be made: delivered, refused (ErrNotLoopback),
	// given up after the last attempt, or stopped ([ErrHandlerClosed]).
	Done bool
	// Err is why the last POST failed, or why the notification is not delivered when it is
	// Done; nil once it is delivered.
	Err error
}

// notifier is the Handler's state about notifications.
type notifier struct {
	ctx     context.Context // ended by Close: stops every delivery
	cancel  context.CancelFunc
	wg      sync.WaitGroup // the delivering goroutines
	closed  bool
	client  *http.Client // made on the first delivery
	list    []*Delivery
	changed chan struct{} // closed and replaced whenever a Delivery changes
}

func (n *notifier) init() { n.ctx, n.cancel = context.WithCancel(context.Background()) }

// resetLocked forgets the deliveries. h.mu is held.
func (n *notifier) resetLocked() {
	n.list = nil
	n.signalLocked()
}

// signalLocked wakes the goroutines in WaitDeliveries. h.mu is held.
func (n *notifier) signalLocked() {
	if n.changed != nil {
		close(n.changed)
	}
	n.changed = make(chan struct{})
}

// Deliveries returns copies of every notification delivery since the Handler was created
// or Reset, in the order their payouts settled, done or not.
func (h *Handler) Deliveries() []Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.deliveriesLocked()
}

func (h *Handler) deliveriesLocked() []Delivery {
	out := make([]Delivery, len(h.notify.list))
	for i, d := range h.notify.list {
		out[i] = *d
		out[i].Statuses = slices.Clone(d.Statuses)
	}
	return out
}

// WaitDeliveries waits until at least n notification deliveries are Done (delivered,
// refused, given up or stopped), and returns them all, as [Handler.Deliveries] does. When
// ctx ends first, it returns the deliveries so far and an error wrapping ctx's error. It
// lets a test wait for a notification without sleeping.
func (h *Handler) WaitDeliveries(ctx context.Context, n int) ([]Delivery, error) {
	for {
		h.mu.Lock()
		done := 0
		for _, d := range h.notify.list {
			if d.Done {
				done++
			}
		}
		out := h.deliveriesLocked()
		changed := h.notify.changed
		h.mu.Unlock()
		if done >= n {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return out, fmt.Errorf("rebillytest: WaitDeliveries: %d of %d deliveries done: %w", done, n, ctx.Err())
		case <-changed:
		}
	}
}

// Close stops the notifications being delivered (their Delivery ends with
// [ErrHandlerClosed]), waits for their goroutines to return, and makes later ones end so
// at once. The Handler still answers requests. [Server.Close] calls it; close a Handler you
// serve yourself, or register on httpmock, when its payouts may notify. It may be called
// more than once.
func (h *Handler) Close() {
	h.mu.Lock()
	if !h.notify.closed {
		h.notify.closed = true
		h.notify.cancel()
	}
	client := h.notify.client
	h.mu.Unlock()
	h.notify.wg.Wait()
	if client != nil {
		client.CloseIdleConnections()
	}
}

// startDeliveryLocked records the notification of a payout whose result just became
// final, and starts delivering it. h.mu is held.
func (h *Handler) startDeliveryLocked(tx *gen.Transaction) {
	n := &h.notify
	d := &Delivery{TransactionID: tx.ID, Result: tx.Result}
	n.list = append(n.list, d)
	defer n.signalLocked()
	target, err := notificationTarget(tx.NotificationURL, tx.ID, tx.Result)
	d.URL = target
	switch {
	case err != nil:
		d.Done, d.Err = true, err
		return
	case n.closed:
		d.Done, d.Err = true, ErrHandlerClosed
		return
	}
	body, err := json.Marshal(tx)
	if err != nil { // cannot happen: the transaction was built from decoded JSON
		d.Done, d.Err = true, err
		return
	}
	if n.client == nil {
		n.client = loopbackClient()
	}
	n.wg.Add(1)
	go h.deliver(d, n.client, body)
}

// notificationTarget fills in the placeholders of a notificationUrl and checks that it
// points at the loopback interface.
func notificationTarget(raw, id string, result payouts.Result) (string, error) {
	target := strings.NewReplacer(payouts.IDPlaceholder, url.PathEscape(id), payouts.ResultPlaceholder, url.PathEscape(string(result))).Replace(raw)
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return target, fmt.Errorf("rebillytest: the notificationUrl %q is not an absolute http(s) URL: nothing was sent", target)
	}
	if !isLoopbackHost(u.Hostname()) {
		return target, ErrNotLoopback
	}
	return target, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackClient is the client deliveries go through: it connects only to loopback
// addresses, whatever a name resolves to, uses no proxy, follows no redirect and keeps no
// idle connection, so that no goroutine outlives a delivery.
func loopbackClient() *http.Client {
	dialer := &net.Dialer{
		Timeout: NotificationAttemptTimeout,
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
				return fmt.Errorf("rebillytest: refusing to connect to %s: %w", address, ErrNotLoopback)
			}
			return nil
		},
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:             nil,
			DialContext:       dialer.DialContext,
			DisableKeepAlives: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// deliver POSTs a notification until it is answered 2xx, the attempts run out, or the
// Handler is closed.
func (h *Handler) deliver(d *Delivery, client *http.Client, body []byte) {
	defer h.notify.wg.Done()
	ctx := h.notify.ctx
	for attempt := 1; ; attempt++ {
		status, err := postNotification(ctx, client, d.URL, body)
		h.mu.Lock()
		d.Statuses = append(d.Statuses, status)
		d.Err = err
		switch {
		case err == nil:
			d.Delivered, d.Done = true, true
		case ctx.Err() != nil:
			d.Done, d.Err = true, ErrHandlerClosed
		case attempt >= h.cfg.notifyAttempts:
			d.Done, d.Err = true, fmt.Errorf("rebillytest: notification not delivered after %d attempts: %w", attempt, err)
		}
		done := d.Done
		h.notify.signalLocked()
		h.mu.Unlock()
		if done {
			return
		}
		if !pause(ctx, h.cfg.notifyWait(attempt)) {
			h.mu.Lock()
			d.Done, d.Err = true, ErrHandlerClosed
			h.notify.signalLocked()
			h.mu.Unlock()
			return
		}
	}
}

// postNotification makes one POST of a notification, and returns its status (0 when none
// came) and an error unless it was 2xx.
func postNotification(ctx context.Context, client *http.Client, target string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, NotificationAttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "rebillytest-notifier")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxNotificationAnswer))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("rebillytest: the notificationUrl answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// pause waits d, and reports false when ctx ended first.
func pause(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
