package rebillytest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// ProblemTypeBase starts the type URI of every problem the Handler answers, followed by a
// slug of the status text ("validation-error", "not-found", "unauthorized"...).
const ProblemTypeBase = "https://rebilly.test/problems/"

// invalidField names a rejected field of a 422 answer and says why, as in Rebilly's
// invalidFields.
type invalidField struct {
	// Field is the field's JSON name, in dot notation for nested fields and with indexes in
	// brackets: amount, billingAddress.country, invoiceIds[0]. Path parameters go by their
	// name (id).
	Field string `json:"field"`
	// Message says what is wrong with it.
	Message string `json:"message"`
}

// problem is an RFC 9457 problem-details body, as the specification's problem schemas
// describe it.
type problem struct {
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail,omitempty"`
	InvalidFields []invalidField `json:"invalidFields,omitempty"`
	header        http.Header
}

func newProblem(status int, detail string) *problem {
	title := http.StatusText(status)
	if status == http.StatusUnprocessableEntity {
		title = "Validation Error"
	}
	if title == "" {
		title = "Error"
	}
	return &problem{
		Type:   ProblemTypeBase + strings.ReplaceAll(strings.ToLower(title), " ", "-"),
		Title:  title,
		Status: status,
		Detail: detail,
	}
}

// validationProblem is a 422 naming each rejected field.
func validationProblem(detail string, fields ...invalidField) *problem {
	p := newProblem(http.StatusUnprocessableEntity, detail)
	p.InvalidFields = fields
	return p
}

// fieldProblem is a 422 naming one field.
func fieldProblem(field, message string) *problem {
	return validationProblem(field+" "+message, invalidField{Field: field, Message: message})
}

// response turns the problem into the answer.
func (p *problem) response() *response {
	body, err := json.Marshal(p)
	if err != nil { // cannot happen: the fields are strings and ints
		panic(err)
	}
	r := &response{status: p.Status, header: http.Header{}, body: body}
	for k, v := range p.header {
		r.header[k] = v
	}
	// openapi.yaml declares application/json for every problem, as Rebilly sends them.
	r.header.Set("Content-Type", "application/json")
	return r
}
