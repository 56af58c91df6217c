-- A per-user security stamp, copied into every session cookie and compared on each cookie request: signing out,
-- changing the password and disabling the user replace it, which ends every session of that user on every replica.
-- Existing users start with '' (the stamp of cookies issued before this migration), so nobody is signed out by it.
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
-- Set when an administrator disables the user: no sign-in, no session, no API key until enabled again.
ALTER TABLE users ADD COLUMN disabled_at INTEGER NULL;
