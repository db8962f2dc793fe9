// Package rebillytest is an in-memory, stateful fake of the Rebilly operations the SDK
// wraps, for unit tests of code that pays out through github.com/paysdk/rebilly:
//
//	POST  /payout-requests                       create a payout request
//	GET   /payout-requests                       list payout requests: filter, sort, limit, offset
//	PUT   /payout-requests/{id}                  create (201) or update (200) a payout request
//	GET   /payout-requests/{id}                  read a payout request
//	POST  /payout-requests/{id}/cancel           cancel a payout request
//	GET   /payout-request-allocations            list the allocations of every payout request
//	POST  /payout-request-allocations            allocate part of a payout request
//	POST  /payout-request-allocations/auto       allocate what is left, as the fake chooses
//	POST  /payout-request-allocations/process    start paying pending allocations
//	GET   /payout-request-allocations/{id}       read an allocation: is it paid yet?
//	PATCH /payout-request-allocations/{id}       process or cancel a pending allocation
//	POST  /payouts                               pay: create a credit transaction
//	GET   /transactions/{id}                     read a transaction: is the payout's result final yet?
//
// Start one per test with NewServer and point a real client at it: [Server.ClientOptions]
// gives its URL, API key, organization and http.Client (whose connections close with the
// server):
//
//	srv := rebillytest.NewServer(t)
//	client, err := rebilly.NewClient(append(srv.ClientOptions(),
//		rebilly.WithRetryWait(0, 0), // retries without sleeping
//	)...)
//
// With [WithTLS] the server speaks HTTPS and HTTP/2. Without any network, register a Handler
// on an httpmock transport ([Handler.RegisterOn]) and use [Handler.ClientOptions]. All answer
// the same, except for the host in links and Location headers, which is the one the client
// used, and for how an unanswered request reaches the client (see DropBeforeCommit,
// ResetAfterCommit and CutSuccessBody).
//
// # Behaviour
//
// Requests must carry the API key (WithAPIKey, default DefaultAPIKey) in REB-APIKEY, or the
// JWT of WithJWT as "Authorization: Bearer <token>"; anything else is answered 401. A request
// for another organization than the Handler's (WithOrganizationID, default
// DefaultOrganizationID) is answered 401 too: the credential is not valid for it. Every error
// is a problem-details body (RFC 9457, sent as application/json as openapi.yaml declares) with type, title, status and detail,
// and invalidFields ([{field, message}]) on 422.
//
// Payout requests get a server-assigned id (PayoutRequestIDPrefix and 26 upper-case letters
// and digits; see WithIDGenerator), availableAmount equal to amount, createdTime and
// updatedTime, a selectPaymentInstrumentUrl and a self link; POST answers 201 with Location,
// X-RateLimit-Limit and X-RateLimit-Remaining. PUT creates (201) or replaces the writable
// fields (200), keeping id, createdTime and allocations and recomputing availableAmount as
// amount minus what is allocated; an amount below that is a 422. The {{id}} placeholder of
// selectedPaymentInstrumentRedirectUrl is stored as given.
//
// A payout is a credit transaction (id TransactionIDPrefix...), approved and completed
// unless its [Outcome] says otherwise (see below). Its requestId is remembered for
// DuplicateRequestWindow by the Handler's clock: a repeated requestId creates nothing and is
// answered 201 with the first transaction as it is now (or 409, with
// WithConflictOnDuplicateRequestID). A payout with a payoutRequestId must name an existing
// payout request (else 422 on payoutRequestId), in its currency and for its customer, for
// at most its availableAmount (else 422 on amount); it then appends an allocation to the
// payout request and lowers its availableAmount exactly (money.Amount, never float64),
// unless the payout paid nothing.
//
// GET /transactions/{id} answers the stored transaction, or 404 when no transaction has the
// id. It accepts the expand parameter and ignores it: _embedded is never filled. Asked for
// Accept: application/pdf, it answers 406, as it renders no PDF (strict mode refuses an
// Accept outside the specification's application/json and application/pdf with 422).
//
// GET /payout-requests answers a JSON array with Pagination-Total, Pagination-Limit and
// Pagination-Offset. It reads Rebilly's filter syntax: "field:value" terms joined by ";"
// (all must hold), values joined by "," (any may match), ranges "lo..hi" with either end open
// on createdTime, updatedTime and amount, and a leading "!" to negate; strings match without
// regard to case; the fields are those openapi.yaml lists (id, customerId, websiteId,
// batchId, status, blocked, blockReason, splitReason, createdTime, updatedTime, currency,
// amount). sort takes fields joined by ",", "-" for descending; ties keep the order of
// creation on every request. limit defaults to DefaultListLimit. An offset above the offset
// cap (MaxListOffset unless [WithOffsetCap] says otherwise) is answered 422, or with
// [RepeatPageAtCap] the page at the cap, silently, as Rebilly once documented.
// [Handler.SeedPayoutRequests] stores thousands of payout requests at once, with the
// createdTimes a test chooses.
//
// POST /payout-requests/{id}/cancel answers 200 with the payout request canceled (and
// Location), recording canceledBy (customer when it is left out, as openapi.yaml says) and
// description; 409 for a payout request already canceled or fulfilled; 404 for none.
//
// Payout request statuses follow the seed documentation's model, which openapi.yaml still
// lists beside Rebilly's current one: pending, or instrument-selected when the payout
// request names a paymentInstrumentId; partially-fulfilled while availableAmount is above 0
// after a payout; fulfilled when it reaches 0; canceled (by the cancel operation or
// Handler.CancelPayoutRequest). A
// payout against a fulfilled, canceled or blocked payout request is answered 422. Once
// the allocation operations allocate a payout request, it follows Rebilly's current model
// instead (see Allocations).
//
// # Allocations
//
// The allocation operations pay a payout request the way Rebilly recommends. An allocation
// lives in its payout request's allocations, which are the only record of it: the payout
// request and GET /payout-request-allocations/{id} always show the same allocation, and an
// allocation that POST /payouts records is an allocation resource too (already past
// pending).
//
//   - POST /payout-request-allocations answers 201 with the allocation (status pending, the
//     payout request's currency, id AllocationIDPrefix...) and its Location, lowers the
//     payout request's availableAmount exactly, and moves it to in-progress. It is a 404
//     when no payout request has the id; a 409 when the payout request is canceled,
//     blocked or fulfilled; a 422 on amount when the amount exceeds what is not yet
//     allocated (availableAmount). The fake keeps no instruments or gateway accounts: any
//     paymentInstrumentId and gatewayAccountId is accepted.
//   - POST /payout-request-allocations/auto answers 204 after allocating all that is not
//     yet allocated in one allocation, to the payout request's paymentInstrumentId
//     ([PaymentInstrumentID] when it names none) through [GatewayAccountID]; a 409 when
//     nothing is left, and as for a manual allocation otherwise.
//   - POST /payout-request-allocations/process answers 204 and queues every pending
//     allocation it names (status queued); it leaves the others alone, so repeating it
//     changes nothing, and leaves alone the pending allocations of a payout request that
//     is blocked or canceled. An id that names no allocation makes it a 422 that queues
//     nothing.
//   - Processing is asynchronous, and reads drive it: each GET of a queued allocation
//     finds it processing; the next one finds it processed, with its credit transaction
//     (transactionId, transactionResult, transactionStatus) created with the [Outcome]
//     the payout rule ([WithPayoutOutcome]; [PayoutInfo].AllocationID names the
//     allocation) chooses: completed when approved, declined when declined, failed when
//     canceled or abandoned, waiting-completion while unknown. An unknown one settles as
//     a payout does: on [Handler.SettlePayout] with its transactionId, or after
//     [Outcome.AfterReads] reads, where a read of the allocation and one of its
//     transaction both count. Reads of the payout request show the allocations without
//     moving them on, so that the payout request a program reads to decide what to
//     allocate holds still. [Handler.ProcessQueuedAllocations] processes queued
//     allocations at once, without reads.
//   - PATCH /payout-request-allocations/{id} moves a pending allocation to processing (it
//     is processed on its next read) or to canceled (its amount is free again); any other
//     transition, and any for a blocked or canceled payout request, is a 409.
//   - GET /payout-request-allocations lists the allocations of every payout request exactly
//     as GET /payout-requests lists payout requests (filter syntax, sort, limit, offset,
//     the Pagination-* headers and the offset cap of [WithOffsetCap]), in order of creation
//     (by createdTime; ties in the order of their payout requests, then their own). Its
//     filter fields are id, payoutRequestId, batchId, paymentInstrumentId,
//     gatewayAccountId, transactionId, status, currency, amount, createdTime and
//     updatedTime (Rebilly lists none for this collection); it sorts on id,
//     payoutRequestId, status, currency, amount, createdTime and updatedTime. Listing does
//     not move processing on. [Handler.SeedAllocations] stores thousands of allocations at
//     once, with the createdTimes a test chooses.
//
// An allocation that paid nothing (declined, failed, canceled) gives its amount back to
// availableAmount, so it can be allocated again. From its first allocation until it is
// canceled, the payout request is in-progress, and fulfilled once its completed
// allocations pay its amount in full. Canceling it ([Handler.CancelPayoutRequest]) cancels
// its pending allocations.
//
// # Payout results
//
// Rebilly answers POST /payouts 201 even when the result is not decided: a slow gateway
// gives result unknown and status timeout, and Rebilly settles the payout later, then
// notifies its notificationUrl. [WithPayoutOutcome] (or [Handler.SetPayoutOutcome]) chooses
// each new payout's [Outcome] by a rule that sees the payout ([PayoutInfo]):
//
//   - the zero Outcome: approved and completed at once (the default);
//   - [Final](result): declined, canceled or abandoned at once;
//   - [Unknown](status): result unknown with an in-progress status (timeout,
//     waiting-gateway...), final when the test calls [Handler.SettlePayout], or on its own
//     after [Outcome.AfterReads] reads of GET /transactions/{id}; approved, or the result
//     of [Outcome.Then].
//
// A payout's allocation follows its result: waiting-completion while unknown (its amount
// held), completed when approved, declined (or failed, for canceled and abandoned
// payouts) otherwise. A payout that paid nothing gives its amount back to the payout
// request's availableAmount, and the payout request's status is computed again, so the
// amount can be paid again, as Rebilly would pay it again after a declined payout.
//
// # Notifications
//
// When the result of an [Unknown] payout becomes final and the payout has a
// notificationUrl, the Handler fills in its {id} and {result} placeholders and POSTs the
// transaction to it in the background, repeating until an answer is 2xx, at most
// DefaultNotificationAttempts times ([WithNotificationRetry] changes the count and the
// backoff; tests make it not wait). It sends only to loopback addresses (localhost,
// 127.0.0.0/8, ::1), and records any other URL with [ErrNotLoopback] without sending. A
// result that is final at once is not notified: Rebilly notifies only results settled
// after a timeout or an offsite step. [Handler.Deliveries] lists the deliveries
// ([Delivery]: URL, the status of each attempt, delivered or not), and
// [Handler.WaitDeliveries] waits until a number of them are done, so that tests need not
// sleep. [Handler.Close] stops deliveries in progress and waits for their goroutines;
// [Server.Close] calls it.
//
// # Strict mode
//
// By default (WithStrict) every request is validated against openapi.yaml with kin-openapi
// (openapi3filter.ValidateRequest, with a gorillamux router) before it is processed, and a
// request the specification rejects is answered 422 naming each field (400 for a body that is
// not JSON, 415 for one that is not application/json). The URL fields that carry Rebilly's
// placeholders ({{id}}, {id}, {result}) have no format: uri in the specification, so the
// placeholders pass. The package embeds a copy of the repository's openapi.yaml,
// refreshed by go generate, and parses it once per process (the package's only package-level
// state, which is never changed after it is built); each Handler builds its router on its
// first strict request.
//
// # Faults
//
// [Handler.FailNext] and [Handler.FailRandomly] inject failures for resilience tests: an
// error status before processing ([StatusBeforeCommit], [RateLimited], [Unavailable]), a
// connection dropped before processing ([DropBeforeCommit]), or a request processed and
// stored whose answer is lost ([DropAfterCommit], [ResetAfterCommit]) or replaced by an
// error ([StatusAfterCommit]). Those are what the SDK's requestId and Upsert exist for.
//
// Success-shaped faults break the answer of a request that succeeded, keeping its 2xx
// status and headers (Location included), for testing the code that reads answers: a body
// cut halfway by the connection ([CutSuccessBody]), a body of {} ([SuccessWithoutID]), or
// any other body ([SuccessWithBody]). They strike only requests that succeed; see [Fault].
//
// # Inspection
//
// Handler.Requests returns every request received (credentials redacted);
// Handler.PayoutRequests, Handler.PayoutRequest, Handler.Allocation, Handler.Transactions
// and Handler.Transaction return copies of what is stored, without moving anything on; Handler.Deliveries the notifications
// sent; Handler.Reset forgets everything.
//
// A Handler is safe for concurrent use: it processes one request at a time under a mutex.
// It starts no goroutine but one per notification being delivered, which ends when the
// notification is delivered or given up, or at [Handler.Close].
package rebillytest
