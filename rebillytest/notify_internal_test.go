package rebillytest

import (
	"errors"
	"testing"
)

// TestNotificationTarget: placeholders are filled in, and only loopback hosts pass.
func TestNotificationTarget(t *testing.T) {
	tests := []struct {
		raw, want string
		err       error // nil: sent; errNotHTTP: not an http(s) URL
	}{
		{"http://127.0.0.1:8080/hook/{id}?r={result}", "http://127.0.0.1:8080/hook/txn_1?r=approved", nil},
		{"http://127.9.8.7/hook", "http://127.9.8.7/hook", nil},
		{"http://localhost:1/hook?tx={id}", "http://localhost:1/hook?tx=txn_1", nil},
		{"https://LOCALHOST/hook", "https://LOCALHOST/hook", nil},
		{"http://[::1]:8080/hook", "http://[::1]:8080/hook", nil},
		{"http://[::ffff:127.0.0.1]:8080/hook", "http://[::ffff:127.0.0.1]:8080/hook", nil},
		{"http://10.0.0.1/hook", "http://10.0.0.1/hook", ErrNotLoopback},
		{"http://[::2]/hook", "http://[::2]/hook", ErrNotLoopback},
		{"https://shop.example/hook", "https://shop.example/hook", ErrNotLoopback},
		{"http://localhost.shop.example/hook", "http://localhost.shop.example/hook", ErrNotLoopback},
		{"http://127.0.0.1.nip.io/hook", "http://127.0.0.1.nip.io/hook", ErrNotLoopback},
		{"ftp://127.0.0.1/hook", "ftp://127.0.0.1/hook", errNotHTTP},
		{"/relative/{id}", "/relative/txn_1", errNotHTTP},
	}
	for _, tt := range tests {
		got, err := notificationTarget(tt.raw, "txn_1", "approved")
		if got != tt.want {
			t.Errorf("%s: target %s, want %s", tt.raw, got, tt.want)
		}
		switch {
		case tt.err == nil && err != nil, tt.err == ErrNotLoopback && !errors.Is(err, ErrNotLoopback),
			tt.err == errNotHTTP && (err == nil || errors.Is(err, ErrNotLoopback)):
			t.Errorf("%s: err %v, want %v", tt.raw, err, tt.err)
		}
	}
}

var errNotHTTP = errors.New("not an http(s) URL")
