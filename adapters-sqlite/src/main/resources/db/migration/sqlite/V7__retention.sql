-- Retention: a session can be pinned, and a pinned session is never purged. And the index a purge
-- walks: TERMINATED sessions, oldest change first, so each batch is one short range scan.
-- Released: never edit; change the schema in a new migration.

ALTER TABLE sessions ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1));

CREATE INDEX sessions_by_change ON sessions (status, updated_at, id);

PRAGMA user_version = 7;
