package main

import (
	"context"

	"github.com/filoproject/filo"
)

// openStore opens the case store named by --db. The store helper replaces
// this with the SQLite / PostgreSQL choice.
func (a *app) openStore(ctx context.Context) (filo.Store, error) {
	return nil, filo.Errorf(filo.EINTERNAL, "no store implementation yet")
}
