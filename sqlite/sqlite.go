// Package sqlite is filo's embedded case store: one SQLite file, no server,
// through modernc.org/sqlite (pure Go, so the binary needs no C toolchain).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/sqlstore"
)

//go:embed migration/*.sql
var migrations embed.FS

// pragmas chosen for a case store that one analyst's process writes in big
// ingests and reads in big scans:
//   - WAL lets a `filo serve` read while an ingest writes, and commits with
//     one sequential write;
//   - synchronous NORMAL is durable at each checkpoint under WAL and saves an
//     fsync per commit (a crash can lose the last commit, never corrupt);
//   - a 256 MiB page cache keeps the indexes of a 10M-row ingest in memory;
//   - temp_store MEMORY keeps sorts off the disk;
//   - busy_timeout waits for another process's write instead of failing.
var pragmas = []string{
	"journal_mode(WAL)",
	"synchronous(NORMAL)",
	"cache_size(-262144)",
	"temp_store(MEMORY)",
	"busy_timeout(10000)",
	"foreign_keys(ON)",
}

// readerPragmas are the bulk-read pool's: it only reads, so a small cache
// does (its reads are sequential scans), and query_only makes sure.
var readerPragmas = []string{
	"busy_timeout(10000)",
	"query_only(1)",
}

// Open opens (creating if absent) the store in the file at path.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	db, err := sql.Open("sqlite", dsn(path, pragmas))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection: SQLite serialises writers anyway, and a single
	// connection keeps the per-connection pragmas and the cache in one place.
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, filo.Errorf(filo.EINVALID, "open case store %s: %v", path, err)
	}
	// Loading a case for a scan reads tables side by side on their own
	// connections: under WAL, readers never wait for the writer or for each
	// other. A scan loads the people and the rest of the case at once, two
	// tables each.
	reader, err := sql.Open("sqlite", dsn(path, readerPragmas))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	reader.SetMaxOpenConns(4)
	mig, _ := fs.Sub(migrations, "migration")
	s, err := sqlstore.New(ctx, db, sqlstore.Dialect{Name: "sqlite", Migrations: mig, Batch: 64, Reader: reader})
	if err != nil {
		db.Close()
		reader.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

func dsn(path string, pragmas []string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	return "file:" + path + "?" + q.Encode()
}
