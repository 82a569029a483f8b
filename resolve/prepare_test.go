package resolve

import (
	"testing"

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
