-- The change log, as the SQLite store has it after its V6: one row per change to a session, written
-- in the transaction that makes it, so that every handle on the schema (another daemon, the CLI) can
-- tell its listeners what others did. Writers take seq as the last one plus one under a transaction-
-- scoped advisory lock held until their commit, so seq rises by exactly one per change in commit order
-- (a sequence would leave gaps, and hand out numbers in an order other than that of the commits).
-- Rows name a change, never its content. No foreign key: the log is pruned by seq only (the writers
-- keep the newest 10,000 rows), so a gap always means pruning, which a reader reports as a resync.
-- Released: never edit; change the schema in a new migration (and raise PostgresSchema.VERSION).

CREATE TABLE changes (
    seq         BIGINT                      NOT NULL PRIMARY KEY,
    session_id  UUID                        NOT NULL,
    kind        VARCHAR                     NOT NULL CHECK (kind IN ('CREATED', 'TRANSITIONED', 'CONTEXT_CHANGED',
                                                                     'ACTIVITY_APPENDED', 'TRANSCRIPT_CHANGED', 'FORKED')),
    actor       TEXT                        NOT NULL CHECK (length(actor) BETWEEN 1 AND 128),
    changed_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    -- Which open store wrote it (a random number per open): its own listeners were told already.
    origin      BIGINT                      NOT NULL,
    -- For TRANSITIONED: the history entry's statuses and reason.
    from_status TEXT                        CHECK (from_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    to_status   TEXT                        CHECK (to_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    reason      TEXT                        CHECK (length(reason) BETWEEN 1 AND 64),
    -- For ACTIVITY_APPENDED the activity's seq; for TRANSCRIPT_CHANGED the newest item appended, and
    -- how many were appended and removed.
    ref         BIGINT                      NOT NULL DEFAULT 0,
    appended    BIGINT                      NOT NULL DEFAULT 0,
    removed     BIGINT                      NOT NULL DEFAULT 0
);
