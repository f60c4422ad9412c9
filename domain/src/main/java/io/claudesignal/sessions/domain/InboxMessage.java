package io.claudesignal.sessions.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One message from the person to a session, kept until the session is deleted: numbered per session
 * in the order it was received, and idempotent by its key (a Signal message delivered twice is one).
 *
 * @param seq        its number in the session's inbox, from 1 in receive order
 * @param json       the message, a JSON object, exactly as received
 * @param key        the idempotency key it was received with, unique within the session
 * @param state      {@link State#WAITING} until a daemon takes it, {@link State#TAKEN} until it is done
 * @param receivedAt when it was stored
 */
public record InboxMessage(SessionId sessionId, long seq, String json, String key, State state, Instant receivedAt) {

    /** Where a message is: waiting for the daemon, taken by it, or handled. */
    public enum State { WAITING, TAKEN, DONE }

    public InboxMessage {
        Objects.requireNonNull(sessionId, "sessionId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1, was " + seq);
        }
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        receivedAt = Objects.requireNonNull(receivedAt, "receivedAt").truncatedTo(ChronoUnit.MICROS);
    }

    public InboxMessage withState(State newState) {
        return new InboxMessage(sessionId, seq, json, key, newState, receivedAt);
    }
}
