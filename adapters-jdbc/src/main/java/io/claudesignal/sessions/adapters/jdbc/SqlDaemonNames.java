package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.StorageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link DaemonNames} over a lock the operating system or the server holds for a process or a
 * connection, not for a handle: the adapter takes and releases the lock ({@link Lock}); this class
 * shares one taken lock among the handles of one JVM that hold the same name (counted: the last
 * release drops it), so that a second handle under a name, a newer incarnation, fences the first
 * instead of being refused, and releases the names a storage holds when it closes.
 */
public final class SqlDaemonNames implements DaemonNames {

    /** The lock of a daemon's name on one database, as its adapter takes it. */
    public interface Lock {

        /** Where the database is, as stable text without secrets: a store's tag is made from it. */
        String location();

        /** Where {@code daemon}'s lock is, the same for every handle of this JVM that could take it. */
        String key(Actor daemon);

        /**
         * Takes {@code daemon}'s lock for this process; closing what it returns releases it.
         *
         * @throws DaemonRunningException when another process (or connection) holds it
         */
        AutoCloseable lock(Actor daemon);

        /** What {@link #hold} throws once the storage is closed. */
        StorageException closedError();
    }

    /** The locks this JVM holds, by adapter and {@link Lock#key}. */
    private static final Map<List<Object>, Held> HELD = new HashMap<>();

    private final Lock locks;
    private final List<AutoCloseable> mine = new ArrayList<>();
    private boolean closed;

    public SqlDaemonNames(Lock locks) {
        this.locks = locks;
    }

    @Override
    public String location() {
        return locks.location();
    }

    @Override
    public final synchronized AutoCloseable hold(Actor daemon) {
        if (closed) {
            throw locks.closedError();
        }
        List<Object> key = List.of(locks.getClass(), locks.key(daemon));
        Held held;
        synchronized (HELD) {
            held = HELD.get(key);
            if (held == null) {
                held = new Held(locks.lock(daemon));
                HELD.put(key, held);
            }
            held.users++;
        }
        Held taken = held;
        AutoCloseable release = new AutoCloseable() {
            private boolean done;

            @Override
            public void close() throws Exception {
                synchronized (HELD) {
                    if (done) {
                        return;
                    }
                    done = true;
                    if (--taken.users == 0) {
                        HELD.remove(key);
                        taken.lock.close();
                    }
                }
            }
        };
        mine.add(release);
        return release;
    }

    /** Releases every name this storage holds; {@link #hold} is refused from now on. */
    public final synchronized void close() {
        closed = true;
        for (AutoCloseable release : mine) {
            try {
                release.close();
            } catch (Exception e) {
                System.getLogger(locks.getClass().getName()).log(System.Logger.Level.WARNING,
                        "releasing a daemon name's lock failed; the end of the process (or of its connection, "
                                + "which the server notices) releases it", e);
            }
        }
        mine.clear();
    }

    private static final class Held {
        final AutoCloseable lock;
        int users;

        Held(AutoCloseable lock) {
            this.lock = lock;
        }
    }
}
