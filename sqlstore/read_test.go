package sqlstore

import (
	"testing"
	"time"
)

// TestTimesShareTheirZone: a case holds millions of times; those at an
// offset that is not a whole hour must not each carry a zone of their own,
// and must keep their instant and offset.
func TestTimesShareTheirZone(t *testing.T) {
	for _, s := range []string{"2025-03-01T23:15:00+05:30", "2025-03-01T23:15:00.5-03:30", "2025-03-01T23:15:00+01:00", "2025-03-01T23:15:00Z"} {
		a, err := parseTime(s)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := parseTime(s)
		want, _ := time.Parse(time.RFC3339Nano, s)
		if !a.Equal(want) || a.Format(time.RFC3339Nano) != s {
			t.Errorf("%s came back as %s", s, a.Format(time.RFC3339Nano))
		}
		if a.Location() != b.Location() {
			t.Errorf("%s: two parses, two zones", s)
		}
	}
}
