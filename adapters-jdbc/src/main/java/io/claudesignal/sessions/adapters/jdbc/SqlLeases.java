package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;

/** The lease port on any SQL database: each claim, renewal and release one write transaction. */
public final class SqlLeases implements LeaseRepository {

    private final SqlTransactions db;
    private final SqlRules rules;
    private final SqlTables.Leases leases;
    private final SqlTables.Sessions sessions;

    public SqlLeases(SqlTransactions db, SqlRules rules) {
        this.db = db;
        this.rules = rules;
        this.leases = rules.tables().leases;
        this.sessions = rules.tables().sessions;
    }

    @Override
    public Lease claim(SessionId id, Actor owner, long token, Instant now, Instant expiresAt) {
        return db.write(ctx -> {
            SessionStatus status = rules.lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            Lease claimed = Lease.decideClaim(id, status, rules.findLease(ctx, id), owner, token, now, expiresAt);
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
    public List<Lease> renew(Actor owner, Instant now, Instant expiresAt) {
        return db.write(ctx -> {
            Condition live = leases.owner.eq(owner.value()).and(leases.expiresAt.gt(now));
            if (rules.dialect().locksRows()) {
                // The sessions' locks first, in id order (so two renewals never deadlock): a recovery
                // deciding whether these leases expired sees them either before or after, never half-way.
                List<UUID> locked = ctx.select(sessions.id).from(sessions.table)
                        .join(leases.table).on(leases.sessionId.eq(sessions.id))
                        .where(live)
                        .orderBy(sessions.id)
                        .forUpdate().of(sessions.table)
                        .fetch(sessions.id);
                if (locked.isEmpty()) {
                    return List.of();
                }
                live = live.and(leases.sessionId.in(locked));
            }
            return ctx.update(leases.table)
                    .set(leases.expiresAt, expiresAt)
                    .where(live)
                    .returning(leases.all)
                    .fetch(leases::toLease);
        });
    }

    @Override
    public boolean release(Lease lease) {
        return db.write(ctx -> {
            if (rules.dialect().locksRows()) {
                rules.lock(ctx, lease.sessionId()); // serialised with the writes the lease fences
            }
            return ctx.deleteFrom(leases.table)
                    .where(leases.sessionId.eq(lease.sessionId().value())
                            .and(leases.owner.eq(lease.owner().value()))
                            .and(leases.token.eq(lease.token())))
                    .execute() == 1;
        });
    }

    @Override
    public Optional<Lease> find(SessionId id) {
        return db.read(ctx -> rules.findLease(ctx, id));
    }
}
