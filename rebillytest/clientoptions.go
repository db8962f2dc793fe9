package rebillytest

import (
	"net/http"

	rebilly "github.com/paysdk/rebilly"
)

// ClientOptions returns what a rebilly.Client needs to call the Handler at baseURL through
// hc: rebilly.WithBaseURL(baseURL), rebilly.WithOrganizationID with the Handler's
// organization, its credential (rebilly.WithAPIKey, or rebilly.WithJWT when it accepts no
// API key; none when it accepts neither, and rebilly.NewClient then refuses the options),
// and rebilly.WithHTTPClient(hc) unless hc is nil. It is for a Handler that is not a
// [Server] (which has [Server.ClientOptions]): one registered on an httpmock transport, or
// served by your own server. Append your own options to the slice, which is new on every
// call:
//
//	mt := httpmock.NewMockTransport()
//	h.RegisterOn(mt, "https://rebilly.test")
//	opts := h.ClientOptions("https://rebilly.test", &http.Client{Transport: mt})
//	client, err := rebilly.NewClient(append(opts, rebilly.WithRetryWait(0, 0))...)
func (h *Handler) ClientOptions(baseURL string, hc *http.Client) []rebilly.Option {
	opts := make([]rebilly.Option, 0, 4)
	switch {
	case h.cfg.apiKey != "":
		opts = append(opts, rebilly.WithAPIKey(h.cfg.apiKey))
	case h.cfg.jwt != "":
		opts = append(opts, rebilly.WithJWT(h.cfg.jwt))
	}
	opts = append(opts, rebilly.WithOrganizationID(h.cfg.organizationID), rebilly.WithBaseURL(baseURL))
	if hc != nil {
		opts = append(opts, rebilly.WithHTTPClient(hc))
	}
	return opts
}
