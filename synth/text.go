package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold drops diacritics the way a foreign institution's form does
// (Nguyễn → Nguyen, Đặng → Dang, Müller → Muller).
func fold(s string) string {
	s = strings.NewReplacer("đ", "d", "Đ", "D", "ø", "o", "Ø", "O", "æ", "ae", "Æ", "AE", "ß", "ss", "ł", "l", "Ł", "L").Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// typo makes one keyboard slip: a dropped, doubled, swapped or replaced
// letter, never in the first position (people get initials right).
func typo(r *rand.Rand, s string) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	i := 1 + r.IntN(len(rs)-2)
	switch r.IntN(4) {
	case 0:
		rs = append(rs[:i], rs[i+1:]...)
	case 1:
		rs = append(rs[:i+1], rs[i:]...)
	case 2:
		rs[i], rs[i+1] = rs[i+1], rs[i]
	default:
		rs[i] = rune("aeiounrstl"[r.IntN(10)])
	}
	return string(rs)
}

// nameVariant writes a person's name as one institution's record of it.
// noise in [0,1] scales how careless the record is (walk-in counters are
// more careless than banks).
func nameVariant(r *rand.Rand, given, family string, familyFirst bool, noise float64) string {
	g, f := given, family
	if r.Float64() < 0.35*noise+0.1 {
		g, f = fold(g), fold(f)
	}
	if nn := nicknames[strings.Fields(g)[0]]; len(nn) > 0 && r.Float64() < 0.2*noise {
		g = nn[r.IntN(len(nn))]
	}
	if r.Float64() < 0.1*noise {
		g = string([]rune(g)[0]) + "."
	}
	if r.Float64() < 0.2*noise {
		if r.IntN(2) == 0 {
			g = typo(r, g)
		} else {
			f = typo(r, f)
		}
	}
	first := familyFirst
	if r.Float64() < 0.15*noise {
		first = !first
	}
	var s string
	switch {
	case first && r.Float64() < 0.3:
		s = f + ", " + g
	case first:
		s = f + " " + g
	default:
		s = g + " " + f
	}
	if r.Float64() < 0.25*noise {
		s = strings.ToUpper(s)
	}
	return s
}

func slug(s string) string {
	s = strings.ToLower(fold(s))
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// phoneNumber makes a national mobile number and writes it the way people
// do: international, national with the trunk prefix, spaced or not.
func phoneNumber(r *rand.Rand, c *country) (e164 string) {
	n := c.mobile
	for len(n) < c.natLen {
		n += strconv.Itoa(r.IntN(10))
	}
	return "+" + c.dial + n
}

// noTrunk: countries whose national form has no trunk prefix (Italian
// mobiles, Norway, Singapore, Mexico since 2019).
var noTrunk = map[string]bool{"IT": true, "NO": true, "SG": true, "MX": true}

func writePhone(r *rand.Rand, c *country, e164 string) string {
	nat := strings.TrimPrefix(e164, "+"+c.dial)
	trunk := "0"
	if noTrunk[c.code] {
		trunk = ""
	}
	switch r.IntN(4) {
	case 0:
		return e164
	case 1:
		return "+" + c.dial + " " + group(nat)
	case 2:
		if c.dial == "1" {
			return "(" + nat[:3] + ") " + nat[3:6] + "-" + nat[6:]
		}
		return trunk + nat
	default:
		if c.dial == "1" {
			return nat[:3] + "-" + nat[3:6] + "-" + nat[6:]
		}
		return trunk + group(nat)
	}
}

func group(n string) string {
	var b strings.Builder
	for i, c := range n {
		if i > 0 && i%3 == 0 && len(n)-i > 1 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// csvField appends s as one CSV field, quoted only when it must be.
func csvField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n\r") {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// row appends fields as one CSV line.
func row(b []byte, fields ...string) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = csvField(b, f)
	}
	return append(b, '\n')
}
