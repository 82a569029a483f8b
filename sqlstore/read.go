package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/filoproject/filo"
)

// Sources lists the ingested files, oldest first.
func (s *Store) Sources(ctx context.Context) ([]filo.Source, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, file, sha256, rows, ingested_at FROM sources ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []filo.Source
	for rows.Next() {
		var src filo.Source
		var at string
		if err := rows.Scan(&src.Key, &src.File, &src.SHA256, &src.Rows, &at); err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		src.IngestedAt, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, src)
	}
	return out, rows.Err()
}

// provs maps source ids to provenance, sharing one string per file.
func (s *Store) provs(ctx context.Context) (map[int64]filo.Provenance, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, file FROM sources`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	m := map[int64]filo.Provenance{}
	for rows.Next() {
		var id int64
		var p filo.Provenance
		if err := rows.Scan(&id, &p.File); err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		m[id] = p
	}
	return m, rows.Err()
}

// LoadCase reads every stored input record. Transactions are half of a
// case's rows: they load on one connection while everything else loads on
// another, where the store has a pool for bulk reads. Records come from
// the column blocks when every source has them (see block.go), else row by
// row; either way in the same order.
func (s *Store) LoadCase(ctx context.Context) (*filo.Case, error) {
	c := &filo.Case{}
	if err := s.LoadCaseParts(ctx, c, filo.AllParts); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadCaseParts reads parts of the case into c.
func (s *Store) LoadCaseParts(ctx context.Context, c *filo.Case, parts filo.CaseParts) error {
	var stale int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sources WHERE rows <> block_rows`).Scan(&stale); err != nil {
		return fmt.Errorf("load: sources: %w", err)
	}
	return s.loadCase(ctx, c, parts, stale == 0)
}

// LoadCaseFromRows reads the case row by row, as LoadCase does for a store
// written before column blocks: for checks that both ways agree.
func (s *Store) LoadCaseFromRows(ctx context.Context) (*filo.Case, error) {
	c := &filo.Case{}
	if err := s.loadCase(ctx, c, filo.AllParts, false); err != nil {
		return nil, err
	}
	return c, nil
}

// loadFunc reads one table into a loader's case.
type loadFunc func(context.Context, *loader) error

func (s *Store) loadCase(ctx context.Context, c *filo.Case, parts filo.CaseParts, blocks bool) error {
	pv, err := s.provs(ctx)
	if err != nil {
		return err
	}
	db := s.reader()
	// Counting first sizes each slice once: growing a slice of ten million
	// records by appending copies it again and again.
	for _, n := range []struct {
		table string
		part  filo.CaseParts
		grow  func(int)
	}{
		{"parties", filo.PartPeople, func(n int) { c.Parties = make([]filo.Party, 0, n) }},
		{"transactions", filo.PartActivity, c.Transactions.Grow},
		{"sessions", filo.PartActivity, c.Sessions.Grow},
		{"subscribers", filo.PartActivity, func(n int) { c.Subscribers = make([]filo.Subscriber, 0, n) }},
	} {
		if parts&n.part == 0 {
			continue
		}
		var rows int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+n.table).Scan(&rows); err != nil {
			return fmt.Errorf("load %s: %w", n.table, err)
		}
		n.grow(rows)
	}
	// Transactions are half of a case's rows, and load on their own;
	// without them, parties do.
	var groups [2][]loadFunc
	for _, t := range []struct {
		part filo.CaseParts
		load loadFunc
	}{
		{filo.PartActivity, loadTransactions},
		{filo.PartPeople, loadParties},
		{filo.PartActivity, loadAccounts},
		{filo.PartPeople, loadPlatformAccounts},
		{filo.PartActivity, loadSessions},
		{filo.PartActivity, loadSubscribers},
		{filo.PartActivity, loadMessages},
		{filo.PartActivity, loadWatchlist},
	} {
		switch {
		case parts&t.part == 0:
		case len(groups[0]) == 0:
			groups[0] = append(groups[0], t.load)
		default:
			groups[1] = append(groups[1], t.load)
		}
	}
	// The first failure stops the other group: its error is the one to
	// tell, not the cancellation it caused.
	gctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := &loader{s: s, db: db, c: c, provs: pv, intern: map[string]string{}, blocks: blocks}
			for _, load := range g {
				if err := load(gctx, l); err != nil {
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return context.Cause(gctx)
}

// loader is one goroutine's share of LoadCase: each fills its own slices of
// the case, with its own scratch values.
type loader struct {
	s       *Store
	db      *sql.DB
	c       *filo.Case
	provs   map[int64]filo.Provenance
	intern  map[string]string
	blocks  bool // read column blocks, not rows
	packer  packer
	decoder blockDecoder

	sid   int64
	line  int
	attrs sql.NullString
	ts    string
	ts2   string
}

// scanner is what a loader reads a record from: a row or a block's row.
type scanner interface {
	Scan(dest ...any) error
}

// in interns a value that repeats across rows (ids, countries, channels),
// so that ten million transactions keep each as one string. The string is
// a copy: the block it was read from is let go.
func (l *loader) in(v string) string {
	if w, ok := l.intern[v]; ok {
		return w
	}
	v = strings.Clone(v)
	l.intern[v] = v
	return v
}

// push appends a record and returns where it is now. The strings to pack
// are held as pointers into xs: before an append moves xs to a larger
// array, they are packed where they are, and copied over packed.
func push[T any](l *loader, xs *[]T, x T) *T {
	if len(*xs) == cap(*xs) {
		l.packer.pack()
	}
	*xs = append(*xs, x)
	return &(*xs)[len(*xs)-1]
}

// keep marks the strings of the record just read that are not interned,
// to be packed once its block is read (see packer).
func (l *loader) keep(fields ...*string) {
	if l.blocks {
		l.packer.fields = append(l.packer.fields, fields...)
	}
}

// packer copies the strings that records read from a block keep into one
// string of their own. A record's strings would otherwise be slices of the
// block, which would stay in memory whole, with every value that was
// interned, parsed into a time or never kept: over half its bytes.
type packer struct {
	fields []*string
	buf    []byte
}

func (k *packer) pack() {
	k.buf = k.buf[:0]
	for _, f := range k.fields {
		k.buf = append(k.buf, *f...)
	}
	all := string(k.buf)
	off := 0
	for _, f := range k.fields {
		n := len(*f)
		if n == 0 {
			*f = ""
			continue
		}
		*f = all[off : off+n]
		off += n
	}
	clear(k.fields)
	k.fields = k.fields[:0]
}

// prov is the provenance of the record just scanned.
func (l *loader) prov() filo.Provenance {
	p := l.provs[l.sid]
	p.Line = l.line
	return p
}

// each calls scan for every record of t, in the order they were inserted.
// The records' columns are t's, in t's order.
func (l *loader) each(ctx context.Context, t *table, scan func(scanner) error) error {
	what := "load " + t.name
	if !l.blocks {
		q := `SELECT ` + strings.Join(t.cols, ", ") + ` FROM ` + t.name
		if t.rowid {
			q += ` ORDER BY id`
		}
		return l.s.queryOn(ctx, l.db, what, q, nil, func(r *sql.Rows) error { return scan(r) })
	}
	var n int
	return l.s.queryOn(ctx, l.db, what, `SELECT data FROM case_blocks WHERE tbl = ? ORDER BY id`, []any{t.name},
		func(r *sql.Rows) error {
			n++
			var data sql.RawBytes
			if err := r.Scan(&data); err != nil {
				return err
			}
			br, err := l.decoder.reader(data, len(t.cols), t.added)
			if err != nil {
				return fmt.Errorf("block %d: %w", n, err)
			}
			for {
				ok, err := br.next()
				if err != nil {
					return fmt.Errorf("block %d: %w", n, err)
				}
				if !ok {
					l.packer.pack()
					return nil
				}
				if err := scan(br); err != nil {
					return fmt.Errorf("block %d: %w", n, err)
				}
			}
		})
}

// The loaders of the large tables scan every row into one record and one
// list of destinations, made once: a record and a list of pointers made
// for each row escape to the heap, hundreds of bytes of garbage a row,
// gigabytes over ten million.

func loadParties(ctx context.Context, l *loader) error {
	var p filo.Party
	dest := []any{&l.sid, &l.line, &p.ID, &p.Kind, &p.FullName, &p.BirthDate, &p.Country, &p.City, &p.Address, &p.Phone,
		&p.Email, &p.IDNumber, &p.Institution, &p.MerchantCategory, &l.attrs, &p.PhoneE164, &p.PhoneNSN}
	err := l.each(ctx, tParties, func(r scanner) error {
		p = filo.Party{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		p.Kind, p.Country, p.Institution, p.MerchantCategory = l.in(p.Kind), l.in(p.Country), l.in(p.Institution), l.in(p.MerchantCategory)
		p.Prov, p.Attrs = l.prov(), parseAttrs(l.attrs)
		q := push(l, &l.c.Parties, p)
		l.keep(&q.ID, &q.FullName, &q.BirthDate, &q.City, &q.Address, &q.Phone, &q.Email, &q.IDNumber, &q.PhoneE164, &q.PhoneNSN)
		return nil
	})
	orderBy(l.c.Parties, func(a, b *filo.Party) int { return strings.Compare(a.ID, b.ID) })
	return err
}

func loadAccounts(ctx context.Context, l *loader) error {
	err := l.each(ctx, tAccounts, func(r scanner) error {
		var a filo.Account
		if err := r.Scan(&l.sid, &l.line, &a.ID, &a.PartyID, &a.Institution, &a.Kind, &a.Currency, &a.IBAN, &a.OpenedAt, &l.attrs); err != nil {
			return err
		}
		a.PartyID = l.in(a.PartyID)
		a.Prov, a.Attrs = l.prov(), parseAttrs(l.attrs)
		q := push(l, &l.c.Accounts, a)
		l.keep(&q.ID, &q.Institution, &q.Kind, &q.Currency, &q.IBAN, &q.OpenedAt)
		return nil
	})
	orderBy(l.c.Accounts, func(a, b *filo.Account) int { return strings.Compare(a.ID, b.ID) })
	return err
}

// Transactions and sessions hold their own copy of every string (see
// filo.Transactions): they are neither interned nor packed here.
func loadTransactions(ctx context.Context, l *loader) error {
	c := l.c
	var t filo.Transaction
	dest := []any{&l.sid, &l.line, &t.ID, &l.ts, &t.Amount, &t.AmountText, &t.Currency, &t.AmountUSD, &t.SenderPartyID,
		&t.SenderAccountID, &t.ReceiverPartyID, &t.ReceiverAccountID, &t.SenderCountry, &t.ReceiverCountry, &t.Channel,
		&t.Institution, &t.Reference, &t.ControlNumber, &l.attrs}
	err := l.each(ctx, tTransactions, func(r scanner) error {
		t = filo.Transaction{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		var err error
		if t.Time, err = parseTime(l.ts); err != nil {
			return err
		}
		t.Prov, t.Attrs = l.prov(), parseAttrs(l.attrs)
		c.Transactions.Append(t)
		return nil
	})
	if err != nil {
		return err
	}
	c.Transactions.SortByTime()
	c.Transactions.Trim()
	return nil
}

func loadPlatformAccounts(ctx context.Context, l *loader) error {
	err := l.each(ctx, tPlatformAccounts, func(r scanner) error {
		var p filo.PlatformAccount
		if err := r.Scan(&l.sid, &l.line, &p.Platform, &p.AccountID, &p.Handle, &p.DisplayName, &p.Email, &p.Phone, &p.CreatedAt, &l.attrs, &p.PhoneE164); err != nil {
			return err
		}
		p.Platform = l.in(p.Platform)
		p.Prov, p.Attrs = l.prov(), parseAttrs(l.attrs)
		q := push(l, &l.c.PlatformAccounts, p)
		l.keep(&q.AccountID, &q.Handle, &q.DisplayName, &q.Email, &q.Phone, &q.CreatedAt, &q.PhoneE164)
		return nil
	})
	orderBy(l.c.PlatformAccounts, func(a, b *filo.PlatformAccount) int {
		return cmp.Or(strings.Compare(a.Platform, b.Platform), strings.Compare(a.AccountID, b.AccountID))
	})
	return err
}

func loadSessions(ctx context.Context, l *loader) error {
	c := l.c
	var x filo.Session
	dest := []any{&l.sid, &l.line, &x.Platform, &x.SessionID, &x.AccountID, &x.PeerAccountID, &x.Kind, &l.ts, &l.ts2, &x.IP, &l.attrs}
	err := l.each(ctx, tSessions, func(r scanner) error {
		x = filo.Session{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		var err error
		if x.Start, err = parseTime(l.ts); err != nil {
			return err
		}
		if x.End, err = parseTime(l.ts2); err != nil {
			return err
		}
		x.Prov, x.Attrs = l.prov(), parseAttrs(l.attrs)
		c.Sessions.Append(x)
		return nil
	})
	if err != nil {
		return err
	}
	c.Sessions.SortByStart()
	c.Sessions.Trim()
	return nil
}

func loadSubscribers(ctx context.Context, l *loader) error {
	var x filo.Subscriber
	dest := []any{&l.sid, &l.line, &x.IP, &l.ts, &l.ts2, &x.ISP, &x.SubscriberName, &x.Address, &x.Phone, &x.Email, &l.attrs, &x.PhoneE164}
	return l.each(ctx, tSubscribers, func(r scanner) error {
		x = filo.Subscriber{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		var err error
		if x.Start, err = parseTime(l.ts); err != nil {
			return err
		}
		if x.End, err = parseTime(l.ts2); err != nil {
			return err
		}
		x.ISP = l.in(x.ISP)
		x.Prov, x.Attrs = l.prov(), parseAttrs(l.attrs)
		q := push(l, &l.c.Subscribers, x)
		l.keep(&q.IP, &q.SubscriberName, &q.Address, &q.Phone, &q.Email, &q.PhoneE164)
		return nil
	})
}

func loadMessages(ctx context.Context, l *loader) error {
	return l.each(ctx, tMessages, func(r scanner) error {
		var m filo.Message
		if err := r.Scan(&l.sid, &l.line, &m.Platform, &m.ConversationID, &m.MessageID, &l.ts, &m.SenderAccountID, &m.Text, &l.attrs); err != nil {
			return err
		}
		var err error
		if m.Time, err = parseTime(l.ts); err != nil {
			return err
		}
		m.Prov, m.Attrs = l.prov(), parseAttrs(l.attrs)
		q := push(l, &l.c.Messages, m)
		l.keep(&q.Platform, &q.ConversationID, &q.MessageID, &q.SenderAccountID, &q.Text)
		return nil
	})
}

func loadWatchlist(ctx context.Context, l *loader) error {
	return l.each(ctx, tWatchlist, func(r scanner) error {
		var w filo.WatchEntry
		if err := r.Scan(&l.sid, &l.line, &w.Kind, &w.Value, &w.Country, &w.Source, &w.Note, &l.attrs); err != nil {
			return err
		}
		w.Prov, w.Attrs = l.prov(), parseAttrs(l.attrs)
		q := push(l, &l.c.Watchlist, w)
		l.keep(&q.Kind, &q.Value, &q.Country, &q.Source, &q.Note)
		return nil
	})
}

// orderBy sorts records whose order is total (unique keys) by sorting
// indexes and moving each record once: records are hundreds of bytes, and
// swapping them inside a sort of millions was most of the time it took to
// load a case.
func orderBy[T any](xs []T, order func(a, b *T) int) {
	from := make([]int32, len(xs))
	for i := range from {
		from[i] = int32(i)
	}
	slices.SortFunc(from, func(a, b int32) int { return order(&xs[a], &xs[b]) })
	permute(xs, from)
}

// permute puts at each position p the record that was at from[p], and uses
// from as scratch. It follows each cycle of the permutation, so that no
// second copy of the records is needed.
func permute[T any](xs []T, from []int32) {
	for start := range from {
		if from[start] < 0 || int(from[start]) == start {
			continue
		}
		held := xs[start]
		p := start
		for {
			f := int(from[p])
			from[p] = -1
			if f == start {
				xs[p] = held
				break
			}
			xs[p] = xs[f]
			p = f
		}
	}
}
