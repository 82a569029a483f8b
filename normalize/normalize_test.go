package normalize

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Thị Đào", "nguyen thi dao"},
		{"Đặng Văn Hùng", "dang van hung"},
		{"Müller", "muller"},
		{"Søren Åberg", "soren aberg"},
		{"Łukasz Wiśniewski", "lukasz wisniewski"},
		{"José María Peña", "jose maria pena"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFoldLatinByRuneAgreesWithUnicode: the fold of Latin letters rune by
// rune gives what the Unicode machinery gives, for every such letter next
// to ASCII, marks, letters that do not fold by rune, and other such
// letters.
func TestFoldLatinByRuneAgreesWithUnicode(t *testing.T) {
	var letters []string
	for _, b := range latinBlocks {
		for r := b[0]; r <= b[1]; r++ {
			if _, ok := latinFold(r); ok {
				letters = append(letters, string(r))
			}
		}
	}
	if len(letters) < 400 {
		t.Fatalf("only %d letters fold by rune", len(letters))
	}
	for i, x := range letters {
		others := []string{"", "a", "Z", " ", "-", "\u0301", "\u0903", "ß", "Ǆ", "\xff",
			letters[(i+1)%len(letters)], letters[(i*7+3)%len(letters)], letters[(i*31+11)%len(letters)]}
		for _, y := range others {
			for _, s := range []string{x + y, y + x, "Nguy" + x + "n " + y} {
				if got, want := Fold(s), foldSlow(s); got != want {
					t.Fatalf("Fold(%q) = %q, Unicode gives %q", s, got, want)
				}
			}
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Nguyễn Thị Đào", "Søren Åberg", "e\u0301", "Ǆemal", "İstanbul", "\xffé", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Errorf("Fold(%q) = %q, Unicode gives %q", s, got, want)
		}
	})
}

func TestNamesAcrossHabitsOfWriting(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		min  float64
	}{
		{"family name first with a comma", "CRUZ, Maria Cristina dela", "Maria Cristina Dela Cruz", 1},
		{"particles joined", "Juan de la Cruz", "Juan Delacruz", 1},
		{"Vietnamese order and diacritics", "Nguyễn Văn Hùng", "Hung Van Nguyen", 1},
		{"a nickname", "Bob Smith", "Robert Smith", 1},
		{"an initial", "J. Smith", "John Smith", 0.9},
		{"a typo", "Giusepe Verdi", "Giuseppe Verdi", 0.95},
		{"honorifics dropped", "Mr. John Smith", "John Smith", 1},
		{"Ma. is Maria", "Ma. Cristina Santos", "Maria Cristina Santos", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := TokenSimilarity(ParseName(tt.a), ParseName(tt.b)); s < tt.min {
				t.Errorf("%q ~ %q = %.3f, want >= %.2f", tt.a, tt.b, s, tt.min)
			}
		})
	}
	if s := TokenSimilarity(ParseName("Maria Santos"), ParseName("Jose Santos")); s >= 0.8 {
		t.Errorf("two relatives score %.3f: different given names must stay apart", s)
	}
}

func TestPhone(t *testing.T) {
	tests := []struct{ in, country, want string }{
		{"0917 123 4567", "PH", "+639171234567"},
		{"+63 917 123 4567", "", "+639171234567"},
		{"(555) 012-3456", "US", "+15550123456"},
		{"347 123 4567", "IT", "+393471234567"},
		{"not a number", "IT", ""},
		{"", "IT", ""},
	}
	for _, tt := range tests {
		if got := Phone(tt.in, tt.country); got != tt.want {
			t.Errorf("Phone(%q, %s) = %q, want %q", tt.in, tt.country, got, tt.want)
		}
	}
}

func TestEmailAndIDAndAddress(t *testing.T) {
	if got := Email(" J.Doe+filo@GoogleMail.com "); got != "jdoe@gmail.com" {
		t.Errorf("gmail form = %q", got)
	}
	if got := Email("j.doe+x@example.org"); got != "j.doe+x@example.org" {
		t.Errorf("other providers keep dots and tags: %q", got)
	}
	if got := Email("no-at-sign"); got != "" {
		t.Errorf("Email(no-at-sign) = %q", got)
	}
	if got := IDNumber("ab-123 456"); got != "AB123456" {
		t.Errorf("IDNumber = %q", got)
	}
	if got := strings.Join(Address("12 Rizal St., Brgy. San Isidro"), " "); got != "12 barangay isidro rizal san street" {
		t.Errorf("Address = %q", got)
	}
}

func TestJaroWinklerPublishedExamples(t *testing.T) {
	// Winkler's examples as commonly tabulated.
	tests := []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961},
		{"dwayne", "duane", 0.84},
		{"dixon", "dicksonx", 0.813},
	}
	for _, tt := range tests {
		if got := JaroWinkler(tt.a, tt.b); got < tt.want-0.002 || got > tt.want+0.002 {
			t.Errorf("JaroWinkler(%s, %s) = %.3f, want %.3f", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"CRUZ, Maria dela", "Nguyễn Văn Hùng", "", "de", "Mr.", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := ParseName(s)
		for _, tok := range n.Tokens {
			// No space either: entity resolution tells names apart by
			// their tokens joined with spaces.
			if tok == "" || strings.Contains(tok, " ") || !utf8.ValidString(tok) && utf8.ValidString(s) {
				t.Errorf("ParseName(%q) gave token %q", s, tok)
			}
		}
		if sim := TokenSimilarity(n, n); len(n.Tokens) > 0 && sim < 0.999 {
			t.Errorf("a name is not similar to itself: %q %.3f", s, sim)
		}
	})
}

func FuzzPhone(f *testing.F) {
	f.Add("0917 123 4567", "PH")
	f.Add("+1 (555) 012-3456", "")
	f.Fuzz(func(t *testing.T, s, country string) {
		if p := Phone(s, country); p != "" && p[0] != '+' {
			t.Errorf("Phone(%q) = %q, not E.164", s, p)
		}
	})
}

func FuzzEmailAddressID(f *testing.F) {
	f.Add("a.b@gmail.com")
	f.Add("12 Rizal St")
	f.Fuzz(func(t *testing.T, s string) {
		if e := Email(s); e != "" && strings.Count(e, "@") < 1 {
			t.Errorf("Email(%q) = %q", s, e)
		}
		for _, a := range Address(s) {
			if a == "" {
				t.Errorf("Address(%q) has an empty token", s)
			}
		}
		IDNumber(s)
		Phonetic(Fold(s))
	})
}

// FuzzJaroWinkler checks that the byte path for ASCII names gives what the
// rune path gives, and that the score stays in [0, 1] and symmetric.
func FuzzJaroWinkler(f *testing.F) {
	for _, s := range [][2]string{{"martha", "marhta"}, {"dixon", "dicksonx"}, {"nguyen", "nguyễn"}, {"", "a"}, {"a long name well past sixty-four bytes of text in one single token", "a long name"},
		{"011000011111111111111111111111111111110000000000000000000000000000", "0000000"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		got := JaroWinkler(a, b)
		if got < 0 || got > 1.0000001 {
			t.Fatalf("JaroWinkler(%q, %q) = %v", a, b, got)
		}
		if a != b {
			if want := jaroWinkler([]rune(a), []rune(b)); isASCII(a) && isASCII(b) && got != want {
				t.Fatalf("byte path %v, rune path %v for %q, %q", got, want, a, b)
			}
		}
		if back := JaroWinkler(b, a); math.Abs(back-got) > 1e-9 && len(a) <= 64 && len(b) <= 64 {
			t.Fatalf("not symmetric: %v and %v", got, back)
		}
	})
}

// TestPartyFieldsStandForTheParse: fields read already are taken as they
// are; where there are none (a nil PartyFields, an index past them) the
// raw text is parsed.
func TestPartyFieldsStandForTheParse(t *testing.T) {
	f := &PartyFields{Names: []Name{{Tokens: []string{"stored"}, Full: "stored"}}, Emails: []string{"stored@example.org"},
		Addresses: [][]string{{"stored"}}}
	if got := f.Name(0, "Ann Example"); got.Full != "stored" {
		t.Errorf("Name(0) = %+v, want the stored name", got)
	}
	if got := f.Email(0, "ann@example.org"); got != "stored@example.org" {
		t.Errorf("Email(0) = %q, want the stored one", got)
	}
	if got := f.Address(0, "Via Roma 1"); len(got) != 1 || got[0] != "stored" {
		t.Errorf("Address(0) = %v, want the stored one", got)
	}
	var none *PartyFields
	for _, g := range []*PartyFields{none, f} {
		if got, want := g.Name(1, "Ann Example"), ParseName("Ann Example"); got.Full != want.Full {
			t.Errorf("Name past the fields = %+v, want the parse %+v", got, want)
		}
		if got, want := g.Email(1, " Ann@Example.org "), Email(" Ann@Example.org "); got != want {
			t.Errorf("Email past the fields = %q, want the parse %q", got, want)
		}
		if got, want := g.Address(1, "Via Roma 1"), Address("Via Roma 1"); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("Address past the fields = %v, want the parse %v", got, want)
		}
	}
}
