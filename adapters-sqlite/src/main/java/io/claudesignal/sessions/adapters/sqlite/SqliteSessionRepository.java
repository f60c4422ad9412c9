package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.SESSIONS;

import io.claudesignal.sessions.application.port.out.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/** {@link SessionRepository} on one SQLite file, every write a single IMMEDIATE transaction. */
final class SqliteSessionRepository implements SessionRepository {

    /** Everything but the context: a list never reads a context's pages. */
    private static final List<SelectField<?>> SUMMARY = List.of(SESSIONS.ID, SESSIONS.PROJECT_PATH, SESSIONS.THREAD_ID,
            SESSIONS.STATUS, SESSIONS.CREATED_AT, SESSIONS.UPDATED_AT, SESSIONS.VERSION);

    // The hot paths, rendered once (see HotSql). Columns are read by position, in the table's order.
    private static final DSLContext RENDER = SqliteDatabase.renderer();
    private static final HotSql FIND = HotSql.render(
            RENDER.selectFrom(SESSIONS).where(SESSIONS.ID.eq(DSL.param("id", String.class).coerce(SESSIONS.ID))), "id");
    private static final HotSql INSERT = HotSql.render(RENDER.insertInto(SESSIONS)
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
    private static final HotSql COMPARE_AND_SET = HotSql.render(RENDER.update(SESSIONS)
            .set(SESSIONS.STATUS, DSL.param("target", String.class))
            .set(SESSIONS.VERSION, SESSIONS.VERSION.plus(DSL.inline(1L)))
            .set(SESSIONS.UPDATED_AT, DSL.greatest(SESSIONS.UPDATED_AT,
                    DSL.param("at", String.class).coerce(SESSIONS.UPDATED_AT)))
            .where(SESSIONS.ID.eq(DSL.param("id", String.class).coerce(SESSIONS.ID))
                    .and(SESSIONS.STATUS.eq(DSL.param("expected", String.class))))
            .returning(SESSIONS.fields()), "target", "at", "id", "expected");
    private static final UuidTextConverter UUIDS = new UuidTextConverter();
    private static final InstantTextConverter INSTANTS = new InstantTextConverter();

    private final SqliteDatabase db;

    SqliteSessionRepository(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(Session session) {
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
            return null;
        });
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        return db.read(ctx -> load(ctx, id));
    }

    @Override
    public List<SessionSummary> findPage(PageRequest request) {
        List<Condition> where = new ArrayList<>();
        if (!request.statuses().isEmpty()) {
            where.add(SESSIONS.STATUS.in(request.statuses().stream().map(Enum::name).toList()));
        }
        request.projectPath().ifPresent(path -> where.add(SESSIONS.PROJECT_PATH.eq(path)));
        request.threadId().ifPresent(thread -> where.add(SESSIONS.THREAD_ID.eq(thread)));
        // A row-value comparison, which SQLite seeks to in the (…, created_at DESC, id DESC) indexes.
        request.after().ifPresent(after -> where.add(DSL.row(SESSIONS.CREATED_AT, SESSIONS.ID)
                .lt(after.createdAt(), after.id().value())));
        return db.read(ctx -> ctx.select(SUMMARY).from(SESSIONS)
                .where(where)
                .orderBy(SESSIONS.CREATED_AT.desc(), SESSIONS.ID.desc())
                .limit(request.limit())
                .fetch(SqliteSessionRepository::toSummary));
    }

    @Override
    public Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, Instant at) {
        String atText = INSTANTS.to(at);
        String idText = UUIDS.to(id.value());
        return db.write(ctx -> {
            Optional<Session> changed = fetchSession(COMPARE_AND_SET, ctx, target.name(), atText, idText, expected.name());
            if (changed.isEmpty()) {
                throw refusal(ctx, id, expected);
            }
            return changed.get();
        });
    }

    @Override
    public Session update(SessionId id, UnaryOperator<Session> change) {
        return db.write(ctx -> {
            Session current = load(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            Session next = change.apply(current);
            if (next == current) {
                return current;
            }
            var update = ctx.update(SESSIONS)
                    .set(SESSIONS.STATUS, next.status().name())
                    .set(SESSIONS.UPDATED_AT, next.updatedAt())
                    .set(SESSIONS.VERSION, next.version());
            // The same String instance means an untouched context: a status change does not rewrite it.
            if (next.context() != current.context()) {
                update = update.set(SESSIONS.CONTEXT, next.context());
            }
            int rows = update.where(SESSIONS.ID.eq(id.value()).and(SESSIONS.VERSION.eq(current.version()))).execute();
            if (rows == 0) {
                long now = load(ctx, id).map(Session::version).orElse(current.version());
                throw new StaleVersionException(id, current.version(), now);
            }
            return next;
        });
    }

    @Override
    public void delete(SessionId id, SessionStatus required) {
        db.write(ctx -> {
            int rows = ctx.deleteFrom(SESSIONS)
                    .where(SESSIONS.ID.eq(id.value()).and(SESSIONS.STATUS.eq(required.name())))
                    .execute();
            if (rows == 0) {
                throw refusal(ctx, id, required);
            }
            return null;
        });
    }

    /** Why a write guarded by {@code expected} matched no row, read in the same transaction. */
    private static RuntimeException refusal(DSLContext ctx, SessionId id, SessionStatus expected) {
        return ctx.select(SESSIONS.STATUS).from(SESSIONS).where(SESSIONS.ID.eq(id.value())).fetchOptional(SESSIONS.STATUS)
                .<RuntimeException>map(actual -> new StatusMismatchException(id, expected, SessionStatus.valueOf(actual)))
                .orElseGet(() -> new SessionNotFoundException(id));
    }

    private static Optional<Session> load(DSLContext ctx, SessionId id) {
        return fetchSession(FIND, ctx, UUIDS.to(id.value()));
    }

    /** Runs a hot statement that yields at most one whole session row. */
    private static Optional<Session> fetchSession(HotSql sql, DSLContext ctx, Object... values) {
        try (PreparedStatement statement = sql.prepare(ctx, values); ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(toSession(row)) : Optional.empty();
        } catch (SQLException e) {
            throw new DataAccessException("reading a session", e);
        }
    }

    /** A whole row, its columns in the table's order (id, project_path, ..., version, context). */
    private static Session toSession(ResultSet r) throws SQLException {
        return new Session(new SessionId(UUIDS.from(r.getString(1))), r.getString(2), r.getString(3),
                SessionStatus.valueOf(r.getString(4)), r.getString(8), INSTANTS.from(r.getString(5)),
                INSTANTS.from(r.getString(6)), r.getLong(7));
    }

    private static SessionSummary toSummary(Record r) {
        return new SessionSummary(new SessionId(r.get(SESSIONS.ID)), r.get(SESSIONS.PROJECT_PATH),
                r.get(SESSIONS.THREAD_ID), SessionStatus.valueOf(r.get(SESSIONS.STATUS)), r.get(SESSIONS.CREATED_AT),
                r.get(SESSIONS.UPDATED_AT), r.get(SESSIONS.VERSION));
    }
}
