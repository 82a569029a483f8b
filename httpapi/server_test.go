package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/audit"
	"github.com/filoproject/filo/auth"
	"github.com/filoproject/filo/httpapi"
	"github.com/filoproject/filo/sqlite"
	"github.com/filoproject/filo/sqlstore"
)

const password = "correct horse battery"

// xssName is a party name carrying markup; the API must hand it over as
// data, never as markup.
const xssName = `<img src=x onerror="window.__xss=1">Ann`

// cheap argon2 costs keep the tests fast; the format and the check are the
// same as in production.
var cheap = auth.Params{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32, SaltLen: 16}

type fixture struct {
	st  *sqlstore.Store
	srv *httptest.Server
	h   *httpapi.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir()+"/case.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	when := time.Date(2025, 5, 1, 22, 0, 0, 0, time.UTC)
	err = st.Ingest(ctx, func(ctx context.Context, tx filo.IngestTx) error {
		if err := tx.ReplaceSource(ctx, filo.Source{Key: "case/parties.csv", File: "parties.csv", SHA256: "h"}); err != nil {
			return err
		}
		for i, p := range []filo.Party{
			{ID: "P1", FullName: xssName, Country: "IT"},
			{ID: "P2", FullName: "Ben Sample", Country: "PH"},
			{ID: "P3", FullName: "Dan Other", Country: "DE"},
		} {
			p.Prov = filo.Provenance{File: "parties.csv", Line: i + 2}
			if err := tx.PutParty(ctx, "case/parties.csv", &p); err != nil {
				return err
			}
		}
		for i, pair := range [][2]string{{"P1", "P2"}, {"P3", "P2"}} {
			t := filo.Transaction{ID: fmt.Sprintf("T%d", i), Time: when, Amount: 15, AmountText: "15", Currency: "USD", AmountUSD: 15,
				SenderPartyID: pair[0], ReceiverPartyID: pair[1], SenderCountry: "IT", ReceiverCountry: "PH",
				Prov: filo.Provenance{File: "parties.csv", Line: 9}}
			if err := tx.PutTransaction(ctx, "case/parties.csv", &t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.SaveScan(ctx, &filo.ScanResult{ScannedAt: when, Policy: "test",
		Entities: []filo.Entity{
			{ID: "E1", Records: []filo.RecordRef{{Type: filo.RecordParty, ID: "P1"}}},
			{ID: "E2", Records: []filo.RecordRef{{Type: filo.RecordParty, ID: "P2"}}},
			{ID: "E3", Records: []filo.RecordRef{{Type: filo.RecordParty, ID: "P3"}}},
		},
		Leads: []filo.Lead{
			{ID: "B-E1", Role: filo.RoleBuyer, Rank: 1, Score: 0.9, EntityIDs: []string{"E1"}, PartyIDs: []string{"P1"},
				Reasons: []filo.Reason{{Code: "SMALL_CORRIDOR", Evidence: []filo.Evidence{{Kind: "transaction", RecordID: "T0", File: "transactions.csv", Line: 2}}}}},
			{ID: "B-E3", Role: filo.RoleBuyer, Rank: 2, Score: 0.8, EntityIDs: []string{"E3"}, PartyIDs: []string{"P3"},
				Reasons: []filo.Reason{{Code: "SMALL_CORRIDOR"}}},
			{ID: "R-E2", Role: filo.RoleFacilitator, Rank: 1, Score: 0.7, EntityIDs: []string{"E2"}, PartyIDs: []string{"P2"},
				Reasons: []filo.Reason{{Code: "RING_FAN_IN"}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []filo.User{
		{Username: "root", Role: filo.RoleAdmin, Unit: "hq"},
		{Username: "sam", Role: filo.RoleSupervisor, Unit: "north"},
		{Username: "ana", Role: filo.RoleAnalyst, Unit: "north"},
		{Username: "vic", Role: filo.RoleViewer, Unit: "north"},
		{Username: "sue", Role: filo.RoleSupervisor, Unit: "south"},
		{Username: "sol", Role: filo.RoleAnalyst, Unit: "south"},
	} {
		h, err := auth.HashPassword(password, cheap)
		if err != nil {
			t.Fatal(err)
		}
		u.PasswordHash = h
		if err := st.PutUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	ui := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>filo</title>")}}
	h, err := httpapi.New(httpapi.Config{Store: st, UI: ui})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &fixture{st: st, srv: srv, h: h}
}

// client is one logged-in browser.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func (f *fixture) anon(t *testing.T) *client {
	return &client{t: t, base: f.srv.URL, c: &http.Client{}}
}

func (f *fixture) login(t *testing.T, username string) *client {
	t.Helper()
	cl := f.anon(t)
	jar := &jar{}
	cl.c.Jar = jar
	var me struct{ CSRF string }
	if code := cl.do("POST", "/api/session", map[string]string{"username": username, "password": password}, &me); code != 200 {
		t.Fatalf("login %s: status %d", username, code)
	}
	cl.csrf = me.CSRF
	return cl
}

// jar keeps the session cookie like a browser would.
type jar struct{ cookies []*http.Cookie }

func (j *jar) SetCookies(_ *url.URL, cs []*http.Cookie) { j.cookies = append(j.cookies, cs...) }
func (j *jar) Cookies(_ *url.URL) []*http.Cookie        { return j.cookies }

// do sends a request with the CSRF header (when logged in) and decodes a
// JSON answer into out; it returns the status.
func (cl *client) do(method, path string, body, out any) int {
	cl.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, cl.base+path, rd)
	if cl.csrf != "" {
		req.Header.Set("X-CSRF-Token", cl.csrf)
	}
	resp, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			cl.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return resp.StatusCode
}

func concrete(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	return method, strings.ReplaceAll(path, "{id}", "B-E1")
}

func TestEveryRouteNeedsASession(t *testing.T) {
	f := newFixture(t)
	cl := f.anon(t)
	routes := f.h.Routes()
	if len(routes) < 15 {
		t.Fatalf("only %d routes listed", len(routes))
	}
	for _, p := range routes {
		if p == "POST /api/session" {
			continue
		}
		method, path := concrete(p)
		if code := cl.do(method, path, map[string]string{}, nil); code != http.StatusUnauthorized {
			t.Errorf("%s without a session: status %d, want 401", p, code)
		}
	}
	// A forged cookie is no session either.
	cl.c.Jar = &jar{cookies: []*http.Cookie{{Name: "filo_session", Value: "forged"}}}
	if code := cl.do("GET", "/api/leads", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("forged cookie: status %d, want 401", code)
	}
}

func TestChangesNeedTheCSRFToken(t *testing.T) {
	f := newFixture(t)
	cl := f.login(t, "ana")
	cl.csrf = ""
	if code := cl.do("POST", "/api/cases", map[string]any{"title": "x", "lead_ids": []string{"B-E1"}}, nil); code != http.StatusForbidden {
		t.Errorf("no CSRF header: status %d, want 403", code)
	}
	cl.csrf = "wrong"
	if code := cl.do("DELETE", "/api/session", nil, nil); code != http.StatusForbidden {
		t.Errorf("wrong CSRF header: status %d, want 403", code)
	}
}

func TestRoleBoundaries(t *testing.T) {
	f := newFixture(t)
	// Supervisor sam triages B-E1 into north so that north's analysts and
	// viewers see it.
	sam := f.login(t, "sam")
	if code := sam.do("PUT", "/api/leads/B-E1/assignment", map[string]string{"unit": "north", "assignee": "ana"}, nil); code != 200 {
		t.Fatalf("supervisor assigns: status %d", code)
	}
	tests := []struct {
		user, method, path string
		body               any
		want               int
	}{
		{"vic", "GET", "/api/leads/B-E1", nil, 200},
		{"vic", "POST", "/api/cases", map[string]any{"title": "x", "lead_ids": []string{"B-E1"}}, 403},
		{"ana", "PUT", "/api/leads/B-E1/assignment", map[string]string{"unit": "north"}, 403},
		{"ana", "GET", "/api/audit", nil, 403},
		{"ana", "POST", "/api/cases", map[string]any{"title": "x", "lead_ids": []string{"B-E1"}}, 201},
		{"ana", "POST", "/api/cases/C00001/members", map[string]string{"username": "vic"}, 403},
		{"sam", "POST", "/api/cases/C00001/members", map[string]string{"username": "vic"}, 200},
		{"sam", "PUT", "/api/leads/B-E3/assignment", map[string]string{"unit": "south"}, 403},
		{"sam", "PUT", "/api/leads/B-E1/assignment", map[string]string{"unit": "north", "assignee": "sol"}, 400}, // sol is in south
		{"ana", "PATCH", "/api/cases/C00001", map[string]string{"assignee": "sol"}, 400},
		{"sam", "GET", "/api/audit", nil, 200},
		{"root", "PUT", "/api/leads/B-E3/assignment", map[string]string{"unit": "south"}, 200},
		{"vic", "PATCH", "/api/cases/C00001", map[string]string{"status": "in_review"}, 403},
		{"ana", "PATCH", "/api/cases/C00001", map[string]string{"status": "referred"}, 400}, // a disposition needs a reason
		{"ana", "POST", "/api/cases/C00001/disposition", map[string]string{"disposition": "dismissed"}, 400},
		{"ana", "POST", "/api/cases/C00001/disposition", map[string]string{"disposition": "dismissed", "reason": "family remittances"}, 200},
	}
	clients := map[string]*client{"sam": sam}
	for _, tt := range tests {
		cl := clients[tt.user]
		if cl == nil {
			cl = f.login(t, tt.user)
			clients[tt.user] = cl
		}
		if code := cl.do(tt.method, tt.path, tt.body, nil); code != tt.want {
			t.Errorf("%s %s %s: status %d, want %d", tt.user, tt.method, tt.path, code, tt.want)
		}
	}
}

func TestAnotherUnitsCasesAndLeadsAreInvisible(t *testing.T) {
	f := newFixture(t)
	sam := f.login(t, "sam")
	sam.do("PUT", "/api/leads/B-E1/assignment", map[string]string{"unit": "north"}, nil)
	ana := f.login(t, "ana")
	var c filo.CaseFile
	if code := ana.do("POST", "/api/cases", map[string]any{"title": "north case", "lead_ids": []string{"B-E1"}}, &c); code != 201 {
		t.Fatalf("create case: %d", code)
	}
	for _, user := range []string{"sol", "sue"} {
		cl := f.login(t, user)
		for _, path := range []string{"/api/cases/" + c.ID, "/api/cases/" + c.ID + "/export", "/api/leads/B-E1", "/api/entities/E1", "/api/entities/E1/network"} {
			if code := cl.do("GET", path, nil, nil); code != http.StatusNotFound {
				t.Errorf("%s GET %s: status %d, want 404 (invisible)", user, path, code)
			}
		}
		if code := cl.do("POST", "/api/cases/"+c.ID+"/notes", map[string]string{"body": "x"}, nil); code != http.StatusNotFound {
			t.Errorf("%s adds a note to another unit's case: status %d, want 404", user, code)
		}
		var list struct {
			Total int
			Items []filo.LeadRow
		}
		cl.do("GET", "/api/cases", nil, &list)
		if list.Total != 0 {
			t.Errorf("%s lists %d cases of another unit", user, list.Total)
		}
		cl.do("GET", "/api/leads", nil, &list)
		for _, l := range list.Items {
			if l.ID == "B-E1" {
				t.Errorf("%s sees north's lead B-E1 in the queue", user)
			}
		}
	}
	// The south analyst sees no lead at all: none is assigned to south.
	var q struct{ Total int }
	f.login(t, "sol").do("GET", "/api/leads", nil, &q)
	if q.Total != 0 {
		t.Errorf("south analyst sees %d leads, want 0", q.Total)
	}
}

func TestMarkupInDataStaysData(t *testing.T) {
	f := newFixture(t)
	cl := f.login(t, "root")
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/entities/E1", nil)
	resp, err := cl.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q: a browser must never sniff data as HTML", ct)
	}
	if bytes.Contains(raw, []byte("<img")) {
		t.Errorf("markup sent raw in JSON: %s", raw)
	}
	var p struct{ Name string }
	json.Unmarshal(raw, &p)
	if p.Name != xssName {
		t.Errorf("name %q, want the stored text unchanged %q", p.Name, xssName)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q lets injected script run", csp)
	}
}

func TestInjectionStringsInFiltersAreHarmless(t *testing.T) {
	f := newFixture(t)
	cl := f.login(t, "root")
	payloads := []string{`' OR '1'='1`, `"; DROP TABLE leads; --`, `%' UNION SELECT password_hash FROM users --`, `\`, `n_s`}
	for _, param := range []string{"q", "indicator", "country", "assignee", "role", "status", "sort"} {
		for _, p := range payloads {
			var page struct {
				Total int
				Items []filo.LeadRow
			}
			code := cl.do("GET", "/api/leads?"+param+"="+url.QueryEscape(p), nil, &page)
			switch {
			case code == 400:
				// refused by validation: harmless
			case code == 200 && page.Total == 0:
			default:
				t.Errorf("%s=%q: status %d, %d leads", param, p, code, page.Total)
			}
		}
	}
	var page struct{ Total int }
	if code := cl.do("GET", "/api/leads", nil, &page); code != 200 || page.Total != 3 {
		t.Errorf("after the payloads the queue has %d leads (status %d), want 3", page.Total, code)
	}
	if code := cl.do("GET", "/api/cases?status="+url.QueryEscape(`new' OR 1=1 --`), nil, nil); code != 400 {
		t.Errorf("case status payload: status %d, want 400", code)
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	f := newFixture(t)
	cl := f.anon(t)
	var last int
	for i := 0; i < 8; i++ {
		last = cl.do("POST", "/api/session", map[string]string{"username": "ana", "password": "wrong password!"}, nil)
		if i < 5 && last != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, last)
		}
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("8th wrong attempt: status %d, want 429", last)
	}
}

func TestCaseWorkflowIsAuditedAndTheChainVerifies(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	root := f.login(t, "root")
	var c filo.CaseFile
	if code := root.do("POST", "/api/cases", map[string]any{"title": "ring R-E2", "lead_ids": []string{"B-E1", "R-E2"}}, &c); code != 201 {
		t.Fatalf("create: %d", code)
	}
	steps := []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/entities/E1", nil},
		{"GET", "/api/entities/E1/network", nil},
		{"PATCH", "/api/cases/" + c.ID, map[string]string{"status": "in_review"}},
		{"POST", "/api/cases/" + c.ID + "/notes", map[string]string{"body": "asked the MTO for KYC"}},
		{"POST", "/api/cases/" + c.ID + "/disposition", map[string]string{"disposition": "referred", "reason": "pattern confirmed"}},
		{"GET", "/api/cases/" + c.ID + "/export", nil},
	}
	for _, s := range steps {
		if code := root.do(s.method, s.path, s.body, nil); code >= 300 {
			t.Fatalf("%s %s: status %d", s.method, s.path, code)
		}
	}
	var view struct {
		Case         filo.CaseFile
		Notes        []filo.Note
		Dispositions []filo.Disposition
	}
	root.do("GET", "/api/cases/"+c.ID, nil, &view)
	if view.Case.Status != "referred" || len(view.Notes) != 1 || len(view.Dispositions) != 1 || view.Dispositions[0].Reason != "pattern confirmed" {
		t.Errorf("case after the workflow = %+v", view)
	}
	var q struct{ Items []filo.LeadRow }
	root.do("GET", "/api/leads?status=referred", nil, &q)
	if len(q.Items) != 2 {
		t.Errorf("the case's leads in the queue as referred: %+v", q.Items)
	}

	entries, _, err := f.st.AuditEntries(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action] = true
	}
	for _, a := range []string{"login", "case_create", "view_person", "view_network", "case_update", "case_note", "case_disposition", "export_case", "view_case"} {
		if !seen[a] {
			t.Errorf("no %s entry in the audit log", a)
		}
	}
	if problems, n, err := audit.Verify(ctx, f.st); err != nil || len(problems) != 0 {
		t.Fatalf("untouched log of %d entries: %v %v", n, problems, err)
	}

	tamper := []struct {
		name string
		sql  string
	}{
		{"an edited entry", `UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 2`},
		{"a deleted entry", `DELETE FROM audit_log WHERE seq = 3`},
		{"the last entries cut off", `DELETE FROM audit_log WHERE seq >= (SELECT MAX(seq) - 1 FROM audit_log)`},
	}
	for _, tt := range tamper {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			root := f.login(t, "root")
			for i := 0; i < 3; i++ {
				root.do("GET", "/api/entities/E1", nil, nil)
			}
			if problems, _, err := audit.Verify(ctx, f.st); err != nil || len(problems) != 0 {
				t.Fatalf("before tampering: %v %v", problems, err)
			}
			if _, err := f.st.DB().Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			problems, _, err := audit.Verify(ctx, f.st)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) == 0 {
				t.Errorf("%s went unnoticed", tt.name)
			}
		})
	}
}

func TestUIAndAPIDescription(t *testing.T) {
	f := newFixture(t)
	cl := f.anon(t)
	resp, err := cl.c.Get(f.srv.URL + "/api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(raw, []byte("openapi: 3.1.0")) {
		t.Errorf("openapi.yaml: status %d", resp.StatusCode)
	}
	// Every route of the server is in the description.
	for _, p := range f.h.Routes() {
		method, path, _ := strings.Cut(p, " ")
		if !bytes.Contains(raw, []byte("\n  "+path+":")) || !bytes.Contains(raw, []byte("    "+strings.ToLower(method)+":")) {
			t.Errorf("route %s is not described in openapi.yaml", p)
		}
	}
	resp, err = cl.c.Get(f.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(raw, []byte("<title>filo</title>")) {
		t.Errorf("/ does not serve the UI: %s", raw)
	}
}
