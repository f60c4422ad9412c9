-- The first schema of this library: versioned rows, canonical values, indexes for newest-first
-- keyset paging under each filter. Rows of a reference (Python) database are carried over:
--   * ids in canonical lowercase;
--   * statuses in upper case (anything unknown fails the CHECK, and with it the whole upgrade);
--   * timestamps to the fixed-width UTC form 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (27 chars, sorts as text).
--     The reference wrote ISO-8601 with '+00:00', its earliest builds naive UTC, Python's isoformat()
--     drops '.ffffff' when it is zero, and str() writes a space for 'T'. The seconds are converted by
--     SQLite (which applies any offset) with the fraction cut off first, because SQLite rounds
--     fractions to milliseconds and could carry into the next second; the fraction is then put back
--     digit for digit. Unparseable text yields NULL, which fails NOT NULL and the upgrade;
--   * a NULL context becomes '{}', a context that is not a JSON object is kept, wrapped, under
--     "legacy_context", so nothing is lost and every context is an object;
--   * an updated_at earlier than created_at (a clock that stepped back) is raised to created_at;
--   * every row starts at version 1.
-- Released: never edit; change the schema in a new migration.

CREATE TABLE sessions_v2 (
    id           TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    project_path TEXT    NOT NULL CHECK (length(project_path) > 0),
    thread_id    TEXT    NOT NULL CHECK (length(thread_id) > 0),
    status       TEXT    NOT NULL CHECK (status IN ('CREATED', 'ACTIVE', 'PAUSED', 'TERMINATED')),
    created_at   TEXT    NOT NULL CHECK (length(created_at) = 27),
    updated_at   TEXT    NOT NULL CHECK (length(updated_at) = 27 AND updated_at >= created_at),
    version      INTEGER NOT NULL CHECK (version >= 1),
    -- Last, so that reading the other columns never touches a large context's overflow pages.
    context      TEXT    NOT NULL
);

INSERT INTO sessions_v2 (id, project_path, thread_id, status, created_at, updated_at, version, context)
SELECT lower(id),
       project_path,
       thread_id,
       upper(status),
       created,
       max(created, updated),
       1,
       CASE WHEN context IS NULL THEN '{}'
            WHEN json_valid(context) AND json_type(context) = 'object' THEN context
            ELSE json_object('legacy_context', context) END
FROM (
    SELECT *,
           CASE WHEN c_seconds IS NOT NULL AND c_fraction NOT GLOB '*[^0-9]*'
                THEN c_seconds || '.' || substr(c_fraction || '000000', 1, 6) || 'Z' END AS created,
           CASE WHEN u_seconds IS NOT NULL AND u_fraction NOT GLOB '*[^0-9]*'
                THEN u_seconds || '.' || substr(u_fraction || '000000', 1, 6) || 'Z' END AS updated
    FROM (
    SELECT *,
           strftime('%Y-%m-%dT%H:%M:%S', substr(created_at, 1, 19) || substr(c_rest, c_zone)) AS c_seconds,
           CASE WHEN substr(created_at, 20, 1) = '.' THEN substr(c_rest, 1, c_zone - 1) ELSE '' END AS c_fraction,
           strftime('%Y-%m-%dT%H:%M:%S', substr(updated_at, 1, 19) || substr(u_rest, u_zone)) AS u_seconds,
           CASE WHEN substr(updated_at, 20, 1) = '.' THEN substr(u_rest, 1, u_zone - 1) ELSE '' END AS u_fraction
    FROM (
        -- *_rest: what follows the seconds, without a leading '.'; *_zone: where its offset starts.
        SELECT *,
               CASE WHEN instr(c_rest, '+') > 0 THEN instr(c_rest, '+')
                    WHEN instr(c_rest, '-') > 0 THEN instr(c_rest, '-')
                    WHEN instr(upper(c_rest), 'Z') > 0 THEN instr(upper(c_rest), 'Z')
                    ELSE length(c_rest) + 1 END AS c_zone,
               CASE WHEN instr(u_rest, '+') > 0 THEN instr(u_rest, '+')
                    WHEN instr(u_rest, '-') > 0 THEN instr(u_rest, '-')
                    WHEN instr(upper(u_rest), 'Z') > 0 THEN instr(upper(u_rest), 'Z')
                    ELSE length(u_rest) + 1 END AS u_zone
        FROM (
            SELECT *,
                   CASE WHEN substr(created_at, 20, 1) = '.' THEN substr(created_at, 21) ELSE substr(created_at, 20) END AS c_rest,
                   CASE WHEN substr(updated_at, 20, 1) = '.' THEN substr(updated_at, 21) ELSE substr(updated_at, 20) END AS u_rest
            FROM sessions
        )
    )
    )
);

DROP TABLE sessions;
ALTER TABLE sessions_v2 RENAME TO sessions;

-- Newest first, ties by id: the list order and its keyset cursor, with and without each filter.
CREATE INDEX sessions_newest     ON sessions (created_at DESC, id DESC);
CREATE INDEX sessions_by_status  ON sessions (status, created_at DESC, id DESC);
CREATE INDEX sessions_by_project ON sessions (project_path, created_at DESC, id DESC);
CREATE INDEX sessions_by_thread  ON sessions (thread_id, created_at DESC, id DESC);

-- 0x43534553, "CSES": marks the file as a claude-signal sessions database.
PRAGMA application_id = 1129530707;
-- The schema version, readable without Flyway: a newer file than this code knows is refused.
PRAGMA user_version = 2;
