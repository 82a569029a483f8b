package filo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Workspace roles, from least to most trusted. A role can do everything the
// roles before it can.
const (
	RoleViewer     = "viewer"     // reads the leads and cases of their unit
	RoleAnalyst    = "analyst"    // also opens cases, writes notes, sets dispositions
	RoleSupervisor = "supervisor" // also triages unassigned leads into their unit and manages members
	RoleAdmin      = "admin"      // sees every unit, manages users
)

// RoleRank orders roles; 0 means not a role.
func RoleRank(role string) int {
	switch role {
	case RoleViewer:
		return 1
	case RoleAnalyst:
		return 2
	case RoleSupervisor:
		return 3
	case RoleAdmin:
		return 4
	}
	return 0
}

// User is a local account of the workspace.
type User struct {
	Username     string
	Role         string
	Unit         string
	PasswordHash string // argon2id, in PHC string form
	CreatedAt    time.Time
	Disabled     bool
}

// AuthSession is a logged-in browser. Only the SHA-256 of its token is
// stored, so that reading the database does not give anyone a session.
type AuthSession struct {
	TokenHash string
	Username  string
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Case statuses. Referred and dismissed are dispositions: they need a reason.
const (
	StatusNew       = "new"
	StatusInReview  = "in_review"
	StatusReferred  = "referred"
	StatusDismissed = "dismissed"
)

// ValidStatus says whether s is a case status.
func ValidStatus(s string) bool {
	switch s {
	case StatusNew, StatusInReview, StatusReferred, StatusDismissed:
		return true
	}
	return false
}

// CaseFile is an investigation opened from leads. (Case is the input case
// folder's records.)
type CaseFile struct {
	ID                string    `json:"id"`
	Title             string    `json:"title"`
	Unit              string    `json:"unit"`
	Status            string    `json:"status"`
	Assignee          string    `json:"assignee"`
	LeadIDs           []string  `json:"lead_ids"`
	Members           []string  `json:"members"`
	CreatedBy         string    `json:"created_by"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	Disposition       string    `json:"disposition"`
	DispositionReason string    `json:"disposition_reason"`
}

// Note is an analyst's note on a case.
type Note struct {
	ID     int64     `json:"id"`
	CaseID string    `json:"case_id"`
	Author string    `json:"author"`
	At     time.Time `json:"at"`
	Body   string    `json:"body"`
}

// Disposition is the outcome given to a case, with its reason. Every one is
// kept, not only the last, so that later tuning can learn from them.
type Disposition struct {
	CaseID      string    `json:"case_id"`
	Disposition string    `json:"disposition"`
	Reason      string    `json:"reason"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
}

// Triage is where a lead stands: which unit and analyst have it, and the
// case it went into. It outlives scans because lead ids are stable.
type Triage struct {
	LeadID   string `json:"-"`
	Status   string `json:"status"`
	Unit     string `json:"unit"`
	Assignee string `json:"assignee"`
	CaseID   string `json:"case_id"`
}

// Visibility limits what a query returns to what one user may see: every
// unit for an admin; the unit's leads (and, for a supervisor, unassigned
// ones) and the unit's cases or the cases they are a member of otherwise.
type Visibility struct {
	All           bool
	Unit          string
	Username      string
	SeeUnassigned bool
}

// LeadQuery selects a page of the lead queue.
type LeadQuery struct {
	Role      string
	Indicator string
	Country   string
	Status    string
	Assignee  string
	Text      string // matches the lead id or name
	Sort      string // "score", "-score", "rank", "name", "country", "status"; "-" for descending
	Offset    int
	Limit     int
	Visible   Visibility
}

// LeadRow is one line of the lead queue.
type LeadRow struct {
	ID         string   `json:"id"`
	Role       string   `json:"role"`
	Rank       int      `json:"rank"`
	Score      float64  `json:"score"`
	Name       string   `json:"name"`
	Country    string   `json:"country"`
	Indicators []string `json:"indicators"`
	Status     string   `json:"status"`
	Assignee   string   `json:"assignee"`
	Unit       string   `json:"unit"`
	CaseID     string   `json:"case_id"`
	EntityIDs  []string `json:"entity_ids"`
}

// AuditEntry is one line of the audit log. Each entry's hash commits to the
// previous entry's, so that an edit or a deletion breaks the chain.
type AuditEntry struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	User     string    `json:"user"`
	Action   string    `json:"action"` // e.g. "view_person", "export_case", "case_status"
	Object   string    `json:"object"` // e.g. "entity/E0123", "case/C0001"
	Detail   string    `json:"detail"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// ChainHash is the hash an entry must carry: SHA-256 over the previous
// entry's hash and every field, each prefixed by its length so that no two
// different entries can serialise alike.
func (e *AuditEntry) ChainHash() string {
	h := sha256.New()
	for _, f := range []string{
		e.PrevHash,
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		e.User, e.Action, e.Object, e.Detail,
	} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// WorkspaceStore keeps what analysts do in the workspace: users, sessions,
// triage, cases and the audit log. Both engines implement it.
type WorkspaceStore interface {
	PutUser(ctx context.Context, u *User) error // creates or replaces
	User(ctx context.Context, username string) (*User, error)
	Users(ctx context.Context) ([]User, error)

	CreateAuthSession(ctx context.Context, s *AuthSession) error
	AuthSession(ctx context.Context, tokenHash string) (*AuthSession, error)
	DeleteAuthSession(ctx context.Context, tokenHash string) error

	QueryLeads(ctx context.Context, q LeadQuery) (rows []LeadRow, total int, err error)
	Triage(ctx context.Context, leadID string) (Triage, error)
	SetTriage(ctx context.Context, t Triage) error

	CreateCase(ctx context.Context, c *CaseFile) error // sets ID, triages its leads into it
	CaseFile(ctx context.Context, id string) (*CaseFile, error)
	CaseFiles(ctx context.Context, v Visibility, status string, offset, limit int) ([]CaseFile, int, error)
	UpdateCase(ctx context.Context, c *CaseFile) error
	AddNote(ctx context.Context, n *Note) error
	Notes(ctx context.Context, caseID string) ([]Note, error)
	AddDisposition(ctx context.Context, d *Disposition) error
	Dispositions(ctx context.Context, caseID string) ([]Disposition, error)

	// AppendAudit chains e to the last entry and stores it (sets Seq,
	// PrevHash and Hash).
	AppendAudit(ctx context.Context, e *AuditEntry) error
	AuditEntries(ctx context.Context, offset, limit int) ([]AuditEntry, int, error)
	// AuditHead is the hash of the last entry as recorded beside the log,
	// so that cutting entries off the end is detected too.
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
}

// PairFlow is the payments from one entity to another, aggregated.
type PairFlow struct {
	From, To  string // entity ids; From paid To
	Count     int
	AmountUSD float64
	First     time.Time
	Last      time.Time
}

// PersonReader reads the records behind entities for the person and network
// views without loading the whole case.
type PersonReader interface {
	Parties(ctx context.Context, ids []string) ([]Party, error)
	AccountsOf(ctx context.Context, partyIDs []string) ([]Account, error)
	// TransactionsOf returns up to limit transactions sent or received by the
	// parties, newest first.
	TransactionsOf(ctx context.Context, partyIDs []string, limit int) ([]Transaction, error)
	PlatformAccountsByRef(ctx context.Context, refs []string) ([]PlatformAccount, error) // "platform:account_id"
	SessionsOf(ctx context.Context, refs []string, limit int) ([]Session, error)
	// EntitiesOf maps party ids to the entity of the last scan holding them.
	EntitiesOf(ctx context.Context, partyIDs []string) (map[string]string, error)
	// FirstParties maps entity ids to one of their party ids (the least),
	// which names the entity in lists.
	FirstParties(ctx context.Context, entityIDs []string) (map[string]string, error)
	// LeadsOf returns the leads covering any of the entities.
	LeadsOf(ctx context.Context, entityIDs []string) ([]LeadRow, error)
	// Flows returns the aggregated payments to and from an entity.
	Flows(ctx context.Context, entityID string) ([]PairFlow, error)
}
