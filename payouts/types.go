package payouts

import (
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// Transaction is a payout (a credit transaction) as Rebilly returns it.
type Transaction = gen.Transaction

// Transaction statuses, results and types, as Rebilly reports them. Each is an open set: a
// value not listed here decodes as that string.
type (
	// Status is where a transaction is in its processing.
	Status = gen.TransactionStatus
	// Result is a transaction's outcome.
	Result = gen.TransactionResult
	// Type is a transaction's kind; payouts are TypeCredit.
	Type = gen.TransactionType
)

// The transaction values merchants check most often.
const (
	TypeCredit      = gen.TransactionTypeCredit
	ResultApproved  = gen.TransactionResultApproved
	ResultDeclined  = gen.TransactionResultDeclined
	ResultAbandoned = gen.TransactionResultAbandoned
	ResultCanceled  = gen.TransactionResultCanceled
	ResultUnknown   = gen.TransactionResultUnknown
)

// PaymentInstruction says how a payout is paid: a token, a stored instrument, a choice of
// methods, or new card or bank details. Build it with its From... methods.
type PaymentInstruction = gen.PaymentInstruction

// PaymentInstructionInstrument pays to an instrument stored for the customer.
type PaymentInstructionInstrument = gen.PaymentInstructionInstrument

// ContactObject is a billing address.
type ContactObject = gen.ContactObject

// RiskMetadata carries the customer's device and network signals for risk scoring.
type RiskMetadata = gen.RiskMetadata

// Placeholders Rebilly replaces in RedirectURL and NotificationURL. See URLWithPlaceholders.
const (
	// IDPlaceholder becomes the transaction's id.
	IDPlaceholder = "{id}"
	// ResultPlaceholder becomes the transaction's result, such as "approved".
	ResultPlaceholder = "{result}"
)

// CreateParams are the fields of a new payout. WebsiteID, CustomerID, Currency and a positive
// Amount are required.
type CreateParams struct {
	// WebsiteID is the website the customer belongs to. Required.
	WebsiteID string
	// CustomerID is the customer to pay. Required.
	CustomerID string
	// Currency is the ISO 4217 code of the payout, such as "USD". Required.
	Currency string
	// Amount is how much to pay, in major units. Required, greater than zero.
	Amount money.Amount
	// RequestID is the de-duplication key: at most 50 letters, digits, _ and -. Leave it
	// empty and Create generates one per call; set it from RequestIDFor(yourKey) to stay
	// exactly-once across restarts.
	RequestID string
	// PayoutRequestID is the payout request this payout pays in full.
	PayoutRequestID string
	// PaymentInstruction says how to pay; nil uses the customer's default instrument.
	PaymentInstruction *PaymentInstruction
	// BillingAddress overrides the instrument's or customer's billing address.
	BillingAddress *ContactObject
	// GatewayAccountID forces a gateway account instead of Rebilly's rules.
	GatewayAccountID string
	// Description is free text, at most 255 characters.
	Description string
	// InvoiceIDs are invoices the payout relates to.
	InvoiceIDs []string
	// NotificationURL receives Rebilly's server-to-server POST when the result is final; it may
	// contain IDPlaceholder and ResultPlaceholder.
	NotificationURL string
	// RedirectURL is where the customer goes after an offsite step; it may contain
	// IDPlaceholder and ResultPlaceholder.
	RedirectURL string
	// CustomFields are your own fields on the transaction.
	CustomFields map[string]any
	// RiskMetadata carries device and network signals.
	RiskMetadata *RiskMetadata
	// IsProcessedOutside records a payout already made outside Rebilly.
	IsProcessedOutside bool
	// IsMerchantInitiated marks a payout the merchant, not the customer, started.
	IsMerchantInitiated bool
	// ProcessedTime is when an outside payout was made.
	ProcessedTime *time.Time
}
