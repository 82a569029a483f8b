package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/filoproject/filo"
)

var _ filo.PersonReader = (*Store)(nil)

// inChunk bounds the bind parameters of one IN list: SQLite's limit is
// 32766 and PostgreSQL's 65535; small chunks also keep plans simple.
const inChunk = 500

// inList calls fn with each chunk of ids and the placeholders for it.
func inList(ids []string, fn func(marks string, args []any) error) error {
	for len(ids) > 0 {
		n := min(len(ids), inChunk)
		args := make([]any, n)
		for i := range args {
			args[i] = ids[i]
		}
		if err := fn(strings.TrimSuffix(strings.Repeat("?, ", n), ", "), args); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// queryEach runs a rebound query with args and calls scan on every row.
func (s *Store) queryEach(ctx context.Context, what, q string, args []any, scan func(*sql.Rows) error) error {
	return s.queryOn(ctx, s.db, what, q, args, scan)
}

// queryOn is queryEach on a given pool (the bulk-read one, for LoadCase).
func (s *Store) queryOn(ctx context.Context, db *sql.DB, what, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Parties returns the parties with the given ids.
func (s *Store) Parties(ctx context.Context, ids []string) ([]filo.Party, error) {
	pv, err := s.provs(ctx)
	if err != nil {
		return nil, err
	}
	var out []filo.Party
	err = inList(ids, func(marks string, args []any) error {
		return s.queryEach(ctx, "parties", `SELECT source_id, line, id, kind, full_name, birth_date, country, city, address, phone, email, id_number, institution, merchant_category FROM parties WHERE id IN (`+marks+`) ORDER BY id`, args,
			func(r *sql.Rows) error {
				var p filo.Party
				var sid int64
				if err := r.Scan(&sid, &p.Prov.Line, &p.ID, &p.Kind, &p.FullName, &p.BirthDate, &p.Country, &p.City, &p.Address, &p.Phone,
					&p.Email, &p.IDNumber, &p.Institution, &p.MerchantCategory); err != nil {
					return err
				}
				line := p.Prov.Line
				p.Prov = pv[sid]
				p.Prov.Line = line
				out = append(out, p)
				return nil
			})
	})
	return out, err
}

// AccountsOf returns the accounts the parties hold.
func (s *Store) AccountsOf(ctx context.Context, partyIDs []string) ([]filo.Account, error) {
	pv, err := s.provs(ctx)
	if err != nil {
		return nil, err
	}
	var out []filo.Account
	err = inList(partyIDs, func(marks string, args []any) error {
		return s.queryEach(ctx, "accounts", `SELECT source_id, line, id, party_id, institution, kind, currency, iban, opened_at FROM accounts WHERE party_id IN (`+marks+`) ORDER BY id`, args,
			func(r *sql.Rows) error {
				var a filo.Account
				var sid int64
				var line int
				if err := r.Scan(&sid, &line, &a.ID, &a.PartyID, &a.Institution, &a.Kind, &a.Currency, &a.IBAN, &a.OpenedAt); err != nil {
					return err
				}
				a.Prov = pv[sid]
				a.Prov.Line = line
				out = append(out, a)
				return nil
			})
	})
	return out, err
}

// TransactionsOf returns up to limit transactions the parties sent or
// received, newest first.
func (s *Store) TransactionsOf(ctx context.Context, partyIDs []string, limit int) ([]filo.Transaction, error) {
	pv, err := s.provs(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 5000
	}
	var out []filo.Transaction
	err = inList(partyIDs, func(marks string, args []any) error {
		args = append(args, args...)
		return s.queryEach(ctx, "transactions", `SELECT source_id, line, id, ts, amount, amount_text, currency, amount_usd, sender_party_id, sender_account_id, receiver_party_id, receiver_account_id, sender_country, receiver_country, channel, institution, reference, control_number
			FROM transactions WHERE sender_party_id IN (`+marks+`) OR receiver_party_id IN (`+marks+`) ORDER BY ts DESC, id LIMIT `+strconv.Itoa(limit), args,
			func(r *sql.Rows) error {
				var t filo.Transaction
				var sid int64
				var line int
				var ts string
				if err := r.Scan(&sid, &line, &t.ID, &ts, &t.Amount, &t.AmountText, &t.Currency, &t.AmountUSD, &t.SenderPartyID,
					&t.SenderAccountID, &t.ReceiverPartyID, &t.ReceiverAccountID, &t.SenderCountry, &t.ReceiverCountry, &t.Channel,
					&t.Institution, &t.Reference, &t.ControlNumber); err != nil {
					return err
				}
				var err error
				if t.Time, err = parseTime(ts); err != nil {
					return err
				}
				t.Prov = pv[sid]
				t.Prov.Line = line
				out = append(out, t)
				return nil
			})
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// splitRefs turns "platform:account_id" references into pairs, dropping
// malformed ones.
func splitRefs(refs []string) (platforms, ids []string) {
	for _, r := range refs {
		p, id, ok := strings.Cut(r, ":")
		if ok {
			platforms, ids = append(platforms, p), append(ids, id)
		}
	}
	return platforms, ids
}

// PlatformAccountsByRef returns the platform accounts named
// "platform:account_id".
func (s *Store) PlatformAccountsByRef(ctx context.Context, refs []string) ([]filo.PlatformAccount, error) {
	pv, err := s.provs(ctx)
	if err != nil {
		return nil, err
	}
	platforms, ids := splitRefs(refs)
	var out []filo.PlatformAccount
	for i := range ids {
		err := s.queryEach(ctx, "platform accounts", `SELECT source_id, line, platform, account_id, handle, display_name, email, phone, created_at FROM platform_accounts WHERE platform = ? AND account_id = ?`,
			[]any{platforms[i], ids[i]}, func(r *sql.Rows) error {
				var p filo.PlatformAccount
				var sid int64
				var line int
				if err := r.Scan(&sid, &line, &p.Platform, &p.AccountID, &p.Handle, &p.DisplayName, &p.Email, &p.Phone, &p.CreatedAt); err != nil {
					return err
				}
				p.Prov = pv[sid]
				p.Prov.Line = line
				out = append(out, p)
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SessionsOf returns up to limit sessions of the platform accounts, oldest
// first.
func (s *Store) SessionsOf(ctx context.Context, refs []string, limit int) ([]filo.Session, error) {
	pv, err := s.provs(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 5000
	}
	platforms, ids := splitRefs(refs)
	var out []filo.Session
	for i := range ids {
		err := s.queryEach(ctx, "sessions", `SELECT source_id, line, platform, session_id, account_id, peer_account_id, kind, start_ts, end_ts, ip FROM sessions WHERE platform = ? AND account_id = ? ORDER BY start_ts LIMIT `+strconv.Itoa(limit),
			[]any{platforms[i], ids[i]}, func(r *sql.Rows) error {
				var x filo.Session
				var sid int64
				var line int
				var start, end string
				if err := r.Scan(&sid, &line, &x.Platform, &x.SessionID, &x.AccountID, &x.PeerAccountID, &x.Kind, &start, &end, &x.IP); err != nil {
					return err
				}
				var err error
				if x.Start, err = parseTime(start); err != nil {
					return err
				}
				if x.End, err = parseTime(end); err != nil {
					return err
				}
				x.Prov = pv[sid]
				x.Prov.Line = line
				out = append(out, x)
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// EntitiesOf maps party ids to their entity.
func (s *Store) EntitiesOf(ctx context.Context, partyIDs []string) (map[string]string, error) {
	out := map[string]string{}
	err := inList(partyIDs, func(marks string, args []any) error {
		return s.queryEach(ctx, "entities", `SELECT record_id, entity_id FROM entities WHERE record_type = 'party' AND record_id IN (`+marks+`)`, args,
			func(r *sql.Rows) error {
				var p, e string
				if err := r.Scan(&p, &e); err != nil {
					return err
				}
				out[p] = e
				return nil
			})
	})
	return out, err
}

// LeadsOf returns the queue rows of the leads covering the entities.
func (s *Store) LeadsOf(ctx context.Context, entityIDs []string) ([]filo.LeadRow, error) {
	var out []filo.LeadRow
	seen := map[string]bool{}
	err := inList(entityIDs, func(marks string, args []any) error {
		return s.queryEach(ctx, "leads", `SELECT l.id, l.role, l.rank, l.score, l.name, l.country, l.codes, l.entity_ids,
			l.status, l.assignee, l.unit, l.case_id
			FROM lead_entities e JOIN leads l ON l.id = e.lead_id
			WHERE e.entity_id IN (`+marks+`) ORDER BY l.score DESC, l.id`, args,
			func(r *sql.Rows) error {
				var x filo.LeadRow
				var codes, ents string
				if err := r.Scan(&x.ID, &x.Role, &x.Rank, &x.Score, &x.Name, &x.Country, &codes, &ents,
					&x.Status, &x.Assignee, &x.Unit, &x.CaseID); err != nil {
					return err
				}
				if seen[x.ID] {
					return nil
				}
				seen[x.ID] = true
				x.Indicators, x.EntityIDs = strings.Fields(codes), strings.Fields(ents)
				out = append(out, x)
				return nil
			})
	})
	return out, err
}

// Flows aggregates the payments to and from an entity per ordered pair of
// entities.
func (s *Store) Flows(ctx context.Context, entityID string) ([]filo.PairFlow, error) {
	var out []filo.PairFlow
	err := s.queryEach(ctx, "flows", `SELECT es.entity_id, er.entity_id, COUNT(*), SUM(t.amount_usd), MIN(t.ts), MAX(t.ts)
		FROM transactions t
		JOIN entities es ON es.record_type = 'party' AND es.record_id = t.sender_party_id
		JOIN entities er ON er.record_type = 'party' AND er.record_id = t.receiver_party_id
		WHERE t.sender_party_id IN (SELECT record_id FROM entities WHERE entity_id = ? AND record_type = 'party')
		   OR t.receiver_party_id IN (SELECT record_id FROM entities WHERE entity_id = ? AND record_type = 'party')
		GROUP BY es.entity_id, er.entity_id`, []any{entityID, entityID},
		func(r *sql.Rows) error {
			var f filo.PairFlow
			var first, last string
			if err := r.Scan(&f.From, &f.To, &f.Count, &f.AmountUSD, &first, &last); err != nil {
				return err
			}
			f.First, _ = parseTime(first)
			f.Last, _ = parseTime(last)
			out = append(out, f)
			return nil
		})
	return out, err
}

// FirstParties maps entities to their least party id.
func (s *Store) FirstParties(ctx context.Context, entityIDs []string) (map[string]string, error) {
	out := map[string]string{}
	err := inList(entityIDs, func(marks string, args []any) error {
		return s.queryEach(ctx, "entities", `SELECT entity_id, MIN(record_id) FROM entities WHERE record_type = 'party' AND entity_id IN (`+marks+`) GROUP BY entity_id`, args,
			func(r *sql.Rows) error {
				var e, p string
				if err := r.Scan(&e, &p); err != nil {
					return err
				}
				out[e] = p
				return nil
			})
	})
	return out, err
}
