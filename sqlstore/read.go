package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
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

// each runs one query without arguments and calls scan for every row.
func (s *Store) each(ctx context.Context, what, q string, scan func(*sql.Rows) error) error {
	return s.queryEach(ctx, "load "+what, q, nil, scan)
}

// LoadCase reads every stored input record.
func (s *Store) LoadCase(ctx context.Context) (*filo.Case, error) {
	pv, err := s.provs(ctx)
	if err != nil {
		return nil, err
	}
	prov := func(id int64, line int) filo.Provenance {
		p := pv[id]
		p.Line = line
		return p
	}
	c := &filo.Case{}
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
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+n.table).Scan(&rows); err != nil {
			return nil, fmt.Errorf("load %s: %w", n.table, err)
		}
		n.grow(rows)
	}
	var sid int64
	var line int
	var attrs sql.NullString
	// Interning ids keeps 10M transactions' repeated party ids as one
	// string each.
	intern := map[string]string{}
	in := func(v string) string {
		if w, ok := intern[v]; ok {
			return w
		}
		intern[v] = v
		return v
	}

	err = s.each(ctx, "parties", `SELECT source_id, line, id, kind, full_name, birth_date, country, city, address, phone, email, id_number, institution, merchant_category, attrs FROM parties ORDER BY id`,
		func(r *sql.Rows) error {
			var p filo.Party
			if err := r.Scan(&sid, &line, &p.ID, &p.Kind, &p.FullName, &p.BirthDate, &p.Country, &p.City, &p.Address, &p.Phone,
				&p.Email, &p.IDNumber, &p.Institution, &p.MerchantCategory, &attrs); err != nil {
				return err
			}
			p.ID = in(p.ID)
			p.Prov, p.Attrs = prov(sid, line), parseAttrs(attrs)
			c.Parties = append(c.Parties, p)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, "accounts", `SELECT source_id, line, id, party_id, institution, kind, currency, iban, opened_at, attrs FROM accounts ORDER BY id`,
		func(r *sql.Rows) error {
			var a filo.Account
			if err := r.Scan(&sid, &line, &a.ID, &a.PartyID, &a.Institution, &a.Kind, &a.Currency, &a.IBAN, &a.OpenedAt, &attrs); err != nil {
				return err
			}
			a.PartyID = in(a.PartyID)
			a.Prov, a.Attrs = prov(sid, line), parseAttrs(attrs)
			c.Accounts = append(c.Accounts, a)
			return nil
		})
	if err != nil {
		return nil, err
	}
	var ts, ts2 string
	err = s.each(ctx, "transactions", `SELECT source_id, line, id, ts, amount, amount_text, currency, amount_usd, sender_party_id, sender_account_id, receiver_party_id, receiver_account_id, sender_country, receiver_country, channel, institution, reference, control_number, attrs FROM transactions`,
		func(r *sql.Rows) error {
			var t filo.Transaction
			if err := r.Scan(&sid, &line, &t.ID, &ts, &t.Amount, &t.AmountText, &t.Currency, &t.AmountUSD, &t.SenderPartyID,
				&t.SenderAccountID, &t.ReceiverPartyID, &t.ReceiverAccountID, &t.SenderCountry, &t.ReceiverCountry, &t.Channel,
				&t.Institution, &t.Reference, &t.ControlNumber, &attrs); err != nil {
				return err
			}
			var err error
			if t.Time, err = parseTime(ts); err != nil {
				return err
			}
			t.SenderPartyID, t.ReceiverPartyID = in(t.SenderPartyID), in(t.ReceiverPartyID)
			t.SenderAccountID, t.ReceiverAccountID = in(t.SenderAccountID), in(t.ReceiverAccountID)
			t.Currency, t.Channel, t.Institution = in(t.Currency), in(t.Channel), in(t.Institution)
			t.SenderCountry, t.ReceiverCountry = in(t.SenderCountry), in(t.ReceiverCountry)
			t.Prov, t.Attrs = prov(sid, line), parseAttrs(attrs)
			c.Transactions = append(c.Transactions, t)
			return nil
		})
	if err != nil {
		return nil, err
	}
	orderByTime(c.Transactions, func(t *filo.Transaction) time.Time { return t.Time },
		func(a, b *filo.Transaction) int { return strings.Compare(a.ID, b.ID) })
	err = s.each(ctx, "platform accounts", `SELECT source_id, line, platform, account_id, handle, display_name, email, phone, created_at, attrs FROM platform_accounts ORDER BY platform, account_id`,
		func(r *sql.Rows) error {
			var p filo.PlatformAccount
			if err := r.Scan(&sid, &line, &p.Platform, &p.AccountID, &p.Handle, &p.DisplayName, &p.Email, &p.Phone, &p.CreatedAt, &attrs); err != nil {
				return err
			}
			p.Prov, p.Attrs = prov(sid, line), parseAttrs(attrs)
			c.PlatformAccounts = append(c.PlatformAccounts, p)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, "sessions", `SELECT source_id, line, platform, session_id, account_id, peer_account_id, kind, start_ts, end_ts, ip, attrs FROM sessions ORDER BY id`,
		func(r *sql.Rows) error {
			var x filo.Session
			if err := r.Scan(&sid, &line, &x.Platform, &x.SessionID, &x.AccountID, &x.PeerAccountID, &x.Kind, &ts, &ts2, &x.IP, &attrs); err != nil {
				return err
			}
			var err error
			if x.Start, err = parseTime(ts); err != nil {
				return err
			}
			if x.End, err = parseTime(ts2); err != nil {
				return err
			}
			x.Platform, x.AccountID, x.PeerAccountID, x.Kind = in(x.Platform), in(x.AccountID), in(x.PeerAccountID), in(x.Kind)
			x.Prov, x.Attrs = prov(sid, line), parseAttrs(attrs)
			c.Sessions = append(c.Sessions, x)
			return nil
		})
	if err != nil {
		return nil, err
	}
	orderByTime(c.Sessions, func(x *filo.Session) time.Time { return x.Start }, nil)
	err = s.each(ctx, "subscribers", `SELECT source_id, line, ip, start_ts, end_ts, isp, subscriber_name, address, phone, email, attrs FROM subscribers ORDER BY id`,
		func(r *sql.Rows) error {
			var x filo.Subscriber
			if err := r.Scan(&sid, &line, &x.IP, &ts, &ts2, &x.ISP, &x.SubscriberName, &x.Address, &x.Phone, &x.Email, &attrs); err != nil {
				return err
			}
			var err error
			if x.Start, err = parseTime(ts); err != nil {
				return err
			}
			if x.End, err = parseTime(ts2); err != nil {
				return err
			}
			x.Prov, x.Attrs = prov(sid, line), parseAttrs(attrs)
			c.Subscribers = append(c.Subscribers, x)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, "messages", `SELECT source_id, line, platform, conversation_id, message_id, ts, sender_account_id, body, attrs FROM messages ORDER BY id`,
		func(r *sql.Rows) error {
			var m filo.Message
			if err := r.Scan(&sid, &line, &m.Platform, &m.ConversationID, &m.MessageID, &ts, &m.SenderAccountID, &m.Text, &attrs); err != nil {
				return err
			}
			var err error
			if m.Time, err = parseTime(ts); err != nil {
				return err
			}
			m.Prov, m.Attrs = prov(sid, line), parseAttrs(attrs)
			c.Messages = append(c.Messages, m)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, "watchlist", `SELECT source_id, line, kind, value, country, source, note, attrs FROM watchlist ORDER BY id`,
		func(r *sql.Rows) error {
			var w filo.WatchEntry
			if err := r.Scan(&sid, &line, &w.Kind, &w.Value, &w.Country, &w.Source, &w.Note, &attrs); err != nil {
				return err
			}
			w.Prov, w.Attrs = prov(sid, line), parseAttrs(attrs)
			c.Watchlist = append(c.Watchlist, w)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return c, nil
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
