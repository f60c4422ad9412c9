package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * A small pool of read-only connections, which in WAL mode never wait for the writer. Opened on
 * demand up to {@code maxReaders}; a caller past that waits for one to come back. A reader whose work
 * failed for a reason other than a refusal is closed rather than given back.
 */
final class ReaderPool {

    private final Connections connections;
    // Lock-free on the way in and out: with 16 callers the single lock of a blocking queue, taken twice
    // per read, made callers queue behind one another. Last in, first out: the reader whose pages and
    // statements were used last is the warmest. A caller holds a permit while it holds a reader, so
    // at most maxReaders are open; past that, callers wait for a permit.
    private final Deque<DSLContext> idleReaders = new ConcurrentLinkedDeque<>();
    private final Semaphore permits;
    private volatile boolean closed;

    ReaderPool(Connections connections, int maxReaders) {
        this.connections = connections;
        this.permits = new Semaphore(maxReaders);
    }

    private Path file() {
        return connections.file();
    }

    /** Runs {@code work} on a reader; a single statement there reads one consistent snapshot. */
    <T> T read(Function<DSLContext, T> work) {
        DSLContext ctx = borrowReader();
        boolean healthy = false;
        try {
            T result = work.apply(ctx);
            healthy = true;
            return result;
        } catch (SessionsException e) {
            healthy = true;
            throw e;
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(file(), "reading", e);
        } finally {
            giveBack(ctx, healthy);
        }
    }

    private DSLContext borrowReader() {
        ensureOpen();
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.OTHER, file(), file() + ": interrupted while waiting for a reader", e);
        }
        DSLContext idle = idleReaders.pollFirst();
        if (idle != null) {
            return idle;
        }
        // Every reader open is either idle or held with a permit: none idle, so fewer than maxReaders are open.
        try {
            ensureOpen();
            return SqliteDatabase.cachingContext(connections.reader());
        } catch (SQLException e) {
            permits.release();
            throw SqliteErrors.translate(file(), "opening the database for reading", e);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException(Reason.CLOSED, file(), file() + ": the store is closed");
        }
    }

    private void giveBack(DSLContext reader, boolean healthy) {
        try {
            if (healthy && !closed) {
                idleReaders.offerFirst(reader);
                if (closed) {
                    closeIdle(); // close() may have emptied the deque before this reader was put back
                }
                return;
            }
            SqlErrors.closeQuietly(SqliteDatabase.connectionOf(reader));
        } finally {
            permits.release();
        }
    }

    /** Closes the idle readers; one still borrowed is closed when it comes back. */
    void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        DSLContext reader;
        while ((reader = idleReaders.pollFirst()) != null) {
            SqlErrors.closeQuietly(SqliteDatabase.connectionOf(reader));
        }
    }
}
