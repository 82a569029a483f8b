package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/internal/testenv"
	"github.com/filoproject/filo/postgres"
	"github.com/filoproject/filo/storetest"
)

var seq atomic.Int64

// TestStore runs the suite on a real PostgreSQL, each test in a schema of
// its own that is dropped afterwards.
func TestStore(t *testing.T) {
	base := testenv.PostgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		t.Fatalf("FILO_TEST_POSTGRES is set but PostgreSQL does not answer: %v", err)
	}
	storetest.Run(t, func(t *testing.T) filo.Store {
		schema := fmt.Sprintf("filo_test_%d_%d", time.Now().UnixNano(), seq.Add(1))
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		st, err := postgres.Open(context.Background(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

func TestAnUnreachableServerIsAnError(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Errorf("open of an unreachable server: %v", err)
	}
}
