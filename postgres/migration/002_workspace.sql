-- The investigator workspace: what the lead queue filters on, users,
-- sessions, triage, cases and the hash-chained audit log. Triage, cases and
-- the audit log outlive scans (lead and entity ids are stable).
ALTER TABLE leads ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN codes TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN entity_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN party0 TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN search TEXT NOT NULL DEFAULT '';
-- Copies of the lead's triage (the triage table is the truth and outlives
-- scans), so that the queue is a one-table query its indexes can answer.
ALTER TABLE leads ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
ALTER TABLE leads ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN case_id TEXT NOT NULL DEFAULT '';
CREATE INDEX leads_score ON leads (score, id);
CREATE INDEX leads_role_score ON leads (role, score, id);
CREATE INDEX leads_unit_score ON leads (unit, score, id);
CREATE INDEX leads_name ON leads (name, id);
CREATE INDEX leads_country ON leads (country, id);
CREATE INDEX leads_status ON leads (status, id);
CREATE INDEX leads_rank ON leads (rank, id);

CREATE TABLE lead_codes (
	lead_id TEXT NOT NULL,
	code TEXT NOT NULL,
	PRIMARY KEY (code, lead_id)
);

CREATE TABLE lead_entities (
	lead_id TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	PRIMARY KEY (entity_id, lead_id)
);

CREATE INDEX transactions_sender ON transactions (sender_party_id);
CREATE INDEX transactions_receiver ON transactions (receiver_party_id);
CREATE INDEX accounts_party ON accounts (party_id);
CREATE INDEX sessions_account ON sessions (platform, account_id);

CREATE TABLE users (
	username TEXT NOT NULL PRIMARY KEY,
	role TEXT NOT NULL,
	unit TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at TEXT NOT NULL,
	disabled BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE auth_sessions (
	token_hash TEXT NOT NULL PRIMARY KEY,
	username TEXT NOT NULL,
	csrf TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);

CREATE TABLE triage (
	lead_id TEXT NOT NULL PRIMARY KEY,
	status TEXT NOT NULL,
	unit TEXT NOT NULL,
	assignee TEXT NOT NULL,
	case_id TEXT NOT NULL
);
CREATE INDEX triage_unit ON triage (unit);

CREATE TABLE cases (
	id TEXT NOT NULL PRIMARY KEY,
	seq BIGINT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	unit TEXT NOT NULL,
	status TEXT NOT NULL,
	assignee TEXT NOT NULL,
	lead_ids TEXT NOT NULL,
	members TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	disposition TEXT NOT NULL,
	disposition_reason TEXT NOT NULL
);

CREATE TABLE case_notes (
	id BIGSERIAL PRIMARY KEY,
	case_id TEXT NOT NULL,
	author TEXT NOT NULL,
	at TEXT NOT NULL,
	body TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id);

CREATE TABLE case_dispositions (
	id BIGSERIAL PRIMARY KEY,
	case_id TEXT NOT NULL,
	disposition TEXT NOT NULL,
	reason TEXT NOT NULL,
	by_user TEXT NOT NULL,
	at TEXT NOT NULL
);
CREATE INDEX case_dispositions_case ON case_dispositions (case_id);

CREATE TABLE audit_log (
	seq BIGINT NOT NULL PRIMARY KEY,
	at TEXT NOT NULL,
	username TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	detail TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
