// Package placeholder appends Rebilly placeholders to redirect and notification URLs without
// percent-encoding their braces, which Rebilly would then fail to recognise.
package placeholder

import (
	"net/url"
	"strings"

	"github.com/paysdk/rebilly/internal/validate"
)

// Param is one query parameter whose value is a placeholder such as "{{id}}".
type Param struct {
	Name, Placeholder string
}

// AppendQuery adds name=placeholder pairs to rawURL's query, before any fragment: "?" when the
// URL has no query yet, "&" after an existing one. Names are query-escaped; placeholders are
// written as they are. The result is checked like any redirect URL, and its problem, if any,
// is reported against field.
func AppendQuery(op, field, rawURL string, allowed []string, params ...Param) (string, error) {
	var f validate.Fields
	f.URL(field, rawURL, allowed...)
	for _, p := range params {
		if p.Name == "" {
			f.Add(field, "a query parameter name is empty")
		}
	}
	if err := f.Err(op); err != nil {
		return "", err
	}
	base, fragment, hasFragment := strings.Cut(rawURL, "#")
	var b strings.Builder
	b.WriteString(base)
	sep := "?"
	if i := strings.IndexByte(base, '?'); i >= 0 {
		sep = "&"
		if i == len(base)-1 || strings.HasSuffix(base, "&") {
			sep = ""
		}
	}
	for _, p := range params {
		b.WriteString(sep)
		b.WriteString(url.QueryEscape(p.Name))
		b.WriteByte('=')
		b.WriteString(p.Placeholder)
		sep = "&"
	}
	if hasFragment {
		b.WriteByte('#')
		b.WriteString(fragment)
	}
	out := b.String()
	f.URL(field, out, allowed...)
	return out, f.Err(op)
}
