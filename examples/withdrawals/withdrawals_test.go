package withdrawals

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
	"github.com/paysdk/rebilly/payouts"
	"github.com/paysdk/rebilly/rebillytest"
)

// newClient points a real SDK client at the fake, with retries that do not sleep.
func newClient(t *testing.T, opts ...rebilly.Option) *rebilly.Client {
	t.Helper()
	base := []rebilly.Option{
		rebilly.WithAPIKey(rebillytest.DefaultAPIKey),
		rebilly.WithOrganizationID(rebillytest.DefaultOrganizationID),
		rebilly.WithRetryWait(0, 0),
	}
	c, err := rebilly.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var withdrawal = Withdrawal{ID: "W-1001", CustomerID: "cus_1", Cents: 12_50, Currency: "USD"}

// With rebillytest.NewServer: a real loopback server, closed when the test ends.
func TestPayAgainstTheFakeServer(t *testing.T) {
	srv := rebillytest.NewServer(t)
	payer := &Payer{Payouts: newClient(t, rebilly.WithBaseURL(srv.URL()), rebilly.WithHTTPClient(srv.HTTPClient())).Payouts, WebsiteID: "web_1"}

	receipt, err := payer.Pay(context.Background(), withdrawal)
	if err != nil {
		t.Fatal(err)
	}
	txs := srv.Transactions()
	if len(txs) != 1 || txs[0].ID != receipt.TransactionID || txs[0].Amount.String() != "12.50" {
		t.Fatalf("the fake holds %+v for receipt %+v", txs, receipt)
	}
}

// With httpmock: no socket at all; the same fake answers through the mock transport.
func TestPayThroughHTTPMock(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := rebillytest.NewHandler()
	fake.RegisterOn(mt, "https://rebilly.test")
	payer := &Payer{Payouts: newClient(t, rebilly.WithBaseURL("https://rebilly.test"), rebilly.WithHTTPClient(&http.Client{Transport: mt})).Payouts, WebsiteID: "web_1"}

	if _, err := payer.Pay(context.Background(), withdrawal); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d HTTP calls, want 1", n)
	}
}

// Paying twice (a retry after a crash) pays once: the answer to the first call is lost after
// the payout was made, the SDK retries with the same requestId, and a second Pay is a no-op.
func TestPayIsExactlyOnce(t *testing.T) {
	srv := rebillytest.NewServer(t)
	srv.FailNext(1, rebillytest.DropAfterCommit())
	payer := &Payer{Payouts: newClient(t, rebilly.WithBaseURL(srv.URL()), rebilly.WithHTTPClient(srv.HTTPClient())).Payouts, WebsiteID: "web_1"}

	first, err := payer.Pay(context.Background(), withdrawal)
	if err != nil {
		t.Fatal(err)
	}
	second, err := payer.Pay(context.Background(), withdrawal)
	if err != nil {
		t.Fatal(err)
	}
	if len(srv.Transactions()) != 1 || first.RequestID != second.RequestID {
		t.Fatalf("%d transactions; receipts %+v and %+v", len(srv.Transactions()), first, second)
	}
}

// When every attempt fails after reaching Rebilly, the merchant is told to try later.
func TestPayReportsAnUnknownOutcome(t *testing.T) {
	srv := rebillytest.NewServer(t)
	srv.FailNext(10, rebillytest.StatusAfterCommit(http.StatusBadGateway))
	payer := &Payer{Payouts: newClient(t, rebilly.WithBaseURL(srv.URL()), rebilly.WithHTTPClient(srv.HTTPClient()), rebilly.WithMaxRetries(1)).Payouts, WebsiteID: "web_1"}

	_, err := payer.Pay(context.Background(), withdrawal)
	if !errors.Is(err, ErrTryLater) {
		t.Fatalf("err = %v, want ErrTryLater", err)
	}
}

// fakePayouts is a hand-written payouts.API, for tests that need no HTTP at all.
type fakePayouts struct {
	got []payouts.CreateParams
	err error
}

func (f *fakePayouts) Create(_ context.Context, p payouts.CreateParams) (*payouts.Transaction, error) {
	f.got = append(f.got, p)
	if f.err != nil {
		return nil, f.err
	}
	return &payouts.Transaction{ID: "txn_fake", RequestID: p.RequestID, Result: payouts.ResultApproved, Status: payouts.StatusCompleted}, nil
}

func (f *fakePayouts) Get(_ context.Context, id string) (*payouts.Transaction, error) {
	return &payouts.Transaction{ID: id, Result: payouts.ResultApproved, Status: payouts.StatusCompleted}, nil
}

func (f *fakePayouts) WaitForResult(ctx context.Context, id string) (*payouts.Transaction, error) {
	return f.Get(ctx, id)
}

func TestPayWithAFakeOfYourOwn(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		wantErr     error
		alreadyPaid bool
	}{
		{"paid", nil, nil, false},
		{"already paid", &rebilly.DuplicateRequestError{RequestID: "x", Answer: &rebilly.APIError{StatusCode: 409}}, nil, true},
		{"unknown", &rebilly.OutcomeUnknownError{Op: "POST /payouts", Err: errors.New("reset")}, ErrTryLater, false},
		{"rejected", &rebilly.APIError{StatusCode: 422}, rebilly.ErrValidation, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakePayouts{err: tt.err}
			receipt, err := (&Payer{Payouts: fake, WebsiteID: "web_1"}).Pay(context.Background(), withdrawal)
			if !errors.Is(err, tt.wantErr) && !(tt.wantErr == nil && err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if receipt.AlreadyPaid != tt.alreadyPaid {
				t.Errorf("receipt = %+v", receipt)
			}
			want, _ := payouts.RequestIDFor(withdrawal.ID)
			if len(fake.got) != 1 || fake.got[0].RequestID != want || fake.got[0].Amount.String() != "12.50" {
				t.Errorf("sent %+v", fake.got)
			}
		})
	}
}
