package money_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/paysdk/rebilly/money"
)

// parseSeeds are added with f.Add to both fuzz targets; testdata/fuzz holds more.
var parseSeeds = []string{
	"0", "-0", "-0.0", "10", "10.50", "-3.25", "1e2", "1E+2", "1.5E-3", "0.000001",
	"12345678901234567.89", "1e64", "-1e-64", "1e65", "",
	"+1", "01", "1.", ".5", "NaN", "Inf", "-", "1e", "1e+", " 1", "1 ", "0x10", "1,5", "１",
	"\xff", `"10"`, "null",
}

// isJSONNumber reports whether s, as a whole, is a JSON number by the standard library's
// reckoning: json.Valid accepts it, it is not a string, literal, object or array, and it has
// no surrounding whitespace (a number starts with '-' or a digit and ends with a digit).
func isJSONNumber(s string) bool {
	if s == "" || s[0] != '-' && !isDigit(s[0]) || !isDigit(s[len(s)-1]) {
		return false
	}
	return json.Valid([]byte(s))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// withinBounds reports whether the JSON number s fits Amount's documented size bounds.
func withinBounds(s string) bool {
	if len(s) > money.MaxLiteralLength {
		return false
	}
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return true
	}
	exp, ok := new(big.Int).SetString(strings.TrimPrefix(s[i+1:], "+"), 10)
	return ok && exp.CmpAbs(big.NewInt(64)) <= 0
}

func FuzzParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := money.Parse(s)

		// Parse accepts exactly the JSON numbers within its bounds: a differential check
		// against encoding/json's own scanner.
		if want := isJSONNumber(s) && withinBounds(s); (err == nil) != want {
			t.Fatalf("Parse(%q) error = %v; want success = %v", s, err, want)
		}
		if err != nil {
			if !errors.Is(err, money.ErrInvalidAmount) {
				t.Fatalf("Parse(%q) error %v does not match ErrInvalidAmount", s, err)
			}
			if !a.IsZero() {
				t.Fatalf("Parse(%q) failed but returned %v", s, a)
			}
			return
		}

		if !json.Valid([]byte(s)) {
			t.Fatalf("Parse accepted %q, which json.Valid rejects", s)
		}
		if a.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, a)
		}
		out, err := a.MarshalJSON()
		if err != nil || string(out) != s {
			t.Fatalf("Parse(%q).MarshalJSON() = %q, %v; want the input", s, out, err)
		}
		var back money.Amount
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("json.Unmarshal(%q): %v", out, err)
		}
		if !back.Equal(a) || back.String() != s {
			t.Fatalf("json.Unmarshal(%q) = %q, want %q", out, back, s)
		}
		if c := a.Cmp(a); c != 0 {
			t.Fatalf("%q.Cmp(itself) = %d", s, c)
		}
		if sg := a.Add(a.Neg()).Sign(); sg != 0 {
			t.Fatalf("%q + Neg(%q) has Sign %d", s, s, sg)
		}

		// Sign agrees with an independent exact decoding.
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("big.Rat cannot parse %q, which Parse accepted", s)
		}
		if a.Sign() != r.Sign() {
			t.Fatalf("%q.Sign() = %d, big.Rat says %d", s, a.Sign(), r.Sign())
		}
	})
}

func FuzzArithmetic(f *testing.F) {
	for i, s := range parseSeeds {
		f.Add(s, parseSeeds[(i+1)%len(parseSeeds)])
	}
	f.Add("0.1", "0.2")
	f.Add("12345678901234567.89", "12345678901234567.88")
	f.Add("1.5", "15e-1")
	f.Add("1e64", "1e-64")
	f.Fuzz(func(t *testing.T, sa, sb string) {
		a, err := money.Parse(sa)
		if err != nil {
			return
		}
		b, err := money.Parse(sb)
		if err != nil {
			return
		}
		ra, ok1 := new(big.Rat).SetString(sa)
		rb, ok2 := new(big.Rat).SetString(sb)
		if !ok1 || !ok2 {
			t.Fatalf("big.Rat cannot parse %q or %q", sa, sb)
		}

		cmp := a.Cmp(b)
		if want := ra.Cmp(rb); cmp != want {
			t.Fatalf("%s.Cmp(%s) = %d, big.Rat says %d", sa, sb, cmp, want)
		}
		if back := b.Cmp(a); back != -cmp {
			t.Fatalf("Cmp not antisymmetric: %s.Cmp(%s) = %d, %s.Cmp(%s) = %d", sa, sb, cmp, sb, sa, back)
		}
		if a.Equal(b) != (cmp == 0) {
			t.Fatalf("%s.Equal(%s) = %v but Cmp = %d", sa, sb, a.Equal(b), cmp)
		}

		sum := a.Add(b)
		if other := b.Add(a); !sum.Equal(other) || sum.String() != other.String() {
			t.Fatalf("Add not commutative: %s + %s = %s, %s + %s = %s", sa, sb, sum, sb, sa, other)
		}
		if want := new(big.Rat).Add(ra, rb); !equalRat(t, sum, want) {
			t.Fatalf("%s + %s = %s, big.Rat says %s", sa, sb, sum, want.RatString())
		}
		if back := sum.Sub(b); !back.Equal(a) {
			t.Fatalf("(%s + %s) - %s = %s, want %s", sa, sb, sb, back, sa)
		}
		diff := a.Sub(b)
		if want := new(big.Rat).Sub(ra, rb); !equalRat(t, diff, want) {
			t.Fatalf("%s - %s = %s, big.Rat says %s", sa, sb, diff, want.RatString())
		}
		if diff.Sign() != cmp {
			t.Fatalf("%s - %s = %s has Sign %d, but Cmp = %d", sa, sb, diff, diff.Sign(), cmp)
		}
	})
}

// equalRat reports whether the Amount a is exactly the rational r. Arithmetic results are
// compared through their text, which must itself be a valid JSON number.
func equalRat(t *testing.T, a money.Amount, r *big.Rat) bool {
	t.Helper()
	if !json.Valid([]byte(a.String())) {
		t.Fatalf("arithmetic produced %q, which is not valid JSON", a)
	}
	ra, ok := new(big.Rat).SetString(a.String())
	if !ok {
		t.Fatalf("big.Rat cannot parse arithmetic result %q", a)
	}
	return ra.Cmp(r) == 0
}
