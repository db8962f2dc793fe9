package backend

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/paysdk/rebilly/errs"
	"github.com/paysdk/rebilly/gen"
)

// page is what the list call of these tests decodes: the items and one header.
type page struct {
	items []*gen.PayoutRequest
	total int
}

func sendList(b *Backend) (*page, error) {
	call := Call[page]{Op: "GET /payout-requests", Class: Read, Decode: func(h http.Header, body []byte) (*page, error) {
		items, err := DecodeList(body, prID)
		if err != nil {
			return nil, err
		}
		total, err := HeaderCount(h, "Pagination-Total")
		if err != nil {
			return nil, err
		}
		return &page{items: items, total: total}, nil
	}}
	return Send(context.Background(), b, call, nil, func(server string) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, server+"payout-requests", nil)
	})
}

// TestDecodeSeesHeadersAndBody: a call with Decode gets the answer's headers, and a Decode
// error makes the attempt unusable, retried like a body that is not JSON.
func TestDecodeSeesHeadersAndBody(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		items int
		total int
		sent  int
	}{
		{"a page", []step{answer(200, `[`+prBody+`,{"id":"pr_2"}]`, "Pagination-Total", "7")}, 2, 7, 1},
		{"an empty page without the header", []step{answer(200, ` [] `)}, 0, -1, 1},
		{"an object, then a page", []step{answer(200, prBody), answer(200, `[]`, "Pagination-Total", "0")}, 0, 0, 2},
		{"a null item, then a page", []step{answer(200, `[null]`), answer(200, `[]`)}, 0, -1, 2},
		{"an item without id, then a page", []step{answer(200, `[{"amount":1}]`), answer(200, `[]`)}, 0, -1, 2},
		{"a total that is not a count, then a page", []step{answer(200, `[]`, "Pagination-Total", "+3"), answer(200, `[]`)}, 0, -1, 2},
		{"a cut page, then a page", []step{{status: 200, body: `[` + prBody + `]`, cutAt: 5}, answer(200, `[]`)}, 0, -1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{steps: tt.steps}
			p, err := sendList(testBackend(s, nil))
			if err != nil {
				t.Fatal(err)
			}
			if len(p.items) != tt.items || p.total != tt.total || s.sent() != tt.sent || p.items == nil {
				t.Errorf("%d items, total %d, %d sent", len(p.items), p.total, s.sent())
			}
		})
	}
	s := &script{steps: []step{answer(200, `{}`), answer(200, `{}`), answer(200, `{}`), answer(200, `{}`)}}
	_, err := sendList(testBackend(s, nil))
	var mal *errs.MalformedResponseError
	if !errors.As(err, &mal) {
		t.Errorf("err = %v, want *MalformedResponseError", err)
	}
}

func TestHeaderCount(t *testing.T) {
	for _, tt := range []struct {
		values []string
		want   int
		ok     bool
	}{
		{nil, -1, true}, {[]string{"0"}, 0, true}, {[]string{" 12 "}, 12, true},
		{[]string{"-1"}, 0, false}, {[]string{"1.5"}, 0, false}, {[]string{""}, 0, false},
		{[]string{"1", "1"}, 0, false}, {[]string{"99999999999999999999999"}, 0, false},
	} {
		h := http.Header{}
		for _, v := range tt.values {
			h.Add("Pagination-Total", v)
		}
		got, err := HeaderCount(h, "Pagination-Total")
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("%q: %d, %v", tt.values, got, err)
		}
	}
}
