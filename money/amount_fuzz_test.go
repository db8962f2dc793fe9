package money_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/paysdk/rebilly/money"
)

// parseSeeds are added with f.Add to both fuzz targets; testdata/fuzz holds more.
var parseSeeds = []string{
	"0", "-0", "-0.0", "10", "10.50", "-3.25", "1e2", "1E+2", "1.5E-3", "0.000001",
	"12345678901234567.89", "1e64", "-1e-64", "1e65", "",
	"-1.7976931348623157e+308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309",
	"4.9e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1e-400",
	"0e999999", "-0.0E-99999999999999999999", "9007199254740993", "0.30000000000000000001",
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

// withinBounds reports whether the JSON number s fits Amount's documented bounds: at most
// MaxLiteralLength characters, and within a double's range (a nearest double that is finite
// and, unless s is zero, not zero).
func withinBounds(t *testing.T, s string) bool {
	t.Helper()
	if len(s) > money.MaxLiteralLength {
		return false
	}
	f, zero := nearestFloat64(t, s)
	return !math.IsInf(f, 0) && (zero || f != 0)
}

// nearestFloat64 is the oracle for a double's range: the float64 nearest to the JSON number s,
// rounded from its exact value with math/big (not strconv, which Amount uses), and whether s is
// zero. An exponent far outside any double is decided without building the number, since that
// is the very cost Amount must avoid: with an exponent, s is a parsed literal of at most
// MaxLiteralLength characters, so with |exponent| > 1000 it is beyond 1e900 or below 1e-900.
func nearestFloat64(t *testing.T, s string) (f float64, zero bool) {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	mant, expText := s, "0"
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, expText = s[:i], strings.TrimPrefix(s[i+1:], "+")
	}
	if strings.Trim(mant, "-0.") == "" {
		return math.Copysign(0, sign(neg)), true
	}
	exp, ok := new(big.Int).SetString(expText, 10)
	if !ok {
		t.Fatalf("%q has no exponent", s)
	}
	if exp.CmpAbs(big.NewInt(1000)) > 0 {
		if exp.Sign() > 0 {
			return math.Inf(int(sign(neg))), false
		}
		return math.Copysign(0, sign(neg)), false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("big.Rat cannot read %q", s)
	}
	// Rounding twice, to 4096 bits and then to a float64, is safe: a decimal with at most a
	// few hundred places that is not a float64 midpoint differs from one by far more than
	// 2^-4096 of its size, so the first rounding cannot make a tie. Float64 handles denormals.
	f, _ = new(big.Float).SetPrec(4096).SetRat(r).Float64()
	return f, false
}

func sign(neg bool) float64 {
	if neg {
		return -1
	}
	return 1
}

// exactRat returns the exact value of the JSON number s. It reads a zero itself, since
// big.Rat refuses an exponent that does not fit an int64 even after a zero mantissa.
func exactRat(t *testing.T, s string) *big.Rat {
	t.Helper()
	if _, zero := nearestFloat64(t, s); zero {
		return new(big.Rat)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("big.Rat cannot read %q", s)
	}
	return r
}

// survivesFloat64 is the oracle for ExactInFloat64: the nearest double, written in its shortest
// form, has exactly the value of s.
func survivesFloat64(t *testing.T, s string) bool {
	t.Helper()
	f, _ := nearestFloat64(t, s)
	if math.IsInf(f, 0) {
		return false
	}
	return exactRat(t, s).Cmp(exactRat(t, strconv.FormatFloat(f, 'g', -1, 64))) == 0
}

func FuzzParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := money.Parse(s)

		// Parse accepts exactly the JSON numbers within its bounds: a differential check
		// against encoding/json's own scanner.
		if want := isJSONNumber(s) && withinBounds(t, s); (err == nil) != want {
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
		r := exactRat(t, s)
		if a.Sign() != r.Sign() {
			t.Fatalf("%q.Sign() = %d, big.Rat says %d", s, a.Sign(), r.Sign())
		}

		// The exponent guard: no accepted literal expands into more than a few hundred digits.
		if plain := a.Add(money.Amount{}).String(); len(plain) > maxExpanded {
			t.Fatalf("%q expands to %d characters, more than %d", s, len(plain), maxExpanded)
		}
		// Amount's range check (strconv) agrees with the math/big oracle on the double itself.
		if f, _ := nearestFloat64(t, s); f != mustParseFloat(t, s) {
			t.Fatalf("strconv and math/big round %q to different doubles", s)
		}
		if got, want := a.ExactInFloat64(), survivesFloat64(t, s); got != want {
			t.Fatalf("%q.ExactInFloat64() = %v, oracle says %v", s, got, want)
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
	f.Add("1.7976931348623157e308", "1.7976931348623157e308")
	f.Add("2.5e-324", "-2.48e-324")
	f.Add("0e-999999", "1")
	f.Fuzz(func(t *testing.T, sa, sb string) {
		a, err := money.Parse(sa)
		if err != nil {
			return
		}
		b, err := money.Parse(sb)
		if err != nil {
			return
		}
		ra, rb := exactRat(t, sa), exactRat(t, sb)

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

		// Results of arithmetic may leave a double's range (max + max) or fall below it (a
		// difference of two neighbouring tiny numbers); ExactInFloat64 must say so.
		for _, r := range []money.Amount{sum, diff} {
			if got, want := r.ExactInFloat64(), survivesFloat64(t, r.String()); got != want {
				t.Fatalf("(%s).ExactInFloat64() = %v, oracle says %v", r, got, want)
			}
		}
	})
}

func mustParseFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("strconv.ParseFloat(%q): %v", s, err)
	}
	return f
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
