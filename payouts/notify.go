package payouts

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/paysdk/rebilly/internal/placeholder"
	"github.com/paysdk/rebilly/internal/validate"
)

// The query parameters NotificationURL adds, and the handler reads.
const (
	notifyIDParam     = "transaction"
	notifyResultParam = "result"
	notifyProofParam  = "proof"
)

// MinNotificationSecretLength is the shortest secret [NotificationURL] and
// [NewNotificationHandler] accept, in bytes.
const MinNotificationSecretLength = 16

// maxNotificationBody bounds what the handler reads of a notification's body, which it does
// not trust or need.
const maxNotificationBody = 64 << 10

// proofLabel binds the MAC to its purpose, so that the secret's MACs made for anything else
// are no proof here.
const proofLabel = "rebilly-go payout notification v1\x00"

// NotificationURL returns the notificationUrl to give [CreateParams.NotificationURL]:
// rawURL (absolute http or https) with three query parameters added, "transaction={id}" and
// "result={result}" (placeholders Rebilly fills in) and "proof", which shows the
// notification was set by you.
//
// The proof is a random nonce and an HMAC-SHA256 of it under secret, never the secret
// itself: the URL sits in Rebilly's records and in logs. Use the same secret (at least
// [MinNotificationSecretLength] bytes, kept like an API key) with [NewNotificationHandler].
// Each call makes a new nonce.
func NotificationURL(rawURL, secret string) (string, error) {
	const op = "payouts.NotificationURL"
	if len(secret) < MinNotificationSecretLength {
		var f validate.Fields
		f.Add("secret", "is shorter than 16 bytes")
		return "", f.Err(op)
	}
	var nonce [16]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return "", err
	}
	n := base64.RawURLEncoding.EncodeToString(nonce[:])
	return placeholder.AppendQuery(op, "rawURL", rawURL, placeholders,
		placeholder.Param{Name: notifyIDParam, Placeholder: IDPlaceholder},
		placeholder.Param{Name: notifyResultParam, Placeholder: ResultPlaceholder},
		placeholder.Param{Name: notifyProofParam, Placeholder: n + "." + proofMAC(secret, n)})
}

func proofMAC(secret, nonce string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(proofLabel))
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validProof reports, in constant time over the MAC, whether proof is a nonce and its MAC
// under secret.
func validProof(secret, proof string) bool {
	nonce, mac, ok := strings.Cut(proof, ".")
	if !ok || nonce == "" || len(mac) > 64 {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(proofMAC(secret, nonce)))
}

// NewNotificationHandler returns the http.Handler for the notificationUrl that
// [NotificationURL] made with the same secret. Rebilly's notifications and webhooks carry no
// signature, and anyone can send a request to your URL, so the handler trusts nothing in
// one: not the {result} in its query, not its body. For each request it
//
//  1. refuses with 403, reading nothing further and calling nothing, a request without a
//     valid proof (compared in constant time), and with 400 one without a transaction id;
//  2. reads at most 64 KiB of the body, and ignores it;
//  3. reads the transaction with api.Get, and answers 503 when that fails or the result is
//     not final yet ([IsFinal]), so that Rebilly delivers the notification again;
//  4. calls onResult with the final, GET-confirmed transaction, and answers 204 only when
//     onResult returns nil; an error from it is a 500, and Rebilly delivers again.
//
// Deliveries of the same transaction are handled one at a time, but the same final
// transaction can reach onResult more than once (a repeated delivery, a restart): make
// onResult idempotent, keyed by tx.ID. A nil api or onResult, or a secret shorter than
// [MinNotificationSecretLength], makes every request a 500.
func NewNotificationHandler(api API, secret string, onResult func(ctx context.Context, tx *Transaction) error) http.Handler {
	return &notificationHandler{api: api, secret: secret, onResult: onResult, busy: map[string]*idLock{}}
}

type notificationHandler struct {
	api      API
	secret   string
	onResult func(context.Context, *Transaction) error

	mu   sync.Mutex
	busy map[string]*idLock // per transaction id, while a delivery of it is handled
}

type idLock struct {
	sync.Mutex
	users int
}

// ServeHTTP handles one delivery, as NewNotificationHandler describes.
func (h *notificationHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if h.api == nil || h.onResult == nil || len(h.secret) < MinNotificationSecretLength {
		http.Error(w, "notification handler is not configured", http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	if !validProof(h.secret, q.Get(notifyProofParam)) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	id := q.Get(notifyIDParam)
	if validate.IDProblem(id) != "" {
		http.Error(w, "no valid transaction id", http.StatusBadRequest)
		return
	}
	if r.Body != nil {
		if _, err := io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxNotificationBody)); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
				return
			}
		}
	}

	unlock := h.lock(id)
	defer unlock()
	tx, err := h.api.Get(r.Context(), id)
	if err != nil || !IsFinal(tx) {
		w.Header().Set("Retry-After", "60")
		http.Error(w, "result not confirmed yet", http.StatusServiceUnavailable)
		return
	}
	if err := h.onResult(r.Context(), tx); err != nil {
		http.Error(w, "not processed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// lock serializes the deliveries of one transaction id, and returns the unlock function.
func (h *notificationHandler) lock(id string) func() {
	h.mu.Lock()
	l := h.busy[id]
	if l == nil {
		l = &idLock{}
		h.busy[id] = l
	}
	l.users++
	h.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		h.mu.Lock()
		if l.users--; l.users == 0 {
			delete(h.busy, id)
		}
		h.mu.Unlock()
	}
}
