package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.application.StorageException;
import io.claudesignal.sessions.application.StorageException.Reason;
import io.claudesignal.sessions.domain.SessionsException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The open connections of one store: a single writer, whose transactions are serialised in this
 * process by a lock and across processes by SQLite's own, and a small pool of read-only readers.
 */
final class SqliteDatabase implements AutoCloseable {

    private static final Settings JOOQ_SETTINGS = new Settings()
            .withRenderSchema(false)
            .withExecuteLogging(false)
            .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_QUOTED);

    private final Connections connections;
    private final int maxReaders;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<DSLContext> idleReaders;
    private final AtomicInteger openReaders = new AtomicInteger();
    private Connection writer;
    private DSLContext writerContext;
    private volatile boolean closed;
    private volatile StorageException failedWrite;

    SqliteDatabase(Connections connections, int maxReaders) {
        this.connections = connections;
        this.maxReaders = maxReaders;
        this.idleReaders = new ArrayBlockingQueue<>(maxReaders);
    }

    /**
     * Opens the writer now rather than at the first write: a file this process cannot write is
     * reported when the store opens, and the connection that closes last is always a read-write one,
     * which removes the -wal and -shm files.
     */
    SqliteDatabase openWriter() {
        writeLock.lock();
        try {
            writerContext();
            return this;
        } finally {
            writeLock.unlock();
        }
    }

    Path file() {
        return connections.file();
    }

    static DSLContext context(Connection connection) {
        return DSL.using(connection, SQLDialect.SQLITE, JOOQ_SETTINGS);
    }

    /**
     * Runs {@code work} in one IMMEDIATE transaction on the writer and commits it before returning.
     * A {@link SessionsException} thrown by {@code work} (a refused change) ends the transaction
     * without writing; any other failure rolls it back, and the writer is reopened before the next
     * write. After an I/O error the store refuses every write until it is reopened: after a failed
     * fsync the kernel may have dropped the unwritten pages, and only a fresh open sees the truth.
     */
    <T> T write(Function<DSLContext, T> work) {
        writeLock.lock();
        try {
            ensureWritable();
            DSLContext ctx = writerContext();
            Connection connection = writer;
            try {
                connection.setAutoCommit(false); // BEGIN IMMEDIATE
            } catch (SQLException e) {
                discardWriter();
                throw SqliteErrors.translate(file(), "starting a write", e);
            }
            T result;
            try {
                result = work.apply(ctx);
            } catch (StorageException e) {
                discardWriter();
                throw e;
            } catch (SessionsException refused) {
                // Every refusal happens before anything is written, so this commit writes nothing.
                commit(connection);
                throw refused;
            } catch (RuntimeException | Error e) {
                StorageException error = failure("writing", e); // before closing: that may remove the -wal
                discardWriter();
                throw error;
            }
            commit(connection);
            return result;
        } finally {
            writeLock.unlock();
        }
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

    /** Runs {@code work} on the writer connection outside any transaction (to read its own settings). */
    <T> T onWriter(Function<DSLContext, T> work) {
        writeLock.lock();
        try {
            ensureOpen();
            return work.apply(writerContext());
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(file(), "reading the connection settings", e);
        } finally {
            writeLock.unlock();
        }
    }

    private void commit(Connection connection) {
        try {
            // COMMIT. Not commit(): sqlite-jdbc begins the next transaction right after a commit(),
            // which under IMMEDIATE would hold the write lock while this store is idle.
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            StorageException error = failure("committing", e); // before closing: that may remove the -wal
            discardWriter();
            throw error;
        }
    }

    private StorageException failure(String doing, Throwable e) {
        StorageException error = SqliteErrors.translate(file(), doing, e);
        if (error.reason() == Reason.IO) {
            failedWrite = error;
        }
        return error;
    }

    private void ensureWritable() {
        ensureOpen();
        StorageException failed = failedWrite;
        if (failed != null) {
            throw new StorageException(Reason.IO, file(), file() + ": an earlier write failed with an I/O error ("
                    + failed.getMessage() + "); this store refuses writes until it is reopened", failed);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException(Reason.CLOSED, file(), file() + ": the store is closed");
        }
    }

    private DSLContext writerContext() {
        if (writer == null) {
            try {
                writer = connections.writer();
                writerContext = context(writer);
            } catch (SQLException e) {
                throw SqliteErrors.translate(file(), "opening the database for writing", e);
            }
        }
        return writerContext;
    }

    private void discardWriter() {
        Connection broken = writer;
        writer = null;
        writerContext = null;
        closeQuietly(broken); // closing rolls back whatever the connection had open
    }

    private DSLContext borrowReader() {
        ensureOpen();
        DSLContext idle = idleReaders.poll();
        if (idle != null) {
            return idle;
        }
        if (openReaders.incrementAndGet() <= maxReaders) {
            try {
                return context(connections.reader());
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
        closeQuietly(connectionOf(reader));
    }

    private static Connection connectionOf(DSLContext ctx) {
        return ctx.configuration().connectionProvider().acquire();
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // Readers first: only a read-write connection that closes last checkpoints the WAL and
            // removes the -wal and -shm files; a read-only one would leave them behind.
            DSLContext reader;
            while ((reader = idleReaders.poll()) != null) {
                closeQuietly(connectionOf(reader));
            }
            discardWriter();
        } finally {
            writeLock.unlock();
        }
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing is best effort: SQLite rolls back an open transaction on its own.
            }
        }
    }
}
