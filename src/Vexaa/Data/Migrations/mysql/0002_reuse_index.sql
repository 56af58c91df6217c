-- Finding an earlier identical conversion (same owner, same input bytes) must not scan the table.
CREATE INDEX jobs_reuse ON jobs (user_id, input_sha256);
