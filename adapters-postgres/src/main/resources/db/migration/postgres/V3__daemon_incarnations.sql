-- Daemons' stable names and their incarnations: each start of a daemon under a name takes the next
-- number here, in the same transaction that fences the older incarnations' leases (token 0, expired
-- at the epoch), so the new one's first recover() returns their sessions at once.
-- Names are unqualified and the DDL stays within what jOOQ's DDLDatabase parses (see V1).
-- Released: never edit; change the schema in a new migration (and raise PostgresSchema.VERSION).

CREATE TABLE daemons (
    name        VARCHAR                     NOT NULL PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 128),
    incarnation BIGINT                      NOT NULL CHECK (incarnation >= 1),
    started_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
