package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * One caller's work queued for the {@link GroupCommitWriter}, its outcome, and the caller waiting for it.
 * The writer takes it ({@link #claim}) or the caller withdraws it first ({@link #withdraw}), never both.
 */
final class QueuedWork<T> {

    static final QueuedWork<Void> STOP = new QueuedWork<>(ctx -> null, true);

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int WITHDRAWN = 2;

    final Function<DSLContext, T> work;
    final boolean outsideTransaction;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CountDownLatch answered = new CountDownLatch(1);
    // Written by the writer thread before answered.countDown(), read by the caller after await().
    private T result;
    private RuntimeException error;

    QueuedWork(Function<DSLContext, T> work, boolean outsideTransaction) {
        this.work = work;
        this.outsideTransaction = outsideTransaction;
    }

    /** The writer takes the job; false when its caller withdrew it first. */
    boolean claim() {
        return state.compareAndSet(QUEUED, TAKEN);
    }

    /** The caller withdraws the job; false when the writer has taken it (it will be answered). */
    boolean withdraw() {
        return state.compareAndSet(QUEUED, WITHDRAWN);
    }

    @SuppressWarnings("unchecked")
    void succeed(Object value) {
        result = (T) value;
        error = null;
    }

    void refuse(SessionsException refusal) {
        result = null;
        error = refusal;
    }

    void fail(StorageException failure) {
        if (answered.getCount() == 0) {
            return; // already answered: its caller may be reading the outcome
        }
        result = null;
        error = failure;
    }

    void reset() {
        result = null;
        error = null;
    }

    void deliver() {
        answered.countDown();
    }

    T await(Path file) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    answered.await();
                    break;
                } catch (InterruptedException e) {
                    if (withdraw()) {
                        Thread.currentThread().interrupt();
                        throw new StorageException(Reason.OTHER, file, file
                                + ": interrupted before the write started; nothing was written", e);
                    }
                    // The writer has it: it may commit, so wait for the outcome.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (error != null) {
            throw error;
        }
        return result;
    }
}
