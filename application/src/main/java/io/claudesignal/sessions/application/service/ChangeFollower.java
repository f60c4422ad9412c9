package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionListener;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One handle's subscriptions, and the thread that follows the store's change log for them: changes
 * other handles and processes made are read in the log's order and told to every subscription, once
 * each. The handle's own changes are told by the thread that made them ({@link #publishOwn}), right
 * after their commit, having first told what others committed to that session before them; the
 * follower holds back at a row of an own write until its writer has told it. So per session, a
 * listener hears every change in commit order, its handle's and others' interleaved as committed.
 * The thread runs only while there are subscriptions, and waits on the feed (no busy loop).
 */
final class ChangeFollower implements AutoCloseable {

    /**
     * How long the thread waits on the feed before reading again anyway: the feed wakes it sooner when
     * something was committed, so this only bounds what a lost wake-up (a lost notification) costs.
     */
    static final Duration SAFETY_NET = Duration.ofSeconds(1);
    /**
     * The longest the thread holds back for an own write's writer to tell it. Its writer tells it right
     * after the commit; this only bounds a writer that died in between (then the write is not told).
     */
    static final Duration OWN_WRITE_WAIT = Duration.ofSeconds(10);
    /** Changes read per query while catching up. */
    private static final int PAGE = 256;
    private static final Duration BACKOFF = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(ChangeFollower.class.getName());

    private final ChangeFeed feed;
    private final Function<Change, List<SessionEvent>> toEvents;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    // Guards the reader, the pending changes and the delivery; reentrant, as a listener may write.
    private final ReentrantLock delivering = new ReentrantLock();
    private final Condition told = delivering.newCondition();
    private final Object lifecycle = new Object();
    /** This handle's writes between their start and the telling of their events. */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private ChangeFeed.Reader reader; // guarded by delivering; null while nobody follows
    private final ArrayDeque<Change> pending = new ArrayDeque<>(); // read, not yet told; guarded by delivering
    private volatile long awaited; // the own write the thread holds back for, 0 when none
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
                    reader = feed.reader(); // a new follower starts from now: earlier changes are not news
                    pending.clear();
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

    /** A write of this handle starts: until {@link #end}, the thread holds back at its rows in the log. */
    void begin(long writeId) {
        inFlight.add(writeId);
    }

    /** The write's events were told (or it failed): the thread may go past its rows. */
    void end(long writeId) {
        if (inFlight.remove(writeId) && awaited == writeId) {
            delivering.lock();
            try {
                told.signalAll();
            } finally {
                delivering.unlock();
            }
        }
    }

    /**
     * Tells the events of this handle's write {@code writeId} (0: of no write of its own) to every
     * subscription, after the changes others committed to the same session before it.
     */
    void publishOwn(long writeId, List<SessionEvent> events) {
        if (entries.isEmpty() || events.isEmpty()) {
            return;
        }
        delivering.lock();
        try {
            if (writeId != 0 && reader != null) {
                try {
                    tellPredecessors(events.get(0).sessionId(), writeId);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "reading the change log failed; the thread will retry", e);
                }
            }
            // Told under the lock: the thread must not tell a later change to this session in between.
            for (SessionEvent event : events) {
                for (Entry entry : entries) {
                    tell(entry, event);
                }
            }
        } finally {
            delivering.unlock();
        }
    }

    /**
     * Tells the changes others committed to {@code session} before this handle's write: first those the
     * thread read and holds, then those after its position ({@link ChangeFeed.Reader#through}).
     */
    private void tellPredecessors(SessionId session, long writeId) {
        boolean ownRead = false;
        for (Iterator<Change> it = pending.iterator(); it.hasNext() && !ownRead; ) {
            Change change = it.next();
            if (!change.sessionId().equals(session)) {
                continue;
            }
            if (change.own() && change.writeId() == writeId) {
                it.remove();
                ownRead = true;
            } else if (!change.own()) {
                it.remove();
                deliver(change);
            }
        }
        if (!ownRead) {
            for (Change change : reader.through(session, writeId)) {
                if (!change.own()) {
                    deliver(change);
                }
            }
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
                    catchUp();
                    watch.await(SAFETY_NET);
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

    /** After a failed read (a lost connection, a busy database): waits, then the reader goes on. */
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

    /** Reads and tells every change the reader has for this handle, holding back at own writes not yet told. */
    private void catchUp() throws InterruptedException {
        delivering.lock();
        try {
            while (true) {
                if (pending.isEmpty() && !readPage()) {
                    return;
                }
                while (!pending.isEmpty()) {
                    Change change = pending.peekFirst();
                    if (change.own() && inFlight.contains(change.writeId())) {
                        holdBackFor(change.writeId());
                        continue; // its writer may have taken it (and others) from pending meanwhile: look again
                    }
                    pending.pollFirst();
                    if (!change.own()) {
                        deliver(change);
                    }
                }
            }
        } finally {
            delivering.unlock();
        }
    }

    /** Reads the next page into {@link #pending}, after the resyncs it calls for; false when there is nothing new. */
    private boolean readPage() {
        long head = reader.head();
        for (Entry entry : entries) {
            if (head - Math.max(reader.position(), entry.skipThrough) > entry.backlog) {
                entry.skipThrough = head;
                tell(entry, new SessionEvent.Resync(head, "backlog"));
            }
        }
        ChangeFeed.Page page = reader.next(PAGE);
        page.prunedThrough().ifPresent(missed -> {
            for (Entry entry : entries) {
                if (entry.skipThrough < missed) {
                    entry.skipThrough = missed;
                    tell(entry, new SessionEvent.Resync(missed, "pruned"));
                }
            }
        });
        pending.addAll(page.changes());
        return !page.changes().isEmpty();
    }

    /**
     * Waits, the lock released, until this handle's write {@code writeId} was told by its writer, or
     * {@link #OWN_WRITE_WAIT} passed (then the thread goes on without it).
     */
    private void holdBackFor(long writeId) throws InterruptedException {
        awaited = writeId;
        try {
            long deadline = System.nanoTime() + OWN_WRITE_WAIT.toNanos();
            while (inFlight.contains(writeId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(System.Logger.Level.WARNING, "write " + writeId + " of this handle was not told within "
                            + OWN_WRITE_WAIT + "; following on");
                    inFlight.remove(writeId);
                    return;
                }
                // Woken by end(); the short slice also covers a signal sent before this wait began.
                told.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                if (closed) {
                    throw new InterruptedException("the handle is closed");
                }
            }
        } finally {
            awaited = 0;
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
