-- The keys that encrypt sign-in cookies, shared by every API process so a session works whichever one a request reaches.
CREATE TABLE data_protection_keys (
    name       VARCHAR(100) NOT NULL PRIMARY KEY,
    xml        MEDIUMTEXT NOT NULL,
    created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
