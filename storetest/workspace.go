package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/filoproject/filo"
)

// seedLeads stores three parties, a payment and a scan with a buyer and a
// facilitator lead, for the workspace tests.
func seedLeads(t *testing.T, st filo.Store) {
	t.Helper()
	when := time.Date(2025, 5, 1, 22, 0, 0, 0, time.UTC)
	err := ingest(t, st, "case/x", func(it filo.IngestTx) error {
		for _, p := range []filo.Party{
			{ID: "P1", FullName: "Ann Example", Country: "IT", Prov: prov("parties.csv", 2)},
			{ID: "P2", FullName: "Ben Sample", Country: "PH", Prov: prov("parties.csv", 3)},
			{ID: "P3", FullName: "Cora Sample", Country: "PH", Prov: prov("parties.csv", 4)},
		} {
			if err := it.PutParty(ctx, "case/x", &p); err != nil {
				return err
			}
		}
		for i, to := range []string{"P2", "P3", "P2"} {
			tx := filo.Transaction{ID: fmt.Sprintf("T%d", i+1), Time: when.Add(time.Duration(i) * time.Hour), Amount: 15, AmountText: "15",
				Currency: "USD", AmountUSD: 15, SenderPartyID: "P1", ReceiverPartyID: to, SenderCountry: "IT", ReceiverCountry: "PH",
				Prov: prov("transactions.csv", i+2)}
			if err := it.PutTransaction(ctx, "case/x", &tx); err != nil {
				return err
			}
		}
		return it.PutAccount(ctx, "case/x", &filo.Account{ID: "A1", PartyID: "P1", Institution: "mto1", Prov: prov("accounts.csv", 2)})
	})
	if err != nil {
		t.Fatal(err)
	}
	scan := &filo.ScanResult{ScannedAt: when, Policy: "test",
		Entities: []filo.Entity{
			{ID: "E1", Records: []filo.RecordRef{{Type: filo.RecordParty, ID: "P1"}}},
			{ID: "E2", Records: []filo.RecordRef{{Type: filo.RecordParty, ID: "P2"}, {Type: filo.RecordParty, ID: "P3"}}},
		},
		Leads: []filo.Lead{
			{ID: "B-E1", Role: filo.RoleBuyer, Rank: 1, Score: 0.9, EntityIDs: []string{"E1"}, PartyIDs: []string{"P1"},
				Reasons: []filo.Reason{{Code: "SMALL_CORRIDOR"}, {Code: "PAYS_SUSPECTED_RING"}}},
			{ID: "R-E2", Role: filo.RoleFacilitator, Rank: 1, Score: 0.7, EntityIDs: []string{"E2"}, PartyIDs: []string{"P2", "P3"},
				Reasons: []filo.Reason{{Code: "RING_FAN_IN"}}},
		},
	}
	if err := st.SaveScan(ctx, scan); err != nil {
		t.Fatal(err)
	}
}

func testLeadQueue(t *testing.T, st filo.Store) {
	seedLeads(t, st)
	all := filo.Visibility{All: true}
	tests := []struct {
		name string
		q    filo.LeadQuery
		want []string
	}{
		{"everything by score", filo.LeadQuery{Visible: all}, []string{"B-E1", "R-E2"}},
		{"ascending score", filo.LeadQuery{Sort: "score", Visible: all}, []string{"R-E2", "B-E1"}},
		{"by role", filo.LeadQuery{Role: filo.RoleFacilitator, Visible: all}, []string{"R-E2"}},
		{"by indicator", filo.LeadQuery{Indicator: "PAYS_SUSPECTED_RING", Visible: all}, []string{"B-E1"}},
		{"by country", filo.LeadQuery{Country: "ph", Visible: all}, []string{"R-E2"}},
		{"by name text", filo.LeadQuery{Text: "ann", Visible: all}, []string{"B-E1"}},
		{"text is not a pattern", filo.LeadQuery{Text: "%", Visible: all}, nil},
		{"injection is text", filo.LeadQuery{Text: "' OR 1=1 --", Visible: all}, nil},
		{"by status", filo.LeadQuery{Status: filo.StatusNew, Visible: all}, []string{"B-E1", "R-E2"}},
		{"a unit sees only its leads", filo.LeadQuery{Visible: filo.Visibility{Unit: "north"}}, nil},
		{"a supervisor sees unassigned leads", filo.LeadQuery{Visible: filo.Visibility{Unit: "north", SeeUnassigned: true}}, []string{"B-E1", "R-E2"}},
		{"paging", filo.LeadQuery{Offset: 1, Limit: 1, Visible: all}, []string{"R-E2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, total, err := st.QueryLeads(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.ID)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if tt.q.Limit == 0 && total != len(tt.want) {
				t.Errorf("total %d, want %d", total, len(tt.want))
			}
		})
	}
	rows, _, err := st.QueryLeads(ctx, filo.LeadQuery{Visible: all})
	if err != nil {
		t.Fatal(err)
	}
	if r := rows[0]; r.Name != "Ann Example" || r.Country != "IT" || !reflect.DeepEqual(r.Indicators, []string{"SMALL_CORRIDOR", "PAYS_SUSPECTED_RING"}) {
		t.Errorf("queue row = %+v, want the first party's name and country and the reason codes", r)
	}
	if _, _, err := st.QueryLeads(ctx, filo.LeadQuery{Sort: "score; DROP TABLE leads", Visible: all}); filo.ErrorCode(err) != filo.EINVALID {
		t.Errorf("unknown sort: err = %v, want EINVALID", err)
	}
	if err := st.SetTriage(ctx, filo.Triage{LeadID: "B-E1", Status: filo.StatusNew, Unit: "north", Assignee: "ana"}); err != nil {
		t.Fatal(err)
	}
	rows, total, err := st.QueryLeads(ctx, filo.LeadQuery{Visible: filo.Visibility{Unit: "north"}})
	if err != nil || total != 1 || rows[0].ID != "B-E1" || rows[0].Assignee != "ana" {
		t.Errorf("after assignment, north sees %+v (total %d, err %v), want B-E1 assigned to ana", rows, total, err)
	}
}

func testPersonReads(t *testing.T, st filo.Store) {
	seedLeads(t, st)
	ps, err := st.Parties(ctx, []string{"P1", "P3", "missing"})
	if err != nil || len(ps) != 2 || ps[0].FullName != "Ann Example" || ps[0].Prov.Line != 2 {
		t.Fatalf("Parties = %+v, %v", ps, err)
	}
	txs, err := st.TransactionsOf(ctx, []string{"P3"}, 10)
	if err != nil || len(txs) != 1 || txs[0].ID != "T2" || txs[0].Prov.File != "f.csv" {
		t.Fatalf("TransactionsOf(P3) = %+v, %v", txs, err)
	}
	acc, err := st.AccountsOf(ctx, []string{"P1"})
	if err != nil || len(acc) != 1 || acc[0].ID != "A1" {
		t.Fatalf("AccountsOf = %+v, %v", acc, err)
	}
	ents, err := st.EntitiesOf(ctx, []string{"P1", "P3"})
	if err != nil || !reflect.DeepEqual(ents, map[string]string{"P1": "E1", "P3": "E2"}) {
		t.Fatalf("EntitiesOf = %v, %v", ents, err)
	}
	first, err := st.FirstParties(ctx, []string{"E2"})
	if err != nil || first["E2"] != "P2" {
		t.Fatalf("FirstParties = %v, %v", first, err)
	}
	leads, err := st.LeadsOf(ctx, []string{"E2"})
	if err != nil || len(leads) != 1 || leads[0].ID != "R-E2" {
		t.Fatalf("LeadsOf = %+v, %v", leads, err)
	}
	flows, err := st.Flows(ctx, "E1")
	if err != nil || len(flows) != 1 {
		t.Fatalf("Flows = %+v, %v", flows, err)
	}
	if f := flows[0]; f.From != "E1" || f.To != "E2" || f.Count != 3 || f.AmountUSD != 45 {
		t.Errorf("flow = %+v, want E1→E2, 3 payments, 45 USD", f)
	}
}

func testCases(t *testing.T, st filo.Store) {
	seedLeads(t, st)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &filo.CaseFile{Title: "first", Unit: "north", Status: filo.StatusNew, Assignee: "ana", LeadIDs: []string{"B-E1"},
		Members: []string{"ana"}, CreatedBy: "ana", CreatedAt: now, UpdatedAt: now}
	if err := st.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c.ID != "C00001" {
		t.Errorf("case id %q, want C00001", c.ID)
	}
	tr, err := st.Triage(ctx, "B-E1")
	if err != nil || tr.CaseID != c.ID || tr.Unit != "north" {
		t.Errorf("triage of the case's lead = %+v, %v", tr, err)
	}
	c.Status, c.Members = filo.StatusDismissed, append(c.Members, "zed")
	if err := st.UpdateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := st.CaseFile(ctx, c.ID)
	if err != nil || got.Status != filo.StatusDismissed || !reflect.DeepEqual(got.Members, []string{"ana", "zed"}) || !got.CreatedAt.Equal(now) {
		t.Errorf("case read back = %+v, %v", got, err)
	}
	for _, v := range []struct {
		vis  filo.Visibility
		want int
	}{{filo.Visibility{All: true}, 1}, {filo.Visibility{Unit: "north"}, 1}, {filo.Visibility{Unit: "south", Username: "bob"}, 0},
		{filo.Visibility{Unit: "south", Username: "zed"}, 1}, {filo.Visibility{Unit: "south", Username: "ze_"}, 0}} {
		_, total, err := st.CaseFiles(ctx, v.vis, "", 0, 10)
		if err != nil || total != v.want {
			t.Errorf("CaseFiles(%+v) total %d, %v; want %d", v.vis, total, err, v.want)
		}
	}
	n := &filo.Note{CaseID: c.ID, Author: "ana", At: now, Body: "called the bank"}
	if err := st.AddNote(ctx, n); err != nil || n.ID == 0 {
		t.Fatalf("AddNote: id %d, %v", n.ID, err)
	}
	for _, d := range []string{filo.StatusReferred, filo.StatusDismissed} {
		if err := st.AddDisposition(ctx, &filo.Disposition{CaseID: c.ID, Disposition: d, Reason: "r " + d, By: "ana", At: now}); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := st.Dispositions(ctx, c.ID)
	if err != nil || len(ds) != 2 || ds[0].Disposition != filo.StatusReferred {
		t.Errorf("dispositions = %+v, %v; want both, oldest first", ds, err)
	}
	if _, err := st.CaseFile(ctx, "C99999"); filo.ErrorCode(err) != filo.ENOTFOUND {
		t.Errorf("unknown case: %v", err)
	}
}

func testUsersAndSessions(t *testing.T, st filo.Store) {
	u := &filo.User{Username: "ana", Role: filo.RoleAnalyst, Unit: "north", PasswordHash: "$argon2id$x", CreatedAt: time.Now()}
	if err := st.PutUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	if err := st.PutUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := st.User(ctx, "ana")
	if err != nil || !got.Disabled || got.Unit != "north" {
		t.Errorf("User = %+v, %v", got, err)
	}
	if _, err := st.User(ctx, "nobody"); filo.ErrorCode(err) != filo.ENOTFOUND {
		t.Errorf("unknown user: %v", err)
	}
	s := &filo.AuthSession{TokenHash: "h", Username: "ana", CSRF: "c", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	if err := st.CreateAuthSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if got, err := st.AuthSession(ctx, "h"); err != nil || got.CSRF != "c" {
		t.Errorf("AuthSession = %+v, %v", got, err)
	}
	old := &filo.AuthSession{TokenHash: "old", Username: "ana", CSRF: "c", CreatedAt: time.Now().Add(-72 * time.Hour), ExpiresAt: time.Now().Add(-60 * time.Hour)}
	if err := st.CreateAuthSession(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAuthSession(ctx, &filo.AuthSession{TokenHash: "new", Username: "ana", CSRF: "c", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AuthSession(ctx, "old"); filo.ErrorCode(err) != filo.ENOTFOUND {
		t.Errorf("a session expired 60 hours ago survived a new login: %v", err)
	}
	if err := st.DeleteAuthSession(ctx, "h"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AuthSession(ctx, "h"); filo.ErrorCode(err) != filo.ENOTFOUND {
		t.Errorf("deleted session: %v", err)
	}
}

func testAuditChain(t *testing.T, st filo.Store) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	var last filo.AuditEntry
	for i := 0; i < 3; i++ {
		e := &filo.AuditEntry{At: at, User: "ana", Action: "view_person", Object: fmt.Sprintf("entity/E%d", i)}
		if err := st.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.Seq != int64(i+1) || e.PrevHash != last.Hash || e.Hash != e.ChainHash() {
			t.Errorf("entry %d = %+v, want chained to %q", i, e, last.Hash)
		}
		last = *e
	}
	entries, total, err := st.AuditEntries(ctx, 0, 0)
	if err != nil || total != 3 || len(entries) != 3 {
		t.Fatalf("AuditEntries: %d of %d, %v", len(entries), total, err)
	}
	for _, e := range entries {
		if e.ChainHash() != e.Hash {
			t.Errorf("entry %d read back does not match its hash: %+v", e.Seq, e)
		}
	}
	seq, hash, err := st.AuditHead(ctx)
	if err != nil || seq != 3 || hash != last.Hash {
		t.Errorf("AuditHead = %d %q, %v; want 3 %q", seq, hash, err, last.Hash)
	}
}

func testModelLinks(t *testing.T, st filo.Store) {
	p := func(id string) filo.RecordRef { return filo.RecordRef{Type: filo.RecordParty, ID: id} }
	want := filo.Link{A: p("P1"), B: p("P2"), Kind: filo.LinkSame, Weight: 20, Prob: 0.99999, Source: filo.LinkByModel,
		Fields: []filo.FieldContribution{{Field: "name", Level: "exact", Weight: 9, A: "ann", B: "ann"}}}
	err := st.SaveScan(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "t", Links: []filo.Link{
		want,
		{A: p("P1"), B: p("P3"), Kind: filo.LinkRelated, Basis: "phone", Source: filo.LinkByModel},
		{A: p("P1"), B: p("P4"), Kind: filo.LinkSame, Source: filo.LinkByAnalyst},
		{A: p("P1"), B: filo.RecordRef{Type: filo.RecordPlatformAccount, ID: "vm:u1"}, Kind: filo.LinkSame, Source: filo.LinkByModel},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.ModelLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("ModelLinks = %+v, want only %+v", got, want)
	}
}
