package io.claudesignal.sessions.adapters.postgres;

import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.ACTIVITIES;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.ACTIVITY_LOGS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.DAEMONS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.LEASES;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.SESSIONS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.TRANSITIONS;

import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.ActivitiesRecord;
import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.LeasesRecord;
import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.SessionsRecord;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

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
    private final PostgresNameLocks nameLocks;

    PostgresSessionRepository(PostgresDatabase db, PostgresNameLocks nameLocks) {
        this.db = db;
        this.nameLocks = nameLocks;
    }

    @Override
    public void insert(Session session) {
        db.write(ctx -> {
            try {
                ctx.insertInto(SESSIONS).set(toRecord(session)).execute();
            } catch (DataAccessException e) {
                if (PostgresErrors.isUniqueViolation(e)) {
                    throw new DuplicateSessionException(session.id());
                }
                throw e;
            }
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
            admit(db, ctx, id, write);
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
            return toSession(changed);
        });
    }

    @Override
    public Session update(SessionId id, UnaryOperator<Session> change, Write write) {
        return db.write(ctx -> {
            Session current = ctx.selectFrom(SESSIONS).where(SESSIONS.ID.eq(id.value())).forUpdate().fetchOptional()
                    .map(PostgresSessionRepository::toSession)
                    .orElseThrow(() -> new SessionNotFoundException(id));
            admit(db, ctx, id, write);
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
    public List<Transition> recoverAbandoned(Clock clock, Duration grace, Actor actor) {
        return db.write(ctx -> {
            Instant now = leaseNow(ctx, clock);
            Instant at = now;
            Instant unownedBefore = now.minus(grace);
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
            return made;
        });
    }

    // ---- leases ----

    @Override
    public long startIncarnation(Actor owner, Clock clock) {
        AutoCloseable hold = nameLocks.acquire(owner);
        try {
            return db.write(ctx -> {
                Instant now = leaseNow(ctx, clock);
                // One statement: two starts under one name (two handles of one process) number apart.
                long next = ctx.insertInto(DAEMONS)
                        .set(DAEMONS.NAME, owner.value()).set(DAEMONS.INCARNATION, 1L).set(DAEMONS.STARTED_AT, now)
                        .onConflict(DAEMONS.NAME).doUpdate()
                        .set(DAEMONS.INCARNATION, DAEMONS.INCARNATION.plus(1)).set(DAEMONS.STARTED_AT, now)
                        .returning(DAEMONS.INCARNATION)
                        .fetchSingle().getIncarnation();
                // Under the sessions' locks, in id order, as every change to a lease is made.
                List<UUID> owned = ctx.select(SESSIONS.ID).from(SESSIONS)
                        .join(LEASES).on(LEASES.SESSION_ID.eq(SESSIONS.ID))
                        .where(LEASES.OWNER.eq(owner.value()))
                        .orderBy(SESSIONS.ID)
                        .forUpdate().of(SESSIONS)
                        .fetch(SESSIONS.ID);
                if (!owned.isEmpty()) {
                    ctx.update(LEASES).set(LEASES.TOKEN, FENCED_TOKEN).set(LEASES.EXPIRES_AT, FENCED_EXPIRY)
                            .where(LEASES.OWNER.eq(owner.value()).and(LEASES.SESSION_ID.in(owned)))
                            .execute();
                }
                return next;
            });
        } catch (RuntimeException e) {
            try {
                hold.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public long incarnation(Actor owner) {
        return db.read(ctx -> ctx.select(DAEMONS.INCARNATION).from(DAEMONS).where(DAEMONS.NAME.eq(owner.value()))
                .fetchOptional(DAEMONS.INCARNATION).orElse(0L));
    }

    @Override
    public String storeTag() {
        return LeaseRepository.tagOf(nameLocks.location());
    }

    @Override
    public Lease claim(SessionId id, Actor owner, long incarnation, long token, Clock clock, Duration duration) {
        return db.write(ctx -> {
            SessionStatus status = lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            // Read under the session's lock; a start of a newer incarnation commits before or after.
            long newest = ctx.select(DAEMONS.INCARNATION).from(DAEMONS).where(DAEMONS.NAME.eq(owner.value()))
                    .fetchOptional(DAEMONS.INCARNATION).orElse(0L);
            if (newest > incarnation) {
                throw new LeaseLostException(new Lease(id, owner, token, FENCED_EXPIRY),
                        "fenced by a newer incarnation of " + owner + " (incarnation " + newest + ")");
            }
            Instant now = leaseNow(ctx, clock);
            Instant expiresAt = now.plus(duration);
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
    public List<Lease> renew(Actor owner, long incarnation, Collection<Lease> held, Clock clock, Duration duration) {
        if (held.isEmpty()) {
            return List.of();
        }
        Map<UUID, Long> tokens = new HashMap<>();
        held.forEach(l -> tokens.put(l.sessionId().value(), l.token()));
        return db.write(ctx -> {
            // The sessions' locks first, in id order (so two renewals never deadlock): a recovery
            // deciding whether these leases expired sees them either before or after, never half-way.
            // Each held claim whose token is still the stored one, expired or not: nobody took it.
            List<UUID> ours = ctx.select(SESSIONS.ID, LEASES.TOKEN).from(SESSIONS)
                    .join(LEASES).on(LEASES.SESSION_ID.eq(SESSIONS.ID))
                    .where(LEASES.OWNER.eq(owner.value()).and(SESSIONS.ID.eq(DSL.any(tokens.keySet().toArray(UUID[]::new)))))
                    .orderBy(SESSIONS.ID)
                    .forUpdate().of(SESSIONS)
                    .fetch(r -> r.value2().equals(tokens.get(r.value1())) ? r.value1() : null)
                    .stream().filter(Objects::nonNull).toList();
            long newest = ctx.select(DAEMONS.INCARNATION).from(DAEMONS).where(DAEMONS.NAME.eq(owner.value()))
                    .fetchOptional(DAEMONS.INCARNATION).orElse(0L);
            if (ours.isEmpty() || newest > incarnation) {
                return List.<Lease>of();
            }
            Instant expiresAt = leaseNow(ctx, clock).plus(duration);
            return ctx.update(LEASES)
                    .set(LEASES.EXPIRES_AT, expiresAt)
                    .where(LEASES.SESSION_ID.in(ours).and(LEASES.OWNER.eq(owner.value())))
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
            admit(db, ctx, id, write);
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

    /**
     * Refuses a fenced write whose lease no longer holds; read under the session's lock, its expiry
     * compared with lease time (the server's clock, unless the settings say otherwise).
     */
    static void admit(PostgresDatabase db, DSLContext ctx, SessionId id, Write write) {
        if (write.fence().isPresent()
                && !write.admittedBy(findLease(ctx, id), db.leaseTimeFromServer() ? serverNow(ctx) : write.at())) {
            throw new LeaseLostException(write.fence().get());
        }
    }

    /**
     * The server's clock now ({@code clock_timestamp()}: the moment of the call, not the start of the
     * transaction, which may have waited for a lock), to the microsecond PostgreSQL keeps.
     */
    static Instant serverNow(DSLContext ctx) {
        return ctx.select(DSL.field("clock_timestamp()", SQLDataType.TIMESTAMPWITHTIMEZONE)).fetchSingle().value1()
                .toInstant();
    }

    /** Lease time for a step that decides about expiry: the server's, or the caller's clock. */
    private Instant leaseNow(DSLContext ctx, Clock clock) {
        return (db.leaseTimeFromServer() ? serverNow(ctx) : clock.instant()).truncatedTo(ChronoUnit.MICROS);
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
