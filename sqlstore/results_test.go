package sqlstore

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/filoproject/filo"
)

// TestEntityRecordsInKeyOrder: the sort by eight-byte prefixes gives the
// primary key's order, for ids and types that share their first eight
// bytes, end early or hold a zero byte.
func TestEntityRecordsInKeyOrder(t *testing.T) {
	types := []string{filo.RecordParty, filo.RecordPlatformAccount, "platform_accountx", "platform_other"}
	ids := []string{"", "P1", "P10", "P1\x00", "P1\x00\x00\x00\x00\x00\x00\x00z", "P0000000", "P00000001", "P00000001x", "P00000001a", "\xff"}
	r := rand.New(rand.NewPCG(3, 3))
	var es []filo.Entity
	var want []entityRecord
	seen := map[filo.RecordRef]bool{}
	for e := range 40 {
		ent := filo.Entity{ID: "E" + string(rune('a'+e%26))}
		for range 3 {
			ref := filo.RecordRef{Type: types[r.IntN(len(types))], ID: ids[r.IntN(len(ids))]}
			if !seen[ref] {
				seen[ref] = true
				ent.Records = append(ent.Records, ref)
				want = append(want, entityRecord{ent.ID, ref})
			}
		}
		es = append(es, ent)
	}
	slices.SortFunc(want, func(a, b entityRecord) int {
		return cmp.Or(strings.Compare(a.rec.Type, b.rec.Type), strings.Compare(a.rec.ID, b.rec.ID))
	})
	got := entityRecords(es, func(filo.RecordRef) bool { return true })
	if !slices.Equal(got, want) {
		t.Errorf("records in the order\n%v\nwant\n%v", got, want)
	}
	parties := entityRecords(es, func(r filo.RecordRef) bool { return r.Type == filo.RecordParty })
	for _, er := range parties {
		if er.rec.Type != filo.RecordParty {
			t.Errorf("kept %v, which keep refuses", er.rec)
		}
	}
}
