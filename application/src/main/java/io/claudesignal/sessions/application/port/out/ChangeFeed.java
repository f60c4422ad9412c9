package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.SessionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The store's change log, read by one handle: every change made through any handle or process on the
 * store (see {@link Change}). The service follows it to tell its listeners of changes others made.
 * How the log orders itself is the adapter's business (docs/events.md); what a {@link Reader} returns
 * is, per session, in that session's commit order, each change once.
 */
public interface ChangeFeed {

    /**
     * A reader positioned at the log's head now: it returns the changes committed from now on, each
     * once, and none committed before.
     */
    Reader reader();

    /** A way to wait for new changes, for one following thread; close it when done. */
    Watch watch();

    /** One follower's position in the log; used by one thread at a time. */
    interface Reader {

        /**
         * Up to {@code limit} changes this reader has not returned yet, in the log's order, each
         * session's in its commit order; empty when none is ready. Changes pruned from the log before
         * this reader returned them are reported by {@link Page#prunedThrough()}, never skipped silently.
         */
        Page next(int limit);

        /**
         * The changes to {@code session} that committed before this handle's write {@code writeId} and
         * that this reader has not returned yet, oldest first, followed by that write's own rows: after a
         * handle's write, what its listeners must hear before they hear the write itself. All of them
         * count as returned ({@link #next} skips them).
         */
        List<Change> through(SessionId session, long writeId);

        /**
         * What every reader's {@link #through} returns, given {@code sessionRows} (the session's rows
         * after its cursor, in seq order): those up to the last one of this handle's write {@code writeId}
         * (none when it has no row there), each that {@code firstTime} accepts; {@code firstTime} records
         * a row as returned and refuses one returned already.
         */
        static <R> List<Change> upToWrite(List<R> sessionRows, Function<R, Change> change, long writeId,
                Predicate<R> firstTime) {
            int end = 0;
            for (int i = 0; i < sessionRows.size(); i++) {
                Change c = change.apply(sessionRows.get(i));
                if (c.own() && c.writeId() == writeId) {
                    end = i + 1;
                }
            }
            List<Change> told = new ArrayList<>();
            for (R row : sessionRows.subList(0, end)) {
                if (firstTime.test(row)) {
                    told.add(change.apply(row));
                }
            }
            return told;
        }

        /** The newest position in the log now (0 when it is empty). */
        long head();

        /**
         * The newest position this reader has returned or passed: {@code head() - position()} is about
         * how many committed changes it has not returned yet.
         */
        long position();
    }

    /**
     * @param changes       the changes, in order
     * @param prunedThrough present when changes this reader had not returned were pruned: the newest
     *                      position pruned (the listeners hear a resync there, then {@code changes})
     */
    record Page(List<Change> changes, OptionalLong prunedThrough) {

        public static final Page EMPTY = new Page(List.of(), OptionalLong.empty());

        public Page {
            changes = List.copyOf(changes);
        }
    }

    /** One follower's wait for changes, with what it holds (a connection of its own, a LISTEN). */
    interface Watch extends AutoCloseable {

        /**
         * Waits until new changes may be there (another connection committed, a notification came), or
         * {@code timeout} passed. It may return early or spuriously: callers read with
         * {@link Reader#next} and wait again.
         */
        void await(Duration timeout) throws InterruptedException;

        @Override
        void close();
    }

    /** A store without a log: its handles hear only their own changes. */
    static ChangeFeed none() {
        return NoChangeFeed.INSTANCE;
    }
}
