package io.claudesignal.sessions.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One status change of a session, as its history records it: written in the same atomic step as the
 * change itself, so the history never disagrees with the status.
 *
 * @param reason why, in a word or two: {@link #USER}, {@link #CRASH_RECOVERY}, or the caller's own
 */
public record Transition(SessionId sessionId, SessionStatus from, SessionStatus to, Instant at, String reason,
        Actor actor) {

    /** A person (or the daemon on a person's behalf) asked for it. */
    public static final String USER = "user";
    /** {@code recover()} paused a session whose owner was gone. */
    public static final String CRASH_RECOVERY = "crash-recovery";
    /**
     * The session was made by {@code Sessions.fork}: its first history entry, CREATED to CREATED
     * ({@link Session#forkedFrom()} says from where).
     */
    public static final String FORK = "fork";
    public static final int MAX_REASON_LENGTH = 64;

    public Transition {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
        validateReason(reason);
        Objects.requireNonNull(actor, "actor");
    }

    public static void validateReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON_LENGTH
                || Texts.hasControlCharacter(reason) || !Texts.isWellFormed(reason)) {
            throw new InvalidInputException("reason", "must be 1 to " + MAX_REASON_LENGTH
                    + " printable characters: " + Texts.quote(reason, 60));
        }
    }
}
