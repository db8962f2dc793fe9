package backend

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadLimited checks readLimited against what io.ReadAll(io.LimitReader) gives, whatever
// Content-Length says (right, unknown, too small, too large) and however the reader splits
// the body.
func TestReadLimited(t *testing.T) {
	const limit = 1000
	for _, n := range []int{0, 1, 511, 512, 513, 999, 1000, 1001, 1500, 70000} {
		body := strings.Repeat("x", n)
		for _, cl := range []int64{int64(n), -1, 0, int64(n) / 2, int64(n) + 7, 1 << 40} {
			for name, r := range map[string]func() io.Reader{
				"whole":   func() io.Reader { return strings.NewReader(body) },
				"onebyte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(body)) },
				"dataerr": func() io.Reader { return iotest.DataErrReader(strings.NewReader(body)) },
			} {
				got, err := readLimited(r(), cl, limit)
				want := body[:min(n, limit)]
				if !bytes.Equal(got, []byte(want)) {
					t.Fatalf("n=%d cl=%d %s: read %d bytes, want %d", n, cl, name, len(got), len(want))
				}
				if tooLarge := errors.Is(err, errTooLarge); tooLarge != (n > limit) || (err != nil && !tooLarge) {
					t.Fatalf("n=%d cl=%d %s: err %v", n, cl, name, err)
				}
			}
		}
	}
	cut := io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(io.ErrUnexpectedEOF))
	if got, err := readLimited(cut, 10, limit); string(got) != "abc" || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut body: %q, %v", got, err)
	}
}

// TestReadLimitedTrustsNoAnnouncedLength: a huge Content-Length does not make readLimited
// allocate more than maxPresize before the bytes arrive.
func TestReadLimitedTrustsNoAnnouncedLength(t *testing.T) {
	r := strings.NewReader("")
	allocs := testing.AllocsPerRun(10, func() {
		r.Reset("{}")
		_, _ = readLimited(r, 1<<40, 10<<20)
	})
	if allocs > 1 {
		t.Fatalf("%v allocations", allocs)
	}
	got, _ := readLimited(strings.NewReader("{}"), 1<<40, 10<<20)
	if cap(got) > maxPresize {
		t.Fatalf("allocated %d bytes for a 2-byte body", cap(got))
	}
}
