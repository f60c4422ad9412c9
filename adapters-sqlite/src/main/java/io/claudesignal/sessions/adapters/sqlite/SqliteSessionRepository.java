package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.LEASES;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.SESSIONS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.TRANSITIONS;

import io.claudesignal.sessions.adapters.jdbc.DaemonNames;
import io.claudesignal.sessions.adapters.jdbc.PrerenderedStatement;
import io.claudesignal.sessions.adapters.jdbc.SqlSessions;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.Transition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The persistence ports on one SQLite file: the shared SQL core ({@link SqlSessions}), every write a
 * single IMMEDIATE transaction of the group-commit writer, so a status change, its history entry and its
 * lease rule commit together or not at all. What is SQLite's own: the hot paths (get, create, list,
 * transition), rendered once from the generated schema and run on kept prepared statements
 * ({@link PrerenderedStatement}), and the crash recovery, three set-wise statements in one transaction.
 */
final class SqliteSessionRepository extends SqlSessions {

    /** Everything but the context: a list never reads a context's pages. Read by position in findPage. */
    private static final List<SelectField<?>> SUMMARY = List.of(SESSIONS.ID, SESSIONS.PROJECT_PATH, SESSIONS.THREAD_ID,
            SESSIONS.STATUS, SESSIONS.CREATED_AT, SESSIONS.UPDATED_AT, SESSIONS.VERSION, SESSIONS.PINNED);

    // The hot paths, rendered once (see PrerenderedStatement). Columns are read by position, in the table's order.
    private static final DSLContext RENDER = SqliteDatabase.renderer();
    private static final PrerenderedStatement FIND = PrerenderedStatement.render(
            RENDER.selectFrom(SESSIONS).where(SESSIONS.ID.eq(DSL.param("id", String.class).coerce(SESSIONS.ID))), "id");
    private static final PrerenderedStatement INSERT = PrerenderedStatement.render(RENDER.insertInto(SESSIONS)
            .set(SESSIONS.ID, DSL.param("id", String.class).coerce(SESSIONS.ID))
            .set(SESSIONS.PROJECT_PATH, DSL.param("project_path", String.class))
            .set(SESSIONS.THREAD_ID, DSL.param("thread_id", String.class))
            .set(SESSIONS.STATUS, DSL.param("status", String.class))
            .set(SESSIONS.CREATED_AT, DSL.param("created_at", String.class).coerce(SESSIONS.CREATED_AT))
            .set(SESSIONS.UPDATED_AT, DSL.param("updated_at", String.class).coerce(SESSIONS.UPDATED_AT))
            .set(SESSIONS.VERSION, DSL.param("version", Long.class))
            .set(SESSIONS.CONTEXT, DSL.param("context", String.class)),
            "id", "project_path", "thread_id", "status", "created_at", "updated_at", "version", "context");
    // The expected status is checked by the statement that writes: no window between them.
    private static final PrerenderedStatement COMPARE_AND_SET = PrerenderedStatement.render(RENDER.update(SESSIONS)
            .set(SESSIONS.STATUS, DSL.param("target", String.class))
            .set(SESSIONS.VERSION, SESSIONS.VERSION.plus(DSL.inline(1L)))
            .set(SESSIONS.UPDATED_AT, DSL.greatest(SESSIONS.UPDATED_AT,
                    DSL.param("at", String.class).coerce(SESSIONS.UPDATED_AT)))
            .where(SESSIONS.ID.eq(DSL.param("id", String.class).coerce(SESSIONS.ID))
                    .and(SESSIONS.STATUS.eq(DSL.param("expected", String.class))))
            .returning(SESSIONS.fields()), "target", "at", "id", "expected");
    // Every status change also writes these two (see recordStatusChange).
    private static final PrerenderedStatement DROP_LEASE = PrerenderedStatement.render(RENDER.deleteFrom(LEASES)
            .where(LEASES.SESSION_ID.eq(DSL.param("id", String.class).coerce(LEASES.SESSION_ID))), "id");
    private static final PrerenderedStatement INSERT_TRANSITION = PrerenderedStatement.render(RENDER.insertInto(TRANSITIONS)
            .set(TRANSITIONS.SESSION_ID, DSL.param("id", String.class).coerce(TRANSITIONS.SESSION_ID))
            .set(TRANSITIONS.FROM_STATUS, DSL.param("from", String.class))
            .set(TRANSITIONS.TO_STATUS, DSL.param("to", String.class))
            .set(TRANSITIONS.CHANGED_AT, DSL.param("at", String.class).coerce(TRANSITIONS.CHANGED_AT))
            .set(TRANSITIONS.REASON, DSL.param("reason", String.class))
            .set(TRANSITIONS.ACTOR, DSL.param("actor", String.class)),
            "id", "from", "to", "at", "reason", "actor");
    private static final UuidTextConverter UUIDS = new UuidTextConverter();
    private static final InstantTextConverter INSTANTS = new InstantTextConverter();

    SqliteSessionRepository(SqliteDatabase db, DaemonNames names, SqliteChangeLog changes) {
        super(db, SqliteDialect.INSTANCE, names, changes);
    }

    @Override
    public void insert(Session session, WriteContext write) {
        Object[] values = {UUIDS.to(session.id().value()), session.projectPath(), session.threadId(),
                session.status().name(), INSTANTS.to(session.createdAt()), INSTANTS.to(session.updatedAt()),
                session.version(), session.context()};
        db.write(ctx -> {
            try (PreparedStatement insert = INSERT.prepare(ctx, values)) {
                insert.executeUpdate();
            } catch (SQLException e) {
                if (SqliteErrors.isConstraint(e)) {
                    throw new DuplicateSessionException(session.id());
                }
                throw new DataAccessException("inserting a session", e);
            }
            changes.record(ctx, Change.Entry.of(session.id(), Change.Kind.CREATED, write));
            return null;
        });
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        return db.read(ctx -> load(ctx, id));
    }

    @Override
    public List<SessionSummary> findPage(PageRequest request) {
        List<String> statuses = request.statuses().stream().map(Enum::name).sorted().toList();
        PageShape shape = new PageShape(statuses.size(), request.projectPath().isPresent(),
                request.threadId().isPresent(), request.after().isPresent());
        PrerenderedStatement sql = PAGES.computeIfAbsent(shape, SqliteSessionRepository::renderPage);
        // Values in the order renderPage names them: s0..sN, project, thread, after_at, after_id, limit.
        List<Object> values = new ArrayList<>(statuses);
        request.projectPath().ifPresent(values::add);
        request.threadId().ifPresent(values::add);
        request.after().ifPresent(after -> {
            values.add(INSTANTS.to(after.createdAt()));
            values.add(UUIDS.to(after.id().value()));
        });
        values.add(request.limit());
        Object[] bound = values.toArray();
        return db.read(ctx -> {
            try (PreparedStatement page = sql.prepare(ctx, bound); ResultSet rows = page.executeQuery()) {
                List<SessionSummary> summaries = new ArrayList<>(request.limit());
                while (rows.next()) {
                    summaries.add(new SessionSummary(new SessionId(UUIDS.from(rows.getString(1))), rows.getString(2),
                            rows.getString(3), SessionStatus.valueOf(rows.getString(4)), INSTANTS.from(rows.getString(5)),
                            INSTANTS.from(rows.getString(6)), rows.getLong(7), rows.getInt(8) != 0));
                }
                return summaries;
            } catch (SQLException e) {
                throw new DataAccessException("reading a page of sessions", e);
            }
        });
    }

    /** Which filters a page query has: each shape is rendered once (at most 5 x 2 x 2 x 2 of them). */
    private record PageShape(int statuses, boolean project, boolean thread, boolean after) {
    }

    private static final Map<PageShape, PrerenderedStatement> PAGES = new ConcurrentHashMap<>();

    private static PrerenderedStatement renderPage(PageShape shape) {
        List<Condition> where = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (shape.statuses() > 0) {
            List<Field<String>> statuses = new ArrayList<>();
            for (int i = 0; i < shape.statuses(); i++) {
                statuses.add(DSL.param("s" + i, String.class));
                names.add("s" + i);
            }
            where.add(SESSIONS.STATUS.in(statuses));
        }
        if (shape.project()) {
            where.add(SESSIONS.PROJECT_PATH.eq(DSL.param("project", String.class)));
            names.add("project");
        }
        if (shape.thread()) {
            where.add(SESSIONS.THREAD_ID.eq(DSL.param("thread", String.class)));
            names.add("thread");
        }
        if (shape.after()) {
            // A row-value comparison, which SQLite seeks to in the (…, created_at DESC, id DESC) indexes.
            where.add(DSL.row(SESSIONS.CREATED_AT, SESSIONS.ID).lt(
                    DSL.param("after_at", String.class).coerce(SESSIONS.CREATED_AT),
                    DSL.param("after_id", String.class).coerce(SESSIONS.ID)));
            names.add("after_at");
            names.add("after_id");
        }
        names.add("limit");
        // Everything but the context, in this order: a list never reads a context's pages.
        return PrerenderedStatement.render(RENDER.select(SUMMARY).from(SESSIONS)
                .where(where)
                .orderBy(SESSIONS.CREATED_AT.desc(), SESSIONS.ID.desc())
                .limit(DSL.param("limit", Integer.class)), names.toArray(String[]::new));
    }

    @Override
    public Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, WriteContext write) {
        String idText = UUIDS.to(id.value());
        return db.write(ctx -> {
            // On the writer, which orders the writes: a time read before waiting for it could be older
            // than a write that went first.
            String atText = INSTANTS.to(write.stamp());
            rules.admit(ctx, id, write);
            Optional<Session> changed = fetchSession(COMPARE_AND_SET, ctx, target.name(), atText, idText, expected.name());
            if (changed.isEmpty()) {
                throw rules.refusal(ctx, id, expected);
            }
            recordStatusChange(ctx, id, expected, target, write);
            changes.record(ctx, Change.Entry.transition(id, expected, target, write));
            return changed.get();
        });
    }

    @Override
    public List<Transition> recoverAbandoned(Clock clock, Duration grace, Actor actor) {
        return db.write(ctx -> {
            // The host's clock, shared by every process on it, read once the write lock is held.
            Instant now = rules.leaseNow(ctx, clock);
            Instant unownedBefore = now.minus(grace);
            // One UPDATE whose WHERE is the abandoned condition itself: evaluated once, on the sessions'
            // rows (a lease is looked up by its primary key), and the history rows are written from its
            // RETURNING. Before, an INSERT … SELECT and the UPDATE each evaluated a join of both tables
            // (measured: the SQL alone about 3 times a bare UPDATE of the same rows).
            Condition abandoned = SESSIONS.STATUS.eq(SessionStatus.ACTIVE.name()).and(DSL.or(
                    DSL.notExists(DSL.selectOne().from(LEASES).where(LEASES.SESSION_ID.eq(SESSIONS.ID)))
                            .and(SESSIONS.UPDATED_AT.le(unownedBefore)),
                    DSL.exists(DSL.selectOne().from(LEASES)
                            .where(LEASES.SESSION_ID.eq(SESSIONS.ID).and(LEASES.EXPIRES_AT.le(now))))));
            List<UUID> recovered = ctx.update(SESSIONS)
                    .set(SESSIONS.STATUS, SessionStatus.PAUSED.name())
                    .set(SESSIONS.VERSION, SESSIONS.VERSION.plus(1))
                    .set(SESSIONS.UPDATED_AT, DSL.greatest(SESSIONS.UPDATED_AT, DSL.val(now, SESSIONS.UPDATED_AT)))
                    .set(SESSIONS.CONTEXT, DSL.function("json_set", String.class, SESSIONS.CONTEXT,
                            DSL.inline("$." + Session.RECOVERED_AT), DSL.val(now.truncatedTo(ChronoUnit.MICROS).toString())))
                    .where(abandoned)
                    .returning(SESSIONS.ID)
                    .fetch(SESSIONS.ID);
            if (recovered.isEmpty()) {
                return List.of();
            }
            String at = INSTANTS.to(now);
            try (PreparedStatement insert = INSERT_TRANSITION.prepare(ctx, null, SessionStatus.ACTIVE.name(),
                    SessionStatus.PAUSED.name(), at, Transition.CRASH_RECOVERY, actor.value())) {
                // One statement, bound again for each recovered session (its id is its first parameter).
                for (UUID uuid : recovered) {
                    insert.setString(1, UUIDS.to(uuid));
                    insert.addBatch();
                }
                insert.executeBatch();
            } catch (SQLException e) {
                throw new DataAccessException("recording recovered sessions", e);
            }
            // Leases live only on ACTIVE sessions: those left are the recovered sessions' expired ones.
            // Found through the (small) lease table rather than bound as a list of every recovered id,
            // whose rendering and binding cost more than the recovery's UPDATE (measured: 10,000 ids).
            ctx.deleteFrom(LEASES).where(DSL.exists(DSL.selectOne().from(SESSIONS)
                    .where(SESSIONS.ID.eq(LEASES.SESSION_ID).and(SESSIONS.STATUS.ne(SessionStatus.ACTIVE.name())))))
                    .execute();
            List<Transition> made = recovered.stream().sorted()
                    .map(uuid -> new Transition(new SessionId(uuid), SessionStatus.ACTIVE, SessionStatus.PAUSED, now,
                            Transition.CRASH_RECOVERY, actor))
                    .toList();
            WriteContext write = new WriteContext(now, actor, Transition.CRASH_RECOVERY, Optional.empty());
            changes.recordAll(ctx, made.stream()
                    .map(t -> Change.Entry.transition(t.sessionId(), t.from(), t.to(), write)).toList());
            return made;
        });
    }

    /** By the hot statement that {@link #findById} runs too. */
    @Override
    protected Optional<Session> loadForWrite(DSLContext ctx, SessionId id) {
        return load(ctx, id);
    }

    /** By two statements rendered once (the shared core's would render them on every change). */
    @Override
    protected void recordStatusChange(DSLContext ctx, SessionId id, SessionStatus from, SessionStatus to,
            WriteContext write) {
        String idText = UUIDS.to(id.value());
        try {
            if (to != SessionStatus.ACTIVE) {
                try (PreparedStatement drop = DROP_LEASE.prepare(ctx, idText)) {
                    drop.executeUpdate();
                }
            }
            if (from != to) {
                try (PreparedStatement insert = INSERT_TRANSITION.prepare(ctx, idText, from.name(), to.name(),
                        INSTANTS.to(write.at()), write.reason(), write.actor().value())) {
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new DataAccessException("recording a status change", e);
        }
    }

    static Optional<Session> load(DSLContext ctx, SessionId id) {
        return fetchSession(FIND, ctx, UUIDS.to(id.value()));
    }

    /** Runs a hot statement that yields at most one whole session row. */
    private static Optional<Session> fetchSession(PrerenderedStatement sql, DSLContext ctx, Object... values) {
        try (PreparedStatement statement = sql.prepare(ctx, values); ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(toSession(row)) : Optional.empty();
        } catch (SQLException e) {
            throw new DataAccessException("reading a session", e);
        }
    }

    /** A whole row, its columns in the table's order (id, project_path, ..., version, context, forked_from_*, pinned). */
    private static Session toSession(ResultSet r) throws SQLException {
        String forkedFrom = r.getString(9);
        Optional<ForkOrigin> origin = forkedFrom == null ? Optional.empty()
                : Optional.of(new ForkOrigin(new SessionId(UUIDS.from(forkedFrom)), r.getLong(10)));
        return new Session(new SessionId(UUIDS.from(r.getString(1))), r.getString(2), r.getString(3),
                SessionStatus.valueOf(r.getString(4)), r.getString(8), INSTANTS.from(r.getString(5)),
                INSTANTS.from(r.getString(6)), r.getLong(7), origin, r.getInt(11) != 0);
    }
}
