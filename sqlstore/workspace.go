package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/filoproject/filo"
)

var _ filo.WorkspaceStore = (*Store)(nil)

// PutUser creates or replaces a user.
func (s *Store) PutUser(ctx context.Context, u *filo.User) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM users WHERE username = ?`), u.Username); err != nil {
			return fmt.Errorf("user %s: %w", u.Username, err)
		}
		_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO users (username, role, unit, password_hash, created_at, disabled) VALUES (?, ?, ?, ?, ?, ?)`),
			u.Username, u.Role, u.Unit, u.PasswordHash, fmtTime(u.CreatedAt.UTC()), boolInt(u.Disabled))
		if err != nil {
			return fmt.Errorf("user %s: %w", u.Username, err)
		}
		return nil
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const userCols = `username, role, unit, password_hash, created_at, disabled`

func scanUser(sc interface{ Scan(...any) error }) (filo.User, error) {
	var u filo.User
	var at string
	var disabled int
	if err := sc.Scan(&u.Username, &u.Role, &u.Unit, &u.PasswordHash, &at, &disabled); err != nil {
		return u, err
	}
	u.CreatedAt, _ = parseTime(at)
	u.Disabled = disabled != 0
	return u, nil
}

// User returns one user; ENOTFOUND when there is none.
func (s *Store) User(ctx context.Context, username string) (*filo.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+userCols+` FROM users WHERE username = ?`), username))
	if isNoRows(err) {
		return nil, filo.Errorf(filo.ENOTFOUND, "no user %s", username)
	}
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", username, err)
	}
	return &u, nil
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]filo.User, error) {
	var out []filo.User
	err := s.queryEach(ctx, "users", `SELECT `+userCols+` FROM users ORDER BY username`, nil, func(r *sql.Rows) error {
		u, err := scanUser(r)
		out = append(out, u)
		return err
	})
	return out, err
}

// CreateAuthSession stores a new login session, and forgets sessions that
// expired more than a day ago (they are refused anyway; the day keeps the
// text comparison of timestamps clear of sub-second formatting).
func (s *Store) CreateAuthSession(ctx context.Context, a *filo.AuthSession) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM auth_sessions WHERE expires_at < ?`),
		fmtTime(a.CreatedAt.UTC().Add(-24*time.Hour))); err != nil {
		return fmt.Errorf("purge sessions: %w", err)
	}
	_, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO auth_sessions (token_hash, username, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		a.TokenHash, a.Username, a.CSRF, fmtTime(a.CreatedAt.UTC()), fmtTime(a.ExpiresAt.UTC()))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// AuthSession returns a stored session; ENOTFOUND when there is none.
func (s *Store) AuthSession(ctx context.Context, tokenHash string) (*filo.AuthSession, error) {
	var a filo.AuthSession
	var created, expires string
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT token_hash, username, csrf, created_at, expires_at FROM auth_sessions WHERE token_hash = ?`), tokenHash).
		Scan(&a.TokenHash, &a.Username, &a.CSRF, &created, &expires)
	if isNoRows(err) {
		return nil, filo.Errorf(filo.ENOTFOUND, "no such session")
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	a.CreatedAt, _ = parseTime(created)
	a.ExpiresAt, _ = parseTime(expires)
	return &a, nil
}

// DeleteAuthSession ends a session.
func (s *Store) DeleteAuthSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.ExecContext(ctx, s.Rebind(`DELETE FROM auth_sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// leadSorts maps the queue's sort keys to columns; anything else is
// refused, so that no request text ever reaches the ORDER BY clause.
var leadSorts = map[string]string{
	"score":   "l.score",
	"rank":    "l.rank",
	"name":    "l.name",
	"country": "l.country",
	"status":  "l.status",
	"role":    "l.role",
}

// ValidLeadSort says whether QueryLeads accepts a sort key.
func ValidLeadSort(key string) bool {
	_, ok := leadSorts[strings.TrimPrefix(key, "-")]
	return ok || key == ""
}

func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

func (s *Store) visibleLeads(v filo.Visibility, args *[]any) string {
	if v.All {
		return ""
	}
	*args = append(*args, v.Unit)
	if v.SeeUnassigned {
		return ` AND l.unit IN (?, '')`
	}
	return ` AND l.unit = ?`
}

// QueryLeads returns one page of the lead queue and the number of leads the
// filters select.
func (s *Store) QueryLeads(ctx context.Context, q filo.LeadQuery) ([]filo.LeadRow, int, error) {
	where := ` WHERE 1 = 1`
	var args []any
	if q.Role != "" {
		where += ` AND l.role = ?`
		args = append(args, q.Role)
	}
	if q.Indicator != "" {
		where += ` AND EXISTS (SELECT 1 FROM lead_codes c WHERE c.lead_id = l.id AND c.code = ?)`
		args = append(args, q.Indicator)
	}
	if q.Country != "" {
		where += ` AND l.country = ?`
		args = append(args, strings.ToUpper(q.Country))
	}
	if q.Status != "" {
		where += ` AND l.status = ?`
		args = append(args, q.Status)
	}
	if q.Assignee != "" {
		where += ` AND l.assignee = ?`
		args = append(args, q.Assignee)
	}
	if q.Text != "" {
		where += ` AND l.search LIKE ? ESCAPE '\'`
		args = append(args, likeEscape(q.Text))
	}
	where += s.visibleLeads(q.Visible, &args)
	from := ` FROM leads l`

	var total int
	if err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*)`+from+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("lead queue: %w", err)
	}
	key, desc := q.Sort, false
	if key == "" {
		key, desc = "score", true
	}
	if strings.HasPrefix(key, "-") {
		key, desc = key[1:], true
	}
	col, ok := leadSorts[key]
	if !ok {
		return nil, 0, filo.Errorf(filo.EINVALID, "sort %q: want one of score, rank, name, country, status, role", q.Sort)
	}
	// The id breaks ties in the same direction, so that an index on
	// (column, id) answers the whole ORDER BY read forwards or backwards.
	order := col + ", l.id"
	if desc {
		order = col + " DESC, l.id DESC"
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	query := `SELECT l.id, l.role, l.rank, l.score, l.name, l.country, l.codes, l.entity_ids,
		l.status, l.assignee, l.unit, l.case_id` +
		from + where + ` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(max(q.Offset, 0))
	rows, err := s.db.QueryContext(ctx, s.Rebind(query), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("lead queue: %w", err)
	}
	defer rows.Close()
	out := []filo.LeadRow{}
	for rows.Next() {
		var r filo.LeadRow
		var codes, ents string
		if err := rows.Scan(&r.ID, &r.Role, &r.Rank, &r.Score, &r.Name, &r.Country, &codes, &ents,
			&r.Status, &r.Assignee, &r.Unit, &r.CaseID); err != nil {
			return nil, 0, fmt.Errorf("lead queue: %w", err)
		}
		r.Indicators = strings.Fields(codes)
		r.EntityIDs = strings.Fields(ents)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Triage returns where a lead stands; a lead nobody touched is new and
// unassigned.
func (s *Store) Triage(ctx context.Context, leadID string) (filo.Triage, error) {
	t := filo.Triage{LeadID: leadID, Status: filo.StatusNew}
	err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT status, unit, assignee, case_id FROM triage WHERE lead_id = ?`), leadID).
		Scan(&t.Status, &t.Unit, &t.Assignee, &t.CaseID)
	if err != nil && !isNoRows(err) {
		return t, fmt.Errorf("triage %s: %w", leadID, err)
	}
	return t, nil
}

// SetTriage records where a lead stands.
func (s *Store) SetTriage(ctx context.Context, t filo.Triage) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.setTriage(ctx, tx, t) })
}

func (s *Store) setTriage(ctx context.Context, tx *sql.Tx, t filo.Triage) error {
	if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM triage WHERE lead_id = ?`), t.LeadID); err != nil {
		return fmt.Errorf("triage %s: %w", t.LeadID, err)
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO triage (lead_id, status, unit, assignee, case_id) VALUES (?, ?, ?, ?, ?)`),
		t.LeadID, t.Status, t.Unit, t.Assignee, t.CaseID); err != nil {
		return fmt.Errorf("triage %s: %w", t.LeadID, err)
	}
	if _, err := tx.ExecContext(ctx, s.Rebind(`UPDATE leads SET status = ?, unit = ?, assignee = ?, case_id = ? WHERE id = ?`),
		t.Status, t.Unit, t.Assignee, t.CaseID, t.LeadID); err != nil {
		return fmt.Errorf("triage %s: %w", t.LeadID, err)
	}
	return nil
}

const caseCols = `id, title, unit, status, assignee, lead_ids, members, created_by, created_at, updated_at, disposition, disposition_reason`

func scanCase(sc interface{ Scan(...any) error }) (filo.CaseFile, error) {
	var c filo.CaseFile
	var leads, members, created, updated string
	if err := sc.Scan(&c.ID, &c.Title, &c.Unit, &c.Status, &c.Assignee, &leads, &members, &c.CreatedBy, &created, &updated,
		&c.Disposition, &c.DispositionReason); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(leads), &c.LeadIDs); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(members), &c.Members); err != nil {
		return c, err
	}
	c.CreatedAt, _ = parseTime(created)
	c.UpdatedAt, _ = parseTime(updated)
	return c, nil
}

func jsonList(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// CreateCase stores a new case, gives it the next id and moves its leads
// into it.
func (s *Store) CreateCase(ctx context.Context, c *filo.CaseFile) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM cases`).Scan(&seq); err != nil {
			return fmt.Errorf("create case: %w", err)
		}
		c.ID = fmt.Sprintf("C%05d", seq)
		if c.Status == "" {
			c.Status = filo.StatusNew
		}
		_, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO cases (seq, `+caseCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			seq, c.ID, c.Title, c.Unit, c.Status, c.Assignee, jsonList(c.LeadIDs), jsonList(c.Members), c.CreatedBy,
			fmtTime(c.CreatedAt.UTC()), fmtTime(c.UpdatedAt.UTC()), c.Disposition, c.DispositionReason)
		if err != nil {
			return fmt.Errorf("create case: %w", err)
		}
		return s.triageCase(ctx, tx, c)
	})
}

// triageCase keeps the queue's status, unit and assignee of a case's leads
// in step with the case.
func (s *Store) triageCase(ctx context.Context, tx *sql.Tx, c *filo.CaseFile) error {
	for _, id := range c.LeadIDs {
		t := filo.Triage{LeadID: id, Status: c.Status, Unit: c.Unit, Assignee: c.Assignee, CaseID: c.ID}
		if err := s.setTriage(ctx, tx, t); err != nil {
			return err
		}
	}
	return nil
}

// CaseFile returns one case; ENOTFOUND when there is none.
func (s *Store) CaseFile(ctx context.Context, id string) (*filo.CaseFile, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, s.Rebind(`SELECT `+caseCols+` FROM cases WHERE id = ?`), id))
	if isNoRows(err) {
		return nil, filo.Errorf(filo.ENOTFOUND, "no case %s", id)
	}
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", id, err)
	}
	return &c, nil
}

// CaseFiles lists the cases a user may see, newest first.
func (s *Store) CaseFiles(ctx context.Context, v filo.Visibility, status string, offset, limit int) ([]filo.CaseFile, int, error) {
	where := ` WHERE 1 = 1`
	var args []any
	if status != "" {
		where += ` AND status = ?`
		args = append(args, status)
	}
	if !v.All {
		where += ` AND (unit = ? OR members LIKE ? ESCAPE '\')`
		args = append(args, v.Unit, likeEscape(`"`+v.Username+`"`))
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) FROM cases`+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cases: %w", err)
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT `+caseCols+` FROM cases`+where+` ORDER BY seq DESC LIMIT `+
		strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(max(offset, 0))), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cases: %w", err)
	}
	defer rows.Close()
	out := []filo.CaseFile{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("cases: %w", err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// UpdateCase stores a case's new status, assignee, members and disposition.
func (s *Store) UpdateCase(ctx context.Context, c *filo.CaseFile) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.Rebind(`UPDATE cases SET title = ?, unit = ?, status = ?, assignee = ?, lead_ids = ?, members = ?,
			updated_at = ?, disposition = ?, disposition_reason = ? WHERE id = ?`),
			c.Title, c.Unit, c.Status, c.Assignee, jsonList(c.LeadIDs), jsonList(c.Members), fmtTime(c.UpdatedAt.UTC()),
			c.Disposition, c.DispositionReason, c.ID)
		if err != nil {
			return fmt.Errorf("update case %s: %w", c.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return filo.Errorf(filo.ENOTFOUND, "no case %s", c.ID)
		}
		return s.triageCase(ctx, tx, c)
	})
}

// AddNote appends a note to a case and sets its id.
func (s *Store) AddNote(ctx context.Context, n *filo.Note) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.Rebind(`INSERT INTO case_notes (case_id, author, at, body) VALUES (?, ?, ?, ?) RETURNING id`),
			n.CaseID, n.Author, fmtTime(n.At.UTC()), n.Body).Scan(&n.ID)
		if err != nil {
			return fmt.Errorf("note on %s: %w", n.CaseID, err)
		}
		return nil
	})
}

// Notes returns a case's notes, oldest first.
func (s *Store) Notes(ctx context.Context, caseID string) ([]filo.Note, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT id, case_id, author, at, body FROM case_notes WHERE case_id = ? ORDER BY id`), caseID)
	if err != nil {
		return nil, fmt.Errorf("notes of %s: %w", caseID, err)
	}
	defer rows.Close()
	out := []filo.Note{}
	for rows.Next() {
		var n filo.Note
		var at string
		if err := rows.Scan(&n.ID, &n.CaseID, &n.Author, &at, &n.Body); err != nil {
			return nil, fmt.Errorf("notes of %s: %w", caseID, err)
		}
		n.At, _ = parseTime(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// AddDisposition records an outcome given to a case.
func (s *Store) AddDisposition(ctx context.Context, d *filo.Disposition) error {
	_, err := s.db.ExecContext(ctx, s.Rebind(`INSERT INTO case_dispositions (case_id, disposition, reason, by_user, at) VALUES (?, ?, ?, ?, ?)`),
		d.CaseID, d.Disposition, d.Reason, d.By, fmtTime(d.At.UTC()))
	if err != nil {
		return fmt.Errorf("disposition of %s: %w", d.CaseID, err)
	}
	return nil
}

// Dispositions returns every outcome a case was given, oldest first.
func (s *Store) Dispositions(ctx context.Context, caseID string) ([]filo.Disposition, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT case_id, disposition, reason, by_user, at FROM case_dispositions WHERE case_id = ? ORDER BY id`), caseID)
	if err != nil {
		return nil, fmt.Errorf("dispositions of %s: %w", caseID, err)
	}
	defer rows.Close()
	out := []filo.Disposition{}
	for rows.Next() {
		var d filo.Disposition
		var at string
		if err := rows.Scan(&d.CaseID, &d.Disposition, &d.Reason, &d.By, &at); err != nil {
			return nil, fmt.Errorf("dispositions of %s: %w", caseID, err)
		}
		d.At, _ = parseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

const auditHeadState = "audit_head"

// AppendAudit chains an entry to the log. Two writers racing for the same
// sequence number collide on the primary key; the loser retries on the new
// end of the chain.
func (s *Store) AppendAudit(ctx context.Context, e *filo.AuditEntry) error {
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			var seq int64
			var prev string
			err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
			if err != nil && !isNoRows(err) {
				return err
			}
			e.Seq, e.PrevHash = seq+1, prev
			e.At = e.At.UTC()
			e.Hash = e.ChainHash()
			if _, err := tx.ExecContext(ctx, s.Rebind(`INSERT INTO audit_log (seq, at, username, action, object, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
				e.Seq, e.At.Format(time.RFC3339Nano), e.User, e.Action, e.Object, e.Detail, e.PrevHash, e.Hash); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.Rebind(`DELETE FROM state WHERE name = ?`), auditHeadState); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, s.Rebind(`INSERT INTO state (name, data) VALUES (?, ?)`), auditHeadState,
				[]byte(strconv.FormatInt(e.Seq, 10)+" "+e.Hash))
			return err
		})
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("audit: %w", err)
}

// AuditEntries returns a page of the log in order.
func (s *Store) AuditEntries(ctx context.Context, offset, limit int) ([]filo.AuditEntry, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("audit: %w", err)
	}
	q := `SELECT seq, at, username, action, object, detail, prev_hash, hash FROM audit_log ORDER BY seq`
	if limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(max(offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	out := []filo.AuditEntry{}
	for rows.Next() {
		var e filo.AuditEntry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.User, &e.Action, &e.Object, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, 0, fmt.Errorf("audit: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, 0, fmt.Errorf("audit entry %d: %w", e.Seq, err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// AuditHead returns the last entry's sequence number and hash as recorded
// beside the log.
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	data, found, err := s.State(ctx, auditHeadState)
	if err != nil || !found {
		return 0, "", err
	}
	seqText, hash, _ := strings.Cut(string(data), " ")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if err != nil {
		return 0, "", fmt.Errorf("audit head %q: %w", data, err)
	}
	return seq, hash, nil
}
