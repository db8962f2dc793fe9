package rebillytest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/jarcoal/httpmock"
)

// RegisterOn makes the Handler answer, without any network, every request that mt sees for
// a URL under baseURL (the value given to rebilly.WithBaseURL, such as
// "https://rebilly.test"), whatever its method:
//
//	mt := httpmock.NewMockTransport()
//	h.RegisterOn(mt, "https://rebilly.test")
//	client, err := rebilly.NewClient(h.ClientOptions("https://rebilly.test", &http.Client{Transport: mt})...)
//
// A path prefix of baseURL is stripped before routing. A dropped connection (DropBeforeCommit,
// DropAfterCommit) makes the responder return [ErrDropped], and ResetAfterCommit [ErrReset],
// which http.Client wraps in a *url.Error. For CutSuccessBody the response's Body yields the
// first half of the body and then [io.ErrUnexpectedEOF], as a real HTTP/1 connection closed
// mid-body does. RegisterOn panics when baseURL is not an absolute http(s) URL.
func (h *Handler) RegisterOn(mt *httpmock.MockTransport, baseURL string) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		panic(fmt.Sprintf("rebillytest: RegisterOn: %q is not an absolute http(s) URL without query or fragment", baseURL))
	}
	prefix := strings.TrimRight(u.EscapedPath(), "/")
	origin := u.Scheme + "://" + u.Host + prefix
	rx := regexp.MustCompile(`^` + regexp.QuoteMeta(origin) + `(?:[/?#]|$)`)
	responder := func(req *http.Request) (*http.Response, error) {
		path := strings.TrimPrefix(req.URL.EscapedPath(), prefix)
		resp := h.serve(req, path, origin)
		switch {
		case resp.drop:
			return nil, ErrDropped // http.Client wraps it in a *url.Error naming the request
		case resp.reset:
			return nil, ErrReset
		}
		var body io.Reader = bytes.NewReader(resp.body)
		if resp.cut {
			body = io.MultiReader(bytes.NewReader(resp.body[:resp.cutAt]), errReader{io.ErrUnexpectedEOF})
		}
		header := resp.header.Clone()
		header.Set("Content-Length", strconv.Itoa(len(resp.body)))
		return &http.Response{
			Status:        strconv.Itoa(resp.status) + " " + http.StatusText(resp.status),
			StatusCode:    resp.status,
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			Header:        header,
			Body:          io.NopCloser(body),
			ContentLength: int64(len(resp.body)),
			Request:       req,
		}, nil
	}
	for _, method := range []string{
		http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions,
	} {
		mt.RegisterRegexpResponder(method, rx, responder)
	}
}

// errReader is a Reader that fails with err: the end of a body whose connection was cut.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
