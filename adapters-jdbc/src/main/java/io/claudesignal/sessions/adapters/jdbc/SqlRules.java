package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The checks every write makes inside its transaction, the same on every SQL database: the
 * session's lock, its existence, and the fencing of a daemon's write by its lease.
 */
public final class SqlRules {

    private final SqlDialect dialect;
    private final SqlTables tables;

    public SqlRules(SqlDialect dialect) {
        this.dialect = dialect;
        this.tables = new SqlTables(dialect);
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public SqlTables tables() {
        return tables;
    }

    /**
     * The session's status, or empty when there is none; where the database locks rows, the session's
     * row is locked for the rest of the transaction: every change to a session or its lease is made
     * under that lock, so what a write checks still holds when it commits.
     */
    public Optional<SessionStatus> lock(DSLContext ctx, SessionId id) {
        var s = tables.sessions;
        var select = ctx.select(s.status).from(s.table).where(s.id.eq(id.value()));
        return (dialect.locksRows() ? select.forUpdate().fetchOptional(s.status) : select.fetchOptional(s.status))
                .map(SessionStatus::valueOf);
    }

    /**
     * Refuses a write to a session that does not exist and, where the database locks rows, locks the
     * session's row for the rest of the transaction; elsewhere index-only (the single writer excludes
     * the others already), so that a large context is never read.
     */
    public void lockExisting(DSLContext ctx, SessionId id) {
        if (dialect.locksRows()) {
            lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
        } else {
            requireSession(ctx, id);
        }
    }

    /** Index-only: the primary key's index answers it without reading the row or its context. */
    public void requireSession(DSLContext ctx, SessionId id) {
        var s = tables.sessions;
        if (!ctx.fetchExists(DSL.selectOne().from(s.table).where(s.id.eq(id.value())))) {
            throw new SessionNotFoundException(id);
        }
    }

    /** Why a write guarded by {@code expected} matched no row, read in the same transaction. */
    public RuntimeException refusal(DSLContext ctx, SessionId id, SessionStatus expected) {
        return lock(ctx, id)
                .<RuntimeException>map(actual -> new StatusMismatchException(id, expected, actual))
                .orElseGet(() -> new SessionNotFoundException(id));
    }

    public Optional<Lease> findLease(DSLContext ctx, SessionId id) {
        var l = tables.leases;
        return ctx.select(l.all).from(l.table).where(l.sessionId.eq(id.value())).fetchOptional().map(l::toLease);
    }

    /**
     * Refuses a fenced write whose lease no longer holds ({@link WriteContext#requireAdmittedBy}), the lease
     * read in the write's own transaction (under the session's lock where there are row locks).
     */
    public void admit(DSLContext ctx, SessionId id, WriteContext write) {
        if (write.fence().isPresent()) { // an unfenced write needs no read
            write.requireAdmittedBy(findLease(ctx, id));
        }
    }
}
