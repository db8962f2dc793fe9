package payouts

import (
	"context"
	"fmt"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/urlx"
	"github.com/paysdk/rebilly/internal/validate"
)

// API is what Service does, for merchants who want to put a fake in its place in their tests.
type API interface {
	Create(ctx context.Context, params CreateParams) (*Transaction, error)
}

var _ API = (*Service)(nil)

// Service calls the payout operation. Get one from rebilly.Client.Payouts.
type Service struct {
	b *backend.Backend
	// freeForm names the members of a Transaction whose values are free-form JSON; their
	// numbers must be decoded exactly (see backend.Call.FreeForm).
	freeForm []string
}

// backend returns the service's backend, nil for a nil or zero Service.
func (s *Service) backend() *backend.Backend {
	if s == nil {
		return nil
	}
	return s.b
}

// NewService returns a Service sending through b. rebilly.NewClient calls it; merchants use
// the client's Payouts field instead.
func NewService(b *backend.Backend) *Service {
	return &Service{b: b, freeForm: []string{"customFields", "_embedded"}}
}

const opCreate = "POST /payouts"

// createRecovery tells the caller how to settle an unknown outcome; the backend fills in the
// requestId only when it builds such an error.
const createRecovery = "repeat Create with RequestID {requestId}: Rebilly ignores a repeated requestId for 24 hours, so this cannot pay twice"

// maxDescription is Rebilly's limit on a transaction's description.
const maxDescription = 255

// Create pays a customer: it creates a credit transaction. POST /payouts
//
// The call always carries a requestId (params.RequestID, or one generated for this call) and
// sends the same one on every attempt, so it is retried after any transient failure without
// risk of paying twice. The requestId used is on the result (RequestID) and on every error.
// If the server answers 409 to a repeated attempt, or to a call whose RequestID you chose, that
// requestId was already used by a payout that went through: the error matches
// rebilly.ErrDuplicateRequest (and rebilly.ErrConflict); do not pay again.
func (s *Service) Create(ctx context.Context, params CreateParams) (*Transaction, error) {
	if err := s.backend().Check(opCreate); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	requestID := params.RequestID
	if requestID == "" {
		requestID = newRequestID()
	}
	req, err := gen.NewPostPayoutRequest(s.b.Server(), params.toGen(requestID))
	if err != nil {
		return nil, backend.RequestError(opCreate, err)
	}
	call := backend.Call{
		Op:                  opCreate,
		Class:               backend.Idempotent,
		RequestID:           requestID,
		RequestIDFromCaller: params.RequestID != "",
		Recovery:            createRecovery,
		FreeForm:            s.freeForm,
	}
	var tx Transaction
	if err := s.b.Do(ctx, call, req, &tx); err != nil {
		return nil, err
	}
	if tx.RequestID == nil {
		tx.RequestID = &requestID
	}
	return &tx, nil
}

// URLWithPlaceholders returns rawURL with query parameters whose values are Rebilly's
// placeholders, for RedirectURL and NotificationURL: URLWithPlaceholders(
// "https://shop.example/payout", "tx", "result") is
// "https://shop.example/payout?tx={id}&result={result}". Pass "" for a parameter you do not
// want. The braces stay unescaped, as Rebilly needs them.
func URLWithPlaceholders(rawURL, idParam, resultParam string) (string, error) {
	var params []urlx.Param
	if idParam != "" {
		params = append(params, urlx.Param{Name: idParam, Placeholder: IDPlaceholder})
	}
	if resultParam != "" {
		params = append(params, urlx.Param{Name: resultParam, Placeholder: ResultPlaceholder})
	}
	return urlx.AppendQuery("payouts.URLWithPlaceholders", "rawURL", rawURL, placeholders, params...)
}

var placeholders = []string{IDPlaceholder, ResultPlaceholder}

func (p CreateParams) validate() error {
	var f validate.Fields
	f.ID("websiteId", p.WebsiteID, true)
	f.ID("customerId", p.CustomerID, true)
	f.Currency("currency", p.Currency)
	f.PositiveAmount("amount", p.Amount)
	f.RequestID("requestId", p.RequestID)
	f.ID("payoutRequestId", p.PayoutRequestID, false)
	f.ID("gatewayAccountId", p.GatewayAccountID, false)
	f.Text("description", p.Description, maxDescription)
	for i, id := range p.InvoiceIDs {
		f.ID(fmt.Sprintf("invoiceIds[%d]", i), id, true)
	}
	f.URL("notificationUrl", p.NotificationURL, placeholders...)
	f.URL("redirectUrl", p.RedirectURL, placeholders...)
	return f.Err(opCreate)
}

// toGen is the one place the parameters become the generated request body.
func (p CreateParams) toGen(requestID string) gen.CreditTransaction {
	body := gen.CreditTransaction{
		WebsiteID:          p.WebsiteID,
		CustomerID:         p.CustomerID,
		Currency:           p.Currency,
		Amount:             p.Amount,
		RequestID:          &requestID,
		PaymentInstruction: p.PaymentInstruction,
		BillingAddress:     p.BillingAddress,
		RiskMetadata:       p.RiskMetadata,
		ProcessedTime:      p.ProcessedTime,
	}
	body.PayoutRequestID = optional(p.PayoutRequestID)
	body.GatewayAccountID = optional(p.GatewayAccountID)
	body.Description = optional(p.Description)
	body.NotificationURL = optional(p.NotificationURL)
	body.RedirectURL = optional(p.RedirectURL)
	if len(p.InvoiceIDs) > 0 {
		ids := p.InvoiceIDs
		body.InvoiceIDs = &ids
	}
	if len(p.CustomFields) > 0 {
		fields := p.CustomFields
		body.CustomFields = &fields
	}
	if p.IsProcessedOutside {
		body.IsProcessedOutside = &p.IsProcessedOutside
	}
	if p.IsMerchantInitiated {
		body.IsMerchantInitiated = &p.IsMerchantInitiated
	}
	return body
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
