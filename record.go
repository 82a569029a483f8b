package filo

import "time"

// Provenance says where a stored record came from, so that every reason given
// for a lead can be traced back to a row an analyst can open. The file's
// digest is the Source's, once per file: every record carried a copy of
// it, 16 bytes each of twenty million in a large case.
type Provenance struct {
	File string // file name inside the case folder, e.g. "transactions.csv"
	Line int    // 1-based physical line of the record's first byte (the header is line 1)
}

// Attrs keeps unknown columns of an input row: the interchange format says
// they are attributes, never an error.
type Attrs map[string]string

// Party kinds.
const (
	KindPerson       = "person"
	KindOrganization = "organization"
)

// Party is one institution's record of a person or organisation. The same
// human may stand behind many parties; entity resolution finds them.
type Party struct {
	ID               string
	Kind             string // KindPerson or KindOrganization
	FullName         string
	BirthDate        string // YYYY-MM-DD or empty
	Country          string // ISO 3166-1 alpha-2, upper case, or empty
	City             string
	Address          string
	Phone            string // as written in the source
	Email            string
	IDNumber         string
	Institution      string
	MerchantCategory string // e.g. adult_platform, dating, video_chat, travel
	Attrs            Attrs
	Prov             Provenance

	// Phone read once, at ingest (see PhoneForms in package normalize):
	// in E.164 and its national significant number. Empty where it was
	// not read (a record not ingested, or stored before the forms were)
	// or where Phone is no valid number; readers then parse Phone.
	PhoneE164 string
	PhoneNSN  string
}

// Account is an account or customer profile at an institution.
type Account struct {
	ID          string
	PartyID     string
	Institution string
	Kind        string
	Currency    string
	IBAN        string
	OpenedAt    string // as written; date or timestamp
	Attrs       Attrs
	Prov        Provenance
}

// Payment channels.
const (
	ChannelMTO     = "mto"
	ChannelBank    = "bank"
	ChannelEwallet = "ewallet"
	ChannelCard    = "card"
	ChannelCrypto  = "crypto"
	ChannelOther   = "other"
)

// Transaction is one payment. Amount and Currency are as the source gave
// them; AmountUSD is the converted figure every analysis uses.
type Transaction struct {
	ID                string
	Time              time.Time // keeps the source's UTC offset
	Amount            float64
	AmountText        string // the decimal exactly as written
	Currency          string // ISO 4217
	AmountUSD         float64
	SenderPartyID     string
	SenderAccountID   string
	ReceiverPartyID   string
	ReceiverAccountID string
	SenderCountry     string
	ReceiverCountry   string
	Channel           string
	Institution       string
	Reference         string
	ControlNumber     string
	Attrs             Attrs
	Prov              Provenance
}

// PlatformAccount is an account on an online platform.
type PlatformAccount struct {
	Platform    string
	AccountID   string
	Handle      string
	DisplayName string
	Email       string
	Phone       string
	CreatedAt   string
	Attrs       Attrs
	Prov        Provenance
	PhoneE164   string // Phone in E.164, read at ingest with no default region; as Party.PhoneE164
}

// Ref is the account's name elsewhere: "platform:account_id".
func (p PlatformAccount) Ref() string { return PlatformRef(p.Platform, p.AccountID) }

// PlatformRef joins a platform and an account id the way the interchange
// format refers to platform accounts.
func PlatformRef(platform, accountID string) string { return platform + ":" + accountID }

// Session kinds.
const (
	SessionLogin     = "login"
	SessionVideoCall = "video_call"
	SessionStream    = "stream"
	SessionChat      = "chat"
)

// Session is a login, call or stream seen by a platform.
type Session struct {
	Platform      string
	SessionID     string
	AccountID     string
	PeerAccountID string
	Kind          string
	Start         time.Time
	End           time.Time // zero when unknown
	IP            string
	Attrs         Attrs
	Prov          Provenance
}

// Subscriber is who an internet provider had on an IP address, and when.
type Subscriber struct {
	IP             string
	Start          time.Time // zero when unknown
	End            time.Time // zero when unknown (open-ended)
	ISP            string
	SubscriberName string
	Address        string
	Phone          string
	Email          string
	Attrs          Attrs
	Prov           Provenance
	PhoneE164      string // Phone in E.164, read at ingest with no default region; as Party.PhoneE164
}

// Message is one chat message.
type Message struct {
	Platform        string
	ConversationID  string
	MessageID       string
	Time            time.Time
	SenderAccountID string
	Text            string
	Attrs           Attrs
	Prov            Provenance
}

// Watchlist entry kinds.
const (
	WatchName            = "name"
	WatchPhone           = "phone"
	WatchEmail           = "email"
	WatchAccount         = "account"
	WatchIBAN            = "iban"
	WatchIDNumber        = "id_number"
	WatchPlatformAccount = "platform_account"
)

// WatchEntry is an identifier that partner agencies report as belonging to a
// facilitator. It is an allegation, not a fact: it raises a lead, never
// decides one.
type WatchEntry struct {
	Kind    string
	Value   string
	Country string
	Source  string
	Note    string
	Attrs   Attrs
	Prov    Provenance
}

// FXRate is the USD value of one unit of a currency on a date.
type FXRate struct {
	Date     string // YYYY-MM-DD
	Currency string
	USDRate  float64
	Prov     Provenance
}

// Case is everything a case store holds as input, in memory, for analysis.
// Analysis packages take a *Case and never open files or databases.
type Case struct {
	Parties          []Party
	Accounts         []Account
	Transactions     Transactions
	PlatformAccounts []PlatformAccount
	Sessions         Sessions
	Subscribers      []Subscriber
	Messages         []Message
	Watchlist        []WatchEntry
}
