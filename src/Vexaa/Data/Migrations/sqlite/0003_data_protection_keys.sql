-- The keys that encrypt sign-in cookies, shared by every API process so a session works whichever one a request reaches.
CREATE TABLE data_protection_keys (
    name       TEXT PRIMARY KEY,
    xml        TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
