package io.claudesignal.sessions.domain;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who changed a session: the {@code sessions} CLI, or one run of a daemon. A daemon's identity is new
 * for every process start, so that a restarted daemon never mistakes its dead predecessor's leases
 * for its own.
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

    /** A daemon instance named {@code name} (a host name, a pid, anything unique to one process start). */
    public static Actor daemon(String name) {
        return new Actor(DAEMON_PREFIX + Objects.requireNonNull(name, "name"));
    }

    /** A fresh daemon identity: the process id and a random part, unique per process start. */
    public static Actor newDaemonInstance() {
        return daemon(ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL));
    }

    public boolean isDaemon() {
        return value.startsWith(DAEMON_PREFIX);
    }

    @Override
    public String toString() {
        return value;
    }
}
