-- The conversation transcript, as the SQLite store has it after its V4: one row per item beside the
-- session, never inside its context, so that appending and reading a window are index seeks whatever
-- the length. And where a forked session came from. ON DELETE CASCADE: deleting a session erases its
-- transcript.
-- Released: never edit; change the schema in a new migration (and raise PostgresSchema.VERSION).

-- Set once, when a session is made by a fork: its parent and the parent's last item it was given. No
-- foreign key: deleting the parent must not touch the fork, which keeps the record of where it began.
ALTER TABLE sessions ADD COLUMN forked_from_id UUID;
ALTER TABLE sessions ADD COLUMN forked_from_seq BIGINT CHECK (forked_from_seq >= 0);

-- One row per session that has a transcript: the last number handed out. Kept apart from sessions so
-- that an append never rewrites the session's row, whose context may be megabytes; it only goes up, so
-- a number is never reused after a pop or a clear.
CREATE TABLE transcripts (
    session_id UUID   NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    last_seq   BIGINT NOT NULL CHECK (last_seq >= 0)
);

-- The items, by (session_id, seq): a tail or a page is one index seek and a short scan. TEXT, not
-- JSONB, for the item: it must come back exactly as written.
CREATE TABLE transcript_items (
    session_id  UUID                        NOT NULL REFERENCES transcripts (session_id) ON DELETE CASCADE,
    seq         BIGINT                      NOT NULL CHECK (seq >= 1),
    item_key    VARCHAR                     CHECK (length(item_key) BETWEEN 1 AND 256),
    appended_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    item        TEXT                        NOT NULL,
    PRIMARY KEY (session_id, seq),
    -- Idempotent appends: at most one item per key in a session (NULL keys are distinct, so unkeyed
    -- items are not constrained). A constraint rather than SQLite's partial index: the build's DDL
    -- parser simulates the schema in H2, which has no partial indexes.
    CONSTRAINT transcript_items_key_unique UNIQUE (session_id, item_key)
);
