package casefolder

// column is one column of an interchange-v1 file.
type column struct {
	name     string
	required bool
}

func req(name string) column { return column{name, true} }
func opt(name string) column { return column{name, false} }

// File names of interchange format v1, in the order a folder is ingested:
// rates first so that transactions are converted with them.
const (
	FileFXRates          = "fx_rates.csv"
	FileParties          = "parties.csv"
	FileAccounts         = "accounts.csv"
	FileTransactions     = "transactions.csv"
	FilePlatformAccounts = "platform_accounts.csv"
	FileSessions         = "sessions.csv"
	FileSubscribers      = "subscribers.csv"
	FileMessages         = "messages.csv"
	FileWatchlist        = "watchlist.csv"
)

// Files lists every recognised file in ingest order.
var Files = []string{FileFXRates, FileParties, FileAccounts, FileTransactions,
	FilePlatformAccounts, FileSessions, FileSubscribers, FileMessages, FileWatchlist}

// requiredFiles must be in every case folder.
var requiredFiles = []string{FileParties, FileTransactions}

var schemas = map[string][]column{
	FileParties: {req("party_id"), opt("kind"), req("full_name"), opt("birth_date"), opt("country"),
		opt("city"), opt("address"), opt("phone"), opt("email"), opt("id_number"), opt("institution"),
		opt("merchant_category")},
	FileAccounts: {req("account_id"), req("party_id"), opt("institution"), opt("kind"), opt("currency"),
		opt("iban"), opt("opened_at")},
	FileTransactions: {req("tx_id"), req("timestamp"), req("amount"), req("currency"), req("sender_party_id"),
		opt("sender_account_id"), req("receiver_party_id"), opt("receiver_account_id"), opt("sender_country"),
		opt("receiver_country"), opt("channel"), opt("institution"), opt("reference"), opt("control_number")},
	FilePlatformAccounts: {req("platform"), req("account_id"), opt("handle"), opt("display_name"), opt("email"),
		opt("phone"), opt("created_at")},
	FileSessions: {req("platform"), opt("session_id"), req("account_id"), opt("peer_account_id"), opt("kind"),
		req("start"), opt("end"), opt("ip")},
	FileSubscribers: {req("ip"), opt("start"), opt("end"), opt("isp"), opt("subscriber_name"), opt("address"),
		opt("phone"), opt("email")},
	FileMessages: {req("platform"), opt("conversation_id"), opt("message_id"), req("timestamp"),
		req("sender_account_id"), req("text")},
	FileWatchlist: {req("kind"), req("value"), opt("country"), opt("source"), opt("note")},
	FileFXRates:   {req("date"), req("currency"), req("usd_rate")},
}

var (
	partyKinds   = set("person", "organization")
	channels     = set("mto", "bank", "ewallet", "card", "crypto", "other")
	sessionKinds = set("login", "video_call", "stream", "chat")
	watchKinds   = set("name", "phone", "email", "account", "iban", "id_number", "platform_account")
)

func set(vs ...string) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}

// idColumn names the column that identifies a record of each file, where
// records have an identity.
var idColumn = map[string]string{
	FileParties: "party_id", FileAccounts: "account_id", FileTransactions: "tx_id",
	FilePlatformAccounts: "account_id", FileSessions: "session_id", FileMessages: "message_id",
	FileWatchlist: "value", FileFXRates: "date", FileSubscribers: "ip",
}
