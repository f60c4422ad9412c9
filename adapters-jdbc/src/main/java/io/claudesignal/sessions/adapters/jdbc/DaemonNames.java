package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DaemonRunningException;

/**
 * How an adapter knows that a live process runs under a daemon's name on its database: a hold the
 * operating system or the server drops when that process dies (an OS file lock on SQLite, a
 * session-level advisory lock on PostgreSQL), so that only a dead daemon's successor may start.
 */
public interface DaemonNames {

    /**
     * Holds {@code daemon}'s name for this process until the returned handle or the storage is closed;
     * within one process, several handles may hold one name (each start still fences the older ones).
     *
     * @throws DaemonRunningException when another live process holds it
     */
    AutoCloseable hold(Actor daemon);

    /** Where the database is, as stable text without secrets: a store's tag is made from it. */
    String location();
}
