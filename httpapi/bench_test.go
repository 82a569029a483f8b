package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/auth"
	"github.com/filoproject/filo/httpapi"
	"github.com/filoproject/filo/sqlite"
)

// BenchmarkLeadQueue measures the lead queue's first page over 100,000
// leads on the embedded store, through the whole HTTP stack (session check
// included), for the queries an analyst makes most.
//
//	go test -run x -bench LeadQueue -benchtime 20x ./httpapi/
func BenchmarkLeadQueue(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	st, err := sqlite.Open(ctx, b.TempDir()+"/case.db")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	codes := []string{"SMALL_CORRIDOR", "FREQUENT_SMALL", "ESCALATION", "FAN_OUT_UNRELATED", "PAYS_SUSPECTED_RING", "NIGHT_PAYMENTS"}
	countries := []string{"IT", "DE", "US", "AU", "GB", "PH", "VN", "TH"}
	err = st.Ingest(ctx, func(ctx context.Context, tx filo.IngestTx) error {
		if err := tx.ReplaceSource(ctx, filo.Source{Key: "bench/parties.csv", File: "parties.csv", SHA256: "h"}); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			p := filo.Party{ID: fmt.Sprintf("P%d", i), FullName: fmt.Sprintf("Person %d", i), Country: countries[i%len(countries)],
				Prov: filo.Provenance{File: "parties.csv", Line: i + 2}}
			if err := tx.PutParty(ctx, "bench/parties.csv", &p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	res := &filo.ScanResult{ScannedAt: time.Now(), Policy: "bench"}
	for i := 0; i < n; i++ {
		e := fmt.Sprintf("E%d", i)
		role, id := filo.RoleBuyer, "B-"+e
		if i%10 == 0 {
			role, id = filo.RoleFacilitator, "R-"+e
		}
		var reasons []filo.Reason
		for j := 0; j < 3; j++ {
			reasons = append(reasons, filo.Reason{Code: codes[(i+j)%len(codes)], Detail: "figures",
				Evidence: []filo.Evidence{{Kind: "transaction", RecordID: fmt.Sprintf("T%d", i), File: "transactions.csv", Line: i + 2}}})
		}
		res.Entities = append(res.Entities, filo.Entity{ID: e, Records: []filo.RecordRef{{Type: filo.RecordParty, ID: fmt.Sprintf("P%d", i)}}})
		res.Leads = append(res.Leads, filo.Lead{ID: id, Role: role, Rank: i + 1, Score: float64(n-i) / n, EntityIDs: []string{e},
			PartyIDs: []string{fmt.Sprintf("P%d", i)}, Reasons: reasons})
	}
	if err := st.SaveScan(ctx, res); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i += 3 {
		if err := st.SetTriage(ctx, filo.Triage{LeadID: res.Leads[i].ID, Status: filo.StatusNew, Unit: "north"}); err != nil {
			b.Fatal(err)
		}
	}
	for _, u := range []filo.User{{Username: "root", Role: filo.RoleAdmin, Unit: "hq"}, {Username: "ana", Role: filo.RoleAnalyst, Unit: "north"}} {
		u.PasswordHash, _ = auth.HashPassword(password, cheap)
		if err := st.PutUser(ctx, &u); err != nil {
			b.Fatal(err)
		}
	}
	h, err := httpapi.New(httpapi.Config{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	f := &fixture{st: st, srv: srv, h: h}
	t := &testing.T{}
	clients := map[string]*client{"root": f.login(t, "root"), "ana": f.login(t, "ana")}
	for _, bc := range []struct{ name, user, query string }{
		{"admin/all by score", "root", ""},
		{"admin/buyers by name", "root", "?role=buyer&sort=name"},
		{"admin/indicator and country", "root", "?indicator=ESCALATION&country=PH"},
		{"admin/text search", "root", "?q=person%209999"},
		{"analyst/own unit by score", "ana", ""},
		{"analyst/last page", "ana", "?page=600"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cl := clients[bc.user]
			cl.t = t
			for i := 0; i < b.N; i++ {
				var page struct{ Total int }
				if code := cl.do("GET", "/api/leads"+bc.query, nil, &page); code != http.StatusOK || page.Total == 0 {
					b.Fatalf("status %d, total %d", code, page.Total)
				}
			}
		})
	}
}
