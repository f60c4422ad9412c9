package io.claudesignal.sessions.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a session is in its life. A session is CREATED, becomes ACTIVE when Claude Code runs for it,
 * may be PAUSED and resumed any number of times, and ends TERMINATED, from which it never returns.
 */
public enum SessionStatus {
    CREATED,
    ACTIVE,
    PAUSED,
    TERMINATED;

    /**
     * The statuses this one may move to. ACTIVE, PAUSED and TERMINATED may be "moved to" again, so
     * that repeating a request (a retried pause, a second terminate) is harmless; CREATED may not,
     * because a session is created once, and it never skips ACTIVE to become PAUSED.
     */
    public Set<SessionStatus> successors() {
        return switch (this) {
            case CREATED -> EnumSet.of(ACTIVE, TERMINATED);
            case ACTIVE, PAUSED -> EnumSet.of(ACTIVE, PAUSED, TERMINATED);
            case TERMINATED -> EnumSet.of(TERMINATED);
        };
    }

    public boolean canTransitionTo(SessionStatus target) {
        return successors().contains(target);
    }

    /**
     * Reads a status name in any case ({@code "paused"}, {@code "PAUSED"}).
     *
     * @throws InvalidInputException for an unknown name
     */
    public static SessionStatus parse(String text) {
        if (text != null) {
            for (SessionStatus status : values()) {
                if (status.name().equalsIgnoreCase(text.strip())) {
                    return status;
                }
            }
        }
        throw new InvalidInputException("status",
                "unknown status " + Texts.quote(text, 40) + " (expected one of CREATED, ACTIVE, PAUSED, TERMINATED)");
    }
}
