-- The schema of the first (Python) daemon, exactly as it wrote it. A database that daemon made is a
-- database at version 1: opening one baselines it here and applies V2 onwards, so the conversion to
-- the current schema is the same code for a new database and for an upgraded one.
-- Released: never edit; change the schema in a new migration.
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    project_path TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    status TEXT NOT NULL,
    context TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_sessions_created_at ON sessions(created_at DESC);
CREATE INDEX IF NOT EXISTS idx_sessions_thread_id ON sessions(thread_id);
