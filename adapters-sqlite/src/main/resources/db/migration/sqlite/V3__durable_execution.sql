-- Durable execution: the history of status changes, daemons' leases on the sessions they run, and
-- each session's activity log. Everything hangs off sessions with ON DELETE CASCADE, so deleting a
-- session erases its traces too (and secure_delete overwrites them).
-- Released: never edit; change the schema in a new migration.

-- Every status change, written in the same transaction as the change itself. seq is the rowid: the
-- order of recording.
CREATE TABLE transitions (
    seq         INTEGER NOT NULL PRIMARY KEY,
    session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    from_status TEXT    NOT NULL CHECK (from_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    to_status   TEXT    NOT NULL CHECK (to_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    changed_at  TEXT    NOT NULL CHECK (length(changed_at) = 27),
    reason      TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 64),
    actor       TEXT    NOT NULL CHECK (length(actor) BETWEEN 1 AND 128)
);
CREATE INDEX transitions_by_session ON transitions (session_id, seq);

-- At most one lease per session: the daemon instance that runs it, until expires_at unless renewed.
-- The token tells one claim from the next, for fencing.
CREATE TABLE leases (
    session_id TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    owner      TEXT    NOT NULL CHECK (length(owner) BETWEEN 1 AND 128),
    token      INTEGER NOT NULL,
    expires_at TEXT    NOT NULL CHECK (length(expires_at) = 27)
);
CREATE INDEX leases_by_owner ON leases (owner, expires_at);

-- One row per session that has logged anything: the last sequence number handed out and the marker
-- up to which the person acknowledged. Kept apart from sessions so that appending never rewrites the
-- session's row, whose context may be megabytes.
CREATE TABLE activity_logs (
    session_id       TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    last_seq         INTEGER NOT NULL CHECK (last_seq >= 0),
    acknowledged_seq INTEGER NOT NULL CHECK (acknowledged_seq BETWEEN 0 AND last_seq)
);

-- The newest entries of each log; older ones are deleted as new ones come in.
CREATE TABLE activities (
    session_id  TEXT    NOT NULL REFERENCES activity_logs (session_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    type        TEXT    NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
    occurred_at TEXT    NOT NULL CHECK (length(occurred_at) = 27),
    details     TEXT    NOT NULL,
    PRIMARY KEY (session_id, seq)
);

PRAGMA user_version = 3;
