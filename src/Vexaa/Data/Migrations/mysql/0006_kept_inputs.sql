-- A succeeded job may keep its input for a while so it can be converted again (Retention:InputHours); this is when it goes.
-- (users.disabled_at, which disabling people needs too, came with 0005.)
ALTER TABLE jobs ADD COLUMN input_expires_at BIGINT NULL;
