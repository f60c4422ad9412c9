-- The change log needs no index beside its primary key. SQLite has one writer at a time: xact is
-- always 0 and seq, the rowid, rises in commit order, so every read of the log (a page after a
-- position, one session's changes after a position, the pruning cut) is a range of the rowid.
-- Each index cost every write a page of the WAL per session per commit: about a third of an enqueue.
-- Released: never edit; change the schema in a new migration.

DROP INDEX changes_in_order;
DROP INDEX changes_by_session;

PRAGMA user_version = 12;
