// Package freeform holds the types of the API's free-form JSON members, such as a
// transaction's customFields and the related resources under _embedded. They decode like
// map[string]any and []any, except that numbers stay exact: a number decodes as a
// [json.Number] holding its text ("10.50" stays "10.50", 12345678901234567 stays whole),
// never as a float64. Values encode back byte for byte.
package freeform

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// Object is a free-form JSON object: a map from member names to values that are nil, bool,
// string, [json.Number], []any or map[string]any.
type Object map[string]any

// Array is a free-form JSON array of the same kinds of values as [Object].
type Array []any

// UnmarshalJSON decodes a JSON object, keeping its numbers as [json.Number].
func (o *Object) UnmarshalJSON(data []byte) error {
	var m map[string]any
	if err := decodeExact(data, &m); err != nil {
		return err
	}
	*o = m
	return nil
}

// UnmarshalJSON decodes a JSON array, keeping its numbers as [json.Number].
func (a *Array) UnmarshalJSON(data []byte) error {
	var s []any
	if err := decodeExact(data, &s); err != nil {
		return err
	}
	*a = s
	return nil
}

// decodeExact decodes one JSON value with UseNumber, and nothing after it.
func decodeExact(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("freeform: unexpected data after the JSON value")
	}
	return nil
}
