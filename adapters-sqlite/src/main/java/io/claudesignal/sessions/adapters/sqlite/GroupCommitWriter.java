package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.time.Duration;
import java.nio.file.Path;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * The one connection of a store that writes, owned by one writer thread that commits the writes of
 * concurrent callers together (group commit).
 *
 * <p>{@link #write} queues its work and waits. The writer thread takes every work that is waiting (up
 * to {@link #MAX_BATCH}) and runs them in one {@code BEGIN IMMEDIATE … COMMIT}, each inside its own
 * transaction (plainly; each in its own savepoint once one refuses, see {@link #runTransaction}): a work
 * that refuses (a {@link SessionsException}, a conflict say) leaves nothing, without failing the others. Each caller gets its answer only after the
 * COMMIT that holds its write has returned, so one fsync acknowledges many writes. A lone caller's work
 * is run as soon as it is queued: there is no waiting for company. The queue is bounded
 * ({@link #QUEUE_CAPACITY}): when it is full, callers wait to queue (back-pressure) rather than growing
 * memory. Between batches the writer is in autocommit and holds no lock, so other processes (the CLI)
 * write in between; across processes SQLite's own lock and the busy timeout serialise writers.
 */
final class GroupCommitWriter {

    /** Most works one transaction runs: bounds how long another process may wait for the lock. */
    static final int MAX_BATCH = 128;
    /** Most works waiting to be run. Every caller waits for its own, so this is rarely reached. */
    static final int QUEUE_CAPACITY = 256;

    private final Connections connections;
    private final BlockingQueue<QueuedWork<?>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private Thread writerThread;
    // Only the writer thread touches it once it runs (and close() after it has ended).
    private final WriterConnection writer;
    private volatile boolean closed;
    private volatile StorageException failedWrite;

    private final StoreMetrics metrics;
    private final BusyWaits busyWaits;

    GroupCommitWriter(Connections connections, StoreMetrics metrics) {
        this.connections = connections;
        this.metrics = metrics;
        this.busyWaits = new BusyWaits(connections.busyTimeout(), metrics);
        this.writer = new WriterConnection(connections, busyWaits);
    }

    /** How long the writer waits for another process's lock before failing. */
    Duration busyTimeout() {
        return busyWaits.timeout();
    }

    /**
     * Opens the writer connection now rather than at the first write (a file this process cannot
     * write is reported when the store opens), then starts the writer thread.
     */
    void start() {
        writer.context();
        Thread thread = new Thread(this::writerLoop, "sessions-writer " + file().getFileName());
        thread.setDaemon(true);
        writerThread = thread;
        thread.start();
    }

    private Path file() {
        return connections.file();
    }

    /**
     * Runs {@code work} in an IMMEDIATE transaction on the writer, possibly together with the works
     * of other callers, and returns once the transaction has committed. {@code work} must be a
     * function of the database alone (it reads and writes through the {@link DSLContext} it is
     * given): it runs on the writer thread, and when another work of the same transaction fails for a
     * reason other than a refusal, the transaction is rolled back and {@code work} is run again in a
     * new one.
     *
     * <p>A {@link SessionsException} thrown by {@code work} (a refused change) rolls back to the
     * work's savepoint, so nothing of it is written, and is rethrown here. Any other failure of
     * {@code work} is this caller's {@link StorageException}; the transaction is rolled back, the
     * writer reopened, and the other works of the batch retried. A failed COMMIT fails every caller of
     * its transaction. After an I/O error the store refuses every write until it is reopened: after a
     * failed fsync the kernel may have dropped the unwritten pages, and only a fresh open sees the truth.
     *
     * <p>A caller interrupted while its work is still queued gets a {@link StorageException} and
     * nothing is written. Once the writer has started its work, an interrupt no longer stops it: the
     * write may still commit, so the caller keeps waiting for the outcome, gets it, and returns with
     * its interrupt status set.
     */
    <T> T write(Function<DSLContext, T> work) {
        ensureWritable();
        return submit(new QueuedWork<>(work, false));
    }

    /** Runs {@code work} on the writer connection outside any transaction (to read its own settings). */
    <T> T onWriter(Function<DSLContext, T> work) {
        ensureOpen();
        return submit(new QueuedWork<>(work, true));
    }

    /** How many works are queued and not yet taken by the writer (for tests). */
    int queuedWrites() {
        return queue.size();
    }

    private <T> T submit(QueuedWork<T> job) {
        if (Thread.currentThread() == writerThread) {
            // The writer would wait for itself.
            throw new StorageException(Reason.OTHER, file(), file() + ": a write cannot be started inside another write");
        }
        try {
            while (!queue.offer(job, 50, TimeUnit.MILLISECONDS)) {
                ensureOpen();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.OTHER, file(),
                    file() + ": interrupted while waiting to queue a write; nothing was written", e);
        }
        // close() fails what it finds queued after the writer stopped; a job queued after that is
        // withdrawn here. One the writer already took is answered by it.
        if (closed && job.withdraw()) {
            throw closedException();
        }
        return job.await(file());
    }

    private void writerLoop() {
        List<QueuedWork<?>> taken = new ArrayList<>();
        while (true) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            queue.drainTo(taken, MAX_BATCH - 1);
            List<QueuedWork<?>> batch = new ArrayList<>(taken.size());
            for (QueuedWork<?> job : taken) {
                if (job != QueuedWork.STOP && job.claim()) {
                    batch.add(job);
                }
            }
            taken.clear();
            if (closed) {
                failAll(batch, closedException());
                return;
            }
            try {
                runBatch(batch);
            } catch (Throwable unexpected) {
                // Nothing above should throw; if it does, no caller may be left waiting.
                writer.discard();
                failAll(batch, SqliteErrors.translate(file(), "writing", unexpected));
            }
        }
    }

    private void runBatch(List<QueuedWork<?>> batch) {
        try {
            List<QueuedWork<?>> pending = new ArrayList<>(batch.size());
            for (QueuedWork<?> job : batch) {
                if (job.outsideTransaction) {
                    runOutsideTransaction(job);
                } else {
                    pending.add(job);
                }
            }
            while (!pending.isEmpty()) {
                pending = runTransaction(pending);
            }
        } finally {
            busyWaits.settle(); // a wait outside BEGIN (rare in WAL mode) ends with its batch
        }
    }

    private void runOutsideTransaction(QueuedWork<?> job) {
        try {
            job.succeed(job.work.apply(writer.context()));
        } catch (RuntimeException e) {
            job.fail(SqliteErrors.translate(file(), "reading the connection settings", e));
        }
        job.deliver();
    }

    /**
     * Runs {@code jobs} in one transaction and answers them after its COMMIT. Returns the jobs to run
     * again in a new transaction, when one failed in a way that rolled back the whole transaction.
     *
     * <p>The batch is first run plainly, without a savepoint per work: a SAVEPOINT/RELEASE pair cost
     * about as much as the INSERT of a {@code create} (measured), and works rarely refuse. When one
     * does, what the batch wrote so far is rolled back and the whole batch is run again in the same
     * transaction, this time each work in its own savepoint, so the refusing work leaves nothing and
     * every other work is applied whole, against the same state it would have seen in order.
     */
    private List<QueuedWork<?>> runTransaction(List<QueuedWork<?>> jobs) {
        Connection connection;
        DSLContext ctx;
        try {
            ensureWritable();
            ctx = writer.context();
            connection = writer.connection();
            connection.setAutoCommit(false); // BEGIN IMMEDIATE: where another process's lock is waited for
            busyWaits.settle();
        } catch (StorageException e) {
            return failAll(jobs, e);
        } catch (SQLException e) {
            busyWaits.settle();
            writer.discard();
            return failAll(jobs, SqliteErrors.translate(file(), "starting a write", e));
        }
        Attempt attempt = runWorks(jobs, ctx, false);
        if (attempt.refused) {
            try {
                // ROLLBACK, then sqlite-jdbc begins the next IMMEDIATE transaction at once: the lock is kept.
                connection.rollback();
            } catch (SQLException e) {
                StorageException error = failure("rolling back a batch", e); // before closing: that may remove the -wal
                writer.discard();
                return failAll(jobs, error);
            }
            jobs.forEach(QueuedWork::reset);
            attempt = runWorks(jobs, ctx, true);
        }
        if (attempt.again != null) {
            return attempt.again;
        }
        try {
            // COMMIT. Not commit(): sqlite-jdbc begins the next transaction right after a commit(),
            // which under IMMEDIATE would hold the write lock while this store is idle.
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            StorageException error = failure("committing", e); // before closing: that may remove the -wal
            if (error.reason() == Reason.IO && SqliteErrors.mayHaveCommitted(e)) {
                // A failed sync in COMMIT comes after the commit frame was written to the -wal: the
                // next open may find the transaction committed. Nobody can tell now.
                error = new StorageException(Reason.COMMIT_UNKNOWN, file(), file() + ": committing failed with an"
                        + " I/O error and its outcome is unknown: the change may or may not have been written ("
                        + error.getMessage() + ")", e);
            }
            writer.discard();
            return failAll(jobs, error);
        }
        metrics.groupCommit(jobs.size());
        jobs.forEach(QueuedWork::deliver);
        return List.of();
    }

    /**
     * How a run of a batch ended: {@code refused} when a plain run met a refusal (nothing may be
     * committed then); {@code again} when the transaction was given up, with the jobs to run again
     * (every other job is then answered already).
     */
    private record Attempt(boolean refused, List<QueuedWork<?>> again) {
        static final Attempt DONE = new Attempt(false, null);
        static final Attempt REFUSED = new Attempt(true, null);
    }

    /** Runs every job of the open transaction, in order; with {@code savepoints}, each in its own. */
    private Attempt runWorks(List<QueuedWork<?>> jobs, DSLContext ctx, boolean withSavepoints) {
        for (int i = 0; i < jobs.size(); i++) {
            QueuedWork<?> job = jobs.get(i);
            try {
                if (withSavepoints) {
                    writer.savepoints().begin();
                }
                try {
                    job.succeed(job.work.apply(ctx));
                    if (withSavepoints) {
                        writer.savepoints().release();
                    }
                } catch (StorageException e) {
                    throw e;
                } catch (SessionsException refused) {
                    if (!withSavepoints) {
                        // It may have written part of its change: only a rollback of the batch undoes that.
                        return Attempt.REFUSED;
                    }
                    // Whatever the work wrote before refusing is undone; the others' writes stay.
                    writer.savepoints().rollBack();
                    job.refuse(refused);
                }
            } catch (SQLException e) {
                // A savepoint could not be set, released or rolled back to: the connection is suspect.
                StorageException error = failure("writing", e); // before closing: that may remove the -wal
                writer.discard();
                failAll(jobs, error);
                return new Attempt(false, List.of());
            } catch (RuntimeException | Error e) {
                // This work failed (not a refusal). Closing the writer rolls back the whole
                // transaction; the other works of the batch are run again in a fresh one.
                StorageException error = failure("writing", e); // before closing: that may remove the -wal
                writer.discard();
                job.fail(error);
                job.deliver();
                List<QueuedWork<?>> again = new ArrayList<>(jobs.size() - 1);
                for (QueuedWork<?> other : jobs) {
                    if (other != job) {
                        other.reset();
                        again.add(other);
                    }
                }
                return new Attempt(false, again);
            }
        }
        return Attempt.DONE;
    }

    private static List<QueuedWork<?>> failAll(List<QueuedWork<?>> jobs, StorageException error) {
        for (QueuedWork<?> job : jobs) {
            job.fail(error);
            job.deliver();
        }
        return List.of();
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
            throw closedException();
        }
    }

    private StorageException closedException() {
        return new StorageException(Reason.CLOSED, file(), file() + ": the store is closed");
    }

    /**
     * Stops the writer: the batch it is running, if any, is finished and answered; writes still queued
     * fail with {@link Reason#CLOSED} and write nothing. The connection stays open until
     * {@link #closeConnection()}: the store closes it last.
     */
    void stop() {
        closed = true;
        Thread thread = writerThread;
        if (thread != null && thread != Thread.currentThread()) {
            queue.offer(QueuedWork.STOP); // wakes an idle writer; a busy one sees `closed` after its batch
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        List<QueuedWork<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (QueuedWork<?> job : left) {
            if (job != QueuedWork.STOP && job.claim()) {
                job.fail(closedException());
                job.deliver();
            }
        }
    }

    /** Closes the writer connection (after {@link #stop()}). */
    void closeConnection() {
        writer.discard();
    }
}
