-- Approvals, as the SQLite store has them after its V9: what Claude asks permission for, one row each
-- beside its session, so that a pending one outlives a restart of the daemon. Decided once: the
-- decision is written by an UPDATE that checks the row is still PENDING and before its deadline.
-- ON DELETE CASCADE: deleting or purging a session erases its approvals.
-- Released: never edit; change the schema in a new migration (and raise PostgresSchema.VERSION).

CREATE TABLE approvals (
    id           UUID                        NOT NULL PRIMARY KEY,
    session_id   UUID                        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- Its number among the session's approvals, from 1: what a change-log row refers to (ref).
    seq          BIGINT                      NOT NULL CHECK (seq >= 1),
    request_key  VARCHAR                     NOT NULL CHECK (length(request_key) BETWEEN 1 AND 256),
    -- EXPIRED is stored only when a session leaves ACTIVE with an approval already past its deadline;
    -- until then a PENDING row past its deadline reads as EXPIRED.
    state        VARCHAR                     NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED',
                                                                       'CANCELLED')),
    requested_by TEXT                        NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 128),
    requested_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    decided_at   TIMESTAMP(6) WITH TIME ZONE,
    decided_by   TEXT                        CHECK (length(decided_by) BETWEEN 1 AND 128),
    note         TEXT,
    -- TEXT, not JSONB: the request comes back exactly as written.
    request      TEXT                        NOT NULL,
    -- A session's approvals in order, and one per key (constraints: the build's DDL parser simulates
    -- the schema in H2, which has no partial indexes).
    CONSTRAINT approvals_by_session UNIQUE (session_id, seq),
    CONSTRAINT approvals_by_key UNIQUE (session_id, request_key)
);

-- Every session's pending approvals: one range of this index.
CREATE INDEX approvals_by_state ON approvals (state, requested_at);

-- The change log names two new kinds: its check on the kind becomes one on the kind's shape (the
-- application's Change.Kind is the list), as on SQLite, so that a new kind of event needs no new check.
ALTER TABLE changes DROP CONSTRAINT IF EXISTS changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_shape CHECK (length(kind) BETWEEN 1 AND 32 AND kind = upper(kind));
