package sqlstore

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestOrderByTimeIsAStableSort: the cycle-following permutation must give
// exactly what a stable sort gives, ties and all.
func TestOrderByTimeIsAStableSort(t *testing.T) {
	type rec struct {
		at  time.Time
		id  string
		pad [40]byte // records are large; the sort must move them whole
	}
	base := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		n     int
		times int // distinct times: few gives many ties
		tie   bool
	}{
		{"empty", 0, 1, false},
		{"one", 1, 1, false},
		{"sorted already", 50, 1000, false},
		{"many ties kept in order", 500, 7, false},
		{"ties broken by id", 500, 7, true},
		{"mostly distinct", 2000, 100000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(tc.n)))
			xs := make([]rec, tc.n)
			for i := range xs {
				off := time.Duration(r.IntN(tc.times)) * time.Second
				if tc.name == "sorted already" {
					off = time.Duration(i) * time.Second
				}
				// Offsets other than UTC: order is by instant, not by text.
				zone := time.FixedZone("", 3600*(r.IntN(5)-2))
				xs[i] = rec{at: base.Add(off).In(zone), id: string(rune('a' + r.IntN(26)))}
				xs[i].pad[0] = byte(i)
			}
			want := slices.Clone(xs)
			var tie func(a, b *rec) int
			if tc.tie {
				tie = func(a, b *rec) int { return strings.Compare(a.id, b.id) }
			}
			slices.SortStableFunc(want, func(a, b rec) int {
				if c := a.at.Compare(b.at); c != 0 || tie == nil {
					return c
				}
				return tie(&a, &b)
			})
			orderByTime(xs, func(x *rec) time.Time { return x.at }, tie)
			for i := range xs {
				if xs[i] != want[i] {
					t.Fatalf("position %d: got %v %s #%d, want %v %s #%d", i, xs[i].at, xs[i].id, xs[i].pad[0], want[i].at, want[i].id, want[i].pad[0])
				}
			}
		})
	}
}

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
