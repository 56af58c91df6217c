-- MySQL 8 / MariaDB 10.6+. Times are Unix milliseconds (BIGINT), as in the SQLite schema.
CREATE TABLE users (
    id             VARCHAR(26) NOT NULL PRIMARY KEY,
    name           VARCHAR(64) NOT NULL UNIQUE,
    password_hash  VARCHAR(200) NULL,
    is_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    webhook_secret VARCHAR(100) NOT NULL,
    created_at     BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE api_keys (
    id           VARCHAR(26) NOT NULL PRIMARY KEY,
    user_id      VARCHAR(26) NOT NULL,
    hash         CHAR(64) NOT NULL UNIQUE,
    prefix       VARCHAR(16) NOT NULL,
    name         VARCHAR(200) NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NULL,
    revoked_at   BIGINT NULL,
    CONSTRAINT api_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE jobs (
    id               VARCHAR(26) NOT NULL PRIMARY KEY,
    user_id          VARCHAR(26) NOT NULL,
    state            VARCHAR(16) NOT NULL,
    options_json     TEXT NOT NULL,
    input_key        VARCHAR(200) NULL,
    input_name       VARCHAR(1024) NOT NULL,
    input_size       BIGINT NOT NULL,
    input_sha256     CHAR(64) NULL,
    probe_json       MEDIUMTEXT NULL,
    progress         DOUBLE NOT NULL DEFAULT 0,
    eta_ms           BIGINT NULL,
    attempts         INT NOT NULL DEFAULT 0,
    max_attempts     INT NOT NULL,
    run_after        BIGINT NOT NULL,
    lease_owner      VARCHAR(200) NULL,
    lease_token      BIGINT NOT NULL DEFAULT 0,
    lease_expires_at BIGINT NULL,
    error_code       VARCHAR(64) NULL,
    error_message    TEXT NULL,
    results_json     MEDIUMTEXT NULL,
    results_size     BIGINT NOT NULL DEFAULT 0,
    webhook_url      VARCHAR(2000) NULL,
    idempotency_key  VARCHAR(200) NULL,
    created_at       BIGINT NOT NULL,
    started_at       BIGINT NULL,
    finished_at      BIGINT NULL,
    expires_at       BIGINT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE KEY jobs_idempotency (user_id, idempotency_key),
    KEY jobs_claim (state, run_after),
    KEY jobs_user (user_id, created_at),
    KEY jobs_expiry (expires_at),
    CONSTRAINT jobs_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE uploads (
    id            VARCHAR(26) NOT NULL PRIMARY KEY,
    user_id       VARCHAR(26) NOT NULL,
    length        BIGINT NOT NULL,
    upload_offset BIGINT NOT NULL DEFAULT 0,
    metadata      TEXT NULL,
    file_name     VARCHAR(1024) NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    completed_at  BIGINT NULL,
    KEY uploads_expiry (expires_at),
    CONSTRAINT uploads_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE webhook_deliveries (
    id               VARCHAR(26) NOT NULL PRIMARY KEY,
    job_id           VARCHAR(26) NOT NULL,
    user_id          VARCHAR(26) NOT NULL,
    url              VARCHAR(2000) NOT NULL,
    payload          TEXT NOT NULL,
    attempts         INT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    state            VARCHAR(16) NOT NULL,
    last_error       TEXT NULL,
    lease_expires_at BIGINT NULL,
    created_at       BIGINT NOT NULL,
    KEY webhook_due (state, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
