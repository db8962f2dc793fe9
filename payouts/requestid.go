package payouts

import (
	"github.com/google/uuid"

	"github.com/paysdk/rebilly/internal/validate"
)

// requestIDNamespace is the SDK's own UUID namespace for RequestIDFor. It must never change:
// a changed namespace would give every merchant key a new requestId, and a payout retried
// across an upgrade could then be paid twice.
var requestIDNamespace = uuid.MustParse("5b0f8a8e-3c1d-5d7e-9a41-6f2b1c7d9e30")

// RequestIDFor returns the requestId for a payout that your system knows by key (a withdrawal
// id, a ledger entry id): a version 5 UUID derived from key under a namespace of this SDK's.
// The same key always gives the same requestId, in every process and on every machine, so a
// payout retried after a crash or a restart carries the requestId of the first try, and
// Rebilly pays it once (requestIds are de-duplicated for 24 hours).
//
// Use a key that names one payout and nothing else: two payouts under one key would be paid
// once. An empty key is refused for that reason, with an error matching
// rebilly.ErrInvalidParams.
func RequestIDFor(key string) (string, error) {
	if key == "" {
		var f validate.Fields
		f.Add("key", "is required: an empty key would give every payout the same requestId")
		return "", f.Err("payouts.RequestIDFor")
	}
	return uuid.NewSHA1(requestIDNamespace, []byte(key)).String(), nil
}

// newRequestID returns a fresh random requestId for a call whose caller gave none.
func newRequestID() string {
	return uuid.NewString()
}
