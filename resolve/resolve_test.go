package resolve_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/resolve"
)

// population makes n distinct background people so that u has something
// to learn from, and the records under test stand out.
func population(n int) []filo.Party {
	given := []string{"Anna", "Bruno", "Carla", "Dario", "Elena", "Fabio", "Gina", "Hugo", "Irene", "Luca", "Marta", "Nino"}
	family := []string{"Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "Costa", "Fontana"}
	var ps []filo.Party
	for i := 0; i < n; i++ {
		ps = append(ps, filo.Party{ID: fmt.Sprintf("BG%d", i), Kind: "person", Country: "IT",
			FullName:  given[i%len(given)] + " " + family[(i/len(given))%len(family)] + fmt.Sprint(i/200),
			BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 40+i%60, 1+i%12, 1+i%28), Phone: fmt.Sprintf("+39 333 %07d", i),
			IDNumber: fmt.Sprintf("CA%07d", i*7919%9999991)})
	}
	return ps
}

func entityOf(res *resolve.Result, id string) string {
	return res.EntityOf[filo.RecordRef{Type: filo.RecordParty, ID: id}]
}

var buyerRecords = []filo.Party{
	{ID: "A1", Kind: "person", FullName: "Giuseppe Verdi", BirthDate: "1975-02-11", Country: "IT", Phone: "+39 347 1234567", Institution: "RemitNow"},
	{ID: "A2", Kind: "person", FullName: "VERDI, Peppe", BirthDate: "1975-02-11", Country: "IT", Phone: "0039 347 1234567", Institution: "GlobeSend"},
	{ID: "A3", Kind: "person", FullName: "Giusepe Verdi", BirthDate: "1975-11-02", Country: "IT", IDNumber: "AB-1234567", Institution: "QuickWire"},
	{ID: "A4", Kind: "person", FullName: "Giuseppe Verdi", Country: "IT", IDNumber: "AB1234567", Phone: "347 123 4567", Institution: "Bank"},
}

func TestVariantsOfOnePersonMergeAndExplainThemselves(t *testing.T) {
	res, err := resolve.Resolve(context.Background(), resolve.Input{Parties: append(population(2000), buyerRecords...)}, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := entityOf(res, "A1")
	for _, id := range []string{"A2", "A3", "A4"} {
		if entityOf(res, id) != e {
			t.Errorf("%s is not in A1's entity", id)
		}
	}
	for _, l := range res.Links {
		if l.Kind == filo.LinkSame && l.A.ID[0] == 'A' {
			if len(l.Fields) < 7 {
				t.Errorf("link %s-%s explains %d fields, want every field", l.A.ID, l.B.ID, len(l.Fields))
			}
			return
		}
	}
	t.Error("no explained link among the variants")
}

func TestRelativesSharingPhoneAndAddressAreRelatedNotMerged(t *testing.T) {
	ring := []filo.Party{
		{ID: "R1", Kind: "person", FullName: "Maria Santos", Country: "PH", Phone: "+63 917 555 0101", Address: "12 Rizal St, Cebu City"},
		{ID: "R2", Kind: "person", FullName: "Jose Santos", Country: "PH", Phone: "0917 555 0101", Address: "12 Rizal St, Cebu City"},
		{ID: "R3", Kind: "person", FullName: "Rowena Cruz", Country: "PH", Phone: "+63 917 555 0101"},
	}
	res, err := resolve.Resolve(context.Background(), resolve.Input{Parties: append(population(1000), ring...)}, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if entityOf(res, "R1") == entityOf(res, "R2") || entityOf(res, "R1") == entityOf(res, "R3") {
		t.Fatal("relatives merged into one person")
	}
	var bases []string
	for _, l := range res.Links {
		if l.Kind == filo.LinkRelated && l.A.ID[0] == 'R' {
			bases = append(bases, l.A.ID+"-"+l.B.ID+":"+l.Basis)
		}
	}
	want := map[string]bool{"R1-R2:address+phone+family_name": true, "R1-R3:phone": true, "R2-R3:phone": true}
	for _, b := range bases {
		delete(want, b)
	}
	if len(want) > 0 {
		t.Errorf("related links %v lack %v", bases, want)
	}
}

func TestJudgementsOverrideTheModelUntilUndone(t *testing.T) {
	ctx := context.Background()
	parties := append(population(1000), buyerRecords...)
	parties = append(parties, filo.Party{ID: "X1", Kind: "person", FullName: "Completely Different", Country: "IT"})
	js := []filo.Judgement{
		{ID: 1, A: filo.RecordRef{Type: "party", ID: "A1"}, B: filo.RecordRef{Type: "party", ID: "X1"}, Same: true, Who: "analyst"},
		{ID: 2, A: filo.RecordRef{Type: "party", ID: "A1"}, B: filo.RecordRef{Type: "party", ID: "A4"}, Same: false, Who: "analyst"},
	}
	res, _ := resolve.Resolve(ctx, resolve.Input{Parties: parties, Judgements: js}, resolve.Options{})
	if entityOf(res, "A1") != entityOf(res, "X1") {
		t.Error("an analyst's 'same' did not merge")
	}
	if entityOf(res, "A1") == entityOf(res, "A4") {
		t.Error("an analyst's 'not the same' did not keep them apart")
	}
	js[0].Undone, js[1].Undone = true, true
	res, _ = resolve.Resolve(ctx, resolve.Input{Parties: parties, Judgements: js}, resolve.Options{})
	if entityOf(res, "A1") == entityOf(res, "X1") || entityOf(res, "A1") != entityOf(res, "A4") {
		t.Error("undone judgements still act")
	}
}

// TestMergesHandedOverEarlyAreTheSameLinks: links handed to Merges while
// resolution goes on, then the rest in the result, are the links, in the
// order, that a resolution without Merges gives; an analyst's link, kept,
// comes first.
func TestMergesHandedOverEarlyAreTheSameLinks(t *testing.T) {
	ctx := context.Background()
	parties := append(population(1000), buyerRecords...)
	parties = append(parties, filo.Party{ID: "X1", Kind: "person", FullName: "Completely Different", Country: "IT", Phone: "+39 347 1234567"})
	js := []filo.Judgement{{ID: 1, A: filo.RecordRef{Type: "party", ID: "A1"}, B: filo.RecordRef{Type: "party", ID: "BG7"}, Same: true, Who: "analyst"}}
	in := resolve.Input{Parties: parties, Judgements: js,
		PlatformAccounts: []filo.PlatformAccount{{Platform: "chatterly", AccountID: "u1", Phone: "+39 347 1234567"}}}
	want, err := resolve.Resolve(ctx, in, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []filo.Link
	batches := 0
	res, err := resolve.Resolve(ctx, in, resolve.Options{Merges: func(ls []filo.Link) {
		batches++
		got = append(got, ls...)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if batches != 2 || len(res.Links) == 0 {
		t.Fatalf("%d batches handed over early and %d links left: want the analyst's and the model's, and the rest after", batches, len(res.Links))
	}
	got = append(got, res.Links...)
	if !reflect.DeepEqual(got, want.Links) {
		t.Errorf("links handed over early, then the rest: %d links, not the %d of a resolution without Merges", len(got), len(want.Links))
	}
	if got[0].Source != filo.LinkByAnalyst {
		t.Errorf("first link %+v, want the analyst's", got[0])
	}
}

func TestEntityIDsStayStableAcrossScansAndNewRecords(t *testing.T) {
	ctx := context.Background()
	parties := append(population(1000), buyerRecords[:2]...)
	first, _ := resolve.Resolve(ctx, resolve.Input{Parties: parties}, resolve.Options{})
	again, _ := resolve.Resolve(ctx, resolve.Input{Parties: parties, Previous: first.Entities, State: first.State}, resolve.Options{})
	id := entityOf(first, "A1")
	if entityOf(again, "A1") != id || entityOf(again, "BG7") != entityOf(first, "BG7") {
		t.Error("ids changed on a re-scan of the same data")
	}
	grown, _ := resolve.Resolve(ctx, resolve.Input{Parties: append(parties, buyerRecords[2:]...), Previous: first.Entities, State: first.State}, resolve.Options{})
	if entityOf(grown, "A1") != id || entityOf(grown, "A3") != id {
		t.Errorf("after new records: A1 in %s, A3 in %s, want both in %s", entityOf(grown, "A1"), entityOf(grown, "A3"), id)
	}
}

func TestPlatformAccountsJoinByASharedIdentifier(t *testing.T) {
	pas := []filo.PlatformAccount{
		{Platform: "vm", AccountID: "u1", Phone: "+393471234567"},
		{Platform: "vm", AccountID: "u2", Email: "nobody@example.org"},
	}
	res, _ := resolve.Resolve(context.Background(), resolve.Input{Parties: append(population(500), buyerRecords...), PlatformAccounts: pas}, resolve.Options{})
	if got := res.EntityOf[filo.RecordRef{Type: filo.RecordPlatformAccount, ID: "vm:u1"}]; got != entityOf(res, "A1") {
		t.Errorf("vm:u1 with A1's phone is in %s, want %s", got, entityOf(res, "A1"))
	}
	if got := res.EntityOf[filo.RecordRef{Type: filo.RecordPlatformAccount, ID: "vm:u2"}]; got == "" || got == entityOf(res, "A1") {
		t.Errorf("vm:u2 should be an entity of its own, is in %q", got)
	}
}

func BenchmarkResolve100k(b *testing.B) {
	parties := population(100000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := resolve.Resolve(context.Background(), resolve.Input{Parties: parties}, resolve.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func modelLinks(ls []filo.Link) []filo.Link {
	var out []filo.Link
	for _, l := range ls {
		if l.Kind == filo.LinkSame && l.Source == filo.LinkByModel && l.A.Type == filo.RecordParty && l.B.Type == filo.RecordParty {
			out = append(out, l)
		}
	}
	return out
}

// partition maps each record to the sorted records of its entity, so that
// two resolutions can be compared whatever the entity ids.
func partition(res *resolve.Result) map[string]string {
	out := map[string]string{}
	for _, e := range res.Entities {
		var ids []string
		for _, r := range e.Records {
			ids = append(ids, r.ID)
		}
		for _, id := range ids {
			out[id] = fmt.Sprint(ids)
		}
	}
	return out
}

func TestNewRecordsAreResolvedAgainstTheLastScan(t *testing.T) {
	ctx := context.Background()
	old := append(population(3000), buyerRecords[:2]...)
	first, err := resolve.Resolve(ctx, resolve.Input{Parties: old}, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	newer := append(append([]filo.Party{}, old...), buyerRecords[2:]...)
	newer = append(newer, filo.Party{ID: "N1", Kind: "person", FullName: "Ottavio Nuovo", Country: "IT", BirthDate: "1990-01-01"})
	prev := resolve.Input{Parties: newer, Previous: first.Entities, PreviousLinks: modelLinks(first.Links), State: first.State}

	inc, err := resolve.Resolve(ctx, prev, resolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !inc.Incremental || inc.NewRecords != 3 {
		t.Fatalf("incremental %v with %d new records, want true with 3", inc.Incremental, inc.NewRecords)
	}
	full, err := resolve.Resolve(ctx, prev, resolve.Options{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if full.Incremental || inc.Pairs*10 > full.Pairs {
		t.Errorf("incremental compared %d pairs, full %d: want far fewer", inc.Pairs, full.Pairs)
	}
	// The new variants join the buyer's entity, which keeps its id.
	for _, id := range []string{"A3", "A4"} {
		if entityOf(inc, id) != entityOf(first, "A1") {
			t.Errorf("new record %s is in %s, not in the buyer's entity %s", id, entityOf(inc, id), entityOf(first, "A1"))
		}
	}
	// Nothing of the last scan moves, and here the outcome is the full one.
	pi, pf := partition(inc), partition(full)
	for _, p := range old {
		if entityOf(inc, p.ID) != entityOf(first, p.ID) {
			t.Fatalf("old record %s moved from %s to %s", p.ID, entityOf(first, p.ID), entityOf(inc, p.ID))
		}
	}
	for id, members := range pf {
		if pi[id] != members {
			t.Errorf("record %s: incremental entity %s, full %s", id, pi[id], members)
		}
	}
	// The kept links still explain the old merge.
	found := false
	for _, l := range inc.Links {
		if l.Kind == filo.LinkSame && (l.A.ID == "A1" && l.B.ID == "A2" || l.A.ID == "A2" && l.B.ID == "A1") && len(l.Fields) > 0 {
			found = true
		}
	}
	if !found {
		t.Error("the last scan's link A1–A2 is gone from the incremental result")
	}

	t.Run("a new judgement resolves everything again", func(t *testing.T) {
		in := prev
		in.Judgements = []filo.Judgement{{ID: 1, A: filo.RecordRef{Type: filo.RecordParty, ID: "A1"}, B: filo.RecordRef{Type: filo.RecordParty, ID: "A2"}, Same: false}}
		res, _ := resolve.Resolve(ctx, in, resolve.Options{})
		if res.Incremental || entityOf(res, "A1") == entityOf(res, "A2") {
			t.Errorf("incremental %v; A1 and A2 together %v: the judgement must be applied by a full resolution",
				res.Incremental, entityOf(res, "A1") == entityOf(res, "A2"))
		}
	})
	t.Run("a record gone since resolves everything again", func(t *testing.T) {
		in := prev
		in.Parties = newer[1:]
		if res, _ := resolve.Resolve(ctx, in, resolve.Options{}); res.Incremental {
			t.Error("resolved incrementally although a record of the last scan is gone")
		}
	})
	t.Run("nothing new compares nothing", func(t *testing.T) {
		again, _ := resolve.Resolve(ctx, resolve.Input{Parties: newer, Previous: inc.Entities, PreviousLinks: modelLinks(inc.Links), State: inc.State}, resolve.Options{})
		if !again.Incremental || again.Pairs != 0 || len(again.Entities) != len(inc.Entities) {
			t.Errorf("incremental %v, %d pairs, %d entities (was %d)", again.Incremental, again.Pairs, len(again.Entities), len(inc.Entities))
		}
	})
}

// BenchmarkResolveIncremental100k resolves 1,000 new parties against the
// entities of 100,000 resolved before, and, for comparison, all 101,000
// again.
//
//	go test ./resolve -run x -bench ResolveIncremental -benchtime 3x
func BenchmarkResolveIncremental100k(b *testing.B) {
	ctx := context.Background()
	all := population(101_000)
	first, err := resolve.Resolve(ctx, resolve.Input{Parties: all[:100_000]}, resolve.Options{})
	if err != nil {
		b.Fatal(err)
	}
	in := resolve.Input{Parties: all, Previous: first.Entities, PreviousLinks: modelLinks(first.Links), State: first.State}
	for _, bc := range []struct {
		name string
		full bool
	}{{"incremental", false}, {"full", true}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				res, err := resolve.Resolve(ctx, in, resolve.Options{Full: bc.full})
				if err != nil || res.Incremental == bc.full {
					b.Fatalf("incremental %v, err %v", res.Incremental, err)
				}
			}
		})
	}
}

// cancelledAfter is a context that is cancelled once its Err has been
// asked n times: it stands for an analyst's Ctrl-C at a given point.
type cancelledAfter struct {
	context.Context
	n int
}

func (c *cancelledAfter) Err() error {
	if c.n <= 0 {
		return context.Canceled
	}
	c.n--
	return nil
}

// TestAnInterruptedResolutionStops: an interruption is noticed before
// comparing, after comparing and after the edges are scored, each of which
// takes tens of seconds on a large case; Resolve then returns the
// cancellation and no result.
func TestAnInterruptedResolutionStops(t *testing.T) {
	parties := append(population(500), buyerRecords...)
	for n := 0; n < 3; n++ {
		res, err := resolve.Resolve(&cancelledAfter{context.Background(), n}, resolve.Input{Parties: parties}, resolve.Options{})
		if !errors.Is(err, context.Canceled) || res != nil {
			t.Errorf("cancelled at check %d: %v, %v; want the cancellation and no result", n+1, res != nil, err)
		}
	}
	if _, err := resolve.Resolve(&cancelledAfter{context.Background(), 1000}, resolve.Input{Parties: parties}, resolve.Options{}); err != nil {
		t.Errorf("never cancelled: %v", err)
	}
}
