-- The change log: one row per change to a session, written in the transaction that makes it, so that
-- every handle on the file (another process, the CLI) can tell its listeners what others did. seq is
-- the rowid: SQLite has one writer at a time, so it rises by exactly one per change, in commit order.
-- Rows name a change (which session, what kind, who, when), never its content: a context or an item
-- stays in its own table. No foreign key: the log is pruned by seq only (the writers keep the newest
-- 10,000 rows), so a gap in it always means pruning, which a reader that was behind reports as a resync.
-- Released: never edit; change the schema in a new migration.

CREATE TABLE changes (
    seq         INTEGER NOT NULL PRIMARY KEY,
    session_id  TEXT    NOT NULL CHECK (length(session_id) = 36),
    kind        TEXT    NOT NULL CHECK (kind IN ('CREATED', 'TRANSITIONED', 'CONTEXT_CHANGED', 'ACTIVITY_APPENDED',
                                                 'TRANSCRIPT_CHANGED', 'FORKED')),
    actor       TEXT    NOT NULL CHECK (length(actor) BETWEEN 1 AND 128),
    changed_at  TEXT    NOT NULL CHECK (length(changed_at) = 27),
    -- Which open store wrote it (a random number per open): its own listeners were told already.
    origin      INTEGER NOT NULL,
    -- For TRANSITIONED: the history entry's statuses and reason.
    from_status TEXT    CHECK (from_status IS NULL OR from_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    to_status   TEXT    CHECK (to_status IS NULL OR to_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    reason      TEXT    CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 64),
    -- For ACTIVITY_APPENDED the activity's seq; for TRANSCRIPT_CHANGED the newest item appended, and
    -- how many were appended and removed.
    ref         INTEGER NOT NULL DEFAULT 0,
    appended    INTEGER NOT NULL DEFAULT 0,
    removed     INTEGER NOT NULL DEFAULT 0
);

PRAGMA user_version = 6;
