-- Resumable uploads move from a file on the receiving host's disk into shared storage, one object per PATCH (a segment),
-- so any API process can take the next chunk. A writer lease keeps two processes from appending at the same offset.
-- Once the last chunk is in, the chunks are joined into one object, which the probe reads and the job takes over.
-- Uploads in progress under the old layout cannot be resumed in the new one: they are dropped (clients start again).
DELETE FROM uploads;
-- sha256 is set when a finished upload's chunks have been joined into one object, hashed on the way.
ALTER TABLE uploads ADD COLUMN writer VARCHAR(26) NULL, ADD COLUMN writer_until BIGINT NULL, ADD COLUMN sha256 CHAR(64) NULL;
CREATE TABLE upload_segments (
    upload_id    VARCHAR(26) NOT NULL,
    start_offset BIGINT NOT NULL,
    length       BIGINT NOT NULL,
    storage_key  VARCHAR(200) NOT NULL,
    PRIMARY KEY (upload_id, start_offset),
    CONSTRAINT upload_segments_upload FOREIGN KEY (upload_id) REFERENCES uploads (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
