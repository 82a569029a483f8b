package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/filoproject/filo/sqlite"
)

// filo runs the command in-process and returns its stdout, stderr and exit
// status.
func runFilo(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func mustFilo(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := runFilo(t, args...)
	if code != 0 {
		t.Fatalf("filo %s: exit %d\nstderr:\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, s)
	}
	return rows
}

// TestContractEndToEnd runs the command-line contract of
// interchange-v1.md on a small synthetic world: synth, ingest, scan, leads
// and entities, and checks the outside face: columns, one entity row per
// input record, leads ranked from 1, truth beside and never inside DIR.
func TestContractEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: skipped in -short")
	}
	dir := t.TempDir()
	world := filepath.Join(dir, "case")
	db := filepath.Join(dir, "case.db")

	mustFilo(t, "synth", "--out", world, "--seed", "7", "--scale", "0.05")
	if _, err := os.Stat(filepath.Join(world, "transactions.csv")); err != nil {
		t.Fatalf("synth wrote no transactions.csv: %v", err)
	}
	entries, _ := os.ReadDir(world)
	for _, e := range entries {
		if strings.Contains(strings.ToLower(e.Name()), "truth") {
			t.Errorf("ground truth %s written inside the case folder", e.Name())
		}
	}
	if _, err := os.Stat(world + ".truth"); err != nil {
		t.Errorf("no truth beside the case folder: %v", err)
	}

	mustFilo(t, "ingest", "--db", db, world)
	// Re-ingesting the same folder changes nothing.
	mustFilo(t, "ingest", "--db", db, world)
	mustFilo(t, "scan", "--db", db)

	for _, role := range []string{"buyer", "facilitator"} {
		rows := readCSV(t, mustFilo(t, "leads", "--db", db, "--role", role, "--format", "csv"))
		want := "rank,lead_id,role,score,party_ids,platform_accounts,reasons"
		if got := strings.Join(rows[0], ","); got != want {
			t.Fatalf("leads %s header = %q, want %q", role, got, want)
		}
		if len(rows) < 2 {
			t.Fatalf("no %s leads on a world that has them", role)
		}
		for i, r := range rows[1:] {
			if r[0] != strconv.Itoa(i+1) {
				t.Errorf("%s lead %d has rank %q", role, i+1, r[0])
				break
			}
			if r[2] != role {
				t.Errorf("%s lead %s has role %q", role, r[1], r[2])
			}
			if r[4] == "" || r[6] == "" {
				t.Errorf("%s lead %s lacks party_ids or reasons: %v", role, r[1], r)
			}
		}
	}

	rows := readCSV(t, mustFilo(t, "entities", "--db", db, "--format", "csv"))
	if got := strings.Join(rows[0], ","); got != "entity_id,record_type,record_id" {
		t.Fatalf("entities header = %q", got)
	}
	parties := readCSV(t, readFile(t, filepath.Join(world, "parties.csv")))
	accounts := readCSV(t, readFile(t, filepath.Join(world, "platform_accounts.csv")))
	seen := map[string]int{}
	for _, r := range rows[1:] {
		seen[r[1]+"/"+r[2]]++
	}
	idc := col(t, parties[0], "party_id")
	for _, p := range parties[1:] {
		if n := seen["party/"+p[idc]]; n != 1 {
			t.Fatalf("party %s is in %d entities, want exactly 1", p[idc], n)
		}
	}
	pi, ai := col(t, accounts[0], "platform"), col(t, accounts[0], "account_id")
	for _, a := range accounts[1:] {
		ref := a[pi] + ":" + a[ai]
		if seen["platform_account/"+ref] != 1 {
			t.Fatalf("platform account %s is in %d entities, want exactly 1", ref, seen["platform_account/"+ref])
		}
	}
	if want := len(parties) - 1 + len(accounts) - 1; len(rows)-1 != want {
		t.Errorf("entities has %d rows, want one per input record: %d", len(rows)-1, want)
	}

	// A second scan keeps every entity id.
	before := mustFilo(t, "entities", "--db", db, "--format", "csv")
	mustFilo(t, "scan", "--db", db)
	if after := mustFilo(t, "entities", "--db", db, "--format", "csv"); after != before {
		t.Error("entity ids changed on a second scan of the same data")
	}

	// An analyst's judgement wins at the next scan, and can be undone.
	// Two records the model keeps apart: the first party and the first one
	// in another entity.
	p1, p2 := parties[1][idc], ""
	for _, p := range parties[2:] {
		if entityOf(t, db, p[idc]) != entityOf(t, db, p1) {
			p2 = p[idc]
			break
		}
	}
	out := mustFilo(t, "entity", "link", "--db", db, p1, p2, "--who", "analyst 7", "--reason", "same passport")
	if !strings.Contains(out, "judgement 1 recorded") {
		t.Fatalf("entity link said %q", out)
	}
	mustFilo(t, "scan", "--db", db)
	if entityOf(t, db, p1) != entityOf(t, db, p2) {
		t.Errorf("after 'entity link' %s and %s are still apart", p1, p2)
	}
	mustFilo(t, "entity", "undo", "--db", db, "1", "--who", "analyst 7")
	mustFilo(t, "scan", "--db", db)
	if entityOf(t, db, p1) == entityOf(t, db, p2) {
		t.Errorf("after 'entity undo' %s and %s are still one", p1, p2)
	}

	// explain speaks of a lead, with its rows.
	leads := readCSV(t, mustFilo(t, "leads", "--db", db, "--role", "buyer", "--limit", "1"))
	text := mustFilo(t, "explain", "--db", db, leads[1][1])
	if !strings.Contains(text, "not a finding") || !strings.Contains(text, "transactions.csv:") {
		t.Errorf("explain lacks the caution or the rows:\n%s", text)
	}
}

func entityOf(t *testing.T, db, partyID string) string {
	t.Helper()
	for _, r := range readCSV(t, mustFilo(t, "entities", "--db", db, "--format", "csv")) {
		if r[1] == "party" && r[2] == partyID {
			return r[0]
		}
	}
	t.Fatalf("party %s is in no entity", partyID)
	return ""
}

// TestIngestBadInputNamesThePlaceAndStoresNothing checks the contract's
// error face: non-zero exit, file:line:column on stderr, nothing stored.
func TestIngestBadInputNamesThePlaceAndStoresNothing(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "bad")
	if err := os.MkdirAll(world, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(world, "parties.csv"), "party_id,full_name\nP1,Ann Example\nP2,Bo Example\n")
	write(t, filepath.Join(world, "transactions.csv"),
		"tx_id,timestamp,amount,currency,sender_party_id,receiver_party_id\n"+
			"T1,2025-01-02T21:00:00+01:00,15.00,EUR,P1,P2\n"+
			"T2,2025-01-03T21:00:00+01:00,12,5x,EUR,P1,P2\n")
	db := filepath.Join(dir, "bad.db")
	_, errs, code := runFilo(t, "ingest", "--db", db, world)
	if code == 0 {
		t.Fatalf("ingest of a broken file exited 0")
	}
	if !strings.Contains(errs, "transactions.csv:3:") {
		t.Errorf("stderr does not name transactions.csv line 3:\n%s", errs)
	}
	// Nothing half-written: a scan finds no case.
	if _, errs, code := runFilo(t, "scan", "--db", db); code == 0 {
		t.Errorf("scan after a failed ingest found a case; stderr:\n%s", errs)
	}
}

func TestEveryCommandTeachesByExample(t *testing.T) {
	for _, c := range []string{"synth", "ingest", "scan", "leads", "entities", "entity", "explain", "eval", "serve", "user", "audit"} {
		out, _, code := runFilo(t, c, "--help")
		if code != 0 {
			t.Errorf("filo %s --help: exit %d", c, code)
			continue
		}
		if !strings.Contains(out, "filo "+c) {
			t.Errorf("filo %s --help shows no example of itself:\n%s", c, out)
		}
	}
}

func col(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), name) {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, header)
	return -1
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUsersAndTheAuditLogFromTheCommandLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "case.db")
	add := func(password string, args ...string) (string, int) {
		t.Helper()
		stdin = strings.NewReader(password + "\n")
		defer func() { stdin = os.Stdin }()
		_, errs, code := runFilo(t, append([]string{"user", "add", "--db", db, "--password-stdin"}, args...)...)
		return errs, code
	}
	if errs, code := add("a long enough password", "--username", "ana", "--role", "analyst", "--unit", "north"); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errs)
	}
	for _, bad := range [][]string{
		{"--username", "bob", "--role", "chief", "--unit", "north"},
		{"--username", "Bob Smith", "--role", "analyst", "--unit", "north"},
		{"--username", "bob", "--role", "analyst"},
	} {
		if errs, code := add("a long enough password", bad...); code != exitUsage {
			t.Errorf("user add %v: exit %d, want %d (%s)", bad, code, exitUsage, errs)
		}
	}
	if errs, code := add("short", "--username", "bob", "--role", "analyst", "--unit", "north"); code != exitUsage || !strings.Contains(errs, "12") {
		t.Errorf("short password: exit %d: %s", code, errs)
	}
	if out := mustFilo(t, "user", "list", "--db", db); !strings.Contains(out, "ana\tanalyst\tnorth") || strings.Contains(out, "argon2") {
		t.Errorf("user list:\n%s", out)
	}
	if out := mustFilo(t, "audit", "verify", "--db", db); !strings.Contains(out, "intact: 1 entries") {
		t.Errorf("audit verify on an untouched log:\n%s", out)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.DB().Exec(`UPDATE audit_log SET detail = 'role=admin unit=north' WHERE seq = 1`)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := runFilo(t, "audit", "verify", "--db", db)
	if code == 0 || !strings.Contains(out, "edited") {
		t.Errorf("audit verify after an edit: exit %d\n%s", code, out)
	}
}

// TestGlobalFlags: the memory limit and the profiles are checked before a
// command runs, and a profile is written where asked.
func TestGlobalFlags(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.prof")
	heap := filepath.Join(dir, "heap.prof")
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		stderr   string
		profiles []string
	}{
		{"a size with units", []string{"--memory-limit", "7GiB", "version"}, 0, "", nil},
		{"a size without units", []string{"--memory-limit", "8000000000", "version"}, 0, "", nil},
		{"not a size", []string{"--memory-limit", "seven", "version"}, exitUsage, `--memory-limit "seven"`, nil},
		{"zero", []string{"--memory-limit", "0", "version"}, exitUsage, "want a size", nil},
		{"profiles written", []string{"--cpuprofile", prof, "--memprofile", heap, "version"}, 0, "", []string{prof, heap}},
		{"profile in a missing folder", []string{"--cpuprofile", filepath.Join(dir, "no", "cpu.prof"), "version"}, exitError, "--cpuprofile", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := runFilo(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.stderr) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errs, tc.code, tc.stderr)
			}
			for _, p := range tc.profiles {
				if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
					t.Errorf("profile %s not written: %v", p, err)
				}
			}
		})
	}
	debug.SetMemoryLimit(math.MaxInt64)
}
