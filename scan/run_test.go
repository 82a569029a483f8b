package scan_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/casefolder"
	"github.com/filoproject/filo/scan"
	"github.com/filoproject/filo/sqlite"
	"github.com/filoproject/filo/sqlstore"
	"github.com/filoproject/filo/synth"
)

// TestRunStoresWhatAnalyzeFinds: Run reads the case a part at a time and
// writes the links while it scores; what it stores must be what Analyze
// finds on the whole case in memory.
func TestRunStoresWhatAnalyzeFinds(t *testing.T) {
	ctx := context.Background()
	st := ingestedWorld(t, 11)
	when := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	opt := scan.Options{Now: func() time.Time { return when }, Log: slog.New(slog.DiscardHandler)}

	c, err := st.LoadCase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := scan.Analyze(ctx, c, scan.Prior{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := scan.Run(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Links) != 0 {
		t.Errorf("Run's result holds %d links; they were to be saved as the scan went", len(got.Links))
	}
	if len(want.Leads) == 0 || len(want.Links) == 0 {
		t.Fatalf("the world gave %d leads and %d links: too small to compare anything", len(want.Leads), len(want.Links))
	}

	stored, err := st.ModelLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var model []filo.Link
	for _, l := range want.Links {
		if l.Kind == filo.LinkSame && l.Source == filo.LinkByModel && l.A.Type == filo.RecordParty && l.B.Type == filo.RecordParty {
			model = append(model, l)
		}
	}
	if !reflect.DeepEqual(stored, model) {
		t.Errorf("stored %d model links, Analyze made %d; or they differ", len(stored), len(model))
	}

	ents, err := st.Entities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sortedEntities(ents), sortedEntities(want.Entities)) {
		t.Errorf("stored %d entities, Analyze found %d; or they differ", len(ents), len(want.Entities))
	}

	leads, err := st.Leads(ctx, filo.LeadFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := leadKeys(leads), leadKeys(want.Leads); !reflect.DeepEqual(got, want) {
		t.Errorf("stored leads\n%v\nwant\n%v", got, want)
	}

	// Scanned again with nothing new, incrementally: the last scan's links
	// are read before the new ones are staged, and come back the same.
	if _, err := scan.Run(ctx, st, opt); err != nil {
		t.Fatal(err)
	}
	again, err := st.ModelLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, stored) {
		t.Errorf("after an incremental scan of the same case, %d model links, want the %d of the first scan", len(again), len(stored))
	}
	if ents2, _ := st.Entities(ctx); !reflect.DeepEqual(sortedEntities(ents2), sortedEntities(ents)) {
		t.Errorf("after an incremental scan of the same case, %d entities, want the %d of the first scan", len(ents2), len(ents))
	}
}

func sortedEntities(es []filo.Entity) []filo.Entity {
	out := make([]filo.Entity, len(es))
	for i, e := range es {
		recs := slices.Clone(e.Records)
		slices.SortFunc(recs, func(a, b filo.RecordRef) int { return strings.Compare(a.String(), b.String()) })
		out[i] = filo.Entity{ID: e.ID, Records: recs}
	}
	slices.SortFunc(out, func(a, b filo.Entity) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// leadKeys is what ranks a lead: id, role, rank and score.
func leadKeys(ls []filo.Lead) []string {
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s %s %d %.12g", l.ID, l.Role, l.Rank, l.Score))
	}
	slices.Sort(out)
	return out
}

// TestStoredPhoneFormsChangeNothing: the phone forms ingest stores spare a
// scan libphonenumber; the scan must find what it finds parsing every
// number itself, as it does for a store written before the forms.
func TestStoredPhoneFormsChangeNothing(t *testing.T) {
	ctx := context.Background()
	st := ingestedWorld(t, 5)
	opt := scan.Options{Now: func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }, Log: slog.New(slog.DiscardHandler)}
	withForms, err := st.LoadCase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := st.LoadCase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	for i := range parsed.Parties {
		if parsed.Parties[i].PhoneE164 != "" {
			stored++
		}
		parsed.Parties[i].PhoneE164, parsed.Parties[i].PhoneNSN = "", ""
	}
	for i := range parsed.PlatformAccounts {
		parsed.PlatformAccounts[i].PhoneE164 = ""
	}
	for i := range parsed.Subscribers {
		parsed.Subscribers[i].PhoneE164 = ""
	}
	if stored < len(parsed.Parties)/2 {
		t.Fatalf("only %d of %d parties have their phone stored: ingest did not read them", stored, len(parsed.Parties))
	}
	want, _, err := scan.Analyze(ctx, parsed, scan.Prior{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := scan.Analyze(ctx, withForms, scan.Prior{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Leads) == 0 {
		t.Fatal("the world gave no leads: too small to compare anything")
	}
	if g, w := leadKeys(got.Leads), leadKeys(want.Leads); !reflect.DeepEqual(g, w) {
		t.Errorf("leads with stored phone forms\n%v\nwant, parsing every number\n%v", g, w)
	}
	if !reflect.DeepEqual(sortedEntities(got.Entities), sortedEntities(want.Entities)) || len(got.Links) != len(want.Links) {
		t.Errorf("with stored phone forms: %d entities and %d links, parsing: %d and %d; or they differ",
			len(got.Entities), len(got.Links), len(want.Entities), len(want.Links))
	}
}

// ingestedWorld is a small synthetic world of the seed, ingested into a
// store closed when the test ends.
func ingestedWorld(t *testing.T, seed uint64) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "world")
	if _, err := synth.Generate(ctx, dir, synth.Config{Seed: seed, Scale: 0.03}); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "case.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := casefolder.Ingest(ctx, dir, st, casefolder.Options{}); err != nil {
		t.Fatal(err)
	}
	return st
}
