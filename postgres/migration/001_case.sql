-- Input records, each with the source file and line it came from.
CREATE TABLE sources (
	id          BIGSERIAL PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	file        TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	rows        BIGINT NOT NULL DEFAULT 0,
	ingested_at TEXT NOT NULL
);

CREATE TABLE parties (
	id TEXT NOT NULL PRIMARY KEY,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	kind TEXT NOT NULL, full_name TEXT NOT NULL, birth_date TEXT NOT NULL, country TEXT NOT NULL,
	city TEXT NOT NULL, address TEXT NOT NULL, phone TEXT NOT NULL, email TEXT NOT NULL,
	id_number TEXT NOT NULL, institution TEXT NOT NULL, merchant_category TEXT NOT NULL, attrs TEXT
);

CREATE TABLE accounts (
	id TEXT NOT NULL PRIMARY KEY,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	party_id TEXT NOT NULL, institution TEXT NOT NULL, kind TEXT NOT NULL, currency TEXT NOT NULL,
	iban TEXT NOT NULL, opened_at TEXT NOT NULL, attrs TEXT
);

CREATE TABLE transactions (
	id TEXT NOT NULL PRIMARY KEY,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	ts TEXT NOT NULL, amount DOUBLE PRECISION NOT NULL, amount_text TEXT NOT NULL, currency TEXT NOT NULL,
	amount_usd DOUBLE PRECISION NOT NULL, sender_party_id TEXT NOT NULL, sender_account_id TEXT NOT NULL,
	receiver_party_id TEXT NOT NULL, receiver_account_id TEXT NOT NULL, sender_country TEXT NOT NULL,
	receiver_country TEXT NOT NULL, channel TEXT NOT NULL, institution TEXT NOT NULL,
	reference TEXT NOT NULL, control_number TEXT NOT NULL, attrs TEXT
);

CREATE TABLE platform_accounts (
	platform TEXT NOT NULL, account_id TEXT NOT NULL,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	handle TEXT NOT NULL, display_name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT NOT NULL,
	created_at TEXT NOT NULL, attrs TEXT,
	PRIMARY KEY (platform, account_id)
);

CREATE TABLE sessions (
	id BIGSERIAL PRIMARY KEY,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	platform TEXT NOT NULL, session_id TEXT NOT NULL, account_id TEXT NOT NULL,
	peer_account_id TEXT NOT NULL, kind TEXT NOT NULL, start_ts TEXT NOT NULL, end_ts TEXT NOT NULL,
	ip TEXT NOT NULL, attrs TEXT
);
CREATE UNIQUE INDEX sessions_id ON sessions (platform, session_id) WHERE session_id <> '';

CREATE TABLE subscribers (
	id BIGSERIAL PRIMARY KEY,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	ip TEXT NOT NULL, start_ts TEXT NOT NULL, end_ts TEXT NOT NULL, isp TEXT NOT NULL,
	subscriber_name TEXT NOT NULL, address TEXT NOT NULL, phone TEXT NOT NULL, email TEXT NOT NULL, attrs TEXT
);

CREATE TABLE messages (
	id BIGSERIAL PRIMARY KEY,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	platform TEXT NOT NULL, conversation_id TEXT NOT NULL, message_id TEXT NOT NULL, ts TEXT NOT NULL,
	sender_account_id TEXT NOT NULL, body TEXT NOT NULL, attrs TEXT
);
CREATE UNIQUE INDEX messages_id ON messages (platform, message_id) WHERE message_id <> '';

CREATE TABLE watchlist (
	id BIGSERIAL PRIMARY KEY,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	kind TEXT NOT NULL, value TEXT NOT NULL, country TEXT NOT NULL, source TEXT NOT NULL,
	note TEXT NOT NULL, attrs TEXT
);

CREATE TABLE fx_rates (
	id BIGSERIAL PRIMARY KEY,
	source_id BIGINT NOT NULL, line BIGINT NOT NULL,
	day TEXT NOT NULL, currency TEXT NOT NULL, usd_rate DOUBLE PRECISION NOT NULL
);

-- What analysis made of the records. A scan replaces all of it.
CREATE TABLE scans (
	id BIGSERIAL PRIMARY KEY,
	scanned_at TEXT NOT NULL,
	policy TEXT NOT NULL
);

CREATE TABLE entities (
	entity_id TEXT NOT NULL,
	record_type TEXT NOT NULL,
	record_id TEXT NOT NULL,
	PRIMARY KEY (record_type, record_id)
);
CREATE INDEX entities_entity ON entities (entity_id);

CREATE TABLE links (
	id BIGSERIAL PRIMARY KEY,
	a_type TEXT NOT NULL, a_id TEXT NOT NULL, b_type TEXT NOT NULL, b_id TEXT NOT NULL,
	kind TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL, prob DOUBLE PRECISION NOT NULL, basis TEXT NOT NULL,
	fields TEXT, source TEXT NOT NULL
);
CREATE INDEX links_a ON links (a_type, a_id);
CREATE INDEX links_b ON links (b_type, b_id);

CREATE TABLE leads (
	id TEXT NOT NULL PRIMARY KEY,
	role TEXT NOT NULL,
	rank BIGINT NOT NULL,
	score DOUBLE PRECISION NOT NULL,
	body TEXT NOT NULL
);
CREATE INDEX leads_role_rank ON leads (role, rank);

-- Analysts' judgements outlive scans.
CREATE TABLE judgements (
	id BIGSERIAL PRIMARY KEY,
	a_type TEXT NOT NULL, a_id TEXT NOT NULL, b_type TEXT NOT NULL, b_id TEXT NOT NULL,
	same BIGINT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL,
	undone BIGINT NOT NULL DEFAULT 0, undone_by TEXT NOT NULL DEFAULT '', undone_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE state (
	name TEXT NOT NULL PRIMARY KEY,
	data BYTEA NOT NULL
);
