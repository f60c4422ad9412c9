package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * The lease port on any SQL database: each start of an incarnation, claim, renewal and release one
 * write transaction, deciding about expiry with lease time read inside it ({@link SqlRules#leaseNow}).
 */
public final class SqlLeases implements LeaseRepository {

    /** Ids bound per statement when renewing: far under either database's limit of bound parameters. */
    private static final int RENEW_CHUNK = 500;

    private final SqlTransactions db;
    private final SqlRules rules;
    private final DaemonNames names;
    private final SqlTables.Leases leases;
    private final SqlTables.Sessions sessions;
    private final SqlTables.Daemons daemons;

    public SqlLeases(SqlTransactions db, SqlRules rules, DaemonNames names) {
        this.db = db;
        this.rules = rules;
        this.names = names;
        this.leases = rules.tables().leases;
        this.sessions = rules.tables().sessions;
        this.daemons = rules.tables().daemons;
    }

    @Override
    public long startIncarnation(Actor owner, Clock clock) {
        AutoCloseable hold = names.hold(owner);
        try {
            return db.write(ctx -> {
                Instant now = rules.leaseNow(ctx, clock);
                // One statement: two starts under one name (two handles of one process) number apart,
                // and where rows are locked, a claim that read the old number has committed first.
                ctx.insertInto(daemons.table)
                        .set(daemons.name, owner.value()).set(daemons.incarnation, 1L).set(daemons.startedAt, now)
                        .onConflict(daemons.name).doUpdate()
                        .set(daemons.incarnation, daemons.incarnation.plus(1)).set(daemons.startedAt, now)
                        .execute();
                // Read back in the same transaction, which holds the row now (no RETURNING: sqlite-jdbc
                // gives no row for an upsert that took the UPDATE path).
                long next = newest(ctx, owner, false);
                // Under the sessions' locks, in id order, as every change to a lease is made (where the
                // database locks rows; else the transaction holds the database).
                Condition owned = leases.owner.eq(owner.value());
                Condition held = rules.dialect().writeLocks().lockSession(() -> owned.and(leases.sessionId.in(
                        ctx.select(sessions.id).from(sessions.table)
                                .join(leases.table).on(leases.sessionId.eq(sessions.id))
                                .where(owned)
                                .orderBy(sessions.id)
                                .forUpdate().of(sessions.table)
                                .fetch(sessions.id))), () -> owned);
                ctx.update(leases.table).set(leases.token, FENCED_TOKEN).set(leases.expiresAt, FENCED_EXPIRY)
                        .where(held)
                        .execute();
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
        return db.read(ctx -> newest(ctx, owner, false));
    }

    @Override
    public String storeTag() {
        return LeaseRepository.tagOf(names.location());
    }

    /**
     * The newest incarnation of {@code owner}; where rows are locked and {@code share}, its row is
     * share-locked, so a start of a newer one waits for this transaction, or this one sees it.
     */
    private long newest(DSLContext ctx, Actor owner, boolean share) {
        var select = ctx.select(daemons.incarnation).from(daemons.table).where(daemons.name.eq(owner.value()));
        return (share ? rules.dialect().writeLocks().forCheck(select) : select).fetchOptional(daemons.incarnation)
                .orElse(0L);
    }

    @Override
    public Lease claim(SessionId id, Actor owner, long incarnation, long token, Clock clock, Duration duration) {
        return db.write(ctx -> {
            SessionStatus status = rules.lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            Lease.requireNewestIncarnation(id, owner, token, incarnation, newest(ctx, owner, true));
            Instant now = rules.leaseNow(ctx, clock);
            Optional<Lease> current = rules.findLease(ctx, id);
            Lease claimed = Lease.decideClaim(id, status, current, owner, token, now, now.plus(duration));
            if (Lease.takesOver(current, claimed)) {
                SqlInbox.requeueTaken(ctx, rules.tables(), id); // in this transaction: see Lease.takesOver
            }
            ctx.insertInto(leases.table)
                    .set(leases.sessionId, id.value()).set(leases.owner, owner.value())
                    .set(leases.token, claimed.token()).set(leases.expiresAt, claimed.expiresAt())
                    .onConflict(leases.sessionId).doUpdate()
                    .set(leases.owner, owner.value()).set(leases.token, claimed.token())
                    .set(leases.expiresAt, claimed.expiresAt())
                    .execute();
            return claimed;
        });
    }

    @Override
    public List<Lease> renew(Actor owner, long incarnation, Collection<Lease> held, Clock clock, Duration duration) {
        if (held.isEmpty()) {
            return List.of();
        }
        Map<UUID, Long> tokens = new HashMap<>();
        held.forEach(lease -> tokens.put(lease.sessionId().value(), lease.token()));
        List<UUID> ids = tokens.keySet().stream().sorted().toList();
        return db.write(ctx -> {
            if (newest(ctx, owner, true) > incarnation) {
                return List.<Lease>of(); // fenced: its leases are no longer its own
            }
            Instant expiresAt = rules.leaseNow(ctx, clock).plus(duration);
            List<Lease> renewed = new ArrayList<>();
            for (int from = 0; from < ids.size(); from += RENEW_CHUNK) {
                List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + RENEW_CHUNK));
                Condition mine = leases.owner.eq(owner.value()).and(leases.sessionId.in(chunk));
                // The sessions' locks first, in id order (so two renewals never deadlock): a recovery
                // deciding whether these leases expired sees them either before or after, never half-way.
                rules.dialect().writeLocks().lockSession(() -> ctx.select(sessions.id).from(sessions.table)
                        .where(sessions.id.in(chunk)).orderBy(sessions.id).forUpdate().fetch(), () -> null);
                // Each held claim whose token is still the stored one, expired or not: nobody took it
                // (a claim by another, a recovery or a newer incarnation would have changed or dropped it).
                List<UUID> ours = ctx.select(leases.all).from(leases.table).where(mine)
                        .fetch(leases::toLease).stream()
                        .filter(lease -> tokens.get(lease.sessionId().value()) == lease.token())
                        .map(lease -> lease.sessionId().value())
                        .toList();
                if (!ours.isEmpty()) {
                    renewed.addAll(ctx.update(leases.table)
                            .set(leases.expiresAt, expiresAt)
                            .where(leases.owner.eq(owner.value()).and(leases.sessionId.in(ours)))
                            .returning(leases.all)
                            .fetch(leases::toLease));
                }
            }
            return renewed;
        });
    }

    @Override
    public boolean release(Lease lease) {
        return db.write(ctx -> {
            rules.lockForWrite(ctx, lease.sessionId()); // serialised with the writes the lease fences
            if (!Lease.releases(rules.findLease(ctx, lease.sessionId()), lease)) {
                return false; // stale: what is taken now is another holder's
            }
            SqlInbox.requeueTaken(ctx, rules.tables(), lease.sessionId()); // in this transaction: see Lease.releases
            ctx.deleteFrom(leases.table)
                    .where(leases.sessionId.eq(lease.sessionId().value())
                            .and(leases.owner.eq(lease.owner().value()))
                            .and(leases.token.eq(lease.token())))
                    .execute();
            return true;
        });
    }

    @Override
    public Optional<Lease> find(SessionId id) {
        return db.read(ctx -> rules.findLease(ctx, id));
    }
}
