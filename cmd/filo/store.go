package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

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

// runWithStore makes a command's RunE that opens the case store for fn and
// closes it afterwards.
func (a *app) runWithStore(fn func(cmd *cobra.Command, args []string, st filo.Store) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		st, err := a.openStore(cmd.Context())
		if err != nil {
			return err
		}
		defer st.Close()
		return fn(cmd, args, st)
	}
}
