package rebillytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/paysdk/rebilly/gen"
	"github.com/paysdk/rebilly/money"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
)

// Values the fake fills in where Rebilly would name a real gateway.
const (
	// GatewayAccountID is the gateway account of every payout that does not name one, and
	// of automatic allocations.
	GatewayAccountID = "gw_acc_rebillytest"
	// GatewayName is the gateway of every payout.
	GatewayName = gen.GatewayNameTestProcessor
	// SelectPaymentInstrumentURLFormat is the selectPaymentInstrumentUrl of a payout request,
	// with %s standing for its id (escaped).
	SelectPaymentInstrumentURLFormat = "https://portal.rebilly.test/payout-requests/%s/select"
)

// Id prefixes of the resources the Handler creates.
const (
	PayoutRequestIDPrefix = "pout_req_"
	TransactionIDPrefix   = "txn_"
	AllocationIDPrefix    = "pout_alloc_"
)

// linkBase builds the URLs of resources for links and Location headers.
type linkBase struct {
	origin string // scheme, host and path prefix the client used
	org    string
}

func (l linkBase) url(collection, id string) string {
	return l.origin + "/organizations/" + url.PathEscape(l.org) + "/" + collection + "/" + url.PathEscape(id)
}

type link struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

// setLinks fills a generated _links field (a slice of an anonymous struct) through JSON, so that the anonymous type need not be spelled out.
func setLinks(dst any, links ...link) {
	b, err := json.Marshal(links)
	if err == nil {
		err = json.Unmarshal(b, dst)
	}
	if err != nil { // cannot happen: both sides are plain strings
		panic(err)
	}
}

// clone deep-copies a stored resource through JSON, which money.Amount and the times
// round-trip exactly.
func clone[T any](v *T) T {
	var out T
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil { // cannot happen: the resource was built from decoded JSON
		panic(err)
	}
	return out
}

// jsonResponse answers status with v as JSON.
func jsonResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		return newProblem(http.StatusInternalServerError, "encoding the answer: "+err.Error()).response()
	}
	return &response{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: body}
}

// decodeBody decodes a JSON request body into v; an empty body decodes as {}.
func decodeBody(body []byte, v any) *problem {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return newProblem(http.StatusBadRequest, "the request body cannot be decoded: "+err.Error())
	}
	if dec.More() {
		return newProblem(http.StatusBadRequest, "the request body holds more than one JSON value")
	}
	return nil
}

// fieldChecks collects the rules the Handler applies in both strict and lenient mode.
type fieldChecks []invalidField

func (f *fieldChecks) add(field, message string) {
	*f = append(*f, invalidField{Field: field, Message: message})
}

func (f *fieldChecks) required(field, v string) {
	if v == "" {
		f.add(field, "is required")
	}
}

func (f *fieldChecks) currency(field, v string) {
	if v == "" {
		f.add(field, "is required")
		return
	}
	if len(v) != 3 || !isUpper(v) {
		f.add(field, "must be a three-letter ISO 4217 code in upper case, such as USD")
	}
}

func (f *fieldChecks) positiveAmount(field string, a money.Amount) {
	switch {
	case a.IsZero():
		f.add(field, "is required")
	case a.Sign() <= 0:
		f.add(field, "must be greater than 0")
	}
}

func (f fieldChecks) problem() *problem {
	if len(f) == 0 {
		return nil
	}
	return validationProblem("the request data is not valid", f...)
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func checkPayoutRequestBody(in *gen.PayoutRequest) *problem {
	var f fieldChecks
	f.required("websiteId", in.WebsiteID)
	f.required("customerId", in.CustomerID)
	f.currency("currency", in.Currency)
	f.positiveAmount("amount", in.Amount)
	return f.problem()
}

// createPayoutRequest serves POST /payout-requests. h.mu is held.
func (h *Handler) createPayoutRequest(body []byte, now time.Time, links linkBase) *response {
	var in gen.PayoutRequest
	if p := decodeBody(body, &in); p != nil {
		return p.response()
	}
	if p := checkPayoutRequestBody(&in); p != nil {
		return p.response()
	}
	id := h.cfg.newID(PayoutRequestIDPrefix)
	if _, taken := h.prs[id]; taken {
		return newProblem(http.StatusInternalServerError, fmt.Sprintf("the id generator returned %q twice", id)).response()
	}
	pr := h.storeNewPayoutRequest(id, &in, now, links)
	return created(pr, links.url("payout-requests", id))
}

// created answers 201 with the resource and a Location header.
func created(v any, location string) *response {
	resp := jsonResponse(http.StatusCreated, v)
	if resp.status == http.StatusCreated && location != "" {
		resp.header.Set("Location", location)
	}
	return resp
}

// storeNewPayoutRequest creates and stores a payout request from a request body. h.mu is
// held.
func (h *Handler) storeNewPayoutRequest(id string, in *gen.PayoutRequest, now time.Time, links linkBase) *gen.PayoutRequest {
	unblocked := false
	pr := &gen.PayoutRequest{
		ID:                         id,
		SelectPaymentInstrumentURL: fmt.Sprintf(SelectPaymentInstrumentURLFormat, url.PathEscape(id)),
		Allocations:                []gen.PayoutRequestAllocation{},
		Blocked:                    &unblocked,
		CreatedTime:                now,
	}
	setLinks(&pr.Links, link{Href: links.url("payout-requests", id), Rel: "self"})
	applyPayoutRequestBody(pr, in, now)
	h.prs[id] = pr
	h.prOrder = append(h.prOrder, id)
	return pr
}

// applyPayoutRequestBody copies the writable fields of a request body onto a stored payout
// request, as a PUT replaces them, and recomputes its availableAmount and status. Blocked
// left out keeps its value.
func applyPayoutRequestBody(pr *gen.PayoutRequest, in *gen.PayoutRequest, now time.Time) {
	pr.WebsiteID = in.WebsiteID
	pr.CustomerID = in.CustomerID
	pr.Currency = in.Currency
	pr.Amount = in.Amount
	pr.Description = in.Description
	pr.PaymentInstrumentID = in.PaymentInstrumentID
	pr.SelectedPaymentInstrumentRedirectURL = in.SelectedPaymentInstrumentRedirectURL
	if in.Blocked != nil {
		blocked := *in.Blocked // a copy: the stored resource shares nothing with the body
		pr.Blocked = &blocked
	}
	pr.BlockReason = in.BlockReason
	if pr.Blocked != nil && !*pr.Blocked {
		pr.BlockReason = ""
	}
	if sum := allocated(pr); sum.Sign() == 0 {
		pr.AvailableAmount = pr.Amount // the amount's own text, as Rebilly echoes it
	} else {
		pr.AvailableAmount = pr.Amount.Sub(sum) // exact: money.Amount never uses floats
	}
	pr.Status = statusOf(pr)
	pr.UpdatedTime = now
}

// allocated sums the amounts allocated to a payout request, leaving out the allocations
// whose payout paid nothing (declined, canceled): their amount can be paid again.
func allocated(pr *gen.PayoutRequest) money.Amount {
	var sum money.Amount
	for i := range pr.Allocations {
		if !released(&pr.Allocations[i]) {
			sum = sum.Add(pr.Allocations[i].Amount)
		}
	}
	return sum
}

// statusOf computes a payout request's status by the seed documentation's model: pending
// until an instrument is known (instrument-selected), partially-fulfilled while part of the
// amount is allocated, fulfilled once availableAmount reaches 0. canceled stays canceled.
// Once the allocation operations have allocated it, it follows Rebilly's current model
// instead: in-progress until paid in full (see inProgressStatus).
func statusOf(pr *gen.PayoutRequest) gen.PayoutRequestStatus {
	switch {
	case pr.Status == gen.PayoutRequestStatusCanceled:
		return gen.PayoutRequestStatusCanceled
	case pr.Status == gen.PayoutRequestStatusInProgress:
		return inProgressStatus(pr)
	case allocated(pr).Sign() > 0 && pr.AvailableAmount.Sign() <= 0:
		return gen.PayoutRequestStatusFulfilled
	case allocated(pr).Sign() > 0:
		return gen.PayoutRequestStatusPartiallyFulfilled
	case pr.PaymentInstrumentID != "":
		return gen.PayoutRequestStatusInstrumentSelected
	}
	return gen.PayoutRequestStatusPending
}

// upsertPayoutRequest serves PUT /payout-requests/{id}. h.mu is held.
func (h *Handler) upsertPayoutRequest(id string, body []byte, now time.Time, links linkBase) *response {
	var in gen.PayoutRequest
	if p := decodeBody(body, &in); p != nil {
		return p.response()
	}
	if p := checkPayoutRequestBody(&in); p != nil {
		return p.response()
	}
	pr, ok := h.prs[id]
	if !ok {
		pr := h.storeNewPayoutRequest(id, &in, now, links)
		return created(pr, links.url("payout-requests", id))
	}
	if pr.Status == gen.PayoutRequestStatusCanceled {
		return validationProblem("the payout request is canceled and cannot be changed",
			invalidField{Field: "id", Message: "names a canceled payout request"}).response()
	}
	sum := allocated(pr)
	var f fieldChecks
	if in.Amount.Cmp(sum) < 0 {
		f.add("amount", fmt.Sprintf("is below the %s %s already allocated", sum, pr.Currency))
	}
	if sum.Sign() > 0 && in.Currency != pr.Currency {
		f.add("currency", fmt.Sprintf("cannot change from %s: part of the amount is allocated", pr.Currency))
	}
	if p := f.problem(); p != nil {
		return p.response()
	}
	applyPayoutRequestBody(pr, &in, now)
	return jsonResponse(http.StatusOK, pr)
}

// getPayoutRequest serves GET /payout-requests/{id}. h.mu is held.
func (h *Handler) getPayoutRequest(id string) *response {
	pr, ok := h.prs[id]
	if !ok {
		return newProblem(http.StatusNotFound, fmt.Sprintf("no payout request has the id %q", id)).response()
	}
	return jsonResponse(http.StatusOK, pr)
}

// createPayout serves POST /payouts. h.mu is held.
func (h *Handler) createPayout(body []byte, now time.Time, links linkBase) *response {
	var in gen.CreditTransaction
	if p := decodeBody(body, &in); p != nil {
		return p.response()
	}
	var f fieldChecks
	f.required("websiteId", in.WebsiteID)
	f.required("customerId", in.CustomerID)
	f.currency("currency", in.Currency)
	f.positiveAmount("amount", in.Amount)
	if p := f.problem(); p != nil {
		return p.response()
	}

	requestID := in.RequestID
	if seen, ok := h.requestIDs[requestID]; ok && requestID != "" && now.Sub(seen.at) < DuplicateRequestWindow {
		if h.cfg.conflictOnDuplicate {
			return newProblem(http.StatusConflict, fmt.Sprintf("requestId %q was already used by transaction %s", requestID, seen.txID)).response()
		}
		tx := h.txs[seen.txID]
		return created(tx, selfHref(tx))
	}

	var pr *gen.PayoutRequest
	if in.PayoutRequestID != "" {
		var p *problem
		if pr, p = h.payoutRequestFor(&in); p != nil {
			return p.response()
		}
	}

	tx, p := h.newPayoutLocked(&in, "", now, links)
	if p != nil {
		return p.response()
	}
	if pr != nil {
		h.allocate(pr, &in, tx, now, links)
	}
	if requestID != "" {
		h.requestIDs[requestID] = seenRequestID{txID: tx.ID, at: now}
	}
	return created(tx, selfHref(tx))
}

// newPayoutLocked creates and stores the credit transaction of a payout, with the result
// its outcome rule chooses: for POST /payouts, or for the processing of the allocation
// with the given id. h.mu is held.
func (h *Handler) newPayoutLocked(in *gen.CreditTransaction, allocationID string, now time.Time, links linkBase) (*gen.Transaction, *problem) {
	txID := h.cfg.newID(TransactionIDPrefix)
	if _, taken := h.txs[txID]; taken {
		return nil, newProblem(http.StatusInternalServerError, fmt.Sprintf("the id generator returned %q twice", txID))
	}
	tx := newTransaction(txID, in, now, h.cfg.organizationID)
	setLinks(&tx.Links, link{Href: links.url("transactions", txID), Rel: "self"})
	h.applyOutcome(tx, h.outcomeFor(txID, in, allocationID))
	h.txs[txID] = tx
	h.txOrder = append(h.txOrder, txID)
	return tx, nil
}

// selfHref returns the href of a transaction's self link.
func selfHref(tx *gen.Transaction) string {
	for _, l := range tx.Links {
		if l.Rel == gen.TransactionLinksRelSelf && l.Href != "" {
			return l.Href
		}
	}
	return ""
}

// payoutRequestFor finds the payout request a payout names and checks that the payout fits
// in it. h.mu is held.
func (h *Handler) payoutRequestFor(in *gen.CreditTransaction) (*gen.PayoutRequest, *problem) {
	id := in.PayoutRequestID
	pr, ok := h.prs[id]
	if !ok {
		return nil, fieldProblem("payoutRequestId", fmt.Sprintf("names no payout request: %q does not exist", id))
	}
	switch pr.Status {
	case gen.PayoutRequestStatusFulfilled, gen.PayoutRequestStatusCanceled:
		return nil, fieldProblem("payoutRequestId", fmt.Sprintf("names a payout request that is %s", pr.Status))
	}
	if pr.Blocked != nil && *pr.Blocked {
		return nil, fieldProblem("payoutRequestId", "names a blocked payout request")
	}
	var f fieldChecks
	if in.Currency != pr.Currency {
		f.add("currency", fmt.Sprintf("must be the payout request's currency, %s", pr.Currency))
	}
	if in.CustomerID != pr.CustomerID {
		f.add("customerId", fmt.Sprintf("must be the payout request's customer, %s", pr.CustomerID))
	}
	if in.Amount.Cmp(pr.AvailableAmount) > 0 {
		f.add("amount", fmt.Sprintf("exceeds the payout request's availableAmount of %s %s", pr.AvailableAmount, pr.Currency))
	}
	return pr, f.problem()
}

// allocate records a payout against its payout request: an allocation in the state of
// the payout's result, a smaller availableAmount unless the payout paid nothing, and a new
// status. h.mu is held.
func (h *Handler) allocate(pr *gen.PayoutRequest, in *gen.CreditTransaction, tx *gen.Transaction, now time.Time, links linkBase) {
	txID := tx.ID
	instrument := pr.PaymentInstrumentID
	if pi, err := in.PaymentInstruction.AsPaymentInstructionInstrument(); err == nil && pi.PaymentInstrumentID != "" {
		instrument = pi.PaymentInstrumentID
	}
	gateway := GatewayAccountID
	if in.GatewayAccountID != "" {
		gateway = in.GatewayAccountID
	}
	allocID := h.cfg.newID(AllocationIDPrefix)
	a := gen.PayoutRequestAllocation{
		ID:                  allocID,
		PayoutRequestID:     pr.ID,
		BatchID:             pr.BatchID,
		PaymentInstrumentID: instrument,
		GatewayAccountID:    gateway,
		GatewayName:         string(GatewayName),
		Amount:              in.Amount,
		Currency:            in.Currency,
		TransactionID:       txID,
		CreatedTime:         now,
		UpdatedTime:         now,
	}
	a.Status, a.TransactionResult, a.TransactionStatus = allocationState(tx)
	setLinks(&a.Links,
		link{Href: links.url("transactions", txID), Rel: "transaction"},
		link{Href: links.url("payout-requests", pr.ID), Rel: "payoutRequest"})
	pr.Allocations = append(pr.Allocations, a)
	if !released(&a) {
		pr.AvailableAmount = pr.AvailableAmount.Sub(in.Amount)
	}
	pr.Status = statusOf(pr)
	pr.UpdatedTime = now
}

// newTransaction builds the approved credit transaction of a payout; applyOutcome then
// gives it the result its Outcome chose.
func newTransaction(id string, in *gen.CreditTransaction, now time.Time, org string) *gen.Transaction {
	processed := now
	if in.IsProcessedOutside && !in.ProcessedTime.IsZero() {
		processed = in.ProcessedTime.UTC()
	}
	gateway := GatewayAccountID
	if in.GatewayAccountID != "" {
		gateway = in.GatewayAccountID
	}
	return &gen.Transaction{
		ID:                  id,
		Type:                gen.TransactionTypeCredit,
		Status:              gen.TransactionStatusCompleted,
		Result:              gen.TransactionResultApproved,
		Amount:              in.Amount,
		Currency:            in.Currency,
		RequestAmount:       in.Amount,
		RequestCurrency:     in.Currency,
		PurchaseAmount:      in.Amount,
		PurchaseCurrency:    in.Currency,
		CustomerID:          in.CustomerID,
		WebsiteID:           in.WebsiteID,
		OrganizationID:      org,
		RequestID:           in.RequestID,
		PayoutRequestID:     in.PayoutRequestID,
		Description:         in.Description,
		InvoiceIDs:          in.InvoiceIDs,
		CustomFields:        in.CustomFields,
		NotificationURL:     in.NotificationURL,
		RedirectURL:         in.RedirectURL,
		BillingAddress:      in.BillingAddress,
		RiskMetadata:        in.RiskMetadata,
		IsProcessedOutside:  in.IsProcessedOutside,
		IsMerchantInitiated: in.IsMerchantInitiated,
		GatewayAccountID:    gateway,
		GatewayName:         GatewayName,
		Revision:            1,
		ProcessedTime:       processed,
		CreatedTime:         now,
		UpdatedTime:         now,
	}
}

// PayoutRequests returns copies of every payout request, in the order they were created.
func (h *Handler) PayoutRequests() []payoutrequests.PayoutRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]payoutrequests.PayoutRequest, len(h.prOrder))
	for i, id := range h.prOrder {
		out[i] = clone(h.prs[id])
	}
	return out
}

// PayoutRequest returns a copy of the payout request with the given id, and whether it
// exists.
func (h *Handler) PayoutRequest(id string) (payoutrequests.PayoutRequest, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	pr, ok := h.prs[id]
	if !ok {
		return payoutrequests.PayoutRequest{}, false
	}
	return clone(pr), true
}

// Transactions returns copies of every transaction the payouts created, in the order they
// were created.
func (h *Handler) Transactions() []payouts.Transaction {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]payouts.Transaction, len(h.txOrder))
	for i, id := range h.txOrder {
		out[i] = clone(h.txs[id])
	}
	return out
}

// Transaction returns a copy of the transaction with the given id, and whether it exists.
func (h *Handler) Transaction(id string) (payouts.Transaction, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	tx, ok := h.txs[id]
	if !ok {
		return payouts.Transaction{}, false
	}
	return clone(tx), true
}

// CancelPayoutRequest cancels a payout request as its merchant would in Rebilly's dashboard,
// without a request: its status becomes canceled (canceledBy merchant, with reason as the
// description), later payouts against it are answered 422, and so are PUTs to it. It fails
// when no payout request has the id, or when it is already canceled or fulfilled. The API's
// own POST /payout-requests/{id}/cancel does the same.
func (h *Handler) CancelPayoutRequest(id, reason string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	pr, ok := h.prs[id]
	if !ok {
		return fmt.Errorf("rebillytest: CancelPayoutRequest: no payout request has the id %q", id)
	}
	in := gen.PayoutRequestCancellation{CanceledBy: gen.PayoutRequestCancellationCanceledByMerchant, Description: reason}
	if p := cancelLocked(pr, in, h.cfg.clock().UTC().Truncate(time.Second)); p != nil {
		return fmt.Errorf("rebillytest: CancelPayoutRequest: %s", p.Detail)
	}
	return nil
}
