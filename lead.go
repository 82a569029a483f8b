package filo

import "time"

// Lead roles.
const (
	RoleBuyer       = "buyer"
	RoleFacilitator = "facilitator"
)

// Lead is a person (buyer) or a facilitator ring put forward for human
// review. It is never a finding: its reasons say which indicators fired and
// its evidence points at the source rows.
type Lead struct {
	ID               string
	Role             string // RoleBuyer or RoleFacilitator
	Rank             int    // 1 is the strongest lead of its role
	Score            float64
	EntityIDs        []string // one for a buyer; every identity of a ring
	PartyIDs         []string // every input party_id the entities cover
	PlatformAccounts []string // "platform:account_id" attributed to the lead
	Reasons          []Reason // strongest first
	Labels           []string // e.g. "possible_fraud_victim": context an analyst must see
	Attributions     []Attribution
	ScannedAt        time.Time
}

// Reason is one indicator that fired for a lead.
type Reason struct {
	Code         string     `json:"code"`         // indicator code from the policy, e.g. "SMALL_CORRIDOR"
	Description  string     `json:"description"`  // plain words
	Source       string     `json:"source"`       // research source codes, e.g. "AUSTRAC; AIC-589"
	Contribution float64    `json:"contribution"` // what it added to the score
	Detail       string     `json:"detail"`       // the figures behind it, e.g. "14 payments of 9-28 USD to PH"
	Evidence     []Evidence `json:"evidence"`
}

// Evidence kinds.
const (
	EvidenceTransaction     = "transaction"
	EvidenceSession         = "session"
	EvidenceMessage         = "message"
	EvidenceWatchlist       = "watchlist"
	EvidenceParty           = "party"
	EvidenceSubscriber      = "subscriber"
	EvidencePlatformAccount = "platform_account"
)

// Evidence is one source row behind a reason.
type Evidence struct {
	Kind     string `json:"kind"`
	RecordID string `json:"record_id"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Note     string `json:"note,omitempty"`
}

// Attribution ties a platform account to a lead through a chain of evidence
// (account → session → IP → subscriber → person, or message → control number
// → transaction → sender).
type Attribution struct {
	PlatformAccount string     `json:"platform_account"`
	EntityID        string     `json:"entity_id"`
	Confidence      float64    `json:"confidence"`
	Method          string     `json:"method"` // e.g. "ip_subscriber", "chat_control_number", "identifier"
	Chain           []Evidence `json:"chain"`
}

// LeadFilter selects leads.
type LeadFilter struct {
	Role  string // empty for all
	Limit int    // 0 for all
}

// TraceSignal is what online-trace analysis says about one entity, for
// scoring: detection turns each into a reason weighted by the policy.
type TraceSignal struct {
	EntityID     string     `json:"entity_id"`
	Code         string     `json:"code"`                   // indicator code, e.g. "CALL_NEAR_PAYMENT", "CHAT_CONTROL_NUMBER"
	Strength     float64    `json:"strength"`               // 0..1
	Counterparty string     `json:"counterparty,omitempty"` // the other side's entity id, where there is one
	Detail       string     `json:"detail"`
	Evidence     []Evidence `json:"evidence"`
}
