package sqlstore

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/filoproject/filo"
)

// A scan's entities and links are written into the slot that the current
// scan is not in (migration 005): tables entities_N and links_N, N 0 or 1,
// which the views entities and links show while N is current. A slot is
// emptied by the next scan but one.
type slot int

func (n slot) entities() string { return "entities_" + strconv.Itoa(int(n)) }
func (n slot) links() string    { return "links_" + strconv.Itoa(int(n)) }

// indexes are a slot's indexes, as migration 005 made them. A scan writes
// millions of entity records and links: indexes built once over a full
// table cost a fraction of keeping them up to date row by row.
func (n slot) indexes() []index {
	e, l := n.entities(), n.links()
	return []index{{e + "_entity", e, "entity_id"}, {l + "_a", l, "a_type, a_id"}, {l + "_b", l, "b_type, b_id"}}
}

type index struct{ name, table, cols string }

func (ix index) create() string {
	return "CREATE INDEX IF NOT EXISTS " + ix.name + " ON " + ix.table + " (" + ix.cols + ")"
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

// scanWriter is one scan's results being written into the free slot, in
// short transactions as they come, so that the store's other writers
// (judgements, triage, the audit log) wait for a chunk, not for the whole
// scan. Commit makes the slot current in the transaction that replaces
// the previous scan's leads.
type scanWriter struct {
	s       *Store
	token   string // this scan's claim on the free slot, in scan_slots.writer
	slot    slot   // the free slot
	cleared bool   // the slot no longer holds the scan it held before
	parties bool   // AddParties wrote the party records
	done    bool
}

// linkColumns are the columns of a link.
var linkColumns = []string{"a_type", "a_id", "b_type", "b_id", "kind", "weight", "prob", "basis", "fields", "source"}

// writeChunk is how many rows one of a scan's transactions writes before
// Commit.
const writeChunk = 1 << 15

// BeginScan claims the free slot for a scan; the previous scan's results
// stay current until Commit.
func (s *Store) BeginScan(ctx context.Context) (filo.ScanWriter, error) {
	var b [12]byte
	rand.Read(b[:])
	w := &scanWriter{s: s, token: hex.EncodeToString(b[:])}
	// The claim of a scan that crashed is dropped here. A scan running at
	// this very moment loses its claim too, and its next write says so.
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE scan_slots SET writer = ?`), w.token); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT current FROM scan_slots`).Scan(&current); err != nil {
			return err
		}
		w.slot = slot(1 - current)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save scan: claim a slot: %w", err)
	}
	return w, nil
}

// claim checks in tx that the free slot is still the scan's. Updating the
// claim's row also keeps another scan from taking it until tx ends: rows
// it writes cannot land after another scan has emptied the slot.
func (w *scanWriter) claim(ctx context.Context, tx *sql.Tx) error {
	res, err := tx.ExecContext(ctx, w.s.Rebind(`UPDATE scan_slots SET writer = writer WHERE writer = ?`), w.token)
	if err != nil {
		return fmt.Errorf("save scan: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("save scan: %w", err)
	} else if n != 1 {
		return filo.Errorf(filo.ECONFLICT, "save scan: another scan started while this one ran; run one scan at a time")
	}
	return nil
}

// clear empties the slot of the scan it held before this one, and drops
// its indexes until the slot is full again.
func (w *scanWriter) clear(ctx context.Context, tx *sql.Tx) error {
	for _, ix := range w.slot.indexes() {
		if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+ix.name); err != nil {
			return fmt.Errorf("save scan: drop index %s: %w", ix.name, err)
		}
	}
	for _, t := range []string{w.slot.entities(), w.slot.links()} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("save scan: clear %s: %w", t, err)
		}
	}
	return nil
}

// own readies tx to write into the slot: it checks the claim, and empties
// the slot first if it is not yet (the caller marks it cleared once tx
// commits).
func (w *scanWriter) own(ctx context.Context, tx *sql.Tx) error {
	if err := w.claim(ctx, tx); err != nil {
		return err
	}
	if w.cleared {
		return nil
	}
	return w.clear(ctx, tx)
}

// write runs fn in a transaction of its own, on the scan's slot.
func (w *scanWriter) write(ctx context.Context, fn func(*sql.Tx) error) error {
	if w.done {
		return fmt.Errorf("save scan: written to after the scan was committed or rolled back")
	}
	err := w.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := w.own(ctx, tx); err != nil {
			return err
		}
		return fn(tx)
	})
	if err == nil {
		w.cleared = true
	}
	return err
}

// AddLinks writes links, a chunk to a transaction.
func (w *scanWriter) AddLinks(ctx context.Context, ls []filo.Link) error {
	for lo := 0; lo < len(ls); lo += writeChunk {
		chunk := ls[lo:min(lo+writeChunk, len(ls))]
		if err := w.write(ctx, func(tx *sql.Tx) error { return w.insertLinks(ctx, tx, chunk) }); err != nil {
			return fmt.Errorf("save scan: link: %w", err)
		}
	}
	return nil
}

// insertLinks writes links into the slot. A link's explanation is
// hundreds of bytes of JSON, and a large case has millions of links: they
// are encoded on another core, a chunk ahead of the inserts.
func (w *scanWriter) insertLinks(ctx context.Context, tx *sql.Tx, ls []filo.Link) error {
	b := w.s.newBatch(tx, w.slot.links(), linkColumns...)
	defer b.close()
	fields := make(chan []any, 2)
	stop := make(chan struct{})
	defer close(stop)
	go encodeFields(ls, fields, stop)
	for lo := 0; lo < len(ls); {
		chunk := <-fields
		for i, f := range chunk {
			l := &ls[lo+i]
			if err := b.add(ctx, l.A.Type, l.A.ID, l.B.Type, l.B.ID, l.Kind, l.Weight, l.Prob, l.Basis, f, l.Source); err != nil {
				return err
			}
		}
		lo += len(chunk)
	}
	return b.flush(ctx)
}

// AddParties writes the entities' party records, a chunk to a
// transaction, then builds the slot's indexes, one to a transaction.
func (w *scanWriter) AddParties(ctx context.Context, es []filo.Entity) error {
	recs := entityRecords(es, func(r filo.RecordRef) bool { return r.Type == filo.RecordParty })
	for lo := 0; lo < len(recs); lo += writeChunk {
		chunk := recs[lo:min(lo+writeChunk, len(recs))]
		if err := w.write(ctx, func(tx *sql.Tx) error { return w.insertEntities(ctx, tx, chunk) }); err != nil {
			return err
		}
	}
	w.parties = true
	for _, ix := range w.slot.indexes() {
		if err := w.write(ctx, func(tx *sql.Tx) error { return createIndex(ctx, tx, ix) }); err != nil {
			return err
		}
	}
	return nil
}

// entityRecord is one row of an entities table.
type entityRecord struct {
	entity string
	rec    filo.RecordRef
}

// entityRecords lists the records of es that keep selects, in key order:
// records inserted in key order append to the primary key instead of
// landing all over it. The sort compares the first eight bytes of type
// and id, taken in one pass: reading two million ids inside the sort,
// each a jump to a string of its own, was most of its time.
func entityRecords(es []filo.Entity, keep func(filo.RecordRef) bool) []entityRecord {
	type sortKey struct {
		typ, id uint64 // the first eight bytes, big-endian, zeros after the end
		rec     *entityRecord
	}
	prefix := func(s string) uint64 {
		var b [8]byte
		copy(b[:], s)
		return binary.BigEndian.Uint64(b[:])
	}
	var recs []entityRecord
	for _, e := range es {
		for _, rec := range e.Records {
			if keep(rec) {
				recs = append(recs, entityRecord{e.ID, rec})
			}
		}
	}
	keys := make([]sortKey, len(recs))
	for i := range recs {
		r := &recs[i]
		keys[i] = sortKey{prefix(r.rec.Type), prefix(r.rec.ID), r}
	}
	// Equal prefixes say nothing of the bytes after them: the whole
	// strings decide, read only then (cmp.Or would read them every time).
	slices.SortFunc(keys, func(a, b sortKey) int {
		if a.typ != b.typ {
			return cmp.Compare(a.typ, b.typ)
		}
		if c := strings.Compare(a.rec.rec.Type, b.rec.rec.Type); c != 0 {
			return c
		}
		if a.id != b.id {
			return cmp.Compare(a.id, b.id)
		}
		return strings.Compare(a.rec.rec.ID, b.rec.rec.ID)
	})
	sorted := make([]entityRecord, len(keys))
	for i, k := range keys {
		sorted[i] = *k.rec
	}
	return sorted
}

func (w *scanWriter) insertEntities(ctx context.Context, tx *sql.Tx, recs []entityRecord) error {
	b := w.s.newBatch(tx, w.slot.entities(), "entity_id", "record_type", "record_id")
	defer b.close()
	for _, er := range recs {
		if err := b.add(ctx, er.entity, er.rec.Type, er.rec.ID); err != nil {
			return fmt.Errorf("save scan: entity %s record %s: %w", er.entity, er.rec, err)
		}
	}
	if err := b.flush(ctx); err != nil {
		return fmt.Errorf("save scan: entities: %w", err)
	}
	return nil
}

func createIndex(ctx context.Context, tx *sql.Tx, ix index) error {
	if _, err := tx.ExecContext(ctx, ix.create()); err != nil {
		return fmt.Errorf("save scan: index %s: %w", ix.name, err)
	}
	return nil
}

// Rollback gives up the scan's claim on the slot, unless it was
// committed; what it wrote there is emptied by the next scan.
func (w *scanWriter) Rollback() error {
	if w.done {
		return nil
	}
	w.done = true
	// The scan's context may be what failed.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := w.s.db.ExecContext(ctx, w.s.Rebind(`UPDATE scan_slots SET writer = NULL WHERE writer = ?`), w.token); err != nil {
		return fmt.Errorf("save scan: give up the slot: %w", err)
	}
	return nil
}

// Commit writes the rest of r into the slot and makes it current, in one
// transaction with r's leads.
func (w *scanWriter) Commit(ctx context.Context, r *filo.ScanResult) error {
	if w.done {
		return fmt.Errorf("save scan: already committed or rolled back")
	}
	err := w.s.inTx(ctx, func(tx *sql.Tx) error {
		if err := w.own(ctx, tx); err != nil {
			return err
		}
		if err := w.insertLinks(ctx, tx, r.Links); err != nil {
			return fmt.Errorf("save scan: link: %w", err)
		}
		if err := w.insertEntities(ctx, tx, entityRecords(r.Entities, func(rec filo.RecordRef) bool {
			return !w.parties || rec.Type != filo.RecordParty
		})); err != nil {
			return err
		}
		// Those AddParties built are there already, and left as they are.
		for _, ix := range w.slot.indexes() {
			if err := createIndex(ctx, tx, ix); err != nil {
				return err
			}
		}
		for _, view := range []struct{ name, table string }{{"entities", w.slot.entities()}, {"links", w.slot.links()}} {
			if _, err := tx.ExecContext(ctx, `DROP VIEW `+view.name); err != nil {
				return fmt.Errorf("save scan: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `CREATE VIEW `+view.name+` AS SELECT * FROM `+view.table); err != nil {
				return fmt.Errorf("save scan: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, w.s.Rebind(`UPDATE scan_slots SET current = ?, writer = NULL`), int(w.slot)); err != nil {
			return fmt.Errorf("save scan: %w", err)
		}
		if err := clearLeads(ctx, tx); err != nil {
			return err
		}
		return w.s.finishScan(ctx, tx, r)
	})
	if err != nil {
		return err
	}
	w.done = true
	return nil
}

// clearLeads deletes the previous scan's leads.
func clearLeads(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []string{"leads", "lead_codes", "lead_entities", "scans"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("save scan: clear %s: %w", t, err)
		}
	}
	return nil
}

// finishScan writes the scan's leads.
func (s *Store) finishScan(ctx context.Context, tx *sql.Tx, r *filo.ScanResult) error {
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO scans (scanned_at, policy) VALUES (?, ?)`),
		r.ScannedAt.UTC().Format(time.RFC3339Nano), r.Policy); err != nil {
		return fmt.Errorf("save scan: %w", err)
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
	for _, b := range []*batch{leads, leadCodes, leadEnts} {
		if err := b.flush(ctx); err != nil {
			return fmt.Errorf("save scan: %w", err)
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
		var b []byte
		for i := range ls {
			if len(ls[i].Fields) > 0 {
				b = appendFields(b[:0], ls[i].Fields)
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
