package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// DecodeList decodes a page of a collection: a JSON array of resources, every one of which
// must be a JSON object with an id (id returns it). A null element, or one without an id, makes
// the whole page unusable, as a single resource without an id is. Resource types with free-form
// members are not supported: their numbers would become float64 (see Call.FreeForm).
func DecodeList[T any](body []byte, id func(*T) string) ([]*T, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return nil, errors.New("empty body")
	case trimmed[0] != '[':
		return nil, errors.New("body is not a JSON array")
	}
	var items []*T
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, err
	}
	for i, item := range items {
		if item == nil {
			return nil, fmt.Errorf("item %d is null", i)
		}
		if id(item) == "" {
			return nil, fmt.Errorf("item %d: %w", i, errNoID)
		}
	}
	if items == nil {
		items = []*T{}
	}
	return items, nil
}

// HeaderCount reads a header holding a count, such as Pagination-Total: -1 when the answer
// has none, an error when it has one that is not a non-negative integer (an answer that says
// something unreadable about the page cannot be used).
func HeaderCount(h http.Header, key string) (int, error) {
	values := h.Values(key)
	switch len(values) {
	case 0:
		return -1, nil
	case 1:
	default:
		return 0, fmt.Errorf("%d %s headers", len(values), key)
	}
	v := strings.TrimSpace(values[0])
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || v[0] == '+' {
		return 0, fmt.Errorf("%s %q is not a count", key, clipHeader(values[0]))
	}
	return n, nil
}

func clipHeader(v string) string {
	if len(v) > 32 {
		return v[:32] + "…"
	}
	return v
}
