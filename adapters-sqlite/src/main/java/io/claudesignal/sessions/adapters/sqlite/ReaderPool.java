package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * A small pool of read-only connections, which in WAL mode never wait for the writer. Opened on
 * demand up to {@code maxReaders}; a caller past that waits for one to come back. A reader whose work
 * failed for a reason other than a refusal is closed rather than given back.
 */
final class ReaderPool {

    private final Connections connections;
    private final int maxReaders;
    private final BlockingQueue<DSLContext> idleReaders;
    private final AtomicInteger openReaders = new AtomicInteger();
    private volatile boolean closed;

    ReaderPool(Connections connections, int maxReaders) {
        this.connections = connections;
        this.maxReaders = maxReaders;
        this.idleReaders = new ArrayBlockingQueue<>(maxReaders);
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
        if (closed) {
            throw new StorageException(Reason.CLOSED, file(), file() + ": the store is closed");
        }
        DSLContext idle = idleReaders.poll();
        if (idle != null) {
            return idle;
        }
        if (openReaders.incrementAndGet() <= maxReaders) {
            try {
                return SqliteDatabase.cachingContext(connections.reader());
            } catch (SQLException e) {
                openReaders.decrementAndGet();
                throw SqliteErrors.translate(file(), "opening the database for reading", e);
            }
        }
        openReaders.decrementAndGet();
        try {
            return idleReaders.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.OTHER, file(), file() + ": interrupted while waiting for a reader", e);
        }
    }

    private void giveBack(DSLContext reader, boolean healthy) {
        if (healthy && !closed && idleReaders.offer(reader)) {
            return;
        }
        openReaders.decrementAndGet();
        SqliteDatabase.closeQuietly(SqliteDatabase.connectionOf(reader));
    }

    /** Closes the idle readers; one still borrowed is closed when it comes back. */
    void close() {
        closed = true;
        DSLContext reader;
        while ((reader = idleReaders.poll()) != null) {
            SqliteDatabase.closeQuietly(SqliteDatabase.connectionOf(reader));
        }
    }
}
