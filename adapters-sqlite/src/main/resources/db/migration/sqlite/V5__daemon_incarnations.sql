-- Daemons' stable names and their incarnations: each start of a daemon under a name takes the next
-- number here, in the same transaction that fences the older incarnations' leases (token 0, expired
-- at the epoch), so the new one's first recover() returns their sessions at once.
-- Released: never edit; change the schema in a new migration.

CREATE TABLE daemons (
    name        TEXT    NOT NULL PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 128),
    incarnation INTEGER NOT NULL CHECK (incarnation >= 1),
    started_at  TEXT    NOT NULL CHECK (length(started_at) = 27)
);

PRAGMA user_version = 5;
