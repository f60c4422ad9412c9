package io.claudesignal.sessions.domain;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who changed a session: the {@code sessions} CLI, or a daemon. A daemon's identity is a stable name
 * ({@code daemon:<name>}); each process start under that name is a new incarnation of it, numbered by
 * the store, and a new incarnation fences every older one (see {@code docs/leases.md}).
 */
public record Actor(String value) {

    public static final int MAX_LENGTH = 128;
    /** The command-line tool. */
    public static final Actor CLI = new Actor("cli");

    private static final String DAEMON_PREFIX = "daemon:";

    public Actor {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("actor", "must not be blank");
        }
        if (value.length() > MAX_LENGTH || Texts.hasControlCharacter(value) || !Texts.isWellFormed(value)) {
            throw new InvalidInputException("actor", "must be at most " + MAX_LENGTH
                    + " printable characters: " + Texts.quote(value, 60));
        }
    }

    /** The daemon named {@code name} (stable across its restarts: a host name, a service name). */
    public static Actor daemon(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new InvalidInputException("daemon name", "must not be blank");
        }
        return new Actor(DAEMON_PREFIX + name);
    }

    /**
     * A daemon name no other process uses: the process id and a random part. For tests and tools
     * that want a throwaway identity; a real daemon keeps one name across restarts.
     */
    public static Actor newDaemonInstance() {
        return daemon(ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL));
    }

    public boolean isDaemon() {
        return value.startsWith(DAEMON_PREFIX) && value.length() > DAEMON_PREFIX.length();
    }

    @Override
    public String toString() {
        return value;
    }
}
