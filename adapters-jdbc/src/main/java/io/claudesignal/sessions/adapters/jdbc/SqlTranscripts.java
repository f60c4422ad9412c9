package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.SearchRequest;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.NewTranscriptItem;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptCompaction;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

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

    /** Keys per IN list of the key lookup: far under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
    private static final int KEYS_PER_LOOKUP = 1000;

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
                insertAll(ctx, sql, session, appended);
                changes.record(ctx, Change.Entry.transcript(id, appended.get(appended.size() - 1).seq(),
                        appended.size(), 0, write));
                return new Appended(appended, true);
            } catch (SQLException e) {
                throw new DataAccessException("appending to a transcript", e);
            }
        });
    }

    @Override
    public Appended appendAbsent(SessionId id, List<NewTranscriptItem> batch, WriteContext write) {
        return db.write(ctx -> {
            rules.lockExisting(ctx, id);
            write.stamp(); // once the session is held: see WriteContext
            rules.admit(ctx, id, write);
            // Under the session's lock (or the single writer), so no other append can add a key between
            // this read and the inserts.
            Set<String> held = heldKeys(ctx, id, batch);
            List<NewTranscriptItem> absent = batch.stream()
                    .filter(item -> item.key().isEmpty() || !held.contains(item.key().get())).toList();
            if (absent.isEmpty()) {
                return new Appended(List.of(), false);
            }
            try {
                SqlHotStatements sql = rules.hot(ctx);
                Object session = sql.id(id);
                long last = bump(sql, ctx, session, absent.size());
                List<TranscriptItem> appended = new ArrayList<>(absent.size());
                long seq = last - absent.size();
                for (NewTranscriptItem item : absent) {
                    appended.add(new TranscriptItem(id, ++seq, item.json(), item.key(), write.at()));
                }
                insertAll(ctx, sql, session, appended);
                changes.record(ctx, Change.Entry.transcript(id, last, appended.size(), 0, write));
                return new Appended(appended, true);
            } catch (SQLException e) {
                throw new DataAccessException("appending to a transcript", e);
            }
        });
    }

    /** Which of the batch's keys the session holds: one indexed IN per chunk of keys. */
    private Set<String> heldKeys(DSLContext ctx, SessionId id, List<NewTranscriptItem> batch) {
        List<String> keys = batch.stream().flatMap(item -> item.key().stream()).toList();
        Set<String> held = new HashSet<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
            held.addAll(ctx.select(items.key).from(items.table)
                    .where(items.sessionId.eq(id.value())
                            .and(items.key.in(keys.subList(from, Math.min(from + KEYS_PER_LOOKUP, keys.size())))))
                    .fetch(items.key));
        }
        return held;
    }

    @Override
    public TranscriptCompaction compact(SessionId id, long throughSeq, String summaryJson, WriteContext write) {
        return db.write(ctx -> {
            rules.lockExisting(ctx, id);
            write.stamp(); // once the session is held: see WriteContext
            rules.admit(ctx, id, write);
            Long newest = ctx.select(DSL.max(items.seq)).from(items.table)
                    .where(items.sessionId.eq(id.value())).fetchOne(0, Long.class);
            if (newest == null || throughSeq > newest) {
                throw new InvalidInputException("throughSeq", "is past the newest item of " + id + " ("
                        + (newest == null ? 0 : newest) + "), was " + throughSeq);
            }
            // Where the database can (SQLite's secure_delete), the removed rows' bytes are overwritten.
            long removed = ctx.deleteFrom(items.table)
                    .where(items.sessionId.eq(id.value()).and(items.seq.le(throughSeq))).execute();
            if (removed == 0) {
                throw new InvalidInputException("throughSeq", "no item of " + id + " is numbered " + throughSeq
                        + " or below: they were compacted or cleared already");
            }
            // The summary takes the number of the last item it replaces, which the delete just freed.
            TranscriptItem summary = new TranscriptItem(id, throughSeq, summaryJson, Optional.empty(), write.at());
            try {
                SqlHotStatements sql = rules.hot(ctx);
                insertAll(ctx, sql, sql.id(id), List.of(summary));
            } catch (SQLException e) {
                throw new DataAccessException("compacting a transcript", e);
            }
            changes.record(ctx, Change.Entry.transcript(id, throughSeq, 1, removed, write));
            return new TranscriptCompaction(summary, removed);
        });
    }

    /**
     * The items, each with its key, by one prerendered INSERT run as a JDBC batch: no statement is
     * rendered per call (jOOQ's rendering of a 100-row INSERT cost more than SQLite took to run it) and
     * no batch is too large for the database's limit of bound parameters.
     */
    private static void insertAll(DSLContext ctx, SqlHotStatements sql, Object session, List<TranscriptItem> appended)
            throws SQLException {
        TranscriptItem first = appended.get(0);
        try (PreparedStatement insert = sql.insertItem.prepare(ctx, session, first.seq(), first.key().orElse(null),
                sql.appendedAt(first.at()), first.json())) {
            if (appended.size() == 1) {
                insert.executeUpdate();
                return;
            }
            try {
                insert.addBatch();
                for (TranscriptItem item : appended.subList(1, appended.size())) {
                    sql.insertItem.bind(insert, session, item.seq(), item.key().orElse(null), sql.appendedAt(item.at()),
                            item.json());
                    insert.addBatch();
                }
                insert.executeBatch();
            } catch (SQLException | RuntimeException e) {
                insert.clearBatch(); // the statement may go back to the connection's cache: nothing of this batch stays
                throw e;
            }
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
