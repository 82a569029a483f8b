package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/sqlite"
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
