-- Transcript search (docs/transcript.md): a full-text index of each item's text, the text of its string
-- values (json_tree's 'text' rows: never keys, numbers, booleans or nulls), kept by triggers in the
-- transaction of every insert and delete of transcript_items, so that no statement (append, pop,
-- clear, fork, delete, purge, a compaction) has to remember it.
-- Released: never edit; change the schema in a new migration.

-- An item's position: the index's row id, rising in the order items are stored, so that a search
-- reads the index newest first and stops after a page. transcript_items has no row id of its own
-- (WITHOUT ROWID), hence this table; a delete finds an item's position by (session_id, seq).
CREATE TABLE transcript_positions (
    position   INTEGER NOT NULL PRIMARY KEY,
    session_id TEXT    NOT NULL,
    seq        INTEGER NOT NULL
);
CREATE UNIQUE INDEX transcript_positions_by_item ON transcript_positions (session_id, seq);

-- Contentless: the text is not stored twice, only its words. Deleting takes the text again (the
-- 'delete' command), and with FTS5's secure-delete the deleted row's words are removed from the index
-- at once (not left behind a tombstone until a merge), so secure_delete can overwrite them. Words:
-- runs of letters and digits, any case; diacritics kept (naive is not naïve), as the other stores.
CREATE VIRTUAL TABLE transcript_search USING fts5(
    words, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO transcript_search (transcript_search, rank) VALUES ('secure-delete', 1);

-- The items already stored, oldest first, so that positions follow time for them too.
INSERT INTO transcript_positions (session_id, seq)
    SELECT session_id, seq FROM transcript_items ORDER BY appended_at, session_id, seq;
INSERT INTO transcript_search (rowid, words)
    SELECT p.position, (SELECT group_concat(t.value, ' ') FROM json_tree(i.item) AS t WHERE t.type = 'text')
    FROM transcript_positions AS p JOIN transcript_items AS i ON i.session_id = p.session_id AND i.seq = p.seq;

CREATE TRIGGER transcript_items_indexed AFTER INSERT ON transcript_items BEGIN
    INSERT INTO transcript_positions (session_id, seq) VALUES (NEW.session_id, NEW.seq);
    INSERT INTO transcript_search (rowid, words) VALUES (last_insert_rowid(),
        (SELECT group_concat(value, ' ') FROM json_tree(NEW.item) WHERE type = 'text'));
END;

CREATE TRIGGER transcript_items_unindexed AFTER DELETE ON transcript_items BEGIN
    INSERT INTO transcript_search (transcript_search, rowid, words) VALUES ('delete',
        (SELECT position FROM transcript_positions WHERE session_id = OLD.session_id AND seq = OLD.seq),
        (SELECT group_concat(value, ' ') FROM json_tree(OLD.item) WHERE type = 'text'));
    DELETE FROM transcript_positions WHERE session_id = OLD.session_id AND seq = OLD.seq;
END;

-- No statement rewrites an item today; if one ever does, its index follows.
CREATE TRIGGER transcript_items_reindexed AFTER UPDATE OF item ON transcript_items BEGIN
    INSERT INTO transcript_search (transcript_search, rowid, words) VALUES ('delete',
        (SELECT position FROM transcript_positions WHERE session_id = OLD.session_id AND seq = OLD.seq),
        (SELECT group_concat(value, ' ') FROM json_tree(OLD.item) WHERE type = 'text'));
    INSERT INTO transcript_search (rowid, words) VALUES (
        (SELECT position FROM transcript_positions WHERE session_id = OLD.session_id AND seq = OLD.seq),
        (SELECT group_concat(value, ' ') FROM json_tree(NEW.item) WHERE type = 'text'));
END;

PRAGMA user_version = 11;
