package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/filoproject/filo"
)

func testScanWriter(t *testing.T, st filo.Store) {
	link := func(a, b string) filo.Link {
		return filo.Link{A: filo.RecordRef{Type: "party", ID: a}, B: filo.RecordRef{Type: "party", ID: b}, Kind: filo.LinkSame, Weight: 9, Prob: 0.9,
			Fields: []filo.FieldContribution{{Field: "name", Level: "exact", Weight: 9, A: a, B: b}}, Source: filo.LinkByModel}
	}
	entity := func(id string, parties ...string) filo.Entity {
		e := filo.Entity{ID: id}
		for _, p := range parties {
			e.Records = append(e.Records, filo.RecordRef{Type: "party", ID: p})
		}
		return e
	}
	linksOf := func(id string) []string {
		t.Helper()
		_, ls, err := st.Entity(ctx, id)
		if err != nil {
			t.Fatalf("entity %s: %v", id, err)
		}
		var out []string
		for _, l := range ls {
			out = append(out, l.A.ID+"-"+l.B.ID)
		}
		return out
	}
	same := func(got []string, want ...string) bool { return slices.Equal(got, want) }
	if err := st.SaveScan(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1",
		Entities: []filo.Entity{entity("E0", "P1", "P2")}, Links: []filo.Link{link("P1", "P2")}}); err != nil {
		t.Fatal(err)
	}

	w, err := st.BeginScan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddLinks(ctx, []filo.Link{link("P1", "P3"), link("P3", "P4")}); err != nil {
		t.Fatal(err)
	}
	// The staged links hold no lock: an analyst's judgement is written
	// while the scan goes on (a writer holding the store would make this
	// wait until the deadline).
	jctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := st.AddJudgement(jctx, &filo.Judgement{A: filo.RecordRef{Type: "party", ID: "P1"}, B: filo.RecordRef{Type: "party", ID: "P4"},
		Same: false, Who: "analyst 1", When: time.Now()}); err != nil {
		t.Fatalf("a judgement while a scan is being written: %v", err)
	}
	if got := linksOf("E0"); !same(got, "P1-P2") {
		t.Errorf("before the scan commits, E0's links are %v, want the previous scan's P1-P2", got)
	}
	if err := w.AddLinks(ctx, []filo.Link{link("P4", "P5")}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1",
		Entities: []filo.Entity{entity("E1", "P1", "P3", "P4", "P5", "P6")}, Links: []filo.Link{link("P5", "P6")}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Rollback(); err != nil {
		t.Errorf("rollback after commit: %v", err)
	}
	if got := linksOf("E1"); !same(got, "P1-P3", "P3-P4", "P4-P5", "P5-P6") {
		t.Errorf("after commit, E1's links are %v, want the staged ones in order, then the result's own", got)
	}
	if es, _ := st.Entities(ctx); len(es) != 1 || es[0].ID != "E1" {
		t.Errorf("after commit, entities %+v, want only E1", es)
	}

	// A scan that fails leaves the committed one, and nothing of its own
	// for the next.
	w, err = st.BeginScan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddLinks(ctx, []filo.Link{link("P7", "P8")}); err != nil {
		t.Fatal(err)
	}
	if err := w.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx, &filo.ScanResult{}); err == nil {
		t.Error("commit after rollback succeeded")
	}
	if got := linksOf("E1"); !same(got, "P1-P3", "P3-P4", "P4-P5", "P5-P6") {
		t.Errorf("after a rolled-back scan, E1's links are %v, want the committed scan's", got)
	}
	if err := st.SaveScan(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1", Entities: []filo.Entity{entity("E2", "P7", "P8")}}); err != nil {
		t.Fatal(err)
	}
	if got := linksOf("E2"); len(got) != 0 {
		t.Errorf("the rolled-back scan's links %v came back in the next scan", got)
	}

	// Two scans at once: the one whose links the other cleared says so,
	// and does not commit.
	first, err := st.BeginScan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback()
	if err := first.AddLinks(ctx, []filo.Link{link("P7", "P9")}); err != nil {
		t.Fatal(err)
	}
	second, err := st.BeginScan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Rollback()
	err = first.Commit(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1", Entities: []filo.Entity{entity("E3", "P7", "P9")}})
	if filo.ErrorCode(err) != filo.ECONFLICT {
		t.Errorf("commit of a scan whose links another scan cleared: %v, want code %s", err, filo.ECONFLICT)
	}
	if es, _ := st.Entities(ctx); len(es) != 1 || es[0].ID != "E2" {
		t.Errorf("after the conflict, entities %+v, want E2 still", es)
	}
}

// testScanParties: party records written while a scan runs are not read
// until it commits, and Commit adds the other records of the result's
// entities (a platform account attached after resolution), not the party
// records again.
func testScanParties(t *testing.T, st filo.Store) {
	party := func(id string) filo.RecordRef { return filo.RecordRef{Type: filo.RecordParty, ID: id} }
	account := filo.RecordRef{Type: filo.RecordPlatformAccount, ID: "chat:u1"}
	if err := st.SaveScan(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1",
		Entities: []filo.Entity{{ID: "E0", Records: []filo.RecordRef{party("P1"), party("P2")}}}}); err != nil {
		t.Fatal(err)
	}
	w, err := st.BeginScan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	resolved := []filo.Entity{
		{ID: "E1", Records: []filo.RecordRef{party("P1"), party("P3")}},
		{ID: "E2", Records: []filo.RecordRef{party("P2")}},
		{ID: "E3", Records: []filo.RecordRef{account}},
	}
	if err := w.AddParties(ctx, resolved); err != nil {
		t.Fatal(err)
	}
	if es, err := st.Entities(ctx); err != nil || !reflect.DeepEqual(es, []filo.Entity{{ID: "E0", Records: []filo.RecordRef{party("P1"), party("P2")}}}) {
		t.Errorf("before the scan commits, entities %+v (%v), want the previous scan's E0", es, err)
	}
	// The account joined E2 after resolution; E3 is gone.
	final := []filo.Entity{resolved[0], {ID: "E2", Records: []filo.RecordRef{party("P2"), account}}}
	if err := w.Commit(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1", Entities: final}); err != nil {
		t.Fatal(err)
	}
	if es, err := st.Entities(ctx); err != nil || !reflect.DeepEqual(es, final) {
		t.Errorf("after commit, entities %+v (%v), want %+v", es, err, final)
	}
	e, _, err := st.Entity(ctx, "E2")
	if err != nil || len(e.Records) != 2 {
		t.Errorf("entity E2 after commit: %+v (%v), want P2 and the account", e, err)
	}
	// The slot E0 was in is the next scan's: none of E0 comes back.
	if err := st.SaveScan(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1", Entities: []filo.Entity{{ID: "E4", Records: []filo.RecordRef{party("P9")}}}}); err != nil {
		t.Fatal(err)
	}
	if es, err := st.Entities(ctx); err != nil || len(es) != 1 || es[0].ID != "E4" {
		t.Errorf("after a third scan, entities %+v (%v), want only E4", es, err)
	}
}
