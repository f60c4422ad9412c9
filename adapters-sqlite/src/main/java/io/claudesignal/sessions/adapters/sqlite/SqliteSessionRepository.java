package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.SESSIONS;

import io.claudesignal.sessions.adapters.sqlite.jooq.tables.records.SessionsRecord;
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

    private final SqliteDatabase db;

    SqliteSessionRepository(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(Session session) {
        db.write(ctx -> {
            try {
                ctx.insertInto(SESSIONS).set(toRecord(session)).execute();
            } catch (DataAccessException e) {
                if (SqliteErrors.isConstraint(e)) {
                    throw new DuplicateSessionException(session.id());
                }
                throw e;
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
        return db.write(ctx -> {
            // The expected status is checked by the statement that writes: no window between them.
            SessionsRecord changed = ctx.update(SESSIONS)
                    .set(SESSIONS.STATUS, target.name())
                    .set(SESSIONS.VERSION, SESSIONS.VERSION.plus(1))
                    .set(SESSIONS.UPDATED_AT, DSL.greatest(SESSIONS.UPDATED_AT, DSL.val(at, SESSIONS.UPDATED_AT)))
                    .where(SESSIONS.ID.eq(id.value()).and(SESSIONS.STATUS.eq(expected.name())))
                    .returning()
                    .fetchOne();
            if (changed == null) {
                throw refusal(ctx, id, expected);
            }
            return toSession(changed);
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
        return ctx.selectFrom(SESSIONS).where(SESSIONS.ID.eq(id.value())).fetchOptional()
                .map(SqliteSessionRepository::toSession);
    }

    private static SessionsRecord toRecord(Session s) {
        SessionsRecord r = new SessionsRecord();
        r.setId(s.id().value());
        r.setProjectPath(s.projectPath());
        r.setThreadId(s.threadId());
        r.setStatus(s.status().name());
        r.setCreatedAt(s.createdAt());
        r.setUpdatedAt(s.updatedAt());
        r.setVersion(s.version());
        r.setContext(s.context());
        return r;
    }

    private static Session toSession(SessionsRecord r) {
        return new Session(new SessionId(r.getId()), r.getProjectPath(), r.getThreadId(),
                SessionStatus.valueOf(r.getStatus()), r.getContext(), r.getCreatedAt(), r.getUpdatedAt(), r.getVersion());
    }

    private static SessionSummary toSummary(Record r) {
        return new SessionSummary(new SessionId(r.get(SESSIONS.ID)), r.get(SESSIONS.PROJECT_PATH),
                r.get(SESSIONS.THREAD_ID), SessionStatus.valueOf(r.get(SESSIONS.STATUS)), r.get(SESSIONS.CREATED_AT),
                r.get(SESSIONS.UPDATED_AT), r.get(SESSIONS.VERSION));
    }
}
