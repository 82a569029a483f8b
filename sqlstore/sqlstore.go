// Package sqlstore implements filo.Store over database/sql for both engines
// filo supports; the sqlite and postgres packages give it a driver, a
// dialect and their migrations. One implementation keeps the two engines'
// semantics identical, which the shared storetest suite checks.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/filoproject/filo"
)

// Dialect is what differs between engines.
type Dialect struct {
	Name string
	// Placeholder returns the n-th (1-based) bind placeholder.
	Placeholder func(n int) string
	// Migrations holds NNN_name.sql files applied in order.
	Migrations fs.FS
	// Batch is how many rows go into one INSERT.
	Batch int
	// Reader is a pool for bulk reads that run side by side (LoadCase);
	// nil: the store's own database. The store closes it.
	Reader *sql.DB
}

// Store is the case store over one database.
type Store struct {
	db  *sql.DB
	d   Dialect
	Now func() time.Time
}

var _ filo.Store = (*Store)(nil)

// New wraps an open database and applies pending migrations.
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	if d.Batch <= 0 {
		d.Batch = 100
	}
	s := &Store{db: db, d: d, Now: time.Now}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// DB gives adapters that extend the store (the workspace) its database.
func (s *Store) DB() *sql.DB { return s.db }

// insertSQL is an INSERT of n rows into the columns of a table.
func (s *Store) insertSQL(table string, cols []string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	k := 0
	for r := 0; r < n; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			k++
			if s.d.Placeholder != nil {
				b.WriteString(s.d.Placeholder(k))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// batch inserts rows into one table inside a transaction, many rows to an
// INSERT: one INSERT of many rows costs little more than one of one row,
// and a scan writes hundreds of thousands.
type batch struct {
	s     *Store
	tx    *sql.Tx
	table string
	cols  []string
	args  []any
	full  *sql.Stmt // prepared for a full batch
}

func (s *Store) newBatch(tx *sql.Tx, table string, cols ...string) *batch {
	return &batch{s: s, tx: tx, table: table, cols: cols}
}

// add queues one row, one value per column, and writes a full batch.
func (b *batch) add(ctx context.Context, vals ...any) error {
	if len(vals) != len(b.cols) {
		return fmt.Errorf("insert into %s: %d values for %d columns", b.table, len(vals), len(b.cols))
	}
	b.args = append(b.args, vals...)
	if len(b.args) >= b.s.d.Batch*len(b.cols) {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the queued rows.
func (b *batch) flush(ctx context.Context) error {
	n := len(b.args) / len(b.cols)
	if n == 0 {
		return nil
	}
	var err error
	if n == b.s.d.Batch {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(ctx, b.s.insertSQL(b.table, b.cols, n)); err != nil {
				return fmt.Errorf("insert into %s: prepare: %w", b.table, err)
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(ctx, b.s.insertSQL(b.table, b.cols, n), b.args...)
	}
	clear(b.args)
	b.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	return nil
}

// close releases the prepared statement; rows still queued are dropped.
func (b *batch) close() {
	if b.full != nil {
		b.full.Close()
	}
}

// Rebind turns ? placeholders into the dialect's.
func (s *Store) Rebind(q string) string {
	if s.d.Placeholder == nil {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString(s.d.Placeholder(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.d.Reader != nil {
		err = errors.Join(err, s.d.Reader.Close())
	}
	return err
}

// reader is the pool for bulk reads.
func (s *Store) reader() *sql.DB {
	if s.d.Reader != nil {
		return s.d.Reader
	}
	return s.db
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(s.d.Migrations, "*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate: %s: file name must start with a version number", name)
		}
		var n int
		if err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), v).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(s.d.Migrations, name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			for _, stmt := range splitSQL(string(body)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				v, name, s.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// splitSQL splits a migration into statements at semicolons ending a line
// (the drivers differ in accepting several statements in one Exec).
func splitSQL(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			if st := strings.TrimSpace(cur.String()); st != ";" {
				out = append(out, st)
			}
			cur.Reset()
		}
	}
	if st := strings.TrimSpace(cur.String()); st != "" {
		out = append(out, st)
	}
	return out
}

func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// attrsJSON encodes attributes, NULL when there are none.
func attrsJSON(a filo.Attrs) any {
	if len(a) == 0 {
		return nil
	}
	b, _ := json.Marshal(a)
	return string(b)
}

func parseAttrs(v sql.NullString) filo.Attrs {
	if !v.Valid || v.String == "" {
		return nil
	}
	var a filo.Attrs
	if json.Unmarshal([]byte(v.String), &a) != nil {
		return nil
	}
	return a
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, err
	}
	// time.Parse shares one location per whole-hour offset but makes a new
	// one for every other (+05:30, +05:45): millions of them in a case.
	if name, off := t.Zone(); name == "" && off%3600 != 0 {
		t = t.In(fixedZone(off))
	}
	return t, nil
}

var fixedZones sync.Map // offset in seconds → *time.Location

func fixedZone(off int) *time.Location {
	if l, ok := fixedZones.Load(off); ok {
		return l.(*time.Location)
	}
	l, _ := fixedZones.LoadOrStore(off, time.FixedZone("", off))
	return l.(*time.Location)
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
