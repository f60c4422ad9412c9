-- Transcript search (docs/transcript.md), as the SQLite store has it after its V11: each item's text,
-- the text of its string values (never keys, numbers, booleans or nulls), indexed by the server itself
-- in the transaction of every insert and delete of transcript_items (a generated column under a GIN
-- index), so that no statement (append, pop, clear, fork, delete, purge, a compaction) has to
-- remember it; and each item's position, rising in the order items are stored, newest first from an
-- index. Released: never edit; change the schema in a new migration (and raise PostgresSchema.VERSION).

CREATE SEQUENCE transcript_positions;
ALTER TABLE transcript_items ADD COLUMN position BIGINT;
-- [jooq ignore start]
-- The items already stored, oldest first, so that positions follow time for them too.
UPDATE transcript_items AS t SET position = o.n
    FROM (SELECT session_id, seq, row_number() OVER (ORDER BY appended_at, session_id, seq) AS n FROM transcript_items) AS o
    WHERE t.session_id = o.session_id AND t.seq = o.seq;
SELECT setval('transcript_positions', (SELECT coalesce(max(position), 0) + 1 FROM transcript_items), false);
-- [jooq ignore stop]
ALTER TABLE transcript_items ALTER COLUMN position SET DEFAULT nextval('transcript_positions');
ALTER TABLE transcript_items ALTER COLUMN position SET NOT NULL;
CREATE INDEX transcript_items_by_position ON transcript_items (position);

-- [jooq ignore start]
-- (Left out of the generated code: the build's DDL parser simulates the schema in H2, which has no
-- text search. The PostgreSQL dialect addresses the column by name.)
-- The words of an item: its string values (jsonb_path_query, unescaped), ASCII punctuation made
-- spaces so that the parser sees only runs of letters and digits, as SQLite's tokenizer and the other
-- stores do (else it would keep src/App.java or a URL as one word), in the 'simple' configuration (no
-- stemming, no stop words: a word matches itself in any case). An escaped NUL, which jsonb refuses,
-- is read as a space. Positions are stripped (a search needs none), and only the first 200,000
-- characters are indexed: a tsvector holds at most 1 MB, and an item bigger than that must not
-- refuse its append.
CREATE FUNCTION transcript_words(item TEXT) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT strip(to_tsvector('simple'::regconfig, left(translate(coalesce(string_agg(v #>> '{}', ' '), ''),
               '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32)), 200000)))
    FROM jsonb_path_query(regexp_replace(item, '(?<!\\)((?:\\\\)*)\\u0000', '\1\\u0020', 'g')::jsonb,
                          'strict $.** ? (@.type() == "string")') AS t(v)
$$;
ALTER TABLE transcript_items ADD COLUMN search_words tsvector GENERATED ALWAYS AS (transcript_words(item)) STORED;
CREATE INDEX transcript_items_search ON transcript_items USING gin (search_words);
-- [jooq ignore stop]
