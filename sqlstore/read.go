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
	rows, err := s.db.QueryContext(ctx, `SELECT id, file, sha256 FROM sources`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	m := map[int64]filo.Provenance{}
	for rows.Next() {
		var id int64
		var p filo.Provenance
		if err := rows.Scan(&id, &p.File, &p.SHA256); err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		m[id] = p
	}
	return m, rows.Err()
}

// LoadCase reads every stored input record. Transactions are half of a
// case's rows: they load on one connection while everything else loads on
// another, where the store has a pool for bulk reads.
func (s *Store) LoadCase(ctx context.Context) (*filo.Case, error) {
	pv, err := s.provs(ctx)
	if err != nil {
		return nil, err
	}
	c := &filo.Case{}
	db := s.reader()
	// Counting first sizes each slice once: growing a slice of ten million
	// records by appending copies it again and again.
	for _, n := range []struct {
		table string
		grow  func(int)
	}{
		{"parties", func(n int) { c.Parties = make([]filo.Party, 0, n) }},
		{"transactions", func(n int) { c.Transactions = make([]filo.Transaction, 0, n) }},
		{"sessions", func(n int) { c.Sessions = make([]filo.Session, 0, n) }},
		{"subscribers", func(n int) { c.Subscribers = make([]filo.Subscriber, 0, n) }},
	} {
		var rows int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+n.table).Scan(&rows); err != nil {
			return nil, fmt.Errorf("load %s: %w", n.table, err)
		}
		n.grow(rows)
	}
	groups := [][]func(context.Context, *loader) error{
		{loadTransactions},
		{loadParties, loadAccounts, loadPlatformAccounts, loadSessions, loadSubscribers, loadMessages, loadWatchlist},
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
			l := &loader{s: s, db: db, c: c, provs: pv, intern: map[string]string{}}
			for _, load := range g {
				if err := load(gctx, l); err != nil {
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(gctx); err != nil {
		return nil, err
	}
	return c, nil
}

// loader is one goroutine's share of LoadCase: each fills its own slices of
// the case, with its own scratch values.
type loader struct {
	s      *Store
	db     *sql.DB
	c      *filo.Case
	provs  map[int64]filo.Provenance
	intern map[string]string

	sid   int64
	line  int
	attrs sql.NullString
	ts    string
	ts2   string
}

// in interns a value that repeats across rows (ids, countries, channels),
// so that ten million transactions keep each as one string.
func (l *loader) in(v string) string {
	if w, ok := l.intern[v]; ok {
		return w
	}
	l.intern[v] = v
	return v
}

// prov is the provenance of the row just scanned.
func (l *loader) prov() filo.Provenance {
	p := l.provs[l.sid]
	p.Line = l.line
	return p
}

func (l *loader) each(ctx context.Context, what, q string, scan func(*sql.Rows) error) error {
	return l.s.queryOn(ctx, l.db, "load "+what, q, nil, scan)
}

func loadParties(ctx context.Context, l *loader) error {
	return l.each(ctx, "parties", `SELECT source_id, line, id, kind, full_name, birth_date, country, city, address, phone, email, id_number, institution, merchant_category, attrs FROM parties ORDER BY id`,
		func(r *sql.Rows) error {
			var p filo.Party
			if err := r.Scan(&l.sid, &l.line, &p.ID, &p.Kind, &p.FullName, &p.BirthDate, &p.Country, &p.City, &p.Address, &p.Phone,
				&p.Email, &p.IDNumber, &p.Institution, &p.MerchantCategory, &l.attrs); err != nil {
				return err
			}
			p.Kind, p.Country, p.Institution, p.MerchantCategory = l.in(p.Kind), l.in(p.Country), l.in(p.Institution), l.in(p.MerchantCategory)
			p.Prov, p.Attrs = l.prov(), parseAttrs(l.attrs)
			l.c.Parties = append(l.c.Parties, p)
			return nil
		})
}

func loadAccounts(ctx context.Context, l *loader) error {
	return l.each(ctx, "accounts", `SELECT source_id, line, id, party_id, institution, kind, currency, iban, opened_at, attrs FROM accounts ORDER BY id`,
		func(r *sql.Rows) error {
			var a filo.Account
			if err := r.Scan(&l.sid, &l.line, &a.ID, &a.PartyID, &a.Institution, &a.Kind, &a.Currency, &a.IBAN, &a.OpenedAt, &l.attrs); err != nil {
				return err
			}
			a.PartyID = l.in(a.PartyID)
			a.Prov, a.Attrs = l.prov(), parseAttrs(l.attrs)
			l.c.Accounts = append(l.c.Accounts, a)
			return nil
		})
}

func loadTransactions(ctx context.Context, l *loader) error {
	c := l.c
	err := l.each(ctx, "transactions", `SELECT source_id, line, id, ts, amount, amount_text, currency, amount_usd, sender_party_id, sender_account_id, receiver_party_id, receiver_account_id, sender_country, receiver_country, channel, institution, reference, control_number, attrs FROM transactions`,
		func(r *sql.Rows) error {
			var t filo.Transaction
			if err := r.Scan(&l.sid, &l.line, &t.ID, &l.ts, &t.Amount, &t.AmountText, &t.Currency, &t.AmountUSD, &t.SenderPartyID,
				&t.SenderAccountID, &t.ReceiverPartyID, &t.ReceiverAccountID, &t.SenderCountry, &t.ReceiverCountry, &t.Channel,
				&t.Institution, &t.Reference, &t.ControlNumber, &l.attrs); err != nil {
				return err
			}
			var err error
			if t.Time, err = parseTime(l.ts); err != nil {
				return err
			}
			t.SenderPartyID, t.ReceiverPartyID = l.in(t.SenderPartyID), l.in(t.ReceiverPartyID)
			t.SenderAccountID, t.ReceiverAccountID = l.in(t.SenderAccountID), l.in(t.ReceiverAccountID)
			t.Currency, t.Channel, t.Institution = l.in(t.Currency), l.in(t.Channel), l.in(t.Institution)
			t.SenderCountry, t.ReceiverCountry = l.in(t.SenderCountry), l.in(t.ReceiverCountry)
			t.Prov, t.Attrs = l.prov(), parseAttrs(l.attrs)
			c.Transactions = append(c.Transactions, t)
			return nil
		})
	if err != nil {
		return err
	}
	orderByTime(c.Transactions, func(t *filo.Transaction) time.Time { return t.Time },
		func(a, b *filo.Transaction) int { return strings.Compare(a.ID, b.ID) })
	return nil
}

func loadPlatformAccounts(ctx context.Context, l *loader) error {
	return l.each(ctx, "platform accounts", `SELECT source_id, line, platform, account_id, handle, display_name, email, phone, created_at, attrs FROM platform_accounts ORDER BY platform, account_id`,
		func(r *sql.Rows) error {
			var p filo.PlatformAccount
			if err := r.Scan(&l.sid, &l.line, &p.Platform, &p.AccountID, &p.Handle, &p.DisplayName, &p.Email, &p.Phone, &p.CreatedAt, &l.attrs); err != nil {
				return err
			}
			p.Platform = l.in(p.Platform)
			p.Prov, p.Attrs = l.prov(), parseAttrs(l.attrs)
			l.c.PlatformAccounts = append(l.c.PlatformAccounts, p)
			return nil
		})
}

func loadSessions(ctx context.Context, l *loader) error {
	c := l.c
	err := l.each(ctx, "sessions", `SELECT source_id, line, platform, session_id, account_id, peer_account_id, kind, start_ts, end_ts, ip, attrs FROM sessions ORDER BY id`,
		func(r *sql.Rows) error {
			var x filo.Session
			if err := r.Scan(&l.sid, &l.line, &x.Platform, &x.SessionID, &x.AccountID, &x.PeerAccountID, &x.Kind, &l.ts, &l.ts2, &x.IP, &l.attrs); err != nil {
				return err
			}
			var err error
			if x.Start, err = parseTime(l.ts); err != nil {
				return err
			}
			if x.End, err = parseTime(l.ts2); err != nil {
				return err
			}
			x.Platform, x.AccountID, x.PeerAccountID, x.Kind = l.in(x.Platform), l.in(x.AccountID), l.in(x.PeerAccountID), l.in(x.Kind)
			x.Prov, x.Attrs = l.prov(), parseAttrs(l.attrs)
			c.Sessions = append(c.Sessions, x)
			return nil
		})
	if err != nil {
		return err
	}
	orderByTime(c.Sessions, func(x *filo.Session) time.Time { return x.Start }, nil)
	return nil
}

func loadSubscribers(ctx context.Context, l *loader) error {
	return l.each(ctx, "subscribers", `SELECT source_id, line, ip, start_ts, end_ts, isp, subscriber_name, address, phone, email, attrs FROM subscribers ORDER BY id`,
		func(r *sql.Rows) error {
			var x filo.Subscriber
			if err := r.Scan(&l.sid, &l.line, &x.IP, &l.ts, &l.ts2, &x.ISP, &x.SubscriberName, &x.Address, &x.Phone, &x.Email, &l.attrs); err != nil {
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
			l.c.Subscribers = append(l.c.Subscribers, x)
			return nil
		})
}

func loadMessages(ctx context.Context, l *loader) error {
	return l.each(ctx, "messages", `SELECT source_id, line, platform, conversation_id, message_id, ts, sender_account_id, body, attrs FROM messages ORDER BY id`,
		func(r *sql.Rows) error {
			var m filo.Message
			if err := r.Scan(&l.sid, &l.line, &m.Platform, &m.ConversationID, &m.MessageID, &l.ts, &m.SenderAccountID, &m.Text, &l.attrs); err != nil {
				return err
			}
			var err error
			if m.Time, err = parseTime(l.ts); err != nil {
				return err
			}
			m.Prov, m.Attrs = l.prov(), parseAttrs(l.attrs)
			l.c.Messages = append(l.c.Messages, m)
			return nil
		})
}

func loadWatchlist(ctx context.Context, l *loader) error {
	return l.each(ctx, "watchlist", `SELECT source_id, line, kind, value, country, source, note, attrs FROM watchlist ORDER BY id`,
		func(r *sql.Rows) error {
			var w filo.WatchEntry
			if err := r.Scan(&l.sid, &l.line, &w.Kind, &w.Value, &w.Country, &w.Source, &w.Note, &l.attrs); err != nil {
				return err
			}
			w.Prov, w.Attrs = l.prov(), parseAttrs(l.attrs)
			l.c.Watchlist = append(l.c.Watchlist, w)
			return nil
		})
}

// orderByTime sorts records by a time, then by tie (nil: the order they
// came in). It sorts indexes and moves each record once at the end:
// records are hundreds of bytes, and swapping them inside a sort of
// millions was most of the time it took to load a case.
func orderByTime[T any](xs []T, at func(*T) time.Time, tie func(a, b *T) int) {
	type key struct {
		sec  int64
		nsec int32
		i    int32
	}
	keys := make([]key, len(xs))
	for i := range xs {
		t := at(&xs[i])
		keys[i] = key{t.Unix(), int32(t.Nanosecond()), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		switch {
		case a.sec != b.sec:
			return cmp.Compare(a.sec, b.sec)
		case a.nsec != b.nsec:
			return cmp.Compare(a.nsec, b.nsec)
		}
		if tie != nil {
			if c := tie(&xs[a.i], &xs[b.i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.i, b.i)
	})
	// Position p takes the record now at keys[p].i: follow each cycle of
	// the permutation, so that no second copy of the records is needed.
	for start := range keys {
		if keys[start].i < 0 || int(keys[start].i) == start {
			continue
		}
		held := xs[start]
		p := start
		for {
			from := int(keys[p].i)
			keys[p].i = -1
			if from == start {
				xs[p] = held
				break
			}
			xs[p] = xs[from]
			p = from
		}
	}
}
