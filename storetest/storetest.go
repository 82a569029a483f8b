// Package storetest is one suite of tests that every filo.Store must pass,
// run against the real engines (SQLite always, PostgreSQL when a URL is
// given): no mocked SQL.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/filoproject/filo"
)

// Run runs the suite; open makes a fresh, empty store for one test.
func Run(t *testing.T, open func(t *testing.T) filo.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, filo.Store)
	}{
		{"ingest commits and reads back every kind of record", testRoundTrip},
		{"a failing ingest leaves the store exactly as before", testRollback},
		{"a source is skipped when unchanged and replaced when changed", testSources},
		{"a record id held by another source is a conflict", testConflict},
		{"a scan replaces the previous scan", testSaveScan},
		{"a scan's links are written as it goes, and count only once it commits", testScanWriter},
		{"a scan's party records are written as it goes, and Commit adds the rest", testScanParties},
		{"an unknown lead is not found", testLeadNotFound},
		{"judgements are kept, listed and undone", testJudgements},
		{"state blobs are replaced by name", testState},
		{"the lead queue filters, sorts, pages and hides other units' leads", testLeadQueue},
		{"a person's records are read without loading the case", testPersonReads},
		{"cases keep members, notes and every disposition", testCases},
		{"users and login sessions", testUsersAndSessions},
		{"the audit log is hash-chained", testAuditChain},
		{"the model's same-person links are read back for incremental resolution", testModelLinks},
		{"a case read from column blocks is the case read row by row", testBlocksMatchRows},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var ctx = context.Background()

// prov is the provenance a record of the source "case/x" comes back
// with: the store keeps the source's file once, and the line per record.
func prov(file string, line int) filo.Provenance {
	return filo.Provenance{File: "f.csv", Line: line}
}

func ingest(t *testing.T, st filo.Store, key string, fn func(tx filo.IngestTx) error) error {
	t.Helper()
	return st.Ingest(ctx, func(ctx context.Context, tx filo.IngestTx) error {
		if err := tx.ReplaceSource(ctx, filo.Source{Key: key, File: "f.csv", SHA256: "h-" + key}); err != nil {
			return err
		}
		return fn(tx)
	})
}

func testRoundTrip(t *testing.T, st filo.Store) {
	when := time.Date(2025, 3, 1, 23, 15, 0, 0, time.FixedZone("", 3600))
	p := filo.Party{ID: "P1", Kind: "person", FullName: "Ann Example", BirthDate: "1980-01-02", Country: "IT", Phone: "+39 02 1",
		PhoneE164: "+39021", PhoneNSN: "021", Attrs: filo.Attrs{"segment": "retail"}, Prov: prov("parties.csv", 2)}
	tx := filo.Transaction{ID: "T1", Time: when, Amount: 15, AmountText: "15.00", Currency: "EUR", AmountUSD: 17.55,
		SenderPartyID: "P1", ReceiverPartyID: "P2", SenderCountry: "IT", ReceiverCountry: "PH", Channel: "mto",
		Reference: "family, support", ControlNumber: "4821937710", Prov: prov("transactions.csv", 2)}
	sess := filo.Session{Platform: "vm", SessionID: "S1", AccountID: "u1", Kind: "login", Start: when, IP: "100.64.0.1", Prov: prov("sessions.csv", 2)}
	err := ingest(t, st, "case/x", func(it filo.IngestTx) error {
		for _, err := range []error{
			it.PutParty(ctx, "case/x", &p),
			it.PutTransaction(ctx, "case/x", &tx),
			it.PutAccount(ctx, "case/x", &filo.Account{ID: "A1", PartyID: "P1", Prov: prov("accounts.csv", 2)}),
			it.PutPlatformAccount(ctx, "case/x", &filo.PlatformAccount{Platform: "vm", AccountID: "u1", Phone: "+63 917 1", PhoneE164: "+639171", Prov: prov("platform_accounts.csv", 2)}),
			it.PutSession(ctx, "case/x", &sess),
			it.PutSubscriber(ctx, "case/x", &filo.Subscriber{IP: "100.64.0.1", Start: when, Phone: "+63 917 2", PhoneE164: "+639172", Prov: prov("subscribers.csv", 2)}),
			it.PutMessage(ctx, "case/x", &filo.Message{Platform: "vm", MessageID: "M1", Time: when, SenderAccountID: "u1", Text: "ok, sent", Prov: prov("messages.csv", 2)}),
			it.PutWatchEntry(ctx, "case/x", &filo.WatchEntry{Kind: "phone", Value: "+63 917", Prov: prov("watchlist.csv", 2)}),
			it.PutFXRate(ctx, "case/x", &filo.FXRate{Date: "2025-03-01", Currency: "EUR", USDRate: 1.17, Prov: prov("fx_rates.csv", 2)}),
		} {
			if err != nil {
				return err
			}
		}
		rates, err := it.FXRates(ctx)
		if err != nil || len(rates) != 1 {
			t.Errorf("FXRates inside the ingest = %v, %v; want the rate just put", rates, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.LoadCase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Parties, []filo.Party{p}) {
		t.Errorf("party\n got %+v\nwant %+v", c.Parties, []filo.Party{p})
	}
	got := c.Transactions.At(0)
	if got.Time.Format(time.RFC3339) != "2025-03-01T23:15:00+01:00" {
		t.Errorf("time came back as %s: the offset must survive", got.Time.Format(time.RFC3339))
	}
	got.Time = when
	if !reflect.DeepEqual(got, tx) {
		t.Errorf("transaction\n got %+v\nwant %+v", got, tx)
	}
	if len(c.Accounts) != 1 || len(c.PlatformAccounts) != 1 || c.Sessions.Len() != 1 || len(c.Subscribers) != 1 || len(c.Messages) != 1 || len(c.Watchlist) != 1 {
		t.Errorf("not every record came back: %+v", c)
	}
	if c.Messages[0].Text != "ok, sent" || c.Sessions.At(0).Prov.Line != 2 {
		t.Errorf("message or session changed: %+v %+v", c.Messages[0], c.Sessions.At(0))
	}
	// The phone forms ingest read are what a scan reads instead of parsing.
	if len(c.PlatformAccounts) == 1 && c.PlatformAccounts[0].PhoneE164 != "+639171" {
		t.Errorf("platform account's phone came back as %q", c.PlatformAccounts[0].PhoneE164)
	}
	if len(c.Subscribers) == 1 && c.Subscribers[0].PhoneE164 != "+639172" {
		t.Errorf("subscriber's phone came back as %q", c.Subscribers[0].PhoneE164)
	}
}

func testRollback(t *testing.T, st filo.Store) {
	boom := errors.New("boom")
	err := ingest(t, st, "case/x", func(it filo.IngestTx) error {
		if err := it.PutParty(ctx, "case/x", &filo.Party{ID: "P1", FullName: "A", Prov: prov("parties.csv", 2)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Ingest returned %v, want the callback's error", err)
	}
	c, _ := st.LoadCase(ctx)
	srcs, _ := st.Sources(ctx)
	if len(c.Parties) != 0 || len(srcs) != 0 {
		t.Errorf("after a rollback: %d parties, %d sources", len(c.Parties), len(srcs))
	}
}

func testSources(t *testing.T, st filo.Store) {
	put := func(sha string, ids ...string) {
		t.Helper()
		err := st.Ingest(ctx, func(ctx context.Context, it filo.IngestTx) error {
			old, found, err := it.SourceState(ctx, "case/parties.csv")
			if err != nil {
				return err
			}
			if found && old == sha {
				return nil
			}
			if err := it.ReplaceSource(ctx, filo.Source{Key: "case/parties.csv", File: "parties.csv", SHA256: sha}); err != nil {
				return err
			}
			for i, id := range ids {
				if err := it.PutParty(ctx, "case/parties.csv", &filo.Party{ID: id, FullName: id, Prov: prov("parties.csv", i+2)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("v1", "P1", "P2")
	put("v1", "P1", "P2")
	put("v2", "P2", "P3")
	c, _ := st.LoadCase(ctx)
	var ids []string
	for _, p := range c.Parties {
		ids = append(ids, p.ID)
	}
	if !reflect.DeepEqual(ids, []string{"P2", "P3"}) {
		t.Errorf("after replacing v1 by v2: %v, want [P2 P3]", ids)
	}
	srcs, _ := st.Sources(ctx)
	if len(srcs) != 1 || srcs[0].SHA256 != "v2" || srcs[0].Rows != 2 {
		t.Errorf("sources %+v, want one at v2 with 2 rows", srcs)
	}
}

func testConflict(t *testing.T, st filo.Store) {
	party := func(key string) error {
		return ingest(t, st, key, func(it filo.IngestTx) error {
			return it.PutParty(ctx, key, &filo.Party{ID: "P1", FullName: "A", Prov: prov("parties.csv", 7)})
		})
	}
	if err := party("a/parties.csv"); err != nil {
		t.Fatal(err)
	}
	err := party("b/parties.csv")
	var ie *filo.InputError
	if !errors.As(err, &ie) || ie.Line != 7 || ie.Value != "P1" {
		t.Fatalf("second folder with P1: %v, want an input error at line 7 naming P1", err)
	}
}

func testSaveScan(t *testing.T, st filo.Store) {
	lead := func(id, role string, rank int) filo.Lead {
		return filo.Lead{ID: id, Role: role, Rank: rank, Score: 1 / float64(rank), EntityIDs: []string{"E1"}, PartyIDs: []string{"P1"},
			Reasons: []filo.Reason{{Code: "SMALL_CORRIDOR", Contribution: 1, Evidence: []filo.Evidence{{Kind: "transaction", RecordID: "T1", File: "transactions.csv", Line: 2}}}}}
	}
	first := &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1",
		Entities: []filo.Entity{{ID: "E1", Records: []filo.RecordRef{{Type: "party", ID: "P1"}, {Type: "party", ID: "P2"}}}},
		Links: []filo.Link{{A: filo.RecordRef{Type: "party", ID: "P1"}, B: filo.RecordRef{Type: "party", ID: "P2"}, Kind: filo.LinkSame, Weight: 20, Prob: 0.99,
			Fields: []filo.FieldContribution{{Field: "name", Level: "exact", Weight: 11}}, Source: filo.LinkByModel}},
		Leads: []filo.Lead{lead("B-2", "buyer", 2), lead("B-1", "buyer", 1), lead("R-1", "facilitator", 1)}}
	if err := st.SaveScan(ctx, first); err != nil {
		t.Fatal(err)
	}
	ls, _ := st.Leads(ctx, filo.LeadFilter{Role: "buyer"})
	if len(ls) != 2 || ls[0].ID != "B-1" || ls[0].Reasons[0].Evidence[0].Line != 2 {
		t.Errorf("buyer leads %+v, want B-1 then B-2 with evidence", ls)
	}
	e, links, err := st.Entity(ctx, "E1")
	if err != nil || len(e.Records) != 2 || len(links) != 1 || links[0].Fields[0].Weight != 11 {
		t.Errorf("entity E1: %+v %+v %v", e, links, err)
	}
	second := &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1", Entities: []filo.Entity{{ID: "E9", Records: []filo.RecordRef{{Type: "party", ID: "P1"}}}}}
	if err := st.SaveScan(ctx, second); err != nil {
		t.Fatal(err)
	}
	ls, _ = st.Leads(ctx, filo.LeadFilter{})
	es, _ := st.Entities(ctx)
	if len(ls) != 0 || len(es) != 1 || es[0].ID != "E9" {
		t.Errorf("after the second scan: %d leads, entities %+v", len(ls), es)
	}
}

func testLeadNotFound(t *testing.T, st filo.Store) {
	_, err := st.Lead(ctx, "B-nobody")
	if filo.ErrorCode(err) != filo.ENOTFOUND {
		t.Errorf("Lead of an unknown id: %v, want code %s", err, filo.ENOTFOUND)
	}
}

func testJudgements(t *testing.T, st filo.Store) {
	j := &filo.Judgement{A: filo.RecordRef{Type: "party", ID: "P1"}, B: filo.RecordRef{Type: "party", ID: "P2"}, Same: true, Who: "analyst 7", Reason: "same passport"}
	if err := st.AddJudgement(ctx, j); err != nil || j.ID == 0 {
		t.Fatalf("AddJudgement: %v, id %d", err, j.ID)
	}
	if err := st.UndoJudgement(ctx, j.ID, "analyst 8", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.UndoJudgement(ctx, j.ID, "analyst 8", time.Now()); filo.ErrorCode(err) != filo.ENOTFOUND {
		t.Errorf("undoing twice: %v, want not found", err)
	}
	js, _ := st.Judgements(ctx)
	if len(js) != 1 || !js[0].Undone || js[0].UndoneBy != "analyst 8" || !js[0].Same || js[0].Who != "analyst 7" {
		t.Errorf("judgements %+v", js)
	}
}

func testState(t *testing.T, st filo.Store) {
	if _, found, _ := st.State(ctx, "resolve"); found {
		t.Error("a fresh store has state")
	}
	st.PutState(ctx, "resolve", []byte("one"))
	st.PutState(ctx, "resolve", []byte("two"))
	b, found, err := st.State(ctx, "resolve")
	if err != nil || !found || string(b) != "two" {
		t.Errorf("state = %q %v %v, want two", b, found, err)
	}
}
