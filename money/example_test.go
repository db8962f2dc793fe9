package money_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paysdk/rebilly/money"
)

func ExampleParse() {
	a, err := money.Parse("10.50")
	fmt.Println(a, err)

	// Parse keeps the text exactly: 1e2 stays 1e2, though it equals 100.
	b, _ := money.Parse("1e2")
	fmt.Println(b, b.Equal(money.MustParse("100")))

	// Anything that is not a JSON number is rejected.
	for _, s := range []string{"+1", "1.", ".5", "NaN", "1,5"} {
		_, err := money.Parse(s)
		fmt.Println(s, errors.Is(err, money.ErrInvalidAmount))
	}
	// Output:
	// 10.50 <nil>
	// 1e2 true
	// +1 true
	// 1. true
	// .5 true
	// NaN true
	// 1,5 true
}

func ExampleFromMinorUnits() {
	fmt.Println(money.FromMinorUnits(1050, 2))
	fmt.Println(money.FromMinorUnits(5, 2))
	fmt.Println(money.FromMinorUnits(-5, 3))
	fmt.Println(money.FromMinorUnits(7, 0))

	cents, err := money.MustParse("10.5").MinorUnits(2)
	fmt.Println(cents, err)
	// Output:
	// 10.50
	// 0.05
	// -0.005
	// 7
	// 1050 <nil>
}

func ExampleAmount_Cmp() {
	a := money.MustParse("12345678901234567.89")
	b := money.MustParse("12345678901234567.88")
	fmt.Println(a.Cmp(b), b.Cmp(a), a.Cmp(a))

	// 1.5, 1.50 and 15e-1 are the same number, though their text differs.
	fmt.Println(money.MustParse("1.5").Cmp(money.MustParse("15e-1")))
	fmt.Println(money.MustParse("1.5") == money.MustParse("1.50"))

	// 0.1 + 0.2 is exactly 0.3.
	sum := money.MustParse("0.1").Add(money.MustParse("0.2"))
	fmt.Println(sum, sum.Equal(money.MustParse("0.3")))
	// Output:
	// 1 -1 0
	// 0
	// false
	// 0.3 true
}

func ExampleAmount_MarshalJSON() {
	var payout struct {
		Amount money.Amount `json:"amount"`
	}
	_ = json.Unmarshal([]byte(`{"amount": 12345678901234567.89}`), &payout)
	out, _ := json.Marshal(payout)
	fmt.Println(string(out))

	out, _ = json.Marshal(map[string]money.Amount{"fee": money.MustParse("0.10"), "unset": {}})
	fmt.Println(string(out))

	err := json.Unmarshal([]byte(`{"amount": "10"}`), &payout)
	fmt.Println(errors.Is(err, money.ErrInvalidAmount))
	// Output:
	// {"amount":12345678901234567.89}
	// {"fee":0.10,"unset":0}
	// true
}

func ExampleAmount_ExactInFloat64() {
	// Rebilly carries amounts as doubles: check an amount survives one before sending it.
	for _, s := range []string{"10.50", "0.1", "123456789.12", "9007199254740993", "12345678901234567.89"} {
		fmt.Println(s, money.MustParse(s).ExactInFloat64())
	}
	// Output:
	// 10.50 true
	// 0.1 true
	// 123456789.12 true
	// 9007199254740993 false
	// 12345678901234567.89 false
}
