// Package postgres is filo's case store for teams: PostgreSQL through pgx,
// with the same semantics as the embedded store.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/sqlstore"
)

//go:embed migration/*.sql
var migrations embed.FS

// Open connects to the database at url (postgres://...) and applies
// pending migrations.
func Open(ctx context.Context, url string) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, filo.Errorf(filo.EINVALID, "connect to PostgreSQL: %v", err)
	}
	mig, _ := fs.Sub(migrations, "migration")
	s, err := sqlstore.New(ctx, db, sqlstore.Dialect{
		Name:        "postgres",
		Placeholder: func(n int) string { return "$" + strconv.Itoa(n) },
		Migrations:  mig,
		Batch:       200,
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return s, nil
}
