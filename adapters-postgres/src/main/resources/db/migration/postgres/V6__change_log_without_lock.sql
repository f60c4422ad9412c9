-- The change log without a store-wide lock (see docs/events.md). Writers no longer take turns: each row
-- records its writing transaction (xact, from pg_current_xact_id()) and a position from a sequence
-- (seq), both filled in by the server. A reader reads only the rows of transactions older than the
-- oldest one still running (the snapshot's xmin), in (xact, seq) order, so a transaction that commits
-- late is never skipped; and since every write takes its session's row lock before it records its
-- change, a session's rows rise in seq in that session's commit order. write_id tells the handle that
-- made a change which of its writes it was. Pruning records how far it went in change_log_pruned.
-- The old log is dropped: it holds no content (its rows only name changes), and readers start at the
-- head. Released: never edit; change the schema in a new migration (and raise PostgresSchema.VERSION).

DROP TABLE changes;

CREATE SEQUENCE change_positions;

CREATE TABLE changes (
    xact        BIGINT                      NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    seq         BIGINT                      NOT NULL DEFAULT nextval('change_positions'),
    session_id  UUID                        NOT NULL,
    kind        VARCHAR                     NOT NULL CHECK (kind IN ('CREATED', 'TRANSITIONED', 'CONTEXT_CHANGED',
                                                                     'ACTIVITY_APPENDED', 'TRANSCRIPT_CHANGED', 'FORKED')),
    actor       TEXT                        NOT NULL CHECK (length(actor) BETWEEN 1 AND 128),
    changed_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    -- Which open store wrote it (a random number per open), and which of its writes.
    origin      BIGINT                      NOT NULL,
    write_id    BIGINT                      NOT NULL DEFAULT 0,
    -- For TRANSITIONED: the history entry's statuses and reason.
    from_status TEXT                        CHECK (from_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    to_status   TEXT                        CHECK (to_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    reason      TEXT                        CHECK (length(reason) BETWEEN 1 AND 64),
    -- For ACTIVITY_APPENDED the activity's seq; for TRANSCRIPT_CHANGED the newest item appended, and
    -- how many were appended and removed.
    ref         BIGINT                      NOT NULL DEFAULT 0,
    appended    BIGINT                      NOT NULL DEFAULT 0,
    removed     BIGINT                      NOT NULL DEFAULT 0,
    PRIMARY KEY (xact, seq)
);

CREATE INDEX changes_by_session ON changes (session_id, seq);

CREATE TABLE change_log_pruned (
    only_row     INTEGER NOT NULL PRIMARY KEY CHECK (only_row = 1),
    through_xact BIGINT  NOT NULL,
    through_seq  BIGINT  NOT NULL
);
INSERT INTO change_log_pruned (only_row, through_xact, through_seq) VALUES (1, 0, 0);
