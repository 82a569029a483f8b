-- Phone numbers as ingest reads them (see normalize.PhoneForms): E.164 and,
-- for parties, the national significant number. A scan takes them as they
-- are instead of parsing every number again. Rows stored before hold '':
-- a scan parses their numbers, as it did before, until they are ingested
-- again; their column blocks lack the columns and read them the same way.
ALTER TABLE parties ADD COLUMN phone_e164 TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN phone_nsn TEXT NOT NULL DEFAULT '';
ALTER TABLE platform_accounts ADD COLUMN phone_e164 TEXT NOT NULL DEFAULT '';
ALTER TABLE subscribers ADD COLUMN phone_e164 TEXT NOT NULL DEFAULT '';
