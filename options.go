package rebilly

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paysdk/rebilly/internal/backend"
)

// Defaults for the options below.
const (
	// DefaultMaxRetries is how many times a call is repeated after its first attempt.
	DefaultMaxRetries = 3
	// DefaultRetryWaitMin is the first backoff wait; each later one doubles, with jitter.
	DefaultRetryWaitMin = 500 * time.Millisecond
	// DefaultRetryWaitMax caps the backoff wait.
	DefaultRetryWaitMax = 10 * time.Second
	// DefaultAttemptTimeout bounds one attempt, from dialing to the end of the response body.
	DefaultAttemptTimeout = 30 * time.Second
	// DefaultMaxServerWait caps how long the client waits when Rebilly asks it to come back
	// later (X-RateLimit-Retry-After on 429, or Retry-After).
	DefaultMaxServerWait = backend.DefaultMaxServerWait
	// DefaultMaxResponseBytes bounds how much of a response body the client reads.
	DefaultMaxResponseBytes = backend.DefaultMaxResponseBytes
)

// Environment selects which Rebilly API the client talks to.
type Environment int

const (
	// Sandbox is Rebilly's test environment, and the default: no real money moves.
	Sandbox Environment = iota
	// Production is Rebilly's live environment. Real money moves; ask for it explicitly.
	Production
)

// String returns "sandbox" or "production".
func (e Environment) String() string {
	switch e {
	case Sandbox:
		return "sandbox"
	case Production:
		return "production"
	}
	return fmt.Sprintf("Environment(%d)", int(e))
}

// ServerRoot returns the environment's API root, without the organization part.
func (e Environment) ServerRoot() string {
	switch e {
	case Production:
		return "https://api.rebilly.com"
	default:
		return "https://api-sandbox.rebilly.com"
	}
}

// Option configures a Client. Options that are given a bad value make NewClient fail.
type Option func(*config) error

// config is what the options build; NewClient validates it as a whole.
type config struct {
	apiKey, jwt    secret
	credentials    int // how many credential options were given
	organizationID string
	environment    Environment
	baseURL        string
	httpClient     *http.Client
	maxRetries     int
	retryWaitMin   time.Duration
	retryWaitMax   time.Duration
	maxServerWait  time.Duration
	timeout        time.Duration
	timeoutSet     bool
	logger         *slog.Logger
	observer       func(context.Context, backend.AttemptInfo)
	userAgent      string
	insecureHTTP   bool
	maxResponse    int64

	// Test seams, set only by this package's tests.
	now    func() time.Time
	jitter func() float64
	wait   func(time.Duration) time.Duration
}

func defaultConfig() config {
	return config{
		environment:   Sandbox,
		maxRetries:    DefaultMaxRetries,
		retryWaitMin:  DefaultRetryWaitMin,
		retryWaitMax:  DefaultRetryWaitMax,
		maxServerWait: DefaultMaxServerWait,
		timeout:       DefaultAttemptTimeout,
		maxResponse:   DefaultMaxResponseBytes,
	}
}

// WithAPIKey authenticates with a secret API key, sent in the REB-APIKEY header. Give exactly
// one of WithAPIKey and WithJWT.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if err := checkCredential("WithAPIKey", key); err != nil {
			return err
		}
		c.apiKey = secret(key)
		c.credentials++
		return nil
	}
}

// WithJWT authenticates with a JSON Web Token, sent as "Authorization: Bearer <token>". Give
// exactly one of WithAPIKey and WithJWT.
func WithJWT(token string) Option {
	return func(c *config) error {
		if err := checkCredential("WithJWT", token); err != nil {
			return err
		}
		c.jwt = secret(token)
		c.credentials++
		return nil
	}
}

// checkCredential rejects empty credentials and those that could not travel in a header.
// The error never repeats the credential.
func checkCredential(option, value string) error {
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("rebilly: %s: the credential is empty", option)
	}
	for _, r := range value {
		if r < 0x21 || r > 0x7e {
			return fmt.Errorf("rebilly: %s: the credential holds a character that cannot be sent in a header", option)
		}
	}
	return nil
}

// WithOrganizationID sets the organization whose API the client calls; Rebilly puts it in
// every URL (/organizations/{id}/...). Required.
func WithOrganizationID(id string) Option {
	return func(c *config) error {
		if err := checkID(id); err != nil {
			return fmt.Errorf("rebilly: WithOrganizationID: %w", err)
		}
		c.organizationID = id
		return nil
	}
}

// WithEnvironment selects Sandbox (the default) or Production.
func WithEnvironment(env Environment) Option {
	return func(c *config) error {
		if env != Sandbox && env != Production {
			return fmt.Errorf("rebilly: WithEnvironment: unknown environment %d", int(env))
		}
		c.environment = env
		return nil
	}
}

// WithBaseURL replaces the environment's server root, for tests, fakes and proxies, as in
// "http://127.0.0.1:8080". The client still appends /organizations/{organizationId}. The URL
// must be absolute http(s) with a host, and carry no user info, query or fragment, not even
// an empty one: each would end up in, or cut off, every request's path. Errors name the
// problem and the host, never the rest of the URL, which may hold a secret.
func WithBaseURL(rawURL string) Option {
	return func(c *config) error {
		base, err := checkBaseURL(rawURL)
		if err != nil {
			return fmt.Errorf("rebilly: WithBaseURL: %w", err)
		}
		c.baseURL = base
		return nil
	}
}

// checkBaseURL returns rawURL without a trailing slash, or what is wrong with it.
func checkBaseURL(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the whole URL, password included: say less.
		return "", errors.New("the URL cannot be parsed; give scheme://host[:port][/path]")
	}
	host := u.Hostname()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", errors.New("the URL must start with https:// or http://")
	case host == "":
		return "", errors.New("the URL has no host")
	case u.User != nil:
		return "", fmt.Errorf("the URL for host %s carries user info; credentials go in WithAPIKey or WithJWT", host)
	case strings.ContainsAny(rawURL, "?#"):
		return "", fmt.Errorf("the URL for host %s carries a query or fragment (even an empty one); give scheme://host[:port][/path]", host)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// WithInsecureHTTP allows a WithBaseURL of plain http:// to a host other than the loopback
// interface, for a proxy on a trusted network. Without it, NewClient refuses such a URL: the
// API key would cross the network in clear text. Loopback URLs (httptest servers, local
// fakes) are always allowed.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.insecureHTTP = true
		return nil
	}
}

// WithMaxResponseBytes bounds how much of a response body the client reads (default
// DefaultMaxResponseBytes). A larger success body ends in a *MalformedResponseError; a larger
// error body is cut.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("rebilly: WithMaxResponseBytes: %d is not positive", n)
		}
		c.maxResponse = n
		return nil
	}
}

// WithHTTPClient sends requests through hc (for a proxy, custom TLS, or an httpmock
// transport). The client uses a copy of hc and never changes it; WithAttemptTimeout still bounds each
// attempt unless hc has a Timeout of its own.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("rebilly: WithHTTPClient: the *http.Client is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithMaxRetries sets how many times a call may be repeated after its first attempt (default
// DefaultMaxRetries; 0 disables retries). Only calls that cannot take effect twice are
// repeated: see the package documentation.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 || n > 20 {
			return fmt.Errorf("rebilly: WithMaxRetries: %d is outside 0..20", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithRetryWait sets the backoff between attempts: the first wait is about min, each later one
// doubles up to max, with jitter (defaults DefaultRetryWaitMin and DefaultRetryWaitMax).
func WithRetryWait(min, max time.Duration) Option {
	return func(c *config) error {
		if min < 0 || max < min {
			return fmt.Errorf("rebilly: WithRetryWait: need 0 <= min <= max, got %v and %v", min, max)
		}
		c.retryWaitMin, c.retryWaitMax = min, max
		return nil
	}
}

// WithMaxServerWait is the longest wait the client accepts when Rebilly asks it to come back
// later (X-RateLimit-Retry-After on 429, Retry-After on 503; default DefaultMaxServerWait).
// A call asked to wait longer is not repeated early into a certain refusal: it ends with
// the server's answer, an [APIError] matching [ErrRateLimited] (or [ErrServer] for a 503)
// with RetryAfter set. A hint never makes a wait shorter than the ordinary backoff.
func WithMaxServerWait(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("rebilly: WithMaxServerWait: %v is negative", d)
		}
		c.maxServerWait = d
		return nil
	}
}

// WithAttemptTimeout bounds each attempt, from dialing to the end of the response body (default
// DefaultAttemptTimeout). The context passed to each call bounds the whole call, retries included.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("rebilly: WithAttemptTimeout: %v is not positive", d)
		}
		c.timeout, c.timeoutSet = d, true
		return nil
	}
}

// WithLogger sends the client's debug records (each attempt and retry: operation, attempt,
// status, wait) to l. Credentials and bodies are never logged. By default nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("rebilly: WithLogger: the *slog.Logger is nil")
		}
		c.logger = l
		return nil
	}
}

// WithUserAgent appends suffix (your application's name and version) to the User-Agent the
// client sends.
func WithUserAgent(suffix string) Option {
	return func(c *config) error {
		for _, r := range suffix {
			if r < 0x20 || r > 0x7e {
				return errors.New("rebilly: WithUserAgent: the suffix holds a character that cannot be sent in a header")
			}
		}
		c.userAgent = strings.TrimSpace(suffix)
		return nil
	}
}
