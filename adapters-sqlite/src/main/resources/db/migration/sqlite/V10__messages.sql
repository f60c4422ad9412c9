-- The inbox and the outbox (docs/messages.md): messages from the person wait, per session, for its
-- daemon; replies wait, store-wide, for a sender. Both hang off sessions with ON DELETE CASCADE, so a
-- delete or a purge takes them along (and secure_delete overwrites their pages). The change log's two
-- new kinds need nothing here: V9 already made its check on kind a check on the kind's shape.
-- Released: never edit; change the schema in a new migration.

-- One row per session that received a message: the last number handed out, and how many messages are
-- not handled yet (waiting or taken), so that numbering and the inbox's bound are one seek, however
-- full the inbox is. Changed under the session's lock, with the message rows, in one transaction.
CREATE TABLE inboxes (
    session_id TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    last_seq   INTEGER NOT NULL CHECK (last_seq >= 0),
    unhandled  INTEGER NOT NULL CHECK (unhandled >= 0)
);

-- A session's messages by number (its order of arrival); the message itself last, so that reading the
-- other columns never touches a large message's overflow pages. One message per key in a session.
CREATE TABLE inbox_messages (
    session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    message_key TEXT    NOT NULL CHECK (length(message_key) BETWEEN 1 AND 256),
    state       TEXT    NOT NULL CHECK (state IN ('WAITING', 'TAKEN', 'DONE')),
    received_at TEXT    NOT NULL CHECK (length(received_at) = 27),
    message     TEXT    NOT NULL,
    PRIMARY KEY (session_id, seq),
    UNIQUE (session_id, message_key)
) WITHOUT ROWID;

-- next: a session's waiting messages in order, one seek.
CREATE INDEX inbox_by_state ON inbox_messages (session_id, state, seq);
-- A recovery: the taken messages, wherever they are, without reading the others.
CREATE INDEX inbox_taken ON inbox_messages (state, session_id);

-- The replies, numbered store-wide in enqueue order (the rowid). due_at: while PENDING when it may be
-- claimed, while CLAIMED when the claim ends. One reply per key in a session.
CREATE TABLE outbox_replies (
    reply_id   INTEGER NOT NULL PRIMARY KEY,
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    reply_key  TEXT    NOT NULL CHECK (length(reply_key) BETWEEN 1 AND 256),
    state      TEXT    NOT NULL CHECK (state IN ('PENDING', 'CLAIMED', 'SENT', 'DEAD')),
    attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    due_at     TEXT    NOT NULL CHECK (length(due_at) = 27),
    last_error TEXT    CHECK (last_error IS NULL OR length(last_error) BETWEEN 1 AND 1000),
    queued_at  TEXT    NOT NULL CHECK (length(queued_at) = 27),
    reply      TEXT    NOT NULL,
    UNIQUE (session_id, reply_key)
);

-- claim: only the unsent replies, in order, so that a claim reads from the oldest unsent one on and
-- the sent ones cost it nothing (a claim names these two states as constants, so that this index
-- serves it); and per session, whether an older one is still unsent.
CREATE INDEX outbox_unsent ON outbox_replies (reply_id) WHERE state IN ('PENDING', 'CLAIMED');
CREATE INDEX outbox_by_session ON outbox_replies (session_id, state, reply_id);

PRAGMA user_version = 10;
