-- The whole schema of the PostgreSQL store, as the SQLite store has it after its V3: sessions, the
-- history of their status changes, daemons' leases and the activity log. Everything hangs off
-- sessions with ON DELETE CASCADE, so deleting a session erases its traces too.
-- Names are unqualified: the schema is the one Flyway was given (the first of search_path).
-- jOOQ's DDLDatabase reads this file at build time to generate the adapter's classes, so it keeps
-- to DDL that jOOQ's parser understands and that it can simulate in H2. Hence VARCHAR (without a
-- length, which in PostgreSQL is the same type as TEXT) for indexed text: H2 reads TEXT as a CLOB,
-- which it cannot index.
-- Released: never edit; change the schema in a new migration (and raise PostgresSchema.VERSION).

CREATE TABLE sessions (
    id           UUID                        NOT NULL PRIMARY KEY,
    project_path VARCHAR                     NOT NULL CHECK (length(project_path) > 0),
    thread_id    VARCHAR                     NOT NULL CHECK (length(thread_id) > 0),
    status       VARCHAR                     NOT NULL CHECK (status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    version      BIGINT                      NOT NULL CHECK (version >= 1),
    -- TEXT, not JSONB: the context must come back exactly as written (key order, the text of every
    -- number, escapes such as \u0000 that JSONB refuses). The application validates it.
    context      TEXT                        NOT NULL,
    CONSTRAINT sessions_updated_after_created CHECK (updated_at >= created_at)
);

-- Newest first, ties by id: the list order and its keyset cursor, with and without each filter.
CREATE INDEX sessions_newest     ON sessions (created_at DESC, id DESC);
CREATE INDEX sessions_by_status  ON sessions (status, created_at DESC, id DESC);
CREATE INDEX sessions_by_project ON sessions (project_path, created_at DESC, id DESC);
CREATE INDEX sessions_by_thread  ON sessions (thread_id, created_at DESC, id DESC);

-- Every status change, written in the same transaction as the change itself; seq is the order of
-- recording.
CREATE TABLE transitions (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  UUID                        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    from_status TEXT                        NOT NULL CHECK (from_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    to_status   TEXT                        NOT NULL CHECK (to_status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    changed_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    reason      TEXT                        NOT NULL CHECK (length(reason) BETWEEN 1 AND 64),
    actor       TEXT                        NOT NULL CHECK (length(actor) BETWEEN 1 AND 128)
);
CREATE INDEX transitions_by_session ON transitions (session_id, seq);

-- At most one lease per session: the daemon instance that runs it, until expires_at unless renewed.
-- The token tells one claim from the next, for fencing.
CREATE TABLE leases (
    session_id UUID                        NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    owner      VARCHAR                     NOT NULL CHECK (length(owner) BETWEEN 1 AND 128),
    token      BIGINT                      NOT NULL,
    expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX leases_by_owner   ON leases (owner, expires_at);
CREATE INDEX leases_by_expiry  ON leases (expires_at);

-- One row per session that has logged anything: the last sequence number handed out and the marker
-- up to which the person acknowledged. Kept apart from sessions so that appending never rewrites the
-- session's row, whose context may be megabytes.
CREATE TABLE activity_logs (
    session_id       UUID   NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    last_seq         BIGINT NOT NULL CHECK (last_seq >= 0),
    acknowledged_seq BIGINT NOT NULL CHECK (acknowledged_seq >= 0),
    CONSTRAINT activity_logs_marker_in_range CHECK (acknowledged_seq <= last_seq)
);

-- The newest entries of each log; older ones are deleted as new ones come in.
CREATE TABLE activities (
    session_id  UUID                        NOT NULL REFERENCES activity_logs (session_id) ON DELETE CASCADE,
    seq         BIGINT                      NOT NULL CHECK (seq >= 1),
    type        TEXT                        NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
    occurred_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    details     TEXT                        NOT NULL,
    PRIMARY KEY (session_id, seq)
);
