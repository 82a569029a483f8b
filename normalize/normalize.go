// Package normalize reduces names, phone numbers, emails, id numbers and
// addresses to forms that can be compared across institutions, scripts and
// habits of writing. Every function is pure and safe on any input.
package normalize

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// letters that do not decompose into a base letter and a mark.
var special = strings.NewReplacer("đ", "d", "Đ", "d", "ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ß", "ss",
	"ł", "l", "Ł", "l", "ı", "i", "œ", "oe", "Œ", "oe", "þ", "th", "ð", "d")

// Fold lower-cases s and removes diacritics: "Nguyễn Thị Đào" → "nguyen thi dao".
func Fold(s string) string {
	// Most names and addresses are plain ASCII: lower-case them without
	// the Unicode machinery, which costs more than everything else in
	// preparing a million records.
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	// Most of the rest is Latin letters with diacritics, each folding to
	// ASCII on its own, and then so does the whole, rune by rune.
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			b = append(b, byte(r))
			continue
		}
		f, ok := latinFold(r)
		if !ok {
			return foldSlow(s)
		}
		b = append(b, f...)
	}
	return strings.ToLower(string(b))
}

func foldSlow(s string) string {
	s = special.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// latinBlocks are the first and last letters of Latin-1 to Latin
// Extended-B, and of Latin Extended Additional (Vietnamese).
var latinBlocks = [...][2]rune{{'\u00c0', '\u024f'}, {'\u1e00', '\u1eff'}}

// latinFold tells what a letter of latinBlocks folds to, if it folds on
// its own to ASCII letters beginning with its base letter. A string of
// such letters and ASCII folds to their folds joined: the special letters
// are replaced one by one, each decomposes into a letter and marks (so
// marks never cross from one letter to the next), the marks go, nothing
// composes with an ASCII letter, and lower case is rune by rune.
func latinFold(r rune) (string, bool) {
	for i, b := range latinBlocks {
		if r >= b[0] && r <= b[1] {
			f := latinFolds()[i][r-b[0]]
			return f, f != ""
		}
	}
	return "", false
}

var latinFolds = sync.OnceValue(func() (folds [len(latinBlocks)][]string) {
	for i, b := range latinBlocks {
		folds[i] = make([]string, b[1]-b[0]+1)
		for r := b[0]; r <= b[1]; r++ {
			if !unicode.IsLetter(r) {
				continue
			}
			f := foldSlow(string(r))
			d := norm.NFD.String(special.Replace(string(r)))
			if f == "" || d == "" || d[0] >= utf8.RuneSelf || !isASCIILetters(f) {
				continue
			}
			folds[i][r-b[0]] = f
		}
	}
	return folds
})

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// honorifics and titles dropped from names.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true, "sir": true, "madam": true,
	"sig": true, "sigra": true, "dott": true, "herr": true, "frau": true, "m": false, "mme": true, "mlle": true,
	"sr": true, "sra": true, "don": true, "dona": true, "bb": true, "gng": true, "g": false, "atty": true, "engr": true,
	"khun": true, "ong": false, "ba": false, "jr": true, "snr": true, "ii": true, "iii": true,
}

// particles of family names ("dela Cruz", "van der Berg", "bin Osman").
// They are left out of the tokens, so that "Dela Cruz", "Cruz, ... dela" and
// "Delacruz" all come down to "cruz". Short words that are family names
// elsewhere (Lê, La, Da, Di) are not on the list.
var particles = map[string]bool{"de": true, "dela": true, "del": true, "della": true, "delos": true, "delas": true,
	"van": true, "von": true, "der": true, "den": true, "bin": true, "binti": true}

// joinedParticles are Filipino particles often written glued to the name.
var joinedParticles = []string{"delos", "delas", "dela"}

// Name is a name reduced for comparison.
type Name struct {
	Tokens []string // folded tokens without particles, sorted; letters and digits only
	Full   string   // the tokens in the order written, space-separated
}

// PartyFields is what the stages of a scan read of a case's parties'
// names, emails and addresses, as ParseName, Email and Address give them,
// by index in the case's parties: read once and passed on, instead of
// parsed by every stage (three times, for the names of millions of
// parties).
type PartyFields struct {
	Names     []Name
	Emails    []string
	Addresses [][]string
}

// Name is party i's name, whose full text is full: as read already where
// f has it, else parsed now. A nil f has nothing.
func (f *PartyFields) Name(i int, full string) Name {
	if f != nil && i < len(f.Names) {
		return f.Names[i]
	}
	return ParseName(full)
}

// Email is party i's email, as Name is its name.
func (f *PartyFields) Email(i int, raw string) string {
	if f != nil && i < len(f.Emails) {
		return f.Emails[i]
	}
	return Email(raw)
}

// Address is party i's address, as Name is its name.
func (f *PartyFields) Address(i int, raw string) []string {
	if f != nil && i < len(f.Addresses) {
		return f.Addresses[i]
	}
	return Address(raw)
}

// ParseName folds a name, drops honorifics, punctuation and family-name
// particles and expands known nicknames, so that "CRUZ, Ma. Cristina dela"
// and "Maria Cristina Dela Cruz" share their tokens.
func ParseName(s string) Name {
	f := Fold(s)
	var words []string
	for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }) {
		w = strings.Trim(w, "'")
		if w == "" || honorifics[w] {
			continue
		}
		words = append(words, strings.ReplaceAll(w, "'", ""))
	}
	var toks []string
	for i, w := range words {
		// "de la", "de los": the article goes with the particle.
		if particles[w] || i > 0 && words[i-1] == "de" && (w == "la" || w == "los" || w == "las") {
			continue
		}
		for _, p := range joinedParticles {
			if strings.HasPrefix(w, p) && len(w) >= len(p)+4 {
				w = w[len(p):]
				break
			}
		}
		if canon, ok := nickToName[w]; ok {
			w = canon
		}
		toks = append(toks, w)
	}
	n := Name{Full: strings.Join(toks, " ")}
	n.Tokens = append([]string(nil), toks...)
	sort.Strings(n.Tokens)
	return n
}

// Phone returns a number in E.164 ("+639171234567"), reading a national
// form with the record's country as the default region; "" when it is no
// valid number.
func Phone(s, country string) string {
	e164, _ := phone(s, country)
	return e164
}

// PhoneForms is Phone(s, country) and NationalNumber of it, from one parse
// where that is enough: what ingest stores of a number, so that a scan
// reads it without parsing (see filo.Party.PhoneE164).
func PhoneForms(s, country string) (e164, nsn string) {
	e164, nsn = phone(s, country)
	if e164 != "" && nsn == "" {
		nsn = NationalNumber(e164)
	}
	return e164, nsn
}

// phone is Phone with the national significant number from the same
// parse.
func phone(s, country string) (e164, nsn string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	region := strings.ToUpper(country)
	if region == "" {
		region = "ZZ"
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", ""
	}
	if !phonenumbers.IsPossibleNumber(num) {
		return "", ""
	}
	e164 = phonenumbers.Format(num, phonenumbers.E164)
	nsn = phonenumbers.GetNationalSignificantNumber(num)
	// Only where reading e164 again must give the same number: leading
	// zeros of a national number are kept apart from its digits, and
	// come back otherwise from a second parse.
	if nsn == "" || nsn[0] == '0' || e164 != "+"+strconv.Itoa(int(num.GetCountryCode()))+nsn {
		nsn = ""
	}
	return e164, nsn
}

// NationalNumber returns the national significant number of an E.164
// number ("+393471234567" → "3471234567"), "" when it cannot tell.
func NationalNumber(e164 string) string {
	num, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return ""
	}
	return phonenumbers.GetNationalSignificantNumber(num)
}

// NationalDigits reads a number written in national form without knowing
// its country: the digits without the trunk prefix ("0339 327 9066" →
// "3393279066"). A number written with + is read as E.164 instead.
func NationalDigits(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "00") {
		e := Phone(s, "")
		if e == "" && strings.HasPrefix(s, "00") {
			e = Phone("+"+s[2:], "")
		}
		return NationalNumber(e)
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return strings.TrimLeft(b.String(), "0")
}

// mailboxDotsIgnored: providers known to ignore dots and +tags in the local part.
var mailboxDotsIgnored = map[string]bool{"gmail.com": true, "googlemail.com": true}

// Email lower-cases an address and, for providers that ignore them, drops
// dots and +tags from the local part; "" when it is no address.
func Email(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " ,;") {
		return ""
	}
	local, domain := s[:at], s[at+1:]
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if mailboxDotsIgnored[domain] {
		if i := strings.IndexByte(local, '+'); i >= 0 {
			local = local[:i]
		}
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}

// IDNumber keeps the letters and digits of an identity document number,
// upper-cased: "ab-123 456" → "AB123456".
func IDNumber(s string) string {
	var b strings.Builder
	for _, r := range Fold(s) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r - 'a' + 'A')
		} else if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// abbreviations of address words, to one form.
var addressWords = map[string]string{
	"st": "street", "str": "street", "strasse": "street", "straße": "street", "rd": "road", "ave": "avenue", "av": "avenue",
	"blvd": "boulevard", "dr": "drive", "ln": "lane", "brgy": "barangay", "bgy": "barangay", "p": "phuong", "ph": "phuong",
	"q": "quan", "jl": "jalan", "jln": "jalan", "apt": "apartment", "no": "", "nr": "", "n": "",
}

// Address reduces an address to sorted distinct tokens.
func Address(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.FieldsFunc(Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if rep, ok := addressWords[w]; ok {
			w = rep
		}
		if strings.HasSuffix(w, "strasse") && len(w) > 7 {
			w = strings.TrimSuffix(w, "strasse") + " street"
		}
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}
