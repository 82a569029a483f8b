package filo

import "time"

// Record types an entity can cover.
const (
	RecordParty           = "party"
	RecordPlatformAccount = "platform_account"
)

// RecordRef names one input record: a party by its party_id, or a platform
// account by "platform:account_id".
type RecordRef struct {
	Type string // RecordParty or RecordPlatformAccount
	ID   string
}

func (r RecordRef) String() string { return r.Type + "/" + r.ID }

// Entity is one real person or organisation as resolved from many records.
// Its ID is stable across scans and ingests so that leads and cases keep
// pointing at the same person.
type Entity struct {
	ID      string
	Records []RecordRef
}

// Link kinds.
const (
	LinkSame    = "same"    // the two records are the same person
	LinkRelated = "related" // different people tied by phone, address or family name
)

// Link sources.
const (
	LinkByModel   = "model"
	LinkByAnalyst = "analyst"
)

// FieldContribution is one field's share of a pair's match weight, kept so
// that every merge can be explained field by field.
type FieldContribution struct {
	Field  string  `json:"field"`  // e.g. "name", "phone", "birth_date"
	Level  string  `json:"level"`  // e.g. "exact", "jaro_winkler>=0.92", "phonetic", "missing", "different"
	Weight float64 `json:"weight"` // log2 Bayes factor added by this field (negative counts against)
	A      string  `json:"a,omitempty"`
	B      string  `json:"b,omitempty"`
}

// Link ties two records, with the evidence for it.
type Link struct {
	A, B   RecordRef
	Kind   string  // LinkSame or LinkRelated
	Weight float64 // total match weight (log2), or strength for related links
	Prob   float64 // match probability where the model gives one
	Basis  string  // for related links: "phone", "address", "family_name", ...
	Fields []FieldContribution
	Source string // LinkByModel or LinkByAnalyst
}

// Judgement is an analyst's word that two records are, or are not, the same
// person. It overrides the model on every later scan until undone.
type Judgement struct {
	ID       int64
	A, B     RecordRef
	Same     bool
	Who      string
	When     time.Time
	Reason   string
	Undone   bool
	UndoneBy string
	UndoneAt time.Time
}
