// Package money holds Amount, the exact decimal type every monetary field of the SDK uses.
//
// Rebilly sends and receives amounts as JSON numbers in major units (10.5 means ten and a
// half dollars). Decoding such a number into a float64 can change it (0.1 + 0.2 != 0.3, and
// 12345678901234567.89 has no float64 at all), and a payouts SDK must never send a different
// amount from the one its caller meant. Amount keeps the number's decimal text exactly as
// given, checks that it is a well-formed JSON number, and does its arithmetic and comparisons
// on big integers, so no value ever passes through floating point.
package money

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// MaxLiteralLength bounds the decimal text an Amount accepts. No currency needs more than a
// few dozen digits; the bound keeps a hostile input such as "1e999999999" from costing memory.
//
// The bound applies to text read by Parse, MustParse and UnmarshalJSON. The exact result of
// FromMinorUnits, Add, Sub or Neg can be longer (1e64 + 1e-64 has 129 digits); it still
// encodes as a valid JSON number, but Parse and UnmarshalJSON would reject that text.
const MaxLiteralLength = 64

// maxExponent bounds the exponent of a literal in scientific notation for the same reason.
const maxExponent = 64

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
	coef, _ := a.scaled()
	return coef.Sign()
}

// Cmp compares a and b exactly and returns -1, 0 or +1 as a is less than, equal to or greater
// than b. 1.5 and 1.50 are equal.
func (a Amount) Cmp(b Amount) int {
	ac, as := a.scaled()
	bc, bs := b.scaled()
	ac, bc = align(ac, as, bc, bs)
	return ac.Cmp(bc)
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

// MarshalJSON encodes a as a bare JSON number, byte for byte the text it was given.
func (a Amount) MarshalJSON() ([]byte, error) {
	return []byte(a.String()), nil
}

// UnmarshalJSON decodes a JSON number exactly, keeping its text. It rejects strings, null
// and anything but a number, so a malformed response never becomes a silent zero.
func (a *Amount) UnmarshalJSON(data []byte) error {
	s := string(data)
	if err := validLiteral(s); err != nil {
		return err
	}
	a.lit = s
	return nil
}

// scaled returns a as coef × 10^-scale with scale >= 0. It never fails: lit is valid by
// construction, and the zero value is 0.
func (a Amount) scaled() (*big.Int, int) {
	coef := new(big.Int)
	if a.lit == "" {
		return coef, 0
	}
	mant, exp := a.lit, 0
	if i := strings.IndexAny(mant, "eE"); i >= 0 {
		exp, _ = strconv.Atoi(strings.TrimPrefix(mant[i+1:], "+"))
		mant = mant[:i]
	}
	scale := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = len(mant) - i - 1
		mant = mant[:i] + mant[i+1:]
	}
	coef.SetString(mant, 10)
	scale -= exp
	if scale < 0 {
		coef.Mul(coef, pow10(-scale))
		scale = 0
	}
	return coef, scale
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

// validLiteral checks s against the JSON number grammar (RFC 8259, section 6) and the size
// bounds above.
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
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digitsFrom(i)
		if j == i {
			return bad("has no exponent digits")
		}
		if exp, err := strconv.Atoi(s[i:j]); err != nil || exp > maxExponent {
			return bad(fmt.Sprintf("has an exponent beyond ±%d", maxExponent))
		}
		i = j
	}
	if i != len(s) {
		return bad("is not a decimal number")
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}
