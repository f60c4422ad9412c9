package io.claudesignal.sessions.adapters.jdbc;

import static io.claudesignal.sessions.adapters.jdbc.PrerenderedStatement.param;

import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.domain.SessionSummary;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The statements of the shared core's hot paths (get, create, transition, the activity log's append,
 * the transcript's append and tail), rendered once for the database of the first context that runs one,
 * then run on the connection's prepared statements ({@link PrerenderedStatement}). Profiles of the
 * PostgreSQL adapter and of SQLite's activity and transcript paths showed jOOQ's rendering at a large
 * share of each call; the SQL is the same as jOOQ renders per call.
 */
final class SqlHotStatements {

    final PrerenderedStatement find;
    final PrerenderedStatement insert;
    final PrerenderedStatement lock;
    /** {@link #find}, the row held for the write that reads it. */
    final PrerenderedStatement findForWrite;
    final PrerenderedStatement exists;
    final PrerenderedStatement compareAndSet;
    final PrerenderedStatement dropLease;
    final PrerenderedStatement insertTransition;
    final PrerenderedStatement bumpLog;
    final PrerenderedStatement startLog;
    final PrerenderedStatement insertActivity;
    final PrerenderedStatement trimActivities;
    final PrerenderedStatement itemByKey;
    final PrerenderedStatement bumpTranscript;
    final PrerenderedStatement startTranscript;
    final PrerenderedStatement insertItem;
    final PrerenderedStatement tail;
    private final SqlTables.Sessions s;
    private final SqlTables.Transitions h;
    private final SqlTables.TranscriptItems i;
    private final DSLContext render;
    private final Map<PageShape, PrerenderedStatement> pages = new ConcurrentHashMap<>();

    private SqlHotStatements(DSLContext render, SqlRules rules) {
        SqlTables t = rules.tables();
        s = t.sessions;
        var l = t.leases;
        h = t.transitions;
        this.render = render;
        var logs = t.activityLogs;
        var a = t.activities;
        var c = t.transcripts;
        i = t.transcriptItems;
        find = PrerenderedStatement.render(render.select(s.all).from(s.table).where(s.id.eq(param("id", s.id))), "id");
        insert = PrerenderedStatement.render(render.insertInto(s.table).columns(s.all)
                .values(param("id", s.id), param("project", s.projectPath), param("thread", s.threadId), param("status", s.status),
                        param("created", s.createdAt), param("updated", s.updatedAt), param("version", s.version),
                        param("context", s.context), param("parent", s.forkedFromId), param("forkSeq", s.forkedFromSeq),
                        param("pinned", s.pinned))
                // Insert if absent: of two inserts racing for one id exactly one inserts it, and the other
                // learns so without an error that would abort its transaction.
                .onConflict(s.id).doNothing(),
                "id", "project", "thread", "status", "created", "updated", "version", "context", "parent", "forkSeq",
                "pinned");
        var lockQuery = render.select(s.status).from(s.table).where(s.id.eq(param("id", s.id)));
        lock = PrerenderedStatement.render(rules.dialect().writeLocks().forWrite(lockQuery), "id");
        findForWrite = PrerenderedStatement.render(rules.dialect().writeLocks()
                .forWrite(render.select(s.all).from(s.table).where(s.id.eq(param("id", s.id)))), "id");
        exists = PrerenderedStatement.render(render.selectOne().from(s.table).where(s.id.eq(param("id", s.id))), "id");
        compareAndSet = PrerenderedStatement.render(render.update(s.table)
                .set(s.status, param("target", s.status))
                .set(s.version, s.version.plus(DSL.inline(1L)))
                .set(s.updatedAt, DSL.greatest(s.updatedAt, param("at", s.updatedAt)))
                .where(s.id.eq(param("id", s.id)).and(s.status.eq(param("expected", s.status))))
                .returning(s.all), "target", "at", "id", "expected");
        dropLease = PrerenderedStatement.render(render.deleteFrom(l.table).where(l.sessionId.eq(param("id", l.sessionId))),
                "id");
        insertTransition = PrerenderedStatement.render(render.insertInto(h.table)
                .set(h.sessionId, param("id", h.sessionId))
                .set(h.fromStatus, param("from", h.fromStatus))
                .set(h.toStatus, param("to", h.toStatus))
                .set(h.changedAt, param("at", h.changedAt))
                .set(h.reason, param("reason", h.reason))
                .set(h.actor, param("actor", h.actor)),
                "id", "from", "to", "at", "reason", "actor");
        bumpLog = PrerenderedStatement.render(render.update(logs.table)
                .set(logs.lastSeq, logs.lastSeq.plus(DSL.inline(1L)))
                .where(logs.sessionId.eq(param("id", logs.sessionId)))
                .returning(logs.lastSeq), "id");
        startLog = PrerenderedStatement.render(render.insertInto(logs.table)
                .set(logs.sessionId, param("id", logs.sessionId))
                .set(logs.lastSeq, DSL.inline(1L))
                .set(logs.acknowledgedSeq, DSL.inline(0L)), "id");
        insertActivity = PrerenderedStatement.render(render.insertInto(a.table)
                .set(a.sessionId, param("id", a.sessionId))
                .set(a.seq, param("seq", a.seq))
                .set(a.type, param("type", a.type))
                .set(a.occurredAt, param("at", a.occurredAt))
                .set(a.details, param("details", a.details)),
                "id", "seq", "type", "at", "details");
        trimActivities = PrerenderedStatement.render(render.deleteFrom(a.table)
                .where(a.sessionId.eq(param("id", a.sessionId)).and(a.seq.le(param("upto", a.seq)))), "id", "upto");
        itemByKey = PrerenderedStatement.render(render.select(i.all).from(i.table)
                .where(i.sessionId.eq(param("id", i.sessionId)).and(i.key.eq(param("key", i.key)))), "id", "key");
        // The counter moves by n items: one statement for an append of one item or of many.
        bumpTranscript = PrerenderedStatement.render(render.update(c.table)
                .set(c.lastSeq, c.lastSeq.plus(param("n", c.lastSeq)))
                .where(c.sessionId.eq(param("id", c.sessionId)))
                .returning(c.lastSeq), "n", "id");
        startTranscript = PrerenderedStatement.render(render.insertInto(c.table)
                .set(c.sessionId, param("id", c.sessionId))
                .set(c.lastSeq, param("n", c.lastSeq)), "id", "n");
        insertItem = PrerenderedStatement.render(render.insertInto(i.table, i.sessionId, i.seq, i.key, i.appendedAt,
                        i.item)
                .values(param("id", i.sessionId), param("seq", i.seq), param("key", i.key), param("at", i.appendedAt),
                        param("item", i.item)),
                "id", "seq", "key", "at", "item");
        tail = PrerenderedStatement.render(render.select(i.all).from(i.table)
                .where(i.sessionId.eq(param("id", i.sessionId)))
                .orderBy(i.seq.desc())
                .limit(DSL.param("limit", SQLDataType.INTEGER)), "id", "limit");
    }

    /** Renders the statements once per {@link SqlRules} (one database), with the first context's dialect and settings. */
    static final class Holder {
        private final PrerenderedStatement.Once<SqlHotStatements> rendered;

        Holder(SqlRules rules) {
            this.rendered = new PrerenderedStatement.Once<>(render -> new SqlHotStatements(render, rules));
        }

        SqlHotStatements of(DSLContext ctx) {
            return rendered.get(ctx);
        }
    }

    /** Inserts {@code session}, whole; refuses an id that exists. */
    void insertSession(DSLContext ctx, Session session) throws SQLException {
        try (PreparedStatement statement = insert.prepare(ctx, id(session.id()), session.projectPath(),
                session.threadId(), session.status().name(), PrerenderedStatement.db(s.createdAt, session.createdAt()),
                PrerenderedStatement.db(s.updatedAt, session.updatedAt()), session.version(), session.context(),
                session.forkedFrom().map(f -> id(f.parentId())).orElse(null),
                session.forkedFrom().map(f -> f.seq()).orElse(null), session.pinned())) {
            if (statement.executeUpdate() == 0) {
                throw new DuplicateSessionException(session.id());
            }
        }
    }

    /** A session's id, as its column stores it. */
    Object id(SessionId id) {
        return PrerenderedStatement.db(s.id, id.value());
    }

    /** Runs {@code sql}, which yields at most one whole session row ({@code sessions.all}, pinned last). */
    Optional<Session> fetchSession(PrerenderedStatement sql, DSLContext ctx, Object... values) throws SQLException {
        try (PreparedStatement statement = sql.prepare(ctx, values); ResultSet r = statement.executeQuery()) {
            if (!r.next()) {
                return Optional.empty();
            }
            UUID parent = PrerenderedStatement.read(r, 9, s.forkedFromId);
            Optional<ForkOrigin> origin = parent == null ? Optional.empty()
                    : Optional.of(new ForkOrigin(new SessionId(parent), r.getLong(10)));
            return Optional.of(new Session(new SessionId(PrerenderedStatement.read(r, 1, s.id)), r.getString(2),
                    r.getString(3), SessionStatus.valueOf(r.getString(4)), r.getString(8),
                    PrerenderedStatement.read(r, 5, s.createdAt), PrerenderedStatement.read(r, 6, s.updatedAt),
                    r.getLong(7), origin, r.getBoolean(11)));
        }
    }

    /** {@code at} as the history's {@code changed_at} column stores it. */
    Object changedAt(Instant at) {
        return PrerenderedStatement.db(h.changedAt, at);
    }

    /** Which filters a page query has: each shape is rendered once (at most 5 x 2 x 2 x 2 of them). */
    private record PageShape(int statuses, boolean project, boolean thread, boolean after) {
    }

    /** A page of summaries, newest first, through the statement of its shape, rendered once. */
    List<SessionSummary> fetchPage(DSLContext ctx, PageRequest request) throws SQLException {
        PageShape shape = new PageShape(request.statuses().size(), request.projectPath().isPresent(),
                request.threadId().isPresent(), request.after().isPresent());
        PrerenderedStatement sql = pages.computeIfAbsent(shape, this::renderPage);
        // Values in the order renderPage names them: s0..sN, project, thread, after_at, after_id, limit.
        List<Object> values = new ArrayList<>(request.statuses().stream().map(Enum::name).sorted().toList());
        request.projectPath().ifPresent(values::add);
        request.threadId().ifPresent(values::add);
        request.after().ifPresent(after -> {
            values.add(PrerenderedStatement.db(s.createdAt, after.createdAt()));
            values.add(PrerenderedStatement.db(s.id, after.id().value()));
        });
        values.add(request.limit());
        List<SessionSummary> summaries = new ArrayList<>(request.limit());
        try (PreparedStatement page = sql.prepare(ctx, values.toArray()); ResultSet r = page.executeQuery()) {
            while (r.next()) { // the columns of sessions.summary, in its order
                summaries.add(new SessionSummary(new SessionId(PrerenderedStatement.read(r, 1, s.id)), r.getString(2),
                        r.getString(3), SessionStatus.valueOf(r.getString(4)),
                        PrerenderedStatement.read(r, 5, s.createdAt), PrerenderedStatement.read(r, 6, s.updatedAt),
                        r.getLong(7), r.getBoolean(8)));
            }
        }
        return summaries;
    }

    private PrerenderedStatement renderPage(PageShape shape) {
        List<Condition> where = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (shape.statuses() > 0) {
            List<Field<String>> statuses = new ArrayList<>();
            for (int n = 0; n < shape.statuses(); n++) {
                statuses.add(param("s" + n, s.status));
                names.add("s" + n);
            }
            where.add(s.status.in(statuses));
        }
        if (shape.project()) {
            where.add(s.projectPath.eq(param("project", s.projectPath)));
            names.add("project");
        }
        if (shape.thread()) {
            where.add(s.threadId.eq(param("thread", s.threadId)));
            names.add("thread");
        }
        if (shape.after()) {
            // A row-value comparison, which the (…, created_at DESC, id DESC) indexes answer from the cursor on.
            where.add(DSL.row(s.createdAt, s.id).lt(param("after_at", s.createdAt), param("after_id", s.id)));
            names.add("after_at");
            names.add("after_id");
        }
        names.add("limit");
        // Everything but the context: a list never reads a context's pages.
        return PrerenderedStatement.render(render.select(s.summary).from(s.table)
                .where(where)
                .orderBy(s.createdAt.desc(), s.id.desc())
                .limit(DSL.param("limit", SQLDataType.INTEGER)), names.toArray(String[]::new));
    }

    /** {@code at} as the transcript's {@code appended_at} column stores it. */
    Object appendedAt(Instant at) {
        return PrerenderedStatement.db(i.appendedAt, at);
    }

    /** Runs {@code sql}, which yields whole rows of {@code transcript_items} ({@code items.all}) of session {@code id}. */
    List<TranscriptItem> fetchItems(PrerenderedStatement sql, DSLContext ctx, SessionId id, Object... values)
            throws SQLException {
        List<TranscriptItem> rows = new ArrayList<>();
        try (PreparedStatement statement = sql.prepare(ctx, values); ResultSet r = statement.executeQuery()) {
            while (r.next()) {
                rows.add(new TranscriptItem(id, r.getLong(2), r.getString(5), Optional.ofNullable(r.getString(3)),
                        PrerenderedStatement.read(r, 4, i.appendedAt)));
            }
        }
        return rows;
    }
}
