package filo

import (
	"context"
	"time"
)

// Source is one ingested file. A source is known by its key (the case
// folder's name and the file name); its hash tells whether a later ingest
// brings the same content (nothing to do) or a corrected version (which
// replaces everything the earlier version brought).
type Source struct {
	Key        string // "<folder base name>/<file name>", e.g. "case-2025-07/transactions.csv"
	File       string // file name inside the folder
	SHA256     string
	Rows       int
	IngestedAt time.Time
}

// IngestTx receives one folder's records inside one store transaction: if
// the function given to Ingester.Ingest returns an error, nothing of it is
// kept.
type IngestTx interface {
	// SourceState says whether a source with this key is stored, and with
	// which hash.
	SourceState(ctx context.Context, key string) (sha256 string, found bool, err error)
	// ReplaceSource forgets every record the stored source with src.Key
	// brought (if any) and records src as the current version.
	ReplaceSource(ctx context.Context, src Source) error

	// Put* store one record of the current source. A record whose id is
	// already held by another source fails with a *Error of code ECONFLICT.
	PutParty(ctx context.Context, sourceKey string, p *Party) error
	PutAccount(ctx context.Context, sourceKey string, a *Account) error
	PutTransaction(ctx context.Context, sourceKey string, t *Transaction) error
	PutPlatformAccount(ctx context.Context, sourceKey string, p *PlatformAccount) error
	PutSession(ctx context.Context, sourceKey string, s *Session) error
	PutSubscriber(ctx context.Context, sourceKey string, s *Subscriber) error
	PutMessage(ctx context.Context, sourceKey string, m *Message) error
	PutWatchEntry(ctx context.Context, sourceKey string, w *WatchEntry) error
	PutFXRate(ctx context.Context, sourceKey string, r *FXRate) error

	// Flush writes records buffered for batching now, so that a conflict
	// is reported while the file that brought it is being read.
	Flush(ctx context.Context) error

	// FXRates returns every stored rate (from any source), so that a folder
	// without fx_rates.csv still uses rates ingested before.
	FXRates(ctx context.Context) ([]FXRate, error)
}

// Ingester loads input records atomically.
type Ingester interface {
	Ingest(ctx context.Context, fn func(ctx context.Context, tx IngestTx) error) error
}

// CaseParts names parts of a case, for reading a large case one part at a
// time: entity resolution needs only the people, and its working memory is
// let go before the payments come in.
type CaseParts uint

const (
	// PartPeople is parties and platform accounts.
	PartPeople CaseParts = 1 << iota
	// PartActivity is everything else: accounts, transactions, sessions,
	// subscribers, messages and the watchlist.
	PartActivity

	AllParts = PartPeople | PartActivity
)

// CaseReader reads the stored input back for analysis.
type CaseReader interface {
	// LoadCase reads every stored input record. Transactions come ordered by
	// time, then id.
	LoadCase(ctx context.Context) (*Case, error)
	// LoadCaseParts reads the given parts of the stored case into c, as
	// LoadCase would, and leaves c's other records as they are. c holds
	// nothing of those parts yet.
	LoadCaseParts(ctx context.Context, c *Case, parts CaseParts) error
	// Sources lists the ingested files.
	Sources(ctx context.Context) ([]Source, error)
}

// ScanResult is what one scan produces; it replaces the previous scan's
// results as a whole.
type ScanResult struct {
	ScannedAt time.Time
	Entities  []Entity
	Links     []Link
	Leads     []Lead // ranked within each role
	Policy    string // policy name and version used
}

// ScanWriter saves one scan's results in parts, as the scan produces them:
// until Commit, readers see the previous scan's results, and after a
// failure nothing of the new one. A large case's entities and same-person
// links are most of what a scan writes, a gigabyte in memory and most of
// the time its saving takes: written while detection runs, they need not
// wait for it.
type ScanWriter interface {
	// AddLinks writes links of the scan; it may be called several times,
	// but not concurrently with another call of the writer.
	AddLinks(ctx context.Context, links []Link) error
	// AddParties writes which entity each party record of entities is in.
	// Entity resolution settles that for good: nothing later in a scan
	// moves a party (traces attach platform accounts only). Once it has
	// been called, Commit writes only the other records of r's entities.
	// It also readies for reading what was written so far (indexes):
	// called after the links, it leaves Commit little to do.
	AddParties(ctx context.Context, entities []Entity) error
	// Commit writes the rest of r, its links as AddLinks does, and makes
	// the scan the current one.
	Commit(ctx context.Context, r *ScanResult) error
	// Rollback abandons the scan; after Commit it does nothing.
	Rollback() error
}

// ResultStore keeps what analysis produced.
type ResultStore interface {
	// SaveScan replaces the previous scan's results with r, as BeginScan
	// and Commit do.
	SaveScan(ctx context.Context, r *ScanResult) error
	// BeginScan starts replacing the previous scan's results; the
	// previous ones are still read until the writer commits.
	BeginScan(ctx context.Context) (ScanWriter, error)
	Entities(ctx context.Context) ([]Entity, error)
	// Entity returns one entity and every link touching its records.
	Entity(ctx context.Context, id string) (*Entity, []Link, error)
	// ModelLinks returns the last scan's same-person links the model made
	// between parties, so that a later scan can keep them when it resolves
	// only new records.
	ModelLinks(ctx context.Context) ([]Link, error)
	Leads(ctx context.Context, f LeadFilter) ([]Lead, error)
	// Lead returns one lead with its reasons, evidence and attributions;
	// a *Error of code ENOTFOUND when there is none.
	Lead(ctx context.Context, id string) (*Lead, error)
}

// JudgementStore keeps analysts' same-person / not-same-person judgements.
type JudgementStore interface {
	AddJudgement(ctx context.Context, j *Judgement) error // sets j.ID
	UndoJudgement(ctx context.Context, id int64, who string, when time.Time) error
	// Judgements returns every judgement, undone ones included, oldest first.
	Judgements(ctx context.Context) ([]Judgement, error)
}

// StateStore keeps small named blobs between scans, such as the
// entity-resolution model's parameters, so that later scans can resolve new
// records against what is known without redoing everything.
type StateStore interface {
	PutState(ctx context.Context, name string, data []byte) error
	// State returns the blob, or found=false when none is stored.
	State(ctx context.Context, name string) (data []byte, found bool, err error)
}

// Store is the case store: the embedded SQLite file by default, PostgreSQL
// for teams.
type Store interface {
	Ingester
	CaseReader
	ResultStore
	JudgementStore
	StateStore
	WorkspaceStore
	PersonReader
	Close() error
}
