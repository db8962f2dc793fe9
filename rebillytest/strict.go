package rebillytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// loadSpec parses and validates the embedded openapi.yaml once per process. It is the
// package's only package-level state, and it is immutable once built: the parsed document is
// only ever read (by every Handler's router and validator), never changed.
var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(specYAML))
	if err != nil {
		return nil, fmt.Errorf("rebillytest: loading openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("rebillytest: openapi.yaml is not valid: %w", err)
	}
	if len(doc.Servers) == 0 {
		return nil, errors.New("rebillytest: openapi.yaml declares no server")
	}
	return doc, nil
})

// validator checks requests against the specification for one Handler.
type validator struct {
	router routers.Router
	origin string // scheme and host of the specification's first server
}

func newValidator() (*validator, error) {
	doc, err := loadSpec()
	if err != nil {
		return nil, err
	}
	// The routes are matched on the specification's own server (scheme, host and the
	// /organizations/{organizationId} base), so each request is validated as if it had been
	// sent there, whatever host the fake listens on.
	u, err := url.Parse(strings.ReplaceAll(doc.Servers[0].URL, "{organizationId}", "x"))
	if err != nil {
		return nil, fmt.Errorf("rebillytest: openapi.yaml server URL: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("rebillytest: building the router: %w", err)
	}
	return &validator{router: router, origin: u.Scheme + "://" + u.Host}, nil
}

// acceptAnyCredential satisfies the specification's security requirements: the Handler
// checks credentials itself, before validation.
func acceptAnyCredential(context.Context, *openapi3filter.AuthenticationInput) error { return nil }

// validate checks a request (its method, its escaped path from /organizations on, its
// query, headers and body) against the specification. It returns nil when the request
// conforms, else the problem to answer.
func (v *validator) validate(ctx context.Context, method, escapedPath, rawQuery string, header http.Header, body []byte) *problem {
	target := v.origin + escapedPath
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return newProblem(http.StatusBadRequest, "the request URL cannot be parsed: "+err.Error())
	}
	req.Header = header.Clone()
	route, params, err := v.router.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return newProblem(http.StatusMethodNotAllowed, "the operation does not exist")
	case err != nil:
		return newProblem(http.StatusNotFound, "no such resource")
	}
	err = openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			AuthenticationFunc:  acceptAnyCredential,
		},
	})
	if err == nil {
		return nil
	}
	var c collector
	c.walk(err, "")
	return c.problem()
}

// collector turns kin-openapi's errors into one problem: the invalid fields of a 422, or
// the 400 or 415 of a body that cannot be read at all.
type collector struct {
	fields []invalidField
	status int
	detail string
}

func (c *collector) walk(err error, field string) {
	var parse *openapi3filter.ParseError
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, inner := range e {
			c.walk(inner, field)
		}
	case *openapi3filter.RequestError:
		switch {
		case e.Parameter != nil && e.Err == nil:
			c.add(e.Parameter.Name, e.Reason)
		case e.Parameter != nil:
			c.walk(e.Err, e.Parameter.Name)
		case e.RequestBody != nil && errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
			c.fail(http.StatusBadRequest, "the request body is required")
		case e.RequestBody != nil && errors.As(e.Err, &parse):
			c.fail(http.StatusBadRequest, "the request body is not valid JSON: "+parse.Error())
		case e.RequestBody != nil && e.Err == nil:
			// Such as "header Content-Type has unexpected value".
			c.fail(http.StatusUnsupportedMediaType, e.Reason)
		case e.Err != nil:
			c.walk(e.Err, field)
		default:
			c.add(field, e.Error())
		}
	case *openapi3.SchemaError:
		// An allOf (such as a nullable wrapper around a $ref) reports only that one of its
		// schemas failed; its cause names the fields, with their full paths.
		var inner openapi3.MultiError
		if e.SchemaField == "allOf" && e.Origin != nil && errors.As(e.Origin, &inner) && len(inner) > 0 {
			c.walk(inner, field)
			return
		}
		c.add(joinField(field, e.JSONPointer()), schemaReason(e))
	default:
		c.add(field, err.Error())
	}
}

func (c *collector) add(field, message string) {
	if field == "" {
		field = "body"
	}
	c.fields = append(c.fields, invalidField{Field: field, Message: message})
}

func (c *collector) fail(status int, detail string) {
	if c.status == 0 {
		c.status, c.detail = status, detail
	}
}

func (c *collector) problem() *problem {
	if c.status != 0 {
		return newProblem(c.status, c.detail)
	}
	if len(c.fields) == 0 {
		return nil // only tolerated errors
	}
	return validationProblem("the request does not match the API specification", c.fields...)
}

// joinField names a field in dot notation, with indexes in brackets:
// billingAddress.country, invoiceIds[0].
func joinField(prefix string, pointer []string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, p := range pointer {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// schemaReason is the reason of a schema error without the schema and value that
// SchemaError.Error appends.
func schemaReason(e *openapi3.SchemaError) string {
	switch {
	case e.Reason != "":
		return e.Reason
	case e.Origin != nil:
		return e.Origin.Error()
	case e.SchemaField != "":
		return fmt.Sprintf("does not match the schema's %q", e.SchemaField)
	}
	return "does not match the schema"
}
