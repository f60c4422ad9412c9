package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * The checks every write makes inside its transaction, the same on every SQL database: the
 * session's lock, its existence, and the fencing of a daemon's write by its lease.
 */
public final class SqlRules {

    private final SqlDialect dialect;
    private final SqlTables tables;
    private final SqlHotStatements.Holder hot;

    public SqlRules(SqlDialect dialect) {
        this.dialect = dialect;
        this.tables = new SqlTables(dialect);
        this.hot = new SqlHotStatements.Holder(this);
    }

    /** The hot paths' statements, rendered once for this database. */
    SqlHotStatements hot(DSLContext ctx) {
        return hot.of(ctx);
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
        SqlHotStatements sql = hot(ctx);
        try (PreparedStatement lock = sql.lock.prepare(ctx, sql.id(id)); ResultSet row = lock.executeQuery()) {
            return row.next() ? Optional.of(SessionStatus.valueOf(row.getString(1))) : Optional.empty();
        } catch (SQLException e) {
            throw new SessionLockException(id, "locking", e); // names the session when the wait timed out
        }
    }

    /**
     * Takes the session's lock for a write that checks and then changes it, as the database excludes
     * writers ({@link WriteLocks}): its row lock, or nothing more than the write transaction holds.
     */
    public void lockForWrite(DSLContext ctx, SessionId id) {
        dialect.writeLocks().lockSession(() -> lock(ctx, id), Optional::empty);
    }

    /**
     * Refuses a write to a session that does not exist and, where the database locks rows, locks the
     * session's row for the rest of the transaction; elsewhere index-only (the single writer excludes
     * the others already), so that a large context is never read.
     */
    public void lockExisting(DSLContext ctx, SessionId id) {
        dialect.writeLocks().lockSession(() -> lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id)),
                () -> {
                    requireSession(ctx, id);
                    return null;
                });
    }

    /** Index-only: the primary key's index answers it without reading the row or its context. */
    public void requireSession(DSLContext ctx, SessionId id) {
        SqlHotStatements sql = hot(ctx);
        boolean found;
        try (PreparedStatement exists = sql.exists.prepare(ctx, sql.id(id)); ResultSet row = exists.executeQuery()) {
            found = row.next();
        } catch (SQLException e) {
            throw new DataAccessException("reading a session", e);
        }
        if (!found) {
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
            write.requireAdmittedBy(findLease(ctx, id), dialect.leaseClock(ctx).orElse(write.at()));
        }
    }

    /**
     * Lease time now, read inside the step that decides about expiry (after any lock it waited for):
     * the database's clock where lease time comes from it, else {@code clock}.
     */
    public Instant leaseNow(DSLContext ctx, Clock clock) {
        return dialect.leaseClock(ctx).orElseGet(clock::instant).truncatedTo(ChronoUnit.MICROS);
    }
}
