-- The conversation transcript: one row per item beside the session, never inside its context, so that
-- appending and reading a window are index seeks whatever the length. And where a forked session came
-- from. Everything hangs off sessions with ON DELETE CASCADE (and secure_delete overwrites it).
-- Released: never edit; change the schema in a new migration.

-- Set once, when a session is made by a fork: its parent and the parent's last item it was given. No
-- foreign key: deleting the parent must not touch the fork, which keeps the record of where it began.
ALTER TABLE sessions ADD COLUMN forked_from_id  TEXT    CHECK (forked_from_id IS NULL OR length(forked_from_id) = 36);
ALTER TABLE sessions ADD COLUMN forked_from_seq INTEGER CHECK (forked_from_seq IS NULL OR forked_from_seq >= 0);

-- One row per session that has a transcript: the last number handed out. Kept apart from sessions so
-- that an append never rewrites the session's row, whose context may be megabytes; it only goes up, so
-- a number is never reused after a pop or a clear.
CREATE TABLE transcripts (
    session_id TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    last_seq   INTEGER NOT NULL CHECK (last_seq >= 0)
);

-- The items, clustered by (session_id, seq): a tail or a page is one seek and a short scan. The item
-- is last, so that reading the other columns never touches a large item's overflow pages.
CREATE TABLE transcript_items (
    session_id TEXT    NOT NULL REFERENCES transcripts (session_id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    item_key   TEXT    CHECK (item_key IS NULL OR length(item_key) BETWEEN 1 AND 256),
    appended_at TEXT   NOT NULL CHECK (length(appended_at) = 27),
    item       TEXT    NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

-- Idempotent appends: at most one item per key in a session.
CREATE UNIQUE INDEX transcript_items_by_key ON transcript_items (session_id, item_key) WHERE item_key IS NOT NULL;

PRAGMA user_version = 4;
