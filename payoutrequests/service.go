package payoutrequests

import (
	"context"
	"iter"
	"net/http"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/placeholder"
	"github.com/paysdk/rebilly/internal/validate"
)

// API is what [Service] does, for merchants who want to put a fake in its place in their
// tests.
type API interface {
	Create(ctx context.Context, params CreateParams) (*PayoutRequest, error)
	Upsert(ctx context.Context, id string, params UpsertParams) (*PayoutRequest, error)
	Get(ctx context.Context, id string) (*PayoutRequest, error)
	List(ctx context.Context, params ListParams) (*Page, error)
	All(ctx context.Context, params ListParams) iter.Seq2[*PayoutRequest, error]
}

var _ API = (*Service)(nil)

// Service calls the payout request operations. Get one from the PayoutRequests field of a
// rebilly.Client; a Service made any other way returns an error from every call.
type Service backend.Handle

func (s *Service) backend() *backend.Backend { return (*backend.Handle)(s).Backend() }

const (
	opCreate = "POST /payout-requests"
	opUpsert = "PUT /payout-requests/{id}"
	opGet    = "GET /payout-requests/{id}"

	collection = "payout-requests"

	createRecovery = "the payout request may or may not exist: look for it (by customer and amount) before creating it again, " +
		"or create payout requests with Upsert and an id derived from your own key (payoutrequests.IDFor), which is safe to repeat"
	upsertRecovery = "repeat the Upsert with the same id {id}: it is safe, and settles the outcome"
)

// Create creates a payout request with an id chosen by Rebilly. POST /payout-requests
//
// The API has no idempotency key for this operation, so Create repeats it only when Rebilly
// provably did nothing (the request was never written, or it answered 429 or 503). After any
// other failure the payout request may exist, and the error matches
// rebilly.ErrOutcomeUnknown. When Rebilly answers 201 with a body that cannot be used, Create
// reads the payout request its Location names and returns that. Prefer Upsert with [IDFor]
// when each payout request must exist exactly once.
func (s *Service) Create(ctx context.Context, params CreateParams) (*PayoutRequest, error) {
	call := backend.Call[PayoutRequest]{
		Op: opCreate, Class: backend.Unsafe, Collection: collection,
		ID: prID, Refetch: s.Get, Recovery: createRecovery,
	}
	return backend.Send(ctx, s.backend(), call, params.validate(opCreate), func(server string) (*http.Request, error) {
		return backend.NewRequest(server, http.MethodPost, params.toGen(), "payout-requests")
	})
}

// Upsert creates the payout request with the given id, or replaces the one that has it.
// PUT /payout-requests/{id}
//
// Repeating an Upsert cannot create a second payout request, so it is retried after any
// transient failure. With an id from [IDFor], it is the exactly-once way to create payout
// requests.
func (s *Service) Upsert(ctx context.Context, id string, params UpsertParams) (*PayoutRequest, error) {
	var f validate.Fields
	f.ID("id", id, validate.Required)
	CreateParams(params).check(&f)
	call := backend.Call[PayoutRequest]{
		Op: opUpsert, Class: backend.Idempotent, ResourceID: id, Collection: collection,
		ID: prID, Refetch: s.Get, Recovery: upsertRecovery,
	}
	return backend.Send(ctx, s.backend(), call, f.Err(opUpsert), func(server string) (*http.Request, error) {
		return backend.NewRequest(server, http.MethodPut, CreateParams(params).toGen(), "payout-requests", id)
	})
}

// Get reads the payout request with the given id. GET /payout-requests/{id}
func (s *Service) Get(ctx context.Context, id string) (*PayoutRequest, error) {
	var f validate.Fields
	f.ID("id", id, validate.Required)
	call := backend.Call[PayoutRequest]{Op: opGet, Class: backend.Read, ResourceID: id, ID: prID}
	return backend.Send(ctx, s.backend(), call, f.Err(opGet), func(server string) (*http.Request, error) {
		return backend.NewRequest(server, http.MethodGet, nil, "payout-requests", id)
	})
}

// prID is the id of a decoded payout request: a success without one is not a success.
func prID(pr *PayoutRequest) string { return pr.ID }

// RedirectURLWithID returns rawURL with a query parameter named param whose value is
// IDPlaceholder, for SelectedPaymentInstrumentRedirectURL: RedirectURLWithID(
// "https://shop.example/payouts/done?from=app", "payoutRequest") is
// "https://shop.example/payouts/done?from=app&payoutRequest={{id}}". The braces stay
// unescaped, as Rebilly needs them.
func RedirectURLWithID(rawURL, param string) (string, error) {
	return placeholder.AppendQuery("payoutrequests.RedirectURLWithID", "rawURL", rawURL, placeholders,
		placeholder.Param{Name: param, Placeholder: IDPlaceholder})
}

var placeholders = []string{IDPlaceholder}

// validate checks params before anything is sent.
func (p CreateParams) validate(op string) error {
	var f validate.Fields
	p.check(&f)
	return f.Err(op)
}

func (p CreateParams) check(f *validate.Fields) {
	f.ID("websiteId", p.WebsiteID, validate.Required)
	f.ID("customerId", p.CustomerID, validate.Required)
	f.Currency("currency", p.Currency)
	f.PositiveAmount("amount", p.Amount)
	f.Text("description", p.Description, 0)
	f.ID("paymentInstrumentId", p.PaymentInstrumentID, validate.Optional)
	f.URL("selectedPaymentInstrumentRedirectUrl", p.SelectedPaymentInstrumentRedirectURL, placeholders...)
	if p.BlockReason != "" {
		f.Text("blockReason", string(p.BlockReason), 50)
	}
	if p.Blocking < BlockingUnset || p.Blocking > Unblock {
		f.Add("blocked", "is not BlockingUnset, Block or Unblock")
	}
}

// toGen is the one place the parameters become the generated request body.
func (p CreateParams) toGen() gen.PayoutRequest {
	return gen.PayoutRequest{
		WebsiteID:                            p.WebsiteID,
		CustomerID:                           p.CustomerID,
		Currency:                             p.Currency,
		Amount:                               p.Amount,
		Description:                          p.Description,
		PaymentInstrumentID:                  p.PaymentInstrumentID,
		SelectedPaymentInstrumentRedirectURL: p.SelectedPaymentInstrumentRedirectURL,
		Blocked:                              p.Blocking.flag(),
		BlockReason:                          p.BlockReason,
	}
}
