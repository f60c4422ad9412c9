package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlTransactions;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The open connections of one store, and their lifecycle: the {@link GroupCommitWriter} (one writer
 * connection, one writer thread, group commit) and the {@link ReaderPool} (read-only connections,
 * which in WAL mode never wait for the writer). This is the adapter's {@link SqlTransactions}.
 */
final class SqliteDatabase implements SqlTransactions, AutoCloseable {

    private static final Settings JOOQ_SETTINGS = new Settings()
            .withRenderSchema(false)
            .withExecuteLogging(false)
            .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_QUOTED);

    private final Connections connections;
    private final GroupCommitWriter writer;
    private final ReaderPool readers;
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    SqliteDatabase(Connections connections, int maxReaders, StoreMetrics metrics) {
        this.connections = connections;
        this.writer = new GroupCommitWriter(connections, metrics);
        this.readers = new ReaderPool(connections, maxReaders);
    }

    /**
     * Opens the writer now rather than at the first write, then starts the writer thread: a file this
     * process cannot write is reported when the store opens, and the connection that closes last is
     * always a read-write one, which removes the -wal and -shm files.
     */
    SqliteDatabase openWriter() {
        synchronized (lifecycle) {
            writer.start();
            return this;
        }
    }

    Path file() {
        return connections.file();
    }

    static DSLContext context(Connection connection) {
        return DSL.using(connection, SQLDialect.SQLITE, JOOQ_SETTINGS);
    }

    /** A context on {@code connection} that keeps its prepared statements (see {@link StatementCachingConnection}). */
    static DSLContext cachingContext(Connection connection) {
        return context(new StatementCachingConnection(connection));
    }

    static Connection connectionOf(DSLContext ctx) {
        return ctx.configuration().connectionProvider().acquire();
    }

    /** See {@link GroupCommitWriter#write}: one IMMEDIATE transaction, possibly shared with other callers. */
    @Override
    public <T> T write(Function<DSLContext, T> work) {
        return writer.write(work);
    }

    /** Runs {@code work} on a reader; a single statement there reads one consistent snapshot. */
    @Override
    public <T> T read(Function<DSLContext, T> work) {
        return readers.read(work);
    }

    /** The writer's wait for another process's lock (its busy handler replaces the busy_timeout pragma). */
    Duration writerBusyTimeout() {
        return writer.busyTimeout();
    }

    /** Runs {@code work} on the writer connection outside any transaction (to read its own settings). */
    <T> T onWriter(Function<DSLContext, T> work) {
        return writer.onWriter(work);
    }

    /** How many works are queued and not yet taken by the writer (for tests). */
    int queuedWrites() {
        return writer.queuedWrites();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes the store. The batch the writer is running, if any, is finished and answered; writes
     * still queued fail with {@link io.claudesignal.sessions.domain.StorageException.Reason#CLOSED}
     * and write nothing.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            writer.stop();
            // Readers first: only a read-write connection that closes last checkpoints the WAL and
            // removes the -wal and -shm files; a read-only one would leave them behind.
            readers.close();
            writer.closeConnection();
        }
    }
}
