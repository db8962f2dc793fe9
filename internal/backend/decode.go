package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/internal/validate"
)

// errTooLarge is returned when a response body exceeds the configured limit.
var errTooLarge = errors.New("response body exceeds the size limit")

// errNoID says a 2xx answer decoded, but holds no resource: a success must name what it
// created or read.
var errNoID = errors.New("the answer has no resource id")

// readLimited reads r to its end, at most limit bytes; a longer body yields what was read
// and errTooLarge. contentLength (-1 when unknown) sizes the buffer, up to a point: a
// length the server announces is not trusted with more memory than it has sent.
func readLimited(r io.Reader, contentLength, limit int64) ([]byte, error) {
	size := int64(512)
	if contentLength >= 0 {
		size = contentLength + 1 // room to see the end without growing
	}
	buf := make([]byte, 0, min(size, limit+1, maxPresize))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit+1)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf[:limit], fmt.Errorf("%w (%d bytes)", errTooLarge, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// maxPresize bounds the buffer readLimited allocates before any byte arrives.
const maxPresize = 64 << 10

// decodeJSON decodes a 2xx body. An empty body is an error: every operation with a body
// answers with the resource, and an empty "success" must not become a zero-valued result.
// Numbers stay exact without a decoder option: amounts are money.Amount, and free-form
// members are freeform.Object and freeform.Array, which decode their own numbers exactly.
func decodeJSON(body []byte, out any) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return errors.New("empty body")
	case trimmed[0] != '{':
		// null, an array or a bare value would leave out zero-valued without an error.
		return errors.New("body is not a JSON object")
	}
	return json.Unmarshal(body, out) // also rejects data after the object
}

// checkJSONContentType accepts a missing Content-Type and any JSON media type
// (application/json, application/problem+json); anything else, such as the HTML page of a
// captive proxy answering 200, is not a result.
func checkJSONContentType(ct string) error {
	if ct == "" || ct == "application/json" {
		return nil
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("unreadable Content-Type %q", ct)
	}
	if mediaType == "application/json" || strings.HasSuffix(mediaType, "+json") {
		return nil
	}
	return fmt.Errorf("Content-Type %q is not JSON", mediaType)
}

// idFromBody returns the top-level "id" member of a JSON object, reading only as far as it
// must, so that it finds the id in a body that was cut after it. It returns "" when there is
// none or it is not a valid Rebilly id.
func idFromBody(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return ""
		}
		if key == "id" {
			var id string
			if dec.Decode(&id) != nil || validate.IDProblem(id) != "" {
				return ""
			}
			return id
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return ""
		}
	}
	return ""
}

// idFromLocation returns the id that ends a Location header pointing into collection (such
// as "payout-requests"), or "" when the header is not such a URL.
func idFromLocation(location, collection string) string {
	if location == "" || collection == "" {
		return ""
	}
	u, err := url.Parse(location)
	if err != nil {
		return ""
	}
	dir, id, ok := cutLast(strings.TrimSuffix(u.Path, "/"), '/')
	if !ok || !strings.HasSuffix(dir, "/"+collection) || validate.IDProblem(id) != "" {
		return ""
	}
	return id
}

func cutLast(s string, sep byte) (before, after string, found bool) {
	if i := strings.LastIndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// problem is the problem-details body (RFC 9457) as Rebilly sends it. Fields that arrive with
// an unexpected JSON type are ignored rather than failing the whole error.
type problem struct {
	Type          json.RawMessage `json:"type"`
	Title         json.RawMessage `json:"title"`
	Detail        json.RawMessage `json:"detail"`
	Instance      json.RawMessage `json:"instance"`
	InvalidFields json.RawMessage `json:"invalidFields"`
}

// newAPIError turns a non-2xx answer into the error that describes it.
func newAPIError(op, requestID string, status int, h http.Header, body []byte, now time.Time) *errs.APIError {
	e := &errs.APIError{StatusCode: status, RequestID: requestID}
	e.Method, e.Path, _ = strings.Cut(op, " ")
	if at, ok := RetryAfterTime(h, now); ok {
		e.RetryAfter = at
	}
	e.Body = capBody(body)
	var p problem
	if json.Unmarshal(body, &p) == nil {
		e.Type, e.Title, e.Detail, e.Instance = str(p.Type), str(p.Title), str(p.Detail), str(p.Instance)
		var fields []errs.InvalidField
		if json.Unmarshal(p.InvalidFields, &fields) == nil {
			e.InvalidFields = fields
		}
	}
	return e
}

// capBody returns a copy of at most errs.MaxErrorBody bytes of body, so that an error value
// never pins a large response in memory.
func capBody(body []byte) []byte {
	return bytes.Clone(body[:min(len(body), errs.MaxErrorBody)])
}

func str(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}
