package payoutrequests

import (
	"context"
	"net/http"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/urlx"
	"github.com/paysdk/rebilly/internal/validate"
)

// API is what Service does, for merchants who want to put a fake in its place in their tests.
type API interface {
	Create(ctx context.Context, params CreateParams) (*PayoutRequest, error)
	Upsert(ctx context.Context, id string, params UpsertParams) (*PayoutRequest, error)
	Get(ctx context.Context, id string) (*PayoutRequest, error)
}

var _ API = (*Service)(nil)

// Service calls the payout request operations. Get one from rebilly.Client.PayoutRequests.
type Service struct {
	b *backend.Backend
}

// backend returns the service's backend, nil for a nil or zero Service.
func (s *Service) backend() *backend.Backend {
	if s == nil {
		return nil
	}
	return s.b
}

// NewService returns a Service sending through b. rebilly.NewClient calls it; merchants use
// the client's PayoutRequests field instead.
func NewService(b *backend.Backend) *Service { return &Service{b: b} }

const (
	opCreate = "POST /payout-requests"
	opUpsert = "PUT /payout-requests/{id}"
	opGet    = "GET /payout-requests/{id}"

	createRecovery = "the payout request may or may not exist: look for it (by customer and amount) before creating it again, " +
		"or create payout requests with Upsert and an id derived from your own key (payoutrequests.IDFor), which is safe to repeat"
	upsertRecovery = "repeat the Upsert with the same id: it is safe, and settles the outcome"
)

// Create creates a payout request with an id chosen by Rebilly. POST /payout-requests
//
// The API has no idempotency key for this operation, so Create repeats it only when Rebilly
// provably did nothing (the connection could not be made, or it answered 429 or 503). After
// any other failure the payout request may exist, and the error matches
// rebilly.ErrOutcomeUnknown. Prefer Upsert with IDFor when each payout request must exist
// exactly once.
func (s *Service) Create(ctx context.Context, params CreateParams) (*PayoutRequest, error) {
	if err := s.backend().Check(opCreate); err != nil {
		return nil, err
	}
	if err := params.validate(opCreate); err != nil {
		return nil, err
	}
	req, err := gen.NewPostPayoutRequestRequest(s.b.Server(), params.toGen())
	if err != nil {
		return nil, backend.RequestError(opCreate, err)
	}
	return s.do(ctx, backend.Call{Op: opCreate, Class: backend.Unsafe, Recovery: createRecovery}, req)
}

// Upsert creates the payout request with the given id, or replaces the one that has it.
// PUT /payout-requests/{id}
//
// Repeating an Upsert cannot create a second payout request, so it is retried after any
// transient failure. With an id from IDFor, it is the exactly-once way to create payout
// requests.
func (s *Service) Upsert(ctx context.Context, id string, params UpsertParams) (*PayoutRequest, error) {
	if err := s.backend().Check(opUpsert); err != nil {
		return nil, err
	}
	var f validate.Fields
	f.ID("id", id, true)
	CreateParams(params).check(&f)
	if err := f.Err(opUpsert); err != nil {
		return nil, err
	}
	req, err := gen.NewPutPayoutRequestRequest(s.b.Server(), id, CreateParams(params).toGen())
	if err != nil {
		return nil, backend.RequestError(opUpsert, err)
	}
	return s.do(ctx, backend.Call{Op: opUpsert, Class: backend.Idempotent, Recovery: upsertRecovery}, req)
}

// Get reads the payout request with the given id. GET /payout-requests/{id}
func (s *Service) Get(ctx context.Context, id string) (*PayoutRequest, error) {
	if err := s.backend().Check(opGet); err != nil {
		return nil, err
	}
	var f validate.Fields
	f.ID("id", id, true)
	if err := f.Err(opGet); err != nil {
		return nil, err
	}
	req, err := gen.NewGetPayoutRequestRequest(s.b.Server(), id)
	if err != nil {
		return nil, backend.RequestError(opGet, err)
	}
	return s.do(ctx, backend.Call{Op: opGet, Class: backend.Idempotent}, req)
}

func (s *Service) do(ctx context.Context, call backend.Call, req *http.Request) (*PayoutRequest, error) {
	var pr PayoutRequest
	if err := s.b.Do(ctx, call, req, &pr); err != nil {
		return nil, err
	}
	return &pr, nil
}

// RedirectURLWithID returns rawURL with a query parameter named param whose value is
// IDPlaceholder, for SelectedPaymentInstrumentRedirectURL: RedirectURLWithID(
// "https://shop.example/payouts/done?from=app", "payoutRequest") is
// "https://shop.example/payouts/done?from=app&payoutRequest={{id}}". The braces stay
// unescaped, as Rebilly needs them.
func RedirectURLWithID(rawURL, param string) (string, error) {
	return urlx.AppendQuery("payoutrequests.RedirectURLWithID", "rawURL", rawURL, placeholders,
		urlx.Param{Name: param, Placeholder: IDPlaceholder})
}

var placeholders = []string{IDPlaceholder}

// validate checks params before anything is sent.
func (p CreateParams) validate(op string) error {
	var f validate.Fields
	p.check(&f)
	return f.Err(op)
}

func (p CreateParams) check(f *validate.Fields) {
	f.ID("websiteId", p.WebsiteID, true)
	f.ID("customerId", p.CustomerID, true)
	f.Currency("currency", p.Currency)
	f.PositiveAmount("amount", p.Amount)
	f.Text("description", p.Description, 0)
	f.ID("paymentInstrumentId", p.PaymentInstrumentID, false)
	f.URL("selectedPaymentInstrumentRedirectUrl", p.SelectedPaymentInstrumentRedirectURL, placeholders...)
	if p.BlockReason != "" {
		f.Text("blockReason", string(p.BlockReason), 50)
	}
}

// toGen is the one place the parameters become the generated request body.
func (p CreateParams) toGen() gen.PayoutRequest {
	body := gen.PayoutRequest{
		WebsiteID:  p.WebsiteID,
		CustomerID: p.CustomerID,
		Currency:   p.Currency,
		Amount:     p.Amount,
		Blocked:    p.Blocked,
	}
	body.Description = optional(p.Description)
	body.PaymentInstrumentID = optional(p.PaymentInstrumentID)
	body.SelectedPaymentInstrumentRedirectURL = optional(p.SelectedPaymentInstrumentRedirectURL)
	if p.BlockReason != "" {
		reason := p.BlockReason
		body.BlockReason = &reason
	}
	return body
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
