package rebillytest

import (
	"errors"
	"fmt"
	"time"
)

// Defaults of the options below.
const (
	// DefaultAPIKey is the API key a Handler accepts unless WithAPIKey says otherwise.
	DefaultAPIKey = "test-api-key"
	// DefaultOrganizationID is the organization a Handler serves unless WithOrganizationID
	// says otherwise.
	DefaultOrganizationID = "test-org"
	// DefaultRateLimit and DefaultRateLimitWindow are the budget reported in the
	// X-RateLimit-Limit and X-RateLimit-Remaining headers: Rebilly's sandbox allows 3000
	// non-GET requests per 10 minutes. The budget is only reported, never enforced, unless
	// WithRateLimit is given.
	DefaultRateLimit       = 3000
	DefaultRateLimitWindow = 10 * time.Minute
	// DuplicateRequestWindow is how long a requestId of POST /payouts is remembered, by the
	// Handler's clock.
	DuplicateRequestWindow = 24 * time.Hour
	// MaxRequestBytes bounds the request bodies the Handler reads; a larger one is answered
	// 413.
	MaxRequestBytes = 1 << 20
)

// Option configures a Handler (and so a Server). NewHandler panics, and NewServer fails the
// test, when an option is given a value it cannot use.
type Option func(*config) error

type config struct {
	apiKey              string
	jwt                 string
	organizationID      string
	strict              bool
	clock               func() time.Time
	newID               func(prefix string) string
	rateLimit           int
	rateWindow          time.Duration
	enforceRateLimit    bool
	conflictOnDuplicate bool
	tls                 bool
	outcome             func(PayoutInfo) Outcome      // nil: every payout approved at once
	notifyAttempts      int                           // POSTs per notification, at most
	notifyWait          func(retry int) time.Duration // wait before retry n (from 1)
	offsetCap           int
	pastOffsetCap       PastOffsetCap
}

func defaultConfig() config {
	return config{
		apiKey:         DefaultAPIKey,
		organizationID: DefaultOrganizationID,
		strict:         true,
		clock:          time.Now,
		rateLimit:      DefaultRateLimit,
		rateWindow:     DefaultRateLimitWindow,
		notifyAttempts: DefaultNotificationAttempts,
		notifyWait:     defaultNotificationWait,
		offsetCap:      MaxListOffset,
	}
}

// WithAPIKey sets the API key requests must carry in the REB-APIKEY header (default
// DefaultAPIKey). An empty key accepts no API key at all, so that only the JWT of WithJWT
// authenticates.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		c.apiKey = key
		return nil
	}
}

// WithJWT makes the Handler also accept "Authorization: Bearer <token>" with exactly this
// token. The token is compared as an opaque string; it is not parsed or verified. By default
// no JWT is accepted.
func WithJWT(token string) Option {
	return func(c *config) error {
		if token == "" {
			return errors.New("rebillytest: WithJWT: the token is empty")
		}
		c.jwt = token
		return nil
	}
}

// WithOrganizationID sets the organization the Handler serves (default
// DefaultOrganizationID). A request for any other organization
// (/organizations/{other}/...) is answered 401 Unauthorized, as a credential that does not
// belong to the organization in the URL would be: use the same id in
// rebilly.WithOrganizationID.
func WithOrganizationID(id string) Option {
	return func(c *config) error {
		if id == "" {
			return errors.New("rebillytest: WithOrganizationID: the id is empty")
		}
		c.organizationID = id
		return nil
	}
}

// WithStrict turns the validation of every request against openapi.yaml on (the default)
// or off. In strict mode a request the specification rejects (a missing required field, a
// wrong type, a pattern or length violation, an unknown enum value, a read-only field) is
// answered 422 with a problem naming each field, 400 when its body is not JSON, or 415 when
// it is not sent as application/json. The Handler's own rules (a positive amount, a
// three-letter currency, enough availableAmount...) apply in both modes.
func WithStrict(strict bool) Option {
	return func(c *config) error {
		c.strict = strict
		return nil
	}
}

// WithClock sets the clock that stamps createdTime, updatedTime and processedTime, ages
// requestIds (DuplicateRequestWindow), drives the rate-limit window and feeds the default id
// generator. The default is time.Now. Times are written in UTC, to the second. The clock is
// only called under the Handler's lock: it need not be safe for concurrent use, and it must
// not call the Handler.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("rebillytest: WithClock: the clock is nil")
		}
		c.clock = now
		return nil
	}
}

// WithIDGenerator replaces the generator of server-assigned ids. It is called with the
// prefix of the resource ("pout_req_", "txn_", "pout_alloc_") under the Handler's lock, so it
// need not be safe for concurrent use, and it must return a different id on every call (at
// most 50 characters of letters, digits and _ @ ~ - .). The default returns the prefix and
// 26 upper-case letters and digits: the clock's milliseconds and a counter, in Crockford's
// base 32, so that a fixed clock gives the same ids on every run.
func WithIDGenerator(next func(prefix string) string) Option {
	return func(c *config) error {
		if next == nil {
			return errors.New("rebillytest: WithIDGenerator: the generator is nil")
		}
		c.newID = next
		return nil
	}
}

// WithRateLimit makes the Handler enforce a budget of limit non-GET requests per window of
// its clock, as Rebilly does per organization: once the budget is spent, requests are
// answered 429 with X-RateLimit-Retry-After (the Unix second at which the window ends)
// until the clock reaches the next window. Without this option the Handler only reports
// DefaultRateLimit in its headers.
func WithRateLimit(limit int, window time.Duration) Option {
	return func(c *config) error {
		if limit <= 0 || window <= 0 {
			return fmt.Errorf("rebillytest: WithRateLimit: need a positive limit and window, got %d and %v", limit, window)
		}
		c.rateLimit, c.rateWindow, c.enforceRateLimit = limit, window, true
		return nil
	}
}

// WithConflictOnDuplicateRequestID makes a repeated requestId of POST /payouts answer 409
// Conflict instead of the default, which is to answer 201 with the transaction the first
// request created. Either way nothing new is created. Use it to test how your code handles
// rebilly.ErrDuplicateRequest.
func WithConflictOnDuplicateRequestID() Option {
	return func(c *config) error {
		c.conflictOnDuplicate = true
		return nil
	}
}

// WithTLS makes [NewServer] and [StartServer] serve over TLS with HTTP/2 enabled
// (httptest.Server.StartTLS with EnableHTTP2): [Server.URL] is then
// "https://127.0.0.1:port", and [Server.HTTPClient] trusts the server's self-signed
// certificate and negotiates HTTP/2 through ALPN. A client that offers only HTTP/1.1 still
// gets HTTP/1.1 over TLS.
//
// Over HTTP/2 one request's connection cannot be closed without its neighbours': a dropped
// request (DropBeforeCommit, DropAfterCommit) has its stream reset instead, as with
// [ResetAfterCommit], and Go's transport does not repeat it by itself. NewHandler ignores
// WithTLS, so that one option list can configure a Server and a Handler registered on
// httpmock.
func WithTLS() Option {
	return func(c *config) error {
		c.tls = true
		return nil
	}
}
