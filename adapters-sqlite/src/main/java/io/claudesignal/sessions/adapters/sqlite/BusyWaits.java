package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.BusyHandler;

/**
 * The writer connection's busy handler: waits for another process's lock as SQLite's own busy
 * timeout does (the same back-off, the same limit), and tells the metrics about each retry and each
 * whole wait, which SQLite's built-in handler cannot. Installing it replaces the connection's
 * {@code busy_timeout} (the pragma then reads 0); {@link #timeout()} is the limit in force.
 *
 * <p>Used by the writer thread alone: SQLite calls the handler on the thread that runs the statement.
 */
final class BusyWaits extends BusyHandler {

    /** SQLite's own delays (sqliteDefaultBusyCallback), in milliseconds; the last repeats. */
    private static final int[] DELAYS_MS = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};

    private final Duration timeout;
    private final StoreMetrics metrics;
    // Writer thread only.
    private long eventStarted;
    private long waitStarted;
    private boolean waiting;

    BusyWaits(Duration timeout, StoreMetrics metrics) {
        this.timeout = timeout;
        this.metrics = metrics;
    }

    void install(Connection connection) throws SQLException {
        BusyHandler.setHandler(connection, this);
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * {@code previous} is how often this handler was called for the same lock attempt: 0 starts one.
     * Returns 1 to have SQLite try again, 0 to give up (the statement then fails with SQLITE_BUSY).
     */
    @Override
    protected int callback(int previous) {
        long now = System.nanoTime();
        if (previous == 0) {
            eventStarted = now;
        }
        if (!waiting) {
            waiting = true;
            waitStarted = now;
        }
        long leftMillis = timeout.toMillis() - (now - eventStarted) / 1_000_000;
        if (leftMillis <= 0) {
            return 0;
        }
        long delay = Math.min(DELAYS_MS[Math.min(previous, DELAYS_MS.length - 1)], leftMillis);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        metrics.busyRetry();
        return 1;
    }

    /**
     * The writer calls this once the statement that may have waited has returned (got the lock or
     * failed): a wait that began since the last call is reported, from its first busy answer to now.
     */
    void settle() {
        if (waiting) {
            waiting = false;
            metrics.lockWait(Duration.ofNanos(System.nanoTime() - waitStarted));
        }
    }
}
