-- Approvals: what Claude asks permission for, one row each beside its session, so that a pending one
-- outlives a restart of the daemon. Decided once: the decision is written by an UPDATE that checks the
-- row is still PENDING and before its deadline. ON DELETE CASCADE: deleting or purging a session
-- erases its approvals (and secure_delete overwrites their pages).
-- Released: never edit; change the schema in a new migration.

CREATE TABLE approvals (
    id           TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    session_id   TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- Its number among the session's approvals, from 1: what a change-log row refers to (ref).
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    request_key  TEXT    NOT NULL CHECK (length(request_key) BETWEEN 1 AND 256),
    -- EXPIRED is stored only when a session leaves ACTIVE with an approval already past its deadline;
    -- until then a PENDING row past its deadline reads as EXPIRED.
    state        TEXT    NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED')),
    requested_by TEXT    NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 128),
    requested_at TEXT    NOT NULL CHECK (length(requested_at) = 27),
    expires_at   TEXT    NOT NULL CHECK (length(expires_at) = 27),
    decided_at   TEXT    CHECK (decided_at IS NULL OR length(decided_at) = 27),
    decided_by   TEXT    CHECK (decided_by IS NULL OR length(decided_by) BETWEEN 1 AND 128),
    note         TEXT,
    -- Last: reading the other columns never touches a large request's overflow pages.
    request      TEXT    NOT NULL
);

-- A session's approvals in order (its listing, the cancelling of its pending ones), and one per key.
CREATE UNIQUE INDEX approvals_by_session ON approvals (session_id, seq);
CREATE UNIQUE INDEX approvals_by_key ON approvals (session_id, request_key);
-- Every session's pending approvals: one range of this index.
CREATE INDEX approvals_by_state ON approvals (state, requested_at);

-- The change log names two new kinds. Its check listed the kinds, and SQLite cannot change a check in
-- place: the table is rebuilt once, with a check on the kind's shape instead (the application's
-- Change.Kind is the list), so that a new kind of event needs no rebuild again. Same columns, same
-- order, same rows and positions (seq is the rowid), same indexes.
CREATE TABLE changes_rebuilt (
    seq         INTEGER NOT NULL PRIMARY KEY,
    session_id  TEXT    NOT NULL CHECK (length(session_id) = 36),
    kind        TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 32 AND kind NOT GLOB '*[^A-Z_]*'),
    actor       TEXT    NOT NULL CHECK (length(actor) BETWEEN 1 AND 128),
    changed_at  TEXT    NOT NULL CHECK (length(changed_at) = 27),
    origin      INTEGER NOT NULL,
    from_status TEXT    CHECK (from_status IS NULL OR from_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    to_status   TEXT    CHECK (to_status IS NULL OR to_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    reason      TEXT    CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 64),
    ref         INTEGER NOT NULL DEFAULT 0,
    appended    INTEGER NOT NULL DEFAULT 0,
    removed     INTEGER NOT NULL DEFAULT 0,
    xact        INTEGER NOT NULL DEFAULT 0,
    write_id    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO changes_rebuilt (seq, session_id, kind, actor, changed_at, origin, from_status, to_status, reason, ref,
                             appended, removed, xact, write_id)
    SELECT seq, session_id, kind, actor, changed_at, origin, from_status, to_status, reason, ref, appended, removed,
           xact, write_id
    FROM changes;
DROP TABLE changes;
ALTER TABLE changes_rebuilt RENAME TO changes;
CREATE INDEX changes_in_order ON changes (xact, seq);
CREATE INDEX changes_by_session ON changes (session_id, seq);

PRAGMA user_version = 9;
