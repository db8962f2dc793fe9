package rebilly

import (
	"fmt"
	"log/slog"

	"github.com/paysdk/rebilly/internal/redact"
)

// secret holds a credential. Every way of printing or logging it shows "[REDACTED]", so a
// stray %v, %#v or slog attribute can never leak an API key or JWT.
type secret string

const redacted = redact.Text

// String shows "[REDACTED]" for a set secret and "" for an empty one.
func (s secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString covers %#v.
func (s secret) GoString() string { return `"` + s.String() + `"` }

// Format covers every other verb (%s, %q, %x, %+v, ...).
func (s secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.String())
}

// LogValue covers log/slog.
func (s secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Format prints a config without its credentials: fmt reads unexported fields directly and
// would bypass secret's own methods.
func (c config) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "rebilly.config{environment: %s, organization: %s, apiKey: %s, jwt: %s}",
		c.environment, c.organizationID, c.apiKey, c.jwt)
}
