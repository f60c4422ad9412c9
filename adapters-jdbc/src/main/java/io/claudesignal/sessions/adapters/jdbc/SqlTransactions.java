package io.claudesignal.sessions.adapters.jdbc;

import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * How an SQL adapter runs work on its database: the one part of the shared core each adapter
 * provides itself (a pool and retries on a server; a writer thread and group commit on a file).
 * Both translate a database failure into a typed
 * {@link io.claudesignal.sessions.domain.StorageException} and let a refusal (any other
 * {@link io.claudesignal.sessions.domain.SessionsException}) through as it is, having undone the
 * work's writes.
 */
public interface SqlTransactions {

    /** Runs {@code work} where each statement reads one consistent snapshot; it must not write. */
    <T> T read(Function<DSLContext, T> work);

    /**
     * Runs {@code work} in one transaction and returns once it has committed. {@code work} may be run
     * more than once, so it must act on the database alone.
     */
    <T> T write(Function<DSLContext, T> work);
}
