-- Column blocks: every input table's rows again, thousands to a blob, in
-- the order they were inserted (see sqlstore/block.go). A scan reads the
-- case from them; the rows stay for everything that looks records up.
-- block_rows counts a source's rows held in blocks: a store written before
-- blocks existed has none, and is read row by row until re-ingested.
CREATE TABLE case_blocks (
	id        BIGSERIAL PRIMARY KEY,
	source_id BIGINT NOT NULL,
	tbl       TEXT NOT NULL,
	rows      BIGINT NOT NULL,
	data      BYTEA NOT NULL
);
CREATE INDEX case_blocks_tbl ON case_blocks (tbl, id);
CREATE INDEX case_blocks_source ON case_blocks (source_id);
ALTER TABLE sources ADD COLUMN block_rows BIGINT NOT NULL DEFAULT 0;
