package resolve

import (
	"testing"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/normalize"
)

// TestCompareAllocatesNothing: comparisons run hundreds of millions of
// times in a large resolution; an allocation each would keep the garbage
// collector busy for a third of the run.
func TestCompareAllocatesNothing(t *testing.T) {
	var phones normalize.PhoneCache
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
