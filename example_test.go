package rebilly_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// A client for the sandbox, with the credentials from the environment.
func ExampleNewClient() {
	client, err := rebilly.NewClient(
		rebilly.WithAPIKey(os.Getenv("REBILLY_API_KEY")),
		rebilly.WithOrganizationID("org_0YVDM8RC7GDADADSBSMW124JA8"),
		rebilly.WithEnvironment(rebilly.Sandbox), // the default; Production must be asked for
		rebilly.WithAttemptTimeout(20*time.Second),
		rebilly.WithMaxRetries(3),
		rebilly.WithLogger(slog.Default()),
		rebilly.WithUserAgent("acme-payouts/1.4"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(client.ServerURL())
}

// NewClient names every missing or bad option at once.
func ExampleNewClient_errors() {
	_, err := rebilly.NewClient(rebilly.WithOrganizationID("org/1"))
	fmt.Println(err)
	// Output:
	// rebilly: WithOrganizationID: the id has '/' at position 3; only letters, digits and _ @ ~ - . are allowed
	// rebilly: a credential is required: use WithAPIKey or WithJWT
	// rebilly: an organization id is required: use WithOrganizationID
}

// A client for tests and demos, talking to the built-in fake Rebilly.
func ExampleWithBaseURL() {
	fake := rebillytest.StartServer()
	defer fake.Close()
	client, err := rebilly.NewClient(
		rebilly.WithAPIKey(rebillytest.DefaultAPIKey),
		rebilly.WithOrganizationID(rebillytest.DefaultOrganizationID),
		rebilly.WithBaseURL(fake.URL()),
		rebilly.WithHTTPClient(fake.HTTPClient()),
	)
	if err != nil {
		log.Fatal(err)
	}
	tx, err := client.Payouts.Create(context.Background(), payouts.CreateParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("9.99"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tx.Type, tx.Result, tx.Amount)
	// Output: credit approved 9.99
}

// Telling errors apart with errors.Is and errors.As.
func ExampleAPIError() {
	fake := rebillytest.StartServer()
	defer fake.Close()
	client, _ := rebilly.NewClient(
		rebilly.WithAPIKey("not-the-right-key"),
		rebilly.WithOrganizationID(rebillytest.DefaultOrganizationID),
		rebilly.WithBaseURL(fake.URL()),
		rebilly.WithHTTPClient(fake.HTTPClient()),
	)
	_, err := client.PayoutRequests.Get(context.Background(), "pout_req_1")

	var apiErr *rebilly.APIError
	switch {
	case errors.Is(err, rebilly.ErrUnauthorized) && errors.As(err, &apiErr):
		fmt.Println("check the API key:", apiErr.StatusCode)
	case errors.Is(err, rebilly.ErrOutcomeUnknown):
		fmt.Println("read it back before doing anything else")
	case err != nil:
		fmt.Println("failed:", err)
	}
	// Output: check the API key: 401
}

// An attempt observer that exports metrics: a counter of attempts by operation, status and
// outcome, and the rate-limit budget left. Operation is the template ("POST /payouts"), so the
// labels stay few. Nothing secret reaches the observer, and it cannot change a request.
func ExampleWithAttemptObserver() {
	fake := rebillytest.StartServer()
	defer fake.Close()
	fake.FailNext(1, rebillytest.Unavailable(0)) // the first attempt is refused with 503

	var mu sync.Mutex
	attempts := map[string]int{} // stands for a Prometheus CounterVec or an OpenTelemetry counter
	client, err := rebilly.NewClient(append(fake.ClientOptions(),
		rebilly.WithRetryWait(time.Millisecond, time.Millisecond),
		rebilly.WithAttemptObserver(func(ctx context.Context, a rebilly.Attempt) {
			mu.Lock()
			defer mu.Unlock()
			attempts[fmt.Sprintf("%s status=%d outcome=%s retry=%t", a.Operation, a.StatusCode, a.Outcome, a.WillRetry)]++
		}))...)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Payouts.Create(context.Background(), payouts.CreateParams{
		WebsiteID: "web_1", CustomerID: "cus_1", Currency: "USD", Amount: money.MustParse("5.00"),
	}); err != nil {
		log.Fatal(err)
	}
	for _, k := range slices.Sorted(maps.Keys(attempts)) {
		fmt.Println(attempts[k], k)
	}
	// Output:
	// 1 POST /payouts status=201 outcome=applied retry=false
	// 1 POST /payouts status=503 outcome=not applied retry=true
}
