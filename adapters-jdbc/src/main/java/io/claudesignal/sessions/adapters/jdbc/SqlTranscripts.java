package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.SearchRequest;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * The transcript port on any SQL database, each write one transaction of {@link SqlTransactions}.
 * Every write first takes the session's lock ({@link SqlRules#lockExisting}: {@code SELECT … FOR UPDATE}
 * on a server, nothing more under SQLite's single writer), so the counter, the rows and the key check
 * cannot interleave with another writer in any process, and the fencing lease is read under it. Every
 * statement is a seek on a primary key or on the {@code (session_id, item_key)} index: the cost does
 * not depend on the transcript's length. The hot paths' statements (append, tail) are rendered once
 * ({@link SqlHotStatements}) for every adapter; the rest goes through jOOQ per call.
 */
public final class SqlTranscripts implements TranscriptRepository {

    /** Rows per INSERT: 5 parameters each, far under SQLite's 32,766 and PostgreSQL's 65,535. */
    private static final int ROWS_PER_INSERT = 1000;

    private final SqlTransactions db;
    private final SqlRules rules;
    private final SqlTables.Transcripts counters;
    private final SqlTables.TranscriptItems items;

    private final SqlChangeLog changes;
    private final SqlSearch search;

    public SqlTranscripts(SqlTransactions db, SqlRules rules, SqlChangeLog changes) {
        this.db = db;
        this.changes = changes;
        this.rules = rules;
        this.counters = rules.tables().transcripts;
        this.items = rules.tables().transcriptItems;
        this.search = new SqlSearch(db, rules);
    }

    @Override
    public Appended append(SessionId id, List<String> itemsJson, Optional<String> key, WriteContext write) {
        UUID uuid = id.value();
        return db.write(ctx -> {
            rules.lockExisting(ctx, id);
            write.stamp(); // once the session is held: see WriteContext
            rules.admit(ctx, id, write);
            // Statements rendered once (SqlHotStatements): rendering them per call cost more than the
            // database took to run them (measured on both adapters' append of one item).
            SqlHotStatements sql = rules.hot(ctx);
            Object session = sql.id(id);
            try {
                if (key.isPresent()) {
                    List<TranscriptItem> existing = sql.fetchItems(sql.itemByKey, ctx, id, session, key.get());
                    if (!existing.isEmpty()) {
                        return new Appended(List.of(existing.get(0)), false);
                    }
                }
                long n = itemsJson.size();
                long last = bump(sql, ctx, session, n);
                List<TranscriptItem> appended = new ArrayList<>(itemsJson.size());
                long seq = last - n;
                for (String json : itemsJson) {
                    appended.add(new TranscriptItem(id, ++seq, json, key, write.at()));
                }
                if (appended.size() == 1) {
                    TranscriptItem item = appended.get(0);
                    try (PreparedStatement insert = sql.insertItem.prepare(ctx, session, item.seq(), key.orElse(null),
                            sql.appendedAt(item.at()), item.json())) {
                        insert.executeUpdate();
                    }
                } else {
                    insertMany(ctx, uuid, key, appended);
                }
                changes.record(ctx, Change.Entry.transcript(id, appended.get(appended.size() - 1).seq(),
                        appended.size(), 0, write));
                return new Appended(appended, true);
            } catch (SQLException e) {
                throw new DataAccessException("appending to a transcript", e);
            }
        });
    }

    /** Multi-row INSERTs, in chunks that stay under the database's limit of bound parameters. */
    private void insertMany(DSLContext ctx, UUID session, Optional<String> key, List<TranscriptItem> appended) {
        for (int from = 0; from < appended.size(); from += ROWS_PER_INSERT) {
            var insert = ctx.insertInto(items.table, items.sessionId, items.seq, items.key, items.appendedAt,
                    items.item);
            for (TranscriptItem item : appended.subList(from, Math.min(from + ROWS_PER_INSERT, appended.size()))) {
                insert = insert.values(session, item.seq(), key.orElse(null), item.at(), item.json());
            }
            insert.execute();
        }
    }

    /**
     * Raises the session's counter by {@code n} and returns its new value. Two plain statements rather
     * than an upsert with RETURNING, which jOOQ does not return on SQLite's DO UPDATE branch; the
     * session's lock (or the single writer) makes the pair atomic, and after a session's first append
     * it is one statement.
     */
    private static long bump(SqlHotStatements sql, DSLContext ctx, Object session, long n) throws SQLException {
        try (PreparedStatement bump = sql.bumpTranscript.prepare(ctx, n, session); ResultSet row = bump.executeQuery()) {
            if (row.next()) {
                return row.getLong(1);
            }
        }
        try (PreparedStatement start = sql.startTranscript.prepare(ctx, session, n)) {
            start.executeUpdate();
        }
        return n;
    }

    @Override
    public List<TranscriptItem> tail(SessionId id, int limit) {
        return db.read(ctx -> {
            SqlHotStatements sql = rules.hot(ctx);
            List<TranscriptItem> newest;
            try {
                newest = sql.fetchItems(sql.tail, ctx, id, sql.id(id), limit);
            } catch (SQLException e) {
                throw new DataAccessException("reading a transcript", e);
            }
            Collections.reverse(newest);
            return ofExistingSession(ctx, id, newest);
        });
    }

    @Override
    public List<TranscriptItem> after(SessionId id, long afterSeq, int limit) {
        return db.read(ctx -> ofExistingSession(ctx, id, ctx.select(items.all).from(items.table)
                .where(items.sessionId.eq(id.value()).and(items.seq.gt(afterSeq)))
                .orderBy(items.seq)
                .limit(limit)
                .fetch(items::toItem)));
    }

    @Override
    public Optional<TranscriptItem> popLast(SessionId id, WriteContext write) {
        return db.write(ctx -> {
            rules.lockExisting(ctx, id);
            write.stamp(); // once the session is held: see WriteContext
            rules.admit(ctx, id, write);
            Optional<TranscriptItem> last = ctx.select(items.all).from(items.table)
                    .where(items.sessionId.eq(id.value()))
                    .orderBy(items.seq.desc())
                    .limit(1)
                    .fetchOptional(items::toItem);
            last.ifPresent(item -> {
                ctx.deleteFrom(items.table).where(items.sessionId.eq(id.value()).and(items.seq.eq(item.seq()))).execute();
                changes.record(ctx, Change.Entry.transcript(id, 0, 0, 1, write));
            });
            return last;
        });
    }

    @Override
    public long clear(SessionId id, WriteContext write) {
        return db.write(ctx -> {
            rules.lockExisting(ctx, id);
            write.stamp(); // once the session is held: see WriteContext
            rules.admit(ctx, id, write);
            // The counter row stays: the next item takes the next number. Where the database can
            // (SQLite's secure_delete), the rows' bytes are overwritten.
            long removed = ctx.deleteFrom(items.table).where(items.sessionId.eq(id.value())).execute();
            if (removed > 0) {
                changes.record(ctx, Change.Entry.transcript(id, 0, 0, removed, write));
            }
            return removed;
        });
    }

    @Override
    public long count(SessionId id) {
        return db.read(ctx -> {
            long count = ctx.fetchCount(items.table, items.sessionId.eq(id.value()));
            if (count == 0) {
                rules.requireSession(ctx, id);
            }
            return count;
        });
    }

    @Override
    public List<SearchRequest.Hit> search(SearchRequest request) {
        return search.search(request);
    }

    private List<TranscriptItem> ofExistingSession(DSLContext ctx, SessionId id, List<TranscriptItem> rows) {
        if (rows.isEmpty()) {
            rules.requireSession(ctx, id);
        }
        return List.copyOf(rows);
    }
}
