package main

import (
	"context"
	"strings"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/postgres"
	"github.com/filoproject/filo/sqlite"
)

// openStore opens the case store named by --db: a postgres:// URL, or the
// path of the embedded SQLite file (created if absent).
func (a *app) openStore(ctx context.Context) (filo.Store, error) {
	if strings.HasPrefix(a.db, "postgres://") || strings.HasPrefix(a.db, "postgresql://") {
		return postgres.Open(ctx, a.db)
	}
	return sqlite.Open(ctx, a.db)
}
