-- A scan's entities and links are written while it runs, into the slot
-- the current scan is not in, indexed there, and made current when the
-- scan commits by pointing the views entities and links at that slot (see
-- sqlstore/results.go): nothing is copied from a staging table and no
-- index is built while the commit holds the store. scan_slots says which
-- slot is current and which scan, if any, is writing the other. Each slot
-- has indexes of its own name: code that needs an index's name asks for
-- the slot's.
-- An entities table is keyed by record and holds nothing else of note:
-- without a rowid it is one tree, not a table and its key's index, and a
-- scan's millions of records are written once.
CREATE TABLE entities_0 (
	entity_id TEXT NOT NULL,
	record_type TEXT NOT NULL,
	record_id TEXT NOT NULL,
	PRIMARY KEY (record_type, record_id)
) WITHOUT ROWID;
INSERT INTO entities_0 (entity_id, record_type, record_id) SELECT entity_id, record_type, record_id FROM entities ORDER BY record_type, record_id;
DROP TABLE entities;
CREATE INDEX entities_0_entity ON entities_0 (entity_id);
DROP INDEX IF EXISTS links_a;
DROP INDEX IF EXISTS links_b;
ALTER TABLE links RENAME TO links_0;
CREATE INDEX links_0_a ON links_0 (a_type, a_id);
CREATE INDEX links_0_b ON links_0 (b_type, b_id);
CREATE TABLE entities_1 (
	entity_id TEXT NOT NULL,
	record_type TEXT NOT NULL,
	record_id TEXT NOT NULL,
	PRIMARY KEY (record_type, record_id)
) WITHOUT ROWID;
CREATE INDEX entities_1_entity ON entities_1 (entity_id);
CREATE TABLE links_1 (
	id INTEGER PRIMARY KEY,
	a_type TEXT NOT NULL, a_id TEXT NOT NULL, b_type TEXT NOT NULL, b_id TEXT NOT NULL,
	kind TEXT NOT NULL, weight REAL NOT NULL, prob REAL NOT NULL, basis TEXT NOT NULL,
	fields TEXT, source TEXT NOT NULL
);
CREATE INDEX links_1_a ON links_1 (a_type, a_id);
CREATE INDEX links_1_b ON links_1 (b_type, b_id);
CREATE VIEW entities AS SELECT * FROM entities_0;
CREATE VIEW links AS SELECT * FROM links_0;
DROP TABLE links_staging;
CREATE TABLE scan_slots (
	current INTEGER NOT NULL,
	writer TEXT
);
INSERT INTO scan_slots (current, writer) VALUES (0, NULL);
