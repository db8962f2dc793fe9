// Package money holds Amount, the exact decimal type every monetary field of the SDK uses.
//
// Rebilly sends and receives amounts as JSON numbers in major units (10.5 means ten and a
// half dollars). Decoding such a number into a float64 can change it (0.1 + 0.2 != 0.3, and
// 12345678901234567.89 has no float64 at all), and a payouts SDK must never send a different
// amount from the one its caller meant. Amount keeps the number's decimal text exactly as
// given, checks that it is a well-formed JSON number, does its arithmetic on big integers and
// compares digit by digit, so no value ever passes through floating point.
package money

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// MaxLiteralLength bounds the decimal text an Amount accepts. No currency needs more than a
// few dozen digits, and every double fits in its shortest form with room to spare (the longest,
// such as "-2.2250738585072014e-308", have 24 characters); the bound keeps a hostile megabyte
// of digits from costing memory.
//
// The bound applies to text read by Parse, MustParse and UnmarshalJSON, which also require the
// number to be within a double's range (see [Parse]). The exact result of [FromMinorUnits],
// [Amount.Add], [Amount.Sub] or [Amount.Neg] can be longer (1e308 + 1e-308 has 617 digits); it
// still encodes as a valid JSON number, but Parse and UnmarshalJSON would reject that text.
const MaxLiteralLength = 64

// maxScale bounds the decimal places any Amount is expanded to, so that arithmetic on accepted
// text never builds a big integer of more than a few hundred digits. A nonzero literal within a
// double's range exceeds half the smallest double (2.47e-324), so its leading digit is at most
// 324 places after the point, and fewer than MaxLiteralLength digits follow it: it never has
// more places than this. A zero may carry any exponent (0e-999999
// is a valid double); only its places matter, and they are cut to this bound.
const maxScale = 324 + MaxLiteralLength

// ErrInvalidAmount is matched (with errors.Is) by every error this package returns for text
// that is not a decimal number it can hold exactly.
var ErrInvalidAmount = errors.New("money: invalid amount")

// Amount is an exact decimal number of major currency units, such as 10.50.
//
// The zero value is "no amount": IsZero reports true, and it encodes as 0. Build an Amount
// with Parse, MustParse or FromMinorUnits; a decoded Amount keeps the server's text exactly,
// so it re-encodes byte for byte. Amount is a small immutable value: copy it freely, and
// compare with Cmp or Equal (== compares the text, so 1.5 and 1.50 differ under ==).
type Amount struct {
	lit string // a valid JSON number, or "" for the zero value
}

// Parse returns the Amount written as s, a JSON number in major units ("10", "10.50",
// "-3.25", "1e2"). It rejects anything else, including "+1", "01", "1.", ".5", "NaN" and "Inf",
// so what is parsed is exactly what is sent.
//
// Rebilly declares amounts as doubles (type: number, format: double), so Parse accepts every
// JSON number within a double's range and keeps it exactly: every number whose nearest double is
// finite and, unless the number is zero, not zero. That is zero with any exponent (0e999999) and
// every magnitude from the smallest double, 4.9e-324, to the largest, 1.7976931348623157e308,
// with the numbers just beyond them that round to them. Parse rejects 1.8e308, whose nearest double is infinite, and 1e-400, which a double could
// only carry as 0: no double means either, and admitting them would let an exponent such as
// 1e999999999 expand into gigabytes of digits in [Amount.Cmp] or [Amount.Add]. Within the
// range the value is never rounded; [Amount.ExactInFloat64] says whether a double would carry
// it unchanged.
func Parse(s string) (Amount, error) {
	if err := validLiteral(s); err != nil {
		return Amount{}, err
	}
	return Amount{lit: s}, nil
}

// MustParse is like Parse but panics when s is not a valid amount. It is meant for amounts
// written as literals in code and tests, never for input.
func MustParse(s string) Amount {
	a, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return a
}

// FromMinorUnits returns the Amount of minor units at the given number of decimal places:
// FromMinorUnits(1050, 2) is 10.50 and FromMinorUnits(-5, 3) is -0.005. Use it when your
// ledger keeps integer cents.
func FromMinorUnits(minor int64, decimals uint8) Amount {
	return fromScaled(big.NewInt(minor), int(decimals))
}

// String returns the amount's decimal text exactly as it was given, or "0" for the zero value.
func (a Amount) String() string {
	if a.lit == "" {
		return "0"
	}
	return a.lit
}

// IsZero reports whether a is the zero value (no amount set). An Amount parsed from "0" or
// "0.00" is set, and is not IsZero; use Sign to test the number itself.
func (a Amount) IsZero() bool { return a.lit == "" }

// Sign returns -1, 0 or +1 as a is negative, zero or positive. The zero value counts as 0.
func (a Amount) Sign() int {
	return readDecimal(a.lit).sign()
}

// Cmp compares a and b exactly and returns -1, 0 or +1 as a is less than, equal to or greater
// than b. 1.5 and 1.50 are equal.
func (a Amount) Cmp(b Amount) int {
	return cmpDecimal(readDecimal(a.lit), readDecimal(b.lit))
}

// Equal reports whether a and b are the same number (1.5 equals 1.50).
func (a Amount) Equal(b Amount) bool { return a.Cmp(b) == 0 }

// Add returns a + b, exact, with as many decimal places as the more precise of the two.
func (a Amount) Add(b Amount) Amount {
	ac, as := a.scaled()
	bc, bs := b.scaled()
	scale := max(as, bs)
	ac, bc = align(ac, as, bc, bs)
	return fromScaled(ac.Add(ac, bc), scale)
}

// Sub returns a - b, exact, with as many decimal places as the more precise of the two.
func (a Amount) Sub(b Amount) Amount {
	return a.Add(b.Neg())
}

// Neg returns -a.
func (a Amount) Neg() Amount {
	coef, scale := a.scaled()
	return fromScaled(coef.Neg(coef), scale)
}

// MinorUnits returns a as an integer number of minor units at the given number of decimal
// places (10.5 at 2 places is 1050). It fails when that would drop a digit (10.505 at 2
// places) or overflow an int64.
func (a Amount) MinorUnits(decimals uint8) (int64, error) {
	coef, scale := a.scaled()
	want := int(decimals)
	if scale > want {
		div := pow10(scale - want)
		q, r := new(big.Int).QuoRem(coef, div, new(big.Int))
		if r.Sign() != 0 {
			return 0, fmt.Errorf("%w: %s has more than %d decimal places", ErrInvalidAmount, a, decimals)
		}
		coef = q
	} else {
		coef.Mul(coef, pow10(want-scale))
	}
	if !coef.IsInt64() {
		return 0, fmt.Errorf("%w: %s overflows int64 minor units", ErrInvalidAmount, a)
	}
	return coef.Int64(), nil
}

// ExactInFloat64 reports whether a survives a trip through a float64 unchanged: whether the
// double nearest to a, written back as the shortest decimal that reads as that double (as
// encoding/json and JavaScript write doubles), is the same number as a. Rebilly carries
// amounts as doubles, so an amount for which it reports false would arrive changed.
//
// 10.50, 0.1 and 1e-7 survive: the double nearest 0.1 is not exactly 0.1, but it is written
// back as 0.1. 9007199254740993 (2^53 + 1) comes back as 9007199254740992, and
// 12345678901234567.89 as 12345678901234568, so they do not. Neither do amounts beyond a
// double's range, which only arithmetic can produce. The zero value survives, as 0.
func (a Amount) ExactInFloat64() bool {
	f, err := strconv.ParseFloat(a.String(), 64)
	if err != nil {
		return false // ±Inf: a's text is a valid number, so only ErrRange is possible
	}
	// AppendFloat writes a valid JSON number within a double's range, so it needs no check.
	var buf [32]byte
	return cmpDecimal(readDecimal(a.lit), readDecimal(strconv.AppendFloat(buf[:0], f, 'g', -1, 64))) == 0
}

// MarshalJSON encodes a as a bare JSON number, byte for byte the text it was given.
func (a Amount) MarshalJSON() ([]byte, error) {
	return []byte(a.String()), nil
}

// UnmarshalJSON decodes a JSON number exactly, keeping its text. It rejects strings, null
// and anything but a number, so a malformed response never becomes a silent zero, and numbers
// that Parse rejects, such as 1e309.
func (a *Amount) UnmarshalJSON(data []byte) error {
	s := string(data)
	if err := validLiteral(s); err != nil {
		return err
	}
	a.lit = s
	return nil
}

// scaled returns a as coef × 10^-scale with 0 <= scale <= maxScale. It never fails: lit is
// valid by construction, and the zero value is 0.
func (a Amount) scaled() (*big.Int, int) {
	coef := new(big.Int)
	if a.lit == "" {
		return coef, 0
	}
	mant, exp := a.lit, 0
	if i := strings.IndexAny(mant, "eE"); i >= 0 {
		// Only a zero can have an exponent too large for an int; Atoi then returns the
		// largest int of the same sign, which the zero case below cuts to maxScale.
		exp, _ = strconv.Atoi(strings.TrimPrefix(mant[i+1:], "+"))
		mant = mant[:i]
	}
	scale := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = len(mant) - i - 1
		mant = mant[:i] + mant[i+1:]
	}
	coef.SetString(mant, 10)
	if coef.Sign() == 0 {
		// 0e999999 and 0e-999999 are valid and zero: never expand their exponent, and keep
		// at most maxScale places. exp is tested first because scale-exp could overflow.
		if exp <= -maxScale {
			return coef, maxScale
		}
		return coef, min(max(scale-exp, 0), maxScale)
	}
	scale -= exp
	if scale < 0 {
		coef.Mul(coef, pow10(-scale))
		scale = 0
	}
	return coef, scale
}

// decimal is a valid JSON number read in place, without allocating, as
// ±0.d₁d₂…dₙ × 10^exp with d₁ and dₙ not 0 (n = 0 for zero). The digits are those of the
// mantissa with its point left out: intp followed by frac, of which [lo, hi) are significant.
type decimal[S ~string | ~[]byte] struct {
	neg        bool
	intp, frac S
	lo, hi     int
	exp        int
}

// readDecimal reads lit, a valid JSON number or "" (the zero value, 0).
func readDecimal[S ~string | ~[]byte](lit S) decimal[S] {
	var d decimal[S]
	if len(lit) > 0 && lit[0] == '-' {
		d.neg, lit = true, lit[1:]
	}
	mant, exp := lit, S("")
	for i := 0; i < len(lit); i++ {
		if lit[i] == 'e' || lit[i] == 'E' {
			mant, exp = lit[:i], lit[i+1:]
			break
		}
	}
	d.intp = mant
	for i := 0; i < len(mant); i++ {
		if mant[i] == '.' {
			d.intp, d.frac = mant[:i], mant[i+1:]
			break
		}
	}
	n := len(d.intp) + len(d.frac)
	for d.lo < n && d.digit(d.lo) == '0' {
		d.lo++
	}
	d.hi = n
	for d.hi > d.lo && d.digit(d.hi-1) == '0' {
		d.hi--
	}
	if d.lo == d.hi {
		return d // zero, whatever its exponent
	}
	// A nonzero literal lies within a double's range, so its exponent has a few digits; one
	// made by arithmetic has none. Either way it fits an int.
	e, neg := 0, false
	for i := 0; i < len(exp); i++ {
		switch c := exp[i]; {
		case c == '-':
			neg = true
		case c >= '0' && c <= '9':
			e = e*10 + int(c-'0')
		}
	}
	if neg {
		e = -e
	}
	d.exp = e + len(d.intp) - d.lo
	return d
}

func (d decimal[S]) digit(i int) byte {
	if i < len(d.intp) {
		return d.intp[i]
	}
	return d.frac[i-len(d.intp)]
}

func (d decimal[S]) sign() int {
	switch {
	case d.lo == d.hi:
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// cmpDecimal compares a and b exactly: -1, 0 or +1 as a is less than, equal to or greater.
func cmpDecimal[S, T ~string | ~[]byte](a decimal[S], b decimal[T]) int {
	sa, sb := a.sign(), b.sign()
	switch {
	case sa != sb:
		return cmpInt(sa, sb)
	case sa == 0:
		return 0
	}
	// Same sign, both nonzero: compare magnitudes, then flip for negatives.
	m := cmpInt(a.exp, b.exp)
	for i, j := a.lo, b.lo; m == 0; i, j = i+1, j+1 {
		switch {
		case i == a.hi && j == b.hi:
			return 0
		case i == a.hi:
			m = -1 // b has more significant digits, one of them not 0
		case j == b.hi:
			m = 1
		default:
			m = cmpInt(int(a.digit(i)), int(b.digit(j)))
		}
	}
	return m * sa
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// fromScaled formats coef × 10^-scale as a plain decimal literal with exactly scale places.
func fromScaled(coef *big.Int, scale int) Amount {
	digits := new(big.Int).Abs(coef).String()
	if scale > 0 {
		if len(digits) <= scale {
			digits = strings.Repeat("0", scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if coef.Sign() < 0 {
		digits = "-" + digits
	}
	return Amount{lit: digits}
}

// align rescales the two coefficients to the larger scale so they can be compared or added.
func align(ac *big.Int, as int, bc *big.Int, bs int) (*big.Int, *big.Int) {
	switch {
	case as < bs:
		ac = new(big.Int).Mul(ac, pow10(bs-as))
	case bs < as:
		bc = new(big.Int).Mul(bc, pow10(as-bs))
	}
	return ac, bc
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// validLiteral checks s against the JSON number grammar (RFC 8259, section 6), MaxLiteralLength
// and a double's range.
func validLiteral(s string) error {
	bad := func(why string) error {
		return fmt.Errorf("%w: %q %s", ErrInvalidAmount, truncate(s), why)
	}
	if s == "" {
		return bad("is empty")
	}
	if len(s) > MaxLiteralLength {
		return bad(fmt.Sprintf("is longer than %d characters", MaxLiteralLength))
	}
	i := 0
	if s[i] == '-' {
		i++
	}
	digitsFrom := func(i int) int {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digitsFrom(i)
	default:
		return bad("is not a decimal number")
	}
	if i < len(s) && s[i] == '.' {
		j := digitsFrom(i + 1)
		if j == i+1 {
			return bad("has no digits after the decimal point")
		}
		i = j
	}
	mantissa := s[:i]
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digitsFrom(i)
		if j == i {
			return bad("has no exponent digits")
		}
		i = j
	}
	if i != len(s) {
		return bad("is not a decimal number")
	}
	// The range check is the exponent guard: it bounds every accepted number's digits (see
	// maxScale). strconv.ParseFloat rounds correctly and, on at most MaxLiteralLength bytes,
	// cheaply, whatever the exponent; the value itself is kept as text, never as this float.
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil: // s is a JSON number, so the only error is ErrRange: ±Inf
		return bad("is beyond the range of a double (magnitude at most 1.7976931348623157e308)")
	case f == 0 && strings.ContainsAny(mantissa, "123456789"):
		return bad("is too small for a double, which would make it 0 (magnitude at most half of 4.9e-324)")
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}
