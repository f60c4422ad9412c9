package io.claudesignal.sessions.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One reply to send to the person, kept until its session is deleted. Delivery is at least once: a
 * sender that dies after sending and before {@link State#SENT} is recorded leaves the reply to be sent
 * again, with the same {@code key}, by which the receiving side can drop the duplicate.
 *
 * @param id        its number in the store-wide outbox, rising in enqueue order
 * @param key       the idempotency key it was enqueued with, unique within the session
 * @param attempts  how many claims of it ended in a failure
 * @param dueAt     while PENDING, when it may be claimed (a retry's backoff); while CLAIMED, when the
 *                  claim's lease ends and another sender may claim it
 * @param lastError what the last failed attempt reported
 */
public record Reply(long id, SessionId sessionId, String json, String key, State state, int attempts, Instant dueAt,
        Optional<String> lastError, Instant queuedAt) {

    /**
     * PENDING (due at {@code dueAt}), CLAIMED (by a sender until {@code dueAt}), SENT, or DEAD (out of
     * attempts: kept, shown, and sent again only when someone retries it).
     */
    public enum State { PENDING, CLAIMED, SENT, DEAD }

    /** Longest error text kept: the rest is cut. */
    public static final int MAX_ERROR_LENGTH = 1000;

    public Reply {
        if (id < 1) {
            throw new IllegalArgumentException("id must be at least 1, was " + id);
        }
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        dueAt = Objects.requireNonNull(dueAt, "dueAt").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(lastError, "lastError");
        queuedAt = Objects.requireNonNull(queuedAt, "queuedAt").truncatedTo(ChronoUnit.MICROS);
    }

    /** An error as kept: one line of at most {@link #MAX_ERROR_LENGTH} chars, never blank. */
    public static String errorText(String error) {
        String line = error == null || error.isBlank() ? "(no reason given)" : error.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() > MAX_ERROR_LENGTH ? line.substring(0, MAX_ERROR_LENGTH) : line;
    }
}
