package money_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/paysdk/rebilly/money"
)

// payout is a minimal stand-in for a generated request/response type with an Amount field.
type payout struct {
	Amount money.Amount `json:"amount"`
}

// optionalPayout holds the amount by pointer, the usual way to make a field optional.
type optionalPayout struct {
	Amount *money.Amount `json:"amount"`
}

func TestParseValid(t *testing.T) {
	tests := []string{
		"0",
		"-0",
		"10",
		"10.50",
		"-3.25",
		"1e2",
		"1E2",
		"1e+2",
		"1.5E-3",
		"0.000001",
		"-0.0",
		"12345678901234567.89",
		"1e64",
		"1e-64",
		"-1E+64",
		"1e0064", // leading zeros in the exponent are valid JSON
		strings.Repeat("9", money.MaxLiteralLength),
		"1e65",
		"1e-65",
		// The whole range of a double, as Rebilly's format: double amounts may be.
		"-1.7976931348623157e+308", // what an OpenAPI mock of Rebilly's schema answers
		"1.7976931348623157e308",   // the largest double
		"1.7976931348623158e308",   // above it, but rounds down to it
		"1e308",
		"4.9e-324",                 // the smallest double, as usually written
		"5e-324",                   // the same double, shortest form
		"-2.4703282292062328e-324", // just over half the smallest double: rounds up to it
		"2.2250738585072014E-308",  // the smallest normal double
		"2.225073858507201136057409796709131975934819546351645648e-308", // long mantissa
		strings.Repeat("9", 59) + "e-382",                               // the most decimal places a nonzero literal can have
		"0.1e-322",
		"1797693134862315.7e293",
		// Zero is a double whatever its exponent.
		"0e999999",
		"-0.0e-999999",
		"0e99999999999999999999999", // exponent beyond int64
		"0E-99999999999999999999999",
	}
	for _, s := range tests {
		t.Run(s, func(t *testing.T) {
			a, err := money.Parse(s)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", s, err)
			}
			if got := a.String(); got != s {
				t.Errorf("Parse(%q).String() = %q, want the input unchanged", s, got)
			}
			if a.IsZero() {
				t.Errorf("Parse(%q).IsZero() = true, want false (a parsed amount is set)", s)
			}
			if !json.Valid([]byte(s)) {
				t.Errorf("Parse accepted %q, which is not valid JSON", s)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"plus sign", "+1"},
		{"leading zero", "01"},
		{"negative leading zero", "-01"},
		{"trailing point", "1."},
		{"leading point", ".5"},
		{"negative leading point", "-.5"},
		{"NaN", "NaN"},
		{"Inf", "Inf"},
		{"negative Inf", "-Inf"},
		{"lone minus", "-"},
		{"double minus", "--1"},
		{"exponent without digits", "1e"},
		{"exponent sign without digits", "1e+"},
		{"exponent minus without digits", "1e-"},
		{"point then exponent", "1.e5"},
		{"leading space", " 1"},
		{"trailing space", "1 "},
		{"trailing newline", "1\n"},
		{"hex", "0x10"},
		{"comma decimal", "1,5"},
		{"fullwidth digit", "１"},
		{"arabic-indic digit", "١"},
		{"underscore", "1_000"},
		{"JSON string", `"10"`},
		{"null", "null"},
		{"true", "true"},
		{"object", "{}"},
		{"too long", strings.Repeat("1", money.MaxLiteralLength+1)},
		{"too long fraction", "0." + strings.Repeat("1", money.MaxLiteralLength)},
		{"beyond the largest double", "1.8e308"},
		{"negative beyond the largest double", "-1.8e308"},
		{"rounds up to infinity", "1.7976931348623159e308"},
		{"exponent 309", "1e309"},
		{"exponent 309 with plus", "1E+309"},
		{"fraction pushed beyond range", "17976931348623159e292"},
		{"underflows to zero", "1e-400"},
		{"negative underflows to zero", "-1e-400"},
		{"just below the smallest double's reach", "1e-324"},
		{"half the smallest double, a tie rounded to 0", "2.4703282292062327e-324"},
		{"leading zeros pushing below range", "0.0000000001e-315"},
		{"exponent overflows int", "1e99999999999999999999999"},
		{"negative exponent overflows int", "1e-99999999999999999999999"},
		{"hostile exponent", "1e999999999"},
		{"hostile negative exponent", "-1e-999999999"},
		{"non-UTF-8 byte", "\xff"},
		{"non-UTF-8 after digit", "1\xff"},
		{"non-UTF-8 in fraction", "1.\xc3\x28"},
		{"NUL byte", "1\x00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := money.Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tc.in, a)
			}
			if !errors.Is(err, money.ErrInvalidAmount) {
				t.Errorf("Parse(%q) error %v does not match ErrInvalidAmount", tc.in, err)
			}
			if !a.IsZero() {
				t.Errorf("Parse(%q) failed but returned a set amount %v", tc.in, a)
			}
		})
	}
}

// TestParseRangeMessages checks that a number outside a double's range is refused with a
// message that says so, rather than one about its syntax.
func TestParseRangeMessages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.8e308", "beyond the range of a double"},
		{"-1e999999999", "beyond the range of a double"},
		{"1e-400", "too small for a double"},
		{"-2.4703282292062327e-324", "too small for a double"},
	}
	for _, tc := range tests {
		_, err := money.Parse(tc.in)
		if !errors.Is(err, money.ErrInvalidAmount) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want ErrInvalidAmount saying %q", tc.in, err, tc.want)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("MustParse(\"1.\") did not panic")
		}
		err, ok := r.(error)
		if !ok || !errors.Is(err, money.ErrInvalidAmount) {
			t.Errorf("MustParse panicked with %v, want an error matching ErrInvalidAmount", r)
		}
	}()
	money.MustParse("1.")
}

func TestJSONRoundTripIsByteExact(t *testing.T) {
	tests := []string{
		"12345678901234567.89",
		"0.10",
		"1e2",
		"-0.0",
		"0",
		"-3.25",
		"1.5E-3",
		"1E+64",
		"0.000001",
		"-1.7976931348623157e+308",
		"4.9e-324",
		"2.2250738585072014E-308",
		"0e999999",
	}
	for _, lit := range tests {
		t.Run(lit, func(t *testing.T) {
			for _, doc := range []string{
				`{"amount":` + lit + `}`,
				`{"amount": ` + lit + `}`,
				"{\n  \"amount\": " + lit + "\n}",
			} {
				var p payout
				if err := json.Unmarshal([]byte(doc), &p); err != nil {
					t.Fatalf("Unmarshal(%s): %v", doc, err)
				}
				if got := p.Amount.String(); got != lit {
					t.Errorf("decoded %s as %q, want %q", doc, got, lit)
				}
				out, err := json.Marshal(p)
				if err != nil {
					t.Fatalf("Marshal: %v", err)
				}
				var compact bytes.Buffer
				if err := json.Compact(&compact, []byte(doc)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out, compact.Bytes()) {
					t.Errorf("round trip of %s gave %s, want %s", doc, out, compact.Bytes())
				}
			}
			// The indented document re-encodes byte for byte with the same indentation.
			doc := "{\n  \"amount\": " + lit + "\n}"
			var p payout
			if err := json.Unmarshal([]byte(doc), &p); err != nil {
				t.Fatal(err)
			}
			out, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != doc {
				t.Errorf("indented round trip gave %s, want %s", out, doc)
			}
		})
	}
}

func TestJSONRoundTripTopLevelAndSlices(t *testing.T) {
	const doc = `[0.10,1e2,-0.0,12345678901234567.89,1.50]`
	var as []money.Amount
	if err := json.Unmarshal([]byte(doc), &as); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(as)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != doc {
		t.Errorf("round trip gave %s, want %s", out, doc)
	}

	m := map[string]money.Amount{"a": money.MustParse("1.50")}
	out, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"a":1.50}` {
		t.Errorf("Marshal(map) = %s", out)
	}
}

func TestUnmarshalJSONRejects(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"JSON string", `{"amount": "10"}`},
		{"empty JSON string", `{"amount": ""}`},
		{"null into non-pointer field", `{"amount": null}`},
		{"true", `{"amount": true}`},
		{"false", `{"amount": false}`},
		{"object", `{"amount": {}}`},
		{"array", `{"amount": [10]}`},
		{"beyond a double's range", `{"amount": 1e309}`},
		{"below a double's range", `{"amount": -1e-400}`},
		{"hostile exponent", `{"amount": 1e999999999}`},
		{"too long", `{"amount": ` + strings.Repeat("1", money.MaxLiteralLength+1) + `}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := payout{Amount: money.MustParse("99")}
			err := json.Unmarshal([]byte(tc.doc), &p)
			if err == nil {
				t.Fatalf("Unmarshal(%s) succeeded with %v, want an error", tc.doc, p.Amount)
			}
			if !errors.Is(err, money.ErrInvalidAmount) {
				t.Errorf("Unmarshal(%s) error %v does not match ErrInvalidAmount", tc.doc, err)
			}
			if got := p.Amount.String(); got != "99" {
				t.Errorf("failed Unmarshal(%s) changed the field to %q", tc.doc, got)
			}
		})
	}
}

// TestUnmarshalNull pins down what encoding/json really does with null. For a non-pointer
// Amount (as a field or at top level) it does call (*Amount).UnmarshalJSON with "null",
// which rejects it, so null is never silently taken as an amount. For a *Amount field
// encoding/json sets the pointer to nil without calling UnmarshalJSON: that is how an
// optional amount is spelt, and the nil pointer makes the absence visible.
func TestUnmarshalNull(t *testing.T) {
	t.Run("non-pointer field", func(t *testing.T) {
		var p payout
		err := json.Unmarshal([]byte(`{"amount": null}`), &p)
		if !errors.Is(err, money.ErrInvalidAmount) {
			t.Fatalf("Unmarshal null into Amount field: err = %v, want ErrInvalidAmount", err)
		}
	})
	t.Run("top level", func(t *testing.T) {
		var a money.Amount
		err := json.Unmarshal([]byte(`null`), &a)
		if !errors.Is(err, money.ErrInvalidAmount) {
			t.Fatalf("Unmarshal null into Amount: err = %v, want ErrInvalidAmount", err)
		}
	})
	t.Run("direct call", func(t *testing.T) {
		var a money.Amount
		if err := a.UnmarshalJSON([]byte("null")); !errors.Is(err, money.ErrInvalidAmount) {
			t.Fatalf("UnmarshalJSON(null): err = %v, want ErrInvalidAmount", err)
		}
	})
	t.Run("pointer field", func(t *testing.T) {
		five := money.MustParse("5")
		p := optionalPayout{Amount: &five}
		if err := json.Unmarshal([]byte(`{"amount": null}`), &p); err != nil {
			t.Fatalf("Unmarshal null into *Amount: %v", err)
		}
		if p.Amount != nil {
			t.Errorf("null into *Amount left %v, want nil", *p.Amount)
		}
		if err := json.Unmarshal([]byte(`{"amount": 1.50}`), &p); err != nil {
			t.Fatal(err)
		}
		if p.Amount == nil || p.Amount.String() != "1.50" {
			t.Errorf("*Amount field decoded as %v, want 1.50", p.Amount)
		}
	})
}

func TestUnmarshalJSONDirect(t *testing.T) {
	var a money.Amount
	for _, bad := range []string{"", " 1", "1 ", `"1"`, "1e309", "1e-400"} {
		if err := a.UnmarshalJSON([]byte(bad)); !errors.Is(err, money.ErrInvalidAmount) {
			t.Errorf("UnmarshalJSON(%q): err = %v, want ErrInvalidAmount", bad, err)
		}
	}
	if !a.IsZero() {
		t.Errorf("failed UnmarshalJSON calls changed the amount to %v", a)
	}
	if err := a.UnmarshalJSON([]byte("7.25")); err != nil || a.String() != "7.25" {
		t.Errorf("UnmarshalJSON(7.25) = %v, %v", a, err)
	}
}

func TestZeroValue(t *testing.T) {
	var z money.Amount
	if !z.IsZero() {
		t.Error("zero value: IsZero() = false")
	}
	if got := z.String(); got != "0" {
		t.Errorf("zero value: String() = %q, want \"0\"", got)
	}
	b, err := z.MarshalJSON()
	if err != nil || string(b) != "0" {
		t.Errorf("zero value: MarshalJSON() = %q, %v, want \"0\"", b, err)
	}
	if got := z.Sign(); got != 0 {
		t.Errorf("zero value: Sign() = %d, want 0", got)
	}
	if n, err := z.MinorUnits(2); err != nil || n != 0 {
		t.Errorf("zero value: MinorUnits(2) = %d, %v, want 0", n, err)
	}
	if !z.Equal(money.MustParse("0.00")) || !z.Equal(money.MustParse("-0")) {
		t.Error("zero value is not Equal to 0.00 and -0")
	}
	if got := z.Cmp(money.MustParse("0.01")); got != -1 {
		t.Errorf("zero value Cmp 0.01 = %d, want -1", got)
	}
	if money.MustParse("0").IsZero() || money.MustParse("0.00").IsZero() {
		t.Error("a parsed 0 reports IsZero; only the zero value should")
	}
	out, err := json.Marshal(payout{})
	if err != nil || string(out) != `{"amount":0}` {
		t.Errorf("Marshal(payout{}) = %s, %v", out, err)
	}
	// omitzero uses IsZero: the unset amount is omitted, an explicit 0 is sent.
	type withOmit struct {
		Amount money.Amount `json:"amount,omitzero"`
	}
	if out, _ := json.Marshal(withOmit{}); string(out) != `{}` {
		t.Errorf("omitzero of unset amount = %s, want {}", out)
	}
	if out, _ := json.Marshal(withOmit{money.MustParse("0")}); string(out) != `{"amount":0}` {
		t.Errorf("omitzero of explicit 0 = %s, want {\"amount\":0}", out)
	}
}

func TestFromMinorUnits(t *testing.T) {
	tests := []struct {
		minor    int64
		decimals uint8
		want     string
	}{
		{1050, 2, "10.50"},
		{5, 2, "0.05"},
		{-5, 3, "-0.005"},
		{0, 2, "0.00"},
		{7, 0, "7"},
		{0, 0, "0"},
		{-7, 0, "-7"},
		{100, 2, "1.00"},
		{-100, 2, "-1.00"},
		{1, 8, "0.00000001"},
		{math.MinInt64, 2, "-92233720368547758.08"},
		{math.MaxInt64, 0, "9223372036854775807"},
		{math.MaxInt64, 19, "0.9223372036854775807"},
		{math.MinInt64, 19, "-0.9223372036854775808"},
	}
	for _, tc := range tests {
		a := money.FromMinorUnits(tc.minor, tc.decimals)
		if got := a.String(); got != tc.want {
			t.Errorf("FromMinorUnits(%d, %d) = %q, want %q", tc.minor, tc.decimals, got, tc.want)
		}
		// The result is a literal Parse accepts, so it survives a JSON round trip.
		if _, err := money.Parse(a.String()); err != nil {
			t.Errorf("FromMinorUnits(%d, %d) = %q, which Parse rejects: %v", tc.minor, tc.decimals, a, err)
		}
		if n, err := a.MinorUnits(tc.decimals); err != nil || n != tc.minor {
			t.Errorf("FromMinorUnits(%d, %d).MinorUnits(%d) = %d, %v", tc.minor, tc.decimals, tc.decimals, n, err)
		}
	}
}

func TestMinorUnits(t *testing.T) {
	tests := []struct {
		in       string
		decimals uint8
		want     int64
	}{
		{"10.5", 2, 1050},
		{"10.50", 2, 1050},
		{"10.500", 2, 1050},
		{"10", 2, 1000},
		{"10", 0, 10},
		{"1e2", 2, 10000},
		{"1.5E-3", 4, 15},
		{"150e-2", 1, 15},
		{"-3.25", 2, -325},
		{"-0.0", 2, 0},
		{"0.000001", 6, 1},
		{"92233720368547758.07", 2, math.MaxInt64},
		{"-92233720368547758.08", 2, math.MinInt64},
		{"9223372036854775807", 0, math.MaxInt64},
		{"9.223372036854775807e18", 0, math.MaxInt64},
	}
	for _, tc := range tests {
		got, err := money.MustParse(tc.in).MinorUnits(tc.decimals)
		if err != nil || got != tc.want {
			t.Errorf("%s.MinorUnits(%d) = %d, %v, want %d", tc.in, tc.decimals, got, err, tc.want)
		}
	}
}

func TestMinorUnitsErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		decimals uint8
	}{
		{"too many places", "10.505", 2},
		{"too many places at 0", "0.5", 0},
		{"exponent leaves a fraction", "150e-2", 0},
		{"negative too many places", "-0.001", 2},
		{"tiny exponent", "1e-64", 2},
		{"overflow", "92233720368547758.08", 2},
		{"negative overflow", "-92233720368547758.09", 2},
		{"overflow by scaling", "10", 19},
		{"overflow by exponent", "1e19", 0},
		{"huge exponent", "1e64", 255},
		{"largest double", "1.7976931348623157e308", 2},
		{"negative largest double", "-1.7976931348623157e+308", 0},
		{"smallest double", "4.9e-324", 255},
		{"most decimal places", strings.Repeat("9", 59) + "e-382", 255},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := money.MustParse(tc.in).MinorUnits(tc.decimals)
			if err == nil {
				t.Fatalf("%s.MinorUnits(%d) = %d, want an error", tc.in, tc.decimals, n)
			}
			if !errors.Is(err, money.ErrInvalidAmount) {
				t.Errorf("%s.MinorUnits(%d) error %v does not match ErrInvalidAmount", tc.in, tc.decimals, err)
			}
			if n != 0 {
				t.Errorf("%s.MinorUnits(%d) returned %d with its error, want 0", tc.in, tc.decimals, n)
			}
		})
	}
}

func TestCmpEqualSign(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.5", "1.50", 0},
		{"1.5", "15e-1", 0},
		{"1.50", "15E-1", 0},
		{"1.5", "0.15e1", 0},
		{"100", "1e2", 0},
		{"-0", "0", 0},
		{"-0.0", "0.00", 0},
		{"0e64", "0", 0},
		{"12345678901234567.89", "12345678901234567.88", 1},
		{"12345678901234567.88", "12345678901234567.89", -1},
		{"-1", "1", -1},
		{"-1.5", "-1.49", -1},
		{"0.000001", "0", 1},
		{"1e-64", "0", 1},
		{"-1e-64", "0", -1},
		{"1e64", "9.99e63", 1},
		{"10", "9.99999999", 1},
		{"1.7976931348623157e308", "1.7976931348623158e308", -1},
		{"-1.7976931348623157e+308", "4.9e-324", -1},
		{"4.9e-324", "5e-324", -1},
		{"4.9e-324", "0", 1},
		{"-4.9e-324", "0e999999", -1},
		{"0e999999", "0", 0},
		{"0e999999", "-0.0e-999999", 0},
		{"0e99999999999999999999999", "0E-99999999999999999999999", 0},
		{"1e308", "10000000000000000000e289", 0},
		{"1e308", "99999999999999999999e288", 1},
	}
	for _, tc := range tests {
		a, b := money.MustParse(tc.a), money.MustParse(tc.b)
		if got := a.Cmp(b); got != tc.want {
			t.Errorf("%s.Cmp(%s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := b.Cmp(a); got != -tc.want {
			t.Errorf("%s.Cmp(%s) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
		if got := a.Equal(b); got != (tc.want == 0) {
			t.Errorf("%s.Equal(%s) = %v, want %v", tc.a, tc.b, got, tc.want == 0)
		}
	}

	signs := []struct {
		in   string
		want int
	}{
		{"0", 0}, {"-0", 0}, {"-0.00", 0}, {"0e-64", 0},
		{"1", 1}, {"1e-64", 1}, {"0.01", 1},
		{"-1", -1}, {"-1e-64", -1}, {"-0.01", -1},
		{"0e999999", 0}, {"-0e-999999", 0}, {"0e99999999999999999999999", 0},
		{"4.9e-324", 1}, {"1.7976931348623157e308", 1},
		{"-4.9e-324", -1}, {"-1.7976931348623157e+308", -1},
	}
	for _, tc := range signs {
		if got := money.MustParse(tc.in).Sign(); got != tc.want {
			t.Errorf("%s.Sign() = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestArithmetic(t *testing.T) {
	// 0.1 + 0.2 == 0.3, which float64 gets wrong.
	sum := money.MustParse("0.1").Add(money.MustParse("0.2"))
	if !sum.Equal(money.MustParse("0.3")) || sum.String() != "0.3" {
		t.Errorf("0.1 + 0.2 = %v, want 0.3", sum)
	}

	tests := []struct {
		op   string
		a, b string
		want string
	}{
		{"add", "10.50", "0.5", "11.00"},
		{"add", "1e2", "1.5E-3", "100.0015"},
		{"add", "-3.25", "3.25", "0.00"},
		{"add", "12345678901234567.89", "0.01", "12345678901234567.90"},
		{"add", "0", "0", "0"},
		{"sub", "10", "0.01", "9.99"},
		{"sub", "0.3", "0.1", "0.2"},
		{"sub", "1", "2.50", "-1.50"},
		{"sub", "-0.0", "0", "0.0"},
		{"sub", "12345678901234567.89", "12345678901234567.88", "0.01"},
	}
	for _, tc := range tests {
		a, b := money.MustParse(tc.a), money.MustParse(tc.b)
		var got money.Amount
		if tc.op == "add" {
			got = a.Add(b)
		} else {
			got = a.Sub(b)
		}
		if got.String() != tc.want {
			t.Errorf("%s %s %s = %q, want %q", tc.a, tc.op, tc.b, got, tc.want)
		}
		// Arithmetic never changes its operands.
		if a.String() != tc.a || b.String() != tc.b {
			t.Errorf("%s %s %s changed an operand to %v, %v", tc.a, tc.op, tc.b, a, b)
		}
	}

	negs := []struct{ in, want string }{
		{"10.50", "-10.50"},
		{"-3.25", "3.25"},
		{"0", "0"},
		{"-0.0", "0.0"},
		{"1e2", "-100"},
		{"1.5E-3", "-0.0015"},
	}
	for _, tc := range negs {
		a := money.MustParse(tc.in)
		n := a.Neg()
		if n.String() != tc.want {
			t.Errorf("Neg(%s) = %q, want %q", tc.in, n, tc.want)
		}
		if !n.Neg().Equal(a) {
			t.Errorf("Neg(Neg(%s)) = %v, want a value Equal to %s", tc.in, n.Neg(), tc.in)
		}
		if s := a.Add(n).Sign(); s != 0 {
			t.Errorf("%s + Neg(%s) has Sign %d, want 0", tc.in, tc.in, s)
		}
	}

	// The zero value takes part in arithmetic as 0.
	var z money.Amount
	if got := z.Add(money.MustParse("1.25")); got.String() != "1.25" {
		t.Errorf("zero + 1.25 = %v", got)
	}
	if got := z.Sub(money.MustParse("1.25")); got.String() != "-1.25" {
		t.Errorf("zero - 1.25 = %v", got)
	}
	if got := z.Neg(); got.Sign() != 0 || got.String() != "0" {
		t.Errorf("Neg(zero) = %v", got)
	}
}

// TestNoFloat64 uses amounts that differ beyond float64 precision: float64 rounds each pair
// to the same number, and Amount still tells them apart.
func TestNoFloat64(t *testing.T) {
	tests := []struct{ small, big string }{
		{"12345678901234567.88", "12345678901234567.89"},
		{"9007199254740992", "9007199254740993"}, // 2^53 and 2^53+1
		{"0.1", "0.10000000000000000001"},
		{"1", "1.0000000000000000000000000000000000000000000000000000000000001"},
		{"1e-64", "1.0000000000000000000000000000001e-64"},
		{"1e64", "1.0000000000000000000000000000001e64"},
		{"-9007199254740993", "-9007199254740992"},
	}
	for _, tc := range tests {
		fs, err1 := strconv.ParseFloat(tc.small, 64)
		fb, err2 := strconv.ParseFloat(tc.big, 64)
		if err1 != nil || err2 != nil || fs != fb {
			t.Fatalf("test case %s, %s is not float64-ambiguous (%v, %v)", tc.small, tc.big, fs, fb)
		}
		s, b := money.MustParse(tc.small), money.MustParse(tc.big)
		if s.Cmp(b) != -1 || b.Cmp(s) != 1 || s.Equal(b) {
			t.Errorf("%s vs %s: Cmp = %d, %d, Equal = %v; want -1, 1, false",
				tc.small, tc.big, s.Cmp(b), b.Cmp(s), s.Equal(b))
		}
		if d := b.Sub(s); d.Sign() != 1 {
			t.Errorf("%s - %s = %v, want a positive difference", tc.big, tc.small, d)
		}
	}
}

// TestLongResults covers arithmetic whose exact result needs more than MaxLiteralLength
// characters. The result is still exact and still encodes as a valid JSON number; only Parse
// and UnmarshalJSON, which guard against hostile input, would refuse to read that text back.
func TestLongResults(t *testing.T) {
	tests := []struct {
		a  money.Amount
		op func(a money.Amount) money.Amount
	}{
		{money.MustParse("1e64"), func(a money.Amount) money.Amount { return a.Add(money.MustParse("1e-64")) }},
		{money.MustParse("1e308"), func(a money.Amount) money.Amount { return a.Add(money.MustParse("1e-308")) }},
		{money.MustParse("1e64"), money.Amount.Neg},
		{money.MustParse(strings.Repeat("9", money.MaxLiteralLength)), money.Amount.Neg},
		{money.FromMinorUnits(1, 100), func(a money.Amount) money.Amount { return a }},
	}
	for _, tc := range tests {
		got := tc.op(tc.a)
		out, err := json.Marshal(payout{got})
		if err != nil {
			t.Errorf("Marshal of %v: %v", got, err)
			continue
		}
		var v struct{ Amount json.Number }
		if err := json.Unmarshal(out, &v); err != nil || v.Amount.String() != got.String() {
			t.Errorf("Marshal of %v gave %s, which decodes as %q, %v", got, out, v.Amount, err)
		}
	}
	if got := money.MustParse("1e64").Add(money.MustParse("1e-64")).Sub(money.MustParse("1e64")); !got.Equal(money.MustParse("1e-64")) {
		t.Errorf("(1e64 + 1e-64) - 1e64 = %v, want 1e-64", got)
	}
	// The figure MaxLiteralLength's documentation gives.
	if got := money.MustParse("1e308").Add(money.MustParse("1e-308")).String(); len(got) != 617+1 || strings.Count(got, "0") != 617-2 {
		t.Errorf("1e308 + 1e-308 = %d characters %.20s…, want 617 digits and a point", len(got), got)
	}
}

// maxExpanded is the longest plain decimal text any accepted literal expands to: a sign, the
// 309 integer digits of the largest double, a point, and the decimal places the smallest
// doubles can carry in MaxLiteralLength characters (fewer than 324 + MaxLiteralLength).
const maxExpanded = 1 + 309 + 1 + 324 + money.MaxLiteralLength

// TestExtremesStaySmall is the exponent guard's test: arithmetic on the extremes Parse accepts
// gives exact results of at most a few hundred digits. Before the guard, an exponent such as
// 0e-999999 or 1e999999999 would have been expanded into that many digits.
func TestExtremesStaySmall(t *testing.T) {
	max, tiny := money.MustParse("1.7976931348623157e308"), money.MustParse("4.9e-324")
	places := money.MustParse(strings.Repeat("9", 59) + "e-382")
	zeroUp, zeroDown := money.MustParse("0e999999999"), money.MustParse("-0E-99999999999999999999999")
	one := money.MustParse("1")

	results := []struct {
		name string
		got  money.Amount
		want []string // terms whose exact sum is the result
	}{
		{"max - tiny", max.Sub(tiny), []string{"1.7976931348623157e308", "-4.9e-324"}},
		{"-max + places", max.Neg().Add(places), []string{"-1.7976931348623157e308", places.String()}},
		{"tiny + 0e999999999", tiny.Add(zeroUp), []string{"4.9e-324"}},
		{"1 + 0e-huge", one.Add(zeroDown), []string{"1"}},
		{"1 - 0e999999999", one.Sub(zeroUp), []string{"1"}},
		{"0e999999999 + 0e-huge", zeroUp.Add(zeroDown), []string{"0"}},
		{"1e308 - 1e-323", money.MustParse("1e308").Sub(money.MustParse("1e-323")), []string{"1e308", "-1e-323"}},
	}
	for _, tc := range results {
		t.Run(tc.name, func(t *testing.T) {
			if n := len(tc.got.String()); n > maxExpanded {
				t.Errorf("result has %d characters, more than %d", n, maxExpanded)
			}
			want := new(big.Rat)
			for _, term := range tc.want {
				r, ok := new(big.Rat).SetString(term)
				if !ok {
					t.Fatalf("bad term %q", term)
				}
				want.Add(want, r)
			}
			if !equalRat(t, tc.got, want) {
				t.Errorf("got %.40s…, want the sum of %q", tc.got, tc.want)
			}
		})
	}

	if max.Cmp(tiny) != 1 || tiny.Cmp(zeroUp) != 1 || zeroUp.Cmp(zeroDown) != 0 || max.Neg().Cmp(tiny.Neg()) != -1 {
		t.Error("Cmp on extremes is wrong")
	}
	if zeroUp.Sign() != 0 || zeroDown.Sign() != 0 || tiny.Neg().Sign() != -1 || places.Sign() != 1 {
		t.Error("Sign on extremes is wrong")
	}
	if n, err := zeroUp.MinorUnits(2); err != nil || n != 0 {
		t.Errorf("0e999999999.MinorUnits(2) = %d, %v, want 0", n, err)
	}
	if n, err := zeroDown.MinorUnits(255); err != nil || n != 0 {
		t.Errorf("0e-huge.MinorUnits(255) = %d, %v, want 0", n, err)
	}
	for _, a := range []money.Amount{max, max.Neg(), tiny, places} {
		if _, err := a.MinorUnits(255); !errors.Is(err, money.ErrInvalidAmount) {
			t.Errorf("%s.MinorUnits(255): err = %v, want ErrInvalidAmount", a, err)
		}
	}
}

func TestExactInFloat64(t *testing.T) {
	max := money.MustParse("1.7976931348623157e308")
	tests := []struct {
		name string
		a    money.Amount
		want bool
	}{
		{"cents", money.MustParse("10.50"), true},
		{"0.1 comes back as 0.1", money.MustParse("0.1"), true},
		{"small exponent", money.MustParse("1e-7"), true},
		{"dollars and cents", money.MustParse("123456789.12"), true},
		{"sum that float64 gets wrong, exact here", money.MustParse("0.1").Add(money.MustParse("0.2")), true},
		{"2^53", money.MustParse("9007199254740992"), true},
		{"largest double", max, true},
		{"negative largest double", money.MustParse("-1.7976931348623157e+308"), true},
		{"smallest double, shortest form", money.MustParse("5e-324"), true},
		{"smallest normal double", money.MustParse("2.2250738585072014E-308"), true},
		{"1e308", money.MustParse("1e308"), true},
		{"zero", money.MustParse("0"), true},
		{"negative zero", money.MustParse("-0.00"), true},
		{"zero with huge exponent", money.MustParse("0e999999"), true},
		{"zero value", money.Amount{}, true},
		{"minor units", money.FromMinorUnits(math.MaxInt32, 2), true},

		{"2^53 + 1", money.MustParse("9007199254740993"), false},
		{"below double precision", money.MustParse("0.30000000000000000001"), false},
		{"cents beyond 2^53", money.MustParse("12345678901234567.89"), false},
		{"negative", money.MustParse("-9007199254740993"), false},
		// The smallest double is 4.94065645841246544e-324, written back as 5e-324.
		{"smallest double, usual form", money.MustParse("4.9e-324"), false},
		{"rounds down to the largest double", money.MustParse("1.7976931348623158e308"), false},
		// The exact value of the double nearest 0.1 is written back as 0.1: a different amount.
		{"exact value of a double", money.MustParse("0.1000000000000000055511151231257827021181583404541015625"), false},
		{"beyond range by arithmetic", max.Add(max), false},
		{"below range by arithmetic", money.MustParse("2.5e-324").Sub(money.MustParse("2.48e-324")), false},
		{"long result", money.MustParse("1e308").Add(money.MustParse("1e-308")), false},
	}
	for _, tc := range tests {
		if got := tc.a.ExactInFloat64(); got != tc.want {
			t.Errorf("%s: %.40s.ExactInFloat64() = %v, want %v", tc.name, tc.a, got, tc.want)
		}
	}
}

// TestConcurrentUse shares Amounts between goroutines; run with -race it shows that no
// method writes to its receiver or to shared state.
func TestConcurrentUse(t *testing.T) {
	a, b := money.MustParse("12345678901234567.89"), money.MustParse("1.5E-3")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_ = a.Cmp(b)
				_ = a.Add(b).Sub(b).Neg()
				_, _ = a.MinorUnits(2)
				_, _ = json.Marshal(payout{a})
				_ = a.Sign() + b.Sign()
				_ = a.ExactInFloat64()
			}
		})
	}
	wg.Wait()
	if a.String() != "12345678901234567.89" || b.String() != "1.5E-3" {
		t.Errorf("shared amounts changed to %v, %v", a, b)
	}
}

func BenchmarkUnmarshalJSON(b *testing.B) {
	doc := []byte(`{"amount": 12345678901234567.89}`)
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		var p payout
		for b.Loop() {
			if err := json.Unmarshal(doc, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("method", func(b *testing.B) {
		b.ReportAllocs()
		lit := []byte("12345678901234567.89")
		var a money.Amount
		for b.Loop() {
			if err := a.UnmarshalJSON(lit); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCmp(b *testing.B) {
	pairs := []struct {
		name string
		a, b money.Amount
	}{
		{"same scale", money.MustParse("12345678901234567.89"), money.MustParse("12345678901234567.88")},
		{"different scale", money.MustParse("10.5"), money.MustParse("10.500")},
		{"exponent", money.MustParse("1.5E-3"), money.MustParse("0.0015")},
	}
	for _, p := range pairs {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = p.a.Cmp(p.b)
			}
		})
	}
}
