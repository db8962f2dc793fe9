// Package demo starts the examples: against the built-in fake Rebilly (rebillytest) by
// default, or against Rebilly's real sandbox when REBILLY_API_KEY and
// REBILLY_ORGANIZATION_ID are set.
package demo

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/rebillytest"
)

// Env is where an example runs.
type Env struct {
	// Client talks to the fake or to the sandbox.
	Client *rebilly.Client
	// WebsiteID and CustomerID are the website and customer to pay.
	WebsiteID, CustomerID string
	// PaymentInstrumentID and GatewayAccountID are the customer's instrument to pay to and
	// the gateway account to pay through, for allocations; against the sandbox they come
	// from REBILLY_PAYMENT_INSTRUMENT_ID and REBILLY_GATEWAY_ACCOUNT_ID, and may be empty.
	PaymentInstrumentID, GatewayAccountID string
	// Fake is the in-process fake Rebilly, nil when running against the sandbox.
	Fake *rebillytest.Server
}

// Close stops the fake, if any.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// Setup builds the example's client and says on out which Rebilly it uses. Set
// REBILLY_DEBUG=1 to see the client's debug log (attempts and retries) on stderr. fakeOpts
// configure the built-in fake, when it is used.
func Setup(out io.Writer, fakeOpts ...rebillytest.Option) (*Env, error) {
	opts := []rebilly.Option{rebilly.WithUserAgent("rebilly-go-examples")}
	if os.Getenv("REBILLY_DEBUG") != "" {
		opts = append(opts, rebilly.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}

	key, org := os.Getenv("REBILLY_API_KEY"), os.Getenv("REBILLY_ORGANIZATION_ID")
	if key != "" || org != "" {
		if key == "" || org == "" {
			return nil, errors.New("set both REBILLY_API_KEY and REBILLY_ORGANIZATION_ID, or neither to use the built-in fake")
		}
		env := &Env{
			WebsiteID:           os.Getenv("REBILLY_WEBSITE_ID"),
			CustomerID:          os.Getenv("REBILLY_CUSTOMER_ID"),
			PaymentInstrumentID: os.Getenv("REBILLY_PAYMENT_INSTRUMENT_ID"),
			GatewayAccountID:    os.Getenv("REBILLY_GATEWAY_ACCOUNT_ID"),
		}
		if env.WebsiteID == "" || env.CustomerID == "" {
			return nil, errors.New("against the sandbox, also set REBILLY_WEBSITE_ID and REBILLY_CUSTOMER_ID (a website and customer of your sandbox organization)")
		}
		c, err := rebilly.NewClient(append(opts, rebilly.WithAPIKey(key), rebilly.WithOrganizationID(org), rebilly.WithEnvironment(rebilly.Sandbox))...)
		if err != nil {
			return nil, err
		}
		env.Client = c
		fmt.Fprintf(out, "Using Rebilly's sandbox, organization %s (%s).\n\n", org, c.ServerURL())
		return env, nil
	}

	fake := rebillytest.StartServer(fakeOpts...)
	c, err := rebilly.NewClient(append(opts,
		rebilly.WithAPIKey(rebillytest.DefaultAPIKey),
		rebilly.WithOrganizationID(rebillytest.DefaultOrganizationID),
		rebilly.WithBaseURL(fake.URL()),
		rebilly.WithHTTPClient(fake.HTTPClient()),
		rebilly.WithRetryWait(10*time.Millisecond, 100*time.Millisecond),
	)...)
	if err != nil {
		fake.Close()
		return nil, err
	}
	fmt.Fprintf(out, "Using the built-in fake Rebilly at %s (no credentials needed).\n", fake.URL())
	fmt.Fprintf(out, "Set REBILLY_API_KEY, REBILLY_ORGANIZATION_ID, REBILLY_WEBSITE_ID and REBILLY_CUSTOMER_ID to run against the sandbox.\n\n")
	return &Env{Client: c, WebsiteID: "web_demo", CustomerID: "cus_demo",
		PaymentInstrumentID: "inst_demo", GatewayAccountID: rebillytest.GatewayAccountID, Fake: fake}, nil
}
