package io.claudesignal.sessions.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Tells the schema's followers that the change log grew, after the commits that grew it: a
 * {@code NOTIFY} sent by a thread of its own in a transaction of its own, one for any number of commits
 * that happened while the last one was being sent. Inside the writing transaction, a {@code NOTIFY}
 * would hold the server's notify-queue lock through the commit, and every writer would take turns
 * there. A lost announcement costs a follower at most its safety-net delay: it reads the log anyway.
 */
final class CommitAnnouncer implements AutoCloseable {

    static final String CHANNEL = "sessions_changes";
    private static final System.Logger LOG = System.getLogger(CommitAnnouncer.class.getName());

    private final DataSource pool;
    private final String schema;
    private boolean due; // guarded by this
    private boolean closed; // guarded by this
    private Thread thread; // guarded by this

    CommitAnnouncer(DataSource pool, String schema) {
        this.pool = pool;
        this.schema = schema;
    }

    /** Some commit grew the log: an announcement follows soon (started on first use). */
    synchronized void committed() {
        if (closed) {
            return;
        }
        due = true;
        if (thread == null) {
            thread = new Thread(this::run, "sessions-announcer");
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
    }

    private void run() {
        while (true) {
            synchronized (this) {
                while (!due && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!due) {
                    return; // closed, with nothing left to announce
                }
                due = false; // commits from now on need another announcement
            }
            try (Connection connection = pool.getConnection();
                 PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, schema);
                notify.execute();
            } catch (SQLException | RuntimeException e) {
                // Followers read the log on their safety net anyway; a closed pool ends the thread.
                LOG.log(System.Logger.Level.DEBUG, "announcing a change failed", e);
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Stops the thread once it has announced the commits made so far (a CLI command that exits right
     * after its write is heard at once, not at the followers' safety net); waits for that at most
     * {@code CLOSE_WAIT_MS}, before the pool it uses is closed.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
            notifyAll();
        }
        if (running != null) {
            try {
                running.join(CLOSE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final long CLOSE_WAIT_MS = 2_000;
}
