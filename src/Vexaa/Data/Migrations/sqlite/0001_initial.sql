-- Times are Unix milliseconds (INTEGER) so both dialects compare them the same way.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    webhook_secret TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash         TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NULL,
    revoked_at   INTEGER NULL
);

CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    state            TEXT NOT NULL,
    options_json     TEXT NOT NULL,
    input_key        TEXT NULL,
    input_name       TEXT NOT NULL,
    input_size       INTEGER NOT NULL,
    input_sha256     TEXT NULL,
    probe_json       TEXT NULL,
    progress         REAL NOT NULL DEFAULT 0,
    eta_ms           INTEGER NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    run_after        INTEGER NOT NULL,
    lease_owner      TEXT NULL,
    lease_token      INTEGER NOT NULL DEFAULT 0,
    lease_expires_at INTEGER NULL,
    error_code       TEXT NULL,
    error_message    TEXT NULL,
    results_json     TEXT NULL,
    results_size     INTEGER NOT NULL DEFAULT 0,
    webhook_url      TEXT NULL,
    idempotency_key  TEXT NULL,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER NULL,
    finished_at      INTEGER NULL,
    expires_at       INTEGER NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX jobs_claim ON jobs (state, run_after);
CREATE INDEX jobs_user ON jobs (user_id, created_at);
CREATE INDEX jobs_expiry ON jobs (expires_at);

CREATE TABLE uploads (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    length       INTEGER NOT NULL,
    upload_offset INTEGER NOT NULL DEFAULT 0,
    metadata     TEXT NULL,
    file_name    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    completed_at INTEGER NULL
);
CREATE INDEX uploads_expiry ON uploads (expires_at);

CREATE TABLE webhook_deliveries (
    id           TEXT PRIMARY KEY,
    job_id       TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    url          TEXT NOT NULL,
    payload      TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    state        TEXT NOT NULL,
    last_error   TEXT NULL,
    lease_expires_at INTEGER NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX webhook_due ON webhook_deliveries (state, next_attempt_at);
