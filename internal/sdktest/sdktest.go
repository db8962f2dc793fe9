// Package sdktest holds what the service packages' external tests share: a client whose
// requests go to an httpmock transport. (internal/testutil cannot import the root package:
// the root package's own tests import it.)
package sdktest

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	rebilly "github.com/paysdk/rebilly"
)

// Base and Org are the server root and organization of Client's requests.
const (
	Base = "https://rebilly.test"
	Org  = "org_1"
)

// Client returns a client for Org at Base whose requests go to a fresh httpmock transport,
// whose retries never wait, and which authenticates with credential (rebilly.WithAPIKey
// ("sk_test") when nil).
func Client(t testing.TB, credential rebilly.Option) (*rebilly.Client, *httpmock.MockTransport) {
	t.Helper()
	if credential == nil {
		credential = rebilly.WithAPIKey("sk_test")
	}
	mt := httpmock.NewMockTransport()
	c, err := rebilly.NewClient(credential, rebilly.WithOrganizationID(Org),
		rebilly.WithBaseURL(Base), rebilly.WithHTTPClient(&http.Client{Transport: mt}), rebilly.WithRetryWait(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}
