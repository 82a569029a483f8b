package resolve

import (
	"strings"
	"testing"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/normalize"
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
	}
	var c phoneCache
	for round := 0; round < 2; round++ {
		for _, in := range inputs {
			if got, want := c.phone(in.raw, in.region), normalize.Phone(in.raw, in.region); got != want {
				t.Errorf("round %d: phone(%q, %s) = %q, parser says %q", round, in.raw, in.region, got, want)
			}
		}
	}
}

func FuzzPhoneCache(f *testing.F) {
	f.Add("+1 555 106 6899", "(555) 106-6899", "US")
	f.Add("++10000000", "+(+10 000(000", "0")
	f.Fuzz(func(t *testing.T, a, b, region string) {
		var c phoneCache
		for _, raw := range []string{a, b, a} {
			if got, want := c.phone(raw, region), normalize.Phone(raw, region); got != want {
				t.Errorf("phone(%q, %q) = %q, parser says %q", raw, region, got, want)
			}
		}
	})
}

// TestCompareAllocatesNothing: comparisons run hundreds of millions of
// times in a large resolution; an allocation each would keep the garbage
// collector busy for a third of the run.
func TestCompareAllocatesNothing(t *testing.T) {
	var phones phoneCache
	a := prepare(&filo.Party{FullName: "Nguyễn Văn Hùng", BirthDate: "1980-01-02", Phone: "+84 90 123 4567", Country: "VN", Address: "12 Le Loi, Hue"}, &phones)
	b := prepare(&filo.Party{FullName: "Hung Nguyen Van", BirthDate: "1980-02-01", Phone: "090 123 4567", Country: "VN", Address: "12 Le Loi Hue"}, &phones)
	c := prepare(&filo.Party{FullName: "Catherine Schmidt", Country: "DE"}, &phones)
	d := prepare(&filo.Party{FullName: "Kathryn Smith", Country: "DE"}, &phones)
	ks := makeKeys([]record{a, b, c, d})
	if n := testing.AllocsPerRun(100, func() {
		compare(&ks[0], &ks[1], &a, &b)
		compare(&ks[2], &ks[3], &c, &d)
	}); n != 0 {
		t.Errorf("compare allocates %.0f times a call", n)
	}
}

func TestSameNumbers(t *testing.T) {
	tests := []struct {
		a, b []string
		want bool
	}{
		{[]string{"48", "pine", "st"}, []string{"48", "pine", "street"}, true},
		{[]string{"48", "pine", "st"}, []string{"88", "pine", "st"}, false},
		{[]string{"pine", "st"}, []string{"88", "pine", "st"}, true}, // no number on one side: nothing against
		{[]string{"12", "b", "via", "roma"}, []string{"12", "via", "roma"}, true},
		{[]string{"12", "3", "via"}, []string{"12", "via"}, false}, // a flat number more
		{[]string{"12", "3", "via"}, []string{"12", "4", "via"}, false},
		{nil, nil, true},
	}
	for _, tt := range tests {
		if got := sameNumbers(tt.a, tt.b); got != tt.want {
			t.Errorf("sameNumbers(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := sameNumbers(tt.b, tt.a); got != tt.want {
			t.Errorf("sameNumbers(%v, %v) = %v, want %v (swapped)", tt.b, tt.a, got, tt.want)
		}
	}
}
