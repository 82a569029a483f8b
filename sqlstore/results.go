package sqlstore

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/filoproject/filo"
)

// scanIndexes are the indexes of the tables SaveScan fills in bulk, as the
// migrations made them.
var scanIndexes = []index{
	{"entities_entity", "entities", "entity_id"},
	{"links_a", "links", "a_type, a_id"},
	{"links_b", "links", "b_type, b_id"},
}

type index struct{ name, table, cols string }

func (ix index) create() string {
	return "CREATE INDEX " + ix.name + " ON " + ix.table + " (" + ix.cols + ")"
}

// SaveScan replaces the previous scan's entities, links and leads.
func (s *Store) SaveScan(ctx context.Context, r *filo.ScanResult) error {
	w, err := s.BeginScan(ctx)
	if err != nil {
		return err
	}
	defer w.Rollback()
	return w.Commit(ctx, r)
}

// scanWriter is one scan's results being written. Links go to
// links_staging in short transactions as they come, so that the store's
// other writers (judgements, triage, the audit log) wait for a batch, not
// for the whole scan; Commit moves them into links in the transaction
// that replaces the previous scan's results.
type scanWriter struct {
	s      *Store
	token  string // this scan's rows of links_staging
	staged int    // how many
	done   bool
}

// linkColumns are the columns of a link, in links and links_staging.
var linkColumns = []string{"a_type", "a_id", "b_type", "b_id", "kind", "weight", "prob", "basis", "fields", "source"}

// stagingChunk is how many links one staging transaction writes.
const stagingChunk = 1 << 15

// BeginScan starts a scan's results; the previous scan's stay current
// until Commit.
func (s *Store) BeginScan(ctx context.Context) (filo.ScanWriter, error) {
	var b [12]byte
	rand.Read(b[:])
	w := &scanWriter{s: s, token: hex.EncodeToString(b[:])}
	// Rows of a scan that crashed are dropped here. A scan running at this
	// very moment loses its rows too, and its Commit says so.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM links_staging`); err != nil {
		return nil, fmt.Errorf("save scan: clear staged links: %w", err)
	}
	return w, nil
}

// AddLinks stages links, a chunk to a transaction.
func (w *scanWriter) AddLinks(ctx context.Context, ls []filo.Link) error {
	if w.done {
		return fmt.Errorf("save scan: links added after the scan was committed or rolled back")
	}
	for lo := 0; lo < len(ls); lo += stagingChunk {
		chunk := ls[lo:min(lo+stagingChunk, len(ls))]
		err := w.s.inTx(ctx, func(tx *sql.Tx) error {
			b := w.s.newBatch(tx, "links_staging", append([]string{"token"}, linkColumns...)...)
			defer b.close()
			if err := insertLinks(ctx, b, chunk, w.token); err != nil {
				return err
			}
			return b.flush(ctx)
		})
		if err != nil {
			return fmt.Errorf("save scan: link: %w", err)
		}
		w.staged += len(chunk)
	}
	return nil
}

// insertLinks adds links to b, each row led by the values of lead. A
// link's explanation is hundreds of bytes of JSON, and a large case has
// millions of links: they are encoded on another core, a chunk ahead of
// the inserts.
func insertLinks(ctx context.Context, b *batch, ls []filo.Link, lead ...any) error {
	fields := make(chan []any, 2)
	stop := make(chan struct{})
	defer close(stop)
	go encodeFields(ls, fields, stop)
	row := make([]any, 0, len(lead)+10)
	for lo := 0; lo < len(ls); {
		chunk := <-fields
		for i, f := range chunk {
			l := &ls[lo+i]
			row = append(append(row[:0], lead...), l.A.Type, l.A.ID, l.B.Type, l.B.ID, l.Kind, l.Weight, l.Prob, l.Basis, f, l.Source)
			if err := b.add(ctx, row...); err != nil {
				return err
			}
		}
		lo += len(chunk)
	}
	return nil
}

// Rollback drops the scan's staged links, unless it was committed.
func (w *scanWriter) Rollback() error {
	if w.done {
		return nil
	}
	w.done = true
	// The scan's context may be what failed.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := w.s.db.ExecContext(ctx, w.s.Rebind(`DELETE FROM links_staging WHERE token = ?`), w.token); err != nil {
		return fmt.Errorf("save scan: drop staged links: %w", err)
	}
	return nil
}

// Commit replaces the previous scan's results with the staged links and
// r, whose own links are written here, not staged.
func (w *scanWriter) Commit(ctx context.Context, r *filo.ScanResult) error {
	if w.done {
		return fmt.Errorf("save scan: already committed or rolled back")
	}
	err := w.s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, w.s.Rebind(`SELECT COUNT(*) FROM links_staging WHERE token = ?`), w.token).Scan(&n); err != nil {
			return fmt.Errorf("save scan: staged links: %w", err)
		}
		if n != w.staged {
			return filo.Errorf(filo.ECONFLICT, "save scan: %d of this scan's %d links are gone from the store: another scan started while this one ran; run one scan at a time", w.staged-n, w.staged)
		}
		if err := clearScan(ctx, tx); err != nil {
			return err
		}
		cols := strings.Join(linkColumns, ", ")
		if _, err := tx.ExecContext(ctx, w.s.Rebind(`INSERT INTO links (`+cols+`) SELECT `+cols+` FROM links_staging WHERE token = ? ORDER BY id`), w.token); err != nil {
			return fmt.Errorf("save scan: links: %w", err)
		}
		// Emptied whole, the table is truncated rather than deleted from
		// row by row. Rows of another token belong to a scan running at
		// the same time, which fails on their loss as this one would.
		if _, err := tx.ExecContext(ctx, `DELETE FROM links_staging`); err != nil {
			return fmt.Errorf("save scan: staged links: %w", err)
		}
		links := w.s.newBatch(tx, "links", linkColumns...)
		defer links.close()
		if err := insertLinks(ctx, links, r.Links); err != nil {
			return fmt.Errorf("save scan: link: %w", err)
		}
		if err := links.flush(ctx); err != nil {
			return fmt.Errorf("save scan: link: %w", err)
		}
		return w.s.finishScan(ctx, tx, r)
	})
	if err != nil {
		return err
	}
	w.done = true
	return nil
}

// clearScan deletes the previous scan's results.
func clearScan(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []string{"entities", "links", "leads", "lead_codes", "lead_entities", "scans"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("save scan: clear %s: %w", t, err)
		}
	}
	// A scan writes millions of entity records and links. Indexes built
	// once over the whole table cost a fraction of keeping them up to
	// date row by row.
	for _, ix := range scanIndexes {
		if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+ix.name); err != nil {
			return fmt.Errorf("save scan: drop index %s: %w", ix.name, err)
		}
	}
	return nil
}

// finishScan writes the scan's entities and leads, and indexes them.
func (s *Store) finishScan(ctx context.Context, tx *sql.Tx, r *filo.ScanResult) error {
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO scans (scanned_at, policy) VALUES (?, ?)`),
		r.ScannedAt.UTC().Format(time.RFC3339Nano), r.Policy); err != nil {
		return fmt.Errorf("save scan: %w", err)
	}
	// Records inserted in key order append to the primary key instead of
	// landing all over it.
	type entityRecord struct {
		entity string
		rec    filo.RecordRef
	}
	var recs []entityRecord
	for _, e := range r.Entities {
		for _, rec := range e.Records {
			recs = append(recs, entityRecord{e.ID, rec})
		}
	}
	slices.SortFunc(recs, func(a, b entityRecord) int {
		return cmp.Or(strings.Compare(a.rec.Type, b.rec.Type), strings.Compare(a.rec.ID, b.rec.ID))
	})
	ents := s.newBatch(tx, "entities", "entity_id", "record_type", "record_id")
	defer ents.close()
	for _, er := range recs {
		if err := ents.add(ctx, er.entity, er.rec.Type, er.rec.ID); err != nil {
			return fmt.Errorf("save scan: entity %s record %s: %w", er.entity, er.rec, err)
		}
	}
	leads := s.newBatch(tx, "leads", "id", "role", "rank", "score", "body", "codes", "entity_ids", "party0")
	defer leads.close()
	leadCodes := s.newBatch(tx, "lead_codes", "lead_id", "code")
	defer leadCodes.close()
	leadEnts := s.newBatch(tx, "lead_entities", "lead_id", "entity_id")
	defer leadEnts.close()
	for i := range r.Leads {
		l := &r.Leads[i]
		b, err := json.Marshal(l)
		if err != nil {
			return fmt.Errorf("save scan: lead %s: %w", l.ID, err)
		}
		codes := make([]string, 0, len(l.Reasons))
		seen := map[string]bool{}
		for _, rs := range l.Reasons {
			if !seen[rs.Code] {
				seen[rs.Code] = true
				codes = append(codes, rs.Code)
			}
		}
		party0 := ""
		if len(l.PartyIDs) > 0 {
			party0 = l.PartyIDs[0]
		}
		if err := leads.add(ctx, l.ID, l.Role, l.Rank, l.Score, string(b),
			strings.Join(codes, " "), strings.Join(l.EntityIDs, " "), party0); err != nil {
			return fmt.Errorf("save scan: lead %s: %w", l.ID, err)
		}
		for _, c := range codes {
			if err := leadCodes.add(ctx, l.ID, c); err != nil {
				return fmt.Errorf("save scan: lead %s: %w", l.ID, err)
			}
		}
		for _, e := range l.EntityIDs {
			if err := leadEnts.add(ctx, l.ID, e); err != nil {
				return fmt.Errorf("save scan: lead %s: %w", l.ID, err)
			}
		}
	}
	for _, b := range []*batch{ents, leads, leadCodes, leadEnts} {
		if err := b.flush(ctx); err != nil {
			return fmt.Errorf("save scan: %w", err)
		}
	}
	for _, ix := range scanIndexes {
		if _, err := tx.ExecContext(ctx, ix.create()); err != nil {
			return fmt.Errorf("save scan: index %s: %w", ix.name, err)
		}
	}
	// The queue sorts and filters on the name and country of the lead's
	// first party; copying them here keeps the queue a one-table query.
	if _, err := tx.ExecContext(ctx, `UPDATE leads SET
		name = COALESCE((SELECT p.full_name FROM parties p WHERE p.id = leads.party0), ''),
		country = COALESCE((SELECT p.country FROM parties p WHERE p.id = leads.party0), '')`); err != nil {
		return fmt.Errorf("save scan: lead names: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE leads SET search = LOWER(id || ' ' || name)`); err != nil {
		return fmt.Errorf("save scan: lead search: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE leads SET
		status = t.status, unit = t.unit, assignee = t.assignee, case_id = t.case_id
		FROM triage t WHERE t.lead_id = leads.id`); err != nil {
		return fmt.Errorf("save scan: triage: %w", err)
	}
	return nil
}

// encodeFields sends the JSON of the links' explanations (nil where there
// is none) in chunks, in order, until all are sent or stop is closed.
func encodeFields(links []filo.Link, out chan<- []any, stop <-chan struct{}) {
	const chunk = 1024
	for lo := 0; lo < len(links); lo += chunk {
		ls := links[lo:min(lo+chunk, len(links))]
		fs := make([]any, len(ls))
		for i := range ls {
			if len(ls[i].Fields) > 0 {
				b, _ := json.Marshal(ls[i].Fields)
				fs[i] = string(b)
			}
		}
		select {
		case out <- fs:
		case <-stop:
			return
		}
	}
}

// Entities returns every entity of the last scan, records in a stable order.
// The rows are read in table order and grouped here: ordered by entity in
// SQL, millions of them were read through the index, a page lookup a row.
func (s *Store) Entities(ctx context.Context) ([]filo.Entity, error) {
	var out []filo.Entity
	at := map[string]int{}
	err := s.queryOn(ctx, s.reader(), "entities", `SELECT entity_id, record_type, record_id FROM entities`, nil, func(r *sql.Rows) error {
		var id string
		var rec filo.RecordRef
		if err := r.Scan(&id, &rec.Type, &rec.ID); err != nil {
			return err
		}
		i, ok := at[id]
		if !ok {
			i = len(out)
			at[id] = i
			out = append(out, filo.Entity{ID: id})
		}
		out[i].Records = append(out[i].Records, rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b filo.Entity) int { return strings.Compare(a.ID, b.ID) })
	for _, e := range out {
		slices.SortFunc(e.Records, func(a, b filo.RecordRef) int {
			return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(a.ID, b.ID))
		})
	}
	return out, nil
}

// Entity returns one entity and every link touching its records.
func (s *Store) Entity(ctx context.Context, id string) (*filo.Entity, []filo.Link, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT record_type, record_id FROM entities WHERE entity_id = ? ORDER BY record_type, record_id`), id)
	if err != nil {
		return nil, nil, fmt.Errorf("entity %s: %w", id, err)
	}
	e := &filo.Entity{ID: id}
	for rows.Next() {
		var r filo.RecordRef
		if err := rows.Scan(&r.Type, &r.ID); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("entity %s: %w", id, err)
		}
		e.Records = append(e.Records, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("entity %s: %w", id, err)
	}
	if len(e.Records) == 0 {
		return nil, nil, filo.Errorf(filo.ENOTFOUND, "no entity %s in the last scan", id)
	}
	links, err := s.links(ctx, `WHERE (a_type, a_id) IN (SELECT record_type, record_id FROM entities WHERE entity_id = ?)
		   OR (b_type, b_id) IN (SELECT record_type, record_id FROM entities WHERE entity_id = ?)`, id, id)
	if err != nil {
		return nil, nil, fmt.Errorf("entity %s links: %w", id, err)
	}
	return e, links, nil
}

// ModelLinks returns the model's same-person links between parties.
func (s *Store) ModelLinks(ctx context.Context) ([]filo.Link, error) {
	links, err := s.links(ctx, `WHERE kind = ? AND source = ? AND a_type = ? AND b_type = ?`,
		filo.LinkSame, filo.LinkByModel, filo.RecordParty, filo.RecordParty)
	if err != nil {
		return nil, fmt.Errorf("model links: %w", err)
	}
	return links, nil
}

// links reads the links a WHERE clause selects, in the order they were
// stored.
func (s *Store) links(ctx context.Context, where string, args ...any) ([]filo.Link, error) {
	var links []filo.Link
	err := s.queryEach(ctx, "links", `SELECT a_type, a_id, b_type, b_id, kind, weight, prob, basis, fields, source FROM links `+where+` ORDER BY id`, args,
		func(r *sql.Rows) error {
			var l filo.Link
			var fields sql.NullString
			if err := r.Scan(&l.A.Type, &l.A.ID, &l.B.Type, &l.B.ID, &l.Kind, &l.Weight, &l.Prob, &l.Basis, &fields, &l.Source); err != nil {
				return err
			}
			if fields.Valid {
				if err := json.Unmarshal([]byte(fields.String), &l.Fields); err != nil {
					return err
				}
			}
			links = append(links, l)
			return nil
		})
	return links, err
}

// Leads returns the last scan's leads by role and rank.
func (s *Store) Leads(ctx context.Context, f filo.LeadFilter) ([]filo.Lead, error) {
	q := `SELECT body FROM leads`
	var args []any
	if f.Role != "" {
		q += ` WHERE role = ?`
		args = append(args, f.Role)
	}
	q += ` ORDER BY role, rank`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("leads: %w", err)
	}
	defer rows.Close()
	var out []filo.Lead
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("leads: %w", err)
		}
		var l filo.Lead
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			return nil, fmt.Errorf("leads: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Lead returns one lead.
func (s *Store) Lead(ctx context.Context, id string) (*filo.Lead, error) {
	var body string
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT body FROM leads WHERE id = ?`), id).Scan(&body)
	if isNoRows(err) {
		return nil, filo.Errorf(filo.ENOTFOUND, "no lead %s in the last scan", id)
	}
	if err != nil {
		return nil, fmt.Errorf("lead %s: %w", id, err)
	}
	var l filo.Lead
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		return nil, fmt.Errorf("lead %s: %w", id, err)
	}
	return &l, nil
}

// AddJudgement records an analyst's judgement and sets its id.
func (s *Store) AddJudgement(ctx context.Context, j *filo.Judgement) error {
	if j.Who == "" {
		return filo.Errorf(filo.EINVALID, "a judgement needs the name of who makes it")
	}
	if j.When.IsZero() {
		j.When = s.Now()
	}
	same := 0
	if j.Same {
		same = 1
	}
	err := s.db.QueryRowContext(ctx, s.Rebind(`INSERT INTO judgements (a_type, a_id, b_type, b_id, same, who, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		j.A.Type, j.A.ID, j.B.Type, j.B.ID, same, j.Who, j.When.UTC().Format(time.RFC3339Nano), j.Reason).Scan(&j.ID)
	if err != nil {
		return fmt.Errorf("judgement: %w", err)
	}
	return nil
}

// UndoJudgement marks a judgement undone; it stays in the record.
func (s *Store) UndoJudgement(ctx context.Context, id int64, who string, when time.Time) error {
	if who == "" {
		return filo.Errorf(filo.EINVALID, "undoing a judgement needs the name of who undoes it")
	}
	res, err := s.db.ExecContext(ctx, s.Rebind(`UPDATE judgements SET undone = 1, undone_by = ?, undone_at = ? WHERE id = ? AND undone = 0`),
		who, when.UTC().Format(time.RFC3339Nano), id)
	if err != nil {
		return fmt.Errorf("undo judgement %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return filo.Errorf(filo.ENOTFOUND, "no standing judgement %d", id)
	}
	return nil
}

// Judgements returns every judgement, undone ones included, oldest first.
func (s *Store) Judgements(ctx context.Context) ([]filo.Judgement, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, a_type, a_id, b_type, b_id, same, who, at, reason, undone, undone_by, undone_at FROM judgements ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("judgements: %w", err)
	}
	defer rows.Close()
	var out []filo.Judgement
	for rows.Next() {
		var j filo.Judgement
		var same, undone int
		var at, undoneAt string
		if err := rows.Scan(&j.ID, &j.A.Type, &j.A.ID, &j.B.Type, &j.B.ID, &same, &j.Who, &at, &j.Reason, &undone, &j.UndoneBy, &undoneAt); err != nil {
			return nil, fmt.Errorf("judgements: %w", err)
		}
		j.Same, j.Undone = same == 1, undone == 1
		j.When, _ = time.Parse(time.RFC3339Nano, at)
		j.UndoneAt, _ = parseTime(undoneAt)
		out = append(out, j)
	}
	return out, rows.Err()
}

// PutState stores a named blob, replacing an earlier one.
func (s *Store) PutState(ctx context.Context, name string, data []byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM state WHERE name = ?`), name); err != nil {
			return fmt.Errorf("state %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO state (name, data) VALUES (?, ?)`), name, data); err != nil {
			return fmt.Errorf("state %s: %w", name, err)
		}
		return nil
	})
}

// State returns a named blob.
func (s *Store) State(ctx context.Context, name string) ([]byte, bool, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT data FROM state WHERE name = ?`), name).Scan(&data)
	if isNoRows(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("state %s: %w", name, err)
	}
	return data, true, nil
}
