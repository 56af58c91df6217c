-- What a running job is doing now (measuring-loudness, encoding, storing), so progress can say it.
ALTER TABLE jobs ADD COLUMN phase VARCHAR(32) NULL;
