package payoutrequests

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/paysdk/rebilly/internal/validate"
)

// IDFor turns your own key for a withdrawal (any non-empty string: an order number, a UUID,
// "withdrawal/2026/000123") into a valid payout request id, for Upsert. The same key always
// gives the same id, so an Upsert retried after a crash or on another machine updates the
// payout request the first try created instead of creating a second one.
//
// The id keeps up to 20 characters of the key that Rebilly allows in ids (letters, digits and
// _ @ ~ - .), for people reading dashboards, and adds 28 hex digits of the key's SHA-256, so
// two keys that look alike still get different ids. It is at most 49 characters long. Dots are left out of the readable part, so an id is never
// a path segment such as "..".
func IDFor(key string) (string, error) {
	if key == "" {
		var f validate.Fields
		f.Add("key", "is required: an empty key would give every withdrawal the same id")
		return "", f.Err("payoutrequests.IDFor")
	}
	readable := make([]byte, 0, 20)
	for i := 0; i < len(key) && len(readable) < cap(readable); i++ {
		if c := key[i]; validate.IsIDByte(c) && c != '.' {
			readable = append(readable, c)
		}
	}
	sum := sha256.Sum256([]byte(key))
	id := string(readable)
	if id != "" {
		id += "-"
	}
	return id + hex.EncodeToString(sum[:])[:28], nil
}
