package io.claudesignal.sessions.application.port.out;

import java.time.Duration;
import java.util.List;

/**
 * The store's change log, read by one handle: every change made through any handle or process on the
 * store, in commit order (see {@link Change}). The service follows it to tell its listeners of
 * changes others made.
 */
public interface ChangeFeed {

    /** The seq of the newest change in the log, 0 when there is none yet. */
    long head();

    /**
     * Up to {@code limit} changes with a seq above {@code seq}, oldest first. When the first one's seq
     * is not {@code seq + 1}, the log was pruned past {@code seq}: the changes between are gone.
     */
    List<Change> after(long seq, int limit);

    /** A way to wait for new changes, for one following thread; close it when done. */
    Watch watch();

    /** One follower's wait for changes, with what it holds (a connection of its own, a LISTEN). */
    interface Watch extends AutoCloseable {

        /**
         * Waits until changes after {@code seq} may be there (another connection committed, a
         * notification came), or {@code timeout} passed. It may return early or spuriously: callers
         * read with {@link ChangeFeed#after} and wait again.
         */
        void await(long seq, Duration timeout) throws InterruptedException;

        @Override
        void close();
    }

    /** A store without a log: its handles hear only their own changes. */
    static ChangeFeed none() {
        return NoChangeFeed.INSTANCE;
    }
}
