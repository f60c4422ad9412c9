-- The change log, ordered the way the PostgreSQL store orders its own (its V6), so that one reader
-- serves both: by (xact, seq). SQLite has one writer at a time, so its rows need no transaction
-- number (xact stays 0) and seq, the rowid, already rises in commit order. write_id tells the handle
-- that made a change which of its writes it was. Pruning records how far it went in
-- change_log_pruned, so that a reader behind that point hears a resync instead of a gap.
-- Released: never edit; change the schema in a new migration.

ALTER TABLE changes ADD COLUMN xact INTEGER NOT NULL DEFAULT 0;
ALTER TABLE changes ADD COLUMN write_id INTEGER NOT NULL DEFAULT 0;

CREATE INDEX changes_in_order ON changes (xact, seq);
CREATE INDEX changes_by_session ON changes (session_id, seq);

CREATE TABLE change_log_pruned (
    only_row     INTEGER NOT NULL PRIMARY KEY CHECK (only_row = 1),
    through_xact INTEGER NOT NULL,
    through_seq  INTEGER NOT NULL
);
INSERT INTO change_log_pruned (only_row, through_xact, through_seq)
    SELECT 1, 0, coalesce(min(seq) - 1, 0) FROM changes;

PRAGMA user_version = 8;
