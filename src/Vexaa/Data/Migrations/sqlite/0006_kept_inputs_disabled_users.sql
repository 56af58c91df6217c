-- A succeeded job may keep its input for a while so it can be converted again (Retention:InputHours); this is when it goes.
ALTER TABLE jobs ADD COLUMN input_expires_at INTEGER NULL;
-- An administrator can disable a person without deleting them: no sign-in, no API key, sessions end.
ALTER TABLE users ADD COLUMN disabled_at INTEGER NULL;
