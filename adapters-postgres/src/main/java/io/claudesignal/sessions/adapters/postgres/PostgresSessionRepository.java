package io.claudesignal.sessions.adapters.postgres;

import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.ACTIVITIES;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.ACTIVITY_LOGS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.LEASES;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.SESSIONS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.TRANSITIONS;

import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.ActivitiesRecord;
import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.LeasesRecord;
import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.SessionsRecord;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.Write;
import io.claudesignal.sessions.application.service.ContextJson;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import io.claudesignal.sessions.domain.Transition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The persistence ports on one PostgreSQL schema, shared by any number of processes and hosts. Each
 * write is one READ COMMITTED transaction; each that checks something first locks the session's row
 * ({@code SELECT … FOR UPDATE}): every change to a session or its lease is made under that lock, so the
 * checks a write makes (status, version, the fencing lease) hold when it commits. Recovery takes the locks of
 * the abandoned sessions with {@code SKIP LOCKED} and checks them again once it holds them, so two
 * recoveries never wait for each other and never recover a session twice.
 */
final class PostgresSessionRepository implements SessionRepository, LeaseRepository, ActivityRepository {

    /** Everything but the context: a list never reads a context. */
    private static final List<SelectField<?>> SUMMARY = List.of(SESSIONS.ID, SESSIONS.PROJECT_PATH, SESSIONS.THREAD_ID,
            SESSIONS.STATUS, SESSIONS.CREATED_AT, SESSIONS.UPDATED_AT, SESSIONS.VERSION);

    /** Only to stamp recovered contexts: it keeps their text as it is (order of keys, numbers). */
    private static final ContextJson CONTEXT_JSON = new ContextJson();

    private final PostgresDatabase db;

    private final PostgresChangeLog changes;

    PostgresSessionRepository(PostgresDatabase db, PostgresChangeLog changes) {
        this.db = db;
        this.changes = changes;
    }

    @Override
    public void insert(Session session, Write write) {
        db.write(ctx -> {
            try {
                ctx.insertInto(SESSIONS).set(toRecord(session)).execute();
            } catch (DataAccessException e) {
                if (PostgresErrors.isUniqueViolation(e)) {
                    throw new DuplicateSessionException(session.id());
                }
                throw e;
            }
            changes.record(ctx, Change.Entry.of(session.id(), Change.Kind.CREATED, write));
            return null;
        });
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        return db.read(ctx -> ctx.selectFrom(SESSIONS).where(SESSIONS.ID.eq(id.value())).fetchOptional()
                .map(PostgresSessionRepository::toSession));
    }

    @Override
    public List<SessionSummary> findPage(PageRequest request) {
        List<Condition> where = new ArrayList<>();
        if (!request.statuses().isEmpty()) {
            where.add(SESSIONS.STATUS.in(request.statuses().stream().map(Enum::name).toList()));
        }
        request.projectPath().ifPresent(path -> where.add(SESSIONS.PROJECT_PATH.eq(path)));
        request.threadId().ifPresent(thread -> where.add(SESSIONS.THREAD_ID.eq(thread)));
        // A row-value comparison, which PostgreSQL answers with an index scan from the cursor on.
        request.after().ifPresent(after -> where.add(DSL.row(SESSIONS.CREATED_AT, SESSIONS.ID)
                .lt(after.createdAt(), after.id().value())));
        return db.read(ctx -> ctx.select(SUMMARY).from(SESSIONS)
                .where(where)
                .orderBy(SESSIONS.CREATED_AT.desc(), SESSIONS.ID.desc())
                .limit(request.limit())
                .fetch(PostgresSessionRepository::toSummary));
    }

    @Override
    public Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, Write write) {
        return db.write(ctx -> {
            Optional<SessionStatus> locked = lock(ctx, id);
            admit(ctx, id, write);
            SessionStatus actual = locked.orElseThrow(() -> new SessionNotFoundException(id));
            // The expected status is also checked by the statement that writes.
            SessionsRecord changed = ctx.update(SESSIONS)
                    .set(SESSIONS.STATUS, target.name())
                    .set(SESSIONS.VERSION, SESSIONS.VERSION.plus(1))
                    .set(SESSIONS.UPDATED_AT, DSL.greatest(SESSIONS.UPDATED_AT, DSL.val(write.at(), SESSIONS.UPDATED_AT)))
                    .where(SESSIONS.ID.eq(id.value()).and(SESSIONS.STATUS.eq(expected.name())))
                    .returning()
                    .fetchOne();
            if (changed == null) {
                throw new StatusMismatchException(id, expected, actual);
            }
            recordStatusChange(ctx, id, expected, target, write);
            changes.record(ctx, Change.Entry.transition(id, expected, target, write.at(), write.reason(), write.actor()));
            return toSession(changed);
        });
    }

    @Override
    public Session update(SessionId id, UnaryOperator<Session> change, Write write) {
        return db.write(ctx -> {
            Session current = ctx.selectFrom(SESSIONS).where(SESSIONS.ID.eq(id.value())).forUpdate().fetchOptional()
                    .map(PostgresSessionRepository::toSession)
                    .orElseThrow(() -> new SessionNotFoundException(id));
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
            // The row is locked, so the version guard cannot fail; it stays as a second line of defence.
            int rows = update.where(SESSIONS.ID.eq(id.value()).and(SESSIONS.VERSION.eq(current.version()))).execute();
            if (rows == 0) {
                throw new StaleVersionException(id, current.version(), current.version() + 1);
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
                SessionStatus actual = lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
                throw new StatusMismatchException(id, required, actual);
            }
            return null;
        });
    }

    @Override
    public List<Transition> history(SessionId id) {
        return db.read(ctx -> {
            List<Transition> history = ctx.selectFrom(TRANSITIONS)
                    .where(TRANSITIONS.SESSION_ID.eq(id.value()))
                    .orderBy(TRANSITIONS.SEQ)
                    .fetch(r -> new Transition(id, SessionStatus.valueOf(r.getFromStatus()),
                            SessionStatus.valueOf(r.getToStatus()), r.getChangedAt(), r.getReason(), new Actor(r.getActor())));
            if (history.isEmpty()) {
                requireSession(ctx, id);
            }
            return history;
        });
    }

    @Override
    public List<Transition> recoverAbandoned(Instant now, Instant unownedBefore, Actor actor) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        return db.write(ctx -> {
            Condition abandoned = SESSIONS.STATUS.eq(SessionStatus.ACTIVE.name()).and(DSL.or(
                    DSL.notExists(DSL.selectOne().from(LEASES).where(LEASES.SESSION_ID.eq(SESSIONS.ID)))
                            .and(SESSIONS.UPDATED_AT.le(unownedBefore)),
                    DSL.exists(DSL.selectOne().from(LEASES)
                            .where(LEASES.SESSION_ID.eq(SESSIONS.ID).and(LEASES.EXPIRES_AT.le(now))))));
            // Rows another transaction holds (another recovery, a claim, a write) are skipped, not waited for.
            List<UUID> locked = ctx.select(SESSIONS.ID).from(SESSIONS).where(abandoned)
                    .orderBy(SESSIONS.ID)
                    .forUpdate().skipLocked()
                    .fetch(SESSIONS.ID);
            if (locked.isEmpty()) {
                return List.of();
            }
            // Checked again under the locks, by a new statement that sees every change committed before
            // it: every change to a session or its lease is made under the session's lock.
            List<SessionsRecord> rows = ctx.selectFrom(SESSIONS)
                    .where(SESSIONS.ID.in(locked).and(abandoned))
                    .orderBy(SESSIONS.ID)
                    .fetch();
            List<Transition> made = new ArrayList<>();
            for (SessionsRecord row : rows) {
                SessionId id = new SessionId(row.getId());
                ctx.update(SESSIONS)
                        .set(SESSIONS.STATUS, SessionStatus.PAUSED.name())
                        .set(SESSIONS.VERSION, SESSIONS.VERSION.plus(1))
                        .set(SESSIONS.UPDATED_AT, DSL.greatest(SESSIONS.UPDATED_AT, DSL.val(at, SESSIONS.UPDATED_AT)))
                        .set(SESSIONS.CONTEXT, CONTEXT_JSON.withField(row.getContext(), Session.RECOVERED_AT, at.toString()))
                        .where(SESSIONS.ID.eq(row.getId()))
                        .execute();
                Transition transition = new Transition(id, SessionStatus.ACTIVE, SessionStatus.PAUSED, at,
                        Transition.CRASH_RECOVERY, actor);
                recordStatusChange(ctx, id, SessionStatus.ACTIVE, SessionStatus.PAUSED,
                        new Write(at, actor, Transition.CRASH_RECOVERY, Optional.empty()));
                made.add(transition);
            }
            for (Transition t : made) { // last: the log's lock is held from here to the commit
                changes.record(ctx, Change.Entry.transition(t.sessionId(), t.from(), t.to(), at, t.reason(), actor));
            }
            return made;
        });
    }

    // ---- leases ----

    @Override
    public Lease claim(SessionId id, Actor owner, long token, Instant now, Instant expiresAt) {
        return db.write(ctx -> {
            SessionStatus status = lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            if (status != SessionStatus.ACTIVE) {
                throw new StatusMismatchException(id, SessionStatus.ACTIVE, status);
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
        return db.write(ctx -> {
            // The sessions' locks first, in id order (so two renewals never deadlock): a recovery
            // deciding whether these leases expired sees them either before or after, never half-way.
            List<UUID> live = ctx.select(SESSIONS.ID).from(SESSIONS)
                    .join(LEASES).on(LEASES.SESSION_ID.eq(SESSIONS.ID))
                    .where(LEASES.OWNER.eq(owner.value()).and(LEASES.EXPIRES_AT.gt(now)))
                    .orderBy(SESSIONS.ID)
                    .forUpdate().of(SESSIONS)
                    .fetch(SESSIONS.ID);
            if (live.isEmpty()) {
                return List.of();
            }
            return ctx.update(LEASES)
                    .set(LEASES.EXPIRES_AT, expiresAt)
                    .where(LEASES.SESSION_ID.in(live).and(LEASES.OWNER.eq(owner.value())).and(LEASES.EXPIRES_AT.gt(now)))
                    .returning()
                    .fetch(PostgresSessionRepository::toLease);
        });
    }

    @Override
    public boolean release(Lease lease) {
        return db.write(ctx -> {
            lock(ctx, lease.sessionId());
            return ctx.deleteFrom(LEASES)
                    .where(LEASES.SESSION_ID.eq(lease.sessionId().value())
                            .and(LEASES.OWNER.eq(lease.owner().value()))
                            .and(LEASES.TOKEN.eq(lease.token())))
                    .execute() == 1;
        });
    }

    @Override
    public Optional<Lease> find(SessionId id) {
        return db.read(ctx -> findLease(ctx, id));
    }

    // ---- activity log ----

    @Override
    public Activity append(SessionId id, String type, String details, Write write, int keep) {
        return db.write(ctx -> {
            lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            admit(ctx, id, write);
            long seq = ctx.insertInto(ACTIVITY_LOGS)
                    .set(ACTIVITY_LOGS.SESSION_ID, id.value())
                    .set(ACTIVITY_LOGS.LAST_SEQ, 1L)
                    .set(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ, 0L)
                    .onConflict(ACTIVITY_LOGS.SESSION_ID).doUpdate()
                    .set(ACTIVITY_LOGS.LAST_SEQ, ACTIVITY_LOGS.LAST_SEQ.plus(1))
                    .returning(ACTIVITY_LOGS.LAST_SEQ)
                    .fetchOne(ACTIVITY_LOGS.LAST_SEQ);
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
        return db.read(ctx -> {
            List<Activity> log = ctx.selectFrom(ACTIVITIES)
                    .where(ACTIVITIES.SESSION_ID.eq(id.value()))
                    .orderBy(ACTIVITIES.SEQ)
                    .fetch(PostgresSessionRepository::toActivity);
            if (log.isEmpty()) {
                requireSession(ctx, id);
            }
            return log;
        });
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
            // One statement: never back, never past the newest entry, whatever else runs at the same time.
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

    /** Locks the session's row for the rest of the transaction; its status, or empty when there is none. */
    static Optional<SessionStatus> lock(DSLContext ctx, SessionId id) {
        return ctx.select(SESSIONS.STATUS).from(SESSIONS).where(SESSIONS.ID.eq(id.value()))
                .forUpdate()
                .fetchOptional(SESSIONS.STATUS)
                .map(SessionStatus::valueOf);
    }

    /** Refuses a fenced write whose lease no longer holds; read under the session's lock. */
    static void admit(DSLContext ctx, SessionId id, Write write) {
        if (write.fence().isPresent() && !write.admittedBy(findLease(ctx, id))) {
            throw new LeaseLostException(write.fence().get());
        }
    }

    /** The history entry and lease rule of a status change, in the transaction that made it. */
    private static void recordStatusChange(DSLContext ctx, SessionId id, SessionStatus from, SessionStatus to, Write write) {
        if (to != SessionStatus.ACTIVE) {
            ctx.deleteFrom(LEASES).where(LEASES.SESSION_ID.eq(id.value())).execute();
        }
        if (from != to) {
            ctx.insertInto(TRANSITIONS)
                    .set(TRANSITIONS.SESSION_ID, id.value())
                    .set(TRANSITIONS.FROM_STATUS, from.name())
                    .set(TRANSITIONS.TO_STATUS, to.name())
                    .set(TRANSITIONS.CHANGED_AT, write.at().truncatedTo(ChronoUnit.MICROS))
                    .set(TRANSITIONS.REASON, write.reason())
                    .set(TRANSITIONS.ACTOR, write.actor().value())
                    .execute();
        }
    }

    static void requireSession(DSLContext ctx, SessionId id) {
        if (!ctx.fetchExists(DSL.selectOne().from(SESSIONS).where(SESSIONS.ID.eq(id.value())))) {
            throw new SessionNotFoundException(id);
        }
    }

    private static Optional<Lease> findLease(DSLContext ctx, SessionId id) {
        return ctx.selectFrom(LEASES).where(LEASES.SESSION_ID.eq(id.value())).fetchOptional()
                .map(PostgresSessionRepository::toLease);
    }

    private static Lease toLease(LeasesRecord r) {
        return new Lease(new SessionId(r.getSessionId()), new Actor(r.getOwner()), r.getToken(), r.getExpiresAt());
    }

    private static Activity toActivity(ActivitiesRecord r) {
        return new Activity(new SessionId(r.getSessionId()), r.getSeq(), r.getType(), r.getDetails(), r.getOccurredAt());
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
        s.forkedFrom().ifPresent(origin -> {
            r.setForkedFromId(origin.parentId().value());
            r.setForkedFromSeq(origin.seq());
        });
        return r;
    }

    private static Session toSession(SessionsRecord r) {
        return new Session(new SessionId(r.getId()), r.getProjectPath(), r.getThreadId(),
                SessionStatus.valueOf(r.getStatus()), r.getContext(), r.getCreatedAt(), r.getUpdatedAt(), r.getVersion(),
                Optional.ofNullable(r.getForkedFromId())
                        .map(parent -> new ForkOrigin(new SessionId(parent), r.getForkedFromSeq())));
    }

    private static SessionSummary toSummary(Record r) {
        return new SessionSummary(new SessionId(r.get(SESSIONS.ID)), r.get(SESSIONS.PROJECT_PATH),
                r.get(SESSIONS.THREAD_ID), SessionStatus.valueOf(r.get(SESSIONS.STATUS)), r.get(SESSIONS.CREATED_AT),
                r.get(SESSIONS.UPDATED_AT), r.get(SESSIONS.VERSION));
    }
}
