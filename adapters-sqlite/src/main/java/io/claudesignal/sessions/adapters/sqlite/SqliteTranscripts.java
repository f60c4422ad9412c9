package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.SESSIONS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.TRANSCRIPTS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.TRANSCRIPT_ITEMS;

import io.claudesignal.sessions.adapters.jdbc.PrerenderedStatement;
import io.claudesignal.sessions.adapters.jdbc.SqlRules;
import io.claudesignal.sessions.adapters.jdbc.SqlTranscripts;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The shared transcript SQL ({@link SqlTranscripts}) with its two hot paths, appending one item and
 * reading the tail, rendered once and run on the connection's kept prepared statements
 * ({@link PrerenderedStatement}). Measured: 16 callers appending through jOOQ-rendered statements got a
 * small fraction of what the same writer commits for {@code create}, whose SQL is prerendered; every
 * work runs on the one writer thread, so what it spends rendering SQL is taken from every caller.
 * The statements are the same as the shared ones; everything else (many items, pops, forks) is shared.
 */
final class SqliteTranscripts extends SqlTranscripts {

    private static final DSLContext RENDER = SqliteDatabase.renderer();
    private static final PrerenderedStatement EXISTS = PrerenderedStatement.render(RENDER.selectOne().from(SESSIONS)
            .where(SESSIONS.ID.eq(DSL.param("id", String.class).coerce(SESSIONS.ID))), "id");
    private static final PrerenderedStatement BY_KEY = PrerenderedStatement.render(RENDER.selectFrom(TRANSCRIPT_ITEMS)
            .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(DSL.param("id", String.class).coerce(TRANSCRIPT_ITEMS.SESSION_ID))
                    .and(TRANSCRIPT_ITEMS.ITEM_KEY.eq(DSL.param("key", String.class)))), "id", "key");
    private static final PrerenderedStatement BUMP = PrerenderedStatement.render(RENDER.update(TRANSCRIPTS)
            .set(TRANSCRIPTS.LAST_SEQ, TRANSCRIPTS.LAST_SEQ.plus(DSL.inline(1L)))
            .where(TRANSCRIPTS.SESSION_ID.eq(DSL.param("id", String.class).coerce(TRANSCRIPTS.SESSION_ID)))
            .returning(TRANSCRIPTS.LAST_SEQ), "id");
    private static final PrerenderedStatement START = PrerenderedStatement.render(RENDER.insertInto(TRANSCRIPTS)
            .set(TRANSCRIPTS.SESSION_ID, DSL.param("id", String.class).coerce(TRANSCRIPTS.SESSION_ID))
            .set(TRANSCRIPTS.LAST_SEQ, DSL.inline(1L)), "id");
    private static final PrerenderedStatement INSERT = PrerenderedStatement.render(RENDER.insertInto(TRANSCRIPT_ITEMS)
            .set(TRANSCRIPT_ITEMS.SESSION_ID, DSL.param("id", String.class).coerce(TRANSCRIPT_ITEMS.SESSION_ID))
            .set(TRANSCRIPT_ITEMS.SEQ, DSL.param("seq", Long.class))
            .set(TRANSCRIPT_ITEMS.ITEM_KEY, DSL.param("key", String.class))
            .set(TRANSCRIPT_ITEMS.APPENDED_AT, DSL.param("at", String.class).coerce(TRANSCRIPT_ITEMS.APPENDED_AT))
            .set(TRANSCRIPT_ITEMS.ITEM, DSL.param("item", String.class)),
            "id", "seq", "key", "at", "item");
    private static final PrerenderedStatement TAIL = PrerenderedStatement.render(RENDER.selectFrom(TRANSCRIPT_ITEMS)
            .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(DSL.param("id", String.class).coerce(TRANSCRIPT_ITEMS.SESSION_ID)))
            .orderBy(TRANSCRIPT_ITEMS.SEQ.desc())
            .limit(DSL.param("limit", Integer.class)), "id", "limit");
    private static final UuidTextConverter UUIDS = new UuidTextConverter();
    private static final InstantTextConverter INSTANTS = new InstantTextConverter();

    SqliteTranscripts(SqliteDatabase db, SqliteChangeLog changes) {
        super(db, new SqlRules(SqliteDialect.INSTANCE), changes);
    }

    @Override
    public Appended append(SessionId id, List<String> itemsJson, Optional<String> key, WriteContext write) {
        if (itemsJson.size() != 1) {
            return super.append(id, itemsJson, key, write);
        }
        String session = UUIDS.to(id.value());
        String json = itemsJson.get(0);
        String at = INSTANTS.to(write.at());
        return db.write(ctx -> {
            try {
                try (PreparedStatement exists = EXISTS.prepare(ctx, session); ResultSet row = exists.executeQuery()) {
                    if (!row.next()) {
                        throw new SessionNotFoundException(id);
                    }
                }
                rules.admit(ctx, id, write);
                if (key.isPresent()) {
                    try (PreparedStatement byKey = BY_KEY.prepare(ctx, session, key.get());
                         ResultSet row = byKey.executeQuery()) {
                        if (row.next()) {
                            return new Appended(List.of(toItem(id, row)), false);
                        }
                    }
                }
                long seq;
                try (PreparedStatement bump = BUMP.prepare(ctx, session); ResultSet row = bump.executeQuery()) {
                    seq = row.next() ? row.getLong(1) : 0;
                }
                if (seq == 0) {
                    try (PreparedStatement start = START.prepare(ctx, session)) {
                        start.executeUpdate();
                    }
                    seq = 1;
                }
                try (PreparedStatement insert = INSERT.prepare(ctx, session, seq, key.orElse(null), at, json)) {
                    insert.executeUpdate();
                }
                // As the shared append does: the change feed hears of it, in the same transaction.
                changes.record(ctx, Change.Entry.transcript(id, seq, 1, 0, write));
                return new Appended(List.of(new TranscriptItem(id, seq, json, key, write.at())), true);
            } catch (SQLException e) {
                throw new DataAccessException("appending to a transcript", e);
            }
        });
    }

    @Override
    public List<TranscriptItem> tail(SessionId id, int limit) {
        String session = UUIDS.to(id.value());
        return db.read(ctx -> {
            List<TranscriptItem> newest = new ArrayList<>(Math.min(limit, 1024));
            try (PreparedStatement tail = TAIL.prepare(ctx, session, limit); ResultSet rows = tail.executeQuery()) {
                while (rows.next()) {
                    newest.add(toItem(id, rows));
                }
            } catch (SQLException e) {
                throw new DataAccessException("reading a transcript", e);
            }
            if (newest.isEmpty()) {
                rules.requireSession(ctx, id);
            }
            Collections.reverse(newest);
            return List.copyOf(newest);
        });
    }

    /** A row of {@code transcript_items}, its columns in the table's order. */
    private static TranscriptItem toItem(SessionId id, ResultSet r) throws SQLException {
        return new TranscriptItem(id, r.getLong(2), r.getString(5), Optional.ofNullable(r.getString(3)),
                INSTANTS.from(r.getString(4)));
    }
}
