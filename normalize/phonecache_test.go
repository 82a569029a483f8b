package normalize

import (
	"strings"
	"testing"
)

// TestPhoneCacheAgreesWithTheParser: the cache may only save work, never
// change an answer, whatever order formats of one number come in.
func TestPhoneCacheAgreesWithTheParser(t *testing.T) {
	inputs := []struct{ raw, region string }{
		{"+1 555 106 6899", "US"}, {"(555) 106-6899", "US"}, {"555.106.6899", "US"}, {"+15551066899", "US"},
		{"0039 347 1234567", "IT"}, {"347 123 4567", "IT"}, {"+39 347 1234567", "IT"}, {"347 123 4567", "PH"},
		{"0613 547 526", "FR"}, {"+33 6 13 54 75 26", "FR"}, {"07700 812598", "GB"}, {"+44 (0)7700 812598", "GB"},
		{"+44 7700 812598", "GB"}, {"555 106 6899 ext 12", "US"}, {"1-800-FLOWERS", "US"}, {"", "US"}, {"12", "US"},
		// Found by FuzzPhoneCache: a second plus, and a text too long for the parser.
		{"++10000000", "0"}, {"+(+10 000(000", "0"}, {"000(000 000(00", "GB"}, {strings.Repeat(" ", 240) + "000(000 000(00", "GB"},
		// A key longer than the cache's stack buffer.
		{strings.Repeat("1", 80), "US"},
	}
	var c PhoneCache
	for round := 0; round < 2; round++ {
		for _, in := range inputs {
			got, want := c.Phone(in.raw, in.region), Phone(in.raw, in.region)
			if got != want {
				t.Errorf("round %d: Phone(%q, %s) = %q, parser says %q", round, in.raw, in.region, got, want)
			}
			if got, nsn := c.NationalNumber(want), NationalNumber(want); got != nsn {
				t.Errorf("round %d: NationalNumber(%q) = %q, parser says %q", round, want, got, nsn)
			}
			checkForms(t, &c, in.raw, in.region)
		}
	}
	var none *PhoneCache
	if got, want := none.Phone("+39 347 1234567", ""), "+393471234567"; got != want {
		t.Errorf("nil cache: got %q, want %q", got, want)
	}
}

func FuzzPhoneCache(f *testing.F) {
	f.Add("+1 555 106 6899", "(555) 106-6899", "US")
	f.Add("++10000000", "+(+10 000(000", "0")
	f.Fuzz(func(t *testing.T, a, b, region string) {
		var c PhoneCache
		for _, raw := range []string{a, b, a} {
			got, want := c.Phone(raw, region), Phone(raw, region)
			if got != want {
				t.Errorf("Phone(%q, %q) = %q, parser says %q", raw, region, got, want)
			}
			if got, nsn := c.NationalNumber(want), NationalNumber(want); got != nsn {
				t.Errorf("NationalNumber(%q) = %q, parser says %q", want, got, nsn)
			}
			checkForms(t, &c, raw, region)
		}
	})
}

// checkForms: what ingest stores of a number is what a scan would parse,
// and a scan reading the stored forms gets them back without the raw text.
func checkForms(t *testing.T, c *PhoneCache, raw, region string) {
	t.Helper()
	e164, nsn := PhoneForms(raw, region)
	want := Phone(raw, region)
	wantNSN := ""
	if want != "" {
		wantNSN = NationalNumber(want)
	}
	if e164 != want || nsn != wantNSN {
		t.Errorf("PhoneForms(%q, %q) = %q, %q; the parser says %q, %q", raw, region, e164, nsn, want, wantNSN)
	}
	if e164 == "" {
		if got := c.Known("", raw, region); got != want {
			t.Errorf("Known(\"\", %q, %q) = %q, want the parse %q", raw, region, got, want)
		}
		return
	}
	// The raw text is not read again: a stored form stands for it.
	if got := c.Known(e164, "not a number", region); got != e164 {
		t.Errorf("Known(%q, ...) = %q, want the stored form", e164, got)
	}
	if got := c.KnownNational(nsn, e164); got != wantNSN {
		t.Errorf("KnownNational(%q, %q) = %q, want %q", nsn, e164, got, wantNSN)
	}
	if got := c.KnownNational("", e164); got != wantNSN {
		t.Errorf("KnownNational(\"\", %q) = %q, want the parse %q", e164, got, wantNSN)
	}
}
