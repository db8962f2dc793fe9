package rebilly

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"time"

	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/internal/backend"
	"github.com/paysdk/rebilly/internal/validate"
	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// Client is a Rebilly payouts API client for one organization. Create it with NewClient and
// share it: it is safe for concurrent use by many goroutines, and it reuses connections.
type Client struct {
	// PayoutRequests creates, upserts and reads payout requests.
	PayoutRequests *payoutrequests.Service
	// Payouts creates payouts (credit transactions), reads them and waits for their results.
	Payouts *payouts.Service
	// Allocations pays payout requests through allocations, the flow Rebilly recommends.
	Allocations *allocations.Service

	environment    Environment
	organizationID string
	server         string
	credential     string
	backend        *backend.Backend
}

// NewClient returns a client configured by opts. It needs exactly one credential (WithAPIKey
// or WithJWT) and an organization (WithOrganizationID); it talks to the Sandbox unless
// WithEnvironment(Production) or WithBaseURL says otherwise.
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	var problems []error
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			problems = append(problems, err)
		}
	}
	switch {
	case cfg.credentials == 0:
		problems = append(problems, errors.New("rebilly: a credential is required: use WithAPIKey or WithJWT"))
	case cfg.credentials > 1:
		problems = append(problems, errors.New("rebilly: give exactly one credential: WithAPIKey or WithJWT, once"))
	}
	if cfg.organizationID == "" {
		problems = append(problems, errors.New("rebilly: an organization id is required: use WithOrganizationID"))
	}
	if err := checkTransportSecurity(cfg); err != nil {
		problems = append(problems, err)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}

	root := cfg.environment.ServerRoot()
	if cfg.baseURL != "" {
		root = cfg.baseURL
	}
	server := root + "/organizations/" + cfg.organizationID + "/"

	b := backend.New(backend.Config{
		Server:           server,
		Authorize:        authorizer(cfg.apiKey, cfg.jwt),
		UserAgent:        userAgent(cfg.userAgent),
		HTTPClient:       httpClient(cfg.httpClient),
		AttemptTimeout:   attemptTimeout(cfg),
		MaxRetries:       cfg.maxRetries,
		RetryWaitMin:     cfg.retryWaitMin,
		RetryWaitMax:     cfg.retryWaitMax,
		MaxServerWait:    cfg.maxServerWait,
		MaxResponseBytes: cfg.maxResponse,
		Logger:           cfg.logger,
		Observer:         cfg.observer,
		Now:              cfg.now,
		Jitter:           cfg.jitter,
		Wait:             cfg.wait,
	})
	credential := "api-key"
	if cfg.jwt != "" {
		credential = "jwt"
	}
	return &Client{
		PayoutRequests: (*payoutrequests.Service)(backend.NewHandle(b)),
		Payouts:        (*payouts.Service)(backend.NewHandle(b)),
		Allocations:    (*allocations.Service)(backend.NewHandle(b)),
		environment:    cfg.environment,
		organizationID: cfg.organizationID,
		server:         server,
		credential:     credential,
		backend:        b,
	}, nil
}

// DefaultMaxIdleConnsPerHost is how many idle connections to Rebilly the client's own
// transport (used when [WithHTTPClient] is not given) keeps open for reuse: its
// MaxIdleConns and MaxIdleConnsPerHost. It does not limit how many connections are open at
// once. (net/http's default transport keeps only 2 idle, so a busy backend would dial for
// most calls.)
const DefaultMaxIdleConnsPerHost = 64

// httpClient returns the caller's client, or one with a pooled transport of the SDK's own, so
// that no setting of http.DefaultTransport (shared with the rest of the program) applies.
func httpClient(hc *http.Client) *http.Client {
	if hc != nil {
		return hc
	}
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		// The program replaced the default transport (httpmock.Activate does): use it as is.
		return &http.Client{Transport: http.DefaultTransport}
	}
	t := base.Clone()
	t.MaxIdleConns = DefaultMaxIdleConnsPerHost
	t.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
	return &http.Client{Transport: t}
}

// CloseIdleConnections closes the connections the client keeps open for reuse, for a program
// that is done with the client (or a test checking for leaked goroutines). The client stays
// usable: a later call opens new connections. With WithHTTPClient, it closes that client's
// transport's idle connections.
func (c *Client) CloseIdleConnections() {
	if c != nil {
		c.backend.CloseIdleConnections()
	}
}

// Environment returns the environment the client was built for.
func (c *Client) Environment() Environment { return c.environment }

// OrganizationID returns the organization the client calls.
func (c *Client) OrganizationID() string { return c.organizationID }

// ServerURL returns the API root every request is built on, ending in
// "/organizations/{organizationId}/".
func (c *Client) ServerURL() string { return c.server }

// String describes the client without its credential.
func (c *Client) String() string {
	if c == nil {
		return "rebilly.Client(nil)"
	}
	return fmt.Sprintf("rebilly.Client{environment: %s, organization: %s, server: %s, credential: %s %s}",
		c.environment, c.organizationID, c.server, c.credential, redacted)
}

// GoString describes the client for %#v, without its credential.
func (c *Client) GoString() string { return c.String() }

// LogValue describes the client for log/slog, without its credential.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("rebilly.Client(nil)")
	}
	return slog.GroupValue(
		slog.String("environment", c.environment.String()),
		slog.String("organization", c.organizationID),
		slog.String("credential", c.credential),
	)
}

// authorizer returns the function that puts the credential on each request.
func authorizer(apiKey, jwt secret) func(http.Header) {
	if jwt != "" {
		value := "Bearer " + string(jwt)
		return func(h http.Header) { h.Set("Authorization", value) }
	}
	key := string(apiKey)
	return func(h http.Header) { h.Set("REB-APIKEY", key) }
}

func userAgent(suffix string) string {
	ua := fmt.Sprintf("rebilly-go/%s (%s; %s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if suffix != "" {
		ua += " " + suffix
	}
	return ua
}

// attemptTimeout keeps a Timeout the caller's own *http.Client sets, unless WithAttemptTimeout was
// given explicitly.
func attemptTimeout(cfg config) time.Duration {
	if !cfg.timeoutSet && cfg.httpClient != nil && cfg.httpClient.Timeout > 0 {
		return cfg.httpClient.Timeout
	}
	return cfg.timeout
}

// checkTransportSecurity refuses a clear-text base URL to another machine unless the caller
// opted in with WithInsecureHTTP.
func checkTransportSecurity(cfg config) error {
	if cfg.baseURL == "" || cfg.insecureHTTP {
		return nil
	}
	u, err := url.Parse(cfg.baseURL)
	if err != nil || u.Scheme != "http" {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("rebilly: WithBaseURL: %s is plain http to %s, which would send the credential in clear text; use https, or add WithInsecureHTTP()", u.Redacted(), host)
}

func checkID(id string) error {
	if msg := validate.IDProblem(id); msg != "" {
		return errors.New("the id " + msg)
	}
	return nil
}
