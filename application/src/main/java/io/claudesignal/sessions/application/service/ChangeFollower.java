package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionListener;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One handle's subscriptions, and the thread that follows the store's change log for them: changes
 * other handles and processes made are read in seq order and told to every subscription, once each.
 * The handle's own changes are told by the thread that made them ({@link #publishOwn}), after the
 * follower caught up with what others committed before, so that per session the order is the commit
 * order. The thread runs only while there are subscriptions, and waits on the feed (no busy loop).
 */
final class ChangeFollower implements AutoCloseable {

    /**
     * How long the thread waits on the feed before reading again anyway: the feed wakes it sooner when
     * something was committed, so this only bounds what a lost wake-up (a lost notification) costs.
     */
    static final Duration SAFETY_NET = Duration.ofSeconds(1);
    /** Changes read per query while catching up. */
    private static final int PAGE = 256;
    private static final Duration BACKOFF = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(ChangeFollower.class.getName());

    private final ChangeFeed feed;
    private final Function<Change, List<SessionEvent>> toEvents;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    // Guards the cursor and the delivery of foreign events; reentrant, as a listener may write.
    private final ReentrantLock delivering = new ReentrantLock();
    private final Object lifecycle = new Object();
    private long cursor; // guarded by delivering
    private Thread thread; // guarded by lifecycle
    private volatile boolean closed;

    ChangeFollower(ChangeFeed feed, Function<Change, List<SessionEvent>> toEvents) {
        this.feed = Objects.requireNonNull(feed, "feed");
        this.toEvents = Objects.requireNonNull(toEvents, "toEvents");
    }

    private final class Entry implements Subscription {
        final SessionListener listener;
        final int backlog;
        long skipThrough; // guarded by delivering: foreign changes up to here were replaced by a Resync

        Entry(SessionListener listener, int backlog) {
            this.listener = listener;
            this.backlog = backlog;
        }

        @Override
        public void close() {
            entries.remove(this);
        }
    }

    Subscription subscribe(SessionListener listener, int backlog) {
        Entry entry = new Entry(Objects.requireNonNull(listener, "listener"), backlog);
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the handle is closed");
            }
            if (thread == null && feed != ChangeFeed.none()) {
                delivering.lock();
                try {
                    cursor = feed.head(); // a new follower starts from now: earlier changes are not news
                } finally {
                    delivering.unlock();
                }
                thread = new Thread(this::follow, "sessions-change-feed");
                thread.setDaemon(true);
                thread.start();
            }
            entries.add(entry);
        }
        return entry;
    }

    /** Tells the handle's own change to every subscription, after what others committed before it. */
    void publishOwn(SessionEvent event) {
        if (entries.isEmpty()) {
            return;
        }
        if (isFollowing()) {
            try {
                catchUp(true);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "catching up with the change log failed; the thread will retry", e);
            }
        }
        for (Entry entry : entries) {
            tell(entry, event);
        }
    }

    private boolean isFollowing() {
        synchronized (lifecycle) {
            return thread != null;
        }
    }

    private void follow() {
        try (ChangeFeed.Watch watch = feed.watch()) {
            while (!closed) {
                synchronized (lifecycle) {
                    if (entries.isEmpty()) {
                        thread = null; // the next subscribe starts a new one, from the then head
                        return;
                    }
                }
                try {
                    catchUp(false);
                    watch.await(currentCursor(), SAFETY_NET);
                } catch (InterruptedException e) {
                    return;
                } catch (StorageException e) {
                    if (e.reason() == StorageException.Reason.CLOSED) {
                        return;
                    }
                    if (!pause(e)) {
                        return;
                    }
                } catch (RuntimeException e) {
                    if (!pause(e)) {
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "following the change log failed; listeners hear only this handle", e);
        } finally {
            synchronized (lifecycle) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                }
            }
        }
    }

    /** After a failed read (a lost connection, a busy database): waits, then the cursor is read on from. */
    private boolean pause(RuntimeException e) {
        if (closed) {
            return false;
        }
        LOG.log(System.Logger.Level.WARNING, "reading the change log failed; retrying in " + BACKOFF, e);
        try {
            Thread.sleep(BACKOFF.toMillis());
            return true;
        } catch (InterruptedException interrupted) {
            return false;
        }
    }

    private long currentCursor() {
        delivering.lock();
        try {
            return cursor;
        } finally {
            delivering.unlock();
        }
    }

    /**
     * Reads and tells every change after the cursor; a nested call (a listener that writes) goes on
     * from there. A writing thread stops at the first change of its handle's own (its own change, as
     * one transaction's rows are consecutive), which it then tells itself: what others committed after
     * it is told after it, by the follower thread.
     */
    private void catchUp(boolean toOwnChange) {
        delivering.lock();
        try {
            while (true) {
                long head = feed.head();
                if (head <= cursor) {
                    return;
                }
                for (Entry entry : entries) {
                    if (head - Math.max(cursor, entry.skipThrough) > entry.backlog) {
                        entry.skipThrough = head;
                        tell(entry, new SessionEvent.Resync(head, "backlog"));
                    }
                }
                List<Change> page = feed.after(cursor, PAGE);
                if (page.isEmpty()) {
                    return;
                }
                if (page.get(0).seq() > cursor + 1) {
                    long missed = page.get(0).seq() - 1;
                    for (Entry entry : entries) {
                        if (entry.skipThrough < missed) {
                            entry.skipThrough = missed;
                            tell(entry, new SessionEvent.Resync(missed, "pruned"));
                        }
                    }
                }
                for (Change change : page) {
                    if (change.seq() <= cursor) {
                        continue; // told by a nested catch-up, from a listener's own write
                    }
                    cursor = change.seq();
                    if (!change.own()) {
                        deliver(change);
                    } else if (toOwnChange) {
                        return;
                    }
                }
                if (page.size() < PAGE) {
                    return;
                }
            }
        } finally {
            delivering.unlock();
        }
    }

    private void deliver(Change change) {
        List<Entry> wanting = entries.stream().filter(e -> e.skipThrough < change.seq()).toList();
        if (wanting.isEmpty()) {
            return;
        }
        for (SessionEvent event : toEvents.apply(change)) {
            for (Entry entry : wanting) {
                tell(entry, event);
            }
        }
    }

    private static void tell(Entry entry, SessionEvent event) {
        try {
            entry.listener.on(event);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "a session listener failed on " + event.getClass().getSimpleName()
                    + " of " + event.sessionId() + "; the change stands", e);
        }
    }

    /** Stops the thread (it is a daemon thread, but a closed handle must not keep reading). */
    @Override
    public void close() {
        Thread running;
        synchronized (lifecycle) {
            closed = true;
            running = thread;
        }
        if (running != null) {
            running.interrupt(); // a wait on a socket ends at its timeout instead, within the safety net
            try {
                running.join(SAFETY_NET.toMillis() * 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** For tests and the docs: whether the thread runs now. */
    boolean threadRunning() {
        return isFollowing();
    }
}
