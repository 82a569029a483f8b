-- A scan's links as entity resolution makes them, before the scan commits
-- (see sqlstore/results.go): written in short transactions while the scan
-- goes on, and moved into links when it commits. token is the scan's, so
-- that a second scan running at the same time is noticed, not mixed in.
CREATE TABLE links_staging (
	id BIGSERIAL PRIMARY KEY,
	token TEXT NOT NULL,
	a_type TEXT NOT NULL, a_id TEXT NOT NULL, b_type TEXT NOT NULL, b_id TEXT NOT NULL,
	kind TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL, prob DOUBLE PRECISION NOT NULL, basis TEXT NOT NULL,
	fields TEXT, source TEXT NOT NULL
);
