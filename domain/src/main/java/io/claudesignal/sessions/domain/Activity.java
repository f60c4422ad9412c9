package io.claudesignal.sessions.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One entry of a session's activity log: something Claude did (an edit, a command, a test run).
 *
 * @param seq     its place in the session's log, from 1, never reused: entries dropped from a bounded
 *                log leave a gap, so counts stay exact
 * @param type    a short word such as {@code "edit"} or {@code "command"}
 * @param details a JSON object, as text
 */
public record Activity(SessionId sessionId, long seq, String type, String details, Instant at) {

    public static final int MAX_TYPE_LENGTH = 64;

    public Activity {
        Objects.requireNonNull(sessionId, "sessionId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1, was " + seq);
        }
        validateType(type);
        Objects.requireNonNull(details, "details");
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
    }

    public static void validateType(String type) {
        if (type == null || type.isBlank() || type.length() > MAX_TYPE_LENGTH
                || Texts.hasControlCharacter(type) || !Texts.isWellFormed(type)) {
            throw new InvalidInputException("type", "must be 1 to " + MAX_TYPE_LENGTH
                    + " printable characters: " + Texts.quote(type, 60));
        }
    }
}
