package payouts

import (
	"context"
	"fmt"
	"net/http"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/placeholder"
	"github.com/paysdk/rebilly/internal/validate"
)

// API is what [Service] does, for merchants who want to put a fake in its place in their
// tests.
type API interface {
	Create(ctx context.Context, params CreateParams) (*Transaction, error)
	Get(ctx context.Context, id string) (*Transaction, error)
	WaitForResult(ctx context.Context, id string) (*Transaction, error)
}

var _ API = (*Service)(nil)

// Service calls the payout operations. Get one from the Payouts field of a rebilly.Client; a
// Service made any other way returns an error from every call.
type Service backend.Handle

func (s *Service) backend() *backend.Backend { return (*backend.Handle)(s).Backend() }

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
// If the server answers 409 after an attempt that may have gone through, or to a call whose
// RequestID you chose, that requestId was already used by a payout: the error matches
// rebilly.ErrDuplicateRequest (outcome applied); do not pay again.
//
// A result (201) says the payout exists, not that the customer was paid: when a gateway is
// slow, Rebilly answers with result unknown and status timeout and decides later. It is paid
// only when its result is final ([IsFinal]) and [ResultApproved]: wait with
// [Service.WaitForResult], or take the notification with [NewNotificationHandler].
func (s *Service) Create(ctx context.Context, params CreateParams) (*Transaction, error) {
	requestID := params.RequestID
	if requestID == "" {
		requestID = newRequestID()
	}
	call := backend.Call[Transaction]{
		Op:                  opCreate,
		Class:               backend.Idempotent,
		RequestID:           requestID,
		RequestIDFromCaller: params.RequestID != "",
		Collection:          "transactions",
		ID:                  txID,
		Refetch:             s.Get,
		Recovery:            createRecovery,
	}
	tx, err := backend.Send(ctx, s.backend(), call, params.validate(), func(server string) (*http.Request, error) {
		return backend.NewRequest(server, http.MethodPost, params.toGen(requestID), "payouts")
	})
	if err != nil {
		return nil, err
	}
	if tx.RequestID == "" {
		tx.RequestID = requestID
	}
	return tx, nil
}

// txID is the id of a decoded transaction: a success without one is not a success.
func txID(tx *Transaction) string { return tx.ID }

// URLWithPlaceholders returns rawURL with query parameters whose values are Rebilly's
// placeholders, for RedirectURL and NotificationURL: URLWithPlaceholders(
// "https://shop.example/payout", "tx", "result") is
// "https://shop.example/payout?tx={id}&result={result}". Pass "" for a parameter you do not
// want. The braces stay unescaped, as Rebilly needs them.
func URLWithPlaceholders(rawURL, idParam, resultParam string) (string, error) {
	var params []placeholder.Param
	if idParam != "" {
		params = append(params, placeholder.Param{Name: idParam, Placeholder: IDPlaceholder})
	}
	if resultParam != "" {
		params = append(params, placeholder.Param{Name: resultParam, Placeholder: ResultPlaceholder})
	}
	return placeholder.AppendQuery("payouts.URLWithPlaceholders", "rawURL", rawURL, placeholders, params...)
}

var placeholders = []string{IDPlaceholder, ResultPlaceholder}

func (p CreateParams) validate() error {
	var f validate.Fields
	f.ID("websiteId", p.WebsiteID, validate.Required)
	f.ID("customerId", p.CustomerID, validate.Required)
	f.Currency("currency", p.Currency)
	f.PositiveAmount("amount", p.Amount)
	f.RequestID("requestId", p.RequestID)
	f.ID("payoutRequestId", p.PayoutRequestID, validate.Optional)
	f.ID("gatewayAccountId", p.GatewayAccountID, validate.Optional)
	f.Text("description", p.Description, maxDescription)
	for i, id := range p.InvoiceIDs {
		f.ID(fmt.Sprintf("invoiceIds[%d]", i), id, validate.Required)
	}
	f.URL("notificationUrl", p.NotificationURL, placeholders...)
	f.URL("redirectUrl", p.RedirectURL, placeholders...)
	return f.Err(opCreate)
}

// toGen is the one place the parameters become the generated request body.
func (p CreateParams) toGen(requestID string) gen.CreditTransaction {
	return gen.CreditTransaction{
		WebsiteID:           p.WebsiteID,
		CustomerID:          p.CustomerID,
		Currency:            p.Currency,
		Amount:              p.Amount,
		RequestID:           requestID,
		PayoutRequestID:     p.PayoutRequestID,
		PaymentInstruction:  p.PaymentInstruction,
		BillingAddress:      p.BillingAddress,
		GatewayAccountID:    p.GatewayAccountID,
		Description:         p.Description,
		InvoiceIDs:          p.InvoiceIDs,
		NotificationURL:     p.NotificationURL,
		RedirectURL:         p.RedirectURL,
		CustomFields:        p.CustomFields,
		RiskMetadata:        p.RiskMetadata,
		IsProcessedOutside:  p.IsProcessedOutside,
		IsMerchantInitiated: p.IsMerchantInitiated,
		ProcessedTime:       p.ProcessedTime,
	}
}
