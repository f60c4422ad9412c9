package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The change log of an in-memory store, shared by every handle on it: the newest
 * {@link Change#RETAINED} changes, each tagged with the handle that made it. Appended under the
 * store's write lock, in the step that makes the change; read under its read lock.
 */
final class InMemoryChangeLog {

    /** Which handle the current thread writes through: set by the handle around each call of a port. */
    private static final ThreadLocal<Long> ORIGIN = ThreadLocal.withInitial(() -> 0L);

    private record Row(long seq, long origin, Change.Entry entry) {
    }

    private final ReadWriteLock lock;
    private final ArrayDeque<Row> rows = new ArrayDeque<>();
    private final Object newRows = new Object();
    private volatile long lastSeq;

    InMemoryChangeLog(ReadWriteLock lock) {
        this.lock = lock;
    }

    /** Runs {@code call} as handle {@code origin}: the changes it makes are that handle's own. */
    static Object as(long origin, ThrowingCall call) throws Throwable {
        long outer = ORIGIN.get();
        ORIGIN.set(origin);
        try {
            return call.run();
        } finally {
            ORIGIN.set(outer);
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        Object run() throws Throwable;
    }

    /** Appends a change; the caller holds the store's write lock. */
    void record(Change.Entry entry) {
        rows.addLast(new Row(lastSeq + 1, ORIGIN.get(), entry));
        while (rows.size() > Change.RETAINED) {
            rows.removeFirst();
        }
        synchronized (newRows) {
            lastSeq++;
            newRows.notifyAll();
        }
    }

    /** The log as handle {@code origin} reads it. */
    ChangeFeed feedFor(long origin) {
        return new ChangeFeed() {
            @Override
            public Reader reader() {
                return new LogReader(origin);
            }

            @Override
            public Watch watch() {
                return new Watch() {
                    private long seen = lastSeq;

                    @Override
                    public void await(Duration timeout) throws InterruptedException {
                        long deadline = System.nanoTime() + timeout.toNanos();
                        synchronized (newRows) {
                            long left;
                            while (lastSeq <= seen && (left = deadline - System.nanoTime()) > 0) {
                                newRows.wait(Math.max(1, left / 1_000_000));
                            }
                            seen = lastSeq;
                        }
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    /**
     * One follower's position: the log is in commit order (one write lock), so a cursor suffices, plus
     * the rows handed out ahead of it by {@link #through}.
     */
    private final class LogReader implements ChangeFeed.Reader {
        private final long origin;
        private final Set<Long> ahead = new HashSet<>();
        private long cursor = lastSeq;

        LogReader(long origin) {
            this.origin = origin;
        }

        @Override
        public ChangeFeed.Page next(int limit) {
            lock.readLock().lock();
            try {
                OptionalLong pruned = OptionalLong.empty();
                if (!rows.isEmpty() && rows.getFirst().seq() > cursor + 1) {
                    cursor = rows.getFirst().seq() - 1;
                    pruned = OptionalLong.of(cursor);
                }
                List<Change> page = new ArrayList<>(Math.min(limit, 64));
                for (Row row : rows) {
                    if (page.size() == limit) {
                        break;
                    }
                    if (row.seq() > cursor) {
                        cursor = row.seq();
                        if (!ahead.remove(row.seq())) {
                            page.add(change(row));
                        }
                    }
                }
                ahead.removeIf(seq -> seq <= cursor);
                return new ChangeFeed.Page(page, pruned);
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public List<Change> through(SessionId session, long writeId) {
            lock.readLock().lock();
            try {
                List<Change> mine = rows.stream().filter(r -> r.seq() > cursor && r.entry().sessionId().equals(session))
                        .map(this::change).toList();
                return ChangeFeed.Reader.upToWrite(mine, c -> c, writeId, c -> ahead.add(c.seq()));
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public long head() {
            return lastSeq;
        }

        @Override
        public long position() {
            return cursor;
        }

        private Change change(Row row) {
            return row.entry().at(row.seq(), row.origin() == origin);
        }
    }
}
