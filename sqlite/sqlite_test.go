package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/sqlite"
	"github.com/filoproject/filo/sqlstore"
	"github.com/filoproject/filo/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) filo.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "case.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

func TestReopeningAppliesNoMigrationTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.db")
	files, err := filepath.Glob("migration/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	for i := 0; i < 2; i++ {
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		var n int
		st.DB().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
		if n != len(files) {
			t.Errorf("open #%d: %d migrations recorded, want %d", i+1, n, len(files))
		}
		st.Close()
	}
}

// BenchmarkIngestTransactions puts 100,000 transactions in one ingest.
func BenchmarkIngestTransactions(b *testing.B) {
	ctx := context.Background()
	when := time.Date(2025, 3, 1, 23, 15, 0, 0, time.FixedZone("", 3600))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		err = st.Ingest(ctx, func(ctx context.Context, tx filo.IngestTx) error {
			if err := tx.ReplaceSource(ctx, filo.Source{Key: "b/transactions.csv", File: "transactions.csv", SHA256: "x"}); err != nil {
				return err
			}
			for k := 0; k < 100000; k++ {
				t := filo.Transaction{ID: "T" + strconv.Itoa(k), Time: when, Amount: 15, AmountText: "15.00", Currency: "EUR", AmountUSD: 17.5,
					SenderPartyID: "P" + strconv.Itoa(k%5000), ReceiverPartyID: "R" + strconv.Itoa(k%300), SenderCountry: "IT", ReceiverCountry: "PH",
					Channel: "mto", Institution: "RemitNow", ControlNumber: "4821937710", Prov: filo.Provenance{Line: k + 2}}
				if err := tx.PutTransaction(ctx, "b/transactions.csv", &t); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
	b.ReportMetric(float64(b.N)*100000/b.Elapsed().Seconds(), "rows/s")
}

// TestLoadCaseReportsTheDamagedTable: the tables load side by side; a row
// or a column block that cannot be read stops the load and is named by its
// table, whichever of the two goroutines met it. A store whose sources are
// not all in blocks (one written before them) is read row by row.
func TestLoadCaseReportsTheDamagedTable(t *testing.T) {
	const oldStore = `UPDATE sources SET block_rows = 0`
	for _, tc := range []struct{ damage, want string }{
		{`UPDATE transactions SET ts = 'yesterday'; ` + oldStore, "load transactions"},
		{`UPDATE sessions SET start_ts = 'yesterday'; ` + oldStore, "load sessions"},
		{`UPDATE parties SET line = 'x'; ` + oldStore, "load parties"},
		{`UPDATE case_blocks SET data = X'01' WHERE tbl = 'transactions'`, "load transactions: block 1: column block is corrupt"},
		{`UPDATE case_blocks SET data = substr(data, 1, length(data) - 3) WHERE tbl = 'sessions'`, "load sessions: block 1: column block is corrupt"},
		{`UPDATE case_blocks SET data = data || X'00' WHERE tbl = 'parties'`, "load parties: block 1: column block is corrupt"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			ctx := context.Background()
			st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "case.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			when := time.Date(2025, 3, 1, 23, 15, 0, 0, time.UTC)
			err = st.Ingest(ctx, func(ctx context.Context, tx filo.IngestTx) error {
				prov := filo.Provenance{File: "f.csv", Line: 2}
				for _, err := range []error{
					tx.ReplaceSource(ctx, filo.Source{Key: "c/f.csv", File: "f.csv", SHA256: "x"}),
					tx.PutParty(ctx, "c/f.csv", &filo.Party{ID: "P1", FullName: "Ann Example", Prov: prov}),
					tx.PutTransaction(ctx, "c/f.csv", &filo.Transaction{ID: "T1", Time: when, SenderPartyID: "P1", ReceiverPartyID: "P1", Prov: prov}),
					tx.PutSession(ctx, "c/f.csv", &filo.Session{Platform: "vm", SessionID: "S1", AccountID: "u1", Start: when, Prov: prov}),
				} {
					if err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.LoadCase(ctx); err != nil {
				t.Fatalf("intact store: %v", err)
			}
			if _, err := st.DB().ExecContext(ctx, tc.damage); err != nil {
				t.Fatal(err)
			}
			_, err = st.LoadCase(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LoadCase after %q: %v; want an error naming %q", tc.damage, err, tc.want)
			}
		})
	}
}

// TestSlotsMigrationKeepsTheLastScan: a store whose last scan was saved
// before entities and links had slots (migration 005) reads it back
// after the migration, and the next scan replaces it.
func TestSlotsMigrationKeepsTheLastScan(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "case.db")
	before := fstest.MapFS{}
	for _, name := range []string{"001_case.sql", "002_workspace.sql", "003_blocks.sql", "004_links_staging.sql"} {
		b, err := os.ReadFile(filepath.Join("migration", name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = &fstest.MapFile{Data: b}
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlstore.New(ctx, db, sqlstore.Dialect{Name: "sqlite", Migrations: before}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO entities (entity_id, record_type, record_id) VALUES ('E1', 'party', 'P1'), ('E1', 'party', 'P2')`,
		`INSERT INTO links (a_type, a_id, b_type, b_id, kind, weight, prob, basis, source) VALUES ('party', 'P1', 'party', 'P2', 'same_person', 9, 0.9, '', 'model')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, links, err := st.Entity(ctx, "E1")
	if err != nil || len(e.Records) != 2 || len(links) != 1 {
		t.Fatalf("after the migration, E1 is %+v with links %+v (%v), want its 2 records and 1 link", e, links, err)
	}
	if err := st.SaveScan(ctx, &filo.ScanResult{ScannedAt: time.Now(), Policy: "p 1",
		Entities: []filo.Entity{{ID: "E2", Records: []filo.RecordRef{{Type: "party", ID: "P1"}}}}}); err != nil {
		t.Fatal(err)
	}
	if es, err := st.Entities(ctx); err != nil || len(es) != 1 || es[0].ID != "E2" {
		t.Errorf("the first scan after the migration left entities %+v (%v), want only E2", es, err)
	}
}
