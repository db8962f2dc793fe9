package payouts

import (
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
)

// Transaction is a payout (a credit transaction) as Rebilly returns it: what
// [Service.Create], [Service.Get] and [Service.WaitForResult] return. It is the generated
// [gen.Transaction]; the fields merchants read most are ID, RequestID, Result ([IsFinal]
// tells whether it is final), Status, Amount (an exact [money.Amount]), Currency,
// CustomerID, WebsiteID, GatewayAccountID, Description, CreatedTime and UpdatedTime.
type Transaction = gen.Transaction

// Transaction statuses, results and types, as Rebilly reports them. Each is an open set: a
// value not listed here decodes as that string.
type (
	// Status is where a transaction is in its processing; see [InProgress].
	Status = gen.TransactionStatus
	// Result is a transaction's outcome; see [IsFinal].
	Result = gen.TransactionResult
	// Type is a transaction's kind; payouts are [TypeCredit].
	Type = gen.TransactionType
)

// TypeCredit is the type of a payout.
const TypeCredit = gen.TransactionTypeCredit

// Results. Approved, declined, canceled and abandoned are final; unknown is not.
const (
	ResultApproved  = gen.TransactionResultApproved
	ResultDeclined  = gen.TransactionResultDeclined
	ResultAbandoned = gen.TransactionResultAbandoned
	ResultCanceled  = gen.TransactionResultCanceled
	ResultUnknown   = gen.TransactionResultUnknown
)

// Statuses. [InProgress] tells which mean the transaction is not settled yet.
const (
	StatusPending           = gen.TransactionStatusPending
	StatusSending           = gen.TransactionStatusSending
	StatusWaitingGateway    = gen.TransactionStatusWaitingGateway
	StatusWaitingApproval   = gen.TransactionStatusWaitingApproval
	StatusWaitingCapture    = gen.TransactionStatusWaitingCapture
	StatusOffsite           = gen.TransactionStatusOffsite
	StatusConnError         = gen.TransactionStatusConnError
	StatusTimeout           = gen.TransactionStatusTimeout
	StatusNeverSent         = gen.TransactionStatusNeverSent
	StatusCompleted         = gen.TransactionStatusCompleted
	StatusVoided            = gen.TransactionStatusVoided
	StatusRefunded          = gen.TransactionStatusRefunded
	StatusPartiallyRefunded = gen.TransactionStatusPartiallyRefunded
	StatusWaitingRefund     = gen.TransactionStatusWaitingRefund
	StatusDisputed          = gen.TransactionStatusDisputed
)

// PaymentInstruction says how a payout is paid: to a token, to a stored instrument, by a
// choice of methods, or to new card or bank details. Build one with [PayToInstrument],
// [PayToToken], [PayByMethods], [PayToCard] or [PayToBankAccount]; its zero value (no
// instruction) lets Rebilly use the customer's default instrument.
type PaymentInstruction = gen.PaymentInstruction

// PaymentMethod names a payment method, such as "payment-card" or "ach".
type PaymentMethod = gen.PaymentMethod

// Card is the plain card data of [PayToCard]: the generated [gen.PaymentCardCreatePlain].
type Card = gen.PaymentCardCreatePlain

// BankAccount is the plain bank account data of [PayToBankAccount]: the generated
// [gen.BankAccountCreatePlain].
type BankAccount = gen.BankAccountCreatePlain

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
	//
	// Deprecated: Rebilly deprecated payoutRequestId on POST /payouts on 2026-04-02 in favour
	// of the allocation flow: use allocations.Service.PayInFull (or Create, Process and
	// WaitForResult) from the rebilly.Client's Allocations field. It still works, for
	// merchants who use it today.
	PayoutRequestID string
	// PaymentInstruction says how to pay; the zero value uses the customer's default instrument.
	PaymentInstruction PaymentInstruction
	// BillingAddress overrides the instrument's or customer's billing address.
	BillingAddress ContactObject
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
	RiskMetadata RiskMetadata
	// IsProcessedOutside records a payout already made outside Rebilly.
	IsProcessedOutside bool
	// IsMerchantInitiated marks a payout the merchant, not the customer, started.
	IsMerchantInitiated bool
	// ProcessedTime is when an outside payout was made.
	ProcessedTime time.Time
}
