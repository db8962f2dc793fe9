// Command notifications takes Rebilly's payout notifications safely. A payout answered with
// result unknown and status timeout is not paid yet; Rebilly settles it later and POSTs a
// notification to the payout's notificationUrl. The notification carries no signature and
// its {result} could be anyone's claim, so payouts.NewNotificationHandler checks the proof
// that payouts.NotificationURL put in the URL, reads the payout back with a GET, and calls
// onResult only with the confirmed, final transaction; it answers 2xx only once onResult
// returned nil, so that Rebilly delivers again when the merchant's side failed.
//
//	go run ./examples/notifications
//
// The handler runs on an httptest server on the loopback interface. The built-in fake
// Rebilly delivers notifications there; Rebilly's sandbox cannot reach a loopback address,
// so against it (REBILLY_API_KEY and friends set) the program only shows a forged
// notification refused.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/paysdk/rebilly/examples/internal/demo"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "notifications:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	// The fake repeats a notification that is not answered 2xx 3 times, 10 ms apart.
	env, err := demo.Setup(out, rebillytest.WithNotificationRetry(3, func(int) time.Duration { return 10 * time.Millisecond }))
	if err != nil {
		return err
	}
	defer env.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// The secret proves that a notificationUrl came from us. Keep it like an API key; here it
	// is made for this run. The URL carries only a nonce and a MAC of it, never the secret.
	secret := rand.Text()

	// The merchant's endpoint. onResult must be idempotent (keyed by tx.ID): the same final
	// result may arrive more than once.
	var mu sync.Mutex
	var received []*payouts.Transaction
	confirmed := make(chan *payouts.Transaction, 1)
	onResult := func(_ context.Context, tx *payouts.Transaction) error {
		mu.Lock()
		defer mu.Unlock()
		received = append(received, tx)
		select {
		case confirmed <- tx:
		default:
		}
		return nil // record it in the ledger first: an error here makes Rebilly deliver again
	}
	mux := http.NewServeMux()
	mux.Handle("/hooks/payout", payouts.NewNotificationHandler(env.Client.Payouts, secret, onResult))
	hook := httptest.NewServer(mux)
	defer hook.Close()
	notificationURL, err := payouts.NotificationURL(hook.URL+"/hooks/payout", secret)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Notification endpoint: %s\n", notificationURL)

	if env.Fake != nil {
		// The fake's gateway is slow: the payout is answered unknown/timeout until the fake
		// settles it below, as Rebilly does on its own.
		env.Fake.SetPayoutOutcome(func(rebillytest.PayoutInfo) rebillytest.Outcome {
			return rebillytest.Unknown(payouts.StatusTimeout)
		})
		requestID, err := payouts.RequestIDFor("withdrawal-2026-000777")
		if err != nil {
			return err
		}
		tx, err := env.Client.Payouts.Create(ctx, payouts.CreateParams{
			WebsiteID:       env.WebsiteID,
			CustomerID:      env.CustomerID,
			Currency:        "USD",
			Amount:          money.MustParse("75.00"),
			RequestID:       requestID,
			NotificationURL: notificationURL,
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "1. Payout created (201): transaction %s, result %s/%s: not paid yet; a 201 is not \"paid\" until the result is approved\n", tx.ID, tx.Result, tx.Status)

		fmt.Fprintln(out, "2. Rebilly settles it (the fake, on our say-so) and POSTs the notification:")
		if err := env.Fake.SettlePayout(tx.ID, payouts.ResultApproved); err != nil {
			return err
		}
		var got *payouts.Transaction
		select {
		case got = <-confirmed:
		case <-ctx.Done():
			return fmt.Errorf("no notification: %w", ctx.Err())
		}
		fmt.Fprintf(out, "   onResult: transaction %s is %s/%s (confirmed by GET, not taken from the notification)\n", got.ID, got.Result, got.Status)
		deliveries, err := env.Fake.WaitDeliveries(ctx, 1)
		if err != nil {
			return err
		}
		d := deliveries[0]
		fmt.Fprintf(out, "   delivery: answered %v, delivered %v\n", d.Statuses, d.Delivered)
		if got.Result == payouts.ResultApproved {
			fmt.Fprintf(out, "   paid: %s %s\n", got.Amount, got.Currency)
		}
	} else {
		fmt.Fprintln(out, "Rebilly's sandbox cannot reach a loopback address: skipping the delivery, showing only a forged one.")
	}

	// 3. Anyone can POST to the endpoint. A notification made with another secret (or none)
	// is refused with 403 before any GET, and never reaches onResult, whatever it claims.
	forgedURL, err := payouts.NotificationURL(hook.URL+"/hooks/payout", rand.Text())
	if err != nil {
		return err
	}
	forgedURL = strings.NewReplacer(payouts.IDPlaceholder, "txn_forged", payouts.ResultPlaceholder, "approved").Replace(forgedURL)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, forgedURL, strings.NewReader(`{"id":"txn_forged","result":"approved"}`))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hook.Client().Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	mu.Lock()
	calls := len(received)
	mu.Unlock()
	fmt.Fprintf(out, "3. A forged notification claiming txn_forged approved: answered %s; onResult calls still %d\n", resp.Status, calls)
	return nil
}
