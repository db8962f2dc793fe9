package validate

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/paysdk/rebilly/money"
)

// The regular expressions of Rebilly's definitions are the oracle the hand-written loops must
// agree with.
var (
	idPattern        = regexp.MustCompile(`^[@~\-\.\w]+$`)
	requestIDPattern = regexp.MustCompile(`^[\-\w]+$`)
)

func FuzzIDProblem(f *testing.F) {
	for _, s := range []string{"pout_req_1", "..", ".", "../x", "a b", "é", "a@b~c-d.e_F9", strings.Repeat("x", 51), "", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := IDProblem(s)
		valid := idPattern.MatchString(s) && len(s) <= MaxIDLength && s != "." && s != ".."
		if (msg == "") != valid {
			t.Fatalf("IDProblem(%q) = %q, but the pattern says valid=%v", s, msg, valid)
		}
		if msg != "" && !utf8.ValidString(msg) {
			t.Fatalf("message is not UTF-8: %q", msg)
		}
	})
}

func FuzzRequestIDProblem(f *testing.F) {
	for _, s := range []string{"44433322-2c4y-483z-a0a9-158621f77a21", "a.b", "x y", strings.Repeat("r", 50), strings.Repeat("r", 51), "ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := RequestIDProblem(s)
		valid := s == "" || (requestIDPattern.MatchString(s) && len(s) <= MaxRequestIDLength)
		if (msg == "") != valid {
			t.Fatalf("RequestIDProblem(%q) = %q, but the pattern says valid=%v", s, msg, valid)
		}
	})
}

func FuzzURLProblem(f *testing.F) {
	for _, s := range []string{"https://shop.example/done?pr={{id}}", "http://x/{id}/{result}", "/relative", "javascript:alert(1)", "https://x/ y", "https://{{id}}.example/", "https://x/{nope}", "https://x/\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := URLProblem(s, "{{id}}", "{id}", "{result}")
		if msg != "" {
			return
		}
		if len(s) > MaxURLLength || !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n") {
			t.Fatalf("URLProblem accepted %q", s)
		}
		probe := strings.NewReplacer("{{id}}", "p", "{id}", "p", "{result}", "p").Replace(s)
		u, err := url.Parse(probe)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("URLProblem accepted %q, which is not an absolute http(s) URL (%v)", s, err)
		}
	})
}

func FuzzText(f *testing.F) {
	f.Add("Withdrawal #1", 255)
	f.Add("bad \xff", 10)
	f.Add("a\x00b", 0)
	f.Fuzz(func(t *testing.T, s string, max int) {
		var fs Fields
		fs.Text("description", s, max)
		if len(fs.list) > 1 {
			t.Fatalf("one field reported %d times", len(fs.list))
		}
		if len(fs.list) == 0 && s != "" && !utf8.ValidString(s) {
			t.Fatalf("accepted invalid UTF-8 %q", s)
		}
	})
}

// FuzzPositiveAmount checks that PositiveAmount refuses exactly the amounts that are unset,
// not positive, or changed by a double, once each, with a message that names the amount.
func FuzzPositiveAmount(f *testing.F) {
	for _, s := range []string{"10.50", "0.1", "0", "-1", "9007199254740993", "0.30000000000000000001", "12345678901234567.89", "4.9e-324", "1.7976931348623157e308", "0e999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := money.Parse(s)
		if err != nil {
			return
		}
		var fs Fields
		fs.PositiveAmount("amount", a)
		valid := a.Sign() > 0 && a.ExactInFloat64()
		if (len(fs.list) == 0) != valid || len(fs.list) > 1 {
			t.Fatalf("PositiveAmount(%q) recorded %v; want valid=%v", s, fs.list, valid)
		}
		if len(fs.list) == 1 {
			if msg := fs.list[0].Message; fs.list[0].Field != "amount" || !strings.Contains(msg, s) || !utf8.ValidString(msg) {
				t.Fatalf("PositiveAmount(%q) message %q does not name the field and amount", s, msg)
			}
		}
	})
}
