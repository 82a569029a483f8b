package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/filoproject/filo"
)

// table describes one input table for batched inserts.
type table struct {
	name   string
	kind   string   // what the record is called in messages
	cols   []string // source_id and line first
	idCols []string // the columns that identify a record; none: no conflicts
	rowid  bool     // an integer id counts the rows in the order they were inserted
	// added counts the last columns that migrations added: column blocks
	// written before them lack them, and read them as empty strings, the
	// columns' default.
	added int
}

var (
	tParties = &table{"parties", "party", []string{"source_id", "line", "id", "kind", "full_name", "birth_date", "country",
		"city", "address", "phone", "email", "id_number", "institution", "merchant_category", "attrs", "phone_e164", "phone_nsn"},
		[]string{"id"}, false, 2}
	tAccounts = &table{"accounts", "account", []string{"source_id", "line", "id", "party_id", "institution", "kind",
		"currency", "iban", "opened_at", "attrs"}, []string{"id"}, false, 0}
	tTransactions = &table{"transactions", "transaction", []string{"source_id", "line", "id", "ts", "amount", "amount_text",
		"currency", "amount_usd", "sender_party_id", "sender_account_id", "receiver_party_id", "receiver_account_id",
		"sender_country", "receiver_country", "channel", "institution", "reference", "control_number", "attrs"}, []string{"id"}, false, 0}
	tPlatformAccounts = &table{"platform_accounts", "platform account", []string{"source_id", "line", "platform", "account_id",
		"handle", "display_name", "email", "phone", "created_at", "attrs", "phone_e164"}, []string{"platform", "account_id"}, false, 1}
	tSessions = &table{"sessions", "session", []string{"source_id", "line", "platform", "session_id", "account_id",
		"peer_account_id", "kind", "start_ts", "end_ts", "ip", "attrs"}, []string{"platform", "session_id"}, true, 0}
	tSubscribers = &table{"subscribers", "subscriber record", []string{"source_id", "line", "ip", "start_ts", "end_ts", "isp",
		"subscriber_name", "address", "phone", "email", "attrs", "phone_e164"}, nil, true, 1}
	tMessages = &table{"messages", "message", []string{"source_id", "line", "platform", "conversation_id", "message_id", "ts",
		"sender_account_id", "body", "attrs"}, []string{"platform", "message_id"}, true, 0}
	tWatchlist = &table{"watchlist", "watchlist entry", []string{"source_id", "line", "kind", "value", "country", "source",
		"note", "attrs"}, nil, true, 0}
	tFXRates = &table{"fx_rates", "rate", []string{"source_id", "line", "day", "currency", "usd_rate"}, nil, true, 0}

	inputTables = []*table{tParties, tAccounts, tTransactions, tPlatformAccounts, tSessions, tSubscribers,
		tMessages, tWatchlist, tFXRates}
)

// pending is one table's rows waiting to be inserted.
type pending struct {
	t     *table
	rows  [][]any
	provs []filo.Provenance
	ids   []string
	full  *sql.Stmt // prepared for a full batch

	blk    blockWriter // inserted rows not yet in a column block
	blkSID int64       // their source: a block holds one source's rows
}

// ingestTx is filo.IngestTx over one SQL transaction. Rows are inserted in
// batches (one INSERT of many rows costs little more than one of one row);
// a batch that fails is replayed row by row to name the row at fault.
type ingestTx struct {
	s       *Store
	tx      *sql.Tx
	pend    map[*table]*pending
	sources map[string]int64
	rows    map[int64]int
	// blocked counts the rows written into column blocks, by source, apart
	// from rows: a source whose counts differ is read row by row, so a
	// path that ever inserted rows without their blocks would cost a scan
	// speed, never records.
	blocked map[int64]int
}

var _ filo.IngestTx = (*ingestTx)(nil)

// Ingest runs fn in one transaction: fn's error rolls everything back.
func (s *Store) Ingest(ctx context.Context, fn func(ctx context.Context, tx filo.IngestTx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("ingest: begin: %w", err)
	}
	it := &ingestTx{s: s, tx: tx, pend: map[*table]*pending{}, sources: map[string]int64{}, rows: map[int64]int{}, blocked: map[int64]int{}}
	err = fn(ctx, it)
	if err == nil {
		err = it.flushAll(ctx)
	}
	if err == nil {
		err = it.countRows(ctx)
	}
	for _, p := range it.pend {
		if p.full != nil {
			p.full.Close()
		}
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("ingest: commit: %w", err)
	}
	return nil
}

func (it *ingestTx) countRows(ctx context.Context) error {
	for id, n := range it.rows {
		if _, err := it.tx.ExecContext(ctx, it.s.Rebind(`UPDATE sources SET rows = rows + ?, block_rows = block_rows + ? WHERE id = ?`),
			n, it.blocked[id], id); err != nil {
			return fmt.Errorf("ingest: count rows: %w", err)
		}
	}
	return nil
}

func (it *ingestTx) SourceState(ctx context.Context, key string) (string, bool, error) {
	var sha string
	err := it.tx.QueryRowContext(ctx, it.s.Rebind(`SELECT sha256 FROM sources WHERE key = ?`), key).Scan(&sha)
	if isNoRows(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("source %s: %w", key, err)
	}
	return sha, true, nil
}

func (it *ingestTx) ReplaceSource(ctx context.Context, src filo.Source) error {
	if err := it.flushAll(ctx); err != nil {
		return err
	}
	at := src.IngestedAt
	if at.IsZero() {
		at = it.s.Now()
	}
	var id int64
	err := it.tx.QueryRowContext(ctx, it.s.Rebind(`SELECT id FROM sources WHERE key = ?`), src.Key).Scan(&id)
	switch {
	case isNoRows(err):
		err = it.tx.QueryRowContext(ctx, it.s.Rebind(`INSERT INTO sources (key, file, sha256, rows, ingested_at) VALUES (?, ?, ?, 0, ?) RETURNING id`),
			src.Key, src.File, src.SHA256, at.UTC().Format(time.RFC3339Nano)).Scan(&id)
		if err != nil {
			return fmt.Errorf("source %s: %w", src.Key, err)
		}
	case err != nil:
		return fmt.Errorf("source %s: %w", src.Key, err)
	default:
		for _, t := range inputTables {
			if _, err := it.tx.ExecContext(ctx, it.s.Rebind(`DELETE FROM `+t.name+` WHERE source_id = ?`), id); err != nil {
				return fmt.Errorf("source %s: forget %s: %w", src.Key, t.name, err)
			}
		}
		if _, err := it.tx.ExecContext(ctx, it.s.Rebind(`DELETE FROM case_blocks WHERE source_id = ?`), id); err != nil {
			return fmt.Errorf("source %s: forget its column blocks: %w", src.Key, err)
		}
		_, err = it.tx.ExecContext(ctx, it.s.Rebind(`UPDATE sources SET file = ?, sha256 = ?, rows = 0, block_rows = 0, ingested_at = ? WHERE id = ?`),
			src.File, src.SHA256, at.UTC().Format(time.RFC3339Nano), id)
		if err != nil {
			return fmt.Errorf("source %s: %w", src.Key, err)
		}
	}
	it.sources[src.Key] = id
	return nil
}

func (it *ingestTx) sourceID(ctx context.Context, key string) (int64, error) {
	if id, ok := it.sources[key]; ok {
		return id, nil
	}
	var id int64
	err := it.tx.QueryRowContext(ctx, it.s.Rebind(`SELECT id FROM sources WHERE key = ?`), key).Scan(&id)
	if isNoRows(err) {
		return 0, fmt.Errorf("source %s: not registered: call ReplaceSource first", key)
	}
	if err != nil {
		return 0, fmt.Errorf("source %s: %w", key, err)
	}
	it.sources[key] = id
	return id, nil
}

// add queues one row; id names the record in a conflict message.
func (it *ingestTx) add(ctx context.Context, t *table, key string, prov filo.Provenance, id string, vals ...any) error {
	sid, err := it.sourceID(ctx, key)
	if err != nil {
		return err
	}
	p := it.pend[t]
	if p == nil {
		p = &pending{t: t}
		it.pend[t] = p
	}
	row := make([]any, 0, len(t.cols))
	row = append(row, sid, prov.Line)
	row = append(row, vals...)
	p.rows = append(p.rows, row)
	p.provs = append(p.provs, prov)
	p.ids = append(p.ids, id)
	it.rows[sid]++
	if len(p.rows) >= it.s.d.Batch {
		return it.flush(ctx, p)
	}
	return nil
}

// Flush writes every buffered row.
func (it *ingestTx) Flush(ctx context.Context) error { return it.flushAll(ctx) }

func (it *ingestTx) flushAll(ctx context.Context) error {
	for _, t := range inputTables {
		if p := it.pend[t]; p != nil {
			if err := it.flush(ctx, p); err != nil {
				return err
			}
			if err := it.writeBlock(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// block adds rows just inserted to the table's column block, writing the
// block when it is full or the rows come from another source.
func (it *ingestTx) block(ctx context.Context, p *pending) error {
	for _, row := range p.rows {
		sid := row[0].(int64)
		if p.blk.rows > 0 && sid != p.blkSID {
			if err := it.writeBlock(ctx, p); err != nil {
				return err
			}
		}
		if p.blk.rows == 0 {
			p.blk.reset(len(p.t.cols))
			p.blkSID = sid
		}
		if err := p.blk.add(row); err != nil {
			return fmt.Errorf("ingest %s: %w", p.t.name, err)
		}
		if p.blk.rows >= blockRowsMax {
			if err := it.writeBlock(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeBlock stores the table's pending column block.
func (it *ingestTx) writeBlock(ctx context.Context, p *pending) error {
	if p.blk.rows == 0 {
		return nil
	}
	if _, err := it.tx.ExecContext(ctx, it.s.Rebind(`INSERT INTO case_blocks (source_id, tbl, rows, data) VALUES (?, ?, ?, ?)`),
		p.blkSID, p.t.name, p.blk.rows, p.blk.bytes()); err != nil {
		return fmt.Errorf("ingest %s: column block: %w", p.t.name, err)
	}
	it.blocked[p.blkSID] += p.blk.rows
	p.blk.reset(len(p.t.cols))
	return nil
}

func (it *ingestTx) insertSQL(t *table, n int) string { return it.s.insertSQL(t.name, t.cols, n) }

func (it *ingestTx) flush(ctx context.Context, p *pending) error {
	n := len(p.rows)
	if n == 0 {
		return nil
	}
	args := make([]any, 0, n*len(p.t.cols))
	for _, r := range p.rows {
		args = append(args, r...)
	}
	if _, err := it.tx.ExecContext(ctx, "SAVEPOINT batch"); err != nil {
		return fmt.Errorf("ingest %s: %w", p.t.name, err)
	}
	var err error
	if n == it.s.d.Batch {
		if p.full == nil {
			if p.full, err = it.tx.PrepareContext(ctx, it.insertSQL(p.t, n)); err != nil {
				return fmt.Errorf("ingest %s: prepare: %w", p.t.name, err)
			}
		}
		_, err = p.full.ExecContext(ctx, args...)
	} else {
		_, err = it.tx.ExecContext(ctx, it.insertSQL(p.t, n), args...)
	}
	if err != nil {
		if _, rerr := it.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT batch"); rerr != nil {
			return fmt.Errorf("ingest %s: %w (and rollback: %v)", p.t.name, err, rerr)
		}
		return it.blame(ctx, p, err)
	}
	if _, err := it.tx.ExecContext(ctx, "RELEASE SAVEPOINT batch"); err != nil {
		return fmt.Errorf("ingest %s: %w", p.t.name, err)
	}
	if err := it.block(ctx, p); err != nil {
		return err
	}
	p.rows, p.provs, p.ids = p.rows[:0], p.provs[:0], p.ids[:0]
	return nil
}

// blame replays a failed batch row by row and names the row at fault: a
// record whose id is held already becomes an input error at its line.
func (it *ingestTx) blame(ctx context.Context, p *pending, batchErr error) error {
	one := it.insertSQL(p.t, 1)
	for i, row := range p.rows {
		if _, err := it.tx.ExecContext(ctx, "SAVEPOINT row"); err != nil {
			return fmt.Errorf("ingest %s: %w", p.t.name, err)
		}
		_, err := it.tx.ExecContext(ctx, one, row...)
		if err == nil {
			if _, err := it.tx.ExecContext(ctx, "RELEASE SAVEPOINT row"); err != nil {
				return fmt.Errorf("ingest %s: %w", p.t.name, err)
			}
			continue
		}
		if _, rerr := it.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT row"); rerr != nil {
			return fmt.Errorf("ingest %s: %w (and rollback: %v)", p.t.name, err, rerr)
		}
		prov := p.provs[i]
		if holder, line, ok := it.holder(ctx, p.t, row); ok {
			return &filo.InputError{File: prov.File, Line: prov.Line, Field: strings.Join(p.t.idCols, "+"), Value: p.ids[i],
				Want: fmt.Sprintf("a unique id (%s %s is already held by %s line %d)", p.t.kind, p.ids[i], holder, line)}
		}
		return fmt.Errorf("ingest %s line %d: %w", prov.File, prov.Line, err)
	}
	return fmt.Errorf("ingest %s: %w", p.t.name, batchErr)
}

// holder finds which stored row holds the identity of row.
func (it *ingestTx) holder(ctx context.Context, t *table, row []any) (string, int, bool) {
	if len(t.idCols) == 0 {
		return "", 0, false
	}
	var where []string
	var args []any
	for _, c := range t.idCols {
		for i, tc := range t.cols {
			if tc == c {
				where = append(where, "t."+c+" = ?")
				args = append(args, row[i])
			}
		}
	}
	var key string
	var line int
	err := it.tx.QueryRowContext(ctx, it.s.Rebind(`SELECT s.key, t.line FROM `+t.name+` t JOIN sources s ON s.id = t.source_id WHERE `+
		strings.Join(where, " AND ")), args...).Scan(&key, &line)
	if err != nil {
		return "", 0, false
	}
	return key, line, true
}

func (it *ingestTx) PutParty(ctx context.Context, key string, p *filo.Party) error {
	return it.add(ctx, tParties, key, p.Prov, p.ID, p.ID, p.Kind, p.FullName, p.BirthDate, p.Country, p.City, p.Address,
		p.Phone, p.Email, p.IDNumber, p.Institution, p.MerchantCategory, attrsJSON(p.Attrs), p.PhoneE164, p.PhoneNSN)
}

func (it *ingestTx) PutAccount(ctx context.Context, key string, a *filo.Account) error {
	return it.add(ctx, tAccounts, key, a.Prov, a.ID, a.ID, a.PartyID, a.Institution, a.Kind, a.Currency, a.IBAN, a.OpenedAt,
		attrsJSON(a.Attrs))
}

func (it *ingestTx) PutTransaction(ctx context.Context, key string, t *filo.Transaction) error {
	return it.add(ctx, tTransactions, key, t.Prov, t.ID, t.ID, fmtTime(t.Time), t.Amount, t.AmountText, t.Currency, t.AmountUSD,
		t.SenderPartyID, t.SenderAccountID, t.ReceiverPartyID, t.ReceiverAccountID, t.SenderCountry, t.ReceiverCountry,
		t.Channel, t.Institution, t.Reference, t.ControlNumber, attrsJSON(t.Attrs))
}

func (it *ingestTx) PutPlatformAccount(ctx context.Context, key string, p *filo.PlatformAccount) error {
	return it.add(ctx, tPlatformAccounts, key, p.Prov, p.Ref(), p.Platform, p.AccountID, p.Handle, p.DisplayName, p.Email,
		p.Phone, p.CreatedAt, attrsJSON(p.Attrs), p.PhoneE164)
}

func (it *ingestTx) PutSession(ctx context.Context, key string, x *filo.Session) error {
	return it.add(ctx, tSessions, key, x.Prov, x.SessionID, x.Platform, x.SessionID, x.AccountID, x.PeerAccountID, x.Kind,
		fmtTime(x.Start), fmtTime(x.End), x.IP, attrsJSON(x.Attrs))
}

func (it *ingestTx) PutSubscriber(ctx context.Context, key string, x *filo.Subscriber) error {
	return it.add(ctx, tSubscribers, key, x.Prov, x.IP, x.IP, fmtTime(x.Start), fmtTime(x.End), x.ISP, x.SubscriberName,
		x.Address, x.Phone, x.Email, attrsJSON(x.Attrs), x.PhoneE164)
}

func (it *ingestTx) PutMessage(ctx context.Context, key string, m *filo.Message) error {
	return it.add(ctx, tMessages, key, m.Prov, m.MessageID, m.Platform, m.ConversationID, m.MessageID, fmtTime(m.Time),
		m.SenderAccountID, m.Text, attrsJSON(m.Attrs))
}

func (it *ingestTx) PutWatchEntry(ctx context.Context, key string, w *filo.WatchEntry) error {
	return it.add(ctx, tWatchlist, key, w.Prov, w.Value, w.Kind, w.Value, w.Country, w.Source, w.Note, attrsJSON(w.Attrs))
}

func (it *ingestTx) PutFXRate(ctx context.Context, key string, r *filo.FXRate) error {
	return it.add(ctx, tFXRates, key, r.Prov, r.Date, r.Date, r.Currency, r.USDRate)
}

func (it *ingestTx) FXRates(ctx context.Context) ([]filo.FXRate, error) {
	if p := it.pend[tFXRates]; p != nil {
		if err := it.flush(ctx, p); err != nil {
			return nil, err
		}
	}
	return queryFXRates(ctx, it.tx, it.s)
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func queryFXRates(ctx context.Context, q querier, s *Store) ([]filo.FXRate, error) {
	rows, err := q.QueryContext(ctx, `SELECT f.day, f.currency, f.usd_rate, s.file, f.line FROM fx_rates f JOIN sources s ON s.id = f.source_id ORDER BY f.day, f.id`)
	if err != nil {
		return nil, fmt.Errorf("fx rates: %w", err)
	}
	defer rows.Close()
	var out []filo.FXRate
	for rows.Next() {
		var r filo.FXRate
		if err := rows.Scan(&r.Date, &r.Currency, &r.USDRate, &r.Prov.File, &r.Prov.Line); err != nil {
			return nil, fmt.Errorf("fx rates: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
