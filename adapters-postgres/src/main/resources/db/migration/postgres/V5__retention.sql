-- Retention, as the SQLite store has it after its V7: a session can be pinned, and a pinned session is
-- never purged. And the index a purge walks: TERMINATED sessions, oldest change first.
-- Released: never edit; change the schema in a new migration (and raise PostgresSchema.VERSION).

ALTER TABLE sessions ADD COLUMN pinned BOOLEAN DEFAULT FALSE NOT NULL;

CREATE INDEX sessions_by_change ON sessions (status, updated_at, id);
