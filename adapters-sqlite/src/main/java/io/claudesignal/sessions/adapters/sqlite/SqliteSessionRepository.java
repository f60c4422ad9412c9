package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.ACTIVITIES;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.ACTIVITY_LOGS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.LEASES;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.SESSIONS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.TRANSITIONS;

import io.claudesignal.sessions.adapters.sqlite.jooq.tables.records.ActivitiesRecord;
import io.claudesignal.sessions.adapters.sqlite.jooq.tables.records.LeasesRecord;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.application.port.out.Write;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Transition;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The persistence ports on one SQLite file, every write a single IMMEDIATE transaction: a status
 * change, its history entry and its lease rule commit together or not at all.
 */
final class SqliteSessionRepository implements SessionRepository, LeaseRepository, ActivityRepository {

    /** Everything but the context: a list never reads a context's pages. Read by position in findPage. */
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
    // Every status change also writes these two (see recordStatusChange).
    private static final HotSql DROP_LEASE = HotSql.render(RENDER.deleteFrom(LEASES)
            .where(LEASES.SESSION_ID.eq(DSL.param("id", String.class).coerce(LEASES.SESSION_ID))), "id");
    private static final HotSql INSERT_TRANSITION = HotSql.render(RENDER.insertInto(TRANSITIONS)
            .set(TRANSITIONS.SESSION_ID, DSL.param("id", String.class).coerce(TRANSITIONS.SESSION_ID))
            .set(TRANSITIONS.FROM_STATUS, DSL.param("from", String.class))
            .set(TRANSITIONS.TO_STATUS, DSL.param("to", String.class))
            .set(TRANSITIONS.CHANGED_AT, DSL.param("at", String.class).coerce(TRANSITIONS.CHANGED_AT))
            .set(TRANSITIONS.REASON, DSL.param("reason", String.class))
            .set(TRANSITIONS.ACTOR, DSL.param("actor", String.class)),
            "id", "from", "to", "at", "reason", "actor");
    private static final UuidTextConverter UUIDS = new UuidTextConverter();
    private static final InstantTextConverter INSTANTS = new InstantTextConverter();

    private final SqliteDatabase db;

    private final SqliteChangeLog changes;

    SqliteSessionRepository(SqliteDatabase db, SqliteChangeLog changes) {
        this.db = db;
        this.changes = changes;
    }

    @Override
    public void insert(Session session, Write write) {
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
        HotSql sql = PAGES.computeIfAbsent(shape, SqliteSessionRepository::renderPage);
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
                            INSTANTS.from(rows.getString(6)), rows.getLong(7)));
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

    private static final Map<PageShape, HotSql> PAGES = new ConcurrentHashMap<>();

    private static HotSql renderPage(PageShape shape) {
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
        return HotSql.render(RENDER.select(SUMMARY).from(SESSIONS)
                .where(where)
                .orderBy(SESSIONS.CREATED_AT.desc(), SESSIONS.ID.desc())
                .limit(DSL.param("limit", Integer.class)), names.toArray(String[]::new));
    }

    @Override
    public Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, Write write) {
        String atText = INSTANTS.to(write.at());
        String idText = UUIDS.to(id.value());
        return db.write(ctx -> {
            admit(ctx, id, write);
            Optional<Session> changed = fetchSession(COMPARE_AND_SET, ctx, target.name(), atText, idText, expected.name());
            if (changed.isEmpty()) {
                throw refusal(ctx, id, expected);
            }
            recordStatusChange(ctx, id, expected, target, write);
            changes.record(ctx, Change.Entry.transition(id, expected, target, write.at(), write.reason(), write.actor()));
            return changed.get();
        });
    }

    @Override
    public Session update(SessionId id, UnaryOperator<Session> change, Write write) {
        return db.write(ctx -> {
            Session current = load(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            admit(ctx, id, write);
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
            recordStatusChange(ctx, id, current.status(), next.status(), write);
            changes.record(ctx, next.status() != current.status()
                    ? Change.Entry.transition(id, current.status(), next.status(), write.at(), write.reason(), write.actor())
                    : Change.Entry.of(id, Change.Kind.CONTEXT_CHANGED, write));
            return next;
        });
    }

    @Override
    public void delete(SessionId id, SessionStatus required) {
        db.write(ctx -> {
            // History, lease and activity log go with it (ON DELETE CASCADE).
            int rows = ctx.deleteFrom(SESSIONS)
                    .where(SESSIONS.ID.eq(id.value()).and(SESSIONS.STATUS.eq(required.name())))
                    .execute();
            if (rows == 0) {
                throw refusal(ctx, id, required);
            }
            return null;
        });
    }

    @Override
    public List<Transition> history(SessionId id) {
        return db.read(ctx -> ofExistingSession(ctx, id, ctx.selectFrom(TRANSITIONS)
                .where(TRANSITIONS.SESSION_ID.eq(id.value()))
                .orderBy(TRANSITIONS.SEQ)
                .fetch(r -> new Transition(id, SessionStatus.valueOf(r.getFromStatus()),
                        SessionStatus.valueOf(r.getToStatus()), r.getChangedAt(), r.getReason(), new Actor(r.getActor())))));
    }

    @Override
    public List<Transition> recoverAbandoned(Instant now, Instant unownedBefore, Actor actor) {
        return db.write(ctx -> {
            // Evaluated three times in this one IMMEDIATE transaction, so always on the same rows.
            Condition abandoned = SESSIONS.STATUS.eq(SessionStatus.ACTIVE.name()).and(DSL.or(
                    LEASES.SESSION_ID.isNull().and(SESSIONS.UPDATED_AT.le(unownedBefore)),
                    LEASES.EXPIRES_AT.le(now)));
            var candidates = DSL.select(SESSIONS.ID).from(SESSIONS)
                    .leftJoin(LEASES).on(LEASES.SESSION_ID.eq(SESSIONS.ID))
                    .where(abandoned);
            ctx.insertInto(TRANSITIONS, TRANSITIONS.SESSION_ID, TRANSITIONS.FROM_STATUS, TRANSITIONS.TO_STATUS,
                            TRANSITIONS.CHANGED_AT, TRANSITIONS.REASON, TRANSITIONS.ACTOR)
                    .select(DSL.select(SESSIONS.ID, DSL.val(SessionStatus.ACTIVE.name()),
                                    DSL.val(SessionStatus.PAUSED.name()), DSL.val(now, TRANSITIONS.CHANGED_AT),
                                    DSL.val(Transition.CRASH_RECOVERY), DSL.val(actor.value()))
                            .from(SESSIONS).leftJoin(LEASES).on(LEASES.SESSION_ID.eq(SESSIONS.ID))
                            .where(abandoned))
                    .execute();
            List<UUID> recovered = ctx.update(SESSIONS)
                    .set(SESSIONS.STATUS, SessionStatus.PAUSED.name())
                    .set(SESSIONS.VERSION, SESSIONS.VERSION.plus(1))
                    .set(SESSIONS.UPDATED_AT, DSL.greatest(SESSIONS.UPDATED_AT, DSL.val(now, SESSIONS.UPDATED_AT)))
                    .set(SESSIONS.CONTEXT, DSL.function("json_set", String.class, SESSIONS.CONTEXT,
                            DSL.inline("$." + Session.RECOVERED_AT), DSL.val(now.truncatedTo(ChronoUnit.MICROS).toString())))
                    .where(SESSIONS.ID.in(candidates))
                    .returning(SESSIONS.ID)
                    .fetch(SESSIONS.ID);
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
            for (Transition t : made) {
                changes.record(ctx, Change.Entry.transition(t.sessionId(), t.from(), t.to(), now, t.reason(), actor));
            }
            return made;
        });
    }

    // ---- leases ----

    @Override
    public Lease claim(SessionId id, Actor owner, long token, Instant now, Instant expiresAt) {
        return db.write(ctx -> {
            String status = ctx.select(SESSIONS.STATUS).from(SESSIONS).where(SESSIONS.ID.eq(id.value()))
                    .fetchOptional(SESSIONS.STATUS).orElseThrow(() -> new SessionNotFoundException(id));
            if (!SessionStatus.ACTIVE.name().equals(status)) {
                throw new StatusMismatchException(id, SessionStatus.ACTIVE, SessionStatus.valueOf(status));
            }
            Optional<Lease> current = findLease(ctx, id);
            long kept = token;
            if (current.isPresent() && current.get().isLiveAt(now)) {
                if (!current.get().owner().equals(owner)) {
                    throw new LeaseHeldException(current.get());
                }
                kept = current.get().token();
            }
            ctx.insertInto(LEASES)
                    .set(LEASES.SESSION_ID, id.value()).set(LEASES.OWNER, owner.value())
                    .set(LEASES.TOKEN, kept).set(LEASES.EXPIRES_AT, expiresAt)
                    .onConflict(LEASES.SESSION_ID).doUpdate()
                    .set(LEASES.OWNER, owner.value()).set(LEASES.TOKEN, kept).set(LEASES.EXPIRES_AT, expiresAt)
                    .execute();
            return new Lease(id, owner, kept, expiresAt);
        });
    }

    @Override
    public List<Lease> renew(Actor owner, Instant now, Instant expiresAt) {
        return db.write(ctx -> ctx.update(LEASES)
                .set(LEASES.EXPIRES_AT, expiresAt)
                .where(LEASES.OWNER.eq(owner.value()).and(LEASES.EXPIRES_AT.gt(now)))
                .returning()
                .fetch(SqliteSessionRepository::toLease));
    }

    @Override
    public boolean release(Lease lease) {
        return db.write(ctx -> ctx.deleteFrom(LEASES)
                .where(LEASES.SESSION_ID.eq(lease.sessionId().value())
                        .and(LEASES.OWNER.eq(lease.owner().value()))
                        .and(LEASES.TOKEN.eq(lease.token())))
                .execute() == 1);
    }

    @Override
    public Optional<Lease> find(SessionId id) {
        return db.read(ctx -> findLease(ctx, id));
    }

    // ---- activity log ----

    @Override
    public Activity append(SessionId id, String type, String details, Write write, int keep) {
        return db.write(ctx -> {
            requireSession(ctx, id);
            admit(ctx, id, write);
            // Two plain statements rather than an upsert with RETURNING, which jOOQ does not return on
            // SQLite's DO UPDATE branch; the IMMEDIATE transaction makes the pair atomic.
            long seq = ctx.update(ACTIVITY_LOGS)
                    .set(ACTIVITY_LOGS.LAST_SEQ, ACTIVITY_LOGS.LAST_SEQ.plus(1))
                    .where(ACTIVITY_LOGS.SESSION_ID.eq(id.value()))
                    .returning(ACTIVITY_LOGS.LAST_SEQ)
                    .fetchOptional(ACTIVITY_LOGS.LAST_SEQ)
                    .orElseGet(() -> {
                        ctx.insertInto(ACTIVITY_LOGS)
                                .set(ACTIVITY_LOGS.SESSION_ID, id.value())
                                .set(ACTIVITY_LOGS.LAST_SEQ, 1L)
                                .set(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ, 0L)
                                .execute();
                        return 1L;
                    });
            Activity activity = new Activity(id, seq, type, details, write.at());
            ctx.insertInto(ACTIVITIES)
                    .set(ACTIVITIES.SESSION_ID, id.value())
                    .set(ACTIVITIES.SEQ, seq)
                    .set(ACTIVITIES.TYPE, type)
                    .set(ACTIVITIES.OCCURRED_AT, activity.at())
                    .set(ACTIVITIES.DETAILS, details)
                    .execute();
            if (seq > keep) {
                ctx.deleteFrom(ACTIVITIES)
                        .where(ACTIVITIES.SESSION_ID.eq(id.value()).and(ACTIVITIES.SEQ.le(seq - keep)))
                        .execute();
            }
            changes.record(ctx, Change.Entry.activity(id, seq, write));
            return activity;
        });
    }

    @Override
    public List<Activity> list(SessionId id) {
        return db.read(ctx -> ofExistingSession(ctx, id, ctx.selectFrom(ACTIVITIES)
                .where(ACTIVITIES.SESSION_ID.eq(id.value()))
                .orderBy(ACTIVITIES.SEQ)
                .fetch(SqliteSessionRepository::toActivity)));
    }

    @Override
    public CatchUp catchUp(SessionId id) {
        return db.read(ctx -> {
            // One statement: the marker, the newest number and the entries after the marker from one snapshot.
            var rows = ctx.select(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ, ACTIVITY_LOGS.LAST_SEQ, ACTIVITIES.SEQ,
                            ACTIVITIES.TYPE, ACTIVITIES.DETAILS, ACTIVITIES.OCCURRED_AT)
                    .from(ACTIVITY_LOGS)
                    .leftJoin(ACTIVITIES).on(ACTIVITIES.SESSION_ID.eq(ACTIVITY_LOGS.SESSION_ID)
                            .and(ACTIVITIES.SEQ.gt(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ)))
                    .where(ACTIVITY_LOGS.SESSION_ID.eq(id.value()))
                    .orderBy(ACTIVITIES.SEQ)
                    .fetch();
            if (rows.isEmpty()) {
                requireSession(ctx, id);
                return new CatchUp(id, 0, 0, List.of());
            }
            List<Activity> unseen = new ArrayList<>();
            for (Record r : rows) {
                if (r.get(ACTIVITIES.SEQ) != null) {
                    unseen.add(new Activity(id, r.get(ACTIVITIES.SEQ), r.get(ACTIVITIES.TYPE), r.get(ACTIVITIES.DETAILS),
                            r.get(ACTIVITIES.OCCURRED_AT)));
                }
            }
            Record first = rows.get(0);
            return new CatchUp(id, first.get(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ), first.get(ACTIVITY_LOGS.LAST_SEQ), unseen);
        });
    }

    @Override
    public long acknowledge(SessionId id, long throughSeq) {
        return db.write(ctx -> {
            Optional<Long> marker = ctx.update(ACTIVITY_LOGS)
                    .set(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ, DSL.greatest(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ,
                            DSL.least(DSL.val(throughSeq, ACTIVITY_LOGS.LAST_SEQ), ACTIVITY_LOGS.LAST_SEQ)))
                    .where(ACTIVITY_LOGS.SESSION_ID.eq(id.value()))
                    .returning(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ)
                    .fetchOptional(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ);
            if (marker.isEmpty()) {
                requireSession(ctx, id);
            }
            return marker.orElse(0L);
        });
    }

    // ---- shared rules ----

    /** Refuses a fenced write whose lease no longer holds; read in the write's own transaction. */
    static void admit(DSLContext ctx, SessionId id, Write write) {
        if (write.fence().isPresent() && !write.admittedBy(findLease(ctx, id))) {
            throw new LeaseLostException(write.fence().get());
        }
    }

    /** The history entry and lease rule of a status change, in the transaction that made it. */
    private static void recordStatusChange(DSLContext ctx, SessionId id, SessionStatus from, SessionStatus to, Write write) {
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

    /** Index-only: the primary key's index answers it without reading the row or its context. */
    static void requireSession(DSLContext ctx, SessionId id) {
        if (!ctx.fetchExists(DSL.selectOne().from(SESSIONS).where(SESSIONS.ID.eq(id.value())))) {
            throw new SessionNotFoundException(id);
        }
    }

    /** A session's rows from a table of its own: none may mean there is no such session, which is then said. */
    private static <T> List<T> ofExistingSession(DSLContext ctx, SessionId id, List<T> rows) {
        if (rows.isEmpty()) {
            requireSession(ctx, id);
        }
        return rows;
    }

    private static Optional<Lease> findLease(DSLContext ctx, SessionId id) {
        return ctx.selectFrom(LEASES).where(LEASES.SESSION_ID.eq(id.value())).fetchOptional()
                .map(SqliteSessionRepository::toLease);
    }

    private static Lease toLease(LeasesRecord r) {
        return new Lease(new SessionId(r.getSessionId()), new Actor(r.getOwner()), r.getToken(), r.getExpiresAt());
    }

    private static Activity toActivity(ActivitiesRecord r) {
        return new Activity(new SessionId(r.getSessionId()), r.getSeq(), r.getType(), r.getDetails(), r.getOccurredAt());
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

    /** A whole row, its columns in the table's order (id, project_path, ..., version, context, forked_from_*). */
    private static Session toSession(ResultSet r) throws SQLException {
        String forkedFrom = r.getString(9);
        Optional<ForkOrigin> origin = forkedFrom == null ? Optional.empty()
                : Optional.of(new ForkOrigin(new SessionId(UUIDS.from(forkedFrom)), r.getLong(10)));
        return new Session(new SessionId(UUIDS.from(r.getString(1))), r.getString(2), r.getString(3),
                SessionStatus.valueOf(r.getString(4)), r.getString(8), INSTANTS.from(r.getString(5)),
                INSTANTS.from(r.getString(6)), r.getLong(7), origin);
    }
}
