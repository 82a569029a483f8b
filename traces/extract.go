package traces

import (
	"regexp"
	"strings"

	"github.com/filoproject/filo/normalize"
)

// Selector kinds.
const (
	SelControlNumber = "control_number"
	SelAmount        = "amount"
	SelEmail         = "email"
	SelPhone         = "phone"
	SelIBAN          = "iban"
)

// Selector is an identifier found in chat text, with its byte offsets.
type Selector struct {
	Kind       string
	Value      string // normalised: digits only, E.164, lower-case email, IBAN without spaces
	Text       string // as written
	Start, End int
	Currency   string // amounts
}

var (
	// Ten digits, whole or in groups split by one space or dash (482 193 7710,
	// 482-193-7710, 4821937710), not part of a longer number.
	reControl = regexp.MustCompile(`(?:^|[^\d+\-])(\d{3}[ \-]?\d{3}[ \-]?\d{4})(?:$|[^\d\-])`)
	reAmount  = regexp.MustCompile(`(?i)(?:\b(usd|eur|gbp|aud|cad|php|thb|vnd|sgd|jpy|sek)\s?(\d{1,3}(?:[,.]\d{3})*(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\b)|(?:\b(\d{1,3}(?:[,]\d{3})*(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s?(usd|eur|gbp|aud|cad|php|thb|vnd|sgd|jpy|sek|dollars?|euros?|pesos?)\b)|(?:([$€£₱])\s?(\d+(?:\.\d{1,2})?))|(?:\b(\d+(?:\.\d{1,2})?)([$€£₱]))`)
	reEmail   = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	rePhone   = regexp.MustCompile(`\+\d[\d \-()]{7,16}\d`)
	reIBAN    = regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b`)
)

var symbolCurrency = map[string]string{"$": "USD", "€": "EUR", "£": "GBP", "₱": "PHP"}

// Extract finds selectors in a message. A control-number candidate that
// sits inside a phone number, a date or a time, or after words like
// "order" or "tracking", is not taken: chats are full of ten-digit numbers
// that are no transfer.
func Extract(text string) []Selector {
	var out []Selector
	lower := strings.ToLower(text)
	phones := rePhone.FindAllStringIndex(text, -1)
	inPhone := func(s, e int) bool {
		for _, p := range phones {
			if s >= p[0] && e <= p[1] {
				return true
			}
		}
		return false
	}
	for _, m := range reControl.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		if inPhone(s, e) {
			continue
		}
		before := lower[max(0, s-16):s]
		if strings.Contains(before, "order") || strings.Contains(before, "tracking") || strings.Contains(before, "number is") ||
			strings.Contains(before, "call") || strings.Contains(before, "phone") || (s > 0 && text[s-1] == '0') {
			continue
		}
		// A national phone number written 0xxx-xxx-xxxx starts with its trunk zero.
		if text[s] == '0' {
			continue
		}
		out = append(out, Selector{Kind: SelControlNumber, Value: digits(text[s:e]), Text: text[s:e], Start: s, End: e})
	}
	for _, m := range reAmount.FindAllStringSubmatchIndex(text, -1) {
		var num, cur string
		switch {
		case m[2] >= 0:
			cur, num = text[m[2]:m[3]], text[m[4]:m[5]]
		case m[6] >= 0:
			num, cur = text[m[6]:m[7]], text[m[8]:m[9]]
		case m[10] >= 0:
			cur, num = symbolCurrency[text[m[10]:m[11]]], text[m[12]:m[13]]
		case m[14] >= 0:
			num, cur = text[m[14]:m[15]], symbolCurrency[text[m[16]:m[17]]]
		}
		cur = strings.ToUpper(cur)
		switch {
		case strings.HasPrefix(cur, "DOLLAR"):
			cur = "USD"
		case strings.HasPrefix(cur, "EURO"):
			cur = "EUR"
		case strings.HasPrefix(cur, "PESO"):
			cur = "PHP"
		}
		out = append(out, Selector{Kind: SelAmount, Value: strings.ReplaceAll(num, ",", ""), Currency: cur, Text: text[m[0]:m[1]], Start: m[0], End: m[1]})
	}
	for _, m := range reEmail.FindAllStringIndex(text, -1) {
		if v := normalize.Email(text[m[0]:m[1]]); v != "" {
			out = append(out, Selector{Kind: SelEmail, Value: v, Text: text[m[0]:m[1]], Start: m[0], End: m[1]})
		}
	}
	for _, m := range phones {
		if v := normalize.Phone(text[m[0]:m[1]], ""); v != "" {
			out = append(out, Selector{Kind: SelPhone, Value: v, Text: text[m[0]:m[1]], Start: m[0], End: m[1]})
		}
	}
	for _, m := range reIBAN.FindAllStringIndex(text, -1) {
		v := strings.ReplaceAll(text[m[0]:m[1]], " ", "")
		if ValidIBAN(v) {
			out = append(out, Selector{Kind: SelIBAN, Value: v, Text: text[m[0]:m[1]], Start: m[0], End: m[1]})
		}
	}
	return out
}

func digits(s string) string {
	return string(appendDigits(nil, s))
}

// appendDigits appends the ASCII digits of s to b. Bytes will do for
// runes: no byte of a multi-byte UTF-8 sequence is an ASCII digit.
func appendDigits(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return b
}

// ValidIBAN checks an IBAN's length and its ISO 13616 mod-97 check digits.
func ValidIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	r := s[4:] + s[:4]
	mod := 0
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			mod = (mod*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			v := int(c-'A') + 10
			mod = (mod*100 + v) % 97
		default:
			return false
		}
	}
	return mod == 1
}
