-- Resumable uploads move from a file on the receiving host's disk into shared storage, one object per PATCH (a segment),
-- so any API process can take the next chunk. A writer lease keeps two processes from appending at the same offset.
-- Once the last chunk is in, the chunks are joined into one object, which the probe reads and the job takes over.
-- Uploads in progress under the old layout cannot be resumed in the new one: they are dropped (clients start again).
DELETE FROM uploads;
ALTER TABLE uploads ADD COLUMN writer TEXT NULL;
ALTER TABLE uploads ADD COLUMN writer_until INTEGER NULL;
-- Set when a finished upload's chunks have been joined into one object, hashed on the way.
ALTER TABLE uploads ADD COLUMN sha256 TEXT NULL;
CREATE TABLE upload_segments (
    upload_id    TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    start_offset INTEGER NOT NULL,
    length       INTEGER NOT NULL,
    storage_key  TEXT NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
